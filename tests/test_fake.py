"""FakeSeam's own Python API: construction, seeding, reset, determinism and the clock.

Covered here, besides the methods one by one:

- Deterministic mode. ``FakeSeam(random_seed=...)`` under a frozen clock (time-machine
  and freezegun) answers the same sequence of calls with the same bytes and headers:
  ids, generated API keys and personal access tokens, ``seam-request-id`` and
  ``error.request_id``, and page cursors. Driven through ``fake.handle`` directly and
  through the ``seam`` SDK (each fake patched in turn, and two fakes on different
  endpoints side by side). Another seed gives other values in the same places, and
  an extra call shifts what follows.
- Time. ``created_at`` follows freezegun and time-machine (UTC, milliseconds, ``Z``);
  ``created_before`` on both lists is strict, reads offsets and rounds sub-millisecond
  values up; records created at one frozen instant list newest-first by creation
  sequence, stably across calls and pages; after time travel, order follows
  ``created_at``.

Snapshots (``snapshot``/``restore``/``from_snapshot``) are in ``tests/model/test_snapshots.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta, timezone
from typing import Any

import freezegun
import pytest
import time_machine
from helpers import Raw, assert_error, handle_request, seam_time, unchanged
from seam import Seam, SeamHttpApiError, SeamHttpInvalidInputError

from seam_fake import FakeSeam, InvalidInput, Request, Response

MOMENT = datetime(2025, 6, 16, 16, 54, 17, 946123, tzinfo=timezone.utc)
CLOCKS = ("time_machine", "freezegun")
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
# What differs between seeds: UUIDs, generated keys and tokens, and signed cursors.
VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|seam_(?:test|live|at)[a-z0-9]{32}"
    r"|[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}"
)


# Helpers ------------------------------------------------------------------------------


def frozen(clock: str, moment: datetime) -> AbstractContextManager[Any]:
    """Freeze the clock at ``moment`` with either library; both offer ``move_to``."""
    if clock == "time_machine":
        return time_machine.travel(moment, tick=False)
    return freezegun.freeze_time(moment)


class RecordingFake(FakeSeam):
    """A fake that keeps every response it sends, whichever transport asked."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.responses: list[tuple[int, dict[str, str], bytes]] = []

    def handle(self, request: Request, base_url: str | None = None) -> Response:
        response = super().handle(request, base_url)
        self.responses.append((response.status, dict(response.headers), response.body))
        return response


Entry = tuple[str, int, dict[str, str], bytes]


def drive_raw(fake: FakeSeam) -> list[Entry]:
    """A session touching everything that draws an id, a token or a cursor; its transcript."""
    out: list[Entry] = []

    def seeded(label: str, value: Any) -> None:
        out.append((label, 0, {}, json.dumps(value, sort_keys=True).encode()))

    def record(label: str, response: Response) -> Response:
        out.append((label, response.status, dict(response.headers), response.body))
        return response

    seeded("default workspace", [fake.workspace_id, fake.api_key])
    hq = fake.add_acs_system("HQ")
    annex = fake.add_acs_system("Annex", external_type="visionline_system")
    seeded("systems", [hq, annex])
    seeded("jane", fake.add_acs_user(hq["acs_system_id"], "Jane Doe", email_address="jane@example.com"))
    seeded("guard", fake.add_acs_user(hq["acs_system_id"], "Guard", phone_number="+15555550100"))
    other = fake.add_workspace("Other", company_name="Globex")
    seeded("other workspace", other)
    pat = fake.add_personal_access_token()
    limited_pat = fake.add_personal_access_token(workspace_ids=[other["workspace_id"]])
    extra_key = fake.add_api_key()
    live = fake.add_workspace("Live", is_sandbox=False)
    seeded("tokens", [pat, limited_pat, extra_key, live["api_key"]])

    systems = [hq["acs_system_id"], annex["acs_system_id"]]
    linked = record(
        "create linking",
        handle_request(
            fake,
            "POST",
            "/user_identities/create",
            {"email_address": "jane@example.com", "full_name": "Jane Doe", "acs_system_ids": systems},
        ),
    ).json()["user_identity"]
    # Jane's existing ACS user on HQ is linked; a new one is made on the annex.
    assert len(linked["acs_user_ids"]) == 2
    for index in range(4):
        record(
            f"create {index}",
            handle_request(
                fake,
                "POST",
                "/user_identities/create",
                {"user_identity_key": f"member-{index}", "acs_system_ids": systems[: index % 2 + 1]},
            ),
        )
    record(
        "acs user create",
        handle_request(
            fake, "POST", "/acs/users/create", {"acs_system_id": systems[0], "full_name": "Visitor"}
        ),
    )
    first = record("list page 1", handle_request(fake, "GET", "/user_identities/list", query={"limit": 2}))
    cursor = first.json()["pagination"]["next_page_cursor"]
    assert cursor
    second = record(
        "list page 2",
        handle_request(fake, "GET", "/user_identities/list", query={"limit": 2, "page_cursor": cursor}),
    )
    assert second.json()["pagination"]["next_page_cursor"]
    acs_first = record("acs list page 1", handle_request(fake, "POST", "/acs/users/list", {"limit": 3}))
    acs_cursor = acs_first.json()["pagination"]["next_page_cursor"]
    assert acs_cursor
    record(
        "acs list page 2",
        handle_request(fake, "POST", "/acs/users/list", {"limit": 3, "page_cursor": acs_cursor}),
    )
    record(
        "duplicate email",
        handle_request(fake, "POST", "/user_identities/create", {"email_address": "JANE@example.com"}),
    )
    record(
        "unknown key",
        handle_request(fake, "GET", "/user_identities/get", query={"user_identity_key": "nobody"}),
    )
    record("bad input", handle_request(fake, "POST", "/user_identities/create", {"email_address": "nope"}))
    record("unauthorized", handle_request(fake, "GET", "/workspaces/get", key="seam_test_unknown"))
    record("no route", handle_request(fake, "GET", "/nowhere"))
    record("pat lists workspaces", handle_request(fake, "GET", "/workspaces/list", key=pat))
    record(
        "pat creates elsewhere",
        handle_request(
            fake,
            "POST",
            "/user_identities/create",
            {"full_name": "Elsewhere"},
            key=limited_pat,
            headers={"seam-workspace": other["workspace_id"]},
        ),
    )
    record("extra key", handle_request(fake, "GET", "/workspaces/get", key=extra_key))
    record(
        "update",
        handle_request(
            fake, "POST", "/user_identities/update", {"user_identity_id": linked["user_identity_id"]}
        ),
    )
    record(
        "get", handle_request(fake, "GET", "/user_identities/get", query={"user_identity_key": "member-1"})
    )
    record(
        "delete",
        handle_request(
            fake, "POST", "/user_identities/delete", {"user_identity_id": linked["user_identity_id"]}
        ),
    )
    record("final list", handle_request(fake, "GET", "/acs/users/list"))
    return out


def normalised(transcript: list[Entry]) -> list[Entry]:
    """The transcript with each distinct volatile value replaced by its order of appearance."""
    names: dict[str, str] = {}

    def name(match: re.Match[str]) -> str:
        return names.setdefault(match.group(0), f"<{len(names)}>")

    return [
        (
            label,
            status,
            {header: VOLATILE.sub(name, value) for header, value in headers.items()},
            VOLATILE.sub(name, body.decode()).encode(),
        )
        for label, status, headers, body in transcript
    ]


# The Python API, method by method ---------------------------------------------------


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


def test_add_user_identity_validates_and_links_like_create(fake_seam: FakeSeam, seam: Seam) -> None:
    system = fake_seam.add_acs_system("HQ")["acs_system_id"]
    user = fake_seam.add_acs_user(system, "Ada L.", email_address="ada@example.com")
    seeded = fake_seam.add_user_identity(
        user_identity_key="ada", email_address="ADA@example.com", full_name="Ada", acs_system_ids=[system]
    )
    assert seeded["acs_user_ids"] == [user["acs_user_id"]]
    fetched = seam.user_identities.get(user_identity_key="ada")
    assert fetched.user_identity_id == seeded["user_identity_id"]
    assert seam.acs.users.get(acs_user_id=user["acs_user_id"]).user_identity_id == seeded["user_identity_id"]
    # A second identity with the same email is refused as the route refuses it, and nothing changes.
    with unchanged(fake_seam), pytest.raises(ValueError) as duplicate:
        fake_seam.add_user_identity(email_address="ada@example.com")
    assert getattr(duplicate.value, "type", None) == "email_address_already_in_use"
    with unchanged(fake_seam), pytest.raises(InvalidInput) as invalid:
        fake_seam.add_user_identity(email_address="nope", phone_number="555", user_identity_key="")
    assert set(invalid.value.problems) == {"email_address", "phone_number", "user_identity_key"}
    with unchanged(fake_seam), pytest.raises(KeyError):
        fake_seam.add_user_identity(acs_system_ids=["00000000-0000-4000-8000-000000000000"])
    with unchanged(fake_seam), pytest.raises(KeyError):
        fake_seam.add_user_identity(workspace_id="00000000-0000-4000-8000-000000000000")


def test_add_user_identity_in_another_workspace(fake_seam: FakeSeam) -> None:
    other = fake_seam.add_workspace("Other")
    seeded = fake_seam.add_user_identity(user_identity_key="k", workspace_id=other["workspace_id"])
    assert seeded["workspace_id"] == other["workspace_id"]
    theirs = Seam(api_key=other["api_key"]).user_identities.get(user_identity_key="k")
    assert theirs.user_identity_id == seeded["user_identity_id"]
    with pytest.raises(SeamHttpApiError):
        Seam().user_identities.get(user_identity_key="k")


def test_a_not_found_from_seeding_is_a_key_error_and_a_catalogued_api_error(fake_seam: FakeSeam) -> None:
    from seam_fake import ApiError, NotFound

    with pytest.raises(NotFound) as caught:
        fake_seam.add_acs_user("00000000-0000-4000-8000-000000000000", "Ada")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, ApiError)
    assert caught.value.type == "acs_system_not_found" and caught.value.status == 404
    # The message reads as a sentence, not as a quoted dictionary key.
    assert str(caught.value).startswith("No ACS system")


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


# Deterministic mode: raw requests -----------------------------------------------------


@pytest.mark.parametrize("clock", CLOCKS)
def test_same_seed_same_bytes_through_handle(clock: str) -> None:
    with frozen(clock, MOMENT):
        first = drive_raw(FakeSeam(random_seed=1234))
        second = drive_raw(FakeSeam(random_seed=1234))
    assert first == second
    statuses = {label: status for label, status, _, _ in first}
    assert statuses["duplicate email"] == 400 and statuses["unknown key"] == 404
    assert statuses["unauthorized"] == 401 and statuses["no route"] == 404
    request_ids = [headers["seam-request-id"] for _, status, headers, _ in first if status]
    assert all(UUID_RE.fullmatch(request_id) for request_id in request_ids)
    assert len(set(request_ids)) == len(request_ids)
    for _, status, headers, body in first:
        if status >= 400:
            assert json.loads(body)["error"]["request_id"] == headers["seam-request-id"]
    # Every timestamp is the frozen instant's.
    stamps = set(re.findall(rb'"created_at": "([^"]+)"', b"".join(body for *_, body in first)))
    assert stamps == {seam_time(MOMENT).encode()}


@pytest.mark.parametrize("clock", CLOCKS)
def test_another_seed_changes_every_generated_value_and_nothing_else(clock: str) -> None:
    with frozen(clock, MOMENT):
        first = drive_raw(FakeSeam(random_seed=1234))
        other = drive_raw(FakeSeam(random_seed=4321))
    assert normalised(first) == normalised(other)
    for (label, status, headers, body), (_, _, other_headers, other_body) in zip(first, other, strict=True):
        if status:
            assert headers["seam-request-id"] != other_headers["seam-request-id"], label
        if VOLATILE.search(body.decode()):
            assert body != other_body, label
    cursors = [
        json.loads(body)["pagination"]["next_page_cursor"] for label, _, _, body in first if "page 1" in label
    ]
    other_cursors = [
        json.loads(body)["pagination"]["next_page_cursor"] for label, _, _, body in other if "page 1" in label
    ]
    assert len(cursors) == 2 and not set(cursors) & set(other_cursors)


def test_generated_values_depend_on_the_calls_made() -> None:
    with time_machine.travel(MOMENT, tick=False):
        quiet, busy = FakeSeam(random_seed=9), FakeSeam(random_seed=9)
        # A refused request draws a request id too, so what follows moves on.
        assert (
            handle_request(busy, "GET", "/user_identities/get", query={"user_identity_key": "x"}).status
            == 404
        )
        made = handle_request(quiet, "POST", "/user_identities/create", {"full_name": "Ada"})
        made_after = handle_request(busy, "POST", "/user_identities/create", {"full_name": "Ada"})
    assert made.status == made_after.status == 200
    assert made.headers["seam-request-id"] != made_after.headers["seam-request-id"]
    assert (
        made.json()["user_identity"]["user_identity_id"]
        != made_after.json()["user_identity"]["user_identity_id"]
    )
    assert normalised([("create", 200, {}, made.body)]) == normalised([("create", 200, {}, made_after.body)])


def test_reset_replays_the_seeded_session_byte_for_byte() -> None:
    fake = FakeSeam(random_seed=77)
    with time_machine.travel(MOMENT, tick=False):
        first = drive_raw(fake)
        fake.reset()
        again = drive_raw(fake)
    assert again == first


# Deterministic mode: through the SDK --------------------------------------------------


def drive_sdk(fake: FakeSeam, seam: Seam) -> list[Any]:
    """A session through the SDK; everything it returned, errors included."""
    results: list[Any] = []
    hq = fake.add_acs_system("HQ")["acs_system_id"]
    results.append(fake.add_acs_user(hq, "Jane Doe", email_address="jane@example.com"))
    results.append(fake.add_personal_access_token())
    results.append(seam.user_identities.create(email_address="jane@example.com", acs_system_ids=[hq]))
    for index in range(3):
        results.append(seam.user_identities.create(user_identity_key=f"member-{index}", acs_system_ids=[hq]))
    results.append(seam.acs.users.create(acs_system_id=hq, full_name="Visitor"))
    pages = seam.create_paginator(seam.user_identities.list, {"limit": 2})
    items, pagination = pages.first_page()
    assert pagination is not None and pagination.next_page_cursor
    results.extend([items, pagination, pages.flatten_to_list()])
    results.append(seam.create_paginator(seam.acs.users.list, {"limit": 2}).flatten_to_list())
    with pytest.raises(SeamHttpApiError) as error:
        seam.user_identities.create(email_address="JANE@example.com")
    assert error.value.code == "email_address_already_in_use"
    results.append((error.value.code, error.value.status_code, error.value.request_id))
    with pytest.raises(SeamHttpInvalidInputError) as invalid:
        seam.user_identities.create(phone_number="555")
    results.append((invalid.value.code, invalid.value.request_id))
    return results


@pytest.mark.parametrize("clock", CLOCKS)
def test_same_seed_same_bytes_through_the_sdk(clock: str) -> None:
    first, second = RecordingFake(random_seed=2024), RecordingFake(random_seed=2024)
    assert (first.workspace_id, first.api_key) == (second.workspace_id, second.api_key)
    # One client for both: same seed, same default API key.
    seam = Seam(api_key=first.api_key)
    results = []
    with frozen(clock, MOMENT):
        for fake in (first, second):
            with fake.patch():
                results.append(drive_sdk(fake, seam))
    assert results[0] == results[1]
    assert first.responses == second.responses
    assert len(first.responses) >= 12
    request_ids = [headers["seam-request-id"] for _, headers, _ in first.responses]
    assert len(set(request_ids)) == len(request_ids)
    # The SDK's error carries the request id of the recorded response.
    assert results[0][-2][2] in request_ids


def test_another_seed_through_the_sdk_differs_in_values_only() -> None:
    first, other = RecordingFake(random_seed=2024), RecordingFake(random_seed=2025)
    with time_machine.travel(MOMENT, tick=False):
        for fake in (first, other):
            with fake.patch():
                drive_sdk(fake, Seam(api_key=fake.api_key))
    assert first.api_key != other.api_key
    as_entries = [
        [("", status, headers, body) for status, headers, body in fake.responses] for fake in (first, other)
    ]
    assert normalised(as_entries[0]) == normalised(as_entries[1])
    assert all(
        mine[1]["seam-request-id"] != theirs[1]["seam-request-id"]
        for mine, theirs in zip(first.responses, other.responses, strict=True)
    )


def test_two_seeded_fakes_on_different_endpoints_answer_alike_side_by_side() -> None:
    a = RecordingFake(endpoint="https://a.seam-fake.test", random_seed=5)
    b = RecordingFake(endpoint="https://b.seam-fake.test/v1", random_seed=5)
    noisy = RecordingFake(random_seed=6)
    with time_machine.travel(MOMENT, tick=False), a.patch(), b.patch(), noisy.patch():
        clients = [(fake, Seam(api_key=fake.api_key, endpoint=fake.endpoint)) for fake in (a, b, noisy)]
        hq = {id(fake): fake.add_acs_system("HQ")["acs_system_id"] for fake, _ in clients}
        steps: list[Callable[[FakeSeam, Seam], Any]] = [
            lambda fake, seam: seam.user_identities.create(
                user_identity_key="one", acs_system_ids=[hq[id(fake)]]
            ),
            lambda fake, seam: seam.user_identities.create(user_identity_key="two"),
            lambda fake, seam: seam.user_identities.create(user_identity_key="three"),
            lambda fake, seam: seam.user_identities.list(limit=1),
            lambda fake, seam: seam.create_paginator(
                seam.user_identities.list, {"limit": 2}
            ).flatten_to_list(),
            lambda fake, seam: fake.add_personal_access_token(),
            lambda fake, seam: seam.acs.users.list(acs_system_id=hq[id(fake)]),
        ]
        results: dict[int, list[Any]] = {id(fake): [] for fake, _ in clients}
        # Interleaved: a call on one fake draws nothing from another's seed.
        for step in steps:
            for fake, seam in clients:
                results[id(fake)].append(step(fake, seam))
    assert a.responses and len(a.responses) == len(b.responses) == len(noisy.responses)
    assert any(b"https://b.seam-fake.test/v1/user_identities/list?" in body for _, _, body in b.responses)
    assert [
        (status, headers, body.replace(b"https://b.seam-fake.test/v1", b"https://a.seam-fake.test"))
        for status, headers, body in b.responses
    ] == a.responses
    assert results[id(a)] == results[id(b)]
    assert results[id(noisy)][0] != results[id(a)][0]


# Time: created_at ---------------------------------------------------------------------

CREATED_AT_INSTANTS = [
    pytest.param(MOMENT, "2025-06-16T16:54:17.946Z", id="milliseconds"),
    pytest.param(
        datetime(2025, 6, 16, 16, 54, 17, 999999, tzinfo=timezone.utc),
        "2025-06-16T16:54:17.999Z",
        id="truncated",
    ),
    pytest.param(
        datetime(2025, 6, 16, 16, 54, 17, tzinfo=timezone.utc), "2025-06-16T16:54:17.000Z", id="zero-ms"
    ),
    pytest.param(
        datetime(2025, 6, 16, 18, 54, 17, 946500, tzinfo=timezone(timedelta(hours=2))),
        "2025-06-16T16:54:17.946Z",
        id="offset",
    ),
]


@pytest.mark.parametrize("clock", CLOCKS)
@pytest.mark.parametrize(("moment", "expected"), CREATED_AT_INSTANTS)
def test_created_at_follows_the_frozen_clock(
    fake_seam: FakeSeam, seam: Seam, clock: str, moment: datetime, expected: str
) -> None:
    system = fake_seam.add_acs_system("HQ")["acs_system_id"]
    with frozen(clock, moment):
        seeded = fake_seam.add_acs_user(system, "Ana Lima", email_address="ana@example.com")
        linked = seam.user_identities.create(email_address="ana@example.com", acs_system_ids=[system])
        with_new_user = seam.user_identities.create(user_identity_key="ben", acs_system_ids=[system])
        created = seam.acs.users.create(acs_system_id=system, full_name="Cleo")
    assert seeded["created_at"] == expected
    assert linked.created_at == with_new_user.created_at == created.created_at == expected
    [new_user_id] = with_new_user.acs_user_ids
    assert seam.acs.users.get(acs_user_id=new_user_id).created_at == expected
    assert {user.created_at for user in seam.acs.users.list()} == {expected}
    assert {identity.created_at for identity in seam.user_identities.list()} == {expected}


@pytest.mark.parametrize("clock", CLOCKS)
def test_created_at_reads_the_clock_at_each_call(fake_seam: FakeSeam, seam: Seam, clock: str) -> None:
    system = fake_seam.add_acs_system("HQ")["acs_system_id"]
    later = MOMENT + timedelta(days=2, milliseconds=7)
    with frozen(clock, MOMENT) as clock_control:
        first = seam.user_identities.create(user_identity_key="first", acs_system_ids=[system])
        clock_control.move_to(later)
        second = seam.user_identities.create(user_identity_key="second", acs_system_ids=[system])
    assert first.created_at == "2025-06-16T16:54:17.946Z"
    assert second.created_at == "2025-06-18T16:54:17.953Z"
    by_identity = {
        user.user_identity_id: user.created_at for user in seam.acs.users.list(acs_system_id=system)
    }
    assert by_identity == {
        first.user_identity_id: first.created_at,
        second.user_identity_id: second.created_at,
    }


# Time: created_before -----------------------------------------------------------------


@pytest.fixture
def three_moments(fake_seam: FakeSeam, seam: Seam) -> dict[str, str]:
    """Identities ``early``, ``middle``, ``late`` (each with an ACS user on one system),
    created a second apart under freezegun; maps each key to its created_at."""
    system = fake_seam.add_acs_system("HQ")["acs_system_id"]
    stamps = {}
    with freezegun.freeze_time(MOMENT) as clock:
        for offset, key in enumerate(("early", "middle", "late")):
            clock.move_to(MOMENT + timedelta(seconds=offset))
            stamps[key] = seam.user_identities.create(
                user_identity_key=key, acs_system_ids=[system]
            ).created_at
    return stamps


def identity_keys(seam: Seam, **params: Any) -> list[str | None]:
    return [identity.user_identity_key for identity in seam.user_identities.list(**params)]


def acs_user_names(seam: Seam, **params: Any) -> list[str]:
    return [user.full_name for user in seam.acs.users.list(**params)]


MIDDLE = MOMENT + timedelta(seconds=1)  # the `middle` identity's instant, 16:54:18.946123


@pytest.mark.parametrize(
    ("created_before", "expected"),
    [
        pytest.param("2025-06-16T16:54:18.946Z", ["early"], id="exactly-middle-is-strict"),
        pytest.param("2025-06-16T16:54:18.947Z", ["middle", "early"], id="one-ms-after-middle"),
        pytest.param("2025-06-16T18:54:18.946+02:00", ["early"], id="offset-plus"),
        pytest.param("2025-06-16T11:24:18.946-05:30", ["early"], id="offset-minus"),
        pytest.param("2025-06-16T16:54:18.946000Z", ["early"], id="microseconds-zero"),
        # Middle was stamped 18.946 (at 18.946123): it is before 18.946001, rounded up to .947.
        pytest.param("2025-06-16T16:54:18.946001Z", ["middle", "early"], id="microseconds-round-up"),
        pytest.param("2025-06-16T16:54:18.945999Z", ["early"], id="microseconds-just-below"),
        pytest.param("2025-06-16T18:54:18.946001+02:00", ["middle", "early"], id="offset-and-microseconds"),
        pytest.param("2025-06-16T16:54:17.946Z", [], id="exactly-earliest"),
        pytest.param("2025-06-16T16:54:19.946001Z", ["late", "middle", "early"], id="after-all"),
    ],
)
def test_created_before_is_strict_with_offsets_and_rounding(
    seam: Seam, three_moments: dict[str, str], raw: Raw, created_before: str, expected: list[str]
) -> None:
    assert three_moments["middle"] == seam_time(MIDDLE)
    assert identity_keys(seam, created_before=created_before) == expected
    # ACS users created with each identity carry the identity's display name (its key here).
    assert acs_user_names(seam, created_before=created_before) == expected
    for method in ("get", "post"):
        body = raw.read(method, "/user_identities/list", {"created_before": created_before}).json()
        assert [identity["user_identity_key"] for identity in body["user_identities"]] == expected


def test_created_before_rounds_up_across_a_second(fake_seam: FakeSeam, seam: Seam) -> None:
    edge = datetime(2025, 6, 16, 16, 54, 17, 999400, tzinfo=timezone.utc)
    with time_machine.travel(edge, tick=False):
        seam.user_identities.create(user_identity_key="edge")
    assert seam.user_identities.get(user_identity_key="edge").created_at == "2025-06-16T16:54:17.999Z"
    assert identity_keys(seam, created_before="2025-06-16T16:54:17.999Z") == []
    assert identity_keys(seam, created_before="2025-06-16T16:54:17.999500Z") == ["edge"]
    assert identity_keys(seam, created_before="2025-06-16T16:54:18Z") == ["edge"]


@pytest.mark.parametrize("path", ["/user_identities/list", "/acs/users/list"])
def test_created_before_without_a_time_zone_is_refused(
    fake_seam: FakeSeam, raw: Raw, three_moments: dict[str, str], path: str
) -> None:
    with unchanged(fake_seam):
        response = raw.get(path, params={"created_before": "2025-06-16T16:54:18.946"})
    error = assert_error(response, 400, "invalid_input")
    assert "created_before" in error["message"]
    assert error["validation_errors"]["created_before"]["_errors"]


def test_created_before_follows_the_clock_the_records_were_made_under(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    # "Now", as the test's frozen clock has it, excludes what was made at this very instant.
    # (A whole millisecond: created_at keeps no microseconds, see the rounding test above.)
    with time_machine.travel(MOMENT.replace(microsecond=946000), tick=False):
        seam.user_identities.create(user_identity_key="now")
        now = datetime.now(timezone.utc).isoformat()
        assert identity_keys(seam, created_before=now) == []
    later = (MOMENT + timedelta(milliseconds=1)).isoformat()
    assert identity_keys(seam, created_before=later) == ["now"]


# Time: order --------------------------------------------------------------------------


@pytest.mark.parametrize("clock", CLOCKS)
def test_records_made_at_one_instant_list_newest_first(fake_seam: FakeSeam, seam: Seam, clock: str) -> None:
    system = fake_seam.add_acs_system("HQ")["acs_system_id"]
    keys = [f"member-{index}" for index in range(7)]
    with frozen(clock, MOMENT):
        fake_seam.add_acs_user(system, "Seeded first")
        for key in keys:
            seam.user_identities.create(user_identity_key=key, acs_system_ids=[system])
        fake_seam.add_acs_user(system, "Seeded last")
    newest_first = list(reversed(keys))
    users_newest_first = ["Seeded last", *newest_first, "Seeded first"]
    for _ in range(2):
        assert identity_keys(seam) == newest_first
        assert acs_user_names(seam) == users_newest_first
        assert acs_user_names(seam, acs_system_id=system) == users_newest_first
    for limit in (1, 2, 3):
        paged = seam.create_paginator(seam.user_identities.list, {"limit": limit}).flatten_to_list()
        assert [identity.user_identity_key for identity in paged] == newest_first
        paged_users = seam.create_paginator(seam.acs.users.list, {"limit": limit}).flatten_to_list()
        assert [user.full_name for user in paged_users] == users_newest_first
    # At that instant, strictly before it there is nothing; a millisecond later, all of them.
    assert identity_keys(seam, created_before=seam_time(MOMENT)) == []
    just_after = seam_time(MOMENT + timedelta(milliseconds=1))
    assert identity_keys(seam, created_before=just_after, limit=3) == newest_first[:3]


@pytest.mark.parametrize("clock", CLOCKS)
def test_after_time_travel_order_follows_created_at(fake_seam: FakeSeam, seam: Seam, clock: str) -> None:
    system = fake_seam.add_acs_system("HQ")["acs_system_id"]
    noon = datetime(2025, 6, 16, 12, 0, tzinfo=timezone.utc)
    plan = [
        ("noon-a", noon),
        ("ten", noon - timedelta(hours=2)),
        ("eleven", noon - timedelta(hours=1)),
        ("noon-b", noon),
        ("ten-b", noon - timedelta(hours=2)),
    ]
    with frozen(clock, noon) as clock_control:
        for key, moment in plan:
            clock_control.move_to(moment)
            seam.user_identities.create(user_identity_key=key, acs_system_ids=[system])
    expected = ["noon-b", "noon-a", "eleven", "ten-b", "ten"]
    assert identity_keys(seam) == expected
    assert acs_user_names(seam) == expected
    paged = seam.create_paginator(seam.user_identities.list, {"limit": 2}).flatten_to_list()
    assert [identity.user_identity_key for identity in paged] == expected
    paged_users = seam.create_paginator(
        seam.acs.users.list, {"limit": 1, "acs_system_id": system}
    ).flatten_to_list()
    assert [user.full_name for user in paged_users] == expected
    assert identity_keys(seam, created_before="2025-06-16T11:00:00Z") == ["ten-b", "ten"]
    assert acs_user_names(seam, created_before="2025-06-16T13:00:00+02:00") == ["ten-b", "ten"]


def test_order_survives_a_snapshot_round_trip(fake_seam: FakeSeam, seam: Seam) -> None:
    with time_machine.travel(MOMENT, tick=False) as traveller:
        for key in ("a", "b"):
            seam.user_identities.create(user_identity_key=key)
        traveller.move_to(MOMENT - timedelta(minutes=1))
        seam.user_identities.create(user_identity_key="earlier")
        traveller.move_to(MOMENT)
        seam.user_identities.create(user_identity_key="c")
        before = identity_keys(seam)
        fake_seam.restore(json.loads(json.dumps(fake_seam.snapshot())))
        assert identity_keys(seam) == before == ["c", "b", "a", "earlier"]
        # Made after the restore at the same instant, it still lists first.
        seam.user_identities.create(user_identity_key="d")
    assert identity_keys(seam) == ["d", "c", "b", "a", "earlier"]
