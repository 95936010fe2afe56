"""Deletions and what they take with them, as Seam documents each cascade.

- Deleting a credential deletes its per-phone children ("all of the credentials
  that were created underneath it").
- Deleting an ACS user deletes its credentials (unmanaged ones too), and takes it
  out of its access groups and off the entrances granted to it.
- Deleting an access group takes its members out of it (``access.delete_group``).
- Deactivating a phone revokes the credentials issued to it (invalidated, then
  deleted) and removes the phone.
- Deleting a user identity deletes "all associated resources, including any
  credentials, acs users and client sessions" (the reference), and with them its
  phones and instant keys.

Each removal records the event Seam reports for it, before the record goes, so
the event still knows whom it concerned.
"""

from __future__ import annotations

from . import events, sessions
from .ids import Ids
from .journal import change
from .records import AcsCredential, AcsUser, Phone, State, UserIdentity, Workspace


def delete_credential(ws: Workspace, ids: Ids, now: str, credential: AcsCredential) -> None:
    for child in ws.children_of(credential):
        delete_credential(ws, ids, now, child)
    events.credential_event(ws, ids, now, "acs_credential.deleted", credential)
    ws.remove_credential(credential)


def delete_acs_user(ws: Workspace, ids: Ids, now: str, user: AcsUser) -> None:
    """Delete an ACS user and its credentials, unlinking it from its identity."""
    for credential in ws.credentials_of_user(user.acs_user_id):
        # A child goes with its parent; the user's list may hold both.
        if credential.acs_credential_id in ws.acs_credentials:
            delete_credential(ws, ids, now, credential)
    for group in ws.groups_of_user(user.acs_user_id):
        ws.remove_group_member(group, user.acs_user_id)
    for entrance in ws.entrances_granted_to(user.acs_user_id):
        ws.revoke_entrance(entrance, user.acs_user_id)
    # Unmanaged credentials of the user (found on its system) go with it too: none may
    # name an ACS user that no longer exists.
    for unmanaged in ws.unmanaged_credentials_of(user.acs_user_id):
        ws.remove_unmanaged_credential(unmanaged)
    events.acs_user_event(ws, ids, now, "acs_user.deleted", user)
    ws.remove_acs_user(user)


def deactivate_phone(ws: Workspace, ids: Ids, now: str, phone: Phone) -> None:
    """Revoke what was issued to a phone, then forget the phone."""
    for credential in ws.credentials_on_phone(phone.device_id):
        events.credential_event(ws, ids, now, "acs_credential.invalidated", credential)
        delete_credential(ws, ids, now, credential)
    events.record(ws, ids, now, "phone.deactivated", phone.owner_user_identity_id, device_id=phone.device_id)
    ws.remove_phone(phone)


def delete_identity(state: State, ws: Workspace, ids: Ids, now: str, identity: UserIdentity) -> None:
    """Delete an identity and everything that belongs to it."""
    for acs_user_id in list(identity.acs_user_ids):
        delete_acs_user(ws, ids, now, ws.acs_users[acs_user_id])
    for session in [
        s for s in ws.client_sessions.values() if identity.user_identity_id in s.user_identity_ids
    ]:
        if session.user_identity_ids == [identity.user_identity_id]:
            sessions.delete(state, ws, ids, now, session)
        else:
            # A session shared with other identities loses this one only.
            others = [i for i in session.user_identity_ids if i != identity.user_identity_id]
            change(session, "user_identity_ids", others)
    for key in [k for k in ws.instant_keys.values() if k.user_identity_id == identity.user_identity_id]:
        ws.remove_instant_key(key)
    for phone in ws.phones_of(identity.user_identity_id):
        # A key on the phone may belong to an ACS user unlinked from the identity
        # since it was issued, which the loop above did not reach: it goes too.
        for credential in ws.credentials_on_phone(phone.device_id):
            delete_credential(ws, ids, now, credential)
        ws.remove_phone(phone)
    ws.remove_identity(identity)
