"""Resources as Seam's API shows them: records and what ``derive`` works out from them.

Rendering decides only the shape (field names, what is left out when unknown,
constant fields of the schema); every derived value comes from the model at
each read, so a rendered resource always agrees with the records.
"""

from __future__ import annotations

from typing import Any

from ..model import access, credentials, derive, events
from ..model.acs_types import ACCESS_METHODS, ACS_TYPES
from ..model.records import (
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
    UserIdentity,
    Workspace,
)


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


def unmanaged_user_identity(ws: Workspace, identity: UserIdentity) -> dict[str, Any]:
    """The reference's unmanaged identity: "Unmanaged user identities do not have keys"."""
    rendered = user_identity(ws, identity)
    del rendered["user_identity_key"]
    return rendered


def acs_user(ws: Workspace, user: AcsUser, now: str, *, is_managed: bool = True) -> dict[str, Any]:
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
        "is_managed": is_managed,
        "is_suspended": user.is_suspended,
        "last_successful_sync_at": user.created_at,
        "errors": [
            {"error_code": e.error_code, "message": e.message, "created_at": e.created_at}
            for e in user.errors
        ],
        "warnings": derive.acs_user_warnings(ws, user, now),
        "pending_mutations": [],
    }
    if user.starts_at is not None:
        rendered["access_schedule"] = {"starts_at": user.starts_at, "ends_at": user.ends_at}
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


def acs_system(ws: Workspace, system: AcsSystem) -> dict[str, Any]:
    kind = ACS_TYPES[system.external_type]
    manager = credentials.default_credential_manager(ws, system) if kind.credential_managers else None
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
        "default_credential_manager_acs_system_id": manager.acs_system_id if manager is not None else None,
        "connected_account_id": system.connected_account_id,
        "connected_account_ids": [system.connected_account_id],
        "location": {"time_zone": system.time_zone},
        "image_url": (
            "https://connect.getseam.com/_next/image?url=https://connect.getseam.com"
            f"/assets/images/acs_systems/{system.external_type}.png&q=75&w=128"
        ),
        "image_alt_text": f"{kind.display_name} Logo",
        "acs_user_count": len(system.acs_user_ids),
        "acs_access_group_count": len(system.acs_access_group_ids),
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


def acs_entrance(ws: Workspace, entrance: AcsEntrance) -> dict[str, Any]:
    system = ws.acs_systems[entrance.acs_system_id]
    methods = access.unlocks_with(entrance, system)
    return {
        "acs_entrance_id": entrance.acs_entrance_id,
        "acs_system_id": entrance.acs_system_id,
        "connected_account_id": system.connected_account_id,
        "display_name": entrance.display_name,
        "created_at": entrance.created_at,
        # Spaces are not simulated: an entrance is in none.
        "space_ids": [],
        "errors": [],
        "warnings": [],
        **{f"can_unlock_with_{method}": method in methods for method in ACCESS_METHODS},
    }


def acs_access_group(ws: Workspace, group: AcsAccessGroup, *, is_managed: bool = True) -> dict[str, Any]:
    system = ws.acs_systems[group.acs_system_id]
    kind = ACS_TYPES[system.external_type]
    rendered: dict[str, Any] = {
        "acs_access_group_id": group.acs_access_group_id,
        "acs_system_id": group.acs_system_id,
        "workspace_id": group.workspace_id,
        "connected_account_id": system.connected_account_id,
        "name": group.name,
        "display_name": group.name,
        "access_group_type": kind.access_group_type,
        "access_group_type_display_name": kind.access_group_type_display_name,
        "external_type": kind.access_group_type,
        "external_type_display_name": kind.access_group_type_display_name,
        "created_at": group.created_at,
        "is_managed": is_managed,
        "errors": [],
        "warnings": [],
        "pending_mutations": [],
    }
    if group.starts_at is not None:
        rendered["access_schedule"] = {"starts_at": group.starts_at, "ends_at": group.ends_at}
    return rendered


def action_attempt(attempt: ActionAttempt) -> dict[str, Any]:
    error = (
        {"type": attempt.error_type, "message": attempt.error_message} if attempt.status == "error" else None
    )
    return {
        "action_attempt_id": attempt.action_attempt_id,
        "action_type": attempt.action_type,
        "status": attempt.status,
        "result": {} if attempt.status == "success" else None,
        "error": error,
    }


def acs_credential(ws: Workspace, credential: AcsCredential, *, is_managed: bool = True) -> dict[str, Any]:
    system = ws.acs_systems[credential.acs_system_id]
    kind = ACS_TYPES[system.external_type]
    rendered: dict[str, Any] = {
        "acs_credential_id": credential.acs_credential_id,
        "acs_system_id": credential.acs_system_id,
        "connected_account_id": system.connected_account_id,
        "workspace_id": credential.workspace_id,
        "access_method": credential.access_method,
        "display_name": derive.credential_display_name(ws, credential),
        "created_at": credential.created_at,
        "is_managed": is_managed,
        "is_multi_phone_sync_credential": credential.is_multi_phone_sync_credential,
        "is_one_time_use": False,
        "is_issued": credential.is_issued,
        "issued_at": credential.issued_at,
        "errors": [
            {"error_code": e.error_code, "message": e.message, "created_at": e.created_at}
            for e in credential.errors
        ],
        "warnings": derive.credential_warnings(credential),
    }
    # Optional fields the schema types as plain strings: left out when unknown.
    optional = {
        "acs_user_id": credential.acs_user_id,
        "code": credential.code,
        "starts_at": credential.starts_at,
        "ends_at": credential.ends_at,
        "parent_acs_credential_id": credential.parent_acs_credential_id,
        "external_type": kind.credential_type,
        "external_type_display_name": kind.credential_type_display_name,
    }
    rendered.update({name: value for name, value in optional.items() if value is not None})
    user = ws.acs_users.get(credential.acs_user_id or "")
    if user is not None and user.user_identity_id is not None:
        rendered["user_identity_id"] = user.user_identity_id
    return rendered


def phone(ws: Workspace, record: Phone) -> dict[str, Any]:
    return {
        "device_id": record.device_id,
        "workspace_id": record.workspace_id,
        "created_at": record.created_at,
        "display_name": derive.PHONE_DISPLAY_NAME,
        "nickname": derive.PHONE_DISPLAY_NAME,
        "device_type": f"{record.operating_system}_phone",
        "custom_metadata": {},
        "errors": [],
        "warnings": [],
        "properties": {
            "assa_abloy_credential_service_metadata": {
                "endpoints": [{"endpoint_id": record.device_id, "is_active": True}],
                "has_active_endpoint": True,
            },
            "salto_space_credential_service_metadata": {"has_active_phone": True},
        },
    }


def client_session(session: ClientSession) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "client_session_id": session.client_session_id,
        "workspace_id": session.workspace_id,
        "created_at": session.created_at,
        "expires_at": session.expires_at,
        "token": session.token,
        "user_identifier_key": session.user_identifier_key,
        "device_count": 0,
        "connected_account_ids": [],
        "connect_webview_ids": [],
        "user_identity_ids": list(session.user_identity_ids),
    }
    if session.user_identity_ids:
        rendered["user_identity_id"] = session.user_identity_ids[0]
    if session.customer_key is not None:
        rendered["customer_key"] = session.customer_key
    return rendered


def instant_key(key: InstantKey) -> dict[str, Any]:
    return {
        "instant_key_id": key.instant_key_id,
        "workspace_id": key.workspace_id,
        "created_at": key.created_at,
        "expires_at": key.expires_at,
        "instant_key_url": key.instant_key_url,
        "client_session_id": key.client_session_id,
        "user_identity_id": key.user_identity_id,
    }


def event(record: Event) -> dict[str, Any]:
    rendered: dict[str, Any] = {
        "event_id": record.event_id,
        "workspace_id": record.workspace_id,
        "created_at": record.occurred_at,
        "occurred_at": record.occurred_at,
        "event_type": record.event_type,
        "event_description": events.DESCRIPTIONS[record.event_type],
        **record.fields,
    }
    if record.event_type == "phone.deactivated":
        rendered["device_custom_metadata"] = {}
    return rendered
