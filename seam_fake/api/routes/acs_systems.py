"""``/acs/systems/*``: the access control systems of a workspace."""

from __future__ import annotations

from ...model import acs, credentials
from ...model.folding import Needle
from ...model.lookups import find_acs_system
from .. import render
from ..operation import READ, WITH_CLIENT_SESSION, Body, Context, Route
from ..params import Param


def get(ctx: Context, p: Body) -> Body:
    return {
        "acs_system": render.acs_system(ctx.workspace, find_acs_system(ctx.workspace, p["acs_system_id"]))
    }


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    systems = list(ws.acs_systems.values())
    if ctx.scope is not None:
        # A client session sees the systems its identities have ACS users on.
        on = {ws.acs_users[u].acs_system_id for i in ctx.scope for u in ws.user_identities[i].acs_user_ids}
        systems = [s for s in systems if s.acs_system_id in on]
    connected_account_id = p.get("connected_account_id")
    if connected_account_id is not None:
        systems = [s for s in systems if s.connected_account_id == connected_account_id]
    search = p.get("search")
    if search is not None:
        needle = Needle(search)
        systems = [s for s in systems if needle.found_in(acs.system_search_texts(s))]
    return {"acs_systems": [render.acs_system(ws, s) for s in systems]}


def list_compatible_credential_managers(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    system = find_acs_system(ws, p["acs_system_id"])
    managers = credentials.compatible_credential_managers(ws, system)
    return {"acs_systems": [render.acs_system(ws, manager) for manager in managers]}


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
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/acs/systems/list_compatible_credential_manager_acs_systems",
        READ,
        (
            Param(
                "acs_system_id",
                "uuid",
                required=True,
                description="The access system whose compatible credential managers to list.",
            ),
        ),
        list_compatible_credential_managers,
        "List the workspace's credential manager systems that issue mobile keys for an ACS system.",
        mutates=False,
    ),
)
