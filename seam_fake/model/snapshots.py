"""Snapshots: the whole state of a fake as JSON-ready data, and back.

A snapshot holds the records and, for comparison's sake, the indexes. Loading
rebuilds the indexes from the records rather than trusting the copies, so a
snapshot edited by hand cannot leave an index that disagrees with its data.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from typing import Any

from .access import ACTION_ATTEMPT_STATUSES, UNLOCK_DOOR
from .acs_types import ACCESS_METHODS, ACS_TYPES, ACS_USER_WARNING_CODES
from .errors import clip
from .events import EVENT_TYPES
from .ids import check_api_key_format
from .issuance import ISSUANCE_MODES
from .records import (
    AcsAccessGroup,
    AcsCredential,
    AcsEntrance,
    AcsSystem,
    AcsUser,
    ActionAttempt,
    ClientSession,
    Event,
    InstantKey,
    Phone,
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
    "groups_by_user",
    "grants_by_user",
    "groups_by_entrance",
    "credentials_by_entrance",
    "unmanaged_credentials_by_user",
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


# Lookup indexes whose holders' order means nothing either (access is a union of them):
# written sorted too, so a state loaded from a snapshot writes the same snapshot again.
UNORDERED_HOLDERS = (
    "groups_by_user",
    "grants_by_user",
    "groups_by_entrance",
    "credentials_by_entrance",
    "unmanaged_credentials_by_user",
)


def _dump_workspace(ws: Workspace) -> dict[str, Any]:
    data: dict[str, Any] = _jsonable(dataclasses.asdict(ws))
    for name in LOOKUP_INDEXES:
        data[name] = dict(sorted(data[name].items()))
    for name in UNORDERED_HOLDERS:
        data[name] = {key: dict(sorted(holders.items())) for key, holders in data[name].items()}
    return data


def load(snapshot: Any) -> tuple[State, str, str]:
    """The state, default workspace id and default API key a snapshot holds.

    Everything is checked before anything is used: each field's type and range,
    every reference between records, every uniqueness rule the fake relies on. A
    snapshot that fails raises ``SnapshotError`` naming where, and nothing was
    replaced: the caller swaps the new state in only once it is whole.
    """
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise SnapshotError('not a seam-fake snapshot (no "format": "seam-fake-snapshot")')
    version = snapshot.get("version")
    if type(version) is not int or version != VERSION:
        raise SnapshotError(
            f"snapshot version {clip(repr(snapshot.get('version')))} is not supported; "
            f"this seam-fake reads {VERSION}"
        )
    return _Loader().load(snapshot)


# Fields that hold a time the fake wrote (``2026-12-01T23:45:00.000Z``); "" is allowed
# where the record's default is "".
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
_TIME_FIELDS = frozenset(
    {
        "created_at",
        "occurred_at",
        "expires_at",
        "linked_at",
        "profile_changed_at",
        "being_deleted_since",
        "starts_at",
        "ends_at",
        "issued_at",
        "waiting_since",
        "schedule_modified_at",
        "needs_reissue_since",
        "revoked_at",
        "schedule_set_at",
    }
)
# Indexes and sets the loader rebuilds from the records; what the snapshot holds for
# them is only checked to be of the right shape.
REBUILT = frozenset(
    {
        *LOOKUP_INDEXES,
        "identity_order",
        "acs_user_order",
        "credential_order",
        "entrance_order",
        "action_attempt_order",
        "unmanaged_identity_order",
    }
)
_TOP_LEVEL = frozenset(
    {
        "format",
        "version",
        "default_workspace_id",
        "default_api_key",
        "workspaces",
        "api_keys",
        "personal_access_tokens",
        "cursor_secret",
    }
)
# Record kinds, in the order they are read (a record may only refer to kinds read before it).
KINDS: tuple[tuple[str, type[Any], str], ...] = (
    ("acs_systems", AcsSystem, "acs_system_id"),
    ("user_identities", UserIdentity, "user_identity_id"),
    ("acs_users", AcsUser, "acs_user_id"),
    ("acs_entrances", AcsEntrance, "acs_entrance_id"),
    ("acs_access_groups", AcsAccessGroup, "acs_access_group_id"),
    ("phones", Phone, "device_id"),
    ("acs_credentials", AcsCredential, "acs_credential_id"),
    ("client_sessions", ClientSession, "client_session_id"),
    ("instant_keys", InstantKey, "instant_key_id"),
    ("action_attempts", ActionAttempt, "action_attempt_id"),
    ("unmanaged_user_identities", UserIdentity, "user_identity_id"),
    ("unmanaged_acs_users", AcsUser, "acs_user_id"),
    ("unmanaged_acs_access_groups", AcsAccessGroup, "acs_access_group_id"),
    ("unmanaged_acs_credentials", AcsCredential, "acs_credential_id"),
    ("events", Event, "event_id"),
)
# Kinds whose records older snapshots wrote without a sequence number (0): they get one.
_LATE_SEQ = frozenset({"phones", "client_sessions", "instant_keys"})


class _Refused(Exception):
    """One problem with a snapshot, and where it is."""


class _Loader:
    def load(self, snapshot: dict[str, Any]) -> tuple[State, str, str]:
        try:
            return self._load(snapshot)
        except _Refused as problem:
            raise SnapshotError(f"malformed snapshot: {problem}") from None

    def _load(self, snapshot: dict[str, Any]) -> tuple[State, str, str]:
        _keys(snapshot, _TOP_LEVEL, _TOP_LEVEL, "the snapshot")
        workspaces = _mapping(snapshot["workspaces"], "workspaces")
        state = State(cursor_secret=_text(snapshot["cursor_secret"], "cursor_secret"))
        for ws_id, data in workspaces.items():
            ws = _Workspace(ws_id, data, f"workspaces.{clip(ws_id)}").build()
            state.workspaces[ws.workspace_id] = ws
        for key, ws_id in _mapping(snapshot["api_keys"], "api_keys").items():
            where = f"api_keys.{clip(key)}"
            try:
                check_api_key_format(key)
            except ValueError as error:
                raise _Refused(f"{where}: {error}") from None
            state.api_keys[key] = self._workspace_ref(state, ws_id, where)
        for token, allowed in _mapping(snapshot["personal_access_tokens"], "personal_access_tokens").items():
            where = f"personal_access_tokens.{clip(token)}"
            if not token.startswith("seam_at"):
                raise _Refused(f"{where}: a personal access token starts with seam_at")
            if token in state.api_keys:
                raise _Refused(f"{where}: is an API key too")
            state.personal_access_tokens[token] = (
                None
                if allowed is None
                else frozenset(
                    self._workspace_ref(state, w, where) for w in _list(allowed, where, _text, unique=True)
                )
            )
        for ws in state.workspaces.values():
            for session in ws.client_sessions.values():
                if session.token in state.client_session_tokens or session.token in state.api_keys:
                    raise _Refused(f"client session {session.client_session_id}: its token is not unique")
                state.client_session_tokens[session.token] = (ws.workspace_id, session.client_session_id)
        workspace_id = _text(snapshot["default_workspace_id"], "default_workspace_id")
        api_key = _text(snapshot["default_api_key"], "default_api_key")
        if workspace_id not in state.workspaces or state.api_keys.get(api_key) != workspace_id:
            raise _Refused("the default API key does not open the default workspace")
        return state, workspace_id, api_key

    @staticmethod
    def _workspace_ref(state: State, ws_id: object, where: str) -> str:
        if not isinstance(ws_id, str) or ws_id not in state.workspaces:
            raise _Refused(f"{where}: names no workspace of the snapshot ({clip(repr(ws_id))})")
        return ws_id


class _Workspace:
    """One workspace of a snapshot, read record by record and checked whole."""

    def __init__(self, ws_id: str, data: object, where: str) -> None:
        self.where = where
        self.data = _mapping(data, where)
        self.ws_id = ws_id

    def build(self) -> Workspace:
        data, where = self.data, self.where
        fields = {f.name: f for f in dataclasses.fields(Workspace)}
        records = {name for name, _, _ in KINDS}
        scalars = {name for name in fields if name not in records | REBUILT}
        # Snapshots written before credentials existed lack their kinds: they load empty.
        optional = {
            "credential_issuance",
            "last_seq",
            "action_attempt_outcome",
            "action_attempt_error_type",
            "action_attempt_error_message",
        }
        required = scalars - optional | {
            "acs_systems",
            "user_identities",
            "acs_users",
        }
        _keys(data, set(fields), required, where)
        values = {
            name: _value(data[name], _hint(Workspace, name), f"{where}.{name}")
            for name in scalars
            if name in data
        }
        ws = Workspace(**values)
        if ws.workspace_id != self.ws_id:
            raise _Refused(f"{where}.workspace_id: is {clip(ws.workspace_id)!r}, not the key it is under")
        if ws.credential_issuance not in ISSUANCE_MODES:
            raise _Refused(f"{where}.credential_issuance: must be one of {', '.join(ISSUANCE_MODES)}")
        if ws.action_attempt_outcome not in ACTION_ATTEMPT_STATUSES:
            raise _Refused(
                f"{where}.action_attempt_outcome: must be one of {', '.join(ACTION_ATTEMPT_STATUSES)}"
            )
        for name in REBUILT:
            if name in data and not isinstance(data[name], dict | list):
                raise _Refused(f"{where}.{name}: expected an object or a list")
        seqs: set[int] = set()
        late: list[Any] = []
        for kind, cls, id_field in KINDS:
            for record_id, record_data in _mapping(data.get(kind, {}), f"{where}.{kind}").items():
                at = f"{where}.{kind}.{clip(record_id)}"
                record = _record(cls, record_data, at)
                if getattr(record, id_field) != record_id:
                    raise _Refused(f"{at}.{id_field}: is not the key it is under")
                if record.workspace_id != ws.workspace_id:
                    raise _Refused(f"{at}.workspace_id: is not the workspace it is in")
                if hasattr(record, "seq"):
                    if kind in _LATE_SEQ and record.seq == 0:
                        late.append(record)
                    elif record.seq < 1 or record.seq > ws.last_seq or record.seq in seqs:
                        raise _Refused(f"{at}.seq: must be unique and between 1 and last_seq ({ws.last_seq})")
                    seqs.add(record.seq)
                getattr(self, f"_add_{kind}")(ws, record, at)
        for record in late:
            # In the order they were stored: their creation order.
            ws.last_seq += 1
            record.seq = ws.last_seq
        self._check_links(ws)
        return ws

    # Each kind: its references (to kinds read before it) and uniqueness, then the indexes.

    def _add_acs_systems(self, ws: Workspace, system: AcsSystem, at: str) -> None:
        if system.external_type not in ACS_TYPES:
            raise _Refused(
                f"{at}.external_type: {clip(system.external_type)!r} is not a kind of ACS the fake knows"
            )
        system.acs_user_ids = {}
        system.acs_entrance_ids = {}
        system.acs_access_group_ids = {}
        ws.acs_systems[system.acs_system_id] = system

    def _add_user_identities(self, ws: Workspace, identity: UserIdentity, at: str) -> None:
        for field_name in ("user_identity_key", "email_address", "phone_number"):
            value = getattr(identity, field_name)
            if value is not None and ws.identity_holding(field_name, value) is not None:
                raise _Refused(f"{at}.{field_name}: two user identities share {clip(value)!r}")
        ws.user_identities[identity.user_identity_id] = identity
        ws.index_identity(identity)
        order_insert(ws.identity_order, identity.created_at, identity.seq, identity.user_identity_id)

    def _add_acs_users(self, ws: Workspace, user: AcsUser, at: str) -> None:
        system = self._check_acs_user(ws, user, at)
        ws.acs_users[user.acs_user_id] = user
        system.acs_user_ids[user.acs_user_id] = None
        ws.index_acs_user(user)
        order_insert(ws.acs_user_order, user.created_at, user.seq, user.acs_user_id)

    @staticmethod
    def _check_acs_user(ws: Workspace, user: AcsUser, at: str) -> AcsSystem:
        system: AcsSystem = _ref(ws.acs_systems, user.acs_system_id, f"{at}.acs_system_id", "ACS system")
        if user.ends_at is not None and user.starts_at is None:
            raise _Refused(f"{at}.ends_at: an access schedule without starts_at")
        if user.starts_at is not None and user.ends_at is not None and user.ends_at <= user.starts_at:
            raise _Refused(f"{at}.ends_at: must be after starts_at")
        for warning in user.warnings:
            if warning.warning_code not in ACS_USER_WARNING_CODES:
                raise _Refused(f"{at}.warnings: {clip(warning.warning_code)!r} is not an acs_user warning")
        return system

    def _entrances_of(self, ws: Workspace, system_id: str, entrance_ids: Any, where: str) -> None:
        for entrance_id in entrance_ids:
            entrance = _ref(ws.acs_entrances, entrance_id, where, "entrance")
            if entrance.acs_system_id != system_id:
                raise _Refused(f"{where}: entrance {entrance_id} is on another ACS system")

    def _users_of(self, ws: Workspace, system_id: str, user_ids: Any, where: str) -> None:
        for acs_user_id in user_ids:
            user = _ref(ws.acs_users, acs_user_id, where, "ACS user")
            if user.acs_system_id != system_id:
                raise _Refused(f"{where}: ACS user {acs_user_id} is on another ACS system")

    def _add_acs_entrances(self, ws: Workspace, entrance: AcsEntrance, at: str) -> None:
        system = _ref(ws.acs_systems, entrance.acs_system_id, f"{at}.acs_system_id", "ACS system")
        for method in entrance.can_unlock_with or ():
            if method not in ACCESS_METHODS:
                raise _Refused(f"{at}.can_unlock_with: {clip(method)!r} is not an access method")
        self._users_of(ws, system.acs_system_id, entrance.acs_user_ids, f"{at}.acs_user_ids")
        ws.acs_entrances[entrance.acs_entrance_id] = entrance
        system.acs_entrance_ids[entrance.acs_entrance_id] = None
        order_insert(ws.entrance_order, entrance.created_at, entrance.seq, entrance.acs_entrance_id)
        for acs_user_id in entrance.acs_user_ids:
            ws.grants_by_user.setdefault(acs_user_id, {})[entrance.acs_entrance_id] = None

    def _add_acs_access_groups(self, ws: Workspace, group: AcsAccessGroup, at: str) -> None:
        system = self._check_group(ws, group, at)
        self._users_of(ws, system.acs_system_id, group.acs_user_ids, f"{at}.acs_user_ids")
        ws.acs_access_groups[group.acs_access_group_id] = group
        system.acs_access_group_ids[group.acs_access_group_id] = None
        ws.index_access_group(group)

    def _check_group(self, ws: Workspace, group: AcsAccessGroup, at: str) -> AcsSystem:
        system: AcsSystem = _ref(ws.acs_systems, group.acs_system_id, f"{at}.acs_system_id", "ACS system")
        if ACS_TYPES[system.external_type].access_group_type is None:
            raise _Refused(f"{at}.acs_system_id: the ACS system has no access groups")
        self._entrances_of(ws, system.acs_system_id, group.acs_entrance_ids, f"{at}.acs_entrance_ids")
        if group.ends_at is not None and (group.starts_at is None or group.ends_at <= group.starts_at):
            raise _Refused(f"{at}.ends_at: must be after starts_at")
        return system

    def _add_action_attempts(self, ws: Workspace, attempt: ActionAttempt, at: str) -> None:
        if attempt.action_type != UNLOCK_DOOR or attempt.status not in ACTION_ATTEMPT_STATUSES:
            raise _Refused(f"{at}: an UNLOCK_DOOR attempt whose status is pending, success or error")
        for name in ("error_type", "error_message"):
            if (attempt.status == "error") != (getattr(attempt, name) is not None):
                raise _Refused(f"{at}.{name}: set exactly when the status is error")
        ws.action_attempts[attempt.action_attempt_id] = attempt
        order_insert(ws.action_attempt_order, attempt.created_at, attempt.seq, attempt.action_attempt_id)

    def _add_unmanaged_user_identities(self, ws: Workspace, identity: UserIdentity, at: str) -> None:
        if identity.user_identity_key is not None or identity.acs_user_ids:
            raise _Refused(f"{at}: an unmanaged user identity has no key and no ACS users")
        if identity.user_identity_id in ws.user_identities:
            raise _Refused(f"{at}: a managed user identity has this id too")
        ws.unmanaged_user_identities[identity.user_identity_id] = identity
        order_insert(
            ws.unmanaged_identity_order, identity.created_at, identity.seq, identity.user_identity_id
        )

    def _add_unmanaged_acs_users(self, ws: Workspace, user: AcsUser, at: str) -> None:
        self._check_acs_user(ws, user, at)
        if user.user_identity_id is not None or user.acs_user_id in ws.acs_users:
            raise _Refused(f"{at}: an unmanaged ACS user is linked to no identity and has its own id")
        ws.unmanaged_acs_users[user.acs_user_id] = user

    def _add_unmanaged_acs_access_groups(self, ws: Workspace, group: AcsAccessGroup, at: str) -> None:
        self._check_group(ws, group, at)
        if group.acs_user_ids or group.acs_access_group_id in ws.acs_access_groups:
            raise _Refused(f"{at}: an unmanaged access group has no members and its own id")
        ws.unmanaged_acs_access_groups[group.acs_access_group_id] = group

    def _add_unmanaged_acs_credentials(self, ws: Workspace, credential: AcsCredential, at: str) -> None:
        if credential.access_method not in ACCESS_METHODS:
            raise _Refused(f"{at}.access_method: must be one of {', '.join(ACCESS_METHODS)}")
        _ref(ws.acs_systems, credential.acs_system_id, f"{at}.acs_system_id", "ACS system")
        if credential.acs_user_id is not None:
            user = ws.acs_users.get(credential.acs_user_id) or ws.unmanaged_acs_users.get(
                credential.acs_user_id
            )
            if user is None or user.acs_system_id != credential.acs_system_id:
                raise _Refused(f"{at}.acs_user_id: names no ACS user of the credential's system")
        if credential.acs_credential_id in ws.acs_credentials or credential.parent_acs_credential_id:
            raise _Refused(f"{at}: an unmanaged credential has its own id and no parent")
        ws.unmanaged_acs_credentials[credential.acs_credential_id] = credential
        if credential.acs_user_id is not None:
            holders = ws.unmanaged_credentials_by_user.setdefault(credential.acs_user_id, {})
            holders[credential.acs_credential_id] = None

    def _add_phones(self, ws: Workspace, phone: Phone, at: str) -> None:
        _ref(
            ws.user_identities, phone.owner_user_identity_id, f"{at}.owner_user_identity_id", "user identity"
        )
        ws.phones[phone.device_id] = phone
        ws.phones_by_owner.setdefault(phone.owner_user_identity_id, {})[phone.device_id] = None

    def _add_acs_credentials(self, ws: Workspace, credential: AcsCredential, at: str) -> None:
        if credential.access_method not in ACCESS_METHODS:
            raise _Refused(f"{at}.access_method: must be one of {', '.join(ACCESS_METHODS)}")
        _ref(ws.acs_systems, credential.acs_system_id, f"{at}.acs_system_id", "ACS system")
        if credential.acs_user_id is not None:
            user = _ref(ws.acs_users, credential.acs_user_id, f"{at}.acs_user_id", "ACS user")
            if user.acs_system_id != credential.acs_system_id:
                raise _Refused(f"{at}.acs_user_id: the ACS user is on another ACS system")
        if credential.credential_manager_acs_system_id is not None:
            where = f"{at}.credential_manager_acs_system_id"
            _ref(ws.acs_systems, credential.credential_manager_acs_system_id, where, "ACS system")
        if (credential.parent_acs_credential_id is None) != (credential.device_id is None):
            raise _Refused(f"{at}: a copy on a phone has both a parent and a device_id, others neither")
        if credential.parent_acs_credential_id is not None:
            # Copies come after their parent: both are in creation order.
            where = f"{at}.parent_acs_credential_id"
            parent = _ref(ws.acs_credentials, credential.parent_acs_credential_id, where, "credential")
            if not parent.is_multi_phone_sync_credential or parent.parent_acs_credential_id is not None:
                raise _Refused(f"{where}: the parent is not a multi-phone sync credential")
            _ref(ws.phones, credential.device_id or "", f"{at}.device_id", "phone")
        where = f"{at}.allowed_acs_entrance_ids"
        self._entrances_of(ws, credential.acs_system_id, credential.allowed_acs_entrance_ids, where)
        if len(set(credential.allowed_acs_entrance_ids)) != len(credential.allowed_acs_entrance_ids):
            raise _Refused(f"{where}: lists an entrance twice")
        ws.acs_credentials[credential.acs_credential_id] = credential
        ws.index_credential(credential)
        order_insert(ws.credential_order, credential.created_at, credential.seq, credential.acs_credential_id)

    def _add_client_sessions(self, ws: Workspace, session: ClientSession, at: str) -> None:
        for identity_id in session.user_identity_ids:
            _ref(ws.user_identities, identity_id, f"{at}.user_identity_ids", "user identity")
        if len(set(session.user_identity_ids)) != len(session.user_identity_ids):
            raise _Refused(f"{at}.user_identity_ids: an identity is listed twice")
        if session.user_identifier_key is not None:
            if session.user_identifier_key in ws.client_session_by_key:
                raise _Refused(f"{at}.user_identifier_key: two client sessions share it")
            ws.client_session_by_key[session.user_identifier_key] = session.client_session_id
        ws.client_sessions[session.client_session_id] = session

    def _add_instant_keys(self, ws: Workspace, key: InstantKey, at: str) -> None:
        _ref(ws.user_identities, key.user_identity_id, f"{at}.user_identity_id", "user identity")
        _ref(ws.client_sessions, key.client_session_id, f"{at}.client_session_id", "client session")
        if key.max_use_count < 1:
            raise _Refused(f"{at}.max_use_count: must be at least 1")
        ws.instant_keys[key.instant_key_id] = key

    def _add_events(self, ws: Workspace, event: Event, at: str) -> None:
        if event.event_type not in EVENT_TYPES:
            raise _Refused(f"{at}.event_type: {clip(event.event_type)!r} is not an event the fake records")
        # An event may concern identities deleted since: it is history.
        ws.events[event.event_id] = event

    def _check_links(self, ws: Workspace) -> None:
        """Links must agree from both ends (the fake relies on it at every read), and an
        identity has at most one ACS user per system."""
        for identity in ws.user_identities.values():
            systems: set[str] = set()
            for acs_user_id in identity.acs_user_ids:
                user = ws.acs_users.get(acs_user_id)
                if user is None or user.user_identity_id != identity.user_identity_id:
                    raise _Refused(
                        f"user identity {identity.user_identity_id} lists ACS user {clip(acs_user_id)}, "
                        "which is not linked to it"
                    )
                if user.acs_system_id in systems:
                    raise _Refused(
                        f"user identity {identity.user_identity_id} has two ACS users on one system"
                    )
                systems.add(user.acs_system_id)
        for user in ws.acs_users.values():
            if user.user_identity_id is not None:
                holder = ws.user_identities.get(user.user_identity_id)
                if holder is None or user.acs_user_id not in holder.acs_user_ids:
                    raise _Refused(
                        f"ACS user {user.acs_user_id} is linked to user identity "
                        f"{clip(user.user_identity_id)}, which does not list it"
                    )


# Reading values ---------------------------------------------------------------------------


def _keys(
    data: dict[str, Any], allowed: set[str] | frozenset[str], required: set[str] | frozenset[str], where: str
) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _Refused(f"{where}: unknown field {clip(unknown[0])!r}")
    missing = sorted(required - set(data))
    if missing:
        raise _Refused(f"{where}: missing field {missing[0]!r}")


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Refused(f"{where}: expected an object, got {_json_type(value)}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise _Refused(f"{where}: expected a non-empty string, got {_json_type(value)}")
    return value


def _list(value: object, where: str, item: Any, unique: bool = False) -> list[Any]:
    if not isinstance(value, list):
        raise _Refused(f"{where}: expected a list, got {_json_type(value)}")
    items = [item(entry, f"{where}[{index}]") for index, entry in enumerate(value)]
    if unique and len(set(items)) != len(items):
        raise _Refused(f"{where}: lists a value twice")
    return items


def _ref(records: dict[str, Any], record_id: str, where: str, kind: str) -> Any:
    found = records.get(record_id)
    if found is None:
        raise _Refused(f"{where}: names no {kind} of this workspace ({clip(record_id)})")
    return found


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hint(cls: type[Any], name: str) -> Any:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints[name]


def _record(cls: type[Any], data: object, where: str) -> Any:
    """A record of ``cls`` from JSON data: every field of the right type, none unknown,
    those without a default present."""
    data = _mapping(data, where)
    fields = dataclasses.fields(cls)
    required = {
        f.name
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    _keys(data, {f.name for f in fields}, required, where)
    values = {name: _value(value, _hint(cls, name), f"{where}.{name}") for name, value in data.items()}
    return cls(**values)


def _value(value: object, hint: Any, where: str) -> Any:
    """``value`` checked against a field's type (and, for times, their format)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        (hint,) = [a for a in args if a is not type(None)]
        return _value(value, hint, where)
    if hint is str:
        if not isinstance(value, str):
            raise _Refused(f"{where}: expected a string, got {_json_type(value)}")
        if where.rsplit(".", 1)[-1] in _TIME_FIELDS and value and not _TIME.fullmatch(value):
            raise _Refused(f"{where}: expected a time such as 2026-12-01T23:45:00.000Z, got {clip(value)!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise _Refused(f"{where}: expected true or false, got {_json_type(value)}")
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _Refused(f"{where}: expected a whole number of at least 0, got {_json_type(value)}")
        return value
    if hint is float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _Refused(f"{where}: expected a number, got {_json_type(value)}")
        return value
    if origin is list:
        return _list(value, where, lambda entry, at: _value(entry, args[0], at))
    if origin is dict:
        mapping = _mapping(value, where)
        return {key: _value(item, args[1], f"{where}.{clip(key)}") for key, item in mapping.items()}
    if hint is None or hint is type(None):
        if value is not None:
            raise _Refused(f"{where}: expected null, got {_json_type(value)}")
        return None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record(hint, value, where)
    raise AssertionError(f"no reader for {hint!r}")  # a record field of a type not handled here


def _json_type(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }
    if value is None:
        return "null"
    shown = clip(repr(value))
    return f"{names.get(type(value), type(value).__name__)} ({shown})"


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
