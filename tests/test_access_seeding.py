"""Seeding and simulating access control from Python and over /_fake/: entrances, access
groups, unmanaged objects, ACS user warnings, unlock outcomes. Each helper returns the
resource as the API renders it, refuses what the model refuses, and changes nothing then."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import Raw, assert_error, ok, unchanged
from seam import Seam, SeamHttpInvalidInputError

from seam_fake import FakeSeam
from seam_fake.model.errors import ApiError, InvalidInput, NotFound
from seam_fake.model.snapshots import SnapshotError


def salto(fake: FakeSeam, name: str = "Harbour Office") -> str:
    system_id: str = fake.add_acs_system(name, external_type="salto_ks_site")["acs_system_id"]
    return system_id


# Entrances --------------------------------------------------------------------------------


def test_add_acs_entrance_returns_it_as_the_api_shows_it(fake_seam: FakeSeam, seam: Seam) -> None:
    site = salto(fake_seam)
    seeded = fake_seam.add_acs_entrance(site, "Lobby")
    got = seam.acs.entrances.get(acs_entrance_id=seeded["acs_entrance_id"])
    assert got.display_name == "Lobby" and got.acs_system_id == site
    # Every method a Salto KS site takes opens it unless the seeding says otherwise.
    assert (got.can_unlock_with_code, got.can_unlock_with_cloud_key) == (True, True)
    assert seeded["space_ids"] == [] and seeded["errors"] == [] and seeded["warnings"] == []
    (added,) = [e for e in fake_seam.events if e["event_type"] == "acs_entrance.added"]
    assert added["acs_entrance_id"] == seeded["acs_entrance_id"]


def test_add_acs_entrance_narrows_what_opens_it(fake_seam: FakeSeam) -> None:
    seeded = fake_seam.add_acs_entrance(salto(fake_seam), "Vault", can_unlock_with=["card"])
    assert [name for name, value in seeded.items() if name.startswith("can_unlock_with_") and value] == [
        "can_unlock_with_card"
    ]


@pytest.mark.parametrize(
    ("external_type", "can_unlock_with", "param"),
    [
        # A credential manager has no doors.
        ("assa_abloy_credential_service", None, "acs_system_id"),
        # Visionline takes cards and mobile keys, not codes.
        ("visionline_system", ["code"], "can_unlock_with"),
    ],
)
def test_add_acs_entrance_refuses_what_the_system_cannot_have(
    fake_seam: FakeSeam, external_type: str, can_unlock_with: list[str] | None, param: str
) -> None:
    system = fake_seam.add_acs_system("Site", external_type=external_type)["acs_system_id"]
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.add_acs_entrance(system, "Door", can_unlock_with=can_unlock_with)
    assert param in refused.value.problems


def test_add_acs_entrance_on_an_unknown_system_is_not_found(fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam), pytest.raises(NotFound) as refused:
        fake_seam.add_acs_entrance("0b0e9a4c-5d6e-4f70-8192-a3b4c5d6e7f8", "Door")
    assert refused.value.type == "acs_system_not_found"


# Access groups ------------------------------------------------------------------------------


def test_add_acs_access_group_returns_it_as_the_api_shows_it(fake_seam: FakeSeam, seam: Seam) -> None:
    site = salto(fake_seam)
    lobby = fake_seam.add_acs_entrance(site, "Lobby")["acs_entrance_id"]
    group = fake_seam.add_acs_access_group(
        site,
        "Floor 3",
        acs_entrance_ids=[lobby],
        access_schedule={"starts_at": "2026-01-01T00:00:00Z", "ends_at": "2999-01-01T00:00:00Z"},
    )
    got = seam.acs.access_groups.get(acs_access_group_id=group["acs_access_group_id"])
    assert (got.name, got.external_type, got.is_managed) == ("Floor 3", "salto_ks_access_group", True)
    assert got.access_schedule.starts_at == "2026-01-01T00:00:00.000Z"
    entrances = seam.acs.access_groups.list_accessible_entrances(acs_access_group_id=got.acs_access_group_id)
    assert [e.acs_entrance_id for e in entrances] == [lobby]
    assert seam.acs.systems.get(acs_system_id=site).acs_access_group_count == 1


def test_add_acs_access_group_refuses_a_system_without_groups(fake_seam: FakeSeam) -> None:
    hotel = fake_seam.add_acs_system("Grand Hotel", external_type="visionline_system")["acs_system_id"]
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.add_acs_access_group(hotel, "Floor 3")
    assert "acs_system_id" in refused.value.problems
    assert "entrance by entrance" in str(refused.value)


def test_add_acs_access_group_refuses_an_entrance_of_another_system(fake_seam: FakeSeam) -> None:
    site, other = salto(fake_seam), salto(fake_seam, "Annex")
    door = fake_seam.add_acs_entrance(other, "Annex door")["acs_entrance_id"]
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.add_acs_access_group(site, "Floor 3", acs_entrance_ids=[door])
    assert "acs_entrance_ids" in refused.value.problems


def test_add_acs_access_group_refuses_a_reversed_schedule(fake_seam: FakeSeam) -> None:
    site = salto(fake_seam)
    schedule = {"starts_at": "2999-02-01T00:00:00Z", "ends_at": "2999-01-01T00:00:00Z"}
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.add_acs_access_group(site, "Floor 3", access_schedule=schedule)
    assert "ends_at must be after starts_at" in str(refused.value)


def test_add_acs_access_group_refuses_a_naive_time(fake_seam: FakeSeam) -> None:
    site = salto(fake_seam)
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.add_acs_access_group(site, "Floor 3", access_schedule={"starts_at": "2999-01-01T00:00:00"})
    assert "time zone" in str(refused.value)


# Unmanaged objects ------------------------------------------------------------------------


def test_unmanaged_seeding_is_seen_only_by_the_unmanaged_routes(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    site = salto(fake_seam)
    identity = fake_seam.add_user_identity(is_managed=False, email_address="walk.in@example.com")
    user = fake_seam.add_acs_user(site, "Contractor", is_managed=False)
    group = fake_seam.add_acs_access_group(site, "Legacy", is_managed=False)
    card = fake_seam.add_acs_credential("card", is_managed=False, acs_user_id=user["acs_user_id"])
    assert "user_identity_key" not in identity
    assert (user["is_managed"], group["is_managed"], card["is_managed"]) == (False, False, False)
    assert seam.user_identities.list() == [] and seam.acs.users.list() == []
    assert seam.acs.access_groups.list() == [] and seam.acs.credentials.list() == []
    assert [i.user_identity_id for i in seam.user_identities.unmanaged.list()] == [
        identity["user_identity_id"]
    ]
    # The SDK has no methods for the reference's x-undocumented unmanaged ACS routes: raw HTTP.
    users = ok(raw.get("/acs/users/unmanaged/list"))["acs_users"]
    assert [u["acs_user_id"] for u in users] == [user["acs_user_id"]]
    groups = ok(raw.get("/acs/access_groups/unmanaged/list"))["acs_access_groups"]
    assert [g["acs_access_group_id"] for g in groups] == [group["acs_access_group_id"]]
    listed = ok(raw.post("/acs/credentials/unmanaged/list", json={"acs_user_id": user["acs_user_id"]}))
    assert [c["acs_credential_id"] for c in listed["acs_credentials"]] == [card["acs_credential_id"]]
    # Not counted, not matched: a managed identity with the same email is free to exist.
    assert seam.acs.systems.get(acs_system_id=site).acs_user_count == 0
    seam.user_identities.create(email_address="walk.in@example.com")


def test_an_unmanaged_identity_takes_no_key_and_no_systems(fake_seam: FakeSeam) -> None:
    site = salto(fake_seam)
    with unchanged(fake_seam):
        with pytest.raises(ValueError, match="no user_identity_key"):
            fake_seam.add_user_identity(is_managed=False, user_identity_key="k")
        with pytest.raises(ValueError, match="no acs_system_ids"):
            fake_seam.add_user_identity(is_managed=False, acs_system_ids=[site])
        with pytest.raises(InvalidInput) as refused:
            fake_seam.add_user_identity(is_managed=False, email_address="not an email")
    assert "email_address" in refused.value.problems


def test_an_unmanaged_credential_needs_an_acs_user(fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam), pytest.raises(NotFound) as refused:
        fake_seam.add_acs_credential(
            "card", is_managed=False, acs_user_id="0b0e9a4c-5d6e-4f70-8192-a3b4c5d6e7f8"
        )
    assert refused.value.type == "acs_user_not_found"
    with unchanged(fake_seam), pytest.raises(ValueError, match="acs_user_id and code"):
        fake_seam.add_acs_credential("card", is_managed=False, acs_system_id="x")


# ACS user warnings --------------------------------------------------------------------------


def test_simulate_acs_user_warning_shows_on_the_user(fake_seam: FakeSeam, seam: Seam) -> None:
    user = fake_seam.add_acs_user(salto(fake_seam), "Jane Doe")
    returned = fake_seam.simulate_acs_user_warning(
        user["acs_user_id"], "latch_resident_user", "Manage on Latch."
    )
    got = seam.acs.users.get(acs_user_id=user["acs_user_id"])
    assert [(w.warning_code, w.message) for w in got.warnings] == [
        ("latch_resident_user", "Manage on Latch.")
    ]
    assert returned["warnings"][0]["warning_code"] == "latch_resident_user"


def test_simulate_acs_user_warning_refuses_a_code_of_no_schema(fake_seam: FakeSeam) -> None:
    user = fake_seam.add_acs_user(salto(fake_seam), "Jane Doe")
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.simulate_acs_user_warning(user["acs_user_id"], "door_on_fire")
    assert "warning_code" in refused.value.problems


def test_a_schedule_warning_is_not_shown_twice_when_also_simulated(fake_seam: FakeSeam, seam: Seam) -> None:
    site = salto(fake_seam)
    user = seam.acs.users.create(
        acs_system_id=site, full_name="Amara Okafor", access_schedule={"starts_at": "2999-01-01T00:00:00Z"}
    )
    fake_seam.simulate_acs_user_warning(user.acs_user_id, "salto_ks_user_not_subscribed", "Slots full.")
    got = seam.acs.users.get(acs_user_id=user.acs_user_id)
    assert [(w.warning_code, w.message) for w in got.warnings] == [
        ("salto_ks_user_not_subscribed", "Slots full.")
    ]


# Unlock outcomes ----------------------------------------------------------------------------


@pytest.fixture
def door(fake_seam: FakeSeam, seam: Seam) -> dict[str, str]:
    """A Salto KS door, and a cloud key that opens it."""
    site = salto(fake_seam)
    lobby = fake_seam.add_acs_entrance(site, "Lobby")["acs_entrance_id"]
    group = fake_seam.add_acs_access_group(site, "All", acs_entrance_ids=[lobby])["acs_access_group_id"]
    user = seam.acs.users.create(acs_system_id=site, full_name="Ana Silva", acs_access_group_ids=[group])
    key = seam.acs.credentials.create(acs_user_id=user.acs_user_id, access_method="cloud_key")
    return {"acs_entrance_id": lobby, "acs_credential_id": key.acs_credential_id}


def test_set_action_attempt_outcome_error_fails_the_next_unlocks(
    fake_seam: FakeSeam, seam: Seam, door: dict[str, str]
) -> None:
    fake_seam.set_action_attempt_outcome("error", error_type="jammed", error_message="The door is jammed.")
    for _ in range(2):
        attempt = seam.acs.entrances.unlock(**door, wait_for_action_attempt=False)
        assert (attempt.status, attempt.error.type, attempt.error.message) == (
            "error",
            "jammed",
            "The door is jammed.",
        )
    fake_seam.set_action_attempt_outcome("success")
    assert seam.acs.entrances.unlock(**door).status == "success"
    kinds = [e["event_type"] for e in fake_seam.events if e["event_type"].startswith("action_attempt.")]
    assert kinds == ["action_attempt.unlock_door.failed"] * 2 + ["action_attempt.unlock_door.succeeded"]


@pytest.mark.parametrize(
    ("values", "param"),
    [
        ({"status": "done"}, "status"),
        ({"status": "success", "error_type": "jammed"}, "error_type"),
    ],
)
def test_set_action_attempt_outcome_refuses_what_is_not_an_outcome(
    fake_seam: FakeSeam, values: dict[str, Any], param: str
) -> None:
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.set_action_attempt_outcome(**values)
    assert param in refused.value.problems


def test_update_action_attempt_settles_a_pending_one(
    fake_seam: FakeSeam, seam: Seam, door: dict[str, str]
) -> None:
    fake_seam.set_action_attempt_outcome("pending")
    attempt = seam.acs.entrances.unlock(**door, wait_for_action_attempt=False)
    assert attempt.status == "pending" and attempt.result is None
    settled = fake_seam.update_action_attempt(attempt.action_attempt_id, "success")
    assert (settled["status"], settled["error"], settled["result"]) == ("success", None, {})
    assert seam.action_attempts.get(action_attempt_id=attempt.action_attempt_id).status == "success"


def test_update_action_attempt_refuses_an_error_with_success(
    fake_seam: FakeSeam, seam: Seam, door: dict[str, str]
) -> None:
    fake_seam.set_action_attempt_outcome("pending")
    attempt = seam.acs.entrances.unlock(**door, wait_for_action_attempt=False)
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.update_action_attempt(
            attempt.action_attempt_id, "success", error={"type": "x", "message": "y"}
        )
    assert "error" in refused.value.problems


def test_update_action_attempt_of_no_attempt_is_not_found(fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam), pytest.raises(NotFound) as refused:
        fake_seam.update_action_attempt("0b0e9a4c-5d6e-4f70-8192-a3b4c5d6e7f8", "success")
    assert refused.value.type == "action_attempt_not_found"


# The same over /_fake/ ------------------------------------------------------------------------


def test_the_controls_seed_and_simulate_over_http(fake_seam: FakeSeam, raw: Raw) -> None:
    site = salto(fake_seam)
    entrance = ok(raw.post("/_fake/add_acs_entrance", json={"acs_system_id": site, "display_name": "Lobby"}))
    lobby = entrance["acs_entrance"]["acs_entrance_id"]
    group = ok(
        raw.post(
            "/_fake/add_acs_access_group",
            json={"acs_system_id": site, "name": "All", "acs_entrance_ids": [lobby]},
        )
    )["acs_access_group"]
    assert group["external_type"] == "salto_ks_access_group"
    ok(raw.post("/_fake/set_action_attempt_outcome", json={"status": "pending"}))
    with unchanged(fake_seam):
        error = assert_error(
            raw.post("/_fake/add_acs_access_group", json={"acs_system_id": site, "name": ""}),
            400,
            "invalid_input",
        )
    assert "name" in error["validation_errors"]


def test_a_seeding_refusal_is_an_api_error_python_callers_can_catch(fake_seam: FakeSeam) -> None:
    # InvalidInput and NotFound are ApiErrors, and ValueErrors (NotFound a KeyError too).
    with pytest.raises(ApiError):
        fake_seam.add_acs_entrance("0b0e9a4c-5d6e-4f70-8192-a3b4c5d6e7f8", "Door")


def test_removing_by_identity_never_links_or_refuses_a_match(fake_seam: FakeSeam, seam: Seam) -> None:
    # An identity with no ACS user on the system, whose email matches an ACS user linked to
    # another identity: removing it from a group is a no-op, not a linking conflict.
    site = salto(fake_seam)
    group = fake_seam.add_acs_access_group(site, "All")["acs_access_group_id"]
    ana = fake_seam.add_acs_user(site, "Ana", email_address="ana@example.com")["acs_user_id"]
    owner = seam.user_identities.create(user_identity_key="owner")
    seam.user_identities.add_acs_user(user_identity_id=owner.user_identity_id, acs_user_id=ana)
    other = seam.user_identities.create(email_address="ana@example.com")
    with unchanged(fake_seam):
        seam.acs.access_groups.remove_user(acs_access_group_id=group, user_identity_id=other.user_identity_id)
        seam.acs.users.remove_from_access_group(
            acs_access_group_id=group, user_identity_id=other.user_identity_id
        )


@pytest.mark.parametrize("limit", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_unmanaged_acs_users_refuse_a_limit_with_no_whole_value(
    fake_seam: FakeSeam, raw: Raw, limit: str
) -> None:
    # JSON as Python reads it brings NaN and infinities (1e999 reads as one); found by
    # adversarial testing, which had them answered 500.
    body = '{"limit": ' + limit + "}"
    with unchanged(fake_seam):
        response = raw.post(
            "/acs/users/unmanaged/list", data=body, headers={"content-type": "application/json"}
        )
        error = assert_error(response, 400, "invalid_input")
    assert "limit" in error["validation_errors"]


@pytest.mark.parametrize(
    ("access_method", "code"),
    [("code", "abc"), ("code", "12"), ("card", "1234")],
)
def test_an_unmanaged_credential_code_is_a_pin_of_a_code(
    fake_seam: FakeSeam, access_method: str, code: str
) -> None:
    user = fake_seam.add_acs_user(salto(fake_seam), "Contractor", is_managed=False)["acs_user_id"]
    with unchanged(fake_seam), pytest.raises(InvalidInput) as refused:
        fake_seam.add_acs_credential(access_method, is_managed=False, acs_user_id=user, code=code)
    assert "code" in refused.value.problems
    kept = fake_seam.add_acs_credential("code", is_managed=False, acs_user_id=user, code="4321")
    assert kept["code"] == "4321"


def test_settling_an_attempt_the_same_way_again_records_nothing(
    fake_seam: FakeSeam, seam: Seam, door: dict[str, str]
) -> None:
    fake_seam.set_action_attempt_outcome("pending")
    attempt = seam.acs.entrances.unlock(**door, wait_for_action_attempt=False)
    fake_seam.update_action_attempt(attempt.action_attempt_id, "success")
    with unchanged(fake_seam):
        fake_seam.update_action_attempt(attempt.action_attempt_id, "success")
    settled = [e for e in fake_seam.events if e["event_type"] == "action_attempt.unlock_door.succeeded"]
    assert len(settled) == 1


@pytest.mark.parametrize(
    "written",
    [
        "2999-W01-1T00:00:00Z",  # an ISO week date
        "2999-01-01T00:00:00,5Z",  # a comma before the fraction
        "2999-01-01T00:00:00+00:00:30",  # an offset with seconds
        "2999-01-01 00:00:00Z",  # a space for the T
        "2999-01-01",  # a date alone
    ],
)
def test_a_time_is_an_rfc_3339_date_and_time(fake_seam: FakeSeam, seam: Seam, written: str) -> None:
    # Python's fromisoformat reads all of these; the reference's date-time format does not.
    site = salto(fake_seam)
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as refused:
        seam.acs.users.create(acs_system_id=site, full_name="Ana", access_schedule={"ends_at": written})
    assert refused.value.get_validation_error_messages("access_schedule")


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2999-01-01T00:00Z", "2999-01-01T00:00:00.000Z"),
        ("2999-01-01t00:00:00z", "2999-01-01T00:00:00.000Z"),
        ("2999-01-01T05:30:00+0530", "2999-01-01T00:00:00.000Z"),
    ],
)
def test_the_forms_rfc_3339_allows_are_read(
    fake_seam: FakeSeam, seam: Seam, written: str, stored: str
) -> None:
    user = seam.acs.users.create(
        acs_system_id=salto(fake_seam), full_name="Ana", access_schedule={"ends_at": written}
    )
    assert user.access_schedule.ends_at == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        # Fractions of any length (Python 3.10's fromisoformat reads only 3 or 6 digits),
        # rounded up to the fake's milliseconds, digits past the microsecond included.
        ("2999-01-01T00:00:00.1Z", "2999-01-01T00:00:00.100Z"),
        ("2999-01-01T00:00:00.0001Z", "2999-01-01T00:00:00.001Z"),
        ("2999-01-01T00:00:00.000000001Z", "2999-01-01T00:00:00.001Z"),
        ("2999-01-01T00:00:00-05:00", "2999-01-01T05:00:00.000Z"),
    ],
)
def test_fractions_and_offsets_are_read_the_same_on_every_python(
    fake_seam: FakeSeam, seam: Seam, written: str, stored: str
) -> None:
    user = seam.acs.users.create(
        acs_system_id=salto(fake_seam), full_name="Ana", access_schedule={"ends_at": written}
    )
    assert user.access_schedule.ends_at == stored


@pytest.mark.parametrize(
    "written", ["2999-13-01T00:00:00Z", "2999-01-01T25:00:00Z", "2999-01-01T00:00:00+24:00"]
)
def test_a_time_that_is_not_on_the_calendar_is_refused(fake_seam: FakeSeam, seam: Seam, written: str) -> None:
    site = salto(fake_seam)
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as refused:
        seam.acs.users.create(acs_system_id=site, full_name="Ana", access_schedule={"ends_at": written})
    assert refused.value.get_validation_error_messages("access_schedule")


# Found in review ---------------------------------------------------------------------------


def test_a_limit_of_four_hundred_digits_is_a_whole_number_like_any_other(
    fake_seam: FakeSeam, raw: Raw
) -> None:
    # Once a 500: reading it as a float to check it is finite overflowed.
    for path in (
        "/acs/entrances/list",
        "/action_attempts/list",
        "/acs/users/unmanaged/list",
        "/acs/users/list",
    ):
        assert ok(raw.post(path, json={"limit": 10**400})), path


def test_an_unmanaged_credential_is_seeded_in_its_users_workspace(fake_seam: FakeSeam) -> None:
    other = fake_seam.add_workspace("Other", company_name="Other Co")["workspace_id"]
    site = fake_seam.add_acs_system("Annex", workspace_id=other, external_type="salto_ks_site")[
        "acs_system_id"
    ]
    user = fake_seam.add_acs_user(site, "Contractor", is_managed=False)["acs_user_id"]
    card = fake_seam.add_acs_credential("card", is_managed=False, acs_user_id=user)
    assert card["workspace_id"] == other


def test_a_snapshot_that_reuses_a_managed_identitys_id_for_an_unmanaged_one_is_refused(
    fake_seam: FakeSeam,
) -> None:
    managed = fake_seam.add_user_identity(user_identity_key="k1")["user_identity_id"]
    fake_seam.add_user_identity(is_managed=False, email_address="walk.in@example.com")
    snapshot = fake_seam.snapshot()
    unmanaged = snapshot["workspaces"][fake_seam.workspace_id]["unmanaged_user_identities"]
    (record,) = unmanaged.values()
    record["user_identity_id"] = managed
    unmanaged.clear()
    unmanaged[managed] = record
    with unchanged(fake_seam), pytest.raises(SnapshotError, match="managed user identity has this id"):
        fake_seam.restore(snapshot)


def test_a_snapshot_with_an_errored_attempt_and_no_message_is_refused(
    fake_seam: FakeSeam, seam: Seam, door: dict[str, str]
) -> None:
    fake_seam.set_action_attempt_outcome("error", error_type="jammed")
    seam.acs.entrances.unlock(**door, wait_for_action_attempt=False)
    snapshot = fake_seam.snapshot()
    (attempt,) = snapshot["workspaces"][fake_seam.workspace_id]["action_attempts"].values()
    attempt["error_message"] = None
    with unchanged(fake_seam), pytest.raises(SnapshotError, match="error_message"):
        fake_seam.restore(snapshot)


def test_a_loaded_state_writes_the_same_snapshot_whatever_order_members_joined_in(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    # Group membership is a union: its index is written sorted, so a state loaded from a
    # snapshot (whose index is rebuilt in group order) writes that snapshot again.
    site = salto(fake_seam)
    groups = [fake_seam.add_acs_access_group(site, f"G{n}")["acs_access_group_id"] for n in range(3)]
    user = fake_seam.add_acs_user(site, "Ana")["acs_user_id"]
    for group in reversed(groups):
        seam.acs.access_groups.add_user(acs_access_group_id=group, acs_user_id=user)
    snapshot = fake_seam.snapshot()
    assert FakeSeam.from_snapshot(snapshot).snapshot() == snapshot


def test_remove_user_with_both_ids_refuses_a_user_of_another_system(fake_seam: FakeSeam, seam: Seam) -> None:
    site, other = salto(fake_seam), salto(fake_seam, "Annex")
    group = fake_seam.add_acs_access_group(site, "All")["acs_access_group_id"]
    identity = seam.user_identities.create(email_address="ana@example.com", acs_system_ids=[other])
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as refused:
        seam.acs.access_groups.remove_user(
            acs_access_group_id=group,
            acs_user_id=identity.acs_user_ids[0],
            user_identity_id=identity.user_identity_id,
        )
    assert refused.value.get_validation_error_messages("acs_user_id")


def test_deleting_an_acs_user_takes_its_unmanaged_credentials_through_an_index(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    # The credentials of other users stay; the index holds no key for a deleted user.
    site = salto(fake_seam)
    ana, bo = (fake_seam.add_acs_user(site, name)["acs_user_id"] for name in ("Ana", "Bo"))
    for user in (ana, ana, bo):
        fake_seam.add_acs_credential("card", is_managed=False, acs_user_id=user)
    seam.acs.users.delete(acs_user_id=ana)
    left = ok(raw.post("/acs/credentials/unmanaged/list", json={"acs_system_id": site}))["acs_credentials"]
    assert [c["acs_user_id"] for c in left] == [bo]
    index = fake_seam.snapshot()["workspaces"][fake_seam.workspace_id]["unmanaged_credentials_by_user"]
    assert list(index) == [bo]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/events/list", "limit"),
        ("/events/list", "unstable_offset"),
        ("/user_identities/generate_instant_key", "max_use_count"),
    ],
)
@pytest.mark.parametrize("value", ["NaN", "Infinity", "2.5", "1" + "0" * 400])
def test_every_whole_number_parameter_reads_its_value_the_same_way(
    fake_seam: FakeSeam, raw: Raw, path: str, name: str, value: str
) -> None:
    # One check (params.whole_number) for limits, offsets and counts: none of these is a
    # 500 (a value of 400 digits once overflowed a float); each has a whole value or is
    # refused naming the parameter.
    identity = fake_seam.add_user_identity(full_name="Ana")["user_identity_id"]
    fixed = (
        '"since": "2020-01-01T00:00:00Z"' if path == "/events/list" else f'"user_identity_id": "{identity}"'
    )
    body = "{" + fixed + f', "{name}": {value}' + "}"
    response = raw.post(path, data=body, headers={"content-type": "application/json"})
    if value.startswith("1"):
        assert response.status_code == 200, response.text
    else:
        error = assert_error(response, 400, "invalid_input")
        assert name in error["validation_errors"]
