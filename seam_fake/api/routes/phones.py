"""``/phones/*``: the phones of user identities, and sandbox phones to test with."""

from __future__ import annotations

from ...model import cascades, phones
from ...model.errors import NotFound
from ...model.records import Phone
from .. import render
from ..operation import DELETE, READ, WITH_CLIENT_SESSION, WRITE, Body, Context, Route
from ..params import Param


def find(ctx: Context, device_id: str) -> Phone:
    """A phone of the workspace the caller may see, or ``phone_not_found``."""
    phone = ctx.workspace.phones.get(device_id.lower())
    if phone is None or not ctx.sees(phone.owner_user_identity_id):
        raise NotFound("phone_not_found", f"No phone with device_id {device_id} in this workspace.")
    return phone


def list_(ctx: Context, p: Body) -> Body:
    ws = ctx.workspace
    found = list(ws.phones.values())
    owner = p.get("owner_user_identity_id")
    if owner is not None:
        found = ws.phones_of(owner)
    credential_id = p.get("acs_credential_id")
    if credential_id is not None:
        credential = ws.acs_credentials.get(credential_id)
        # A phone holds a credential through the child issued to it.
        devices = set()
        if credential is not None:
            devices = {c.device_id for c in (credential, *ws.children_of(credential)) if c.device_id}
        found = [phone for phone in found if phone.device_id in devices]
    return {"phones": [render.phone(ws, phone) for phone in found]}


def get(ctx: Context, p: Body) -> Body:
    return {"phone": render.phone(ctx.workspace, find(ctx, p["device_id"]))}


def deactivate(ctx: Context, p: Body) -> Body:
    cascades.deactivate_phone(ctx.workspace, ctx.ids, ctx.now, find(ctx, p["device_id"]))
    return {}


def create_sandbox_phone(ctx: Context, p: Body) -> Body:
    phone = phones.create_sandbox_phone(
        ctx.workspace,
        ctx.ids,
        ctx.now,
        p["user_identity_id"],
        custom_sdk_installation_id=p.get("custom_sdk_installation_id"),
        phone_metadata=p.get("phone_metadata"),
        assa_abloy_metadata=p.get("assa_abloy_metadata"),
    )
    return {"phone": render.phone(ctx.workspace, phone)}


SANDBOX_PHONE_PARAMS = (
    Param("user_identity_id", "uuid", required=True, description="The user identity whose phone it is."),
    Param("custom_sdk_installation_id", description="ID of the custom SDK installation."),
    Param(
        "phone_metadata",
        "object",
        fields=(
            Param("operating_system", choices=phones.OPERATING_SYSTEMS, description="android or ios."),
            Param("os_version", description="Version of the operating system."),
            Param("device_manufacturer", description="Manufacturer."),
            Param("device_model", description="Model."),
        ),
        description="The phone's operating system and model (default: Android 10, Samsung Galaxy S10).",
    ),
    Param(
        "assa_abloy_metadata",
        "object",
        fields=(
            Param("application_version", description="Application version."),
            Param("ble_capability", "boolean", description="Bluetooth low energy."),
            Param("hce_capability", "boolean", description="Host card emulation."),
            Param("nfc_capability", "boolean", description="Near-field communication."),
            Param("seos_applet_version", description="SEOS applet version."),
            Param("seos_tsm_endpoint_id", "number", description="SEOS TSM endpoint id."),
        ),
        description="ASSA ABLOY capabilities of the phone.",
    ),
)

ROUTES = (
    Route(
        "/phones/list",
        READ,
        (
            Param("owner_user_identity_id", "uuid", description="Only this identity's phones."),
            Param("acs_credential_id", "uuid", description="Only phones this credential is issued to."),
        ),
        list_,
        "List phones.",
        mutates=False,
    ),
    Route(
        "/phones/get",
        READ,
        (Param("device_id", "uuid", required=True, description="Device ID of the phone."),),
        get,
        "Get a phone.",
        mutates=False,
    ),
    Route(
        "/phones/deactivate",
        DELETE,
        (Param("device_id", required=True, description="Device ID of the phone to deactivate."),),
        deactivate,
        "Deactivate a phone: what was issued to it is revoked, and the phone is gone.",
        credentials=WITH_CLIENT_SESSION,
        mutates=True,
    ),
    Route(
        "/phones/simulate/create_sandbox_phone",
        WRITE,
        SANDBOX_PHONE_PARAMS,
        create_sandbox_phone,
        "Add a sandbox phone to a user identity; its mobile keys are issued to it.",
        mutates=True,
    ),
)
