"""``/acs/credentials/*``: codes, cards, mobile keys and cloud keys of ACS users."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ...model import access, cascades, credentials, issuance
from ...model.acs_types import ACCESS_METHODS
from ...model.errors import NotFound, invalid
from ...model.folding import Needle
from ...model.records import AcsCredential, Workspace, newest_first
from ...model.world import Ids
from .. import paging, render
from ..operation import DELETE, READ, UPDATE, WITH_CLIENT_SESSION, WRITE, Body, Context, Route
from ..params import Param


def find(ctx: Context, acs_credential_id: str) -> AcsCredential:
    """A credential of the workspace that the caller may see, or ``acs_credential_not_found``."""
    ws = ctx.workspace
    credential = ws.acs_credentials.get(acs_credential_id.lower())
    if credential is None or not ctx.sees(identity_of(ctx, credential)):
        raise NotFound(
            "acs_credential_not_found",
            f"No credential with acs_credential_id {acs_credential_id} in this workspace.",
        )
    return credential


def identity_of(ctx: Context, credential: AcsCredential) -> str | None:
    identity = issuance.owner_identity(ctx.workspace, credential)
    return identity.user_identity_id if identity is not None else None


def _rendered(ctx: Context, credential: AcsCredential) -> Body:
    return {"acs_credential": render.acs_credential(ctx.workspace, credential)}


def create(ctx: Context, p: Body) -> Body:
    return create_from(ctx.workspace, ctx.ids, ctx.now, p)


def create_from(ws: Workspace, ids: Ids, now: str, p: Body) -> Body:
    """A new credential from ``CREATE_PARAMS``, rendered: the route's and the seeding control's."""
    credential = credentials.create(
        ws,
        ids,
        now,
        access_method=p["access_method"],
        acs_user_id=p.get("acs_user_id"),
        user_identity_id=p.get("user_identity_id"),
        acs_system_id=p.get("acs_system_id"),
        code=p.get("code"),
        is_multi_phone_sync_credential=p.get("is_multi_phone_sync_credential", False),
        credential_manager_acs_system_id=p.get("credential_manager_acs_system_id"),
        starts_at=p.get("starts_at"),
        ends_at=p.get("ends_at"),
        allowed_acs_entrance_ids=p.get("allowed_acs_entrance_ids"),
    )
    return {"acs_credential": render.acs_credential(ws, credential)}


def get(ctx: Context, p: Body) -> Body:
    return _rendered(ctx, find(ctx, p["acs_credential_id"]))


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    acs_user_id = p.get("acs_user_id")
    acs_system_id = p.get("acs_system_id")
    user_identity_id = p.get("user_identity_id")
    multi = p.get("is_multi_phone_sync_credential")
    search = p.get("search")
    needle = Needle(search) if search is not None else None

    def wanted(credential: AcsCredential) -> bool:
        if acs_system_id is not None and credential.acs_system_id != acs_system_id:
            return False
        if multi is not None and credential.is_multi_phone_sync_credential != multi:
            return False
        if not ctx.sees(identity_of(ctx, credential)):
            return False
        return needle is None or needle.found_in(credentials.search_texts(ws, credential))

    def walk(below: paging.Below) -> Iterator[AcsCredential]:
        candidates: Iterable[AcsCredential]
        if acs_user_id is not None:
            candidates = paging.newest_first_among(ws.credentials_of_user(acs_user_id), below)
        elif user_identity_id is not None:
            identity = ws.user_identities.get(user_identity_id)
            users = identity.acs_user_ids if identity is not None else ()
            owned = [c for user in users for c in ws.credentials_of_user(user)]
            candidates = paging.newest_first_among(owned, below)
        else:
            candidates = map(ws.acs_credentials.__getitem__, newest_first(ws.credential_order, below))
        return filter(wanted, candidates)

    found, pagination = paging.page(ctx, LIST_PATH, p, walk)
    return {"acs_credentials": [render.acs_credential(ws, c) for c in found], "pagination": pagination}


def delete(ctx: Context, p: Body) -> Body:
    cascades.delete_credential(ctx.workspace, ctx.ids, ctx.now, find(ctx, p["acs_credential_id"]))
    return {}


def assign(ctx: Context, p: Body) -> Body:
    return _move(ctx, p, credentials.assign)


def unassign(ctx: Context, p: Body) -> Body:
    return _move(ctx, p, credentials.unassign)


def _move(ctx: Context, p: Body, rule: Callable[..., None]) -> Body:
    """``assign`` or ``unassign``: the credential, and whom the request names."""
    credential = find(ctx, p["acs_credential_id"])
    who = {"acs_user_id": p.get("acs_user_id"), "user_identity_id": p.get("user_identity_id")}
    rule(ctx.workspace, ctx.ids, ctx.now, credential, **who)
    return _rendered(ctx, credential)


def update(ctx: Context, p: Body) -> Body:
    credential = find(ctx, p["acs_credential_id"])
    credentials.update(
        ctx.workspace, ctx.ids, ctx.now, credential, code=p.get("code"), ends_at=p.get("ends_at")
    )
    return _rendered(ctx, credential)


def list_accessible_entrances(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    credential = find(ctx, p["acs_credential_id"])
    return {
        "acs_entrances": [
            render.acs_entrance(ws, e) for e in access.credential_entrances(ws, credential, ctx.now)
        ]
    }


def unmanaged_get(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    credential = ws.unmanaged_acs_credentials.get(p["acs_credential_id"])
    if credential is None:
        raise NotFound(
            "acs_credential_not_found",
            f"No unmanaged credential with acs_credential_id {p['acs_credential_id']} in this workspace.",
        )
    return {"acs_credential": render.acs_credential(ws, credential, is_managed=False)}


def unmanaged_list(ctx: Context, p: Body) -> Body:
    """The reference's body is one of: ``acs_user_id``, ``acs_system_id``, both, or
    ``user_identity_id``; a GET sends none of them (its declaration has no parameters)."""
    ws = ctx.workspace
    acs_user_id, acs_system_id = p.get("acs_user_id"), p.get("acs_system_id")
    user_identity_id = p.get("user_identity_id")
    if user_identity_id is not None and (acs_user_id is not None or acs_system_id is not None):
        raise invalid(
            "user_identity_id", "Send `user_identity_id` alone, or `acs_user_id` and/or `acs_system_id`."
        )
    needle = Needle(p["search"]) if "search" in p else None
    identity = ws.user_identities.get(user_identity_id or "")
    of_identity = set(identity.acs_user_ids) if identity is not None else set()

    def wanted(credential: AcsCredential) -> bool:
        if acs_user_id is not None and credential.acs_user_id != acs_user_id:
            return False
        if acs_system_id is not None and credential.acs_system_id != acs_system_id:
            return False
        if user_identity_id is not None and credential.acs_user_id not in of_identity:
            return False
        return needle is None or needle.found_in(credentials.search_texts(ws, credential))

    # Through the per-user index when a user or an identity is named: O(their credentials).
    candidates: Iterable[AcsCredential] = ws.unmanaged_acs_credentials.values()
    if acs_user_id is not None:
        candidates = ws.unmanaged_credentials_of(acs_user_id)
    elif user_identity_id is not None:
        candidates = [c for user in of_identity for c in ws.unmanaged_credentials_of(user)]
    found = sorted(filter(wanted, candidates), key=lambda c: c.order_key)
    return {"acs_credentials": [render.acs_credential(ws, c, is_managed=False) for c in found]}


LIST_PATH = "/acs/credentials/list"


def _the_credential(description: str, kind: str = "uuid") -> Param:
    return Param("acs_credential_id", kind, required=True, description=description)  # type: ignore[arg-type]


_WHO = (
    Param("acs_user_id", "uuid", description="The ACS user."),
    Param(
        "user_identity_id",
        "uuid",
        description="Or the user identity, whose ACS user on the system is linked or created.",
    ),
)

CREATE_PARAMS = (
    Param(
        "access_method",
        required=True,
        choices=ACCESS_METHODS,
        description="code, card, mobile_key or cloud_key.",
    ),
    *_WHO,
    Param("acs_system_id", "uuid", description="With `user_identity_id`: the ACS system."),
    Param("code", description="A PIN of 4 to 9 digits, for a code on a system that takes one."),
    Param(
        "is_multi_phone_sync_credential",
        "boolean",
        description="True for a mobile key: one child credential per phone of the identity.",
    ),
    Param(
        "credential_manager_acs_system_id",
        "uuid",
        description="The credential manager that issues a mobile key (default: the system's).",
    ),
    Param(
        "starts_at",
        "datetime",
        description="When the credential starts (a past time is moved to now).",
    ),
    Param("ends_at", "datetime", description="When it ends: in the future, after `starts_at`."),
    Param(
        "allowed_acs_entrance_ids",
        "uuid_list",
        description="Entrances of the credential's ACS system that the credential itself opens.",
    ),
)

ROUTES = (
    Route(
        "/acs/credentials/create",
        WRITE,
        CREATE_PARAMS,
        create,
        "Create a credential for an ACS user, or for a user identity on an ACS system.",
        unsupported=(
            "assa_abloy_vostio_metadata",
            "hotek_metadata",
            "salto_space_metadata",
            "visionline_metadata",
        ),
        mutates=True,
    ),
    Route(
        "/acs/credentials/get",
        READ,
        (_the_credential("ID of the credential."),),
        get,
        "Get a credential.",
        mutates=False,
    ),
    Route(
        LIST_PATH,
        READ,
        (
            Param("acs_user_id", "uuid", description="Only this ACS user's credentials."),
            Param("acs_system_id", "uuid", description="Only credentials on this ACS system."),
            Param(
                "user_identity_id", "uuid", description="Only the credentials of this identity's ACS users."
            ),
            Param(
                "is_multi_phone_sync_credential",
                "boolean",
                description="Only multi-phone sync credentials (true) or only the others (false).",
            ),
            Param(
                "search",
                min_length=1,
                description="Case-insensitive substring of the display name, code, ACS user id or id.",
            ),
            *paging.params("number"),
        ),
        list_,
        "List credentials, newest first, in pages.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/acs/credentials/update",
        UPDATE,
        (
            _the_credential("ID of the credential to update.", "string"),
            Param("code", description="A new PIN, for a code credential."),
            Param("ends_at", "datetime", description="A new end: in the future, after `starts_at`."),
        ),
        update,
        "Change a credential's code or end; an issued mobile key is reissued to its phones.",
        mutates=True,
    ),
    Route(
        "/acs/credentials/delete",
        DELETE,
        (_the_credential("ID of the credential to delete."),),
        delete,
        "Delete a credential and its per-phone children.",
        mutates=True,
    ),
    Route(
        "/acs/credentials/assign",
        UPDATE,
        (_the_credential("ID of the credential to assign."), *_WHO),
        assign,
        "Assign a credential to an ACS user (or a user identity's ACS user).",
        mutates=True,
    ),
    Route(
        "/acs/credentials/unassign",
        UPDATE,
        (_the_credential("ID of the credential to unassign."), *_WHO),
        unassign,
        "Take a credential from the ACS user it is assigned to.",
        mutates=True,
    ),
    Route(
        "/acs/credentials/list_accessible_entrances",
        READ,
        (_the_credential("ID of the credential."),),
        list_accessible_entrances,
        "List the entrances a credential opens now: its own and its ACS user's.",
        mutates=False,
    ),
    Route(
        "/acs/credentials/unmanaged/get",
        READ,
        (_the_credential("ID of the unmanaged credential."),),
        unmanaged_get,
        "Get an unmanaged credential.",
        mutates=False,
    ),
    Route(
        "/acs/credentials/unmanaged/list",
        READ,
        (
            Param("acs_user_id", "uuid", description="Only this ACS user's unmanaged credentials."),
            Param("acs_system_id", "uuid", description="Only those on this ACS system."),
            Param("user_identity_id", "uuid", description="Only those of this identity's ACS users (alone)."),
            Param(
                "search",
                min_length=1,
                description="Case-insensitive substring of the display name, code, ACS user id or id.",
            ),
        ),
        unmanaged_list,
        "List unmanaged credentials, oldest first.",
        mutates=False,
    ),
)
