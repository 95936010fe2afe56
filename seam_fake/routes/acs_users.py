"""``/acs/users/*``: the accounts people hold in each access control system."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .. import render
from ..errors import ApiError, invalid
from ..params import Param
from ..state import AcsSystem, AcsUser, UserIdentity, Workspace, fold_email, newest_first
from . import paging
from .base import DELETE, READ, UPDATE, WRITE, Body, Context, Route
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


def ensure_linkable(ws: Workspace, identity: UserIdentity | None, user: AcsUser) -> None:
    """Refuse a link that would give an ACS user a second identity, or an identity a
    second ACS user on one ACS system. ``identity`` None stands for a new identity."""
    if user.user_identity_id is not None and (
        identity is None or user.user_identity_id != identity.user_identity_id
    ):
        raise ApiError(
            "acs_user_already_linked_to_user_identity",
            f"ACS user {user.acs_user_id} is already linked to user identity {user.user_identity_id}. "
            "Remove it from that identity first (/user_identities/remove_acs_user).",
        )
    if identity is not None:
        ensure_no_acs_user_on(ws, identity, user.acs_system_id)


def ensure_no_acs_user_on(ws: Workspace, identity: UserIdentity, acs_system_id: str) -> None:
    existing = linked_user_on_system(ws, identity, acs_system_id)
    if existing is not None:
        raise ApiError(
            "user_identity_already_has_acs_user_on_acs_system",
            f"User identity {identity.user_identity_id} already has ACS user {existing.acs_user_id} "
            f"on ACS system {acs_system_id}; an identity has at most one ACS user per ACS system.",
        )


# How every ACS user route but create and list names its user: by id, or by the
# identity it is linked to and its system (Seam's reference allows either form).
WHICH_USER = (
    Param("acs_user_id", "uuid", description="ID of the ACS user."),
    Param(
        "user_identity_id",
        "uuid",
        description="With `acs_system_id`: the identity whose ACS user this is.",
    ),
    Param("acs_system_id", "uuid", description="The ACS system the user is on."),
)


def which_user(ws: Workspace, p: Body) -> AcsUser:
    """The ACS user a request names by ``acs_user_id`` or by identity and system."""
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
        return user
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
    return found


def get(ctx: Context, p: Body) -> Body:
    return {"acs_user": render.acs_user(ctx.workspace, which_user(ctx.workspace, p))}


def _email(p: Body) -> str | None:
    """``email_address``, or the deprecated ``email`` Seam still accepts for it."""
    email_address: str | None = p.get("email_address")
    email: str | None = p.get("email")
    if email is not None and email_address is not None and fold_email(email) != fold_email(email_address):
        raise invalid("email", "`email` is a deprecated alias of `email_address`; send one of them.")
    return email_address if email_address is not None else email


def create(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    if not p["full_name"]:
        # The request schema sets no minimum, but an acs_user's full_name must not be
        # empty: Seam could not answer with the user it had made.
        raise invalid("full_name", "Must contain at least 1 character(s).")
    system = find_acs_system(ws, p["acs_system_id"])
    email_address = _email(p)
    identity = None
    if p.get("user_identity_id") is not None:
        identity = find_identity(ws, user_identity_id=p["user_identity_id"])
        ensure_no_acs_user_on(ws, identity, system.acs_system_id)
    user = new_acs_user(ctx, system, p["full_name"], email_address, p.get("phone_number"))
    if identity is not None:
        ws.link(identity, user, ctx.now)
    return {"acs_user": render.acs_user(ws, user)}


def update(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    user = which_user(ws, p)
    changes: dict[str, str | None] = {name: p[name] for name in ("full_name", "phone_number") if name in p}
    email_address = _email(p)
    if email_address is not None:
        changes["email_address"] = email_address
    if any(getattr(user, name) != value for name, value in changes.items()):
        ws.update_acs_user(user, changes)
        user.profile_changed_at = ctx.now
    return {}


def delete(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    ws.remove_acs_user(which_user(ws, p))
    return {}


def suspend(ctx: Context, p: Body) -> Body:
    which_user(ctx.workspace, p).is_suspended = True
    return {}


def unsuspend(ctx: Context, p: Body) -> Body:
    which_user(ctx.workspace, p).is_suspended = False
    return {}


# Filters that name one identity, and the identity field each is looked up by.
_IDENTITY_FILTERS = {
    "user_identity_id": None,
    "user_identity_email_address": "email_address",
    "user_identity_phone_number": "phone_number",
}


def _named_identity(ws: Workspace, p: Body) -> UserIdentity | bool | None:
    """The one identity the identity filters name; None if they name none; False if no filter."""
    named: set[str | None] = set()
    for param, field_name in _IDENTITY_FILTERS.items():
        value = p.get(param)
        if value is not None:
            named.add(value if field_name is None else ws.identity_holding(field_name, value))
    if not named:
        return False
    identity_id = named.pop() if len(named) == 1 else None
    return ws.user_identities.get(identity_id) if identity_id is not None else None


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
    acs_system_id = p.get("acs_system_id")
    search = p.get("search")
    needle = search.casefold() if search is not None else None
    identity = _named_identity(ws, p)

    def wanted(user: AcsUser) -> bool:
        if acs_system_id is not None and user.acs_system_id != acs_system_id:
            return False
        return needle is None or any(
            needle in text.casefold() for text in _searchable(ws, user) if text is not None
        )

    def walk(below: paging.Below) -> Iterator[AcsUser]:
        candidates: Iterable[AcsUser]
        if identity is False and acs_system_id is None:
            candidates = map(ws.acs_users.__getitem__, newest_first(ws.acs_user_order, below))
        else:
            # A narrower set from an index: O(its size), not O(all ACS users).
            if isinstance(identity, UserIdentity):
                ids: Iterable[str] = identity.acs_user_ids
            elif identity is None:
                ids = ()
            else:
                system = ws.acs_systems.get(acs_system_id or "")
                ids = system.acs_user_ids if system is not None else ()
            candidates = paging.newest_first_among(map(ws.acs_users.__getitem__, ids), below)
        return filter(wanted, candidates)

    users, pagination = paging.page(ctx, LIST_PATH, p, walk)
    return {"acs_users": [render.acs_user(ws, user) for user in users], "pagination": pagination}


LIST_PATH = "/acs/users/list"
_PROFILE = (
    Param("email_address", "email", description="Email address of the ACS user."),
    Param("email", "email", description="Deprecated alias of `email_address`."),
    Param("phone_number", "phone", description="Phone number in E.164 format."),
)
_UNSIMULATED_ACCESS = ("access_schedule",)

ROUTES = (
    Route("/acs/users/get", READ, WHICH_USER, get, "Get an ACS user."),
    Route(
        LIST_PATH,
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
            *paging.PARAMS,
        ),
        list_,
        "List ACS users, newest first, in pages.",
    ),
    Route(
        "/acs/users/create",
        WRITE,
        (
            Param("acs_system_id", "uuid", required=True, description="The ACS system to add the user to."),
            Param("full_name", required=True, description="Full name of the ACS user."),
            *_PROFILE,
            Param("user_identity_id", "uuid", description="A user identity to link the new ACS user to."),
        ),
        create,
        "Create an ACS user on an ACS system, optionally linked to a user identity.",
        unsupported=(*_UNSIMULATED_ACCESS, "acs_access_group_ids"),
    ),
    Route(
        "/acs/users/update",
        UPDATE,
        (*WHICH_USER, Param("full_name", min_length=1, description="Full name of the ACS user."), *_PROFILE),
        update,
        "Change an ACS user's full name, email or phone.",
        unsupported=(*_UNSIMULATED_ACCESS, "hid_acs_system_id"),
    ),
    Route("/acs/users/delete", DELETE, WHICH_USER, delete, "Delete an ACS user, unlinking it first."),
    Route("/acs/users/suspend", WRITE, WHICH_USER, suspend, "Suspend an ACS user."),
    Route("/acs/users/unsuspend", WRITE, WHICH_USER, unsuspend, "Unsuspend an ACS user."),
)
