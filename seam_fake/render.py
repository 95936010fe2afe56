"""Resources as Seam's API shows them, with every derived field computed from state.

Nothing here is stored: display names, an identity's errors and warnings and
the ``user_identity_*`` fields of ACS users are worked out at each read, so
they always agree with the records they come from.
"""

from __future__ import annotations

from typing import Any

from .acs_types import ACS_TYPES
from .state import AcsSystem, AcsUser, UserIdentity, Workspace, fold_email


def identity_display_name(identity: UserIdentity) -> str:
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


def _identity_errors(ws: Workspace, identity: UserIdentity) -> list[dict[str, Any]]:
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


def _identity_warnings(ws: Workspace, identity: UserIdentity) -> list[dict[str, Any]]:
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


def user_identity(ws: Workspace, identity: UserIdentity) -> dict[str, Any]:
    return {
        "user_identity_id": identity.user_identity_id,
        "user_identity_key": identity.user_identity_key,
        "email_address": identity.email_address,
        "phone_number": identity.phone_number,
        "display_name": identity_display_name(identity),
        "full_name": identity.full_name,
        "created_at": identity.created_at,
        "workspace_id": identity.workspace_id,
        "errors": _identity_errors(ws, identity),
        "warnings": _identity_warnings(ws, identity),
        "acs_user_ids": list(identity.acs_user_ids),
    }


def acs_user(ws: Workspace, user: AcsUser) -> dict[str, Any]:
    system = ws.acs_systems[user.acs_system_id]
    kind = ACS_TYPES[system.external_type]
    rendered: dict[str, Any] = {
        "acs_user_id": user.acs_user_id,
        "acs_system_id": user.acs_system_id,
        "workspace_id": user.workspace_id,
        "connected_account_id": system.connected_account_id,
        "created_at": user.created_at,
        "display_name": user.full_name,
        "full_name": user.full_name,
        "email": user.email_address,
        "email_address": user.email_address,
        "phone_number": user.phone_number,
        "is_managed": True,
        "is_suspended": user.is_suspended,
        "last_successful_sync_at": user.created_at,
        "errors": [
            {"error_code": e.error_code, "message": e.message, "created_at": e.created_at}
            for e in user.errors
        ],
        "warnings": [],
        "pending_mutations": [],
    }
    if kind.user_type is not None:
        rendered["external_type"] = kind.user_type
        rendered["external_type_display_name"] = kind.user_type_display_name
    # The schema types these as strings, not nullable: leave out what is unknown.
    for name in ("email", "email_address", "phone_number"):
        if rendered[name] is None:
            del rendered[name]
    if user.user_identity_id is not None:
        identity = ws.user_identities[user.user_identity_id]
        rendered["user_identity_id"] = identity.user_identity_id
        rendered["user_identity_full_name"] = identity.full_name
        rendered["user_identity_email_address"] = identity.email_address
        rendered["user_identity_phone_number"] = identity.phone_number
    return rendered


def acs_system(system: AcsSystem) -> dict[str, Any]:
    kind = ACS_TYPES[system.external_type]
    return {
        "acs_system_id": system.acs_system_id,
        "workspace_id": system.workspace_id,
        "name": system.name,
        "created_at": system.created_at,
        "external_type": system.external_type,
        "external_type_display_name": kind.display_name,
        "system_type": system.external_type,
        "system_type_display_name": kind.display_name,
        "is_credential_manager": kind.is_credential_manager,
        "connected_account_id": system.connected_account_id,
        "connected_account_ids": [system.connected_account_id],
        "location": {"time_zone": system.time_zone},
        "image_url": (
            "https://connect.getseam.com/_next/image?url=https://connect.getseam.com"
            f"/assets/images/acs_systems/{system.external_type}.png&q=75&w=128"
        ),
        "image_alt_text": f"{kind.display_name} Logo",
        "acs_user_count": len(system.acs_user_ids),
        "acs_access_group_count": 0,
        "errors": [],
        "warnings": [],
    }


def workspace(ws: Workspace) -> dict[str, Any]:
    return {
        "workspace_id": ws.workspace_id,
        "name": ws.name,
        "company_name": ws.company_name,
        "connect_partner_name": ws.company_name,
        "is_sandbox": ws.is_sandbox,
        "is_suspended": False,
        "is_publishable_key_auth_enabled": False,
        "organization_id": None,
        "connect_webview_customization": {},
    }
