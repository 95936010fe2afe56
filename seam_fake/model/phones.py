"""Phones of user identities: sandbox phones, and what a new phone sets off.

``/phones/simulate/create_sandbox_phone`` stands for the app user signing in on
a new phone: as Seam's mobile-access guides describe, the identity's
multi-phone sync credentials are then issued to it.
"""

from __future__ import annotations

from . import issuance
from .ids import Ids
from .lookups import find_identity
from .records import Phone, Workspace

# The defaults of /phones/simulate/create_sandbox_phone in Seam's reference.
PHONE_DEFAULTS = {
    "operating_system": "android",
    "os_version": "10",
    "device_manufacturer": "Samsung",
    "device_model": "Samsung Galaxy S10",
}
ASSA_ABLOY_DEFAULTS = {
    "application_version": "1.0.0",
    "ble_capability": True,
    "hce_capability": False,
    "nfc_capability": False,
    "seos_applet_version": "1.0.0",
    "seos_tsm_endpoint_id": 1,
}
OPERATING_SYSTEMS = ("android", "ios")


def create_sandbox_phone(
    ws: Workspace,
    ids: Ids,
    now: str,
    user_identity_id: str,
    *,
    custom_sdk_installation_id: str | None = None,
    phone_metadata: dict[str, str] | None = None,
    assa_abloy_metadata: dict[str, object] | None = None,
) -> Phone:
    """A new phone of an identity, which then gets the identity's mobile keys."""
    identity = find_identity(ws, user_identity_id=user_identity_id)
    device = {**PHONE_DEFAULTS, **(phone_metadata or {})}
    radio = {**ASSA_ABLOY_DEFAULTS, **(assa_abloy_metadata or {})}
    phone = Phone(
        device_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        owner_user_identity_id=identity.user_identity_id,
        created_at=now,
        operating_system=device["operating_system"],
        os_version=device["os_version"],
        device_manufacturer=device["device_manufacturer"],
        device_model=device["device_model"],
        custom_sdk_installation_id=custom_sdk_installation_id,
        ble_capability=bool(radio["ble_capability"]),
        hce_capability=bool(radio["hce_capability"]),
        nfc_capability=bool(radio["nfc_capability"]),
        application_version=str(radio["application_version"]),
        seos_applet_version=str(radio["seos_applet_version"]),
        seos_tsm_endpoint_id=float(radio["seos_tsm_endpoint_id"]),  # type: ignore[arg-type]
    )
    ws.add_phone(phone)
    issuance.on_new_phone(ws, ids, now, phone)
    return phone
