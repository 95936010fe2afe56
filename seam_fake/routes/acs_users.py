"""``/acs/users/*``: the accounts people hold in each access control system."""

from __future__ import annotations

from .. import render
from ..errors import ApiError, invalid
from ..params import Param
from ..state import AcsSystem, AcsUser, UserIdentity, Workspace
from .base import READ, Body, Context, Route
from .lookups import find_acs_system, find_acs_user, find_identity


def new_acs_user(
    ctx: Context,
    system: AcsSystem,
    full_name: str,
    email_address: str | None,
    phone_number: str | None,
) -> AcsUser:
    """Create and index an ACS user on a system; the caller links it if it should be."""
    user = AcsUser(
        acs_user_id=ctx.ids.uuid(),
        acs_system_id=system.acs_system_id,
        workspace_id=system.workspace_id,
        full_name=full_name,
        email_address=email_address,
        phone_number=phone_number,
        created_at=ctx.now,
        profile_changed_at=ctx.now,
    )
    ctx.workspace.add_acs_user(user)
    return user


def linked_user_on_system(ws: Workspace, identity: UserIdentity, acs_system_id: str) -> AcsUser | None:
    for acs_user_id in identity.acs_user_ids:
        user = ws.acs_users[acs_user_id]
        if user.acs_system_id == acs_system_id:
            return user
    return None


def get(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    acs_user_id = p.get("acs_user_id")
    user_identity_id = p.get("user_identity_id")
    acs_system_id = p.get("acs_system_id")
    if acs_user_id is not None and user_identity_id is not None:
        raise invalid(
            "acs_user_id", "Provide `acs_user_id`, or `user_identity_id` with `acs_system_id`, not both."
        )
    if acs_user_id is not None:
        user = find_acs_user(ws, acs_user_id)
        if acs_system_id is not None and user.acs_system_id != acs_system_id:
            raise ApiError(
                "acs_user_not_found",
                f"No ACS user with acs_user_id {acs_user_id} on ACS system {acs_system_id}.",
            )
        return {"acs_user": render.acs_user(ws, user)}
    if user_identity_id is None or acs_system_id is None:
        raise invalid("acs_user_id", "Provide `acs_user_id`, or `user_identity_id` with `acs_system_id`.")
    identity = find_identity(ws, user_identity_id=user_identity_id)
    find_acs_system(ws, acs_system_id)
    found = linked_user_on_system(ws, identity, acs_system_id)
    if found is None:
        raise ApiError(
            "acs_user_not_found",
            f"User identity {user_identity_id} has no ACS user on ACS system {acs_system_id}.",
        )
    return {"acs_user": render.acs_user(ws, found)}


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    acs_system_id = p.get("acs_system_id")
    user_identity_id = p.get("user_identity_id")
    if acs_system_id is not None:
        system = ws.acs_systems.get(acs_system_id)
        candidates = list(system.acs_user_ids) if system is not None else []
    elif user_identity_id is not None:
        identity = ws.user_identities.get(user_identity_id)
        candidates = list(identity.acs_user_ids) if identity is not None else []
    else:
        candidates = list(ws.acs_users)
    users = [ws.acs_users[acs_user_id] for acs_user_id in candidates]
    if user_identity_id is not None:
        users = [user for user in users if user.user_identity_id == user_identity_id]
    return {
        "acs_users": [render.acs_user(ws, user) for user in users],
        "pagination": {"has_next_page": False, "next_page_cursor": None, "next_page_url": None},
    }


ROUTES = (
    Route(
        "/acs/users/get",
        READ,
        (
            Param("acs_user_id", "uuid", description="ID of the ACS user to get."),
            Param(
                "user_identity_id",
                "uuid",
                description="With `acs_system_id`: the identity whose ACS user to get.",
            ),
            Param("acs_system_id", "uuid", description="The ACS system the user must be on."),
        ),
        get,
        "Get an ACS user.",
    ),
    Route(
        "/acs/users/list",
        READ,
        (
            Param("acs_system_id", "uuid", description="Only ACS users of this ACS system."),
            Param("user_identity_id", "uuid", description="Only ACS users linked to this user identity."),
        ),
        list_,
        "List ACS users.",
    ),
)
