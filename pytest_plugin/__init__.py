"""The seam-fake pytest plugin, installed as ``pytest_seam_fake`` (entry point ``pytest11``).

Fixtures only; everything they do is ``FakeSeam``'s public API.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from seam_fake import FakeSeam

# Variables the seam SDK reads that would point `Seam()` elsewhere.
_CLEARED_ENV = ("SEAM_PERSONAL_ACCESS_TOKEN", "SEAM_WORKSPACE_ID", "SEAM_ENDPOINT", "SEAM_API_URL")


@pytest.fixture
def fake_seam(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSeam]:
    """A fresh ``FakeSeam`` with httpx and requests patched, and ``SEAM_API_KEY`` set.

    Code under test that calls ``Seam()`` with no arguments talks to this fake.
    """
    fake = FakeSeam()
    monkeypatch.setenv("SEAM_API_KEY", fake.api_key)
    for name in _CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    with fake.patch():
        yield fake
