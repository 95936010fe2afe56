"""``/_fake/`` controls: seeding and simulation, as a second route table over the model.

Each control is declared once (path, methods, parameters, whether it changes
state) and run two ways: over HTTP, for clients that cannot call Python (a
browser, a Node service, curl against ``seam-fake serve``), acting on the
caller's workspace; and from Python, where ``FakeSeam``'s seeding helpers
call ``run`` with the workspace that holds what they name. Either way the
same parameters are validated and the same model functions do the work, so
each check and default exists once. Controls are not Seam's API and stay out
of ``routes.ROUTES``; they answer in Seam's envelope.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import access, acs, credentials, identities, issuance
from ..model.acs_types import ACCESS_METHODS, ACS_USER_WARNING_CODES
from ..model.errors import OUTAGE_STATUSES, ApiError, NotFound, clip, invalid, quote
from ..model.journal import put
from ..model.lookups import find_acs_system, find_acs_user, find_action_attempt, find_identity
from ..model.records import AcsCredential, Workspace
from ..model.snapshots import SnapshotError
from ..model.world import World, now_iso
from . import render
from .calls import CallLog
from .http import Request, authenticate, check_method, decode_body
from .params import Param, parse_json
from .routes import ROUTES

PREFIX = "/_fake/"
# What a simulated outage is unless the caller says otherwise.
DEFAULT_OUTAGE_STATUS = 503
DEFAULT_OUTAGE_TIMES = 1
DEFAULT_RETRY_AFTER = 1

Body = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ControlContext:
    """What a control acts on: the whole world, and the workspace it is run for."""

    world: World
    workspace: Workspace
    now: str
    # The fake's call log, for the controls that read it (None when run from Python).
    calls: CallLog | None = None


Action = Callable[[ControlContext, Body], Body]


@dataclass(frozen=True, slots=True)
class Control:
    path: str
    methods: frozenset[str]
    params: tuple[Param, ...]
    action: Action
    summary: str
    mutates: bool = True
    #: "workspace": acts on the caller's workspace only, with that workspace's credentials.
    #: "fake": acts on the whole fake (every workspace, or secrets of all), so only the
    #: admin token may run it.
    scope: str = "workspace"


def _reset(ctx: ControlContext, p: Body) -> Body:
    ctx.world.reset()
    if ctx.calls is not None:
        ctx.calls.clear()
    return {}


def _calls(ctx: ControlContext, p: Body) -> Body:
    found = ctx.calls.filter(workspace_id=ctx.workspace.workspace_id) if ctx.calls is not None else []
    return {"calls": [call.as_dict() for call in found]}


def _snapshot(ctx: ControlContext, p: Body) -> Body:
    return {"snapshot": ctx.world.snapshot()}


def _restore(ctx: ControlContext, p: Body) -> Body:
    try:
        ctx.world.restore(p["snapshot"])
    except SnapshotError as error:
        raise invalid("snapshot", f"{error}.") from None
    return {}


def _add_acs_system(ctx: ControlContext, p: Body) -> Body:
    system = acs.add_system(
        ctx.workspace,
        ctx.world.ids,
        ctx.now,
        name=p["name"],
        external_type=p.get("external_type", acs.DEFAULT_EXTERNAL_TYPE),
        time_zone=p.get("time_zone", acs.DEFAULT_TIME_ZONE),
        connected_account_id=p.get("connected_account_id"),
    )
    return {"acs_system": render.acs_system(ctx.workspace, system)}


def _add_acs_user(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    system = find_acs_system(ws, p["acs_system_id"])
    is_managed = p.get("is_managed", True)
    user = acs.new_user(
        ws,
        ctx.world.ids,
        ctx.now,
        system,
        p["full_name"],
        p.get("email_address"),
        p.get("phone_number"),
        is_managed=is_managed,
    )
    return {"acs_user": render.acs_user(ws, user, ctx.now, is_managed=is_managed)}


def _add_unmanaged_user_identity(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    identity = identities.add_unmanaged(
        ws,
        ctx.world.ids,
        ctx.now,
        email_address=p.get("email_address"),
        phone_number=p.get("phone_number"),
        full_name=p.get("full_name"),
    )
    return {"user_identity": render.unmanaged_user_identity(ws, identity)}


def _add_unmanaged_acs_credential(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    credential = credentials.new_unmanaged_credential(
        ws, ctx.world.ids, ctx.now, p["acs_user_id"], p["access_method"], p.get("code")
    )
    return {"acs_credential": render.acs_credential(ws, credential, is_managed=False)}


def _add_acs_entrance(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    entrance = access.add_entrance(
        ws,
        ctx.world.ids,
        ctx.now,
        find_acs_system(ws, p["acs_system_id"]),
        display_name=p["display_name"],
        can_unlock_with=p.get("can_unlock_with"),
    )
    return {"acs_entrance": render.acs_entrance(ws, entrance)}


def _add_acs_access_group(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    is_managed = p.get("is_managed", True)
    group = access.add_access_group(
        ws,
        ctx.world.ids,
        ctx.now,
        find_acs_system(ws, p["acs_system_id"]),
        name=p["name"],
        acs_entrance_ids=p.get("acs_entrance_ids", ()),
        access_schedule=p.get("access_schedule"),
        is_managed=is_managed,
    )
    return {"acs_access_group": render.acs_access_group(ws, group, is_managed=is_managed)}


def _simulate_acs_user_warning(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    user = find_acs_user(ws, p["acs_user_id"])
    acs.add_warning(user, p["warning_code"], p.get("message", acs.DEFAULT_ACS_USER_WARNING_MESSAGE), ctx.now)
    return {"acs_user": render.acs_user(ws, user, ctx.now)}


def _set_action_attempt_outcome(ctx: ControlContext, p: Body) -> Body:
    access.set_outcome(ctx.workspace, p["status"], p.get("error_type"), p.get("error_message"))
    return {}


def _update_action_attempt(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    attempt = find_action_attempt(ws, p["action_attempt_id"])
    error = p.get("error") or {}
    if p["status"] != "error" and error:
        raise invalid("error", "An error goes with status error only.")
    access.settle_attempt(
        ws, ctx.world.ids, ctx.now, attempt, p["status"], error.get("type"), error.get("message")
    )
    return {"action_attempt": render.action_attempt(attempt)}


def _set_credential_issuance(ctx: ControlContext, p: Body) -> Body:
    issuance.set_issuance(ctx.workspace, ctx.world.ids, ctx.now, p["mode"])
    return {}


def _credential(ctx: ControlContext, p: Body) -> AcsCredential:
    credential = ctx.workspace.acs_credentials.get(p["acs_credential_id"])
    if credential is None:
        raise NotFound(
            "acs_credential_not_found", f"No credential with acs_credential_id {p['acs_credential_id']} here."
        )
    return credential


def _issue_credential(ctx: ControlContext, p: Body) -> Body:
    credential = _credential(ctx, p)
    issuance.issue(ctx.workspace, ctx.world.ids, ctx.now, credential)
    return {"acs_credential": render.acs_credential(ctx.workspace, credential)}


def _fail_credential_issuance(ctx: ControlContext, p: Body) -> Body:
    credential = _credential(ctx, p)
    issuance.fail_issuance(
        credential,
        p.get("error_code", issuance.DEFAULT_ISSUE_ERROR),
        p.get("message", issuance.DEFAULT_ISSUE_ERROR_MESSAGE),
        ctx.now,
    )
    return {"acs_credential": render.acs_credential(ctx.workspace, credential)}


def _simulate_acs_user_error(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    user = find_acs_user(ws, p["acs_user_id"])
    acs.add_error(
        user,
        p.get("error_code", acs.DEFAULT_ACS_USER_ERROR),
        p.get("message", acs.DEFAULT_ACS_USER_ERROR_MESSAGE),
        ctx.now,
    )
    return {"acs_user": render.acs_user(ws, user, ctx.now)}


def _simulate_user_identity_being_deleted(ctx: ControlContext, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    identities.mark_being_deleted(identity, ctx.now)
    return {"user_identity": render.user_identity(ws, identity)}


def _simulate_outage(ctx: ControlContext, p: Body) -> Body:
    route = p["route"].rstrip("/")
    if route not in ROUTES:
        raise invalid("route", f"No route {quote(p['route'])}; choose one of seam_fake.api.routes.ROUTES.")
    status = p.get("status", DEFAULT_OUTAGE_STATUS)
    if status not in OUTAGE_STATUSES:
        raise invalid("status", f"Must be one of {', '.join(map(str, sorted(OUTAGE_STATUSES)))}.")
    times = p.get("times", DEFAULT_OUTAGE_TIMES)
    retry_after = p.get("retry_after", DEFAULT_RETRY_AFTER)
    pending = ctx.world.outages.get(route, [])
    put(ctx.world.outages, route, [*pending, *[(status, retry_after)] * times])
    return {}


POST = frozenset({"POST"})
FAKE = "fake"

CONTROLS: dict[str, Control] = {
    control.path: control
    for control in (
        Control(PREFIX + "reset", POST, (), _reset, "Empty the fake, as `FakeSeam.reset()`.", scope=FAKE),
        Control(
            PREFIX + "snapshot",
            frozenset({"GET", "POST"}),
            (),
            _snapshot,
            "The whole state, as `snapshot()`.",
            mutates=False,
            scope=FAKE,
        ),
        Control(
            PREFIX + "calls",
            frozenset({"GET", "POST"}),
            (),
            _calls,
            "The calls the fake answered in the caller's workspace, oldest first, as `FakeSeam.calls`.",
            mutates=False,
        ),
        Control(
            PREFIX + "restore",
            POST,
            (Param("snapshot", "object", required=True, description="A snapshot, as `snapshot()` returns."),),
            _restore,
            'Replace the state with `{"snapshot": ...}`, as `restore()`.',
            scope=FAKE,
        ),
        Control(
            PREFIX + "add_acs_system",
            POST,
            (
                Param("name", required=True, min_length=1, description="Name of the ACS system."),
                Param(
                    "external_type",
                    min_length=1,
                    description=f"Kind of system (default {acs.DEFAULT_EXTERNAL_TYPE}).",
                ),
                Param(
                    "time_zone",
                    nullable=True,
                    description=f"IANA time zone of the system (default {acs.DEFAULT_TIME_ZONE}).",
                ),
                Param("connected_account_id", "uuid", nullable=True, description="Its connected account."),
            ),
            _add_acs_system,
            "Add an ACS system to the caller's workspace, as `add_acs_system()`.",
        ),
        Control(
            PREFIX + "add_acs_user",
            POST,
            (
                Param("acs_system_id", "uuid", required=True, description="The ACS system."),
                Param("full_name", required=True, min_length=1, description="Full name."),
                Param("email_address", "email", nullable=True, description="Email address."),
                Param("phone_number", "phone", nullable=True, description="E.164 phone number."),
                Param(
                    "is_managed",
                    "boolean",
                    description="false: a user Seam found on the system but does not manage.",
                ),
            ),
            _add_acs_user,
            "Add an unlinked ACS user (managed or not), as `add_acs_user()`.",
        ),
        Control(
            PREFIX + "add_unmanaged_user_identity",
            POST,
            (
                Param("email_address", "email", nullable=True, description="Email address."),
                Param("phone_number", "phone", nullable=True, description="E.164 phone number."),
                Param("full_name", nullable=True, min_length=1, description="Full name."),
            ),
            _add_unmanaged_user_identity,
            "Add an unmanaged user identity, as `add_user_identity(is_managed=False)`.",
        ),
        Control(
            PREFIX + "add_unmanaged_acs_credential",
            POST,
            (
                Param("acs_user_id", "uuid", required=True, description="Its ACS user (managed or not)."),
                Param("access_method", required=True, choices=ACCESS_METHODS, description="Access method."),
                Param("code", nullable=True, description="Its PIN, for a code."),
            ),
            _add_unmanaged_acs_credential,
            "Add an unmanaged credential, as `add_acs_credential(..., is_managed=False)`.",
        ),
        Control(
            PREFIX + "add_acs_entrance",
            POST,
            (
                Param("acs_system_id", "uuid", required=True, description="The ACS system."),
                Param("display_name", required=True, min_length=1, description="Its name."),
                Param(
                    "can_unlock_with",
                    "string_list",
                    choices=ACCESS_METHODS,
                    nullable=True,
                    description="The access methods that open it (default: all its system takes).",
                ),
            ),
            _add_acs_entrance,
            "Add an entrance to an ACS system, as `add_acs_entrance()`.",
        ),
        Control(
            PREFIX + "add_acs_access_group",
            POST,
            (
                Param(
                    "acs_system_id", "uuid", required=True, description="An ACS system with access groups."
                ),
                Param("name", required=True, min_length=1, description="Its name."),
                Param("acs_entrance_ids", "uuid_list", description="Entrances of the system it opens."),
                Param(
                    "access_schedule",
                    "object",
                    nullable=True,
                    fields=(
                        Param("starts_at", "datetime", description="When access starts (default: now)."),
                        Param("ends_at", "datetime", nullable=True, description="When it ends."),
                    ),
                    description="When the group gives access (none: always).",
                ),
                Param("is_managed", "boolean", description="false: a group Seam does not manage."),
            ),
            _add_acs_access_group,
            "Add an access group to an ACS system, as `add_acs_access_group()`.",
        ),
        Control(
            PREFIX + "simulate_acs_user_warning",
            POST,
            (
                Param("acs_user_id", "uuid", required=True, description="The ACS user."),
                Param(
                    "warning_code",
                    required=True,
                    choices=tuple(sorted(ACS_USER_WARNING_CODES)),
                    description="One of the acs_user warning codes.",
                ),
                Param("message", min_length=1, description="The warning's message."),
            ),
            _simulate_acs_user_warning,
            "Give an ACS user a warning, as `simulate_acs_user_warning()`.",
        ),
        Control(
            PREFIX + "set_action_attempt_outcome",
            POST,
            (
                Param(
                    "status",
                    required=True,
                    choices=access.ACTION_ATTEMPT_STATUSES,
                    description="How the next action attempts end (default success).",
                ),
                Param("error_type", min_length=1, description="With error: the error's type."),
                Param("error_message", min_length=1, description="With error: its message."),
            ),
            _set_action_attempt_outcome,
            "Choose how the next unlocks end, as `set_action_attempt_outcome()`.",
        ),
        Control(
            PREFIX + "update_action_attempt",
            frozenset({"POST", "PATCH"}),
            (
                Param("action_attempt_id", "uuid", required=True, description="The action attempt."),
                Param(
                    "status", required=True, choices=access.ACTION_ATTEMPT_STATUSES, description="Its status."
                ),
                Param(
                    "error",
                    "object",
                    nullable=True,
                    fields=(
                        Param("type", required=True, min_length=1, description="The error's type."),
                        Param("message", required=True, min_length=1, description="Its message."),
                    ),
                    description="With error: `{type, message}`.",
                ),
            ),
            _update_action_attempt,
            "Settle (or reopen) an action attempt, as the official fake's control of the same name "
            "and `update_action_attempt()`.",
        ),
        Control(
            PREFIX + "set_credential_issuance",
            POST,
            (
                Param(
                    "mode",
                    required=True,
                    choices=issuance.ISSUANCE_MODES,
                    description="automatic (as Seam issues) or manual (credentials wait for the test).",
                ),
            ),
            _set_credential_issuance,
            "Hold credential issuance back (manual) or let it happen as Seam's does (automatic), "
            "as `set_credential_issuance()`.",
        ),
        Control(
            PREFIX + "issue_credential",
            POST,
            (Param("acs_credential_id", "uuid", required=True, description="The credential."),),
            _issue_credential,
            "Complete a credential's issuance now (a mobile key to each phone), as `issue_credential()`.",
        ),
        Control(
            PREFIX + "fail_credential_issuance",
            POST,
            (
                Param("acs_credential_id", "uuid", required=True, description="The credential."),
                Param(
                    "error_code",
                    min_length=1,
                    description=f"A snake_case code (default {issuance.DEFAULT_ISSUE_ERROR}).",
                ),
                Param("message", min_length=1, description="The error's message."),
            ),
            _fail_credential_issuance,
            "Make a credential's issuance fail with an error, as `fail_credential_issuance()`.",
        ),
        Control(
            PREFIX + "simulate_acs_user_error",
            POST,
            (
                Param("acs_user_id", "uuid", required=True, description="The ACS user."),
                Param(
                    "error_code",
                    min_length=1,
                    description=f"One of the acs_user error codes (default {acs.DEFAULT_ACS_USER_ERROR}).",
                ),
                Param("message", min_length=1, description="The error's message."),
            ),
            _simulate_acs_user_error,
            "Give an ACS user an error, as `simulate_acs_user_error()`.",
        ),
        Control(
            PREFIX + "simulate_user_identity_being_deleted",
            POST,
            (Param("user_identity_id", "uuid", required=True, description="The user identity."),),
            _simulate_user_identity_being_deleted,
            "Show an identity's `being_deleted` warning, as `simulate_user_identity_being_deleted()`.",
        ),
        Control(
            PREFIX + "simulate_outage",
            POST,
            (
                Param(
                    "route",
                    required=True,
                    min_length=1,
                    description="A Seam route, such as /user_identities/get.",
                ),
                Param("status", "integer", description="503 (default) or 429."),
                Param(
                    "times",
                    "integer",
                    minimum=1,
                    description=f"How many calls fail (default {DEFAULT_OUTAGE_TIMES}).",
                ),
                Param(
                    "retry_after",
                    "integer",
                    minimum=0,
                    description=f"Seconds in Retry-After (default {DEFAULT_RETRY_AFTER}).",
                ),
            ),
            _simulate_outage,
            "Make the next calls to a route fail, as `simulate_outage()`.",
            # A route fails whoever calls it, as in a real outage: every workspace's calls.
            scope=FAKE,
        ),
    )
}


def run(world: World, path: str, workspace: Workspace, values: Body) -> Body:
    """Run a control from Python for ``workspace``: the same validation and action as over HTTP."""
    control = CONTROLS[path]
    return control.action(ControlContext(world, workspace, now_iso()), parse_json(control.params, values))


def perform(world: World, request: Request, calls: CallLog | None = None) -> tuple[Body, bool]:
    """A request under ``/_fake/``: the control's answer and whether it changes state.
    Raises ``ApiError`` for a request the control refuses."""
    control, workspace = resolve(world, request)
    body = {} if request.method == "GET" else decode_body(request.body)
    params = parse_json(control.params, body)
    ctx = ControlContext(world, workspace, now_iso(), calls)
    return control.action(ctx, params), control.mutates


def resolve(world: World, request: Request) -> tuple[Control, Workspace]:
    """The control a request names and the workspace it acts on, from its path, method
    and credentials alone (no body); raises ``ApiError`` for a request refused on those."""
    control = CONTROLS.get(request.path.rstrip("/"))
    if control is None:
        raise ApiError(
            "route_not_found", f"No control {clip(request.path)}; see seam_fake.api.controls.CONTROLS."
        )
    check_method(request, control.path, control.methods)
    return control, _workspace_of(world, request, control)


def _workspace_of(world: World, request: Request, control: Control) -> Workspace:
    """The workspace a control acts on, for a caller allowed to run it.

    The admin token runs any control, on the workspace its ``seam-workspace`` header
    names (the default one without). A workspace's own credentials run the controls
    scoped to it; a control that acts on the whole fake refuses them with 403.
    """
    if is_admin(world, request):
        named = {k.lower(): v for k, v in request.headers.items()}.get("seam-workspace") or None
        found = world.state.workspaces.get(named or world.workspace_id)
        if found is None:
            raise ApiError("unauthorized", f"No workspace {clip(named or '')} in this fake.")
        return found
    caller = authenticate(world.state, request)
    assert caller.workspace_id is not None
    if control.scope == FAKE:
        raise ApiError(
            "admin_token_required",
            f"{control.path} acts on the whole fake, every workspace included, so it takes the admin "
            "token (`Authorization: Bearer <admin token>`, printed by `seam-fake serve`, "
            "FakeSeam.admin_token), not a workspace's credentials.",
        )
    return world.state.workspaces[caller.workspace_id]


def is_admin(world: World, request: Request) -> bool:
    """Whether the request carries the fake's admin token (compared in constant time)."""
    for name, value in request.headers.items():
        if name.lower() == "authorization":
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "bearer" and hmac.compare_digest(
                token.strip().encode("utf-8", "surrogatepass"), world.admin_token.encode()
            ):
                return True
    return False
