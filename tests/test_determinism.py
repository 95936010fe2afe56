"""Reproducibility: seeded fakes, snapshots, and the clock.

Covered here:

- Deterministic mode. ``FakeSeam(random_seed=...)`` under a frozen clock (time-machine
  and freezegun) answers the same sequence of calls with the same bytes and headers:
  ids, generated API keys and personal access tokens, ``seam-request-id`` and
  ``error.request_id``, and page cursors. Driven through ``fake.handle`` directly and
  through the ``seam`` SDK (each fake patched in turn, and two fakes on different
  endpoints side by side). Another seed gives other values in the same places, and
  an extra call shifts what follows.
- Snapshots. A Hypothesis property over sequences of writes (identities, links, ACS
  users, seeding, simulated errors, workspaces, tokens, a clock that jumps back and
  forth): the snapshot is JSON, ``from_snapshot``/``restore`` bring it back exactly,
  the restored fake answers every read alike, keeps uniqueness, honours a cursor
  issued before the snapshot and keeps creating records in order. Bad snapshots raise
  ``SnapshotError`` and change nothing.
- Time. ``created_at`` follows freezegun and time-machine (UTC, milliseconds, ``Z``);
  ``created_before`` on both lists is strict, reads offsets and rounds sub-millisecond
  values up; records created at one frozen instant list newest-first by creation
  sequence, stably across calls and pages; after time travel, order follows
  ``created_at``.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

import freezegun
import pytest
import time_machine
from conftest import Raw, assert_error, unchanged
from hypothesis import given, settings
from hypothesis import strategies as st
from seam import Seam, SeamHttpApiError, SeamHttpInvalidInputError

import seam_fake
from seam_fake import FakeSeam, Request, Response, SnapshotError

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


def seam_time(moment: datetime) -> str:
    """How Seam writes a moment: UTC, milliseconds (truncated), Z."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def call(
    fake: FakeSeam,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    query: str | dict[str, Any] = "",
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """One request straight to ``fake.handle``, authenticated with ``key`` (default: the fake's)."""
    sent = {"Authorization": f"Bearer {key or fake.api_key}", **(headers or {})}
    if isinstance(query, dict):
        query = urlencode(query, doseq=True)
    data = json.dumps(body).encode() if body is not None else b""
    return fake.handle(Request(method, path, query, sent, data))


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
        call(
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
            call(
                fake,
                "POST",
                "/user_identities/create",
                {"user_identity_key": f"member-{index}", "acs_system_ids": systems[: index % 2 + 1]},
            ),
        )
    record(
        "acs user create",
        call(fake, "POST", "/acs/users/create", {"acs_system_id": systems[0], "full_name": "Visitor"}),
    )
    first = record("list page 1", call(fake, "GET", "/user_identities/list", query={"limit": 2}))
    cursor = first.json()["pagination"]["next_page_cursor"]
    assert cursor
    second = record(
        "list page 2",
        call(fake, "GET", "/user_identities/list", query={"limit": 2, "page_cursor": cursor}),
    )
    assert second.json()["pagination"]["next_page_cursor"]
    acs_first = record("acs list page 1", call(fake, "POST", "/acs/users/list", {"limit": 3}))
    acs_cursor = acs_first.json()["pagination"]["next_page_cursor"]
    assert acs_cursor
    record("acs list page 2", call(fake, "POST", "/acs/users/list", {"limit": 3, "page_cursor": acs_cursor}))
    record(
        "duplicate email",
        call(fake, "POST", "/user_identities/create", {"email_address": "JANE@example.com"}),
    )
    record("unknown key", call(fake, "GET", "/user_identities/get", query={"user_identity_key": "nobody"}))
    record("bad input", call(fake, "POST", "/user_identities/create", {"email_address": "nope"}))
    record("unauthorized", call(fake, "GET", "/workspaces/get", key="seam_test_unknown"))
    record("no route", call(fake, "GET", "/nowhere"))
    record("pat lists workspaces", call(fake, "GET", "/workspaces/list", key=pat))
    record(
        "pat creates elsewhere",
        call(
            fake,
            "POST",
            "/user_identities/create",
            {"full_name": "Elsewhere"},
            key=limited_pat,
            headers={"seam-workspace": other["workspace_id"]},
        ),
    )
    record("extra key", call(fake, "GET", "/workspaces/get", key=extra_key))
    record(
        "update",
        call(fake, "POST", "/user_identities/update", {"user_identity_id": linked["user_identity_id"]}),
    )
    record("get", call(fake, "GET", "/user_identities/get", query={"user_identity_key": "member-1"}))
    record(
        "delete",
        call(fake, "POST", "/user_identities/delete", {"user_identity_id": linked["user_identity_id"]}),
    )
    record("final list", call(fake, "GET", "/acs/users/list"))
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
        assert call(busy, "GET", "/user_identities/get", query={"user_identity_key": "x"}).status == 404
        made = call(quiet, "POST", "/user_identities/create", {"full_name": "Ada"})
        made_after = call(busy, "POST", "/user_identities/create", {"full_name": "Ada"})
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


# Snapshots: a property over sequences of writes ---------------------------------------

EMAILS = ("ana@example.com", "ANA@Example.com", "ben@example.org", "cleo@example.test")
PHONES = ("+15555550100", "+15555550111", "+447700900123")
KEYS = ("ana", "ben", "cleo")
NAMES = ("Ana Lima", "Ben Ode", "Łucja Nowak")
T0 = datetime(2025, 6, 16, 12, 0, 0, tzinfo=timezone.utc)
# Equal instants, later ones, and jumps back.
INSTANTS = (
    T0,
    T0 + timedelta(milliseconds=1),
    T0 + timedelta(hours=1, microseconds=500),
    T0 - timedelta(days=1),
)


def maybe(values: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(values)


INDEX = st.integers(0, 7)
IDENTITY_CHANGES = st.fixed_dictionaries(
    {},
    optional={
        "user_identity_key": maybe(KEYS),
        "email_address": maybe(EMAILS),
        "phone_number": maybe(PHONES),
        "full_name": maybe(NAMES),
    },
)
CREATE = st.tuples(
    st.just("create"),
    INDEX,
    maybe(KEYS),
    maybe(EMAILS),
    maybe(PHONES),
    maybe(NAMES),
    st.lists(INDEX, max_size=2),
)
OPERATIONS = st.one_of(
    # Creation drawn more often than the rest, so later operations have records to act on.
    CREATE,
    CREATE,
    CREATE,
    st.tuples(st.just("update"), INDEX, INDEX, IDENTITY_CHANGES),
    st.tuples(st.just("update"), INDEX, INDEX, IDENTITY_CHANGES),
    st.tuples(st.just("delete"), INDEX, INDEX),
    st.tuples(st.just("add_acs_user"), INDEX, INDEX, INDEX),
    st.tuples(st.just("add_acs_user_by_key"), INDEX, INDEX, st.sampled_from(KEYS)),
    st.tuples(st.just("remove_acs_user"), INDEX, INDEX, INDEX),
    st.tuples(
        st.just("acs_create"),
        INDEX,
        INDEX,
        st.sampled_from(NAMES),
        maybe(EMAILS),
        maybe(PHONES),
        st.none() | INDEX,
    ),
    st.tuples(st.just("acs_update"), INDEX, INDEX, st.sampled_from(NAMES), maybe(EMAILS)),
    st.tuples(st.just("acs_delete"), INDEX, INDEX),
    st.tuples(st.just("suspend"), INDEX, INDEX),
    st.tuples(st.just("simulate_acs_user_error"), INDEX),
    st.tuples(st.just("being_deleted"), INDEX),
    st.tuples(st.just("add_acs_system"), INDEX, st.sampled_from(["salto_ks_site", "visionline_system"])),
    st.tuples(st.just("seed_acs_user"), INDEX, st.sampled_from(NAMES), maybe(EMAILS), maybe(PHONES)),
    st.tuples(st.just("add_workspace")),
    st.tuples(st.just("add_personal_access_token"), st.booleans()),
    st.tuples(st.just("clock"), st.integers(0, len(INSTANTS) - 1)),
)


@dataclass
class World:
    """Ids the operations have made, per workspace; stale ids stay and draw 404s."""

    fake: FakeSeam
    keys: list[str]
    systems: list[list[str]]
    identities: list[list[str]] = field(default_factory=list)
    acs_users: list[list[str]] = field(default_factory=list)
    tokens: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def start(cls) -> World:
        fake = FakeSeam()
        hq = fake.add_acs_system("HQ")["acs_system_id"]
        seeded = fake.add_acs_user(hq, "Ana Lima", email_address="ana@example.com")["acs_user_id"]
        fake.add_acs_user(hq, "Ben Ode", phone_number="+15555550111")
        world = cls(fake, [fake.api_key], [[hq]], [[]], [[seeded]])
        # Two identities to start from: one takes the seeded ACS user, one gets a new one.
        world.apply(("create", 0, None, "ana@example.com", None, "Ana Lima", [0]))
        world.apply(("create", 0, "ben", None, None, None, [0]))
        assert len(world.identities[0]) == 2
        return world

    def ws(self, index: int) -> int:
        return index % len(self.keys)

    @staticmethod
    def pick(ids: list[str], index: int) -> str:
        # A UUID nothing holds when the list is empty: the request gets its 404.
        return ids[index % len(ids)] if ids else "00000000-0000-4000-8000-000000000000"

    def api(self, ws: int, method: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        response = call(self.fake, method, path, body, key=self.keys[ws])
        assert response.status in (200, 400, 404), response.body
        return response.json() if response.status == 200 else None

    def apply(self, op: tuple[Any, ...]) -> None:
        kind = op[0]
        if kind == "create":
            ws = self.ws(op[1])
            body = {
                name: value
                for name, value in zip(
                    ("user_identity_key", "email_address", "phone_number", "full_name"), op[2:6], strict=True
                )
                if value is not None
            }
            body["acs_system_ids"] = [self.pick(self.systems[ws], i) for i in op[6]]
            made = self.api(ws, "POST", "/user_identities/create", body)
            if made is not None:
                self.identities[ws].append(made["user_identity"]["user_identity_id"])
                self.acs_users[ws].extend(made["user_identity"]["acs_user_ids"])
        elif kind == "update":
            ws = self.ws(op[1])
            self.api(
                ws,
                "PATCH",
                "/user_identities/update",
                {"user_identity_id": self.pick(self.identities[ws], op[2]), **op[3]},
            )
        elif kind == "delete":
            ws = self.ws(op[1])
            self.api(
                ws,
                "DELETE",
                "/user_identities/delete",
                {"user_identity_id": self.pick(self.identities[ws], op[2])},
            )
        elif kind in ("add_acs_user", "remove_acs_user"):
            ws = self.ws(op[1])
            self.api(
                ws,
                "POST",
                f"/user_identities/{kind}",
                {
                    "user_identity_id": self.pick(self.identities[ws], op[2]),
                    "acs_user_id": self.pick(self.acs_users[ws], op[3]),
                },
            )
        elif kind == "add_acs_user_by_key":
            ws = self.ws(op[1])
            body = {"acs_user_id": self.pick(self.acs_users[ws], op[2]), "user_identity_key": op[3]}
            if self.api(ws, "PUT", "/user_identities/add_acs_user", body) is not None:
                got = self.api(ws, "GET", "/user_identities/get", {"user_identity_key": op[3]})
                assert got is not None
                if got["user_identity"]["user_identity_id"] not in self.identities[ws]:
                    self.identities[ws].append(got["user_identity"]["user_identity_id"])
        elif kind == "acs_create":
            ws = self.ws(op[1])
            body = {"acs_system_id": self.pick(self.systems[ws], op[2]), "full_name": op[3]}
            if op[4] is not None:
                body["email_address"] = op[4]
            if op[5] is not None:
                body["phone_number"] = op[5]
            if op[6] is not None:
                body["user_identity_id"] = self.pick(self.identities[ws], op[6])
            made = self.api(ws, "POST", "/acs/users/create", body)
            if made is not None:
                self.acs_users[ws].append(made["acs_user"]["acs_user_id"])
        elif kind == "acs_update":
            ws = self.ws(op[1])
            body = {"acs_user_id": self.pick(self.acs_users[ws], op[2]), "full_name": op[3]}
            if op[4] is not None:
                body["email_address"] = op[4]
            self.api(ws, "PATCH", "/acs/users/update", body)
        elif kind in ("acs_delete", "suspend"):
            ws = self.ws(op[1])
            path = "/acs/users/delete" if kind == "acs_delete" else "/acs/users/suspend"
            self.api(ws, "POST", path, {"acs_user_id": self.pick(self.acs_users[ws], op[2])})
        elif kind in ("simulate_acs_user_error", "being_deleted"):
            every = [
                i
                for ids in (self.acs_users if kind == "simulate_acs_user_error" else self.identities)
                for i in ids
            ]
            if every:
                target = self.pick(every, op[1])
                try:
                    if kind == "simulate_acs_user_error":
                        self.fake.simulate_acs_user_error(target)
                    else:
                        self.fake.simulate_user_identity_being_deleted(target)
                except KeyError:
                    pass  # deleted since: nothing to mark
        elif kind == "add_acs_system":
            ws = self.ws(op[1])
            workspace_id = self.workspace_id(ws)
            made = self.fake.add_acs_system("Wing", workspace_id=workspace_id, external_type=op[2])
            self.systems[ws].append(made["acs_system_id"])
        elif kind == "seed_acs_user":
            every = [(ws, system) for ws, systems in enumerate(self.systems) for system in systems]
            ws, system = every[op[1] % len(every)]
            made = self.fake.add_acs_user(system, op[2], email_address=op[3], phone_number=op[4])
            self.acs_users[ws].append(made["acs_user_id"])
        elif kind == "add_workspace":
            made = self.fake.add_workspace(f"Workspace {len(self.keys)}")
            self.keys.append(made["api_key"])
            self.systems.append([])
            self.identities.append([])
            self.acs_users.append([])
        elif kind == "add_personal_access_token":
            workspace_id = self.workspace_id(len(self.keys) - 1)
            token = self.fake.add_personal_access_token([workspace_id] if op[1] else None)
            self.tokens.append((token, workspace_id))
        else:
            raise AssertionError(kind)

    def workspace_id(self, ws: int) -> str:
        answer = self.api(ws, "GET", "/workspaces/get", {})
        assert answer is not None
        workspace_id: str = answer["workspace"]["workspace_id"]
        return workspace_id


def read_everything(fake: FakeSeam, world: World, cursor: str | None) -> list[tuple[int, bytes]]:
    """Status and body of every read, for every workspace and token; request ids left out."""
    answers: list[tuple[int, bytes]] = []

    def read(method: str, path: str, params: dict[str, Any], **kwargs: Any) -> Response:
        if method == "GET":
            response = call(fake, "GET", path, query=params, **kwargs)
        else:
            response = call(fake, "POST", path, params, **kwargs)
        answers.append((response.status, response.body))
        return response

    def walk(method: str, path: str, key: str, limit: int) -> None:
        params: dict[str, Any] = {"limit": limit}
        while True:
            page = read(method, path, params, key=key).json()
            if not page["pagination"]["has_next_page"]:
                return
            params = {"limit": limit, "page_cursor": page["pagination"]["next_page_cursor"]}

    for key in world.keys:
        identities = read("GET", "/user_identities/list", {}, key=key).json()["user_identities"]
        walk("GET", "/user_identities/list", key, 2)
        walk("POST", "/acs/users/list", key, 3)
        read("POST", "/acs/systems/list", {}, key=key)
        for identity in identities:
            if identity["user_identity_key"] is not None:
                params = {"user_identity_key": identity["user_identity_key"]}
                read("GET", "/user_identities/get", params, key=key)
    for token, workspace_id in world.tokens:
        read("GET", "/acs/users/list", {}, key=token, headers={"seam-workspace": workspace_id})
    if cursor is not None:
        read("GET", "/user_identities/list", {"limit": 1, "page_cursor": cursor})
    return answers


def latest(records: dict[str, Any]) -> datetime:
    return max(datetime.fromisoformat(r["created_at"].replace("Z", "+00:00")) for r in records.values())


# Half the profile's budget: each example replays its reads against two fakes.
@settings(max_examples=max(1, settings.default.max_examples // 2))
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=25))
def test_snapshot_round_trips_losslessly(operations: list[tuple[Any, ...]]) -> None:
    world = World.start()
    with time_machine.travel(INSTANTS[0], tick=False) as traveller:
        for op in operations:
            if op[0] == "clock":
                traveller.move_to(INSTANTS[op[1]])
            else:
                world.apply(op)
        first_page = call(world.fake, "GET", "/user_identities/list", query={"limit": 1}).json()
        cursor = first_page["pagination"]["next_page_cursor"]

        snap = world.fake.snapshot()
        text = json.dumps(snap)
        assert json.loads(text) == snap
        restored = FakeSeam.from_snapshot(json.loads(text))
        assert restored.snapshot() == snap
        assert (restored.workspace_id, restored.api_key) == (world.fake.workspace_id, world.fake.api_key)
        elsewhere = FakeSeam(random_seed=1)
        elsewhere.add_acs_system("Somewhere else")
        elsewhere.restore(json.loads(text))
        assert elsewhere.snapshot() == snap

        assert read_everything(restored, world, cursor) == read_everything(world.fake, world, cursor)

        # Uniqueness survives: each value a restored identity holds is still taken.
        identities = snap["workspaces"][world.fake.workspace_id]["user_identities"].values()
        for name, conflict in (
            ("user_identity_key", "user_identity_key_already_in_use"),
            ("email_address", "email_address_already_in_use"),
            ("phone_number", "phone_number_already_in_use"),
        ):
            taken = next((identity[name] for identity in identities if identity[name] is not None), None)
            if taken is None:
                continue
            with unchanged(restored):
                refused = call(
                    restored,
                    "POST",
                    "/user_identities/create",
                    {name: taken.upper() if name == "email_address" else taken},
                )
            assert refused.status == 400 and refused.json()["error"]["type"] == conflict

        # The creation sequence goes on: a record made now, at the latest instant, lists first.
        records = snap["workspaces"][restored.workspace_id]["user_identities"]
        if records:
            traveller.move_to(latest(records))
        made = call(restored, "POST", "/user_identities/create", {"full_name": "After restore"}).json()
        newest = call(restored, "GET", "/user_identities/list", query={"limit": 1}).json()
        assert newest["user_identities"] == [made["user_identity"]]
    # The restored fake and the snapshot share nothing.
    assert world.fake.snapshot() == snap
    assert json.dumps(snap) == text


def test_a_cursor_from_before_the_snapshot_pages_the_restored_fake(fake_seam: FakeSeam, seam: Seam) -> None:
    keys = [f"member-{index}" for index in range(5)]
    with time_machine.travel(MOMENT, tick=False):
        for key in keys:
            seam.user_identities.create(user_identity_key=key)
    _, pagination = seam.create_paginator(seam.user_identities.list, {"limit": 2}).first_page()
    assert pagination is not None and pagination.next_page_cursor
    snap = fake_seam.snapshot()
    fake_seam.reset()
    with pytest.raises(SeamHttpInvalidInputError) as error:
        seam.user_identities.list(limit=2, page_cursor=pagination.next_page_cursor)
    assert error.value.get_validation_error_messages("page_cursor")
    fake_seam.restore(snap)
    rest = seam.user_identities.list(limit=10, page_cursor=pagination.next_page_cursor)
    assert [identity.user_identity_key for identity in rest] == ["member-2", "member-1", "member-0"]


def test_a_restored_fake_is_reachable_through_the_sdk_on_its_own_endpoint() -> None:
    source = FakeSeam(random_seed=3)
    system = source.add_acs_system("HQ")["acs_system_id"]
    source.add_acs_user(system, "Ana Lima", email_address="ana@example.com")
    assert (
        call(
            source,
            "POST",
            "/user_identities/create",
            {"email_address": "ana@example.com", "acs_system_ids": [system]},
        ).status
        == 200
    )
    restored = FakeSeam.from_snapshot(
        json.loads(json.dumps(source.snapshot())), endpoint="https://restored.seam-fake.test"
    )
    with restored.patch():
        seam = Seam(api_key=restored.api_key, endpoint=restored.endpoint)
        [identity] = seam.user_identities.list()
        [acs_user] = seam.acs.users.list(acs_system_id=system)
        with pytest.raises(SeamHttpApiError) as error:
            seam.user_identities.create(email_address="Ana@Example.com")
    assert identity.email_address == "ana@example.com"
    assert acs_user.user_identity_id == identity.user_identity_id
    assert error.value.code == "email_address_already_in_use"


# Snapshots: what restore refuses ------------------------------------------------------


def populated() -> FakeSeam:
    fake = FakeSeam(random_seed=11)
    system = fake.add_acs_system("HQ")["acs_system_id"]
    fake.add_acs_user(system, "Ana Lima", email_address="ana@example.com")
    fake.add_workspace("Other")
    fake.add_personal_access_token()
    created = call(
        fake,
        "POST",
        "/user_identities/create",
        {"email_address": "ana@example.com", "acs_system_ids": [system]},
    )
    assert created.status == 200
    return fake


def _first(mapping: dict[str, Any]) -> Any:
    return next(iter(mapping.values()))


def _without(name: str) -> Callable[[dict[str, Any]], Any]:
    def edit(snap: dict[str, Any]) -> Any:
        del snap[name]
        return snap

    return edit


def _set(name: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    def edit(snap: dict[str, Any]) -> Any:
        snap[name] = value
        return snap

    return edit


def _other_workspace_key(snap: dict[str, Any]) -> Any:
    snap["default_api_key"] = next(
        k for k, w in snap["api_keys"].items() if w != snap["default_workspace_id"]
    )
    return snap


def _unknown_default_workspace(snap: dict[str, Any]) -> Any:
    snap["default_workspace_id"] = str(uuid.UUID(int=1, version=4))
    return snap


def _default_workspace_dropped(snap: dict[str, Any]) -> Any:
    del snap["workspaces"][snap["default_workspace_id"]]
    return snap


def _workspace_field_missing(snap: dict[str, Any]) -> Any:
    del snap["workspaces"][snap["default_workspace_id"]]["last_seq"]
    return snap


def _identity_field_missing(snap: dict[str, Any]) -> Any:
    del _first(snap["workspaces"][snap["default_workspace_id"]]["user_identities"])["created_at"]
    return snap


def _acs_user_on_unknown_system(snap: dict[str, Any]) -> Any:
    _first(snap["workspaces"][snap["default_workspace_id"]]["acs_users"])["acs_system_id"] = str(uuid.uuid4())
    return snap


def _identity_with_unknown_field(snap: dict[str, Any]) -> Any:
    _first(snap["workspaces"][snap["default_workspace_id"]]["user_identities"])["nickname"] = "Ana"
    return snap


BAD_SNAPSHOTS: list[Any] = [
    pytest.param(lambda snap: [snap], id="a-list"),
    pytest.param(lambda snap: None, id="none"),
    pytest.param(lambda snap: json.dumps(snap), id="json-text"),
    pytest.param(_set("format", "something-else"), id="wrong-format"),
    pytest.param(_without("format"), id="no-format"),
    pytest.param(_set("version", 2), id="version-2"),
    pytest.param(_set("version", "1"), id="version-as-text"),
    pytest.param(_without("version"), id="no-version"),
    *(
        pytest.param(_without(name), id=f"no-{name}")
        for name in (
            "workspaces",
            "api_keys",
            "personal_access_tokens",
            "cursor_secret",
            "default_workspace_id",
            "default_api_key",
        )
    ),
    pytest.param(_set("workspaces", []), id="workspaces-a-list"),
    pytest.param(_other_workspace_key, id="default-key-of-another-workspace"),
    pytest.param(_set("default_api_key", "seam_test_unknown"), id="default-key-unknown"),
    pytest.param(_unknown_default_workspace, id="default-workspace-unknown"),
    pytest.param(_default_workspace_dropped, id="default-workspace-missing"),
    pytest.param(_workspace_field_missing, id="workspace-field-missing"),
    pytest.param(_identity_field_missing, id="identity-field-missing"),
    pytest.param(_identity_with_unknown_field, id="identity-unknown-field"),
    pytest.param(_acs_user_on_unknown_system, id="acs-user-on-unknown-system"),
]


@pytest.mark.parametrize("edit", BAD_SNAPSHOTS)
def test_restore_refuses_what_is_not_a_snapshot_and_changes_nothing(
    edit: Callable[[dict[str, Any]], Any],
) -> None:
    bad = edit(copy.deepcopy(populated().snapshot()))
    target = FakeSeam(random_seed=12)
    target.add_acs_system("Mine")
    credentials = (target.workspace_id, target.api_key)
    with unchanged(target), pytest.raises(SnapshotError) as error:
        target.restore(bad)
    assert isinstance(error.value, ValueError)
    assert str(error.value)
    assert (target.workspace_id, target.api_key) == credentials
    # Still answers with its own key.
    assert call(target, "GET", "/acs/systems/list").json()["acs_systems"][0]["name"] == "Mine"
    with pytest.raises(SnapshotError):
        FakeSeam.from_snapshot(bad)


NOBODY = "00000000-0000-4000-8000-00000000000a"


def _identity_links_unknown_acs_user(snap: dict[str, Any]) -> Any:
    _first(snap["workspaces"][snap["default_workspace_id"]]["user_identities"])["acs_user_ids"][NOBODY] = None
    return snap


def _acs_user_linked_to_unknown_identity(snap: dict[str, Any]) -> Any:
    for user in snap["workspaces"][snap["default_workspace_id"]]["acs_users"].values():
        user["user_identity_id"] = NOBODY
    return snap


def _two_identities_share_an_email(snap: dict[str, Any]) -> Any:
    identities = snap["workspaces"][snap["default_workspace_id"]]["user_identities"]
    twin = {**copy.deepcopy(_first(identities)), "user_identity_id": NOBODY, "acs_user_ids": {}, "seq": 99}
    identities[NOBODY] = twin
    return snap


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(_identity_links_unknown_acs_user, id="identity-links-unknown-acs-user"),
        pytest.param(_acs_user_linked_to_unknown_identity, id="acs-user-linked-to-unknown-identity"),
        pytest.param(_two_identities_share_an_email, id="two-identities-share-an-email"),
    ],
)
def test_restore_refuses_records_that_contradict_each_other(edit: Callable[[dict[str, Any]], Any]) -> None:
    # Each of these, once restored, makes a later request raise KeyError out of `handle`
    # (rendering the dangling link; deleting the second holder of the email).
    bad = edit(copy.deepcopy(populated().snapshot()))
    target = FakeSeam(random_seed=12)
    with unchanged(target), pytest.raises(SnapshotError):
        target.restore(bad)


def test_snapshot_error_is_exported_as_a_value_error() -> None:
    assert seam_fake.SnapshotError is SnapshotError
    assert issubclass(SnapshotError, ValueError)


def test_restore_accepts_its_own_snapshot_after_a_refusal() -> None:
    source = populated()
    snap = source.snapshot()
    target = FakeSeam()
    with pytest.raises(SnapshotError):
        target.restore({**snap, "version": 99})
    target.restore(snap)
    assert target.snapshot() == snap
    assert (target.workspace_id, target.api_key) == (source.workspace_id, source.api_key)


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
