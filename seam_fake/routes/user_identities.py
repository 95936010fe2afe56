"""``/user_identities/*``: people in the customer's app, linked to ACS users."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import render
from ..errors import ApiError, invalid
from ..params import Param
from ..state import AcsUser, UserIdentity, Workspace, newest_first
from . import paging
from .acs_users import ensure_linkable, new_acs_user
from .base import ADD, DELETE, READ, UPDATE, WRITE, Body, Context, Route
from .lookups import find_acs_system, find_acs_user, find_identity

UNIQUE_FIELDS = ("user_identity_key", "email_address", "phone_number")


def ensure_unique(ws: Workspace, values: Body, self_id: str | None = None) -> None:
    """Refuse a key, email or phone that another identity of the workspace holds.

    The first conflicting field in ``UNIQUE_FIELDS`` order decides the error.
    """
    for field_name in UNIQUE_FIELDS:
        value = values.get(field_name)
        if value is None:
            continue
        holder = ws.identity_holding(field_name, value)
        if holder is not None and holder != self_id:
            raise ApiError(
                f"{field_name}_already_in_use",
                f"{field_name} {value!r} is already in use by user identity {holder} "
                "in this workspace; it must be unique.",
            )


def _match_for(ws: Workspace, identity: UserIdentity, acs_system_id: str) -> AcsUser | None:
    """The ACS user of a system this identity should be linked to, if one matches.

    Raises if the best match already belongs to another identity: Seam never
    moves an ACS user between identities behind the caller's back.
    """
    matches = ws.acs_users_matching(acs_system_id, identity.email_address, identity.phone_number)
    if not matches:
        return None
    best = matches[0]
    if best.user_identity_id is not None and best.user_identity_id != identity.user_identity_id:
        raise ApiError(
            "acs_user_already_linked_to_user_identity",
            f"ACS user {best.acs_user_id} on ACS system {acs_system_id} matches this user "
            f"identity's email address or phone number but is already linked to user identity "
            f"{best.user_identity_id}. Remove it from that identity first.",
        )
    return best


def create(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    ensure_unique(ws, p)
    acs_system_ids = list(dict.fromkeys(p.get("acs_system_ids") or ()))
    systems = [find_acs_system(ws, acs_system_id) for acs_system_id in acs_system_ids]
    identity = UserIdentity(
        user_identity_id=ctx.ids.uuid(),
        workspace_id=ws.workspace_id,
        user_identity_key=p.get("user_identity_key"),
        email_address=p.get("email_address"),
        phone_number=p.get("phone_number"),
        full_name=p.get("full_name"),
        created_at=ctx.now,
        profile_changed_at=ctx.now,
    )
    # Every check happens before the first write, so a refused request changes nothing.
    matches = [_match_for(ws, identity, system.acs_system_id) for system in systems]
    ws.add_identity(identity)
    for system, match in zip(systems, matches, strict=True):
        user = match or new_acs_user(
            ctx,
            system,
            full_name=render.identity_display_name(identity),
            email_address=identity.email_address,
            phone_number=identity.phone_number,
        )
        ws.link(identity, user, ctx.now)
    return {"user_identity": render.user_identity(ws, identity)}


def get(ctx: Context, p: Body) -> Body:
    identity = find_identity(
        ctx.workspace,
        user_identity_id=p.get("user_identity_id"),
        user_identity_key=p.get("user_identity_key"),
    )
    return {"user_identity": render.user_identity(ctx.workspace, identity)}


def _searchable(identity: UserIdentity) -> tuple[str | None, ...]:
    return (
        identity.user_identity_key,
        identity.email_address,
        identity.phone_number,
        identity.full_name,
        render.identity_display_name(identity),
        identity.user_identity_id,
    )


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    search = p.get("search")
    needle = search.casefold() if search is not None else None
    on_system = p.get("credential_manager_acs_system_id")

    def wanted(identity: UserIdentity) -> bool:
        if needle is not None and not any(
            needle in text.casefold() for text in _searchable(identity) if text is not None
        ):
            return False
        return on_system is None or any(
            ws.acs_users[acs_user_id].acs_system_id == on_system for acs_user_id in identity.acs_user_ids
        )

    def walk(below: paging.Below) -> Iterator[UserIdentity]:
        named = p.get("user_identity_ids")
        candidates: Iterable[UserIdentity]
        if named is None:
            candidates = map(ws.user_identities.__getitem__, newest_first(ws.identity_order, below))
        else:
            chosen = (ws.user_identities[i] for i in set(named) if i in ws.user_identities)
            candidates = paging.newest_first_among(chosen, below)
        return filter(wanted, candidates)

    identities, pagination = paging.page(ctx, LIST_PATH, p, walk)
    return {
        "user_identities": [render.user_identity(ws, identity) for identity in identities],
        "pagination": pagination,
    }


PROFILE_FIELDS = ("email_address", "phone_number", "full_name")


def update(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    changes = {name: p[name] for name in (*UNIQUE_FIELDS, "full_name") if name in p}
    ensure_unique(ws, changes, self_id=identity.user_identity_id)
    profile_changed = any(
        getattr(identity, name) != value for name, value in changes.items() if name in PROFILE_FIELDS
    )
    ws.update_identity(identity, changes)
    if profile_changed:
        identity.profile_changed_at = ctx.now
    return {}


def delete(ctx: Context, p: Body) -> Body:
    """Delete an identity and, as Seam's reference says, the ACS users linked to it."""
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    for acs_user_id in list(identity.acs_user_ids):
        ws.remove_acs_user(ws.acs_users[acs_user_id])
    ws.remove_identity(identity)
    return {}


def add_acs_user(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    user = find_acs_user(ws, p["acs_user_id"])
    key = p.get("user_identity_key")
    if key is not None and key not in ws.identity_by_key:
        # As Seam documents: an unknown key makes a new identity from the ACS user's profile.
        if not key:
            # The new identity's key must be one create would accept.
            raise invalid("user_identity_key", "Must contain at least 1 character(s) to create an identity.")
        ensure_linkable(ws, None, user)
        profile = {
            "user_identity_key": key,
            "email_address": user.email_address,
            "phone_number": user.phone_number,
            "full_name": user.full_name,
        }
        ensure_unique(ws, profile)
        identity = UserIdentity(
            user_identity_id=ctx.ids.uuid(),
            workspace_id=ws.workspace_id,
            created_at=ctx.now,
            profile_changed_at=ctx.now,
            **profile,
        )
        ws.add_identity(identity)
    else:
        identity = find_identity(ws, user_identity_id=p.get("user_identity_id"), user_identity_key=key)
        if user.user_identity_id == identity.user_identity_id:
            return {}
        ensure_linkable(ws, identity, user)
    ws.link(identity, user, ctx.now)
    return {}


def remove_acs_user(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    user = find_acs_user(ws, p["acs_user_id"])
    if user.user_identity_id != identity.user_identity_id:
        raise ApiError(
            "acs_user_not_linked_to_user_identity",
            f"ACS user {user.acs_user_id} is not linked to user identity {identity.user_identity_id}; "
            "there is nothing to remove.",
        )
    ws.unlink(identity, user)
    return {}


def list_acs_users(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    return {"acs_users": [render.acs_user(ws, ws.acs_users[i]) for i in identity.acs_user_ids]}


def list_acs_systems(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    system_ids = dict.fromkeys(ws.acs_users[i].acs_system_id for i in identity.acs_user_ids)
    return {"acs_systems": [render.acs_system(ws.acs_systems[i]) for i in system_ids]}


LIST_PATH = "/user_identities/list"
IDENTITY_PARAMS = (
    Param(
        "user_identity_key",
        nullable=True,
        min_length=1,
        description="Unique key for the user identity.",
    ),
    Param(
        "email_address",
        "email",
        nullable=True,
        description="Unique email address (case-insensitive).",
    ),
    Param("phone_number", "phone", nullable=True, description="Unique phone number in E.164 format."),
    Param("full_name", nullable=True, min_length=1, description="Full name of the person."),
)


def _the_identity(description: str) -> Param:
    return Param("user_identity_id", "uuid", required=True, description=description)


ROUTES = (
    Route(
        "/user_identities/create",
        WRITE,
        (
            *IDENTITY_PARAMS,
            Param(
                "acs_system_ids",
                "uuid_list",
                description="ACS systems to link the identity to through ACS users.",
            ),
        ),
        create,
        "Create a user identity, linking or creating an ACS user on each listed ACS system.",
    ),
    Route(
        "/user_identities/get",
        READ,
        (
            Param("user_identity_id", "uuid", description="ID of the user identity."),
            Param("user_identity_key", description="Key of the user identity."),
        ),
        get,
        "Get a user identity by id or key.",
        exactly_one_of=("user_identity_id", "user_identity_key"),
    ),
    Route(
        LIST_PATH,
        READ,
        (
            Param("user_identity_ids", "uuid_list", description="Only these user identities."),
            Param(
                "search",
                description="Case-insensitive substring of the key, email, phone, full name, display "
                "name or id.",
            ),
            Param(
                "credential_manager_acs_system_id",
                "uuid",
                description="Only identities linked to an ACS user on this ACS system.",
            ),
            *paging.PARAMS,
        ),
        list_,
        "List user identities, newest first, in pages.",
    ),
    Route(
        "/user_identities/update",
        UPDATE,
        (_the_identity("ID of the user identity to update."), *IDENTITY_PARAMS),
        update,
        "Change a user identity's key, email, phone or full name; null clears one.",
    ),
    Route(
        "/user_identities/delete",
        DELETE,
        (_the_identity("ID of the user identity to delete."),),
        delete,
        "Delete a user identity and the ACS users linked to it.",
    ),
    Route(
        "/user_identities/add_acs_user",
        ADD,
        (
            Param("acs_user_id", "uuid", required=True, description="ID of the ACS user to link."),
            Param("user_identity_id", "uuid", description="ID of the user identity."),
            Param(
                "user_identity_key",
                description="Key of the user identity; an unknown key creates one from the ACS user.",
            ),
        ),
        add_acs_user,
        "Link an ACS user to a user identity.",
        exactly_one_of=("user_identity_id", "user_identity_key"),
    ),
    Route(
        "/user_identities/remove_acs_user",
        DELETE,
        (
            _the_identity("ID of the user identity."),
            Param("acs_user_id", "uuid", required=True, description="ID of the ACS user to unlink."),
        ),
        remove_acs_user,
        "Unlink an ACS user from a user identity; the ACS user remains.",
    ),
    Route(
        "/user_identities/list_acs_users",
        READ,
        (_the_identity("ID of the user identity."),),
        list_acs_users,
        "List the ACS users linked to a user identity.",
    ),
    Route(
        "/user_identities/list_acs_systems",
        READ,
        (_the_identity("ID of the user identity."),),
        list_acs_systems,
        "List the ACS systems a user identity has ACS users on.",
    ),
)
