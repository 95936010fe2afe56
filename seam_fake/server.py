"""Server mode: the same ``handle`` behind a real, threaded HTTP server.

For clients that cannot be patched in process: other languages, subprocesses,
the Seam CLI, a browser. With a state file, every change a client saw
acknowledged is on disk before the response leaves.
"""

from __future__ import annotations

import json
import os
import re
import socket
import tempfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .api.http import JSON_CONTENT_TYPE, Request, Response
from .fake import FakeSeam
from .model.errors import ApiError, InvalidInput
from .model.snapshots import SnapshotError

MAX_BODY_BYTES = 1024 * 1024
# ASCII only: str.isdigit() and int() also accept other scripts' digits.
_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(rb"[0-9a-fA-F]+")


class StateFileError(Exception):
    """A state file that cannot be read as a seam-fake snapshot."""


class SaveFailed(OSError):
    """A save that did not complete. ``replaced``: the new snapshot is in place but its
    rename may not be durable (the folder's fsync failed)."""

    def __init__(self, path: Path, error: OSError, replaced: bool) -> None:
        super().__init__(error.errno, f"cannot write state file {path}: {error.strerror or error}")
        self.replaced = replaced


class StateFile:
    """A snapshot on disk, replaced atomically: temp file, fsync, rename, fsync the folder.

    A crash at any moment leaves either the previous snapshot or the new one,
    never a mix. A temp file a crash left behind (``.<name>.XXXXXXXX.tmp`` beside
    the file) is removed at the next start.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @property
    def _temp_prefix(self) -> str:
        return f".{self.path.name}."

    def remove_orphans(self) -> list[Path]:
        """Delete the temp files an interrupted save of this file left; returns them."""
        pattern = re.compile(re.escape(self._temp_prefix) + r"[A-Za-z0-9_]{8}\.tmp")
        removed = []
        for candidate in self.path.parent.glob(self._temp_prefix + "*.tmp"):
            if pattern.fullmatch(candidate.name) and candidate.is_file():
                candidate.unlink(missing_ok=True)
                removed.append(candidate)
        return removed

    def load(self) -> dict[str, object] | None:
        """The stored snapshot, or None if there is no file yet."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise StateFileError(f"cannot read state file {self.path}: {error}") from None
        try:
            data = json.loads(text)
        except ValueError as error:
            raise StateFileError(
                f"state file {self.path} is not valid JSON ({error}); not replacing it"
            ) from None
        if not isinstance(data, dict):
            raise StateFileError(f"state file {self.path} does not hold a seam-fake snapshot")
        return data

    def save(self, snapshot: dict[str, object]) -> None:
        """Write ``snapshot`` durably, or raise ``SaveFailed`` and leave the previous one
        (unless ``replaced``)."""
        data = json.dumps(snapshot, separators=(",", ":")).encode()
        folder = self.path.parent
        temp: str | None = None
        try:
            handle, temp = tempfile.mkstemp(prefix=self._temp_prefix, suffix=".tmp", dir=folder)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle, view) :]
                os.fsync(handle)
            finally:
                os.close(handle)
            os.replace(temp, self.path)
            temp = None
        except OSError as error:
            raise SaveFailed(self.path, error, replaced=False) from error
        finally:
            if temp is not None:
                Path(temp).unlink(missing_ok=True)
        try:
            directory = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        except OSError as error:
            raise SaveFailed(self.path, error, replaced=True) from error


class FakeSeamServer(ThreadingHTTPServer):
    """``fake`` over HTTP, one thread per connection.

    ``state_file``: load the fake's state from it if it exists (a corrupt or
    foreign file raises ``StateFileError``), and write every change to it
    before answering; a change that cannot be written is undone and answered
    503 ``state_not_saved``. ``request_timeout``: seconds a client may stall before
    its connection is dropped; other clients are never blocked by it.
    """

    daemon_threads = True

    def __init__(
        self,
        fake: FakeSeam,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state_file: str | os.PathLike[str] | None = None,
        request_timeout: float = 10.0,
    ) -> None:
        self.fake = fake
        self.request_timeout = request_timeout
        self.state_file = StateFile(state_file) if state_file is not None else None
        # The file holds a change that was undone (its folder's fsync failed after the
        # rename): the next answer writes the state back over it.
        self._file_ahead = False
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
        if stored is None:
            try:
                state_file.save(fake.snapshot())
            except SaveFailed as error:
                raise StateFileError(str(error)) from None
        else:
            try:
                fake.restore(stored)
            except SnapshotError as error:
                raise StateFileError(f"state file {state_file.path}: {error}") from None
        fake.persist_with(self._save)

    def _save(self) -> None:
        assert self.state_file is not None
        try:
            self.state_file.save(self.fake.snapshot())
        except SaveFailed as error:
            self._file_ahead = self._file_ahead or error.replaced
            raise ApiError(
                "state_not_saved",
                f"{error}; the change was not made. The server goes on serving, and saves again "
                "at the next change.",
            ) from None
        self._file_ahead = False

    def answer(self, request: Request) -> Response:
        """The fake's answer: a change is persisted before it is answered, or undone."""
        fake = self.fake
        with fake.lock:
            response = fake.handle(request, self.endpoint)
            if self._file_ahead:
                self._write_back()
        return response

    def _write_back(self) -> None:
        """Put the state (without the undone change) back over a file that holds it."""
        assert self.state_file is not None
        try:
            self.state_file.save(self.fake.snapshot())
        except SaveFailed:
            return
        self._file_ahead = False

    def server_close(self) -> None:
        super().server_close()
        if self.state_file is not None:
            # The fake may outlive its server (a test's fixture): it stops writing the file.
            self.fake.persist_with(None)

    @property
    def endpoint(self) -> str:
        host, port = self.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _timed_out() -> ApiError:
    return ApiError("request_timeout", "The request was not completed in time; the connection is closed.")


def _too_large() -> ApiError:
    return ApiError("request_body_too_large", f"The request body is larger than {MAX_BODY_BYTES} bytes.")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm the body
    # would wait for the client's delayed ACK, some 40 ms per response.
    disable_nagle_algorithm = True
    server: FakeSeamServer

    def setup(self) -> None:
        super().setup()
        # Applies to every read of this connection: a stalled client times out.
        self.connection.settimeout(self.server.request_timeout)

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Every method, known or not, goes to the fake, which answers 405 as Seam does.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size_field = self.rfile.readline(1024).split(b";")[0].strip()
            if not _HEX.fullmatch(size_field):
                raise InvalidInput({}, ["Malformed chunked request body."])
            size = int(size_field, 16)
            if size == 0:
                # Skip any trailer lines up to the blank line that ends the body.
                while self.rfile.readline(1024).strip():
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY_BYTES:
                raise _too_large()
            body += self.rfile.read(size)
            self.rfile.readline(1024)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        raw_length = self.headers.get("content-length") or "0"
        if not _DIGITS.fullmatch(raw_length):
            raise InvalidInput({}, [f"The Content-Length header is not a number: {raw_length!r}."])
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            raise _too_large()
        return self.rfile.read(length)

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        try:
            try:
                body = self._read_body()
            except TimeoutError:
                raise _timed_out() from None
        except ApiError as error:
            # The rest of the request is unread: the connection cannot be reused.
            self.close_connection = True
            return self._send(self.server.fake.reject(error))
        if path == "/health":
            payload = json.dumps({"ok": True, "service": "seam-fake"}).encode()
            return self._send(Response(200, {"content-type": JSON_CONTENT_TYPE}, payload))
        headers = dict(self.headers.items())
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
    ) -> None:
        """``state_file`` and ``request_timeout`` are ``FakeSeamServer``'s."""
        self.fake = fake if fake is not None else FakeSeam()
        self.server = FakeSeamServer(
            self.fake, host, port, state_file=state_file, request_timeout=request_timeout
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
