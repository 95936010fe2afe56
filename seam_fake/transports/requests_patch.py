"""Route ``requests`` traffic to the active fakes, at ``HTTPAdapter.send``.

Sessions, hooks, redirects and ``raise_for_status`` all run as usual above
the adapter; only the socket is replaced.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from ..api.http import Request
from .origin import Match

try:
    import requests
    import requests.adapters
    from requests.structures import CaseInsensitiveDict
except ImportError:  # requests is optional: without it there is nothing to patch.
    requests = None  # type: ignore[assignment]

_originals: dict[str, Any] = {}


def _body_bytes(body: object) -> bytes:
    if body is None:
        return b""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, Iterable):  # a streamed upload
        return b"".join(chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk) for chunk in body)
    # A file-like body.
    data = body.read()  # type: ignore[attr-defined]
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def install(match: Match) -> None:
    if requests is None or _originals:
        return
    original = requests.adapters.HTTPAdapter.send

    def send(
        self: requests.adapters.HTTPAdapter,
        request: requests.PreparedRequest,
        *args: Any,
        **kwargs: Any,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        target = match(url.scheme, url.hostname or "", url.port, url.path)
        if target is None:
            return original(self, request, *args, **kwargs)
        handle, path = target
        answer = handle(
            Request(
                method=(request.method or "GET").upper(),
                path=path,
                query=url.query,
                headers=request.headers,
                body=_body_bytes(request.body),
            )
        )
        response = requests.Response()
        response.status_code = answer.status
        response.reason = HTTPStatus(answer.status).phrase
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url = request.url or ""
        response.request = request
        response.encoding = "utf-8"
        response.raw = io.BytesIO(answer.body)
        response._content = answer.body
        response.connection = self
        return response

    _originals["send"] = original
    requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign]


def uninstall() -> None:
    if requests is None or not _originals:
        return
    requests.adapters.HTTPAdapter.send = _originals.pop("send")  # type: ignore[method-assign]
