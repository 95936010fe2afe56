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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from helpers import Raw, assert_error, ok
from mutating import CASES, Body, Demo
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam, Request
from seam_fake.api import controls, dispatch
from seam_fake.api.controls import CONTROLS
from seam_fake.api.routes import ROUTES
from seam_fake.model.errors import ApiError
from seam_fake.server import BackgroundServer


class InjectedBug(RuntimeError):
    pass


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
        response = demo.post(path, body)
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
    ok(demo.post(path, body))
    assert observe(demo.fake).generation == before.generation + 1


@pytest.mark.parametrize("path", sorted(CASES))
def test_a_refusal_found_after_the_work_undoes_all_of_it(
    demo: Demo, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    body = CASES[path](demo)
    before = observe(demo.fake)
    late = ApiError("acs_user_not_found", "Found out too late.")
    with failing_after_the_operation(demo.fake, late) as changed:
        response = demo.post(path, body)
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
