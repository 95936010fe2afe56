"""Finding a record of a workspace by what a caller names it by, or failing with its
``*_not_found`` error (a ``KeyError`` too)."""

from __future__ import annotations

from .errors import NotFound, quote
from .records import AcsAccessGroup, AcsEntrance, AcsSystem, AcsUser, ActionAttempt, UserIdentity, Workspace


def find_identity(
    ws: Workspace, *, user_identity_id: str | None = None, user_identity_key: str | None = None
) -> UserIdentity:
    if user_identity_id is not None:
        identity = ws.user_identities.get(user_identity_id)
        named = f"user_identity_id {user_identity_id}"
    else:
        found_id = ws.identity_by_key.get(user_identity_key or "")
        identity = ws.user_identities.get(found_id) if found_id is not None else None
        named = f"user_identity_key {quote(user_identity_key)}"
    if identity is None:
        raise NotFound("user_identity_not_found", f"No user identity with {named} in this workspace.")
    return identity


def find_acs_system(ws: Workspace, acs_system_id: str) -> AcsSystem:
    system = ws.acs_systems.get(acs_system_id)
    if system is None:
        raise NotFound(
            "acs_system_not_found",
            f"No ACS system with acs_system_id {acs_system_id} in this workspace.",
        )
    return system


def find_acs_user(ws: Workspace, acs_user_id: str) -> AcsUser:
    user = ws.acs_users.get(acs_user_id)
    if user is None:
        raise NotFound("acs_user_not_found", f"No ACS user with acs_user_id {acs_user_id} in this workspace.")
    return user


def find_entrance(ws: Workspace, acs_entrance_id: str) -> AcsEntrance:
    entrance = ws.acs_entrances.get(acs_entrance_id)
    if entrance is None:
        raise NotFound(
            "acs_entrance_not_found", f"No entrance with acs_entrance_id {acs_entrance_id} in this workspace."
        )
    return entrance


def find_group(ws: Workspace, acs_access_group_id: str) -> AcsAccessGroup:
    group = ws.acs_access_groups.get(acs_access_group_id)
    if group is None:
        raise NotFound(
            "acs_access_group_not_found",
            f"No access group with acs_access_group_id {acs_access_group_id} in this workspace.",
        )
    return group


def find_action_attempt(ws: Workspace, action_attempt_id: str) -> ActionAttempt:
    attempt = ws.action_attempts.get(action_attempt_id)
    if attempt is None:
        raise NotFound(
            "action_attempt_not_found",
            f"No action attempt with action_attempt_id {action_attempt_id} in this workspace.",
        )
    return attempt
