"""``/events/*``: what happened in a workspace, oldest first, as Seam's webhooks report it."""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

from ...model.errors import NotFound, invalid
from ...model.records import Event
from ...reference import openapi
from .. import render
from ..operation import READ, WITH_CLIENT_SESSION, Body, Context, Route
from ..params import Param, parse_datetime, whole_number

DEFAULT_LIMIT = 500
# Filters that name one object, matched against the event's field of the same name.
ID_FILTERS = (
    "access_code_id",
    "access_grant_id",
    "access_method_id",
    "acs_access_group_id",
    "acs_credential_id",
    "acs_encoder_id",
    "acs_entrance_id",
    "acs_system_id",
    "acs_user_id",
    "connect_webview_id",
    "connected_account_id",
    "device_id",
    "space_id",
)
# Filters that name several, and the field each matches.
ID_LIST_FILTERS = {
    "access_code_ids": "access_code_id",
    "access_grant_ids": "access_grant_id",
    "access_method_ids": "access_method_id",
    "acs_system_ids": "acs_system_id",
    "device_ids": "device_id",
    "space_ids": "space_id",
    "event_ids": "event_id",
}


@cache
def event_types() -> frozenset[str]:
    """Every event type of Seam's reference (read once, when first needed)."""
    schema = openapi()["paths"]["/events/list"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    return frozenset(schema["properties"]["event_type"]["enum"])


def _check_types(name: str, values: list[str]) -> None:
    unknown = sorted(set(values) - event_types())
    if unknown:
        raise invalid(name, f"Not an event type of Seam's: {', '.join(map(repr, unknown))}.")


def _seen(ctx: Context, event: Event) -> bool:
    """A client session sees the events that concern one of its identities."""
    return ctx.scope is None or any(ctx.sees(identity_id) for identity_id in event.user_identity_ids)


def _field(event: Event, name: str) -> str | None:
    return event.event_id if name == "event_id" else event.fields.get(name)


def list_(ctx: Context, p: Body) -> Body:
    since, between = p.get("since"), p.get("between")
    if since is None and between is None:
        raise invalid("since", "Provide `since` or `between` (Seam requires one).")
    if since is not None and between is not None:
        raise invalid("since", "Provide `since` or `between`, not both.")
    if between is not None:
        lower, upper = between
    else:
        # After `since`: rounded down, as the first end of `between` is.
        lower, upper = parse_datetime("since", since, round_down=True), None
    types = [p["event_type"]] if p.get("event_type") is not None else []
    _check_types("event_type", types)
    types += p.get("event_types") or []
    _check_types("event_types", p.get("event_types") or [])
    limit = _whole(p, "limit", DEFAULT_LIMIT, 1)
    start = _whole(p, "unstable_offset", 0, 0)

    def wanted(event: Event) -> bool:
        # `since` and `between` exclude their ends, as in the official fake.
        if not (event.occurred_at > lower and (upper is None or event.occurred_at < upper)):
            return False
        if types and event.event_type not in types:
            return False
        if p.get("user_identity_id") is not None and p["user_identity_id"] not in event.user_identity_ids:
            return False
        if not _seen(ctx, event):
            return False
        if any(p.get(name) is not None and _field(event, name) != p[name] for name in ID_FILTERS):
            return False
        return not any(
            p.get(name) is not None and _field(event, field) not in p[name]
            for name, field in ID_LIST_FILTERS.items()
        )

    found = [event for event in ctx.workspace.events.values() if wanted(event)]
    return {"events": [render.event(event) for event in found[start : start + limit]]}


def _whole(p: Body, name: str, default: int, minimum: int) -> int:
    return min(whole_number(name, p.get(name, default), minimum), sys.maxsize)


def get(ctx: Context, p: Body) -> Body:
    named = {name: p[name] for name in ("event_id", "event_type", "device_id") if p.get(name) is not None}
    if not named:
        raise invalid("event_id", "Provide `event_id`, `event_type` or `device_id`.")
    if "event_type" in named:
        _check_types("event_type", [named["event_type"]])
    for event in ctx.workspace.events.values():
        values: dict[str, Any] = {"event_id": event.event_id, "event_type": event.event_type}
        values["device_id"] = event.fields.get("device_id")
        if all(values[name] == value for name, value in named.items()) and _seen(ctx, event):
            return {"event": render.event(event)}
    raise NotFound(
        "event_not_found", "No event matches " + ", ".join(f"{k} {v}" for k, v in named.items()) + "."
    )


def _id(name: str) -> Param:
    return Param(name, "uuid", description=f"Only events with this `{name}`.")


# The reference's bounds on some of the id lists.
_MAX_ITEMS = {"access_grant_ids": 100, "access_method_ids": 100, "space_ids": 100}


def _ids(name: str) -> Param:
    return Param(
        name,
        "uuid_list",
        max_items=_MAX_ITEMS.get(name),
        description=f"Only events with one of these `{ID_LIST_FILTERS[name]}`s.",
    )


ROUTES = (
    Route(
        "/events/list",
        READ,
        (
            Param("since", description="Only events after this time (or give `between`)."),
            Param(
                "between",
                "interval",
                min_items=2,
                max_items=2,
                description="Only events strictly between these two times.",
            ),
            Param("event_type", description="Only events of this type."),
            Param("event_types", "string_list", description="Only events of these types."),
            Param("user_identity_id", "uuid", description="Only events that concern this user identity."),
            *(_id(name) for name in ID_FILTERS),
            *(_ids(name) for name in ID_LIST_FILTERS),
            Param("limit", "number", description="Most events to return (default 500), oldest first."),
            Param("unstable_offset", "number", description="How many matching events to skip first."),
        ),
        list_,
        "List the events since a time (or between two), oldest first.",
        unsupported=("customer_key",),
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/events/get",
        READ,
        (
            Param("event_id", "uuid", description="ID of the event."),
            Param("event_type", description="Or the first event of this type."),
            Param("device_id", "uuid", description="Or the first event of this device."),
        ),
        get,
        "Get an event by id (or the first of a type or device).",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
)
