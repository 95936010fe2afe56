"""``FakeSeam.demo()``: every kind of object, error and warning at once, all of it real state.

Read back through the SDK, so the demo is held to the same schema and rules as
anything a test creates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import time_machine
from seam import Seam

from seam_fake import FakeSeam


@pytest.fixture
def demo() -> Iterator[Seam]:
    fake = FakeSeam.demo()
    with fake.patch():
        yield Seam(api_key=fake.api_key)


def test_demo_has_two_acs_systems_of_different_kinds_and_a_credential_manager(demo: Seam) -> None:
    systems = demo.acs.systems.list()
    assert sorted(system.external_type for system in systems) == [
        "assa_abloy_credential_service",
        "salto_ks_site",
        "visionline_system",
    ]
    assert all(system.location["time_zone"] for system in systems)
    assert len({system.connected_account_id for system in systems}) == 3
    by_type = {system.external_type: system for system in systems}
    manager = by_type["assa_abloy_credential_service"]
    assert manager.is_credential_manager
    assert by_type["visionline_system"].default_credential_manager_acs_system_id == manager.acs_system_id
    compatible = demo.acs.systems.list_compatible_credential_manager_acs_systems(
        acs_system_id=by_type["visionline_system"].acs_system_id
    )
    assert [system.acs_system_id for system in compatible] == [manager.acs_system_id]


def test_demo_has_an_identity_with_issued_mobile_keys_on_a_phone(demo: Seam) -> None:
    jane = demo.user_identities.get(user_identity_key="user_jane")
    (phone,) = demo.phones.list(owner_user_identity_id=jane.user_identity_id)
    assert phone.device_type == "ios_phone"
    keys = demo.acs.credentials.list(user_identity_id=jane.user_identity_id)
    parents = [c for c in keys if c.is_multi_phone_sync_credential]
    children = [c for c in keys if getattr(c, "parent_acs_credential_id", None)]
    assert len(parents) == 2 and len(children) == 2
    assert all(c.is_issued and c.issued_at and not c.warnings for c in keys)
    assert {c.parent_acs_credential_id for c in children} == {c.acs_credential_id for c in parents}
    for child in children:
        assert [p.device_id for p in demo.phones.list(acs_credential_id=child.acs_credential_id)] == [
            phone.device_id
        ]
    # The Visionline key goes through the credential manager; the Salto one needs none.
    (session,) = demo.client_sessions.list(
        user_identity_id=jane.user_identity_id, user_identifier_key="app-user-jane"
    )
    assert session.token.startswith("seam_cst")
    (instant_key,) = demo.instant_keys.list(user_identity_id=jane.user_identity_id)
    assert instant_key.instant_key_url.startswith("https://ik.seam.co/")
    issued = demo.events.list(since="2000-01-01T00:00:00Z", event_type="acs_credential.issued")
    assert {e.acs_credential_id for e in issued} >= {c.acs_credential_id for c in keys}


def test_demo_has_a_pin_the_salto_site_made(demo: Seam) -> None:
    mei = demo.user_identities.get(user_identity_key="user_mei")
    (code,) = demo.acs.credentials.list(user_identity_id=mei.user_identity_id)
    assert code.access_method == "code" and code.code is not None and code.code.isdigit()
    assert code.is_issued and code.external_type == "salto_ks_credential"


def test_demo_has_a_dozen_acs_users_some_linked(demo: Seam) -> None:
    users = list(demo.create_paginator(demo.acs.users.list).flatten())
    assert len(users) >= 12
    linked = [user for user in users if getattr(user, "user_identity_id", None)]
    assert 0 < len(linked) < len(users)
    # Each system's count matches its users.
    per_system = Counter(user.acs_system_id for user in users)
    for system in demo.acs.systems.list():
        assert system.acs_user_count == per_system[system.acs_system_id]


def test_demo_identities_show_every_error_and_warning(demo: Seam) -> None:
    identities = {identity.user_identity_key: identity for identity in demo.user_identities.list()}
    errors = {key: [e["error_code"] for e in i.errors] for key, i in identities.items()}
    warnings = {key: [w["warning_code"] for w in i.warnings] for key, i in identities.items()}
    assert [key for key, codes in errors.items() if codes] == ["user_mei"]
    assert errors["user_mei"] == ["issue_with_acs_user"]
    assert [key for key, codes in warnings.items() if codes] == ["user_lucia"]
    assert warnings["user_lucia"] == ["acs_user_profile_does_not_match_user_identity"]
    # Linked on both systems, on one, and nowhere.
    assert len(identities["user_jane"].acs_user_ids) == 2
    assert identities["user_kenji"].acs_user_ids == []
    systems = demo.user_identities.list_acs_systems(user_identity_id=identities["user_jane"].user_identity_id)
    assert len(systems) == 2


def test_demo_acs_user_with_an_error_is_the_one_the_identity_reports(demo: Seam) -> None:
    mei = demo.user_identities.get(user_identity_key="user_mei")
    (acs_user_id,) = mei.acs_user_ids
    assert mei.errors[0]["acs_user_id"] == acs_user_id
    assert [e["error_code"] for e in demo.acs.users.get(acs_user_id=acs_user_id).errors] == [
        "failed_to_update_on_acs_system"
    ]


def test_demo_is_reproducible_with_a_seed_and_a_frozen_clock() -> None:
    with time_machine.travel(datetime(2026, 1, 2, tzinfo=timezone.utc), tick=False):
        first = FakeSeam.demo(api_key="seam_demo_key", random_seed=7)
        second = FakeSeam.demo(api_key="seam_demo_key", random_seed=7)
    assert first.api_key == "seam_demo_key"
    assert first.snapshot() == second.snapshot()
    assert first.snapshot() != FakeSeam.demo(random_seed=8).snapshot()


def test_demo_is_ordinary_state_reset_empties_it() -> None:
    fake = FakeSeam.demo()
    fake.reset()
    workspace = fake.snapshot()["workspaces"][fake.workspace_id]
    assert workspace["user_identities"] == {} and workspace["acs_systems"] == {}
