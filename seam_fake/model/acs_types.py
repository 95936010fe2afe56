"""What each kind of access control system looks like through Seam's API.

One row per ``external_type`` in Seam's ``acs_system`` schema: the display
name Seam shows for it, whether it is a credential manager, the
``external_type`` of its users and its credentials (the schemas have values for
only some systems; the others render without one), which credential access
methods it takes, whether it makes its own PIN codes, which credential
managers issue its mobile keys, and how it gives access to entrances: through
access groups (``access_group_type``) or entrance by entrance. docs/fidelity.md says which of these facts come
from Seam's guides and which are seam-fake's own.
"""

from __future__ import annotations

from dataclasses import dataclass

# Seam's credential access methods, in the reference's order.
ACCESS_METHODS = ("code", "card", "mobile_key", "cloud_key")
ALL_METHODS = frozenset(ACCESS_METHODS)


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
    # Access: the acs_access_group external_type of a system that grants access through
    # access groups; None for one that grants entrances one by one (``grant_access``)
    # and on credentials (``allowed_acs_entrance_ids``).
    access_group_type: str | None = None
    access_group_type_display_name: str | None = None
    # The acs_user warning of a user whose access schedule has not started or has ended.
    inactive_warning: str = "acs_user_inactive"

    @property
    def grants_per_entrance(self) -> bool:
        """Whether access is given entrance by entrance rather than through groups."""
        return self.access_group_type is None and not self.is_credential_manager


ACS_TYPES: dict[str, AcsType] = {
    "pti_site": AcsType(
        "PTI Site",
        access_group_type="pti_unit",
        access_group_type_display_name="PTI unit",
        user_type="pti_user",
        user_type_display_name="PTI User",
        access_methods=frozenset({"code", "card"}),
        credential_type="pti_card",
        credential_type_display_name="PTI Card",
    ),
    "avigilon_alta_org": AcsType(
        "Avigilon Alta",
        access_group_type="avigilon_alta_group",
        access_group_type_display_name="Avigilon Alta group",
        user_type="avigilon_alta_user",
        user_type_display_name="Avigilon Alta User",
        access_methods=ALL_METHODS,
        credential_type="avigilon_alta_credential",
        credential_type_display_name="Avigilon Alta Credential",
    ),
    # As in the acs_system and acs_user samples of Seam's reference.
    "salto_ks_site": AcsType(
        "Salto KS site",
        access_group_type="salto_ks_access_group",
        access_group_type_display_name="Salto KS access group",
        inactive_warning="salto_ks_user_not_subscribed",
        user_type="salto_site_user",
        user_type_display_name="Salto site user",
        access_methods=frozenset({"code", "card", "mobile_key", "cloud_key"}),
        generates_codes=True,
        credential_type="salto_ks_credential",
        credential_type_display_name="Salto KS Credential",
    ),
    "salto_space_system": AcsType(
        "Salto Space",
        access_group_type="salto_space_group",
        access_group_type_display_name="Salto Space group",
        user_type="salto_space_user",
        user_type_display_name="Salto Space User",
        access_methods=frozenset({"card", "mobile_key"}),
        credential_type="salto_space_key",
        credential_type_display_name="Salto Space Key",
        one_per_method=True,
    ),
    "brivo_account": AcsType(
        "Brivo",
        access_group_type="brivo_group",
        access_group_type_display_name="Brivo group",
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
        access_group_type="dormakaba_community_access_group",
        access_group_type_display_name="dormakaba Community access group",
        user_type="dormakaba_community_user",
        user_type_display_name="dormakaba Community User",
        access_methods=frozenset({"card", "mobile_key"}),
        credential_managers=("legic_connect_credential_service",),
    ),
    "dormakaba_ambiance_site": AcsType(
        "dormakaba Ambiance",
        access_group_type="dormakaba_ambiance_access_group",
        access_group_type_display_name="dormakaba Ambiance access group",
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
        access_group_type="kisi_access_group",
        access_group_type_display_name="Kisi access group",
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

# Warning codes Seam's ``acs_user`` schema allows; simulated warnings must use one.
ACS_USER_WARNING_CODES: frozenset[str] = frozenset(
    {
        "being_deleted",
        "salto_ks_user_not_subscribed",
        "acs_user_inactive",
        "unknown_issue_with_acs_user",
        "latch_resident_user",
    }
)
