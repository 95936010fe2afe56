"""The plugin's network guard, its markers and the server fixture, in user projects.

Each test writes a small project into a ``pytester`` directory (no conftest) and
runs pytest on it in a subprocess, so the plugin loads through its entry point as it
does for a user. A socket-level hook in the inner project proves that a blocked
request opens no socket and looks no name up.
"""

from __future__ import annotations

import textwrap

import httpx
import pytest

from seam_fake.transports.guard import SeamNetworkBlockedError

# Installed in each inner project: every socket connect and name look-up is recorded, and
# a Seam host's would fail loudly anyway (the machine has no network).
SOCKET_SPY = """
import socket

import pytest

OPENED = []
_connect, _getaddrinfo = socket.socket.connect, socket.getaddrinfo


def _spy_connect(self, address):
    OPENED.append(("connect", address))
    return _connect(self, address)


def _spy_getaddrinfo(host, *args, **kwargs):
    OPENED.append(("getaddrinfo", host))
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _spy_connect
socket.getaddrinfo = _spy_getaddrinfo
"""


def run(pytester: pytest.Pytester, source: str, *args: str, ini: str = "") -> pytest.RunResult:
    pytester.makepyfile(test_project=SOCKET_SPY + textwrap.dedent(source))
    if ini:
        pytester.makeini(f"[pytest]\n{ini}\n")
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly", *args)


BLOCKED = """
import asyncio

import httpx
import requests
from seam import Seam
from seam_fake.transports.guard import SeamNetworkBlockedError


def expect_blocked(call):
    with pytest.raises(SeamNetworkBlockedError) as blocked:
        call()
    message = str(blocked.value)
    assert "fake_seam" in message and "seam_live" in message and "seam_fake_block_network" in message
    assert not [entry for entry in OPENED if "seam" in str(entry)], OPENED


def test_sdk_without_a_fake_is_blocked(monkeypatch):
    monkeypatch.setenv("SEAM_API_KEY", "seam_live_real_key_of_the_developer")
    expect_blocked(lambda: Seam().user_identities.create(full_name="Jean"))


def test_httpx_sync_is_blocked():
    expect_blocked(lambda: httpx.get("https://connect.getseam.com/workspaces/get"))


def test_httpx_async_is_blocked():
    async def call():
        async with httpx.AsyncClient() as client:
            await client.get("https://connect.getseam.com/workspaces/get")

    expect_blocked(lambda: asyncio.run(call()))


def test_requests_is_blocked():
    expect_blocked(lambda: requests.post("https://connect.getseam.com/user_identities/create", json={}))


def test_another_seam_host_named_by_seam_endpoint_is_blocked(monkeypatch):
    monkeypatch.setenv("SEAM_ENDPOINT", "https://eu.connect.getseam.com")
    monkeypatch.setenv("SEAM_API_KEY", "seam_live_real_key")
    expect_blocked(lambda: Seam().workspaces.get())


def test_with_the_fixture_the_fake_answers(fake_seam):
    assert Seam().user_identities.create(full_name="Jean").workspace_id == fake_seam.workspace_id


def test_other_hosts_are_untouched():
    # Nothing listens there: the guard stood aside and the real transport tried to connect.
    with pytest.raises((httpx.ConnectError, requests.ConnectionError)):
        httpx.get("http://127.0.0.1:9/anything", timeout=2)
    assert ("connect", ("127.0.0.1", 9)) in OPENED
"""


def test_calls_to_seam_without_a_fake_are_blocked_before_any_socket(pytester: pytest.Pytester) -> None:
    result = run(pytester, BLOCKED)
    result.assert_outcomes(passed=7)


LIVE = """
import httpx


@pytest.mark.seam_live
def test_a_live_test_reaches_the_network():
    with pytest.raises(httpx.ConnectError):
        httpx.get("https://connect.getseam.com/health", timeout=2)
    assert any(kind == "getaddrinfo" for kind, _ in OPENED)


def test_the_guard_is_back_after_it():
    from seam_fake.transports.guard import SeamNetworkBlockedError

    with pytest.raises(SeamNetworkBlockedError):
        httpx.get("https://connect.getseam.com/health")
"""


def test_seam_live_lets_one_test_through(pytester: pytest.Pytester) -> None:
    run(pytester, LIVE).assert_outcomes(passed=2)


OFF = """
import httpx


def test_nothing_is_blocked():
    with pytest.raises(httpx.ConnectError):
        httpx.get("https://connect.getseam.com/health", timeout=2)
"""


def test_the_ini_option_turns_the_guard_off(pytester: pytest.Pytester) -> None:
    run(pytester, OFF, ini="seam_fake_block_network = false").assert_outcomes(passed=1)


MARKERS = """
from seam import Seam


@pytest.mark.seam_fake(demo=True)
def test_demo(fake_seam):
    assert [i.user_identity_key for i in Seam().user_identities.list()][-1] == "user_jane"


@pytest.mark.seam_fake(random_seed=7)
def test_seeded(fake_seam):
    from seam_fake import FakeSeam

    assert fake_seam.workspace_id == FakeSeam(random_seed=7).workspace_id


@pytest.mark.seam_fake(api_key="seam_test_fixed_key")
def test_api_key(fake_seam):
    import os

    assert fake_seam.api_key == os.environ["SEAM_API_KEY"] == "seam_test_fixed_key"


@pytest.mark.seam_fake(endpoint="https://seam.internal.example")
def test_endpoint(fake_seam):
    seam = Seam(endpoint="https://seam.internal.example")
    assert seam.user_identities.create(full_name="Jean").workspace_id == fake_seam.workspace_id


def create_with_a_typo(fake):
    import requests

    return requests.post(
        fake.endpoint + "/user_identities/create",
        json={"full_nme": "typo"},
        headers={"Authorization": "Bearer " + fake.api_key},
    )


@pytest.mark.seam_fake(strict=True)
def test_strict(fake_seam):
    reply = create_with_a_typo(fake_seam)
    assert reply.status_code == 400
    assert reply.json()["error"]["type"] == "invalid_input"
    assert list(reply.json()["error"]["validation_errors"]) == ["_errors", "full_nme"]


def test_no_marker_is_not_strict(fake_seam):
    assert create_with_a_typo(fake_seam).status_code == 200


@pytest.mark.seam_fake(demo=True, unknown_option=1)
def test_unknown_option(fake_seam):
    pass
"""


def test_the_seam_fake_marker_configures_the_fixture(pytester: pytest.Pytester) -> None:
    result = run(pytester, MARKERS, "-W", "error::pytest.PytestUnknownMarkWarning")
    result.assert_outcomes(passed=6, errors=1)
    result.stdout.fnmatch_lines(["*seam_fake got unknown option(s) unknown_option; it takes demo*"])


SERVER = """
import requests

STATE = {}


def test_first(fake_seam_server):
    fake_seam_server.fake.add_acs_system("Left over")
    STATE["server"] = fake_seam_server


def test_through_getfixturevalue(request):
    server = request.getfixturevalue("fake_seam_server")
    assert server is STATE["server"]
    # Reset for this test too, although it named no fixture.
    assert server.fake.snapshot()["workspaces"][server.workspace_id]["acs_systems"] == {}
    reply = requests.get(server.endpoint + "/health", timeout=5)
    assert reply.status_code == 200


def test_without_the_server_nothing_runs_for_it():
    from seam_fake.pytest_plugin import fake_seam_server
    assert fake_seam_server is not None
"""


def test_fake_seam_server_is_reset_however_a_test_asks_for_it(pytester: pytest.Pytester) -> None:
    run(pytester, SERVER).assert_outcomes(passed=3)


INNER = """
def test_inner():
    pass
"""


@pytest.mark.parametrize("ini", ["", "seam_fake_block_network = false"], ids=["guarded", "unguarded"])
def test_a_session_run_in_process_leaves_the_outer_guard_in_place(
    pytester: pytest.Pytester, ini: str
) -> None:
    # pytester's in-process run configures and unconfigures the plugin a second time; its
    # unconfigure once took the outer session's guard off for every later test.
    pytester.makepyfile(test_inner=INNER)
    if ini:
        pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    with pytest.raises(SeamNetworkBlockedError):
        httpx.get("https://connect.getseam.com/health", timeout=2)
