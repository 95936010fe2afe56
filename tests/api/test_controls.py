"""The ``/_fake/`` controls and simulated outages.

Covered:

- The ``/_fake/`` controls (reset, snapshot, restore, add_acs_system, add_acs_user,
  simulate_acs_user_error, simulate_user_identity_being_deleted,
  simulate_outage), both over a real HTTP server
  (``fake_seam_server``) and in process (``fake_seam`` + ``raw``): each one's accepted
  case, its effect compared with the ``FakeSeam`` method of the same name (through
  ``snapshot()``), every rejected case (status, type, parameter named, state unchanged),
  and the contract shared by all of them (401 without valid credentials, 405 with
  ``Allow``, 404 for an unknown control, Seam's envelope and ``seam-request-id``).
- ``FakeSeam.simulate_outage``: the next N calls of a route fail with 503
  ``service_unavailable`` or 429 ``too_many_requests`` and ``Retry-After``, whatever
  the method or credentials; the SDK's retries of GET use the failures up (counted by
  wrapping ``fake.handle``), POST is not retried; failed calls change nothing; invalid
  arguments raise ``ValueError``; ``reset()`` clears pending outages.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest
import requests
import time_machine
from helpers import Raw, assert_error, identities, ok, unchanged
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam
from seam_fake.api.controls import CONTROLS
from seam_fake.server import BackgroundServer

CREATE = "/user_identities/create"
GET = "/user_identities/get"
LIST = "/user_identities/list"
TIMEOUT = 10.0
MOMENT = datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone.utc)


# Helpers ----------------------------------------------------------------------------------------------------

_DEFAULT = object()


@dataclass
class Target:
    """One way to reach a fake: over real HTTP or in process through the patched ``requests``."""

    name: str
    fake: FakeSeam
    base: str
    session: requests.Session

    def call(
        self,
        method: str,
        path: str,
        *,
        key: object = _DEFAULT,
        headers: dict[str, Any] | None = None,
        **kw: Any,
    ) -> requests.Response:
        """A request with ``Bearer <key>``: by default the fake's API key, or its admin token for
        a control that acts on the whole fake (None sends no Authorization)."""
        sent: dict[str, Any] = dict(headers or {})
        if key is _DEFAULT:
            control = CONTROLS.get(path.rstrip("/"))
            key = self.fake.admin_token if control and control.scope == "fake" else self.fake.api_key
        sent["Authorization"] = None if key is None else f"Bearer {key}"
        return self.session.request(method, self.base + path, headers=sent, timeout=TIMEOUT, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> requests.Response:
        return self.call("POST", path, json=json, **kw)


@pytest.fixture(params=["http", "in_process"])
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    if request.param == "http":
        server: BackgroundServer = request.getfixturevalue("fake_seam_server")
        # The plugin resets the session's server only for tests that name the fixture in their
        # signature; one reached through getfixturevalue keeps the previous test's state.
        server.fake.reset()
        with requests.Session() as session:
            yield Target("http", server.fake, server.endpoint, session)
    else:
        raw: Raw = request.getfixturevalue("raw")
        yield Target("in_process", raw.fake, raw.fake.endpoint, raw.session)


def invalid_params(response: requests.Response) -> dict[str, Any]:
    """``validation_errors`` of a 400 ``invalid_input`` answer."""
    error = assert_error(response, 400, "invalid_input")
    validation_errors: dict[str, Any] = error["validation_errors"]
    return validation_errors


def _pairs(a: Any, b: Any) -> Iterator[tuple[str, str]]:
    """(a's string, b's string) at every place where two same-shaped JSON values hold different strings."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        for name in a:
            yield from _pairs(a[name], b[name])
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for x, y in zip(a, b, strict=True):
            yield from _pairs(x, y)
    elif isinstance(a, str) and isinstance(b, str) and a != b:
        yield a, b


def assert_same_effect(
    fake: FakeSeam, via_control: Callable[[], dict[str, Any]], via_python: Callable[[], dict[str, Any]]
) -> None:
    """The control and the Python method, each run from the same state at the same frozen instant,
    leave equal states and answer alike, up to the random ids each draws."""
    before = fake.snapshot()
    with time_machine.travel(MOMENT, tick=False):
        control_answer = via_control()
    after_control = fake.snapshot()
    assert after_control != before
    fake.restore(before)
    with time_machine.travel(MOMENT, tick=False):
        python_answer = via_python()
    after_python = fake.snapshot()
    # Fresh ids are random: map the ids the Python run drew onto those the control drew.
    renamed = dict(_pairs(python_answer, control_answer))
    old_text = json.dumps(before)
    for python_id, control_id in renamed.items():
        assert uuid_like(python_id) and uuid_like(control_id), (python_id, control_id)
        assert python_id not in old_text and control_id not in old_text
    # A reset draws a new random cursor secret too.
    if after_python["cursor_secret"] != after_control["cursor_secret"]:
        renamed[after_python["cursor_secret"]] = after_control["cursor_secret"]
    text = json.dumps(after_python)
    for old, new in renamed.items():
        text = text.replace(old, new)
    assert json.loads(text) == after_control
    answer_text = json.dumps(python_answer)
    for old, new in renamed.items():
        answer_text = answer_text.replace(old, new)
    assert json.loads(answer_text) == control_answer


def uuid_like(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# The /_fake/ controls ------------------------------------------------------------------------------------


def test_reset_control_empties_the_fake_as_reset_does(target: Target) -> None:
    fake = target.fake
    system = fake.add_acs_system("Lobby")
    fake.add_acs_user(system["acs_system_id"], "Ann Lee", "ann@example.com")
    ok(target.post(CREATE, {"user_identity_key": "before_reset", "email_address": "ann@example.com"}))
    other = fake.add_workspace("Other")
    workspace_id, api_key = fake.workspace_id, fake.api_key

    def python_reset() -> dict[str, Any]:
        fake.reset()
        return {"ok": True}

    assert_same_effect(fake, lambda: ok(target.post("/_fake/reset")), python_reset)

    state = fake.snapshot()
    assert list(state["workspaces"]) == [workspace_id]
    assert state["api_keys"] == {api_key: workspace_id}
    assert other["api_key"] not in state["api_keys"]
    # The default key still works, over the same transport, and the workspace is empty.
    assert ok(target.call("GET", LIST))["user_identities"] == []
    assert_error(
        target.call("GET", GET, params={"user_identity_key": "before_reset"}), 404, "user_identity_not_found"
    )


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_snapshot_control_returns_the_snapshot_and_changes_nothing(target: Target, method: str) -> None:
    fake = target.fake
    system = fake.add_acs_system("Lobby")
    fake.add_acs_user(system["acs_system_id"], "Ann Lee", "ann@example.com")
    ok(target.post(CREATE, {"email_address": "ANN@example.com", "acs_system_ids": [system["acs_system_id"]]}))
    with unchanged(fake):
        body = ok(target.call(method, "/_fake/snapshot"))
    assert body == {"snapshot": fake.snapshot(), "ok": True}
    assert len(body["snapshot"]["workspaces"][fake.workspace_id]["user_identities"]) == 1


def test_restore_control_brings_a_snapshot_back(target: Target) -> None:
    fake = target.fake
    ok(target.post(CREATE, {"user_identity_key": "kept"}))
    saved = ok(target.call("GET", "/_fake/snapshot"))["snapshot"]
    ok(target.post(CREATE, {"user_identity_key": "dropped"}))
    fake.add_acs_system("Added later")

    assert ok(target.post("/_fake/restore", {"snapshot": saved})) == {"ok": True}

    assert fake.snapshot() == saved
    assert ok(target.call("GET", GET, params={"user_identity_key": "kept"}))
    assert_error(
        target.call("GET", GET, params={"user_identity_key": "dropped"}), 404, "user_identity_not_found"
    )
    # The freed key can be taken again: the indexes came back with the records.
    ok(target.post(CREATE, {"user_identity_key": "dropped"}))
    assert_error(target.post(CREATE, {"user_identity_key": "kept"}), 400, "user_identity_key_already_in_use")


def test_restore_control_equals_restore(target: Target) -> None:
    fake = target.fake
    saved = fake.snapshot()
    ok(target.post(CREATE, {"user_identity_key": "x"}))
    ok(target.post("/_fake/restore", {"snapshot": saved}))
    by_control = fake.snapshot()
    ok(target.post(CREATE, {"user_identity_key": "x"}))
    fake.restore(saved)
    assert fake.snapshot() == by_control == saved


def _bad_snapshots() -> list[Any]:
    good = FakeSeam().snapshot()
    without_workspaces = {k: v for k, v in good.items() if k != "workspaces"}
    foreign_key = {**good, "default_api_key": "seam_test_not_in_the_snapshot"}
    return [
        None,
        "a snapshot",
        [good],
        {},
        {"format": "something-else", "version": 1},
        {**good, "version": 99},
        without_workspaces,
        foreign_key,
    ]


@pytest.mark.parametrize(
    "snapshot",
    _bad_snapshots(),
    ids=["null", "string", "list", "empty", "format", "version", "no_workspaces", "foreign_default_key"],
)
def test_restore_control_refuses_a_bad_snapshot(target: Target, snapshot: Any) -> None:
    ok(target.post(CREATE, {"user_identity_key": "survives"}))
    with unchanged(target.fake):
        response = target.post("/_fake/restore", {"snapshot": snapshot})
        errors = invalid_params(response)
    assert errors["snapshot"]["_errors"]
    assert "snapshot" in response.json()["error"]["message"]
    # The fake still answers with its old state and key.
    assert ok(target.call("GET", GET, params={"user_identity_key": "survives"}))


def test_restore_control_without_a_snapshot_names_it(target: Target) -> None:
    with unchanged(target.fake):
        errors = invalid_params(target.post("/_fake/restore", {}))
    assert list(errors) == ["_errors", "snapshot"]


def test_add_acs_system_control_equals_add_acs_system(target: Target) -> None:
    fake = target.fake
    account = str(uuid.uuid4())
    params = {
        "name": "Front Desk",
        "external_type": "visionline_system",
        "time_zone": "Europe/Paris",
        "connected_account_id": account,
    }
    assert_same_effect(
        fake,
        lambda: ok(target.post("/_fake/add_acs_system", params)),
        lambda: {
            "acs_system": fake.add_acs_system(
                "Front Desk",
                external_type="visionline_system",
                time_zone="Europe/Paris",
                connected_account_id=account,
            ),
            "ok": True,
        },
    )
    system = ok(target.post("/_fake/add_acs_system", params))["acs_system"]
    assert system["name"] == "Front Desk"
    assert system["external_type"] == "visionline_system"
    assert system["connected_account_id"] == account
    # The new system is reachable through Seam's own routes.
    fetched = ok(target.call("GET", "/acs/systems/get", params={"acs_system_id": system["acs_system_id"]}))
    assert fetched["acs_system"] == system


def test_add_acs_system_control_defaults(target: Target) -> None:
    fake = target.fake
    assert_same_effect(
        fake,
        lambda: ok(target.post("/_fake/add_acs_system", {"name": "Lobby"})),
        lambda: {"acs_system": fake.add_acs_system("Lobby"), "ok": True},
    )
    system = ok(target.post("/_fake/add_acs_system", {"name": "Lobby"}))["acs_system"]
    assert system["external_type"] == "salto_ks_site"
    stored = fake.snapshot()["workspaces"][fake.workspace_id]["acs_systems"][system["acs_system_id"]]
    assert stored["time_zone"] == "America/Los_Angeles"


def test_controls_act_on_the_callers_workspace(target: Target) -> None:
    fake = target.fake
    other = fake.add_workspace("Other")
    system = ok(target.post("/_fake/add_acs_system", {"name": "Theirs"}, key=other["api_key"]))["acs_system"]
    assert system["workspace_id"] == other["workspace_id"]
    state = fake.snapshot()["workspaces"]
    assert list(state[other["workspace_id"]]["acs_systems"]) == [system["acs_system_id"]]
    assert state[fake.workspace_id]["acs_systems"] == {}
    user = ok(
        target.post(
            "/_fake/add_acs_user",
            {"acs_system_id": system["acs_system_id"], "full_name": "Their User"},
            key=other["api_key"],
        )
    )["acs_user"]
    assert user["workspace_id"] == other["workspace_id"]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": 5}, "name"),
        ({"name": "Lobby", "external_type": "not_a_kind"}, "external_type"),
        ({"name": "Lobby", "external_type": ""}, "external_type"),
        ({"name": "Lobby", "connected_account_id": "not-a-uuid"}, "connected_account_id"),
        ({"name": "Lobby", "time_zone": 5}, "time_zone"),
    ],
    ids=[
        "missing_name",
        "empty_name",
        "number_name",
        "unknown_type",
        "empty_type",
        "bad_account",
        "bad_zone",
    ],
)
def test_add_acs_system_control_refuses_bad_input(target: Target, params: dict[str, Any], param: str) -> None:
    with unchanged(target.fake):
        errors = invalid_params(target.post("/_fake/add_acs_system", params))
    assert errors[param]["_errors"]


def test_add_acs_user_control_equals_add_acs_user(target: Target) -> None:
    fake = target.fake
    system_id = fake.add_acs_system("Lobby")["acs_system_id"]
    params = {
        "acs_system_id": system_id.upper(),
        "full_name": "Ann Lee",
        "email_address": "Ann@Example.com",
        "phone_number": "+15555550100",
    }
    assert_same_effect(
        fake,
        lambda: ok(target.post("/_fake/add_acs_user", params)),
        lambda: {
            "acs_user": fake.add_acs_user(system_id, "Ann Lee", "Ann@Example.com", "+15555550100"),
            "ok": True,
        },
    )
    user = ok(target.post("/_fake/add_acs_user", {"acs_system_id": system_id, "full_name": "Bo"}))["acs_user"]
    assert user["acs_system_id"] == system_id
    assert user["full_name"] == "Bo"
    assert "user_identity_id" not in user or user["user_identity_id"] is None
    assert (
        ok(target.call("GET", "/acs/users/get", params={"acs_user_id": user["acs_user_id"]}))["acs_user"]
        == user
    )


def test_add_acs_user_control_links_on_identity_create(target: Target) -> None:
    system_id = target.fake.add_acs_system("Lobby")["acs_system_id"]
    user = ok(
        target.post(
            "/_fake/add_acs_user",
            {"acs_system_id": system_id, "full_name": "Ann Lee", "email_address": "ann@example.com"},
        )
    )["acs_user"]
    identity = ok(target.post(CREATE, {"email_address": "ANN@example.com", "acs_system_ids": [system_id]}))
    assert identity["user_identity"]["acs_user_ids"] == [user["acs_user_id"]]


@pytest.mark.parametrize("whose", ["another_workspace", "nobody"])
def test_add_acs_user_control_refuses_a_system_outside_the_workspace(target: Target, whose: str) -> None:
    fake = target.fake
    if whose == "another_workspace":
        other = fake.add_workspace("Other")
        system_id = fake.add_acs_system("Theirs", workspace_id=other["workspace_id"])["acs_system_id"]
    else:
        system_id = str(uuid.uuid4())
    with unchanged(fake):
        error = assert_error(
            target.post("/_fake/add_acs_user", {"acs_system_id": system_id, "full_name": "Ann Lee"}),
            404,
            "acs_system_not_found",
        )
    assert system_id in error["message"]


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"email_address": "not an email"}, "email_address"),
        ({"email_address": "ann@"}, "email_address"),
        ({"phone_number": "555-0100"}, "phone_number"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": None}, "full_name"),
        ({"acs_system_id": "nope"}, "acs_system_id"),
    ],
    ids=["email", "email_no_domain", "phone", "empty_name", "null_name", "system_id"],
)
def test_add_acs_user_control_refuses_bad_input(target: Target, extra: dict[str, Any], param: str) -> None:
    system_id = target.fake.add_acs_system("Lobby")["acs_system_id"]
    params = {"acs_system_id": system_id, "full_name": "Ann Lee", **extra}
    with unchanged(target.fake):
        response = target.post("/_fake/add_acs_user", params)
        errors = invalid_params(response)
    assert errors[param]["_errors"]
    assert param in response.json()["error"]["message"]


def _linked_identity(target: Target) -> tuple[str, str]:
    """An identity linked to an ACS user; (user_identity_id, acs_user_id)."""
    system_id = target.fake.add_acs_system("Lobby")["acs_system_id"]
    acs_user = target.fake.add_acs_user(system_id, "Ann Lee", "ann@example.com")
    identity = ok(
        target.post(
            CREATE,
            {"email_address": "ann@example.com", "full_name": "Ann Lee", "acs_system_ids": [system_id]},
        )
    )["user_identity"]
    assert identity["acs_user_ids"] == [acs_user["acs_user_id"]]
    assert identity["errors"] == []
    return identity["user_identity_id"], acs_user["acs_user_id"]


def test_simulate_acs_user_error_control_equals_the_method(target: Target) -> None:
    fake = target.fake
    _, acs_user_id = _linked_identity(target)
    params = {"acs_user_id": acs_user_id, "error_code": "deleted_externally", "message": "Gone from the ACS."}
    assert_same_effect(
        fake,
        lambda: ok(target.post("/_fake/simulate_acs_user_error", params)),
        lambda: {
            "acs_user": fake.simulate_acs_user_error(acs_user_id, "deleted_externally", "Gone from the ACS."),
            "ok": True,
        },
    )


def test_simulate_acs_user_error_control_shows_on_the_linked_identity(target: Target) -> None:
    identity_id, acs_user_id = _linked_identity(target)
    user = ok(target.post("/_fake/simulate_acs_user_error", {"acs_user_id": acs_user_id}))["acs_user"]
    assert [error["error_code"] for error in user["errors"]] == ["failed_to_update_on_acs_system"]
    identity = ok(target.call("GET", GET, params={"user_identity_id": identity_id}))["user_identity"]
    assert [error["error_code"] for error in identity["errors"]] == ["issue_with_acs_user"]
    assert acs_user_id in identity["errors"][0]["message"]


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"error_code": "on_fire"}, "error_code"),
        ({"error_code": ""}, "error_code"),
        ({"message": ""}, "message"),
        ({"acs_user_id": "not-a-uuid"}, "acs_user_id"),
    ],
    ids=["unknown_code", "empty_code", "empty_message", "bad_id"],
)
def test_simulate_acs_user_error_control_refuses_bad_input(
    target: Target, extra: dict[str, Any], param: str
) -> None:
    identity_id, acs_user_id = _linked_identity(target)
    with unchanged(target.fake):
        response = target.post("/_fake/simulate_acs_user_error", {"acs_user_id": acs_user_id, **extra})
        errors = invalid_params(response)
    assert errors[param]["_errors"]
    assert param in response.json()["error"]["message"]
    identity = ok(target.call("GET", GET, params={"user_identity_id": identity_id}))["user_identity"]
    assert identity["errors"] == []


@pytest.mark.parametrize("whose", ["another_workspace", "nobody"])
def test_simulate_acs_user_error_control_refuses_a_user_outside_the_workspace(
    target: Target, whose: str
) -> None:
    fake = target.fake
    if whose == "another_workspace":
        other = fake.add_workspace("Other")
        system_id = fake.add_acs_system("Theirs", workspace_id=other["workspace_id"])["acs_system_id"]
        acs_user_id = fake.add_acs_user(system_id, "Their User")["acs_user_id"]
    else:
        acs_user_id = str(uuid.uuid4())
    with unchanged(fake):
        assert_error(
            target.post("/_fake/simulate_acs_user_error", {"acs_user_id": acs_user_id}),
            404,
            "acs_user_not_found",
        )


def test_add_user_identity_equals_the_create_route(target: Target) -> None:
    # Seeding helpers that mirror a Seam route run that route in process: same state, same answer.
    fake = target.fake
    system_id = fake.add_acs_system("Lobby")["acs_system_id"]
    fake.add_acs_user(system_id, "Ann L.", email_address="ann@example.com")
    params = {
        "user_identity_key": "ann",
        "email_address": "ANN@example.com",
        "full_name": "Ann Lee",
        "acs_system_ids": [system_id],
    }
    assert_same_effect(
        fake,
        lambda: ok(target.post(CREATE, params)),
        lambda: {"user_identity": fake.add_user_identity(**params), "ok": True},
    )


def test_simulate_user_identity_being_deleted_control_equals_the_method(target: Target) -> None:
    fake = target.fake
    identity = fake.add_user_identity(full_name="Ann Lee")
    assert_same_effect(
        fake,
        lambda: ok(
            target.post(
                "/_fake/simulate_user_identity_being_deleted",
                {"user_identity_id": identity["user_identity_id"]},
            )
        ),
        lambda: {
            "user_identity": fake.simulate_user_identity_being_deleted(identity["user_identity_id"]),
            "ok": True,
        },
    )
    warned = ok(
        target.post(
            "/_fake/simulate_user_identity_being_deleted", {"user_identity_id": identity["user_identity_id"]}
        )
    )["user_identity"]
    assert [w["warning_code"] for w in warned["warnings"]] == ["being_deleted"]


@pytest.mark.parametrize("whose", ["another_workspace", "nobody"])
def test_simulate_user_identity_being_deleted_control_refuses_an_identity_outside_the_workspace(
    target: Target, whose: str
) -> None:
    fake = target.fake
    if whose == "another_workspace":
        other = fake.add_workspace("Other")
        identity_id = fake.add_user_identity(workspace_id=other["workspace_id"])["user_identity_id"]
    else:
        identity_id = str(uuid.uuid4())
    with unchanged(fake):
        error = assert_error(
            target.post("/_fake/simulate_user_identity_being_deleted", {"user_identity_id": identity_id}),
            404,
            "user_identity_not_found",
        )
    assert identity_id in error["message"]


def test_simulate_outage_control_injects_failures(target: Target) -> None:
    ok(target.post(CREATE, {"user_identity_key": "someone"}))
    params = {"route": GET, "status": 429, "times": 2, "retry_after": 0}
    with unchanged(target.fake):
        assert ok(target.post("/_fake/simulate_outage", params)) == {"ok": True}
    for _ in range(2):
        failed = target.call("GET", GET, params={"user_identity_key": "someone"})
        assert_error(failed, 429, "too_many_requests")
        assert failed.headers["retry-after"] == "0"
    assert ok(target.call("GET", GET, params={"user_identity_key": "someone"}))


def test_simulate_outage_control_equals_the_method(target: Target) -> None:
    def failures() -> list[tuple[int, str | None, str | None]]:
        answers = [target.call("GET", LIST) for _ in range(4)]
        return [
            (a.status_code, a.json().get("error", {}).get("type"), a.headers.get("retry-after"))
            for a in answers
        ]

    with unchanged(target.fake):
        ok(
            target.post(
                "/_fake/simulate_outage", {"route": LIST, "status": 429, "times": 3, "retry_after": 5}
            )
        )
    by_control = failures()
    target.fake.simulate_outage(LIST, 429, times=3, retry_after=5)
    by_method = failures()
    assert by_control == by_method == [*[(429, "too_many_requests", "5")] * 3, (200, None, None)]


def test_simulate_outage_control_defaults_to_one_503_with_retry_after_1(target: Target) -> None:
    ok(target.post("/_fake/simulate_outage", {"route": LIST}))
    failed = target.call("GET", LIST)
    assert_error(failed, 503, "service_unavailable")
    assert failed.headers["retry-after"] == "1"
    assert ok(target.call("GET", LIST))["user_identities"] == []


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({}, "route"),
        ({"route": "/user_identities/nope"}, "route"),
        ({"route": ""}, "route"),
        ({"route": GET, "status": 500}, "status"),
        ({"route": GET, "status": "503"}, "status"),
        ({"route": GET, "times": 0}, "times"),
        ({"route": GET, "times": 1.5}, "times"),
        ({"route": GET, "retry_after": -1}, "retry_after"),
    ],
    ids=[
        "no_route",
        "unknown_route",
        "empty_route",
        "status_500",
        "status_string",
        "times_0",
        "times_frac",
        "neg_retry",
    ],
)
def test_simulate_outage_control_refuses_bad_input(
    target: Target, params: dict[str, Any], param: str
) -> None:
    ok(target.post(CREATE, {"user_identity_key": "someone"}))
    response = target.post("/_fake/simulate_outage", params)
    errors = invalid_params(response)
    assert errors[param]["_errors"], errors
    assert param in response.json()["error"]["message"]
    # Nothing was scheduled: the route answers normally.
    assert ok(target.call("GET", GET, params={"user_identity_key": "someone"}))


# The contract every control shares.

CONTROL_CALLS = [(path, sorted(control.methods)[0]) for path, control in sorted(CONTROLS.items())]


@pytest.mark.parametrize(("path", "method"), CONTROL_CALLS, ids=[path for path, _ in CONTROL_CALLS])
@pytest.mark.parametrize(
    "key", [None, "seam_test_unknown_key", "seam_cst_client_session"], ids=["no_key", "unknown", "cst"]
)
def test_every_control_needs_valid_credentials(
    target: Target, path: str, method: str, key: str | None
) -> None:
    body = {"name": "Lobby", "route": GET, "snapshot": target.fake.snapshot()}
    with unchanged(target.fake):
        assert_error(target.call(method, path, key=key, json=body), 401, "unauthorized")
    # The outage control did not take effect either.
    assert_error(
        target.call("GET", GET, params={"user_identity_key": "nobody"}), 404, "user_identity_not_found"
    )


@pytest.mark.parametrize("path", sorted(CONTROLS))
def test_every_control_refuses_a_wrong_method_with_allow(target: Target, path: str) -> None:
    allowed = sorted(CONTROLS[path].methods)
    for method in [m for m in ("GET", "PUT", "PATCH", "DELETE") if m not in allowed]:
        with unchanged(target.fake):
            response = target.call(method, path, json={"name": "x"})
            error = assert_error(response, 405, "method_not_allowed")
        assert response.headers["allow"] == ", ".join(allowed)
        assert error["allowed_methods"] == allowed
        # Routing comes before authentication, as for Seam's routes.
        assert_error(target.call(method, path, key=None), 405, "method_not_allowed")


@pytest.mark.parametrize("path", ["/_fake/nope", "/_fake/", "/_fake/reset/more", "/_fake/RESET"])
def test_an_unknown_control_is_route_not_found(target: Target, path: str) -> None:
    with unchanged(target.fake):
        assert_error(target.post(path), 404, "route_not_found")
        assert_error(target.post(path, key=None), 404, "route_not_found")


def test_a_control_path_with_a_trailing_slash_works(target: Target) -> None:
    assert ok(target.call("GET", "/_fake/snapshot/"))["snapshot"] == target.fake.snapshot()


def test_control_bodies_that_are_not_json_objects_are_invalid_input(target: Target) -> None:
    with unchanged(target.fake):
        for data in (b"[1]", b"{", b"\xff\xfe"):
            assert_error(
                target.call(
                    "POST", "/_fake/add_acs_system", data=data, headers={"content-type": "application/json"}
                ),
                400,
                "invalid_input",
            )


# Fault injection -----------------------------------------------------------------------------------------


def statuses(fake: FakeSeam, path: str) -> list[int]:
    """The status of each call to ``path`` the fake answered, retries included."""
    return [call.status for call in fake.calls.filter(path=path)]


@pytest.mark.parametrize(("status", "error_type"), [(503, "service_unavailable"), (429, "too_many_requests")])
def test_outage_fails_the_next_calls_whatever_the_method_or_credentials(
    fake_seam: FakeSeam, raw: Raw, status: int, error_type: str
) -> None:
    created = ok(raw.post(CREATE, json={"user_identity_key": "jo"}))["user_identity"]
    fake_seam.simulate_outage(GET, status, times=4, retry_after=0)
    attempts = [
        raw.get(GET, params={"user_identity_key": "jo"}),
        raw.post(GET, json={"user_identity_key": "jo"}, headers={"Authorization": None}),
        raw.request("DELETE", GET, headers={"Authorization": "Bearer seam_test_wrong"}),
        raw.get(GET + "/", params={"user_identity_key": "jo"}),
    ]
    for response in attempts:
        assert_error(response, status, error_type)
        assert response.headers["retry-after"] == "0"
    assert ok(raw.get(GET, params={"user_identity_key": "jo"}))["user_identity"] == created
    # Once used up, the route answers as before, errors included.
    assert_error(
        raw.post(GET, json={"user_identity_key": "jo"}, headers={"Authorization": None}), 401, "unauthorized"
    )


def test_outage_carries_the_retry_after_asked_for(fake_seam: FakeSeam, raw: Raw) -> None:
    fake_seam.simulate_outage(LIST, 429, retry_after=7)
    response = raw.get(LIST)
    assert_error(response, 429, "too_many_requests")
    assert response.headers["retry-after"] == "7"


def test_outages_queue_in_order_and_touch_only_their_route(fake_seam: FakeSeam, raw: Raw) -> None:
    fake_seam.simulate_outage(LIST, 503, retry_after=0)
    fake_seam.simulate_outage(LIST + "/", 429, times=2, retry_after=0)
    # Another route is unaffected while the outage is pending.
    assert ok(raw.post(CREATE, json={"user_identity_key": "meanwhile"}))
    statuses = [raw.get(LIST).status_code for _ in range(4)]
    assert statuses == [503, 429, 429, 200]


def test_sdk_get_retries_through_two_failures(seam: Seam, fake_seam: FakeSeam, raw: Raw) -> None:
    created = seam.user_identities.create(user_identity_key="jo")
    fake_seam.simulate_outage(GET, 503, times=2, retry_after=0)
    fetched = seam.user_identities.get(user_identity_key="jo")
    assert fetched.user_identity_id == created.user_identity_id
    gets = statuses(fake_seam, GET)
    assert gets == [503, 503, 200]
    # The failures are used up: the next raw call succeeds at once.
    assert ok(raw.get(GET, params={"user_identity_key": "jo"}))
    assert statuses(fake_seam, GET) == [503, 503, 200, 200]


def test_sdk_get_retries_through_429_too(seam: Seam, fake_seam: FakeSeam) -> None:
    seam.user_identities.create(user_identity_key="jo")
    fake_seam.simulate_outage(GET, 429, times=2, retry_after=0)
    assert seam.user_identities.get(user_identity_key="jo").user_identity_key == "jo"
    assert statuses(fake_seam, GET) == [429, 429, 200]


def test_sdk_get_gives_up_after_three_failures(seam: Seam, fake_seam: FakeSeam, raw: Raw) -> None:
    seam.user_identities.create(user_identity_key="jo")
    fake_seam.simulate_outage(GET, 503, times=3, retry_after=0)
    with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as failure:
        seam.user_identities.get(user_identity_key="jo")
    assert failure.value.status_code == 503
    assert failure.value.code == "service_unavailable"
    assert statuses(fake_seam, GET) == [503, 503, 503]
    assert ok(raw.get(GET, params={"user_identity_key": "jo"}))["user_identity"]["user_identity_key"] == "jo"


def test_sdk_post_is_not_retried(seam: Seam, fake_seam: FakeSeam) -> None:
    fake_seam.simulate_outage(CREATE, 503, times=1, retry_after=0)
    with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as failure:
        seam.user_identities.create(user_identity_key="jo", email_address="jo@example.com")
    assert (failure.value.status_code, failure.value.code) == (503, "service_unavailable")
    assert statuses(fake_seam, CREATE) == [503]
    created = seam.user_identities.create(user_identity_key="jo", email_address="jo@example.com")
    assert statuses(fake_seam, CREATE) == [503, 200]
    assert list(identities(fake_seam)) == [created.user_identity_id]


def test_sdk_post_429_is_not_retried_either(seam: Seam, fake_seam: FakeSeam) -> None:
    fake_seam.simulate_outage(CREATE, 429, times=1, retry_after=0)
    with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as failure:
        seam.user_identities.create(user_identity_key="jo")
    assert (failure.value.status_code, failure.value.code) == (429, "too_many_requests")
    assert len(fake_seam.calls.filter(path=CREATE)) == 1


def test_a_failed_write_changes_nothing(fake_seam: FakeSeam, raw: Raw) -> None:
    identity = ok(raw.post(CREATE, json={"user_identity_key": "jo"}))["user_identity"]
    for route in ("/user_identities/update", "/user_identities/delete"):
        fake_seam.simulate_outage(route, 503, retry_after=0)
    with unchanged(fake_seam):
        update = {"user_identity_id": identity["user_identity_id"], "full_name": "Changed"}
        assert_error(raw.post("/user_identities/update", json=update), 503, "service_unavailable")
        delete = {"user_identity_id": identity["user_identity_id"]}
        assert_error(raw.post("/user_identities/delete", json=delete), 503, "service_unavailable")
        assert_error(
            raw.post(CREATE, json={"user_identity_key": "jo"}), 400, "user_identity_key_already_in_use"
        )


def test_outage_over_a_real_server_with_the_sdk(fake_seam_server: BackgroundServer) -> None:
    server = fake_seam_server
    seam = Seam(api_key=server.api_key, endpoint=server.endpoint)
    seam.user_identities.create(user_identity_key="jo")
    server.fake.simulate_outage(GET, 503, times=2, retry_after=0)
    assert seam.user_identities.get(user_identity_key="jo").user_identity_key == "jo"
    assert statuses(server.fake, GET) == [503, 503, 200]
    server.fake.simulate_outage(GET, 429, times=3, retry_after=0)
    with pytest.raises(SeamHttpApiError) as failure:
        seam.user_identities.get(user_identity_key="jo")
    assert (failure.value.status_code, failure.value.code) == (429, "too_many_requests")
    assert statuses(server.fake, GET) == [503, 503, 200, 429, 429, 429]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("/user_identities/nope",), {}),
        (("/_fake/reset",), {}),
        (("/health",), {}),
        ((GET, 500), {}),
        ((GET, 200), {}),
        ((GET,), {"times": 0}),
        ((GET,), {"times": -2}),
        ((GET,), {"retry_after": -1}),
    ],
    ids=[
        "unknown_route",
        "control",
        "health",
        "status_500",
        "status_200",
        "times_0",
        "times_negative",
        "retry_negative",
    ],
)
def test_simulate_outage_refuses_bad_arguments(
    fake_seam: FakeSeam, raw: Raw, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValueError):
        fake_seam.simulate_outage(*args, **kwargs)
    # Nothing was scheduled.
    assert_error(raw.get(GET, params={"user_identity_key": "nobody"}), 404, "user_identity_not_found")


def test_reset_clears_pending_outages(fake_seam: FakeSeam, raw: Raw) -> None:
    fake_seam.simulate_outage(LIST, 503, times=5, retry_after=0)
    fake_seam.simulate_outage(CREATE, 429, times=5, retry_after=0)
    assert_error(raw.get(LIST), 503, "service_unavailable")
    fake_seam.reset()
    assert ok(raw.get(LIST))["user_identities"] == []
    assert ok(raw.post(CREATE, json={"user_identity_key": "after_reset"}))


def test_reset_control_clears_pending_outages(target: Target) -> None:
    target.fake.simulate_outage(LIST, 503, times=5, retry_after=0)
    ok(target.post("/_fake/reset"))
    assert ok(target.call("GET", LIST))["user_identities"] == []
