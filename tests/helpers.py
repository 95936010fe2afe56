"""Helpers shared by the test modules: clients, answer checks, seeding, lists, time and oracles.

Fixtures live in ``conftest.py``; everything here is a plain function or class, imported
by name (``from helpers import Raw, expect_api_error``). The ``tests`` folder is on
``sys.path`` because ``conftest.py`` is imported from it (pytest's default ``prepend``
import mode), so test modules in sub-folders import it the same way.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import email_validator
import pytest
import requests
from openapi_schema import assert_valid_response
from seam import Seam, SeamHttpApiError, SeamHttpInvalidInputError

from seam_fake import FakeSeam, Request, Response

# Clients and credentials ------------------------------------------------------------------


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


def auth(fake: FakeSeam) -> dict[str, str]:
    """The Authorization header of the fake's default workspace."""
    return {"Authorization": f"Bearer {fake.api_key}"}


def pat_headers(token: str, workspace_id: str | None = None) -> dict[str, str]:
    """Headers for a personal access token, naming a workspace if given."""
    headers = {"Authorization": f"Bearer {token}"}
    if workspace_id is not None:
        headers["seam-workspace"] = workspace_id
    return headers


def handle_request(
    fake: FakeSeam,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    query: str | dict[str, Any] = "",
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """One request straight to ``fake.handle``, authenticated with ``key`` (default: the fake's)."""
    sent = {"Authorization": f"Bearer {key or fake.api_key}", **(headers or {})}
    if isinstance(query, dict):
        query = urlencode(query, doseq=True)
    data = json.dumps(body).encode() if body is not None else b""
    return fake.handle(Request(method, path, query, sent, data))


def free_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# Checking answers -------------------------------------------------------------------------

#: What a create can be refused with when its key, email or phone is taken.
UNIQUENESS_CONFLICTS = frozenset(
    {"user_identity_key_already_in_use", "email_address_already_in_use", "phone_number_already_in_use"}
)


@contextmanager
def unchanged(fake: FakeSeam) -> Iterator[None]:
    """Assert that the block leaves the fake's whole state, indexes included, as it was."""
    before = fake.snapshot()
    yield
    assert fake.snapshot() == before


def ok(response: requests.Response) -> dict[str, Any]:
    """The JSON body of a 200 answer, checked for ``ok`` and a UUID ``seam-request-id``."""
    assert response.status_code == 200, response.text[:1000]
    assert response.headers["content-type"].startswith("application/json")
    uuid.UUID(response.headers["seam-request-id"])
    body: dict[str, Any] = response.json()
    assert body["ok"] is True
    return body


def read_ok(raw: Raw, method: str, path: str, params: dict[str, Any]) -> Any:
    """One raw read, parameters in the query string (GET) or the JSON body (POST); its body,
    checked against Seam's schema."""
    body = ok(raw.read(method, path, params))
    assert_valid_response(path, body, method)
    return body


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


def expect_api_error(fake: FakeSeam, status: int, code: str, call: Callable[[], object]) -> SeamHttpApiError:
    """Run an SDK call that must be refused with ``status`` and ``code``, and check that it
    left the whole fake as it was."""
    with unchanged(fake), pytest.raises(SeamHttpApiError) as info:
        call()
    error = info.value
    if code != "invalid_input":
        assert not isinstance(error, SeamHttpInvalidInputError), str(error)
    assert error.status_code == status, str(error)
    assert error.code == code, str(error)
    assert str(error)
    return error


def expect_invalid(fake: FakeSeam, call: Callable[[], object], *params: str) -> SeamHttpInvalidInputError:
    """An SDK call refused with 400 ``invalid_input`` naming each of ``params``; nothing changes."""
    with unchanged(fake), pytest.raises(SeamHttpInvalidInputError) as info:
        call()
    error = info.value
    assert error.status_code == 400
    assert error.code == "invalid_input"
    for param in params:
        messages = error.get_validation_error_messages(param)
        assert messages and all(isinstance(m, str) and m for m in messages), (param, str(error))
        assert param in str(error)
    return error


def expect_raw_invalid(fake: FakeSeam, send: Callable[[], requests.Response], *params: str) -> dict[str, Any]:
    """A raw request answered 400 ``invalid_input`` naming each of ``params``; nothing changes.
    Returns the ``error`` object."""
    with unchanged(fake):
        response = send()
    error = assert_error(response, 400, "invalid_input")
    for param in params:
        assert error["validation_errors"][param]["_errors"], error
        assert param in error["message"]
    return error


def expect_mismatched_cursor(fake: FakeSeam, send: Callable[[], requests.Response]) -> dict[str, Any]:
    """A raw request whose ``page_cursor`` came with other parameters (filters, limit, route
    or workspace): 400 ``mismatched_page_parameters``, as the official fake answers; nothing
    changes. Returns the ``error`` object."""
    with unchanged(fake):
        response = send()
    error = assert_error(response, 400, "mismatched_page_parameters")
    assert "identical to the initial request" in error["message"]
    return error


# State ------------------------------------------------------------------------------------


def workspace_state(fake: FakeSeam, workspace_id: str | None = None) -> dict[str, Any]:
    """One workspace of ``fake.snapshot()`` (the default one unless named)."""
    state: dict[str, Any] = fake.snapshot()["workspaces"][workspace_id or fake.workspace_id]
    return state


def identities(fake: FakeSeam, workspace_id: str | None = None) -> dict[str, dict[str, Any]]:
    """The stored user identities of one workspace, by id."""
    stored: dict[str, dict[str, Any]] = workspace_state(fake, workspace_id)["user_identities"]
    return stored


# Seeding and creating ---------------------------------------------------------------------


def new_system(fake: FakeSeam, name: str = "Main Building", **kwargs: Any) -> str:
    """Seed an ACS system; its id."""
    system_id: str = fake.add_acs_system(name, **kwargs)["acs_system_id"]
    return system_id


def new_user(
    fake: FakeSeam,
    acs_system_id: str,
    full_name: str,
    email_address: str | None = None,
    phone_number: str | None = None,
) -> str:
    """Seed an ACS user; its id."""
    user_id: str = fake.add_acs_user(acs_system_id, full_name, email_address, phone_number)["acs_user_id"]
    return user_id


def create_identity(raw: Raw, api_key: str | None = None, **fields: Any) -> dict[str, Any]:
    """Create a user identity over raw HTTP (with another workspace's key if given); its body."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    response = raw.post("/user_identities/create", json=fields, headers=headers)
    assert response.status_code == 200, response.text
    identity: dict[str, Any] = response.json()["user_identity"]
    return identity


def create_identities(raw: Raw, count: int, prefix: str = "person", api_key: str | None = None) -> list[str]:
    """``count`` identities with a key and the same text as full name (which ``search``
    finds; it does not look at keys); their ids, oldest first."""
    return [
        create_identity(
            raw, api_key, user_identity_key=f"{prefix}-{index:04d}", full_name=f"{prefix}-{index:04d}"
        )["user_identity_id"]
        for index in range(count)
    ]


JANE_EMAIL = "jane@example.com"
JANE_PHONE = "+15555550100"


class AcsWorld:
    """Two systems of the default workspace with users, one linked, and a second workspace.

    Set up over raw HTTP: building a ``Seam`` client costs more than the whole
    set-up, so the other workspace's client is only made for tests that use it.
    """

    def __init__(self, fake: FakeSeam, raw: Raw) -> None:
        self.account = str(uuid.uuid4())
        self.salto = fake.add_acs_system("Harbour Salto Site", connected_account_id=self.account)
        self.visionline = fake.add_acs_system(
            "Grand Hotel Visionline", external_type="visionline_system", time_zone="Europe/Paris"
        )
        salto_id = self.salto["acs_system_id"]
        visionline_id = self.visionline["acs_system_id"]
        # Interleaved across systems, names not in alphabetical order: lists go newest first.
        self.zoe = fake.add_acs_user(salto_id, "Zoe Zed", "zoe@example.com")
        self.amy = fake.add_acs_user(visionline_id, "Amy Ash", phone_number="+15555550111")
        self.max = fake.add_acs_user(salto_id, "Max Moe", JANE_EMAIL, JANE_PHONE)
        self.identity = create_identity(
            raw, full_name="Jane Doe", email_address=JANE_EMAIL, acs_system_ids=[salto_id, visionline_id]
        )
        self.identity_id: str = self.identity["user_identity_id"]
        # Max matched on the Salto site; a new user was made on the Visionline system.
        (self.created_id,) = [i for i in self.identity["acs_user_ids"] if i != self.max["acs_user_id"]]

        other = fake.add_workspace(name="Other Workspace")
        self.other_api_key: str = other["api_key"]
        self.foreign_system = fake.add_acs_system(
            "Harbour Salto Site", workspace_id=other["workspace_id"], connected_account_id=self.account
        )
        self.foreign_user = fake.add_acs_user(
            self.foreign_system["acs_system_id"], "Jane Doe", JANE_EMAIL, JANE_PHONE
        )
        self.foreign_identity_id: str = create_identity(
            raw,
            api_key=self.other_api_key,
            email_address=JANE_EMAIL,
            acs_system_ids=[self.foreign_system["acs_system_id"]],
        )["user_identity_id"]

    @cached_property
    def other_seam(self) -> Seam:
        return Seam(api_key=self.other_api_key)

    @property
    def all_user_ids(self) -> list[str]:
        """Newest first, as lists return them."""
        return [self.created_id, self.max["acs_user_id"], self.amy["acs_user_id"], self.zoe["acs_user_id"]]


# Lists ------------------------------------------------------------------------------------


def newest_first(ids: list[str]) -> list[str]:
    return ids[::-1]


def identity_ids(items: Any) -> list[str]:
    """The ids of user identities the SDK listed."""
    return [item.user_identity_id for item in items]


def acs_user_ids(items: Any) -> list[str]:
    """The ids of ACS users the SDK listed."""
    return [item.acs_user_id for item in items]


def list_raw(
    raw: Raw, method: str, params: dict[str, Any], path: str = "/user_identities/list"
) -> dict[str, Any]:
    """One page of a list over raw HTTP; its body."""
    return ok(raw.read(method, path, params))


def listed(raw: Raw, method: str, params: dict[str, Any]) -> list[str]:
    """Ids of one page of /user_identities/list."""
    return [item["user_identity_id"] for item in list_raw(raw, method, params)["user_identities"]]


def walk_pages(
    raw: Raw, method: str, params: dict[str, Any], path: str = "/user_identities/list"
) -> list[list[str]]:
    """Every page of a list, followed by ``next_page_cursor``; the ids of each page."""
    records, id_field = ("user_identities", "user_identity_id")
    if path == "/acs/users/list":
        records, id_field = ("acs_users", "acs_user_id")
    pages: list[list[str]] = []
    query = dict(params)
    while True:
        body = list_raw(raw, method, query, path)
        pages.append([record[id_field] for record in body[records]])
        pagination = body["pagination"]
        if not pagination["has_next_page"]:
            assert pagination["next_page_cursor"] is None
            assert pagination["next_page_url"] is None
            # Only a list with nothing in it has an empty page.
            assert pages[-1] or len(pages) == 1, pages
            return pages
        assert pagination["next_page_cursor"]
        query = {**params, "page_cursor": pagination["next_page_cursor"]}
        assert len(pages) < 5000, "the walk does not end"


# Time -------------------------------------------------------------------------------------


def seam_time(moment: datetime) -> str:
    """How Seam writes an instant: UTC, milliseconds (truncated), Z."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


# Oracles ----------------------------------------------------------------------------------

MISMATCH = "acs_user_profile_does_not_match_user_identity"


def mismatch_warnings_of(identity: Any) -> list[Any]:
    """The profile-mismatch warnings of an identity the SDK returned."""
    return [w for w in identity.warnings if w.warning_code == MISMATCH]


def mismatch_warnings(seam: Seam, user_identity_id: str) -> list[Any]:
    """The profile-mismatch warnings the identity shows now."""
    return mismatch_warnings_of(seam.user_identities.get(user_identity_id=user_identity_id))


def email_validator_accepts(text: str) -> bool:
    """The library's verdict, as the fake asks for it: syntax only, `.test` allowed."""
    try:
        email_validator.validate_email(text, check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError:
        return False
    return True
