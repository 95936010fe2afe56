"""Server mode: the same ``handle`` behind a real, threaded HTTP server.

For clients that cannot be patched in process: other languages, subprocesses,
the Seam CLI, a browser.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .fake import FakeSeam
from .http import JSON_CONTENT_TYPE, Request

MAX_BODY_BYTES = 1024 * 1024


class FakeSeamServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSeam, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.fake = fake

    @property
    def endpoint(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FakeSeamServer

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self, status: int, message: str) -> None:
        body = {"error": {"type": "invalid_input", "message": message}, "ok": False}
        self.close_connection = True
        self._send(status, {"content-type": JSON_CONTENT_TYPE}, json.dumps(body).encode())

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            return self._refuse(400, "The Content-Length header is not a number.")
        if length < 0:
            return self._refuse(400, "The Content-Length header is negative.")
        if length > MAX_BODY_BYTES:
            return self._refuse(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
        body = self.rfile.read(length)
        if path == "/health":
            payload = {"ok": True, "service": "seam-fake"}
            return self._send(200, {"content-type": JSON_CONTENT_TYPE}, json.dumps(payload).encode())
        headers = {name.lower(): value for name, value in self.headers.items()}
        response = self.server.fake.handle(Request(self.command, path, query, headers, body))
        self._send(response.status, response.headers, response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: object) -> None:
        # Quiet by default: tests and terminals stay readable.
        pass
