"""The server's HTTP edge cases, over raw sockets: framing two parsers could read
differently, credential headers sent twice, ``Expect: 100-continue``, what
``http.server`` refuses itself, the whole-request deadline, the size of error
answers, lone surrogates in JSON and in queries, and clients that disconnect.

Every refusal here is Seam's JSON envelope with a status line, names what was wrong,
closes the connection where the rest of the request cannot be trusted, and changes
nothing; the server goes on serving after each.
"""

from __future__ import annotations

import json
import logging
import select
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from helpers import assert_error, auth, identities, ok, unchanged

from seam_fake import FakeSeam
from seam_fake.api.http import MAX_ERROR_BYTES, Request
from seam_fake.api.routes import ROUTES
from seam_fake.model.errors import CLIP
from seam_fake.server import MAX_BODY_BYTES, MAX_RESTORE_BYTES, BackgroundServer, FakeSeamServer

CREATE = "/user_identities/create"
GET = "/user_identities/get"
TIMEOUT = 10.0


# A client that reads the wire as it is ------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


class Wire:
    """One connection, read byte for byte: ``http.client`` would hide a ``100 Continue``."""

    def __init__(self, server: FakeSeamServer, timeout: float = TIMEOUT) -> None:
        host, port = server.server_address[:2]
        self.sock = socket.create_connection((str(host), int(port)), timeout=timeout)
        self.buffer = b""

    def __enter__(self) -> Wire:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def answer(self) -> Answer:
        """The next response: its status, headers and JSON body (None for a 1xx)."""
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                raise AssertionError(f"connection closed before a whole response: {self.buffer[:300]!r}")
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *lines = head.decode("latin-1").split("\r\n")
        assert status_line.startswith("HTTP/1.1 "), status_line
        status = int(status_line.split(" ")[1])
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if status < 200:
            return Answer(status, headers, None)
        length = int(headers["content-length"])
        while len(self.buffer) < length:
            if not self._fill():
                raise AssertionError("connection closed inside a response body")
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return Answer(status, headers, json.loads(body))

    def nothing_yet(self, wait: float = 0.3) -> bool:
        """Whether the server has sent nothing (and kept the connection) for ``wait`` seconds."""
        readable, _, _ = select.select([self.sock], [], [], wait)
        return not readable and not self.buffer

    def closed(self) -> bool:
        """Whether the server closes the connection once it has answered (within TIMEOUT)."""
        try:
            while self._fill():
                pass
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False
        return True


def head(fake: FakeSeam, path: str = CREATE, extra: str = "", method: str = "POST") -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {fake.api_key}\r\n"
        f"Content-Type: application/json\r\n{extra}\r\n"
    ).encode()


def assert_envelope(answer: Answer, status: int, error_type: str) -> dict[str, Any]:
    assert answer.status == status, answer.body
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.body["ok"] is False
    error: dict[str, Any] = answer.body["error"]
    assert error["type"] == error_type, error
    assert error["request_id"] == answer.headers["seam-request-id"]
    return error


def assert_still_serving(server: FakeSeamServer) -> None:
    assert requests.get(server.endpoint + "/health", timeout=TIMEOUT).json()["ok"] is True
    created = requests.post(
        server.endpoint + CREATE, json={"full_name": "Probe"}, headers=auth(server.fake), timeout=TIMEOUT
    )
    assert ok(created)["user_identity"]["full_name"] == "Probe"


def keys_of(fake: FakeSeam) -> list[str | None]:
    return sorted(identity["user_identity_key"] or "" for identity in identities(fake).values())


# Framing: one reading only ------------------------------------------------------------------------

BODY = b'{"user_identity_key": "framed"}'
CHUNKED = b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)


@pytest.mark.parametrize(
    ("extra", "body", "named"),
    [
        (f"Content-Length: {len(BODY)}\r\nContent-Length: 2\r\n", BODY, "Content-Length"),
        (f"Content-Length: {len(BODY)}, 2\r\n", BODY, "Content-Length"),
        (f"Content-Length: {len(CHUNKED)}\r\nTransfer-Encoding: chunked\r\n", CHUNKED, "Transfer-Encoding"),
        (f"Transfer-Encoding: chunked\r\nContent-Length: {len(CHUNKED)}\r\n", CHUNKED, "Transfer-Encoding"),
        ("Transfer-Encoding: gzip, chunked\r\n", CHUNKED, "gzip, chunked"),
        ("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", CHUNKED, "chunked, chunked"),
        ("Transfer-Encoding: chunked, chunked\r\n", CHUNKED, "chunked, chunked"),
        ("Transfer-Encoding: identity\r\n", BODY, "identity"),
        ("Transfer-Encoding: chunked\r\n", b"%x\r\n%sXX0\r\n\r\n" % (len(BODY), BODY), "CRLF"),
        ("Transfer-Encoding: chunked\r\n", b"%x\r\n%s" % (len(BODY) + 5, BODY), "ended after"),
        (f"Content-Length: {len(BODY) + 5}\r\n", BODY, "ended after"),
    ],
    ids=[
        "two_content_lengths",
        "content_length_list",
        "content_length_then_chunked",
        "chunked_then_content_length",
        "gzip_chunked",
        "chunked_twice",
        "chunked_listed_twice",
        "identity_coding",
        "chunk_without_crlf",
        "chunk_cut_short",
        "body_cut_short",
    ],
)
def test_framing_that_two_parsers_could_read_differently_is_refused_and_closes(
    server: FakeSeamServer, extra: str, body: bytes, named: str
) -> None:
    fake = server.fake
    with unchanged(fake), Wire(server) as wire:
        wire.send(head(fake, extra=extra) + body)
        if "ended after" in named:
            wire.sock.shutdown(socket.SHUT_WR)
        error = assert_envelope(wire.answer(), 400, "malformed_request")
        assert wire.closed()
    assert named in error["message"]
    assert_still_serving(server)


@pytest.mark.parametrize(
    ("extra", "body"),
    [
        (f"Content-Length: {len(BODY)}\r\nContent-Length: {len(BODY)}\r\n", BODY),
        (f"Content-Length: {len(BODY)}, {len(BODY)}\r\n", BODY),
        ("Transfer-Encoding: Chunked\r\n", CHUNKED),
        ("Transfer-Encoding: chunked\r\n", CHUNKED[:-2] + b"X-Trailer: 1\r\n\r\n"),
    ],
    ids=["same_content_length_twice", "same_content_length_listed", "chunked_in_capitals", "trailer"],
)
def test_framing_with_one_reading_is_served(server: FakeSeamServer, extra: str, body: bytes) -> None:
    with Wire(server) as wire:
        wire.send(head(server.fake, extra=extra) + body)
        answer = wire.answer()
        assert answer.status == 200, answer.body
        # The connection stays usable: the next request on it is read from the right place.
        wire.send(head(server.fake, f"{GET}?user_identity_key=framed", "Content-Length: 0\r\n", "GET"))
        assert wire.answer().body["user_identity"]["user_identity_key"] == "framed"
    assert keys_of(server.fake) == ["framed"]


@pytest.mark.parametrize(
    "extra",
    [
        "Content-Length: {length}\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
    ],
    ids=["content_length_and_chunked", "gzip_chunked", "chunked_and_short_content_length"],
)
def test_a_request_smuggled_after_the_last_chunk_is_never_run(server: FakeSeamServer, extra: str) -> None:
    fake = server.fake
    smuggled = json.dumps({"user_identity_key": "smuggled"}).encode()
    hidden = head(fake, extra=f"Content-Length: {len(smuggled)}\r\n") + smuggled
    body = b"0\r\n\r\n" + hidden
    with unchanged(fake), Wire(server) as wire:
        wire.send(head(fake, extra=extra.format(length=len(body))) + body)
        assert_envelope(wire.answer(), 400, "malformed_request")
        assert wire.closed()
    assert "smuggled" not in keys_of(fake)
    assert_still_serving(server)


@pytest.mark.parametrize(
    "extra",
    [
        "Authorization: Bearer {key}\r\n",
        "Authorization: Bearer seam_someone_else\r\n",
        "seam-workspace: {workspace}\r\nSeam-Workspace: {workspace}\r\n",
        "client-session-token: seam_cst_a\r\nclient-session-token: seam_cst_b\r\n",
    ],
    ids=["authorization_twice", "authorization_differing", "seam_workspace_twice", "session_token_twice"],
)
def test_a_credential_header_sent_twice_is_refused(server: FakeSeamServer, extra: str) -> None:
    fake = server.fake
    extra = extra.format(key=fake.api_key, workspace=fake.workspace_id)
    with unchanged(fake), Wire(server) as wire:
        wire.send(head(fake, extra=extra + f"Content-Length: {len(BODY)}\r\n") + BODY)
        error = assert_envelope(wire.answer(), 400, "malformed_request")
        assert wire.closed()
    assert "headers; send one" in error["message"]
    assert_still_serving(server)


# Expect: 100-continue ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "path", "status", "error_type"),
    [
        ("Authorization: Bearer seam_not_a_key\r\n", CREATE, 401, "unauthorized"),
        ("", "/no_such_route", 404, "route_not_found"),
        ("", "/devices/list", 404, "route_not_simulated"),
        ("", "/_fake/reset", 403, "admin_token_required"),
        ("", "/_fake/restore", 403, "admin_token_required"),
        (f"Content-Length: {MAX_BODY_BYTES + 1}\r\n", CREATE, 413, "request_body_too_large"),
        ("Transfer-Encoding: gzip\r\n", CREATE, 400, "malformed_request"),
    ],
    ids=[
        "unknown_key",
        "no_route",
        "route_not_simulated",
        "reset",
        "restore",
        "too_large",
        "coding",
    ],
)
def test_100_continue_waits_for_the_headers_size_and_credentials(
    server: FakeSeamServer, extra: str, path: str, status: int, error_type: str
) -> None:
    fake = server.fake
    lines = f"POST {path} HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
    if not extra.startswith("Authorization"):
        lines += f"Authorization: Bearer {fake.api_key}\r\n"
    if "Content-Length" not in extra and "Transfer-Encoding" not in extra:
        extra += "Content-Length: 1000\r\n"
    calls_before = len(fake.calls)
    with unchanged(fake), Wire(server) as wire:
        wire.send((lines + extra + "\r\n").encode())
        # The refusal comes first, before any body is sent, and no `100 Continue` before it.
        assert_envelope(wire.answer(), status, error_type)
        assert wire.closed()
    if not path.startswith("/_fake/") and status != 413 and error_type != "malformed_request":
        # Answered as the request itself is: the call log has it.
        assert len(fake.calls) == calls_before + 1
        assert fake.calls[-1].error_type == error_type
    assert_still_serving(server)


def test_100_continue_comes_once_the_request_may_send_its_body(server: FakeSeamServer) -> None:
    fake = server.fake
    with Wire(server) as wire:
        wire.send(head(fake, extra=f"Expect: 100-continue\r\nContent-Length: {len(BODY)}\r\n"))
        assert wire.answer().status == 100
        wire.send(BODY)
        answer = wire.answer()
        assert answer.status == 200, answer.body
        assert answer.body["user_identity"]["user_identity_key"] == "framed"
        # The connection goes on.
        wire.send(head(fake, f"{GET}?user_identity_key=framed", "Content-Length: 0\r\n", "GET"))
        assert wire.answer().body["user_identity"]["user_identity_key"] == "framed"


def test_a_client_that_sends_its_body_without_waiting_for_100_is_served(server: FakeSeamServer) -> None:
    fake = server.fake
    with Wire(server) as wire:
        wire.send(head(fake, extra=f"Expect: 100-continue\r\nContent-Length: {len(BODY)}\r\n") + BODY)
        assert wire.answer().status == 100
        assert wire.answer().status == 200
    assert keys_of(fake) == ["framed"]


# What http.server refuses itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "status", "error_type"),
    [
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414, "request_line_too_long"),
        (b"GET /health HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", 431, "request_headers_too_large"),
        (
            b"GET /health HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(101)) + b"\r\n",
            431,
            "request_headers_too_large",
        ),
        (b"HELLO\r\n\r\n", 400, "malformed_request"),
        (b"GET / HTTP/1.x\r\n\r\n", 400, "malformed_request"),
        (b"GET / HTTP/1.1 extra\r\n\r\n", 400, "malformed_request"),
        (b"GET /health HTTP/2.0\r\n\r\n", 505, "http_version_not_supported"),
        (b"GET /health HTTP/0.9\r\n\r\n", 505, "http_version_not_supported"),
        (b"GET /health\r\n\r\n", 505, "http_version_not_supported"),
        (
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 + b"\r\n\r\n",
            400,
            "malformed_request",
        ),
    ],
    ids=[
        "request_line_too_long",
        "header_too_long",
        "too_many_headers",
        "not_http",
        "bad_version",
        "four_words",
        "http2",
        "http09_declared",
        "http09",
        "tls_hello",
    ],
)
def test_what_http_server_refuses_is_seams_envelope(
    server: FakeSeamServer, payload: bytes, status: int, error_type: str
) -> None:
    with unchanged(server.fake), Wire(server) as wire:
        wire.send(payload)
        error = assert_envelope(wire.answer(), status, error_type)
        assert wire.closed()
    # The message says what was wrong, and quotes no more than CLIP characters of the request.
    assert len(error["message"]) < CLIP + 200
    assert_still_serving(server)


# The whole-request deadline -------------------------------------------------------------------------

DEADLINE = 1.0
STALL = 8.0  # the per-read timeout: a trickle of bytes never reaches it


@pytest.fixture
def strict_deadline() -> Iterator[FakeSeamServer]:
    with BackgroundServer(request_timeout=STALL, request_deadline=DEADLINE) as running:
        yield running.server


def _slow_client(
    server: FakeSeamServer, at_once: bytes, slowly: bytes, results: list[tuple[float, bytes]]
) -> None:
    """Send ``at_once``, then ``slowly`` a byte every 0.2 s until the server answers;
    record how long the slow part lasted and what came back."""
    host, port = server.server_address[:2]
    with socket.create_connection((str(host), int(port)), timeout=STALL + 5) as sock:
        sock.sendall(at_once)
        started = time.monotonic()
        for byte in slowly:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            readable, _, _ = select.select([sock], [], [], 0.2)
            if readable:
                break
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except OSError:
            pass
    results.append((time.monotonic() - started, received))


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_slow_sender_is_cut_off_at_the_deadline(strict_deadline: FakeSeamServer, where: str) -> None:
    server = strict_deadline
    fake = server.fake
    body = json.dumps({"user_identity_key": "slow"}).encode()
    headers = head(fake, extra=f"Content-Length: {len(body)}\r\n")
    at_once, slowly = (headers, body) if where == "body" else (b"", headers + body)
    # Twenty clients, each sending a byte every 0.2 s: never long enough apart for the stall
    # timeout, and far slower than the deadline allows.
    results: list[tuple[float, bytes]] = []
    with unchanged(fake):
        threads = [
            threading.Thread(target=_slow_client, args=(server, at_once, slowly, results)) for _ in range(20)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=STALL + 10)
    assert len(results) == 20
    for elapsed, received in results:
        # Answered 408 in Seam's envelope and closed, within the deadline and a little (far
        # sooner than the stall timeout; the little is generous, as twenty threads on a
        # loaded machine are slow to be scheduled).
        assert received.startswith(b"HTTP/1.1 408 "), received[:200]
        assert json.loads(received.partition(b"\r\n\r\n")[2])["error"]["type"] == "request_timeout"
        assert elapsed < DEADLINE + 2.5 < STALL, elapsed
    assert "slow" not in keys_of(fake)
    assert_still_serving(server)


def test_the_deadline_is_per_request_not_per_connection(strict_deadline: FakeSeamServer) -> None:
    # One kept-alive connection, three requests spread over more than the deadline.
    server = strict_deadline
    with requests.Session() as session:
        for n in range(3):
            created = session.post(
                server.endpoint + CREATE,
                json={"user_identity_key": f"kept_{n}"},
                headers=auth(server.fake),
                timeout=TIMEOUT,
            )
            assert ok(created)["user_identity"]["user_identity_key"] == f"kept_{n}"
            time.sleep(DEADLINE * 0.6)
    assert keys_of(server.fake) == ["kept_0", "kept_1", "kept_2"]


def test_the_deadline_must_be_positive() -> None:
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="deadline"):
            FakeSeamServer(FakeSeam(), request_deadline=bad)


# The size of error answers ------------------------------------------------------------------------


def test_a_huge_invalid_email_gets_a_small_answer(server: FakeSeamServer) -> None:
    fake = server.fake
    email = "a" * 900_000 + "@example"
    with unchanged(fake):
        response = requests.post(
            server.endpoint + CREATE, json={"email_address": email}, headers=auth(fake), timeout=TIMEOUT
        )
        error = assert_error(response, 400, "invalid_input")
    assert len(response.content) < 4096
    assert error["validation_errors"]["email_address"]["_errors"]
    assert f"({900_000 + 8 - CLIP} more characters)" in error["message"]


HUGE = ["x" * 100_000, "\u00e9" * 50_000, "\ud83d\ude00" * 30_000]


@pytest.mark.parametrize("value", HUGE, ids=["ascii", "latin", "emoji"])
def test_no_error_answer_is_over_4_kib_whatever_the_parameters_hold(value: str) -> None:
    # Every parameter of every route at once, each a huge string: errors about many
    # parameters, each quoting a value, in JSON that escapes non-ASCII to six bytes.
    fake = FakeSeam(strict=True)
    errors = 0
    for route in ROUTES.values():
        params = {param.name: value for param in route.params}
        params.update({f"unknown_{n}_{value[:300]}": value for n in range(50)})
        method = "POST" if "POST" in route.methods else sorted(route.methods)[0]
        body = json.dumps(params).encode()
        response = fake.handle(Request(method, route.path, "", auth(fake), body))
        if response.status >= 400:
            errors += 1
            assert len(response.body) <= MAX_ERROR_BYTES, (route.path, len(response.body))
            answer = response.json()
            assert answer["ok"] is False
            assert answer["error"]["message"]
    assert errors == len(ROUTES)


def test_an_answer_cut_to_size_says_how_many_parameters_it_left_out() -> None:
    fake = FakeSeam(strict=True)
    params = {f"unknown_{n:03d}_" + "k" * 150: 1 for n in range(300)}
    response = fake.handle(Request("POST", CREATE, "", auth(fake), json.dumps(params).encode()))
    assert response.status == 400
    assert len(response.body) <= MAX_ERROR_BYTES
    error = response.json()["error"]
    listed = [name for name in error["validation_errors"] if name != "_errors"]
    assert listed and len(listed) < 300
    assert f"{300 - len(listed)} more parameters failed validation." in error["validation_errors"]["_errors"]
    assert error["message"].endswith("(cut: the whole error was too long to answer)")


# Lone surrogates: refused alike from JSON and from a query -----------------------------------------


def test_a_lone_surrogate_is_refused_from_json_and_from_a_query(server: FakeSeamServer) -> None:
    fake = server.fake
    with unchanged(fake):
        from_json = requests.post(
            server.endpoint + CREATE,
            data=b'{"user_identity_key": "a\\ud800b"}',
            headers={**auth(fake), "content-type": "application/json"},
            timeout=TIMEOUT,
        )
        error = assert_error(from_json, 400, "invalid_input")
        assert "lone surrogate" in error["validation_errors"]["user_identity_key"]["_errors"][0]
        for escaped in ("a%ED%A0%80b", "a%FFb", "a%C3b"):
            from_query = requests.get(
                f"{server.endpoint}{GET}?user_identity_key={escaped}", headers=auth(fake), timeout=TIMEOUT
            )
            error = assert_error(from_query, 400, "invalid_input")
            assert "lone surrogate" in error["validation_errors"]["user_identity_key"]["_errors"][0]


def test_a_key_beyond_the_bmp_is_found_by_json_and_by_query(server: FakeSeamServer) -> None:
    fake = server.fake
    key = "caf\u00e9_\U0001f600"
    created = requests.post(
        server.endpoint + CREATE,
        data=b'{"user_identity_key": "caf\\u00e9_\\ud83d\\ude00"}',
        headers={**auth(fake), "content-type": "application/json"},
        timeout=TIMEOUT,
    )
    assert ok(created)["user_identity"]["user_identity_key"] == key
    by_query = requests.get(
        server.endpoint + GET, params={"user_identity_key": key}, headers=auth(fake), timeout=TIMEOUT
    )
    assert ok(by_query)["user_identity"]["user_identity_key"] == key
    # The same key as raw UTF-8 bytes in the request line, as some clients send it.
    with Wire(server) as wire:
        wire.send(
            b"GET " + GET.encode() + b"?user_identity_key=" + key.encode() + b" HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + fake.api_key.encode() + b"\r\n\r\n"
        )
        answer = wire.answer()
    assert answer.status == 200, answer.body
    assert answer.body["user_identity"]["user_identity_key"] == key


# Clients that go away ------------------------------------------------------------------------------


def test_a_client_that_resets_the_connection_is_one_log_line(
    server: FakeSeamServer, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.WARNING, logger="seam_fake")
    host, port = server.server_address[:2]
    for _ in range(3):
        sock = socket.create_connection((str(host), int(port)), timeout=TIMEOUT)
        sock.sendall(head(server.fake)[:30])
        time.sleep(0.05)
        # SO_LINGER 0: close() sends a reset instead of an orderly end.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    deadline = time.monotonic() + TIMEOUT
    while len(caplog.records) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    lines = [record for record in caplog.records if record.name == "seam_fake"]
    assert len(lines) == 3, [record.getMessage() for record in lines]
    for record in lines:
        assert record.levelno == logging.WARNING
        assert record.exc_info is None
        assert "disconnected (ConnectionResetError)" in record.getMessage()
    assert "Traceback" not in capfd.readouterr().err
    assert_still_serving(server)


# /_fake/restore takes a whole state -------------------------------------------------------------


def test_a_snapshot_over_a_request_s_limit_is_restored_over_http(server: FakeSeamServer) -> None:
    big = FakeSeam()
    for n in range(2500):
        big.add_user_identity(full_name=f"Person {n}", email_address=f"person{n}@example.com")
    body = json.dumps({"snapshot": big.snapshot()}).encode()
    assert len(body) > MAX_BODY_BYTES
    answer = requests.post(
        server.endpoint + "/_fake/restore",
        data=body,
        headers={"Authorization": f"Bearer {server.fake.admin_token}", "content-type": "application/json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text[:300]
    assert server.fake.snapshot() == big.snapshot()


def test_a_restore_over_its_own_limit_is_refused_before_its_body(server: FakeSeamServer) -> None:
    fake = server.fake
    with unchanged(fake), Wire(server) as wire:
        wire.send(
            (
                f"POST /_fake/restore HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {fake.admin_token}\r\n"
                f"Expect: 100-continue\r\nContent-Length: {MAX_RESTORE_BYTES + 1}\r\n\r\n"
            ).encode()
        )
        error = assert_envelope(wire.answer(), 413, "request_body_too_large")
        assert wire.closed()
    assert f"{MAX_RESTORE_BYTES} bytes for /_fake/restore" in error["message"]
    # Any other path keeps the request limit.
    with Wire(server) as wire:
        wire.send(head(fake, extra=f"Expect: 100-continue\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n"))
        error = assert_envelope(wire.answer(), 413, "request_body_too_large")
    assert f"{MAX_BODY_BYTES} bytes." in error["message"]
