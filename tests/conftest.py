"""Shared fixtures, and nothing else: helpers are in ``helpers.py``.

The ``fake_seam`` fixture itself comes from the installed plugin.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from helpers import AcsWorld, Raw
from hypothesis import HealthCheck, settings
from openapi_schema import assert_valid_response, spec
from seam import AsyncSeam, Seam

from seam_fake import FakeSeam, Request, Response
from seam_fake.api.controls import PREFIX as CONTROL_PREFIX
from seam_fake.server import BackgroundServer, FakeSeamServer

# Hypothesis budgets. "ci" (the default) keeps the suite within CI's time; run
# `SEAM_FAKE_HYPOTHESIS_PROFILE=long make test` for a deeper search.
settings.register_profile(
    "ci",
    max_examples=200,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=2000,
    stateful_step_count=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("SEAM_FAKE_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def every_success_matches_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check every 200 the fake sends, in every test, against Seam's OpenAPI schema."""
    original = FakeSeam.handle

    def checked(self: FakeSeam, request: Request, base_url: str | None = None) -> Response:
        response = original(self, request, base_url)
        # /_fake/ controls are the fake's own, not Seam's: the schema has nothing to say of them.
        if response.status == 200 and not request.path.startswith(CONTROL_PREFIX):
            operations = spec()["paths"][request.path.rstrip("/")]
            method = request.method.lower()
            assert_valid_response(request.path.rstrip("/"), response.json(), method)
            assert method in operations
        return response

    monkeypatch.setattr(FakeSeam, "handle", checked)


@pytest.fixture
def seam(fake_seam: FakeSeam) -> Seam:
    """The official SDK exactly as code under test would build it: no arguments (its
    credentials come from SEAM_API_KEY, set by the ``fake_seam`` fixture)."""
    return Seam()


@pytest.fixture
def async_seam(fake_seam: FakeSeam) -> AsyncSeam:
    return AsyncSeam()


@pytest.fixture
def raw(fake_seam: FakeSeam) -> Raw:
    """Plain ``requests`` against the patched fake, for what the SDK never sends."""
    return Raw(fake_seam)


@pytest.fixture
def acs_world(fake_seam: FakeSeam, raw: Raw) -> AcsWorld:
    """Two ACS systems with users, an identity linked on both, and a second workspace."""
    return AcsWorld(fake_seam, raw)


@pytest.fixture
def server() -> Iterator[FakeSeamServer]:
    """A fresh fake behind a real server on loopback."""
    with BackgroundServer() as running:
        yield running.server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Said plainly, so that a green run here is not taken for more than it is.
    terminalreporter.write_line(
        "Not run by this command: the differential tests against Seam's official fake "
        "(differential/, .ci/differential.sh) and the JavaScript SDK check (.ci/js_sdk.sh); "
        "both need node and npm, and .ci/run runs them where those are installed."
    )
