"""``/action_attempts/*``: how asynchronous actions (unlocks) went."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...model.errors import NotFound
from ...model.lookups import find_action_attempt
from ...model.records import ActionAttempt, newest_first
from .. import paging, render
from ..operation import READ, WITH_CLIENT_SESSION, Body, Context, Route
from ..params import Param

LIST_PATH = "/action_attempts/list"


def get(ctx: Context, p: Body) -> Body:
    attempt = find_action_attempt(ctx.workspace, p["action_attempt_id"])
    if not ctx.sees(attempt.user_identity_id):
        raise NotFound(
            "action_attempt_not_found",
            f"No action attempt with action_attempt_id {p['action_attempt_id']} here.",
        )
    return {"action_attempt": render.action_attempt(attempt)}


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    named = p.get("action_attempt_ids")

    def walk(below: paging.Below) -> Iterator[ActionAttempt]:
        candidates: Iterable[ActionAttempt]
        if p.get("device_id") is not None:
            # Entrance unlocks concern no device: a device filter matches none of them.
            candidates = ()
        elif named is not None:
            found = (ws.action_attempts[i] for i in dict.fromkeys(named) if i in ws.action_attempts)
            candidates = paging.newest_first_among(found, below)
        else:
            candidates = map(ws.action_attempts.__getitem__, newest_first(ws.action_attempt_order, below))
        return iter(candidates)

    attempts, pagination = paging.page(ctx, LIST_PATH, p, walk)
    return {"action_attempts": [render.action_attempt(a) for a in attempts], "pagination": pagination}


ROUTES = (
    Route(
        "/action_attempts/get",
        READ,
        (Param("action_attempt_id", "uuid", required=True, description="ID of the action attempt."),),
        get,
        "Get an action attempt.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        LIST_PATH,
        READ,
        (
            Param("action_attempt_ids", "uuid_list", description="Only these action attempts."),
            Param("device_id", "uuid", description="Only those of this device (entrance unlocks have none)."),
            *paging.params(created_before=False),
        ),
        list_,
        "List action attempts, newest first, in pages.",
        mutates=False,
    ),
)
