"""Server mode: the same ``handle`` behind a real, threaded HTTP server.

For clients that cannot be patched in process: other languages, subprocesses,
the Seam CLI, a browser. With a state file, every change a client saw
acknowledged is on disk before the response leaves.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .api.http import JSON_CONTENT_TYPE, Request, Response
from .fake import FakeSeam
from .model.errors import ApiError, clip, quote
from .model.snapshots import SnapshotError
from .state_changes import Recorder
from .statefile import COMPACT_BYTES, SaveFailed, StateFile, StateFileError, read

__all__ = [
    "BackgroundServer",
    "FakeSeamServer",
    "SaveFailed",
    "StateFile",
    "StateFileError",
    "read_state",
]

#: The state a server started on a state file would hold (``seam_fake.statefile.read``).
read_state = read

MAX_BODY_BYTES = 1024 * 1024
# How long a connection cut off at its deadline stays open after its 408 is sent.
_LINGER_SECONDS = 0.2
#: ``/_fake/restore`` takes a whole state, which outgrows a request's limit: its own.
MAX_RESTORE_BYTES = 256 * 1024 * 1024
RESTORE_PATH = "/_fake/restore"
LOG = logging.getLogger("seam_fake")
# ASCII only: str.isdigit() and int() also accept other scripts' digits.
_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(rb"[0-9a-fA-F]+")


class FakeSeamServer(ThreadingHTTPServer):
    """``fake`` over HTTP, one thread per connection.

    ``state_file``: load the fake's state from it if it exists (a corrupt or
    foreign file raises ``StateFileError``), and write every change to it
    before answering; a change that cannot be written is undone and answered
    503 ``state_not_saved``. A change appends only what it changed to the file's
    journal (``seam_fake.statefile``); ``compact_bytes`` is the journal's size below
    which it is never compacted into a new base. ``request_timeout``: seconds a
    client may stall before its connection is dropped; ``request_deadline``: seconds a
    client has to send a whole request, however it trickles in. Other clients are
    never blocked by either.
    """

    daemon_threads = True
    # socketserver listens with a backlog of 5: a burst of clients connecting while the
    # accepting thread waits for a core overflows it, and their connections are lost.
    request_queue_size = 128

    def __init__(
        self,
        fake: FakeSeam,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state_file: str | os.PathLike[str] | None = None,
        request_timeout: float = 10.0,
        request_deadline: float = 30.0,
        compact_bytes: int = COMPACT_BYTES,
    ) -> None:
        if not request_deadline > 0:
            raise ValueError(
                f"the request deadline must be a positive number of seconds, not {request_deadline}"
            )
        self.fake = fake
        self.request_timeout = request_timeout
        self.deadlines = _Deadlines(request_deadline)
        self.state_file = (
            StateFile(state_file, compact_bytes=compact_bytes) if state_file is not None else None
        )
        # What each change touched, as journal edits (with a state file).
        self.recorder: Recorder | None = None
        # The file holds a change that was undone (a base renamed in place whose folder's
        # fsync failed, a record that could not be cut off again): the next answer writes
        # the state back over it, and until then no record may be appended after it.
        self._file_ahead = False
        # server_close() ran: changes can no longer be written, so none is accepted.
        self._stopped = False
        # The file as loaded takes no record: the first change writes the whole state.
        self._needs_base = False
        # A change was written since the start.
        self._wrote = False
        # IPv6 too (``::1``): the family of the address the host names.
        self.address_family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        if self.state_file is not None:
            self._load(self.state_file)
        super().__init__((host, port), _Handler)

    def _load(self, state_file: StateFile) -> None:
        if not state_file.path.parent.is_dir():
            raise StateFileError(f"the folder of state file {state_file.path} does not exist")
        state_file.remove_orphans()
        stored = state_file.load()
        fake = self.fake
        if stored is not None:
            try:
                fake.restore(stored.snapshot)
            except SnapshotError as error:
                raise StateFileError(f"state file {state_file.path}: {error}") from None
            state_file.started_from(stored)
        if stored is None:
            try:
                state_file.save(fake.snapshot())
            except SaveFailed as error:
                raise StateFileError(str(error)) from None
        elif stored.records or stored.torn or stored.snapshot != fake.snapshot():
            # Records apply to the base as it was written. A file that is its base alone and
            # holds the state exactly (the usual clean restart) takes records as it is; any
            # other (a journal, a torn record, a snapshot written by hand or by an older
            # version) gets a new base of the state as loaded at the first change, not now:
            # a server refused after start (another --api-key) leaves the file as it found it.
            self._needs_base = True
        # Reads the fake's world: the recorder follows its objects, which FakeSeam keeps private.
        self.recorder = Recorder(fake.world)
        self.recorder.rebuild()
        fake.persist_with(self._save)

    def _save(self) -> None:
        """The persist hook: append the change (or write the state whole), before it is
        acknowledged; ``ApiError`` ``state_not_saved`` when it cannot be written."""
        state_file, recorder = self.state_file, self.recorder
        assert state_file is not None and recorder is not None
        ops = recorder.changes()
        whole = ops is None or self._file_ahead or self._needs_base
        if not whole and not ops:
            return  # nothing a snapshot holds changed (a simulated outage)
        try:
            if whole:
                state_file.save(self.fake.snapshot())
            else:
                assert ops is not None
                state_file.append(ops)
        except SaveFailed as error:
            self._file_ahead = self._file_ahead or error.ahead
            raise ApiError(
                "state_not_saved",
                f"{error}; the change was not made. The server goes on serving, and saves again "
                "at the next change.",
            ) from None
        self._file_ahead = self._needs_base = False
        self._wrote = True
        if ops is None:
            recorder.rebuild()
        else:
            recorder.commit()
        if state_file.wants_compaction:
            self._compact()

    def _compact(self) -> None:
        """A new base holding the whole state. The journal already holds every acknowledged
        change, so a compaction that fails loses nothing: it is tried again later."""
        assert self.state_file is not None
        try:
            self.state_file.save(self.fake.snapshot())
        except SaveFailed as error:
            LOG.warning(
                "seam-fake: warning: could not compact the state file (%s); its journal is kept", error
            )
            return
        self._needs_base = False

    def answer(self, request: Request) -> Response:
        """The fake's answer: a change is persisted before it is answered, or undone."""
        fake = self.fake
        with fake.lock:
            if self._stopped and self.state_file is not None:
                # The fake no longer writes the file: a change answered now would be lost.
                return fake.reject(
                    ApiError("state_not_saved", f"The server has stopped; {self.state_file.path} is closed.")
                )
            response = fake.handle(request, self.endpoint)
            if self._file_ahead:
                self._write_back()
        return response

    def answer_early(self, request: Request) -> Response | None:
        """The answer to a request refused whatever its body (see ``FakeSeam.refusal``)."""
        return self.fake.refusal(request, self.endpoint)

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            # A client that went away (broken pipe, reset): one line, not a traceback.
            LOG.warning(
                "seam-fake: client %s disconnected (%s)", _address(client_address), type(error).__name__
            )
        else:
            LOG.exception("seam-fake: error serving client %s", _address(client_address))

    def _write_back(self) -> None:
        """Put the state (without the undone change) back over a file that holds it."""
        assert self.state_file is not None
        try:
            self.state_file.save(self.fake.snapshot())
        except SaveFailed:
            return
        self._file_ahead = self._needs_base = False

    def server_close(self) -> None:
        super().server_close()
        self.deadlines.close()
        if self.state_file is not None:
            with self.fake.lock:
                if not self._stopped and ((self.state_file.records and self._wrote) or self._file_ahead):
                    # A clean stop leaves the file as a snapshot alone, quick to load; a server
                    # that wrote nothing (refused after start) leaves it as it found it.
                    self._compact()
                self._stopped = True
                # The fake may outlive its server (a test's fixture): it stops writing the file.
                self.fake.persist_with(None)
                self.state_file.close()

    @property
    def endpoint(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _address(client_address: object) -> str:
    if isinstance(client_address, tuple) and len(client_address) >= 2:
        host, port = client_address[:2]
        return f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
    return str(client_address)


def _timed_out() -> ApiError:
    return ApiError(
        "request_timeout",
        "The request was not complete in time (the client stalled, or sent it past the server's "
        "request deadline); the connection is closed.",
    )


def _too_large(limit: int) -> ApiError:
    where = f" for {RESTORE_PATH}" if limit == MAX_RESTORE_BYTES else ""
    return ApiError("request_body_too_large", f"The request body is larger than {limit} bytes{where}.")


def _malformed(problem: str) -> ApiError:
    return ApiError("malformed_request", f"{problem} The connection is closed.")


#: The error type of each status ``http.server`` itself answers with, for what it
#: cannot parse before the fake sees the request.
_PARSER_ERRORS = {
    400: "malformed_request",
    408: "request_timeout",
    413: "request_body_too_large",
    414: "request_line_too_long",
    431: "request_headers_too_large",
    505: "http_version_not_supported",
}

#: Headers that say who the caller is: sent twice, which one counts would be a guess.
_ONCE_ONLY = ("authorization", "seam-workspace", "seam-client-session-token", "client-session-token")


class _Deadlines:
    """One thread keeps every connection's request deadline (a timer thread per
    request would cost more than most requests): a request still unread when its
    deadline passes has its connection's reading side shut, which wakes the read
    that waits, and is answered 408."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._due: dict[_Handler, float] = {}
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None
        # Deadlines are kept to within a twentieth of their length (at most half a second).
        self._tick = min(0.5, max(0.005, seconds / 20))

    def watch(self, handler: _Handler) -> None:
        with self._lock:
            self._due[handler] = time.monotonic() + self.seconds
            if self._thread is None and not self._closed.is_set():
                self._thread = threading.Thread(target=self._run, name="seam-fake-deadlines", daemon=True)
                self._thread.start()

    def forget(self, handler: _Handler) -> None:
        """The request is read: from now on its deadline cannot cut it off."""
        with self._lock:
            self._due.pop(handler, None)

    def _run(self) -> None:
        while not self._closed.wait(self._tick):
            now = time.monotonic()
            with self._lock:
                late = [handler for handler, due in self._due.items() if due <= now]
                for handler in late:
                    del self._due[handler]
                    handler.expired = True
            for handler in late:
                handler.cut_off()

    def close(self) -> None:
        self._closed.set()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm the body
    # would wait for the client's delayed ACK, some 40 ms per response.
    disable_nagle_algorithm = True
    server: FakeSeamServer
    #: The request deadline passed before the request was read.
    expired = False
    #: The client sent ``Expect: 100-continue``; it is answered once the headers pass.
    _continue_expected = False
    #: This request has had its answer.
    _answered = False

    def setup(self) -> None:
        super().setup()
        # Applies to every read of this connection: a stalled client times out.
        self.connection.settimeout(self.server.request_timeout)

    def handle_one_request(self) -> None:
        # The deadline runs from when the server waits for the request line to when the
        # body is read; an idle kept-alive connection meets the stall timeout first.
        self.expired = False
        self._continue_expected = False
        self._answered = False
        deadlines = self.server.deadlines
        deadlines.watch(self)
        try:
            super().handle_one_request()
            if self.expired and not self._answered:
                # Cut off before even its request line was read (a server too loaded to
                # get to it in time): http.server would close without a word; a 408 it is.
                self._refuse(_timed_out())
        finally:
            deadlines.forget(self)

    def cut_off(self) -> None:
        """Stop reading this connection (from the deadline thread): a waiting read returns."""
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RD)

    def parse_request(self) -> bool:
        try:
            parsed = super().parse_request()
        except TimeoutError:
            # A stall inside the headers.
            self.send_error(408)
            return False
        if not parsed:
            return False
        if self.expired:
            # What was read before the deadline is not a whole request, whatever it parsed as.
            self.send_error(408)
            return False
        if self.request_version == "HTTP/0.9":
            self.send_error(505, "A request line without a version is HTTP/0.9")
            return False
        return True

    def handle_expect_100(self) -> bool:
        # ``100 Continue`` waits until the headers, the size and the credentials pass (``_serve``).
        self._continue_expected = True
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """What ``http.server`` refuses itself (request line, headers, version), in Seam's envelope."""
        if self.expired:
            error = _timed_out()
        else:
            reason = message or HTTPStatus(code).phrase
            error = ApiError(_PARSER_ERRORS.get(code, "malformed_request"), f"{clip(reason)}.")
        self._refuse(error)

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Every method, known or not, goes to the fake, which answers 405 as Seam does.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _refuse(self, error: ApiError) -> None:
        # The rest of the request is unread or cannot be trusted: the connection cannot be reused.
        self.close_connection = True
        if self.request_version == "HTTP/0.9":
            # Answered with a status line and headers, as every client today reads it.
            self.request_version = "HTTP/1.0"
        self._send(self.server.fake.reject(error))
        if self.expired:
            self._linger()

    def _linger(self) -> None:
        """Let a client the deadline cut off read its 408 before the connection closes.

        Reading stopped (``cut_off``) while the client was still sending, so closing with
        its bytes unread sends a reset, which can destroy the answer before the client
        reads it. The answer goes out with a FIN first, and the close waits a moment."""
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
        time.sleep(_LINGER_SECONDS)

    def _send(self, response: Response) -> None:
        self._answered = True
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    @property
    def _limit(self) -> int:
        """The most body bytes this request may send."""
        return (
            MAX_RESTORE_BYTES if self.path.partition("?")[0].rstrip("/") == RESTORE_PATH else MAX_BODY_BYTES
        )

    def _body_length(self) -> int | None:
        """The announced length of the body, None for chunked; ``malformed_request`` for
        framing that two parsers could read differently (RFC 9112, section 6.3)."""
        headers = self.headers
        for name in _ONCE_ONLY:
            sent = headers.get_all(name) or ()
            if len(sent) > 1:
                raise _malformed(f"The request has {len(sent)} {name} headers; send one.")
        codings = headers.get_all("transfer-encoding") or []
        lengths = headers.get_all("content-length") or []
        if codings:
            if lengths:
                raise _malformed("The request has both Transfer-Encoding and Content-Length; send one.")
            sent_coding = ", ".join(codings)
            if [coding.strip().lower() for coding in sent_coding.split(",")] != ["chunked"]:
                raise _malformed(
                    f"Transfer-Encoding {quote(sent_coding)}: seam-fake reads plain `chunked` only."
                )
            return None
        values = {value.strip() for line in lengths for value in line.split(",")}
        if not values:
            return 0
        if len(values) > 1:
            raise _malformed(
                f"The request has conflicting Content-Length values: {clip(', '.join(lengths))}."
            )
        (raw_length,) = values
        if not _DIGITS.fullmatch(raw_length):
            raise _malformed(f"The Content-Length header is not a number: {quote(raw_length)}.")
        length = int(raw_length)
        if length > self._limit:
            raise _too_large(self._limit)
        return length

    def _read_exactly(self, size: int) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise _malformed(f"The body ended after {len(data)} of the {size} bytes announced.")
        return data

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            line = self.rfile.readline(1026)
            size_field = line.split(b";")[0].strip()
            if not line.endswith(b"\n") or not _HEX.fullmatch(size_field):
                raise _malformed("Malformed chunked request body.")
            size = int(size_field, 16)
            if size == 0:
                # Trailer lines, up to the blank line that ends the body.
                for _ in range(100):
                    line = self.rfile.readline(1026)
                    if not line.endswith(b"\n"):
                        raise _malformed("Malformed chunked request body.")
                    if not line.strip():
                        return bytes(body)
                raise _malformed("Too many trailer lines in a chunked request body.")
            if len(body) + size > self._limit:
                raise _too_large(self._limit)
            body += self._read_exactly(size)
            if self.rfile.read(2) != b"\r\n":
                raise _malformed("Malformed chunked request body: a chunk does not end with CRLF.")

    def _read_body(self, length: int | None) -> bytes:
        try:
            try:
                return self._read_chunked() if length is None else self._read_exactly(length)
            finally:
                self.server.deadlines.forget(self)
        except TimeoutError:
            raise _timed_out() from None
        except ApiError:
            # A read the deadline cut short is a timeout, whatever it left half-read.
            if self.expired:
                raise _timed_out() from None
            raise

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        # The request line was decoded as Latin-1; a query's raw UTF-8 bytes are read as
        # UTF-8, and bytes that are not UTF-8 become lone surrogates, refused as invalid_input.
        if not query.isascii():
            query = query.encode("latin-1").decode("utf-8", "surrogateescape")
        headers = dict(self.headers.items())
        try:
            length = self._body_length()
            if self._continue_expected:
                early = None
                if path != "/health":
                    early = self.server.answer_early(Request(self.command, path, query, headers))
                if early is not None:
                    # Refused whatever the body would hold: the client need not send it.
                    self.close_connection = True
                    return self._send(early)
                super().handle_expect_100()
            body = self._read_body(length)
            if self.expired:
                raise _timed_out()
        except ApiError as error:
            return self._refuse(error)
        if path == "/health":
            payload = json.dumps({"ok": True, "service": "seam-fake"}).encode()
            return self._send(Response(200, {"content-type": JSON_CONTENT_TYPE}, payload))
        self._send(self.server.answer(Request(self.command, path, query, headers, body)))

    def log_message(self, format: str, *args: object) -> None:
        # Quiet by default: tests and terminals stay readable.
        pass


class BackgroundServer:
    """A ``FakeSeamServer`` serving from a daemon thread: for tests whose client is
    another process or cannot be patched. Use as a context manager or ``close()``."""

    def __init__(
        self,
        fake: FakeSeam | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state_file: str | os.PathLike[str] | None = None,
        request_timeout: float = 10.0,
        request_deadline: float = 30.0,
        compact_bytes: int = COMPACT_BYTES,
    ) -> None:
        """``state_file``, ``request_timeout``, ``request_deadline`` and ``compact_bytes`` are
        ``FakeSeamServer``'s."""
        self.fake = fake if fake is not None else FakeSeam()
        self.server = FakeSeamServer(
            self.fake,
            host,
            port,
            state_file=state_file,
            request_timeout=request_timeout,
            request_deadline=request_deadline,
            compact_bytes=compact_bytes,
        )
        # A short poll interval: close() waits for the loop to notice, and tests close often.
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="seam-fake-server",
            daemon=True,
        )
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    @property
    def api_key(self) -> str:
        return self.fake.api_key

    @property
    def workspace_id(self) -> str:
        return self.fake.workspace_id

    @property
    def admin_token(self) -> str:
        return self.fake.admin_token

    @property
    def env(self) -> dict[str, str]:
        """``SEAM_ENDPOINT`` and ``SEAM_API_KEY`` for a client in another process, and
        ``SEAM_FAKE_ADMIN_TOKEN`` for one that drives the whole-fake controls."""
        return {
            "SEAM_ENDPOINT": self.endpoint,
            "SEAM_API_KEY": self.api_key,
            "SEAM_FAKE_ADMIN_TOKEN": self.admin_token,
        }

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()

    def __enter__(self) -> BackgroundServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
