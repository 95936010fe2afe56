"""Action attempts: ``/action_attempts/get`` and ``/action_attempts/list`` (named ids, the
device filter, pages), ``action_attempt_not_found``, the unlock events in ``/events/list``,
other workspaces and client sessions. Attempts are made by ``/acs/entrances/unlock``.
"""

from __future__ import annotations

import uuid

import pytest
from access_helpers import Site, other_workspace, person, salto_site, session_client
from helpers import Raw, expect_api_error, expect_mismatched_cursor, expect_raw_invalid, read_ok, unchanged
from seam import Seam

from seam_fake import FakeSeam, NotFound

GET = "/action_attempts/get"
LIST = "/action_attempts/list"
EVER = "2000-01-01T00:00:00.000Z"
SUCCEEDED = "action_attempt.unlock_door.succeeded"
FAILED = "action_attempt.unlock_door.failed"


@pytest.fixture
def site(fake_seam: FakeSeam) -> Site:
    return salto_site(fake_seam)


def unlock(seam: Seam, site: Site, entrance_id: str | None = None) -> str:
    attempt = seam.acs.entrances.unlock(
        acs_credential_id=site.cloud_key,
        acs_entrance_id=entrance_id or site.lobby,
        wait_for_action_attempt=False,
    )
    attempt_id: str = attempt.action_attempt_id
    return attempt_id


def attempt_ids(items: object) -> list[str]:
    return [a.action_attempt_id for a in items]  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", ["get", "post"])
def test_get_an_attempt(fake_seam: FakeSeam, seam: Seam, raw: Raw, site: Site, method: str) -> None:
    attempt_id = unlock(seam, site)
    body = read_ok(raw, method, GET, {"action_attempt_id": attempt_id})
    assert body["action_attempt"] == {
        "action_attempt_id": attempt_id,
        "action_type": "UNLOCK_DOOR",
        "status": "success",
        "result": {},
        "error": None,
    }
    assert seam.action_attempts.get(action_attempt_id=attempt_id).status == "success"


def test_get_a_failed_attempt_without_waiting(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    attempt_id = unlock(seam, site, site.back)
    got = seam.action_attempts.get(action_attempt_id=attempt_id, wait_for_action_attempt=False)
    assert got.status == "error"
    assert got.error.type == "no_access"


def test_get_an_unknown_attempt_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    missing = str(uuid.uuid4())
    error = expect_api_error(
        fake_seam,
        404,
        "action_attempt_not_found",
        lambda: seam.action_attempts.get(action_attempt_id=missing),
    )
    assert missing in str(error)


def test_get_with_an_id_that_is_not_a_uuid_is_invalid(fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.get(GET, params={"action_attempt_id": "first"}), "action_attempt_id"
    )
    expect_raw_invalid(fake_seam, lambda: raw.post(GET, json={}), "action_attempt_id")


def test_list_is_newest_first(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    made = [unlock(seam, site, entrance) for entrance in (site.lobby, site.garage, site.back)]
    assert attempt_ids(seam.action_attempts.list()) == made[::-1]
    statuses = [a.status for a in seam.action_attempts.list()]
    assert statuses == ["error", "success", "success"]


def test_list_by_ids(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    first, second, third = (unlock(seam, site) for _ in range(3))
    named = seam.action_attempts.list(action_attempt_ids=[first, third, str(uuid.uuid4())])
    assert attempt_ids(named) == [third, first]
    assert seam.action_attempts.list(action_attempt_ids=[str(uuid.uuid4())]) == []
    assert second not in attempt_ids(named)


def test_list_by_device_matches_no_unlock(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    unlock(seam, site)
    assert seam.action_attempts.list(device_id=str(uuid.uuid4())) == []
    assert len(seam.action_attempts.list()) == 1


def test_list_pages(fake_seam: FakeSeam, seam: Seam, raw: Raw, site: Site) -> None:
    made = [unlock(seam, site) for _ in range(5)][::-1]
    first = read_ok(raw, "get", LIST, {"limit": 2})
    assert [a["action_attempt_id"] for a in first["action_attempts"]] == made[:2]
    assert first["pagination"]["has_next_page"] is True
    pages = seam.create_paginator(seam.action_attempts.list, {"limit": 2})
    assert attempt_ids(pages.flatten()) == made
    cursor = first["pagination"]["next_page_cursor"]
    expect_mismatched_cursor(fake_seam, lambda: raw.post(LIST, json={"limit": 3, "page_cursor": cursor}))


@pytest.mark.parametrize(
    ("param", "value"), [("action_attempt_ids", ["x"]), ("device_id", "x"), ("limit", 0)]
)
def test_list_refuses_bad_parameters(fake_seam: FakeSeam, raw: Raw, param: str, value: object) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST, json={param: value}), param)


def test_unlock_events_in_events_list(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    ok_id = unlock(seam, site)
    failed_id = unlock(seam, site, site.back)
    events = seam.events.list(since=EVER, event_types=[SUCCEEDED, FAILED])
    assert [(e.event_type, e.action_attempt_id) for e in events] == [(SUCCEEDED, ok_id), (FAILED, failed_id)]
    # The identity whose credential it was is concerned.
    mine = seam.events.list(
        since=EVER, user_identity_id=site.member.identity_id, event_types=[SUCCEEDED, FAILED]
    )
    assert [e.action_attempt_id for e in mine] == [ok_id, failed_id]
    assert seam.events.list(since=EVER, event_type=SUCCEEDED)[0].connected_account_id == (
        seam.acs.systems.get(acs_system_id=site.system_id).connected_account_id
    )


def test_a_settled_attempt_records_its_event_when_it_settles(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    fake_seam.set_action_attempt_outcome("pending")
    attempt_id = unlock(seam, site)
    assert seam.events.list(since=EVER, event_types=[SUCCEEDED, FAILED]) == []
    fake_seam.update_action_attempt(attempt_id, "error", error={"type": "timeout", "message": "No answer."})
    (event,) = seam.events.list(since=EVER, event_types=[SUCCEEDED, FAILED])
    assert (event.event_type, event.action_attempt_id) == (FAILED, attempt_id)
    got = seam.action_attempts.get(action_attempt_id=attempt_id, wait_for_action_attempt=False)
    assert (got.error.type, got.error.message) == ("timeout", "No answer.")


def test_another_workspace_sees_none_of_these_attempts(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    attempt_id = unlock(seam, site)
    _, api_key = other_workspace(fake_seam)
    other = Seam(api_key=api_key)
    expect_api_error(
        fake_seam,
        404,
        "action_attempt_not_found",
        lambda: other.action_attempts.get(action_attempt_id=attempt_id),
    )
    assert other.action_attempts.list() == []
    assert other.action_attempts.list(action_attempt_ids=[attempt_id]) == []


def test_update_action_attempt_of_an_unknown_attempt_raises_not_found(fake_seam: FakeSeam) -> None:
    missing = str(uuid.uuid4())
    with unchanged(fake_seam), pytest.raises(NotFound) as info:
        fake_seam.update_action_attempt(missing, "success")
    assert info.value.type == "action_attempt_not_found"


def test_an_outcome_is_per_workspace(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    workspace_id, _ = other_workspace(fake_seam)
    fake_seam.set_action_attempt_outcome("error", workspace_id=workspace_id)
    assert seam.action_attempts.get(action_attempt_id=unlock(seam, site)).status == "success"


def test_a_client_session_sees_its_identitys_attempts_only(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    attempt_id = unlock(seam, site)
    client = session_client(fake_seam, site.member.identity_id)
    assert client.action_attempts.get(action_attempt_id=attempt_id).status == "success"
    stranger = person(fake_seam, site.system_id, "sam@example.com", "Sam Roe")
    theirs = session_client(fake_seam, stranger.identity_id)
    expect_api_error(
        fake_seam,
        404,
        "action_attempt_not_found",
        lambda: theirs.action_attempts.get(action_attempt_id=attempt_id),
    )
