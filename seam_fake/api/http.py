"""The pieces of Seam's HTTP contract, free of any transport: requests and responses,
authentication, body and query parsing, and the error envelope.

``dispatch`` puts them together into one answer per request, for every
transport (httpx, requests, the HTTP server).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from ..model import sessions
from ..model.errors import OUTAGE_STATUSES, ApiError, InvalidInput, clip
from ..model.records import ClientSession, State
from .operation import API_KEY, CLIENT_SESSION, DEFAULT_CREDENTIALS, PAT, PAT_WITHOUT_WORKSPACE, Route
from .params import parse_json, parse_query, require_exactly_one

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Added by the seam SDKs to every query string; carries no parameter.
IGNORED_QUERY_KEYS = frozenset({"_strict"})
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Request:
    """A request as any transport sees it. Header names may be in any case."""

    method: str
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def _unauthorized(message: str) -> ApiError:
    return ApiError("unauthorized", message)


_KIND_NAMES = {
    API_KEY: "an API key",
    PAT: "a personal access token with `seam-workspace`",
    PAT_WITHOUT_WORKSPACE: "a personal access token",
    CLIENT_SESSION: "a client session token",
}


@dataclass(frozen=True, slots=True)
class Caller:
    """Who sent a request: the workspace it acts on (None only for a personal access
    token without ``seam-workspace`` on a route that needs none), the workspaces its
    credential reaches (None: every workspace), and the client session whose token it
    sent, if it sent one (then it sees only that session's identities' objects)."""

    workspace_id: str | None
    reachable: frozenset[str] | None
    client_session: ClientSession | None = None


def _refuse_kind(path: str, sent: str, accepted: frozenset[str]) -> ApiError:
    names = [
        _KIND_NAMES[kind]
        for kind in (API_KEY, PAT, PAT_WITHOUT_WORKSPACE, CLIENT_SESSION)
        if kind in accepted
    ]
    return _unauthorized(f"{path} does not accept {_KIND_NAMES[sent]}; it accepts {' or '.join(names)}.")


def _token(headers: dict[str, str]) -> str:
    """The token a request authenticates with. A client session token may come in the
    ``client-session-token`` header the JavaScript SDK sends beside ``Authorization``,
    which then wins, as in the official fake (``with-client-session.ts``)."""
    for name in ("seam-client-session-token", "client-session-token"):
        value = headers.get(name, "").strip()
        if value:
            if not value.startswith("seam_cst"):
                raise ApiError(
                    "invalid_client_session_token",
                    f"The {name} header holds no client session token (they start with seam_cst).",
                )
            return value
    authorization = headers.get("authorization")
    if not authorization:
        raise _unauthorized("Missing Authorization header: send `Authorization: Bearer <api key>`.")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized("Malformed Authorization header: expected `Bearer <token>`.")
    return token


def authenticate(
    state: State,
    request: Request,
    accepted: frozenset[str] = DEFAULT_CREDENTIALS,
    path: str = "",
    now: str = "",
) -> Caller:
    """Who the request comes from, or 401: ``unauthorized`` for a missing, unknown or
    unaccepted credential, ``client_session_*`` for a client session token that no
    longer works (the official fake's types)."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    token = _token(headers)
    path = path or request.path
    requested = headers.get("seam-workspace") or None
    if token.startswith("seam_at"):
        if token not in state.personal_access_tokens:
            raise _unauthorized("Unknown personal access token.")
        allowed = state.personal_access_tokens[token]
        if requested is None:
            if PAT_WITHOUT_WORKSPACE in accepted:
                return Caller(None, allowed)
            raise _unauthorized(
                "A personal access token needs a `seam-workspace` header naming the workspace."
            )
        if PAT not in accepted:
            raise _refuse_kind(path, PAT, accepted)
        if requested not in state.workspaces or (allowed is not None and requested not in allowed):
            raise _unauthorized(f"This personal access token has no access to workspace {clip(requested)}.")
        return Caller(requested, allowed)
    if token.startswith("seam_cst"):
        if CLIENT_SESSION not in accepted:
            raise _refuse_kind(path, CLIENT_SESSION, accepted)
        return _client_session_caller(state, token, requested, now)
    for prefix, kind in (("seam_pk", "A publishable key"), ("ey", "A JWT")):
        if token.startswith(prefix):
            raise _unauthorized(
                f"{kind} cannot be used with seam-fake: use an API key, a personal access token "
                "or a client session token."
            )
    if API_KEY not in accepted:
        raise _refuse_kind(path, API_KEY, accepted)
    workspace_id = state.api_keys.get(token)
    if workspace_id is None:
        raise _unauthorized("Unknown API key.")
    if requested is not None and requested != workspace_id:
        raise _unauthorized(f"This API key belongs to workspace {workspace_id}, not {clip(requested)}.")
    return Caller(workspace_id, frozenset({workspace_id}))


def _client_session_caller(state: State, token: str, requested: str | None, now: str) -> Caller:
    found = state.client_session_tokens.get(token)
    if found is None:
        raise _unauthorized("Unknown client session token.")
    workspace_id, session_id = found
    session = state.workspaces[workspace_id].client_sessions[session_id]
    problem = sessions.problem_with(session, now)
    if problem is not None:
        raise problem
    if requested is not None and requested != workspace_id:
        raise _unauthorized(
            f"This client session belongs to workspace {workspace_id}, not {clip(requested)}."
        )
    return Caller(workspace_id, frozenset({workspace_id}), session)


def decode_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        decoded = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput({}, ["The request body is not valid UTF-8."]) from None
    except (ValueError, RecursionError):
        raise InvalidInput({}, ["The request body is not valid JSON."]) from None
    if not isinstance(decoded, dict):
        raise InvalidInput({}, ["The request body must be a JSON object."])
    return decoded


def query_pairs(query: str) -> list[tuple[str, str]]:
    """``parse_qsl(query, keep_blank_values=True)``, faster where nothing is escaped.

    Every GET carries a query; most (ids, ``_strict=true``) need no unescaping.
    """
    if "%" in query or "+" in query:
        # Escaped bytes that are not UTF-8 become lone surrogates, which string
        # parameters refuse as the JSON body's are refused, not U+FFFD.
        return parse_qsl(query, keep_blank_values=True, errors="surrogateescape")
    pairs = []
    for item in query.split("&"):
        if item:
            name, _, value = item.partition("=")
            pairs.append((name, value))
    return pairs


def parse_params(route: Route, request: Request, strict: bool = False) -> dict[str, Any]:
    """Validated parameters from the JSON body or, for GET and DELETE, the query.

    A GET with no query parameters but a JSON body reads the body: Seam's own
    docs show ``curl -X GET`` with ``-d '{...}'``. ``strict`` refuses parameters the
    route does not declare, which Seam (and the fake by default) ignores.
    """
    pairs: list[tuple[str, str]] = []
    if request.method not in BODY_METHODS:
        pairs = [(k, v) for k, v in query_pairs(request.query) if k not in IGNORED_QUERY_KEYS]
    body = decode_body(request.body) if (request.method in BODY_METHODS or not pairs) else {}
    if strict:
        _refuse_unknown(route, body.keys() | {key for key, _ in pairs})
    if not pairs:
        return parse_body(route, body)
    _refuse_unsupported(route, {key for key, _ in pairs})
    return _one_of(route, parse_query(route.params, pairs))


def parse_body(route: Route, body: Mapping[str, Any]) -> dict[str, Any]:
    """Validated parameters from a decoded JSON body (or the keywords of an in-process call)."""
    _refuse_unsupported(route, body.keys())
    return _one_of(route, parse_json(route.params, body))


def _refuse_unknown(route: Route, sent: Iterable[str]) -> None:
    known = {param.name for param in route.params} | set(route.unsupported)
    unknown = sorted(set(sent) - known)
    if unknown:
        message = (
            f"Not a parameter of {route.path}: Seam would ignore it; seam-fake's strict mode refuses it."
        )
        # A name is the client's: clipped like any value a message quotes.
        raise InvalidInput({clip(name): [message] for name in unknown})


def _refuse_unsupported(route: Route, sent: Iterable[str]) -> None:
    for name in route.unsupported:
        if name in sent:
            raise ApiError(
                "unsupported_by_seam_fake",
                f"seam-fake does not simulate `{name}` on {route.path} yet; leave it out.",
            )


def _one_of(route: Route, parsed: dict[str, Any]) -> dict[str, Any]:
    if route.exactly_one_of:
        require_exactly_one(parsed, route.exactly_one_of)
    return parsed


def check_method(request: Request, path: str, methods: frozenset[str]) -> None:
    """405 ``method_not_allowed``, listing ``methods``, unless the request uses one."""
    if request.method not in methods:
        allowed = sorted(methods)
        raise ApiError(
            "method_not_allowed",
            f"{path} does not accept {clip(request.method)}; use {', '.join(allowed)}.",
            allowed_methods=allowed,
        )


def json_response(status: int, request_id: str, body: dict[str, Any]) -> Response:
    headers = {"content-type": JSON_CONTENT_TYPE, "seam-request-id": request_id}
    return Response(status, headers, json.dumps(body).encode())


#: The most an error answer may weigh, whatever the request held: messages quote at
#: most ``CLIP`` characters of a value, and an error about many parameters lists the
#: first ones that fit.
MAX_ERROR_BYTES = 4096


def error_response(request_id: str, error: ApiError) -> Response:
    """Seam's error envelope for ``error``, at most ``MAX_ERROR_BYTES`` long."""
    fields = {"type": error.type, "message": error.message, "request_id": request_id, **error.extra}
    body = {"error": fields, "ok": False}
    response = json_response(error.status, request_id, body)
    if len(response.body) > MAX_ERROR_BYTES:
        response = json_response(error.status, request_id, {"error": _shortened(fields), "ok": False})
    if error.type == "method_not_allowed":
        response.headers["allow"] = ", ".join(error.extra["allowed_methods"])
    return response


def _within(value: object, size: int) -> bool:
    return len(json.dumps(value)) <= size


def _shortened(fields: dict[str, Any]) -> dict[str, Any]:
    """An error too long to answer whole (many parameters, each quoting a value): the
    message cut, and the problems of the first parameters that fit (sizes in bytes of
    JSON, which escapes non-ASCII characters to six)."""
    message = str(fields["message"])
    while not _within(message, 1000):
        message = message[: len(message) * 3 // 4]
    shortened = {**fields, "message": message + "... (cut: the whole error was too long to answer)"}
    problems = fields.get("validation_errors")
    if isinstance(problems, dict):
        kept: dict[str, Any] = {"_errors": []}
        left_out = 0
        for name, entry in problems.items():
            if name == "_errors":
                candidate = {**kept, "_errors": [m for m in entry if _within([*kept["_errors"], m], 2000)]}
            else:
                candidate = {**kept, name: entry}
            if _within(candidate, 2000):
                kept = candidate
            else:
                left_out += 1
        if left_out:
            kept["_errors"] = [
                *kept["_errors"],
                f"{left_out} more parameters failed validation.",
            ]
        shortened["validation_errors"] = kept
    return shortened


def outage_response(request_id: str, status: int, retry_after: int) -> Response:
    """The answer to a call that meets a simulated outage."""
    if status == 429:
        message = "Too many requests (simulated by seam-fake): retry after the Retry-After delay."
    else:
        message = "Seam is unavailable (an outage simulated by seam-fake): retry later."
    response = error_response(request_id, ApiError(OUTAGE_STATUSES[status], message))
    response.headers["retry-after"] = str(retry_after)
    return response
