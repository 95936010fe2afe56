"""The network guard: in a test session, no httpx or requests call reaches Seam itself.

Installed once by the pytest plugin, beneath the fakes' patches: a request a
fake answers never gets here, and any other request to a Seam host (Seam's
production endpoint ``connect.getseam.com``, or any other ``getseam.com`` or
``seam.co`` host, such as a ``SEAM_ENDPOINT`` pointing at Seam) fails at once,
before a socket is opened or a name looked up. Every other host is untouched.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

try:
    import httpx
except ImportError:  # httpx is optional: without it there is nothing to guard.
    httpx = None  # type: ignore[assignment]
try:
    import requests
    import requests.adapters
except ImportError:  # likewise requests.
    requests = None  # type: ignore[assignment]

SEAM_DOMAINS = ("getseam.com", "seam.co")
HOW_TO = (
    "Use the `fake_seam` fixture (or `with FakeSeam().patch():`) so the call reaches seam-fake. "
    "To let a test reach Seam for real, mark it `@pytest.mark.seam_live`; to turn the guard off for "
    "the whole project, set `seam_fake_block_network = false` in the pytest ini options."
)


class SeamNetworkBlockedError(RuntimeError):
    """A test called Seam's real API without a fake in the way; nothing was sent."""


def is_seam_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in SEAM_DOMAINS)


class Guard:
    """The installed guard. ``enabled`` is switched off around tests marked ``seam_live``."""

    def __init__(self) -> None:
        self.enabled = True
        self._originals: dict[str, Any] = {}
        # A test session may run another in process (pytester): each install is matched by
        # one uninstall, and the guard comes off with the last.
        self._installs = 0

    def check(self, url: str) -> None:
        if self.enabled and is_seam_host(urlsplit(url).hostname or ""):
            raise SeamNetworkBlockedError(
                f"seam-fake blocked a request to {url}: no fake answers it, so it would have gone to the "
                f"real Seam API. {HOW_TO}"
            )

    def install(self) -> None:
        self._installs += 1
        if self._originals:
            return
        if httpx is not None:
            self._wrap_httpx()
        if requests is not None:
            self._wrap_requests()

    def _wrap_httpx(self) -> None:
        sync_original = httpx.HTTPTransport.handle_request
        async_original = httpx.AsyncHTTPTransport.handle_async_request
        check = self.check

        def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
            check(str(request.url))
            return sync_original(self, request)

        async def handle_async_request(
            self: httpx.AsyncHTTPTransport, request: httpx.Request
        ) -> httpx.Response:
            check(str(request.url))
            return await async_original(self, request)

        self._originals["httpx"] = (sync_original, async_original, handle_request, handle_async_request)
        httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]
        httpx.AsyncHTTPTransport.handle_async_request = handle_async_request  # type: ignore[method-assign]

    def _wrap_requests(self) -> None:
        original = requests.adapters.HTTPAdapter.send
        check = self.check

        def send(
            self: requests.adapters.HTTPAdapter,
            request: requests.PreparedRequest,
            *args: Any,
            **kwargs: Any,
        ) -> requests.Response:
            check(request.url or "")
            return original(self, request, *args, **kwargs)

        self._originals["requests"] = (original, send)
        requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign]

    def uninstall(self) -> None:
        """Undo one ``install``; at the last, put the clients back as they were, unless
        something patched them since (then leave them: undoing our layer would undo theirs)."""
        self._installs = max(0, self._installs - 1)
        if self._installs:
            return
        if "httpx" in self._originals:
            sync_original, async_original, sync_guard, async_guard = self._originals.pop("httpx")
            if httpx.HTTPTransport.handle_request is sync_guard:
                httpx.HTTPTransport.handle_request = sync_original  # type: ignore[method-assign]
            if httpx.AsyncHTTPTransport.handle_async_request is async_guard:
                httpx.AsyncHTTPTransport.handle_async_request = async_original  # type: ignore[method-assign]
        if "requests" in self._originals:
            original, guard = self._originals.pop("requests")
            if requests.adapters.HTTPAdapter.send is guard:
                requests.adapters.HTTPAdapter.send = original  # type: ignore[method-assign]


GUARD = Guard()
