"""Which active fake, if any, answers a URL; and the patches installed while any is active.

The HTTP client libraries are patched at their lowest transport method while
at least one fake is active, and restored when the last one leaves. A URL
that no active fake's endpoint covers goes to the original method untouched.
"""

from __future__ import annotations

import threading
from typing import Protocol

from ..api.http import Request, Response
from . import httpx_patch, requests_patch
from .origin import Handler, Origin


class Target(Protocol):
    """What the registry routes to: a fake, as far as patching is concerned."""

    @property
    def origin(self) -> Origin: ...

    def handle(self, request: Request) -> Response: ...


class Registry:
    """The active fakes, most recently activated first, and the installed patches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: list[Target] = []

    def match(self, scheme: str, host: str, port: int | None, path: str) -> tuple[Handler, str] | None:
        for target in self._active:
            route_path = target.origin.route_path(scheme, host, port, path)
            if route_path is not None:
                return target.handle, route_path
        return None

    def activate(self, target: Target) -> None:
        with self._lock:
            if not self._active:
                httpx_patch.install(self.match)
                requests_patch.install(self.match)
            # A new list, so a reader iterating the old one in another thread is safe.
            self._active = [target, *self._active]

    def deactivate(self, target: Target) -> None:
        with self._lock:
            active = list(self._active)
            active.remove(target)
            self._active = active
            if not active:
                httpx_patch.uninstall()
                requests_patch.uninstall()


REGISTRY = Registry()
