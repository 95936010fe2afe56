"""ACS users: reading them (/acs/users/get and /acs/users/list) and writing them.

Reads go through the real ``seam`` SDK and, to validate bodies against Seam's OpenAPI
schema, through raw GET (query string) and POST (JSON body) requests.

Writes cover ``/acs/users/create``, ``/acs/users/update``, ``/acs/users/delete``,
``/acs/users/suspend`` and ``/acs/users/unsuspend`` (validation, naming a user by id
or by identity and system, linking to identities and the warnings that follow, the
per-system index used for linking, refused unsimulated parameters, HTTP methods),
and that no ACS write reaches a user, system or identity of another workspace.
Through the real ``seam`` SDK, and plain requests where the SDK cannot go.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest
import requests
import time_machine
from helpers import (
    MISMATCH,
    AcsWorld,
    Raw,
    assert_error,
    expect_api_error,
    expect_invalid,
    expect_raw_invalid,
    mismatch_warnings,
    new_system,
    new_user,
    ok,
    pat_headers,
    read_ok,
    seam_time,
    unchanged,
)
from seam import Seam, SeamHttpInvalidInputError

from seam_fake import FakeSeam

EMAIL = "jane@example.com"
NEW_EMAIL = "jane.new@example.com"
PHONE = "+15555550100"
NEW_PHONE = "+15555550199"
METHODS = ("get", "post")

CREATE = "/acs/users/create"
UPDATE = "/acs/users/update"
DELETE = "/acs/users/delete"
SUSPEND = "/acs/users/suspend"
UNSUSPEND = "/acs/users/unsuspend"


# Many cases build a Seam client: share one SSL context (see conftest.py).


# Helpers -------------------------------------------------------------------------------


def raw_invalid(fake: FakeSeam, raw: Raw, method: str, path: str, body: dict[str, Any], param: str) -> str:
    """A raw request refused with ``invalid_input`` about ``param``; its messages, joined."""
    error = expect_raw_invalid(fake, lambda: raw.request(method, path, json=body), param)
    return " ".join(error["validation_errors"][param]["_errors"])


def raw_ok(raw: Raw, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    return ok(raw.request(method, path, json=body))


def user_count(seam: Seam, acs_system_id: str) -> int:
    count: int = seam.acs.systems.get(acs_system_id=acs_system_id).acs_user_count
    return count


def user_ids_of(seam: Seam, acs_system_id: str) -> list[str]:
    return [u.acs_user_id for u in seam.acs.users.list(acs_system_id=acs_system_id)]


def method_not_allowed(fake: FakeSeam, raw: Raw, method: str, path: str, body: dict[str, Any]) -> None:
    with unchanged(fake):
        response = raw.request(method, path, json=body)
    error = assert_error(response, 405, "method_not_allowed")
    assert method not in response.headers["allow"].split(", ")
    assert error["allowed_methods"]


# /acs/users/get ------------------------------------------------------------------------


def test_acs_user_type_names_are_realistic(fake_seam: FakeSeam, seam: Seam) -> None:
    # Seam's API reference shows a user of a Salto KS site as external_type
    # "salto_site_user", "Salto site user".
    system_id = fake_seam.add_acs_system("S")["acs_system_id"]
    user = seam.acs.users.get(acs_user_id=fake_seam.add_acs_user(system_id, "Jane Doe")["acs_user_id"])
    assert user.external_type == "salto_site_user"
    assert user.external_type_display_name == "Salto site user"


@pytest.mark.parametrize("method", METHODS)
def test_users_get_by_acs_user_id(acs_world: AcsWorld, seam: Seam, raw: Raw, method: str) -> None:
    zoe = acs_world.zoe
    body = read_ok(raw, method, "/acs/users/get", {"acs_user_id": zoe["acs_user_id"]})
    assert body["acs_user"] == zoe
    sdk = seam.acs.users.get(acs_user_id=zoe["acs_user_id"])
    assert (sdk.acs_user_id, sdk.full_name, sdk.email_address) == (
        zoe["acs_user_id"],
        "Zoe Zed",
        "zoe@example.com",
    )
    assert sdk.user_identity_id is None


@pytest.mark.parametrize("method", METHODS)
def test_users_get_by_acs_user_id_and_its_own_system(acs_world: AcsWorld, raw: Raw, method: str) -> None:
    params = {
        "acs_user_id": acs_world.amy["acs_user_id"],
        "acs_system_id": acs_world.visionline["acs_system_id"],
    }
    body = read_ok(raw, method, "/acs/users/get", params)
    assert body["acs_user"]["acs_user_id"] == acs_world.amy["acs_user_id"]


@pytest.mark.parametrize("method", METHODS)
def test_users_get_by_user_identity_and_system(
    acs_world: AcsWorld, seam: Seam, raw: Raw, method: str
) -> None:
    identity_id = acs_world.identity_id
    for system, expected in (
        (acs_world.salto, acs_world.max["acs_user_id"]),
        (acs_world.visionline, acs_world.created_id),
    ):
        params = {"user_identity_id": identity_id, "acs_system_id": system["acs_system_id"]}
        body = read_ok(raw, method, "/acs/users/get", params)
        user = body["acs_user"]
        assert user["acs_user_id"] == expected
        assert user["acs_system_id"] == system["acs_system_id"]
        assert user["user_identity_id"] == identity_id
        assert user["user_identity_email_address"] == EMAIL
        assert user["user_identity_full_name"] == "Jane Doe"
        sdk = seam.acs.users.get(user_identity_id=identity_id, acs_system_id=system["acs_system_id"])
        assert sdk.acs_user_id == expected


def not_found_cases(acs_world: AcsWorld, fake: FakeSeam) -> dict[str, tuple[dict[str, str], str]]:
    lonely_system = fake.add_acs_system("Lonely")["acs_system_id"]
    identity_id = acs_world.identity_id
    return {
        "unknown_acs_user": ({"acs_user_id": str(uuid.uuid4())}, "acs_user_not_found"),
        "foreign_acs_user": ({"acs_user_id": acs_world.foreign_user["acs_user_id"]}, "acs_user_not_found"),
        "acs_user_on_another_system": (
            {
                "acs_user_id": acs_world.zoe["acs_user_id"],
                "acs_system_id": acs_world.visionline["acs_system_id"],
            },
            "acs_user_not_found",
        ),
        "unknown_identity": (
            {"user_identity_id": str(uuid.uuid4()), "acs_system_id": acs_world.salto["acs_system_id"]},
            "user_identity_not_found",
        ),
        "foreign_identity": (
            {
                "user_identity_id": acs_world.foreign_identity_id,
                "acs_system_id": acs_world.foreign_system["acs_system_id"],
            },
            "user_identity_not_found",
        ),
        "identity_without_user_on_system": (
            {"user_identity_id": identity_id, "acs_system_id": lonely_system},
            "acs_user_not_found",
        ),
        "unknown_system_for_identity": (
            {"user_identity_id": identity_id, "acs_system_id": str(uuid.uuid4())},
            "acs_system_not_found",
        ),
        "foreign_system_for_identity": (
            {"user_identity_id": identity_id, "acs_system_id": acs_world.foreign_system["acs_system_id"]},
            "acs_system_not_found",
        ),
    }


NOT_FOUND_CASES = [
    "unknown_acs_user",
    "foreign_acs_user",
    "acs_user_on_another_system",
    "unknown_identity",
    "foreign_identity",
    "identity_without_user_on_system",
]


@pytest.mark.parametrize("case", NOT_FOUND_CASES)
def test_users_get_not_found(acs_world: AcsWorld, fake_seam: FakeSeam, seam: Seam, case: str) -> None:
    params, code = not_found_cases(acs_world, fake_seam)[case]
    expect_api_error(fake_seam, 404, code, lambda: seam.acs.users.get(**params))


@pytest.mark.parametrize("case", ["unknown_system_for_identity", "foreign_system_for_identity"])
def test_users_get_by_identity_on_a_system_not_in_the_workspace_is_acs_system_not_found(
    acs_world: AcsWorld, fake_seam: FakeSeam, seam: Seam, case: str
) -> None:
    params, code = not_found_cases(acs_world, fake_seam)[case]
    error = expect_api_error(fake_seam, 404, code, lambda: seam.acs.users.get(**params))
    assert params["acs_system_id"] in str(error)


def invalid_cases(acs_world: AcsWorld) -> dict[str, tuple[dict[str, str], list[str]]]:
    """Parameters and the parameters the validation errors must name (at least one of)."""
    user_id = acs_world.max["acs_user_id"]
    identity_id = acs_world.identity_id
    system_id = acs_world.salto["acs_system_id"]
    return {
        "both": (
            {"acs_user_id": user_id, "user_identity_id": identity_id},
            ["acs_user_id", "user_identity_id"],
        ),
        "both_with_system": (
            {"acs_user_id": user_id, "user_identity_id": identity_id, "acs_system_id": system_id},
            ["acs_user_id", "user_identity_id"],
        ),
        "only_system": ({"acs_system_id": system_id}, ["acs_user_id", "user_identity_id"]),
        "identity_without_system": (
            {"user_identity_id": identity_id},
            ["acs_system_id", "acs_user_id", "user_identity_id"],
        ),
        "acs_user_id_not_uuid": ({"acs_user_id": "max"}, ["acs_user_id"]),
        "user_identity_id_not_uuid": (
            {"user_identity_id": "jane", "acs_system_id": system_id},
            ["user_identity_id"],
        ),
        "acs_system_id_not_uuid": ({"acs_user_id": user_id, "acs_system_id": "salto"}, ["acs_system_id"]),
    }


INVALID_CASES = [
    "both",
    "both_with_system",
    "only_system",
    "identity_without_system",
    "acs_user_id_not_uuid",
    "user_identity_id_not_uuid",
    "acs_system_id_not_uuid",
]


@pytest.mark.parametrize("case", INVALID_CASES)
def test_users_get_invalid_input_through_the_sdk(
    acs_world: AcsWorld, fake_seam: FakeSeam, seam: Seam, case: str
) -> None:
    params, named = invalid_cases(acs_world)[case]
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as caught:
        seam.acs.users.get(**params)
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_input"
    assert any(caught.value.get_validation_error_messages(name) for name in named)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", [*INVALID_CASES, "neither"])
def test_users_get_invalid_input_raw(
    acs_world: AcsWorld, fake_seam: FakeSeam, raw: Raw, method: str, case: str
) -> None:
    # "neither" cannot go through the SDK: it refuses client-side.
    params, named = (
        ({}, ["acs_user_id", "user_identity_id"]) if case == "neither" else invalid_cases(acs_world)[case]
    )
    with unchanged(fake_seam):
        response = raw.read(method, "/acs/users/get", params)
    error = assert_error(response, 400, "invalid_input")
    assert any(error["validation_errors"].get(name, {}).get("_errors") for name in named), error


# /acs/users/list -----------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_users_list_all_newest_first(acs_world: AcsWorld, raw: Raw, method: str) -> None:
    body = read_ok(raw, method, "/acs/users/list", {})
    assert [u["acs_user_id"] for u in body["acs_users"]] == acs_world.all_user_ids
    assert body["pagination"]["has_next_page"] is False
    assert body["pagination"]["next_page_cursor"] is None
    assert acs_world.foreign_user["acs_user_id"] not in {u["acs_user_id"] for u in body["acs_users"]}


def test_users_list_through_the_sdk_has_pagination(acs_world: AcsWorld, seam: Seam) -> None:
    users = seam.acs.users.list()
    assert [u.acs_user_id for u in users] == acs_world.all_user_ids
    pagination = users.pagination  # type: ignore[attr-defined]
    assert pagination["has_next_page"] is False


@pytest.mark.parametrize("method", METHODS)
def test_users_list_filters_by_system(acs_world: AcsWorld, seam: Seam, raw: Raw, method: str) -> None:
    salto = read_ok(raw, method, "/acs/users/list", {"acs_system_id": acs_world.salto["acs_system_id"]})
    assert [u["acs_user_id"] for u in salto["acs_users"]] == [
        acs_world.max["acs_user_id"],
        acs_world.zoe["acs_user_id"],
    ]
    visionline = seam.acs.users.list(acs_system_id=acs_world.visionline["acs_system_id"])
    assert [u.acs_user_id for u in visionline] == [acs_world.created_id, acs_world.amy["acs_user_id"]]


@pytest.mark.parametrize("method", METHODS)
def test_users_list_filters_by_user_identity(acs_world: AcsWorld, seam: Seam, raw: Raw, method: str) -> None:
    identity_id = acs_world.identity_id
    body = read_ok(raw, method, "/acs/users/list", {"user_identity_id": identity_id})
    # Newest first: the Visionline user was created for the identity after Max existed.
    assert [u["acs_user_id"] for u in body["acs_users"]] == [
        acs_world.created_id,
        acs_world.max["acs_user_id"],
    ]
    assert all(u["user_identity_id"] == identity_id for u in body["acs_users"])
    unlinked = seam.user_identities.create(user_identity_key="nobody")
    assert seam.acs.users.list(user_identity_id=unlinked.user_identity_id) == []


@pytest.mark.parametrize("method", METHODS)
def test_users_list_filters_combine(acs_world: AcsWorld, raw: Raw, method: str) -> None:
    params = {
        "user_identity_id": acs_world.identity_id,
        "acs_system_id": acs_world.visionline["acs_system_id"],
    }
    body = read_ok(raw, method, "/acs/users/list", params)
    assert [u["acs_user_id"] for u in body["acs_users"]] == [acs_world.created_id]


@pytest.mark.parametrize(
    "filters",
    ["foreign_system", "foreign_identity"],
)
def test_users_list_never_shows_another_workspace(acs_world: AcsWorld, seam: Seam, filters: str) -> None:
    if filters == "foreign_system":
        params = {"acs_system_id": acs_world.foreign_system["acs_system_id"]}
    else:
        params = {"user_identity_id": acs_world.foreign_identity_id}
    assert seam.acs.users.list(**params) == []
    # The other workspace sees its own user under the same filter.
    assert [u.acs_user_id for u in acs_world.other_seam.acs.users.list(**params)] == [
        acs_world.foreign_user["acs_user_id"]
    ]
    assert [u.acs_user_id for u in acs_world.other_seam.acs.users.list()] == [
        acs_world.foreign_user["acs_user_id"]
    ]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("param", ["acs_system_id", "user_identity_id"])
@pytest.mark.usefixtures("acs_world")
def test_users_list_invalid_input(fake_seam: FakeSeam, raw: Raw, method: str, param: str) -> None:
    with unchanged(fake_seam):
        response = raw.read(method, "/acs/users/list", {param: "not-a-uuid"})
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"][param]["_errors"]


# Workspace isolation, from the other side ------------------------------------------------


def test_other_workspace_cannot_read_this_workspace(acs_world: AcsWorld, fake_seam: FakeSeam) -> None:
    other = acs_world.other_seam
    expect_api_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: other.acs.systems.get(acs_system_id=acs_world.salto["acs_system_id"]),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: other.acs.users.get(acs_user_id=acs_world.max["acs_user_id"]),
    )
    assert [s.acs_system_id for s in other.acs.systems.list()] == [acs_world.foreign_system["acs_system_id"]]
    listed = other.acs.users.list(acs_system_id=acs_world.salto["acs_system_id"])
    assert listed == []
    # And its own reads work.
    own = other.acs.users.get(acs_user_id=acs_world.foreign_user["acs_user_id"])
    assert own.user_identity_id == acs_world.foreign_identity_id


def test_users_list_orders_by_created_at_when_the_clock_goes_backwards(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    import time_machine

    system_id = fake_seam.add_acs_system("HQ")["acs_system_id"]
    for name, year in [("First", 2030), ("Second", 2020), ("Third", 2025)]:
        with time_machine.travel(datetime(year, 1, 1, tzinfo=timezone.utc), tick=False):
            fake_seam.add_acs_user(system_id, name)
    listed = seam.acs.users.list(acs_system_id=system_id)
    assert [user.full_name for user in listed] == ["First", "Third", "Second"]


def test_users_list_filters_by_the_linked_identity_email_phone_and_search(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    hq = fake_seam.add_acs_system("HQ")["acs_system_id"]
    annex = fake_seam.add_acs_system("Annex")["acs_system_id"]
    jane = seam.user_identities.create(
        email_address="jane@example.com",
        phone_number="+15555550101",
        full_name="Jane Doe",
        acs_system_ids=[hq, annex],
    )
    john = seam.user_identities.create(
        email_address="john@example.com",
        phone_number="+15555550102",
        full_name="John Roe",
        acs_system_ids=[hq],
    )
    loner = fake_seam.add_acs_user(hq, "Zed Loner", email_address="zed@example.com")

    def ids(**filters: Any) -> list[str]:
        return [user.acs_user_id for user in seam.acs.users.list(**filters)]

    # Newest first: Jane's Annex user was created after her HQ user.
    assert ids(user_identity_email_address="JANE@example.com") == jane.acs_user_ids[::-1]
    assert ids(user_identity_phone_number="+15555550102") == john.acs_user_ids
    assert ids(user_identity_email_address="jane@example.com", acs_system_id=annex) == jane.acs_user_ids[1:]
    # Filters naming two different identities, or nobody, match nothing.
    assert (
        ids(user_identity_email_address="jane@example.com", user_identity_phone_number="+15555550102") == []
    )
    assert ids(user_identity_email_address="nobody@example.com") == []
    assert (
        ids(user_identity_id=jane.user_identity_id, user_identity_email_address="jane@example.com")
        == (jane.acs_user_ids[::-1])
    )
    # Search: the ACS user's own fields, and its identity's name, phone and id.
    assert ids(search="LONER") == [loner["acs_user_id"]]
    assert ids(search="zed@") == [loner["acs_user_id"]]
    # Seven digits: a shorter run of digits could turn up in one of the random ids too.
    assert ids(search="5550102") == john.acs_user_ids
    assert ids(search=jane.user_identity_id[:13]) == jane.acs_user_ids[::-1]
    assert ids(search="doe", acs_system_id=hq) == jane.acs_user_ids[:1]
    assert ids(search="nothing matches this") == []


def test_users_list_rejects_an_empty_search(raw: Raw, fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam):
        error = assert_error(raw.get("/acs/users/list", params={"search": ""}), 400, "invalid_input")
    assert error["validation_errors"]["search"]["_errors"]


# /acs/users/create ------------------------------------------------------------------


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
        lambda: seam.acs.users.create(
            acs_system_id=system, full_name="Jane Doe", email=EMAIL, email_address=NEW_EMAIL
        ),
        "email",
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
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.users.create(acs_system_id=system, full_name="Jo", phone_number="+1 (555) 555-0100"),
        "phone_number",
    )
    messages = " ".join(error.get_validation_error_messages("phone_number"))
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

    (warning,) = mismatch_warnings(seam, identity.user_identity_id)
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
    ("param", "value", "status", "error_type", "named"),
    [
        (
            "access_schedule",
            {"starts_at": "2025-01-01T00:00:00Z", "ends_at": "2025-02-01T00:00:00Z"},
            400,
            "invalid_input",
            "ends_at must be in the future",
        ),
        (
            "acs_access_group_ids",
            ["6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"],
            404,
            "acs_access_group_not_found",
            "6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
        ),
    ],
)
def test_create_checks_its_access_parameters(
    seam: Seam, fake_seam: FakeSeam, param: str, value: Any, status: int, error_type: str, named: str
) -> None:
    # A schedule that ended before now, a group that does not exist: refused, nothing made.
    system = new_system(fake_seam)
    error = expect_api_error(
        fake_seam,
        status,
        error_type,
        lambda: seam.acs.users.create(acs_system_id=system, full_name="Jane Doe", **{param: value}),
    )
    assert named in str(error)


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


# /acs/users/update ------------------------------------------------------------------


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
        lambda: seam.acs.users.update(acs_user_id=jane, email=NEW_EMAIL, email_address="third@example.com"),
        "email",
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
    expect_invalid(fake_seam, lambda: seam.acs.users.update(acs_user_id=jane, full_name=""), "full_name")
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
        lambda: seam.acs.users.update(
            acs_user_id=jane, user_identity_id=linked, acs_system_id=system, full_name="Jane Smith"
        ),
        "acs_user_id",
    )


def test_sdk_update_naming_no_user_is_invalid(seam: Seam, fake_seam: FakeSeam, jane: str) -> None:
    expect_invalid(fake_seam, lambda: seam.acs.users.update(full_name="Jane Smith"), "acs_user_id")


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

    (warning,) = mismatch_warnings(seam, linked)
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
    (warning,) = mismatch_warnings(seam, identity.user_identity_id)
    assert "full_name" in warning.message and "phone_number" in warning.message

    seam.acs.users.update(acs_user_id=user, full_name="Jane Doe")
    (warning,) = mismatch_warnings(seam, identity.user_identity_id)
    assert "full_name" not in warning.message and "phone_number" in warning.message

    seam.acs.users.update(
        user_identity_id=identity.user_identity_id, acs_system_id=system, phone_number=PHONE
    )
    assert mismatch_warnings(seam, identity.user_identity_id) == []


def test_the_warning_dates_from_the_update(seam: Seam, jane: str, linked: str) -> None:
    moment = datetime(2031, 3, 4, 5, 6, 7, 891000, tzinfo=timezone.utc)
    with time_machine.travel(moment, tick=False):
        seam.acs.users.update(acs_user_id=jane, full_name="Janet Doe")
    (warning,) = mismatch_warnings(seam, linked)
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


# /acs/users/delete ------------------------------------------------------------------


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
    (warning,) = [w for w in before.warnings if w.warning_code == MISMATCH]
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


# /acs/users/suspend and /acs/users/unsuspend -----------------------------------------


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


# Cross-workspace ----------------------------------------------------------------------


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
    other = Seam(api_key=worlds.other_api_key)
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
