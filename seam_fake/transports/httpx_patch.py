"""Route httpx traffic (sync and async, any client) to the active fakes.

Patched at ``HTTPTransport.handle_request`` and
``AsyncHTTPTransport.handle_async_request``: below every client feature and
any wrapping transport (the ``seam`` SDK's retry transport included), so the
client behaves exactly as it would against Seam.
"""

from __future__ import annotations

from typing import Any

from ..api.http import Request
from .origin import Match

try:
    import httpx
except ImportError:  # httpx is optional: without it there is nothing to patch.
    httpx = None  # type: ignore[assignment]

_originals: dict[str, Any] = {}


def _to_fake_request(request: httpx.Request, path: str) -> Request:
    return Request(
        method=request.method,
        path=path,
        query=request.url.query.decode("utf-8", "replace"),
        headers=request.headers,
        body=request.content,
    )


def install(match: Match) -> None:
    if httpx is None or _originals:
        return
    sync_original = httpx.HTTPTransport.handle_request
    async_original = httpx.AsyncHTTPTransport.handle_async_request

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        url = request.url
        target = match(url.scheme, url.host, url.port, url.path)
        if target is None:
            return sync_original(self, request)
        handle, path = target
        request.read()
        answer = handle(_to_fake_request(request, path))
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)

    async def handle_async_request(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        url = request.url
        target = match(url.scheme, url.host, url.port, url.path)
        if target is None:
            return await async_original(self, request)
        handle, path = target
        await request.aread()
        answer = handle(_to_fake_request(request, path))
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)

    _originals["sync"] = sync_original
    _originals["async"] = async_original
    httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = handle_async_request  # type: ignore[method-assign]


def uninstall() -> None:
    if httpx is None or not _originals:
        return
    httpx.HTTPTransport.handle_request = _originals.pop("sync")  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = _originals.pop("async")  # type: ignore[method-assign]
