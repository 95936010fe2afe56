"""Events: what the fake records when state changes as Seam reports such changes.

Every event type here is one of the ``event`` schema's variants, with that
variant's fields. Events are kept per workspace in the order they happened,
and each remembers the user identities it concerns, so ``/events/list`` can
filter by identity and a client session sees only its own identity's events.
"""

from __future__ import annotations

from .ids import Ids
from .records import AcsCredential, AcsSystem, AcsUser, Event, Workspace

# What the fake says of each event type it records (the schema's
# ``event_description``: "human-readable description of the event").
DESCRIPTIONS = {
    "acs_user.created": "An ACS user was created.",
    "acs_user.deleted": "An ACS user was deleted.",
    "acs_credential.issued": "An ACS credential was issued.",
    "acs_credential.reissued": "An ACS credential was reissued.",
    "acs_credential.invalidated": "An ACS credential was invalidated.",
    "acs_credential.deleted": "An ACS credential was deleted.",
    "phone.deactivated": "A phone was deactivated.",
    "client_session.deleted": "A client session was deleted.",
    "acs_entrance.added": "An ACS entrance was added.",
    "acs_access_group.deleted": "An ACS access group was deleted.",
    "action_attempt.unlock_door.succeeded": "Unlocking a door succeeded.",
    "action_attempt.unlock_door.failed": "Unlocking a door failed.",
}
EVENT_TYPES = tuple(DESCRIPTIONS)


def record(
    ws: Workspace, ids: Ids, now: str, event_type: str, concerns: str | list[str] | None, **fields: str
) -> Event:
    """Append an event of ``event_type`` with its fields; ``concerns`` is the identity (or
    the identities) it is about."""
    user_identity_ids = [concerns] if isinstance(concerns, str) else list(concerns or [])
    if event_type not in DESCRIPTIONS:
        raise ValueError(f"seam-fake records no event of type {event_type!r}")
    event = Event(ids.uuid(), ws.workspace_id, event_type, now, fields, user_identity_ids)
    ws.add_event(event)
    return event


def acs_user_event(ws: Workspace, ids: Ids, now: str, event_type: str, user: AcsUser) -> Event:
    system = ws.acs_systems[user.acs_system_id]
    return record(
        ws,
        ids,
        now,
        event_type,
        user.user_identity_id,
        acs_system_id=system.acs_system_id,
        acs_user_id=user.acs_user_id,
        connected_account_id=system.connected_account_id,
    )


def credential_event(ws: Workspace, ids: Ids, now: str, event_type: str, credential: AcsCredential) -> Event:
    system: AcsSystem = ws.acs_systems[credential.acs_system_id]
    user = ws.acs_users.get(credential.acs_user_id or "")
    return record(
        ws,
        ids,
        now,
        event_type,
        user.user_identity_id if user is not None else None,
        acs_system_id=system.acs_system_id,
        acs_credential_id=credential.acs_credential_id,
        connected_account_id=system.connected_account_id,
    )
