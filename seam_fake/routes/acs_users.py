"""``/acs/users/*``: the accounts people hold in each access control system."""

from __future__ import annotations

from collections.abc import Iterable

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


# Filters that name one identity, and the identity field each is looked up by.
_IDENTITY_FILTERS = {
    "user_identity_id": None,
    "user_identity_email_address": "email_address",
    "user_identity_phone_number": "phone_number",
}


def _candidates(ws: Workspace, p: Body) -> Iterable[str]:
    """The smallest set of ACS user ids the filters allow, found through the indexes."""
    named: set[str | None] = set()
    for param, field_name in _IDENTITY_FILTERS.items():
        value = p.get(param)
        if value is not None:
            named.add(value if field_name is None else ws.identity_holding(field_name, value))
    if named:
        identity_id = named.pop() if len(named) == 1 else None
        identity = ws.user_identities.get(identity_id) if identity_id is not None else None
        return identity.acs_user_ids if identity is not None else ()
    acs_system_id = p.get("acs_system_id")
    if acs_system_id is not None:
        system = ws.acs_systems.get(acs_system_id)
        return system.acs_user_ids if system is not None else ()
    return ws.acs_users


def _searchable(ws: Workspace, user: AcsUser) -> list[str | None]:
    identity = ws.user_identities.get(user.user_identity_id) if user.user_identity_id else None
    return [
        user.full_name,
        user.phone_number,
        user.email_address,
        user.acs_user_id,
        user.user_identity_id,
        identity.full_name if identity else None,
        identity.phone_number if identity else None,
    ]


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    users = [ws.acs_users[acs_user_id] for acs_user_id in _candidates(ws, p)]
    acs_system_id = p.get("acs_system_id")
    if acs_system_id is not None:
        users = [user for user in users if user.acs_system_id == acs_system_id]
    search = p.get("search")
    if search is not None:
        needle = search.casefold()
        users = [
            user
            for user in users
            if any(needle in text.casefold() for text in _searchable(ws, user) if text is not None)
        ]
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
            Param(
                "user_identity_email_address",
                description="Only ACS users linked to the identity with this email (case-insensitive).",
            ),
            Param(
                "user_identity_phone_number",
                description="Only ACS users linked to the identity with this phone number.",
            ),
            Param(
                "search",
                min_length=1,
                description="Case-insensitive substring of the name, phone, email or id of the ACS "
                "user, or of the id, full name or phone of its identity.",
            ),
        ),
        list_,
        "List ACS users.",
        unsupported=("limit", "created_before", "page_cursor"),
    ),
)
