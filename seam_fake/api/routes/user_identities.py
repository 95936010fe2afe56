"""``/user_identities/*``: people in the customer's app, linked to ACS users."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...model import access, cascades, identities, sessions
from ...model.errors import NotFound, invalid
from ...model.folding import Needle
from ...model.lookups import find_acs_user, find_identity
from ...model.records import UserIdentity, Workspace, newest_first
from ...model.world import Ids
from .. import paging, render
from ..operation import ADD, DELETE, READ, UPDATE, WITH_CLIENT_SESSION, WRITE, Body, Context, Route
from ..params import Param, whole_number


def create_from(ws: Workspace, ids: Ids, now: str, p: Body) -> Body:
    """A new identity from ``CREATE_PARAMS``, rendered: the route's and the seeding control's."""
    identity = identities.create(
        ws,
        ids,
        now,
        user_identity_key=p.get("user_identity_key"),
        email_address=p.get("email_address"),
        phone_number=p.get("phone_number"),
        full_name=p.get("full_name"),
        acs_system_ids=p.get("acs_system_ids") or (),
    )
    return {"user_identity": render.user_identity(ws, identity)}


def create(ctx: Context, p: Body) -> Body:
    return create_from(ctx.workspace, ctx.ids, ctx.now, p)


def get(ctx: Context, p: Body) -> Body:
    identity = find_identity(
        ctx.workspace,
        user_identity_id=p.get("user_identity_id"),
        user_identity_key=p.get("user_identity_key"),
    )
    return {"user_identity": render.user_identity(ctx.workspace, identity)}


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    search = p.get("search")
    needle = Needle(search) if search is not None else None
    on_system = p.get("credential_manager_acs_system_id")

    def wanted(identity: UserIdentity) -> bool:
        if not ctx.sees(identity.user_identity_id):
            return False
        if needle is not None and not needle.found_in(
            identities.search_texts(identity), email=identity.email_address
        ):
            return False
        return on_system is None or identities.has_acs_user_on(ws, identity, on_system)

    def walk(below: paging.Below) -> Iterator[UserIdentity]:
        named = p.get("user_identity_ids")
        candidates: Iterable[UserIdentity]
        if named is None:
            candidates = map(ws.user_identities.__getitem__, newest_first(ws.identity_order, below))
        else:
            chosen = (ws.user_identities[i] for i in set(named) if i in ws.user_identities)
            candidates = paging.newest_first_among(chosen, below)
        return filter(wanted, candidates)

    found, pagination = paging.page(ctx, LIST_PATH, p, walk)
    return {
        "user_identities": [render.user_identity(ws, identity) for identity in found],
        "pagination": pagination,
    }


def update(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    changes = {name: p[name] for name in identities.FIELDS if name in p}
    identities.update(ws, identity, changes, ctx.now)
    return {}


def delete(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    cascades.delete_identity(ctx.world.state, ws, ctx.ids, ctx.now, identity)
    return {}


def add_acs_user(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    user = find_acs_user(ws, p["acs_user_id"])
    identities.add_acs_user(
        ws,
        ctx.ids,
        ctx.now,
        user,
        user_identity_id=p.get("user_identity_id"),
        user_identity_key=p.get("user_identity_key"),
    )
    return {}


def remove_acs_user(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    identities.remove_acs_user(ws, identity, find_acs_user(ws, p["acs_user_id"]))
    return {}


def list_acs_users(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = find_identity(ws, user_identity_id=p["user_identity_id"])
    return {"acs_users": [render.acs_user(ws, ws.acs_users[i], ctx.now) for i in identity.acs_user_ids]}


def list_acs_systems(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = ctx.identity(p["user_identity_id"])
    return {
        "acs_systems": [render.acs_system(ws, system) for system in identities.acs_systems_of(ws, identity)]
    }


def generate_instant_key(ctx: Context, p: Body) -> Body:
    uses = whole_number("max_use_count", p.get("max_use_count", 1))
    state, ws = ctx.world.state, ctx.workspace
    key = sessions.generate_instant_key(state, ws, ctx.ids, ctx.now, p["user_identity_id"], min(uses, 2**31))
    return {"instant_key": render.instant_key(key)}


def list_accessible_devices(ctx: Context, p: Body) -> Body:
    find_identity(ctx.workspace, user_identity_id=p["user_identity_id"])
    # Devices (locks, thermostats...) are not simulated: an identity can reach none.
    return {"devices": [], "accessible_devices": []}


def list_accessible_entrances(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    identity = ctx.identity(p["user_identity_id"])
    return {
        "acs_entrances": [
            render.acs_entrance(ws, e) for e in access.identity_entrances(ws, identity, ctx.now)
        ]
    }


def _unmanaged(ctx: Context, user_identity_id: str) -> UserIdentity:
    identity = ctx.workspace.unmanaged_user_identities.get(user_identity_id)
    # A client session's identities are managed ones: it sees no unmanaged identity.
    if identity is None or ctx.scope is not None:
        raise NotFound(
            "user_identity_not_found",
            f"No unmanaged user identity with user_identity_id {user_identity_id} in this workspace.",
        )
    return identity


def unmanaged_get(ctx: Context, p: Body) -> Body:
    identity = _unmanaged(ctx, p["user_identity_id"])
    return {"user_identity": render.unmanaged_user_identity(ctx.workspace, identity)}


def unmanaged_list(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    search = p.get("search")
    # The reference sets no minimum length here: an empty search matches every identity.
    needle = Needle(search) if search else None

    def walk(below: paging.Below) -> Iterator[UserIdentity]:
        if ctx.scope is not None:
            return iter(())
        candidates = map(
            ws.unmanaged_user_identities.__getitem__, newest_first(ws.unmanaged_identity_order, below)
        )
        return (
            i
            for i in candidates
            if needle is None or needle.found_in(identities.search_texts(i), email=i.email_address)
        )

    found, pagination = paging.page(ctx, UNMANAGED_LIST_PATH, p, walk)
    return {
        "user_identities": [render.unmanaged_user_identity(ws, i) for i in found],
        "pagination": pagination,
    }


def unmanaged_update(ctx: Context, p: Body) -> Body:
    if p["is_managed"] is not True:
        raise invalid("is_managed", "Must be true: an unmanaged user identity can only be made managed.")
    if p.get("user_identity_key") == "":
        raise invalid("user_identity_key", "Must contain at least 1 character(s), or be left out.")
    identities.manage(ctx.workspace, _unmanaged(ctx, p["user_identity_id"]), p.get("user_identity_key"))
    return {}


LIST_PATH = "/user_identities/list"
UNMANAGED_LIST_PATH = "/user_identities/unmanaged/list"
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


CREATE_PARAMS = (
    *IDENTITY_PARAMS,
    Param(
        "acs_system_ids", "uuid_list", description="ACS systems to link the identity to through ACS users."
    ),
)


def _the_identity(description: str) -> Param:
    return Param("user_identity_id", "uuid", required=True, description=description)


ROUTES = (
    Route(
        "/user_identities/create",
        WRITE,
        CREATE_PARAMS,
        create,
        "Create a user identity, linking or creating an ACS user on each listed ACS system.",
        mutates=True,
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
        mutates=False,
    ),
    Route(
        LIST_PATH,
        READ,
        (
            Param("user_identity_ids", "uuid_list", description="Only these user identities."),
            Param(
                "search",
                description="Case-insensitive substring of the full name, phone, email or id (not the key).",
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
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/user_identities/update",
        UPDATE,
        (_the_identity("ID of the user identity to update."), *IDENTITY_PARAMS),
        update,
        "Change a user identity's key, email, phone or full name; null clears one.",
        mutates=True,
    ),
    Route(
        "/user_identities/delete",
        DELETE,
        (_the_identity("ID of the user identity to delete."),),
        delete,
        "Delete a user identity and the ACS users linked to it.",
        mutates=True,
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
        mutates=True,
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
        mutates=True,
    ),
    Route(
        "/user_identities/list_acs_users",
        READ,
        (_the_identity("ID of the user identity."),),
        list_acs_users,
        "List the ACS users linked to a user identity.",
        mutates=False,
    ),
    Route(
        "/user_identities/list_acs_systems",
        READ,
        (_the_identity("ID of the user identity."),),
        list_acs_systems,
        "List the ACS systems a user identity has ACS users on.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/user_identities/generate_instant_key",
        WRITE,
        (
            _the_identity("ID of the user identity the instant key is for."),
            Param(
                "max_use_count", "number", minimum=1, description="How many times it may be used (default 1)."
            ),
        ),
        generate_instant_key,
        "Generate an instant key (a shareable link, backed by a new client session) for an identity.",
        unsupported=("customization_profile_id",),
        mutates=True,
    ),
    Route(
        "/user_identities/list_accessible_devices",
        READ,
        (_the_identity("ID of the user identity."),),
        list_accessible_devices,
        "List the devices a user identity can reach (none: devices are not simulated).",
        mutates=False,
    ),
    Route(
        "/user_identities/list_accessible_entrances",
        READ,
        (_the_identity("ID of the user identity."),),
        list_accessible_entrances,
        "List the entrances a user identity's ACS users can open now.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/user_identities/unmanaged/get",
        READ,
        (_the_identity("ID of the unmanaged user identity."),),
        unmanaged_get,
        "Get an unmanaged user identity.",
        mutates=False,
    ),
    Route(
        UNMANAGED_LIST_PATH,
        READ,
        (
            Param(
                "search",
                description="Case-insensitive substring of the full name, phone, email or id.",
            ),
            *paging.PARAMS,
        ),
        unmanaged_list,
        "List unmanaged user identities, newest first, in pages.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/user_identities/unmanaged/update",
        UPDATE,
        (
            Param("is_managed", "boolean", required=True, description="true: make the identity managed."),
            _the_identity("ID of the unmanaged user identity."),
            Param("user_identity_key", description="A key for it (unique; none: it keeps none)."),
        ),
        unmanaged_update,
        "Make an unmanaged user identity managed (one way), with a key if given.",
        credentials=WITH_CLIENT_SESSION,
        mutates=True,
    ),
)
