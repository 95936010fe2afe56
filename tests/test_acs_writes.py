"""Writing ACS users, and reading workspaces.

Covers ``/acs/users/create``, ``/acs/users/update``, ``/acs/users/delete``,
``/acs/users/suspend`` and ``/acs/users/unsuspend`` (validation, naming a user by id
or by identity and system, linking to identities and the warnings that follow, the
per-system index used for linking, refused unsimulated parameters, HTTP methods);
``/workspaces/get`` and ``/workspaces/list`` with API keys and personal access tokens;
and that no ACS write reaches a user, system or identity of another workspace.

Through the real ``seam`` SDK, and plain requests where the SDK cannot go.
"""

from __future__ import annotations

import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest
import requests
import time_machine
from conftest import Raw, assert_error, unchanged
from seam import Seam, SeamHttpApiError, SeamHttpInvalidInputError, SeamHttpUnauthorizedError
from seam.seam_without_workspace import SeamWithoutWorkspace

from seam_fake import FakeSeam

EMAIL = "jane@example.com"
NEW_EMAIL = "jane.new@example.com"
PHONE = "+15555550100"
NEW_PHONE = "+15555550199"
WARNING = "acs_user_profile_does_not_match_user_identity"

CREATE = "/acs/users/create"
UPDATE = "/acs/users/update"
DELETE = "/acs/users/delete"
SUSPEND = "/acs/users/suspend"
UNSUSPEND = "/acs/users/unsuspend"

# One SSL context for every client: building it is most of what Seam() costs.
_SSL_CONTEXT = ssl.create_default_context()


@pytest.fixture
def seam(fake_seam: FakeSeam) -> Seam:
    """Overrides conftest's ``seam``: the same no-credentials Seam(), sharing one SSL context."""
    return Seam(httpx_options={"verify": _SSL_CONTEXT})


# Helpers -------------------------------------------------------------------------------


def new_system(fake: FakeSeam, name: str = "Main Building", **kwargs: Any) -> str:
    system_id: str = fake.add_acs_system(name, **kwargs)["acs_system_id"]
    return system_id


def new_user(
    fake: FakeSeam,
    acs_system_id: str,
    full_name: str = "Jane Doe",
    email_address: str | None = None,
    phone_number: str | None = None,
) -> str:
    user_id: str = fake.add_acs_user(acs_system_id, full_name, email_address, phone_number)["acs_user_id"]
    return user_id


def expect_api_error(
    fake: FakeSeam, status: int, code: str, action: Callable[[], object]
) -> SeamHttpApiError:
    """Run an SDK call that must fail, and check that it changed nothing."""
    with unchanged(fake), pytest.raises(SeamHttpApiError) as caught:
        action()
    assert caught.value.status_code == status
    assert caught.value.code == code, str(caught.value)
    return caught.value


def expect_invalid(fake: FakeSeam, param: str, action: Callable[[], object]) -> str:
    """An SDK call refused with ``invalid_input`` about ``param``; returns its messages."""
    with unchanged(fake), pytest.raises(SeamHttpInvalidInputError) as caught:
        action()
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_input"
    messages = caught.value.get_validation_error_messages(param)
    assert messages, str(caught.value)
    assert param in str(caught.value)
    return " ".join(messages)


def raw_invalid(fake: FakeSeam, raw: Raw, method: str, path: str, body: dict[str, Any], param: str) -> str:
    """A raw request refused with ``invalid_input`` about ``param``; returns its messages."""
    with unchanged(fake):
        response = raw.request(method, path, json=body)
    error = assert_error(response, 400, "invalid_input")
    assert param in error["message"]
    messages: list[str] = error["validation_errors"][param]["_errors"]
    assert messages
    return " ".join(messages)


def raw_ok(raw: Raw, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = raw.request(method, path, json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert result["ok"] is True
    return result


def user_count(seam: Seam, acs_system_id: str) -> int:
    count: int = seam.acs.systems.get(acs_system_id=acs_system_id).acs_user_count
    return count


def user_ids_of(seam: Seam, acs_system_id: str) -> list[str]:
    return [u.acs_user_id for u in seam.acs.users.list(acs_system_id=acs_system_id)]


def profile_warnings(seam: Seam, user_identity_id: str) -> list[Any]:
    warnings = seam.user_identities.get(user_identity_id=user_identity_id).warnings
    return [w for w in warnings if w.warning_code == WARNING]


def seam_time(moment: datetime) -> str:
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def method_not_allowed(fake: FakeSeam, raw: Raw, method: str, path: str, body: dict[str, Any]) -> None:
    with unchanged(fake):
        response = raw.request(method, path, json=body)
    error = assert_error(response, 405, "method_not_allowed")
    assert method not in response.headers["allow"].split(", ")
    assert error["allowed_methods"]


# 1. /acs/users/create ------------------------------------------------------------------


def test_create_returns_the_user_lists_it_and_counts_it(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    existing = new_user(fake_seam, system, "Already There")
    assert user_count(seam, system) == 1

    created = seam.acs.users.create(
        acs_system_id=system, full_name="Jane Doe", email_address=EMAIL, phone_number=PHONE
    )

    assert created.acs_system_id == system
    assert created.workspace_id == fake_seam.workspace_id
    assert (created.full_name, created.display_name) == ("Jane Doe", "Jane Doe")
    assert (created.email_address, created.email, created.phone_number) == (EMAIL, EMAIL, PHONE)
    assert created.user_identity_id is None
    assert created.is_suspended is False
    assert created.external_type == "salto_site_user"
    assert created.acs_user_id != existing
    fetched = seam.acs.users.get(acs_user_id=created.acs_user_id)
    assert fetched == created
    assert user_ids_of(seam, system) == [created.acs_user_id, existing]
    assert user_count(seam, system) == 2


def test_create_with_only_the_required_fields(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam, external_type="visionline_system")

    created = seam.acs.users.create(acs_system_id=system.upper(), full_name="Jo")

    assert created.acs_system_id == system
    assert created.full_name == "Jo"
    assert (created.email_address, created.email, created.phone_number) == (None, None, None)
    assert created.external_type is None
    assert user_ids_of(seam, system) == [created.acs_user_id]


def test_create_accepts_a_test_domain_email(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    created = seam.acs.users.create(acs_system_id=system, full_name="Jo", email_address="jo@example.test")
    assert created.email_address == "jo@example.test"


@pytest.mark.parametrize(
    "emails",
    [{"email": EMAIL}, {"email": EMAIL, "email_address": EMAIL}],
    ids=["alias_only", "alias_equal_to_email_address"],
)
def test_create_accepts_the_deprecated_email_alias(
    seam: Seam, fake_seam: FakeSeam, emails: dict[str, str]
) -> None:
    system = new_system(fake_seam)
    created = seam.acs.users.create(acs_system_id=system, full_name="Jane Doe", **emails)
    assert (created.email_address, created.email) == (EMAIL, EMAIL)
    assert seam.acs.users.get(acs_user_id=created.acs_user_id).email_address == EMAIL


def test_create_refuses_an_alias_that_differs_from_email_address(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    expect_invalid(
        fake_seam,
        "email",
        lambda: seam.acs.users.create(
            acs_system_id=system, full_name="Jane Doe", email=EMAIL, email_address=NEW_EMAIL
        ),
    )


@pytest.mark.parametrize("missing", ["acs_system_id", "full_name"])
def test_create_requires_system_and_full_name(fake_seam: FakeSeam, raw: Raw, missing: str) -> None:
    body = {"acs_system_id": new_system(fake_seam), "full_name": "Jane Doe"}
    del body[missing]
    messages = raw_invalid(fake_seam, raw, "POST", CREATE, body, missing)
    assert "Required" in messages


BAD_CREATE_VALUES: list[tuple[str, object, str]] = [
    ("email_address", "jane@", "Invalid email"),
    ("email_address", "jane at example.com", "Invalid email"),
    ("email", "not-an-email", "Invalid email"),
    ("email_address", 42, "Expected a string"),
    ("phone_number", "5555550100", "E.164"),
    ("phone_number", "+1 555-555-0100", "Did you mean +15555550100?"),
    ("phone_number", "+1555", "not a possible phone number"),
    ("phone_number", None, "received null"),
    ("full_name", 7, "Expected a string"),
    ("full_name", None, "received null"),
    ("acs_system_id", "not-a-uuid", "Expected a UUID"),
    ("user_identity_id", "123", "Expected a UUID"),
]


@pytest.mark.parametrize(("param", "value", "expected"), BAD_CREATE_VALUES)
def test_create_refuses_bad_values(
    fake_seam: FakeSeam, raw: Raw, param: str, value: object, expected: str
) -> None:
    body: dict[str, Any] = {"acs_system_id": new_system(fake_seam), "full_name": "Jane Doe", param: value}
    messages = raw_invalid(fake_seam, raw, "POST", CREATE, body, param)
    assert expected in messages


def test_sdk_create_with_a_non_e164_phone_suggests_its_e164_form(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    messages = expect_invalid(
        fake_seam,
        "phone_number",
        lambda: seam.acs.users.create(acs_system_id=system, full_name="Jo", phone_number="+1 (555) 555-0100"),
    )
    assert "+15555550100" in messages


def test_create_linked_to_an_identity(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    identity = seam.user_identities.create(full_name="Jane Doe", email_address=EMAIL, phone_number=PHONE)

    created = seam.acs.users.create(
        acs_system_id=system,
        full_name="Jane Doe",
        email_address=EMAIL.upper(),
        phone_number=PHONE,
        user_identity_id=identity.user_identity_id,
    )

    assert created.user_identity_id == identity.user_identity_id
    assert created.user_identity_full_name == "Jane Doe"
    assert created.user_identity_email_address == EMAIL
    assert created.user_identity_phone_number == PHONE
    fetched = seam.user_identities.get(user_identity_id=identity.user_identity_id)
    assert fetched.acs_user_ids == [created.acs_user_id]
    # Same profile (email compared case-insensitively): no mismatch warning.
    assert fetched.warnings == []
    listed = seam.user_identities.list_acs_users(user_identity_id=identity.user_identity_id)
    assert [u.acs_user_id for u in listed] == [created.acs_user_id]
    assert user_count(seam, system) == 1


def test_create_linked_to_an_identity_with_another_profile_warns(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam, "North Gate")
    identity = seam.user_identities.create(full_name="Jane Doe", email_address=EMAIL)

    created = seam.acs.users.create(
        acs_system_id=system,
        full_name="J. Doe",
        email_address=EMAIL,
        user_identity_id=identity.user_identity_id,
    )

    (warning,) = profile_warnings(seam, identity.user_identity_id)
    assert created.acs_user_id in warning.message
    assert "full_name" in warning.message
    assert "email_address" not in warning.message


def test_an_identity_may_have_users_on_several_systems(seam: Seam, fake_seam: FakeSeam) -> None:
    north, south = new_system(fake_seam, "North"), new_system(fake_seam, "South")
    identity = seam.user_identities.create(full_name="Jane Doe")
    first = seam.acs.users.create(
        acs_system_id=north, full_name="Jane Doe", user_identity_id=identity.user_identity_id
    )
    second = seam.acs.users.create(
        acs_system_id=south, full_name="Jane Doe", user_identity_id=identity.user_identity_id
    )
    fetched = seam.user_identities.get(user_identity_id=identity.user_identity_id)
    assert fetched.acs_user_ids == [first.acs_user_id, second.acs_user_id]


@pytest.mark.parametrize("first_link", ["create", "matched"])
def test_create_for_an_identity_with_a_user_on_that_system_is_refused(
    seam: Seam, fake_seam: FakeSeam, first_link: str
) -> None:
    system = new_system(fake_seam)
    if first_link == "create":
        identity = seam.user_identities.create(full_name="Jane Doe")
        seam.acs.users.create(
            acs_system_id=system, full_name="Jane", user_identity_id=identity.user_identity_id
        )
    else:
        new_user(fake_seam, system, "Jane", EMAIL)
        identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    (linked,) = seam.user_identities.get(user_identity_id=identity.user_identity_id).acs_user_ids

    error = expect_api_error(
        fake_seam,
        400,
        "user_identity_already_has_acs_user_on_acs_system",
        lambda: seam.acs.users.create(
            acs_system_id=system, full_name="Jane Again", user_identity_id=identity.user_identity_id
        ),
    )
    assert linked in str(error)


def test_create_on_an_unknown_system_is_not_found(seam: Seam, fake_seam: FakeSeam) -> None:
    new_system(fake_seam)
    expect_api_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: seam.acs.users.create(acs_system_id=str(uuid.uuid4()), full_name="Jane Doe"),
    )


def test_create_for_an_unknown_identity_is_not_found(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.acs.users.create(
            acs_system_id=system, full_name="Jane Doe", user_identity_id=str(uuid.uuid4())
        ),
    )


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("access_schedule", {"starts_at": "2025-01-01T00:00:00Z", "ends_at": "2025-02-01T00:00:00Z"}),
        ("acs_access_group_ids", ["6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"]),
    ],
)
def test_create_refuses_unsimulated_parameters(
    seam: Seam, fake_seam: FakeSeam, param: str, value: Any
) -> None:
    system = new_system(fake_seam)
    error = expect_api_error(
        fake_seam,
        400,
        "unsupported_by_seam_fake",
        lambda: seam.acs.users.create(acs_system_id=system, full_name="Jane Doe", **{param: value}),
    )
    assert param in str(error)


def test_create_does_not_link_to_an_identity_with_the_same_email(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    identity = seam.user_identities.create(email_address=EMAIL, phone_number=PHONE)

    created = seam.acs.users.create(
        acs_system_id=system, full_name="Jane Doe", email_address=EMAIL.upper(), phone_number=PHONE
    )

    assert created.user_identity_id is None
    assert seam.acs.users.get(acs_user_id=created.acs_user_id).user_identity_id is None
    assert seam.user_identities.get(user_identity_id=identity.user_identity_id).acs_user_ids == []


@pytest.mark.parametrize("by", ["email", "phone"])
def test_a_created_user_is_found_when_linking_later(seam: Seam, fake_seam: FakeSeam, by: str) -> None:
    system = new_system(fake_seam)
    created = seam.acs.users.create(
        acs_system_id=system, full_name="Jane Doe", email_address=EMAIL, phone_number=PHONE
    )
    match = {"email_address": EMAIL.upper()} if by == "email" else {"phone_number": PHONE}

    identity = seam.user_identities.create(**match, acs_system_ids=[system])

    assert identity.acs_user_ids == [created.acs_user_id]
    assert user_count(seam, system) == 1


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_create_is_post_only(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    system = new_system(fake_seam)
    method_not_allowed(fake_seam, raw, method, CREATE, {"acs_system_id": system, "full_name": "Jane Doe"})


# 2. /acs/users/update ------------------------------------------------------------------


@pytest.fixture
def system(fake_seam: FakeSeam) -> str:
    return new_system(fake_seam)


@pytest.fixture
def jane(fake_seam: FakeSeam, system: str) -> str:
    """An unlinked ACS user."""
    return new_user(fake_seam, system, "Jane Doe", EMAIL, PHONE)


@pytest.fixture
def linked(seam: Seam, fake_seam: FakeSeam, system: str, jane: str) -> str:
    """An identity with Jane's profile, linked to her; returns its id."""
    identity = seam.user_identities.create(
        full_name="Jane Doe", email_address=EMAIL, phone_number=PHONE, acs_system_ids=[system]
    )
    assert identity.acs_user_ids == [jane]
    assert identity.warnings == []
    identity_id: str = identity.user_identity_id
    return identity_id


def test_sdk_update_changes_the_profile(seam: Seam, system: str, jane: str) -> None:
    bystander = seam.acs.users.create(acs_system_id=system, full_name="Max", email_address=EMAIL)

    result = seam.acs.users.update(
        acs_user_id=jane, full_name="Jane Smith", email_address=NEW_EMAIL, phone_number=NEW_PHONE
    )

    assert result is None
    fetched = seam.acs.users.get(acs_user_id=jane)
    assert (fetched.full_name, fetched.display_name) == ("Jane Smith", "Jane Smith")
    assert (fetched.email_address, fetched.email, fetched.phone_number) == (NEW_EMAIL, NEW_EMAIL, NEW_PHONE)
    assert seam.acs.users.get(acs_user_id=bystander.acs_user_id) == bystander
    assert [u.full_name for u in seam.acs.users.list(acs_system_id=system)] == ["Max", "Jane Smith"]


def test_raw_post_update_changes_the_profile(seam: Seam, raw: Raw, jane: str) -> None:
    raw_ok(raw, "POST", UPDATE, {"acs_user_id": jane, "full_name": "Jane Smith"})
    assert seam.acs.users.get(acs_user_id=jane).full_name == "Jane Smith"


def test_update_leaves_fields_not_sent_alone(seam: Seam, jane: str) -> None:
    seam.acs.users.update(acs_user_id=jane, phone_number=NEW_PHONE)
    fetched = seam.acs.users.get(acs_user_id=jane)
    assert (fetched.full_name, fetched.email_address, fetched.phone_number) == ("Jane Doe", EMAIL, NEW_PHONE)


def test_update_by_identity_and_system(seam: Seam, fake_seam: FakeSeam, system: str, linked: str) -> None:
    other_system = new_system(fake_seam, "South")
    other_user = seam.acs.users.create(acs_system_id=other_system, full_name="Jane", user_identity_id=linked)

    seam.acs.users.update(user_identity_id=linked, acs_system_id=other_system, full_name="Jane on South")

    assert seam.acs.users.get(acs_user_id=other_user.acs_user_id).full_name == "Jane on South"
    (on_main,) = [u for u in seam.acs.users.list(acs_system_id=system)]
    assert on_main.full_name == "Jane Doe"


@pytest.mark.parametrize(
    "emails",
    [{"email": NEW_EMAIL}, {"email": NEW_EMAIL, "email_address": NEW_EMAIL}],
    ids=["alias_only", "alias_equal_to_email_address"],
)
def test_update_accepts_the_deprecated_email_alias(seam: Seam, jane: str, emails: dict[str, str]) -> None:
    seam.acs.users.update(acs_user_id=jane, **emails)
    fetched = seam.acs.users.get(acs_user_id=jane)
    assert (fetched.email_address, fetched.email) == (NEW_EMAIL, NEW_EMAIL)


def test_update_refuses_an_alias_that_differs_from_email_address(
    seam: Seam, fake_seam: FakeSeam, jane: str
) -> None:
    expect_invalid(
        fake_seam,
        "email",
        lambda: seam.acs.users.update(acs_user_id=jane, email=NEW_EMAIL, email_address="third@example.com"),
    )


BAD_UPDATE_VALUES: list[tuple[str, object, str]] = [
    ("full_name", "", "at least 1 character"),
    ("full_name", 7, "Expected a string"),
    ("full_name", None, "received null"),
    ("email_address", "jane@", "Invalid email"),
    ("email", "not-an-email", "Invalid email"),
    ("email_address", None, "received null"),
    ("phone_number", "555-0100", "E.164"),
    ("phone_number", "+44 20 7946 0958", "Did you mean +442079460958?"),
    ("phone_number", "+1555", "not a possible phone number"),
    ("phone_number", ["+15555550100"], "Expected a string"),
]


@pytest.mark.parametrize("method", ["PATCH", "POST"])
@pytest.mark.parametrize(("param", "value", "expected"), BAD_UPDATE_VALUES)
def test_update_refuses_bad_values(
    fake_seam: FakeSeam, raw: Raw, jane: str, method: str, param: str, value: object, expected: str
) -> None:
    body = {"acs_user_id": jane, param: value}
    messages = raw_invalid(fake_seam, raw, method, UPDATE, body, param)
    assert expected in messages


def test_update_with_good_and_bad_values_changes_nothing(fake_seam: FakeSeam, raw: Raw, jane: str) -> None:
    body = {"acs_user_id": jane, "full_name": "Jane Smith", "email_address": NEW_EMAIL, "phone_number": "12"}
    raw_invalid(fake_seam, raw, "PATCH", UPDATE, body, "phone_number")


def test_sdk_update_with_an_empty_full_name_is_invalid(seam: Seam, fake_seam: FakeSeam, jane: str) -> None:
    expect_invalid(fake_seam, "full_name", lambda: seam.acs.users.update(acs_user_id=jane, full_name=""))
    assert seam.acs.users.get(acs_user_id=jane).full_name == "Jane Doe"


WHICH_USER_ROUTES = [
    ("PATCH", UPDATE),
    ("POST", UPDATE),
    ("DELETE", DELETE),
    ("POST", DELETE),
    ("POST", SUSPEND),
    ("POST", UNSUSPEND),
]


@pytest.mark.parametrize(("method", "path"), WHICH_USER_ROUTES)
@pytest.mark.parametrize(
    "naming", ["both_ids", "both_ids_without_system", "neither", "identity_without_system"]
)
def test_a_user_must_be_named_one_way(
    fake_seam: FakeSeam, raw: Raw, system: str, jane: str, linked: str, method: str, path: str, naming: str
) -> None:
    body: dict[str, Any] = {
        "both_ids": {"acs_user_id": jane, "user_identity_id": linked, "acs_system_id": system},
        "both_ids_without_system": {"acs_user_id": jane, "user_identity_id": linked},
        "neither": {"acs_system_id": system},
        "identity_without_system": {"user_identity_id": linked},
    }[naming]
    if path == UPDATE:
        body["full_name"] = "Jane Smith"
    raw_invalid(fake_seam, raw, method, path, body, "acs_user_id")


def test_sdk_update_with_both_ids_is_invalid(
    seam: Seam, fake_seam: FakeSeam, system: str, jane: str, linked: str
) -> None:
    expect_invalid(
        fake_seam,
        "acs_user_id",
        lambda: seam.acs.users.update(
            acs_user_id=jane, user_identity_id=linked, acs_system_id=system, full_name="Jane Smith"
        ),
    )


def test_sdk_update_naming_no_user_is_invalid(seam: Seam, fake_seam: FakeSeam, jane: str) -> None:
    expect_invalid(fake_seam, "acs_user_id", lambda: seam.acs.users.update(full_name="Jane Smith"))


def test_update_with_the_user_and_its_own_system_works(seam: Seam, system: str, jane: str) -> None:
    seam.acs.users.update(acs_user_id=jane, acs_system_id=system, full_name="Jane Smith")
    assert seam.acs.users.get(acs_user_id=jane).full_name == "Jane Smith"


def test_update_with_the_user_and_another_system_is_not_found(
    seam: Seam, fake_seam: FakeSeam, jane: str
) -> None:
    elsewhere = new_system(fake_seam, "Elsewhere")
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.users.update(acs_user_id=jane, acs_system_id=elsewhere, full_name="Jane Smith"),
    )


def test_update_identity_without_a_user_on_that_system_is_not_found(
    seam: Seam, fake_seam: FakeSeam, linked: str
) -> None:
    elsewhere = new_system(fake_seam, "Elsewhere")
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.users.update(user_identity_id=linked, acs_system_id=elsewhere, full_name="X"),
    )


@pytest.mark.parametrize("unknown", ["acs_user", "user_identity", "acs_system"])
def test_update_of_an_unknown_user_is_not_found(
    seam: Seam, fake_seam: FakeSeam, system: str, linked: str, unknown: str
) -> None:
    missing = str(uuid.uuid4())
    names: dict[str, dict[str, str]] = {
        "acs_user": {"acs_user_id": missing},
        "user_identity": {"user_identity_id": missing, "acs_system_id": system},
        "acs_system": {"user_identity_id": linked, "acs_system_id": missing},
    }
    expect_api_error(
        fake_seam,
        404,
        f"{unknown}_not_found",
        lambda: seam.acs.users.update(**names[unknown], full_name="Jane Smith"),
    )


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("hid_acs_system_id", "0b0e9a4c-5d6e-4f70-8192-a3b4c5d6e7f8"),
        ("access_schedule", {"starts_at": "2025-01-01T00:00:00Z", "ends_at": "2025-02-01T00:00:00Z"}),
    ],
)
def test_update_refuses_unsimulated_parameters(
    seam: Seam, fake_seam: FakeSeam, jane: str, param: str, value: Any
) -> None:
    error = expect_api_error(
        fake_seam,
        400,
        "unsupported_by_seam_fake",
        lambda: seam.acs.users.update(acs_user_id=jane, full_name="Jane Smith", **{param: value}),
    )
    assert param in str(error)


@pytest.mark.parametrize(
    ("change", "field_name"),
    [
        ({"full_name": "Janet Doe"}, "full_name"),
        ({"email_address": NEW_EMAIL}, "email_address"),
        ({"email": NEW_EMAIL}, "email_address"),
        ({"phone_number": NEW_PHONE}, "phone_number"),
    ],
    ids=["full_name", "email_address", "email_alias", "phone_number"],
)
def test_update_rederives_the_mismatch_warning(
    seam: Seam, jane: str, linked: str, change: dict[str, str], field_name: str
) -> None:
    seam.acs.users.update(acs_user_id=jane, **change)

    (warning,) = profile_warnings(seam, linked)
    assert jane in warning.message
    assert field_name in warning.message
    assert [f for f in ("full_name", "email_address", "phone_number") if f in warning.message] == [field_name]
    fetched = seam.acs.users.get(acs_user_id=jane)
    assert fetched.user_identity_id == linked

    # Converging again (email compared case-insensitively) clears it.
    back = {"full_name": "Jane Doe", "email_address": EMAIL.upper(), "phone_number": PHONE}
    seam.acs.users.update(acs_user_id=jane, **back)
    assert seam.user_identities.get(user_identity_id=linked).warnings == []


def test_update_converging_a_diverged_user_clears_the_warning(
    seam: Seam, fake_seam: FakeSeam, system: str
) -> None:
    user = new_user(fake_seam, system, "J. Doe", EMAIL, NEW_PHONE)
    identity = seam.user_identities.create(
        full_name="Jane Doe", email_address=EMAIL, phone_number=PHONE, acs_system_ids=[system]
    )
    assert identity.acs_user_ids == [user]
    (warning,) = profile_warnings(seam, identity.user_identity_id)
    assert "full_name" in warning.message and "phone_number" in warning.message

    seam.acs.users.update(acs_user_id=user, full_name="Jane Doe")
    (warning,) = profile_warnings(seam, identity.user_identity_id)
    assert "full_name" not in warning.message and "phone_number" in warning.message

    seam.acs.users.update(
        user_identity_id=identity.user_identity_id, acs_system_id=system, phone_number=PHONE
    )
    assert profile_warnings(seam, identity.user_identity_id) == []


def test_the_warning_dates_from_the_update(seam: Seam, jane: str, linked: str) -> None:
    moment = datetime(2031, 3, 4, 5, 6, 7, 891000, tzinfo=timezone.utc)
    with time_machine.travel(moment, tick=False):
        seam.acs.users.update(acs_user_id=jane, full_name="Janet Doe")
    (warning,) = profile_warnings(seam, linked)
    assert warning.created_at == seam_time(moment)


def test_an_update_to_the_same_values_changes_nothing(fake_seam: FakeSeam, raw: Raw, jane: str) -> None:
    body = {"acs_user_id": jane, "full_name": "Jane Doe", "email_address": EMAIL, "phone_number": PHONE}
    with unchanged(fake_seam):
        raw_ok(raw, "PATCH", UPDATE, body)


def test_update_keeps_the_link_and_the_identity(seam: Seam, jane: str, linked: str) -> None:
    seam.acs.users.update(acs_user_id=jane, full_name="Janet Doe", email_address=NEW_EMAIL)
    identity = seam.user_identities.get(user_identity_id=linked)
    assert identity.acs_user_ids == [jane]
    assert (identity.full_name, identity.email_address) == ("Jane Doe", EMAIL)
    fetched = seam.acs.users.get(acs_user_id=jane)
    assert (fetched.user_identity_id, fetched.user_identity_full_name) == (linked, "Jane Doe")
    assert fetched.user_identity_email_address == EMAIL


def test_linking_follows_an_updated_email(seam: Seam, system: str, jane: str) -> None:
    seam.acs.users.update(acs_user_id=jane, email_address=NEW_EMAIL)

    # The old email no longer finds Jane: a new ACS user is made for this identity.
    old = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    assert len(old.acs_user_ids) == 1
    assert old.acs_user_ids != [jane]
    assert seam.acs.users.get(acs_user_id=jane).user_identity_id is None

    new = seam.user_identities.create(email_address=NEW_EMAIL.upper(), acs_system_ids=[system])
    assert new.acs_user_ids == [jane]
    assert seam.acs.users.get(acs_user_id=jane).user_identity_id == new.user_identity_id


def test_linking_follows_an_updated_phone(seam: Seam, system: str, jane: str) -> None:
    seam.acs.users.update(acs_user_id=jane, phone_number=NEW_PHONE)

    old = seam.user_identities.create(phone_number=PHONE, acs_system_ids=[system])
    assert len(old.acs_user_ids) == 1 and old.acs_user_ids != [jane]

    new = seam.user_identities.create(phone_number=NEW_PHONE, acs_system_ids=[system])
    assert new.acs_user_ids == [jane]


def test_linking_follows_an_email_set_by_the_alias(seam: Seam, system: str, jane: str) -> None:
    seam.acs.users.update(acs_user_id=jane, email=NEW_EMAIL)
    new = seam.user_identities.create(email_address=NEW_EMAIL, acs_system_ids=[system])
    assert new.acs_user_ids == [jane]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_update_is_patch_or_post(fake_seam: FakeSeam, raw: Raw, jane: str, method: str) -> None:
    method_not_allowed(fake_seam, raw, method, UPDATE, {"acs_user_id": jane, "full_name": "Jane Smith"})


# 3. /acs/users/delete ------------------------------------------------------------------


def test_sdk_delete_removes_the_user(seam: Seam, fake_seam: FakeSeam, system: str, jane: str) -> None:
    other = new_user(fake_seam, system, "Max Moe")
    assert user_count(seam, system) == 2

    assert seam.acs.users.delete(acs_user_id=jane) is None

    expect_api_error(fake_seam, 404, "acs_user_not_found", lambda: seam.acs.users.get(acs_user_id=jane))
    assert user_ids_of(seam, system) == [other]
    assert [u.acs_user_id for u in seam.acs.users.list()] == [other]
    assert user_count(seam, system) == 1


def test_raw_post_delete_removes_the_user(
    seam: Seam, fake_seam: FakeSeam, raw: Raw, system: str, jane: str
) -> None:
    raw_ok(raw, "POST", DELETE, {"acs_user_id": jane})
    assert user_ids_of(seam, system) == []
    expect_api_error(fake_seam, 404, "acs_user_not_found", lambda: seam.acs.users.get(acs_user_id=jane))


def test_delete_unlinks_the_user_from_its_identity(seam: Seam, fake_seam: FakeSeam, system: str) -> None:
    south = new_system(fake_seam, "South")
    diverged = new_user(fake_seam, system, "J. Doe", EMAIL)
    failing = new_user(fake_seam, south, "Jane Doe", EMAIL)
    identity = seam.user_identities.create(
        full_name="Jane Doe", email_address=EMAIL, acs_system_ids=[system, south]
    )
    assert identity.acs_user_ids == [diverged, failing]
    fake_seam.simulate_acs_user_error(failing)
    before = seam.user_identities.get(user_identity_id=identity.user_identity_id)
    (warning,) = [w for w in before.warnings if w.warning_code == WARNING]
    assert diverged in warning.message
    assert [e.acs_user_id for e in before.errors] == [failing]

    seam.acs.users.delete(acs_user_id=diverged)
    after = seam.user_identities.get(user_identity_id=identity.user_identity_id)
    assert after.acs_user_ids == [failing]
    assert after.warnings == []
    assert [e.acs_user_id for e in after.errors] == [failing]

    seam.acs.users.delete(acs_user_id=failing)
    after = seam.user_identities.get(user_identity_id=identity.user_identity_id)
    assert (after.acs_user_ids, after.errors, after.warnings) == ([], [], [])
    assert (after.full_name, after.email_address) == ("Jane Doe", EMAIL)
    assert seam.user_identities.list_acs_users(user_identity_id=identity.user_identity_id) == []


def test_delete_by_identity_and_system(
    seam: Seam, fake_seam: FakeSeam, system: str, jane: str, linked: str
) -> None:
    south = new_system(fake_seam, "South")
    on_south = seam.acs.users.create(acs_system_id=south, full_name="Jane Doe", user_identity_id=linked)

    seam.acs.users.delete(user_identity_id=linked, acs_system_id=south)

    assert user_ids_of(seam, south) == []
    assert user_ids_of(seam, system) == [jane]
    assert seam.user_identities.get(user_identity_id=linked).acs_user_ids == [jane]
    expect_api_error(
        fake_seam, 404, "acs_user_not_found", lambda: seam.acs.users.get(acs_user_id=on_south.acs_user_id)
    )


def test_after_delete_the_identity_may_get_a_new_user_on_that_system(
    seam: Seam, system: str, jane: str, linked: str
) -> None:
    seam.acs.users.delete(acs_user_id=jane)
    created = seam.acs.users.create(acs_system_id=system, full_name="Jane Doe", user_identity_id=linked)
    assert seam.user_identities.get(user_identity_id=linked).acs_user_ids == [created.acs_user_id]


def test_a_deleted_user_is_not_found_when_linking(seam: Seam, system: str, jane: str) -> None:
    seam.acs.users.delete(acs_user_id=jane)
    identity = seam.user_identities.create(email_address=EMAIL, phone_number=PHONE, acs_system_ids=[system])
    assert len(identity.acs_user_ids) == 1 and identity.acs_user_ids != [jane]
    assert user_ids_of(seam, system) == identity.acs_user_ids


def test_deleting_twice_is_not_found(seam: Seam, fake_seam: FakeSeam, jane: str) -> None:
    seam.acs.users.delete(acs_user_id=jane)
    expect_api_error(fake_seam, 404, "acs_user_not_found", lambda: seam.acs.users.delete(acs_user_id=jane))


@pytest.mark.parametrize("unknown", ["acs_user", "user_identity", "acs_system"])
def test_delete_of_an_unknown_user_is_not_found(
    seam: Seam, fake_seam: FakeSeam, system: str, linked: str, unknown: str
) -> None:
    missing = str(uuid.uuid4())
    names: dict[str, dict[str, str]] = {
        "acs_user": {"acs_user_id": missing},
        "user_identity": {"user_identity_id": missing, "acs_system_id": system},
        "acs_system": {"user_identity_id": linked, "acs_system_id": missing},
    }
    expect_api_error(fake_seam, 404, f"{unknown}_not_found", lambda: seam.acs.users.delete(**names[unknown]))


def test_delete_by_identity_without_a_user_on_that_system_is_not_found(
    seam: Seam, fake_seam: FakeSeam, linked: str
) -> None:
    elsewhere = new_system(fake_seam, "Elsewhere")
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.users.delete(user_identity_id=linked, acs_system_id=elsewhere),
    )


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH"])
def test_delete_is_delete_or_post(fake_seam: FakeSeam, raw: Raw, jane: str, method: str) -> None:
    method_not_allowed(fake_seam, raw, method, DELETE, {"acs_user_id": jane})


# 4. /acs/users/suspend and /acs/users/unsuspend -----------------------------------------


def test_suspend_and_unsuspend_toggle_is_suspended(
    seam: Seam, fake_seam: FakeSeam, system: str, jane: str
) -> None:
    other = new_user(fake_seam, system, "Max Moe")

    assert seam.acs.users.suspend(acs_user_id=jane) is None
    assert seam.acs.users.get(acs_user_id=jane).is_suspended is True
    assert seam.acs.users.get(acs_user_id=other).is_suspended is False
    assert [u.is_suspended for u in seam.acs.users.list(acs_system_id=system)] == [False, True]

    assert seam.acs.users.unsuspend(acs_user_id=jane) is None
    assert seam.acs.users.get(acs_user_id=jane).is_suspended is False


def test_suspend_and_unsuspend_are_idempotent(seam: Seam, fake_seam: FakeSeam, raw: Raw, jane: str) -> None:
    seam.acs.users.unsuspend(acs_user_id=jane)
    assert seam.acs.users.get(acs_user_id=jane).is_suspended is False

    seam.acs.users.suspend(acs_user_id=jane)
    with unchanged(fake_seam):
        raw_ok(raw, "POST", SUSPEND, {"acs_user_id": jane})
    assert seam.acs.users.get(acs_user_id=jane).is_suspended is True

    seam.acs.users.unsuspend(acs_user_id=jane)
    with unchanged(fake_seam):
        raw_ok(raw, "POST", UNSUSPEND, {"acs_user_id": jane})
    assert seam.acs.users.get(acs_user_id=jane).is_suspended is False


def test_suspend_by_identity_and_system(seam: Seam, system: str, jane: str, linked: str) -> None:
    seam.acs.users.suspend(user_identity_id=linked, acs_system_id=system)
    assert seam.acs.users.get(acs_user_id=jane).is_suspended is True
    seam.acs.users.unsuspend(user_identity_id=linked, acs_system_id=system)
    assert seam.acs.users.get(acs_user_id=jane).is_suspended is False


def test_suspension_survives_an_update_and_shows_when_linked(seam: Seam, system: str, jane: str) -> None:
    seam.acs.users.suspend(acs_user_id=jane)
    seam.acs.users.update(acs_user_id=jane, full_name="Janet Doe")
    identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    assert identity.acs_user_ids == [jane]
    assert seam.acs.users.get(acs_user_id=jane).is_suspended is True


@pytest.mark.parametrize("action", ["suspend", "unsuspend"])
@pytest.mark.parametrize("unknown", ["acs_user", "user_identity", "acs_system", "no_user_on_system"])
def test_suspending_an_unknown_user_is_not_found(
    seam: Seam, fake_seam: FakeSeam, system: str, linked: str, action: str, unknown: str
) -> None:
    missing = str(uuid.uuid4())
    names: dict[str, dict[str, str]] = {
        "acs_user": {"acs_user_id": missing},
        "user_identity": {"user_identity_id": missing, "acs_system_id": system},
        "acs_system": {"user_identity_id": linked, "acs_system_id": missing},
        "no_user_on_system": {"user_identity_id": linked, "acs_system_id": new_system(fake_seam, "Other")},
    }
    code = "acs_user_not_found" if unknown == "no_user_on_system" else f"{unknown}_not_found"
    route = getattr(seam.acs.users, action)
    expect_api_error(fake_seam, 404, code, lambda: route(**names[unknown]))


@pytest.mark.parametrize("path", [SUSPEND, UNSUSPEND])
@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_suspend_and_unsuspend_are_post_only(
    fake_seam: FakeSeam, raw: Raw, jane: str, path: str, method: str
) -> None:
    method_not_allowed(fake_seam, raw, method, path, {"acs_user_id": jane})


# 5. /workspaces/get and /workspaces/list -----------------------------------------------


@pytest.fixture
def other_workspace(fake_seam: FakeSeam) -> dict[str, Any]:
    return fake_seam.add_workspace("Production Workspace", company_name="Globex", is_sandbox=False)


def pat_headers(token: str, workspace_id: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if workspace_id is not None:
        headers["seam-workspace"] = workspace_id
    return headers


def call(fake: FakeSeam, method: str, path: str, headers: dict[str, str]) -> requests.Response:
    """A request with exactly these credentials (no session defaults)."""
    if method == "GET":
        return requests.get(fake.endpoint + path, headers=headers)
    return requests.post(fake.endpoint + path, headers=headers, json={})


def test_sdk_workspaces_get_returns_the_api_keys_workspace(
    seam: Seam, fake_seam: FakeSeam, other_workspace: dict[str, Any]
) -> None:
    workspace = seam.workspaces.get()
    assert workspace.workspace_id == fake_seam.workspace_id
    assert workspace.name == "Sandbox Workspace"
    assert workspace.is_sandbox is True
    assert workspace.company_name == "Acme"
    assert workspace.is_suspended is False


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_get_with_another_api_key(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], method: str
) -> None:
    response = call(
        fake_seam, method, "/workspaces/get", {"Authorization": f"Bearer {other_workspace['api_key']}"}
    )
    assert response.status_code == 200, response.text
    workspace = response.json()["workspace"]
    assert workspace["workspace_id"] == other_workspace["workspace_id"]
    assert (workspace["name"], workspace["company_name"]) == ("Production Workspace", "Globex")
    assert workspace["is_sandbox"] is False
    assert "api_key" not in workspace


def test_sdk_workspaces_list_with_an_api_key_lists_only_its_workspace(
    seam: Seam, fake_seam: FakeSeam, other_workspace: dict[str, Any]
) -> None:
    workspaces = seam.workspaces.list()
    assert [w.workspace_id for w in workspaces] == [fake_seam.workspace_id]
    assert workspaces[0] == seam.workspaces.get()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_list_with_a_pat_and_no_workspace_header_lists_every_workspace(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], method: str
) -> None:
    token = fake_seam.add_personal_access_token()
    later = fake_seam.add_workspace("Added Later")

    response = call(fake_seam, method, "/workspaces/list", pat_headers(token))

    assert response.status_code == 200, response.text
    listed = {w["workspace_id"]: w["name"] for w in response.json()["workspaces"]}
    assert listed == {
        fake_seam.workspace_id: "Sandbox Workspace",
        other_workspace["workspace_id"]: "Production Workspace",
        later["workspace_id"]: "Added Later",
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_list_with_a_restricted_pat_lists_only_its_workspaces(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], method: str
) -> None:
    third = fake_seam.add_workspace("Third")
    token = fake_seam.add_personal_access_token(
        workspace_ids=[other_workspace["workspace_id"], third["workspace_id"]]
    )

    response = call(fake_seam, method, "/workspaces/list", pat_headers(token))

    assert response.status_code == 200, response.text
    listed = sorted(w["workspace_id"] for w in response.json()["workspaces"])
    assert listed == sorted([other_workspace["workspace_id"], third["workspace_id"]])


def test_sdk_without_workspace_lists_the_pats_workspaces(
    fake_seam: FakeSeam, other_workspace: dict[str, Any]
) -> None:
    token = fake_seam.add_personal_access_token(workspace_ids=[other_workspace["workspace_id"]])
    everywhere = fake_seam.add_personal_access_token()

    restricted = SeamWithoutWorkspace(personal_access_token=token, httpx_options={"verify": _SSL_CONTEXT})
    (only,) = restricted.workspaces.list()
    assert only.workspace_id == other_workspace["workspace_id"]
    assert (only.name, only.is_sandbox) == ("Production Workspace", False)

    unrestricted = SeamWithoutWorkspace(
        personal_access_token=everywhere, httpx_options={"verify": _SSL_CONTEXT}
    )
    assert {w.workspace_id for w in unrestricted.workspaces.list()} == {
        fake_seam.workspace_id,
        other_workspace["workspace_id"],
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_get_with_a_pat_needs_the_workspace_header(fake_seam: FakeSeam, method: str) -> None:
    token = fake_seam.add_personal_access_token()
    with unchanged(fake_seam):
        response = call(fake_seam, method, "/workspaces/get", pat_headers(token))
    error = assert_error(response, 401, "unauthorized")
    assert "seam-workspace" in error["message"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_get_with_a_pat_and_the_header_returns_that_workspace(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], method: str
) -> None:
    token = fake_seam.add_personal_access_token()
    for workspace_id in (fake_seam.workspace_id, other_workspace["workspace_id"]):
        response = call(fake_seam, method, "/workspaces/get", pat_headers(token, workspace_id))
        assert response.status_code == 200, response.text
        assert response.json()["workspace"]["workspace_id"] == workspace_id


def test_sdk_workspaces_get_with_a_pat(fake_seam: FakeSeam, other_workspace: dict[str, Any]) -> None:
    token = fake_seam.add_personal_access_token()
    client = Seam(
        personal_access_token=token,
        workspace_id=other_workspace["workspace_id"],
        httpx_options={"verify": _SSL_CONTEXT},
    )
    assert client.workspaces.get().workspace_id == other_workspace["workspace_id"]


REFUSED_WORKSPACE_CALLS: dict[str, Callable[[FakeSeam, dict[str, Any]], tuple[str, dict[str, str]]]] = {
    "list with unknown pat": lambda f, o: ("/workspaces/list", pat_headers("seam_at1_unknown")),
    "get with unknown pat": lambda f, o: ("/workspaces/get", pat_headers("seam_at1_unknown", f.workspace_id)),
    "list with restricted pat naming an unreachable workspace": lambda f, o: (
        "/workspaces/list",
        pat_headers(f.add_personal_access_token([o["workspace_id"]]), f.workspace_id),
    ),
    "get with restricted pat naming an unreachable workspace": lambda f, o: (
        "/workspaces/get",
        pat_headers(f.add_personal_access_token([o["workspace_id"]]), f.workspace_id),
    ),
    "list with api key naming another workspace": lambda f, o: (
        "/workspaces/list",
        {"Authorization": f"Bearer {f.api_key}", "seam-workspace": o["workspace_id"]},
    ),
    "get with api key naming another workspace": lambda f, o: (
        "/workspaces/get",
        {"Authorization": f"Bearer {f.api_key}", "seam-workspace": o["workspace_id"]},
    ),
    "list without credentials": lambda f, o: ("/workspaces/list", {}),
}


@pytest.mark.parametrize("case", sorted(REFUSED_WORKSPACE_CALLS))
def test_refused_workspace_calls_are_unauthorized(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], case: str
) -> None:
    path, headers = REFUSED_WORKSPACE_CALLS[case](fake_seam, other_workspace)
    with unchanged(fake_seam):
        response = call(fake_seam, "GET", path, headers)
    assert_error(response, 401, "unauthorized")


def test_sdk_without_workspace_with_an_unknown_pat_is_unauthorized(fake_seam: FakeSeam) -> None:
    client = SeamWithoutWorkspace(
        personal_access_token="seam_at1_unknown", httpx_options={"verify": _SSL_CONTEXT}
    )
    with unchanged(fake_seam), pytest.raises(SeamHttpUnauthorizedError):
        client.workspaces.list()


# 6. Cross-workspace ----------------------------------------------------------------------


@dataclass
class Worlds:
    """A linked user in the default workspace and one in another workspace."""

    system: str
    user: str
    identity: str
    foreign_system: str
    foreign_user: str
    foreign_identity: str
    other_api_key: str


@pytest.fixture
def worlds(fake_seam: FakeSeam, raw: Raw) -> Worlds:
    system = new_system(fake_seam, "Harbour")
    user = new_user(fake_seam, system, "Jane Doe", EMAIL, PHONE)
    own = raw_ok(raw, "POST", "/user_identities/create", {"email_address": EMAIL, "acs_system_ids": [system]})
    other = fake_seam.add_workspace("Other Workspace")
    foreign_system = new_system(fake_seam, "Harbour", workspace_id=other["workspace_id"])
    foreign_user = new_user(fake_seam, foreign_system, "Jane Doe", EMAIL, PHONE)
    response = requests.post(
        fake_seam.endpoint + "/user_identities/create",
        headers={"Authorization": f"Bearer {other['api_key']}"},
        json={"email_address": EMAIL, "acs_system_ids": [foreign_system]},
    )
    assert response.status_code == 200, response.text
    foreign = response.json()["user_identity"]
    assert own["user_identity"]["acs_user_ids"] == [user]
    assert foreign["acs_user_ids"] == [foreign_user]
    return Worlds(
        system=system,
        user=user,
        identity=own["user_identity"]["user_identity_id"],
        foreign_system=foreign_system,
        foreign_user=foreign_user,
        foreign_identity=foreign["user_identity_id"],
        other_api_key=other["api_key"],
    )


# (route, parameters naming something of the other workspace, expected error type).
CrossCase = tuple[str, Callable[[Worlds], dict[str, str]], str]
NAMINGS: dict[str, tuple[Callable[[Worlds], dict[str, str]], str]] = {
    "foreign_user": (lambda w: {"acs_user_id": w.foreign_user}, "acs_user_not_found"),
    "own_user_on_foreign_system": (
        lambda w: {"acs_user_id": w.user, "acs_system_id": w.foreign_system},
        "acs_user_not_found",
    ),
    "foreign_identity_and_system": (
        lambda w: {"user_identity_id": w.foreign_identity, "acs_system_id": w.foreign_system},
        "user_identity_not_found",
    ),
    "foreign_identity_on_own_system": (
        lambda w: {"user_identity_id": w.foreign_identity, "acs_system_id": w.system},
        "user_identity_not_found",
    ),
    "own_identity_on_foreign_system": (
        lambda w: {"user_identity_id": w.identity, "acs_system_id": w.foreign_system},
        "acs_system_not_found",
    ),
}
CROSS_CASES: dict[str, CrossCase] = {
    f"{path.rsplit('/', 1)[1]}-{naming}": (path, make, code)
    for path in (UPDATE, DELETE, SUSPEND, UNSUSPEND)
    for naming, (make, code) in NAMINGS.items()
}
CROSS_CASES["create-on_foreign_system"] = (
    CREATE,
    lambda w: {"acs_system_id": w.foreign_system},
    "acs_system_not_found",
)
CROSS_CASES["create-for_foreign_identity"] = (
    CREATE,
    lambda w: {"acs_system_id": w.system, "user_identity_id": w.foreign_identity},
    "user_identity_not_found",
)
CROSS_CASES["create-for_foreign_identity_on_foreign_system"] = (
    CREATE,
    lambda w: {"acs_system_id": w.foreign_system, "user_identity_id": w.foreign_identity},
    "acs_system_not_found",
)
SDK_WRITES: dict[str, Callable[[Seam], Callable[..., Any]]] = {
    CREATE: lambda s: s.acs.users.create,
    UPDATE: lambda s: s.acs.users.update,
    DELETE: lambda s: s.acs.users.delete,
    SUSPEND: lambda s: s.acs.users.suspend,
    UNSUSPEND: lambda s: s.acs.users.unsuspend,
}
EXTRA: dict[str, dict[str, str]] = {CREATE: {"full_name": "Mallory"}, UPDATE: {"full_name": "Mallory"}}


@pytest.mark.parametrize("case", sorted(CROSS_CASES))
def test_sdk_writes_cannot_reach_another_workspace(
    seam: Seam, fake_seam: FakeSeam, worlds: Worlds, case: str
) -> None:
    path, make, code = CROSS_CASES[case]
    route = SDK_WRITES[path](seam)
    expect_api_error(fake_seam, 404, code, lambda: route(**make(worlds), **EXTRA.get(path, {})))


@pytest.mark.parametrize("case", sorted(CROSS_CASES))
def test_a_pat_acts_only_in_the_workspace_it_names(fake_seam: FakeSeam, worlds: Worlds, case: str) -> None:
    """A token that reaches both workspaces still cannot touch the one it did not name."""
    path, make, code = CROSS_CASES[case]
    headers = pat_headers(fake_seam.add_personal_access_token(), fake_seam.workspace_id)
    with unchanged(fake_seam):
        response = requests.post(
            fake_seam.endpoint + path, headers=headers, json={**make(worlds), **EXTRA.get(path, {})}
        )
    assert_error(response, 404, code)


def test_the_other_workspace_cannot_reach_the_default_one(fake_seam: FakeSeam, worlds: Worlds) -> None:
    other = Seam(api_key=worlds.other_api_key, httpx_options={"verify": _SSL_CONTEXT})
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("acs_system_not_found", lambda: other.acs.users.create(acs_system_id=worlds.system, full_name="X")),
        ("acs_user_not_found", lambda: other.acs.users.update(acs_user_id=worlds.user, full_name="X")),
        ("acs_user_not_found", lambda: other.acs.users.delete(acs_user_id=worlds.user)),
        ("acs_user_not_found", lambda: other.acs.users.suspend(acs_user_id=worlds.user)),
        ("acs_user_not_found", lambda: other.acs.users.unsuspend(acs_user_id=worlds.user)),
        (
            "user_identity_not_found",
            lambda: other.acs.users.suspend(
                user_identity_id=worlds.identity, acs_system_id=worlds.foreign_system
            ),
        ),
    ]
    for code, attempt in attempts:
        expect_api_error(fake_seam, 404, code, attempt)
    # The same calls with ids of its own workspace succeed.
    other.acs.users.suspend(acs_user_id=worlds.foreign_user)
    assert other.acs.users.get(acs_user_id=worlds.foreign_user).is_suspended is True


def test_writes_in_one_workspace_leave_the_other_alone(
    seam: Seam, fake_seam: FakeSeam, worlds: Worlds
) -> None:
    before = fake_seam.snapshot()["workspaces"]
    other_id = next(w for w in before if w != fake_seam.workspace_id)

    seam.acs.users.update(acs_user_id=worlds.user, full_name="Janet", email_address=NEW_EMAIL)
    seam.acs.users.suspend(acs_user_id=worlds.user)
    seam.acs.users.create(acs_system_id=worlds.system, full_name="Max", email_address=EMAIL)
    seam.acs.users.delete(acs_user_id=worlds.user)

    after = fake_seam.snapshot()["workspaces"]
    assert after[other_id] == before[other_id]
    assert after[fake_seam.workspace_id] != before[fake_seam.workspace_id]
