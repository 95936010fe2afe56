"""When credentials become issued: the issuance rules Seam's mobile-access guides describe,
and the controls a test has over them.

A mobile key is a multi-phone sync credential: it waits to be issued until its
ACS user's identity has a phone; then each phone gets a child credential issued
to it, and the parent counts as issued. A new phone, or a new link of an ACS
user to an identity that has phones, issues what waits and copies what is
issued. Codes and cloud keys are issued when created; a card waits until it is
encoded (which a test does with ``issue``). A workspace in "manual" issuance
leaves every credential waiting until the test issues it or makes its issuance
fail. Nothing here sleeps or runs in the background: issuance happens within
the change that makes it possible.
"""

from __future__ import annotations

import re

from . import events
from .errors import invalid, quote
from .ids import Ids
from .journal import change
from .records import AcsCredential, AcsUser, Phone, RecordError, UserIdentity, Workspace

ISSUANCE_MODES = ("automatic", "manual")
# The error a credential's simulated failure to issue has unless another is named:
# the acs_credential schema gives no codes, so the fake borrows the acs_user one.
DEFAULT_ISSUE_ERROR = "failed_to_create_on_acs_system"
DEFAULT_ISSUE_ERROR_MESSAGE = "The access control system could not issue this credential."
_ERROR_CODE = re.compile(r"[a-z][a-z0-9_]*")


def owner_identity(ws: Workspace, credential: AcsCredential) -> UserIdentity | None:
    """The user identity whose ACS user holds the credential, if any."""
    user = ws.acs_users.get(credential.acs_user_id or "")
    if user is None or user.user_identity_id is None:
        return None
    return ws.user_identities[user.user_identity_id]


def check_not_child(credential: AcsCredential) -> None:
    """Refuse to act on a per-phone copy: its parent is what a caller manages."""
    if credential.parent_acs_credential_id is not None:
        raise invalid(
            "acs_credential_id",
            f"Credential {credential.acs_credential_id} is a per-phone copy of "
            f"{credential.parent_acs_credential_id}: act on that one.",
        )


def settle(ws: Workspace, ids: Ids, now: str, credential: AcsCredential) -> None:
    """Issue what Seam would issue now, in automatic issuance: a code or cloud key at once,
    a mobile key (waiting, or issued already) to each phone of its identity that lacks a
    copy. A card waits to be encoded."""
    if ws.credential_issuance != "automatic" or credential.errors:
        return
    if credential.access_method == "mobile_key":
        identity = owner_identity(ws, credential)
        phones = ws.phones_of(identity.user_identity_id) if identity is not None else []
        if phones and (credential.waiting_since is not None or credential.is_issued):
            _issue_to_phones(ws, ids, now, credential, phones)
    elif credential.access_method in ("code", "cloud_key") and credential.waiting_since is not None:
        _mark_issued(ws, ids, now, credential)


def _mark_issued(ws: Workspace, ids: Ids, now: str, credential: AcsCredential) -> None:
    reissue = credential.needs_reissue_since is not None
    change(credential, "issued_at", credential.issued_at if reissue else now)
    change(credential, "waiting_since", None)
    change(credential, "needs_reissue_since", None)
    change(credential, "errors", [])
    kind = "acs_credential.reissued" if reissue else "acs_credential.issued"
    events.credential_event(ws, ids, now, kind, credential)


def _issue_to_phones(ws: Workspace, ids: Ids, now: str, parent: AcsCredential, phones: list[Phone]) -> None:
    """A child credential issued to each phone that has none of this parent yet."""
    served = {child.device_id for child in ws.children_of(parent)}
    for phone in phones:
        if phone.device_id in served:
            continue
        child = AcsCredential(
            acs_credential_id=ids.uuid(),
            workspace_id=ws.workspace_id,
            acs_system_id=parent.acs_system_id,
            acs_user_id=parent.acs_user_id,
            access_method="mobile_key",
            created_at=now,
            parent_acs_credential_id=parent.acs_credential_id,
            device_id=phone.device_id,
            credential_manager_acs_system_id=parent.credential_manager_acs_system_id,
            starts_at=parent.starts_at,
            ends_at=parent.ends_at,
            issued_at=now,
        )
        ws.add_credential(child)
        events.credential_event(ws, ids, now, "acs_credential.issued", child)
    if not parent.is_issued:
        _mark_issued(ws, ids, now, parent)


def on_new_phone(ws: Workspace, ids: Ids, now: str, phone: Phone) -> None:
    """A new phone of an identity gets the identity's mobile keys: those waiting to be
    issued, and those already issued (a multi-phone sync credential replicates itself)."""
    identity = ws.user_identities[phone.owner_user_identity_id]
    for acs_user_id in identity.acs_user_ids:
        _replicate(ws, ids, now, ws.acs_users[acs_user_id], [phone])


def on_link(ws: Workspace, ids: Ids, now: str, user: AcsUser) -> None:
    """An ACS user just linked to an identity: its mobile keys reach the identity's phones."""
    if user.user_identity_id is not None:
        _replicate(ws, ids, now, user, ws.phones_of(user.user_identity_id))


def _replicate(ws: Workspace, ids: Ids, now: str, user: AcsUser, phones: list[Phone]) -> None:
    if ws.credential_issuance != "automatic" or not phones:
        return
    for credential in ws.credentials_of_user(user.acs_user_id):
        if (
            credential.is_multi_phone_sync_credential
            and not credential.errors
            and (credential.is_issued or credential.waiting_since is not None)
        ):
            _issue_to_phones(ws, ids, now, credential, phones)


def issue(ws: Workspace, ids: Ids, now: str, credential: AcsCredential) -> None:
    """Complete issuance now, whatever the mode: a mobile key to each phone of its
    identity (and counted issued even with none), anything else at once."""
    check_not_child(credential)
    if credential.access_method == "mobile_key":
        identity = owner_identity(ws, credential)
        change(credential, "errors", [])
        change(credential, "waiting_since", credential.waiting_since or now)
        _issue_to_phones(
            ws, ids, now, credential, ws.phones_of(identity.user_identity_id) if identity else []
        )
    elif not credential.is_issued or credential.needs_reissue_since is not None:
        _mark_issued(ws, ids, now, credential)


def fail_issuance(credential: AcsCredential, error_code: str, message: str, now: str) -> None:
    """The credential stops waiting and shows an error; ``issue`` later clears it."""
    check_not_child(credential)
    if not _ERROR_CODE.fullmatch(error_code):
        raise invalid("error_code", f"Expected a snake_case error code, received {quote(error_code)}.")
    if credential.is_issued and credential.needs_reissue_since is None:
        raise invalid("acs_credential_id", f"Credential {credential.acs_credential_id} is issued already.")
    change(credential, "waiting_since", None)
    change(credential, "errors", [*credential.errors, RecordError(error_code, message, now)])


def set_issuance(ws: Workspace, ids: Ids, now: str, mode: str) -> None:
    """Switch a workspace between automatic and manual issuance; back to automatic, what
    waits is issued as it would have been."""
    if mode not in ISSUANCE_MODES:
        raise invalid("mode", f"Must be one of {', '.join(ISSUANCE_MODES)}.")
    change(ws, "credential_issuance", mode)
    if mode == "automatic":
        for credential in list(ws.acs_credentials.values()):
            if credential.parent_acs_credential_id is None:
                settle(ws, ids, now, credential)
