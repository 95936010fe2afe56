"""Reading ACS systems and ACS users: /acs/systems/get|list and /acs/users/get|list.

Through the real ``seam`` SDK and, to validate bodies against Seam's OpenAPI
schema, through raw GET (query string) and POST (JSON body) requests.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

import pytest
from conftest import Raw, assert_error, create_identity, unchanged
from openapi_schema import assert_valid_response
from seam import Seam, SeamHttpApiError, SeamHttpInvalidInputError

from seam_fake import FakeSeam

EMAIL = "jane@example.com"
PHONE = "+15555550100"
METHODS = ("get", "post")


def call(raw: Raw, method: str, path: str, params: dict[str, Any]) -> Any:
    """One raw request, parameters in the query string (GET) or the JSON body (POST)."""
    response = raw.read(method, path, params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    assert_valid_response(path, body, method)
    return body


def expect_error(fake: FakeSeam, status: int, code: str, action: Any) -> SeamHttpApiError:
    with unchanged(fake), pytest.raises(SeamHttpApiError) as caught:
        action()
    assert caught.value.status_code == status
    assert caught.value.code == code
    return caught.value


class World:
    """Two systems of the default workspace with users, one linked, and a second workspace.

    Set up over raw HTTP: building a ``Seam`` client costs more than the whole
    set-up, so the other workspace's client is only made for tests that use it.
    """

    def __init__(self, fake: FakeSeam, raw: Raw) -> None:
        self.account = str(uuid.uuid4())
        self.salto = fake.add_acs_system("Harbour Salto Site", connected_account_id=self.account)
        self.visionline = fake.add_acs_system(
            "Grand Hotel Visionline", external_type="visionline_system", time_zone="Europe/Paris"
        )
        salto_id = self.salto["acs_system_id"]
        visionline_id = self.visionline["acs_system_id"]
        # Interleaved across systems, names not in alphabetical order: lists go newest first.
        self.zoe = fake.add_acs_user(salto_id, "Zoe Zed", "zoe@example.com")
        self.amy = fake.add_acs_user(visionline_id, "Amy Ash", phone_number="+15555550111")
        self.max = fake.add_acs_user(salto_id, "Max Moe", EMAIL, PHONE)
        self.identity = create_identity(
            raw, full_name="Jane Doe", email_address=EMAIL, acs_system_ids=[salto_id, visionline_id]
        )
        self.identity_id: str = self.identity["user_identity_id"]
        # Max matched on the Salto site; a new user was made on the Visionline system.
        (self.created_id,) = [i for i in self.identity["acs_user_ids"] if i != self.max["acs_user_id"]]

        other = fake.add_workspace(name="Other Workspace")
        self.other_api_key: str = other["api_key"]
        self.foreign_system = fake.add_acs_system(
            "Harbour Salto Site", workspace_id=other["workspace_id"], connected_account_id=self.account
        )
        self.foreign_user = fake.add_acs_user(self.foreign_system["acs_system_id"], "Jane Doe", EMAIL, PHONE)
        self.foreign_identity_id: str = create_identity(
            raw,
            api_key=self.other_api_key,
            email_address=EMAIL,
            acs_system_ids=[self.foreign_system["acs_system_id"]],
        )["user_identity_id"]

    @cached_property
    def other_seam(self) -> Seam:
        return Seam(api_key=self.other_api_key)

    @property
    def all_user_ids(self) -> list[str]:
        """Newest first, as lists return them."""
        return [self.created_id, self.max["acs_user_id"], self.amy["acs_user_id"], self.zoe["acs_user_id"]]


@pytest.fixture
def world(fake_seam: FakeSeam, raw: Raw) -> World:
    return World(fake_seam, raw)


# /acs/systems/get ----------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_systems_get_returns_the_system(world: World, seam: Seam, raw: Raw, method: str) -> None:
    system_id = world.visionline["acs_system_id"]
    body = call(raw, method, "/acs/systems/get", {"acs_system_id": system_id})

    system = body["acs_system"]
    assert system["acs_system_id"] == system_id
    assert system["name"] == "Grand Hotel Visionline"
    assert system["location"] == {"time_zone": "Europe/Paris"}
    assert system["acs_user_count"] == 2
    sdk = seam.acs.systems.get(acs_system_id=system_id)
    assert (sdk.acs_system_id, sdk.name, sdk.workspace_id) == (
        system_id,
        system["name"],
        system["workspace_id"],
    )


def test_systems_get_agrees_with_what_seeding_returned(world: World, raw: Raw) -> None:
    before_users = world.salto
    body = call(raw, "get", "/acs/systems/get", {"acs_system_id": before_users["acs_system_id"]})
    # Seeding happened before any user existed; only the count has moved since.
    assert {**body["acs_system"], "acs_user_count": 0} == before_users
    assert body["acs_system"]["acs_user_count"] == 2


def test_system_type_names_are_realistic(fake_seam: FakeSeam, seam: Seam) -> None:
    # Seam's API reference (docs.seam.co, acs_system resource) shows a Salto KS site as
    # "Salto KS site", alt text "Salto KS site Logo"; Seam's own fake calls a
    # visionline_system "Visionline".
    salto = seam.acs.systems.get(acs_system_id=fake_seam.add_acs_system("S")["acs_system_id"])
    assert salto.external_type == "salto_ks_site"
    assert salto.external_type_display_name == "Salto KS site"
    assert salto.image_alt_text == "Salto KS site Logo"
    assert "/assets/images/acs_systems/salto_ks_site.png" in salto.image_url
    assert salto.is_credential_manager is False

    visionline_id = fake_seam.add_acs_system("V", external_type="visionline_system")["acs_system_id"]
    visionline = seam.acs.systems.get(acs_system_id=visionline_id)
    assert visionline.external_type == "visionline_system"
    assert visionline.external_type_display_name == "Visionline"
    assert visionline.is_credential_manager is False


def test_acs_user_type_names_are_realistic(fake_seam: FakeSeam, seam: Seam) -> None:
    # Seam's API reference shows a user of a Salto KS site as external_type
    # "salto_site_user", "Salto site user".
    system_id = fake_seam.add_acs_system("S")["acs_system_id"]
    user = seam.acs.users.get(acs_user_id=fake_seam.add_acs_user(system_id, "Jane Doe")["acs_user_id"])
    assert user.external_type == "salto_site_user"
    assert user.external_type_display_name == "Salto site user"


def test_acs_user_count_follows_seeded_and_linked_users(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = fake_seam.add_acs_system("Counted")["acs_system_id"]
    empty = fake_seam.add_acs_system("Empty")["acs_system_id"]
    assert seam.acs.systems.get(acs_system_id=system_id).acs_user_count == 0
    fake_seam.add_acs_user(system_id, "One", EMAIL)
    fake_seam.add_acs_user(system_id, "Two")
    assert seam.acs.systems.get(acs_system_id=system_id).acs_user_count == 2
    # Linking to the existing user adds none; a new identity with no match adds one.
    seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system_id])
    assert seam.acs.systems.get(acs_system_id=system_id).acs_user_count == 2
    seam.user_identities.create(email_address="new@example.com", acs_system_ids=[system_id])
    counts = {s.acs_system_id: s.acs_user_count for s in seam.acs.systems.list()}
    assert counts == {system_id: 3, empty: 0}


@pytest.mark.parametrize("which", ["unknown", "other_workspace"])
def test_systems_get_not_found(world: World, fake_seam: FakeSeam, seam: Seam, which: str) -> None:
    system_id = str(uuid.uuid4()) if which == "unknown" else world.foreign_system["acs_system_id"]
    error = expect_error(
        fake_seam, 404, "acs_system_not_found", lambda: seam.acs.systems.get(acs_system_id=system_id)
    )
    assert system_id in str(error)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("params", [{}, {"acs_system_id": "not-a-uuid"}, {"acs_system_id": "12345"}])
def test_systems_get_invalid_input(
    fake_seam: FakeSeam, raw: Raw, method: str, params: dict[str, str]
) -> None:
    with unchanged(fake_seam):
        response = raw.read(method, "/acs/systems/get", params)
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"]["acs_system_id"]["_errors"]


def test_systems_get_non_uuid_through_the_sdk(fake_seam: FakeSeam, seam: Seam) -> None:
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as caught:
        seam.acs.systems.get(acs_system_id="main-building")
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_input"
    assert caught.value.get_validation_error_messages("acs_system_id")


# /acs/systems/list ---------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_systems_list_shows_the_workspace_systems_only(world: World, raw: Raw, method: str) -> None:
    body = call(raw, method, "/acs/systems/list", {})
    assert [s["acs_system_id"] for s in body["acs_systems"]] == [
        world.salto["acs_system_id"],
        world.visionline["acs_system_id"],
    ]
    other = world.other_seam.acs.systems.list()
    assert [s.acs_system_id for s in other] == [world.foreign_system["acs_system_id"]]


@pytest.mark.parametrize("method", METHODS)
def test_systems_list_filters_by_connected_account(
    world: World, fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str
) -> None:
    # A third system on the same account, to show the filter keeps several.
    third = fake_seam.add_acs_system("Annex", connected_account_id=world.account)
    body = call(raw, method, "/acs/systems/list", {"connected_account_id": world.account})
    expected = [world.salto["acs_system_id"], third["acs_system_id"]]
    assert [s["acs_system_id"] for s in body["acs_systems"]] == expected
    assert all(s["connected_account_id"] == world.account for s in body["acs_systems"])
    visionline_account = world.visionline["connected_account_id"]
    by_sdk = seam.acs.systems.list(connected_account_id=visionline_account)
    assert [s.acs_system_id for s in by_sdk] == [world.visionline["acs_system_id"]]
    assert seam.acs.systems.list(connected_account_id=str(uuid.uuid4())) == []


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("harbour", ["salto"]),
        ("HOTEL", ["visionline"]),
        ("o", ["salto", "visionline"]),
        ("Salto Site", ["salto"]),
        ("no such system", []),
    ],
)
def test_systems_list_search_by_name(world: World, seam: Seam, search: str, expected: list[str]) -> None:
    systems = {"salto": world.salto, "visionline": world.visionline}
    expected_ids = [systems[name]["acs_system_id"] for name in expected]
    # Only names that really contain the needle, ignoring case.
    assert all(search.casefold() in systems[name]["name"].casefold() for name in expected)
    assert [s.acs_system_id for s in seam.acs.systems.list(search=search)] == expected_ids


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("transform", [str.lower, str.upper], ids=["lower", "upper"])
def test_systems_list_search_by_id(world: World, raw: Raw, method: str, transform: Any) -> None:
    system_id = world.visionline["acs_system_id"]
    needle = transform(system_id[9:23])
    assert needle.casefold() not in world.salto["acs_system_id"]
    body = call(raw, method, "/acs/systems/list", {"search": needle})
    assert [s["acs_system_id"] for s in body["acs_systems"]] == [system_id]


def test_systems_list_search_ignores_other_workspaces(world: World, seam: Seam) -> None:
    foreign_id = world.foreign_system["acs_system_id"]
    assert seam.acs.systems.list(search=foreign_id) == []
    # Same name in both workspaces: each sees its own.
    assert [s.acs_system_id for s in seam.acs.systems.list(search="Harbour")] == [
        world.salto["acs_system_id"]
    ]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"search": ""}, "search"),
        ({"connected_account_id": "not-a-uuid"}, "connected_account_id"),
    ],
)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.usefixtures("world")
def test_systems_list_invalid_input(
    fake_seam: FakeSeam, raw: Raw, method: str, params: dict[str, str], param: str
) -> None:
    with unchanged(fake_seam):
        response = raw.read(method, "/acs/systems/list", params)
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"][param]["_errors"]


# /acs/users/get ------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_users_get_by_acs_user_id(world: World, seam: Seam, raw: Raw, method: str) -> None:
    zoe = world.zoe
    body = call(raw, method, "/acs/users/get", {"acs_user_id": zoe["acs_user_id"]})
    assert body["acs_user"] == zoe
    sdk = seam.acs.users.get(acs_user_id=zoe["acs_user_id"])
    assert (sdk.acs_user_id, sdk.full_name, sdk.email_address) == (
        zoe["acs_user_id"],
        "Zoe Zed",
        "zoe@example.com",
    )
    assert sdk.user_identity_id is None


@pytest.mark.parametrize("method", METHODS)
def test_users_get_by_acs_user_id_and_its_own_system(world: World, raw: Raw, method: str) -> None:
    params = {"acs_user_id": world.amy["acs_user_id"], "acs_system_id": world.visionline["acs_system_id"]}
    body = call(raw, method, "/acs/users/get", params)
    assert body["acs_user"]["acs_user_id"] == world.amy["acs_user_id"]


@pytest.mark.parametrize("method", METHODS)
def test_users_get_by_user_identity_and_system(world: World, seam: Seam, raw: Raw, method: str) -> None:
    identity_id = world.identity_id
    for system, expected in (
        (world.salto, world.max["acs_user_id"]),
        (world.visionline, world.created_id),
    ):
        params = {"user_identity_id": identity_id, "acs_system_id": system["acs_system_id"]}
        body = call(raw, method, "/acs/users/get", params)
        user = body["acs_user"]
        assert user["acs_user_id"] == expected
        assert user["acs_system_id"] == system["acs_system_id"]
        assert user["user_identity_id"] == identity_id
        assert user["user_identity_email_address"] == EMAIL
        assert user["user_identity_full_name"] == "Jane Doe"
        sdk = seam.acs.users.get(user_identity_id=identity_id, acs_system_id=system["acs_system_id"])
        assert sdk.acs_user_id == expected


def not_found_cases(world: World, fake: FakeSeam) -> dict[str, tuple[dict[str, str], str]]:
    lonely_system = fake.add_acs_system("Lonely")["acs_system_id"]
    identity_id = world.identity_id
    return {
        "unknown_acs_user": ({"acs_user_id": str(uuid.uuid4())}, "acs_user_not_found"),
        "foreign_acs_user": ({"acs_user_id": world.foreign_user["acs_user_id"]}, "acs_user_not_found"),
        "acs_user_on_another_system": (
            {"acs_user_id": world.zoe["acs_user_id"], "acs_system_id": world.visionline["acs_system_id"]},
            "acs_user_not_found",
        ),
        "unknown_identity": (
            {"user_identity_id": str(uuid.uuid4()), "acs_system_id": world.salto["acs_system_id"]},
            "user_identity_not_found",
        ),
        "foreign_identity": (
            {
                "user_identity_id": world.foreign_identity_id,
                "acs_system_id": world.foreign_system["acs_system_id"],
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
            {"user_identity_id": identity_id, "acs_system_id": world.foreign_system["acs_system_id"]},
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
def test_users_get_not_found(world: World, fake_seam: FakeSeam, seam: Seam, case: str) -> None:
    params, code = not_found_cases(world, fake_seam)[case]
    expect_error(fake_seam, 404, code, lambda: seam.acs.users.get(**params))


@pytest.mark.parametrize("case", ["unknown_system_for_identity", "foreign_system_for_identity"])
def test_users_get_by_identity_on_a_system_not_in_the_workspace_is_acs_system_not_found(
    world: World, fake_seam: FakeSeam, seam: Seam, case: str
) -> None:
    params, code = not_found_cases(world, fake_seam)[case]
    error = expect_error(fake_seam, 404, code, lambda: seam.acs.users.get(**params))
    assert params["acs_system_id"] in str(error)


def invalid_cases(world: World) -> dict[str, tuple[dict[str, str], list[str]]]:
    """Parameters and the parameters the validation errors must name (at least one of)."""
    user_id = world.max["acs_user_id"]
    identity_id = world.identity_id
    system_id = world.salto["acs_system_id"]
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
    world: World, fake_seam: FakeSeam, seam: Seam, case: str
) -> None:
    params, named = invalid_cases(world)[case]
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as caught:
        seam.acs.users.get(**params)
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_input"
    assert any(caught.value.get_validation_error_messages(name) for name in named)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", [*INVALID_CASES, "neither"])
def test_users_get_invalid_input_raw(
    world: World, fake_seam: FakeSeam, raw: Raw, method: str, case: str
) -> None:
    # "neither" cannot go through the SDK: it refuses client-side.
    params, named = (
        ({}, ["acs_user_id", "user_identity_id"]) if case == "neither" else invalid_cases(world)[case]
    )
    with unchanged(fake_seam):
        response = raw.read(method, "/acs/users/get", params)
    error = assert_error(response, 400, "invalid_input")
    assert any(error["validation_errors"].get(name, {}).get("_errors") for name in named), error


# /acs/users/list -----------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_users_list_all_newest_first(world: World, raw: Raw, method: str) -> None:
    body = call(raw, method, "/acs/users/list", {})
    assert [u["acs_user_id"] for u in body["acs_users"]] == world.all_user_ids
    assert body["pagination"]["has_next_page"] is False
    assert body["pagination"]["next_page_cursor"] is None
    assert world.foreign_user["acs_user_id"] not in {u["acs_user_id"] for u in body["acs_users"]}


def test_users_list_through_the_sdk_has_pagination(world: World, seam: Seam) -> None:
    users = seam.acs.users.list()
    assert [u.acs_user_id for u in users] == world.all_user_ids
    pagination = users.pagination  # type: ignore[attr-defined]
    assert pagination["has_next_page"] is False


@pytest.mark.parametrize("method", METHODS)
def test_users_list_filters_by_system(world: World, seam: Seam, raw: Raw, method: str) -> None:
    salto = call(raw, method, "/acs/users/list", {"acs_system_id": world.salto["acs_system_id"]})
    assert [u["acs_user_id"] for u in salto["acs_users"]] == [
        world.max["acs_user_id"],
        world.zoe["acs_user_id"],
    ]
    visionline = seam.acs.users.list(acs_system_id=world.visionline["acs_system_id"])
    assert [u.acs_user_id for u in visionline] == [world.created_id, world.amy["acs_user_id"]]


@pytest.mark.parametrize("method", METHODS)
def test_users_list_filters_by_user_identity(world: World, seam: Seam, raw: Raw, method: str) -> None:
    identity_id = world.identity_id
    body = call(raw, method, "/acs/users/list", {"user_identity_id": identity_id})
    # Newest first: the Visionline user was created for the identity after Max existed.
    assert [u["acs_user_id"] for u in body["acs_users"]] == [world.created_id, world.max["acs_user_id"]]
    assert all(u["user_identity_id"] == identity_id for u in body["acs_users"])
    unlinked = seam.user_identities.create(user_identity_key="nobody")
    assert seam.acs.users.list(user_identity_id=unlinked.user_identity_id) == []


@pytest.mark.parametrize("method", METHODS)
def test_users_list_filters_combine(world: World, raw: Raw, method: str) -> None:
    params = {
        "user_identity_id": world.identity_id,
        "acs_system_id": world.visionline["acs_system_id"],
    }
    body = call(raw, method, "/acs/users/list", params)
    assert [u["acs_user_id"] for u in body["acs_users"]] == [world.created_id]


@pytest.mark.parametrize(
    "filters",
    ["foreign_system", "foreign_identity"],
)
def test_users_list_never_shows_another_workspace(world: World, seam: Seam, filters: str) -> None:
    if filters == "foreign_system":
        params = {"acs_system_id": world.foreign_system["acs_system_id"]}
    else:
        params = {"user_identity_id": world.foreign_identity_id}
    assert seam.acs.users.list(**params) == []
    # The other workspace sees its own user under the same filter.
    assert [u.acs_user_id for u in world.other_seam.acs.users.list(**params)] == [
        world.foreign_user["acs_user_id"]
    ]
    assert [u.acs_user_id for u in world.other_seam.acs.users.list()] == [world.foreign_user["acs_user_id"]]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("param", ["acs_system_id", "user_identity_id"])
@pytest.mark.usefixtures("world")
def test_users_list_invalid_input(fake_seam: FakeSeam, raw: Raw, method: str, param: str) -> None:
    with unchanged(fake_seam):
        response = raw.read(method, "/acs/users/list", {param: "not-a-uuid"})
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"][param]["_errors"]


# Workspace isolation, from the other side ------------------------------------------------


def test_other_workspace_cannot_read_this_workspace(world: World, fake_seam: FakeSeam) -> None:
    other = world.other_seam
    expect_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: other.acs.systems.get(acs_system_id=world.salto["acs_system_id"]),
    )
    expect_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: other.acs.users.get(acs_user_id=world.max["acs_user_id"]),
    )
    assert [s.acs_system_id for s in other.acs.systems.list()] == [world.foreign_system["acs_system_id"]]
    listed = other.acs.users.list(acs_system_id=world.salto["acs_system_id"])
    assert listed == []
    # And its own reads work.
    own = other.acs.users.get(acs_user_id=world.foreign_user["acs_user_id"])
    assert own.user_identity_id == world.foreign_identity_id


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
    assert ids(search="0102") == john.acs_user_ids
    assert ids(search=jane.user_identity_id[:13]) == jane.acs_user_ids[::-1]
    assert ids(search="doe", acs_system_id=hq) == jane.acs_user_ids[:1]
    assert ids(search="nothing matches this") == []


def test_users_list_rejects_an_empty_search(raw: Raw, fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam):
        error = assert_error(raw.get("/acs/users/list", params={"search": ""}), 400, "invalid_input")
    assert error["validation_errors"]["search"]["_errors"]
