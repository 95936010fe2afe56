"""Snapshots: ``snapshot()``, ``restore()`` and ``FakeSeam.from_snapshot()``.

- A Hypothesis property over sequences of writes (identities, links, ACS users,
  seeding, simulated errors, workspaces, tokens, a clock that jumps back and forth):
  the snapshot is JSON, ``from_snapshot``/``restore`` bring it back exactly, the
  restored fake answers every read alike, keeps uniqueness, honours a cursor issued
  before the snapshot and keeps creating records in order.
- Validation: bad snapshots (not a snapshot, missing or unknown fields, records that
  contradict each other) raise ``SnapshotError`` and change nothing.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from helpers import handle_request, unchanged
from hypothesis import given, settings
from hypothesis import strategies as st
from seam import Seam, SeamHttpApiError, SeamHttpInvalidInputError

import seam_fake
from seam_fake import FakeSeam, Response, SnapshotError

MOMENT = datetime(2025, 6, 16, 16, 54, 17, 946123, tzinfo=timezone.utc)


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
        response = handle_request(self.fake, method, path, body, key=self.keys[ws])
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
            response = handle_request(fake, "GET", path, query=params, **kwargs)
        else:
            response = handle_request(fake, "POST", path, params, **kwargs)
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
        first_page = handle_request(world.fake, "GET", "/user_identities/list", query={"limit": 1}).json()
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
                refused = handle_request(
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
        made = handle_request(
            restored, "POST", "/user_identities/create", {"full_name": "After restore"}
        ).json()
        newest = handle_request(restored, "GET", "/user_identities/list", query={"limit": 1}).json()
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
    rest = seam.user_identities.list(limit=2, page_cursor=pagination.next_page_cursor)
    assert [identity.user_identity_key for identity in rest] == ["member-2", "member-1"]


def test_a_restored_fake_is_reachable_through_the_sdk_on_its_own_endpoint() -> None:
    source = FakeSeam(random_seed=3)
    system = source.add_acs_system("HQ")["acs_system_id"]
    source.add_acs_user(system, "Ana Lima", email_address="ana@example.com")
    assert (
        handle_request(
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
    created = handle_request(
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
    assert handle_request(target, "GET", "/acs/systems/list").json()["acs_systems"][0]["name"] == "Mine"
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
