"""Who can open which door, and when: entrances, access groups, per-entrance grants,
access schedules, and what they add up to at the clock's current time.

Seam's guides describe two ways an access control system gives access
("Understanding access control system differences"): through access groups,
each a set of entrances that its ACS users may open, or entrance by entrance,
with the entrances on the ACS user (``grant_access``) and on its credentials
(``allowed_acs_entrance_ids``). Which a system uses is a fact of its kind
(``acs_types``). What is accessible is derived at each read, never stored:

- an ACS user opens nothing while suspended or outside its access schedule;
  otherwise the entrances of its groups (each within the group's schedule),
  those granted to it, and those of its credentials that are within their
  ``starts_at``/``ends_at``;
- a credential opens nothing outside its window or without an active ACS user;
  otherwise its own entrances and its ACS user's groups and grants.

Every check of a write runs before its first change.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import events, identities
from .acs import active, linked_user_on_system, schedule_from, user_is_active
from .acs_types import ACCESS_METHODS, ACS_TYPES, AcsType
from .errors import ApiError, invalid, quote
from .ids import Ids
from .journal import change
from .lookups import find_acs_user, find_entrance, find_identity
from .records import (
    AcsAccessGroup,
    AcsCredential,
    AcsEntrance,
    AcsSystem,
    AcsUser,
    ActionAttempt,
    UserIdentity,
    Workspace,
)

ACTION_ATTEMPT_STATUSES = ("pending", "success", "error")
UNLOCK_DOOR = "UNLOCK_DOOR"
# The error an unlock fails with when the outcome is "error" and no type is named, and
# the one it fails with when the credential does not open the entrance (seam-fake's own:
# the reference enumerates no UNLOCK_DOOR error types).
DEFAULT_UNLOCK_ERROR = "unlock_failed"
DEFAULT_UNLOCK_ERROR_MESSAGE = "The access control system could not unlock the entrance."
NO_ACCESS_ERROR = "no_access"


def kind(system: AcsSystem) -> AcsType:
    return ACS_TYPES[system.external_type]


# Seeding: entrances and groups are synced from the access system, never created by the API.


def add_entrance(
    ws: Workspace,
    ids: Ids,
    now: str,
    system: AcsSystem,
    *,
    display_name: str,
    can_unlock_with: list[str] | None = None,
) -> AcsEntrance:
    system_kind = kind(system)
    if system_kind.is_credential_manager:
        raise invalid(
            "acs_system_id",
            f"ACS system {system.acs_system_id} is a credential manager ({system_kind.display_name}), "
            "which has no entrances.",
        )
    if can_unlock_with is not None:
        for method in can_unlock_with:
            if method not in system_kind.access_methods:
                raise invalid(
                    "can_unlock_with",
                    f"{system_kind.display_name} systems take no {quote(method)} credentials.",
                )
    entrance = AcsEntrance(
        acs_entrance_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        acs_system_id=system.acs_system_id,
        display_name=display_name,
        created_at=now,
        can_unlock_with=list(dict.fromkeys(can_unlock_with)) if can_unlock_with is not None else None,
    )
    ws.add_entrance(entrance)
    events.record(
        ws,
        ids,
        now,
        "acs_entrance.added",
        None,
        acs_system_id=system.acs_system_id,
        acs_entrance_id=entrance.acs_entrance_id,
        connected_account_id=system.connected_account_id,
    )
    return entrance


def unlocks_with(entrance: AcsEntrance, system: AcsSystem) -> list[str]:
    """The access methods that open an entrance, in Seam's order."""
    methods = (
        entrance.can_unlock_with if entrance.can_unlock_with is not None else kind(system).access_methods
    )
    return [m for m in ACCESS_METHODS if m in methods]


def check_entrances_of(
    ws: Workspace, system: AcsSystem, entrance_ids: Iterable[str], param: str
) -> list[AcsEntrance]:
    """Entrances of the workspace on ``system``, in the order named, each once."""
    found = []
    for entrance_id in dict.fromkeys(entrance_ids):
        entrance = find_entrance(ws, entrance_id)
        if entrance.acs_system_id != system.acs_system_id:
            raise invalid(
                param,
                f"Entrance {entrance_id} is on ACS system {entrance.acs_system_id}, not "
                f"{system.acs_system_id}.",
            )
        found.append(entrance)
    return found


def add_access_group(
    ws: Workspace,
    ids: Ids,
    now: str,
    system: AcsSystem,
    *,
    name: str,
    acs_entrance_ids: Iterable[str] = (),
    access_schedule: dict[str, str | None] | None = None,
    is_managed: bool = True,
) -> AcsAccessGroup:
    system_kind = kind(system)
    if system_kind.access_group_type is None:
        raise invalid(
            "acs_system_id",
            f"{system_kind.display_name} systems have no access groups: they give access entrance "
            "by entrance (/acs/entrances/grant_access, allowed_acs_entrance_ids on credentials).",
        )
    entrances = check_entrances_of(ws, system, acs_entrance_ids, "acs_entrance_ids")
    starts_at, ends_at = schedule_from(access_schedule, now)
    group = AcsAccessGroup(
        acs_access_group_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        acs_system_id=system.acs_system_id,
        name=name,
        created_at=now,
        acs_entrance_ids=dict.fromkeys(e.acs_entrance_id for e in entrances),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if is_managed:
        ws.add_access_group(group)
    else:
        ws.add_unmanaged(ws.unmanaged_acs_access_groups, group.acs_access_group_id, group)
    return group


# Whom a membership or a grant is for ------------------------------------------------------


def member(
    ws: Workspace, system: AcsSystem, acs_user_id: str | None, user_identity_id: str | None
) -> AcsUser | None:
    """The ACS user on ``system`` a request names: by ``acs_user_id``, or the ACS user there
    that the identity ``user_identity_id`` is linked to (None if it has none)."""
    if acs_user_id is not None and user_identity_id is not None:
        raise invalid("acs_user_id", "Provide `acs_user_id` or `user_identity_id`, not both.")
    if acs_user_id is not None:
        user = find_acs_user(ws, acs_user_id)
        if user.acs_system_id != system.acs_system_id:
            raise invalid(
                "acs_user_id",
                f"ACS user {acs_user_id} is on ACS system {user.acs_system_id}, not {system.acs_system_id}.",
            )
        return user
    if user_identity_id is None:
        raise invalid("acs_user_id", "Provide `acs_user_id` or `user_identity_id`.")
    identity = find_identity(ws, user_identity_id=user_identity_id)
    # Only the ACS user already linked counts: a removal neither links nor matches.
    return linked_user_on_system(ws, identity, system.acs_system_id)


def member_or_new(
    ws: Workspace,
    ids: Ids,
    now: str,
    system: AcsSystem,
    acs_user_id: str | None,
    user_identity_id: str | None,
) -> AcsUser:
    """``member``, except that an identity with no ACS user on the system is, as the
    reference says, linked to a matching one or given a new one."""
    found = member(ws, system, acs_user_id, user_identity_id)
    if found is not None:
        return found
    identity = find_identity(ws, user_identity_id=user_identity_id)
    planned = identities.planned_acs_user(ws, identity, system)
    return identities.ensure_acs_user(ws, ids, now, identity, system, planned)


# Memberships and grants: idempotent, as sets; members and grants on the group's or the
# entrance's own system (``member`` checks it) ----------------------------------------------


def add_member(
    ws: Workspace,
    ids: Ids,
    now: str,
    group: AcsAccessGroup,
    acs_user_id: str | None,
    user_identity_id: str | None,
) -> None:
    """Put the ACS user named (or the identity's, linked or created) in a group of its
    system; one already in it stays as it is."""
    user = member_or_new(ws, ids, now, ws.acs_systems[group.acs_system_id], acs_user_id, user_identity_id)
    if user.acs_user_id not in group.acs_user_ids:
        ws.add_group_member(group, user.acs_user_id)


def remove_member(
    ws: Workspace,
    group: AcsAccessGroup,
    acs_user_id: str | None,
    user_identity_id: str | None,
    *,
    both_allowed: bool = False,
) -> None:
    """Take the ACS user named out of a group; one that is not in it is left as it is (as
    the official fake does). With ``both_allowed``, both ids may be sent, and must then name
    the same ACS user."""
    system = ws.acs_systems[group.acs_system_id]
    if both_allowed and acs_user_id is not None and user_identity_id is not None:
        user = member(ws, system, acs_user_id, None)
        find_identity(ws, user_identity_id=user_identity_id)
        if user is None or user.user_identity_id != user_identity_id:
            raise invalid(
                "user_identity_id",
                f"ACS user {acs_user_id} is not linked to user identity {user_identity_id}.",
            )
    else:
        user = member(ws, system, acs_user_id, user_identity_id)
    if user is not None and user.acs_user_id in group.acs_user_ids:
        ws.remove_group_member(group, user.acs_user_id)


def grant_access(
    ws: Workspace,
    ids: Ids,
    now: str,
    entrance: AcsEntrance,
    acs_user_id: str | None,
    user_identity_id: str | None,
) -> None:
    """``/acs/entrances/grant_access``, on a system that gives access entrance by entrance:
    refused before an identity's ACS user is linked or made, for a group-based one."""
    system = ws.acs_systems[entrance.acs_system_id]
    if not kind(system).grants_per_entrance:
        # The official fake's words (src/pages/api/acs/entrances/grant_access.ts).
        raise ApiError(
            "not_supported",
            f"{system.external_type} does not support adding acs_entrances to acs_users directly: add the "
            "ACS user to an access group that holds the entrance (/acs/access_groups/add_user).",
        )
    user = member_or_new(ws, ids, now, system, acs_user_id, user_identity_id)
    if user.acs_user_id not in entrance.acs_user_ids:
        ws.grant_entrance(entrance, user.acs_user_id)


def revoke_all(ws: Workspace, user: AcsUser) -> None:
    """``/acs/users/revoke_access_to_all_entrances``: out of every group, every grant
    withdrawn, and the user's credentials open no entrance of their own; the user and its
    credentials remain."""
    for group in ws.groups_of_user(user.acs_user_id):
        ws.remove_group_member(group, user.acs_user_id)
    for entrance in ws.entrances_granted_to(user.acs_user_id):
        ws.revoke_entrance(entrance, user.acs_user_id)
    for credential in ws.credentials_of_user(user.acs_user_id):
        if credential.allowed_acs_entrance_ids:
            ws.set_credential_entrances(credential, [])


def delete_group(ws: Workspace, ids: Ids, now: str, group: AcsAccessGroup) -> None:
    """Delete an access group: its members lose what it gave them; they remain."""
    system = ws.acs_systems[group.acs_system_id]
    events.record(
        ws,
        ids,
        now,
        "acs_access_group.deleted",
        [i for u in group.acs_user_ids if (i := ws.acs_users[u].user_identity_id) is not None],
        acs_system_id=system.acs_system_id,
        acs_access_group_id=group.acs_access_group_id,
        connected_account_id=system.connected_account_id,
    )
    ws.remove_access_group(group)


# What is accessible now ---------------------------------------------------------------------


def _ordered(ws: Workspace, entrance_ids: Iterable[str]) -> list[AcsEntrance]:
    """Entrances in the order they were added to their system (the order lists show)."""
    found = {i: ws.acs_entrances[i] for i in entrance_ids if i in ws.acs_entrances}
    return sorted(found.values(), key=lambda e: e.seq)


def _user_level(ws: Workspace, user: AcsUser, now: str) -> set[str]:
    """What an active ACS user's groups (within their schedules) and grants give."""
    found: set[str] = set()
    for group in ws.groups_of_user(user.acs_user_id):
        if active(group.starts_at, group.ends_at, now):
            found.update(group.acs_entrance_ids)
    found.update(ws.grants_by_user.get(user.acs_user_id, {}))
    return found


def _own(ws: Workspace, credential: AcsCredential) -> list[str]:
    """The entrances a credential names itself (a per-phone copy: its parent's)."""
    if credential.parent_acs_credential_id is not None:
        parent = ws.acs_credentials.get(credential.parent_acs_credential_id)
        return parent.allowed_acs_entrance_ids if parent is not None else []
    return credential.allowed_acs_entrance_ids


def user_entrances(ws: Workspace, user: AcsUser, now: str) -> list[AcsEntrance]:
    if not user_is_active(user, now):
        return []
    found = _user_level(ws, user, now)
    for credential in ws.credentials_of_user(user.acs_user_id):
        if active(credential.starts_at, credential.ends_at, now):
            found.update(_own(ws, credential))
    return _ordered(ws, found)


def credential_entrances(ws: Workspace, credential: AcsCredential, now: str) -> list[AcsEntrance]:
    user = ws.acs_users.get(credential.acs_user_id or "")
    if user is None or not user_is_active(user, now):
        return []
    if not active(credential.starts_at, credential.ends_at, now):
        return []
    return _ordered(ws, _user_level(ws, user, now) | set(_own(ws, credential)))


def users_entrances(ws: Workspace, users: Iterable[AcsUser], now: str) -> list[AcsEntrance]:
    """What any of ``users`` can open now, each entrance once."""
    return _ordered(ws, {e.acs_entrance_id for user in users for e in user_entrances(ws, user, now)})


def identity_entrances(ws: Workspace, identity: UserIdentity, now: str) -> list[AcsEntrance]:
    return users_entrances(ws, (ws.acs_users[i] for i in identity.acs_user_ids), now)


def group_entrances(ws: Workspace, group: AcsAccessGroup) -> list[AcsEntrance]:
    return _ordered(ws, group.acs_entrance_ids)


def group_users(ws: Workspace, group: AcsAccessGroup) -> list[AcsUser]:
    return [ws.acs_users[i] for i in group.acs_user_ids]


def credentials_with_access(ws: Workspace, entrance: AcsEntrance, now: str) -> list[AcsCredential]:
    """Credentials that open an entrance now, oldest first: candidates come from the
    indexes (credentials naming it, and the credentials of users granted it or in a group
    holding it), each then held to ``credential_entrances``."""
    users = set(entrance.acs_user_ids).union(
        *(
            ws.acs_access_groups[g].acs_user_ids
            for g in ws.groups_by_entrance.get(entrance.acs_entrance_id, {})
        )
    )
    naming = [ws.acs_credentials[i] for i in ws.credentials_by_entrance.get(entrance.acs_entrance_id, {})]
    candidates = {
        c.acs_credential_id: c
        for c in (
            *(c for acs_user_id in users for c in ws.credentials_of_user(acs_user_id)),
            *(c for parent in naming for c in (parent, *ws.children_of(parent))),
        )
    }
    return sorted(
        (
            c
            for c in candidates.values()
            if any(e.acs_entrance_id == entrance.acs_entrance_id for e in credential_entrances(ws, c, now))
        ),
        key=lambda c: c.seq,
    )


def is_valid_visionline(ws: Workspace, credential: AcsCredential, now: str) -> bool:
    """``visionline_metadata.is_valid``: a Visionline credential that is issued and within
    its window."""
    system = ws.acs_systems[credential.acs_system_id]
    return (
        system.external_type == "visionline_system"
        and credential.is_issued
        and active(credential.starts_at, credential.ends_at, now)
    )


# Unlocking --------------------------------------------------------------------------------


def unlock(
    ws: Workspace, ids: Ids, now: str, entrance: AcsEntrance, credential: AcsCredential
) -> ActionAttempt:
    """``/acs/entrances/unlock``: a request that cannot be an unlock is refused; one the
    door decides becomes an action attempt, which fails if the credential does not open
    the entrance now, and otherwise ends as the workspace's outcome says."""
    if credential.access_method != "cloud_key":
        raise invalid(
            "acs_credential_id",
            f"Credential {credential.acs_credential_id} is a {credential.access_method} credential; "
            "an entrance is unlocked remotely with a cloud_key credential.",
        )
    if credential.acs_system_id != entrance.acs_system_id:
        raise invalid(
            "acs_credential_id",
            f"Credential {credential.acs_credential_id} is on ACS system {credential.acs_system_id}, and "
            f"entrance {entrance.acs_entrance_id} on {entrance.acs_system_id}.",
        )
    system = ws.acs_systems[entrance.acs_system_id]
    if "cloud_key" not in unlocks_with(entrance, system):
        raise invalid(
            "acs_entrance_id",
            f"Entrance {entrance.acs_entrance_id} cannot be unlocked with a cloud key "
            "(its can_unlock_with_cloud_key is false).",
        )
    user = ws.acs_users.get(credential.acs_user_id or "")
    attempt = ActionAttempt(
        action_attempt_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        action_type=UNLOCK_DOOR,
        status="pending",
        created_at=now,
        acs_entrance_id=entrance.acs_entrance_id,
        acs_credential_id=credential.acs_credential_id,
        user_identity_id=user.user_identity_id if user is not None else None,
    )
    ws.add_action_attempt(attempt)
    opened = {e.acs_entrance_id for e in credential_entrances(ws, credential, now)}
    if entrance.acs_entrance_id not in opened:
        settle_attempt(
            ws,
            ids,
            now,
            attempt,
            "error",
            NO_ACCESS_ERROR,
            f"Credential {credential.acs_credential_id} does not open entrance {entrance.acs_entrance_id} "
            f"at {now} (see /acs/credentials/list_accessible_entrances).",
        )
    elif ws.action_attempt_outcome != "pending":
        settle_attempt(
            ws,
            ids,
            now,
            attempt,
            ws.action_attempt_outcome,
            ws.action_attempt_error_type or DEFAULT_UNLOCK_ERROR,
            ws.action_attempt_error_message or DEFAULT_UNLOCK_ERROR_MESSAGE,
        )
    return attempt


def set_outcome(ws: Workspace, status: str, error_type: str | None, error_message: str | None) -> None:
    """How the next action attempts end."""
    if status not in ACTION_ATTEMPT_STATUSES:
        raise invalid("status", f"Must be one of {', '.join(ACTION_ATTEMPT_STATUSES)}.")
    if status != "error" and (error_type is not None or error_message is not None):
        raise invalid("error_type", "An error type and message go with status error only.")
    change(ws, "action_attempt_outcome", status)
    change(ws, "action_attempt_error_type", error_type)
    change(ws, "action_attempt_error_message", error_message)


def settle_attempt(
    ws: Workspace,
    ids: Ids,
    now: str,
    attempt: ActionAttempt,
    status: str,
    error_type: str | None = None,
    error_message: str | None = None,
) -> None:
    """End (or reopen, with "pending") an action attempt; success and error record the
    event Seam reports for an unlock."""
    if status not in ACTION_ATTEMPT_STATUSES:
        raise invalid("status", f"Must be one of {', '.join(ACTION_ATTEMPT_STATUSES)}.")
    if status == "error":
        error_type, error_message = (
            error_type or DEFAULT_UNLOCK_ERROR,
            error_message or DEFAULT_UNLOCK_ERROR_MESSAGE,
        )
    else:
        error_type = error_message = None
    if (status, error_type, error_message) == (attempt.status, attempt.error_type, attempt.error_message):
        # Settled that way already: nothing happened, so no second event.
        return
    change(attempt, "status", status)
    change(attempt, "error_type", error_type)
    change(attempt, "error_message", error_message)
    if status == "pending":
        return
    entrance = ws.acs_entrances.get(attempt.acs_entrance_id or "")
    system = ws.acs_systems.get(entrance.acs_system_id) if entrance is not None else None
    account = {"connected_account_id": system.connected_account_id} if system is not None else {}
    fields = {
        "action_attempt_id": attempt.action_attempt_id,
        "action_type": attempt.action_type,
        "status": status,
        **account,
    }
    events.record(
        ws,
        ids,
        now,
        f"action_attempt.unlock_door.{'succeeded' if status == 'success' else 'failed'}",
        attempt.user_identity_id,
        **fields,
    )
