"""FakeSeam's own Python API: construction, seeding, reset and snapshots."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from conftest import Raw
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam, InvalidInput, Request


def test_a_new_fake_has_one_sandbox_workspace_reachable_with_its_key() -> None:
    fake = FakeSeam()
    assert fake.api_key.startswith("seam_") and not fake.api_key.startswith("seam_at")
    assert fake.endpoint == "https://connect.getseam.com"
    [workspace] = fake.snapshot()["workspaces"].values()
    assert workspace["workspace_id"] == fake.workspace_id
    assert workspace["is_sandbox"] is True
    with fake.patch():
        created = Seam(api_key=fake.api_key).user_identities.create(full_name="Ada")
    assert created.workspace_id == fake.workspace_id


def test_endpoint_and_api_key_can_be_chosen() -> None:
    fake = FakeSeam(endpoint="http://localhost:9999/", api_key="seam_fixed_key")
    assert fake.endpoint == "http://localhost:9999"
    assert fake.api_key == "seam_fixed_key"
    with fake.patch():
        seam = Seam(api_key="seam_fixed_key", endpoint="http://localhost:9999")
        assert seam.user_identities.create(full_name="Ada").full_name == "Ada"


@pytest.mark.parametrize("key", ["sk_live_x", "seam_at123", "seam_cst123", "seam_pk123"])
def test_a_fixed_api_key_must_look_like_one(key: str) -> None:
    with pytest.raises(ValueError, match="API key"):
        FakeSeam(api_key=key)


@pytest.mark.parametrize("endpoint", ["connect.getseam.com", "ftp://example.com", "https://"])
def test_endpoint_must_be_an_http_url(endpoint: str) -> None:
    with pytest.raises(ValueError, match="endpoint"):
        FakeSeam(endpoint=endpoint)


def test_add_workspace_returns_the_workspace_and_a_working_key(fake_seam: FakeSeam) -> None:
    other = fake_seam.add_workspace(name="Other", company_name="Globex")
    assert other["name"] == "Other" and other["company_name"] == "Globex"
    assert other["workspace_id"] != fake_seam.workspace_id
    created = Seam(api_key=other["api_key"]).user_identities.create(full_name="Ada")
    assert created.workspace_id == other["workspace_id"]


def test_reset_empties_state_but_keeps_the_credentials(fake_seam: FakeSeam, seam: Seam) -> None:
    system = fake_seam.add_acs_system("HQ")
    identity = seam.user_identities.create(user_identity_key="k", acs_system_ids=[system["acs_system_id"]])
    other = fake_seam.add_workspace(name="Other")
    workspace_id, api_key = fake_seam.workspace_id, fake_seam.api_key

    fake_seam.reset()

    assert (fake_seam.workspace_id, fake_seam.api_key) == (workspace_id, api_key)
    snapshot = fake_seam.snapshot()
    assert list(snapshot["workspaces"]) == [workspace_id]
    assert snapshot["workspaces"][workspace_id]["user_identities"] == {}
    assert snapshot["workspaces"][workspace_id]["acs_systems"] == {}
    assert other["api_key"] not in snapshot["api_keys"]
    with pytest.raises(SeamHttpApiError) as error:
        seam.user_identities.get(user_identity_id=identity.user_identity_id)
    assert error.value.code == "user_identity_not_found"
    # The same client, built before the reset, still authenticates.
    assert seam.user_identities.create(user_identity_key="k").user_identity_key == "k"


def test_snapshot_is_json_serialisable_and_a_copy(fake_seam: FakeSeam, seam: Seam) -> None:
    system = fake_seam.add_acs_system("HQ")
    fake_seam.add_acs_user(system["acs_system_id"], "Ada", email_address="ada@example.com")
    seam.user_identities.create(email_address="ada@example.com", acs_system_ids=[system["acs_system_id"]])
    snapshot = fake_seam.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot
    snapshot["workspaces"].clear()
    assert fake_seam.snapshot()["workspaces"]


def test_add_acs_user_validates_like_the_api(fake_seam: FakeSeam) -> None:
    system = fake_seam.add_acs_system("HQ")
    before = fake_seam.snapshot()
    with pytest.raises(InvalidInput) as error:
        fake_seam.add_acs_user(system["acs_system_id"], "", email_address="nope", phone_number="555")
    assert set(error.value.problems) == {"full_name", "email_address", "phone_number"}
    assert fake_seam.snapshot() == before


def test_seeding_rejects_unknown_kinds_and_ids(fake_seam: FakeSeam) -> None:
    before = fake_seam.snapshot()
    with pytest.raises(ValueError, match="external_type"):
        fake_seam.add_acs_system("HQ", external_type="not_a_kind")
    with pytest.raises(KeyError):
        fake_seam.add_acs_user("00000000-0000-4000-8000-000000000000", "Ada")
    with pytest.raises(KeyError):
        fake_seam.add_acs_system("HQ", workspace_id="00000000-0000-4000-8000-000000000000")
    with pytest.raises(KeyError):
        fake_seam.simulate_acs_user_error("00000000-0000-4000-8000-000000000000")
    with pytest.raises(KeyError):
        fake_seam.simulate_user_identity_being_deleted("00000000-0000-4000-8000-000000000000")
    assert fake_seam.snapshot() == before


def test_seeded_resources_are_what_the_api_returns(fake_seam: FakeSeam, raw: Raw) -> None:
    system = fake_seam.add_acs_system(
        "Harbor Hotel", external_type="visionline_system", time_zone="Europe/London"
    )
    user = fake_seam.add_acs_user(system["acs_system_id"], "Ada", phone_number="+447700900123")
    assert system["external_type_display_name"] == "Visionline"
    assert system["location"] == {"time_zone": "Europe/London"}
    got_system = raw.get("/acs/systems/get", params={"acs_system_id": system["acs_system_id"]}).json()
    got_user = raw.get("/acs/users/get", params={"acs_user_id": user["acs_user_id"]}).json()
    # The system's user count moved from 0 to 1 when the user was added.
    assert got_system["acs_system"] == {**system, "acs_user_count": 1}
    assert got_user["acs_user"] == user


def test_same_seed_same_ids() -> None:
    first, second = FakeSeam(random_seed=7), FakeSeam(random_seed=7)
    assert (first.workspace_id, first.api_key) == (second.workspace_id, second.api_key)
    assert first.add_acs_system("HQ")["acs_system_id"] == second.add_acs_system("HQ")["acs_system_id"]
    assert FakeSeam(random_seed=8).workspace_id != first.workspace_id


def test_generated_api_keys_never_look_like_another_kind_of_token() -> None:
    # A random key once began "seam_at...", and the fake took it for a personal access token.
    fake = FakeSeam()
    production = fake.add_workspace(name="Prod", is_sandbox=False)
    keys = [fake.add_api_key() for _ in range(3000)] + [production["api_key"]]
    assert not [key for key in keys if key.startswith(("seam_at", "seam_cst", "seam_pk"))]
    assert all(key.startswith("seam_test") for key in keys[:-1])
    assert production["api_key"].startswith("seam_live")


def test_reset_of_a_seeded_fake_replays_the_same_ids_without_collisions() -> None:
    # A reset once replayed the seed from the start, so the next id drawn was the
    # default workspace's own id again.
    fresh, reset = FakeSeam(random_seed=3), FakeSeam(random_seed=3)
    reset.add_acs_system("Before")
    reset.reset()
    assert (reset.workspace_id, reset.api_key) == (fresh.workspace_id, fresh.api_key)
    system = reset.add_acs_system("HQ")
    assert system["acs_system_id"] == fresh.add_acs_system("HQ")["acs_system_id"]
    assert system["acs_system_id"] != reset.workspace_id
    other = reset.add_workspace("Other")
    assert other["workspace_id"] != reset.workspace_id
    assert len(reset.snapshot()["workspaces"]) == 2


@pytest.mark.parametrize("api_key", ["bad", "seam_at_x"])
def test_a_refused_workspace_leaves_nothing_behind(fake_seam: FakeSeam, api_key: str) -> None:
    before = fake_seam.snapshot()
    with pytest.raises(ValueError):
        fake_seam.add_workspace("Y", api_key=api_key)
    with pytest.raises(ValueError, match="already in use"):
        fake_seam.add_workspace("Z", api_key=fake_seam.api_key)
    assert fake_seam.snapshot() == before


def test_add_acs_system_validates_its_ids(fake_seam: FakeSeam) -> None:
    before = fake_seam.snapshot()
    with pytest.raises(InvalidInput) as error:
        fake_seam.add_acs_system("", connected_account_id="not-a-uuid")
    assert set(error.value.problems) == {"name", "connected_account_id"}
    assert fake_seam.snapshot() == before
    upper = "6F1A0C57-6B39-4E2C-9B4B-6A1E2D3C4B5A"
    system = fake_seam.add_acs_system("HQ", connected_account_id=upper)
    assert system["connected_account_id"] == upper.lower()


def test_handle_accepts_header_names_in_any_case(fake_seam: FakeSeam) -> None:
    response = fake_seam.handle(
        Request("POST", "/user_identities/create", headers={"Authorization": f"Bearer {fake_seam.api_key}"})
    )
    assert response.status == 200


def test_created_at_keeps_four_year_digits_before_year_1000(fake_seam: FakeSeam) -> None:
    import time_machine

    with time_machine.travel(datetime(999, 2, 3, 4, 5, 6, 789999, tzinfo=timezone.utc), tick=False):
        created = Seam().user_identities.create(full_name="Ada")
    assert created.created_at == "0999-02-03T04:05:06.789Z"
