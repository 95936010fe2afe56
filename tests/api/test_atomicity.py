"""A request happens whole or not at all: every state-changing route and control, made to fail
after it has done its work, leaves the state exactly as it was (the snapshot's very text, so
order counts), and the client gets Seam's envelope, never a traceback or a dropped connection.

The failure is injected where the operation returns, so everything the request changed is
there to undo: an unexpected exception (a bug: 500 ``internal_server_error``, logged once
with its traceback) and a refusal found late (its own 4xx). Every mutating route and control
of the tables has a case here; a new one fails ``test_every_mutating_route_has_a_case``.
Through plain requests and the real ``seam`` SDK, in process and over a real server.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from helpers import Raw, assert_error, ok
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam, Request
from seam_fake.api import controls, dispatch
from seam_fake.api.controls import CONTROLS
from seam_fake.api.routes import ROUTES
from seam_fake.model.errors import ApiError
from seam_fake.server import BackgroundServer

Body = dict[str, Any]


class InjectedBug(RuntimeError):
    pass


@dataclass
class Demo:
    """The demo workspace, and the ids the cases need, read through the API."""

    fake: FakeSeam
    raw: Raw

    def identity(self, key: str) -> Body:
        identity: Body = ok(self.raw.get("/user_identities/get", params={"user_identity_key": key}))[
            "user_identity"
        ]
        return identity

    def identity_id(self, key: str) -> str:
        identity_id: str = self.identity(key)["user_identity_id"]
        return identity_id

    def system_id(self, external_type: str) -> str:
        systems = ok(self.raw.get("/acs/systems/list"))["acs_systems"]
        (found,) = [s["acs_system_id"] for s in systems if s["external_type"] == external_type]
        return str(found)

    def acs_users(self, key: str) -> list[Body]:
        users: list[Body] = ok(
            self.raw.get(
                "/user_identities/list_acs_users", params={"user_identity_id": self.identity_id(key)}
            )
        )["acs_users"]
        return users

    def unlinked_acs_user(self) -> str:
        users = ok(self.raw.get("/acs/users/list", params={"acs_system_id": self.system_id("salto_ks_site")}))
        (first, *_) = [u["acs_user_id"] for u in users["acs_users"] if u.get("user_identity_id") is None]
        return str(first)

    def credentials(self, key: str) -> list[Body]:
        found: list[Body] = ok(
            self.raw.get("/acs/credentials/list", params={"user_identity_id": self.identity_id(key)})
        )["acs_credentials"]
        return found

    def parent_key(self) -> str:
        (parent, *_) = [c for c in self.credentials("user_jane") if c.get("parent_acs_credential_id") is None]
        return str(parent["acs_credential_id"])

    def mei_code(self) -> str:
        (code,) = [c["acs_credential_id"] for c in self.credentials("user_mei")]
        return str(code)

    def phone(self) -> str:
        phones = ok(
            self.raw.get("/phones/list", params={"owner_user_identity_id": self.identity_id("user_jane")})
        )
        return str(phones["phones"][0]["device_id"])

    def session(self) -> str:
        sessions = ok(self.raw.get("/client_sessions/list"))["client_sessions"]
        return str(sessions[0]["client_session_id"])

    def instant_key(self) -> str:
        keys = ok(self.raw.get("/instant_keys/list"))["instant_keys"]
        return str(keys[0]["instant_key_id"])

    def waiting_credential(self) -> str:
        """A card waiting to be issued (manual issuance, so it stays waiting)."""
        self.fake.set_credential_issuance("manual")
        created = self.fake.add_acs_credential(
            "card",
            user_identity_id=self.identity_id("user_jane"),
            acs_system_id=self.system_id("visionline_system"),
        )
        return str(created["acs_credential_id"])


# path -> the body of one request to it that succeeds on the demo workspace (set-up included).
CASES: dict[str, Callable[[Demo], Body]] = {
    "/user_identities/create": lambda d: {
        "user_identity_key": "newcomer",
        "email_address": "jane.doe@example.com".replace("jane.doe", "newcomer"),
        "phone_number": "+15555550199",
        "acs_system_ids": [d.system_id("salto_ks_site"), d.system_id("visionline_system")],
    },
    "/user_identities/update": lambda d: {
        "user_identity_id": d.identity_id("user_jane"),
        "email_address": "jane@example.org",
        "full_name": "Jane Q. Doe",
        "user_identity_key": "user_jane_2",
    },
    # Jane has ACS users on two systems, mobile keys on her phone, a client session, an instant key.
    "/user_identities/delete": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/user_identities/add_acs_user": lambda d: {
        "user_identity_id": d.identity_id("user_kenji"),
        "acs_user_id": d.unlinked_acs_user(),
    },
    "/user_identities/remove_acs_user": lambda d: {
        "user_identity_id": d.identity_id("user_jane"),
        "acs_user_id": d.acs_users("user_jane")[0]["acs_user_id"],
    },
    "/user_identities/generate_instant_key": lambda d: {"user_identity_id": d.identity_id("user_mei")},
    "/acs/users/create": lambda d: {
        "acs_system_id": d.system_id("salto_ks_site"),
        "full_name": "New Hire",
        "email": "new.hire@example.com",
        "user_identity_id": d.identity_id("user_kenji"),
    },
    "/acs/users/delete": lambda d: {"acs_user_id": d.acs_users("user_jane")[0]["acs_user_id"]},
    "/acs/users/suspend": lambda d: {"acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"]},
    "/acs/users/unsuspend": lambda d: _suspended(d),
    "/acs/users/update": lambda d: {
        "acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"],
        "full_name": "Mei C.",
        "phone_number": "+15555550177",
    },
    "/acs/credentials/create": lambda d: {
        "acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"],
        "access_method": "mobile_key",
        "is_multi_phone_sync_credential": True,
    },
    "/acs/credentials/assign": lambda d: _unassigned(d),
    "/acs/credentials/unassign": lambda d: {
        "acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"],
        "acs_credential_id": d.mei_code(),
    },
    "/acs/credentials/update": lambda d: {
        "acs_credential_id": d.mei_code(),
        "ends_at": "2099-01-01T00:00:00.000Z",
    },
    "/acs/credentials/delete": lambda d: {"acs_credential_id": d.parent_key()},
    "/client_sessions/create": lambda d: {
        "user_identity_id": d.identity_id("user_mei"),
        "user_identifier_key": "mei-app",
    },
    "/client_sessions/get_or_create": lambda d: {"user_identity_id": d.identity_id("user_lucia")},
    "/client_sessions/grant_access": lambda d: {
        "client_session_id": d.session(),
        "user_identity_id": d.identity_id("user_mei"),
    },
    "/client_sessions/revoke": lambda d: {"client_session_id": d.session()},
    "/client_sessions/delete": lambda d: {"client_session_id": d.session()},
    "/instant_keys/delete": lambda d: {"instant_key_id": d.instant_key()},
    "/phones/deactivate": lambda d: {"device_id": d.phone()},
    "/phones/simulate/create_sandbox_phone": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/_fake/add_acs_system": lambda d: {"name": "Annex"},
    "/_fake/add_acs_user": lambda d: {
        "acs_system_id": d.system_id("salto_ks_site"),
        "full_name": "Kenji W.",
        "email_address": "kenji.watanabe@example.com",
    },
    "/_fake/fail_credential_issuance": lambda d: {"acs_credential_id": d.waiting_credential()},
    "/_fake/issue_credential": lambda d: {"acs_credential_id": d.waiting_credential()},
    "/_fake/reset": lambda d: {},
    "/_fake/restore": lambda d: {"snapshot": FakeSeam(random_seed=7).snapshot()},
    "/_fake/set_credential_issuance": lambda d: _waiting_then_automatic(d),
    "/_fake/simulate_acs_user_error": lambda d: {"acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"]},
    "/_fake/simulate_outage": lambda d: {"route": "/user_identities/get", "times": 2},
    "/_fake/simulate_user_identity_being_deleted": lambda d: {"user_identity_id": d.identity_id("user_mei")},
}


def _suspended(d: Demo) -> Body:
    acs_user_id = d.acs_users("user_mei")[0]["acs_user_id"]
    ok(d.raw.post("/acs/users/suspend", json={"acs_user_id": acs_user_id}))
    return {"acs_user_id": acs_user_id}


def _unassigned(d: Demo) -> Body:
    acs_user_id = d.acs_users("user_mei")[0]["acs_user_id"]
    code = d.mei_code()
    ok(d.raw.post("/acs/credentials/unassign", json={"acs_user_id": acs_user_id, "acs_credential_id": code}))
    return {"acs_user_id": acs_user_id, "acs_credential_id": code}


def _waiting_then_automatic(d: Demo) -> Body:
    d.waiting_credential()
    # Back to automatic issues what waits: a change to undo.
    return {"mode": "automatic"}


def test_every_mutating_route_has_a_case() -> None:
    mutating = {path for path, route in ROUTES.items() if route.mutates}
    mutating |= {path for path, control in CONTROLS.items() if control.mutates}
    assert set(CASES) == mutating


@dataclass
class Observed:
    """What the fake holds, in full: the snapshot's text (order included) and what is not in it."""

    text: str
    outages: dict[str, list[tuple[int, int]]]
    generation: int


def observe(fake: FakeSeam) -> Observed:
    world = fake._world  # the outages are the world's, and no API shows them whole
    return Observed(
        json.dumps(fake.snapshot()), {k: list(v) for k, v in world.outages.items()}, fake.generation
    )


@contextmanager
def failing_after_the_operation(fake: FakeSeam, error: Exception) -> Iterator[list[bool]]:
    """Every route and control raises ``error`` once it has done its work. Yields, per request,
    whether the work had changed anything, so a case that changes nothing cannot pass unseen."""
    changed: list[bool] = []
    perform_route, perform_control = dispatch._perform_route, controls.perform

    def after(result: tuple[Body, bool], before: Observed) -> tuple[Body, bool]:
        now = observe(fake)
        changed.append((now.text, now.outages) != (before.text, before.outages))
        raise error

    def route(world: Any, request: Request, *args: Any) -> tuple[Body, bool]:
        before = observe(fake)
        return after(perform_route(world, request, *args), before)

    def control(world: Any, request: Request, *args: Any) -> tuple[Body, bool]:
        before = observe(fake)
        return after(perform_control(world, request, *args), before)

    dispatch._perform_route, controls.perform = route, control  # type: ignore[assignment]
    try:
        yield changed
    finally:
        dispatch._perform_route, controls.perform = perform_route, perform_control


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Demo]:
    fake = FakeSeam.demo()
    with fake.patch():
        yield Demo(fake, Raw(fake))


@pytest.mark.parametrize("path", sorted(CASES))
def test_a_bug_after_the_work_undoes_all_of_it(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    body = CASES[path](demo)
    before = observe(demo.fake)
    bug = InjectedBug("the disk is a teapot")
    with failing_after_the_operation(demo.fake, bug) as changed, caplog.at_level(logging.ERROR, "seam_fake"):
        response = demo.raw.post(path, json=body)
    error = assert_error(response, 500, "internal_server_error")
    assert changed == [True], "the case changed nothing before the failure: it proves nothing"
    assert observe(demo.fake) == before
    # The envelope names the failure, not its traceback; the log has the traceback, once.
    assert "InjectedBug: the disk is a teapot" in error["message"]
    assert "nothing the request did was kept" in error["message"]
    assert "Traceback" not in response.text
    assert error["request_id"] == response.headers["seam-request-id"]
    (logged,) = [r for r in caplog.records if r.name == "seam_fake"]
    assert logged.exc_info is not None and logged.exc_info[0] is InjectedBug
    assert error["request_id"] in logged.getMessage()
    # The same request, without the failure, succeeds: the case is a real change.
    ok(demo.raw.post(path, json=body))
    assert observe(demo.fake).generation == before.generation + 1


@pytest.mark.parametrize("path", sorted(CASES))
def test_a_refusal_found_after_the_work_undoes_all_of_it(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    body = CASES[path](demo)
    before = observe(demo.fake)
    late = ApiError("acs_user_not_found", "Found out too late.")
    with failing_after_the_operation(demo.fake, late) as changed:
        response = demo.raw.post(path, json=body)
    assert_error(response, 404, "acs_user_not_found")
    assert changed == [True]
    assert observe(demo.fake) == before


def test_the_sdk_sees_a_500_it_understands_and_the_next_call_works(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    seam = Seam(api_key=demo.fake.api_key)
    before = observe(demo.fake)
    with (
        failing_after_the_operation(demo.fake, InjectedBug("boom")),
        pytest.raises(SeamHttpApiError) as raised,
    ):
        seam.user_identities.create(user_identity_key="sdk_user", email_address="sdk@example.com")
    assert (raised.value.status_code, raised.value.code) == (500, "internal_server_error")
    assert observe(demo.fake) == before
    created = seam.user_identities.create(user_identity_key="sdk_user", email_address="sdk@example.com")
    assert created.user_identity_key == "sdk_user"
    # Both answers are in the call log.
    assert [c.status for c in demo.fake.calls.filter(path="/user_identities/create")] == [500, 200]


def test_over_a_real_server_the_connection_survives_a_500(monkeypatch: pytest.MonkeyPatch) -> None:
    with BackgroundServer(FakeSeam.demo()) as server, requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {server.api_key}"
        before = observe(server.fake)
        with failing_after_the_operation(server.fake, InjectedBug("boom")):
            failed = session.post(
                server.endpoint + "/user_identities/create", json={"user_identity_key": "x"}
            )
        assert_error(failed, 500, "internal_server_error")
        assert observe(server.fake) == before
        # Same keep-alive connection, next request.
        assert ok(session.post(server.endpoint + "/user_identities/create", json={"user_identity_key": "x"}))


def test_a_python_set_up_call_that_fails_part_way_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSeam.demo()
    before = observe(fake)
    original = dispatch.call

    def call_then_fail(*args: Any) -> Any:
        original(*args)
        raise InjectedBug("after the identity was made")

    monkeypatch.setattr(dispatch, "call", call_then_fail)
    with pytest.raises(InjectedBug):
        fake.add_user_identity(user_identity_key="half", acs_system_ids=[])
    assert observe(fake) == before


def test_a_read_that_fails_is_a_500_too(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    before = observe(demo.fake)
    with failing_after_the_operation(demo.fake, InjectedBug("boom")) as changed:
        assert_error(demo.raw.get("/user_identities/list"), 500, "internal_server_error")
    assert changed == [False] and observe(demo.fake) == before
