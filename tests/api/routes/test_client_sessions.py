"""Client sessions and instant keys: every /client_sessions/* route,
/user_identities/generate_instant_key and /instant_keys/*.

Each accepted case and each refusal (status, error type, the parameter named, the whole
state unchanged), through the real ``seam`` SDK and, where the SDK cannot go (a POST to
create, a body with both or neither of two parameters, 401 error types, which the SDK
reports only as ``unauthorized``), plain requests. What a client session token may do as
a credential is in ``tests/api/test_client_session_auth.py``.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
import time_machine
from helpers import (
    Raw,
    assert_error,
    expect_api_error,
    expect_invalid,
    expect_raw_invalid,
    ok,
    read_ok,
    seam_time,
    unchanged,
    workspace_state,
)
from seam import Seam

from seam_fake import FakeSeam

CREATE = "/client_sessions/create"
GET_OR_CREATE = "/client_sessions/get_or_create"
GET = "/client_sessions/get"
LIST = "/client_sessions/list"
GRANT = "/client_sessions/grant_access"
REVOKE = "/client_sessions/revoke"
DELETE = "/client_sessions/delete"
GENERATE = "/user_identities/generate_instant_key"
KEY_GET = "/instant_keys/get"
KEY_LIST = "/instant_keys/list"
KEY_DELETE = "/instant_keys/delete"
METHODS = ("get", "post")

MOMENT = datetime(2030, 3, 4, 5, 6, 7, 890000, tzinfo=timezone.utc)
# The official fake's default lifetime, `ms("1 year")`: the `ms` package counts a year as
# 365.25 days (`const y = d * 365.25`).
ONE_YEAR = timedelta(days=365.25)
INSTANT_KEY_URL = re.compile(r"https://ik\.seam\.co/[A-Za-z0-9]{8}")

# Many cases build a Seam client: share one SSL context (see conftest.py).


# Helpers -------------------------------------------------------------------------------


def identity(fake: FakeSeam, name: str = "Jane Doe", **fields: Any) -> str:
    """Seed a user identity; its id."""
    identity_id: str = fake.add_user_identity(full_name=name, **fields)["user_identity_id"]
    return identity_id


def client_for(fake: FakeSeam, token: str) -> Seam:
    """The SDK authenticating with a client session token, the only way 3.18 allows: a
    placeholder API key, and the token in lower-case headers that replace the SDK's."""
    headers = {"authorization": f"Bearer {token}", "client-session-token": token}
    return Seam(
        api_key="seam_placeholder_key",
        endpoint=fake.endpoint,
        httpx_options={"headers": headers},
    )


def with_token(raw: Raw, token: str, path: str, body: dict[str, Any] | None = None) -> requests.Response:
    """A POST authenticated with only `Authorization: Bearer <client session token>`."""
    return raw.post(path, json=body or {}, headers={"Authorization": f"Bearer {token}"})


def assert_token_works(raw: Raw, token: str) -> dict[str, Any]:
    """The token authenticates; the session it reads as its own."""
    session: dict[str, Any] = ok(with_token(raw, token, GET))["client_session"]
    assert session["token"] == token
    return session


def assert_token_refused(fake: FakeSeam, raw: Raw, token: str, error_type: str) -> dict[str, Any]:
    """The token is refused with 401 ``error_type``, changing nothing."""
    with unchanged(fake):
        response = with_token(raw, token, GET)
    return assert_error(response, 401, error_type)


def session_ids(sessions: Any) -> list[str]:
    return [s.client_session_id for s in sessions]


def stored_sessions(fake: FakeSeam) -> dict[str, Any]:
    found: dict[str, Any] = workspace_state(fake)["client_sessions"]
    return found


def deleted_session_events(fake: FakeSeam) -> list[str]:
    return [e["client_session_id"] for e in fake.events if e["event_type"] == "client_session.deleted"]


# /client_sessions/create ---------------------------------------------------------------


def test_create_for_a_user_identity(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    jane = identity(fake_seam)
    session = seam.client_sessions.create(user_identity_id=jane)
    uuid.UUID(session.client_session_id)
    assert session.token.startswith("seam_cst")
    assert session.workspace_id == fake_seam.workspace_id
    assert session.user_identity_id == jane
    assert session.user_identity_ids == [jane]
    assert session.user_identifier_key is None
    assert session.customer_key is None
    assert (session.device_count, session.connected_account_ids, session.connect_webview_ids) == (0, [], [])
    assert session_ids(seam.client_sessions.list()) == [session.client_session_id]
    assert assert_token_works(raw, session.token)["client_session_id"] == session.client_session_id


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_create_with_each_method(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    jane = identity(fake_seam)
    body = ok(raw.request(method, CREATE, json={"user_identity_id": jane, "user_identifier_key": "user-1"}))
    session = body["client_session"]
    assert session["user_identity_ids"] == [jane]
    assert session["user_identifier_key"] == "user-1"
    assert session["token"].startswith("seam_cst")
    assert list(stored_sessions(fake_seam)) == [session["client_session_id"]]


def test_create_with_no_identity(fake_seam: FakeSeam, seam: Seam) -> None:
    session = seam.client_sessions.create(user_identifier_key="anonymous")
    assert session.user_identity_ids == []
    assert session.user_identity_id is None
    assert session.token.startswith("seam_cst")


def test_create_with_the_deprecated_user_identity_ids(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    session = seam.client_sessions.create(user_identity_ids=[jane])
    assert session.user_identity_ids == [jane]
    assert session.user_identity_id == jane


@pytest.mark.parametrize("count", [0, 2])
@pytest.mark.parametrize("path", [CREATE, GET_OR_CREATE, GRANT])
def test_the_deprecated_user_identity_ids_takes_exactly_one(
    fake_seam: FakeSeam, seam: Seam, path: str, count: int
) -> None:
    # The reference gives `user_identity_ids` minItems 1 and maxItems 1 on all three routes.
    ids = [identity(fake_seam, "Jane Doe"), identity(fake_seam, "John Roe")][:count]
    session = seam.client_sessions.create(user_identifier_key="user-1")
    calls = {
        CREATE: lambda: seam.client_sessions.create(user_identity_ids=ids),
        GET_OR_CREATE: lambda: seam.client_sessions.get_or_create(user_identity_ids=ids),
        GRANT: lambda: seam.client_sessions.grant_access(
            client_session_id=session.client_session_id, user_identity_ids=ids
        ),
    }
    expect_invalid(fake_seam, calls[path], "user_identity_ids")


def test_create_with_a_user_identifier_key_and_a_customer_key(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    session = seam.client_sessions.create(
        user_identity_id=jane, user_identifier_key="user-1", customer_key="customer-1"
    )
    assert session.user_identifier_key == "user-1"
    assert session.customer_key == "customer-1"
    fetched = seam.client_sessions.get(user_identifier_key="user-1")
    assert (fetched.client_session_id, fetched.customer_key) == (session.client_session_id, "customer-1")


def test_create_with_expires_at_stores_it_in_utc(fake_seam: FakeSeam, seam: Seam) -> None:
    session = seam.client_sessions.create(
        user_identity_id=identity(fake_seam), expires_at="2031-06-01T14:30:00+02:00"
    )
    assert session.expires_at == "2031-06-01T12:30:00.000Z"
    assert seam.client_sessions.get(client_session_id=session.client_session_id).expires_at == (
        "2031-06-01T12:30:00.000Z"
    )


def test_create_expires_a_year_later_by_default(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    with time_machine.travel(MOMENT, tick=False):
        session = seam.client_sessions.create(user_identity_id=jane)
    assert session.created_at == seam_time(MOMENT) == "2030-03-04T05:06:07.890Z"
    assert session.expires_at == seam_time(MOMENT + ONE_YEAR)


def test_create_with_expires_at_in_the_past_makes_an_expired_session(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    session = seam.client_sessions.create(
        user_identity_id=identity(fake_seam), expires_at="2020-01-01T00:00:00Z"
    )
    assert session.expires_at == "2020-01-01T00:00:00.000Z"
    assert seam.client_sessions.get(client_session_id=session.client_session_id).token == session.token
    assert_token_refused(fake_seam, raw, session.token, "client_session_expired")


def test_each_session_has_its_own_id_and_token(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    sessions = [seam.client_sessions.create(user_identity_id=jane) for _ in range(3)]
    assert len({s.client_session_id for s in sessions}) == 3
    assert len({s.token for s in sessions}) == 3


def test_create_post_with_a_taken_user_identifier_key_is_refused(fake_seam: FakeSeam, raw: Raw) -> None:
    first = ok(raw.post(CREATE, json={"user_identifier_key": "user-1"}))["client_session"]
    with unchanged(fake_seam):
        response = raw.post(CREATE, json={"user_identifier_key": "user-1"})
    error = assert_error(response, 400, "client_session_token_already_exists")
    assert "user-1" in error["message"]
    assert list(stored_sessions(fake_seam)) == [first["client_session_id"]]


def test_create_put_with_a_taken_user_identifier_key_returns_that_session(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    jane = identity(fake_seam)
    first = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-1")
    with unchanged(fake_seam):
        again = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-1")
        # Returned as it is: a different expiry in the request changes nothing.
        body = ok(
            raw.request(
                "PUT", CREATE, json={"user_identifier_key": "user-1", "expires_at": "2040-01-01T00:00:00Z"}
            )
        )
    assert (again.client_session_id, again.token, again.expires_at) == (
        first.client_session_id,
        first.token,
        first.expires_at,
    )
    assert body["client_session"]["client_session_id"] == first.client_session_id
    assert body["client_session"]["expires_at"] == first.expires_at


@pytest.mark.parametrize("form", ["user_identity_id", "user_identity_ids"])
@pytest.mark.parametrize("whose", ["unknown", "other_workspace"])
def test_create_for_an_identity_not_in_the_workspace_is_not_found(
    fake_seam: FakeSeam, seam: Seam, form: str, whose: str
) -> None:
    if whose == "unknown":
        missing = str(uuid.uuid4())
    else:
        other = fake_seam.add_workspace(name="Other")["workspace_id"]
        missing = fake_seam.add_user_identity(full_name="Jane Doe", workspace_id=other)["user_identity_id"]
    value: Any = missing if form == "user_identity_id" else [missing]
    error = expect_api_error(
        fake_seam, 404, "user_identity_not_found", lambda: seam.client_sessions.create(**{form: value})
    )
    assert missing in str(error)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("connected_account_ids", ["0f8e3c2a-1b4d-4e5f-8a9b-0c1d2e3f4a5b"]),
        ("connect_webview_ids", ["0f8e3c2a-1b4d-4e5f-8a9b-0c1d2e3f4a5c"]),
        ("customer_id", "0f8e3c2a-1b4d-4e5f-8a9b-0c1d2e3f4a5d"),
    ],
    ids=["connected_account_ids", "connect_webview_ids", "customer_id"],
)
def test_create_refuses_what_the_fake_does_not_simulate(
    fake_seam: FakeSeam, seam: Seam, name: str, value: Any
) -> None:
    jane = identity(fake_seam)
    error = expect_api_error(
        fake_seam,
        400,
        "unsupported_by_seam_fake",
        lambda: seam.client_sessions.create(user_identity_id=jane, **{name: value}),
    )
    assert name in str(error)


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"user_identity_id": "jane"}, "user_identity_id"),
        ({"user_identity_ids": ["jane"]}, "user_identity_ids"),
        ({"user_identity_ids": "not a list"}, "user_identity_ids"),
        ({"user_identifier_key": ""}, "user_identifier_key"),
        ({"user_identifier_key": 7}, "user_identifier_key"),
        ({"customer_key": ""}, "customer_key"),
        ({"expires_at": "2031-01-01T00:00:00"}, "expires_at"),
        ({"expires_at": "next week"}, "expires_at"),
    ],
    ids=lambda v: str(v) if isinstance(v, str) else None,
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_create_invalid_input(
    fake_seam: FakeSeam, raw: Raw, method: str, body: dict[str, Any], param: str
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.request(method, CREATE, json=body), param)


# /client_sessions/get_or_create --------------------------------------------------------


def test_get_or_create_by_user_identifier_key(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    created = seam.client_sessions.get_or_create(user_identity_id=jane, user_identifier_key="user-1")
    assert created.user_identifier_key == "user-1"
    assert created.user_identity_ids == [jane]
    with unchanged(fake_seam):
        found = seam.client_sessions.get_or_create(user_identifier_key="user-1")
    assert (found.client_session_id, found.token) == (created.client_session_id, created.token)
    assert session_ids(seam.client_sessions.list()) == [created.client_session_id]


def test_get_or_create_by_identity(fake_seam: FakeSeam, seam: Seam) -> None:
    jane, john = identity(fake_seam, "Jane Doe"), identity(fake_seam, "John Roe")
    for_jane = seam.client_sessions.get_or_create(user_identity_id=jane)
    for_john = seam.client_sessions.get_or_create(user_identity_ids=[john])
    assert for_jane.client_session_id != for_john.client_session_id
    with unchanged(fake_seam):
        assert seam.client_sessions.get_or_create(user_identity_id=jane).client_session_id == (
            for_jane.client_session_id
        )
        assert seam.client_sessions.get_or_create(user_identity_ids=[jane]).client_session_id == (
            for_jane.client_session_id
        )
        assert seam.client_sessions.get_or_create(user_identity_id=john).client_session_id == (
            for_john.client_session_id
        )
    assert session_ids(seam.client_sessions.list()) == [
        for_jane.client_session_id,
        for_john.client_session_id,
    ]


def test_get_or_create_creates_with_a_default_expiry(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    with time_machine.travel(MOMENT, tick=False):
        session = seam.client_sessions.get_or_create(user_identity_id=jane)
    assert session.expires_at == seam_time(MOMENT + ONE_YEAR)


def test_get_or_create_moves_expires_at(fake_seam: FakeSeam, seam: Seam) -> None:
    created = seam.client_sessions.get_or_create(user_identifier_key="user-1")
    moved = seam.client_sessions.get_or_create(
        user_identifier_key="user-1", expires_at="2035-05-05T05:05:05Z"
    )
    assert moved.client_session_id == created.client_session_id
    assert moved.expires_at == "2035-05-05T05:05:05.000Z"
    assert seam.client_sessions.get(client_session_id=created.client_session_id).expires_at == (
        "2035-05-05T05:05:05.000Z"
    )


def test_get_or_create_creates_with_the_expires_at_given(fake_seam: FakeSeam, seam: Seam) -> None:
    session = seam.client_sessions.get_or_create(
        user_identifier_key="user-1", expires_at="2035-05-05T05:05:05Z"
    )
    assert session.expires_at == "2035-05-05T05:05:05.000Z"


def test_get_or_create_grants_the_identities_named(fake_seam: FakeSeam, seam: Seam) -> None:
    jane, john = identity(fake_seam, "Jane Doe"), identity(fake_seam, "John Roe")
    created = seam.client_sessions.get_or_create(user_identity_id=jane, user_identifier_key="user-1")
    granted = seam.client_sessions.get_or_create(user_identity_id=john, user_identifier_key="user-1")
    assert granted.client_session_id == created.client_session_id
    assert granted.user_identity_ids == [jane, john]
    # Granting what it has already changes nothing.
    with unchanged(fake_seam):
        again = seam.client_sessions.get_or_create(user_identity_id=jane, user_identifier_key="user-1")
    assert again.user_identity_ids == [jane, john]


@pytest.mark.parametrize("with_key", [False, True])
def test_get_or_create_for_an_unknown_identity_is_not_found(
    fake_seam: FakeSeam, seam: Seam, with_key: bool
) -> None:
    seam.client_sessions.get_or_create(user_identifier_key="user-1")
    params = {"user_identity_id": str(uuid.uuid4())}
    if with_key:
        params["user_identifier_key"] = "user-1"
    expect_api_error(
        fake_seam, 404, "user_identity_not_found", lambda: seam.client_sessions.get_or_create(**params)
    )


@pytest.mark.parametrize("name", ["connected_account_ids", "connect_webview_ids"])
def test_get_or_create_refuses_what_the_fake_does_not_simulate(
    fake_seam: FakeSeam, seam: Seam, name: str
) -> None:
    error = expect_api_error(
        fake_seam,
        400,
        "unsupported_by_seam_fake",
        lambda: seam.client_sessions.get_or_create(
            user_identifier_key="user-1", **{name: [str(uuid.uuid4())]}
        ),
    )
    assert name in str(error)


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"user_identity_id": "jane"}, "user_identity_id"),
        ({"user_identifier_key": ""}, "user_identifier_key"),
        ({"user_identifier_key": "user-1", "expires_at": "tomorrow"}, "expires_at"),
    ],
    ids=["user_identity_id", "user_identifier_key", "expires_at"],
)
def test_get_or_create_invalid_input(fake_seam: FakeSeam, raw: Raw, body: dict[str, Any], param: str) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(GET_OR_CREATE, json=body), param)


# /client_sessions/get ------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_get_by_id_and_by_key(fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str) -> None:
    jane = identity(fake_seam)
    session = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-1")
    seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-2")
    by_id = read_ok(raw, method, GET, {"client_session_id": session.client_session_id})["client_session"]
    by_key = read_ok(raw, method, GET, {"user_identifier_key": "user-1"})["client_session"]
    assert by_id == by_key
    assert by_id["client_session_id"] == session.client_session_id
    assert by_id["token"] == session.token
    assert seam.client_sessions.get(client_session_id=session.client_session_id).token == session.token
    assert seam.client_sessions.get(user_identifier_key="user-1").token == session.token


def test_get_by_id_in_upper_case(fake_seam: FakeSeam, seam: Seam) -> None:
    session = seam.client_sessions.create(user_identifier_key="user-1")
    assert (
        seam.client_sessions.get(client_session_id=session.client_session_id.upper()).token == session.token
    )


def test_get_with_neither_names_client_session_id(fake_seam: FakeSeam, seam: Seam) -> None:
    seam.client_sessions.create(user_identifier_key="user-1")
    expect_invalid(fake_seam, lambda: seam.client_sessions.get(), "client_session_id")


@pytest.mark.parametrize("whose", ["unknown", "other_workspace"])
def test_get_a_session_not_in_the_workspace_is_not_found(fake_seam: FakeSeam, seam: Seam, whose: str) -> None:
    seam.client_sessions.create(user_identifier_key="user-1")
    if whose == "unknown":
        session_id, key = str(uuid.uuid4()), "nobody"
    else:
        other = fake_seam.add_workspace(name="Other")["workspace_id"]
        foreign = fake_seam.add_client_session(user_identifier_key="foreign-key", workspace_id=other)
        session_id, key = foreign["client_session_id"], "foreign-key"
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: seam.client_sessions.get(client_session_id=session_id),
    )
    expect_api_error(
        fake_seam, 404, "client_session_not_found", lambda: seam.client_sessions.get(user_identifier_key=key)
    )


def test_get_with_a_client_session_token_and_no_parameters_is_its_own_session(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = identity(fake_seam)
    mine = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-1")
    seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-2")
    client = client_for(fake_seam, mine.token)
    assert client.client_sessions.get().client_session_id == mine.client_session_id
    assert client.client_sessions.get(client_session_id=mine.client_session_id).token == mine.token
    assert client.client_sessions.get(user_identifier_key="user-1").token == mine.token


def test_get_with_a_client_session_token_naming_another_session_is_not_found(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = identity(fake_seam)
    mine = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-1")
    other = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-2")
    client = client_for(fake_seam, mine.token)
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: client.client_sessions.get(client_session_id=other.client_session_id),
    )
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: client.client_sessions.get(user_identifier_key="user-2"),
    )


# /client_sessions/list -----------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_list_oldest_first_and_each_filter(fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str) -> None:
    jane, john = identity(fake_seam, "Jane Doe"), identity(fake_seam, "John Roe")
    a = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-a").client_session_id
    b = seam.client_sessions.create(user_identity_id=john).client_session_id
    c = seam.client_sessions.create(user_identity_id=jane).client_session_id
    d = seam.client_sessions.create(user_identifier_key="user-d").client_session_id

    def listed(params: dict[str, Any]) -> list[str]:
        if method == "get":
            # As the SDKs write booleans in a query string.
            params = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
        body = read_ok(raw, method, LIST, params)
        return [s["client_session_id"] for s in body["client_sessions"]]

    assert listed({}) == [a, b, c, d]
    assert listed({"client_session_id": c}) == [c]
    assert listed({"user_identifier_key": "user-d"}) == [d]
    assert listed({"user_identifier_key": "nobody"}) == []
    assert listed({"user_identity_id": jane}) == [a, c]
    assert listed({"user_identity_id": john}) == [b]
    assert listed({"without_user_identifier_key": True}) == [b, c]
    assert listed({"without_user_identifier_key": False}) == [a, b, c, d]
    assert listed({"user_identity_id": jane, "without_user_identifier_key": True}) == [c]
    # Through the SDK too.
    assert session_ids(seam.client_sessions.list()) == [a, b, c, d]
    assert session_ids(seam.client_sessions.list(user_identity_id=jane)) == [a, c]
    assert session_ids(seam.client_sessions.list(without_user_identifier_key=True)) == [b, c]
    assert session_ids(seam.client_sessions.list(user_identifier_key="user-a")) == [a]
    assert session_ids(seam.client_sessions.list(client_session_id=b)) == [b]


@pytest.mark.parametrize("param", ["client_session_id", "user_identity_id"])
def test_list_filters_by_an_id_in_any_letter_case(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, param: str
) -> None:
    # docs/fidelity.md: "UUIDs are accepted in any letter case and compared lower-cased", also
    # where the reference types the id as a plain string, as here.
    session = seam.client_sessions.create(user_identity_id=identity(fake_seam))
    value = (session.client_session_id if param == "client_session_id" else session.user_identity_id) or ""
    body = read_ok(raw, "post", LIST, {param: value.upper()})
    assert [s["client_session_id"] for s in body["client_sessions"]] == [session.client_session_id]


def test_list_shows_only_the_workspaces_sessions(fake_seam: FakeSeam, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")["workspace_id"]
    fake_seam.add_client_session(user_identifier_key="user-1", workspace_id=other)
    mine = seam.client_sessions.create(user_identifier_key="user-1")
    assert session_ids(seam.client_sessions.list()) == [mine.client_session_id]


def test_list_by_identity_includes_sessions_granted_to_it(fake_seam: FakeSeam, seam: Seam) -> None:
    jane, john = identity(fake_seam, "Jane Doe"), identity(fake_seam, "John Roe")
    session = seam.client_sessions.create(user_identity_id=jane)
    seam.client_sessions.grant_access(client_session_id=session.client_session_id, user_identity_id=john)
    assert session_ids(seam.client_sessions.list(user_identity_id=john)) == [session.client_session_id]


def test_list_refuses_connect_webview_id(fake_seam: FakeSeam, seam: Seam) -> None:
    seam.client_sessions.create(user_identifier_key="user-1")
    error = expect_api_error(
        fake_seam,
        400,
        "unsupported_by_seam_fake",
        lambda: seam.client_sessions.list(connect_webview_id=str(uuid.uuid4())),
    )
    assert "connect_webview_id" in str(error)


def test_list_invalid_input(fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(
        fake_seam,
        lambda: raw.post(LIST, json={"without_user_identifier_key": "yes"}),
        "without_user_identifier_key",
    )


# /client_sessions/grant_access ---------------------------------------------------------


def test_grant_access_adds_identities(fake_seam: FakeSeam, seam: Seam) -> None:
    jane, john, joan = (identity(fake_seam, name) for name in ("Jane Doe", "John Roe", "Joan Poe"))
    session = seam.client_sessions.create(user_identity_id=jane)
    seam.client_sessions.grant_access(client_session_id=session.client_session_id, user_identity_id=john)
    seam.client_sessions.grant_access(client_session_id=session.client_session_id, user_identity_ids=[joan])
    after = seam.client_sessions.get(client_session_id=session.client_session_id)
    assert after.user_identity_ids == [jane, john, joan]
    assert after.user_identity_id == jane
    # Never removed, never repeated.
    with unchanged(fake_seam):
        seam.client_sessions.grant_access(client_session_id=session.client_session_id, user_identity_id=john)
    assert after.token == session.token


@pytest.mark.parametrize("method", ["PATCH", "POST"])
def test_grant_access_answers_the_session(fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str) -> None:
    jane, john = identity(fake_seam, "Jane Doe"), identity(fake_seam, "John Roe")
    session = seam.client_sessions.create(user_identity_id=jane)
    body = ok(
        raw.request(
            method, GRANT, json={"client_session_id": session.client_session_id, "user_identity_id": john}
        )
    )
    assert body["client_session"]["client_session_id"] == session.client_session_id
    assert body["client_session"]["user_identity_ids"] == [jane, john]


def test_grant_access_with_ids_in_any_letter_case(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    # As above: the reference types both ids here as plain strings, but they are UUIDs.
    jane, john = identity(fake_seam, "Jane Doe"), identity(fake_seam, "John Roe")
    session = seam.client_sessions.create(user_identity_id=jane)
    body = ok(
        raw.post(
            GRANT,
            json={"client_session_id": session.client_session_id.upper(), "user_identity_id": john.upper()},
        )
    )
    assert body["client_session"]["user_identity_ids"] == [jane, john]


def test_grant_access_sets_a_user_identifier_key_on_a_session_without_one(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    session = seam.client_sessions.create(user_identity_id=identity(fake_seam))
    seam.client_sessions.grant_access(
        client_session_id=session.client_session_id, user_identifier_key="user-1"
    )
    assert (
        seam.client_sessions.get(user_identifier_key="user-1").client_session_id == session.client_session_id
    )
    assert session_ids(seam.client_sessions.list(without_user_identifier_key=True)) == []
    # The same key again changes nothing.
    with unchanged(fake_seam):
        seam.client_sessions.grant_access(
            client_session_id=session.client_session_id, user_identifier_key="user-1"
        )


def test_grant_access_does_not_replace_a_user_identifier_key(fake_seam: FakeSeam, seam: Seam) -> None:
    session = seam.client_sessions.create(user_identifier_key="user-1")
    expect_invalid(
        fake_seam,
        lambda: seam.client_sessions.grant_access(
            client_session_id=session.client_session_id, user_identifier_key="user-2"
        ),
        "user_identifier_key",
    )
    assert (
        seam.client_sessions.get(client_session_id=session.client_session_id).user_identifier_key == "user-1"
    )


def test_grant_access_with_another_sessions_key_is_refused(fake_seam: FakeSeam, seam: Seam) -> None:
    seam.client_sessions.create(user_identifier_key="user-1")
    keyless = seam.client_sessions.create(user_identity_id=identity(fake_seam))
    expect_api_error(
        fake_seam,
        400,
        "client_session_token_already_exists",
        lambda: seam.client_sessions.grant_access(
            client_session_id=keyless.client_session_id, user_identifier_key="user-1"
        ),
    )


def test_grant_access_needs_client_session_id(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-1")
    expect_invalid(
        fake_seam, lambda: seam.client_sessions.grant_access(user_identity_id=jane), "client_session_id"
    )
    expect_invalid(
        fake_seam,
        lambda: seam.client_sessions.grant_access(user_identifier_key="user-1"),
        "client_session_id",
    )


def test_grant_access_to_an_unknown_session_or_identity_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    session = seam.client_sessions.create(user_identity_id=jane)
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: seam.client_sessions.grant_access(client_session_id=str(uuid.uuid4()), user_identity_id=jane),
    )
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.client_sessions.grant_access(
            client_session_id=session.client_session_id, user_identity_id=str(uuid.uuid4())
        ),
    )


@pytest.mark.parametrize("name", ["connected_account_ids", "connect_webview_ids"])
def test_grant_access_refuses_what_the_fake_does_not_simulate(
    fake_seam: FakeSeam, seam: Seam, name: str
) -> None:
    session = seam.client_sessions.create(user_identifier_key="user-1")
    error = expect_api_error(
        fake_seam,
        400,
        "unsupported_by_seam_fake",
        lambda: seam.client_sessions.grant_access(
            client_session_id=session.client_session_id, **{name: [str(uuid.uuid4())]}
        ),
    )
    assert name in str(error)


# /client_sessions/revoke ---------------------------------------------------------------


def test_revoke_stops_the_token_and_keeps_the_session(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    jane = identity(fake_seam)
    session = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-1")
    assert_token_works(raw, session.token)
    seam.client_sessions.revoke(client_session_id=session.client_session_id)
    error = assert_token_refused(fake_seam, raw, session.token, "client_session_revoked")
    assert "revoked" in error["message"]
    kept = seam.client_sessions.get(client_session_id=session.client_session_id)
    assert (kept.token, kept.user_identity_ids) == (session.token, [jane])
    assert session_ids(seam.client_sessions.list()) == [session.client_session_id]
    assert session_ids(seam.client_sessions.list(user_identity_id=jane)) == [session.client_session_id]
    # Deleting it is a separate action, still possible.
    seam.client_sessions.delete(client_session_id=session.client_session_id)
    assert session_ids(seam.client_sessions.list()) == []


def test_revoke_leaves_other_sessions_working(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    jane = identity(fake_seam)
    revoked = seam.client_sessions.create(user_identity_id=jane)
    kept = seam.client_sessions.create(user_identity_id=jane)
    seam.client_sessions.revoke(client_session_id=revoked.client_session_id)
    assert_token_works(raw, kept.token)


def test_revoke_an_unknown_session_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    seam.client_sessions.create(user_identifier_key="user-1")
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: seam.client_sessions.revoke(client_session_id=str(uuid.uuid4())),
    )


@pytest.mark.parametrize("path", [REVOKE, DELETE])
@pytest.mark.parametrize("body", [{}, {"client_session_id": "first"}], ids=["missing", "not_a_uuid"])
def test_revoke_and_delete_need_a_client_session_id(
    fake_seam: FakeSeam, raw: Raw, path: str, body: dict[str, Any]
) -> None:
    ok(raw.post(CREATE, json={"user_identifier_key": "user-1"}))
    expect_raw_invalid(fake_seam, lambda: raw.post(path, json=body), "client_session_id")


# /client_sessions/delete ---------------------------------------------------------------


def test_delete_removes_the_session_and_its_token(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    jane = identity(fake_seam)
    session = seam.client_sessions.create(user_identity_id=jane, user_identifier_key="user-1")
    kept = seam.client_sessions.create(user_identity_id=jane)
    seam.client_sessions.delete(client_session_id=session.client_session_id)
    assert session_ids(seam.client_sessions.list()) == [kept.client_session_id]
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: seam.client_sessions.get(client_session_id=session.client_session_id),
    )
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: seam.client_sessions.get(user_identifier_key="user-1"),
    )
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: seam.client_sessions.delete(client_session_id=session.client_session_id),
    )
    assert deleted_session_events(fake_seam) == [session.client_session_id]
    assert_token_refused(fake_seam, raw, session.token, "unauthorized")
    assert_token_works(raw, kept.token)


def test_delete_records_client_session_deleted(fake_seam: FakeSeam, seam: Seam) -> None:
    session = seam.client_sessions.create(user_identity_id=identity(fake_seam))
    with time_machine.travel(MOMENT, tick=False):
        seam.client_sessions.delete(client_session_id=session.client_session_id)
    (event,) = seam.events.list(since="2000-01-01T00:00:00Z")
    assert event.event_type == "client_session.deleted"
    assert event.client_session_id == session.client_session_id
    assert event.workspace_id == fake_seam.workspace_id
    assert event.occurred_at == seam_time(MOMENT)


def test_delete_frees_the_user_identifier_key(fake_seam: FakeSeam, raw: Raw) -> None:
    first = ok(raw.post(CREATE, json={"user_identifier_key": "user-1"}))["client_session"]
    ok(raw.post(DELETE, json={"client_session_id": first["client_session_id"]}))
    second = ok(raw.post(CREATE, json={"user_identifier_key": "user-1"}))["client_session"]
    assert second["client_session_id"] != first["client_session_id"]
    assert second["token"] != first["token"]


def test_delete_with_the_delete_method(fake_seam: FakeSeam, raw: Raw) -> None:
    session = ok(raw.post(CREATE, json={"user_identifier_key": "user-1"}))["client_session"]
    ok(raw.request("DELETE", DELETE, params={"client_session_id": session["client_session_id"]}))
    assert stored_sessions(fake_seam) == {}


# /user_identities/generate_instant_key -------------------------------------------------


def test_generate_instant_key(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    jane = identity(fake_seam)
    with time_machine.travel(MOMENT, tick=False):
        key = seam.user_identities.generate_instant_key(user_identity_id=jane)
    uuid.UUID(key.instant_key_id)
    assert INSTANT_KEY_URL.fullmatch(key.instant_key_url), key.instant_key_url
    assert key.user_identity_id == jane
    assert key.workspace_id == fake_seam.workspace_id
    assert key.created_at == seam_time(MOMENT)
    assert key.expires_at == seam_time(MOMENT + timedelta(hours=48)) == "2030-03-06T05:06:07.890Z"
    # Backed by a new client session for that identity, expiring with it.
    (session,) = seam.client_sessions.list(user_identity_id=jane)
    assert session.client_session_id == key.client_session_id
    assert session.user_identity_ids == [jane]
    assert session.expires_at == key.expires_at
    assert session.user_identifier_key is None
    with time_machine.travel(MOMENT + timedelta(hours=47), tick=False):
        assert_token_works(raw, session.token)


def test_each_instant_key_has_its_own_url_and_session(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    own = seam.client_sessions.create(user_identity_id=jane)
    keys = [seam.user_identities.generate_instant_key(user_identity_id=jane) for _ in range(3)]
    assert len({k.instant_key_url for k in keys}) == 3
    assert len({k.client_session_id for k in keys}) == 3
    assert own.client_session_id not in {k.client_session_id for k in keys}
    assert session_ids(seam.client_sessions.list(user_identity_id=jane)) == [
        own.client_session_id,
        *(k.client_session_id for k in keys),
    ]


def test_instant_key_session_expires_with_it(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    jane = identity(fake_seam)
    with time_machine.travel(MOMENT, tick=False):
        key = seam.user_identities.generate_instant_key(user_identity_id=jane)
    token = seam.client_sessions.get(client_session_id=key.client_session_id).token
    with time_machine.travel(MOMENT + timedelta(hours=48, milliseconds=1), tick=False):
        assert_token_refused(fake_seam, raw, token, "client_session_expired")


@pytest.mark.parametrize("uses", [1, 5, 1000])
def test_generate_instant_key_keeps_max_use_count(fake_seam: FakeSeam, seam: Seam, uses: int) -> None:
    key = seam.user_identities.generate_instant_key(user_identity_id=identity(fake_seam), max_use_count=uses)
    assert workspace_state(fake_seam)["instant_keys"][key.instant_key_id]["max_use_count"] == uses


def test_generate_instant_key_uses_once_by_default(fake_seam: FakeSeam, seam: Seam) -> None:
    key = seam.user_identities.generate_instant_key(user_identity_id=identity(fake_seam))
    assert workspace_state(fake_seam)["instant_keys"][key.instant_key_id]["max_use_count"] == 1


@pytest.mark.parametrize("uses", [0, -1, 1.5, "2", True, None], ids=repr)
def test_generate_instant_key_refuses_a_bad_max_use_count(fake_seam: FakeSeam, raw: Raw, uses: Any) -> None:
    jane = identity(fake_seam)
    expect_raw_invalid(
        fake_seam,
        lambda: raw.post(GENERATE, json={"user_identity_id": jane, "max_use_count": uses}),
        "max_use_count",
    )


@pytest.mark.parametrize("body", [{}, {"user_identity_id": "jane"}], ids=["missing", "not_a_uuid"])
def test_generate_instant_key_needs_a_user_identity_id(
    fake_seam: FakeSeam, raw: Raw, body: dict[str, Any]
) -> None:
    identity(fake_seam)
    expect_raw_invalid(fake_seam, lambda: raw.post(GENERATE, json=body), "user_identity_id")


def test_generate_instant_key_for_an_unknown_identity_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    identity(fake_seam)
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.generate_instant_key(user_identity_id=str(uuid.uuid4())),
    )


def test_generate_instant_key_refuses_customization_profile_id(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = identity(fake_seam)
    error = expect_api_error(
        fake_seam,
        400,
        "unsupported_by_seam_fake",
        lambda: seam.user_identities.generate_instant_key(
            user_identity_id=jane, customization_profile_id=str(uuid.uuid4())
        ),
    )
    assert "customization_profile_id" in str(error)


# /instant_keys/get, /instant_keys/list, /instant_keys/delete ---------------------------


@pytest.mark.parametrize("method", METHODS)
def test_instant_key_get_by_id_and_by_url(fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str) -> None:
    jane = identity(fake_seam)
    key = seam.user_identities.generate_instant_key(user_identity_id=jane)
    seam.user_identities.generate_instant_key(user_identity_id=jane)
    by_id = read_ok(raw, method, KEY_GET, {"instant_key_id": key.instant_key_id})["instant_key"]
    by_url = read_ok(raw, method, KEY_GET, {"instant_key_url": key.instant_key_url})["instant_key"]
    assert by_id == by_url
    assert (by_id["instant_key_id"], by_id["client_session_id"]) == (
        key.instant_key_id,
        key.client_session_id,
    )
    assert seam.instant_keys.get(instant_key_id=key.instant_key_id).instant_key_url == key.instant_key_url
    assert seam.instant_keys.get(instant_key_url=key.instant_key_url).instant_key_id == key.instant_key_id


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", ["neither", "both"])
def test_instant_key_get_needs_exactly_one_of_id_and_url(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str, case: str
) -> None:
    key = seam.user_identities.generate_instant_key(user_identity_id=identity(fake_seam))
    params = (
        {}
        if case == "neither"
        else {"instant_key_id": key.instant_key_id, "instant_key_url": key.instant_key_url}
    )
    expect_raw_invalid(
        fake_seam, lambda: raw.read(method, KEY_GET, params), "instant_key_id", "instant_key_url"
    )


def test_instant_key_get_unknown_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    key = seam.user_identities.generate_instant_key(user_identity_id=identity(fake_seam))
    expect_api_error(
        fake_seam,
        404,
        "instant_key_not_found",
        lambda: seam.instant_keys.get(instant_key_id=str(uuid.uuid4())),
    )
    expect_api_error(
        fake_seam,
        404,
        "instant_key_not_found",
        lambda: seam.instant_keys.get(instant_key_url=key.instant_key_url[:-1] + "0"),
    )


def test_instant_key_of_another_workspace_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign = fake_seam.add_user_identity(full_name="Jane Doe", workspace_id=other["workspace_id"])
    other_seam = Seam(api_key=other["api_key"])
    key = other_seam.user_identities.generate_instant_key(user_identity_id=foreign["user_identity_id"])
    expect_api_error(
        fake_seam,
        404,
        "instant_key_not_found",
        lambda: seam.instant_keys.get(instant_key_id=key.instant_key_id),
    )
    assert seam.instant_keys.list() == []


@pytest.mark.parametrize("method", METHODS)
def test_instant_key_list_oldest_first_and_by_identity(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str
) -> None:
    jane, john = identity(fake_seam, "Jane Doe"), identity(fake_seam, "John Roe")
    a = seam.user_identities.generate_instant_key(user_identity_id=jane).instant_key_id
    b = seam.user_identities.generate_instant_key(user_identity_id=john).instant_key_id
    c = seam.user_identities.generate_instant_key(user_identity_id=jane).instant_key_id

    def listed(params: dict[str, Any]) -> list[str]:
        return [k["instant_key_id"] for k in read_ok(raw, method, KEY_LIST, params)["instant_keys"]]

    assert listed({}) == [a, b, c]
    assert listed({"user_identity_id": jane}) == [a, c]
    assert listed({"user_identity_id": john}) == [b]
    assert listed({"user_identity_id": str(uuid.uuid4())}) == []
    assert [k.instant_key_id for k in seam.instant_keys.list(user_identity_id=jane)] == [a, c]


def test_instant_key_list_invalid_input(fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.post(KEY_LIST, json={"user_identity_id": "jane"}), "user_identity_id"
    )


def test_instant_key_delete_deletes_its_client_session(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    jane = identity(fake_seam)
    key = seam.user_identities.generate_instant_key(user_identity_id=jane)
    kept = seam.user_identities.generate_instant_key(user_identity_id=jane)
    token = seam.client_sessions.get(client_session_id=key.client_session_id).token
    seam.instant_keys.delete(instant_key_id=key.instant_key_id)
    assert [k.instant_key_id for k in seam.instant_keys.list()] == [kept.instant_key_id]
    expect_api_error(
        fake_seam,
        404,
        "instant_key_not_found",
        lambda: seam.instant_keys.get(instant_key_id=key.instant_key_id),
    )
    expect_api_error(
        fake_seam,
        404,
        "instant_key_not_found",
        lambda: seam.instant_keys.get(instant_key_url=key.instant_key_url),
    )
    expect_api_error(
        fake_seam,
        404,
        "client_session_not_found",
        lambda: seam.client_sessions.get(client_session_id=key.client_session_id),
    )
    assert session_ids(seam.client_sessions.list(user_identity_id=jane)) == [kept.client_session_id]
    assert deleted_session_events(fake_seam) == [key.client_session_id]
    assert_token_refused(fake_seam, raw, token, "unauthorized")


def test_deleting_an_instant_keys_session_deletes_the_key(fake_seam: FakeSeam, seam: Seam) -> None:
    key = seam.user_identities.generate_instant_key(user_identity_id=identity(fake_seam))
    seam.client_sessions.delete(client_session_id=key.client_session_id)
    assert seam.instant_keys.list() == []


def test_instant_key_delete_unknown_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    seam.user_identities.generate_instant_key(user_identity_id=identity(fake_seam))
    expect_api_error(
        fake_seam,
        404,
        "instant_key_not_found",
        lambda: seam.instant_keys.delete(instant_key_id=str(uuid.uuid4())),
    )


@pytest.mark.parametrize("body", [{}, {"instant_key_id": "first"}], ids=["missing", "not_a_uuid"])
def test_instant_key_delete_needs_an_instant_key_id(
    fake_seam: FakeSeam, raw: Raw, body: dict[str, Any]
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(KEY_DELETE, json=body), "instant_key_id")
