"""``/acs/users/*``: the accounts people hold in each access control system."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...model import access, acs, cascades
from ...model.errors import NotFound, invalid
from ...model.folding import Needle, fold_email
from ...model.lookups import find_group
from ...model.records import AcsUser, UserIdentity, Workspace, newest_first
from .. import paging, render
from ..operation import ADD, DELETE, READ, UPDATE, WITH_CLIENT_SESSION, WRITE, Body, Context, Route
from ..params import Param

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
    return acs.which_user(ws, p.get("acs_user_id"), p.get("user_identity_id"), p.get("acs_system_id"))


def get(ctx: Context, p: Body) -> Body:
    return {"acs_user": render.acs_user(ctx.workspace, which_user(ctx.workspace, p), ctx.now)}


def _email(p: Body) -> str | None:
    """``email_address``, or the deprecated ``email`` Seam still accepts for it."""
    email_address: str | None = p.get("email_address")
    email: str | None = p.get("email")
    if email is not None and email_address is not None and fold_email(email) != fold_email(email_address):
        raise invalid("email", "`email` is a deprecated alias of `email_address`; send one of them.")
    return email_address if email_address is not None else email


def create(ctx: Context, p: Body) -> Body:
    user = acs.create_user(
        ctx.workspace,
        ctx.ids,
        ctx.now,
        acs_system_id=p["acs_system_id"],
        full_name=p["full_name"],
        email_address=_email(p),
        phone_number=p.get("phone_number"),
        user_identity_id=p.get("user_identity_id"),
        access_schedule=p.get("access_schedule"),
        acs_access_group_ids=p.get("acs_access_group_ids"),
    )
    return {"acs_user": render.acs_user(ctx.workspace, user, ctx.now)}


def update(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    user = which_user(ws, p)
    changes: dict[str, str | None] = {name: p[name] for name in ("full_name", "phone_number") if name in p}
    email_address = _email(p)
    if email_address is not None:
        changes["email_address"] = email_address
    # Checked before the profile changes: a refused schedule changes nothing.
    schedule = acs.schedule_from(p["access_schedule"], ctx.now) if "access_schedule" in p else None
    acs.update_user(ws, user, changes, ctx.now)
    if schedule is not None:
        # null clears the schedule: the reference makes the object nullable on update.
        acs.set_schedule(user, schedule, ctx.now)
    return {}


def delete(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    cascades.delete_acs_user(ws, ctx.ids, ctx.now, which_user(ws, p))
    return {}


def suspend(ctx: Context, p: Body) -> Body:
    acs.set_suspended(which_user(ctx.workspace, p), True)
    return {}


def unsuspend(ctx: Context, p: Body) -> Body:
    acs.set_suspended(which_user(ctx.workspace, p), False)
    return {}


def add_to_access_group(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    group = find_group(ws, p["acs_access_group_id"])
    access.add_member(ws, ctx.ids, ctx.now, group, p["acs_user_id"], None)
    return {}


def remove_from_access_group(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    group = find_group(ws, p["acs_access_group_id"])
    access.remove_member(ws, group, p.get("acs_user_id"), p.get("user_identity_id"))
    return {}


def users_named(ctx: Context, p: Body) -> list[AcsUser]:
    """The ACS users ``acs_user_id`` names, or ``user_identity_id`` (with ``acs_system_id``:
    its ACS user there; without: all of them), that the caller may see."""
    ws = ctx.workspace
    acs_user_id, user_identity_id = p.get("acs_user_id"), p.get("user_identity_id")
    acs_system_id = p.get("acs_system_id")
    if acs_user_id is None and user_identity_id is not None and acs_system_id is None:
        return [ws.acs_users[i] for i in ctx.identity(user_identity_id).acs_user_ids]
    if acs_user_id is not None and acs_system_id is not None:
        raise invalid("acs_system_id", "Send `acs_system_id` only with `user_identity_id`.")
    user = acs.which_user(ws, acs_user_id, user_identity_id, acs_system_id)
    if not ctx.sees(user.user_identity_id):
        raise NotFound("acs_user_not_found", f"No ACS user with acs_user_id {user.acs_user_id} here.")
    return [user]


def list_accessible_entrances(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    opened = access.users_entrances(ws, users_named(ctx, p), ctx.now)
    return {"acs_entrances": [render.acs_entrance(ws, e) for e in opened]}


def revoke_access_to_all_entrances(ctx: Context, p: Body) -> Body:
    for user in users_named(ctx, p):
        access.revoke_all(ctx.workspace, user)
    return {}


def unmanaged_get(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    user = ws.unmanaged_acs_users.get(p["acs_user_id"])
    if user is None:
        raise NotFound(
            "acs_user_not_found",
            f"No unmanaged ACS user with acs_user_id {p['acs_user_id']} here.",
        )
    return {"acs_user": render.acs_user(ws, user, ctx.now, is_managed=False)}


def unmanaged_list(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    acs_system_id = p.get("acs_system_id")
    needle = Needle(p["search"]) if "search" in p else None
    identity = _named_identity(ws, p)
    limit = paging.limit_of(p)

    def wanted(user: AcsUser) -> bool:
        if acs_system_id is not None and user.acs_system_id != acs_system_id:
            return False
        if identity is not False and not (
            isinstance(identity, UserIdentity) and user.user_identity_id == identity.user_identity_id
        ):
            return False
        return needle is None or needle.found_in(acs.user_search_texts(ws, user), email=user.email_address)

    users = sorted(filter(wanted, ws.unmanaged_acs_users.values()), key=lambda u: u.order_key, reverse=True)
    return {"acs_users": [render.acs_user(ws, u, ctx.now, is_managed=False) for u in users[:limit]]}


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


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    acs_system_id = p.get("acs_system_id")
    search = p.get("search")
    needle = Needle(search) if search is not None else None
    identity = _named_identity(ws, p)

    def wanted(user: AcsUser) -> bool:
        if not ctx.sees(user.user_identity_id):
            return False
        if acs_system_id is not None and user.acs_system_id != acs_system_id:
            return False
        return needle is None or needle.found_in(acs.user_search_texts(ws, user), email=user.email_address)

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
    return {"acs_users": [render.acs_user(ws, user, ctx.now) for user in users], "pagination": pagination}


LIST_PATH = "/acs/users/list"
_SEARCH = Param(
    "search",
    min_length=1,
    description="Case-insensitive substring of the name, phone, email or id of the ACS "
    "user, or of the id, full name or phone of its identity.",
)
_PROFILE = (
    Param("email_address", "email", description="Email address of the ACS user."),
    Param("email", "email", description="Deprecated alias of `email_address`."),
    Param("phone_number", "phone", description="Phone number in E.164 format."),
)
_SCHEDULE_DESCRIPTION = (
    "`starts_at` (default: now) and `ends_at` (optional; in the future, after `starts_at`) of the "
    "user's access, ISO 8601 with a time zone."
)
_THE_GROUP = Param("acs_access_group_id", "uuid", required=True, description="ID of the access group.")

ROUTES = (
    Route("/acs/users/get", READ, WHICH_USER, get, "Get an ACS user.", mutates=False),
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
            _SEARCH,
            *paging.PARAMS,
        ),
        list_,
        "List ACS users, newest first, in pages.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/acs/users/create",
        WRITE,
        (
            Param("acs_system_id", "uuid", required=True, description="The ACS system to add the user to."),
            Param("full_name", required=True, description="Full name of the ACS user."),
            *_PROFILE,
            Param("user_identity_id", "uuid", description="A user identity to link the new ACS user to."),
            Param(
                "access_schedule",
                "object",
                fields=(
                    Param("starts_at", "datetime", description="When access starts (default: now)."),
                    Param(
                        "ends_at", "datetime", nullable=True, description="When access ends (null: never)."
                    ),
                ),
                description=_SCHEDULE_DESCRIPTION,
            ),
            Param(
                "acs_access_group_ids",
                "uuid_list",
                description="Access groups of the same ACS system to put the new user in.",
            ),
        ),
        create,
        "Create an ACS user on an ACS system, optionally linked to a user identity, with an access "
        "schedule and in access groups.",
        mutates=True,
    ),
    Route(
        "/acs/users/update",
        UPDATE,
        (
            *WHICH_USER,
            Param("full_name", min_length=1, description="Full name of the ACS user."),
            *_PROFILE,
            Param(
                "access_schedule",
                "object",
                nullable=True,
                fields=(
                    Param("starts_at", "datetime", required=True, description="When access starts."),
                    Param("ends_at", "datetime", required=True, description="When access ends."),
                ),
                description=_SCHEDULE_DESCRIPTION + " null removes the schedule.",
            ),
        ),
        update,
        "Change an ACS user's full name, email, phone or access schedule.",
        unsupported=("hid_acs_system_id",),
        mutates=True,
    ),
    Route(
        "/acs/users/delete",
        DELETE,
        WHICH_USER,
        delete,
        "Delete an ACS user, unlinking it first.",
        mutates=True,
    ),
    Route("/acs/users/suspend", WRITE, WHICH_USER, suspend, "Suspend an ACS user.", mutates=True),
    Route("/acs/users/unsuspend", WRITE, WHICH_USER, unsuspend, "Unsuspend an ACS user.", mutates=True),
    Route(
        "/acs/users/add_to_access_group",
        ADD,
        (_THE_GROUP, Param("acs_user_id", "uuid", required=True, description="ID of the ACS user.")),
        add_to_access_group,
        "Put an ACS user in an access group of its system (already in it: nothing changes).",
        mutates=True,
    ),
    Route(
        "/acs/users/remove_from_access_group",
        DELETE,
        (
            Param("acs_user_id", "uuid", description="ID of the ACS user."),
            Param("user_identity_id", "uuid", description="Or the identity whose ACS user it is."),
            _THE_GROUP,
        ),
        remove_from_access_group,
        "Take an ACS user out of an access group (not in it: nothing changes).",
        mutates=True,
    ),
    Route(
        "/acs/users/list_accessible_entrances",
        READ,
        WHICH_USER,
        list_accessible_entrances,
        "List the entrances an ACS user (or every ACS user of an identity) can open now.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/acs/users/revoke_access_to_all_entrances",
        WRITE,
        WHICH_USER,
        revoke_access_to_all_entrances,
        "Take an ACS user out of every access group, withdraw its grants and empty its credentials' "
        "entrances.",
        mutates=True,
    ),
    Route(
        "/acs/users/unmanaged/get",
        READ,
        (Param("acs_user_id", "uuid", required=True, description="ID of the unmanaged ACS user."),),
        unmanaged_get,
        "Get an unmanaged ACS user.",
        mutates=False,
    ),
    Route(
        "/acs/users/unmanaged/list",
        READ,
        (
            Param(
                "user_identity_id", "uuid", description="Only those of this identity (none: never linked)."
            ),
            Param(
                "user_identity_phone_number", description="Only those of the identity with this phone (none)."
            ),
            Param(
                "user_identity_email_address",
                description="Only those of the identity with this email (none).",
            ),
            Param("acs_system_id", "uuid", description="Only those of this ACS system."),
            Param("limit", "number", description="Most users returned (default 500)."),
            _SEARCH,
        ),
        unmanaged_list,
        "List unmanaged ACS users, newest first (not paged: at most `limit`).",
        mutates=False,
    ),
)
