"""Phones: /phones/simulate/create_sandbox_phone (and ``FakeSeam.add_phone``), /phones/list,
/phones/get and /phones/deactivate.

A sandbox phone stands for the app user signing in on a new phone: it takes the reference's
defaults, and the identity's multi-phone sync credentials are issued to it in the same
request. Deactivating a phone revokes each per-phone copy (invalidated, then deleted),
records ``phone.deactivated`` and forgets the phone, as docs/fidelity.md ("Phones") says.
Through the real ``seam`` SDK, and plain requests where the SDK cannot go.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from helpers import (
    Raw,
    assert_error,
    expect_api_error,
    expect_invalid,
    expect_raw_invalid,
    ok,
    read_ok,
    seam_time,
    unchanged,
    workspace_state,
)
from seam import AsyncSeam, Seam

from seam_fake import FakeSeam

# Many cases build a Seam client: share one SSL context (see conftest.py).

METHODS = ("get", "post")
SANDBOX = "/phones/simulate/create_sandbox_phone"
MOMENT = datetime(2031, 3, 4, 5, 6, 7, 890_000, tzinfo=timezone.utc)
WAITING = "waiting_to_be_issued"


# Set-up --------------------------------------------------------------------------------


@dataclass
class Mobile:
    """A Salto KS site, Jane's identity on it (with an ACS user made for her) and a
    multi-phone sync mobile key waiting for her first phone."""

    system_id: str
    identity_id: str
    acs_user_id: str
    key_id: str


def new_mobile(fake: FakeSeam, key: str = "jane", workspace_id: str | None = None) -> Mobile:
    system_id = fake.add_acs_system("Harbour Salto Site", workspace_id=workspace_id)["acs_system_id"]
    identity = fake.add_user_identity(
        user_identity_key=key,
        email_address=f"{key}@example.com",
        acs_system_ids=[system_id],
        workspace_id=workspace_id,
    )
    key_id = fake.add_acs_credential(
        "mobile_key",
        user_identity_id=identity["user_identity_id"],
        acs_system_id=system_id,
        is_multi_phone_sync_credential=True,
    )["acs_credential_id"]
    (acs_user_id,) = identity["acs_user_ids"]
    return Mobile(system_id, identity["user_identity_id"], acs_user_id, key_id)


@pytest.fixture
def mobile(fake_seam: FakeSeam) -> Mobile:
    return new_mobile(fake_seam)


def second_key(fake: FakeSeam, mobile: Mobile) -> str:
    """Another mobile key of the same identity (Salto KS takes several)."""
    key_id: str = fake.add_acs_credential(
        "mobile_key",
        user_identity_id=mobile.identity_id,
        acs_system_id=mobile.system_id,
        is_multi_phone_sync_credential=True,
    )["acs_credential_id"]
    return key_id


def stored_phone(fake: FakeSeam, device_id: str, workspace_id: str | None = None) -> dict[str, Any]:
    phone: dict[str, Any] = workspace_state(fake, workspace_id)["phones"][device_id]
    return phone


def copies_of(seam: Seam, mobile: Mobile, parent_id: str) -> list[Any]:
    """The per-phone copies of a credential, as /acs/credentials/list shows them."""
    listed = seam.acs.credentials.list(user_identity_id=mobile.identity_id)
    return [c for c in listed if c.parent_acs_credential_id == parent_id]


def phone_ids(phones: Any) -> list[str]:
    return [phone.device_id for phone in phones]


def warning_codes(credential: Any) -> list[str]:
    return [w.warning_code for w in credential.warnings]


def events_after(fake: FakeSeam, count: int) -> list[dict[str, Any]]:
    """The events recorded after the first ``count``."""
    return fake.events[count:]


def check_sandbox_body(phone: dict[str, Any], workspace_id: str, created_at: str) -> None:
    device_id = phone["device_id"]
    uuid.UUID(device_id)
    assert phone == {
        "device_id": device_id,
        "workspace_id": workspace_id,
        "created_at": created_at,
        "display_name": "My Phone",
        "nickname": "My Phone",
        "device_type": phone["device_type"],
        "custom_metadata": {},
        "errors": [],
        "warnings": [],
        "properties": {
            "assa_abloy_credential_service_metadata": {
                "endpoints": [{"endpoint_id": device_id, "is_active": True}],
                "has_active_endpoint": True,
            },
            "salto_space_credential_service_metadata": {"has_active_phone": True},
        },
    }


# /phones/simulate/create_sandbox_phone --------------------------------------------------


def test_sandbox_phone_has_the_reference_defaults(fake_seam: FakeSeam, raw: Raw, mobile: Mobile) -> None:
    with time_machine.travel(MOMENT, tick=False):
        body = ok(raw.post(SANDBOX, json={"user_identity_id": mobile.identity_id}))
    phone = body["phone"]
    check_sandbox_body(phone, fake_seam.workspace_id, seam_time(MOMENT))
    assert phone["device_type"] == "android_phone"
    stored = stored_phone(fake_seam, phone["device_id"])
    # The defaults of the reference's request schema.
    assert stored["owner_user_identity_id"] == mobile.identity_id
    assert (stored["operating_system"], stored["os_version"]) == ("android", "10")
    assert (stored["device_manufacturer"], stored["device_model"]) == ("Samsung", "Samsung Galaxy S10")
    assert stored["custom_sdk_installation_id"] is None
    assert (stored["ble_capability"], stored["hce_capability"], stored["nfc_capability"]) == (
        True,
        False,
        False,
    )
    assert (stored["application_version"], stored["seos_applet_version"]) == ("1.0.0", "1.0.0")
    assert stored["seos_tsm_endpoint_id"] == 1


def test_sandbox_phone_through_the_sdk(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    phone = seam.phones.simulate.create_sandbox_phone(user_identity_id=mobile.identity_id)
    assert phone.device_type == "android_phone"
    assert phone.display_name == phone.nickname == "My Phone"
    assert phone.workspace_id == fake_seam.workspace_id
    assert seam.phones.get(device_id=phone.device_id).device_id == phone.device_id


def test_sandbox_phone_keeps_the_metadata_given(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    phone = seam.phones.simulate.create_sandbox_phone(
        user_identity_id=mobile.identity_id,
        custom_sdk_installation_id="install-42",
        phone_metadata={
            "operating_system": "ios",
            "os_version": "17.4",
            "device_manufacturer": "Apple",
            "device_model": "iPhone 15",
        },
        assa_abloy_metadata={
            "application_version": "2.3.4",
            "ble_capability": False,
            "hce_capability": True,
            "nfc_capability": True,
            "seos_applet_version": "5.6",
            "seos_tsm_endpoint_id": 7,
        },
    )
    assert phone.device_type == "ios_phone"
    assert seam.phones.get(device_id=phone.device_id).device_type == "ios_phone"
    stored = stored_phone(fake_seam, phone.device_id)
    assert {
        k: stored[k] for k in ("operating_system", "os_version", "device_manufacturer", "device_model")
    } == {
        "operating_system": "ios",
        "os_version": "17.4",
        "device_manufacturer": "Apple",
        "device_model": "iPhone 15",
    }
    assert stored["custom_sdk_installation_id"] == "install-42"
    assert (stored["ble_capability"], stored["hce_capability"], stored["nfc_capability"]) == (
        False,
        True,
        True,
    )
    assert (stored["application_version"], stored["seos_applet_version"]) == ("2.3.4", "5.6")
    assert stored["seos_tsm_endpoint_id"] == 7


def test_sandbox_phone_metadata_given_in_part_keeps_the_other_defaults(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    phone = seam.phones.simulate.create_sandbox_phone(
        user_identity_id=mobile.identity_id,
        phone_metadata={"os_version": "14"},
        assa_abloy_metadata={"nfc_capability": True},
    )
    assert phone.device_type == "android_phone"
    stored = stored_phone(fake_seam, phone.device_id)
    assert (stored["operating_system"], stored["os_version"], stored["device_model"]) == (
        "android",
        "14",
        "Samsung Galaxy S10",
    )
    assert (stored["ble_capability"], stored["nfc_capability"]) == (True, True)


def test_sandbox_phone_with_empty_metadata_objects_takes_the_defaults(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    phone = seam.phones.simulate.create_sandbox_phone(
        user_identity_id=mobile.identity_id, phone_metadata={}, assa_abloy_metadata={}
    )
    assert phone.device_type == "android_phone"
    assert stored_phone(fake_seam, phone.device_id)["device_model"] == "Samsung Galaxy S10"


BAD_FIELDS = [
    ("phone_metadata", "operating_system", 3),
    ("phone_metadata", "operating_system", "windows"),
    ("phone_metadata", "operating_system", "Android"),
    ("phone_metadata", "operating_system", None),
    ("phone_metadata", "os_version", 10),
    ("phone_metadata", "os_version", None),
    ("phone_metadata", "device_manufacturer", True),
    ("phone_metadata", "device_model", ["Pixel"]),
    ("assa_abloy_metadata", "application_version", 1),
    ("assa_abloy_metadata", "ble_capability", "yes"),
    ("assa_abloy_metadata", "ble_capability", 1),
    ("assa_abloy_metadata", "hce_capability", "true"),
    ("assa_abloy_metadata", "nfc_capability", None),
    ("assa_abloy_metadata", "seos_applet_version", 1.0),
    ("assa_abloy_metadata", "seos_tsm_endpoint_id", "1"),
    ("assa_abloy_metadata", "seos_tsm_endpoint_id", True),
]


@pytest.mark.parametrize(("param", "field", "value"), BAD_FIELDS)
def test_sandbox_phone_metadata_is_validated_field_by_field(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile, param: str, field: str, value: object
) -> None:
    error = expect_invalid(
        fake_seam,
        lambda: seam.phones.simulate.create_sandbox_phone(
            user_identity_id=mobile.identity_id, **{param: {field: value}}
        ),
        param,
    )
    assert field in " ".join(error.get_validation_error_messages(param))
    assert not workspace_state(fake_seam)["phones"]


@pytest.mark.parametrize("param", ["phone_metadata", "assa_abloy_metadata"])
@pytest.mark.parametrize("value", [None, "android", [], 3, True])
def test_sandbox_phone_metadata_must_be_an_object(
    fake_seam: FakeSeam, raw: Raw, mobile: Mobile, param: str, value: object
) -> None:
    body = {"user_identity_id": mobile.identity_id, param: value}
    expect_raw_invalid(fake_seam, lambda: raw.post(SANDBOX, json=body), param)


@pytest.mark.parametrize("value", [5, True, None, {"id": "x"}])
def test_sandbox_phone_custom_sdk_installation_id_must_be_a_string(
    fake_seam: FakeSeam, raw: Raw, mobile: Mobile, value: object
) -> None:
    body = {"user_identity_id": mobile.identity_id, "custom_sdk_installation_id": value}
    expect_raw_invalid(fake_seam, lambda: raw.post(SANDBOX, json=body), "custom_sdk_installation_id")


@pytest.mark.parametrize("body", [{}, {"user_identity_id": None}, {"user_identity_id": "jane"}])
def test_sandbox_phone_needs_a_user_identity_id(fake_seam: FakeSeam, raw: Raw, body: dict[str, Any]) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(SANDBOX, json=body), "user_identity_id")


def test_sandbox_phone_for_an_unknown_identity_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.phones.simulate.create_sandbox_phone(user_identity_id=str(uuid.uuid4())),
    )


def test_sandbox_phone_for_another_workspaces_identity_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign = fake_seam.add_user_identity(user_identity_key="jane", workspace_id=other["workspace_id"])
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.phones.simulate.create_sandbox_phone(user_identity_id=foreign["user_identity_id"]),
    )


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_sandbox_phone_is_post_only(fake_seam: FakeSeam, raw: Raw, mobile: Mobile, method: str) -> None:
    with unchanged(fake_seam):
        response = raw.request(method, SANDBOX, json={"user_identity_id": mobile.identity_id})
    assert_error(response, 405, "method_not_allowed")


# FakeSeam.add_phone ----------------------------------------------------------------------


def test_add_phone_returns_the_phone_as_get_does(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    with time_machine.travel(MOMENT, tick=False):
        phone = fake_seam.add_phone(mobile.identity_id, custom_sdk_installation_id="sdk-1")
    check_sandbox_body(phone, fake_seam.workspace_id, seam_time(MOMENT))
    assert phone["device_type"] == "android_phone"
    assert seam.phones.get(device_id=phone["device_id"]).created_at == seam_time(MOMENT)
    assert stored_phone(fake_seam, phone["device_id"])["custom_sdk_installation_id"] == "sdk-1"


def test_add_phone_takes_metadata(fake_seam: FakeSeam, mobile: Mobile) -> None:
    phone = fake_seam.add_phone(
        mobile.identity_id,
        phone_metadata={"operating_system": "ios", "device_model": "iPhone 15"},
        assa_abloy_metadata={"hce_capability": True},
    )
    assert phone["device_type"] == "ios_phone"
    stored = stored_phone(fake_seam, phone["device_id"])
    assert (stored["device_model"], stored["hce_capability"]) == ("iPhone 15", True)


def test_add_phone_issues_the_waiting_mobile_key(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    phone = fake_seam.add_phone(mobile.identity_id)
    assert seam.acs.credentials.get(acs_credential_id=mobile.key_id).is_issued is True
    (copy,) = copies_of(seam, mobile, mobile.key_id)
    assert phone_ids(seam.phones.list(acs_credential_id=copy.acs_credential_id)) == [phone["device_id"]]


def test_add_phone_validates_the_metadata(fake_seam: FakeSeam, mobile: Mobile) -> None:
    with unchanged(fake_seam), pytest.raises(ValueError) as info:
        fake_seam.add_phone(mobile.identity_id, phone_metadata={"operating_system": "windows"})
    assert getattr(info.value, "type", None) == "invalid_input"
    assert "phone_metadata" in str(info.value)


def test_add_phone_for_an_unknown_identity_raises(fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam), pytest.raises(KeyError) as info:
        fake_seam.add_phone(str(uuid.uuid4()))
    assert getattr(info.value, "type", None) == "user_identity_not_found"


def test_add_phone_finds_the_workspace_of_the_identity(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign = new_mobile(fake_seam, "olga", other["workspace_id"])
    phone = fake_seam.add_phone(foreign.identity_id)
    assert phone["workspace_id"] == other["workspace_id"]
    assert stored_phone(fake_seam, phone["device_id"], other["workspace_id"])["owner_user_identity_id"] == (
        foreign.identity_id
    )
    headers = {"Authorization": f"Bearer {other['api_key']}"}
    fetched = ok(raw.post("/phones/get", json={"device_id": phone["device_id"]}, headers=headers))["phone"]
    assert fetched == phone
    assert seam.phones.list() == []


# Issuance on a new phone -----------------------------------------------------------------


def test_a_new_phone_issues_waiting_mobile_keys_in_the_same_request(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    other_key = second_key(fake_seam, mobile)
    for key_id in (mobile.key_id, other_key):
        waiting = seam.acs.credentials.get(acs_credential_id=key_id)
        assert (waiting.is_issued, waiting.issued_at) == (False, None)
        assert WAITING in warning_codes(waiting)
    before = len(fake_seam.events)
    with time_machine.travel(MOMENT, tick=False):
        phone = seam.phones.simulate.create_sandbox_phone(user_identity_id=mobile.identity_id)
    for key_id in (mobile.key_id, other_key):
        issued = seam.acs.credentials.get(acs_credential_id=key_id)
        assert issued.is_issued is True
        assert issued.issued_at == seam_time(MOMENT)
        assert WAITING not in warning_codes(issued)
        (copy,) = copies_of(seam, mobile, key_id)
        assert copy.is_issued is True
        assert copy.issued_at == seam_time(MOMENT)
        assert copy.is_multi_phone_sync_credential is False
        assert copy.access_method == "mobile_key"
        assert copy.acs_user_id == mobile.acs_user_id
        assert phone_ids(seam.phones.list(acs_credential_id=copy.acs_credential_id)) == [phone.device_id]
    recorded = events_after(fake_seam, before)
    assert {e["event_type"] for e in recorded} == {"acs_credential.issued"}
    # Each key's copy, and each key itself (now issued).
    copies = [c.acs_credential_id for k in (mobile.key_id, other_key) for c in copies_of(seam, mobile, k)]
    assert sorted(e["acs_credential_id"] for e in recorded) == sorted([mobile.key_id, other_key, *copies])


def test_a_later_phone_gets_a_copy_of_an_issued_key(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    first = seam.phones.simulate.create_sandbox_phone(user_identity_id=mobile.identity_id)
    issued_at = seam.acs.credentials.get(acs_credential_id=mobile.key_id).issued_at
    before = len(fake_seam.events)
    second = seam.phones.simulate.create_sandbox_phone(user_identity_id=mobile.identity_id)
    copies = copies_of(seam, mobile, mobile.key_id)
    assert len(copies) == 2
    on = {
        c.acs_credential_id: phone_ids(seam.phones.list(acs_credential_id=c.acs_credential_id))
        for c in copies
    }
    assert sorted(on.values()) == sorted([[first.device_id], [second.device_id]])
    # The key was issued already: only the new copy is.
    (event,) = events_after(fake_seam, before)
    assert event["event_type"] == "acs_credential.issued"
    assert on[event["acs_credential_id"]] == [second.device_id]
    assert seam.acs.credentials.get(acs_credential_id=mobile.key_id).issued_at == issued_at


def test_a_phone_of_another_identity_gets_none_of_its_keys(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    bob = fake_seam.add_user_identity(user_identity_key="bob", acs_system_ids=[mobile.system_id])
    seam.phones.simulate.create_sandbox_phone(user_identity_id=bob["user_identity_id"])
    waiting = seam.acs.credentials.get(acs_credential_id=mobile.key_id)
    assert waiting.is_issued is False
    assert WAITING in warning_codes(waiting)
    assert copies_of(seam, mobile, mobile.key_id) == []


# /phones/list ----------------------------------------------------------------------------


def test_list_in_creation_order_and_by_owner(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    bob = fake_seam.add_user_identity(user_identity_key="bob")["user_identity_id"]
    jane_1 = fake_seam.add_phone(mobile.identity_id)["device_id"]
    bob_1 = fake_seam.add_phone(bob)["device_id"]
    jane_2 = fake_seam.add_phone(mobile.identity_id)["device_id"]
    assert phone_ids(seam.phones.list()) == [jane_1, bob_1, jane_2]
    assert phone_ids(seam.phones.list(owner_user_identity_id=mobile.identity_id)) == [jane_1, jane_2]
    assert phone_ids(seam.phones.list(owner_user_identity_id=bob)) == [bob_1]
    nobody = fake_seam.add_user_identity(user_identity_key="nobody")["user_identity_id"]
    assert seam.phones.list(owner_user_identity_id=nobody) == []


def test_list_with_no_phones_is_empty(seam: Seam) -> None:
    assert seam.phones.list() == []


def test_list_by_credential(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    first = fake_seam.add_phone(mobile.identity_id)["device_id"]
    second = fake_seam.add_phone(mobile.identity_id)["device_id"]
    code_id = fake_seam.add_acs_credential("code", acs_user_id=mobile.acs_user_id)["acs_credential_id"]
    # A parent credential's phones are those its copies are on.
    assert phone_ids(seam.phones.list(acs_credential_id=mobile.key_id)) == [first, second]
    # A copy's phone is the one it was issued to.
    on = [
        phone_ids(seam.phones.list(acs_credential_id=c.acs_credential_id))
        for c in copies_of(seam, mobile, mobile.key_id)
    ]
    assert sorted(on) == sorted([[first], [second]])
    # A code is on no phone.
    assert seam.phones.list(acs_credential_id=code_id) == []


def test_list_by_a_credential_not_yet_on_a_phone_is_empty(seam: Seam, mobile: Mobile) -> None:
    assert seam.phones.list(acs_credential_id=mobile.key_id) == []


def test_list_by_owner_and_credential_keeps_both(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    bob = fake_seam.add_user_identity(user_identity_key="bob")["user_identity_id"]
    fake_seam.add_phone(bob)
    both = seam.phones.list(owner_user_identity_id=mobile.identity_id, acs_credential_id=mobile.key_id)
    assert phone_ids(both) == [phone]
    assert seam.phones.list(owner_user_identity_id=bob, acs_credential_id=mobile.key_id) == []


@pytest.mark.parametrize("method", METHODS)
def test_list_raw_matches_the_schema(fake_seam: FakeSeam, raw: Raw, mobile: Mobile, method: str) -> None:
    phone = fake_seam.add_phone(mobile.identity_id)
    body = read_ok(raw, method, "/phones/list", {"owner_user_identity_id": mobile.identity_id})
    assert body["phones"] == [phone]
    body = read_ok(raw, method, "/phones/list", {"acs_credential_id": mobile.key_id})
    assert body["phones"] == [phone]


def test_list_leaves_out_another_workspaces_phones(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign = new_mobile(fake_seam, "olga", other["workspace_id"])
    fake_seam.add_phone(foreign.identity_id)
    mine = fake_seam.add_phone(mobile.identity_id)["device_id"]
    assert phone_ids(seam.phones.list()) == [mine]
    assert seam.phones.list(owner_user_identity_id=foreign.identity_id) == []
    assert seam.phones.list(acs_credential_id=foreign.key_id) == []


@pytest.mark.parametrize("param", ["owner_user_identity_id", "acs_credential_id"])
@pytest.mark.parametrize("method", METHODS)
def test_list_filters_must_be_uuids(fake_seam: FakeSeam, raw: Raw, param: str, method: str) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.read(method, "/phones/list", {param: "jane"}), param)


def test_list_refuses_a_client_session(fake_seam: FakeSeam, raw: Raw, mobile: Mobile) -> None:
    # The reference's /phones/list takes no client session.
    token = fake_seam.add_client_session(user_identity_id=mobile.identity_id)["token"]
    with unchanged(fake_seam):
        response = raw.post("/phones/list", json={}, headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, "unauthorized")


# /phones/get -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_get_by_device_id(fake_seam: FakeSeam, seam: Seam, raw: Raw, mobile: Mobile, method: str) -> None:
    phone = fake_seam.add_phone(mobile.identity_id, phone_metadata={"operating_system": "ios"})
    assert read_ok(raw, method, "/phones/get", {"device_id": phone["device_id"]})["phone"] == phone
    fetched = seam.phones.get(device_id=phone["device_id"])
    assert (fetched.device_id, fetched.device_type, fetched.created_at) == (
        phone["device_id"],
        "ios_phone",
        phone["created_at"],
    )


def test_get_an_unknown_phone_is_not_found(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    fake_seam.add_phone(mobile.identity_id)
    expect_api_error(fake_seam, 404, "phone_not_found", lambda: seam.phones.get(device_id=str(uuid.uuid4())))


def test_get_another_workspaces_phone_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign = new_mobile(fake_seam, "olga", other["workspace_id"])
    device_id = fake_seam.add_phone(foreign.identity_id)["device_id"]
    expect_api_error(fake_seam, 404, "phone_not_found", lambda: seam.phones.get(device_id=device_id))


@pytest.mark.parametrize("body", [{}, {"device_id": None}, {"device_id": "my-phone"}, {"device_id": 7}])
def test_get_needs_a_uuid_device_id(fake_seam: FakeSeam, raw: Raw, body: dict[str, Any]) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post("/phones/get", json=body), "device_id")


# /phones/deactivate ----------------------------------------------------------------------


def test_deactivate_revokes_each_copy_then_records_the_phone(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    other_key = second_key(fake_seam, mobile)
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    copies = [copies_of(seam, mobile, key_id)[0].acs_credential_id for key_id in (mobile.key_id, other_key)]
    system = seam.acs.systems.get(acs_system_id=mobile.system_id)
    before = len(fake_seam.events)
    with time_machine.travel(MOMENT, tick=False):
        seam.phones.deactivate(device_id=phone)
    recorded = events_after(fake_seam, before)
    assert [(e["event_type"], e.get("acs_credential_id", e.get("device_id"))) for e in recorded] == [
        ("acs_credential.invalidated", copies[0]),
        ("acs_credential.deleted", copies[0]),
        ("acs_credential.invalidated", copies[1]),
        ("acs_credential.deleted", copies[1]),
        ("phone.deactivated", phone),
    ]
    for event in recorded:
        assert event["occurred_at"] == event["created_at"] == seam_time(MOMENT)
        assert event["workspace_id"] == fake_seam.workspace_id
    for event in recorded[:4]:
        assert event["acs_system_id"] == mobile.system_id
        assert event["connected_account_id"] == system.connected_account_id
    assert recorded[4]["device_id"] == phone
    assert recorded[4]["device_custom_metadata"] == {}


def test_deactivate_forgets_the_phone_and_keeps_the_parent_issued(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    lost = fake_seam.add_phone(mobile.identity_id)["device_id"]
    kept = fake_seam.add_phone(mobile.identity_id)["device_id"]
    issued_at = seam.acs.credentials.get(acs_credential_id=mobile.key_id).issued_at
    (lost_copy,) = [
        c.acs_credential_id
        for c in copies_of(seam, mobile, mobile.key_id)
        if phone_ids(seam.phones.list(acs_credential_id=c.acs_credential_id)) == [lost]
    ]
    seam.phones.deactivate(device_id=lost)

    expect_api_error(fake_seam, 404, "phone_not_found", lambda: seam.phones.get(device_id=lost))
    assert phone_ids(seam.phones.list(owner_user_identity_id=mobile.identity_id)) == [kept]
    assert phone_ids(seam.phones.list()) == [kept]
    assert phone_ids(seam.phones.list(acs_credential_id=mobile.key_id)) == [kept]
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.get(acs_credential_id=lost_copy),
    )
    parent = seam.acs.credentials.get(acs_credential_id=mobile.key_id)
    assert (parent.is_issued, parent.issued_at) == (True, issued_at)
    assert WAITING not in warning_codes(parent)
    (left,) = copies_of(seam, mobile, mobile.key_id)
    assert phone_ids(seam.phones.list(acs_credential_id=left.acs_credential_id)) == [kept]


def test_deleting_the_identity_takes_keys_on_its_phones_of_an_acs_user_since_unlinked(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    """Found by the model-based test: a key issued to the identity's phone, whose ACS
    user was then unlinked, outlived the phone when the identity was deleted."""
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    (copy,) = copies_of(seam, mobile, mobile.key_id)
    assert phone_ids(seam.phones.list(acs_credential_id=copy.acs_credential_id)) == [phone]
    seam.user_identities.remove_acs_user(user_identity_id=mobile.identity_id, acs_user_id=mobile.acs_user_id)
    # Unlinking leaves the ACS user and what was issued to it.
    unlinked = seam.acs.credentials.get(acs_credential_id=copy.acs_credential_id)
    assert unlinked.acs_user_id == mobile.acs_user_id
    before = len(fake_seam.events)

    seam.user_identities.delete(user_identity_id=mobile.identity_id)

    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.get(acs_credential_id=copy.acs_credential_id),
    )
    assert seam.phones.list() == []
    assert [c.acs_credential_id for c in seam.acs.credentials.list(acs_user_id=mobile.acs_user_id)] == [
        mobile.key_id
    ]
    recorded = [(e["event_type"], e.get("acs_credential_id")) for e in events_after(fake_seam, before)]
    assert ("acs_credential.deleted", copy.acs_credential_id) in recorded


def test_deactivating_the_only_phone_leaves_the_parent_issued_and_none_listed(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    seam.phones.deactivate(device_id=phone)
    assert seam.phones.list() == []
    assert seam.phones.list(owner_user_identity_id=mobile.identity_id) == []
    assert seam.phones.list(acs_credential_id=mobile.key_id) == []
    assert copies_of(seam, mobile, mobile.key_id) == []
    assert seam.acs.credentials.get(acs_credential_id=mobile.key_id).is_issued is True


def test_a_new_phone_after_deactivation_gets_a_new_copy(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    lost = fake_seam.add_phone(mobile.identity_id)["device_id"]
    (old_copy,) = copies_of(seam, mobile, mobile.key_id)
    seam.phones.deactivate(device_id=lost)
    before = len(fake_seam.events)
    new = seam.phones.simulate.create_sandbox_phone(user_identity_id=mobile.identity_id)
    assert new.device_id != lost
    (new_copy,) = copies_of(seam, mobile, mobile.key_id)
    assert new_copy.acs_credential_id != old_copy.acs_credential_id
    assert new_copy.is_issued is True
    assert phone_ids(seam.phones.list(acs_credential_id=new_copy.acs_credential_id)) == [new.device_id]
    assert [(e["event_type"], e["acs_credential_id"]) for e in events_after(fake_seam, before)] == [
        ("acs_credential.issued", new_copy.acs_credential_id)
    ]


def test_deactivate_a_phone_without_credentials(fake_seam: FakeSeam, seam: Seam) -> None:
    bob = fake_seam.add_user_identity(user_identity_key="bob")["user_identity_id"]
    phone = fake_seam.add_phone(bob)["device_id"]
    before = len(fake_seam.events)
    seam.phones.deactivate(device_id=phone)
    assert [(e["event_type"], e["device_id"]) for e in events_after(fake_seam, before)] == [
        ("phone.deactivated", phone)
    ]
    assert seam.phones.list() == []


@pytest.mark.parametrize("how", ["sdk_delete_with_query", "raw_post_with_json", "raw_delete_with_query"])
def test_deactivate_either_way(fake_seam: FakeSeam, seam: Seam, raw: Raw, mobile: Mobile, how: str) -> None:
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    if how == "sdk_delete_with_query":
        assert seam.phones.deactivate(device_id=phone) is None
    elif how == "raw_post_with_json":
        assert ok(raw.post("/phones/deactivate", json={"device_id": phone})) == {"ok": True}
    else:
        assert ok(raw.request("DELETE", "/phones/deactivate", params={"device_id": phone})) == {"ok": True}
    assert seam.phones.list() == []
    assert fake_seam.events[-1]["event_type"] == "phone.deactivated"
    assert fake_seam.events[-1]["device_id"] == phone


def test_deactivating_twice_is_not_found(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    seam.phones.deactivate(device_id=phone)
    expect_api_error(fake_seam, 404, "phone_not_found", lambda: seam.phones.deactivate(device_id=phone))


@pytest.mark.parametrize("device_id", [str(uuid.UUID(int=1)), "my-phone"])
def test_deactivate_an_unknown_phone_is_not_found(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile, device_id: str
) -> None:
    fake_seam.add_phone(mobile.identity_id)
    expect_api_error(fake_seam, 404, "phone_not_found", lambda: seam.phones.deactivate(device_id=device_id))


def test_deactivate_another_workspaces_phone_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign = new_mobile(fake_seam, "olga", other["workspace_id"])
    device_id = fake_seam.add_phone(foreign.identity_id)["device_id"]
    expect_api_error(fake_seam, 404, "phone_not_found", lambda: seam.phones.deactivate(device_id=device_id))


@pytest.mark.parametrize("body", [{}, {"device_id": None}, {"device_id": 7}])
def test_deactivate_needs_a_device_id(fake_seam: FakeSeam, raw: Raw, body: dict[str, Any]) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post("/phones/deactivate", json=body), "device_id")


def test_a_client_session_deactivates_only_its_identitys_phones(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, mobile: Mobile
) -> None:
    bob = fake_seam.add_user_identity(user_identity_key="bob")["user_identity_id"]
    janes = fake_seam.add_phone(mobile.identity_id)["device_id"]
    bobs = fake_seam.add_phone(bob)["device_id"]
    token = fake_seam.add_client_session(user_identity_id=mobile.identity_id)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    with unchanged(fake_seam):
        response = raw.post("/phones/deactivate", json={"device_id": bobs}, headers=headers)
    assert_error(response, 404, "phone_not_found")
    ok(raw.post("/phones/deactivate", json={"device_id": janes}, headers=headers))
    assert phone_ids(seam.phones.list()) == [bobs]


# AsyncSeam -------------------------------------------------------------------------------


def test_async_sandbox_phone_list_and_deactivate(
    fake_seam: FakeSeam, async_seam: AsyncSeam, mobile: Mobile
) -> None:
    async def run() -> tuple[Any, list[Any], Any, list[Any]]:
        phone = await async_seam.phones.simulate.create_sandbox_phone(
            user_identity_id=mobile.identity_id, phone_metadata={"operating_system": "ios"}
        )
        listed = await async_seam.phones.list(acs_credential_id=mobile.key_id)
        fetched = await async_seam.phones.get(device_id=phone.device_id)
        await async_seam.phones.deactivate(device_id=phone.device_id)
        return phone, listed, fetched, await async_seam.phones.list()

    phone, listed, fetched, after = asyncio.run(run())
    assert phone.device_type == fetched.device_type == "ios_phone"
    assert phone_ids(listed) == [phone.device_id]
    assert after == []
    assert fake_seam.events[-1]["event_type"] == "phone.deactivated"


# Deleting the identity -------------------------------------------------------------------


def test_deleting_the_identity_removes_its_phones(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    bob = fake_seam.add_user_identity(user_identity_key="bob")["user_identity_id"]
    janes = [fake_seam.add_phone(mobile.identity_id)["device_id"] for _ in range(2)]
    bobs = fake_seam.add_phone(bob)["device_id"]
    copies = [c.acs_credential_id for c in copies_of(seam, mobile, mobile.key_id)]
    assert len(copies) == 2
    seam.user_identities.delete(user_identity_id=mobile.identity_id)
    assert phone_ids(seam.phones.list()) == [bobs]
    assert seam.phones.list(owner_user_identity_id=mobile.identity_id) == []
    for device_id in janes:
        expect_api_error(fake_seam, 404, "phone_not_found", lambda d=device_id: seam.phones.get(device_id=d))
        expect_api_error(
            fake_seam, 404, "phone_not_found", lambda d=device_id: seam.phones.deactivate(device_id=d)
        )
    stored = workspace_state(fake_seam)
    assert set(stored["phones"]) == {bobs}
    assert mobile.identity_id not in stored["phones_by_owner"]
    for credential_id in (*copies, mobile.key_id):
        assert credential_id not in stored["acs_credentials"]


def test_deleting_a_credential_takes_its_copies_off_the_phones(
    fake_seam: FakeSeam, seam: Seam, mobile: Mobile
) -> None:
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    seam.acs.credentials.delete(acs_credential_id=mobile.key_id)
    assert seam.phones.list(acs_credential_id=mobile.key_id) == []
    # The phone itself stays.
    assert phone_ids(seam.phones.list()) == [phone]
    assert workspace_state(fake_seam)["credentials_by_device"] == {}


def test_deactivation_time_is_the_clock(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    later = MOMENT + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        seam.phones.deactivate(device_id=phone)
    assert fake_seam.events[-1]["occurred_at"] == seam_time(later)


def test_ids_in_any_letter_case(fake_seam: FakeSeam, seam: Seam, mobile: Mobile) -> None:
    # Seam keeps ids in UUID columns, which compare without regard to case.
    phone = fake_seam.add_phone(mobile.identity_id)["device_id"]
    assert phone_ids(seam.phones.list(owner_user_identity_id=mobile.identity_id.upper())) == [phone]
    assert phone_ids(seam.phones.list(acs_credential_id=mobile.key_id.upper())) == [phone]
    assert seam.phones.get(device_id=phone.upper()).device_id == phone
    seam.phones.deactivate(device_id=phone.upper())
    assert seam.phones.list() == []
