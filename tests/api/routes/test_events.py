"""Events: /events/list, /events/get and ``FakeSeam.events``, and which actions record which
events (docs/fidelity.md, "Events").

Most cases read one history, made with a frozen clock so that every step has its own exact
instant: the fake records ``acs_user.created`` (an ACS user made by the API),
``acs_credential.issued``, ``.invalidated``, ``.deleted``, ``phone.deactivated``,
``client_session.deleted`` and ``acs_user.deleted`` on the way. Through the real ``seam``
SDK, and plain requests where the SDK cannot go or to see the exact bodies.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from helpers import (
    Raw,
    assert_error,
    expect_api_error,
    expect_invalid,
    expect_raw_invalid,
    ok,
    read_ok,
    seam_time,
    unchanged,
)
from seam import AsyncSeam, Seam

from seam_fake import FakeSeam

# Many cases build a Seam client: share one SSL context (see conftest.py).

METHODS = ("get", "post")
LIST = "/events/list"
GET = "/events/get"
EVER = "2000-01-01T00:00:00.000Z"
BASE = datetime(2031, 3, 4, 5, 6, 0, tzinfo=timezone.utc)
ACCOUNT_A = "1b0c2a8e-6c55-4b38-9d0e-2f4a6e7b8c01"
ACCOUNT_B = "2c1d3b9f-7d66-4c49-8e1f-3a5b7f8c9d02"

COMMON = {"event_id", "workspace_id", "created_at", "occurred_at", "event_type", "event_description"}
# Each recorded type's own fields, as the reference's event variants give them.
TYPE_FIELDS = {
    "acs_user.created": {"acs_system_id", "acs_user_id", "connected_account_id"},
    "acs_user.deleted": {"acs_system_id", "acs_user_id", "connected_account_id"},
    "acs_credential.issued": {"acs_system_id", "acs_credential_id", "connected_account_id"},
    "acs_credential.reissued": {"acs_system_id", "acs_credential_id", "connected_account_id"},
    "acs_credential.invalidated": {"acs_system_id", "acs_credential_id", "connected_account_id"},
    "acs_credential.deleted": {"acs_system_id", "acs_credential_id", "connected_account_id"},
    "phone.deactivated": {"device_id", "device_custom_metadata"},
    "client_session.deleted": {"client_session_id"},
}


def at(step: int) -> datetime:
    """The instant of step ``step`` of a history: whole seconds after BASE."""
    return BASE + timedelta(seconds=step)


def ms(moment: datetime, milliseconds: float = 0) -> str:
    """``moment`` moved by ``milliseconds`` (fractions allowed), written with microseconds."""
    moved = moment + timedelta(milliseconds=milliseconds)
    return moved.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


# The history ---------------------------------------------------------------------------


@dataclass
class History:
    """Two Salto KS sites on two connected accounts, and what happened on them.

    ``events`` holds the ids of the events, oldest first; ``steps`` the step at which each
    happened (each step at its own whole second, see ``at``).
    """

    system_a: str
    system_b: str
    ann: str  # an ACS user made by the API on A, without identity
    jane: str  # a user identity, given a new ACS user on B
    jane_user: str
    code: str  # Ann's code on A
    key: str  # Jane's mobile key on B
    copy: str  # its copy on Jane's phone
    phone: str
    session: str  # Jane's deleted client session
    events: list[str] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)

    def ids(self, *indexes: int) -> list[str]:
        """Event ids by their 1-based place in the history (E1, E2...)."""
        return [self.events[i - 1] for i in indexes]


EVENT_TYPES = [
    "acs_user.created",  # E1 Ann, step 1
    "acs_user.created",  # E2 Jane's user, step 2
    "acs_credential.issued",  # E3 the code, step 3
    "acs_credential.issued",  # E4 the copy, step 5
    "acs_credential.issued",  # E5 the key, step 5
    "acs_credential.invalidated",  # E6 the copy, step 6
    "acs_credential.deleted",  # E7 the copy, step 6
    "phone.deactivated",  # E8 step 6
    "client_session.deleted",  # E9 step 7
    "acs_credential.deleted",  # E10 the code, step 8
    "acs_user.deleted",  # E11 Ann, step 8
]
STEPS = [1, 2, 3, 5, 5, 6, 6, 6, 7, 8, 8]


def make_history(fake: FakeSeam, seam: Seam) -> History:
    with time_machine.travel(at(0), tick=False) as clock:
        system_a = fake.add_acs_system("Harbour Salto Site", connected_account_id=ACCOUNT_A)["acs_system_id"]
        system_b = fake.add_acs_system("Hill Salto Site", connected_account_id=ACCOUNT_B)["acs_system_id"]
        clock.move_to(at(1))
        ann = seam.acs.users.create(acs_system_id=system_a, full_name="Ann Ash").acs_user_id
        clock.move_to(at(2))
        identity = fake.add_user_identity(
            user_identity_key="jane", email_address="jane@example.com", acs_system_ids=[system_b]
        )
        (jane_user,) = identity["acs_user_ids"]
        clock.move_to(at(3))
        code = fake.add_acs_credential("code", acs_user_id=ann)["acs_credential_id"]
        clock.move_to(at(4))
        key = fake.add_acs_credential(
            "mobile_key",
            user_identity_id=identity["user_identity_id"],
            acs_system_id=system_b,
            is_multi_phone_sync_credential=True,
        )["acs_credential_id"]
        clock.move_to(at(5))
        phone = seam.phones.simulate.create_sandbox_phone(user_identity_id=identity["user_identity_id"])
        (copy,) = [
            c.acs_credential_id
            for c in seam.acs.credentials.list(user_identity_id=identity["user_identity_id"])
            if c.parent_acs_credential_id == key
        ]
        clock.move_to(at(6))
        seam.phones.deactivate(device_id=phone.device_id)
        clock.move_to(at(7))
        session = fake.add_client_session(user_identity_id=identity["user_identity_id"])["client_session_id"]
        seam.client_sessions.delete(client_session_id=session)
        clock.move_to(at(8))
        seam.acs.users.delete(acs_user_id=ann)
    history = History(
        system_a,
        system_b,
        ann,
        identity["user_identity_id"],
        jane_user,
        code,
        key,
        copy,
        phone.device_id,
        session,
    )
    recorded = fake.events
    assert [e["event_type"] for e in recorded] == EVENT_TYPES
    history.events = [e["event_id"] for e in recorded]
    history.steps = STEPS
    return history


@pytest.fixture
def history(fake_seam: FakeSeam, seam: Seam) -> History:
    return make_history(fake_seam, seam)


def listed(raw: Raw, params: dict[str, Any], method: str = "post", key: str | None = None) -> list[str]:
    """The ids /events/list answers, over raw HTTP (schema-checked by the conftest)."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if method == "get":
        response = raw.get(LIST, params=params, headers=headers)
    else:
        response = raw.post(LIST, json=params, headers=headers)
    return [event["event_id"] for event in ok(response)["events"]]


def sdk_listed(seam: Seam, **params: Any) -> list[str]:
    return [event.event_id for event in seam.events.list(**params)]


# since and between ---------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_list_needs_since_or_between(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, history: History, method: str
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.read(method, LIST, {}), "since")
    expect_invalid(fake_seam, lambda: seam.events.list(event_type="acs_user.created"), "since")
    expect_invalid(fake_seam, lambda: seam.events.list(user_identity_id=history.jane, limit=5), "since")


def test_list_with_nothing_is_refused_by_the_sdk_itself(seam: Seam) -> None:
    with pytest.raises(ValueError, match="At least one parameter"):
        seam.events.list()


def test_list_refuses_since_with_between(fake_seam: FakeSeam, seam: Seam, history: History) -> None:
    expect_invalid(fake_seam, lambda: seam.events.list(since=EVER, between=[EVER, ms(at(9))]), "since")


@pytest.mark.parametrize("method", METHODS)
def test_list_since_the_beginning_has_everything_oldest_first(
    raw: Raw, seam: Seam, history: History, method: str
) -> None:
    assert listed(raw, {"since": EVER}, method) == history.events
    assert sdk_listed(seam, since=EVER) == history.events


def test_since_excludes_its_end(seam: Seam, history: History) -> None:
    # E3 happened at step 3, exactly.
    assert sdk_listed(seam, since=seam_time(at(3))) == history.ids(4, 5, 6, 7, 8, 9, 10, 11)
    assert sdk_listed(seam, since=seam_time(at(3) - timedelta(milliseconds=1))) == history.ids(
        3, 4, 5, 6, 7, 8, 9, 10, 11
    )
    assert sdk_listed(seam, since=seam_time(at(8))) == []
    assert sdk_listed(seam, since=seam_time(at(8) - timedelta(milliseconds=1))) == history.ids(10, 11)


def test_between_excludes_both_ends(seam: Seam, history: History) -> None:
    assert sdk_listed(seam, between=[seam_time(at(3)), seam_time(at(6))]) == history.ids(4, 5)
    widened = [seam_time(at(3) - timedelta(milliseconds=1)), seam_time(at(6) + timedelta(milliseconds=1))]
    assert sdk_listed(seam, between=widened) == history.ids(3, 4, 5, 6, 7, 8)
    assert sdk_listed(seam, between=[seam_time(at(5)), seam_time(at(5))]) == []
    # Backwards: nothing is after the first and before the second.
    assert sdk_listed(seam, between=[seam_time(at(8)), seam_time(at(1))]) == []


def test_since_in_another_time_zone(seam: Seam, history: History) -> None:
    east = timezone(timedelta(hours=2))
    west = timezone(timedelta(hours=-5))
    just_before = (at(3) - timedelta(milliseconds=1)).astimezone(east).isoformat(timespec="milliseconds")
    exactly = at(3).astimezone(west).isoformat(timespec="milliseconds")
    assert just_before.endswith("+02:00") and exactly.endswith("-05:00")
    assert sdk_listed(seam, since=just_before)[0] == history.ids(3)[0]
    assert sdk_listed(seam, since=exactly)[0] == history.ids(4)[0]


def test_since_with_microseconds_excludes_only_what_is_not_after_it(seam: Seam, history: History) -> None:
    # E3 happened at step 3: half a millisecond before that is before E3, so E3 is after it.
    assert sdk_listed(seam, since=ms(at(3), -0.5)) == history.ids(3, 4, 5, 6, 7, 8, 9, 10, 11)
    assert sdk_listed(seam, since=ms(at(3), 0.5)) == history.ids(4, 5, 6, 7, 8, 9, 10, 11)


def test_between_with_microseconds_at_either_end(seam: Seam, history: History) -> None:
    assert sdk_listed(seam, between=[ms(at(3), -0.5), ms(at(5), 0.5)]) == history.ids(3, 4, 5)
    assert sdk_listed(seam, between=[ms(at(3), 0.5), ms(at(5), -0.5)]) == []


@pytest.mark.parametrize(
    "between",
    [[], [EVER], [EVER, EVER, EVER]],
    ids=["none", "one", "three"],
)
def test_between_needs_two_items(
    fake_seam: FakeSeam, seam: Seam, history: History, between: list[str]
) -> None:
    expect_invalid(fake_seam, lambda: seam.events.list(between=between), "between")


@pytest.mark.parametrize("between", [[EVER, "tomorrow"], ["2031-03-04T05:06:00", EVER], [EVER, 5]])
def test_between_items_must_be_times_with_a_zone(
    fake_seam: FakeSeam, raw: Raw, history: History, between: list[Any]
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST, json={"between": between}), "between")


@pytest.mark.parametrize("since", ["yesterday", "2031-03-04T05:06:00", "", 1700000000])
def test_since_must_be_a_time_with_a_zone(
    fake_seam: FakeSeam, raw: Raw, history: History, since: Any
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST, json={"since": since}), "since")


# Types -----------------------------------------------------------------------------------


def test_list_by_event_type(seam: Seam, history: History) -> None:
    assert sdk_listed(seam, since=EVER, event_type="acs_user.created") == history.ids(1, 2)
    assert sdk_listed(seam, since=EVER, event_type="acs_credential.issued") == history.ids(3, 4, 5)
    assert sdk_listed(seam, since=EVER, event_type="phone.deactivated") == history.ids(8)
    # A type of Seam's that the fake never records.
    assert sdk_listed(seam, since=EVER, event_type="lock.unlocked") == []


def test_list_by_event_types(seam: Seam, history: History) -> None:
    types = ["client_session.deleted", "acs_credential.deleted"]
    assert sdk_listed(seam, since=EVER, event_types=types) == history.ids(7, 9, 10)
    assert sdk_listed(seam, since=EVER, event_types=["acs_user.deleted"]) == history.ids(11)


@pytest.mark.parametrize("param", ["event_type", "event_types"])
@pytest.mark.parametrize("unknown", ["acs_user.renamed", "ACS_USER.CREATED", "lock"])
def test_an_unknown_event_type_is_invalid(
    fake_seam: FakeSeam, seam: Seam, history: History, param: str, unknown: str
) -> None:
    value: Any = unknown if param == "event_type" else ["acs_user.created", unknown]
    expect_invalid(fake_seam, lambda: seam.events.list(since=EVER, **{param: value}), param)


def test_an_unknown_event_type_beside_known_event_types_names_event_type(
    fake_seam: FakeSeam, seam: Seam, history: History
) -> None:
    error = expect_invalid(
        fake_seam,
        lambda: seam.events.list(since=EVER, event_type="acs_user.renamed", event_types=["acs_user.created"]),
        "event_type",
    )
    assert not error.get_validation_error_messages("event_types")


# Filters ---------------------------------------------------------------------------------


def filter_cases(h: History) -> dict[str, tuple[dict[str, Any], list[int]]]:
    return {
        "acs_user_id_ann": ({"acs_user_id": h.ann}, [1, 11]),
        "acs_user_id_jane": ({"acs_user_id": h.jane_user}, [2]),
        "acs_credential_id_code": ({"acs_credential_id": h.code}, [3, 10]),
        "acs_credential_id_copy": ({"acs_credential_id": h.copy}, [4, 6, 7]),
        "acs_credential_id_key": ({"acs_credential_id": h.key}, [5]),
        "acs_system_id_a": ({"acs_system_id": h.system_a}, [1, 3, 10, 11]),
        "acs_system_id_b": ({"acs_system_id": h.system_b}, [2, 4, 5, 6, 7]),
        "acs_system_ids_a": ({"acs_system_ids": [h.system_a]}, [1, 3, 10, 11]),
        "acs_system_ids_both": ({"acs_system_ids": [h.system_b, h.system_a]}, [1, 2, 3, 4, 5, 6, 7, 10, 11]),
        "user_identity_id": ({"user_identity_id": h.jane}, [2, 4, 5, 6, 7, 8, 9]),
        "device_id": ({"device_id": h.phone}, [8]),
        "device_ids": ({"device_ids": [h.phone, str(uuid.UUID(int=5))]}, [8]),
        "event_ids": ({"event_ids": [h.events[7], h.events[2]]}, [3, 8]),
        "connected_account_id_a": ({"connected_account_id": ACCOUNT_A}, [1, 3, 10, 11]),
        "connected_account_id_b": ({"connected_account_id": ACCOUNT_B}, [2, 4, 5, 6, 7]),
        "unknown_acs_user": ({"acs_user_id": str(uuid.UUID(int=7))}, []),
        "two_filters": ({"acs_system_id": h.system_b, "event_type": "acs_credential.issued"}, [4, 5]),
        "identity_and_type": ({"user_identity_id": h.jane, "event_types": ["phone.deactivated"]}, [8]),
    }


FILTER_CASES = [
    "acs_user_id_ann",
    "acs_user_id_jane",
    "acs_credential_id_code",
    "acs_credential_id_copy",
    "acs_credential_id_key",
    "acs_system_id_a",
    "acs_system_id_b",
    "acs_system_ids_a",
    "acs_system_ids_both",
    "user_identity_id",
    "device_id",
    "device_ids",
    "event_ids",
    "connected_account_id_a",
    "connected_account_id_b",
    "unknown_acs_user",
    "two_filters",
    "identity_and_type",
]


@pytest.mark.parametrize("case", FILTER_CASES)
def test_list_filters(fake_seam: FakeSeam, seam: Seam, raw: Raw, history: History, case: str) -> None:
    params, expected = filter_cases(history)[case]
    assert sdk_listed(seam, since=EVER, **params) == history.ids(*expected)
    assert listed(raw, {"since": EVER, **params}) == history.ids(*expected)


def test_filters_by_id_match_the_field_of_that_name(
    fake_seam: FakeSeam, seam: Seam, history: History
) -> None:
    everything = fake_seam.events
    for name in ("acs_user_id", "acs_credential_id", "acs_system_id", "device_id", "connected_account_id"):
        for value in {e[name] for e in everything if name in e}:
            expected = [e["event_id"] for e in everything if e.get(name) == value]
            assert sdk_listed(seam, since=EVER, **{name: value}) == expected, (name, value)


@pytest.mark.parametrize(
    "param", ["acs_user_id", "acs_credential_id", "acs_system_id", "user_identity_id", "device_id"]
)
def test_id_filters_must_be_uuids(fake_seam: FakeSeam, raw: Raw, history: History, param: str) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST, json={"since": EVER, param: "jane"}), param)


@pytest.mark.parametrize("param", ["acs_system_ids", "event_ids", "device_ids"])
def test_id_list_filters_must_be_uuid_lists(
    fake_seam: FakeSeam, raw: Raw, history: History, param: str
) -> None:
    for value in (["jane"], "jane"):
        expect_raw_invalid(fake_seam, lambda v=value: raw.post(LIST, json={"since": EVER, param: v}), param)


def test_customer_key_is_unsupported(fake_seam: FakeSeam, seam: Seam, history: History) -> None:
    expect_api_error(
        fake_seam, 400, "unsupported_by_seam_fake", lambda: seam.events.list(since=EVER, customer_key="acme")
    )


# limit and unstable_offset ---------------------------------------------------------------


def test_limit_and_offset_page_oldest_first(seam: Seam, raw: Raw, history: History) -> None:
    assert sdk_listed(seam, since=EVER, limit=3) == history.ids(1, 2, 3)
    assert sdk_listed(seam, since=EVER, limit=3, unstable_offset=3) == history.ids(4, 5, 6)
    assert sdk_listed(seam, since=EVER, unstable_offset=9) == history.ids(10, 11)
    assert sdk_listed(seam, since=EVER, limit=100, unstable_offset=10) == history.ids(11)
    assert sdk_listed(seam, since=EVER, unstable_offset=11) == []
    assert sdk_listed(seam, since=EVER, unstable_offset=0) == history.events
    # After the filters: the second and third ACS credential event.
    assert sdk_listed(seam, since=EVER, event_type="acs_credential.issued", limit=2, unstable_offset=1) == (
        history.ids(4, 5)
    )
    # Whole numbers written as floats are whole numbers.
    assert listed(raw, {"since": EVER, "limit": 2.0, "unstable_offset": 1.0}) == history.ids(2, 3)


def test_limit_is_500_by_default(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    system = fake_seam.add_acs_system("Harbour Salto Site")["acs_system_id"]
    for index in range(501):
        # Each identity is given a new ACS user: one acs_user.created each.
        fake_seam.add_user_identity(user_identity_key=f"person-{index:03d}", acs_system_ids=[system])
    everything = [e["event_id"] for e in fake_seam.events]
    assert len(everything) == 501
    # One full page only: the conftest checks each answer against the schema, ~3 s for 500 events.
    assert sdk_listed(seam, since=EVER) == everything[:500]
    assert sdk_listed(seam, since=EVER, unstable_offset=500) == everything[500:]
    assert listed(raw, {"since": EVER, "limit": 501, "unstable_offset": 499}, "get") == everything[499:]


@pytest.mark.parametrize("limit", [1.5, 0, -1, 0.5])
def test_limit_must_be_a_whole_number_of_at_least_1(
    fake_seam: FakeSeam, seam: Seam, history: History, limit: float
) -> None:
    expect_invalid(fake_seam, lambda: seam.events.list(since=EVER, limit=limit), "limit")


@pytest.mark.parametrize("offset", [1.5, -1])
def test_unstable_offset_must_be_a_whole_number_of_at_least_0(
    fake_seam: FakeSeam, seam: Seam, history: History, offset: float
) -> None:
    expect_invalid(fake_seam, lambda: seam.events.list(since=EVER, unstable_offset=offset), "unstable_offset")


@pytest.mark.parametrize("param", ["limit", "unstable_offset"])
def test_limit_and_offset_must_be_numbers(
    fake_seam: FakeSeam, raw: Raw, history: History, param: str
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST, json={"since": EVER, param: "ten"}), param)


# The bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_each_event_has_its_types_fields(
    fake_seam: FakeSeam, raw: Raw, history: History, method: str
) -> None:
    events = read_ok(raw, method, LIST, {"since": EVER})["events"]
    assert [e["event_type"] for e in events] == EVENT_TYPES
    for event, step in zip(events, history.steps, strict=True):
        assert set(event) == COMMON | TYPE_FIELDS[event["event_type"]], event
        uuid.UUID(event["event_id"])
        assert event["workspace_id"] == fake_seam.workspace_id
        # The frozen clock of the step it happened at.
        assert event["occurred_at"] == event["created_at"] == seam_time(at(step))
        assert isinstance(event["event_description"], str) and event["event_description"]
    e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11 = events
    account_a = {"acs_system_id": history.system_a, "connected_account_id": ACCOUNT_A}
    account_b = {"acs_system_id": history.system_b, "connected_account_id": ACCOUNT_B}
    assert e1 | account_a == e1 and e1["acs_user_id"] == history.ann
    assert e2 | account_b == e2 and e2["acs_user_id"] == history.jane_user
    assert e3 | account_a == e3 and e3["acs_credential_id"] == history.code
    assert e4 | account_b == e4 and e4["acs_credential_id"] == history.copy
    assert e5 | account_b == e5 and e5["acs_credential_id"] == history.key
    assert e6 | account_b == e6 and e6["acs_credential_id"] == history.copy
    assert e7 | account_b == e7 and e7["acs_credential_id"] == history.copy
    assert (e8["device_id"], e8["device_custom_metadata"]) == (history.phone, {})
    assert e9["client_session_id"] == history.session
    assert e10 | account_a == e10 and e10["acs_credential_id"] == history.code
    assert e11 | account_a == e11 and e11["acs_user_id"] == history.ann
    # One description per type.
    by_type: dict[str, set[str]] = {}
    for event in events:
        by_type.setdefault(event["event_type"], set()).add(event["event_description"])
    assert all(len(descriptions) == 1 for descriptions in by_type.values())


def test_the_sdk_reads_each_event_as_its_variant(seam: Seam, history: History) -> None:
    events = seam.events.list(since=EVER)
    assert [type(e).__name__ for e in events] == [
        "AcsUserCreatedEvent",
        "AcsUserCreatedEvent",
        "AcsCredentialIssuedEvent",
        "AcsCredentialIssuedEvent",
        "AcsCredentialIssuedEvent",
        "AcsCredentialInvalidatedEvent",
        "AcsCredentialDeletedEvent",
        "PhoneDeactivatedEvent",
        "ClientSessionDeletedEvent",
        "AcsCredentialDeletedEvent",
        "AcsUserDeletedEvent",
    ]
    assert events[7].device_id == history.phone
    assert events[0].acs_user_id == history.ann


def test_fake_events_equal_what_the_list_answers(fake_seam: FakeSeam, raw: Raw, history: History) -> None:
    body = ok(raw.post(LIST, json={"since": EVER}))
    assert fake_seam.events == body["events"]


def test_fake_events_of_a_new_fake_are_empty(fake_seam: FakeSeam, seam: Seam) -> None:
    assert fake_seam.events == []
    assert seam.events.list(since=EVER) == []


# Workspaces and client sessions ----------------------------------------------------------


def other_workspace_with_events(fake: FakeSeam) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A second workspace where an identity got a new ACS user and lost a phone."""
    other = fake.add_workspace(name="Other")
    system = fake.add_acs_system("Harbour Salto Site", workspace_id=other["workspace_id"])["acs_system_id"]
    identity = fake.add_user_identity(
        user_identity_key="olga", acs_system_ids=[system], workspace_id=other["workspace_id"]
    )["user_identity_id"]
    device_id = fake.add_phone(identity)["device_id"]
    headers = {"Authorization": f"Bearer {other['api_key']}"}
    Raw(fake).post("/phones/deactivate", json={"device_id": device_id}, headers=headers)
    response = Raw(fake).post(LIST, json={"since": EVER}, headers=headers)
    return other, ok(response)["events"]


def test_another_workspaces_events_never_appear(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, history: History
) -> None:
    other, theirs = other_workspace_with_events(fake_seam)
    assert [e["event_type"] for e in theirs] == ["acs_user.created", "phone.deactivated"]
    assert {e["workspace_id"] for e in theirs} == {other["workspace_id"]}
    assert sdk_listed(seam, since=EVER) == history.events
    assert sdk_listed(seam, since=EVER, event_ids=[e["event_id"] for e in theirs]) == []
    assert sdk_listed(seam, since=EVER, device_id=theirs[1]["device_id"]) == []
    assert [e["event_id"] for e in fake_seam.events] == history.events
    for event in theirs:
        expect_api_error(
            fake_seam, 404, "event_not_found", lambda e=event: seam.events.get(event_id=e["event_id"])
        )
    expect_api_error(
        fake_seam, 404, "event_not_found", lambda: seam.events.get(device_id=theirs[1]["device_id"])
    )


def test_a_workspace_without_events_sees_none_of_anothers(fake_seam: FakeSeam, seam: Seam) -> None:
    other_workspace_with_events(fake_seam)
    assert seam.events.list(since=EVER) == []
    assert fake_seam.events == []
    expect_api_error(
        fake_seam, 404, "event_not_found", lambda: seam.events.get(event_type="phone.deactivated")
    )


def test_a_client_session_sees_its_identitys_events(fake_seam: FakeSeam, raw: Raw, history: History) -> None:
    token = fake_seam.add_client_session(user_identity_id=history.jane)["token"]
    assert listed(raw, {"since": EVER}, key=token) == history.ids(2, 4, 5, 6, 7, 8, 9)
    headers = {"Authorization": f"Bearer {token}"}
    found = ok(raw.post(GET, json={"event_type": "acs_user.created"}, headers=headers))["event"]
    assert found["event_id"] == history.ids(2)[0]
    with unchanged(fake_seam):
        response = raw.post(GET, json={"event_id": history.ids(1)[0]}, headers=headers)
    assert_error(response, 404, "event_not_found")


# /events/get -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_get_by_event_id(seam: Seam, raw: Raw, history: History, method: str) -> None:
    everything = ok(raw.post(LIST, json={"since": EVER}))["events"]
    for event in everything:
        assert read_ok(raw, method, GET, {"event_id": event["event_id"]})["event"] == event
    assert seam.events.get(event_id=history.ids(9)[0]).client_session_id == history.session


def test_get_by_event_type_is_the_first_of_that_type(seam: Seam, history: History) -> None:
    assert seam.events.get(event_type="acs_user.created").event_id == history.ids(1)[0]
    assert seam.events.get(event_type="acs_credential.issued").event_id == history.ids(3)[0]
    assert seam.events.get(event_type="acs_credential.deleted").event_id == history.ids(7)[0]
    assert seam.events.get(event_type="acs_user.deleted").event_id == history.ids(11)[0]


def test_get_by_device_id(seam: Seam, history: History) -> None:
    event = seam.events.get(device_id=history.phone)
    assert (event.event_id, event.event_type) == (history.ids(8)[0], "phone.deactivated")


def test_get_by_several_needs_all_to_match(fake_seam: FakeSeam, seam: Seam, history: History) -> None:
    e5, e8 = history.ids(5, 8)
    assert seam.events.get(event_id=e8, event_type="phone.deactivated").event_id == e8
    assert seam.events.get(event_id=e8, device_id=history.phone).event_id == e8
    assert seam.events.get(event_type="phone.deactivated", device_id=history.phone).event_id == e8
    assert (
        seam.events.get(event_id=e8, event_type="phone.deactivated", device_id=history.phone).event_id == e8
    )
    assert seam.events.get(event_id=e5, event_type="acs_credential.issued").event_id == e5
    for params in (
        {"event_id": e5, "event_type": "phone.deactivated"},
        {"event_id": e5, "device_id": history.phone},
        {"event_type": "acs_user.created", "device_id": history.phone},
        {"event_id": e8, "event_type": "phone.deactivated", "device_id": str(uuid.UUID(int=3))},
    ):
        expect_api_error(fake_seam, 404, "event_not_found", lambda p=params: seam.events.get(**p))


def test_get_with_no_match_is_not_found(fake_seam: FakeSeam, seam: Seam, history: History) -> None:
    expect_api_error(fake_seam, 404, "event_not_found", lambda: seam.events.get(event_id=str(uuid.uuid4())))
    expect_api_error(fake_seam, 404, "event_not_found", lambda: seam.events.get(device_id=str(uuid.uuid4())))
    expect_api_error(fake_seam, 404, "event_not_found", lambda: seam.events.get(event_type="lock.unlocked"))


@pytest.mark.parametrize("method", METHODS)
def test_get_with_nothing_named_is_invalid(
    fake_seam: FakeSeam, raw: Raw, history: History, method: str
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.read(method, GET, {}), "event_id")


def test_get_with_nothing_named_is_refused_by_the_sdk_itself(seam: Seam, history: History) -> None:
    with pytest.raises(ValueError, match="At least one parameter"):
        seam.events.get()


def test_get_an_unknown_event_type_is_invalid(fake_seam: FakeSeam, seam: Seam, history: History) -> None:
    expect_invalid(fake_seam, lambda: seam.events.get(event_type="acs_user.renamed"), "event_type")


@pytest.mark.parametrize("param", ["event_id", "device_id"])
def test_get_ids_must_be_uuids(fake_seam: FakeSeam, raw: Raw, history: History, param: str) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(GET, json={param: "jane"}), param)


# AsyncSeam -------------------------------------------------------------------------------


def test_async_list_and_get(async_seam: AsyncSeam, history: History) -> None:
    async def run() -> tuple[list[Any], Any]:
        events = await async_seam.events.list(since=EVER, user_identity_id=history.jane, limit=2)
        event = await async_seam.events.get(event_type="phone.deactivated")
        return events, event

    events, event = asyncio.run(run())
    assert [e.event_id for e in events] == history.ids(2, 4)
    assert event.event_id == history.ids(8)[0]


# Which actions record which events -------------------------------------------------------


@pytest.fixture
def site(fake_seam: FakeSeam) -> str:
    system_id: str = fake_seam.add_acs_system("Harbour Salto Site", connected_account_id=ACCOUNT_A)[
        "acs_system_id"
    ]
    return system_id


def types_and_ids(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each event's type and the id it is about."""
    names = ("acs_credential_id", "acs_user_id", "device_id", "client_session_id")
    return [(e["event_type"], next(e[n] for n in names if n in e)) for e in events]


def test_an_acs_user_created_by_the_api_is_recorded(fake_seam: FakeSeam, seam: Seam, site: str) -> None:
    moment = at(30)
    with time_machine.travel(moment, tick=False):
        user = seam.acs.users.create(acs_system_id=site, full_name="Ann Ash", email_address="ann@example.com")
    (event,) = fake_seam.events
    assert event == {
        "event_id": event["event_id"],
        "workspace_id": fake_seam.workspace_id,
        "created_at": seam_time(moment),
        "occurred_at": seam_time(moment),
        "event_type": "acs_user.created",
        "event_description": event["event_description"],
        "acs_system_id": site,
        "acs_user_id": user.acs_user_id,
        "connected_account_id": ACCOUNT_A,
    }


def test_an_acs_user_created_for_an_identity_is_recorded(fake_seam: FakeSeam, seam: Seam, site: str) -> None:
    identity = seam.user_identities.create(full_name="Jane Doe")
    user = seam.acs.users.create(
        acs_system_id=site, full_name="Jane Doe", user_identity_id=identity.user_identity_id
    )
    assert types_and_ids(fake_seam.events) == [("acs_user.created", user.acs_user_id)]
    assert sdk_listed(seam, since=EVER, user_identity_id=identity.user_identity_id) == [
        fake_seam.events[0]["event_id"]
    ]


def test_a_seeded_acs_user_is_not_recorded(fake_seam: FakeSeam, seam: Seam, site: str) -> None:
    fake_seam.add_acs_user(site, "Max Moe", "max@example.com")
    assert fake_seam.events == []
    assert seam.events.list(since=EVER) == []


def test_an_identity_linked_to_an_existing_acs_user_records_nothing(
    fake_seam: FakeSeam, seam: Seam, site: str
) -> None:
    fake_seam.add_acs_user(site, "Max Moe", "max@example.com")
    seam.user_identities.create(email_address="max@example.com", acs_system_ids=[site])
    assert fake_seam.events == []


def test_an_identity_given_a_new_acs_user_records_its_creation(
    fake_seam: FakeSeam, seam: Seam, site: str
) -> None:
    identity = seam.user_identities.create(email_address="new@example.com", acs_system_ids=[site])
    (acs_user_id,) = identity.acs_user_ids
    assert types_and_ids(fake_seam.events) == [("acs_user.created", acs_user_id)]


def test_creating_identities_phones_and_sessions_records_nothing(fake_seam: FakeSeam, seam: Seam) -> None:
    identity = seam.user_identities.create(full_name="Jane Doe").user_identity_id
    seam.phones.simulate.create_sandbox_phone(user_identity_id=identity)
    seam.client_sessions.create(user_identity_id=identity)
    seam.user_identities.update(user_identity_id=identity, full_name="Jane Roe")
    assert fake_seam.events == []


def test_deleting_an_acs_user_records_its_credentials_then_it(
    fake_seam: FakeSeam, seam: Seam, site: str
) -> None:
    user = fake_seam.add_acs_user(site, "Max Moe")["acs_user_id"]
    code = fake_seam.add_acs_credential("code", acs_user_id=user)["acs_credential_id"]
    before = len(fake_seam.events)
    seam.acs.users.delete(acs_user_id=user)
    assert types_and_ids(fake_seam.events[before:]) == [
        ("acs_credential.deleted", code),
        ("acs_user.deleted", user),
    ]
    assert fake_seam.events[-1]["acs_system_id"] == site
    assert fake_seam.events[-1]["connected_account_id"] == ACCOUNT_A


def test_deleting_an_identity_records_what_goes_with_it(fake_seam: FakeSeam, seam: Seam, site: str) -> None:
    identity = fake_seam.add_user_identity(user_identity_key="jane", acs_system_ids=[site])
    jane, (user,) = identity["user_identity_id"], identity["acs_user_ids"]
    key = fake_seam.add_acs_credential(
        "mobile_key", user_identity_id=jane, acs_system_id=site, is_multi_phone_sync_credential=True
    )["acs_credential_id"]
    fake_seam.add_phone(jane)
    (copy,) = [
        c.acs_credential_id
        for c in seam.acs.credentials.list(user_identity_id=jane)
        if c.parent_acs_credential_id == key
    ]
    session = fake_seam.add_client_session(user_identity_id=jane)["client_session_id"]
    earlier = fake_seam.events
    seam.user_identities.delete(user_identity_id=jane)
    recorded = fake_seam.events[len(earlier) :]
    assert types_and_ids(recorded) == [
        ("acs_credential.deleted", copy),
        ("acs_credential.deleted", key),
        ("acs_user.deleted", user),
        ("client_session.deleted", session),
    ]
    # Events are history: what was recorded before stays, and still names the identity.
    assert fake_seam.events[: len(earlier)] == earlier
    assert sdk_listed(seam, since=EVER, user_identity_id=jane) == [e["event_id"] for e in fake_seam.events]


def test_a_code_is_issued_when_created(fake_seam: FakeSeam, seam: Seam, site: str) -> None:
    user = fake_seam.add_acs_user(site, "Max Moe")["acs_user_id"]
    moment = at(40)
    with time_machine.travel(moment, tick=False):
        code = seam.acs.credentials.create(acs_user_id=user, access_method="code").acs_credential_id
    (event,) = fake_seam.events
    assert types_and_ids([event]) == [("acs_credential.issued", code)]
    assert event["occurred_at"] == seam_time(moment)
    assert (event["acs_system_id"], event["connected_account_id"]) == (site, ACCOUNT_A)


def test_a_card_is_issued_when_encoded(fake_seam: FakeSeam, site: str) -> None:
    user = fake_seam.add_acs_user(site, "Max Moe")["acs_user_id"]
    card = fake_seam.add_acs_credential("card", acs_user_id=user)["acs_credential_id"]
    assert fake_seam.events == []
    fake_seam.issue_credential(card)
    assert types_and_ids(fake_seam.events) == [("acs_credential.issued", card)]


def test_a_mobile_key_is_issued_when_a_phone_comes(fake_seam: FakeSeam, seam: Seam, site: str) -> None:
    jane = fake_seam.add_user_identity(user_identity_key="jane", acs_system_ids=[site])["user_identity_id"]
    before = len(fake_seam.events)
    key = fake_seam.add_acs_credential(
        "mobile_key", user_identity_id=jane, acs_system_id=site, is_multi_phone_sync_credential=True
    )["acs_credential_id"]
    assert len(fake_seam.events) == before
    seam.phones.simulate.create_sandbox_phone(user_identity_id=jane)
    (copy,) = [
        c.acs_credential_id
        for c in seam.acs.credentials.list(user_identity_id=jane)
        if c.parent_acs_credential_id == key
    ]
    assert types_and_ids(fake_seam.events[before:]) == [
        ("acs_credential.issued", copy),
        ("acs_credential.issued", key),
    ]


def mobile_key_on_phones(fake: FakeSeam, seam: Seam, site: str, phones: int) -> tuple[str, str, list[str]]:
    """Jane's mobile key issued to ``phones`` phones: her id, the key's, its copies'."""
    jane = fake.add_user_identity(user_identity_key="jane", acs_system_ids=[site])["user_identity_id"]
    key = fake.add_acs_credential(
        "mobile_key", user_identity_id=jane, acs_system_id=site, is_multi_phone_sync_credential=True
    )["acs_credential_id"]
    for _ in range(phones):
        fake.add_phone(jane)
    copies = [
        c.acs_credential_id
        for c in seam.acs.credentials.list(user_identity_id=jane)
        if c.parent_acs_credential_id == key
    ]
    return jane, key, copies


def test_updating_an_issued_mobile_keys_end_reissues_it_and_each_copy(
    fake_seam: FakeSeam, seam: Seam, site: str
) -> None:
    _, key, copies = mobile_key_on_phones(fake_seam, seam, site, phones=2)
    assert len(copies) == 2
    before = len(fake_seam.events)
    moment = at(50)
    with time_machine.travel(moment, tick=False):
        seam.acs.credentials.update(acs_credential_id=key, ends_at=seam_time(moment + timedelta(days=30)))
    recorded = fake_seam.events[before:]
    assert {e["event_type"] for e in recorded} == {"acs_credential.reissued"}
    assert sorted(e["acs_credential_id"] for e in recorded) == sorted([key, *copies])
    for event in recorded:
        assert event["occurred_at"] == seam_time(moment)
        assert (event["acs_system_id"], event["connected_account_id"]) == (site, ACCOUNT_A)


def test_updating_a_waiting_mobile_key_reissues_nothing(fake_seam: FakeSeam, seam: Seam, site: str) -> None:
    _, key, copies = mobile_key_on_phones(fake_seam, seam, site, phones=0)
    assert copies == []
    before = len(fake_seam.events)
    seam.acs.credentials.update(acs_credential_id=key, ends_at=seam_time(at(0) + timedelta(days=3650)))
    assert fake_seam.events[before:] == []


def test_updating_an_issued_mobile_key_to_the_same_end_reissues_nothing(
    fake_seam: FakeSeam, seam: Seam, site: str
) -> None:
    _, key, _ = mobile_key_on_phones(fake_seam, seam, site, phones=1)
    ends_at = seam_time(at(0) + timedelta(days=3650))
    seam.acs.credentials.update(acs_credential_id=key, ends_at=ends_at)
    before = len(fake_seam.events)
    seam.acs.credentials.update(acs_credential_id=key, ends_at=ends_at)
    assert fake_seam.events[before:] == []


def test_deleting_a_mobile_key_deletes_its_copies_then_it(fake_seam: FakeSeam, seam: Seam, site: str) -> None:
    _, key, copies = mobile_key_on_phones(fake_seam, seam, site, phones=2)
    before = len(fake_seam.events)
    seam.acs.credentials.delete(acs_credential_id=key)
    recorded = types_and_ids(fake_seam.events[before:])
    # Copies first (in either order), the key last; nothing is invalidated.
    assert recorded[-1] == ("acs_credential.deleted", key)
    assert sorted(recorded[:-1]) == sorted(("acs_credential.deleted", c) for c in copies)


def test_deactivating_a_phone_invalidates_then_deletes_each_copy(
    fake_seam: FakeSeam, seam: Seam, site: str
) -> None:
    jane, _, (copy,) = mobile_key_on_phones(fake_seam, seam, site, phones=1)
    (phone,) = seam.phones.list(owner_user_identity_id=jane)
    before = len(fake_seam.events)
    seam.phones.deactivate(device_id=phone.device_id)
    assert types_and_ids(fake_seam.events[before:]) == [
        ("acs_credential.invalidated", copy),
        ("acs_credential.deleted", copy),
        ("phone.deactivated", phone.device_id),
    ]
    assert sdk_listed(seam, since=EVER, user_identity_id=jane)[-3:] == [
        e["event_id"] for e in fake_seam.events[before:]
    ]


def test_deleting_a_client_session_is_recorded(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = fake_seam.add_user_identity(user_identity_key="jane")["user_identity_id"]
    session = fake_seam.add_client_session(user_identity_id=jane)["client_session_id"]
    assert fake_seam.events == []
    moment = at(60)
    with time_machine.travel(moment, tick=False):
        seam.client_sessions.delete(client_session_id=session)
    (event,) = fake_seam.events
    assert event == {
        "event_id": event["event_id"],
        "workspace_id": fake_seam.workspace_id,
        "created_at": seam_time(moment),
        "occurred_at": seam_time(moment),
        "event_type": "client_session.deleted",
        "event_description": event["event_description"],
        "client_session_id": session,
    }
    assert sdk_listed(seam, since=EVER, user_identity_id=jane) == [event["event_id"]]


def test_deleting_a_session_of_two_identities_concerns_both(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = fake_seam.add_user_identity(user_identity_key="jane")["user_identity_id"]
    bob = fake_seam.add_user_identity(user_identity_key="bob")["user_identity_id"]
    session = seam.client_sessions.create(user_identity_id=jane).client_session_id
    seam.client_sessions.grant_access(client_session_id=session, user_identity_id=bob)
    seam.client_sessions.delete(client_session_id=session)
    (event,) = fake_seam.events
    assert event["client_session_id"] == session
    for identity in (jane, bob):
        assert sdk_listed(seam, since=EVER, user_identity_id=identity) == [event["event_id"]], identity


def test_revoking_a_client_session_records_nothing(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = fake_seam.add_user_identity(user_identity_key="jane")["user_identity_id"]
    session = fake_seam.add_client_session(user_identity_id=jane)["client_session_id"]
    seam.client_sessions.revoke(client_session_id=session)
    assert fake_seam.events == []


def test_ids_in_any_letter_case(seam: Seam, history: History) -> None:
    # Seam keeps ids in UUID columns, which compare without regard to case.
    e3, e8 = history.ids(3, 8)
    by_system = sdk_listed(seam, since=EVER, acs_system_ids=[history.system_a.upper()])
    assert by_system == history.ids(1, 3, 10, 11)
    by_identity = sdk_listed(seam, since=EVER, user_identity_id=history.jane.upper())
    assert by_identity == history.ids(2, 4, 5, 6, 7, 8, 9)
    assert sdk_listed(seam, since=EVER, acs_credential_id=history.code.upper()) == history.ids(3, 10)
    assert sdk_listed(seam, since=EVER, event_ids=[e3.upper()]) == [e3]
    assert seam.events.get(event_id=e8.upper()).event_id == e8
    assert seam.events.get(device_id=history.phone.upper()).event_id == e8
