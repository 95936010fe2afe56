"""``/acs/users/*``: the accounts people hold in each access control system."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...model import acs, cascades
from ...model.errors import invalid
from ...model.folding import Needle, fold_email
from ...model.records import AcsUser, UserIdentity, Workspace, newest_first
from .. import paging, render
from ..operation import DELETE, READ, UPDATE, WITH_CLIENT_SESSION, WRITE, Body, Context, Route
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
    return {"acs_user": render.acs_user(ctx.workspace, which_user(ctx.workspace, p))}


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
    )
    return {"acs_user": render.acs_user(ctx.workspace, user)}


def update(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    user = which_user(ws, p)
    changes: dict[str, str | None] = {name: p[name] for name in ("full_name", "phone_number") if name in p}
    email_address = _email(p)
    if email_address is not None:
        changes["email_address"] = email_address
    acs.update_user(ws, user, changes, ctx.now)
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
    return {"acs_users": [render.acs_user(ws, user) for user in users], "pagination": pagination}


LIST_PATH = "/acs/users/list"
_PROFILE = (
    Param("email_address", "email", description="Email address of the ACS user."),
    Param("email", "email", description="Deprecated alias of `email_address`."),
    Param("phone_number", "phone", description="Phone number in E.164 format."),
)
_UNSIMULATED_ACCESS = ("access_schedule",)

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
        ),
        create,
        "Create an ACS user on an ACS system, optionally linked to a user identity.",
        unsupported=(*_UNSIMULATED_ACCESS, "acs_access_group_ids"),
        mutates=True,
    ),
    Route(
        "/acs/users/update",
        UPDATE,
        (*WHICH_USER, Param("full_name", min_length=1, description="Full name of the ACS user."), *_PROFILE),
        update,
        "Change an ACS user's full name, email or phone.",
        unsupported=(*_UNSIMULATED_ACCESS, "hid_acs_system_id"),
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
)
