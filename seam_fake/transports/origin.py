"""What a patched client asks before it sends: is this URL a fake's, and which path of it?

``Origin`` is an endpoint cut into the parts a request URL is matched on;
``Match`` is the question the patched clients ask the registry of active
fakes, answered with the fake's ``handle`` and the path relative to its
endpoint, or None for a URL that no active fake covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..api.http import Request, Response

_DEFAULT_PORTS = {"http": 80, "https": 443}

Handler = Callable[[Request], Response]
# (scheme, host, port, path) -> (the fake's handle, the path below its endpoint), or None.
Match = Callable[[str, str, "int | None", str], "tuple[Handler, str] | None"]


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
