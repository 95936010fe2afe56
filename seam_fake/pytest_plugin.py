"""The seam-fake pytest plugin (entry point ``pytest11`` named ``seam_fake``).

Fixtures only; everything they do is ``FakeSeam``'s public API.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .env import seam_env
from .fake import FakeSeam
from .server import BackgroundServer


@pytest.fixture
def fake_seam() -> Iterator[FakeSeam]:
    """A fresh ``FakeSeam`` with httpx and requests patched, and ``SEAM_API_KEY`` set.

    Code under test that calls ``Seam()`` with no arguments talks to this fake.
    """
    fake = FakeSeam()
    with seam_env(fake.api_key), fake.patch():
        yield fake


@pytest.fixture(scope="session")
def fake_seam_server() -> Iterator[BackgroundServer]:
    """The fake as a real HTTP server on a free port of 127.0.0.1, for clients that
    cannot be patched (subprocesses, other languages).

    Started once per session; its state is reset before each test that uses it.
    It exposes ``.endpoint``, ``.api_key``, ``.env`` (the two variables a
    client needs) and ``.fake`` (the ``FakeSeam``, to seed and inspect).
    """
    with BackgroundServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _reset_fake_seam_server(request: pytest.FixtureRequest) -> None:
    # A session-scoped fixture cannot reset itself per test; this does, for the tests that use it.
    if "fake_seam_server" in request.fixturenames:
        server: BackgroundServer = request.getfixturevalue("fake_seam_server")
        server.fake.reset()
