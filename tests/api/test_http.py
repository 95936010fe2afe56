"""The HTTP contract every route shares: auth, envelope, routing, body and query parsing.

Driven through raw ``requests``, raw ``httpx`` (``Client`` and ``AsyncClient``,
under the fixture's patch) and ``FakeSeam.handle`` directly, so each
transport is held to the same contract.

Last, ``query_pairs`` (how every query string is split) against the standard library.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest
import requests
from helpers import assert_error, auth, ok, unchanged
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openapi_schema import assert_valid_response, spec
from requests.structures import CaseInsensitiveDict
from seam import Seam, SeamHttpInvalidInputError, SeamHttpUnauthorizedError
from seam.null import NULL
from seam.strict_url_search_params_serializer import serialize_url_search_params

import seam_fake
from seam_fake import FakeSeam, Request
from seam_fake.api.http import query_pairs
from seam_fake.api.params import Param, parse_query

CREATE = "/user_identities/create"
GET = "/user_identities/get"
TRANSPORTS = ("requests", "httpx", "httpx_async", "handle")


@dataclass
class Reply:
    """What every transport answers, shaped enough like ``requests.Response`` for ``assert_error``."""

    status_code: int
    headers: CaseInsensitiveDict[str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.content)


def send(
    fake: FakeSeam,
    transport: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    query: str = "",
    body: bytes = b"",
) -> Reply:
    """One request through one transport; ``headers=None`` means the default workspace's API key."""
    headers = auth(fake) if headers is None else headers
    url = fake.endpoint + path + (f"?{query}" if query else "")
    if transport == "requests":
        r = requests.request(method, url, headers=headers, data=body or None)
        return Reply(r.status_code, CaseInsensitiveDict(r.headers), r.content)
    if transport == "httpx":
        with httpx.Client() as client:
            h = client.request(method, url, headers=headers, content=body)
        return Reply(h.status_code, CaseInsensitiveDict(h.headers), h.content)
    if transport == "httpx_async":

        async def run() -> httpx.Response:
            async with httpx.AsyncClient() as client:
                return await client.request(method, url, headers=headers, content=body)

        a = asyncio.run(run())
        return Reply(a.status_code, CaseInsensitiveDict(a.headers), a.content)
    assert transport == "handle"
    answer = fake.handle(
        seam_fake.Request(
            method=method,
            path=path,
            query=query,
            headers={name.lower(): value for name, value in headers.items()},
            body=body,
        )
    )
    return Reply(answer.status, CaseInsensitiveDict(answer.headers), answer.body)


def assert_ok(reply: Reply, path: str, method: str = "post") -> dict[str, Any]:
    body = ok(reply)  # a Reply is shaped enough like requests.Response
    assert_valid_response(path, body, method)
    return body


def create_body(**params: Any) -> bytes:
    return json.dumps(params).encode()


@pytest.fixture
def other(fake_seam: FakeSeam) -> dict[str, Any]:
    return fake_seam.add_workspace(name="Other Workspace")


# Auth -----------------------------------------------------------------------

HeaderMaker = Callable[[FakeSeam, dict[str, Any]], dict[str, str]]

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl"

REJECTED_AUTH: dict[str, HeaderMaker] = {
    "missing header": lambda f, o: {},
    "empty header": lambda f, o: {"Authorization": ""},
    "basic scheme": lambda f, o: {"Authorization": f"Basic {f.api_key}"},
    "token scheme": lambda f, o: {"Authorization": f"Token {f.api_key}"},
    "no scheme": lambda f, o: {"Authorization": f.api_key},
    "bearer without token": lambda f, o: {"Authorization": "Bearer"},
    "bearer with blank token": lambda f, o: {"Authorization": "Bearer    "},
    "unknown api key": lambda f, o: {"Authorization": "Bearer seam_unknown_key_123"},
    "api key with suffix": lambda f, o: {"Authorization": f"Bearer {f.api_key}x"},
    "client session token": lambda f, o: {"Authorization": "Bearer seam_cst1234_abcdef"},
    "publishable key": lambda f, o: {"Authorization": "Bearer seam_pk1234_abcdef"},
    "jwt": lambda f, o: {"Authorization": f"Bearer {JWT}"},
    "unknown pat": lambda f, o: {
        "Authorization": "Bearer seam_at1_unknown",
        "seam-workspace": f.workspace_id,
    },
    "pat without workspace": lambda f, o: {"Authorization": f"Bearer {f.add_personal_access_token()}"},
    "pat with empty workspace": lambda f, o: {
        "Authorization": f"Bearer {f.add_personal_access_token()}",
        "seam-workspace": "",
    },
    "pat with unknown workspace": lambda f, o: {
        "Authorization": f"Bearer {f.add_personal_access_token()}",
        "seam-workspace": str(uuid.uuid4()),
    },
    "pat restricted to other workspace": lambda f, o: {
        "Authorization": f"Bearer {f.add_personal_access_token([o['workspace_id']])}",
        "seam-workspace": f.workspace_id,
    },
    "api key with other workspace header": lambda f, o: {
        "Authorization": f"Bearer {f.api_key}",
        "seam-workspace": o["workspace_id"],
    },
    "other api key with default workspace header": lambda f, o: {
        "Authorization": f"Bearer {o['api_key']}",
        "seam-workspace": f.workspace_id,
    },
    "api key with unknown workspace header": lambda f, o: {
        "Authorization": f"Bearer {f.api_key}",
        "seam-workspace": str(uuid.uuid4()),
    },
}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("case", sorted(REJECTED_AUTH))
def test_rejected_auth_is_unauthorized(
    fake_seam: FakeSeam, other: dict[str, Any], transport: str, case: str
) -> None:
    headers = REJECTED_AUTH[case](fake_seam, other)
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, "POST", CREATE, headers=headers, body=create_body(full_name="X"))
    assert_error(reply, 401, "unauthorized")  # type: ignore[arg-type]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_rejected_auth_on_get_route_too(fake_seam: FakeSeam, transport: str) -> None:
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, "GET", GET, headers={}, query="user_identity_key=k")
    assert_error(reply, 401, "unauthorized")  # type: ignore[arg-type]


def _workspace_of_created(reply: Reply) -> str:
    workspace_id: str = assert_ok(reply, CREATE)["user_identity"]["workspace_id"]
    return workspace_id


AcceptedCase = Callable[[FakeSeam, dict[str, Any]], tuple[dict[str, str], str]]

ACCEPTED_AUTH: dict[str, AcceptedCase] = {
    "api key": lambda f, o: (auth(f), f.workspace_id),
    "other api key": lambda f, o: ({"Authorization": f"Bearer {o['api_key']}"}, o["workspace_id"]),
    "api key with own workspace header": lambda f, o: (
        {**auth(f), "seam-workspace": f.workspace_id},
        f.workspace_id,
    ),
    "pat to default workspace": lambda f, o: (
        {"Authorization": f"Bearer {f.add_personal_access_token()}", "seam-workspace": f.workspace_id},
        f.workspace_id,
    ),
    "pat to other workspace": lambda f, o: (
        {"Authorization": f"Bearer {f.add_personal_access_token()}", "seam-workspace": o["workspace_id"]},
        o["workspace_id"],
    ),
    "restricted pat to its workspace": lambda f, o: (
        {
            "Authorization": f"Bearer {f.add_personal_access_token([o['workspace_id']])}",
            "seam-workspace": o["workspace_id"],
        },
        o["workspace_id"],
    ),
    "bearer in lower case": lambda f, o: ({"Authorization": f"bearer {f.api_key}"}, f.workspace_id),
}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("case", sorted(ACCEPTED_AUTH))
def test_accepted_auth_acts_on_its_workspace(
    fake_seam: FakeSeam, other: dict[str, Any], transport: str, case: str
) -> None:
    headers, workspace_id = ACCEPTED_AUTH[case](fake_seam, other)
    reply = send(
        fake_seam, transport, "POST", CREATE, headers=headers, body=create_body(user_identity_key="k")
    )
    assert _workspace_of_created(reply) == workspace_id
    # The identity went to that workspace only.
    workspaces = fake_seam.snapshot()["workspaces"]
    assert [w for w, ws in workspaces.items() if ws["user_identities"]] == [workspace_id]


def test_unrestricted_pat_reaches_workspaces_added_later(fake_seam: FakeSeam) -> None:
    pat = fake_seam.add_personal_access_token()
    later = fake_seam.add_workspace(name="Later")
    headers = {"Authorization": f"Bearer {pat}", "seam-workspace": later["workspace_id"]}
    reply = send(fake_seam, "requests", "POST", CREATE, headers=headers, body=b"{}")
    assert _workspace_of_created(reply) == later["workspace_id"]


def test_pat_restricted_to_several_workspaces(fake_seam: FakeSeam, other: dict[str, Any]) -> None:
    third = fake_seam.add_workspace(name="Third")
    pat = fake_seam.add_personal_access_token([fake_seam.workspace_id, other["workspace_id"]])
    for workspace_id in (fake_seam.workspace_id, other["workspace_id"]):
        headers = {"Authorization": f"Bearer {pat}", "seam-workspace": workspace_id}
        reply = send(fake_seam, "httpx", "POST", CREATE, headers=headers, body=b"{}")
        assert _workspace_of_created(reply) == workspace_id
    headers = {"Authorization": f"Bearer {pat}", "seam-workspace": third["workspace_id"]}
    with unchanged(fake_seam):
        reply = send(fake_seam, "httpx", "POST", CREATE, headers=headers, body=b"{}")
    assert_error(reply, 401, "unauthorized")  # type: ignore[arg-type]


@pytest.mark.parametrize("target", ["default", "other"])
def test_sdk_with_personal_access_token(fake_seam: FakeSeam, other: dict[str, Any], target: str) -> None:
    workspace_id = fake_seam.workspace_id if target == "default" else other["workspace_id"]
    pat = fake_seam.add_personal_access_token()
    client = Seam(personal_access_token=pat, workspace_id=workspace_id)
    created = client.user_identities.create(user_identity_key="pat_user")
    assert created.workspace_id == workspace_id
    assert (
        client.user_identities.get(user_identity_key="pat_user").user_identity_id == created.user_identity_id
    )


SDK_UNAUTHORIZED: dict[str, Callable[[FakeSeam, dict[str, Any]], Seam]] = {
    "unknown api key": lambda f, o: Seam(api_key="seam_unknown_key_123"),
    "pat unknown": lambda f, o: Seam(personal_access_token="seam_at1_unknown", workspace_id=f.workspace_id),
    "pat with unknown workspace": lambda f, o: Seam(
        personal_access_token=f.add_personal_access_token(), workspace_id=str(uuid.uuid4())
    ),
    "pat restricted to other workspace": lambda f, o: Seam(
        personal_access_token=f.add_personal_access_token([o["workspace_id"]]), workspace_id=f.workspace_id
    ),
}


@pytest.mark.parametrize("case", sorted(SDK_UNAUTHORIZED))
def test_sdk_raises_unauthorized(fake_seam: FakeSeam, other: dict[str, Any], case: str) -> None:
    client = SDK_UNAUTHORIZED[case](fake_seam, other)
    with unchanged(fake_seam), pytest.raises(SeamHttpUnauthorizedError) as caught:
        client.user_identities.create(full_name="Nobody")
    assert caught.value.request_id
    with unchanged(fake_seam), pytest.raises(SeamHttpUnauthorizedError):
        client.user_identities.get(user_identity_key="anything")


# Envelope -------------------------------------------------------------------


def _error_requests(fake: FakeSeam) -> list[tuple[str, str, dict[str, str] | None, str, bytes, int, str]]:
    """(method, path, headers, query, body, status, type) for one request per error kind."""
    return [
        ("POST", CREATE, {}, "", b"{}", 401, "unauthorized"),
        ("POST", "/no/such/route", None, "", b"{}", 404, "route_not_found"),
        ("GET", CREATE, None, "", b"", 405, "method_not_allowed"),
        ("POST", CREATE, None, "", b"{", 400, "invalid_input"),
        ("GET", GET, None, "user_identity_id=nope", b"", 400, "invalid_input"),
        ("GET", GET, None, "user_identity_key=missing", b"", 404, "user_identity_not_found"),
    ]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_error_carries_request_id_and_envelope(fake_seam: FakeSeam, transport: str) -> None:
    seen = set()
    for method, path, headers, query, body, status, error_type in _error_requests(fake_seam):
        with unchanged(fake_seam):
            reply = send(fake_seam, transport, method, path, headers=headers, query=query, body=body)
        error = assert_error(reply, status, error_type)  # type: ignore[arg-type]
        assert set(reply.json()) == {"error", "ok"}
        assert error["request_id"] == reply.headers["seam-request-id"]
        seen.add(error["request_id"])
    assert len(seen) == len(_error_requests(fake_seam))


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_success_envelope(fake_seam: FakeSeam, transport: str) -> None:
    created = assert_ok(send(fake_seam, transport, "POST", CREATE, body=create_body(full_name="A")), CREATE)
    user_identity_id = created["user_identity"]["user_identity_id"]
    fetched = assert_ok(
        send(fake_seam, transport, "GET", GET, query=urlencode({"user_identity_id": user_identity_id})),
        GET,
        "get",
    )
    assert fetched["user_identity"] == created["user_identity"]
    assert set(fetched) == {"user_identity", "ok"}


def test_request_ids_are_distinct_per_request(fake_seam: FakeSeam) -> None:
    ids = []
    for transport in TRANSPORTS:
        for body in (b"{}", b"{", b'{"full_name": "same"}', b"{}"):
            reply = send(fake_seam, transport, "POST", CREATE, body=body)
            ids.append(reply.headers["seam-request-id"])
        ids.append(
            send(fake_seam, transport, "GET", GET, query="user_identity_key=x").headers["seam-request-id"]
        )
    assert all(ids)
    assert len(set(ids)) == len(ids)


# Routing --------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    "path",
    ["/no/such/route", "/", "/user_identities", "/user_identities/create/extra", "/user_identities/getx"],
)
def test_unknown_path_is_route_not_found(fake_seam: FakeSeam, transport: str, method: str, path: str) -> None:
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, method, path, body=b"{}" if method == "POST" else b"")
    assert_error(reply, 404, "route_not_found")  # type: ignore[arg-type]


def _documented_methods(path: str) -> set[str]:
    return {method.upper() for method in spec()["paths"][path]}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", CREATE),
        ("PUT", CREATE),
        ("PATCH", CREATE),
        ("DELETE", CREATE),
        ("PUT", GET),
        ("DELETE", GET),
        ("PATCH", GET),
    ],
)
def test_wrong_method_is_method_not_allowed(
    fake_seam: FakeSeam, transport: str, method: str, path: str
) -> None:
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, method, path, body=create_body(full_name="X"))
    assert_error(reply, 405, "method_not_allowed")  # type: ignore[arg-type]
    allowed = {m.strip() for m in reply.headers["allow"].split(",")}
    assert allowed == _documented_methods(path)
    assert method not in allowed


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_trailing_slash_is_tolerated(fake_seam: FakeSeam, transport: str) -> None:
    created = assert_ok(
        send(fake_seam, transport, "POST", CREATE + "/", body=create_body(user_identity_key="slash")), CREATE
    )
    fetched = assert_ok(
        send(fake_seam, transport, "GET", GET + "/", query="user_identity_key=slash"), GET, "get"
    )
    assert fetched["user_identity"] == created["user_identity"]


# Body -----------------------------------------------------------------------

BAD_BODIES = {
    "truncated object": b"{",
    "single quotes": b"{'full_name': 'x'}",
    "trailing comma": b'{"full_name": "x",}',
    "two objects": b"{} {}",
    "bare word": b"nul",
    "unquoted key": b"{full_name: 1}",
    "non utf-8 bytes": b"\xff\xfe{}",
    "latin-1 string": b'{"full_name": "Ren\xe9"}',
    "lone continuation byte": b"\x80",
    "json array": b"[]",
    "array of objects": b'[{"full_name": "x"}]',
    "json string": b'"full_name"',
    "json number": b"42",
    "json true": b"true",
    "json null": b"null",
    "deeply nested arrays": b"[" * 100_000,
    "deeply nested objects": b'{"a":' * 100_000,
    "deeply nested closed": b'{"full_name": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    "huge integer": b'{"full_name": ' + b"9" * 10_000 + b"}",
}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_body_is_invalid_input(fake_seam: FakeSeam, transport: str, case: str) -> None:
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, "POST", CREATE, body=BAD_BODIES[case])
    error = assert_error(reply, 400, "invalid_input")  # type: ignore[arg-type]
    assert "validation_errors" in error


@pytest.mark.parametrize(
    "case", ["json array", "non utf-8 bytes", "truncated object", "deeply nested arrays"]
)
def test_bad_body_on_get_route_via_post_is_invalid_input(fake_seam: FakeSeam, case: str) -> None:
    with unchanged(fake_seam):
        reply = send(fake_seam, "requests", "POST", GET, body=BAD_BODIES[case])
    assert_error(reply, 400, "invalid_input")  # type: ignore[arg-type]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("body", [b"", b"   ", b"\n\t \r\n"])
def test_empty_post_body_is_an_empty_object(fake_seam: FakeSeam, transport: str, body: bytes) -> None:
    created = assert_ok(send(fake_seam, transport, "POST", CREATE, body=body), CREATE)["user_identity"]
    for field in ("user_identity_key", "email_address", "phone_number", "full_name"):
        assert created[field] is None
    assert created["acs_user_ids"] == []
    # The same body on get means neither id nor key.
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, "POST", GET, body=body)
    error = assert_error(reply, 400, "invalid_input")  # type: ignore[arg-type]
    assert error["validation_errors"]["user_identity_id"]["_errors"]


WRONG_TYPES = {
    "user_identity_key": [1, True, [], {}, 1.5],
    "email_address": [5, False, ["a@example.test"], {"email": "a@example.test"}],
    "phone_number": [15555550100, ["+15555550100"], True],
    "full_name": [0, ["Jane"], {"first": "Jane"}],
    "acs_system_ids": ["not-a-list", str(uuid.UUID(int=1)), [1], [None], {"0": str(uuid.UUID(int=1))}, None],
}


@pytest.mark.parametrize("transport", ["requests", "handle"])
@pytest.mark.parametrize(
    ("param", "value"), [(param, value) for param, values in WRONG_TYPES.items() for value in values]
)
def test_wrong_type_is_invalid_input_naming_the_param(
    fake_seam: FakeSeam, transport: str, param: str, value: Any
) -> None:
    body = {"full_name": "Valid Name", param: value} if param != "full_name" else {param: value}
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, "POST", CREATE, body=json.dumps(body).encode())
    error = assert_error(reply, 400, "invalid_input")  # type: ignore[arg-type]
    assert error["validation_errors"][param]["_errors"], error
    others = set(error["validation_errors"]) - {"_errors", param}
    assert not others, error


def test_wrong_types_are_all_named_at_once(fake_seam: FakeSeam) -> None:
    body = {"user_identity_key": 1, "email_address": 2, "full_name": 3}
    with unchanged(fake_seam):
        reply = send(fake_seam, "requests", "POST", CREATE, body=json.dumps(body).encode())
    error = assert_error(reply, 400, "invalid_input")  # type: ignore[arg-type]
    for param in body:
        assert error["validation_errors"][param]["_errors"], error


def test_sdk_sees_wrong_type_as_invalid_input(fake_seam: FakeSeam, seam: Seam) -> None:
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as caught:
        seam.user_identities.create(full_name=123)  # type: ignore[arg-type]
    assert caught.value.status_code == 400
    assert caught.value.get_validation_error_messages("full_name")


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_unknown_body_parameters_are_ignored(fake_seam: FakeSeam, transport: str) -> None:
    chosen_id = str(uuid.uuid4())
    body = {
        "user_identity_key": "known",
        "bogus": {"nested": [1, 2]},
        "user_identity_id": chosen_id,
        "workspace_id": str(uuid.uuid4()),
        "created_at": "2000-01-01T00:00:00.000Z",
    }
    created = assert_ok(send(fake_seam, transport, "POST", CREATE, body=json.dumps(body).encode()), CREATE)
    identity = created["user_identity"]
    assert identity["user_identity_key"] == "known"
    assert identity["user_identity_id"] != chosen_id
    assert identity["workspace_id"] == fake_seam.workspace_id
    assert identity["created_at"] != body["created_at"]
    fetched = assert_ok(
        send(
            fake_seam,
            transport,
            "POST",
            GET,
            body=json.dumps({"user_identity_key": "known", "extra": True}).encode(),
        ),
        GET,
    )
    assert fetched["user_identity"] == identity


# Query ----------------------------------------------------------------------


@pytest.fixture
def known(fake_seam: FakeSeam) -> dict[str, Any]:
    reply = send(
        fake_seam,
        "requests",
        "POST",
        CREATE,
        body=create_body(user_identity_key="known key", full_name="Known"),
    )
    identity: dict[str, Any] = assert_ok(reply, CREATE)["user_identity"]
    return identity


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_query_as_the_sdk_serialises_it(fake_seam: FakeSeam, transport: str, known: dict[str, Any]) -> None:
    for params in (
        {"user_identity_key": known["user_identity_key"]},
        {"user_identity_id": known["user_identity_id"]},
    ):
        query = serialize_url_search_params(params)
        assert "_strict=true" in query
        fetched = assert_ok(send(fake_seam, transport, "GET", GET, query=query), GET, "get")
        assert fetched["user_identity"] == known


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("strict", ["_strict=true", "_strict=false", "_strict=", "_strict=true&_strict=true"])
def test_strict_flag_is_ignored(
    fake_seam: FakeSeam, transport: str, known: dict[str, Any], strict: str
) -> None:
    query = f"{strict}&{urlencode({'user_identity_id': known['user_identity_id']})}"
    fetched = assert_ok(send(fake_seam, transport, "GET", GET, query=query), GET, "get")
    assert fetched["user_identity"] == known


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_unknown_query_parameters_are_ignored(
    fake_seam: FakeSeam, transport: str, known: dict[str, Any]
) -> None:
    query = urlencode([("user_identity_key", known["user_identity_key"]), ("bogus", "1"), ("bogus", "2")])
    fetched = assert_ok(send(fake_seam, transport, "GET", GET, query=query), GET, "get")
    assert fetched["user_identity"] == known


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("param", ["user_identity_key", "user_identity_id"])
def test_scalar_given_twice_is_invalid_input(
    fake_seam: FakeSeam, transport: str, known: dict[str, Any], param: str
) -> None:
    value = known[param]
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, "GET", GET, query=urlencode([(param, value), (param, value)]))
    error = assert_error(reply, 400, "invalid_input")  # type: ignore[arg-type]
    assert error["validation_errors"][param]["_errors"], error


def _parse_sdk_query(params: list[Param], values: dict[str, Any]) -> dict[str, Any]:
    pairs = [(k, v) for k, v in parse_qsl(serialize_url_search_params(values), keep_blank_values=True)]
    return parse_query(params, [(k, v) for k, v in pairs if k != "_strict"])


def test_query_repeated_keys_make_an_array() -> None:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    params = [Param("acs_system_ids", "uuid_list")]
    assert _parse_sdk_query(params, {"acs_system_ids": ids}) == {"acs_system_ids": ids}
    assert _parse_sdk_query(params, {"acs_system_ids": ids[:1]}) == {"acs_system_ids": ids[:1]}
    assert _parse_sdk_query(params, {"acs_system_ids": []}) == {"acs_system_ids": []}
    assert _parse_sdk_query(params, {}) == {}


def test_query_array_items_are_validated() -> None:
    params = [Param("acs_system_ids", "uuid_list")]
    with pytest.raises(seam_fake.InvalidInput) as caught:
        _parse_sdk_query(params, {"acs_system_ids": [str(uuid.uuid4()), "nope"]})
    assert list(caught.value.problems) == ["acs_system_ids"]


def test_query_empty_value_is_null_for_nullable_param() -> None:
    nullable = [Param("full_name", nullable=True, min_length=1)]
    assert _parse_sdk_query(nullable, {"full_name": NULL}) == {"full_name": None}
    assert parse_query(nullable, [("full_name", "")]) == {"full_name": None}
    assert _parse_sdk_query(nullable, {"full_name": "Jane"}) == {"full_name": "Jane"}
    assert _parse_sdk_query(nullable, {}) == {}


def test_query_empty_value_for_non_nullable_param_is_not_null() -> None:
    required = [Param("full_name", min_length=1)]
    with pytest.raises(seam_fake.InvalidInput) as caught:
        parse_query(required, [("full_name", "")])
    assert list(caught.value.problems) == ["full_name"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_empty_id_in_query_is_invalid_input(
    fake_seam: FakeSeam, transport: str, known: dict[str, Any]
) -> None:
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, "GET", GET, query="user_identity_id=")
    error = assert_error(reply, 400, "invalid_input")  # type: ignore[arg-type]
    assert error["validation_errors"]["user_identity_id"]["_errors"], error


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_with_json_body_and_no_query_reads_the_body(
    fake_seam: FakeSeam, transport: str, known: dict[str, Any]
) -> None:
    body = json.dumps({"user_identity_id": known["user_identity_id"]}).encode()
    headers = {**auth(fake_seam), "Content-Type": "application/json"}
    fetched = assert_ok(send(fake_seam, transport, "GET", GET, headers=headers, body=body), GET, "get")
    assert fetched["user_identity"] == known


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_get_with_query_ignores_the_body(fake_seam: FakeSeam, transport: str, known: dict[str, Any]) -> None:
    body = json.dumps({"user_identity_key": "someone else"}).encode()
    query = urlencode({"user_identity_key": known["user_identity_key"]})
    fetched = assert_ok(send(fake_seam, transport, "GET", GET, query=query, body=body), GET, "get")
    assert fetched["user_identity"] == known


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("case", ["truncated object", "json array", "non utf-8 bytes"])
def test_get_with_bad_json_body_and_no_query_is_invalid_input(
    fake_seam: FakeSeam, transport: str, known: dict[str, Any], case: str
) -> None:
    with unchanged(fake_seam):
        reply = send(fake_seam, transport, "GET", GET, body=BAD_BODIES[case])
    assert_error(reply, 400, "invalid_input")  # type: ignore[arg-type]


# Fuzz -----------------------------------------------------------------------

ROUTE_CALLS = [
    ("POST", CREATE),
    ("POST", GET),
    ("GET", GET),
    ("POST", "/acs/users/list"),
    ("POST", "/acs/systems/get"),
]
PARAM_NAMES = [
    "user_identity_key",
    "email_address",
    "phone_number",
    "full_name",
    "acs_system_ids",
    "user_identity_id",
    "acs_system_id",
    "acs_user_id",
]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars
    | st.sampled_from(["+15555550100", "a@example.test", str(uuid.UUID(int=3)), "", "+1 555 555 0100"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(PARAM_NAMES) | st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
json_bodies = json_values | st.dictionaries(st.sampled_from(PARAM_NAMES), json_values, max_size=5)


def _assert_contract(reply: Reply, path: str, method: str) -> None:
    assert reply.status_code == 200 or 400 <= reply.status_code < 500, reply.text
    assert reply.headers["content-type"].startswith("application/json")
    request_id = reply.headers["seam-request-id"]
    body = reply.json()
    assert isinstance(body, dict)
    if reply.status_code == 200:
        assert body["ok"] is True
        assert_valid_response(path, body, method.lower())
    else:
        assert body["ok"] is False
        assert body["error"]["request_id"] == request_id
        assert isinstance(body["error"]["type"], str) and body["error"]["type"]
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(call=st.sampled_from(ROUTE_CALLS), body=st.binary(max_size=200))
def test_fuzz_binary_bodies(fake_seam: FakeSeam, call: tuple[str, str], body: bytes) -> None:
    method, path = call
    _assert_contract(send(fake_seam, "handle", method, path, body=body), path, method)


@FUZZ
@given(call=st.sampled_from(ROUTE_CALLS), value=json_bodies)
def test_fuzz_json_bodies(fake_seam: FakeSeam, call: tuple[str, str], value: Any) -> None:
    method, path = call
    _assert_contract(send(fake_seam, "handle", method, path, body=json.dumps(value).encode()), path, method)


@FUZZ
@given(
    path=st.sampled_from([GET, "/acs/users/list", "/acs/systems/get", "/acs/users/get"]),
    pairs=st.lists(
        st.tuples(st.sampled_from([*PARAM_NAMES, "_strict"]) | st.text(max_size=8), st.text(max_size=40))
    ),
)
def test_fuzz_query_strings(fake_seam: FakeSeam, path: str, pairs: list[tuple[str, str]]) -> None:
    _assert_contract(send(fake_seam, "handle", "GET", path, query=urlencode(pairs)), path, "get")


# Query strings as the standard library reads them ------------------------------


QUERY_TEXT = st.text(st.sampled_from("ab=&%+;2F_.~ é\u2603"), max_size=30)


@given(QUERY_TEXT)
@example("user_identity_id=0b8f&_strict=true")
@example("a&b=&=c&&d==e")
@example("key=a%20b&key=c+d")
def test_query_pairs_agree_with_parse_qsl(query: str) -> None:
    # Escaped bytes that are not UTF-8 are kept as lone surrogates (refused by string
    # parameters), where parse_qsl's default would put U+FFFD.
    assert query_pairs(query) == parse_qsl(query, keep_blank_values=True, errors="surrogateescape")


# invalid_input messages, worded as nextlove words them ---------------------------------------


def _invalid(fake: FakeSeam, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = fake.handle(Request("POST", path, "", auth(fake), json.dumps(body).encode()))
    assert response.status == 400, response.body
    error: dict[str, Any] = response.json()["error"]
    assert error["type"] == "invalid_input"
    return error


def test_a_missing_parameter_reads_is_required(fake_seam: FakeSeam) -> None:
    error = _invalid(fake_seam, "/acs/systems/get", {})
    assert error["message"] == "acs_system_id is required"
    # validation_errors keeps zod's own word, as format() does.
    assert error["validation_errors"]["acs_system_id"]["_errors"] == ["Required"]


def test_one_problem_reads_problem_for_parameter(fake_seam: FakeSeam) -> None:
    error = _invalid(fake_seam, "/acs/systems/get", {"acs_system_id": "x"})
    assert error["message"] == (
        "Expected a UUID such as 123e4567-e89b-12d3-a456-426614174000, received 'x' for \"acs_system_id\""
    )


def test_several_problems_read_n_input_errors(fake_seam: FakeSeam) -> None:
    error = _invalid(fake_seam, "/user_identities/create", {"full_name": "", "email_address": 5})
    assert error["message"] in (
        '2 Input Errors: Expected a string, received number for "email_address", '
        'Must contain at least 1 character(s) for "full_name"',
        '2 Input Errors: Must contain at least 1 character(s) for "full_name", '
        'Expected a string, received number for "email_address"',
    )


def test_a_problem_of_the_whole_request_reads_as_itself(fake_seam: FakeSeam) -> None:
    response = fake_seam.handle(Request("POST", "/user_identities/create", "", auth(fake_seam), b"[1]"))
    error = response.json()["error"]
    (general,) = error["validation_errors"]["_errors"]
    assert error["message"] == general
    assert " for " not in general
