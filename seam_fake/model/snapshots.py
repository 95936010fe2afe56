"""Snapshots: the whole state of a fake as JSON-ready data, and back.

A snapshot holds the records and, for comparison's sake, the indexes. Loading
rebuilds the indexes from the records rather than trusting the copies, so a
snapshot edited by hand cannot leave an index that disagrees with its data.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .records import (
    AcsCredential,
    AcsSystem,
    AcsUser,
    ClientSession,
    Event,
    InstantKey,
    Phone,
    RecordError,
    State,
    UserIdentity,
    Workspace,
    order_insert,
)

FORMAT = "seam-fake-snapshot"
VERSION = 1


class SnapshotError(ValueError):
    """A snapshot that is not one this version of seam-fake wrote."""


# Lookup indexes: what they map matters, not the order their keys were added in.
# They are written sorted, so two states that answer alike write the same text.
LOOKUP_INDEXES = (
    "identity_by_key",
    "identity_by_email",
    "identity_by_phone",
    "acs_users_by_email",
    "acs_users_by_phone",
    "credentials_by_user",
    "children_by_parent",
    "credentials_by_device",
    "phones_by_owner",
    "client_session_by_key",
)


def dump(state: State, workspace_id: str, api_key: str) -> dict[str, Any]:
    """A JSON-serialisable deep copy of ``state``, with the default workspace and key."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "default_workspace_id": workspace_id,
        "default_api_key": api_key,
        "workspaces": {ws_id: _dump_workspace(ws) for ws_id, ws in state.workspaces.items()},
        "api_keys": dict(sorted(state.api_keys.items())),
        "personal_access_tokens": {
            token: sorted(allowed) if allowed is not None else None
            for token, allowed in sorted(state.personal_access_tokens.items())
        },
        "cursor_secret": state.cursor_secret,
    }


def _dump_workspace(ws: Workspace) -> dict[str, Any]:
    data: dict[str, Any] = _jsonable(dataclasses.asdict(ws))
    for name in LOOKUP_INDEXES:
        data[name] = dict(sorted(data[name].items()))
    return data


def load(snapshot: Any) -> tuple[State, str, str]:
    """The state, default workspace id and default API key a snapshot holds."""
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise SnapshotError('not a seam-fake snapshot (no "format": "seam-fake-snapshot")')
    version = snapshot.get("version")
    if type(version) is not int or version != VERSION:
        raise SnapshotError(
            f"snapshot version {snapshot.get('version')!r} is not supported; this seam-fake reads {VERSION}"
        )
    try:
        state = State(
            workspaces={ws_id: _workspace(data) for ws_id, data in snapshot["workspaces"].items()},
            api_keys=dict(snapshot["api_keys"]),
            personal_access_tokens={
                token: frozenset(allowed) if allowed is not None else None
                for token, allowed in snapshot["personal_access_tokens"].items()
            },
            cursor_secret=snapshot["cursor_secret"],
        )
        workspace_id, api_key = snapshot["default_workspace_id"], snapshot["default_api_key"]
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise SnapshotError(f"malformed snapshot: {type(error).__name__}: {error}") from None
    for ws in state.workspaces.values():
        for session in ws.client_sessions.values():
            state.client_session_tokens[session.token] = (ws.workspace_id, session.client_session_id)
    if state.api_keys.get(api_key) != workspace_id or workspace_id not in state.workspaces:
        raise SnapshotError("malformed snapshot: the default API key does not open the default workspace")
    return state, workspace_id, api_key


def _workspace(data: dict[str, Any]) -> Workspace:
    ws = Workspace(
        workspace_id=data["workspace_id"],
        name=data["name"],
        company_name=data["company_name"],
        is_sandbox=data["is_sandbox"],
        created_at=data["created_at"],
        last_seq=data["last_seq"],
        # Snapshots written before credentials existed lack these; they load as empty.
        credential_issuance=data.get("credential_issuance", "automatic"),
    )
    for system_data in data["acs_systems"].values():
        system = AcsSystem(**{**system_data, "acs_user_ids": {}})
        ws.acs_systems[system.acs_system_id] = system
    for identity_data in data["user_identities"].values():
        identity = UserIdentity(**{**identity_data, "acs_user_ids": dict(identity_data["acs_user_ids"])})
        for field_name in ("user_identity_key", "email_address", "phone_number"):
            value = getattr(identity, field_name)
            if value is not None and ws.identity_holding(field_name, value) is not None:
                raise ValueError(f"two user identities share the {field_name} {value!r}")
        ws.user_identities[identity.user_identity_id] = identity
        ws.index_identity(identity)
        order_insert(ws.identity_order, identity.created_at, identity.seq, identity.user_identity_id)
    for user_data in data["acs_users"].values():
        errors = [RecordError(**error) for error in user_data["errors"]]
        user = AcsUser(**{**user_data, "errors": errors})
        ws.acs_users[user.acs_user_id] = user
        ws.acs_systems[user.acs_system_id].acs_user_ids[user.acs_user_id] = None
        ws.index_acs_user(user)
        order_insert(ws.acs_user_order, user.created_at, user.seq, user.acs_user_id)
    for phone_data in data.get("phones", {}).values():
        phone = Phone(**phone_data)
        ws.phones[phone.device_id] = phone
        ws.phones_by_owner.setdefault(phone.owner_user_identity_id, {})[phone.device_id] = None
    for credential_data in data.get("acs_credentials", {}).values():
        errors = [RecordError(**error) for error in credential_data["errors"]]
        credential = AcsCredential(**{**credential_data, "errors": errors})
        ws.acs_credentials[credential.acs_credential_id] = credential
        ws.index_credential(credential)
        order_insert(ws.credential_order, credential.created_at, credential.seq, credential.acs_credential_id)
    for session_data in data.get("client_sessions", {}).values():
        session = ClientSession(**session_data)
        ws.client_sessions[session.client_session_id] = session
        if session.user_identifier_key is not None:
            ws.client_session_by_key[session.user_identifier_key] = session.client_session_id
    for key_data in data.get("instant_keys", {}).values():
        key = InstantKey(**key_data)
        ws.instant_keys[key.instant_key_id] = key
    for event_data in data.get("events", {}).values():
        event = Event(**event_data)
        ws.events[event.event_id] = event
    _check_links(ws)
    return ws


def _check_links(ws: Workspace) -> None:
    """Links must agree from both ends: the fake relies on it at every read."""
    for identity in ws.user_identities.values():
        for acs_user_id in identity.acs_user_ids:
            user = ws.acs_users.get(acs_user_id)
            if user is None or user.user_identity_id != identity.user_identity_id:
                raise ValueError(
                    f"user identity {identity.user_identity_id} lists ACS user {acs_user_id}, "
                    "which is not linked to it"
                )
    for user in ws.acs_users.values():
        if user.user_identity_id is not None:
            holder = ws.user_identities.get(user.user_identity_id)
            if holder is None or user.acs_user_id not in holder.acs_user_ids:
                raise ValueError(
                    f"ACS user {user.acs_user_id} is linked to user identity {user.user_identity_id}, "
                    "which does not list it"
                )


def _jsonable(value: Any) -> Any:
    """Tuple keys of the per-system indexes become ``"<system id>|<value>"`` strings,
    and tuples (the entries of the ordered indexes) lists, as JSON has them."""
    if isinstance(value, dict):
        return {
            ("|".join(key) if isinstance(key, tuple) else key): _jsonable(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value
