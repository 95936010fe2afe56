"""Reading ACS systems: /acs/systems/get and /acs/systems/list.

Through the real ``seam`` SDK and, to validate bodies against Seam's OpenAPI
schema, through raw GET (query string) and POST (JSON body) requests.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from helpers import AcsWorld, Raw, assert_error, expect_api_error, read_ok, unchanged
from seam import Seam, SeamHttpInvalidInputError

from seam_fake import FakeSeam

EMAIL = "jane@example.com"


METHODS = ("get", "post")


# /acs/systems/get ----------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_systems_get_returns_the_system(acs_world: AcsWorld, seam: Seam, raw: Raw, method: str) -> None:
    system_id = acs_world.visionline["acs_system_id"]
    body = read_ok(raw, method, "/acs/systems/get", {"acs_system_id": system_id})

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


def test_systems_get_agrees_with_what_seeding_returned(acs_world: AcsWorld, raw: Raw) -> None:
    before_users = acs_world.salto
    body = read_ok(raw, "get", "/acs/systems/get", {"acs_system_id": before_users["acs_system_id"]})
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
def test_systems_get_not_found(acs_world: AcsWorld, fake_seam: FakeSeam, seam: Seam, which: str) -> None:
    system_id = str(uuid.uuid4()) if which == "unknown" else acs_world.foreign_system["acs_system_id"]
    error = expect_api_error(
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
def test_systems_list_shows_the_workspace_systems_only(acs_world: AcsWorld, raw: Raw, method: str) -> None:
    body = read_ok(raw, method, "/acs/systems/list", {})
    assert [s["acs_system_id"] for s in body["acs_systems"]] == [
        acs_world.salto["acs_system_id"],
        acs_world.visionline["acs_system_id"],
    ]
    other = acs_world.other_seam.acs.systems.list()
    assert [s.acs_system_id for s in other] == [acs_world.foreign_system["acs_system_id"]]


@pytest.mark.parametrize("method", METHODS)
def test_systems_list_filters_by_connected_account(
    acs_world: AcsWorld, fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str
) -> None:
    # A third system on the same account, to show the filter keeps several.
    third = fake_seam.add_acs_system("Annex", connected_account_id=acs_world.account)
    body = read_ok(raw, method, "/acs/systems/list", {"connected_account_id": acs_world.account})
    expected = [acs_world.salto["acs_system_id"], third["acs_system_id"]]
    assert [s["acs_system_id"] for s in body["acs_systems"]] == expected
    assert all(s["connected_account_id"] == acs_world.account for s in body["acs_systems"])
    visionline_account = acs_world.visionline["connected_account_id"]
    by_sdk = seam.acs.systems.list(connected_account_id=visionline_account)
    assert [s.acs_system_id for s in by_sdk] == [acs_world.visionline["acs_system_id"]]
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
def test_systems_list_search_by_name(
    acs_world: AcsWorld, seam: Seam, search: str, expected: list[str]
) -> None:
    systems = {"salto": acs_world.salto, "visionline": acs_world.visionline}
    expected_ids = [systems[name]["acs_system_id"] for name in expected]
    # Only names that really contain the needle, ignoring case.
    assert all(search.casefold() in systems[name]["name"].casefold() for name in expected)
    assert [s.acs_system_id for s in seam.acs.systems.list(search=search)] == expected_ids


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("transform", [str.lower, str.upper], ids=["lower", "upper"])
def test_systems_list_search_by_id(acs_world: AcsWorld, raw: Raw, method: str, transform: Any) -> None:
    system_id = acs_world.visionline["acs_system_id"]
    needle = transform(system_id[9:23])
    assert needle.casefold() not in acs_world.salto["acs_system_id"]
    body = read_ok(raw, method, "/acs/systems/list", {"search": needle})
    assert [s["acs_system_id"] for s in body["acs_systems"]] == [system_id]


def test_systems_list_search_ignores_other_workspaces(acs_world: AcsWorld, seam: Seam) -> None:
    foreign_id = acs_world.foreign_system["acs_system_id"]
    assert seam.acs.systems.list(search=foreign_id) == []
    # Same name in both workspaces: each sees its own.
    assert [s.acs_system_id for s in seam.acs.systems.list(search="Harbour")] == [
        acs_world.salto["acs_system_id"]
    ]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"search": ""}, "search"),
        ({"connected_account_id": "not-a-uuid"}, "connected_account_id"),
    ],
)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.usefixtures("acs_world")
def test_systems_list_invalid_input(
    fake_seam: FakeSeam, raw: Raw, method: str, params: dict[str, str], param: str
) -> None:
    with unchanged(fake_seam):
        response = raw.read(method, "/acs/systems/list", params)
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"][param]["_errors"]
