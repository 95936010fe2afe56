"""``/instant_keys/*``: shareable links that open a person's mobile keys without an app."""

from __future__ import annotations

from ...model import sessions
from .. import render
from ..operation import DELETE, READ, Body, Context, Route
from ..params import Param


def get(ctx: Context, p: Body) -> Body:
    key = sessions.find_instant_key(
        ctx.workspace, instant_key_id=p.get("instant_key_id"), instant_key_url=p.get("instant_key_url")
    )
    return {"instant_key": render.instant_key(key)}


def list_(ctx: Context, p: Body) -> Body:
    keys = ctx.workspace.instant_keys.values()
    user_identity_id = p.get("user_identity_id")
    if user_identity_id is not None:
        keys = [k for k in keys if k.user_identity_id == user_identity_id]  # type: ignore[assignment]
    return {"instant_keys": [render.instant_key(k) for k in keys]}


def delete(ctx: Context, p: Body) -> Body:
    key = sessions.find_instant_key(ctx.workspace, instant_key_id=p["instant_key_id"])
    sessions.delete_instant_key(ctx.world.state, ctx.workspace, ctx.ids, ctx.now, key)
    return {}


ROUTES = (
    Route(
        "/instant_keys/get",
        READ,
        (
            Param("instant_key_id", "uuid", description="ID of the instant key."),
            Param("instant_key_url", description="Or its URL."),
        ),
        get,
        "Get an instant key by id or URL.",
        exactly_one_of=("instant_key_id", "instant_key_url"),
        mutates=False,
    ),
    Route(
        "/instant_keys/list",
        READ,
        (Param("user_identity_id", "uuid", description="Only this identity's instant keys."),),
        list_,
        "List instant keys, oldest first.",
        mutates=False,
    ),
    Route(
        "/instant_keys/delete",
        DELETE,
        (Param("instant_key_id", "uuid", required=True, description="ID of the instant key to delete."),),
        delete,
        "Delete an instant key and the client session behind it.",
        mutates=True,
    ),
)
