"""ACS access groups: ``/acs/access_groups/*`` (get, list, add_user, remove_user,
list_users, list_accessible_entrances, delete), the ACS user routes that concern groups
(``add_to_access_group``, ``remove_from_access_group``, ``acs_access_group_ids`` on
create, ``list_accessible_entrances``, ``revoke_access_to_all_entrances``), the seeding
helper ``add_acs_access_group``, cascades (deleting a user, a credential, an identity, a
group), and other workspaces.

Through the real ``seam`` SDK, and raw requests where the SDK cannot go. Every refusal
checks the status, the error type, the parameter named, and that nothing changed.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from access_helpers import (
    BRIVO,
    SALTO_KS,
    VISIONLINE,
    Site,
    entrance,
    entrance_ids,
    fake_add_member,
    group,
    group_ids,
    other_workspace,
    person,
    salto_site,
    session_client,
    user_ids,
)
from helpers import (
    Raw,
    expect_api_error,
    expect_invalid,
    expect_raw_invalid,
    new_system,
    new_user,
    ok,
    read_ok,
    unchanged,
)
from seam import Seam

from seam_fake import FakeSeam, InvalidInput

GET = "/acs/access_groups/get"
LIST = "/acs/access_groups/list"
ADD_USER = "/acs/access_groups/add_user"
REMOVE_USER = "/acs/access_groups/remove_user"
METHODS = ("get", "post")
EVER = "2000-01-01T00:00:00.000Z"


@pytest.fixture
def site(fake_seam: FakeSeam) -> Site:
    return salto_site(fake_seam)


def user_entrances(seam: Seam, acs_user_id: str) -> list[str]:
    return entrance_ids(seam.acs.users.list_accessible_entrances(acs_user_id=acs_user_id))


def members(seam: Seam, group_id: str) -> list[str]:
    return user_ids(seam.acs.access_groups.list_users(acs_access_group_id=group_id))


# Seeding and /acs/access_groups/get ------------------------------------------------------


def test_a_seeded_group_is_what_get_answers(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    system = fake_seam.add_acs_system("Harbour", external_type=SALTO_KS)
    seeded = fake_seam.add_acs_access_group(system["acs_system_id"], "Floor 1")
    for method in METHODS:
        assert (
            read_ok(raw, method, GET, {"acs_access_group_id": seeded["acs_access_group_id"]})[
                "acs_access_group"
            ]
            == seeded
        )
    got = seam.acs.access_groups.get(acs_access_group_id=seeded["acs_access_group_id"])
    assert (got.name, got.display_name) == ("Floor 1", "Floor 1")
    assert got.acs_system_id == system["acs_system_id"]
    assert got.connected_account_id == system["connected_account_id"]
    assert got.access_group_type == "salto_ks_access_group"
    assert got.is_managed is True
    assert seam.acs.systems.get(acs_system_id=system["acs_system_id"]).acs_access_group_count == 1


@pytest.mark.parametrize("kind", [VISIONLINE, "latch_building", "assa_abloy_credential_service"])
def test_a_system_without_groups_refuses_one(fake_seam: FakeSeam, kind: str) -> None:
    system_id = new_system(fake_seam, "Site", external_type=kind)
    with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
        fake_seam.add_acs_access_group(system_id, "Floor 1")
    assert "acs_system_id" in str(info.value)


def test_a_group_holds_entrances_of_its_own_system_only(fake_seam: FakeSeam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    other = new_system(fake_seam, "Annex")
    door = entrance(fake_seam, other, "Door")
    with unchanged(fake_seam), pytest.raises(InvalidInput) as info:
        fake_seam.add_acs_access_group(system_id, "Floor 1", acs_entrance_ids=[door])
    assert "acs_entrance_ids" in str(info.value)


def test_the_control_seeds_the_same_group(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    system_id = new_system(fake_seam, "Harbour")
    lobby = entrance(fake_seam, system_id, "Lobby")
    body = ok(
        raw.post(
            "/_fake/add_acs_access_group",
            json={"acs_system_id": system_id, "name": "Lobby people", "acs_entrance_ids": [lobby]},
        )
    )
    group_id = body["acs_access_group"]["acs_access_group_id"]
    assert seam.acs.access_groups.get(acs_access_group_id=group_id).name == "Lobby people"
    assert entrance_ids(seam.acs.access_groups.list_accessible_entrances(acs_access_group_id=group_id)) == [
        lobby
    ]


def test_get_an_unknown_group_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    missing = str(uuid.uuid4())
    error = expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.access_groups.get(acs_access_group_id=missing),
    )
    assert missing in str(error)


def test_get_with_an_id_that_is_not_a_uuid_is_invalid(fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.get(GET, params={"acs_access_group_id": "floor"}), "acs_access_group_id"
    )


# /acs/access_groups/list -----------------------------------------------------------------


@pytest.fixture
def groups(fake_seam: FakeSeam, site: Site) -> dict[str, Any]:
    """The site's floor group, a second one on the site, and one on a Brivo system."""
    spa = group(fake_seam, site.system_id, "Spa guests")
    brivo = new_system(fake_seam, "Tower", external_type=BRIVO)
    tower = group(fake_seam, brivo, "Tower floor")
    return {"brivo": brivo, "spa": spa, "tower": tower, "all": [site.floor, spa, tower]}


@pytest.mark.parametrize("method", METHODS)
def test_list_is_every_group_oldest_first(groups: dict[str, Any], raw: Raw, method: str) -> None:
    body = read_ok(raw, method, LIST, {})
    assert [g["acs_access_group_id"] for g in body["acs_access_groups"]] == groups["all"]


def test_list_filters_by_system(groups: dict[str, Any], seam: Seam, site: Site) -> None:
    assert group_ids(seam.acs.access_groups.list(acs_system_id=site.system_id)) == [site.floor, groups["spa"]]
    assert group_ids(seam.acs.access_groups.list(acs_system_id=groups["brivo"])) == [groups["tower"]]
    assert seam.acs.access_groups.list(acs_system_id=str(uuid.uuid4())) == []


def test_list_filters_by_member(fake_seam: FakeSeam, groups: dict[str, Any], seam: Seam, site: Site) -> None:
    member = site.member
    fake_add_member(fake_seam, groups["spa"], member.acs_user_id)
    assert group_ids(seam.acs.access_groups.list(acs_user_id=member.acs_user_id)) == [
        site.floor,
        groups["spa"],
    ]
    assert group_ids(seam.acs.access_groups.list(user_identity_id=member.identity_id)) == [
        site.floor,
        groups["spa"],
    ]
    loner = new_user(fake_seam, site.system_id, "Lone Wolf")
    assert seam.acs.access_groups.list(acs_user_id=loner) == []
    assert seam.acs.access_groups.list(user_identity_id=str(uuid.uuid4())) == []
    # Filters combine.
    assert (
        group_ids(seam.acs.access_groups.list(acs_user_id=member.acs_user_id, acs_system_id=groups["brivo"]))
        == []
    )


def test_list_by_identity_spans_its_systems(fake_seam: FakeSeam, groups: dict[str, Any], seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour 2")
    local = group(fake_seam, system_id, "Local")
    jane = fake_seam.add_user_identity(
        email_address="multi@example.com", acs_system_ids=[system_id, groups["brivo"]]
    )
    for acs_user in seam.acs.users.list(user_identity_id=jane["user_identity_id"]):
        target = local if acs_user.acs_system_id == system_id else groups["tower"]
        seam.acs.access_groups.add_user(acs_access_group_id=target, acs_user_id=acs_user.acs_user_id)
    assert group_ids(seam.acs.access_groups.list(user_identity_id=jane["user_identity_id"])) == [
        groups["tower"],
        local,
    ]


def test_list_search_matches_the_name_or_the_id(groups: dict[str, Any], seam: Seam, site: Site) -> None:
    assert group_ids(seam.acs.access_groups.list(search="FLOOR")) == [site.floor, groups["tower"]]
    assert group_ids(seam.acs.access_groups.list(search="spa")) == [groups["spa"]]
    assert group_ids(seam.acs.access_groups.list(search=groups["tower"][:13])) == [groups["tower"]]
    assert seam.acs.access_groups.list(search="basement") == []


@pytest.mark.parametrize("param", ["acs_system_id", "acs_user_id", "user_identity_id"])
def test_list_refuses_ids_that_are_not_uuids(fake_seam: FakeSeam, raw: Raw, param: str) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST, json={param: "floor"}), param)


# /acs/access_groups/add_user and remove_user ---------------------------------------------


def test_add_user_gives_the_groups_entrances(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    user_id = new_user(fake_seam, site.system_id, "New Tenant")
    assert user_entrances(seam, user_id) == []
    seam.acs.access_groups.add_user(acs_access_group_id=site.floor, acs_user_id=user_id)
    assert user_entrances(seam, user_id) == [site.lobby, site.garage]
    assert members(seam, site.floor) == [site.member.acs_user_id, user_id]


def test_add_user_is_idempotent(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    with unchanged(fake_seam):
        seam.acs.access_groups.add_user(acs_access_group_id=site.floor, acs_user_id=site.member.acs_user_id)
    assert members(seam, site.floor) == [site.member.acs_user_id]


def test_add_user_by_identity_uses_its_acs_user(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    spa = group(fake_seam, site.system_id, "Spa", [site.back])
    seam.acs.access_groups.add_user(acs_access_group_id=spa, user_identity_id=site.member.identity_id)
    assert members(seam, spa) == [site.member.acs_user_id]


def test_add_user_by_identity_links_a_matching_acs_user(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    existing = new_user(fake_seam, site.system_id, "Sam Roe", phone_number="+15555550123")
    identity = seam.user_identities.create(phone_number="+15555550123")
    seam.acs.access_groups.add_user(
        acs_access_group_id=site.floor, user_identity_id=identity.user_identity_id
    )
    assert seam.acs.users.get(acs_user_id=existing).user_identity_id == identity.user_identity_id
    assert members(seam, site.floor) == [site.member.acs_user_id, existing]


def test_add_user_by_identity_creates_an_acs_user(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    identity = seam.user_identities.create(email_address="new@example.com", full_name="New Person")
    seam.acs.access_groups.add_user(
        acs_access_group_id=site.floor, user_identity_id=identity.user_identity_id
    )
    (created,) = seam.acs.users.list(user_identity_id=identity.user_identity_id)
    assert created.acs_system_id == site.system_id
    assert members(seam, site.floor) == [site.member.acs_user_id, created.acs_user_id]
    assert entrance_ids(
        seam.user_identities.list_accessible_entrances(user_identity_id=identity.user_identity_id)
    ) == [site.lobby, site.garage]


def test_add_user_of_another_system_is_refused(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    other = new_system(fake_seam, "Annex")
    stranger = new_user(fake_seam, other, "Out Sider")
    error = expect_invalid(
        fake_seam,
        lambda: seam.acs.access_groups.add_user(acs_access_group_id=site.floor, acs_user_id=stranger),
        "acs_user_id",
    )
    assert stranger in str(error)


def test_add_user_with_both_or_neither_is_invalid(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, site: Site
) -> None:
    expect_invalid(
        fake_seam,
        lambda: seam.acs.access_groups.add_user(
            acs_access_group_id=site.floor,
            acs_user_id=site.member.acs_user_id,
            user_identity_id=site.member.identity_id,
        ),
        "acs_user_id",
    )
    expect_raw_invalid(
        fake_seam, lambda: raw.post(ADD_USER, json={"acs_access_group_id": site.floor}), "acs_user_id"
    )


def test_add_user_names_what_does_not_exist(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    missing = str(uuid.uuid4())
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.access_groups.add_user(
            acs_access_group_id=missing, acs_user_id=site.member.acs_user_id
        ),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.access_groups.add_user(acs_access_group_id=site.floor, acs_user_id=missing),
    )
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.acs.access_groups.add_user(acs_access_group_id=site.floor, user_identity_id=missing),
    )


def test_remove_user_takes_away_the_groups_entrances(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    member = site.member.acs_user_id
    seam.acs.access_groups.remove_user(acs_access_group_id=site.floor, acs_user_id=member)
    assert members(seam, site.floor) == []
    assert user_entrances(seam, member) == []
    # The user and its credential remain.
    assert seam.acs.users.get(acs_user_id=member).acs_user_id == member
    assert seam.acs.credentials.get(acs_credential_id=site.cloud_key).acs_user_id == member


def test_remove_user_by_identity(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    seam.acs.access_groups.remove_user(
        acs_access_group_id=site.floor, user_identity_id=site.member.identity_id
    )
    assert members(seam, site.floor) == []


def test_remove_user_with_both_ids_of_the_same_user(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    seam.acs.access_groups.remove_user(
        acs_access_group_id=site.floor,
        acs_user_id=site.member.acs_user_id,
        user_identity_id=site.member.identity_id,
    )
    assert members(seam, site.floor) == []


def test_remove_user_with_both_ids_of_different_users_is_invalid(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    other = person(fake_seam, site.system_id, "sam@example.com", "Sam Roe")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.access_groups.remove_user(
            acs_access_group_id=site.floor,
            acs_user_id=site.member.acs_user_id,
            user_identity_id=other.identity_id,
        ),
        "user_identity_id",
    )


def test_remove_user_who_is_not_in_the_group_changes_nothing(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    loner = new_user(fake_seam, site.system_id, "Lone Wolf")
    identity = seam.user_identities.create(email_address="nobody@example.com")
    with unchanged(fake_seam):
        seam.acs.access_groups.remove_user(acs_access_group_id=site.floor, acs_user_id=loner)
        # An identity without an ACS user on the system: none is created to be removed.
        seam.acs.access_groups.remove_user(
            acs_access_group_id=site.floor, user_identity_id=identity.user_identity_id
        )


def test_remove_user_names_what_does_not_exist(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    missing = str(uuid.uuid4())
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.access_groups.remove_user(
            acs_access_group_id=missing, acs_user_id=site.member.acs_user_id
        ),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.access_groups.remove_user(acs_access_group_id=site.floor, acs_user_id=missing),
    )


def test_remove_user_of_another_system_is_refused(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    stranger = new_user(fake_seam, new_system(fake_seam, "Annex"), "Out Sider")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.access_groups.remove_user(acs_access_group_id=site.floor, acs_user_id=stranger),
        "acs_user_id",
    )


# /acs/users/add_to_access_group and remove_from_access_group -----------------------------


def test_users_add_to_access_group(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    user_id = new_user(fake_seam, site.system_id, "New Tenant")
    seam.acs.users.add_to_access_group(acs_access_group_id=site.floor, acs_user_id=user_id)
    assert members(seam, site.floor) == [site.member.acs_user_id, user_id]
    with unchanged(fake_seam):
        seam.acs.users.add_to_access_group(acs_access_group_id=site.floor, acs_user_id=user_id)


def test_users_add_to_access_group_refusals(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    stranger = new_user(fake_seam, new_system(fake_seam, "Annex"), "Out Sider")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.users.add_to_access_group(acs_access_group_id=site.floor, acs_user_id=stranger),
        "acs_user_id",
    )
    missing = str(uuid.uuid4())
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.users.add_to_access_group(acs_access_group_id=missing, acs_user_id=stranger),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.users.add_to_access_group(acs_access_group_id=site.floor, acs_user_id=missing),
    )


def test_users_remove_from_access_group(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    seam.acs.users.remove_from_access_group(
        acs_access_group_id=site.floor, acs_user_id=site.member.acs_user_id
    )
    assert members(seam, site.floor) == []
    with unchanged(fake_seam):
        seam.acs.users.remove_from_access_group(
            acs_access_group_id=site.floor, acs_user_id=site.member.acs_user_id
        )


def test_users_remove_from_access_group_by_identity(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    seam.acs.users.remove_from_access_group(
        acs_access_group_id=site.floor, user_identity_id=site.member.identity_id
    )
    assert members(seam, site.floor) == []


def test_users_remove_from_access_group_refusals(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    expect_invalid(
        fake_seam,
        lambda: seam.acs.users.remove_from_access_group(
            acs_access_group_id=site.floor,
            acs_user_id=site.member.acs_user_id,
            user_identity_id=site.member.identity_id,
        ),
        "acs_user_id",
    )
    expect_invalid(
        fake_seam,
        lambda: seam.acs.users.remove_from_access_group(acs_access_group_id=site.floor),
        "acs_user_id",
    )
    stranger = new_user(fake_seam, new_system(fake_seam, "Annex"), "Out Sider")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.users.remove_from_access_group(acs_access_group_id=site.floor, acs_user_id=stranger),
        "acs_user_id",
    )


# list_users, list_accessible_entrances ---------------------------------------------------


def test_list_users_in_the_order_they_joined(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    later = new_user(fake_seam, site.system_id, "Later")
    earlier = new_user(fake_seam, site.system_id, "Earlier")
    seam.acs.access_groups.add_user(acs_access_group_id=site.floor, acs_user_id=earlier)
    seam.acs.access_groups.add_user(acs_access_group_id=site.floor, acs_user_id=later)
    assert members(seam, site.floor) == [site.member.acs_user_id, earlier, later]
    listed = seam.acs.access_groups.list_users(acs_access_group_id=site.floor)
    assert listed[0].user_identity_id == site.member.identity_id


def test_list_accessible_entrances_of_a_group(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    assert entrance_ids(seam.acs.access_groups.list_accessible_entrances(acs_access_group_id=site.floor)) == [
        site.lobby,
        site.garage,
    ]
    empty = group(fake_seam, site.system_id, "Empty")
    assert seam.acs.access_groups.list_accessible_entrances(acs_access_group_id=empty) == []


@pytest.mark.parametrize("route", ["list_users", "list_accessible_entrances", "delete"])
def test_group_routes_of_an_unknown_group_are_not_found(fake_seam: FakeSeam, seam: Seam, route: str) -> None:
    call = getattr(seam.acs.access_groups, route)
    expect_api_error(
        fake_seam, 404, "acs_access_group_not_found", lambda: call(acs_access_group_id=str(uuid.uuid4()))
    )


# acs_access_group_ids on /acs/users/create -----------------------------------------------


def test_create_an_acs_user_in_groups(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    spa = group(fake_seam, site.system_id, "Spa", [site.back])
    created = seam.acs.users.create(
        acs_system_id=site.system_id, full_name="New Tenant", acs_access_group_ids=[spa, site.floor, spa]
    )
    assert group_ids(seam.acs.access_groups.list(acs_user_id=created.acs_user_id)) == [site.floor, spa]
    assert user_entrances(seam, created.acs_user_id) == [site.lobby, site.garage, site.back]


def test_create_in_an_unknown_group_is_not_found(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    missing = str(uuid.uuid4())
    error = expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.users.create(
            acs_system_id=site.system_id, full_name="New Tenant", acs_access_group_ids=[site.floor, missing]
        ),
    )
    assert missing in str(error)


def test_create_in_a_group_of_another_system_is_invalid(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    annex = new_system(fake_seam, "Annex")
    foreign_group = group(fake_seam, annex, "Annex floor")
    expect_invalid(
        fake_seam,
        lambda: seam.acs.users.create(
            acs_system_id=site.system_id, full_name="New Tenant", acs_access_group_ids=[foreign_group]
        ),
        "acs_access_group_ids",
    )


def test_create_in_groups_with_ids_that_are_not_uuids_is_invalid(
    fake_seam: FakeSeam, raw: Raw, site: Site
) -> None:
    body = {"acs_system_id": site.system_id, "full_name": "New Tenant", "acs_access_group_ids": ["floor"]}
    expect_raw_invalid(fake_seam, lambda: raw.post("/acs/users/create", json=body), "acs_access_group_ids")


# /acs/users/list_accessible_entrances and revoke_access_to_all_entrances -----------------


def test_users_list_accessible_entrances_by_identity(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    member = site.member
    by_identity = seam.acs.users.list_accessible_entrances(
        user_identity_id=member.identity_id, acs_system_id=site.system_id
    )
    assert entrance_ids(by_identity) == [site.lobby, site.garage]
    # Without a system: every ACS user of the identity.
    annex = salto_site(fake_seam, "Annex", "annex@example.com")
    seam.acs.access_groups.add_user(acs_access_group_id=annex.floor, user_identity_id=member.identity_id)
    every = seam.acs.users.list_accessible_entrances(user_identity_id=member.identity_id)
    assert entrance_ids(every) == [site.lobby, site.garage, annex.lobby, annex.garage]


def test_users_list_accessible_entrances_refusals(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    expect_invalid(
        fake_seam,
        lambda: seam.acs.users.list_accessible_entrances(
            acs_user_id=site.member.acs_user_id, acs_system_id=site.system_id
        ),
        "acs_system_id",
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.users.list_accessible_entrances(acs_user_id=str(uuid.uuid4())),
    )
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.acs.users.list_accessible_entrances(user_identity_id=str(uuid.uuid4())),
    )


def test_revoke_access_to_all_entrances(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    member = site.member.acs_user_id
    spa = group(fake_seam, site.system_id, "Spa", [site.back])
    seam.acs.access_groups.add_user(acs_access_group_id=spa, acs_user_id=member)
    card = fake_seam.add_acs_credential("card", acs_user_id=member)["acs_credential_id"]
    assert user_entrances(seam, member) == [site.lobby, site.garage, site.back]
    seam.acs.users.revoke_access_to_all_entrances(acs_user_id=member)
    assert user_entrances(seam, member) == []
    assert seam.acs.access_groups.list(acs_user_id=member) == []
    assert members(seam, site.floor) == []
    # The user and its credentials remain; they open nothing.
    assert credential_list(seam, member) == [card, site.cloud_key]
    assert seam.acs.credentials.list_accessible_entrances(acs_credential_id=card) == []
    # Again: nothing left to revoke.
    with unchanged(fake_seam):
        seam.acs.users.revoke_access_to_all_entrances(acs_user_id=member)


def credential_list(seam: Seam, acs_user_id: str) -> list[str]:
    return [c.acs_credential_id for c in seam.acs.credentials.list(acs_user_id=acs_user_id)]


def test_revoke_access_withdraws_grants_and_credential_entrances(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Grand Hotel", external_type=VISIONLINE)
    room = entrance(fake_seam, system_id, "Room 101")
    spa = entrance(fake_seam, system_id, "Spa")
    guest = person(fake_seam, system_id)
    seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=guest.acs_user_id)
    card = fake_seam.add_acs_credential(
        "card", acs_user_id=guest.acs_user_id, allowed_acs_entrance_ids=[spa]
    )["acs_credential_id"]
    assert user_entrances(seam, guest.acs_user_id) == [room, spa]
    # By identity, as the reference allows.
    seam.acs.users.revoke_access_to_all_entrances(user_identity_id=guest.identity_id)
    assert user_entrances(seam, guest.acs_user_id) == []
    assert seam.acs.credentials.list_accessible_entrances(acs_credential_id=card) == []
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=spa) == []


def test_revoke_access_of_an_unknown_user_is_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.acs.users.revoke_access_to_all_entrances(acs_user_id=str(uuid.uuid4())),
    )


# /acs/access_groups/delete and cascades --------------------------------------------------


def test_delete_a_group_takes_its_access_from_its_members(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    member = site.member
    seam.acs.access_groups.delete(acs_access_group_id=site.floor)
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.access_groups.get(acs_access_group_id=site.floor),
    )
    assert seam.acs.access_groups.list() == []
    assert user_entrances(seam, member.acs_user_id) == []
    assert seam.acs.credentials.list_accessible_entrances(acs_credential_id=site.cloud_key) == []
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby) == []
    # The members, their credentials and the entrances remain.
    assert seam.acs.users.get(acs_user_id=member.acs_user_id).acs_user_id == member.acs_user_id
    assert seam.acs.credentials.get(acs_credential_id=site.cloud_key).acs_credential_id == site.cloud_key
    assert seam.acs.entrances.get(acs_entrance_id=site.lobby).acs_entrance_id == site.lobby
    assert seam.acs.systems.get(acs_system_id=site.system_id).acs_access_group_count == 0
    (event,) = seam.events.list(since=EVER, event_type="acs_access_group.deleted")
    assert event.acs_access_group_id == site.floor
    assert event.acs_system_id == site.system_id
    # The member's identity's events include it.
    assert [
        e.event_id
        for e in seam.events.list(since=EVER, user_identity_id=member.identity_id)
        if e.event_type == "acs_access_group.deleted"
    ] == [event.event_id]


def test_delete_a_group_twice_is_not_found(fake_seam: FakeSeam, seam: Seam, site: Site) -> None:
    seam.acs.access_groups.delete(acs_access_group_id=site.floor)
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.access_groups.delete(acs_access_group_id=site.floor),
    )


def test_deleting_an_acs_user_removes_its_memberships_and_grants(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    seam.acs.users.delete(acs_user_id=site.member.acs_user_id)
    assert members(seam, site.floor) == []
    assert seam.acs.access_groups.list(acs_user_id=site.member.acs_user_id) == []
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby) == []
    # The group and its entrances remain.
    assert entrance_ids(seam.acs.access_groups.list_accessible_entrances(acs_access_group_id=site.floor)) == [
        site.lobby,
        site.garage,
    ]
    system_id = new_system(fake_seam, "Grand Hotel", external_type=VISIONLINE)
    room = entrance(fake_seam, system_id, "Room 101")
    guest = new_user(fake_seam, system_id, "Guest")
    seam.acs.entrances.grant_access(acs_entrance_id=room, acs_user_id=guest)
    fake_seam.add_acs_credential("card", acs_user_id=guest)
    seam.acs.users.delete(acs_user_id=guest)
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=room) == []
    # A new user of the system is not granted what the deleted one was.
    newcomer = new_user(fake_seam, system_id, "Newcomer")
    assert user_entrances(seam, newcomer) == []


def test_deleting_a_credential_removes_what_it_opened(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Grand Hotel", external_type=VISIONLINE)
    spa = entrance(fake_seam, system_id, "Spa")
    guest = new_user(fake_seam, system_id, "Guest")
    card = fake_seam.add_acs_credential("card", acs_user_id=guest, allowed_acs_entrance_ids=[spa])[
        "acs_credential_id"
    ]
    other = fake_seam.add_acs_credential("card", acs_user_id=guest)["acs_credential_id"]
    assert user_entrances(seam, guest) == [spa]
    seam.acs.credentials.delete(acs_credential_id=card)
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=spa) == []
    assert user_entrances(seam, guest) == []
    assert seam.acs.credentials.list_accessible_entrances(acs_credential_id=other) == []


def test_deleting_a_credential_keeps_the_users_group_access(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    seam.acs.credentials.delete(acs_credential_id=site.cloud_key)
    assert user_entrances(seam, site.member.acs_user_id) == [site.lobby, site.garage]
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby) == []


def test_deleting_an_identity_removes_its_acs_users_from_groups(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    member = site.member
    seam.user_identities.delete(user_identity_id=member.identity_id)
    assert members(seam, site.floor) == []
    assert seam.acs.entrances.list_credentials_with_access(acs_entrance_id=site.lobby) == []
    assert group_ids(seam.acs.access_groups.list()) == [site.floor]


# Other workspaces ------------------------------------------------------------------------


def test_another_workspace_cannot_reach_these_groups(fake_seam: FakeSeam, site: Site) -> None:
    workspace_id, api_key = other_workspace(fake_seam)
    theirs = new_system(fake_seam, "Theirs", workspace_id=workspace_id)
    their_group = group(fake_seam, theirs, "Their floor")
    their_user = new_user(fake_seam, theirs, "Their user")
    other = Seam(api_key=api_key)
    assert group_ids(other.acs.access_groups.list()) == [their_group]
    assert other.acs.access_groups.list(acs_system_id=site.system_id) == []
    assert other.acs.access_groups.list(acs_user_id=site.member.acs_user_id) == []
    floor = {"acs_access_group_id": site.floor}
    for call in (
        lambda: other.acs.access_groups.get(**floor),
        lambda: other.acs.access_groups.list_users(**floor),
        lambda: other.acs.access_groups.list_accessible_entrances(**floor),
        lambda: other.acs.access_groups.delete(**floor),
        lambda: other.acs.access_groups.add_user(**floor, acs_user_id=their_user),
        lambda: other.acs.access_groups.remove_user(**floor, acs_user_id=their_user),
        lambda: other.acs.users.add_to_access_group(**floor, acs_user_id=their_user),
        lambda: other.acs.users.remove_from_access_group(**floor, acs_user_id=their_user),
        lambda: other.acs.users.create(
            acs_system_id=theirs, full_name="X", acs_access_group_ids=[site.floor]
        ),
    ):
        expect_api_error(fake_seam, 404, "acs_access_group_not_found", call)
    # Their group cannot take this workspace's user.
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: other.acs.access_groups.add_user(
            acs_access_group_id=their_group, acs_user_id=site.member.acs_user_id
        ),
    )
    for call in (
        lambda: other.acs.users.list_accessible_entrances(acs_user_id=site.member.acs_user_id),
        lambda: other.acs.users.revoke_access_to_all_entrances(acs_user_id=site.member.acs_user_id),
    ):
        expect_api_error(fake_seam, 404, "acs_user_not_found", call)


# Client sessions -------------------------------------------------------------------------


def test_a_client_session_sees_its_identitys_accessible_entrances(fake_seam: FakeSeam, site: Site) -> None:
    other = person(fake_seam, site.system_id, "sam@example.com", "Sam Roe")
    client = session_client(fake_seam, site.member.identity_id)
    assert entrance_ids(client.acs.users.list_accessible_entrances(acs_user_id=site.member.acs_user_id)) == [
        site.lobby,
        site.garage,
    ]
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: client.acs.users.list_accessible_entrances(acs_user_id=other.acs_user_id),
    )


def test_a_client_session_deletes_only_a_group_its_identity_is_in(
    fake_seam: FakeSeam, seam: Seam, site: Site
) -> None:
    spa = group(fake_seam, site.system_id, "Spa", [site.back])
    client = session_client(fake_seam, site.member.identity_id)
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: client.acs.access_groups.delete(acs_access_group_id=spa),
    )
    client.acs.access_groups.delete(acs_access_group_id=site.floor)
    assert group_ids(seam.acs.access_groups.list()) == [spa]
