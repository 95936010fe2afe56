"""In-process patching: which active fake, if any, answers a URL.

The HTTP client libraries are patched at their lowest transport method while
at least one fake is active, and restored when the last one leaves. A URL
that no active fake's endpoint covers goes to the original method untouched.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ..fake import FakeSeam

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Origin:
    """An endpoint cut into the parts a request URL is matched on."""

    scheme: str
    host: str
    port: int
    base_path: str

    @classmethod
    def parse(cls, url: str) -> Origin:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise ValueError(f"endpoint must be an http or https URL, got {url!r}")
        return cls(
            scheme,
            parts.hostname.lower(),
            parts.port or _DEFAULT_PORTS[scheme],
            parts.path.rstrip("/"),
        )

    def route_path(self, scheme: str, host: str, port: int | None, path: str) -> str | None:
        """The path relative to this endpoint, or None if the URL is elsewhere."""
        scheme = scheme.lower()
        if (scheme, host.lower(), port or _DEFAULT_PORTS.get(scheme)) != (self.scheme, self.host, self.port):
            return None
        if not self.base_path:
            return path or "/"
        if path == self.base_path or path.startswith(self.base_path + "/"):
            return path[len(self.base_path) :] or "/"
        return None


class Registry:
    """The active fakes, most recently activated first, and the installed patches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active: list[FakeSeam] = []

    def match(self, scheme: str, host: str, port: int | None, path: str) -> tuple[FakeSeam, str] | None:
        for fake in self._active:
            route_path = fake.origin.route_path(scheme, host, port, path)
            if route_path is not None:
                return fake, route_path
        return None

    def activate(self, fake: FakeSeam) -> None:
        with self._lock:
            if not self._active:
                _install()
            # A new list, so a reader iterating the old one in another thread is safe.
            self._active = [fake, *self._active]

    def deactivate(self, fake: FakeSeam) -> None:
        with self._lock:
            active = list(self._active)
            active.remove(fake)
            self._active = active
            if not active:
                _uninstall()


REGISTRY = Registry()


def _install() -> None:
    from . import httpx as httpx_transport
    from . import requests as requests_transport

    httpx_transport.install(REGISTRY)
    requests_transport.install(REGISTRY)


def _uninstall() -> None:
    from . import httpx as httpx_transport
    from . import requests as requests_transport

    httpx_transport.uninstall()
    requests_transport.uninstall()
