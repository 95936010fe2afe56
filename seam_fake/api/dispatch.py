"""One answer per request: ``dispatch(world, request, base_url) -> Response``.

Every transport ends here. A path under ``/_fake/`` goes to the controls; any
other meets a pending simulated outage first, then the route table: routing,
authentication, parameters, the operation, and Seam's envelope around its
result or its error.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ..model.errors import ApiError
from ..model.records import Workspace
from ..model.world import World, now_iso
from ..reference import openapi
from . import controls
from .calls import Call, CallLog
from .http import (
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


def dispatch(
    world: World, request: Request, base_url: str, *, log: CallLog | None = None, strict: bool = False
) -> Response:
    """Answer one request against ``world``. Never raises for anything the client sent.

    ``base_url`` is where clients reach the fake, for URLs in responses. A
    success that changed state moves ``world.generation`` on. Every request but the
    ``/_fake/`` controls goes into ``log``. ``strict`` refuses parameters the route
    does not declare (Seam ignores them).
    """
    request_id = world.ids.uuid()
    path = request.path.rstrip("/") or "/"
    if path.startswith(controls.PREFIX):
        response, mutated = controls.answer(world, request, request_id, log)
        if mutated:
            world.generation += 1
        return response
    faults = world.outages.get(path)
    workspace_id: str | None = None
    if faults:
        status, retry_after = faults.pop(0)
        if not faults:
            del world.outages[path]
        response, mutated = outage_response(request_id, status, retry_after), False
    else:
        response, mutated, workspace_id = _answer_route(world, request, request_id, base_url, strict)
    if mutated:
        world.generation += 1
    if log is not None:
        log.record(Call(request, response, path, workspace_id))
    return response


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
        raise ApiError("route_not_found", f"No route {path} in Seam's API (called with {request.method}).")
    check_method(request, route.path, route.methods)
    return route


def _answer_route(
    world: World, request: Request, request_id: str, base_url: str, strict: bool
) -> tuple[Response, bool, str | None]:
    workspace_id: str | None = None
    try:
        route = find_route(request)
        now = now_iso()
        caller = authenticate(world.state, request, route.credentials, route.path, now)
        workspace_id = caller.workspace_id
        params = parse_params(route, request, strict)
        workspace = world.state.workspaces[caller.workspace_id] if caller.workspace_id is not None else None
        ctx = Context(
            world, workspace, now, base_url, caller.reachable, caller.client_session, request.method
        )
        body: dict[str, Any] = route.operation(ctx, params)
    except ApiError as error:
        return error_response(request_id, error), False, workspace_id
    body["ok"] = True
    return json_response(200, request_id, body), route.mutates, workspace_id
