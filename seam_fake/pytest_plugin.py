"""The seam-fake pytest plugin (entry point ``pytest11`` named ``seam_fake``).

Fixtures, the ``seam_fake`` and ``seam_live`` markers, and the network guard; everything
they do is ``FakeSeam``'s public API.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .env import seam_env
from .fake import DEFAULT_ENDPOINT, FakeSeam
from .server import BackgroundServer
from .transports.guard import GUARD

BLOCK_OPTION = "seam_fake_block_network"
_GUARDED = pytest.StashKey[bool]()
# What `@pytest.mark.seam_fake(...)` may set, and the FakeSeam arguments they become.
MARKER_OPTIONS = ("demo", "random_seed", "api_key", "endpoint", "strict")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        BLOCK_OPTION,
        "Fail any test's httpx or requests call to a Seam host that no fake answers (default: true).",
        type="bool",
        default=True,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "seam_fake(demo=False, random_seed=None, api_key=None, endpoint=None, strict=False): "
        "configure the test's fake_seam fixture.",
    )
    config.addinivalue_line(
        "markers", "seam_live: let this test reach Seam's real API (the network guard stands aside)."
    )
    if config.getini(BLOCK_OPTION):
        GUARD.install()
        config.stash[_GUARDED] = True


def pytest_unconfigure(config: pytest.Config) -> None:
    # Only the session that installed the guard takes it off: one run in process by
    # another (pytester) must leave the outer session's guard in place.
    if config.stash.get(_GUARDED, False):
        GUARD.uninstall()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    # The whole protocol (set-up, call, tear-down): a live test's fixtures may call Seam too.
    live = item.get_closest_marker("seam_live") is not None
    if live:
        GUARD.enabled = False
    try:
        return (yield)
    finally:
        GUARD.enabled = True


def configured_fake(marker: pytest.Mark | None) -> FakeSeam:
    """The fake a test's ``@pytest.mark.seam_fake(...)`` asks for (a plain one without it)."""
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    if marker is not None and marker.args:
        pytest.fail("@pytest.mark.seam_fake takes keyword arguments only, such as demo=True.", pytrace=False)
    unknown = sorted(set(options) - set(MARKER_OPTIONS))
    if unknown:
        pytest.fail(
            f"@pytest.mark.seam_fake got unknown option(s) {', '.join(unknown)}; "
            f"it takes {', '.join(MARKER_OPTIONS)}.",
            pytrace=False,
        )
    demo = options.pop("demo", False)
    options["endpoint"] = options.get("endpoint") or DEFAULT_ENDPOINT
    return FakeSeam.demo(**options) if demo else FakeSeam(**options)


@pytest.fixture
def fake_seam(request: pytest.FixtureRequest) -> Iterator[FakeSeam]:
    """A fresh ``FakeSeam`` with httpx and requests patched, and ``SEAM_API_KEY`` set.

    Code under test that calls ``Seam()`` with no arguments talks to this fake.
    ``@pytest.mark.seam_fake(demo=True, random_seed=..., api_key=..., endpoint=...,
    strict=True)`` configures it.
    """
    fake = configured_fake(request.node.get_closest_marker("seam_fake"))
    with seam_env(fake.api_key), fake.patch():
        yield fake


@pytest.fixture(scope="session")
def _fake_seam_server_session() -> Iterator[BackgroundServer]:
    with BackgroundServer() as server:
        yield server


@pytest.fixture
def fake_seam_server(_fake_seam_server_session: BackgroundServer) -> BackgroundServer:
    """The fake as a real HTTP server on a free port of 127.0.0.1, for clients that
    cannot be patched (subprocesses, other languages).

    Started once per session and reset for each test that uses it, however the test
    asks for it. It exposes ``.endpoint``, ``.api_key``, ``.env`` (the two variables a
    client needs) and ``.fake`` (the ``FakeSeam``, to seed and inspect).
    """
    _fake_seam_server_session.fake.reset()
    return _fake_seam_server_session
