"""Shared fixtures. The `fake_seam` fixture itself comes from the installed plugin."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import email_validator
import pytest
import requests
from hypothesis import HealthCheck, settings
from openapi_schema import assert_valid_response, spec
from seam import AsyncSeam, Seam

from seam_fake import FakeSeam, Request, Response
from seam_fake.api.controls import PREFIX as CONTROL_PREFIX

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
    """The official SDK exactly as code under test would build it: no arguments."""
    return Seam()


@pytest.fixture
def async_seam(fake_seam: FakeSeam) -> AsyncSeam:
    return AsyncSeam()


class Raw:
    """Plain `requests` against the patched fake, for what the SDK never sends."""

    def __init__(self, fake: FakeSeam) -> None:
        self.fake = fake
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {fake.api_key}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, self.fake.endpoint + path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def read(self, method: str, path: str, params: dict[str, Any]) -> requests.Response:
        """A read route either way Seam accepts: GET with a query, or POST with JSON."""
        if method.lower() == "get":
            return self.get(path, params=params)
        return self.post(path, json=params)


@pytest.fixture
def raw(fake_seam: FakeSeam) -> Raw:
    return Raw(fake_seam)


@contextmanager
def unchanged(fake: FakeSeam) -> Iterator[None]:
    """Assert that the block leaves the fake's whole state, indexes included, as it was."""
    before = fake.snapshot()
    yield
    assert fake.snapshot() == before


def assert_error(response: requests.Response, status: int, error_type: str) -> dict[str, Any]:
    """Check Seam's error envelope and return its `error` object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["ok"] is False
    error: dict[str, Any] = body["error"]
    assert error["type"] == error_type, error
    assert isinstance(error["message"], str) and error["message"]
    assert error["request_id"] == response.headers["seam-request-id"]
    return error


def create_identity(raw: Raw, api_key: str | None = None, **fields: Any) -> dict[str, Any]:
    """Create a user identity over raw HTTP (with another workspace's key if given); its body."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    response = raw.post("/user_identities/create", json=fields, headers=headers)
    assert response.status_code == 200, response.text
    identity: dict[str, Any] = response.json()["user_identity"]
    return identity


def email_validator_accepts(text: str) -> bool:
    """The library's verdict, as the fake asks for it: syntax only, `.test` allowed."""
    try:
        email_validator.validate_email(text, check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError:
        return False
    return True
