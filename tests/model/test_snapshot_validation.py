"""A hostile snapshot is refused whole: every field of every kind of record, given a value of
the wrong type or out of range, every broken reference and every broken uniqueness rule,
raises ``SnapshotError`` naming where, through ``restore()``, ``/_fake/restore`` and a state
file at start-up, and leaves the fake as it was and still working.

The fields come from the records' own declarations (``dataclasses.fields``), so a field
added later is covered without a new case.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers import assert_error

from seam_fake import FakeSeam, SnapshotError
from seam_fake.model import records
from seam_fake.model.snapshots import KINDS, LOOKUP_INDEXES
from seam_fake.server import BackgroundServer, FakeSeamServer, StateFileError

Snapshot = dict[str, Any]


def demo_snapshot() -> Snapshot:
    """Every kind of record at least once: the demo workspace."""
    return FakeSeam.demo(random_seed=3).snapshot()


def default_ws(snapshot: Snapshot) -> dict[str, Any]:
    ws: dict[str, Any] = snapshot["workspaces"][snapshot["default_workspace_id"]]
    return ws


def wrong_values(hint: Any, name: str) -> list[Any]:
    """Values a field of this type must refuse."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    optional = origin in (types.UnionType, typing.Union) and type(None) in args
    if optional:
        (hint,) = [a for a in args if a is not type(None)]
        origin, args = typing.get_origin(hint), typing.get_args(hint)
    bad: list[Any] = [] if optional else [None]
    if hint is str:
        bad += [7, ["x"], {"x": 1}, True]
        if name.endswith(("_at", "_since")):
            bad += ["yesterday", "2026-12-01 23:45:00", "2026-12-01T23:45:00Z"]
    elif hint is int:
        bad += ["x", "1", -1, True, 1.5, [1]]
    elif hint is bool:
        bad += ["true", 1, 0, None if optional else []]
    elif hint is float:
        bad += ["1", True, [1]]
    elif origin is list:
        bad += ["x", {"a": 1}, 3, [7]] if args[0] is str else ["x", {"a": 1}, [7]]
    elif origin is dict:
        bad += ["x", [], 3, {"k": 7}]
    return [value for value in bad if value is not None or not optional]


def field_cases() -> Iterator[Any]:
    snapshot = demo_snapshot()
    ws = default_ws(snapshot)
    hints = typing.get_type_hints(records.Workspace)
    for field in dataclasses.fields(records.Workspace):
        if field.name in {kind for kind, _, _ in KINDS} or field.name in LOOKUP_INDEXES:
            continue
        if field.name.endswith("_order"):
            continue
        for index, value in enumerate(wrong_values(hints[field.name], field.name)):
            yield pytest.param(("workspace", field.name, value), id=f"workspace.{field.name}-{index}")
    for kind, cls, _ in KINDS:
        assert ws[kind], f"the demo has no {kind}: the cases below would test nothing"
        kind_hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            for index, value in enumerate(wrong_values(kind_hints[field.name], field.name)):
                yield pytest.param((kind, field.name, value), id=f"{kind}.{field.name}-{index}")


def edited(case: tuple[str, str, Any]) -> Snapshot:
    kind, name, value = case
    snapshot = demo_snapshot()
    ws = default_ws(snapshot)
    target = ws if kind == "workspace" else next(iter(ws[kind].values()))
    target[name] = value
    return snapshot


def assert_refused_and_unchanged(bad: Any, *named: str) -> SnapshotError:
    target = FakeSeam(random_seed=12)
    target.add_user_identity(user_identity_key="mine")
    before = json.dumps(target.snapshot())
    with pytest.raises(SnapshotError) as raised:
        target.restore(bad)
    assert json.dumps(target.snapshot()) == before
    message = str(raised.value)
    assert message.startswith("malformed snapshot") or "snapshot" in message
    for part in named:
        assert part in message, message
    # The fake still works after the refusal.
    assert target.add_user_identity(user_identity_key="after")["user_identity_key"] == "after"
    return raised.value


@pytest.mark.parametrize("case", list(field_cases()))
def test_a_field_of_the_wrong_type_or_range_is_refused(case: tuple[str, str, Any]) -> None:
    _, name, _ = case
    assert_refused_and_unchanged(edited(case), name)


def test_the_unedited_snapshot_loads(tmp_path: Path) -> None:
    # The cases above edit this snapshot: it must load as it is, or they prove nothing.
    snapshot = demo_snapshot()
    restored = FakeSeam.from_snapshot(snapshot)
    assert json.dumps(restored.snapshot()) == json.dumps(snapshot)


def test_last_seq_as_text_is_refused_and_creates_still_work() -> None:
    # The defect: accepted, saved, then every create raised TypeError in the next sequence number.
    snapshot = demo_snapshot()
    default_ws(snapshot)["last_seq"] = "x"
    assert_refused_and_unchanged(snapshot, "last_seq", "expected a whole number")


def _first(ws: dict[str, Any], kind: str, where: Callable[[dict[str, Any]], bool] = lambda r: True) -> Any:
    return next(record for record in ws[kind].values() if where(record))


NOBODY = "00000000-0000-4000-8000-00000000000a"


def _set(kind: str, name: str, value: Any, where: Callable[[dict[str, Any]], bool] = lambda r: True) -> Any:
    def edit(snapshot: Snapshot) -> None:
        _first(default_ws(snapshot), kind, where)[name] = value

    return edit


def _seq_above_last(snapshot: Snapshot) -> None:
    ws = default_ws(snapshot)
    _first(ws, "user_identities")["seq"] = ws["last_seq"] + 1


def _duplicate_seq(snapshot: Snapshot) -> None:
    ws = default_ws(snapshot)
    first, second = list(ws["user_identities"].values())[:2]
    second["seq"] = first["seq"]


def _duplicate(kind: str, changes: dict[str, Any]) -> Callable[[Snapshot], None]:
    def edit(snapshot: Snapshot) -> None:
        ws = default_ws(snapshot)
        id_field = next(f for k, _, f in KINDS if k == kind)
        twin = {**copy.deepcopy(_first(ws, kind)), **changes, id_field: NOBODY}
        if "seq" in twin:
            ws["last_seq"] += 1
            twin["seq"] = ws["last_seq"]
        ws[kind][NOBODY] = twin

    return edit


def _record_under_another_key(snapshot: Snapshot) -> None:
    ws = default_ws(snapshot)
    identity_id = next(iter(ws["user_identities"]))
    ws["user_identities"][NOBODY] = ws["user_identities"].pop(identity_id)


def _workspace_under_another_key(snapshot: Snapshot) -> None:
    snapshot["workspaces"][NOBODY] = snapshot["workspaces"].pop(snapshot["default_workspace_id"])


def _api_key_to_nowhere(snapshot: Snapshot) -> None:
    snapshot["api_keys"]["seam_test_elsewhere"] = NOBODY


def _api_key_badly_formed(snapshot: Snapshot) -> None:
    snapshot["api_keys"]["seam_cst_not_a_key"] = snapshot["default_workspace_id"]


def _token_to_nowhere(snapshot: Snapshot) -> None:
    snapshot["personal_access_tokens"]["seam_at_x"] = [NOBODY]


def _token_badly_formed(snapshot: Snapshot) -> None:
    snapshot["personal_access_tokens"]["seam_test_x"] = None


def _unknown_top_level(snapshot: Snapshot) -> None:
    snapshot["admin"] = True


def _identity_on_two_users_of_one_system(snapshot: Snapshot) -> None:
    ws = default_ws(snapshot)
    identity = _first(ws, "user_identities", lambda i: len(i["acs_user_ids"]) == 1)
    (linked_id,) = identity["acs_user_ids"]
    system_id = ws["acs_users"][linked_id]["acs_system_id"]
    other = _first(
        ws, "acs_users", lambda u: u["acs_system_id"] == system_id and u["user_identity_id"] is None
    )
    other["user_identity_id"] = identity["user_identity_id"]
    identity["acs_user_ids"][other["acs_user_id"]] = None


HOSTILE: list[Any] = [
    pytest.param(_seq_above_last, "seq", id="seq-above-last_seq"),
    pytest.param(_duplicate_seq, "seq", id="two-records-one-seq"),
    pytest.param(_record_under_another_key, "not the key it is under", id="record-under-another-id"),
    pytest.param(_workspace_under_another_key, "not the key it is under", id="workspace-under-another-id"),
    pytest.param(_set("user_identities", "workspace_id", NOBODY), "workspace_id", id="record-in-another-ws"),
    pytest.param(_api_key_to_nowhere, "names no workspace", id="api-key-to-nowhere"),
    pytest.param(_api_key_badly_formed, "API key starts with", id="api-key-badly-formed"),
    pytest.param(_token_to_nowhere, "names no workspace", id="token-to-nowhere"),
    pytest.param(_token_badly_formed, "seam_at", id="token-badly-formed"),
    pytest.param(_unknown_top_level, "unknown field 'admin'", id="unknown-top-level-field"),
    pytest.param(_set("acs_systems", "external_type", "moat"), "external_type", id="unknown-acs-kind"),
    pytest.param(_set("acs_credentials", "access_method", "telepathy"), "access_method", id="unknown-method"),
    pytest.param(_set("events", "event_type", "user.teleported"), "event_type", id="unknown-event-type"),
    pytest.param(
        _set("acs_credentials", "acs_user_id", NOBODY), "names no ACS user", id="credential-of-nobody"
    ),
    pytest.param(
        _set("acs_credentials", "parent_acs_credential_id", NOBODY, lambda c: c["parent_acs_credential_id"]),
        "names no credential",
        id="copy-of-no-parent",
    ),
    pytest.param(
        _set("acs_credentials", "device_id", NOBODY, lambda c: c["device_id"]),
        "names no phone",
        id="copy-on-no-phone",
    ),
    pytest.param(
        _set("acs_credentials", "device_id", None, lambda c: c["device_id"]),
        "both a parent and a device_id",
        id="copy-without-a-phone",
    ),
    pytest.param(
        _set("acs_credentials", "acs_system_id", NOBODY), "names no ACS system", id="credential-on-no-system"
    ),
    pytest.param(
        _set("phones", "owner_user_identity_id", NOBODY), "names no user identity", id="phone-of-nobody"
    ),
    pytest.param(
        _set("client_sessions", "user_identity_ids", [NOBODY]),
        "names no user identity",
        id="session-of-nobody",
    ),
    pytest.param(
        _set("instant_keys", "client_session_id", NOBODY), "names no client session", id="key-no-session"
    ),
    pytest.param(_set("instant_keys", "max_use_count", 0), "max_use_count", id="key-used-zero-times"),
    pytest.param(_set("acs_users", "acs_system_id", NOBODY), "names no ACS system", id="user-on-no-system"),
    pytest.param(_duplicate("user_identities", {"acs_user_ids": {}}), "two user identities share", id="twin"),
    pytest.param(
        _duplicate("client_sessions", {"token": "seam_cst_twin"}),
        "user_identifier_key",
        id="session-key-twin",
    ),
    pytest.param(
        _duplicate("client_sessions", {"user_identifier_key": None}),
        "token is not unique",
        id="session-token-twin",
    ),
    pytest.param(
        _identity_on_two_users_of_one_system, "two ACS users on one system", id="two-users-one-system"
    ),
    pytest.param(
        _set("user_identities", "acs_user_ids", {NOBODY: None}, lambda i: i["acs_user_ids"]),
        "which is not linked to it",
        id="identity-lists-unknown-user",
    ),
]


@pytest.mark.parametrize(("edit", "named"), HOSTILE)
def test_a_snapshot_that_contradicts_itself_is_refused(edit: Callable[[Snapshot], None], named: str) -> None:
    snapshot = demo_snapshot()
    edit(snapshot)
    assert_refused_and_unchanged(snapshot, named)


def test_an_old_snapshot_without_sequence_numbers_for_phones_and_sessions_loads() -> None:
    snapshot = demo_snapshot()
    ws = default_ws(snapshot)
    for kind in ("phones", "client_sessions", "instant_keys"):
        for record in ws[kind].values():
            del record["seq"]
    restored = FakeSeam.from_snapshot(snapshot)
    restored_ws = default_ws(restored.snapshot())
    numbers = [
        r["seq"] for kind in ("phones", "client_sessions", "instant_keys") for r in restored_ws[kind].values()
    ]
    assert all(number > ws["last_seq"] for number in numbers) and len(set(numbers)) == len(numbers)
    assert restored_ws["last_seq"] == ws["last_seq"] + len(numbers)
    assert list(restored_ws["client_sessions"]) == list(ws["client_sessions"])


def test_restore_over_http_refuses_with_invalid_input_naming_the_field() -> None:
    snapshot = demo_snapshot()
    default_ws(snapshot)["last_seq"] = "x"
    with BackgroundServer() as server:
        before = json.dumps(server.fake.snapshot())
        response = requests.post(
            server.endpoint + "/_fake/restore",
            json={"snapshot": snapshot},
            headers={"Authorization": f"Bearer {server.admin_token}"},
            timeout=10,
        )
        error = assert_error(response, 400, "invalid_input")
        assert "last_seq" in error["message"]
        assert json.dumps(server.fake.snapshot()) == before


def test_a_hostile_state_file_stops_the_server_before_it_serves(tmp_path: Path) -> None:
    snapshot = demo_snapshot()
    default_ws(snapshot)["last_seq"] = "x"
    path = tmp_path / "state.json"
    path.write_text(json.dumps(snapshot))
    before = path.read_bytes()
    with pytest.raises(StateFileError, match="last_seq"):
        FakeSeamServer(FakeSeam(), state_file=path)
    assert path.read_bytes() == before
