"""Control endpoints under ``/_fake/``: ``FakeSeam``'s set-up and simulation API over HTTP.

For clients that cannot call Python (a browser, a Node service, curl against
``seam-fake serve``). Each control calls the public ``FakeSeam`` method of the
same name, so both ways behave alike. Controls need the same credentials as
Seam's routes and act on the caller's workspace; they answer in Seam's
envelope. They are not part of Seam's API and stay out of ``routes.ROUTES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .acs_types import ACS_TYPES, ACS_USER_ERROR_CODES
from .errors import ApiError, invalid
from .http import (
    OUTAGE_STATUSES,
    Request,
    Response,
    authenticate,
    check_method,
    decode_body,
    error_response,
    json_response,
)
from .params import Param, parse_json
from .routes.lookups import find_acs_system, find_acs_user
from .snapshots import SnapshotError
from .state import State

if TYPE_CHECKING:
    from .fake import FakeSeam

PREFIX = "/_fake/"

Body = dict[str, Any]
# (fake, state, the caller's workspace id, validated parameters, raw body) -> answer.
Action = Callable[["FakeSeam", State, str, Body, Body], Body]


@dataclass(frozen=True, slots=True)
class Control:
    path: str
    methods: frozenset[str]
    params: tuple[Param, ...]
    action: Action
    summary: str


def _reset(fake: FakeSeam, state: State, workspace_id: str, p: Body, body: Body) -> Body:
    fake.reset()
    return {}


def _snapshot(fake: FakeSeam, state: State, workspace_id: str, p: Body, body: Body) -> Body:
    return {"snapshot": fake.snapshot()}


def _restore(fake: FakeSeam, state: State, workspace_id: str, p: Body, body: Body) -> Body:
    snapshot = body.get("snapshot")
    if not isinstance(snapshot, dict):
        raise invalid("snapshot", "Send the snapshot to restore as a JSON object under `snapshot`.")
    try:
        fake.restore(snapshot)
    except SnapshotError as error:
        raise invalid("snapshot", f"{error}.") from None
    return {}


def _add_acs_system(fake: FakeSeam, state: State, workspace_id: str, p: Body, body: Body) -> Body:
    external_type = p.get("external_type", "salto_ks_site")
    if external_type not in ACS_TYPES:
        raise invalid("external_type", f"Must be one of {', '.join(sorted(ACS_TYPES))}.")
    system = fake.add_acs_system(
        p["name"],
        workspace_id=workspace_id,
        external_type=external_type,
        time_zone=p.get("time_zone", "America/Los_Angeles"),
        connected_account_id=p.get("connected_account_id"),
    )
    return {"acs_system": system}


def _add_acs_user(fake: FakeSeam, state: State, workspace_id: str, p: Body, body: Body) -> Body:
    # Only a system of the caller's workspace: the Python method would take any.
    find_acs_system(state.workspaces[workspace_id], p["acs_system_id"])
    user = fake.add_acs_user(
        p["acs_system_id"], p["full_name"], p.get("email_address"), p.get("phone_number")
    )
    return {"acs_user": user}


def _simulate_acs_user_error(fake: FakeSeam, state: State, workspace_id: str, p: Body, body: Body) -> Body:
    find_acs_user(state.workspaces[workspace_id], p["acs_user_id"])
    error_code = p.get("error_code", "failed_to_update_on_acs_system")
    if error_code not in ACS_USER_ERROR_CODES:
        raise invalid("error_code", f"Must be one of {', '.join(sorted(ACS_USER_ERROR_CODES))}.")
    extra = {"message": p["message"]} if "message" in p else {}
    return {"acs_user": fake.simulate_acs_user_error(p["acs_user_id"], error_code, **extra)}


def _simulate_outage(fake: FakeSeam, state: State, workspace_id: str, p: Body, body: Body) -> Body:
    status = p.get("status", 503)
    if status not in OUTAGE_STATUSES:
        raise invalid("status", f"Must be one of {', '.join(map(str, sorted(OUTAGE_STATUSES)))}.")
    try:
        fake.simulate_outage(p["route"], status, times=p.get("times", 1), retry_after=p.get("retry_after", 1))
    except ValueError as error:
        raise invalid("route", f"{error}.") from None
    return {}


_NAME = Param("name", required=True, min_length=1, description="Name of the ACS system.")

CONTROLS: dict[str, Control] = {
    control.path: control
    for control in (
        Control("/_fake/reset", frozenset({"POST"}), (), _reset, "Empty the fake, as `FakeSeam.reset()`."),
        Control(
            "/_fake/snapshot", frozenset({"GET", "POST"}), (), _snapshot, "The whole state, as `snapshot()`."
        ),
        Control(
            "/_fake/restore",
            frozenset({"POST"}),
            (),
            _restore,
            'Replace the state with `{"snapshot": ...}`, as `restore()`.',
        ),
        Control(
            "/_fake/add_acs_system",
            frozenset({"POST"}),
            (
                _NAME,
                Param("external_type", min_length=1, description="Kind of system (default salto_ks_site)."),
                Param("time_zone", nullable=True, description="IANA time zone of the system."),
                Param("connected_account_id", "uuid", nullable=True, description="Its connected account."),
            ),
            _add_acs_system,
            "Add an ACS system to the caller's workspace, as `add_acs_system()`.",
        ),
        Control(
            "/_fake/add_acs_user",
            frozenset({"POST"}),
            (
                Param("acs_system_id", "uuid", required=True, description="The ACS system."),
                Param("full_name", required=True, min_length=1, description="Full name."),
                Param("email_address", "email", nullable=True, description="Email address."),
                Param("phone_number", "phone", nullable=True, description="E.164 phone number."),
            ),
            _add_acs_user,
            "Add an unlinked ACS user, as `add_acs_user()`.",
        ),
        Control(
            "/_fake/simulate_acs_user_error",
            frozenset({"POST"}),
            (
                Param("acs_user_id", "uuid", required=True, description="The ACS user."),
                Param("error_code", min_length=1, description="One of the acs_user error codes."),
                Param("message", min_length=1, description="The error's message."),
            ),
            _simulate_acs_user_error,
            "Give an ACS user an error, as `simulate_acs_user_error()`.",
        ),
        Control(
            "/_fake/simulate_outage",
            frozenset({"POST"}),
            (
                Param(
                    "route",
                    required=True,
                    min_length=1,
                    description="A Seam route, such as /user_identities/get.",
                ),
                Param("status", "integer", description="503 (default) or 429."),
                Param("times", "integer", min_length=1, description="How many calls fail (default 1)."),
                Param("retry_after", "integer", description="Seconds in Retry-After (default 1)."),
            ),
            _simulate_outage,
            "Make the next calls to a route fail, as `simulate_outage()`.",
        ),
    )
}


def handle(fake: FakeSeam, state: State, request_id: str, request: Request) -> Response:
    """Answer a request under ``/_fake/``; the caller holds the fake's lock."""
    try:
        control = CONTROLS.get(request.path.rstrip("/"))
        if control is None:
            raise ApiError("route_not_found", f"No control {request.path}; see seam_fake.controls.CONTROLS.")
        check_method(request, control.path, control.methods)
        caller = authenticate(state, request)
        assert caller.workspace_id is not None
        body = _body(request)
        params = parse_json(control.params, body)
        answer = control.action(fake, state, caller.workspace_id, params, body)
    except ApiError as error:
        return error_response(request_id, error)
    return json_response(200, request_id, {**answer, "ok": True})


def _body(request: Request) -> Body:
    return {} if request.method == "GET" else decode_body(request.body)
