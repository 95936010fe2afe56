"""What state implies, worked out when asked: display names, profile mismatches, and
the errors and warnings of user identities.

Nothing here is stored, so a derived value always agrees with the records it
comes from. The API layer renders these values; the model's rules use them too
(a new ACS user is named by its identity's display name).
"""

from __future__ import annotations

from .records import AcsUser, UserIdentity, Workspace, fold_email

# An error or a warning as Seam's schemas have it: a code, a message, when it began,
# and the ids it concerns.
Notice = dict[str, str]


def display_name(identity: UserIdentity) -> str:
    # Seam's schema requires a non-empty display name; an identity with no
    # name, email, phone or key falls back to its id.
    return (
        identity.full_name
        or identity.email_address
        or identity.phone_number
        or identity.user_identity_key
        or identity.user_identity_id
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
                    f"ACS user {acs_user_id} on ACS system {system.name!r} has a different "
                    f"{', '.join(fields)} than this user identity."
                ),
                # The mismatch began at the latest of the link and the two
                # records' last profile changes.
                "created_at": max(user.linked_at or "", identity.profile_changed_at, user.profile_changed_at),
            }
        )
    return warnings
