"""One answer per request: ``dispatch(world, request, base_url) -> Response``.

Every transport ends here. A path under ``/_fake/`` goes to the controls; any
other meets a pending simulated outage first, then the route table: routing,
authentication, parameters, the operation, and Seam's envelope around its
result or its error.

A request is one transaction: it is applied, then persisted (when the fake
keeps a state file), then acknowledged, or not at all. Any refusal, any failure
to persist and any unexpected exception undoes everything the request changed
(``model.journal``) before the answer is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from ..model import journal
from ..model.errors import ApiError, clip
from ..model.records import Workspace
from ..model.world import World, now_iso
from ..reference import openapi
from . import controls
from .calls import Call, CallLog
from .http import (
    Caller,
    Request,
    Response,
    authenticate,
    check_method,
    error_response,
    json_response,
    outage_response,
    parse_body,
    parse_params,
)
from .operation import Context, Route
from .routes import ROUTES

LOG = logging.getLogger("seam_fake")

#: Saves the state after a change and before it is acknowledged; raises ``ApiError``
#: (``state_not_saved``) when it cannot, and the change is then undone.
Persist = Callable[[], None]


class _Seen:
    """What a request revealed before it was answered: its workspace, for the call log."""

    __slots__ = ("workspace_id",)

    def __init__(self) -> None:
        self.workspace_id: str | None = None


def dispatch(
    world: World,
    request: Request,
    base_url: str,
    *,
    log: CallLog | None = None,
    strict: bool = False,
    persist: Persist | None = None,
) -> Response:
    """Answer one request against ``world``. Never raises for anything the client sent,
    nor for a failure of the fake's own: that is a 500 ``internal_server_error``.

    ``base_url`` is where clients reach the fake, for URLs in responses. A
    success that changed state is passed to ``persist`` before it is answered, and
    moves ``world.generation`` on. Every request but the ``/_fake/`` controls goes
    into ``log``. ``strict`` refuses parameters the route does not declare (Seam
    ignores them).
    """
    request_id = world.ids.uuid()
    path = request.path.rstrip("/") or "/"
    is_control = path.startswith(controls.PREFIX)
    faults = None if is_control else world.outages.get(path)
    seen = _Seen()
    if faults:
        status, retry_after = faults.pop(0)
        if not faults:
            del world.outages[path]
        response = outage_response(request_id, status, retry_after)
    else:
        response = _transaction(world, request, request_id, base_url, strict, persist, log, seen)
    if log is not None and not is_control:
        log.record(Call(request, response, path, seen.workspace_id))
    return response


def _transaction(
    world: World,
    request: Request,
    request_id: str,
    base_url: str,
    strict: bool,
    persist: Persist | None,
    log: CallLog | None,
    seen: _Seen,
) -> Response:
    """Apply, render, persist, acknowledge; on any failure undo and answer the error."""
    try:
        with journal.transaction():
            if request.path.startswith(controls.PREFIX):
                body, mutated = controls.perform(world, request, log)
            else:
                body, mutated = _perform_route(world, request, base_url, strict, seen)
            # Rendered before it is persisted: an answer that cannot be written is a
            # failure, and nothing the client never saw acknowledged may be kept.
            response = json_response(200, request_id, {**body, "ok": True})
            # Also a change the route did not declare: once acknowledged it must be on disk
            # (the state file appends what changed, so nothing may change unseen).
            if persist is not None and (mutated or journal.changed()):
                persist()
    except ApiError as error:
        return error_response(request_id, error)
    except Exception as error:
        # The last resort: a bug. Logged once, with its traceback, on the fake's side only.
        LOG.exception(
            "seam-fake: internal error answering %s %s (request %s)",
            clip(request.method),
            clip(request.path),
            request_id,
        )
        return error_response(
            request_id,
            ApiError(
                "internal_server_error",
                f"seam-fake failed answering {clip(request.method)} {clip(request.path)} "
                f"({type(error).__name__}: {clip(str(error))}); nothing the request did was kept. "
                f"The traceback is logged under request {request_id}; please report it.",
            ),
        )
    if mutated:
        world.generation += 1
    return response


def refused_before_body(world: World, request: Request) -> ApiError | None:
    """The error a request gets whatever its body would hold: no such route or control,
    a method it does not take, credentials it may not use; None if its body decides.
    The same checks, in the same order, as answering it (routing, then credentials)."""
    try:
        if request.path.startswith(controls.PREFIX):
            controls.resolve(world, request)
        else:
            _route_and_caller(world, request, now_iso())
    except ApiError as error:
        return error
    return None


def call(world: World, workspace: Workspace, path: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Run a Seam route in process, as the workspace's API key would over HTTP but with no
    HTTP: the same parameter checks and the same operation, raising the error it would
    answer (``ApiError``, a ``ValueError``). Python seeding helpers that mirror a Seam
    route go through here."""
    route = ROUTES[path]
    ctx = Context(world, workspace, now_iso(), reachable=frozenset({workspace.workspace_id}))
    return route.operation(ctx, parse_body(route, params))


@cache
def seam_paths() -> frozenset[str]:
    """Every path of Seam's reference (read once, at the first unknown path)."""
    return frozenset(openapi()["paths"])


def find_route(request: Request) -> Route:
    """The route for the request's path and method; 404 ``route_not_simulated`` for a
    route of Seam's the fake does not simulate, ``route_not_found`` for any other
    path, 405 for a method the route does not take."""
    path = request.path.rstrip("/") or "/"
    route = ROUTES.get(path)
    if route is None:
        if path in seam_paths():
            raise ApiError(
                "route_not_simulated",
                f"{path} is a route of Seam's API that seam-fake does not simulate; the routes it "
                "does are listed in seam_fake.api.routes.ROUTES and on the Endpoints page of its docs.",
            )
        raise ApiError(
            "route_not_found", f"No route {clip(path)} in Seam's API (called with {clip(request.method)})."
        )
    check_method(request, route.path, route.methods)
    return route


def _route_and_caller(world: World, request: Request, now: str) -> tuple[Route, Caller]:
    """The route a request names and who sends it: routing, then credentials."""
    route = find_route(request)
    return route, authenticate(world.state, request, route.credentials, route.path, now)


def _perform_route(
    world: World, request: Request, base_url: str, strict: bool, seen: _Seen
) -> tuple[dict[str, Any], bool]:
    """The route's answer to a request and whether it changes state; raises ``ApiError``."""
    now = now_iso()
    route, caller = _route_and_caller(world, request, now)
    seen.workspace_id = caller.workspace_id
    params = parse_params(route, request, strict)
    workspace = world.state.workspaces[caller.workspace_id] if caller.workspace_id is not None else None
    ctx = Context(world, workspace, now, base_url, caller.reachable, caller.client_session, request.method)
    return route.operation(ctx, params), route.mutates
