"""Server mode: ``FakeSeamServer`` over real sockets, and the ``python -m seam_fake serve`` CLI.

No in-process patch is active here: every request below travels over a real
TCP connection to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import httpx
import pytest
import requests
from helpers import assert_error, auth, free_port, unchanged
from openapi_schema import assert_valid_response
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam, Request
from seam_fake.server import MAX_BODY_BYTES, BackgroundServer, FakeSeamServer

CREATE = "/user_identities/create"
GET = "/user_identities/get"
DEADLINE_SECONDS = 20.0


@pytest.fixture
def fake() -> FakeSeam:
    return FakeSeam()


@pytest.fixture
def server(fake: FakeSeam) -> Iterator[FakeSeamServer]:
    with BackgroundServer(fake) as running:
        yield running.server


def raw_exchange(
    server: FakeSeamServer, method: str, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], Any]:
    """Send a request line and headers only (no body); the answer's status, headers and JSON body."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(str(host), int(port), timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, answer_headers, json.loads(response.read())
    finally:
        connection.close()


# FakeSeamServer ---------------------------------------------------------------------------------------------


def test_endpoint_names_the_bound_port(server: FakeSeamServer) -> None:
    port = server.server_address[1]
    assert port != 0
    assert server.endpoint == f"http://127.0.0.1:{port}"


def test_sdk_creates_and_gets_an_identity_over_real_http(server: FakeSeamServer, fake: FakeSeam) -> None:
    seam = Seam(api_key=fake.api_key, endpoint=server.endpoint)
    created = seam.user_identities.create(
        user_identity_key="over_http", email_address="over@http.test", full_name="Over Http"
    )
    by_id = seam.user_identities.get(user_identity_id=created.user_identity_id)
    by_key = seam.user_identities.get(user_identity_key="over_http")
    assert by_id == by_key == created
    assert created.workspace_id == fake.workspace_id
    assert created.display_name == "Over Http"
    stored = fake.snapshot()["workspaces"][fake.workspace_id]["user_identities"]
    assert list(stored) == [created.user_identity_id]


def test_sdk_errors_come_back_over_real_http(server: FakeSeamServer, fake: FakeSeam) -> None:
    seam = Seam(api_key=fake.api_key, endpoint=server.endpoint)
    seam.user_identities.create(user_identity_key="taken")
    with unchanged(fake), pytest.raises(SeamHttpApiError) as conflict:
        seam.user_identities.create(user_identity_key="taken")
    with pytest.raises(SeamHttpApiError) as missing:
        seam.user_identities.get(user_identity_key="nobody")
    assert (conflict.value.status_code, conflict.value.code) == (400, "user_identity_key_already_in_use")
    assert (missing.value.status_code, missing.value.code) == (404, "user_identity_not_found")


def test_raw_requests_over_real_http_keep_the_api_contract(server: FakeSeamServer, fake: FakeSeam) -> None:
    created = requests.post(server.endpoint + CREATE, json={"user_identity_key": "raw"}, headers=auth(fake))
    assert created.status_code == 200
    assert created.headers["seam-request-id"]
    assert_valid_response(CREATE, created.json())
    # GET reads the query string as the SDK writes it, with the SDK's extra _strict=true.
    fetched = requests.get(
        server.endpoint + GET, params={"user_identity_key": "raw", "_strict": "true"}, headers=auth(fake)
    )
    assert fetched.status_code == 200
    assert_valid_response(GET, fetched.json(), "get")
    assert fetched.json()["user_identity"] == created.json()["user_identity"]
    with unchanged(fake):
        assert_error(requests.post(server.endpoint + CREATE, json={}), 401, "unauthorized")
        assert_error(
            requests.post(server.endpoint + CREATE, data=b"{not json", headers=auth(fake)),
            400,
            "invalid_input",
        )
        assert_error(
            requests.get(server.endpoint + "/no/such/route", headers=auth(fake)), 404, "route_not_found"
        )
        wrong_method = requests.get(server.endpoint + CREATE, headers=auth(fake))
    assert_error(wrong_method, 405, "method_not_allowed")
    assert wrong_method.headers["allow"] == "POST"


def test_one_kept_alive_connection_serves_many_requests(server: FakeSeamServer, fake: FakeSeam) -> None:
    keys = [f"conn_{i}" for i in range(5)]
    with httpx.Client(base_url=server.endpoint, headers=auth(fake)) as client:
        answers = [client.post(CREATE, json={"user_identity_key": key}) for key in keys]
        fetched = client.get(GET, params={"user_identity_key": keys[-1]})
    assert [a.json()["user_identity"]["user_identity_key"] for a in answers] == keys
    assert fetched.json()["user_identity"] == answers[-1].json()["user_identity"]
    # Five creates and one get, all on the same socket.
    assert len({a.extensions["network_stream"] for a in [*answers, fetched]}) == 1


def test_concurrent_requests_are_all_served(server: FakeSeamServer, fake: FakeSeam) -> None:
    keys = [f"thread_{i}" for i in range(8)]
    statuses: dict[str, int] = {}

    def create(key: str) -> None:
        response = requests.post(
            server.endpoint + CREATE, json={"user_identity_key": key}, headers=auth(fake)
        )
        statuses[key] = response.status_code

    threads = [threading.Thread(target=create, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert statuses == dict.fromkeys(keys, 200)
    stored = fake.snapshot()["workspaces"][fake.workspace_id]["user_identities"].values()
    assert sorted(identity["user_identity_key"] for identity in stored) == sorted(keys)


def test_health(server: FakeSeamServer) -> None:
    response = requests.get(server.endpoint + "/health")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["ok"] is True


def test_health_needs_no_credentials_and_changes_nothing(server: FakeSeamServer, fake: FakeSeam) -> None:
    with unchanged(fake):
        response = httpx.get(server.endpoint + "/health", headers={"Authorization": "Bearer seam_wrong"})
    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_oversized_content_length_gets_413(server: FakeSeamServer, fake: FakeSeam) -> None:
    with unchanged(fake):
        status, headers, body = raw_exchange(
            server, "POST", CREATE, {**auth(fake), "Content-Length": str(MAX_BODY_BYTES + 1)}
        )
    assert status == 413
    assert headers["content-type"].startswith("application/json")
    assert body["ok"] is False
    assert body["error"]["type"] == "request_body_too_large"
    assert str(MAX_BODY_BYTES) in body["error"]["message"]


def test_a_body_of_exactly_the_limit_is_accepted(server: FakeSeamServer, fake: FakeSeam) -> None:
    # Unknown parameters are ignored, so padding fills the body up to the limit.
    template = json.dumps({"user_identity_key": "at_limit", "padding": ""})
    padding = "x" * (MAX_BODY_BYTES - len(template))
    body = json.dumps({"user_identity_key": "at_limit", "padding": padding}).encode()
    assert len(body) == MAX_BODY_BYTES
    response = requests.post(
        server.endpoint + CREATE, data=body, headers={**auth(fake), "content-type": "application/json"}
    )
    assert response.status_code == 200, response.text[:500]
    assert response.json()["user_identity"]["user_identity_key"] == "at_limit"


@pytest.mark.parametrize("length", ["abc", "1.5", "-5", "0x10", "1e3"])
def test_invalid_content_length_gets_400(server: FakeSeamServer, fake: FakeSeam, length: str) -> None:
    with unchanged(fake):
        status, headers, body = raw_exchange(server, "POST", CREATE, {**auth(fake), "Content-Length": length})
    assert status == 400
    assert headers["content-type"].startswith("application/json")
    assert body["ok"] is False
    assert body["error"]["type"] == "malformed_request"


@pytest.mark.parametrize("length", [str(MAX_BODY_BYTES + 1), "abc"], ids=["oversized", "not_a_number"])
def test_server_refusals_carry_a_seam_request_id(server: FakeSeamServer, fake: FakeSeam, length: str) -> None:
    # Spec: every response carries a seam-request-id header, and errors carry error.request_id.
    _, headers, body = raw_exchange(server, "POST", CREATE, {**auth(fake), "Content-Length": length})
    assert headers.get("seam-request-id"), headers
    assert body["error"]["request_id"] == headers["seam-request-id"]


@pytest.mark.parametrize("method", ["OPTIONS", "HEAD", "PURGE"])
def test_server_answers_other_methods_as_the_in_process_fake_does(
    server: FakeSeamServer, fake: FakeSeam, method: str
) -> None:
    # The server is "the same handle behind a real server": a method the routes do not accept is a
    # 405 method_not_allowed with an Allow header, as FakeSeam.handle answers it in process.
    expected = fake.handle(Request(method, CREATE, "", {"authorization": f"Bearer {fake.api_key}"}))
    response = requests.request(method, server.endpoint + CREATE, headers=auth(fake))
    assert response.status_code == expected.status == 405
    assert response.headers["allow"] == expected.headers["allow"]
    if method != "HEAD":
        assert response.json()["error"]["type"] == "method_not_allowed"


def test_server_reads_a_chunked_body(server: FakeSeamServer, fake: FakeSeam) -> None:
    # requests sends a generator body with Transfer-Encoding: chunked and no Content-Length.
    def chunks() -> Iterator[bytes]:
        yield b'{"user_identity_key": '
        yield b'"chunked"}'

    response = requests.post(server.endpoint + CREATE, data=chunks(), headers=auth(fake))
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 200, response.text
    assert response.json()["user_identity"]["user_identity_key"] == "chunked"


def send_raw(server: FakeSeamServer, payload: bytes) -> tuple[int, Any]:
    """Write bytes straight to the socket; the answer's status and JSON body."""
    host, port = server.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=10) as sock:
        sock.sendall(payload)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, json.loads(response.read())


def chunked_request(fake: FakeSeam, chunks: bytes) -> bytes:
    return (
        f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {fake.api_key}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode() + chunks


def test_server_refuses_a_chunked_body_over_the_limit(server: FakeSeamServer, fake: FakeSeam) -> None:
    piece = b"x" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(17)) + b"0\r\n\r\n"
    with unchanged(fake):
        status, body = send_raw(server, chunked_request(fake, chunks))
    assert status == 413
    assert body["error"]["type"] == "request_body_too_large"


def test_server_refuses_a_malformed_chunked_body(server: FakeSeamServer, fake: FakeSeam) -> None:
    with unchanged(fake):
        status, body = send_raw(server, chunked_request(fake, b"zz\r\n{}\r\n0\r\n\r\n"))
    assert status == 400
    assert body["error"]["type"] == "malformed_request"
    assert "chunked" in body["error"]["message"]
    # The server is still serving.
    assert requests.get(server.endpoint + "/health", timeout=10).json()["ok"] is True


# The CLI ----------------------------------------------------------------------------------------------------


def read_lines_until(lines: queue.Queue[str | None], pattern: str, deadline: float) -> list[str]:
    """Lines of the process's stdout up to and including the first matching ``pattern``."""
    seen: list[str] = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break  # the process closed its stdout (exited)
        seen.append(line)
        if re.search(pattern, line):
            return seen
    raise AssertionError(f"no line matching {pattern!r} in time; got {seen!r}")


def wait_healthy(endpoint: str, deadline: float) -> None:
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if httpx.get(endpoint + "/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError as error:
            last = error
        time.sleep(0.05)
    raise AssertionError(f"{endpoint}/health never answered: {last!r}")


@dataclass
class CliServer:
    process: subprocess.Popen[str]
    port: int
    lines: queue.Queue[str | None]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def read_until(self, pattern: str, deadline: float) -> list[str]:
        return read_lines_until(self.lines, pattern, deadline)


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


@pytest.fixture
def cli_server() -> Iterator[CliServer]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "seam_fake",
            "serve",
            "--demo",
            "--port",
            str(port),
            "--api-key",
            "seam_fixed_key",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    try:
        yield CliServer(process, port, lines)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        assert process.stderr is not None
        process.stderr.close()


def stop(server: CliServer, stop_signal: signal.Signals = signal.SIGTERM) -> None:
    """Signal the server and expect a clean exit: return code 0, no traceback, port released."""
    server.process.send_signal(stop_signal)
    assert server.process.wait(timeout=DEADLINE_SECONDS) == 0
    assert server.process.stderr is not None
    assert "Traceback" not in server.process.stderr.read()
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.endpoint + "/health", timeout=1.0)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_cli_serves_a_seeded_workspace_and_stops_cleanly(
    cli_server: CliServer, stop_signal: signal.Signals
) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    lines = cli_server.read_until(r"^export SEAM_API_KEY=", deadline)
    endpoint = cli_server.endpoint
    assert endpoint in lines[0]
    workspace_line = next(line for line in lines if line.startswith("workspace_id:"))
    workspace_id = workspace_line.split(":", 1)[1].strip()
    assert f"export SEAM_ENDPOINT={endpoint}" in lines
    assert lines[-1] == "export SEAM_API_KEY=seam_fixed_key"

    wait_healthy(endpoint, deadline)
    seam = Seam(api_key="seam_fixed_key", endpoint=endpoint)
    systems = seam.acs.systems.list()
    assert len(systems) == 3
    assert {system.workspace_id for system in systems} == {workspace_id}
    assert len({system.acs_system_id for system in systems}) == 3
    created = seam.user_identities.create(user_identity_key="from_cli_test")
    assert created.workspace_id == workspace_id
    fetched = seam.user_identities.get(user_identity_key="from_cli_test")
    assert fetched.user_identity_id == created.user_identity_id
    stop(cli_server, stop_signal)


def test_cli_exports_work_for_seam_with_no_arguments(
    cli_server: CliServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    lines = cli_server.read_until(r"^export SEAM_API_KEY=", deadline)
    exports = dict(line.removeprefix("export ").split("=", 1) for line in lines if line.startswith("export "))
    assert exports == {"SEAM_ENDPOINT": cli_server.endpoint, "SEAM_API_KEY": "seam_fixed_key"}
    for name in ("SEAM_PERSONAL_ACCESS_TOKEN", "SEAM_WORKSPACE_ID", "SEAM_API_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in exports.items():
        monkeypatch.setenv(name, value)
    wait_healthy(exports["SEAM_ENDPOINT"], deadline)
    seam = Seam()
    assert len(seam.acs.systems.list()) == 3
    created = seam.user_identities.create(user_identity_key="from_env")
    assert seam.user_identities.get(user_identity_id=created.user_identity_id).user_identity_key == "from_env"
    stop(cli_server)


def test_cli_seeded_users_belong_to_a_seeded_system(cli_server: CliServer) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    cli_server.read_until(r"^export SEAM_API_KEY=", deadline)
    wait_healthy(cli_server.endpoint, deadline)
    seam = Seam(api_key="seam_fixed_key", endpoint=cli_server.endpoint)
    system_ids = {system.acs_system_id for system in seam.acs.systems.list()}
    users = seam.acs.users.list()
    assert users
    assert {user.acs_system_id for user in users} <= system_ids
    stop(cli_server)


def test_cli_rejects_an_api_key_without_the_seam_prefix() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "seam_fake", "serve", "--port", str(free_port()), "--api-key", "not_a_key"],
        capture_output=True,
        text=True,
        timeout=DEADLINE_SECONDS,
        check=False,
    )
    assert result.returncode != 0
    assert "export SEAM_API_KEY" not in result.stdout
    assert "seam_" in result.stderr


@pytest.mark.parametrize("length", ["\u00b2", "\u0663", "\uff11"], ids=["superscript", "arabic", "fullwidth"])
def test_non_ascii_digits_in_content_length_get_400(
    server: FakeSeamServer, fake: FakeSeam, length: str
) -> None:
    # str.isdigit() accepts these, and int() then raised inside the handler: no answer at all.
    request = f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode()
    with unchanged(fake):
        status, body = send_raw(server, request)
    assert status == 400
    assert body["error"]["type"] == "malformed_request"


@pytest.mark.parametrize("size", [b"-1", b"+5", b"0x5", b""])
def test_a_chunk_size_that_is_not_hex_digits_gets_400(
    server: FakeSeamServer, fake: FakeSeam, size: bytes
) -> None:
    # A size of -1 once became rfile.read(-1): the server waited for the client to close.
    with unchanged(fake):
        status, body = send_raw(server, chunked_request(fake, size + b"\r\n{}\r\n0\r\n\r\n"))
    assert status == 400
    assert body["error"]["type"] == "malformed_request"
