"""Route httpx traffic (sync and async, any client) to the active fakes.

Patched at ``HTTPTransport.handle_request`` and
``AsyncHTTPTransport.handle_async_request``: below every client feature and
any wrapping transport (the ``seam`` SDK's retry transport included), so the
client behaves exactly as it would against Seam.

While a fake is active, the transports' constructors are wrapped too: building
an SSL context (loading the CA bundle) is nearly all a ``Seam()`` costs, some 30
ms, and a request the fake answers never uses it. A transport asking for httpx's
default verification (``verify=True``, no client certificate) gets one context
built by httpx itself, once per process for each setting that changes it (the
environment's CA bundle and key log, HTTP/1 and HTTP/2: httpcore sets ALPN on the
context per connection, so clients that differ in it never share one). Anything
else (``verify=False``, a context, a path, a certificate) is built as the caller
asked. Verification is never weakened: requests to real hosts verify exactly as
they would have. Supported: httpx 0.27 and 0.28 (both tested).
"""

from __future__ import annotations

import inspect
import os
import ssl
import threading
from collections.abc import Callable
from typing import Any

from ..api.http import Request
from .origin import Match

try:
    import httpx
except ImportError:  # httpx is optional: without it there is nothing to patch.
    httpx = None  # type: ignore[assignment]

_originals: dict[str, Any] = {}

# What httpx reads from the environment when it builds a default context (trust_env).
_SSL_ENVIRONMENT = ("SSL_CERT_FILE", "SSL_CERT_DIR", "SSLKEYLOGFILE")
_contexts: dict[tuple[object, ...], ssl.SSLContext] = {}
_contexts_lock = threading.Lock()


def shared_context(trust_env: bool = True, http1: bool = True, http2: bool = False) -> ssl.SSLContext:
    """httpx's default-verification context for these settings, built once per process."""
    environment = tuple(os.environ.get(name) for name in _SSL_ENVIRONMENT) if trust_env else ()
    key = (trust_env, environment, http1, http2)
    context = _contexts.get(key)
    if context is None:
        with _contexts_lock:
            context = _contexts.get(key)
            if context is None:
                context = httpx.create_ssl_context(verify=True, trust_env=trust_env)
                _contexts[key] = context
    return context


_wrapped: dict[Callable[..., None], Callable[..., None]] = {}


def _sharing_contexts(original: Callable[..., None]) -> Callable[..., None]:
    """``original`` (a transport's ``__init__``), given the shared context where the
    caller asks for httpx's default verification. Made once per original: a test
    suite installs the patches once per test."""
    wrapped = _wrapped.get(original)
    if wrapped is None:
        wrapped = _wrapped[original] = _wrap(original)
    return wrapped


def _wrap(original: Callable[..., None]) -> Callable[..., None]:
    signature = inspect.signature(original)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        bound = signature.bind(self, *args, **kwargs)
        arguments = bound.arguments
        if arguments.get("verify", True) is True and arguments.get("cert") is None:
            arguments["verify"] = shared_context(
                arguments.get("trust_env", True), arguments.get("http1", True), arguments.get("http2", False)
            )
        original(*bound.args, **bound.kwargs)

    __init__.__signature__ = signature  # type: ignore[attr-defined]
    __init__.__doc__ = original.__doc__
    return __init__


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
    _originals["sync_init"] = httpx.HTTPTransport.__init__
    _originals["async_init"] = httpx.AsyncHTTPTransport.__init__
    httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = handle_async_request  # type: ignore[method-assign]
    httpx.HTTPTransport.__init__ = _sharing_contexts(httpx.HTTPTransport.__init__)  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.__init__ = _sharing_contexts(  # type: ignore[method-assign]
        httpx.AsyncHTTPTransport.__init__
    )


def uninstall() -> None:
    if httpx is None or not _originals:
        return
    httpx.HTTPTransport.handle_request = _originals.pop("sync")  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = _originals.pop("async")  # type: ignore[method-assign]
    httpx.HTTPTransport.__init__ = _originals.pop("sync_init")  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.__init__ = _originals.pop("async_init")  # type: ignore[method-assign]
