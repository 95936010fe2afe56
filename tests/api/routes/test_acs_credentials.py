"""ACS credentials: every /acs/credentials/* route, the compatible credential managers of an
ACS system, and the issuance controls.

Routes: ``create`` (each ACS kind's access methods, codes, multi-phone sync mobile keys,
credential managers, whose credential it is, Salto Space's one card and one mobile key,
``starts_at`` and ``ends_at``), ``get``, ``list`` (filters, ``search``, pages), ``update``,
``delete``, ``assign``, ``unassign``, ``list_accessible_entrances`` and
``/acs/systems/list_compatible_credential_manager_acs_systems``.

Issuance: a mobile key waits for a phone and then has one child per phone; codes are issued
at once; a card waits to be encoded; ``set_credential_issuance``, ``issue_credential`` and
``fail_credential_issuance``, from Python and as ``/_fake/`` controls.

Also: cascades (a credential's children, an ACS user's and an identity's credentials),
other workspaces, client sessions and the async SDK. Through the real ``seam`` SDK, and
plain requests where the SDK cannot go (query strings, methods, JSON types). The clock is
frozen at ``NOW`` for every test (``clock.shift`` moves it), so times can be compared.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest
import time_machine
from helpers import (
    Raw,
    assert_error,
    expect_api_error,
    expect_invalid,
    expect_mismatched_cursor,
    expect_raw_invalid,
    new_system,
    new_user,
    ok,
    read_ok,
    unchanged,
    workspace_state,
)
from seam import AsyncSeam, Seam
from seam.resources import AcsCredential

from seam_fake import FakeSeam, InvalidInput, NotFound
from seam_fake.model.acs_types import ACS_TYPES

# Many cases build a Seam client: share one SSL context (see conftest.py).

CREATE = "/acs/credentials/create"
GET = "/acs/credentials/get"
LIST = "/acs/credentials/list"
UPDATE = "/acs/credentials/update"
DELETE = "/acs/credentials/delete"
ASSIGN = "/acs/credentials/assign"
UNASSIGN = "/acs/credentials/unassign"
ENTRANCES = "/acs/credentials/list_accessible_entrances"
COMPATIBLE = "/acs/systems/list_compatible_credential_manager_acs_systems"
METHODS = ("get", "post")
ACCESS_METHODS = ("code", "card", "mobile_key", "cloud_key")
# What a failed issuance shows unless the test names another code (docs/fidelity.md).
DEFAULT_ISSUE_ERROR = "failed_to_create_on_acs_system"

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=timezone.utc)
NOW_TEXT = "2030-06-01T12:00:00.000Z"
LATER_TEXT = "2030-06-01T12:01:00.000Z"  # NOW, after clock.shift(60)
PAST = "2030-05-01T00:00:00.000Z"
FUTURE = "2030-07-01T00:00:00.000Z"
FAR_FUTURE = "2030-08-01T00:00:00.000Z"

SALTO_KS = "salto_ks_site"
SALTO_SPACE = "salto_space_system"
VISIONLINE = "visionline_system"
ASSA_ABLOY_CS = "assa_abloy_credential_service"
PTI = "pti_site"
BRIVO = "brivo_account"
KINDS = sorted(ACS_TYPES)
MANAGED_KINDS = [kind for kind in KINDS if ACS_TYPES[kind].credential_managers]
GENERATING_KINDS = [kind for kind in KINDS if ACS_TYPES[kind].generates_codes]
# Systems that take codes a caller chooses.
CUSTOM_CODE_KINDS = [
    kind for kind in KINDS if "code" in ACS_TYPES[kind].access_methods and not ACS_TYPES[kind].generates_codes
]
ACCEPTED = [(k, m) for k in KINDS for m in ACCESS_METHODS if m in ACS_TYPES[k].access_methods]
REFUSED = [(k, m) for k in KINDS for m in ACCESS_METHODS if m not in ACS_TYPES[k].access_methods]


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Coordinates]:
    """The clock, frozen at NOW; ``clock.shift(seconds)`` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# Helpers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A user identity with one ACS user, on one system."""

    identity_id: str
    system_id: str
    acs_user_id: str


def person(
    fake: FakeSeam,
    system_id: str | None = None,
    *,
    email: str = "jane@example.com",
    name: str = "Jane Doe",
    phones: int = 0,
    kind: str = SALTO_KS,
    workspace_id: str | None = None,
) -> Person:
    """An identity linked to a new ACS user on a system (a new one of ``kind`` if not given),
    with ``phones`` phones, in the default workspace unless ``workspace_id`` names another."""
    system_id = system_id or new_system(fake, "Site", external_type=kind, workspace_id=workspace_id)
    identity = fake.add_user_identity(
        email_address=email, full_name=name, acs_system_ids=[system_id], workspace_id=workspace_id
    )
    (acs_user_id,) = identity["acs_user_ids"]
    for _ in range(phones):
        fake.add_phone(identity["user_identity_id"])
    return Person(identity["user_identity_id"], system_id, acs_user_id)


def mobile_key(fake: FakeSeam, holder: Person) -> dict[str, Any]:
    """A multi-phone sync mobile key for ``holder``, seeded."""
    return fake.add_acs_credential(
        "mobile_key", acs_user_id=holder.acs_user_id, is_multi_phone_sync_credential=True
    )


def create_body(kind: str, method: str) -> dict[str, Any]:
    """What a valid create for ``method`` sends, besides the holder."""
    body: dict[str, Any] = {"access_method": method}
    if method == "code" and not ACS_TYPES[kind].generates_codes:
        body["code"] = "1234"
    if method == "mobile_key":
        body["is_multi_phone_sync_credential"] = True
    return body


def expected_display_name(kind: str, method: str) -> str:
    if method == "mobile_key":
        return "Multi Phone Sync Credential"
    spec = ACS_TYPES[kind]
    return spec.credential_type_display_name or f"{spec.display_name} {method.replace('_', ' ')}"


def events_of(fake: FakeSeam, event_type: str | None = None) -> list[dict[str, Any]]:
    return [e for e in fake.events if event_type is None or e["event_type"] == event_type]


def credential_events(fake: FakeSeam, event_type: str) -> list[str]:
    """The ``acs_credential_id`` of each event of ``event_type``, oldest first."""
    return [e["acs_credential_id"] for e in events_of(fake, event_type)]


def codes_of(notices: Any) -> list[str]:
    """The warning codes of a credential (SDK objects or dicts)."""
    return [n["warning_code"] if isinstance(n, dict) else n.warning_code for n in notices]


def ids(credentials: Any) -> list[str]:
    return [c.acs_credential_id for c in credentials]


def children_of(seam: Seam, parent_id: str) -> list[Any]:
    return [c for c in seam.acs.credentials.list() if c.parent_acs_credential_id == parent_id]


def phones_of(seam: Seam, acs_credential_id: str) -> list[str]:
    """The phones a credential (or its copies) is issued to."""
    return [p.device_id for p in seam.phones.list(acs_credential_id=acs_credential_id)]


def stored(fake: FakeSeam, acs_credential_id: str) -> dict[str, Any]:
    """The credential's record in the snapshot (for what no response shows)."""
    record: dict[str, Any] = workspace_state(fake)["acs_credentials"][acs_credential_id]
    return record


def other_seam(fake: FakeSeam) -> Seam:
    """A client of a second workspace."""
    key = fake.add_workspace(name="Other Workspace")["api_key"]
    return Seam(api_key=key)


def raw_send(raw: Raw, method: str, path: str, body: dict[str, Any]) -> Callable[[], Any]:
    return lambda: raw.request(method, path, json=body)


# create: access methods of each kind -----------------------------------------------------


@pytest.mark.parametrize(("kind", "method"), ACCEPTED, ids=[f"{k}-{m}" for k, m in ACCEPTED])
def test_create_accepts_each_access_method_the_system_takes(
    fake_seam: FakeSeam, seam: Seam, kind: str, method: str
) -> None:
    system_id = new_system(fake_seam, "Site", external_type=kind)
    for manager_kind in ACS_TYPES[kind].credential_managers[:1]:
        new_system(fake_seam, "Manager", external_type=manager_kind)
    user_id = new_user(fake_seam, system_id, "Jane Doe")

    credential = seam.acs.credentials.create(acs_user_id=user_id, **create_body(kind, method))

    assert credential.access_method == method
    assert (credential.acs_system_id, credential.acs_user_id) == (system_id, user_id)
    assert credential.workspace_id == fake_seam.workspace_id
    assert credential.created_at == NOW_TEXT
    assert credential.display_name == expected_display_name(kind, method)
    assert credential.external_type == ACS_TYPES[kind].credential_type
    assert credential.is_multi_phone_sync_credential is (method == "mobile_key")
    assert credential.parent_acs_credential_id is None
    assert credential.errors == []
    if method in ("code", "cloud_key"):
        assert (credential.is_issued, credential.issued_at) == (True, NOW_TEXT)
        assert credential.warnings == []
    else:
        # A card waits to be encoded; a mobile key of a user with no identity waits for a phone.
        assert (credential.is_issued, credential.issued_at) == (False, None)
        assert codes_of(credential.warnings) == ["waiting_to_be_issued"]
    assert seam.acs.credentials.get(acs_credential_id=credential.acs_credential_id) == credential
    assert ids(seam.acs.credentials.list()) == [credential.acs_credential_id]


@pytest.mark.parametrize(("kind", "method"), REFUSED, ids=[f"{k}-{m}" for k, m in REFUSED])
def test_create_refuses_an_access_method_the_system_does_not_take(
    fake_seam: FakeSeam, seam: Seam, kind: str, method: str
) -> None:
    system_id = new_system(fake_seam, "Site", external_type=kind)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    body = create_body(kind, method)
    body.pop("code", None)

    error = expect_invalid(
        fake_seam, lambda: seam.acs.credentials.create(acs_user_id=user_id, **body), "access_method"
    )

    message = " ".join(error.get_validation_error_messages("access_method"))
    accepted = [m for m in ACCESS_METHODS if m in ACS_TYPES[kind].access_methods]
    assert ", ".join(accepted or ["none"]) in message
    assert ACS_TYPES[kind].display_name in message
    assert seam.acs.credentials.list() == []


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"access_method": "fingerprint"}, "access_method"),
        ({"access_method": 1}, "access_method"),
        ({}, "access_method"),
        ({"access_method": "code", "code": 1234}, "code"),
        (
            {"access_method": "mobile_key", "is_multi_phone_sync_credential": "true"},
            "is_multi_phone_sync_credential",
        ),
        ({"access_method": "code", "acs_system_id": "hq"}, "acs_system_id"),
        ({"access_method": "code", "starts_at": "next week"}, "starts_at"),
        ({"access_method": "code", "ends_at": "2030-07-01T00:00:00"}, "ends_at"),
        ({"access_method": "code", "ends_at": 1_900_000_000}, "ends_at"),
        (
            {"access_method": "mobile_key", "credential_manager_acs_system_id": "cs"},
            "credential_manager_acs_system_id",
        ),
    ],
    ids=[
        "unknown_method",
        "method_not_a_string",
        "no_method",
        "code_not_a_string",
        "multi_phone_not_a_boolean",
        "system_not_a_uuid",
        "starts_at_not_a_time",
        "ends_at_without_time_zone",
        "ends_at_a_number",
        "manager_not_a_uuid",
    ],
)
def test_create_refuses_wrong_json_types(
    fake_seam: FakeSeam, raw: Raw, body: dict[str, Any], param: str
) -> None:
    system_id = new_system(fake_seam, "Site", external_type=PTI)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    expect_raw_invalid(fake_seam, raw_send(raw, "POST", CREATE, {"acs_user_id": user_id, **body}), param)


def test_create_reports_every_malformed_parameter_at_once(fake_seam: FakeSeam, raw: Raw) -> None:
    body = {"access_method": "card", "acs_user_id": "jane", "ends_at": "soon", "code": 5}
    error = expect_raw_invalid(
        fake_seam, raw_send(raw, "POST", CREATE, body), "acs_user_id", "ends_at", "code"
    )
    assert "access_method" not in error["validation_errors"]


def test_create_with_an_acs_user_id_that_is_not_a_uuid_is_invalid(fake_seam: FakeSeam, seam: Seam) -> None:
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(access_method="card", acs_user_id="jane"),
        "acs_user_id",
    )


@pytest.mark.parametrize(
    "param",
    [
        "visionline_metadata",
        "salto_space_metadata",
        "assa_abloy_vostio_metadata",
        "hotek_metadata",
    ],
)
def test_create_refuses_parameters_the_fake_does_not_simulate(
    fake_seam: FakeSeam, raw: Raw, param: str
) -> None:
    system_id = new_system(fake_seam, "Site", external_type=VISIONLINE)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    with unchanged(fake_seam):
        response = raw.post(CREATE, json={"access_method": "card", "acs_user_id": user_id, param: {}})
    error = assert_error(response, 400, "unsupported_by_seam_fake")
    assert param in error["message"]


def test_create_refuses_an_allowed_entrance_that_does_not_exist(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Site", external_type=PTI)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    entrance = str(uuid.uuid4())
    error = expect_api_error(
        fake_seam,
        404,
        "acs_entrance_not_found",
        lambda: seam.acs.credentials.create(
            access_method="card", acs_user_id=user_id, allowed_acs_entrance_ids=[entrance]
        ),
    )
    assert entrance in str(error)


def test_create_refuses_an_allowed_entrance_of_another_system(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Site", external_type=PTI)
    other = new_system(fake_seam, "Other", external_type=PTI)
    entrance = fake_seam.add_acs_entrance(other, "Back door")["acs_entrance_id"]
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    error = expect_api_error(
        fake_seam,
        400,
        "invalid_input",
        lambda: seam.acs.credentials.create(
            access_method="card", acs_user_id=user_id, allowed_acs_entrance_ids=[entrance]
        ),
    )
    assert "allowed_acs_entrance_ids" in str(error)


def test_create_with_allowed_entrances_opens_them(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Site", external_type=PTI)
    front, back = (
        fake_seam.add_acs_entrance(system_id, name)["acs_entrance_id"] for name in ("Front", "Back")
    )
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    card = seam.acs.credentials.create(
        access_method="card", acs_user_id=user_id, allowed_acs_entrance_ids=[back]
    )
    opened = seam.acs.credentials.list_accessible_entrances(acs_credential_id=card.acs_credential_id)
    assert [e.acs_entrance_id for e in opened] == [back]
    assert front not in [e.acs_entrance_id for e in opened]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", CREATE),
        ("GET", CREATE),
        ("PATCH", CREATE),
        ("PUT", GET),
        ("DELETE", LIST),
        ("GET", UPDATE),
        ("PUT", DELETE),
        ("GET", ASSIGN),
        ("DELETE", UNASSIGN),
        ("PATCH", ENTRANCES),
        ("DELETE", COMPATIBLE),
    ],
)
def test_routes_refuse_methods_the_reference_does_not_list(
    fake_seam: FakeSeam, raw: Raw, method: str, path: str
) -> None:
    with unchanged(fake_seam):
        response = raw.request(method, path, json={})
    error = assert_error(response, 405, "method_not_allowed")
    assert method not in response.headers["allow"].split(", ")
    assert "POST" in response.headers["allow"].split(", ")
    assert error["allowed_methods"]


# create: codes ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", GENERATING_KINDS)
def test_systems_that_make_their_own_codes_refuse_a_code(fake_seam: FakeSeam, seam: Seam, kind: str) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=kind), "Jane Doe")
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(access_method="code", acs_user_id=user_id, code="123456"),
        "code",
    )
    assert "leave `code` out" in " ".join(error.get_validation_error_messages("code"))


@pytest.mark.parametrize("kind", GENERATING_KINDS)
def test_systems_that_make_their_own_codes_make_a_six_digit_one(
    fake_seam: FakeSeam, seam: Seam, kind: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=kind), "Jane Doe")
    credential = seam.acs.credentials.create(access_method="code", acs_user_id=user_id)
    assert credential.code is not None and re.fullmatch(r"[0-9]{6}", credential.code)
    assert credential.is_issued is True
    assert credential_events(fake_seam, "acs_credential.issued") == [credential.acs_credential_id]
    assert seam.acs.credentials.get(acs_credential_id=credential.acs_credential_id).code == credential.code


@pytest.mark.parametrize("kind", CUSTOM_CODE_KINDS)
@pytest.mark.parametrize("code", ["1234", "0000", "98765", "123456789"])
def test_a_code_of_4_to_9_digits_is_accepted(fake_seam: FakeSeam, seam: Seam, kind: str, code: str) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=kind), "Jane Doe")
    credential = seam.acs.credentials.create(access_method="code", acs_user_id=user_id, code=code)
    assert credential.code == code
    assert credential.is_issued is True
    assert seam.acs.credentials.get(acs_credential_id=credential.acs_credential_id).code == code


@pytest.mark.parametrize(
    "code",
    [
        "123",
        "1234567890",
        "12a4",
        "12 34",
        " 1234",
        "1234\n",
        "",
        "-1234",
        "\uff11\uff12\uff13\uff14",
        "\u0661\u0662\u0663\u0664",
    ],
    ids=[
        "three_digits",
        "ten_digits",
        "letter",
        "space_inside",
        "leading_space",
        "trailing_newline",
        "empty",
        "negative",
        "fullwidth_digits",
        "arabic_indic_digits",
    ],
)
def test_a_code_that_is_not_4_to_9_ascii_digits_is_refused(
    fake_seam: FakeSeam, seam: Seam, code: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=PTI), "Jane Doe")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(access_method="code", acs_user_id=user_id, code=code),
        "code",
    )
    assert seam.acs.credentials.list() == []


def test_a_code_credential_without_a_code_gets_one_where_codes_may_be_chosen(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=PTI), "Jane Doe")
    credential = seam.acs.credentials.create(access_method="code", acs_user_id=user_id)
    assert credential.code is not None and re.fullmatch(r"[0-9]{4,9}", credential.code)


@pytest.mark.parametrize(
    ("kind", "method"),
    [(PTI, "card"), (BRIVO, "mobile_key"), (BRIVO, "cloud_key"), (SALTO_KS, "card"), (VISIONLINE, "card")],
)
def test_a_code_on_a_credential_that_is_not_a_code_is_refused(
    fake_seam: FakeSeam, seam: Seam, kind: str, method: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=kind), "Jane Doe")
    body = {**create_body(kind, method), "code": "1234"}
    error = expect_invalid(
        fake_seam, lambda: seam.acs.credentials.create(acs_user_id=user_id, **body), "code"
    )
    assert error.get_validation_error_messages("access_method") == []


# create: mobile keys are multi-phone sync credentials --------------------------------------


@pytest.mark.parametrize("sent", [False, None], ids=["false", "left_out"])
def test_a_mobile_key_that_is_not_a_multi_phone_sync_credential_is_refused(
    fake_seam: FakeSeam, seam: Seam, sent: bool | None
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="mobile_key", acs_user_id=user_id, is_multi_phone_sync_credential=sent
        ),
        "is_multi_phone_sync_credential",
    )


@pytest.mark.parametrize("method", ["code", "card", "cloud_key"])
def test_only_a_mobile_key_may_be_a_multi_phone_sync_credential(
    fake_seam: FakeSeam, seam: Seam, method: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=BRIVO), "Jane Doe")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method=method, acs_user_id=user_id, is_multi_phone_sync_credential=True
        ),
        "is_multi_phone_sync_credential",
    )


@pytest.mark.parametrize("method", ["code", "card", "cloud_key"])
def test_other_methods_may_say_they_are_not_multi_phone_sync(
    fake_seam: FakeSeam, seam: Seam, method: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=BRIVO), "Jane Doe")
    credential = seam.acs.credentials.create(
        access_method=method, acs_user_id=user_id, is_multi_phone_sync_credential=False
    )
    assert credential.is_multi_phone_sync_credential is False


# create: credential managers -----------------------------------------------------------------


@pytest.mark.parametrize("kind", MANAGED_KINDS)
def test_a_mobile_key_needs_a_credential_manager_where_the_system_uses_one(
    fake_seam: FakeSeam, seam: Seam, kind: str
) -> None:
    system_id = new_system(fake_seam, "Site", external_type=kind)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    # A credential manager of another kind does not help.
    others = [
        k
        for k in KINDS
        if ACS_TYPES[k].is_credential_manager and k not in ACS_TYPES[kind].credential_managers
    ]
    new_system(fake_seam, "Unrelated manager", external_type=others[0])
    assert seam.acs.systems.get(acs_system_id=system_id).default_credential_manager_acs_system_id is None

    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="mobile_key", acs_user_id=user_id, is_multi_phone_sync_credential=True
        ),
        "credential_manager_acs_system_id",
    )
    # A card needs none.
    card = seam.acs.credentials.create(access_method="card", acs_user_id=user_id)
    assert ids(seam.acs.credentials.list()) == [card.acs_credential_id]


@pytest.mark.parametrize("kind", MANAGED_KINDS)
def test_the_default_credential_manager_issues_a_mobile_key(
    fake_seam: FakeSeam, seam: Seam, kind: str
) -> None:
    system_id = new_system(fake_seam, "Site", external_type=kind)
    manager_id = new_system(fake_seam, "Manager", external_type=ACS_TYPES[kind].credential_managers[0])
    holder = person(fake_seam, system_id, phones=1)

    assert (
        seam.acs.systems.get(acs_system_id=system_id).default_credential_manager_acs_system_id == manager_id
    )
    compatible = seam.acs.systems.list_compatible_credential_manager_acs_systems(acs_system_id=system_id)
    assert [s.acs_system_id for s in compatible] == [manager_id]
    assert compatible[0].is_credential_manager is True

    key = seam.acs.credentials.create(
        access_method="mobile_key", acs_user_id=holder.acs_user_id, is_multi_phone_sync_credential=True
    )
    assert key.is_issued is True
    assert stored(fake_seam, key.acs_credential_id)["credential_manager_acs_system_id"] == manager_id
    (child,) = children_of(seam, key.acs_credential_id)
    assert stored(fake_seam, child.acs_credential_id)["credential_manager_acs_system_id"] == manager_id


def test_the_oldest_compatible_manager_is_the_default_and_another_may_be_named(
    fake_seam: FakeSeam, seam: Seam, clock: time_machine.Coordinates
) -> None:
    system_id = new_system(fake_seam, "Hotel", external_type=VISIONLINE)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    first = new_system(fake_seam, "First CS", external_type=ASSA_ABLOY_CS)
    clock.shift(60)
    new_system(fake_seam, "LEGIC", external_type="legic_connect_credential_service")
    second = new_system(fake_seam, "Second CS", external_type=ASSA_ABLOY_CS)

    assert seam.acs.systems.get(acs_system_id=system_id).default_credential_manager_acs_system_id == first
    compatible = seam.acs.systems.list_compatible_credential_manager_acs_systems(acs_system_id=system_id)
    assert [s.acs_system_id for s in compatible] == [first, second]

    default = seam.acs.credentials.create(
        access_method="mobile_key", acs_user_id=user_id, is_multi_phone_sync_credential=True
    )
    named = seam.acs.credentials.create(
        access_method="mobile_key",
        acs_user_id=user_id,
        is_multi_phone_sync_credential=True,
        credential_manager_acs_system_id=second,
    )
    assert stored(fake_seam, default.acs_credential_id)["credential_manager_acs_system_id"] == first
    assert stored(fake_seam, named.acs_credential_id)["credential_manager_acs_system_id"] == second


@pytest.mark.parametrize(
    "manager_kind",
    ["legic_connect_credential_service", "assa_abloy_vostio_credential_service", SALTO_KS, VISIONLINE],
)
def test_naming_an_incompatible_credential_manager_is_refused(
    fake_seam: FakeSeam, seam: Seam, manager_kind: str
) -> None:
    system_id = new_system(fake_seam, "Hotel", external_type=VISIONLINE)
    new_system(fake_seam, "CS", external_type=ASSA_ABLOY_CS)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    wrong = (
        system_id
        if manager_kind == VISIONLINE
        else new_system(fake_seam, "Wrong", external_type=manager_kind)
    )
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="mobile_key",
            acs_user_id=user_id,
            is_multi_phone_sync_credential=True,
            credential_manager_acs_system_id=wrong,
        ),
        "credential_manager_acs_system_id",
    )
    assert wrong in str(error)


def test_naming_an_unknown_credential_manager_is_acs_system_not_found(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    system_id = new_system(fake_seam, "Hotel", external_type=VISIONLINE)
    new_system(fake_seam, "CS", external_type=ASSA_ABLOY_CS)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    unknown = str(uuid.uuid4())
    expect_api_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: seam.acs.credentials.create(
            access_method="mobile_key",
            acs_user_id=user_id,
            is_multi_phone_sync_credential=True,
            credential_manager_acs_system_id=unknown,
        ),
    )


def test_another_workspaces_credential_manager_is_acs_system_not_found(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    system_id = new_system(fake_seam, "Hotel", external_type=VISIONLINE)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    other = fake_seam.add_workspace(name="Other")
    foreign = new_system(fake_seam, "CS", external_type=ASSA_ABLOY_CS, workspace_id=other["workspace_id"])
    assert seam.acs.systems.list_compatible_credential_manager_acs_systems(acs_system_id=system_id) == []
    expect_api_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: seam.acs.credentials.create(
            access_method="mobile_key",
            acs_user_id=user_id,
            is_multi_phone_sync_credential=True,
            credential_manager_acs_system_id=foreign,
        ),
    )


@pytest.mark.parametrize("method", ["card", "code"])
def test_only_a_mobile_key_goes_through_a_credential_manager(
    fake_seam: FakeSeam, seam: Seam, method: str
) -> None:
    kind = VISIONLINE if method == "card" else PTI
    system_id = new_system(fake_seam, "Site", external_type=kind)
    manager_id = new_system(fake_seam, "CS", external_type=ASSA_ABLOY_CS)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            acs_user_id=user_id, credential_manager_acs_system_id=manager_id, **create_body(kind, method)
        ),
        "credential_manager_acs_system_id",
    )


@pytest.mark.parametrize("kind", [SALTO_KS, SALTO_SPACE, "latch_building"])
def test_systems_that_issue_their_own_mobile_keys_need_no_credential_manager(
    fake_seam: FakeSeam, seam: Seam, kind: str
) -> None:
    holder = person(fake_seam, kind=kind, phones=1)
    manager_id = new_system(fake_seam, "CS", external_type=ASSA_ABLOY_CS)
    assert (
        seam.acs.systems.list_compatible_credential_manager_acs_systems(acs_system_id=holder.system_id) == []
    )
    assert (
        seam.acs.systems.get(acs_system_id=holder.system_id).default_credential_manager_acs_system_id is None
    )
    key = seam.acs.credentials.create(
        access_method="mobile_key", acs_user_id=holder.acs_user_id, is_multi_phone_sync_credential=True
    )
    assert key.is_issued is True
    assert stored(fake_seam, key.acs_credential_id)["credential_manager_acs_system_id"] is None
    # And naming one is refused: none is compatible.
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="mobile_key",
            acs_user_id=holder.acs_user_id,
            is_multi_phone_sync_credential=True,
            credential_manager_acs_system_id=manager_id,
        ),
        "credential_manager_acs_system_id",
    )


# /acs/systems/list_compatible_credential_manager_acs_systems --------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_list_compatible_credential_managers_raw(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    hotel = new_system(fake_seam, "Hotel", external_type=VISIONLINE)
    community = new_system(fake_seam, "Community", external_type="dormakaba_community_site")
    assa = new_system(fake_seam, "ASSA", external_type=ASSA_ABLOY_CS)
    legic = new_system(fake_seam, "LEGIC", external_type="legic_connect_credential_service")
    for system_id, expected in ((hotel, [assa]), (community, [legic]), (assa, []), (legic, [])):
        body = read_ok(raw, method, COMPATIBLE, {"acs_system_id": system_id})
        assert [s["acs_system_id"] for s in body["acs_systems"]] == expected
    listed = read_ok(raw, method, COMPATIBLE, {"acs_system_id": hotel})["acs_systems"][0]
    assert listed == read_ok(raw, method, "/acs/systems/get", {"acs_system_id": assa})["acs_system"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "params", [{}, {"acs_system_id": "hotel"}, {"acs_system_id": ""}], ids=["missing", "not_uuid", "empty"]
)
def test_list_compatible_credential_managers_invalid_input(
    fake_seam: FakeSeam, raw: Raw, method: str, params: dict[str, Any]
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.read(method, COMPATIBLE, params), "acs_system_id")


def test_list_compatible_credential_managers_of_an_unknown_or_foreign_system_is_not_found(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign = new_system(fake_seam, "Hotel", external_type=VISIONLINE, workspace_id=other["workspace_id"])
    for system_id in (str(uuid.uuid4()), foreign):
        expect_api_error(
            fake_seam,
            404,
            "acs_system_not_found",
            lambda system_id=system_id: seam.acs.systems.list_compatible_credential_manager_acs_systems(
                acs_system_id=system_id
            ),
        )


# create: whose credential -----------------------------------------------------------------


def test_create_for_an_acs_user_linked_to_an_identity_shows_the_identity(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam)
    credential = seam.acs.credentials.create(access_method="card", acs_user_id=jane.acs_user_id)
    assert credential.acs_user_id == jane.acs_user_id
    assert credential.user_identity_id == jane.identity_id
    unlinked = new_user(fake_seam, jane.system_id, "Max Moe")
    assert seam.acs.credentials.create(access_method="card", acs_user_id=unlinked).user_identity_id is None


def test_create_with_acs_user_id_and_its_own_system(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    credential = seam.acs.credentials.create(
        access_method="card", acs_user_id=user_id, acs_system_id=system_id
    )
    assert (credential.acs_user_id, credential.acs_system_id) == (user_id, system_id)


def test_create_with_acs_user_id_and_another_system_is_invalid_on_acs_system_id(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "A"), "Jane Doe")
    other_system = new_system(fake_seam, "B")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="card", acs_user_id=user_id, acs_system_id=other_system
        ),
        "acs_system_id",
    )


def test_create_for_an_identity_links_its_acs_user_by_email(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam)
    jane_user = new_user(fake_seam, system_id, "J. Doe", "Jane@Example.com")
    new_user(fake_seam, system_id, "Max Moe", "max@example.com")
    identity = seam.user_identities.create(email_address="jane@example.com", full_name="Jane Doe")
    assert identity.acs_user_ids == []
    events_before = len(fake_seam.events)

    credential = seam.acs.credentials.create(
        access_method="card", user_identity_id=identity.user_identity_id, acs_system_id=system_id
    )

    assert credential.acs_user_id == jane_user
    assert credential.user_identity_id == identity.user_identity_id
    assert seam.user_identities.get(user_identity_id=identity.user_identity_id).acs_user_ids == [jane_user]
    assert seam.acs.users.get(acs_user_id=jane_user).user_identity_id == identity.user_identity_id
    assert len(seam.acs.users.list(acs_system_id=system_id)) == 2
    # Linking is not creating: no acs_user.created.
    assert events_of(fake_seam, "acs_user.created") == []
    assert len(fake_seam.events) == events_before


def test_create_for_an_identity_links_its_acs_user_by_phone(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe", phone_number="+15555550100")
    identity = seam.user_identities.create(phone_number="+15555550100")
    credential = seam.acs.credentials.create(
        access_method="card", user_identity_id=identity.user_identity_id, acs_system_id=system_id
    )
    assert credential.acs_user_id == user_id


def test_create_for_an_identity_without_a_match_creates_its_acs_user(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam)
    new_user(fake_seam, system_id, "Max Moe", "max@example.com")
    identity = seam.user_identities.create(email_address="jane@example.com", full_name="Jane Doe")

    credential = seam.acs.credentials.create(
        access_method="card", user_identity_id=identity.user_identity_id, acs_system_id=system_id
    )

    (new_id,) = seam.user_identities.get(user_identity_id=identity.user_identity_id).acs_user_ids
    assert credential.acs_user_id == new_id
    assert credential.user_identity_id == identity.user_identity_id
    created = seam.acs.users.get(acs_user_id=new_id)
    assert (created.full_name, created.email_address, created.acs_system_id) == (
        "Jane Doe",
        "jane@example.com",
        system_id,
    )
    (event,) = events_of(fake_seam, "acs_user.created")
    assert (event["acs_user_id"], event["acs_system_id"]) == (new_id, system_id)
    listed = seam.events.list(since="2000-01-01T00:00:00Z", event_type="acs_user.created")
    assert [e.acs_user_id for e in listed] == [new_id]


def test_create_for_an_identity_uses_the_acs_user_it_has_on_the_system(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam)
    events_before = fake_seam.events
    credential = seam.acs.credentials.create(
        access_method="card", user_identity_id=jane.identity_id, acs_system_id=jane.system_id
    )
    assert credential.acs_user_id == jane.acs_user_id
    assert len(seam.acs.users.list(acs_system_id=jane.system_id)) == 1
    assert fake_seam.events == events_before


def test_create_for_an_identity_with_exactly_one_acs_user_needs_no_system(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam)
    credential = seam.acs.credentials.create(access_method="card", user_identity_id=jane.identity_id)
    assert (credential.acs_user_id, credential.acs_system_id) == (jane.acs_user_id, jane.system_id)


@pytest.mark.parametrize("acs_users", [0, 2])
def test_create_for_an_identity_without_a_system_needs_exactly_one_acs_user(
    fake_seam: FakeSeam, seam: Seam, acs_users: int
) -> None:
    systems = [new_system(fake_seam, f"Site {n}") for n in range(acs_users)]
    identity = fake_seam.add_user_identity(email_address="jane@example.com", acs_system_ids=systems)
    assert len(identity["acs_user_ids"]) == acs_users
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="card", user_identity_id=identity["user_identity_id"]
        ),
        "acs_system_id",
    )


@pytest.mark.parametrize("with_system", [False, True])
def test_create_with_both_acs_user_id_and_user_identity_id_is_invalid(
    fake_seam: FakeSeam, seam: Seam, with_system: bool
) -> None:
    jane = person(fake_seam)
    extra = {"acs_system_id": jane.system_id} if with_system else {}
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="card", acs_user_id=jane.acs_user_id, user_identity_id=jane.identity_id, **extra
        ),
        "acs_user_id",
    )


@pytest.mark.parametrize("with_system", [False, True])
def test_create_for_nobody_is_invalid(fake_seam: FakeSeam, seam: Seam, with_system: bool) -> None:
    extra = {"acs_system_id": new_system(fake_seam)} if with_system else {}
    expect_invalid(
        fake_seam, lambda: seam.acs.credentials.create(access_method="card", **extra), "acs_user_id"
    )


def test_create_names_nothing_that_exists(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam)
    unknown = str(uuid.uuid4())
    cases: list[tuple[str, dict[str, str]]] = [
        ("acs_user_not_found", {"acs_user_id": unknown}),
        ("user_identity_not_found", {"user_identity_id": unknown, "acs_system_id": jane.system_id}),
        ("user_identity_not_found", {"user_identity_id": unknown}),
        ("acs_system_not_found", {"user_identity_id": jane.identity_id, "acs_system_id": unknown}),
    ]
    for code, params in cases:
        expect_api_error(
            fake_seam,
            404,
            code,
            lambda params=params: seam.acs.credentials.create(access_method="card", **params),
        )


def test_create_for_an_identity_whose_match_belongs_to_another_identity_is_refused(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    system_id = new_system(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe", "jane@example.com", "+15555550100")
    owner = fake_seam.add_user_identity(email_address="jane@example.com", acs_system_ids=[system_id])
    assert owner["acs_user_ids"] == [user_id]
    # Shares the phone number with the linked ACS user, not with the owner.
    other = fake_seam.add_user_identity(phone_number="+15555550100")
    expect_api_error(
        fake_seam,
        400,
        "acs_user_already_linked_to_user_identity",
        lambda: seam.acs.credentials.create(
            access_method="card", user_identity_id=other["user_identity_id"], acs_system_id=system_id
        ),
    )


def test_a_refused_create_for_an_identity_creates_no_acs_user(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Site", external_type=PTI)
    identity = seam.user_identities.create(email_address="jane@example.com")
    refusals: list[tuple[dict[str, Any], str]] = [
        ({"access_method": "mobile_key", "is_multi_phone_sync_credential": True}, "access_method"),
        ({"access_method": "code", "code": "12"}, "code"),
        ({"access_method": "card", "ends_at": PAST}, "ends_at"),
    ]
    for body, param in refusals:
        expect_invalid(
            fake_seam,
            lambda body=body: seam.acs.credentials.create(
                user_identity_id=identity.user_identity_id, acs_system_id=system_id, **body
            ),
            param,
        )
    assert seam.acs.users.list(acs_system_id=system_id) == []
    assert events_of(fake_seam) == []


def test_another_workspaces_acs_user_or_identity_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign_system = new_system(fake_seam, "Site", workspace_id=other["workspace_id"])
    foreign = person(fake_seam, foreign_system, workspace_id=other["workspace_id"])
    assert foreign.acs_user_id not in workspace_state(fake_seam)["acs_users"]
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.credentials.create(access_method="card", acs_user_id=foreign.acs_user_id),
    )
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.acs.credentials.create(
            access_method="card", user_identity_id=foreign.identity_id, acs_system_id=foreign_system
        ),
    )
    own_identity = fake_seam.add_user_identity(email_address="own@example.com")["user_identity_id"]
    expect_api_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: seam.acs.credentials.create(
            access_method="card", user_identity_id=own_identity, acs_system_id=foreign_system
        ),
    )


def test_seeding_a_credential_in_another_workspace_puts_it_there(fake_seam: FakeSeam, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")
    foreign = person(fake_seam, workspace_id=other["workspace_id"])
    seeded = fake_seam.add_acs_credential("card", acs_user_id=foreign.acs_user_id)
    assert seeded["workspace_id"] == other["workspace_id"]
    assert seam.acs.credentials.list() == []
    theirs = Seam(api_key=other["api_key"])
    assert ids(theirs.acs.credentials.list()) == [seeded["acs_credential_id"]]


# create: Salto Space, one card and one mobile key -----------------------------------------


@pytest.mark.parametrize("method", ["card", "mobile_key"])
def test_salto_space_allows_one_credential_of_each_method_per_acs_user(
    fake_seam: FakeSeam, seam: Seam, method: str
) -> None:
    jane = person(fake_seam, kind=SALTO_SPACE)
    body = create_body(SALTO_SPACE, method)
    first = seam.acs.credentials.create(acs_user_id=jane.acs_user_id, **body)
    # The other method is still free.
    other_method = "card" if method == "mobile_key" else "mobile_key"
    seam.acs.credentials.create(acs_user_id=jane.acs_user_id, **create_body(SALTO_SPACE, other_method))

    for holder in ({"acs_user_id": jane.acs_user_id}, {"user_identity_id": jane.identity_id}):
        error = expect_invalid(
            fake_seam,
            lambda holder=holder: seam.acs.credentials.create(**holder, **body),
            "access_method",
        )
        assert jane.acs_user_id in str(error)

    # Another ACS user of the system may have one.
    max_user = new_user(fake_seam, jane.system_id, "Max Moe")
    seam.acs.credentials.create(acs_user_id=max_user, **body)
    # Once the first is deleted, a new one may be made.
    seam.acs.credentials.delete(acs_credential_id=first.acs_credential_id)
    again = seam.acs.credentials.create(acs_user_id=jane.acs_user_id, **body)
    assert again.access_method == method


def test_salto_space_per_phone_copies_do_not_count_as_mobile_keys(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, kind=SALTO_SPACE, phones=2)
    key = seam.acs.credentials.create(
        access_method="mobile_key", acs_user_id=jane.acs_user_id, is_multi_phone_sync_credential=True
    )
    assert len(children_of(seam, key.acs_credential_id)) == 2
    card = seam.acs.credentials.create(access_method="card", acs_user_id=jane.acs_user_id)
    assert card.access_method == "card"


@pytest.mark.parametrize("method", ["card", "mobile_key"])
def test_salto_space_refuses_to_assign_a_second_credential_of_a_method(
    fake_seam: FakeSeam, seam: Seam, method: str
) -> None:
    system_id = new_system(fake_seam, "Space", external_type=SALTO_SPACE)
    amy, bob = new_user(fake_seam, system_id, "Amy Ash"), new_user(fake_seam, system_id, "Bob Bee")
    amys = fake_seam.add_acs_credential(acs_user_id=amy, **create_body(SALTO_SPACE, method))
    fake_seam.add_acs_credential(acs_user_id=bob, **create_body(SALTO_SPACE, method))
    # Bob has one already: Amy's cannot be his second.
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.assign(acs_credential_id=amys["acs_credential_id"], acs_user_id=bob),
        "acs_user_id",
    )


@pytest.mark.parametrize("kind", [SALTO_KS, VISIONLINE, BRIVO])
def test_other_systems_allow_several_credentials_of_a_method(
    fake_seam: FakeSeam, seam: Seam, kind: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=kind), "Jane Doe")
    first = seam.acs.credentials.create(access_method="card", acs_user_id=user_id)
    second = seam.acs.credentials.create(access_method="card", acs_user_id=user_id)
    assert ids(seam.acs.credentials.list(acs_user_id=user_id)) == [
        second.acs_credential_id,
        first.acs_credential_id,
    ]


# create: starts_at and ends_at -----------------------------------------------------------


def test_create_keeps_a_future_schedule(fake_seam: FakeSeam, seam: Seam) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    credential = seam.acs.credentials.create(
        access_method="card", acs_user_id=user_id, starts_at="2030-07-01T02:00:00+02:00", ends_at=FAR_FUTURE
    )
    # Written back as Seam writes times: UTC, milliseconds.
    assert (credential.starts_at, credential.ends_at) == (FUTURE, FAR_FUTURE)
    assert "schedule_modified" not in codes_of(credential.warnings)


def test_create_with_only_an_end(fake_seam: FakeSeam, seam: Seam) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    credential = seam.acs.credentials.create(access_method="card", acs_user_id=user_id, ends_at=FUTURE)
    assert (credential.starts_at, credential.ends_at) == (None, FUTURE)


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (None, PAST),
        (None, NOW_TEXT),
        (None, "2030-06-01T13:30:00+02:00"),  # 11:30 UTC
        (FAR_FUTURE, FUTURE),
        (FUTURE, FUTURE),
        (PAST, "2030-05-15T00:00:00Z"),  # after starts_at, but in the past
    ],
    ids=["past", "now", "past_with_offset", "before_starts_at", "equal_to_starts_at", "past_after_starts_at"],
)
def test_create_refuses_an_end_that_is_not_in_the_future_and_after_the_start(
    fake_seam: FakeSeam, seam: Seam, starts_at: str | None, ends_at: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.create(
            access_method="card", acs_user_id=user_id, starts_at=starts_at, ends_at=ends_at
        ),
        "ends_at",
    )


def test_a_start_in_the_past_becomes_now_with_a_warning(fake_seam: FakeSeam, seam: Seam) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    credential = seam.acs.credentials.create(
        access_method="code", acs_user_id=user_id, starts_at=PAST, ends_at=FUTURE
    )
    assert (credential.starts_at, credential.ends_at) == (NOW_TEXT, FUTURE)
    (warning,) = [w for w in credential.warnings if w.warning_code == "schedule_modified"]
    assert warning.created_at == NOW_TEXT
    assert "past" in warning.message
    assert seam.acs.credentials.get(acs_credential_id=credential.acs_credential_id) == credential


def test_a_start_at_the_current_instant_is_kept_without_a_warning(fake_seam: FakeSeam, seam: Seam) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    credential = seam.acs.credentials.create(access_method="code", acs_user_id=user_id, starts_at=NOW_TEXT)
    assert credential.starts_at == NOW_TEXT
    assert credential.warnings == []


# Issuance: mobile keys ---------------------------------------------------------------------


def test_a_mobile_key_waits_for_a_phone_then_each_phone_gets_a_child(
    fake_seam: FakeSeam, seam: Seam, clock: time_machine.Coordinates
) -> None:
    jane = person(fake_seam)
    key = seam.acs.credentials.create(
        access_method="mobile_key",
        acs_user_id=jane.acs_user_id,
        is_multi_phone_sync_credential=True,
        ends_at=FUTURE,
    )
    assert (key.is_issued, key.issued_at) == (False, None)
    (waiting,) = key.warnings
    assert (waiting.warning_code, waiting.created_at) == ("waiting_to_be_issued", NOW_TEXT)
    assert events_of(fake_seam, "acs_credential.issued") == []
    assert children_of(seam, key.acs_credential_id) == []

    clock.shift(60)
    phone = fake_seam.add_phone(jane.identity_id)

    parent = seam.acs.credentials.get(acs_credential_id=key.acs_credential_id)
    assert (parent.is_issued, parent.issued_at, parent.warnings) == (True, LATER_TEXT, [])
    (child,) = children_of(seam, key.acs_credential_id)
    assert child.parent_acs_credential_id == key.acs_credential_id
    assert (child.is_issued, child.issued_at, child.warnings, child.errors) == (True, LATER_TEXT, [], [])
    assert child.access_method == "mobile_key"
    assert child.is_multi_phone_sync_credential is False
    assert child.display_name == "Mobile key on My Phone"
    assert (child.acs_user_id, child.user_identity_id, child.acs_system_id) == (
        jane.acs_user_id,
        jane.identity_id,
        jane.system_id,
    )
    assert (child.created_at, child.ends_at) == (LATER_TEXT, FUTURE)
    assert phones_of(seam, child.acs_credential_id) == [phone["device_id"]]
    assert [p.device_id for p in seam.phones.list(acs_credential_id=key.acs_credential_id)] == [
        phone["device_id"]
    ]
    # The child is issued, then the parent.
    assert credential_events(fake_seam, "acs_credential.issued") == [
        child.acs_credential_id,
        key.acs_credential_id,
    ]
    issued = seam.events.list(since="2000-01-01T00:00:00Z", event_type="acs_credential.issued")
    assert [e.acs_credential_id for e in issued] == [child.acs_credential_id, key.acs_credential_id]
    assert all(e.occurred_at == LATER_TEXT for e in issued)


def test_a_second_phone_gets_a_copy_of_an_issued_mobile_key(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    key = mobile_key(fake_seam, jane)
    (first,) = children_of(seam, key["acs_credential_id"])
    issued_before = credential_events(fake_seam, "acs_credential.issued")

    phone = fake_seam.add_phone(jane.identity_id)

    children = children_of(seam, key["acs_credential_id"])
    assert len(children) == 2
    (second,) = [c for c in children if c.acs_credential_id != first.acs_credential_id]
    assert phones_of(seam, second.acs_credential_id) == [phone["device_id"]]
    # Only the new copy is issued; the parent was issued already.
    assert credential_events(fake_seam, "acs_credential.issued") == [*issued_before, second.acs_credential_id]
    assert len(seam.phones.list(acs_credential_id=key["acs_credential_id"])) == 2


def test_a_mobile_key_for_an_identity_with_phones_is_issued_at_once(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=2)
    key = seam.acs.credentials.create(
        access_method="mobile_key", user_identity_id=jane.identity_id, is_multi_phone_sync_credential=True
    )
    assert (key.is_issued, key.issued_at, key.warnings) == (True, NOW_TEXT, [])
    children = children_of(seam, key.acs_credential_id)
    assert len(children) == 2
    devices = {device for c in children for device in phones_of(seam, c.acs_credential_id)}
    assert devices == {p.device_id for p in seam.phones.list(owner_user_identity_id=jane.identity_id)}
    assert credential_events(fake_seam, "acs_credential.issued")[-1] == key.acs_credential_id
    assert len(credential_events(fake_seam, "acs_credential.issued")) == 3


def test_each_mobile_key_of_an_identity_reaches_a_new_phone(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam)
    # Two systems: a mobile key on each.
    visionline = new_system(fake_seam, "Hotel", external_type=VISIONLINE)
    new_system(fake_seam, "CS", external_type=ASSA_ABLOY_CS)
    salto_key = mobile_key(fake_seam, jane)
    hotel_key = seam.acs.credentials.create(
        access_method="mobile_key",
        user_identity_id=jane.identity_id,
        acs_system_id=visionline,
        is_multi_phone_sync_credential=True,
    )
    card = seam.acs.credentials.create(access_method="card", acs_user_id=jane.acs_user_id)

    fake_seam.add_phone(jane.identity_id)

    for key_id in (salto_key["acs_credential_id"], hotel_key.acs_credential_id):
        assert seam.acs.credentials.get(acs_credential_id=key_id).is_issued is True
        assert len(children_of(seam, key_id)) == 1
    # A phone does not encode a card.
    assert seam.acs.credentials.get(acs_credential_id=card.acs_credential_id).is_issued is False


def test_a_phone_of_another_identity_issues_nothing(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam)
    key = mobile_key(fake_seam, jane)
    max_identity = fake_seam.add_user_identity(email_address="max@example.com")
    fake_seam.add_phone(max_identity["user_identity_id"])
    assert seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"]).is_issued is False
    assert children_of(seam, key["acs_credential_id"]) == []


def test_linking_an_acs_user_to_an_identity_with_a_phone_issues_its_mobile_key(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    system_id = new_system(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    key = fake_seam.add_acs_credential("mobile_key", acs_user_id=user_id, is_multi_phone_sync_credential=True)
    identity = fake_seam.add_user_identity(email_address="jane@example.com")
    phone = fake_seam.add_phone(identity["user_identity_id"])
    assert children_of(seam, key["acs_credential_id"]) == []

    seam.user_identities.add_acs_user(user_identity_id=identity["user_identity_id"], acs_user_id=user_id)

    issued = seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"])
    assert (issued.is_issued, issued.user_identity_id) == (True, identity["user_identity_id"])
    (child,) = children_of(seam, key["acs_credential_id"])
    assert phones_of(seam, child.acs_credential_id) == [phone["device_id"]]


def test_a_credential_create_that_links_an_acs_user_issues_its_waiting_mobile_key(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    system_id = new_system(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe", "jane@example.com")
    key = fake_seam.add_acs_credential("mobile_key", acs_user_id=user_id, is_multi_phone_sync_credential=True)
    identity = fake_seam.add_user_identity(email_address="jane@example.com")
    fake_seam.add_phone(identity["user_identity_id"])

    card = seam.acs.credentials.create(
        access_method="card", user_identity_id=identity["user_identity_id"], acs_system_id=system_id
    )

    assert card.acs_user_id == user_id
    assert seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"]).is_issued is True
    assert len(children_of(seam, key["acs_credential_id"])) == 1


def test_a_mobile_key_of_an_acs_user_without_identity_waits_until_issued_by_hand(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    key = fake_seam.add_acs_credential("mobile_key", acs_user_id=user_id, is_multi_phone_sync_credential=True)
    assert key["is_issued"] is False

    issued = fake_seam.issue_credential(key["acs_credential_id"])

    # Counted issued even with no phone to put a copy on.
    assert (issued["is_issued"], issued["issued_at"], issued["warnings"]) == (True, NOW_TEXT, [])
    assert seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"]).is_issued is True
    assert children_of(seam, key["acs_credential_id"]) == []
    assert credential_events(fake_seam, "acs_credential.issued") == [key["acs_credential_id"]]


# Issuance: codes, cloud keys, cards ---------------------------------------------------------


@pytest.mark.parametrize("method", ["code", "cloud_key"])
def test_codes_and_cloud_keys_are_issued_when_created(fake_seam: FakeSeam, seam: Seam, method: str) -> None:
    system = fake_seam.add_acs_system("Site", external_type=BRIVO)
    user_id = new_user(fake_seam, system["acs_system_id"], "Jane Doe")
    credential = seam.acs.credentials.create(access_method=method, acs_user_id=user_id)
    assert (credential.is_issued, credential.issued_at, credential.warnings) == (True, NOW_TEXT, [])
    (event,) = events_of(fake_seam, "acs_credential.issued")
    assert event["acs_credential_id"] == credential.acs_credential_id
    assert event["acs_system_id"] == system["acs_system_id"]
    assert event["connected_account_id"] == system["connected_account_id"]
    assert event["occurred_at"] == NOW_TEXT


def test_a_card_waits_to_be_encoded_until_issue_credential(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, clock: time_machine.Coordinates
) -> None:
    jane = person(fake_seam, kind=VISIONLINE, phones=1)
    card = seam.acs.credentials.create(access_method="card", acs_user_id=jane.acs_user_id)
    assert (card.is_issued, card.issued_at) == (False, None)
    assert codes_of(card.warnings) == ["waiting_to_be_issued"]
    fake_seam.add_phone(jane.identity_id)
    assert seam.acs.credentials.get(acs_credential_id=card.acs_credential_id).is_issued is False
    assert events_of(fake_seam, "acs_credential.issued") == []

    clock.shift(60)
    issued = fake_seam.issue_credential(card.acs_credential_id)

    assert issued == read_ok(raw, "get", GET, {"acs_credential_id": card.acs_credential_id})["acs_credential"]
    assert (issued["is_issued"], issued["issued_at"], issued["warnings"]) == (True, LATER_TEXT, [])
    assert credential_events(fake_seam, "acs_credential.issued") == [card.acs_credential_id]
    # Issuing what is issued changes nothing.
    with unchanged(fake_seam):
        assert fake_seam.issue_credential(card.acs_credential_id) == issued


# Issuance: manual mode ---------------------------------------------------------------------


def test_manual_issuance_holds_everything_until_switched_back(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    fake_seam.set_credential_issuance("manual")

    code = seam.acs.credentials.create(access_method="code", acs_user_id=jane.acs_user_id)
    cloud = seam.acs.credentials.create(access_method="cloud_key", acs_user_id=jane.acs_user_id)
    card = seam.acs.credentials.create(access_method="card", acs_user_id=jane.acs_user_id)
    key = seam.acs.credentials.create(
        access_method="mobile_key", acs_user_id=jane.acs_user_id, is_multi_phone_sync_credential=True
    )
    for credential in (code, cloud, card, key):
        assert (credential.is_issued, codes_of(credential.warnings)) == (False, ["waiting_to_be_issued"])
    fake_seam.add_phone(jane.identity_id)
    assert children_of(seam, key.acs_credential_id) == []
    assert events_of(fake_seam, "acs_credential.issued") == []

    fake_seam.set_credential_issuance("automatic")

    for credential in (code, cloud, key):
        after = seam.acs.credentials.get(acs_credential_id=credential.acs_credential_id)
        assert (after.is_issued, after.warnings) == (True, [])
    assert len(children_of(seam, key.acs_credential_id)) == 2
    # A card still waits to be encoded.
    assert seam.acs.credentials.get(acs_credential_id=card.acs_credential_id).is_issued is False
    assert set(credential_events(fake_seam, "acs_credential.issued")) >= {
        code.acs_credential_id,
        cloud.acs_credential_id,
        key.acs_credential_id,
    }


def test_issue_credential_in_manual_mode_issues_a_mobile_key_to_each_phone(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam, phones=2)
    fake_seam.set_credential_issuance("manual")
    key = mobile_key(fake_seam, jane)
    assert key["is_issued"] is False

    issued = fake_seam.issue_credential(key["acs_credential_id"])

    assert issued["is_issued"] is True
    assert len(children_of(seam, key["acs_credential_id"])) == 2
    # Still manual: a code waits.
    code = seam.acs.credentials.create(access_method="code", acs_user_id=jane.acs_user_id)
    assert code.is_issued is False


def test_a_phone_enrolled_in_manual_mode_gets_its_copy_when_switched_back(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam, phones=1)
    key = mobile_key(fake_seam, jane)
    assert key["is_issued"] is True
    fake_seam.set_credential_issuance("manual")
    fake_seam.add_phone(jane.identity_id)
    assert len(children_of(seam, key["acs_credential_id"])) == 1

    fake_seam.set_credential_issuance("automatic")

    # What waited is issued as it would have been: the new phone gets a copy.
    assert len(children_of(seam, key["acs_credential_id"])) == 2


def test_manual_issuance_is_per_workspace(fake_seam: FakeSeam, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")
    fake_seam.set_credential_issuance("manual", workspace_id=other["workspace_id"])
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    assert seam.acs.credentials.create(access_method="code", acs_user_id=user_id).is_issued is True
    foreign_user = new_user(
        fake_seam, new_system(fake_seam, "Site", workspace_id=other["workspace_id"]), "Max"
    )
    assert fake_seam.add_acs_credential("code", acs_user_id=foreign_user)["is_issued"] is False


def test_set_credential_issuance_refuses_an_unknown_mode(fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
        fake_seam.set_credential_issuance("sometimes")
    assert list(info.value.problems) == ["mode"]
    assert info.value.status == 400


# Issuance: failures --------------------------------------------------------------------------


def test_a_failed_issuance_shows_an_error_until_issued(
    fake_seam: FakeSeam, seam: Seam, clock: time_machine.Coordinates
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Hotel", external_type=VISIONLINE), "Jane Doe")
    card = seam.acs.credentials.create(access_method="card", acs_user_id=user_id)

    failed = fake_seam.fail_credential_issuance(card.acs_credential_id)

    (error,) = failed["errors"]
    assert (error["error_code"], error["created_at"]) == (DEFAULT_ISSUE_ERROR, NOW_TEXT)
    assert isinstance(error["message"], str) and error["message"]
    assert (failed["is_issued"], failed["warnings"]) == (False, [])
    got = seam.acs.credentials.get(acs_credential_id=card.acs_credential_id)
    assert [(e.error_code, e.message) for e in got.errors] == [(DEFAULT_ISSUE_ERROR, error["message"])]
    assert got.warnings == []

    clock.shift(60)
    issued = fake_seam.issue_credential(card.acs_credential_id)

    assert (issued["is_issued"], issued["issued_at"], issued["errors"], issued["warnings"]) == (
        True,
        LATER_TEXT,
        [],
        [],
    )
    assert credential_events(fake_seam, "acs_credential.issued") == [card.acs_credential_id]


def test_a_failed_mobile_key_is_not_issued_by_a_new_phone_or_by_switching_modes(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam)
    key = mobile_key(fake_seam, jane)
    fake_seam.fail_credential_issuance(
        key["acs_credential_id"], "salto_ks_subscription_limit_exceeded", "Full."
    )
    fake_seam.add_phone(jane.identity_id)
    fake_seam.set_credential_issuance("manual")
    fake_seam.set_credential_issuance("automatic")
    failed = seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"])
    assert failed.is_issued is False
    assert [(e.error_code, e.message) for e in failed.errors] == [
        ("salto_ks_subscription_limit_exceeded", "Full.")
    ]
    assert children_of(seam, key["acs_credential_id"]) == []

    fake_seam.issue_credential(key["acs_credential_id"])

    issued = seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"])
    assert (issued.is_issued, issued.errors) == (True, [])
    assert len(children_of(seam, key["acs_credential_id"])) == 1


@pytest.mark.parametrize("error_code", ["Not_Snake", "failed-to-issue", "1failed", ""])
def test_fail_credential_issuance_refuses_a_code_that_is_not_snake_case(
    fake_seam: FakeSeam, error_code: str
) -> None:
    card = fake_seam.add_acs_credential(
        "card", acs_user_id=new_user(fake_seam, new_system(fake_seam), "Jane")
    )
    with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
        fake_seam.fail_credential_issuance(card["acs_credential_id"], error_code)
    assert list(info.value.problems) == ["error_code"]


def test_fail_credential_issuance_refuses_what_is_issued_or_a_copy(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    code = fake_seam.add_acs_credential("code", acs_user_id=jane.acs_user_id)
    key = mobile_key(fake_seam, jane)
    (child,) = children_of(seam, key["acs_credential_id"])
    for credential_id in (code["acs_credential_id"], key["acs_credential_id"], child.acs_credential_id):
        with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
            fake_seam.fail_credential_issuance(credential_id)
        assert list(info.value.problems) == ["acs_credential_id"]


def test_issue_credential_refuses_a_copy(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    key = mobile_key(fake_seam, jane)
    (child,) = children_of(seam, key["acs_credential_id"])
    with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
        fake_seam.issue_credential(child.acs_credential_id)
    assert list(info.value.problems) == ["acs_credential_id"]


@pytest.mark.parametrize("helper", ["issue_credential", "fail_credential_issuance"])
def test_issuance_helpers_on_an_unknown_credential_are_not_found(fake_seam: FakeSeam, helper: str) -> None:
    with unchanged(fake_seam), pytest.raises(NotFound) as info:
        getattr(fake_seam, helper)(str(uuid.uuid4()))
    assert info.value.type == "acs_credential_not_found"
    assert isinstance(info.value, KeyError)


def test_issuance_helpers_act_on_another_workspace_from_python(fake_seam: FakeSeam) -> None:
    other = fake_seam.add_workspace(name="Other")
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", workspace_id=other["workspace_id"]), "Jane")
    card = fake_seam.add_acs_credential("card", acs_user_id=user_id)
    assert fake_seam.issue_credential(card["acs_credential_id"])["is_issued"] is True
    other_card = fake_seam.add_acs_credential("card", acs_user_id=user_id)
    assert fake_seam.fail_credential_issuance(other_card["acs_credential_id"])["errors"]


# Issuance: the /_fake/ controls ------------------------------------------------------------


def test_issuance_controls_over_http(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    assert ok(raw.post("/_fake/set_credential_issuance", json={"mode": "manual"})) == {"ok": True}
    code = seam.acs.credentials.create(access_method="code", acs_user_id=user_id)
    card = seam.acs.credentials.create(access_method="card", acs_user_id=user_id)
    assert code.is_issued is False

    issued = ok(raw.post("/_fake/issue_credential", json={"acs_credential_id": code.acs_credential_id}))
    assert issued["acs_credential"]["is_issued"] is True
    got = read_ok(raw, "get", GET, {"acs_credential_id": code.acs_credential_id})
    assert issued["acs_credential"] == got["acs_credential"]

    failed = ok(
        raw.post(
            "/_fake/fail_credential_issuance",
            json={
                "acs_credential_id": card.acs_credential_id,
                "error_code": "card_jammed",
                "message": "Jammed.",
            },
        )
    )
    assert [(e["error_code"], e["message"]) for e in failed["acs_credential"]["errors"]] == [
        ("card_jammed", "Jammed.")
    ]
    assert ok(raw.post("/_fake/set_credential_issuance", json={"mode": "automatic"})) == {"ok": True}
    assert seam.acs.credentials.create(access_method="code", acs_user_id=user_id).is_issued is True


@pytest.mark.parametrize(
    ("path", "body", "param"),
    [
        ("/_fake/set_credential_issuance", {"mode": "sometimes"}, "mode"),
        ("/_fake/set_credential_issuance", {}, "mode"),
        ("/_fake/set_credential_issuance", {"mode": True}, "mode"),
        ("/_fake/issue_credential", {}, "acs_credential_id"),
        ("/_fake/issue_credential", {"acs_credential_id": "card"}, "acs_credential_id"),
        ("/_fake/fail_credential_issuance", {"acs_credential_id": "card"}, "acs_credential_id"),
        ("/_fake/fail_credential_issuance", {"error_code": "jammed"}, "acs_credential_id"),
        ("/_fake/fail_credential_issuance", {"error_code": "Jammed!"}, "error_code"),
        ("/_fake/fail_credential_issuance", {"error_code": ""}, "error_code"),
        ("/_fake/fail_credential_issuance", {"message": ""}, "message"),
    ],
)
def test_issuance_controls_refuse_invalid_input(
    fake_seam: FakeSeam, raw: Raw, path: str, body: dict[str, Any], param: str
) -> None:
    card = fake_seam.add_acs_credential(
        "card", acs_user_id=new_user(fake_seam, new_system(fake_seam), "Jane")
    )
    if (
        path == "/_fake/fail_credential_issuance"
        and "acs_credential_id" not in body
        and param != "acs_credential_id"
    ):
        body = {**body, "acs_credential_id": card["acs_credential_id"]}
    expect_raw_invalid(fake_seam, raw_send(raw, "POST", path, body), param)


@pytest.mark.parametrize("path", ["/_fake/issue_credential", "/_fake/fail_credential_issuance"])
def test_issuance_controls_act_on_the_callers_workspace_only(
    fake_seam: FakeSeam, raw: Raw, path: str
) -> None:
    other = fake_seam.add_workspace(name="Other")
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", workspace_id=other["workspace_id"]), "Jane")
    foreign_card = fake_seam.add_acs_credential("card", acs_user_id=user_id)
    for credential_id in (foreign_card["acs_credential_id"], str(uuid.uuid4())):
        with unchanged(fake_seam):
            response = raw.post(path, json={"acs_credential_id": credential_id})
        assert_error(response, 404, "acs_credential_not_found")
    # The other workspace's key reaches it.
    response = raw.post(
        path,
        json={"acs_credential_id": foreign_card["acs_credential_id"]},
        headers={"Authorization": f"Bearer {other['api_key']}"},
    )
    assert ok(response)["acs_credential"]["acs_credential_id"] == foreign_card["acs_credential_id"]


def test_set_credential_issuance_over_http_acts_on_the_callers_workspace(
    fake_seam: FakeSeam, raw: Raw
) -> None:
    other = fake_seam.add_workspace(name="Other")
    ok(
        raw.post(
            "/_fake/set_credential_issuance",
            json={"mode": "manual"},
            headers={"Authorization": f"Bearer {other['api_key']}"},
        )
    )
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    assert fake_seam.add_acs_credential("code", acs_user_id=user_id)["is_issued"] is True
    foreign_user = new_user(
        fake_seam, new_system(fake_seam, "Site", workspace_id=other["workspace_id"]), "Max"
    )
    assert fake_seam.add_acs_credential("code", acs_user_id=foreign_user)["is_issued"] is False


# /acs/credentials/get ------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_get_raw(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    jane = person(fake_seam)
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id, ends_at=FUTURE)
    body = read_ok(raw, method, GET, {"acs_credential_id": card["acs_credential_id"]})
    assert body["acs_credential"] == card
    # Upper-case ids are the same id.
    upper = read_ok(raw, method, GET, {"acs_credential_id": card["acs_credential_id"].upper()})
    assert upper["acs_credential"] == card


def test_get_through_the_sdk(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam)
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    got = seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"])
    assert got == AcsCredential.from_dict(card)
    assert (got.user_identity_id, got.acs_user_id, got.is_managed) == (
        jane.identity_id,
        jane.acs_user_id,
        True,
    )


def test_get_unknown_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.get(acs_credential_id=str(uuid.uuid4())),
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "params",
    [{}, {"acs_credential_id": "card"}, {"acs_credential_id": 7}],
    ids=["missing", "not_uuid", "number"],
)
def test_get_invalid_input(fake_seam: FakeSeam, raw: Raw, method: str, params: dict[str, Any]) -> None:
    if method == "get" and params.get("acs_credential_id") == 7:
        params = {"acs_credential_id": "7"}
    expect_raw_invalid(fake_seam, lambda: raw.read(method, GET, params), "acs_credential_id")


# /acs/credentials/list ---------------------------------------------------------------------


@dataclass
class ListWorld:
    jane: Person
    max: Person
    hotel_system: str
    hotel_user: str
    code: str
    card: str
    key: str
    child: str
    hotel_code: str

    @property
    def all_ids(self) -> list[str]:
        """Newest first."""
        return [self.hotel_code, self.child, self.key, self.card, self.code]


@pytest.fixture
def list_world(fake_seam: FakeSeam, clock: time_machine.Coordinates) -> ListWorld:
    jane = person(fake_seam, phones=1)
    max_ = person(fake_seam, jane.system_id, email="max@example.com", name="Max Moe")
    hotel_system = new_system(fake_seam, "Hotel", external_type=PTI)
    hotel_user = new_user(fake_seam, hotel_system, "Amy Ash")
    clock.shift(1)
    code = fake_seam.add_acs_credential("code", acs_user_id=jane.acs_user_id)["acs_credential_id"]
    clock.shift(1)
    card = fake_seam.add_acs_credential("card", acs_user_id=max_.acs_user_id)["acs_credential_id"]
    clock.shift(1)
    key = mobile_key(fake_seam, jane)["acs_credential_id"]
    (child,) = [
        c["acs_credential_id"]
        for c in workspace_state(fake_seam)["acs_credentials"].values()
        if c["parent_acs_credential_id"] == key
    ]
    clock.shift(1)
    hotel_code = fake_seam.add_acs_credential("code", acs_user_id=hotel_user, code="24681357")[
        "acs_credential_id"
    ]
    return ListWorld(jane, max_, hotel_system, hotel_user, code, card, key, child, hotel_code)


@pytest.mark.parametrize("method", METHODS)
def test_list_everything_newest_first_raw(list_world: ListWorld, raw: Raw, method: str) -> None:
    body = read_ok(raw, method, LIST, {})
    assert [c["acs_credential_id"] for c in body["acs_credentials"]] == list_world.all_ids
    assert body["pagination"] == {"has_next_page": False, "next_page_cursor": None, "next_page_url": None}


def test_list_everything_through_the_sdk(list_world: ListWorld, seam: Seam) -> None:
    listed = seam.acs.credentials.list()
    assert ids(listed) == list_world.all_ids
    assert listed.pagination["has_next_page"] is False  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", METHODS)
def test_list_filters_raw(list_world: ListWorld, raw: Raw, method: str) -> None:
    w = list_world
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"acs_user_id": w.jane.acs_user_id}, [w.child, w.key, w.code]),
        ({"acs_user_id": w.max.acs_user_id}, [w.card]),
        ({"acs_system_id": w.jane.system_id}, [w.child, w.key, w.card, w.code]),
        ({"acs_system_id": w.hotel_system}, [w.hotel_code]),
        ({"acs_user_id": w.jane.acs_user_id, "acs_system_id": w.jane.system_id}, [w.child, w.key, w.code]),
        ({"acs_user_id": w.jane.acs_user_id, "acs_system_id": w.hotel_system}, []),
        ({"user_identity_id": w.jane.identity_id}, [w.child, w.key, w.code]),
        ({"user_identity_id": w.max.identity_id}, [w.card]),
        ({"is_multi_phone_sync_credential": True}, [w.key]),
        ({"is_multi_phone_sync_credential": False}, [w.hotel_code, w.child, w.card, w.code]),
        (
            {"user_identity_id": w.jane.identity_id, "is_multi_phone_sync_credential": False},
            [w.child, w.code],
        ),
        ({"acs_user_id": w.max.acs_user_id.upper()}, [w.card]),
        ({"acs_user_id": str(uuid.uuid4())}, []),
        ({"acs_system_id": str(uuid.uuid4())}, []),
        ({"user_identity_id": str(uuid.uuid4())}, []),
    ]
    for params, expected in cases:
        if method == "get":
            # A query string writes booleans as the SDK does.
            params = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
        body = read_ok(raw, method, LIST, params)
        assert [c["acs_credential_id"] for c in body["acs_credentials"]] == expected, params


def test_list_filters_through_the_sdk(list_world: ListWorld, seam: Seam) -> None:
    w = list_world
    assert ids(seam.acs.credentials.list(acs_user_id=w.jane.acs_user_id)) == [w.child, w.key, w.code]
    assert ids(seam.acs.credentials.list(acs_system_id=w.hotel_system)) == [w.hotel_code]
    assert ids(seam.acs.credentials.list(user_identity_id=w.max.identity_id)) == [w.card]
    assert ids(seam.acs.credentials.list(is_multi_phone_sync_credential=True)) == [w.key]
    assert ids(seam.acs.credentials.list(is_multi_phone_sync_credential=False)) == [
        w.hotel_code,
        w.child,
        w.card,
        w.code,
    ]


def test_list_follows_an_identitys_acs_users_on_every_system(
    list_world: ListWorld, fake_seam: FakeSeam, seam: Seam
) -> None:
    w = list_world
    hotel_code = seam.acs.credentials.create(
        access_method="code", user_identity_id=w.jane.identity_id, acs_system_id=w.hotel_system, code="5555"
    )
    assert ids(seam.acs.credentials.list(user_identity_id=w.jane.identity_id)) == [
        hotel_code.acs_credential_id,
        w.child,
        w.key,
        w.code,
    ]


def test_list_search(list_world: ListWorld, fake_seam: FakeSeam, seam: Seam) -> None:
    w = list_world
    code = seam.acs.credentials.get(acs_credential_id=w.code).code
    assert code is not None
    codes = {w.hotel_code: "24681357", w.code: code}

    found = {i: seam.acs.credentials.get(acs_credential_id=i) for i in w.all_ids}

    def with_code_containing(digits: str) -> list[str]:
        # The Salto KS code is generated: it may contain the digits searched for the PTI one, and
        # the random ids searched too may contain them (a 3-digit run in a UUID is common).
        return [
            i
            for i in w.all_ids
            if digits in codes.get(i, "")
            or digits in i
            or digits in (found[i].acs_user_id or "")
            or digits in found[i].display_name
        ]

    cases: list[tuple[str, list[str]]] = [
        ("multi phone", [w.key]),
        ("MOBILE KEY ON", [w.child]),
        ("salto ks credential", [w.card, w.code]),
        ("PTI", [w.hotel_code]),
        ("no such credential", []),
        *((digits, with_code_containing(digits)) for digits in ("24681357", "4681", code, code[1:4])),
    ]
    for search, expected in cases:
        assert ids(seam.acs.credentials.list(search=search)) == expected, search


def test_list_search_matches_the_ids_the_reference_names(list_world: ListWorld, seam: Seam) -> None:
    # The reference: "a partial match using display_name, code, card_number, acs_user_id or
    # acs_credential_id".
    w = list_world
    assert ids(seam.acs.credentials.list(search=w.card)) == [w.card]
    assert ids(seam.acs.credentials.list(search=w.card[:13].upper())) == [w.card]
    assert ids(seam.acs.credentials.list(search=w.max.acs_user_id)) == [w.card]


@pytest.mark.parametrize("method", METHODS)
def test_list_combines_search_with_filters(list_world: ListWorld, raw: Raw, method: str) -> None:
    w = list_world
    body = read_ok(raw, method, LIST, {"search": "salto", "acs_user_id": w.max.acs_user_id})
    assert [c["acs_credential_id"] for c in body["acs_credentials"]] == [w.card]


def test_list_pages_through_the_sdk_paginator(
    fake_seam: FakeSeam, seam: Seam, clock: time_machine.Coordinates
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=PTI), "Jane Doe")
    made = []
    for n in range(7):
        clock.shift(1)
        made.append(
            fake_seam.add_acs_credential("code", acs_user_id=user_id, code=f"{1000 + n}")["acs_credential_id"]
        )
    other_user = new_user(fake_seam, new_system(fake_seam, "Other", external_type=PTI), "Max")
    fake_seam.add_acs_credential("code", acs_user_id=other_user, code="9999")

    paginator = seam.create_paginator(seam.acs.credentials.list, {"acs_user_id": user_id, "limit": 3})
    assert ids(paginator.flatten()) == made[::-1]
    first_page, pagination = seam.create_paginator(seam.acs.credentials.list, {"limit": 3}).first_page()
    assert len(first_page) == 3
    assert pagination.has_next_page is True
    assert len(list(seam.create_paginator(seam.acs.credentials.list, {"limit": 3}).flatten())) == 8


def test_list_pages_an_identitys_credentials(
    fake_seam: FakeSeam, seam: Seam, clock: time_machine.Coordinates
) -> None:
    jane = person(fake_seam, kind=PTI)
    hotel = new_system(fake_seam, "Hotel", external_type=PTI)
    made = []
    for n in range(5):
        clock.shift(1)
        holder = {"acs_user_id": jane.acs_user_id} if n % 2 else {"acs_system_id": hotel}
        params = {"user_identity_id": jane.identity_id, **holder} if "acs_system_id" in holder else holder
        made.append(fake_seam.add_acs_credential("code", code=f"{1000 + n}", **params)["acs_credential_id"])
    fake_seam.add_acs_credential("code", acs_user_id=new_user(fake_seam, hotel, "Max"), code="9999")
    paginator = seam.create_paginator(
        seam.acs.credentials.list, {"user_identity_id": jane.identity_id, "limit": 2}
    )
    assert ids(paginator.flatten()) == made[::-1]


def test_list_pages_with_cursors_raw(fake_seam: FakeSeam, raw: Raw, clock: time_machine.Coordinates) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=PTI), "Jane Doe")
    made = []
    for n in range(5):
        clock.shift(1)
        made.append(
            fake_seam.add_acs_credential("code", acs_user_id=user_id, code=f"{1000 + n}")["acs_credential_id"]
        )
    pages = []
    query: dict[str, Any] = {"acs_user_id": user_id, "limit": 2}
    while True:
        body = read_ok(raw, "get", LIST, query)
        pages.append([c["acs_credential_id"] for c in body["acs_credentials"]])
        if not body["pagination"]["has_next_page"]:
            break
        # next_page_url is a plain GET of the next page.
        assert (
            ok(raw.session.get(body["pagination"]["next_page_url"]))["acs_credentials"]
            == read_ok(raw, "get", LIST, {**query, "page_cursor": body["pagination"]["next_page_cursor"]})[
                "acs_credentials"
            ]
        )
        query = {**query, "page_cursor": body["pagination"]["next_page_cursor"]}
    assert pages == [made[:2:-1], made[2:0:-1], made[:1]]
    # A cursor sent with other filters is refused.
    first = read_ok(raw, "post", LIST, {"acs_user_id": user_id, "limit": 2})
    expect_mismatched_cursor(
        fake_seam,
        lambda: raw.post(LIST, json={"limit": 2, "page_cursor": first["pagination"]["next_page_cursor"]}),
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"acs_user_id": "jane"}, "acs_user_id"),
        ({"acs_system_id": "site"}, "acs_system_id"),
        ({"user_identity_id": "jane"}, "user_identity_id"),
        ({"is_multi_phone_sync_credential": "maybe"}, "is_multi_phone_sync_credential"),
        ({"search": ""}, "search"),
        ({"limit": 0}, "limit"),
        ({"limit": 1.5}, "limit"),
        ({"page_cursor": "forged"}, "page_cursor"),
        ({"created_before": "yesterday"}, "created_before"),
    ],
)
def test_list_invalid_input(
    list_world: ListWorld, fake_seam: FakeSeam, raw: Raw, method: str, params: dict[str, Any], param: str
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.read(method, LIST, params), param)


def test_list_refuses_a_filter_given_twice(list_world: ListWorld, fake_seam: FakeSeam, raw: Raw) -> None:
    twice = [("acs_user_id", list_world.jane.acs_user_id), ("acs_user_id", list_world.max.acs_user_id)]
    expect_raw_invalid(fake_seam, lambda: raw.get(LIST, params=twice), "acs_user_id")


def test_list_created_before(list_world: ListWorld, raw: Raw) -> None:
    w = list_world
    # The card was made at NOW + 2 s.
    body = read_ok(raw, "get", LIST, {"created_before": "2030-06-01T12:00:02.000Z"})
    assert [c["acs_credential_id"] for c in body["acs_credentials"]] == [w.code]


def test_list_never_shows_another_workspace(list_world: ListWorld, fake_seam: FakeSeam, seam: Seam) -> None:
    theirs = other_seam(fake_seam)
    assert theirs.acs.credentials.list() == []
    assert theirs.acs.credentials.list(acs_user_id=list_world.jane.acs_user_id) == []
    assert theirs.acs.credentials.list(user_identity_id=list_world.jane.identity_id) == []
    assert theirs.acs.credentials.list(acs_system_id=list_world.jane.system_id) == []
    assert ids(seam.acs.credentials.list()) == list_world.all_ids


def test_a_client_session_lists_only_its_identitys_credentials(
    list_world: ListWorld, fake_seam: FakeSeam, raw: Raw
) -> None:
    w = list_world
    token = fake_seam.add_client_session(user_identity_id=w.jane.identity_id)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = ok(raw.get(LIST, headers=headers))
    assert [c["acs_credential_id"] for c in body["acs_credentials"]] == [w.child, w.key, w.code]
    assert (
        ok(raw.get(LIST, params={"acs_user_id": w.max.acs_user_id}, headers=headers))["acs_credentials"] == []
    )
    # The other routes do not take a client session token.
    for path, params in ((GET, {"acs_credential_id": w.code}), (ENTRANCES, {"acs_credential_id": w.code})):
        with unchanged(fake_seam):
            response = raw.post(path, json=params, headers=headers)
        assert_error(response, 401, "unauthorized")


# /acs/credentials/update -----------------------------------------------------------------------


def test_update_a_code(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=PTI), "Jane Doe")
    code = fake_seam.add_acs_credential("code", acs_user_id=user_id, code="1234")
    events_before = fake_seam.events

    assert seam.acs.credentials.update(acs_credential_id=code["acs_credential_id"], code="987654321") is None

    updated = seam.acs.credentials.get(acs_credential_id=code["acs_credential_id"])
    assert updated.code == "987654321"
    assert (updated.is_issued, updated.issued_at, updated.warnings) == (True, NOW_TEXT, [])
    assert fake_seam.events == events_before
    # POST works as well as the SDK's PATCH.
    body = ok(raw.post(UPDATE, json={"acs_credential_id": code["acs_credential_id"], "code": "4321"}))
    assert body["acs_credential"]["code"] == "4321"


@pytest.mark.parametrize(
    ("kind", "method", "code"),
    [
        (PTI, "code", "123"),
        (PTI, "code", "12345678901"),
        (PTI, "code", "abcd"),
        (PTI, "card", "1234"),
        (SALTO_KS, "code", "123456"),
        ("latch_building", "code", "123456"),
        (BRIVO, "mobile_key", "1234"),
    ],
    ids=["short", "long", "letters", "card", "salto_ks", "latch", "mobile_key"],
)
def test_update_refuses_a_code_the_credential_may_not_have(
    fake_seam: FakeSeam, seam: Seam, kind: str, method: str, code: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=kind), "Jane Doe")
    credential = fake_seam.add_acs_credential(acs_user_id=user_id, **create_body(kind, method))
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.update(acs_credential_id=credential["acs_credential_id"], code=code),
        "code",
    )


def test_update_ends_at_of_a_code(fake_seam: FakeSeam, seam: Seam) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=PTI), "Jane Doe")
    code = fake_seam.add_acs_credential("code", acs_user_id=user_id, code="1234", starts_at=FUTURE)
    seam.acs.credentials.update(
        acs_credential_id=code["acs_credential_id"], ends_at="2030-08-01T02:00:00+02:00"
    )
    updated = seam.acs.credentials.get(acs_credential_id=code["acs_credential_id"])
    assert (updated.starts_at, updated.ends_at, updated.code) == (FUTURE, FAR_FUTURE, "1234")


@pytest.mark.parametrize(
    "ends_at",
    [PAST, NOW_TEXT, FUTURE, "2030-06-15T00:00:00Z"],
    ids=["past", "now", "equal_to_starts_at", "before_starts_at"],
)
def test_update_refuses_an_end_that_is_not_in_the_future_and_after_the_start(
    fake_seam: FakeSeam, seam: Seam, ends_at: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane Doe")
    card = fake_seam.add_acs_credential("card", acs_user_id=user_id, starts_at=FUTURE, ends_at=FAR_FUTURE)
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.update(acs_credential_id=card["acs_credential_id"], ends_at=ends_at),
        "ends_at",
    )


def test_update_an_issued_mobile_key_reissues_it_and_each_copy(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=2)
    key = mobile_key(fake_seam, jane)
    children = ids(children_of(seam, key["acs_credential_id"]))
    assert len(children) == 2

    seam.acs.credentials.update(acs_credential_id=key["acs_credential_id"], ends_at=FUTURE)

    reissued = credential_events(fake_seam, "acs_credential.reissued")
    assert sorted(reissued) == sorted([*children, key["acs_credential_id"]])
    assert reissued[-1] == key["acs_credential_id"]
    for credential_id in (*children, key["acs_credential_id"]):
        got = seam.acs.credentials.get(acs_credential_id=credential_id)
        assert (got.ends_at, got.is_issued, got.warnings) == (FUTURE, True, [])
    # Again with the same end: nothing changed, nothing is reissued.
    seam.acs.credentials.update(acs_credential_id=key["acs_credential_id"], ends_at=FUTURE)
    assert len(credential_events(fake_seam, "acs_credential.reissued")) == 3


def test_update_a_waiting_mobile_key_reissues_nothing(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam)
    key = mobile_key(fake_seam, jane)
    seam.acs.credentials.update(acs_credential_id=key["acs_credential_id"], ends_at=FUTURE)
    assert events_of(fake_seam, "acs_credential.reissued") == []
    got = seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"])
    assert (got.ends_at, got.is_issued) == (FUTURE, False)
    # Its copies, once made, have the new end.
    fake_seam.add_phone(jane.identity_id)
    (child,) = children_of(seam, key["acs_credential_id"])
    assert child.ends_at == FUTURE


def test_update_an_issued_card_needs_it_reissued_until_encoded(
    fake_seam: FakeSeam, seam: Seam, clock: time_machine.Coordinates
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Hotel", external_type=VISIONLINE), "Jane Doe")
    card = fake_seam.add_acs_credential("card", acs_user_id=user_id)
    fake_seam.issue_credential(card["acs_credential_id"])
    clock.shift(60)

    seam.acs.credentials.update(acs_credential_id=card["acs_credential_id"], ends_at=FUTURE)

    changed = seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"])
    assert (changed.is_issued, changed.issued_at, changed.ends_at) == (True, NOW_TEXT, FUTURE)
    (warning,) = changed.warnings
    assert (warning.warning_code, warning.created_at) == ("needs_to_be_reissued", LATER_TEXT)
    assert events_of(fake_seam, "acs_credential.reissued") == []
    # A second change keeps the first date.
    clock.shift(60)
    seam.acs.credentials.update(acs_credential_id=card["acs_credential_id"], ends_at=FAR_FUTURE)
    assert seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"]).warnings == changed.warnings

    reencoded = fake_seam.issue_credential(card["acs_credential_id"])

    assert (reencoded["is_issued"], reencoded["warnings"], reencoded["ends_at"]) == (True, [], FAR_FUTURE)
    assert credential_events(fake_seam, "acs_credential.reissued") == [card["acs_credential_id"]]


def test_update_a_waiting_card_needs_no_reissue(fake_seam: FakeSeam, seam: Seam) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Hotel", external_type=VISIONLINE), "Jane Doe")
    card = fake_seam.add_acs_credential("card", acs_user_id=user_id)
    seam.acs.credentials.update(acs_credential_id=card["acs_credential_id"], ends_at=FUTURE)
    got = seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"])
    assert codes_of(got.warnings) == ["waiting_to_be_issued"]


def test_update_with_nothing_to_change_changes_nothing(fake_seam: FakeSeam, seam: Seam) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Hotel", external_type=VISIONLINE), "Jane Doe")
    card = fake_seam.add_acs_credential("card", acs_user_id=user_id, ends_at=FUTURE)
    fake_seam.issue_credential(card["acs_credential_id"])
    with unchanged(fake_seam):
        seam.acs.credentials.update(acs_credential_id=card["acs_credential_id"])
        seam.acs.credentials.update(acs_credential_id=card["acs_credential_id"], ends_at=FUTURE)


def test_update_unknown_or_foreign_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.update(acs_credential_id=str(uuid.uuid4()), ends_at=FUTURE),
    )
    # The reference types this acs_credential_id as a plain string: any text is looked up.
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.update(acs_credential_id="card", ends_at=FUTURE),
    )


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"code": 1234}, "code"),
        ({"ends_at": "tomorrow"}, "ends_at"),
        ({"ends_at": 1_900_000_000}, "ends_at"),
        ({"acs_credential_id": 5}, "acs_credential_id"),
    ],
)
def test_update_refuses_wrong_json_types(
    fake_seam: FakeSeam, raw: Raw, body: dict[str, Any], param: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam, "Site", external_type=PTI), "Jane Doe")
    code = fake_seam.add_acs_credential("code", acs_user_id=user_id, code="1234")
    sent = {"acs_credential_id": code["acs_credential_id"], **body}
    expect_raw_invalid(fake_seam, raw_send(raw, "PATCH", UPDATE, sent), param)


# /acs/credentials/delete -------------------------------------------------------------------------


def test_delete_a_credential(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam)
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    kept = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)

    assert seam.acs.credentials.delete(acs_credential_id=card["acs_credential_id"]) is None

    assert ids(seam.acs.credentials.list()) == [kept["acs_credential_id"]]
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"]),
    )
    (event,) = events_of(fake_seam, "acs_credential.deleted")
    assert (event["acs_credential_id"], event["acs_system_id"]) == (card["acs_credential_id"], jane.system_id)
    deleted = seam.events.list(since="2000-01-01T00:00:00Z", event_type="acs_credential.deleted")
    assert [e.acs_credential_id for e in deleted] == [card["acs_credential_id"]]
    # Deleting it again: not found.
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.delete(acs_credential_id=card["acs_credential_id"]),
    )


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_delete_raw(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    card = fake_seam.add_acs_credential(
        "card", acs_user_id=new_user(fake_seam, new_system(fake_seam), "Jane")
    )
    assert ok(raw.request(method, DELETE, json={"acs_credential_id": card["acs_credential_id"]})) == {
        "ok": True
    }
    assert workspace_state(fake_seam)["acs_credentials"] == {}


def test_delete_a_mobile_key_deletes_its_copies(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=2)
    key = mobile_key(fake_seam, jane)
    children = ids(children_of(seam, key["acs_credential_id"]))
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)

    seam.acs.credentials.delete(acs_credential_id=key["acs_credential_id"])

    assert ids(seam.acs.credentials.list()) == [card["acs_credential_id"]]
    deleted = credential_events(fake_seam, "acs_credential.deleted")
    # Each copy, then the parent.
    assert sorted(deleted[:2]) == sorted(children)
    assert deleted[2:] == [key["acs_credential_id"]]
    assert seam.phones.list(acs_credential_id=key["acs_credential_id"]) == []
    # The phones stay, and a new phone gets no copy of the deleted key.
    assert len(seam.phones.list(owner_user_identity_id=jane.identity_id)) == 2
    fake_seam.add_phone(jane.identity_id)
    assert ids(seam.acs.credentials.list()) == [card["acs_credential_id"]]


def test_delete_a_copy_keeps_the_parent(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=2)
    key = mobile_key(fake_seam, jane)
    first, second = ids(children_of(seam, key["acs_credential_id"]))
    seam.acs.credentials.delete(acs_credential_id=first)
    assert ids(children_of(seam, key["acs_credential_id"])) == [second]
    assert seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"]).is_issued is True


@pytest.mark.parametrize("method", ["POST", "DELETE"])
@pytest.mark.parametrize("body", [{}, {"acs_credential_id": "card"}], ids=["missing", "not_uuid"])
def test_delete_invalid_input(fake_seam: FakeSeam, raw: Raw, method: str, body: dict[str, Any]) -> None:
    fake_seam.add_acs_credential("card", acs_user_id=new_user(fake_seam, new_system(fake_seam), "Jane"))
    expect_raw_invalid(fake_seam, raw_send(raw, method, DELETE, body), "acs_credential_id")


# Deleting ACS users and identities -----------------------------------------------------------


def test_deleting_an_acs_user_deletes_its_credentials(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    max_user = new_user(fake_seam, jane.system_id, "Max Moe")
    kept = fake_seam.add_acs_credential("card", acs_user_id=max_user)
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    key = mobile_key(fake_seam, jane)
    (child,) = ids(children_of(seam, key["acs_credential_id"]))

    seam.acs.users.delete(acs_user_id=jane.acs_user_id)

    assert ids(seam.acs.credentials.list()) == [kept["acs_credential_id"]]
    deleted = credential_events(fake_seam, "acs_credential.deleted")
    assert sorted(deleted) == sorted([card["acs_credential_id"], key["acs_credential_id"], child])
    assert deleted.index(child) < deleted.index(key["acs_credential_id"])
    # The credentials go before their user.
    types = [e["event_type"] for e in fake_seam.events]
    assert types.index("acs_user.deleted") > max(
        i for i, t in enumerate(types) if t == "acs_credential.deleted"
    )


def test_deleting_a_user_identity_deletes_its_credentials(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    key = mobile_key(fake_seam, jane)
    code = fake_seam.add_acs_credential("code", acs_user_id=jane.acs_user_id)
    (child,) = ids(children_of(seam, key["acs_credential_id"]))

    seam.user_identities.delete(user_identity_id=jane.identity_id)

    assert seam.acs.credentials.list() == []
    assert sorted(credential_events(fake_seam, "acs_credential.deleted")) == sorted(
        [key["acs_credential_id"], code["acs_credential_id"], child]
    )


def test_an_unassigned_credential_survives_its_former_holders_deletion(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam)
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    seam.acs.credentials.unassign(acs_credential_id=card["acs_credential_id"], acs_user_id=jane.acs_user_id)
    seam.acs.users.delete(acs_user_id=jane.acs_user_id)
    assert ids(seam.acs.credentials.list()) == [card["acs_credential_id"]]


# /acs/credentials/assign and unassign ------------------------------------------------------------


def test_assign_moves_a_credential_to_another_acs_user(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam)
    max_ = person(fake_seam, jane.system_id, email="max@example.com", name="Max Moe")
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)

    assert (
        seam.acs.credentials.assign(acs_credential_id=card["acs_credential_id"], acs_user_id=max_.acs_user_id)
        is None
    )

    moved = seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"])
    assert (moved.acs_user_id, moved.user_identity_id) == (max_.acs_user_id, max_.identity_id)
    assert seam.acs.credentials.list(acs_user_id=jane.acs_user_id) == []
    assert ids(seam.acs.credentials.list(acs_user_id=max_.acs_user_id)) == [card["acs_credential_id"]]
    assert ids(seam.acs.credentials.list(user_identity_id=max_.identity_id)) == [card["acs_credential_id"]]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_assign_raw_answers_the_credential(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    system_id = new_system(fake_seam)
    jane, max_user = new_user(fake_seam, system_id, "Jane"), new_user(fake_seam, system_id, "Max")
    card = fake_seam.add_acs_credential("card", acs_user_id=jane)
    body = ok(
        raw.request(
            method, ASSIGN, json={"acs_credential_id": card["acs_credential_id"], "acs_user_id": max_user}
        )
    )
    assert body["acs_credential"] == {**card, "acs_user_id": max_user}


def test_assign_to_the_holder_changes_nothing(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    key = mobile_key(fake_seam, jane)
    with unchanged(fake_seam):
        seam.acs.credentials.assign(acs_credential_id=key["acs_credential_id"], acs_user_id=jane.acs_user_id)
        seam.acs.credentials.assign(
            acs_credential_id=key["acs_credential_id"], user_identity_id=jane.identity_id
        )


def test_assign_to_an_identity_links_or_creates_its_acs_user(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam)
    holder = new_user(fake_seam, system_id, "Amy Ash")
    matching = new_user(fake_seam, system_id, "J. Doe", "jane@example.com")
    card = fake_seam.add_acs_credential("card", acs_user_id=holder)
    jane = seam.user_identities.create(email_address="jane@example.com")
    max_ = seam.user_identities.create(email_address="max@example.com", full_name="Max Moe")

    seam.acs.credentials.assign(
        acs_credential_id=card["acs_credential_id"], user_identity_id=jane.user_identity_id
    )

    assert seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"]).acs_user_id == matching
    assert seam.acs.users.get(acs_user_id=matching).user_identity_id == jane.user_identity_id
    assert events_of(fake_seam, "acs_user.created") == []

    seam.acs.credentials.assign(
        acs_credential_id=card["acs_credential_id"], user_identity_id=max_.user_identity_id
    )

    (created,) = seam.user_identities.get(user_identity_id=max_.user_identity_id).acs_user_ids
    moved = seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"])
    assert (moved.acs_user_id, moved.user_identity_id) == (created, max_.user_identity_id)
    assert seam.acs.users.get(acs_user_id=created).acs_system_id == system_id
    assert [e["acs_user_id"] for e in events_of(fake_seam, "acs_user.created")] == [created]


def test_assign_a_mobile_key_moves_it_to_the_new_holders_phones(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    max_ = person(fake_seam, jane.system_id, email="max@example.com", name="Max Moe", phones=2)
    key = mobile_key(fake_seam, jane)
    (jane_copy,) = ids(children_of(seam, key["acs_credential_id"]))
    issued_before = credential_events(fake_seam, "acs_credential.issued")

    seam.acs.credentials.assign(acs_credential_id=key["acs_credential_id"], acs_user_id=max_.acs_user_id)

    assert credential_events(fake_seam, "acs_credential.deleted") == [jane_copy]
    copies = children_of(seam, key["acs_credential_id"])
    assert len(copies) == 2
    assert all(c.acs_user_id == max_.acs_user_id for c in copies)
    max_phones = {p.device_id for p in seam.phones.list(owner_user_identity_id=max_.identity_id)}
    assert {device for c in copies for device in phones_of(seam, c.acs_credential_id)} == max_phones
    issued = credential_events(fake_seam, "acs_credential.issued")[len(issued_before) :]
    assert sorted(issued) == sorted([*ids(copies), key["acs_credential_id"]])
    moved = seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"])
    assert (moved.is_issued, moved.acs_user_id) == (True, max_.acs_user_id)


def test_assign_a_mobile_key_to_someone_without_a_phone_makes_it_wait(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam, phones=1)
    max_ = person(fake_seam, jane.system_id, email="max@example.com", name="Max Moe")
    key = mobile_key(fake_seam, jane)
    seam.acs.credentials.assign(acs_credential_id=key["acs_credential_id"], acs_user_id=max_.acs_user_id)
    moved = seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"])
    assert (moved.is_issued, moved.issued_at, codes_of(moved.warnings)) == (
        False,
        None,
        ["waiting_to_be_issued"],
    )
    assert children_of(seam, key["acs_credential_id"]) == []
    fake_seam.add_phone(max_.identity_id)
    assert len(children_of(seam, key["acs_credential_id"])) == 1


def test_assign_a_copy_is_refused(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    max_user = new_user(fake_seam, jane.system_id, "Max Moe")
    key = mobile_key(fake_seam, jane)
    (child,) = ids(children_of(seam, key["acs_credential_id"]))
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.assign(acs_credential_id=child, acs_user_id=max_user),
        "acs_credential_id",
    )


def test_assign_to_an_acs_user_of_another_system_is_invalid_on_acs_user_id(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam)
    elsewhere = new_user(fake_seam, new_system(fake_seam, "Elsewhere"), "Max Moe")
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.assign(
            acs_credential_id=card["acs_credential_id"], acs_user_id=elsewhere
        ),
        "acs_user_id",
    )


def test_assign_invalid_holders(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam)
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    card_id = card["acs_credential_id"]
    other = fake_seam.add_workspace(name="Other")
    foreign = person(fake_seam, workspace_id=other["workspace_id"])
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.credentials.assign(acs_credential_id=card_id, acs_user_id=foreign.acs_user_id),
    )
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.acs.credentials.assign(acs_credential_id=card_id, user_identity_id=foreign.identity_id),
    )
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.assign(
            acs_credential_id=card_id, acs_user_id=jane.acs_user_id, user_identity_id=jane.identity_id
        ),
        "acs_user_id",
    )
    expect_invalid(fake_seam, lambda: seam.acs.credentials.assign(acs_credential_id=card_id), "acs_user_id")
    unknown = str(uuid.uuid4())
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.credentials.assign(acs_credential_id=card_id, acs_user_id=unknown),
    )
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.acs.credentials.assign(acs_credential_id=card_id, user_identity_id=unknown),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.assign(acs_credential_id=unknown, acs_user_id=jane.acs_user_id),
    )


@pytest.mark.parametrize("path", [ASSIGN, UNASSIGN])
@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"acs_user_id": "jane"}, "acs_user_id"),
        ({"user_identity_id": "jane"}, "user_identity_id"),
        ({"acs_credential_id": "card"}, "acs_credential_id"),
        ({"acs_credential_id": None}, "acs_credential_id"),
    ],
)
def test_assign_and_unassign_refuse_wrong_json_types(
    fake_seam: FakeSeam, raw: Raw, path: str, body: dict[str, Any], param: str
) -> None:
    user_id = new_user(fake_seam, new_system(fake_seam), "Jane")
    card = fake_seam.add_acs_credential("card", acs_user_id=user_id)
    sent = {"acs_credential_id": card["acs_credential_id"], "acs_user_id": user_id, **body}
    expect_raw_invalid(fake_seam, raw_send(raw, "PATCH", path, sent), param)


@pytest.mark.parametrize("by", ["acs_user_id", "user_identity_id"])
def test_unassign_takes_the_credential_from_its_holder(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, by: str
) -> None:
    jane = person(fake_seam)
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    named = (
        {"acs_user_id": jane.acs_user_id} if by == "acs_user_id" else {"user_identity_id": jane.identity_id}
    )

    assert seam.acs.credentials.unassign(acs_credential_id=card["acs_credential_id"], **named) is None

    loose = seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"])
    assert (loose.acs_user_id, loose.user_identity_id) == (None, None)
    assert seam.acs.credentials.list(acs_user_id=jane.acs_user_id) == []
    assert seam.acs.credentials.list(user_identity_id=jane.identity_id) == []
    assert ids(seam.acs.credentials.list(acs_system_id=jane.system_id)) == [card["acs_credential_id"]]
    body = read_ok(raw, "get", GET, {"acs_credential_id": card["acs_credential_id"]})
    assert "acs_user_id" not in body["acs_credential"]
    # And it can be given to someone again.
    seam.acs.credentials.assign(acs_credential_id=card["acs_credential_id"], acs_user_id=jane.acs_user_id)
    assert (
        seam.acs.credentials.get(acs_credential_id=card["acs_credential_id"]).acs_user_id == jane.acs_user_id
    )


def test_unassign_a_mobile_key_deletes_its_copies(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=2)
    key = mobile_key(fake_seam, jane)
    copies = ids(children_of(seam, key["acs_credential_id"]))
    seam.acs.credentials.unassign(acs_credential_id=key["acs_credential_id"], acs_user_id=jane.acs_user_id)
    assert children_of(seam, key["acs_credential_id"]) == []
    assert sorted(credential_events(fake_seam, "acs_credential.deleted")) == sorted(copies)
    loose = seam.acs.credentials.get(acs_credential_id=key["acs_credential_id"])
    assert (loose.acs_user_id, loose.is_issued) == (None, False)
    # A phone of its former holder gets nothing now.
    fake_seam.add_phone(jane.identity_id)
    assert children_of(seam, key["acs_credential_id"]) == []


def test_unassign_from_someone_who_does_not_hold_it_is_invalid_on_the_parameter_naming_them(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    jane = person(fake_seam)
    max_ = person(fake_seam, jane.system_id, email="max@example.com", name="Max Moe")
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    card_id = card["acs_credential_id"]
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.unassign(acs_credential_id=card_id, acs_user_id=max_.acs_user_id),
        "acs_user_id",
    )
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.unassign(acs_credential_id=card_id, user_identity_id=max_.identity_id),
        "user_identity_id",
    )
    # Once unassigned, its former holder does not hold it either.
    seam.acs.credentials.unassign(acs_credential_id=card_id, acs_user_id=jane.acs_user_id)
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.unassign(acs_credential_id=card_id, acs_user_id=jane.acs_user_id),
        "acs_user_id",
    )
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.unassign(acs_credential_id=card_id, user_identity_id=jane.identity_id),
        "user_identity_id",
    )


def test_unassign_invalid_requests(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    card = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)
    card_id = card["acs_credential_id"]
    key = mobile_key(fake_seam, jane)
    (child,) = ids(children_of(seam, key["acs_credential_id"]))
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.unassign(acs_credential_id=child, acs_user_id=jane.acs_user_id),
        "acs_credential_id",
    )
    expect_invalid(
        fake_seam,
        lambda: seam.acs.credentials.unassign(
            acs_credential_id=card_id, acs_user_id=jane.acs_user_id, user_identity_id=jane.identity_id
        ),
        "acs_user_id",
    )
    expect_invalid(fake_seam, lambda: seam.acs.credentials.unassign(acs_credential_id=card_id), "acs_user_id")
    unknown = str(uuid.uuid4())
    for code, named in (
        ("acs_user_not_found", {"acs_user_id": unknown}),
        ("user_identity_not_found", {"user_identity_id": unknown}),
    ):
        expect_api_error(
            fake_seam,
            404,
            code,
            lambda named=named: seam.acs.credentials.unassign(acs_credential_id=card_id, **named),
        )
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.unassign(acs_credential_id=unknown, acs_user_id=jane.acs_user_id),
    )


# /acs/credentials/list_accessible_entrances ----------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_list_accessible_entrances_raw(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    card = fake_seam.add_acs_credential(
        "card", acs_user_id=new_user(fake_seam, new_system(fake_seam), "Jane")
    )
    body = read_ok(raw, method, ENTRANCES, {"acs_credential_id": card["acs_credential_id"]})
    assert body["acs_entrances"] == []


def test_list_accessible_entrances_through_the_sdk(fake_seam: FakeSeam, seam: Seam) -> None:
    card = fake_seam.add_acs_credential(
        "card", acs_user_id=new_user(fake_seam, new_system(fake_seam), "Jane")
    )
    assert seam.acs.credentials.list_accessible_entrances(acs_credential_id=card["acs_credential_id"]) == []
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.list_accessible_entrances(acs_credential_id=str(uuid.uuid4())),
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("params", [{}, {"acs_credential_id": "card"}], ids=["missing", "not_uuid"])
def test_list_accessible_entrances_invalid_input(
    fake_seam: FakeSeam, raw: Raw, method: str, params: dict[str, Any]
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.read(method, ENTRANCES, params), "acs_credential_id")


# Other workspaces -----------------------------------------------------------------------------


def test_another_workspace_cannot_reach_a_credential(fake_seam: FakeSeam, seam: Seam) -> None:
    jane = person(fake_seam, phones=1)
    key = mobile_key(fake_seam, jane)
    card_id = fake_seam.add_acs_credential("card", acs_user_id=jane.acs_user_id)["acs_credential_id"]
    key_id = key["acs_credential_id"]
    theirs = other_seam(fake_seam)
    calls: list[Callable[[], object]] = [
        lambda: theirs.acs.credentials.get(acs_credential_id=card_id),
        lambda: theirs.acs.credentials.update(acs_credential_id=card_id, ends_at=FUTURE),
        lambda: theirs.acs.credentials.delete(acs_credential_id=card_id),
        lambda: theirs.acs.credentials.assign(acs_credential_id=card_id, acs_user_id=jane.acs_user_id),
        lambda: theirs.acs.credentials.unassign(acs_credential_id=card_id, acs_user_id=jane.acs_user_id),
        lambda: theirs.acs.credentials.list_accessible_entrances(acs_credential_id=card_id),
        lambda: theirs.acs.credentials.get(acs_credential_id=key_id),
        lambda: theirs.acs.credentials.delete(acs_credential_id=key_id),
    ]
    for call in calls:
        expect_api_error(fake_seam, 404, "acs_credential_not_found", call)
    assert theirs.acs.credentials.list() == []
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: theirs.acs.credentials.create(access_method="card", acs_user_id=jane.acs_user_id),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: theirs.acs.systems.list_compatible_credential_manager_acs_systems(
            acs_system_id=jane.system_id
        ),
    )
    # Nothing was touched: this workspace still has both, issued.
    assert len(seam.acs.credentials.list()) == 3


# The async SDK --------------------------------------------------------------------------------


def test_the_async_sdk_drives_a_credential_through_its_life(
    fake_seam: FakeSeam, async_seam: AsyncSeam
) -> None:
    jane = person(fake_seam, kind=PTI)
    max_user = new_user(fake_seam, jane.system_id, "Max Moe")

    async def scenario() -> None:
        credentials = async_seam.acs.credentials
        code = await credentials.create(access_method="code", acs_user_id=jane.acs_user_id, code="1234")
        assert (code.code, code.is_issued, code.user_identity_id) == ("1234", True, jane.identity_id)
        await credentials.update(acs_credential_id=code.acs_credential_id, code="5678", ends_at=FUTURE)
        got = await credentials.get(acs_credential_id=code.acs_credential_id)
        assert (got.code, got.ends_at) == ("5678", FUTURE)
        listed = await credentials.list(user_identity_id=jane.identity_id)
        assert [c.acs_credential_id for c in listed] == [code.acs_credential_id]
        await credentials.assign(acs_credential_id=code.acs_credential_id, acs_user_id=max_user)
        assert (await credentials.get(acs_credential_id=code.acs_credential_id)).acs_user_id == max_user
        await credentials.unassign(acs_credential_id=code.acs_credential_id, acs_user_id=max_user)
        assert await credentials.list_accessible_entrances(acs_credential_id=code.acs_credential_id) == []
        await credentials.delete(acs_credential_id=code.acs_credential_id)
        assert await credentials.list() == []

    asyncio.run(scenario())
    credential_types = [e["event_type"] for e in fake_seam.events if "acs_credential_id" in e]
    assert credential_types == ["acs_credential.issued", "acs_credential.deleted"]
