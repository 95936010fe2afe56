"""What each kind of access control system looks like through Seam's API.

One row per ``external_type`` in Seam's ``acs_system`` schema: the display
name Seam shows for it, whether it is a credential manager, the
``external_type`` of its users and its credentials (the schemas have values for
only some systems; the others render without one), which credential access
methods it takes, whether it makes its own PIN codes, and which credential
managers issue its mobile keys. docs/fidelity.md says which of these facts come
from Seam's guides and which are seam-fake's own.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_METHODS = frozenset({"code", "card", "mobile_key", "cloud_key"})


@dataclass(frozen=True, slots=True)
class AcsType:
    display_name: str
    is_credential_manager: bool = False
    user_type: str | None = None
    user_type_display_name: str | None = None
    # Credentials: the access methods the system takes, whether it makes its own PIN
    # codes (a code may not be given), the credential manager kinds that issue its
    # mobile keys (none: it issues them itself), and the acs_credential external_type.
    access_methods: frozenset[str] = frozenset()
    generates_codes: bool = False
    credential_managers: tuple[str, ...] = ()
    credential_type: str | None = None
    credential_type_display_name: str | None = None
    # At most one credential of each access method per ACS user (Salto Space).
    one_per_method: bool = False


ACS_TYPES: dict[str, AcsType] = {
    "pti_site": AcsType(
        "PTI Site",
        user_type="pti_user",
        user_type_display_name="PTI User",
        access_methods=frozenset({"code", "card"}),
        credential_type="pti_card",
        credential_type_display_name="PTI Card",
    ),
    "avigilon_alta_org": AcsType(
        "Avigilon Alta",
        user_type="avigilon_alta_user",
        user_type_display_name="Avigilon Alta User",
        access_methods=ALL_METHODS,
        credential_type="avigilon_alta_credential",
        credential_type_display_name="Avigilon Alta Credential",
    ),
    # As in the acs_system and acs_user samples of Seam's reference.
    "salto_ks_site": AcsType(
        "Salto KS site",
        user_type="salto_site_user",
        user_type_display_name="Salto site user",
        access_methods=frozenset({"code", "card", "mobile_key", "cloud_key"}),
        generates_codes=True,
        credential_type="salto_ks_credential",
        credential_type_display_name="Salto KS Credential",
    ),
    "salto_space_system": AcsType(
        "Salto Space",
        user_type="salto_space_user",
        user_type_display_name="Salto Space User",
        access_methods=frozenset({"card", "mobile_key"}),
        credential_type="salto_space_key",
        credential_type_display_name="Salto Space Key",
        one_per_method=True,
    ),
    "brivo_account": AcsType(
        "Brivo",
        user_type="brivo_user",
        user_type_display_name="Brivo User",
        access_methods=ALL_METHODS,
        credential_type="brivo_credential",
        credential_type_display_name="Brivo Credential",
    ),
    "hid_credential_manager_organization": AcsType(
        "HID Credential Manager",
        is_credential_manager=True,
        user_type="hid_credential_manager_user",
        user_type_display_name="HID Credential Manager User",
    ),
    "visionline_system": AcsType(
        "Visionline",
        access_methods=frozenset({"card", "mobile_key"}),
        credential_managers=("assa_abloy_credential_service",),
        credential_type="visionline_card",
        credential_type_display_name="Visionline Card",
    ),
    "assa_abloy_credential_service": AcsType("ASSA ABLOY Credential Service", is_credential_manager=True),
    "latch_building": AcsType(
        "Latch",
        user_type="latch_user",
        user_type_display_name="Latch User",
        access_methods=frozenset({"code", "mobile_key"}),
        generates_codes=True,
        credential_type="latch_access",
        credential_type_display_name="Latch Access",
    ),
    "dormakaba_community_site": AcsType(
        "dormakaba Community",
        user_type="dormakaba_community_user",
        user_type_display_name="dormakaba Community User",
        access_methods=frozenset({"card", "mobile_key"}),
        credential_managers=("legic_connect_credential_service",),
    ),
    "dormakaba_ambiance_site": AcsType(
        "dormakaba Ambiance",
        access_methods=frozenset({"card", "mobile_key"}),
        credential_managers=("legic_connect_credential_service",),
        credential_type="dormakaba_ambiance_credential",
        credential_type_display_name="dormakaba Ambiance Credential",
    ),
    "legic_connect_credential_service": AcsType("LEGIC Connect", is_credential_manager=True),
    "assa_abloy_vostio": AcsType(
        "ASSA ABLOY Vostio",
        access_methods=frozenset({"card", "mobile_key"}),
        credential_managers=("assa_abloy_vostio_credential_service",),
        credential_type="assa_abloy_vostio_key",
        credential_type_display_name="ASSA ABLOY Vostio Key",
    ),
    "assa_abloy_vostio_credential_service": AcsType(
        "ASSA ABLOY Vostio Credential Service", is_credential_manager=True
    ),
    "hotek_site": AcsType(
        "Hotek",
        access_methods=frozenset({"card"}),
        credential_type="hotek_card",
        credential_type_display_name="Hotek Card",
    ),
    "kisi_organization": AcsType(
        "Kisi",
        user_type="kisi_user",
        user_type_display_name="Kisi User",
        access_methods=frozenset({"card", "mobile_key", "cloud_key"}),
        credential_type="kisi_credential",
        credential_type_display_name="Kisi Credential",
    ),
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
