"""The call log (``FakeSeam.calls``, ``/_fake/calls``), strict mode, and the honest 404s.

The call log records every request the fake answered, through the SDK, raw clients and
server mode, with what a test asserts on: method, path, params, status, error_type,
response and workspace_id. Strict mode refuses each undeclared parameter of every route
by name, changing nothing. A route of Seam's that the fake does not simulate is 404
``route_not_simulated``; any other path 404 ``route_not_found``.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from helpers import Raw, assert_error, auth, unchanged
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam
from seam_fake.api.routes import ROUTES
from seam_fake.reference import openapi
from seam_fake.server import BackgroundServer

# Call log ------------------------------------------------------------------------------


def test_calls_record_what_the_code_under_test_sent(fake_seam: FakeSeam, seam: Seam) -> None:
    seam.user_identities.create(email_address="ana@example.com", full_name="Ana")
    with pytest.raises(SeamHttpApiError):
        seam.user_identities.create(email_address="ANA@example.com")
    assert len(fake_seam.calls) == 2
    first, second = fake_seam.calls
    assert (first.method, first.path, first.status, first.error_type) == (
        "POST",
        "/user_identities/create",
        200,
        None,
    )
    assert first.params == {"email_address": "ana@example.com", "full_name": "Ana"}
    assert first.response["user_identity"]["email_address"] == "ana@example.com"
    assert first.workspace_id == fake_seam.workspace_id
    assert (second.status, second.error_type) == (400, "email_address_already_in_use")
    assert second.response["ok"] is False
    # Indexing and filtering.
    assert fake_seam.calls[-1] is second and fake_seam.calls[:1] == [first]
    assert fake_seam.calls.filter(path="/user_identities/create", status=200) == [first]
    assert fake_seam.calls.filter(error_type="email_address_already_in_use") == [second]
    assert fake_seam.calls.filter(method="get") == []


def test_a_query_is_recorded_as_its_parameters(fake_seam: FakeSeam, seam: Seam) -> None:
    created = seam.user_identities.create(full_name="Ana")
    seam.user_identities.list(user_identity_ids=[created.user_identity_id], limit=5)
    listed = fake_seam.calls[-1]
    assert listed.method == "GET" and listed.path == "/user_identities/list"
    # Query strings carry text; the SDK's `_strict=true` is not a parameter.
    assert listed.params == {"user_identity_ids": created.user_identity_id, "limit": "5"}


def test_refusals_before_a_workspace_is_known_have_none(fake_seam: FakeSeam, raw: Raw) -> None:
    requests.post(
        fake_seam.endpoint + "/user_identities/create", json={}, headers={"Authorization": "Bearer x"}
    )
    raw.post("/no/such/route")
    unauthenticated, unknown = fake_seam.calls
    assert (unauthenticated.status, unauthenticated.error_type, unauthenticated.workspace_id) == (
        401,
        "unauthorized",
        None,
    )
    assert (unknown.status, unknown.error_type) == (404, "route_not_found")


def test_each_workspace_is_recorded_as_such(fake_seam: FakeSeam) -> None:
    other = fake_seam.add_workspace("Other")
    Seam(api_key=other["api_key"]).user_identities.create(full_name="Theirs")
    Seam().user_identities.create(full_name="Ours")
    assert [c.workspace_id for c in fake_seam.calls] == [other["workspace_id"], fake_seam.workspace_id]
    assert len(fake_seam.calls.filter(workspace_id=other["workspace_id"])) == 1


def test_outages_and_controls(fake_seam: FakeSeam, raw: Raw) -> None:
    fake_seam.simulate_outage("/user_identities/get", 503, retry_after=0)
    raw.get("/user_identities/get", params={"user_identity_key": "x"})
    raw.post("/_fake/snapshot")
    # The outage is an answer the fake gave; its own controls are not Seam calls.
    (outage,) = fake_seam.calls
    assert (outage.status, outage.error_type) == (503, "service_unavailable")


def test_reset_and_clear_empty_the_log_and_each_fake_has_its_own(fake_seam: FakeSeam, seam: Seam) -> None:
    seam.user_identities.create(full_name="Ana")
    other = FakeSeam(endpoint="https://other.example")
    with other.patch():
        Seam(api_key=other.api_key, endpoint=other.endpoint).workspaces.get()
    assert len(fake_seam.calls) == 1 and len(other.calls) == 1
    fake_seam.calls.clear()
    assert len(fake_seam.calls) == 0
    seam.workspaces.get()
    fake_seam.reset()
    assert list(fake_seam.calls) == []
    assert "CallLog of 0" in repr(fake_seam.calls)


def test_server_mode_shows_the_log_under_fake_calls() -> None:
    with BackgroundServer() as server:
        seam = Seam(api_key=server.api_key, endpoint=server.endpoint)
        seam.user_identities.create(full_name="Ana")
        reply = requests.get(server.endpoint + "/_fake/calls", headers=auth(server.fake), timeout=10)
        assert reply.status_code == 200
        (call,) = reply.json()["calls"]
        assert call["path"] == "/user_identities/create" and call["status"] == 200
        assert call["params"] == {"full_name": "Ana"} and call["error_type"] is None
        assert call["workspace_id"] == server.workspace_id
        assert call["response"]["user_identity"]["full_name"] == "Ana"
        # Another workspace's key sees only its own calls.
        other = server.fake.add_workspace("Other")
        reply = requests.get(server.endpoint + "/_fake/calls", headers=auth_key(other["api_key"]), timeout=10)
        assert reply.json()["calls"] == []
        requests.post(server.endpoint + "/_fake/reset", headers=auth_key(server.admin_token), timeout=10)
        assert len(server.fake.calls) == 0


def auth_key(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


# Strict mode ---------------------------------------------------------------------------

ROUTE_LIST = sorted(ROUTES.values(), key=lambda route: route.path)


def declared(route: Any) -> dict[str, Any]:
    """A body naming every declared parameter with a value of the wrong type or none at all:
    strict mode must not complain of any of them as unknown."""
    return {param.name: None for param in route.params}


@pytest.mark.parametrize("route", ROUTE_LIST, ids=[route.path for route in ROUTE_LIST])
def test_strict_mode_refuses_exactly_the_undeclared_parameters(route: Any) -> None:
    fake = FakeSeam(strict=True)
    method = sorted(route.methods)[-1]
    with fake.patch(), unchanged(fake):
        reply = requests.request(
            method,
            fake.endpoint + route.path,
            json={**declared(route), "no_such_parameter": 1, "full_nme": "typo"},
            headers=auth(fake),
        )
        error = assert_error(reply, 400, "invalid_input")
        named = set(error["validation_errors"]) - {"_errors"}
        assert {"no_such_parameter", "full_nme"} <= named
        # Declared parameters may be refused for their values, never as unknown.
        for name in named - {"no_such_parameter", "full_nme"}:
            assert "strict mode" not in " ".join(error["validation_errors"][name]["_errors"])
        assert "strict mode" in error["validation_errors"]["full_nme"]["_errors"][0]


def test_strict_mode_accepts_a_call_with_only_declared_parameters(fake_seam: FakeSeam) -> None:
    fake = FakeSeam(strict=True)
    with fake.patch():
        seam = Seam(api_key=fake.api_key)
        created = seam.user_identities.create(full_name="Ana", email_address="ana@example.com")
        assert seam.user_identities.list(search="Ana")[0].user_identity_id == created.user_identity_id


def test_strict_mode_reads_query_strings_too() -> None:
    fake = FakeSeam(strict=True)
    with fake.patch():
        reply = requests.get(
            fake.endpoint + "/user_identities/list",
            params={"serach": "x", "_strict": "true"},
            headers=auth(fake),
        )
    error = assert_error(reply, 400, "invalid_input")
    assert set(error["validation_errors"]) == {"_errors", "serach"}


# Honest 404s ----------------------------------------------------------------------------

NOT_SIMULATED = sorted(set(openapi()["paths"]) - set(ROUTES))
# One path of the reference is a template (`/seam/webhooks/[provider]/[subscription_id]`, where
# providers call Seam); a client never calls it as written.
CALLABLE = [path for path in NOT_SIMULATED if "[" not in path]


def test_every_reference_route_is_simulated_or_said_not_to_be(fake_seam: FakeSeam, raw: Raw) -> None:
    assert set(ROUTES) <= set(openapi()["paths"])
    assert len(CALLABLE) >= len(NOT_SIMULATED) - 1
    for path in CALLABLE:
        with unchanged(fake_seam):
            error = assert_error(raw.post(path, json={}), 404, "route_not_simulated")
        assert path in error["message"] and "seam-fake" in error["message"]
        assert "Endpoints" in error["message"]


DEVICE = "00000000-0000-4000-8000-000000000000"
UNMODELLED = {
    "devices.list": lambda seam: seam.devices.list(),
    "locks.list": lambda seam: seam.locks.list(),
    "access_codes.list": lambda seam: seam.access_codes.list(device_id=DEVICE),
}


@pytest.mark.parametrize("call", UNMODELLED.values(), ids=list(UNMODELLED))
def test_the_sdk_gets_route_not_simulated_for_what_the_fake_does_not_model(
    fake_seam: FakeSeam, call: Any
) -> None:
    with pytest.raises(SeamHttpApiError) as refused:
        call(Seam())
    assert refused.value.code == "route_not_simulated"
    assert refused.value.status_code == 404


@pytest.mark.parametrize("path", ["/devices/lsit", "/nothing", "/user_identities/get/extra"])
def test_a_path_that_is_not_seams_is_route_not_found(fake_seam: FakeSeam, raw: Raw, path: str) -> None:
    error = assert_error(raw.get(path), 404, "route_not_found")
    assert path in error["message"]


def test_the_log_keeps_the_last_calls_up_to_its_limit() -> None:
    fake = FakeSeam(call_log_limit=2)
    with fake.patch():
        client = Seam(api_key=fake.api_key)
        for name in ("Ann", "Bob", "Cy"):
            client.user_identities.create(full_name=name)
    assert fake.calls.limit == 2
    assert [call.params["full_name"] for call in fake.calls] == ["Bob", "Cy"]
    assert fake.calls[0].params["full_name"] == "Bob" and len(fake.calls[-1:]) == 1


def test_a_log_can_keep_everything_or_nothing() -> None:
    everything, nothing = FakeSeam(call_log_limit=None), FakeSeam.demo(call_log_limit=0)
    for fake in (everything, nothing):
        with fake.patch():
            Seam(api_key=fake.api_key).user_identities.list()
    assert len(everything.calls) == 1 and everything.calls.limit is None
    assert len(nothing.calls) == 0
    assert FakeSeam().calls.limit == 10_000


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="count of calls"):
        FakeSeam(call_log_limit=-1)
