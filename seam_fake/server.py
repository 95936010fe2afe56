"""Server mode: the same ``handle`` behind a real, threaded HTTP server.

For clients that cannot be patched in process: other languages, subprocesses,
the Seam CLI, a browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .errors import ApiError, InvalidInput
from .fake import FakeSeam
from .http import JSON_CONTENT_TYPE, Request, Response

MAX_BODY_BYTES = 1024 * 1024
# ASCII only: str.isdigit() and int() also accept other scripts' digits.
_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(rb"[0-9a-fA-F]+")


class FakeSeamServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSeam, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.fake = fake

    @property
    def endpoint(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def _too_large() -> ApiError:
    return ApiError("request_body_too_large", f"The request body is larger than {MAX_BODY_BYTES} bytes.")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FakeSeamServer

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
            body = self._read_body()
        except ApiError as error:
            # The rest of the request is unread: the connection cannot be reused.
            self.close_connection = True
            return self._send(self.server.fake.reject(error))
        if path == "/health":
            payload = json.dumps({"ok": True, "service": "seam-fake"}).encode()
            return self._send(Response(200, {"content-type": JSON_CONTENT_TYPE}, payload))
        headers = dict(self.headers.items())
        request = Request(self.command, path, query, headers, body)
        self._send(self.server.fake.handle(request, self.server.endpoint))

    def log_message(self, format: str, *args: object) -> None:
        # Quiet by default: tests and terminals stay readable.
        pass
