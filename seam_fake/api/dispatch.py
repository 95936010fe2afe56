"""One answer per request: ``dispatch(world, request, base_url) -> Response``.

Every transport ends here. A path under ``/_fake/`` goes to the controls; any
other meets a pending simulated outage first, then the route table: routing,
authentication, parameters, the operation, and Seam's envelope around its
result or its error.
"""

from __future__ import annotations

from typing import Any

from ..model.errors import ApiError
from ..model.world import World, now_iso
from . import controls
from .http import (
    Request,
    Response,
    authenticate,
    check_method,
    error_response,
    json_response,
    outage_response,
    parse_params,
)
from .operation import Context, Route
from .routes import ROUTES


def dispatch(world: World, request: Request, base_url: str) -> Response:
    """Answer one request against ``world``. Never raises for anything the client sent.

    ``base_url`` is where clients reach the fake, for URLs in responses. A
    success that changed state moves ``world.generation`` on.
    """
    request_id = world.ids.uuid()
    path = request.path.rstrip("/") or "/"
    if path.startswith(controls.PREFIX):
        response, mutated = controls.answer(world, request, request_id)
    else:
        faults = world.outages.get(path)
        if faults:
            status, retry_after = faults.pop(0)
            if not faults:
                del world.outages[path]
            return outage_response(request_id, status, retry_after)
        response, mutated = _answer_route(world, request, request_id, base_url)
    if mutated:
        world.generation += 1
    return response


def find_route(request: Request) -> Route:
    """The route for the request's path and method, or 404 / 405."""
    route = ROUTES.get(request.path.rstrip("/") or "/")
    if route is None:
        raise ApiError("route_not_found", f"No route {request.method} {request.path}.")
    check_method(request, route.path, route.methods)
    return route


def _answer_route(world: World, request: Request, request_id: str, base_url: str) -> tuple[Response, bool]:
    try:
        route = find_route(request)
        caller = authenticate(world.state, request, route.needs_workspace)
        params = parse_params(route, request)
        workspace = world.state.workspaces[caller.workspace_id] if caller.workspace_id is not None else None
        ctx = Context(world, workspace, now_iso(), base_url, caller.reachable)
        body: dict[str, Any] = route.operation(ctx, params)
    except ApiError as error:
        return error_response(request_id, error), False
    body["ok"] = True
    return json_response(200, request_id, body), route.mutates
