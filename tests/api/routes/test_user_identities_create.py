"""/user_identities/create through the real seam SDK (and raw HTTP where the SDK cannot go)."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import freezegun
import pytest
import time_machine
from helpers import Raw, assert_error, expect_api_error, expect_invalid, identities, seam_time, unchanged
from openapi_schema import assert_valid_response
from seam import NULL, AsyncSeam, Seam, SeamHttpInvalidInputError

from seam_fake import FakeSeam

PATH = "/user_identities/create"
STRING_FIELDS = ("user_identity_key", "email_address", "phone_number", "full_name")
UNIQUE_FIELDS = ("user_identity_key", "email_address", "phone_number")
RESPONSE_FIELDS = {
    "user_identity_id",
    "user_identity_key",
    "email_address",
    "phone_number",
    "display_name",
    "full_name",
    "created_at",
    "workspace_id",
    "errors",
    "warnings",
    "acs_user_ids",
}
SEAM_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


# Many cases build a Seam client: share one SSL context (see conftest.py).


# Helpers -------------------------------------------------------------------


def assert_names_field(error: SeamHttpInvalidInputError, field: str) -> list[str]:
    messages = error.get_validation_error_messages(field)
    assert messages and all(isinstance(m, str) and m for m in messages), messages
    assert field in str(error), str(error)
    return messages


@pytest.fixture
def existing(seam: Seam) -> Any:
    """An identity already in the workspace, so refused requests have state to leave alone."""
    return seam.user_identities.create(
        user_identity_key="existing_key",
        email_address="existing@example.com",
        phone_number="+15555550199",
        full_name="Existing Person",
    )


# The accepted case -----------------------------------------------------------


def test_create_returns_every_field(fake_seam: FakeSeam) -> None:
    seam = Seam()  # no arguments at all, as application code would build it
    before = datetime.now(timezone.utc)
    created = seam.user_identities.create(
        user_identity_key="jane_doe",
        email_address="jane@example.com",
        phone_number="+15555550100",
        full_name="Jane Doe",
    )
    after = datetime.now(timezone.utc)

    parsed_id = uuid.UUID(created.user_identity_id)
    assert parsed_id.version == 4
    assert str(parsed_id) == created.user_identity_id
    assert created.user_identity_key == "jane_doe"
    assert created.email_address == "jane@example.com"
    assert created.phone_number == "+15555550100"
    assert created.full_name == "Jane Doe"
    assert created.display_name == "Jane Doe"
    assert created.workspace_id == fake_seam.workspace_id
    assert created.errors == []
    assert created.warnings == []
    assert created.acs_user_ids == []

    assert SEAM_TIMESTAMP.match(created.created_at), created.created_at
    stamped = datetime.strptime(created.created_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert before - timedelta(milliseconds=1) <= stamped <= after

    stored = identities(fake_seam)
    assert list(stored) == [created.user_identity_id]
    fetched = seam.user_identities.get(user_identity_id=created.user_identity_id)
    assert fetched == created


def test_each_create_gets_a_new_uuid4(seam: Seam, fake_seam: FakeSeam) -> None:
    ids = [seam.user_identities.create().user_identity_id for _ in range(5)]
    assert len(set(ids)) == 5
    assert all(uuid.UUID(i).version == 4 for i in ids)
    assert set(identities(fake_seam)) == set(ids)


def test_raw_create_body_has_every_field_and_matches_the_schema(raw: Raw, fake_seam: FakeSeam) -> None:
    sent = {
        "user_identity_key": "raw_key",
        "email_address": "raw@example.com",
        "phone_number": "+15555550101",
        "full_name": "Raw Person",
    }
    response = raw.post(PATH, json=sent)
    assert response.status_code == 200, response.text
    assert response.headers["seam-request-id"]
    body = response.json()
    assert body["ok"] is True
    assert_valid_response(PATH, body)
    identity = body["user_identity"]
    assert set(identity) >= RESPONSE_FIELDS
    for field, value in sent.items():
        assert identity[field] == value
    assert identity["workspace_id"] == fake_seam.workspace_id
    assert uuid.UUID(identity["user_identity_id"]).version == 4
    assert SEAM_TIMESTAMP.match(identity["created_at"])


def test_empty_request_creates_an_identity_named_by_its_id(seam: Seam, fake_seam: FakeSeam) -> None:
    created = seam.user_identities.create()
    assert created.display_name == f"Fake user with id {created.user_identity_id}"
    for field in STRING_FIELDS:
        assert getattr(created, field) is None
    assert list(identities(fake_seam)) == [created.user_identity_id]


# display_name: full_name > email > phone > key > id
DISPLAY_CASES = [
    pytest.param(
        {
            "full_name": "Jane Doe",
            "email_address": "jane@example.com",
            "phone_number": "+15555550100",
            "user_identity_key": "jane",
        },
        "full_name",
        id="full_name-first",
    ),
    pytest.param(
        {"email_address": "jane@example.com", "phone_number": "+15555550100", "user_identity_key": "jane"},
        "email_address",
        id="email-without-name",
    ),
    # The official fake's order has no phone: a phone and a key show the key.
    pytest.param(
        {"phone_number": "+15555550100", "user_identity_key": "jane"},
        "user_identity_key",
        id="phone-is-skipped",
    ),
    pytest.param({"user_identity_key": "jane"}, "user_identity_key", id="key-only"),
    pytest.param({}, None, id="nothing-falls-back-to-id"),
    pytest.param({"phone_number": "+15555550100"}, None, id="phone-only-falls-back-to-id"),
    pytest.param(
        {"full_name": NULL, "email_address": "jane@example.com", "user_identity_key": "jane"},
        "email_address",
        id="null-name-skipped",
    ),
    pytest.param(
        {"full_name": NULL, "email_address": NULL, "phone_number": NULL, "user_identity_key": "jane"},
        "user_identity_key",
        id="all-null-but-key",
    ),
    pytest.param(
        {"full_name": NULL, "email_address": NULL, "phone_number": NULL, "user_identity_key": NULL},
        None,
        id="all-null",
    ),
]


@pytest.mark.parametrize(("fields", "shown"), DISPLAY_CASES)
def test_display_name_fallback(seam: Seam, fields: dict[str, Any], shown: str | None) -> None:
    created = seam.user_identities.create(**fields)
    # None: nothing to show, so the official fake's last resort.
    expected = getattr(created, shown) if shown else f"Fake user with id {created.user_identity_id}"
    assert created.display_name == expected


@pytest.mark.parametrize("field", STRING_FIELDS)
def test_sdk_null_is_accepted_and_stored_as_null(seam: Seam, fake_seam: FakeSeam, field: str) -> None:
    others = {"full_name": "Named", "user_identity_key": "k"}
    others.pop(field, None)
    created = seam.user_identities.create(**{field: NULL}, **others)
    assert getattr(created, field) is None
    assert identities(fake_seam)[created.user_identity_id][field] is None


def test_json_nulls_are_accepted_and_match_the_schema(raw: Raw, fake_seam: FakeSeam) -> None:
    response = raw.post(PATH, json={field: None for field in STRING_FIELDS})
    assert response.status_code == 200, response.text
    body = response.json()
    assert_valid_response(PATH, body)
    identity = body["user_identity"]
    for field in STRING_FIELDS:
        assert identity[field] is None
    assert identity["display_name"] == f"Fake user with id {identity['user_identity_id']}"
    assert list(identities(fake_seam)) == [identity["user_identity_id"]]


def test_empty_acs_system_ids_links_nothing(seam: Seam) -> None:
    created = seam.user_identities.create(full_name="Ada", acs_system_ids=[])
    assert created.acs_user_ids == []


# Valid edge values --------------------------------------------------------------


@pytest.mark.parametrize(
    "email", ["ada@example.test", "ada.lovelace+tag@sub.example.test", "O'Brien@example.com", "x@a.io"]
)
def test_edge_email_accepted(seam: Seam, email: str) -> None:
    created = seam.user_identities.create(email_address=email)
    assert created.email_address == email
    assert created.display_name == email


@pytest.mark.parametrize(
    "phone",
    ["+442079460958", "+447700900123", "+81312345678", "+819012345678", "+4930123456", "+61291234567"],
)
def test_international_phone_accepted(seam: Seam, phone: str) -> None:
    created = seam.user_identities.create(phone_number=phone)
    assert created.phone_number == phone
    assert created.display_name == f"Fake user with id {created.user_identity_id}"


@pytest.mark.parametrize(
    "name", ["Zoë Ångström", "山田 太郎", "Ólafur Þór", "Ἀριστοτέλης", "Jane 🚀 Doe", "J"]
)
def test_non_ascii_and_short_full_name_accepted(seam: Seam, fake_seam: FakeSeam, name: str) -> None:
    created = seam.user_identities.create(full_name=name)
    assert created.full_name == name
    assert created.display_name == name
    assert identities(fake_seam)[created.user_identity_id]["full_name"] == name


@pytest.mark.parametrize("key", ["ключ-1", "鍵", "clé_été", "🔑", "k"])
def test_non_ascii_and_short_key_accepted(seam: Seam, key: str) -> None:
    created = seam.user_identities.create(user_identity_key=key)
    assert created.user_identity_key == key
    assert created.display_name == key
    assert seam.user_identities.get(user_identity_key=key).user_identity_id == created.user_identity_id


# Validation ------------------------------------------------------------------

BAD_EMAILS = [
    "not-an-email",
    "jane@",
    "@example.com",
    "jane doe@example.com",
    "jane@@example.com",
    "jane@example",
    "jane@example..com",
    "jane@.example.com",
    " jane@example.com",
    "jane@example.com ",
    "",
]

BAD_PHONES = [
    "15555550100",  # no +
    "5555550100",
    "(555) 555-0100",
    "+1-555-555-0100",
    "+1 555 555 0100",
    "+",
    "+0123456789",  # country codes do not start with 0
    "+1555555010000000",  # longer than E.164 allows
    "abc",
    "+15555550100x12",
    "",
]

IMPOSSIBLE_PHONES = ["+1555", "+15555", "+4412", "+999123456"]

WRONG_TYPES = [
    pytest.param(123, id="int"),
    pytest.param(0, id="zero"),
    pytest.param(1.5, id="float"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param({}, id="empty-object"),
    pytest.param({"value": "x"}, id="object"),
    pytest.param([], id="empty-array"),
    pytest.param(["jane@example.com"], id="array"),
]


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_bad_email_rejected(seam: Seam, fake_seam: FakeSeam, existing: Any, email: str) -> None:
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(email_address=email))
    assert_names_field(error, "email_address")


@pytest.mark.parametrize("phone", BAD_PHONES)
def test_non_e164_phone_rejected(seam: Seam, fake_seam: FakeSeam, existing: Any, phone: str) -> None:
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(phone_number=phone))
    assert_names_field(error, "phone_number")


@pytest.mark.parametrize(
    "phone",
    ["+1 555 555 0100", "+1 (555) 555-0123", "+1-555-555-0142", "+44 20 7946 0958", "+81 3-1234-5678"],
)
def test_phone_written_another_way_suggests_its_e164_form(
    seam: Seam, fake_seam: FakeSeam, existing: Any, phone: str
) -> None:
    suggestion = "+" + "".join(c for c in phone if c.isdigit())
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(phone_number=phone))
    messages = assert_names_field(error, "phone_number")
    assert any(suggestion in message for message in messages), messages


@pytest.mark.parametrize("phone", IMPOSSIBLE_PHONES)
def test_impossible_phone_rejected(seam: Seam, fake_seam: FakeSeam, existing: Any, phone: str) -> None:
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(phone_number=phone))
    assert_names_field(error, "phone_number")


@pytest.mark.parametrize("field", ["user_identity_key", "full_name"])
def test_empty_key_or_full_name_rejected(seam: Seam, fake_seam: FakeSeam, existing: Any, field: str) -> None:
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(**{field: ""}))
    assert_names_field(error, field)


@pytest.mark.parametrize("value", WRONG_TYPES)
@pytest.mark.parametrize("field", STRING_FIELDS)
def test_wrong_json_type_for_string_field_rejected(
    seam: Seam, fake_seam: FakeSeam, existing: Any, field: str, value: object
) -> None:
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(**{field: value}))
    assert_names_field(error, field)
    for other in ("acs_system_ids", *STRING_FIELDS):
        if other != field:
            assert error.get_validation_error_messages(other) == []


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("8d9a2c3e-1f4b-4c5d-9e6f-7a8b9c0d1e2f", id="uuid-string"),
        pytest.param("", id="empty-string"),
        pytest.param(7, id="int"),
        pytest.param(True, id="bool"),
        pytest.param({"id": "8d9a2c3e-1f4b-4c5d-9e6f-7a8b9c0d1e2f"}, id="object"),
    ],
)
def test_acs_system_ids_not_an_array_rejected(
    seam: Seam, fake_seam: FakeSeam, existing: Any, value: object
) -> None:
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(acs_system_ids=value))  # type: ignore[arg-type]
    assert_names_field(error, "acs_system_ids")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(["not-a-uuid"], id="word"),
        pytest.param([""], id="empty-item"),
        pytest.param(["8d9a2c3e1f4b4c5d9e6f7a8b9c0d1e2f"], id="no-dashes"),
        pytest.param(["8d9a2c3e-1f4b-4c5d-9e6f-7a8b9c0d1e2"], id="too-short"),
        pytest.param(["zd9a2c3e-1f4b-4c5d-9e6f-7a8b9c0d1e2f"], id="non-hex"),
        pytest.param([1], id="number-item"),
        pytest.param([None], id="null-item"),
        pytest.param([["8d9a2c3e-1f4b-4c5d-9e6f-7a8b9c0d1e2f"]], id="nested-array"),
        pytest.param(["8d9a2c3e-1f4b-4c5d-9e6f-7a8b9c0d1e2f", "nope"], id="second-item-bad"),
    ],
)
def test_acs_system_ids_items_must_be_uuids(
    seam: Seam, fake_seam: FakeSeam, existing: Any, value: list[Any]
) -> None:
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(acs_system_ids=value))
    assert_names_field(error, "acs_system_ids")


def test_acs_system_ids_json_null_rejected(raw: Raw, fake_seam: FakeSeam, existing: Any) -> None:
    # Unlike the four profile fields, acs_system_ids is not nullable.
    with unchanged(fake_seam):
        response = raw.post(PATH, json={"full_name": "Ada", "acs_system_ids": None})
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"]["acs_system_ids"]["_errors"]


@pytest.mark.parametrize("field", STRING_FIELDS)
def test_raw_wrong_type_reports_the_field_in_validation_errors(
    raw: Raw, fake_seam: FakeSeam, existing: Any, field: str
) -> None:
    with unchanged(fake_seam):
        response = raw.post(PATH, json={field: 42})
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"][field]["_errors"]
    assert isinstance(error["validation_errors"]["_errors"], list)
    assert field in error["message"]


def test_every_invalid_field_is_reported(seam: Seam, fake_seam: FakeSeam, existing: Any) -> None:
    bad = {
        "user_identity_key": "",
        "email_address": "not-an-email",
        "phone_number": "+1 555 555 0100",
        "full_name": 12,
        "acs_system_ids": ["nope"],
    }
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(**bad))
    for field in bad:
        assert_names_field(error, field)
    assert {v.parameter_name for v in error.validation_errors} == set(bad)


@pytest.mark.parametrize(
    "bad",
    [
        {"email_address": "x", "phone_number": "y"},
        {"user_identity_key": "", "full_name": ""},
        {"phone_number": "+1555", "acs_system_ids": "x"},
        {"full_name": True, "email_address": 1, "user_identity_key": {}},
    ],
)
def test_several_invalid_fields_all_reported(
    seam: Seam, fake_seam: FakeSeam, existing: Any, bad: dict[str, Any]
) -> None:
    error = expect_invalid(fake_seam, lambda: seam.user_identities.create(**bad))
    for field in bad:
        assert_names_field(error, field)
    for field in {"acs_system_ids", *STRING_FIELDS} - set(bad):
        assert error.get_validation_error_messages(field) == []


def test_one_invalid_field_refuses_the_valid_ones_too(seam: Seam, fake_seam: FakeSeam) -> None:
    expect_invalid(
        fake_seam,
        lambda: seam.user_identities.create(
            user_identity_key="fresh", email_address="fresh@example.com", phone_number="+1555"
        ),
    )
    assert identities(fake_seam) == {}
    assert seam.user_identities.create(user_identity_key="fresh").user_identity_key == "fresh"


def test_validation_comes_before_uniqueness(seam: Seam, fake_seam: FakeSeam, existing: Any) -> None:
    error = expect_invalid(
        fake_seam,
        lambda: seam.user_identities.create(
            user_identity_key=existing.user_identity_key, email_address="bad"
        ),
    )
    assert_names_field(error, "email_address")


# Uniqueness ------------------------------------------------------------------


@pytest.fixture
def holders(seam: Seam) -> dict[str, Any]:
    """Three identities, each the only holder of one unique value."""
    return {
        "user_identity_key": seam.user_identities.create(user_identity_key="held_key", full_name="K"),
        "email_address": seam.user_identities.create(email_address="Held@Example.com", full_name="E"),
        "phone_number": seam.user_identities.create(phone_number="+15555550177", full_name="P"),
    }


FRESH = {
    "user_identity_key": "fresh_key",
    "email_address": "fresh@example.com",
    "phone_number": "+15555550188",
}


@pytest.mark.parametrize("field", UNIQUE_FIELDS)
def test_conflict_on_one_field(seam: Seam, fake_seam: FakeSeam, holders: dict[str, Any], field: str) -> None:
    held = getattr(holders[field], field)
    request = {**FRESH, field: held}
    error = expect_api_error(
        fake_seam, 400, f"{field}_already_in_use", lambda: seam.user_identities.create(**request)
    )
    assert field in str(error)


@pytest.mark.parametrize(
    "email", ["held@example.com", "HELD@EXAMPLE.COM", "Held@Example.com", "hElD@eXaMpLe.CoM"]
)
def test_email_conflict_is_case_insensitive(
    seam: Seam, fake_seam: FakeSeam, holders: dict[str, Any], email: str
) -> None:
    expect_api_error(
        fake_seam,
        400,
        "email_address_already_in_use",
        lambda: seam.user_identities.create(email_address=email),
    )


def test_key_conflict_is_exact(seam: Seam, fake_seam: FakeSeam, holders: dict[str, Any]) -> None:
    # Only the email is documented as case-insensitive; keys differing in case are different keys.
    created = seam.user_identities.create(user_identity_key="HELD_KEY")
    assert created.user_identity_key == "HELD_KEY"
    assert len(identities(fake_seam)) == 4


@pytest.mark.parametrize(
    "conflicting",
    [
        ("user_identity_key", "email_address"),
        ("user_identity_key", "phone_number"),
        ("email_address", "phone_number"),
        ("user_identity_key", "email_address", "phone_number"),
    ],
    ids="+".join,
)
def test_several_conflicts_report_the_first_in_key_email_phone_order(
    seam: Seam, fake_seam: FakeSeam, holders: dict[str, Any], conflicting: tuple[str, ...]
) -> None:
    request = {**FRESH, **{field: getattr(holders[field], field) for field in conflicting}}
    first = next(field for field in UNIQUE_FIELDS if field in conflicting)
    expect_api_error(
        fake_seam, 400, f"{first}_already_in_use", lambda: seam.user_identities.create(**request)
    )


def test_several_conflicts_with_one_holder(seam: Seam, fake_seam: FakeSeam, existing: Any) -> None:
    request = {field: getattr(existing, field) for field in ("email_address", "phone_number")}
    expect_api_error(
        fake_seam, 400, "email_address_already_in_use", lambda: seam.user_identities.create(**request)
    )


def test_same_values_in_another_workspace_are_accepted(
    seam: Seam, fake_seam: FakeSeam, existing: Any
) -> None:
    other = fake_seam.add_workspace(name="Other Workspace")
    values = {field: getattr(existing, field) for field in (*UNIQUE_FIELDS, "full_name")}
    created = Seam(api_key=other["api_key"]).user_identities.create(**values)
    for field, value in values.items():
        assert getattr(created, field) == value
    assert created.workspace_id == other["workspace_id"]
    assert list(identities(fake_seam, other["workspace_id"])) == [created.user_identity_id]
    # The first workspace still refuses them.
    expect_api_error(
        fake_seam,
        400,
        "user_identity_key_already_in_use",
        lambda: seam.user_identities.create(user_identity_key=existing.user_identity_key),
    )


@pytest.mark.parametrize("field", UNIQUE_FIELDS)
@pytest.mark.parametrize("how", ["absent", "null"])
def test_null_values_never_conflict(seam: Seam, fake_seam: FakeSeam, field: str, how: str) -> None:
    kwargs: dict[str, Any] = {field: NULL} if how == "null" else {}
    first = seam.user_identities.create(**kwargs)
    second = seam.user_identities.create(**kwargs)
    assert first.user_identity_id != second.user_identity_id
    assert getattr(first, field) is None and getattr(second, field) is None
    assert set(identities(fake_seam)) == {first.user_identity_id, second.user_identity_id}


def test_full_name_is_not_unique(seam: Seam, fake_seam: FakeSeam) -> None:
    first = seam.user_identities.create(full_name="Jane Doe")
    second = seam.user_identities.create(full_name="Jane Doe")
    assert first.user_identity_id != second.user_identity_id
    assert len(identities(fake_seam)) == 2


def test_refused_duplicate_does_not_reserve_its_other_values(
    seam: Seam, fake_seam: FakeSeam, existing: Any
) -> None:
    expect_api_error(
        fake_seam,
        400,
        "user_identity_key_already_in_use",
        lambda: seam.user_identities.create(
            user_identity_key=existing.user_identity_key,
            email_address="new@example.com",
            phone_number="+15555550166",
        ),
    )
    created = seam.user_identities.create(email_address="new@example.com", phone_number="+15555550166")
    assert created.email_address == "new@example.com"


# Async SDK --------------------------------------------------------------------


def test_async_create(async_seam: AsyncSeam, fake_seam: FakeSeam) -> None:
    async def run() -> Any:
        return await async_seam.user_identities.create(
            user_identity_key="async_key", email_address="async@example.test", full_name="Async Person"
        )

    created = asyncio.run(run())
    assert created.user_identity_key == "async_key"
    assert created.email_address == "async@example.test"
    assert created.display_name == "Async Person"
    assert created.workspace_id == fake_seam.workspace_id
    assert uuid.UUID(created.user_identity_id).version == 4
    assert list(identities(fake_seam)) == [created.user_identity_id]


def test_async_invalid_input(async_seam: AsyncSeam, fake_seam: FakeSeam) -> None:
    async def run() -> Any:
        return await async_seam.user_identities.create(phone_number="+1 (555) 555-0123", full_name="")

    error = expect_invalid(fake_seam, lambda: asyncio.run(run()))
    assert any("+15555550123" in m for m in assert_names_field(error, "phone_number"))
    assert_names_field(error, "full_name")


def test_async_conflict(async_seam: AsyncSeam, fake_seam: FakeSeam, existing: Any) -> None:
    async def run() -> Any:
        return await async_seam.user_identities.create(email_address=existing.email_address.upper())

    expect_api_error(fake_seam, 400, "email_address_already_in_use", lambda: asyncio.run(run()))


# Clock -----------------------------------------------------------------------

INSTANTS = [
    pytest.param(datetime(2024, 5, 2, 19, 31, 2, 574000, tzinfo=timezone.utc), id="utc"),
    pytest.param(datetime(2030, 1, 1, 0, 0, 0, 999999, tzinfo=timezone.utc), id="truncated-not-rounded"),
    pytest.param(datetime(2021, 2, 3, 4, 5, 6, 0, tzinfo=timezone.utc), id="zero-ms"),
    pytest.param(
        datetime(2025, 12, 31, 22, 30, 0, 123456, tzinfo=timezone(timedelta(hours=-5))), id="offset-to-utc"
    ),
    # time-machine also moves the local time zone to a ZoneInfo's: created_at must still be UTC.
    pytest.param(datetime(2024, 7, 1, 23, 59, 59, 1500, tzinfo=ZoneInfo("America/New_York")), id="zoneinfo"),
    pytest.param(datetime(2024, 3, 31, 2, 30, 0, 42000, tzinfo=ZoneInfo("Asia/Tokyo")), id="zoneinfo-ahead"),
]


@pytest.mark.parametrize("instant", INSTANTS)
def test_created_at_under_freezegun(seam: Seam, instant: datetime) -> None:
    with freezegun.freeze_time(instant):
        created = seam.user_identities.create(full_name="Frozen")
    assert created.created_at == seam_time(instant)


@pytest.mark.parametrize("instant", INSTANTS)
def test_created_at_under_time_machine(seam: Seam, instant: datetime) -> None:
    with time_machine.travel(instant, tick=False):
        created = seam.user_identities.create(full_name="Travelled")
    assert created.created_at == seam_time(instant)


def test_created_at_reads_the_clock_at_each_request(seam: Seam) -> None:
    start = datetime(2024, 1, 1, 12, 0, 0, 1000, tzinfo=timezone.utc)
    later = start + timedelta(days=3, milliseconds=250)
    with freezegun.freeze_time(start) as frozen:
        first = seam.user_identities.create(user_identity_key="first")
        frozen.move_to(later)
        second = seam.user_identities.create(user_identity_key="second")
    assert first.created_at == seam_time(start)
    assert second.created_at == seam_time(later)
    # What create reported is what get keeps reporting.
    assert seam.user_identities.get(user_identity_key="first").created_at == seam_time(start)


@pytest.mark.parametrize("phone", ["+15555550100\n", "+15555550100\r\n", "\n+15555550100"])
def test_a_phone_with_a_line_break_is_invalid_not_a_new_number(
    raw: Raw, fake_seam: FakeSeam, phone: str
) -> None:
    # `$` in a regex matches before a final newline; such a number once passed and dodged uniqueness.
    assert raw.post("/user_identities/create", json={"phone_number": "+15555550100"}).status_code == 200
    with unchanged(fake_seam):
        response = raw.post("/user_identities/create", json={"phone_number": phone})
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"]["phone_number"]["_errors"]
