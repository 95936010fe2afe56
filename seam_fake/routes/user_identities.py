"""``/user_identities/*``: people in the customer's app, linked to ACS users."""

from __future__ import annotations

from .. import render
from ..errors import ApiError
from ..params import Param
from ..state import AcsUser, UserIdentity, Workspace
from .acs_users import new_acs_user
from .base import READ, WRITE, Body, Context, Route
from .lookups import find_acs_system, find_identity

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


ROUTES = (
    Route(
        "/user_identities/create",
        WRITE,
        (
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
)
