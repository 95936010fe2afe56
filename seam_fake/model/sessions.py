"""Client sessions and instant keys: how a person's app reaches Seam without an API key.

A client session belongs to a workspace and, usually, to one user identity;
its token (``seam_cst...``) authenticates the routes Seam opens to client
sessions, and sees only that identity's objects. A token stops working once
its session is revoked, deleted or past ``expires_at`` (read from the clock at
each request). An instant key is a shareable link backed by a client session
of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from . import events
from .errors import ApiError, NotFound, invalid, quote
from .ids import Ids
from .journal import change, drop, put
from .lookups import find_identity
from .records import ClientSession, InstantKey, State, Workspace

# The official fake's default lifetime of a client session (store.ts, `ms("1 year")`,
# which the ms package counts as 365.25 days); Seam's documents give none.
CLIENT_SESSION_LIFETIME = timedelta(days=365.25)
# An instant key lives as long as in the samples of Seam's reference (48 hours).
INSTANT_KEY_LIFETIME = timedelta(hours=48)
INSTANT_KEY_URL = "https://ik.seam.co/"
_URL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def later(now: str, delta: timedelta) -> str:
    """``now`` (as the fake writes times) moved on by ``delta``, written the same way."""
    moment = datetime.fromisoformat(now[:-1] + "+00:00") + delta
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _identity_ids(ws: Workspace, user_identity_id: str | None, user_identity_ids: Sequence[str]) -> list[str]:
    """The identities a session is for, from ``user_identity_id`` and the deprecated
    ``user_identity_ids``, each checked to exist in the workspace."""
    given = [*([user_identity_id] if user_identity_id else []), *user_identity_ids]
    named = list(dict.fromkeys(identity_id.lower() for identity_id in given))
    for identity_id in named:
        find_identity(ws, user_identity_id=identity_id)
    return named


def _new_session(
    state: State,
    ws: Workspace,
    ids: Ids,
    now: str,
    identity_ids: list[str],
    user_identifier_key: str | None,
    expires_at: str | None,
    customer_key: str | None,
) -> ClientSession:
    session = ClientSession(
        client_session_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        token=ids.token("seam_cst"),
        created_at=now,
        expires_at=expires_at or later(now, CLIENT_SESSION_LIFETIME),
        user_identity_ids=identity_ids,
        user_identifier_key=user_identifier_key,
        customer_key=customer_key,
    )
    ws.add_client_session(session)
    put(state.client_session_tokens, session.token, (ws.workspace_id, session.client_session_id))
    return session


def session_with_key(ws: Workspace, user_identifier_key: str) -> ClientSession | None:
    session_id = ws.client_session_by_key.get(user_identifier_key)
    return ws.client_sessions[session_id] if session_id is not None else None


def create(
    state: State,
    ws: Workspace,
    ids: Ids,
    now: str,
    *,
    user_identity_id: str | None = None,
    user_identity_ids: Sequence[str] = (),
    user_identifier_key: str | None = None,
    expires_at: str | None = None,
    customer_key: str | None = None,
    existing: str = "refuse",
) -> ClientSession:
    """``/client_sessions/create``. A session with the same ``user_identifier_key`` is
    refused (``existing="refuse"``, a POST) or returned as it is (``"return"``, a PUT),
    as the official fake does."""
    identity_ids = _identity_ids(ws, user_identity_id, user_identity_ids)
    if user_identifier_key is not None:
        found = session_with_key(ws, user_identifier_key)
        if found is not None:
            if existing == "return":
                return found
            raise ApiError(
                "client_session_token_already_exists",
                f"A client session with user_identifier_key {quote(user_identifier_key)} already exists "
                f"({found.client_session_id}); use /client_sessions/get_or_create, or PUT.",
            )
    return _new_session(state, ws, ids, now, identity_ids, user_identifier_key, expires_at, customer_key)


def get_or_create(
    state: State,
    ws: Workspace,
    ids: Ids,
    now: str,
    *,
    user_identity_id: str | None = None,
    user_identity_ids: Sequence[str] = (),
    user_identifier_key: str | None = None,
    expires_at: str | None = None,
) -> ClientSession:
    """The session with this ``user_identifier_key`` (or, without one, for exactly these
    identities), its expiry moved to ``expires_at`` if given and its identities granted;
    or a new one."""
    identity_ids = _identity_ids(ws, user_identity_id, user_identity_ids)
    found: ClientSession | None = None
    if user_identifier_key is not None:
        found = session_with_key(ws, user_identifier_key)
    elif identity_ids:
        found = next(
            (
                s
                for s in ws.client_sessions.values()
                if s.user_identifier_key is None and s.user_identity_ids == identity_ids
            ),
            None,
        )
    if found is None:
        return _new_session(state, ws, ids, now, identity_ids, user_identifier_key, expires_at, None)
    if expires_at is not None:
        change(found, "expires_at", expires_at)
    _grant(found, identity_ids)
    return found


def _grant(session: ClientSession, identity_ids: list[str]) -> None:
    added = [i for i in identity_ids if i not in session.user_identity_ids]
    if added:
        change(session, "user_identity_ids", [*session.user_identity_ids, *added])


def find(
    ws: Workspace, *, client_session_id: str | None = None, user_identifier_key: str | None = None
) -> ClientSession:
    session: ClientSession | None
    if client_session_id is not None:
        # Some routes type the id as a plain string; it is a UUID, compared in any case.
        session = ws.client_sessions.get(client_session_id.lower())
        named = f"client_session_id {quote(client_session_id)}"
    else:
        session = session_with_key(ws, user_identifier_key or "")
        named = f"user_identifier_key {quote(user_identifier_key)}"
    if session is None:
        raise NotFound("client_session_not_found", f"No client session with {named} in this workspace.")
    return session


def grant_access(
    ws: Workspace,
    session: ClientSession,
    *,
    user_identity_id: str | None = None,
    user_identity_ids: Sequence[str] = (),
    user_identifier_key: str | None = None,
) -> None:
    """Give a session more identities (kept, never replaced), and a key if it has none."""
    identity_ids = _identity_ids(ws, user_identity_id, user_identity_ids)
    if user_identifier_key is not None and user_identifier_key != session.user_identifier_key:
        if session.user_identifier_key is not None:
            raise invalid(
                "user_identifier_key",
                f"This client session already has user_identifier_key {quote(session.user_identifier_key)}.",
            )
        holder = session_with_key(ws, user_identifier_key)
        if holder is not None:
            raise ApiError(
                "client_session_token_already_exists",
                f"Client session {holder.client_session_id} already has user_identifier_key "
                f"{quote(user_identifier_key)}.",
            )
        ws.set_session_key(session, user_identifier_key)
    _grant(session, identity_ids)


def revoke(session: ClientSession, now: str) -> None:
    """The token stops working; the session stays, to be read or deleted."""
    if session.revoked_at is None:
        change(session, "revoked_at", now)


def delete(state: State, ws: Workspace, ids: Ids, now: str, session: ClientSession) -> None:
    """Delete a session, its token and the instant keys that use it."""
    for key in [k for k in ws.instant_keys.values() if k.client_session_id == session.client_session_id]:
        ws.remove_instant_key(key)
    drop(state.client_session_tokens, session.token)
    ws.remove_client_session(session)
    events.record(
        ws,
        ids,
        now,
        "client_session.deleted",
        list(session.user_identity_ids),
        client_session_id=session.client_session_id,
    )


def problem_with(session: ClientSession, now: str) -> ApiError | None:
    """Why a session's token may not be used now, or None."""
    if session.revoked_at is not None:
        return ApiError("client_session_revoked", "This client session was revoked; create a new one.")
    # Past `expires_at`, as the official fake compares (with-client-session.ts).
    if session.expires_at < now:
        return ApiError(
            "client_session_expired",
            f"This client session expired at {session.expires_at}; create a new one.",
        )
    return None


# Instant keys ----------------------------------------------------------------------


def generate_instant_key(
    state: State, ws: Workspace, ids: Ids, now: str, user_identity_id: str, max_use_count: int
) -> InstantKey:
    """An instant key for an identity, backed by a new client session for that identity."""
    identity = find_identity(ws, user_identity_id=user_identity_id)
    expires_at = later(now, INSTANT_KEY_LIFETIME)
    session = _new_session(state, ws, ids, now, [identity.user_identity_id], None, expires_at, None)
    code = "".join(_URL_ALPHABET[ord(c) % len(_URL_ALPHABET)] for c in ids.token("")[:8])
    key = InstantKey(
        instant_key_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        user_identity_id=identity.user_identity_id,
        client_session_id=session.client_session_id,
        instant_key_url=INSTANT_KEY_URL + code,
        created_at=now,
        expires_at=expires_at,
        max_use_count=max_use_count,
    )
    ws.add_instant_key(key)
    return key


def find_instant_key(
    ws: Workspace, *, instant_key_id: str | None = None, instant_key_url: str | None = None
) -> InstantKey:
    key: InstantKey | None
    if instant_key_id is not None:
        key = ws.instant_keys.get(instant_key_id)
        named = f"instant_key_id {quote(instant_key_id)}"
    else:
        key = next((k for k in ws.instant_keys.values() if k.instant_key_url == instant_key_url), None)
        named = f"instant_key_url {quote(instant_key_url)}"
    if key is None:
        raise NotFound("instant_key_not_found", f"No instant key with {named} in this workspace.")
    return key


def delete_instant_key(state: State, ws: Workspace, ids: Ids, now: str, key: InstantKey) -> None:
    """Delete an instant key and the client session behind it: the link stops working."""
    session = ws.client_sessions.get(key.client_session_id)
    ws.remove_instant_key(key)
    if session is not None:
        delete(state, ws, ids, now, session)
