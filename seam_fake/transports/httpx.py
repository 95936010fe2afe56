"""Route httpx traffic (sync and async, any client) to the active fakes.

Patched at ``HTTPTransport.handle_request`` and
``AsyncHTTPTransport.handle_async_request``: below every client feature and
any wrapping transport (the ``seam`` SDK's retry transport included), so the
client behaves exactly as it would against Seam.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..http import Request

if TYPE_CHECKING:
    from . import Registry

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


def _target(registry: Registry, request: httpx.Request) -> Any:
    url = request.url
    return registry.match(url.scheme, url.host, url.port, url.path)


def install(registry: Registry) -> None:
    if httpx is None or _originals:
        return
    sync_original = httpx.HTTPTransport.handle_request
    async_original = httpx.AsyncHTTPTransport.handle_async_request

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        target = _target(registry, request)
        if target is None:
            return sync_original(self, request)
        fake, path = target
        request.read()
        answer = fake.handle(_to_fake_request(request, path))
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)

    async def handle_async_request(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        target = _target(registry, request)
        if target is None:
            return await async_original(self, request)
        fake, path = target
        await request.aread()
        answer = fake.handle(_to_fake_request(request, path))
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
