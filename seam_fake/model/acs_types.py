"""What each kind of access control system looks like through Seam's API.

One row per ``external_type`` in Seam's ``acs_system`` schema: the display
name Seam shows for it, whether it is a credential manager, and the
``external_type`` of its users (``acs_user.external_type`` has values for
only some systems; the others render users without one).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AcsType:
    display_name: str
    is_credential_manager: bool = False
    user_type: str | None = None
    user_type_display_name: str | None = None


ACS_TYPES: dict[str, AcsType] = {
    "pti_site": AcsType("PTI Site", user_type="pti_user", user_type_display_name="PTI User"),
    "avigilon_alta_org": AcsType(
        "Avigilon Alta", user_type="avigilon_alta_user", user_type_display_name="Avigilon Alta User"
    ),
    # As in the acs_system and acs_user samples of Seam's API reference.
    "salto_ks_site": AcsType(
        "Salto KS site", user_type="salto_site_user", user_type_display_name="Salto site user"
    ),
    "salto_space_system": AcsType(
        "Salto Space", user_type="salto_space_user", user_type_display_name="Salto Space User"
    ),
    "brivo_account": AcsType("Brivo", user_type="brivo_user", user_type_display_name="Brivo User"),
    "hid_credential_manager_organization": AcsType(
        "HID Credential Manager",
        is_credential_manager=True,
        user_type="hid_credential_manager_user",
        user_type_display_name="HID Credential Manager User",
    ),
    "visionline_system": AcsType("Visionline"),
    "assa_abloy_credential_service": AcsType("ASSA ABLOY Credential Service", is_credential_manager=True),
    "latch_building": AcsType("Latch", user_type="latch_user", user_type_display_name="Latch User"),
    "dormakaba_community_site": AcsType(
        "dormakaba Community",
        user_type="dormakaba_community_user",
        user_type_display_name="dormakaba Community User",
    ),
    "dormakaba_ambiance_site": AcsType("dormakaba Ambiance"),
    "legic_connect_credential_service": AcsType("LEGIC Connect", is_credential_manager=True),
    "assa_abloy_vostio": AcsType("ASSA ABLOY Vostio"),
    "assa_abloy_vostio_credential_service": AcsType(
        "ASSA ABLOY Vostio Credential Service", is_credential_manager=True
    ),
    "hotek_site": AcsType("Hotek"),
    "kisi_organization": AcsType("Kisi", user_type="kisi_user", user_type_display_name="Kisi User"),
}

# Error codes Seam's ``acs_user`` schema allows; simulated errors must use one.
ACS_USER_ERROR_CODES: frozenset[str] = frozenset(
    {
        "deleted_externally",
        "salto_ks_subscription_limit_exceeded",
        "failed_to_create_on_acs_system",
        "failed_to_update_on_acs_system",
        "failed_to_delete_on_acs_system",
        "latch_conflict_with_resident_user",
    }
)
