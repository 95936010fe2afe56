"""Server safety: concurrent writes and hostile clients, over real sockets.

Covered:

- Concurrency: 8 threads x 300 raw creates with colliding keys, emails (mixed case)
  and phones through a real server; no 5xx, only ``*_already_in_use`` refusals, the
  uniqueness rules hold afterwards, every acknowledged identity exists and nothing else.
- Hostile clients over real sockets: bodies over 1 MiB, deeply nested or huge-number
  JSON, non-UTF-8 bodies, a client that stalls mid-body or
  mid-headers (others are served meanwhile, it gets 408 or is dropped), a client that
  sends a short body and closes; after each, the server still answers ``/health`` and
  a normal request. The server binds 127.0.0.1 by default.

The ``/_fake/`` controls and simulated outages are in ``tests/api/test_controls.py``;
garbage request lines, framing, ``Expect``, the deadline and disconnects in
``tests/test_server_http.py``.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import random
import socket
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from helpers import UNIQUENESS_CONFLICTS, assert_error, auth, identities, ok, unchanged

from seam_fake import FakeSeam, fold_email
from seam_fake.server import MAX_BODY_BYTES, BackgroundServer, FakeSeamServer

CREATE = "/user_identities/create"
GET = "/user_identities/get"
LIST = "/user_identities/list"
TIMEOUT = 10.0


# Concurrency ---------------------------------------------------------------------------------------------


THREADS = 8
CREATES_PER_THREAD = 300
KEYS = [f"key_{i}" for i in range(20)]
EMAILS = [f"person{i}@example.com" for i in range(20)]
PHONES = [f"+1555555{100 + i:04d}" for i in range(20)]
CONFLICTS = UNIQUENESS_CONFLICTS


def _mixed_case(text: str, rng: random.Random) -> str:
    return "".join(char.upper() if rng.random() < 0.5 else char for char in text)


def _create_many(server: FakeSeamServer, index: int) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """One client's creates on its own session; (status, body sent, answer) for each."""
    rng = random.Random(index)
    answers = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {server.fake.api_key}"
        for n in range(CREATES_PER_THREAD):
            body: dict[str, Any] = {"full_name": f"Thread {index} #{n}"}
            if rng.random() < 0.6:
                body["user_identity_key"] = rng.choice(KEYS)
            if rng.random() < 0.6:
                body["email_address"] = _mixed_case(rng.choice(EMAILS), rng)
            if rng.random() < 0.6:
                body["phone_number"] = rng.choice(PHONES)
            response = session.post(server.endpoint + CREATE, json=body, timeout=30)
            answers.append((response.status_code, body, response.json()))
    return answers


def _list_all(server: FakeSeamServer) -> list[dict[str, Any]]:
    """Every identity, page by page through /user_identities/list."""
    found: list[dict[str, Any]] = []
    query: dict[str, Any] = {"limit": 37}
    headers = {"Authorization": f"Bearer {server.fake.api_key}"}
    while True:
        page = requests.get(server.endpoint + LIST, params=query, headers=headers, timeout=TIMEOUT)
        body = ok(page)
        found.extend(body["user_identities"])
        if not body["pagination"]["has_next_page"]:
            return found
        query = {"limit": 37, "page_cursor": body["pagination"]["next_page_cursor"]}


def test_concurrent_colliding_creates_keep_every_rule(server: FakeSeamServer) -> None:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [
            answer
            for answers in pool.map(lambda i: _create_many(server, i), range(THREADS))
            for answer in answers
        ]
    assert len(results) == THREADS * CREATES_PER_THREAD

    statuses = [status for status, _, _ in results]
    assert not [status for status in statuses if status >= 500]
    acknowledged: dict[str, dict[str, Any]] = {}
    refusals: dict[str, int] = {}
    for status, sent, answer in results:
        if status == 200:
            identity = answer["user_identity"]
            assert identity["user_identity_id"] not in acknowledged
            assert identity["user_identity_key"] == sent.get("user_identity_key")
            assert identity["email_address"] == sent.get("email_address")
            assert identity["phone_number"] == sent.get("phone_number")
            acknowledged[identity["user_identity_id"]] = identity
        else:
            assert status == 400, answer
            assert answer["ok"] is False
            assert answer["error"]["type"] in CONFLICTS, answer
            refusals[answer["error"]["type"]] = refusals.get(answer["error"]["type"], 0) + 1
    # The pools are small: every kind of conflict happened, many times.
    assert set(refusals) == CONFLICTS
    assert sum(refusals.values()) > THREADS * CREATES_PER_THREAD // 2

    stored = identities(server.fake)
    listed = _list_all(server)
    assert sorted(i["user_identity_id"] for i in listed) == sorted(stored) == sorted(acknowledged)
    assert len(stored) == statuses.count(200)
    for records in (list(stored.values()), listed):
        keys = [i["user_identity_key"] for i in records if i["user_identity_key"] is not None]
        emails = [fold_email(i["email_address"]) for i in records if i["email_address"] is not None]
        phones = [i["phone_number"] for i in records if i["phone_number"] is not None]
        assert len(keys) == len(set(keys))
        assert len(emails) == len(set(emails))
        assert len(phones) == len(set(phones))
    # The unique indexes name exactly the identities that hold each value, and nothing else.
    workspace = server.fake.snapshot()["workspaces"][server.fake.workspace_id]
    assert workspace["identity_by_key"] == {
        i["user_identity_key"]: i["user_identity_id"] for i in listed if i["user_identity_key"]
    }
    assert workspace["identity_by_email"] == {
        fold_email(i["email_address"]): i["user_identity_id"] for i in listed if i["email_address"]
    }
    assert workspace["identity_by_phone"] == {
        i["phone_number"]: i["user_identity_id"] for i in listed if i["phone_number"]
    }
    # Rebuilding the indexes from the records gives the very same state: no index drifted.
    snapshot = server.fake.snapshot()
    assert FakeSeam.from_snapshot(snapshot).snapshot() == snapshot


# Hostile clients -----------------------------------------------------------------------------------------


def assert_still_serving(server: FakeSeamServer) -> None:
    """/health answers, and so does a normal write and read."""
    health = requests.get(server.endpoint + "/health", timeout=TIMEOUT)
    assert health.status_code == 200
    assert health.json() == {"ok": True, "service": "seam-fake"}
    key = f"probe_{uuid.uuid4().hex[:8]}"
    created = ok(
        requests.post(
            server.endpoint + CREATE,
            json={"user_identity_key": key},
            headers=auth(server.fake),
            timeout=TIMEOUT,
        )
    )
    fetched = ok(
        requests.get(
            server.endpoint + GET,
            params={"user_identity_key": key},
            headers=auth(server.fake),
            timeout=TIMEOUT,
        )
    )
    assert fetched["user_identity"] == created["user_identity"]


def connect(server: FakeSeamServer, timeout: float = TIMEOUT) -> socket.socket:
    host, port = server.server_address[:2]
    return socket.create_connection((str(host), int(port)), timeout=timeout)


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], Any]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    headers = {name.lower(): value for name, value in response.getheaders()}
    body = response.read()
    return response.status, headers, json.loads(body) if body else None


def request_bytes(server: FakeSeamServer, path: str, body: bytes, extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.fake.api_key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    ).encode() + body


def assert_envelope(
    status: int, headers: dict[str, str], body: Any, expected_status: int, error_type: str
) -> None:
    assert status == expected_status, body
    assert headers["content-type"].startswith("application/json")
    assert body["ok"] is False
    assert body["error"]["type"] == error_type
    assert body["error"]["request_id"] == headers["seam-request-id"]


def test_the_server_binds_localhost_by_default(fake_seam_server: BackgroundServer) -> None:
    server = FakeSeamServer(FakeSeam())
    try:
        assert server.server_address[0] == "127.0.0.1"
        assert server.endpoint.startswith("http://127.0.0.1:")
    finally:
        server.server_close()
    assert fake_seam_server.server.server_address[0] == "127.0.0.1"


def test_a_body_over_one_mib_gets_413(server: FakeSeamServer) -> None:
    body = json.dumps({"user_identity_key": "big", "padding": "x" * MAX_BODY_BYTES}).encode()
    assert len(body) > MAX_BODY_BYTES
    with unchanged(server.fake), connect(server) as sock:
        # The whole body is sent before the answer is read, as a naive client does.
        sender = threading.Thread(
            target=_send_ignoring_resets, args=(sock, request_bytes(server, CREATE, body))
        )
        sender.start()
        answer = read_answer(sock)
        sender.join(timeout=TIMEOUT)
    assert_envelope(*answer, 413, "request_body_too_large")
    assert_still_serving(server)


def _send_ignoring_resets(sock: socket.socket, data: bytes) -> None:
    # The server may close the connection before it has read everything: that is its right.
    with contextlib.suppress(OSError):
        sock.sendall(data)


def post_bytes(server: FakeSeamServer, path: str, body: bytes) -> requests.Response:
    """POST ``body`` as it is, labelled JSON, with the fake's key (its admin token for restore)."""
    token = server.fake.admin_token if path == "/_fake/restore" else server.fake.api_key
    return requests.post(
        server.endpoint + path,
        data=body,
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
        timeout=TIMEOUT,
    )


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b"{" * 100_000,
        b'{"a":' * 50_000,
        b'{"full_name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"limit": ' + b"9" * 5000 + b"}",
    ],
    ids=["open_arrays", "open_objects", "open_members", "closed_deep_arrays", "5000_digit_number"],
)
@pytest.mark.parametrize("path", [CREATE, LIST, "/_fake/restore"])
def test_pathological_json_is_invalid_input(server: FakeSeamServer, body: bytes, path: str) -> None:
    with unchanged(server.fake):
        response = post_bytes(server, path, body)
        error = assert_error(response, 400, "invalid_input")
    assert "JSON" in error["message"]
    assert_still_serving(server)


def test_moderately_nested_json_in_a_parameter_is_invalid_input(server: FakeSeamServer) -> None:
    body = b'{"full_name": ' + b"[" * 500 + b"]" * 500 + b"}"
    with unchanged(server.fake):
        response = post_bytes(server, CREATE, body)
        error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"]["full_name"]["_errors"]
    assert_still_serving(server)


@pytest.mark.parametrize(
    "body",
    [
        b'{"full_name": "\xff\xfe"}',
        b'{"full_name": "caf\xe9"}',
        '{"full_name": "x"}'.encode("utf-16"),
        b'{"full_name": "\xed\xa0\x80"}',
    ],
    ids=["ff_fe", "latin1", "utf16", "encoded_surrogate"],
)
@pytest.mark.parametrize("path", [CREATE, "/_fake/add_acs_system"])
def test_a_body_that_is_not_utf8_is_invalid_input(server: FakeSeamServer, body: bytes, path: str) -> None:
    with unchanged(server.fake):
        response = post_bytes(server, path, body)
        error = assert_error(response, 400, "invalid_input")
    assert "UTF-8" in error["message"]
    assert_still_serving(server)


def test_non_ascii_bytes_in_the_authorization_header_are_unauthorized(server: FakeSeamServer) -> None:
    payload = (
        b"POST " + CREATE.encode() + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer seam_\xff\xfe\r\n"
        b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    )
    with unchanged(server.fake), connect(server) as sock:
        sock.sendall(payload)
        answer = read_answer(sock)
    assert_envelope(*answer, 401, "unauthorized")
    assert_still_serving(server)


def test_a_short_body_then_close_is_malformed_request(server: FakeSeamServer) -> None:
    payload = (
        f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.fake.api_key}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    ).encode() + b'{"user_id'
    with unchanged(server.fake), connect(server) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        answer = read_answer(sock)
    assert_envelope(*answer, 400, "malformed_request")
    assert_still_serving(server)


STALL_TIMEOUT = 2.5  # the server's request_timeout in the stall tests
SERVED_WITHIN = 2.0  # the other client's timeout: less than STALL_TIMEOUT, so a blocked server fails it


@pytest.fixture
def impatient_server() -> Iterator[FakeSeamServer]:
    with BackgroundServer(request_timeout=STALL_TIMEOUT) as running:
        yield running.server


def _receive_all(sock: socket.socket) -> bytes:
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def test_stalled_clients_block_nobody_and_are_dropped(impatient_server: FakeSeamServer) -> None:
    server = impatient_server
    headers = (
        f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.fake.api_key}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    ).encode()
    with (
        connect(server, timeout=STALL_TIMEOUT + 10) as mid_body,
        connect(server, timeout=STALL_TIMEOUT + 10) as mid_headers,
    ):
        # One announces 100 bytes and sends 10; the other stops inside its headers.
        mid_body.sendall(headers + b'{"user_id')
        mid_headers.sendall(headers[:45])
        # (a) While they stall, other clients are served, well before the stalled ones time out.
        for n in range(3):
            created = requests.post(
                server.endpoint + CREATE,
                json={"user_identity_key": f"meanwhile_{n}"},
                headers=auth(server.fake),
                timeout=SERVED_WITHIN,
            )
            assert ok(created)["user_identity"]["user_identity_key"] == f"meanwhile_{n}"
        health = requests.get(server.endpoint + "/health", timeout=SERVED_WITHIN)
        assert health.status_code == 200
        # (b) The client stalled mid-body gets a 408 in Seam's envelope, and the connection closes.
        received = _receive_all(mid_body)
        # The one stalled mid-headers has no request to answer: its connection is closed (or 408).
        dropped = _receive_all(mid_headers)
    assert received.startswith(b"HTTP/1.1 408 "), received[:200]
    head, _, body = received.partition(b"\r\n\r\n")
    answer = json.loads(body)
    assert answer["ok"] is False
    assert answer["error"]["type"] == "request_timeout"
    request_id = next(
        line.split(b":", 1)[1].strip().decode()
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"seam-request-id:")
    )
    assert answer["error"]["request_id"] == request_id
    assert dropped == b"" or dropped.startswith(b"HTTP/1.1 408 "), dropped[:200]
    # The stalled requests wrote nothing.
    assert sorted(i["user_identity_key"] for i in identities(server.fake).values()) == [
        "meanwhile_0",
        "meanwhile_1",
        "meanwhile_2",
    ]
    # (c) The server keeps serving.
    assert_still_serving(server)
