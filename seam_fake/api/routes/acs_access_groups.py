"""``/acs/access_groups/*``: sets of entrances, and the ACS users who may open them.

Seam syncs access groups from the access system ("you cannot create, edit, or delete
them using the Seam API", its guide says, though the reference has ``delete``):
a test adds them with ``FakeSeam.add_acs_access_group``.
"""

from __future__ import annotations

from ...model import access
from ...model.errors import NotFound
from ...model.folding import Needle
from ...model.lookups import find_group
from ...model.records import AcsAccessGroup, Workspace
from .. import render
from ..operation import ADD, DELETE, READ, WITH_CLIENT_SESSION, Body, Context, Route
from ..params import Param


def find(ctx: Context, acs_access_group_id: str) -> AcsAccessGroup:
    """A group of the workspace; a client session sees those its identities' ACS users are in."""
    ws = ctx.workspace
    group = find_group(ws, acs_access_group_id)
    if ctx.scope is not None and not any(
        ctx.sees(ws.acs_users[i].user_identity_id) for i in group.acs_user_ids
    ):
        raise NotFound(
            "acs_access_group_not_found",
            f"No access group with acs_access_group_id {acs_access_group_id} here.",
        )
    return group


def get(ctx: Context, p: Body) -> Body:
    return {"acs_access_group": render.acs_access_group(ctx.workspace, find(ctx, p["acs_access_group_id"]))}


def _search_texts(group: AcsAccessGroup) -> tuple[str, ...]:
    """What ``search`` looks in: "a partial match using name or acs_access_group_id"."""
    return (group.name, group.acs_access_group_id)


def _listed(
    ws: Workspace, groups: dict[str, AcsAccessGroup], p: Body, member_ids: set[str] | None
) -> list[AcsAccessGroup]:
    """Groups passing ``acs_system_id``, ``search`` and membership filters, oldest first."""
    acs_system_id = p.get("acs_system_id")
    needle = Needle(p["search"]) if "search" in p else None
    found = []
    for group in groups.values():
        if acs_system_id is not None and group.acs_system_id != acs_system_id:
            continue
        if member_ids is not None and not member_ids & group.acs_user_ids.keys():
            continue
        if needle is not None and not needle.found_in(_search_texts(group)):
            continue
        found.append(group)
    return found


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    member_ids: set[str] | None = None
    if "acs_user_id" in p:
        member_ids = {p["acs_user_id"]}
    if "user_identity_id" in p:
        identity = ws.user_identities.get(p["user_identity_id"])
        of_identity = set(identity.acs_user_ids) if identity is not None else set()
        member_ids = of_identity if member_ids is None else member_ids & of_identity
    groups = ws.acs_access_groups
    # Through an index where a filter allows: O(the groups it names), not O(all groups).
    if member_ids is not None:
        groups = {g.acs_access_group_id: g for i in member_ids for g in ws.groups_of_user(i)}
        groups = dict(sorted(groups.items(), key=lambda item: item[1].seq))
    elif "acs_system_id" in p:
        system = ws.acs_systems.get(p["acs_system_id"])
        groups = {i: ws.acs_access_groups[i] for i in (system.acs_access_group_ids if system else ())}
    return {"acs_access_groups": [render.acs_access_group(ws, g) for g in _listed(ws, groups, p, member_ids)]}


def add_user(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    group = find_group(ws, p["acs_access_group_id"])
    access.add_member(ws, ctx.ids, ctx.now, group, p.get("acs_user_id"), p.get("user_identity_id"))
    return {}


def remove_user(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    group = find_group(ws, p["acs_access_group_id"])
    # This route's reference, unlike the others', does not say "only one of".
    access.remove_member(ws, group, p.get("acs_user_id"), p.get("user_identity_id"), both_allowed=True)
    return {}


def list_users(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    group = find_group(ws, p["acs_access_group_id"])
    return {"acs_users": [render.acs_user(ws, u, ctx.now) for u in access.group_users(ws, group)]}


def list_accessible_entrances(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    group = find_group(ws, p["acs_access_group_id"])
    return {"acs_entrances": [render.acs_entrance(ws, e) for e in access.group_entrances(ws, group)]}


def delete(ctx: Context, p: Body) -> Body:
    access.delete_group(ctx.workspace, ctx.ids, ctx.now, find(ctx, p["acs_access_group_id"]))
    return {}


def unmanaged_get(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    group = ws.unmanaged_acs_access_groups.get(p["acs_access_group_id"])
    if group is None:
        raise NotFound(
            "acs_access_group_not_found",
            f"No unmanaged access group with acs_access_group_id {p['acs_access_group_id']} here.",
        )
    return {"acs_access_group": render.acs_access_group(ws, group, is_managed=False)}


def unmanaged_list(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    # Unmanaged groups have no members the fake knows of: an ACS user filter matches none.
    member_ids: set[str] | None = {p["acs_user_id"]} if "acs_user_id" in p else None
    groups = _listed(ws, ws.unmanaged_acs_access_groups, p, member_ids)
    return {"acs_access_groups": [render.acs_access_group(ws, g, is_managed=False) for g in groups]}


_THE_GROUP = Param("acs_access_group_id", "uuid", required=True, description="ID of the access group.")
_WHO = (
    Param("acs_user_id", "uuid", description="The ACS user."),
    Param(
        "user_identity_id",
        "uuid",
        description="Or the user identity whose ACS user on the group's system it is.",
    ),
)
_SEARCH = Param("search", min_length=1, description="Case-insensitive substring of the name or the id.")

ROUTES = (
    Route("/acs/access_groups/get", READ, (_THE_GROUP,), get, "Get an access group.", mutates=False),
    Route(
        "/acs/access_groups/list",
        READ,
        (
            Param("acs_system_id", "uuid", description="Only groups of this ACS system."),
            Param("acs_user_id", "uuid", description="Only groups this ACS user is in."),
            Param("user_identity_id", "uuid", description="Only groups this identity's ACS users are in."),
            _SEARCH,
        ),
        list_,
        "List access groups, oldest first (not paged).",
        mutates=False,
    ),
    Route(
        "/acs/access_groups/add_user",
        ADD,
        (_THE_GROUP, *_WHO),
        add_user,
        "Put an ACS user (or an identity's, linked or created) in an access group.",
        mutates=True,
    ),
    Route(
        "/acs/access_groups/remove_user",
        DELETE,
        (_THE_GROUP, *_WHO),
        remove_user,
        "Take an ACS user out of an access group (not in it: nothing changes).",
        mutates=True,
    ),
    Route(
        "/acs/access_groups/list_users",
        READ,
        (_THE_GROUP,),
        list_users,
        "List the ACS users of an access group, in the order they joined.",
        mutates=False,
    ),
    Route(
        "/acs/access_groups/list_accessible_entrances",
        READ,
        (_THE_GROUP,),
        list_accessible_entrances,
        "List the entrances of an access group.",
        mutates=False,
    ),
    Route(
        "/acs/access_groups/delete",
        DELETE,
        (_THE_GROUP,),
        delete,
        "Delete an access group; its members lose what it gave them.",
        credentials=WITH_CLIENT_SESSION,
        mutates=True,
    ),
    Route(
        "/acs/access_groups/unmanaged/get",
        READ,
        (_THE_GROUP,),
        unmanaged_get,
        "Get an unmanaged access group.",
        mutates=False,
    ),
    Route(
        "/acs/access_groups/unmanaged/list",
        READ,
        (
            Param("acs_system_id", "uuid", description="Only groups of this ACS system."),
            Param("acs_user_id", "uuid", description="Only groups this ACS user is in (none here)."),
            _SEARCH,
        ),
        unmanaged_list,
        "List unmanaged access groups, oldest first.",
        mutates=False,
    ),
)
