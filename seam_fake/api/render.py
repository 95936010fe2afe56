"""Resources as Seam's API shows them: records and what ``derive`` works out from them.

Rendering decides only the shape (field names, what is left out when unknown,
constant fields of the schema); every derived value comes from the model at
each read, so a rendered resource always agrees with the records.
"""

from __future__ import annotations

from typing import Any

from ..model import derive
from ..model.acs_types import ACS_TYPES
from ..model.records import AcsSystem, AcsUser, UserIdentity, Workspace


def user_identity(ws: Workspace, identity: UserIdentity) -> dict[str, Any]:
    return {
        "user_identity_id": identity.user_identity_id,
        "user_identity_key": identity.user_identity_key,
        "email_address": identity.email_address,
        "phone_number": identity.phone_number,
        "display_name": derive.display_name(identity),
        "full_name": identity.full_name,
        "created_at": identity.created_at,
        "workspace_id": identity.workspace_id,
        "errors": derive.identity_errors(ws, identity),
        "warnings": derive.identity_warnings(ws, identity),
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
