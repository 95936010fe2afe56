"""The error catalogue, and the exceptions that carry one of its errors.

Every error the fake can answer with is declared once in ``CATALOGUE``: its
type, the HTTP status Seam answers it with, and when it happens. The model's
rules raise ``ApiError`` (a ``ValueError``) with a type from the catalogue;
``NotFound`` is also a ``KeyError``, so Python callers of the seeding helpers
catch what they would expect. The API layer turns either into Seam's envelope.
Tests and docs read the same table, so the list cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Where an error type's name comes from, most trustworthy first: the API's own
#: framework (nextlove), Seam's official fake (@seamapi/fake-seam-connect, which its SDKs
#: test against), or seam-fake alone (no public source of Seam's gives the name).
NEXTLOVE = "nextlove"
OFFICIAL_FAKE = "official fake"
SEAM_FAKE = "seam-fake"


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    status: int
    when: str
    #: NEXTLOVE, OFFICIAL_FAKE or SEAM_FAKE.
    named_by: str = SEAM_FAKE
    #: The file of nextlove or the official fake that answers it (v1.86.0 for the fake).
    where: str = ""

    @property
    def source(self) -> str:
        """Where the name comes from, as the errors page says it."""
        if self.named_by == SEAM_FAKE:
            return "seam-fake's own"
        return f"{self.named_by} (`{self.where}`)"


CATALOGUE: dict[str, ErrorSpec] = {
    "invalid_input": ErrorSpec(
        400,
        "A parameter is missing, has the wrong type or fails validation, or the "
        "body is not a JSON object. `validation_errors` names each parameter.",
        named_by=NEXTLOVE,
        where="src/with-route-spec/middlewares/with-validation.ts",
    ),
    "unauthorized": ErrorSpec(
        401,
        "The Authorization header is missing, names no known API key, personal access token or "
        "client session token, sends a kind of credential the route does not accept, or a "
        "personal access token comes without a usable `seam-workspace` header.",
        named_by=OFFICIAL_FAKE,
        where="src/lib/middleware/with-api-key.ts",
    ),
    "route_not_found": ErrorSpec(404, "No route of Seam's API has this path."),
    "route_not_simulated": ErrorSpec(
        404, "The path is a route of Seam's API that seam-fake does not simulate (see the Endpoints page)."
    ),
    "unsupported_by_seam_fake": ErrorSpec(
        400,
        "The request sends a parameter Seam documents for this route but the fake does not "
        "simulate yet; answering as if it were absent would mislead the test.",
    ),
    "request_body_too_large": ErrorSpec(
        413, "Server mode only: the request body is over 1 MiB (over 256 MiB for `/_fake/restore`)."
    ),
    "request_timeout": ErrorSpec(
        408,
        "Server mode only: the client stalled before the request was complete (`request_timeout`, "
        "10 s), or had not sent all of it by the request deadline (`--request-deadline`, 30 s).",
    ),
    "malformed_request": ErrorSpec(
        400,
        "Server mode only: a request line or header the server cannot parse, or framing two "
        "servers could read differently (Content-Length values that disagree, Content-Length with "
        "Transfer-Encoding, a transfer coding other than plain `chunked`, a malformed chunked body, "
        "a body shorter than announced), or a credential header sent twice. The connection is closed.",
    ),
    "request_line_too_long": ErrorSpec(414, "Server mode only: the request line is over 65,536 bytes."),
    "request_headers_too_large": ErrorSpec(
        431, "Server mode only: a header line is over 65,536 bytes, or there are over 100 headers."
    ),
    "http_version_not_supported": ErrorSpec(
        505, "Server mode only: the request is not HTTP/1.0 or HTTP/1.1 (HTTP/2 and later, HTTP/0.9)."
    ),
    "mismatched_page_parameters": ErrorSpec(
        400,
        "A `page_cursor` is sent with other parameters (filters or `limit`, an absent limit being "
        "500) than the request that returned it.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/devices/list.ts",
    ),
    "too_many_requests": ErrorSpec(
        429, "A rate limit simulated with `simulate_outage(route, 429)`; carries `Retry-After`."
    ),
    "service_unavailable": ErrorSpec(
        503, "An outage simulated with `simulate_outage(route, 503)`; carries `Retry-After`."
    ),
    "method_not_allowed": ErrorSpec(
        405,
        "The route exists but not for this HTTP method.",
        named_by=NEXTLOVE,
        where="src/with-route-spec/middlewares/with-methods.ts",
    ),
    "admin_token_required": ErrorSpec(
        403,
        "A `/_fake/` control that acts on the whole fake (reset, snapshot, restore, "
        "simulate_outage) was called with a workspace's credentials instead of the admin token.",
    ),
    "internal_server_error": ErrorSpec(
        500,
        "seam-fake failed while answering (a bug: please report it). Nothing the request "
        "did is kept; the message names the exception, the traceback is logged.",
        named_by=NEXTLOVE,
        where="src/nextjs-exception-middleware/with-exception-handling.ts",
    ),
    "state_not_saved": ErrorSpec(
        503,
        "Server mode with `--state` only: the change could not be written to the state file "
        "(the message names the file and the system's error), so it was not made.",
    ),
    "user_identity_not_found": ErrorSpec(
        404,
        "No user identity with this id or key in the caller's workspace.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/acs/users/create.ts",
    ),
    "acs_system_not_found": ErrorSpec(
        404,
        "No ACS system with this id in the caller's workspace.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/acs/systems/get.ts",
    ),
    "acs_user_not_found": ErrorSpec(
        404,
        "No ACS user with this id in the caller's workspace.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/acs/users/get.ts",
    ),
    "acs_entrance_not_found": ErrorSpec(
        404,
        "No entrance with this id in the caller's workspace (for a client session: none its identities "
        "can open).",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/acs/entrances/get.ts",
    ),
    "acs_access_group_not_found": ErrorSpec(
        404,
        "No access group with this id in the caller's workspace.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/acs/users/add_to_access_group.ts",
    ),
    "action_attempt_not_found": ErrorSpec(
        404,
        "No action attempt with this id in the caller's workspace (for a client session: its identities').",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/action_attempts/get.ts",
    ),
    "not_supported": ErrorSpec(
        400,
        "`/acs/entrances/grant_access` on a system that gives access through access groups: add the ACS "
        "user to a group holding the entrance instead.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/acs/entrances/grant_access.ts",
    ),
    "acs_credential_not_found": ErrorSpec(
        404,
        "No credential with this id in the caller's workspace (or, for a client session, its identities').",
    ),
    "phone_not_found": ErrorSpec(
        404,
        "No phone with this `device_id` in the caller's workspace (for a client session: its identities').",
    ),
    "client_session_not_found": ErrorSpec(
        404,
        "No client session of the caller's workspace with this id or user_identifier_key.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/client_sessions/get.ts",
    ),
    "instant_key_not_found": ErrorSpec(404, "No instant key with this id or URL in the caller's workspace."),
    "event_not_found": ErrorSpec(
        404,
        "No event of the caller's workspace matches the parameters.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/events/get.ts",
    ),
    "invalid_client_session_token": ErrorSpec(
        400,
        "A `client-session-token` header holds something that is not a client session token.",
        named_by=OFFICIAL_FAKE,
        where="src/lib/middleware/with-client-session.ts",
    ),
    "client_session_revoked": ErrorSpec(
        401,
        "The client session token's session was revoked.",
        named_by=OFFICIAL_FAKE,
        where="src/lib/middleware/with-client-session.ts",
    ),
    "client_session_expired": ErrorSpec(
        401,
        "The client session token's session is past its `expires_at`.",
        named_by=OFFICIAL_FAKE,
        where="src/lib/middleware/with-client-session.ts",
    ),
    "client_session_token_already_exists": ErrorSpec(
        400,
        "A POST to `/client_sessions/create` (or `grant_access`) names a user_identifier_key another client "
        "session has.",
        named_by=OFFICIAL_FAKE,
        where="src/pages/api/client_sessions/create.ts",
    ),
    "user_identity_key_already_in_use": ErrorSpec(
        400, "Another user identity of the workspace has this `user_identity_key`."
    ),
    "email_address_already_in_use": ErrorSpec(
        400,
        "Another user identity of the workspace has this `email_address` (compared as `fold_email` does).",
    ),
    "phone_number_already_in_use": ErrorSpec(
        400, "Another user identity of the workspace has this `phone_number`."
    ),
    "acs_user_already_linked_to_user_identity": ErrorSpec(
        400,
        "The ACS user that would be linked already belongs to another user identity.",
    ),
    "user_identity_already_has_acs_user_on_acs_system": ErrorSpec(
        400,
        "Linking or creating the ACS user would give the user identity a second ACS user on one ACS system.",
    ),
    "acs_user_not_linked_to_user_identity": ErrorSpec(
        400, "`/user_identities/remove_acs_user` names an ACS user that is not linked to that identity."
    ),
}


# Statuses ``simulate_outage`` can inject, and the error type of each.
OUTAGE_STATUSES = {429: "too_many_requests", 503: "service_unavailable"}

#: At most this many characters of any value an error message quotes, so that an
#: error body stays small whatever the client sent.
CLIP = 200


def clip(text: str) -> str:
    """``text`` as an error message may quote it: cut to ``CLIP`` characters, saying so."""
    if len(text) <= CLIP:
        return text
    return f"{text[:CLIP]}... ({len(text) - CLIP} more characters)"


def quote(text: str | None) -> str:
    """``text`` quoted in an error message, as ``repr`` does, with at most ``CLIP`` characters of it."""
    if text is None or len(text) <= CLIP:
        return repr(text)
    return f"{text[:CLIP]!r}... ({len(text) - CLIP} more characters)"


class ApiError(ValueError):
    """One of the catalogue's errors: its type, a message a developer can act on, extras.

    ``extra`` holds fields that go into the envelope beside type and message,
    such as ``validation_errors``.
    """

    def __init__(self, type_: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.type = type_
        self.status = CATALOGUE[type_].status
        self.message = message
        self.extra = extra


class NotFound(ApiError, KeyError):
    """A ``*_not_found`` error; a ``KeyError`` too, as a failed look-up is in Python."""

    def __str__(self) -> str:
        # KeyError would quote the message as if it were a key.
        return self.message


class InvalidInput(ApiError):
    """400 ``invalid_input`` built from per-parameter messages.

    ``problems`` maps a parameter name to its messages, ``general`` holds problems
    of the request as a whole; the envelope's ``validation_errors`` takes the shape
    of zod's ``format()``, which the ``seam`` SDK reads:
    ``{"_errors": [...general], "<param>": {"_errors": [...]}}``. The top-level
    message is worded as nextlove words it (``with-validation.ts``,
    ``zodIssueToString``): one problem is ``<message> for "<param>"`` (``<param> is
    required`` for a missing one), several are ``<N> Input Errors: <one>, <two>``,
    so it names every parameter and is useful on its own.
    """

    def __init__(self, problems: dict[str, list[str]], general: list[str] | None = None) -> None:
        issues = [_issue(name, message) for name, messages in problems.items() for message in messages]
        issues.extend(general or [])
        validation_errors: dict[str, Any] = {"_errors": list(general or [])}
        for name, messages in problems.items():
            validation_errors[name] = {"_errors": list(messages)}
        message = issues[0] if len(issues) == 1 else f"{len(issues)} Input Errors: " + ", ".join(issues)
        super().__init__("invalid_input", message, validation_errors=validation_errors)
        self.problems = problems


#: zod's message for a missing parameter, which nextlove words ``<param> is required``.
REQUIRED = "Required"


def _issue(name: str, message: str) -> str:
    if message == REQUIRED:
        return f"{name} is required"
    # nextlove appends the parameter to zod's message, which has no closing full stop.
    return f'{message.removesuffix(".")} for "{name}"'


def invalid(param: str, message: str) -> InvalidInput:
    """Shorthand for an ``invalid_input`` error about one parameter."""
    return InvalidInput({param: [message]})
