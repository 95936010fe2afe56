"""``/workspaces/*``: the workspace an API key belongs to, or those a token reaches."""

from __future__ import annotations

from .. import render
from ..operation import PAT_WITHOUT_WORKSPACE, READ, WITH_CLIENT_SESSION, Body, Context, Route


def get(ctx: Context, p: Body) -> Body:
    return {"workspace": render.workspace(ctx.workspace)}


def list_(ctx: Context, p: Body) -> Body:
    reachable = ctx.reachable
    return {
        "workspaces": [
            render.workspace(ws)
            for ws in ctx.world.state.workspaces.values()
            if reachable is None or ws.workspace_id in reachable
        ]
    }


ROUTES = (
    Route(
        "/workspaces/get",
        READ,
        (),
        get,
        "Get the workspace the request acts on.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/workspaces/list",
        READ,
        (),
        list_,
        "List the workspaces the API key or personal access token reaches.",
        credentials=WITH_CLIENT_SESSION | {PAT_WITHOUT_WORKSPACE},
        mutates=False,
    ),
)
