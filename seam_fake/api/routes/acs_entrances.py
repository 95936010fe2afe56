"""``/acs/entrances/*``: the doors of access control systems, who may open them, and unlocking."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...model import access
from ...model.errors import NotFound
from ...model.folding import Needle
from ...model.lookups import find_entrance
from ...model.records import AcsEntrance, newest_first
from .. import paging, render
from ..operation import READ, WITH_CLIENT_SESSION, WRITE, Body, Context, Route
from ..params import Param
from . import acs_credentials

LIST_PATH = "/acs/entrances/list"
# The reference's default page size for entrances (every other list has 500).
LIST_LIMIT = 900
VALID_VISIONLINE = "visionline_metadata.is_valid"


def _visible(ctx: Context) -> set[str] | None:
    """The entrances a client session may see: those its identities can open now
    (None: every entrance of the workspace)."""
    scope = ctx.scope
    if scope is None:
        return None
    ws = ctx.workspace
    return {
        e.acs_entrance_id
        for identity_id in scope
        if identity_id in ws.user_identities
        for e in access.identity_entrances(ws, ws.user_identities[identity_id], ctx.now)
    }


def find(ctx: Context, acs_entrance_id: str) -> AcsEntrance:
    entrance = find_entrance(ctx.workspace, acs_entrance_id)
    visible = _visible(ctx)
    if visible is not None and entrance.acs_entrance_id not in visible:
        raise NotFound("acs_entrance_not_found", f"No entrance with acs_entrance_id {acs_entrance_id} here.")
    return entrance


def _opened_by(ctx: Context, acs_credential_id: str) -> list[str]:
    credential = acs_credentials.find(ctx, acs_credential_id)
    return [e.acs_entrance_id for e in access.credential_entrances(ctx.workspace, credential, ctx.now)]


def get(ctx: Context, p: Body) -> Body:
    return {"acs_entrance": render.acs_entrance(ctx.workspace, find(ctx, p["acs_entrance_id"]))}


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    acs_system_id = p.get("acs_system_id")
    connected_account_id = p.get("connected_account_id")
    needle = Needle(p["search"]) if "search" in p else None
    visible = _visible(ctx)
    # Customers and spaces are not simulated: an entrance belongs to none, so a filter on
    # one matches nothing rather than being ignored.
    nothing = any(p.get(name) is not None for name in ("customer_key", "space_id", "location_id"))
    # The few entrances a filter or a client session names, from which a page is sorted:
    # O(their number), not O(the workspace's entrances).
    named: list[str] | None = None
    for narrower in (
        p.get("acs_entrance_ids"),
        visible,
        _opened_by(ctx, p["acs_credential_id"]) if "acs_credential_id" in p else None,
    ):
        if narrower is not None:
            keep = set(narrower)
            named = list(narrower) if named is None else [i for i in named if i in keep]

    def wanted(entrance: AcsEntrance) -> bool:
        if acs_system_id is not None and entrance.acs_system_id != acs_system_id:
            return False
        system = ws.acs_systems[entrance.acs_system_id]
        if connected_account_id is not None and system.connected_account_id != connected_account_id:
            return False
        return needle is None or needle.found_in((entrance.display_name,))

    def walk(below: paging.Below) -> Iterator[AcsEntrance]:
        candidates: Iterable[AcsEntrance]
        if nothing:
            candidates = ()
        elif named is not None:
            found = (ws.acs_entrances[i] for i in dict.fromkeys(named) if i in ws.acs_entrances)
            candidates = paging.newest_first_among(found, below)
        elif acs_system_id is not None:
            system = ws.acs_systems.get(acs_system_id)
            ids = system.acs_entrance_ids if system is not None else {}
            candidates = paging.newest_first_among(map(ws.acs_entrances.__getitem__, ids), below)
        else:
            candidates = map(ws.acs_entrances.__getitem__, newest_first(ws.entrance_order, below))
        return filter(wanted, candidates)

    entrances, pagination = paging.page(ctx, LIST_PATH, p, walk, default_limit=LIST_LIMIT)
    return {"acs_entrances": [render.acs_entrance(ws, e) for e in entrances], "pagination": pagination}


def grant_access(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    entrance = find_entrance(ws, p["acs_entrance_id"])
    access.grant_access(ws, ctx.ids, ctx.now, entrance, p.get("acs_user_id"), p.get("user_identity_id"))
    return {}


def list_credentials_with_access(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    entrance = find(ctx, p["acs_entrance_id"])
    found = access.credentials_with_access(ws, entrance, ctx.now)
    if VALID_VISIONLINE in p.get("include_if", ()):
        found = [c for c in found if access.is_valid_visionline(ws, c, ctx.now)]
    return {
        "acs_credentials": [
            render.acs_credential(ws, c) for c in found if ctx.sees(acs_credentials.identity_of(ctx, c))
        ]
    }


def unlock(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    entrance = find_entrance(ws, p["acs_entrance_id"])
    credential = acs_credentials.find(ctx, p["acs_credential_id"])
    attempt = access.unlock(ws, ctx.ids, ctx.now, entrance, credential)
    return {"action_attempt": render.action_attempt(attempt)}


_THE_ENTRANCE = Param("acs_entrance_id", "uuid", required=True, description="ID of the entrance.")
_WHO = (
    Param("acs_user_id", "uuid", description="The ACS user."),
    Param(
        "user_identity_id",
        "uuid",
        description="Or the user identity, whose ACS user on the entrance's system is linked or created.",
    ),
)

ROUTES = (
    Route(
        "/acs/entrances/get",
        READ,
        (_THE_ENTRANCE,),
        get,
        "Get an entrance (a client session: one its identities can open).",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        LIST_PATH,
        READ,
        (
            Param("customer_key", description="Only entrances of this customer (none: not simulated)."),
            Param("acs_system_id", "uuid", description="Only entrances of this ACS system."),
            Param("acs_credential_id", "uuid", description="Only the entrances this credential opens now."),
            Param(
                "location_id", "uuid", nullable=True, description="Deprecated; only entrances in this space."
            ),
            Param("space_id", "uuid", description="Only entrances in this space (none: not simulated)."),
            Param(
                "connected_account_id",
                "uuid",
                description="Only entrances of this connected account.",
            ),
            Param("acs_entrance_ids", "uuid_list", description="Only these entrances."),
            Param("search", min_length=1, description="Case-insensitive substring of the display name."),
            *paging.params(default=LIST_LIMIT, created_before=False),
        ),
        list_,
        "List entrances, newest first, in pages of 900 unless `limit` says otherwise.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/acs/entrances/grant_access",
        WRITE,
        (_THE_ENTRANCE, *_WHO),
        grant_access,
        "Grant an ACS user (or an identity's) an entrance, on a system that grants entrance by entrance.",
        mutates=True,
    ),
    Route(
        "/acs/entrances/list_credentials_with_access",
        READ,
        (
            _THE_ENTRANCE,
            Param(
                "include_if",
                "string_list",
                choices=(VALID_VISIONLINE,),
                description="Only issued Visionline credentials in their window.",
            ),
        ),
        list_credentials_with_access,
        "List the credentials that open an entrance now, oldest first.",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/acs/entrances/unlock",
        WRITE,
        (
            Param("acs_credential_id", "uuid", required=True, description="A cloud_key credential."),
            _THE_ENTRANCE,
        ),
        unlock,
        "Unlock an entrance remotely with a cloud key credential; returns an action attempt.",
        mutates=True,
    ),
)
