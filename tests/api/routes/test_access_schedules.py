"""Access schedules: ``access_schedule`` on ``/acs/users/create`` and ``/acs/users/update``,
``starts_at``/``ends_at`` on credentials, and access schedules of groups; what they accept
and refuse, and what they do across the clock: before, during and after, what an ACS user,
a credential and an identity can open, the acs_user warning that says the user is outside
its schedule (``salto_ks_user_not_subscribed`` on Salto KS, ``acs_user_inactive``
elsewhere), and that a suspended user opens nothing.

The clock is frozen at ``NOW`` by each test, with time-machine or freezegun (the effect
tests run with both), and moved with ``move_to``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta, timezone
from typing import Any

import freezegun
import pytest
import time_machine
from access_helpers import (
    BRIVO,
    SALTO_KS,
    VISIONLINE,
    entrance,
    entrance_ids,
    fake_add_member,
    group,
    person,
)
from helpers import Raw, expect_invalid, expect_raw_invalid, new_system, new_user, seam_time, unchanged
from seam import Seam

from seam_fake import FakeSeam, InvalidInput

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=timezone.utc)
CREATE = "/acs/users/create"
UPDATE = "/acs/users/update"
CLOCKS = ("time_machine", "freezegun")


def at(hours: float) -> datetime:
    return NOW + timedelta(hours=hours)


def text(hours: float) -> str:
    """``at(hours)`` as Seam writes it."""
    return seam_time(at(hours))


def frozen(clock: str, moment: datetime) -> AbstractContextManager[Any]:
    if clock == "time_machine":
        return time_machine.travel(moment, tick=False)
    return freezegun.freeze_time(moment)


@pytest.fixture(params=CLOCKS)
def move_to(request: pytest.FixtureRequest) -> Iterator[Callable[[datetime], None]]:
    """The clock, frozen at NOW with either library; calling the fixture moves it."""
    with frozen(request.param, NOW) as traveller:
        yield traveller.move_to


@pytest.fixture
def clock() -> Iterator[Callable[[datetime], None]]:
    """The clock frozen at NOW with time-machine, for tests of validation."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller.move_to


def warnings_of(seam: Seam, acs_user_id: str) -> list[str]:
    return [w.warning_code for w in seam.acs.users.get(acs_user_id=acs_user_id).warnings]


def opened_by_user(seam: Seam, acs_user_id: str) -> list[str]:
    return entrance_ids(seam.acs.users.list_accessible_entrances(acs_user_id=acs_user_id))


def opened_by_credential(seam: Seam, acs_credential_id: str) -> list[str]:
    return entrance_ids(seam.acs.credentials.list_accessible_entrances(acs_credential_id=acs_credential_id))


def opened_by_identity(seam: Seam, user_identity_id: str) -> list[str]:
    return entrance_ids(seam.user_identities.list_accessible_entrances(user_identity_id=user_identity_id))


def site_with_group(fake: FakeSeam, kind: str = SALTO_KS) -> tuple[str, str, str]:
    """A system of ``kind`` with a lobby in a group: system, lobby and group ids."""
    system_id = new_system(fake, "Harbour", external_type=kind)
    lobby = entrance(fake, system_id, "Lobby")
    return system_id, lobby, group(fake, system_id, "Tenants", [lobby])


# Accepted ------------------------------------------------------------------------------


@pytest.mark.usefixtures("clock")
def test_create_with_a_schedule_shows_it_in_utc(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user = seam.acs.users.create(
        acs_system_id=system_id,
        full_name="New Tenant",
        access_schedule={"starts_at": "2030-06-01T15:00:00+02:00", "ends_at": text(5)},
    )
    assert user.access_schedule.starts_at == text(1)
    assert user.access_schedule.ends_at == text(5)
    again = seam.acs.users.get(acs_user_id=user.acs_user_id)
    assert (again.access_schedule.starts_at, again.access_schedule.ends_at) == (text(1), text(5))


@pytest.mark.usefixtures("clock")
def test_create_with_only_an_end_starts_now(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user = seam.acs.users.create(
        acs_system_id=system_id, full_name="Guest", access_schedule={"ends_at": text(2)}
    )
    assert (user.access_schedule.starts_at, user.access_schedule.ends_at) == (text(0), text(2))


@pytest.mark.usefixtures("clock")
def test_create_with_only_a_start_never_ends(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    system_id = new_system(fake_seam, "Harbour")
    body = {
        "acs_system_id": system_id,
        "full_name": "Guest",
        "access_schedule": {"starts_at": text(2), "ends_at": None},
    }
    response = raw.post(CREATE, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["acs_user"]["access_schedule"] == {"starts_at": text(2), "ends_at": None}


@pytest.mark.usefixtures("clock")
def test_a_user_without_a_schedule_shows_none(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user = seam.acs.users.create(acs_system_id=system_id, full_name="Resident")
    assert user.access_schedule is None


@pytest.mark.usefixtures("clock")
def test_update_sets_replaces_and_clears_the_schedule(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = new_user(fake_seam, system_id, "Tenant")
    seam.acs.users.update(acs_user_id=user_id, access_schedule={"starts_at": text(1), "ends_at": text(2)})
    schedule = seam.acs.users.get(acs_user_id=user_id).access_schedule
    assert (schedule.starts_at, schedule.ends_at) == (text(1), text(2))
    # A start in the past is kept on update: the reference asks only of the end.
    seam.acs.users.update(acs_user_id=user_id, access_schedule={"starts_at": text(-1), "ends_at": text(3)})
    schedule = seam.acs.users.get(acs_user_id=user_id).access_schedule
    assert (schedule.starts_at, schedule.ends_at) == (text(-1), text(3))
    # The same schedule again changes nothing.
    with unchanged(fake_seam):
        seam.acs.users.update(
            acs_user_id=user_id, access_schedule={"starts_at": text(-1), "ends_at": text(3)}
        )
    # null clears it (the SDK leaves out a None, so raw).
    response = raw.post(UPDATE, json={"acs_user_id": user_id, "access_schedule": None})
    assert response.status_code == 200, response.text
    assert seam.acs.users.get(acs_user_id=user_id).access_schedule is None


@pytest.mark.usefixtures("clock")
def test_update_without_a_schedule_keeps_it(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user = seam.acs.users.create(
        acs_system_id=system_id,
        full_name="Tenant",
        access_schedule={"starts_at": text(1), "ends_at": text(2)},
    )
    seam.acs.users.update(acs_user_id=user.acs_user_id, full_name="Renamed")
    after = seam.acs.users.get(acs_user_id=user.acs_user_id)
    assert after.full_name == "Renamed"
    assert (after.access_schedule.starts_at, after.access_schedule.ends_at) == (text(1), text(2))


# Refused -------------------------------------------------------------------------------

REFUSED_SCHEDULES = {
    "naive_start": ({"starts_at": "2030-06-01T13:00:00", "ends_at": "2030-06-01T15:00:00Z"}, "time zone"),
    "naive_end": ({"starts_at": "2030-06-01T13:00:00Z", "ends_at": "2030-06-01T15:00:00"}, "time zone"),
    "unparseable_start": ({"starts_at": "tomorrow at nine", "ends_at": "2030-06-01T15:00:00Z"}, "ISO 8601"),
    "unparseable_end": ({"starts_at": "2030-06-01T13:00:00Z", "ends_at": "2030-13-45T99:00:00Z"}, "ISO 8601"),
    "end_before_start": (
        {"starts_at": "2030-06-01T15:00:00Z", "ends_at": "2030-06-01T13:00:00Z"},
        "after starts_at",
    ),
    "end_at_start": (
        {"starts_at": "2030-06-01T15:00:00Z", "ends_at": "2030-06-01T17:00:00+02:00"},
        "after starts_at",
    ),
    "end_in_the_past": ({"starts_at": "2030-05-01T00:00:00Z", "ends_at": "2030-06-01T11:00:00Z"}, "future"),
    "end_now": ({"starts_at": "2030-05-01T00:00:00Z", "ends_at": "2030-06-01T12:00:00Z"}, "future"),
    "not_an_object": ("2030-06-01T13:00:00Z", "object"),
}


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("case", sorted(REFUSED_SCHEDULES))
def test_create_refuses_a_bad_schedule(fake_seam: FakeSeam, seam: Seam, case: str) -> None:
    schedule, said = REFUSED_SCHEDULES[case]
    system_id = new_system(fake_seam, "Harbour")
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.users.create(acs_system_id=system_id, full_name="Tenant", access_schedule=schedule),
        "access_schedule",
    )
    assert said in " ".join(error.get_validation_error_messages("access_schedule"))
    assert seam.acs.users.list(acs_system_id=system_id) == []


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("case", sorted(REFUSED_SCHEDULES))
def test_update_refuses_a_bad_schedule_and_changes_nothing_else(
    fake_seam: FakeSeam, seam: Seam, case: str
) -> None:
    schedule, said = REFUSED_SCHEDULES[case]
    system_id = new_system(fake_seam, "Harbour")
    user_id = new_user(fake_seam, system_id, "Tenant")
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.users.update(acs_user_id=user_id, full_name="Renamed", access_schedule=schedule),
        "access_schedule",
    )
    assert said in " ".join(error.get_validation_error_messages("access_schedule"))


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("missing", ["starts_at", "ends_at"])
def test_update_needs_both_ends_of_the_schedule(fake_seam: FakeSeam, seam: Seam, missing: str) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = new_user(fake_seam, system_id, "Tenant")
    schedule = {"starts_at": text(1), "ends_at": text(2)}
    del schedule[missing]
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.users.update(acs_user_id=user_id, access_schedule=schedule),
        "access_schedule",
    )
    assert missing in " ".join(error.get_validation_error_messages("access_schedule"))


@pytest.mark.usefixtures("clock")
def test_update_refuses_a_null_end(fake_seam: FakeSeam, raw: Raw) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = new_user(fake_seam, system_id, "Tenant")
    body = {"acs_user_id": user_id, "access_schedule": {"starts_at": text(1), "ends_at": None}}
    expect_raw_invalid(fake_seam, lambda: raw.post(UPDATE, json=body), "access_schedule")


@pytest.mark.usefixtures("clock")
def test_credentials_refuse_a_bad_window(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = new_user(fake_seam, system_id, "Tenant")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="card", acs_user_id=user_id, starts_at=text(2), ends_at=text(1)
        ),
        "ends_at",
    )
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="card", acs_user_id=user_id, starts_at="2030-06-01T13:00:00"
        ),
        "starts_at",
    )


@pytest.mark.usefixtures("clock")
def test_a_group_refuses_a_bad_schedule(fake_seam: FakeSeam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
        fake_seam.add_acs_access_group(
            system_id, "Night shift", access_schedule={"starts_at": text(2), "ends_at": text(1)}
        )
    assert "access_schedule" in str(info.value)


# Across the clock ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "warning"), [(SALTO_KS, "salto_ks_user_not_subscribed"), (BRIVO, "acs_user_inactive")]
)
def test_a_user_opens_its_groups_entrances_only_within_its_schedule(
    fake_seam: FakeSeam, seam: Seam, move_to: Callable[[datetime], None], kind: str, warning: str
) -> None:
    system_id, lobby, group_id = site_with_group(fake_seam, kind)
    identity = seam.user_identities.create(email_address="tenant@example.com")
    user = seam.acs.users.create(
        acs_system_id=system_id,
        full_name="New Tenant",
        user_identity_id=identity.user_identity_id,
        access_schedule={"starts_at": text(1), "ends_at": text(3)},
        acs_access_group_ids=[group_id],
    )
    key = fake_seam.add_acs_credential("card", acs_user_id=user.acs_user_id)["acs_credential_id"]

    def opened() -> tuple[list[str], list[str], list[str]]:
        return (
            opened_by_user(seam, user.acs_user_id),
            opened_by_credential(seam, key),
            opened_by_identity(seam, identity.user_identity_id),
        )

    # Before.
    assert opened() == ([], [], [])
    (before,) = seam.acs.users.get(acs_user_id=user.acs_user_id).warnings
    assert before.warning_code == warning
    assert text(1) in before.message
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=lobby) == []
    # During.
    move_to(at(1))
    assert opened() == ([lobby], [lobby], [lobby])
    assert warnings_of(seam, user.acs_user_id) == []
    assert [
        c.acs_credential_id for c in seam.acs.entrances.list_credentials_with_access(acs_entrance_id=lobby)
    ] == [key]
    move_to(at(3) - timedelta(milliseconds=1))
    assert opened() == ([lobby], [lobby], [lobby])
    # After: the end is excluded.
    move_to(at(3))
    assert opened() == ([], [], [])
    (after,) = seam.acs.users.get(acs_user_id=user.acs_user_id).warnings
    assert after.warning_code == warning
    assert after.created_at == text(3)
    assert text(3) in after.message


def test_a_schedule_set_by_update_takes_effect(
    fake_seam: FakeSeam, seam: Seam, move_to: Callable[[datetime], None]
) -> None:
    system_id, lobby, group_id = site_with_group(fake_seam)
    user_id = new_user(fake_seam, system_id, "Tenant")
    fake_add_member(fake_seam, group_id, user_id)
    assert opened_by_user(seam, user_id) == [lobby]
    seam.acs.users.update(acs_user_id=user_id, access_schedule={"starts_at": text(1), "ends_at": text(2)})
    assert opened_by_user(seam, user_id) == []
    assert warnings_of(seam, user_id) == ["salto_ks_user_not_subscribed"]
    move_to(at(1.5))
    assert opened_by_user(seam, user_id) == [lobby]
    move_to(at(2.5))
    assert opened_by_user(seam, user_id) == []


def test_clearing_the_schedule_restores_access(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, move_to: Callable[[datetime], None]
) -> None:
    system_id, lobby, group_id = site_with_group(fake_seam)
    user = seam.acs.users.create(
        acs_system_id=system_id,
        full_name="Tenant",
        access_schedule={"starts_at": text(1), "ends_at": text(2)},
        acs_access_group_ids=[group_id],
    )
    assert opened_by_user(seam, user.acs_user_id) == []
    response = raw.post(UPDATE, json={"acs_user_id": user.acs_user_id, "access_schedule": None})
    assert response.status_code == 200, response.text
    assert opened_by_user(seam, user.acs_user_id) == [lobby]
    assert warnings_of(seam, user.acs_user_id) == []
    move_to(at(5))
    assert opened_by_user(seam, user.acs_user_id) == [lobby]


def test_a_suspended_user_opens_nothing_even_within_its_schedule(
    fake_seam: FakeSeam, seam: Seam, move_to: Callable[[datetime], None]
) -> None:
    system_id, lobby, group_id = site_with_group(fake_seam)
    jane = person(fake_seam, system_id)
    fake_add_member(fake_seam, group_id, jane.acs_user_id)
    seam.acs.users.update(
        acs_user_id=jane.acs_user_id, access_schedule={"starts_at": text(1), "ends_at": text(2)}
    )
    key = fake_seam.add_acs_credential("cloud_key", acs_user_id=jane.acs_user_id)["acs_credential_id"]
    move_to(at(1.5))
    seam.acs.users.suspend(acs_user_id=jane.acs_user_id)
    assert opened_by_user(seam, jane.acs_user_id) == []
    assert opened_by_credential(seam, key) == []
    assert opened_by_identity(seam, jane.identity_id) == []
    seam.acs.users.unsuspend(acs_user_id=jane.acs_user_id)
    assert opened_by_user(seam, jane.acs_user_id) == [lobby]


def test_a_credential_opens_its_entrances_only_within_its_window(
    fake_seam: FakeSeam, seam: Seam, move_to: Callable[[datetime], None]
) -> None:
    system_id = new_system(fake_seam, "Grand Hotel", external_type=VISIONLINE)
    room = entrance(fake_seam, system_id, "Room 101")
    spa = entrance(fake_seam, system_id, "Spa")
    guest = person(fake_seam, system_id)
    seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=guest.acs_user_id)
    card = seam.acs.credentials.create(
        access_method="card",
        acs_user_id=guest.acs_user_id,
        allowed_acs_entrance_ids=[spa],
        starts_at=text(1),
        ends_at=text(2),
    )
    # Before: the user's grant holds; the credential (and its spa) do not.
    assert opened_by_user(seam, guest.acs_user_id) == [room]
    assert opened_by_credential(seam, card.acs_credential_id) == []
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=spa) == []
    move_to(at(1))
    assert opened_by_user(seam, guest.acs_user_id) == [room, spa]
    assert opened_by_credential(seam, card.acs_credential_id) == [room, spa]
    assert opened_by_identity(seam, guest.identity_id) == [room, spa]
    move_to(at(2))
    assert opened_by_user(seam, guest.acs_user_id) == [room]
    assert opened_by_credential(seam, card.acs_credential_id) == []
    # A credential's window implies no warning on its user.
    assert warnings_of(seam, guest.acs_user_id) == []


def test_a_credential_of_a_user_outside_its_schedule_opens_nothing(
    fake_seam: FakeSeam, seam: Seam, move_to: Callable[[datetime], None]
) -> None:
    system_id = new_system(fake_seam, "Grand Hotel", external_type=VISIONLINE)
    spa = entrance(fake_seam, system_id, "Spa")
    user = seam.acs.users.create(
        acs_system_id=system_id, full_name="Guest", access_schedule={"starts_at": text(1), "ends_at": text(2)}
    )
    card = fake_seam.add_acs_credential("card", acs_user_id=user.acs_user_id, allowed_acs_entrance_ids=[spa])
    assert opened_by_credential(seam, card["acs_credential_id"]) == []
    assert warnings_of(seam, user.acs_user_id) == ["acs_user_inactive"]
    move_to(at(1))
    assert opened_by_credential(seam, card["acs_credential_id"]) == [spa]
    assert warnings_of(seam, user.acs_user_id) == []


def test_a_group_gives_access_only_within_its_schedule(
    fake_seam: FakeSeam, seam: Seam, move_to: Callable[[datetime], None]
) -> None:
    system_id = new_system(fake_seam, "Harbour")
    lobby = entrance(fake_seam, system_id, "Lobby")
    pool = entrance(fake_seam, system_id, "Pool")
    always = group(fake_seam, system_id, "Residents", [lobby])
    night = fake_seam.add_acs_access_group(
        system_id,
        "Night swim",
        acs_entrance_ids=[pool],
        access_schedule={"starts_at": text(8), "ends_at": text(10)},
    )
    assert night["access_schedule"] == {"starts_at": text(8), "ends_at": text(10)}
    user_id = new_user(fake_seam, system_id, "Resident")
    for group_id in (always, night["acs_access_group_id"]):
        fake_add_member(fake_seam, group_id, user_id)
    assert opened_by_user(seam, user_id) == [lobby]
    # The group's own entrances do not depend on the clock; nor do the user's warnings.
    assert entrance_ids(
        seam.acs.access_groups.list_accessible_entrances(acs_access_group_id=night["acs_access_group_id"])
    ) == [pool]
    assert warnings_of(seam, user_id) == []
    move_to(at(9))
    assert opened_by_user(seam, user_id) == [lobby, pool]
    move_to(at(10))
    assert opened_by_user(seam, user_id) == [lobby]


def test_a_simulated_warning_is_shown_beside_the_schedules(
    fake_seam: FakeSeam, seam: Seam, move_to: Callable[[datetime], None]
) -> None:
    system_id, _, _ = site_with_group(fake_seam)
    user = seam.acs.users.create(
        acs_system_id=system_id,
        full_name="Tenant",
        access_schedule={"starts_at": text(1), "ends_at": text(2)},
    )
    returned = fake_seam.simulate_acs_user_warning(user.acs_user_id, "unknown_issue_with_acs_user", "Odd.")
    assert [w["warning_code"] for w in returned["warnings"]] == [
        "unknown_issue_with_acs_user",
        "salto_ks_user_not_subscribed",
    ]
    move_to(at(1.5))
    (only,) = seam.acs.users.get(acs_user_id=user.acs_user_id).warnings
    assert (only.warning_code, only.message) == ("unknown_issue_with_acs_user", "Odd.")


@pytest.mark.usefixtures("clock")
def test_a_simulated_schedule_warning_is_not_shown_twice(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id, _, _ = site_with_group(fake_seam)
    user = seam.acs.users.create(
        acs_system_id=system_id,
        full_name="Tenant",
        access_schedule={"starts_at": text(1), "ends_at": text(2)},
    )
    fake_seam.simulate_acs_user_warning(user.acs_user_id, "salto_ks_user_not_subscribed", "Set by the test.")
    (only,) = seam.acs.users.get(acs_user_id=user.acs_user_id).warnings
    assert (only.warning_code, only.message) == ("salto_ks_user_not_subscribed", "Set by the test.")


@pytest.mark.usefixtures("clock")
def test_simulate_acs_user_warning_refuses_an_unknown_code(fake_seam: FakeSeam, raw: Raw) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = new_user(fake_seam, system_id, "Tenant")
    body = {"acs_user_id": user_id, "warning_code": "feeling_unwell"}
    expect_raw_invalid(
        fake_seam, lambda: raw.post("/_fake/simulate_acs_user_warning", json=body), "warning_code"
    )
