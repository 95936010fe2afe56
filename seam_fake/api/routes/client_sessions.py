"""``/client_sessions/*``: tokens that let a person's app call Seam as that person."""

from __future__ import annotations

from typing import Any

from ...model import sessions
from ...model.errors import NotFound, invalid
from ...model.records import ClientSession
from .. import render
from ..operation import DELETE, READ, UPDATE, WITH_CLIENT_SESSION, WRITE, Body, Context, Route
from ..params import Param


def _rendered(session: ClientSession) -> Body:
    return {"client_session": render.client_session(session)}


def _for_whom(p: Body) -> dict[str, Any]:
    """Whom and until when a session is for, as create and get_or_create name it."""
    return {
        "user_identity_id": p.get("user_identity_id"),
        "user_identity_ids": p.get("user_identity_ids") or (),
        "user_identifier_key": p.get("user_identifier_key"),
        "expires_at": p.get("expires_at"),
    }


def create(ctx: Context, p: Body) -> Body:
    session = sessions.create(
        ctx.world.state,
        ctx.workspace,
        ctx.ids,
        ctx.now,
        **_for_whom(p),
        customer_key=p.get("customer_key"),
        # The official fake answers a PUT (how both SDKs send create) with the session
        # that has the key, and a POST with an error.
        existing="return" if ctx.method == "PUT" else "refuse",
    )
    return _rendered(session)


def get_or_create(ctx: Context, p: Body) -> Body:
    session = sessions.get_or_create(ctx.world.state, ctx.workspace, ctx.ids, ctx.now, **_for_whom(p))
    return _rendered(session)


def _find(ctx: Context, p: Body) -> ClientSession:
    return sessions.find(
        ctx.workspace,
        client_session_id=p.get("client_session_id"),
        user_identifier_key=p.get("user_identifier_key"),
    )


def get(ctx: Context, p: Body) -> Body:
    own = ctx.client_session
    if own is not None:
        # A client session token reads its own session: with no parameters (as the
        # JavaScript SDK checks a token), or naming itself.
        named = p.get("client_session_id"), p.get("user_identifier_key")
        if named[0] not in (None, own.client_session_id) or named[1] not in (None, own.user_identifier_key):
            raise NotFound(
                "client_session_not_found", "A client session token can read only its own session."
            )
        return _rendered(own)
    if p.get("client_session_id") is None and p.get("user_identifier_key") is None:
        raise invalid("client_session_id", "Provide `client_session_id` or `user_identifier_key`.")
    return _rendered(_find(ctx, p))


def list_(ctx: Context, p: Body) -> Body:
    found = list(ctx.workspace.client_sessions.values())
    # The reference types these ids as plain strings; they are UUIDs, compared in any case.
    session_id, identity_id = p.get("client_session_id"), p.get("user_identity_id")
    if session_id is not None:
        found = [s for s in found if s.client_session_id == session_id.lower()]
    if p.get("user_identifier_key") is not None:
        found = [s for s in found if s.user_identifier_key == p["user_identifier_key"]]
    if identity_id is not None:
        found = [s for s in found if identity_id.lower() in s.user_identity_ids]
    if p.get("without_user_identifier_key") is True:
        found = [s for s in found if s.user_identifier_key is None]
    return {"client_sessions": [render.client_session(s) for s in found]}


def grant_access(ctx: Context, p: Body) -> Body:
    if p.get("client_session_id") is None:
        raise invalid("client_session_id", "Name the client session to grant access to.")
    session = sessions.find(ctx.workspace, client_session_id=p["client_session_id"])
    sessions.grant_access(
        ctx.workspace,
        session,
        user_identity_id=p.get("user_identity_id"),
        user_identity_ids=p.get("user_identity_ids") or (),
        user_identifier_key=p.get("user_identifier_key"),
    )
    return _rendered(session)


def revoke(ctx: Context, p: Body) -> Body:
    sessions.revoke(sessions.find(ctx.workspace, client_session_id=p["client_session_id"]), ctx.now)
    return {}


def delete(ctx: Context, p: Body) -> Body:
    session = sessions.find(ctx.workspace, client_session_id=p["client_session_id"])
    sessions.delete(ctx.world.state, ctx.workspace, ctx.ids, ctx.now, session)
    return {}


_FOR_WHOM = (
    Param("user_identity_id", "uuid", description="The user identity the session is for."),
    Param(
        "user_identity_ids",
        "uuid_list",
        min_items=1,
        max_items=1,
        description="Deprecated: use `user_identity_id`.",
    ),
    Param("user_identifier_key", min_length=1, description="Your own id for the user."),
)
_CONNECTED = ("connected_account_ids", "connect_webview_ids")
_THE_SESSION = Param("client_session_id", "uuid", required=True, description="ID of the client session.")

ROUTES = (
    Route(
        "/client_sessions/create",
        frozenset({"POST", "PUT"}),
        (
            *_FOR_WHOM,
            Param("expires_at", "datetime", description="When the token stops working (default: in a year)."),
            Param("customer_key", min_length=1, description="A customer key to keep with the session."),
        ),
        create,
        "Create a client session; a PUT with a taken user_identifier_key returns that session.",
        unsupported=(*_CONNECTED, "customer_id"),
        mutates=True,
    ),
    Route(
        "/client_sessions/get_or_create",
        WRITE,
        (*_FOR_WHOM, Param("expires_at", "datetime", description="A new expiry for the session.")),
        get_or_create,
        "Get the client session with this user_identifier_key (or for these identities), or create it.",
        unsupported=_CONNECTED,
        mutates=True,
    ),
    Route(
        "/client_sessions/get",
        READ,
        (
            Param("client_session_id", "uuid", description="ID of the client session."),
            Param("user_identifier_key", description="Or its user identifier key."),
        ),
        get,
        "Get a client session (with a client session token: that session).",
        credentials=WITH_CLIENT_SESSION,
        mutates=False,
    ),
    Route(
        "/client_sessions/list",
        READ,
        (
            Param("client_session_id", description="Only this session."),
            Param("user_identifier_key", description="Only the session with this key."),
            Param("user_identity_id", description="Only sessions for this identity."),
            Param("without_user_identifier_key", "boolean", description="Only sessions without a key."),
        ),
        list_,
        "List client sessions, oldest first.",
        unsupported=("connect_webview_id",),
        mutates=False,
    ),
    Route(
        "/client_sessions/grant_access",
        UPDATE,
        (
            Param("client_session_id", description="ID of the client session."),
            Param("user_identity_id", description="A user identity to add."),
            Param(
                "user_identity_ids",
                "string_list",
                min_items=1,
                max_items=1,
                description="Deprecated: use `user_identity_id`.",
            ),
            Param("user_identifier_key", description="A key for a session that has none."),
        ),
        grant_access,
        "Let a client session see more user identities (added, never replaced).",
        unsupported=_CONNECTED,
        mutates=True,
    ),
    Route(
        "/client_sessions/revoke",
        WRITE,
        (_THE_SESSION,),
        revoke,
        "Revoke a client session: its token stops working; the session stays until deleted.",
        mutates=True,
    ),
    Route(
        "/client_sessions/delete",
        DELETE,
        (_THE_SESSION,),
        delete,
        "Delete a client session and its token.",
        mutates=True,
    ),
)
