"""ACS entrances: ``/acs/entrances/get``, ``list`` (every filter, pages), ``grant_access``,
``list_credentials_with_access`` and ``unlock``, and the seeding helper ``add_acs_entrance``.

Through the real ``seam`` SDK, and raw requests where the SDK cannot express the input
(a request naming neither user, a GET query, a cursor sent with another limit). Every
refusal checks the status, the error type, the parameter it names, and that the fake's
whole state is as it was.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from access_helpers import (
    BRIVO,
    LATCH,
    SALTO_KS,
    VISIONLINE,
    Person,
    Site,
    credential_ids,
    entrance,
    entrance_ids,
    fake_add_member,
    group,
    other_workspace,
    person,
    salto_site,
    session_client,
)
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
)
from seam import Seam, SeamActionAttemptFailedError

from seam_fake import FakeSeam, InvalidInput

GET = "/acs/entrances/get"
LIST = "/acs/entrances/list"
GRANT = "/acs/entrances/grant_access"
WITH_ACCESS = "/acs/entrances/list_credentials_with_access"
UNLOCK = "/acs/entrances/unlock"
METHODS = ("get", "post")
EVER = "2000-01-01T00:00:00.000Z"
ATTEMPT_EVENTS = ["action_attempt.unlock_door.succeeded", "action_attempt.unlock_door.failed"]


@pytest.fixture
def site(fake_seam: FakeSeam) -> Site:
    return salto_site(fake_seam)


def visionline(fake: FakeSeam) -> tuple[str, str, str]:
    """A Visionline system (grants entrance by entrance) with two doors: ids."""
    system_id = new_system(fake, "Grand Hotel", external_type=VISIONLINE)
    return system_id, entrance(fake, system_id, "Room 101"), entrance(fake, system_id, "Spa")


def attempt_events(seam: Seam) -> list[Any]:
    """The unlock events of the workspace, oldest first, as /events/list shows them."""
    return list(seam.events.list(since=EVER, event_types=ATTEMPT_EVENTS))


def user_entrances(seam: Seam, acs_user_id: str) -> list[str]:
    return entrance_ids(seam.acs.users.list_accessible_entrances(acs_user_id=acs_user_id))


# Seeding ---------------------------------------------------------------------------------


def test_a_seeded_entrance_is_what_get_answers(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    system = fake_seam.add_acs_system("Harbour", external_type=SALTO_KS)
    seeded = fake_seam.add_acs_entrance(system["acs_system_id"], "Lobby")
    for method in METHODS:
        body = read_ok(raw, method, GET, {"acs_entrance_id": seeded["acs_entrance_id"]})
        assert body["acs_entrance"] == seeded
    got = seam.acs.entrances.get(acs_entrance_id=seeded["acs_entrance_id"])
    assert got.display_name == "Lobby"
    assert got.acs_system_id == system["acs_system_id"]
    assert got.connected_account_id == system["connected_account_id"]
    # Every access method Salto KS takes opens it unless the seeding narrows them.
    assert (got.can_unlock_with_card, got.can_unlock_with_code) == (True, True)
    assert (got.can_unlock_with_mobile_key, got.can_unlock_with_cloud_key) == (True, True)


def test_can_unlock_with_narrows_the_methods(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour", external_type=SALTO_KS)
    gate = entrance(fake_seam, system_id, "Gate", can_unlock_with=["card", "mobile_key"])
    got = seam.acs.entrances.get(acs_entrance_id=gate)
    assert (got.can_unlock_with_card, got.can_unlock_with_mobile_key) == (True, True)
    assert (got.can_unlock_with_code, got.can_unlock_with_cloud_key) == (False, False)


def test_an_entrance_takes_only_the_methods_of_its_system(fake_seam: FakeSeam) -> None:
    system_id = new_system(fake_seam, "Grand Hotel", external_type=VISIONLINE)
    with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
        fake_seam.add_acs_entrance(system_id, "Room", can_unlock_with=["cloud_key"])
    assert "can_unlock_with" in str(info.value)


def test_a_credential_manager_has_no_entrances(fake_seam: FakeSeam) -> None:
    manager = new_system(fake_seam, "Credential service", external_type="assa_abloy_credential_service")
    with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
        fake_seam.add_acs_entrance(manager, "Door")
    assert "acs_system_id" in str(info.value)


def test_the_control_seeds_the_same_entrance(fake_seam: FakeSeam, raw: Raw, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    body = ok(raw.post("/_fake/add_acs_entrance", json={"acs_system_id": system_id, "display_name": "Lobby"}))
    seeded = body["acs_entrance"]
    assert seam.acs.entrances.get(acs_entrance_id=seeded["acs_entrance_id"]).display_name == "Lobby"
    assert seeded == read_ok(raw, "get", GET, {"acs_entrance_id": seeded["acs_entrance_id"]})["acs_entrance"]


def test_adding_an_entrance_records_an_event(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    lobby = entrance(fake_seam, system_id, "Lobby")
    (event,) = seam.events.list(since=EVER, event_type="acs_entrance.added")
    assert event.acs_entrance_id == lobby
    assert event.acs_system_id == system_id


# /acs/entrances/get ----------------------------------------------------------------------


def test_get_an_unknown_entrance_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    missing = str(uuid.uuid4())
    error = expect_api_error(
        fake_seam, 404, "acs_entrance_not_found", lambda: seam.acs.entrances.get(acs_entrance_id=missing)
    )
    assert missing in str(error)


@pytest.mark.parametrize("method", METHODS)
def test_get_with_an_id_that_is_not_a_uuid_is_invalid(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.read(method, GET, {"acs_entrance_id": "lobby"}), "acs_entrance_id"
    )


# /acs/entrances/list ---------------------------------------------------------------------


@pytest.fixture
def two_systems(fake_seam: FakeSeam) -> dict[str, Any]:
    account = str(uuid.uuid4())
    salto = fake_seam.add_acs_system("Harbour", external_type=SALTO_KS, connected_account_id=account)
    brivo = fake_seam.add_acs_system("Tower", external_type=BRIVO)
    # Interleaved, so that newest first is not per system.
    lobby = entrance(fake_seam, salto["acs_system_id"], "Main Lobby")
    roof = entrance(fake_seam, brivo["acs_system_id"], "Roof access")
    garage = entrance(fake_seam, salto["acs_system_id"], "Garage")
    lobby2 = entrance(fake_seam, brivo["acs_system_id"], "Tower LOBBY")
    return {
        "salto": salto["acs_system_id"],
        "brivo": brivo["acs_system_id"],
        "account": account,
        "brivo_account": brivo["connected_account_id"],
        "all": [lobby2, garage, roof, lobby],
        "lobby": lobby,
        "roof": roof,
        "garage": garage,
        "lobby2": lobby2,
    }


@pytest.mark.parametrize("method", METHODS)
def test_list_is_every_entrance_newest_first(two_systems: dict[str, Any], raw: Raw, method: str) -> None:
    body = read_ok(raw, method, LIST, {})
    assert [e["acs_entrance_id"] for e in body["acs_entrances"]] == two_systems["all"]
    assert body["pagination"]["has_next_page"] is False


def test_list_filters_by_system(two_systems: dict[str, Any], seam: Seam) -> None:
    t = two_systems
    assert entrance_ids(seam.acs.entrances.list(acs_system_id=t["salto"])) == [t["garage"], t["lobby"]]
    assert entrance_ids(seam.acs.entrances.list(acs_system_id=t["brivo"])) == [t["lobby2"], t["roof"]]
    assert seam.acs.entrances.list(acs_system_id=str(uuid.uuid4())) == []


def test_list_filters_by_connected_account(two_systems: dict[str, Any], seam: Seam) -> None:
    t = two_systems
    assert entrance_ids(seam.acs.entrances.list(connected_account_id=t["account"])) == [
        t["garage"],
        t["lobby"],
    ]
    assert entrance_ids(seam.acs.entrances.list(connected_account_id=t["brivo_account"])) == [
        t["lobby2"],
        t["roof"],
    ]
    assert seam.acs.entrances.list(connected_account_id=str(uuid.uuid4())) == []


def test_list_filters_by_entrance_ids(two_systems: dict[str, Any], seam: Seam) -> None:
    t = two_systems
    named = [t["lobby"], t["roof"], str(uuid.uuid4())]
    # Newest first whatever the order named; an unknown id is no entrance.
    assert entrance_ids(seam.acs.entrances.list(acs_entrance_ids=named)) == [t["roof"], t["lobby"]]
    combined = seam.acs.entrances.list(acs_entrance_ids=named, acs_system_id=t["salto"])
    assert entrance_ids(combined) == [t["lobby"]]


def test_list_search_is_a_case_insensitive_substring_of_the_name(
    two_systems: dict[str, Any], seam: Seam
) -> None:
    t = two_systems
    assert entrance_ids(seam.acs.entrances.list(search="lobby")) == [t["lobby2"], t["lobby"]]
    assert entrance_ids(seam.acs.entrances.list(search="ROOF")) == [t["roof"]]
    assert seam.acs.entrances.list(search="basement") == []
    # The id is not searched.
    assert seam.acs.entrances.list(search=t["roof"]) == []


def test_list_filters_by_credential_to_what_it_opens_now(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    opened = seam.acs.entrances.list(acs_credential_id=site.cloud_key)
    assert entrance_ids(opened) == [site.garage, site.lobby]
    narrowed = seam.acs.entrances.list(
        acs_credential_id=site.cloud_key, acs_entrance_ids=[site.lobby, site.back]
    )
    assert entrance_ids(narrowed) == [site.lobby]
    # A credential whose user is in no group opens nothing.
    loner = new_user(fake_seam, site.system_id, "Lone Wolf")
    card = fake_seam.add_acs_credential("card", acs_user_id=loner)["acs_credential_id"]
    assert seam.acs.entrances.list(acs_credential_id=card) == []


def test_list_by_an_unknown_credential_is_not_found(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.entrances.list(acs_credential_id=str(uuid.uuid4())),
    )


@pytest.mark.parametrize("param", ["customer_key", "space_id", "location_id"])
def test_list_by_customer_or_space_matches_nothing(
    two_systems: dict[str, Any], seam: Seam, param: str
) -> None:
    value = "customer-1" if param == "customer_key" else str(uuid.uuid4())
    assert seam.acs.entrances.list(**{param: value}) == []
    # And the list is not empty without it.
    assert len(seam.acs.entrances.list()) == 4


@pytest.mark.parametrize(
    "param", ["acs_system_id", "acs_credential_id", "connected_account_id", "space_id", "acs_entrance_ids"]
)
def test_list_refuses_ids_that_are_not_uuids(fake_seam: FakeSeam, raw: Raw, param: str) -> None:
    value: Any = ["lobby"] if param == "acs_entrance_ids" else "lobby"
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST, json={param: value}), param)


@pytest.mark.parametrize("method", METHODS)
def test_list_refuses_an_empty_search(fake_seam: FakeSeam, raw: Raw, method: str) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.read(method, LIST, {"search": ""}), "search")


def test_list_pages_with_limit_and_cursor(two_systems: dict[str, Any], seam: Seam, raw: Raw) -> None:
    first = read_ok(raw, "get", LIST, {"limit": 3})
    assert [e["acs_entrance_id"] for e in first["acs_entrances"]] == two_systems["all"][:3]
    assert first["pagination"]["has_next_page"] is True
    cursor = first["pagination"]["next_page_cursor"]
    second = read_ok(raw, "post", LIST, {"limit": 3, "page_cursor": cursor})
    assert [e["acs_entrance_id"] for e in second["acs_entrances"]] == two_systems["all"][3:]
    assert second["pagination"]["has_next_page"] is False
    pages = seam.create_paginator(seam.acs.entrances.list, {"limit": 1})
    assert entrance_ids(pages.flatten()) == two_systems["all"]


def test_list_a_cursor_with_another_limit_is_refused(
    two_systems: dict[str, Any], fake_seam: FakeSeam, raw: Raw
) -> None:
    cursor = read_ok(raw, "get", LIST, {"limit": 2})["pagination"]["next_page_cursor"]
    expect_mismatched_cursor(fake_seam, lambda: raw.post(LIST, json={"limit": 3, "page_cursor": cursor}))
    expect_mismatched_cursor(fake_seam, lambda: raw.post(LIST, json={"page_cursor": cursor}))


def test_list_default_limit_is_900(fake_seam: FakeSeam, raw: Raw) -> None:
    system_id = new_system(fake_seam, "Campus")
    made = [entrance(fake_seam, system_id, f"Door {index}") for index in range(901)]
    first = read_ok(raw, "get", LIST, {})
    assert len(first["acs_entrances"]) == 900
    assert first["pagination"]["has_next_page"] is True
    rest = read_ok(raw, "get", LIST, {"page_cursor": first["pagination"]["next_page_cursor"]})
    assert [e["acs_entrance_id"] for e in rest["acs_entrances"]] == [made[0]]


@pytest.mark.parametrize("limit", [0, -1, 1.5])
def test_list_refuses_a_limit_that_is_not_a_positive_whole_number(
    fake_seam: FakeSeam, raw: Raw, limit: Any
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST, json={"limit": limit}), "limit")


# /acs/entrances/grant_access -------------------------------------------------------------


def test_grant_access_to_an_acs_user(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id, room, spa = visionline(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    assert user_entrances(seam, user_id) == []
    seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=user_id)
    assert user_entrances(seam, user_id) == [room]
    seam.acs.entrances.grant_access(acs_entrance_id=spa, acs_user_id=user_id)
    assert user_entrances(seam, user_id) == [room, spa]


def test_grant_access_is_idempotent(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id, room, _ = visionline(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=user_id)
    with unchanged(fake_seam):
        seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=user_id)
    assert user_entrances(seam, user_id) == [room]


def test_grant_access_to_an_identity_links_its_matching_acs_user(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id, room, _ = visionline(fake_seam)
    existing = new_user(fake_seam, system_id, "Jane Doe", "jane@example.com")
    identity = seam.user_identities.create(email_address="Jane@Example.com")
    assert identity.acs_user_ids == []
    seam.acs.entrances.grant_access(acs_entrance_id=room, user_identity_id=identity.user_identity_id)
    assert seam.user_identities.get(user_identity_id=identity.user_identity_id).acs_user_ids == [existing]
    assert seam.acs.users.get(acs_user_id=existing).user_identity_id == identity.user_identity_id
    assert user_entrances(seam, existing) == [room]
    assert entrance_ids(
        seam.user_identities.list_accessible_entrances(user_identity_id=identity.user_identity_id)
    ) == [room]


def test_grant_access_to_an_identity_without_a_match_creates_its_acs_user(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    system_id, room, _ = visionline(fake_seam)
    other = new_user(fake_seam, system_id, "Someone Else", "else@example.com")
    identity = seam.user_identities.create(email_address="jane@example.com", full_name="Jane Doe")
    seam.acs.entrances.grant_access(acs_entrance_id=room, user_identity_id=identity.user_identity_id)
    (created,) = seam.acs.users.list(user_identity_id=identity.user_identity_id)
    assert created.acs_user_id != other
    assert created.acs_system_id == system_id
    assert created.full_name == "Jane Doe"
    assert user_entrances(seam, created.acs_user_id) == [room]
    assert user_entrances(seam, other) == []


def test_grant_access_to_an_identity_uses_its_acs_user_on_the_system(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id, room, _ = visionline(fake_seam)
    jane = person(fake_seam, system_id)
    with_users = len(seam.acs.users.list())
    seam.acs.entrances.grant_access(acs_entrance_id=room, user_identity_id=jane.identity_id)
    assert len(seam.acs.users.list()) == with_users
    assert user_entrances(seam, jane.acs_user_id) == [room]


@pytest.mark.parametrize("kind", [SALTO_KS, BRIVO, "salto_space_system", "kisi_organization"])
def test_grant_access_is_not_supported_where_access_goes_through_groups(
    fake_seam: FakeSeam, seam: Seam, kind: str
) -> None:
    system_id = new_system(fake_seam, "Site", external_type=kind)
    door = entrance(fake_seam, system_id, "Door")
    user_id = new_user(fake_seam, system_id, "Jane Doe", "jane@example.com")
    error = expect_api_error(
        fake_seam,
        400,
        "not_supported",
        lambda: seam.acs.entrances.grant_access(acs_entrance_id=door, acs_user_id=user_id),
    )
    assert kind in str(error)
    identity = seam.user_identities.create(email_address="jane@example.com")
    # Refused before any link is made or ACS user created.
    expect_api_error(
        fake_seam,
        400,
        "not_supported",
        lambda: seam.acs.entrances.grant_access(
            acs_entrance_id=door, user_identity_id=identity.user_identity_id
        ),
    )


@pytest.mark.parametrize("kind", [VISIONLINE, LATCH, "assa_abloy_vostio", "hotek_site"])
def test_grant_access_works_on_every_per_entrance_system(fake_seam: FakeSeam, seam: Seam, kind: str) -> None:
    system_id = new_system(fake_seam, "Site", external_type=kind)
    door = entrance(fake_seam, system_id, "Door")
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    seam.acs.entrances.grant_access(acs_entrance_id=door, acs_user_id=user_id)
    assert user_entrances(seam, user_id) == [door]


def test_grant_access_with_both_ids_is_invalid(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id, room, _ = visionline(fake_seam)
    jane = person(fake_seam, system_id)
    expect_invalid(
        fake_seam,
        lambda: seam.acs.entrances.grant_access(
            acs_entrance_id=room, acs_user_id=jane.acs_user_id, user_identity_id=jane.identity_id
        ),
        "acs_user_id",
    )


def test_grant_access_to_nobody_is_invalid(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    _, room, _ = visionline(fake_seam)
    expect_invalid(fake_seam, lambda: seam.acs.entrances.grant_access(acs_entrance_id=room), "acs_user_id")
    expect_raw_invalid(fake_seam, lambda: raw.post(GRANT, json={"acs_entrance_id": room}), "acs_user_id")


def test_grant_access_to_a_user_of_another_system_is_invalid(fake_seam: FakeSeam, seam: Seam) -> None:
    _, room, _ = visionline(fake_seam)
    other_system = new_system(fake_seam, "Annex", external_type=VISIONLINE)
    stranger = new_user(fake_seam, other_system, "Jane Doe")
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=stranger),
        "acs_user_id",
    )
    assert stranger in str(error)


def test_grant_access_names_what_does_not_exist(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id, room, _ = visionline(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    missing = str(uuid.uuid4())
    expect_api_error(
        fake_seam,
        404,
        "acs_entrance_not_found",
        lambda: seam.acs.entrances.grant_access(acs_entrance_id=missing, acs_user_id=user_id),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=missing),
    )
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.acs.entrances.grant_access(acs_entrance_id=room, user_identity_id=missing),
    )


def test_grant_access_takes_only_post(fake_seam: FakeSeam, raw: Raw) -> None:
    system_id, room, _ = visionline(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    with unchanged(fake_seam):
        response = raw.get(GRANT, params={"acs_entrance_id": room, "acs_user_id": user_id})
    assert_error(response, 405, "method_not_allowed")


# /acs/entrances/list_credentials_with_access ---------------------------------------------


def test_credentials_with_access_through_a_group(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    card = fake_seam.add_acs_credential("card", acs_user_id=site.member.acs_user_id)["acs_credential_id"]
    outsider = new_user(fake_seam, site.system_id, "Out Sider")
    fake_seam.add_acs_credential("cloud_key", acs_user_id=outsider)
    # Oldest first.
    assert credential_ids(seam.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby)) == [
        site.cloud_key,
        card,
    ]
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=site.back) == []


def test_credentials_with_access_through_grants_and_allowed_entrances(
    fake_seam: FakeSeam, seam: Seam
) -> None:
    system_id, room, spa = visionline(fake_seam)
    granted = new_user(fake_seam, system_id, "Granted")
    holder = new_user(fake_seam, system_id, "Holder")
    seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=granted)
    granted_card = fake_seam.add_acs_credential("card", acs_user_id=granted)["acs_credential_id"]
    spa_card = fake_seam.add_acs_credential("card", acs_user_id=holder, allowed_acs_entrance_ids=[spa])[
        "acs_credential_id"
    ]
    assert credential_ids(seam.acs.entrances.list_credentials_with_access(acs_entrance_id=room)) == [
        granted_card
    ]
    assert credential_ids(seam.acs.entrances.list_credentials_with_access(acs_entrance_id=spa)) == [spa_card]


def test_include_if_visionline_valid_keeps_issued_credentials(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id, room, _ = visionline(fake_seam)
    user_id = new_user(fake_seam, system_id, "Guest")
    seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=user_id)
    issued = fake_seam.add_acs_credential("card", acs_user_id=user_id)["acs_credential_id"]
    fake_seam.issue_credential(issued)
    waiting = fake_seam.add_acs_credential("card", acs_user_id=user_id)
    assert waiting["is_issued"] is False
    every = seam.acs.entrances.list_credentials_with_access(acs_entrance_id=room)
    assert credential_ids(every) == [issued, waiting["acs_credential_id"]]
    valid = seam.acs.entrances.list_credentials_with_access(
        acs_entrance_id=room, include_if=["visionline_metadata.is_valid"]
    )
    assert credential_ids(valid) == [issued]


def test_include_if_visionline_valid_leaves_out_other_systems(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    assert credential_ids(seam.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby)) == [
        site.cloud_key
    ]
    assert (
        seam.acs.entrances.list_credentials_with_access(
            acs_entrance_id=site.lobby, include_if=["visionline_metadata.is_valid"]
        )
        == []
    )


def test_include_if_refuses_other_conditions(fake_seam: FakeSeam, raw: Raw, site: Site) -> None:
    body = {"acs_entrance_id": site.lobby, "include_if": ["is_issued"]}
    expect_raw_invalid(fake_seam, lambda: raw.post(WITH_ACCESS, json=body), "include_if")


def test_credentials_with_access_of_an_unknown_entrance_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    expect_api_error(
        fake_seam,
        404,
        "acs_entrance_not_found",
        lambda: seam.acs.entrances.list_credentials_with_access(acs_entrance_id=str(uuid.uuid4())),
    )


# /acs/entrances/unlock -------------------------------------------------------------------


def test_unlock_succeeds_by_default(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    attempt = seam.acs.entrances.unlock(acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby)
    assert attempt.status == "success"
    assert attempt.action_type == "UNLOCK_DOOR"
    assert attempt.error is None
    again = seam.action_attempts.get(action_attempt_id=attempt.action_attempt_id)
    assert (again.status, again.action_type) == ("success", "UNLOCK_DOOR")
    (event,) = attempt_events(seam)
    assert event.event_type == "action_attempt.unlock_door.succeeded"
    assert event.action_attempt_id == attempt.action_attempt_id


def test_unlock_without_waiting_answers_the_attempt(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, site: Site
) -> None:
    body = ok(raw.post(UNLOCK, json={"acs_credential_id": site.cloud_key, "acs_entrance_id": site.garage}))
    attempt = body["action_attempt"]
    assert attempt["status"] == "success"
    assert attempt["result"] == {}
    assert attempt["error"] is None
    uuid.UUID(attempt["action_attempt_id"])


def test_unlock_fails_as_the_outcome_says(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    fake_seam.set_action_attempt_outcome(
        "error", error_type="lock_jammed", error_message="The bolt is stuck."
    )
    with pytest.raises(SeamActionAttemptFailedError) as info:
        seam.acs.entrances.unlock(acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby)
    failed = info.value.action_attempt
    assert failed.status == "error"
    assert (failed.error.type, failed.error.message) == ("lock_jammed", "The bolt is stuck.")
    assert "The bolt is stuck." in str(info.value)
    (event,) = attempt_events(seam)
    assert event.event_type == "action_attempt.unlock_door.failed"
    assert event.action_attempt_id == failed.action_attempt_id


def test_an_error_outcome_without_a_type_has_the_default_error(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    fake_seam.set_action_attempt_outcome("error")
    attempt = seam.acs.entrances.unlock(
        acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby, wait_for_action_attempt=False
    )
    assert attempt.status == "error"
    assert attempt.error.type == "unlock_failed"
    assert attempt.error.message


def test_the_outcome_holds_until_changed(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    fake_seam.set_action_attempt_outcome("error")
    for _ in range(2):
        attempt = seam.acs.entrances.unlock(
            acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby, wait_for_action_attempt=False
        )
        assert attempt.status == "error"
    fake_seam.set_action_attempt_outcome("success")
    assert (
        seam.acs.entrances.unlock(acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby).status
        == "success"
    )


def test_a_pending_unlock_waits_for_update_action_attempt(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    fake_seam.set_action_attempt_outcome("pending")
    attempt = seam.acs.entrances.unlock(
        acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby, wait_for_action_attempt=False
    )
    assert attempt.status == "pending"
    assert attempt.result is None
    assert not attempt_events(seam)
    settled = fake_seam.update_action_attempt(attempt.action_attempt_id, "success")
    assert settled["status"] == "success"
    assert seam.action_attempts.get(action_attempt_id=attempt.action_attempt_id).status == "success"
    assert [e.event_type for e in attempt_events(seam)] == ["action_attempt.unlock_door.succeeded"]


def test_a_pending_unlock_can_be_failed(fake_seam: FakeSeam, seam: Seam, raw: Raw, site: Site) -> None:
    fake_seam.set_action_attempt_outcome("pending")
    attempt = seam.acs.entrances.unlock(
        acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby, wait_for_action_attempt=False
    )
    error = {"type": "device_offline", "message": "The lock is offline."}
    body = ok(
        raw.post(
            "/_fake/update_action_attempt",
            json={"action_attempt_id": attempt.action_attempt_id, "status": "error", "error": error},
        )
    )
    assert body["action_attempt"]["error"] == error
    with pytest.raises(SeamActionAttemptFailedError):
        seam.action_attempts.get(action_attempt_id=attempt.action_attempt_id)
    assert [e.event_type for e in attempt_events(seam)] == ["action_attempt.unlock_door.failed"]


def test_update_action_attempt_refuses_an_error_with_success(
    fake_seam: FakeSeam, raw: Raw, site: Site
) -> None:
    fake_seam.set_action_attempt_outcome("pending")
    attempt = ok(raw.post(UNLOCK, json={"acs_credential_id": site.cloud_key, "acs_entrance_id": site.lobby}))
    body = {
        "action_attempt_id": attempt["action_attempt"]["action_attempt_id"],
        "status": "success",
        "error": {"type": "x", "message": "y"},
    }
    expect_raw_invalid(fake_seam, lambda: raw.post("/_fake/update_action_attempt", json=body), "error")


def test_update_action_attempt_of_an_unknown_attempt_is_not_found(fake_seam: FakeSeam, raw: Raw) -> None:
    with unchanged(fake_seam):
        response = raw.post(
            "/_fake/update_action_attempt", json={"action_attempt_id": str(uuid.uuid4()), "status": "success"}
        )
    assert_error(response, 404, "action_attempt_not_found")


def test_set_action_attempt_outcome_refusals(fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.post("/_fake/set_action_attempt_outcome", json={"status": "maybe"}), "status"
    )
    expect_raw_invalid(
        fake_seam,
        lambda: raw.post("/_fake/set_action_attempt_outcome", json={"status": "success", "error_type": "x"}),
        "error_type",
    )


def test_unlock_fails_with_no_access_when_the_credential_does_not_open_the_entrance(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    attempt = seam.acs.entrances.unlock(
        acs_credential_id=site.cloud_key, acs_entrance_id=site.back, wait_for_action_attempt=False
    )
    assert attempt.status == "error"
    assert attempt.error.type == "no_access"
    assert site.back in attempt.error.message
    assert [e.event_type for e in attempt_events(seam)] == ["action_attempt.unlock_door.failed"]


def test_no_access_wins_over_a_success_outcome_and_a_pending_one(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    fake_seam.set_action_attempt_outcome("pending")
    attempt = seam.acs.entrances.unlock(
        acs_credential_id=site.cloud_key, acs_entrance_id=site.back, wait_for_action_attempt=False
    )
    assert (attempt.status, attempt.error.type) == ("error", "no_access")


def test_a_suspended_users_cloud_key_opens_nothing(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    seam.acs.users.suspend(acs_user_id=site.member.acs_user_id)
    attempt = seam.acs.entrances.unlock(
        acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby, wait_for_action_attempt=False
    )
    assert (attempt.status, attempt.error.type) == ("error", "no_access")
    seam.acs.users.unsuspend(acs_user_id=site.member.acs_user_id)
    assert (
        seam.acs.entrances.unlock(acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby).status
        == "success"
    )


def test_unlock_refuses_a_credential_that_is_not_a_cloud_key(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    card = fake_seam.add_acs_credential("card", acs_user_id=site.member.acs_user_id)["acs_credential_id"]
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.entrances.unlock(acs_credential_id=card, acs_entrance_id=site.lobby),
        "acs_credential_id",
    )
    assert "cloud_key" in str(error)


def test_unlock_refuses_a_credential_of_another_system(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    other = salto_site(fake_seam, "Annex", "annex@example.com")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.entrances.unlock(acs_credential_id=other.cloud_key, acs_entrance_id=site.lobby),
        "acs_credential_id",
    )


def test_unlock_refuses_an_entrance_that_takes_no_cloud_key(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    turnstile = entrance(fake_seam, site.system_id, "Turnstile", can_unlock_with=["card"])
    # Even a credential that opens it: in its group.
    group_id = group(fake_seam, site.system_id, "Turnstiles", [turnstile])
    fake_add_member(fake_seam, group_id, site.member.acs_user_id)
    expect_invalid(
        fake_seam,
        lambda: seam.acs.entrances.unlock(acs_credential_id=site.cloud_key, acs_entrance_id=turnstile),
        "acs_entrance_id",
    )


def test_unlock_names_what_does_not_exist(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    missing = str(uuid.uuid4())
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.entrances.unlock(acs_credential_id=missing, acs_entrance_id=site.lobby),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_entrance_not_found",
        lambda: seam.acs.entrances.unlock(acs_credential_id=site.cloud_key, acs_entrance_id=missing),
    )


def test_unlock_requires_both_ids(fake_seam: FakeSeam, raw: Raw, site: Site) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.post(UNLOCK, json={"acs_entrance_id": site.lobby}), "acs_credential_id"
    )
    expect_raw_invalid(
        fake_seam, lambda: raw.post(UNLOCK, json={"acs_credential_id": site.cloud_key}), "acs_entrance_id"
    )


# Other workspaces ------------------------------------------------------------------------


def test_another_workspace_sees_none_of_these_entrances(fake_seam: FakeSeam, site: Site) -> None:
    workspace_id, api_key = other_workspace(fake_seam)
    other = Seam(api_key=api_key)
    own_system = new_system(fake_seam, "Theirs", workspace_id=workspace_id)
    own = entrance(fake_seam, own_system, "Their door")
    expect_api_error(
        fake_seam, 404, "acs_entrance_not_found", lambda: other.acs.entrances.get(acs_entrance_id=site.lobby)
    )
    assert entrance_ids(other.acs.entrances.list()) == [own]
    assert other.acs.entrances.list(acs_system_id=site.system_id) == []
    assert other.acs.entrances.list(acs_entrance_ids=[site.lobby]) == []
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: other.acs.entrances.list(acs_credential_id=site.cloud_key),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_entrance_not_found",
        lambda: other.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_entrance_not_found",
        lambda: other.acs.entrances.unlock(acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby),
    )


def test_another_workspace_cannot_grant_these_entrances(fake_seam: FakeSeam) -> None:
    system_id, room, _ = visionline(fake_seam)
    user_id = new_user(fake_seam, system_id, "Jane Doe")
    _, api_key = other_workspace(fake_seam)
    other = Seam(api_key=api_key)
    expect_api_error(
        fake_seam,
        404,
        "acs_entrance_not_found",
        lambda: other.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=user_id),
    )


def test_another_workspace_cannot_unlock_with_this_credential(fake_seam: FakeSeam, site: Site) -> None:
    workspace_id, api_key = other_workspace(fake_seam)
    theirs = new_system(fake_seam, "Theirs", external_type=SALTO_KS, workspace_id=workspace_id)
    door = entrance(fake_seam, theirs, "Their door")
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: Seam(api_key=api_key).acs.entrances.unlock(
            acs_credential_id=site.cloud_key, acs_entrance_id=door
        ),
    )


# Client sessions -------------------------------------------------------------------------


@pytest.fixture
def two_people(fake_seam: FakeSeam, site: Site) -> tuple[Person, Person]:
    """The site's member (lobby and garage), and a second person who opens the back door."""
    other = person(fake_seam, site.system_id, "sam@example.com", "Sam Roe")
    back_group = group(fake_seam, site.system_id, "Back", [site.back])
    fake_add_member(fake_seam, back_group, other.acs_user_id)
    return site.member, other


def test_a_client_session_sees_the_entrances_its_identity_opens(
    fake_seam: FakeSeam, site: Site, two_people: tuple[Person, Person]
) -> None:
    member, other = two_people
    client = session_client(fake_seam, member.identity_id)
    assert entrance_ids(client.acs.entrances.list()) == [site.garage, site.lobby]
    assert client.acs.entrances.get(acs_entrance_id=site.lobby).acs_entrance_id == site.lobby
    expect_api_error(
        fake_seam, 404, "acs_entrance_not_found", lambda: client.acs.entrances.get(acs_entrance_id=site.back)
    )
    theirs = session_client(fake_seam, other.identity_id)
    assert entrance_ids(theirs.acs.entrances.list()) == [site.back]


def test_a_client_session_sees_only_its_identitys_credentials_with_access(
    fake_seam: FakeSeam, seam: Seam, site: Site, two_people: tuple[Person, Person]
) -> None:
    member, _ = two_people
    floor_mate = person(fake_seam, site.system_id, "kim@example.com", "Kim Poe")
    fake_add_member(fake_seam, site.floor, floor_mate.acs_user_id)
    mate_key = fake_seam.add_acs_credential("cloud_key", acs_user_id=floor_mate.acs_user_id)[
        "acs_credential_id"
    ]
    assert credential_ids(seam.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby)) == [
        site.cloud_key,
        mate_key,
    ]
    client = session_client(fake_seam, member.identity_id)
    assert credential_ids(client.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby)) == [
        site.cloud_key
    ]
    expect_api_error(
        fake_seam,
        404,
        "acs_entrance_not_found",
        lambda: client.acs.entrances.list_credentials_with_access(acs_entrance_id=site.back),
    )


def test_a_client_session_cannot_grant_or_unlock(fake_seam: FakeSeam, site: Site) -> None:
    client = session_client(fake_seam, site.member.identity_id)
    for call in (
        lambda: client.acs.entrances.unlock(acs_credential_id=site.cloud_key, acs_entrance_id=site.lobby),
        lambda: client.acs.entrances.grant_access(
            acs_entrance_id=site.lobby, acs_user_id=site.member.acs_user_id
        ),
    ):
        with unchanged(fake_seam), pytest.raises(Exception) as info:
            call()
        assert getattr(info.value, "status_code", None) == 401


def test_another_workspace_cannot_ask_what_these_open(fake_seam: FakeSeam, site: Site) -> None:
    _, api_key = other_workspace(fake_seam)
    other = Seam(api_key=api_key)
    for code, call in (
        (
            "user_identity_not_found",
            lambda: other.user_identities.list_accessible_entrances(user_identity_id=site.member.identity_id),
        ),
        (
            "acs_credential_not_found",
            lambda: other.acs.credentials.list_accessible_entrances(acs_credential_id=site.cloud_key),
        ),
        (
            "acs_user_not_found",
            lambda: other.acs.users.list_accessible_entrances(acs_user_id=site.member.acs_user_id),
        ),
    ):
        expect_api_error(fake_seam, 404, code, call)


def test_a_client_session_asks_only_what_its_identity_opens(
    fake_seam: FakeSeam, site: Site, two_people: tuple[Person, Person]
) -> None:
    member, other = two_people
    client = session_client(fake_seam, member.identity_id)
    assert entrance_ids(
        client.user_identities.list_accessible_entrances(user_identity_id=member.identity_id)
    ) == [
        site.lobby,
        site.garage,
    ]
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: client.user_identities.list_accessible_entrances(user_identity_id=other.identity_id),
    )
