"""``/acs/systems/*``: the access control systems of a workspace."""

from __future__ import annotations

from ...model import acs
from ...model.lookups import find_acs_system
from .. import render
from ..operation import READ, Body, Context, Route
from ..params import Param


def get(ctx: Context, p: Body) -> Body:
    return {"acs_system": render.acs_system(find_acs_system(ctx.workspace, p["acs_system_id"]))}


def list_(ctx: Context, p: Body) -> Body:
    systems = list(ctx.workspace.acs_systems.values())
    connected_account_id = p.get("connected_account_id")
    if connected_account_id is not None:
        systems = [s for s in systems if s.connected_account_id == connected_account_id]
    search = p.get("search")
    if search is not None:
        needle = search.casefold()
        systems = [
            s for s in systems if any(needle in text.casefold() for text in acs.system_search_texts(s))
        ]
    return {"acs_systems": [render.acs_system(s) for s in systems]}


ROUTES = (
    Route(
        "/acs/systems/get",
        READ,
        (Param("acs_system_id", "uuid", required=True, description="ID of the ACS system to get."),),
        get,
        "Get an ACS system.",
        mutates=False,
    ),
    Route(
        "/acs/systems/list",
        READ,
        (
            Param("connected_account_id", "uuid", description="Only systems of this connected account."),
            Param("search", min_length=1, description="Case-insensitive substring of the name or id."),
        ),
        list_,
        "List ACS systems.",
        unsupported=("customer_key",),
        mutates=False,
    ),
)
