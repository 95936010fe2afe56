"""What state implies, worked out when asked: display names, profile mismatches, and
the errors and warnings of user identities.

Nothing here is stored, so a derived value always agrees with the records it
comes from. The API layer renders these values; the model's rules use them too
(a new ACS user is named by its identity's display name).
"""

from __future__ import annotations

from .acs import active
from .acs_types import ACS_TYPES
from .errors import quote
from .folding import fold_email
from .records import AcsCredential, AcsUser, UserIdentity, Workspace

# An error or a warning as Seam's schemas have it: a code, a message, when it began,
# and the ids it concerns.
Notice = dict[str, str]


def display_name(identity: UserIdentity) -> str:
    """The official fake's rule (``src/lib/database/store.ts``, ``addUserIdentity``), the
    only one Seam wrote down: full name, else email, else key (not the phone), else
    ``Fake user with id <id>``; Seam's schema requires a non-empty display name."""
    return (
        identity.full_name
        or identity.email_address
        or identity.user_identity_key
        or f"Fake user with id {identity.user_identity_id}"
    )


def mismatched_fields(identity: UserIdentity, user: AcsUser) -> list[str]:
    """Profile fields an identity has set that its ACS user does not share."""
    fields = []
    if identity.full_name is not None and identity.full_name != user.full_name:
        fields.append("full_name")
    if identity.email_address is not None and (
        user.email_address is None or fold_email(identity.email_address) != fold_email(user.email_address)
    ):
        fields.append("email_address")
    if identity.phone_number is not None and identity.phone_number != user.phone_number:
        fields.append("phone_number")
    return fields


def identity_errors(ws: Workspace, identity: UserIdentity) -> list[Notice]:
    """``issue_with_acs_user`` for each linked ACS user that has errors."""
    errors = []
    for acs_user_id in identity.acs_user_ids:
        user = ws.acs_users[acs_user_id]
        if not user.errors:
            continue
        details = "; ".join(f"{e.error_code}: {e.message}" for e in user.errors)
        errors.append(
            {
                "error_code": "issue_with_acs_user",
                "message": f"ACS user {acs_user_id} has errors ({details}).",
                "acs_user_id": acs_user_id,
                "acs_system_id": user.acs_system_id,
                "created_at": min(e.created_at for e in user.errors),
            }
        )
    return errors


def identity_warnings(ws: Workspace, identity: UserIdentity) -> list[Notice]:
    """``being_deleted``, and ``acs_user_profile_does_not_match_user_identity`` for each
    linked ACS user whose profile differs from the identity's."""
    warnings = []
    if identity.being_deleted_since is not None:
        warnings.append(
            {
                "warning_code": "being_deleted",
                "message": "This user identity is being deleted.",
                "created_at": identity.being_deleted_since,
            }
        )
    for acs_user_id in identity.acs_user_ids:
        user = ws.acs_users[acs_user_id]
        fields = mismatched_fields(identity, user)
        if not fields:
            continue
        system = ws.acs_systems[user.acs_system_id]
        warnings.append(
            {
                "warning_code": "acs_user_profile_does_not_match_user_identity",
                "message": (
                    f"ACS user {acs_user_id} on ACS system {quote(system.name)} has a different "
                    f"{', '.join(fields)} than this user identity."
                ),
                # The mismatch began at the latest of the link and the two
                # records' last profile changes.
                "created_at": max(user.linked_at or "", identity.profile_changed_at, user.profile_changed_at),
            }
        )
    return warnings


def credential_display_name(ws: Workspace, credential: AcsCredential) -> str:
    """As Seam's samples name credentials: a multi-phone sync credential is
    "Multi Phone Sync Credential", a per-phone copy is named after its phone, any
    other by its kind's credential type ("Salto KS Credential")."""
    if credential.is_multi_phone_sync_credential:
        return "Multi Phone Sync Credential"
    if credential.device_id is not None:
        return f"Mobile key on {PHONE_DISPLAY_NAME}"
    kind = ACS_TYPES[ws.acs_systems[credential.acs_system_id].external_type]
    return (
        kind.credential_type_display_name
        or f"{kind.display_name} {credential.access_method.replace('_', ' ')}"
    )


# A sandbox phone's name, as in the sample of /phones/simulate/create_sandbox_phone.
PHONE_DISPLAY_NAME = "My Phone"


def credential_warnings(credential: AcsCredential) -> list[Notice]:
    warnings = []
    if credential.waiting_since is not None and not credential.is_issued:
        warnings.append(
            {
                "warning_code": "waiting_to_be_issued",
                "message": "This credential is waiting to be issued"
                + (
                    ": it is issued when its user identity has a phone."
                    if credential.access_method == "mobile_key"
                    else "."
                ),
                "created_at": credential.waiting_since,
            }
        )
    if credential.schedule_modified_at is not None:
        warnings.append(
            {
                "warning_code": "schedule_modified",
                "message": "starts_at was in the past; the credential starts when it was created instead.",
                "created_at": credential.schedule_modified_at,
            }
        )
    if credential.needs_reissue_since is not None:
        warnings.append(
            {
                "warning_code": "needs_to_be_reissued",
                "message": "The credential changed after it was encoded: encode it again.",
                "created_at": credential.needs_reissue_since,
            }
        )
    return warnings


def acs_user_warnings(ws: Workspace, user: AcsUser, now: str) -> list[Notice]:
    """The warnings a test set, and the one a schedule implies while ``now`` is outside it:
    ``salto_ks_user_not_subscribed`` on Salto KS ("when the schedule has not started, has
    ended"), ``acs_user_inactive`` elsewhere ("the schedule has not started or has ended")."""
    warnings = [
        {"warning_code": w.warning_code, "message": w.message, "created_at": w.created_at}
        for w in user.warnings
    ]
    if user.starts_at is None or active(user.starts_at, user.ends_at, now):
        return warnings
    code = ACS_TYPES[ws.acs_systems[user.acs_system_id].external_type].inactive_warning
    if any(w["warning_code"] == code for w in warnings):
        return warnings
    if now < user.starts_at:
        message = f"The user's access schedule starts at {user.starts_at}; until then it opens no entrance."
        since = user.schedule_set_at or user.created_at
    else:
        message = f"The user's access schedule ended at {user.ends_at}; it opens no entrance."
        since = user.ends_at or now
    warnings.append({"warning_code": code, "message": message, "created_at": since})
    return warnings
