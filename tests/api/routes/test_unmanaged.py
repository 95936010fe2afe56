"""Unmanaged objects: what Seam found on an access system but does not manage.

``/user_identities/unmanaged/get|list|update`` (update makes an identity managed, one way,
with the uniqueness of managed identities checked then), ``/acs/users/unmanaged/get|list``,
``/acs/access_groups/unmanaged/get|list``, ``/acs/credentials/unmanaged/get|list``, the
seeding helpers that add them (``is_managed=False``), and that managed routes never show an
unmanaged object nor unmanaged routes a managed one. The SDK has the identity routes; the
others are reached with raw requests.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
import time_machine
from access_helpers import other_workspace, session_client
from helpers import (
    Raw,
    assert_error,
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

from seam_fake import FakeSeam

METHODS = ("get", "post")


def unmanaged_identity(fake: FakeSeam, **fields: Any) -> str:
    identity_id: str = fake.add_user_identity(is_managed=False, **fields)["user_identity_id"]
    return identity_id


# Unmanaged user identities ------------------------------------------------------------


def test_an_unmanaged_identity_is_seen_only_by_the_unmanaged_routes(fake_seam: FakeSeam, seam: Seam) -> None:
    seeded = fake_seam.add_user_identity(
        is_managed=False, email_address="found@example.com", full_name="Found"
    )
    identity_id = seeded["user_identity_id"]
    assert "user_identity_key" not in seeded
    got = seam.user_identities.unmanaged.get(user_identity_id=identity_id)
    assert (got.email_address, got.full_name, got.acs_user_ids) == ("found@example.com", "Found", [])
    assert [i.user_identity_id for i in seam.user_identities.unmanaged.list()] == [identity_id]
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.get(user_identity_id=identity_id),
    )
    assert seam.user_identities.list() == []
    managed = seam.user_identities.create(user_identity_key="managed")
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.unmanaged.get(user_identity_id=managed.user_identity_id),
    )
    assert [i.user_identity_id for i in seam.user_identities.unmanaged.list()] == [identity_id]


def test_an_unmanaged_identity_holds_no_unique_value(fake_seam: FakeSeam, seam: Seam) -> None:
    unmanaged_identity(fake_seam, email_address="jane@example.com", phone_number="+15555550100")
    managed = seam.user_identities.create(email_address="JANE@example.com", phone_number="+15555550100")
    assert managed.email_address == "JANE@example.com"


def test_an_unmanaged_identity_takes_no_key_or_systems(fake_seam: FakeSeam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    with unchanged(fake_seam):
        with pytest.raises(ValueError):
            fake_seam.add_user_identity(is_managed=False, user_identity_key="k")
        with pytest.raises(ValueError):
            fake_seam.add_user_identity(is_managed=False, acs_system_ids=[system_id])


def test_unmanaged_list_newest_first_search_and_pages(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    made = [unmanaged_identity(fake_seam, full_name=f"Found {index}") for index in range(3)]
    other = unmanaged_identity(fake_seam, full_name="Someone", email_address="someone@example.com")
    assert [i.user_identity_id for i in seam.user_identities.unmanaged.list()] == [other, *made[::-1]]
    assert [i.user_identity_id for i in seam.user_identities.unmanaged.list(search="found")] == made[::-1]
    assert [i.user_identity_id for i in seam.user_identities.unmanaged.list(search="SOMEONE@")] == [other]
    first = read_ok(raw, "get", "/user_identities/unmanaged/list", {"limit": 3})
    assert [i["user_identity_id"] for i in first["user_identities"]] == [other, made[2], made[1]]
    rest = read_ok(
        raw,
        "post",
        "/user_identities/unmanaged/list",
        {"limit": 3, "page_cursor": first["pagination"]["next_page_cursor"]},
    )
    assert [i["user_identity_id"] for i in rest["user_identities"]] == [made[0]]


def test_update_makes_an_unmanaged_identity_managed(fake_seam: FakeSeam, seam: Seam) -> None:
    identity_id = unmanaged_identity(fake_seam, email_address="found@example.com", full_name="Found")
    created_at = seam.user_identities.unmanaged.get(user_identity_id=identity_id).created_at
    seam.user_identities.unmanaged.update(
        user_identity_id=identity_id, is_managed=True, user_identity_key="found"
    )
    managed = seam.user_identities.get(user_identity_key="found")
    assert managed.user_identity_id == identity_id
    assert (managed.email_address, managed.full_name, managed.created_at) == (
        "found@example.com",
        "Found",
        created_at,
    )
    assert seam.user_identities.unmanaged.list() == []
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.unmanaged.get(user_identity_id=identity_id),
    )
    # One way only: a managed identity cannot go back.
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.unmanaged.update(user_identity_id=identity_id, is_managed=True),
    )
    # It now holds its email as any managed identity does.
    expect_api_error(
        fake_seam,
        400,
        "email_address_already_in_use",
        lambda: seam.user_identities.create(email_address="found@example.com"),
    )


def test_update_without_a_key_leaves_it_without_one(fake_seam: FakeSeam, seam: Seam) -> None:
    identity_id = unmanaged_identity(fake_seam, full_name="Found")
    seam.user_identities.unmanaged.update(user_identity_id=identity_id, is_managed=True)
    managed = seam.user_identities.get(user_identity_id=identity_id)
    assert managed.user_identity_key is None
    assert [i.user_identity_id for i in seam.user_identities.list()] == [identity_id]


def test_a_converted_identity_is_listed_by_when_it_was_created(fake_seam: FakeSeam, seam: Seam) -> None:
    with time_machine.travel(datetime(2030, 1, 1, tzinfo=timezone.utc), tick=False) as clock:
        older = unmanaged_identity(fake_seam, full_name="Found first")
        clock.shift(60)
        newer = seam.user_identities.create(full_name="Created later").user_identity_id
        clock.shift(60)
        seam.user_identities.unmanaged.update(user_identity_id=older, is_managed=True)
    assert [i.user_identity_id for i in seam.user_identities.list()] == [newer, older]


@pytest.mark.parametrize(
    ("managed", "unmanaged", "code"),
    [
        ({"user_identity_key": "found"}, {}, "user_identity_key_already_in_use"),
        (
            {"email_address": "Found@Example.com"},
            {"email_address": "found@example.com"},
            "email_address_already_in_use",
        ),
        ({"phone_number": "+15555550100"}, {"phone_number": "+15555550100"}, "phone_number_already_in_use"),
    ],
)
def test_update_checks_uniqueness_when_it_converts(
    fake_seam: FakeSeam, seam: Seam, managed: dict[str, str], unmanaged: dict[str, str], code: str
) -> None:
    seam.user_identities.create(**managed)
    identity_id = unmanaged_identity(fake_seam, full_name="Found", **unmanaged)
    expect_api_error(
        fake_seam,
        400,
        code,
        lambda: seam.user_identities.unmanaged.update(
            user_identity_id=identity_id, is_managed=True, user_identity_key="found"
        ),
    )
    assert [i.user_identity_id for i in seam.user_identities.unmanaged.list()] == [identity_id]


def test_update_refuses_is_managed_false(fake_seam: FakeSeam, seam: Seam) -> None:
    identity_id = unmanaged_identity(fake_seam, full_name="Found")
    expect_invalid(
        fake_seam,
        lambda: seam.user_identities.unmanaged.update(user_identity_id=identity_id, is_managed=False),
        "is_managed",
    )


def test_update_refuses_a_missing_is_managed_or_an_empty_key(fake_seam: FakeSeam, raw: Raw) -> None:
    identity_id = unmanaged_identity(fake_seam, full_name="Found")
    path = "/user_identities/unmanaged/update"
    expect_raw_invalid(
        fake_seam, lambda: raw.post(path, json={"user_identity_id": identity_id}), "is_managed"
    )
    expect_raw_invalid(
        fake_seam,
        lambda: raw.post(path, json={"user_identity_id": identity_id, "is_managed": "yes"}),
        "is_managed",
    )
    expect_raw_invalid(
        fake_seam,
        lambda: raw.post(
            path, json={"user_identity_id": identity_id, "is_managed": True, "user_identity_key": ""}
        ),
        "user_identity_key",
    )


def test_unmanaged_identity_routes_of_unknown_ids_are_not_found(fake_seam: FakeSeam, seam: Seam) -> None:
    missing = str(uuid.uuid4())
    for call in (
        lambda: seam.user_identities.unmanaged.get(user_identity_id=missing),
        lambda: seam.user_identities.unmanaged.update(user_identity_id=missing, is_managed=True),
    ):
        expect_api_error(fake_seam, 404, "user_identity_not_found", call)


def test_another_workspace_cannot_see_or_convert_an_unmanaged_identity(fake_seam: FakeSeam) -> None:
    identity_id = unmanaged_identity(fake_seam, full_name="Found")
    _, api_key = other_workspace(fake_seam)
    other = Seam(api_key=api_key)
    assert other.user_identities.unmanaged.list() == []
    for call in (
        lambda: other.user_identities.unmanaged.get(user_identity_id=identity_id),
        lambda: other.user_identities.unmanaged.update(user_identity_id=identity_id, is_managed=True),
    ):
        expect_api_error(fake_seam, 404, "user_identity_not_found", call)


def test_a_client_session_sees_no_unmanaged_identity(fake_seam: FakeSeam, seam: Seam) -> None:
    identity_id = unmanaged_identity(fake_seam, full_name="Found")
    mine = seam.user_identities.create(full_name="Mine").user_identity_id
    client = session_client(fake_seam, mine)
    assert client.user_identities.unmanaged.list() == []
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: client.user_identities.unmanaged.update(user_identity_id=identity_id, is_managed=True),
    )


# Unmanaged ACS users -------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_an_unmanaged_acs_user_is_seen_only_by_the_unmanaged_routes(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str
) -> None:
    system_id = new_system(fake_seam, "Harbour")
    seeded = fake_seam.add_acs_user(system_id, "Found User", "found@example.com", is_managed=False)
    assert seeded["is_managed"] is False
    user_id = seeded["acs_user_id"]
    body = read_ok(raw, method, "/acs/users/unmanaged/get", {"acs_user_id": user_id})
    assert body["acs_user"] == seeded
    listed = read_ok(raw, method, "/acs/users/unmanaged/list", {})
    assert [u["acs_user_id"] for u in listed["acs_users"]] == [user_id]
    expect_api_error(fake_seam, 404, "acs_user_not_found", lambda: seam.acs.users.get(acs_user_id=user_id))
    assert seam.acs.users.list() == []
    assert seam.acs.systems.get(acs_system_id=system_id).acs_user_count == 0
    managed = new_user(fake_seam, system_id, "Managed User")
    with unchanged(fake_seam):
        response = raw.read(method, "/acs/users/unmanaged/get", {"acs_user_id": managed})
    assert_error(response, 404, "acs_user_not_found")


def test_an_unmanaged_acs_user_is_never_linked(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = fake_seam.add_acs_user(system_id, "Found User", "jane@example.com", is_managed=False)[
        "acs_user_id"
    ]
    identity = seam.user_identities.create(email_address="jane@example.com", acs_system_ids=[system_id])
    (created,) = identity.acs_user_ids
    assert created != user_id
    body = read_ok(raw, "get", "/acs/users/unmanaged/get", {"acs_user_id": user_id})
    assert body["acs_user"].get("user_identity_id") is None
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.user_identities.add_acs_user(
            user_identity_id=identity.user_identity_id, acs_user_id=user_id
        ),
    )


def test_unmanaged_acs_users_list_filters(fake_seam: FakeSeam, raw: Raw) -> None:
    harbour = new_system(fake_seam, "Harbour")
    annex = new_system(fake_seam, "Annex")
    first = fake_seam.add_acs_user(harbour, "Ann Found", is_managed=False)["acs_user_id"]
    second = fake_seam.add_acs_user(annex, "Bob Found", "bob@example.com", is_managed=False)["acs_user_id"]
    third = fake_seam.add_acs_user(harbour, "Cat Other", is_managed=False)["acs_user_id"]
    path = "/acs/users/unmanaged/list"

    def listed(params: dict[str, Any]) -> list[str]:
        return [u["acs_user_id"] for u in read_ok(raw, "get", path, params)["acs_users"]]

    assert listed({}) == [third, second, first]
    assert listed({"acs_system_id": harbour}) == [third, first]
    assert listed({"search": "found"}) == [second, first]
    assert listed({"search": "BOB@"}) == [second]
    assert listed({"limit": 2}) == [third, second]
    assert listed({"user_identity_id": str(uuid.uuid4())}) == []
    expect_raw_invalid(fake_seam, lambda: raw.post(path, json={"limit": 0}), "limit")
    expect_raw_invalid(fake_seam, lambda: raw.post(path, json={"acs_system_id": "harbour"}), "acs_system_id")


def test_unmanaged_acs_user_get_refusals(fake_seam: FakeSeam, raw: Raw) -> None:
    path = "/acs/users/unmanaged/get"
    with unchanged(fake_seam):
        response = raw.get(path, params={"acs_user_id": str(uuid.uuid4())})
    assert_error(response, 404, "acs_user_not_found")
    expect_raw_invalid(fake_seam, lambda: raw.get(path, params={}), "acs_user_id")


def test_managed_acs_user_routes_refuse_an_unmanaged_user(fake_seam: FakeSeam, seam: Seam) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = fake_seam.add_acs_user(system_id, "Found User", is_managed=False)["acs_user_id"]
    lobby = fake_seam.add_acs_entrance(system_id, "Lobby")["acs_entrance_id"]
    floor = fake_seam.add_acs_access_group(system_id, "Floor", acs_entrance_ids=[lobby])[
        "acs_access_group_id"
    ]
    for call in (
        lambda: seam.acs.users.update(acs_user_id=user_id, full_name="Renamed"),
        lambda: seam.acs.users.delete(acs_user_id=user_id),
        lambda: seam.acs.users.suspend(acs_user_id=user_id),
        lambda: seam.acs.users.list_accessible_entrances(acs_user_id=user_id),
        lambda: seam.acs.access_groups.add_user(acs_access_group_id=floor, acs_user_id=user_id),
        lambda: seam.acs.credentials.create(access_method="card", acs_user_id=user_id),
    ):
        expect_api_error(fake_seam, 404, "acs_user_not_found", call)


# Unmanaged access groups ----------------------------------------------------------------


def test_an_unmanaged_group_is_seen_only_by_the_unmanaged_routes(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    system_id = new_system(fake_seam, "Harbour")
    seeded = fake_seam.add_acs_access_group(system_id, "Legacy group", is_managed=False)
    assert seeded["is_managed"] is False
    group_id = seeded["acs_access_group_id"]
    for method in METHODS:
        body = read_ok(raw, method, "/acs/access_groups/unmanaged/get", {"acs_access_group_id": group_id})
        assert body["acs_access_group"] == seeded
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.access_groups.get(acs_access_group_id=group_id),
    )
    assert seam.acs.access_groups.list() == []
    assert seam.acs.systems.get(acs_system_id=system_id).acs_access_group_count == 0
    user_id = new_user(fake_seam, system_id, "Tenant")
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.access_groups.add_user(acs_access_group_id=group_id, acs_user_id=user_id),
    )
    expect_api_error(
        fake_seam,
        404,
        "acs_access_group_not_found",
        lambda: seam.acs.users.create(
            acs_system_id=system_id, full_name="New", acs_access_group_ids=[group_id]
        ),
    )
    managed = fake_seam.add_acs_access_group(system_id, "Managed group")["acs_access_group_id"]
    with unchanged(fake_seam):
        response = raw.get("/acs/access_groups/unmanaged/get", params={"acs_access_group_id": managed})
    assert_error(response, 404, "acs_access_group_not_found")


def test_unmanaged_groups_list_filters(fake_seam: FakeSeam, raw: Raw) -> None:
    harbour = new_system(fake_seam, "Harbour")
    annex = new_system(fake_seam, "Annex")
    legacy = fake_seam.add_acs_access_group(harbour, "Legacy floor", is_managed=False)["acs_access_group_id"]
    old = fake_seam.add_acs_access_group(annex, "Old wing", is_managed=False)["acs_access_group_id"]
    fake_seam.add_acs_access_group(harbour, "Managed floor")
    user_id = new_user(fake_seam, harbour, "Tenant")
    path = "/acs/access_groups/unmanaged/list"

    def listed(params: dict[str, Any]) -> list[str]:
        return [g["acs_access_group_id"] for g in read_ok(raw, "get", path, params)["acs_access_groups"]]

    assert listed({}) == [legacy, old]
    assert listed({"acs_system_id": annex}) == [old]
    assert listed({"search": "FLOOR"}) == [legacy]
    assert listed({"search": old[:8]}) == [old]
    assert listed({"acs_user_id": user_id}) == []
    expect_raw_invalid(fake_seam, lambda: raw.post(path, json={"acs_user_id": "tenant"}), "acs_user_id")


# Unmanaged credentials ------------------------------------------------------------------


def test_an_unmanaged_credential_is_seen_only_by_the_unmanaged_routes(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = new_user(fake_seam, system_id, "Tenant")
    seeded = fake_seam.add_acs_credential("code", acs_user_id=user_id, code="123456", is_managed=False)
    assert seeded["is_managed"] is False
    credential_id = seeded["acs_credential_id"]
    for method in METHODS:
        body = read_ok(raw, method, "/acs/credentials/unmanaged/get", {"acs_credential_id": credential_id})
        assert body["acs_credential"] == seeded
    assert body["acs_credential"]["code"] == "123456"
    expect_api_error(
        fake_seam,
        404,
        "acs_credential_not_found",
        lambda: seam.acs.credentials.get(acs_credential_id=credential_id),
    )
    assert seam.acs.credentials.list() == []
    assert seam.acs.credentials.list(acs_user_id=user_id) == []
    managed = fake_seam.add_acs_credential("card", acs_user_id=user_id)["acs_credential_id"]
    with unchanged(fake_seam):
        response = raw.get("/acs/credentials/unmanaged/get", params={"acs_credential_id": managed})
    assert_error(response, 404, "acs_credential_not_found")
    listed = read_ok(raw, "get", "/acs/credentials/unmanaged/list", {})
    assert [c["acs_credential_id"] for c in listed["acs_credentials"]] == [credential_id]


def test_an_unmanaged_credential_of_an_unmanaged_user(fake_seam: FakeSeam, raw: Raw) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = fake_seam.add_acs_user(system_id, "Found", is_managed=False)["acs_user_id"]
    card = fake_seam.add_acs_credential("card", acs_user_id=user_id, is_managed=False)
    assert card["acs_user_id"] == user_id
    body = read_ok(raw, "post", "/acs/credentials/unmanaged/list", {"acs_user_id": user_id})
    assert [c["acs_credential_id"] for c in body["acs_credentials"]] == [card["acs_credential_id"]]


def test_unmanaged_credentials_list_filters(fake_seam: FakeSeam, seam: Seam, raw: Raw) -> None:
    harbour = new_system(fake_seam, "Harbour")
    annex = new_system(fake_seam, "Annex")
    identity = fake_seam.add_user_identity(email_address="jane@example.com", acs_system_ids=[harbour])
    (jane,) = identity["acs_user_ids"]
    other = new_user(fake_seam, annex, "Other")
    first = fake_seam.add_acs_credential("card", acs_user_id=jane, is_managed=False)["acs_credential_id"]
    second = fake_seam.add_acs_credential("code", acs_user_id=other, code="4321", is_managed=False)[
        "acs_credential_id"
    ]
    path = "/acs/credentials/unmanaged/list"

    def listed(params: dict[str, Any]) -> list[str]:
        return [c["acs_credential_id"] for c in read_ok(raw, "get", path, params)["acs_credentials"]]

    # Oldest first.
    assert listed({}) == [first, second]
    assert listed({"acs_user_id": jane}) == [first]
    assert listed({"acs_system_id": annex}) == [second]
    assert listed({"acs_user_id": jane, "acs_system_id": annex}) == []
    assert listed({"user_identity_id": identity["user_identity_id"]}) == [first]
    assert listed({"search": "4321"}) == [second]
    expect_raw_invalid(
        fake_seam,
        lambda: raw.post(path, json={"user_identity_id": identity["user_identity_id"], "acs_user_id": jane}),
        "user_identity_id",
    )


def test_unmanaged_credential_seeding_refusals(fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam):
        with pytest.raises(KeyError):
            fake_seam.add_acs_credential("card", acs_user_id=str(uuid.uuid4()), is_managed=False)
        with pytest.raises(ValueError):
            fake_seam.add_acs_credential(
                "card", acs_user_id=str(uuid.uuid4()), is_multi_phone_sync_credential=True, is_managed=False
            )


def test_an_unmanaged_credential_of_a_deleted_acs_user_goes_with_it(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = new_user(fake_seam, system_id, "Tenant")
    credential_id = fake_seam.add_acs_credential("card", acs_user_id=user_id, is_managed=False)[
        "acs_credential_id"
    ]
    seam.acs.users.delete(acs_user_id=user_id)
    body = ok(raw.get("/acs/credentials/unmanaged/list"))
    assert body["acs_credentials"] == []
    with unchanged(fake_seam):
        response = raw.get("/acs/credentials/unmanaged/get", params={"acs_credential_id": credential_id})
    assert_error(response, 404, "acs_credential_not_found")
    # The state is whole: its snapshot restores.
    snapshot = fake_seam.snapshot()
    fake_seam.restore(snapshot)
    assert fake_seam.snapshot() == snapshot


def test_an_unmanaged_credential_of_a_deleted_identitys_acs_user_goes_with_it(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    system_id = new_system(fake_seam, "Harbour")
    identity = fake_seam.add_user_identity(email_address="jane@example.com", acs_system_ids=[system_id])
    (user_id,) = identity["acs_user_ids"]
    kept_user = new_user(fake_seam, system_id, "Other")
    fake_seam.add_acs_credential("card", acs_user_id=user_id, is_managed=False)
    kept = fake_seam.add_acs_credential("card", acs_user_id=kept_user, is_managed=False)["acs_credential_id"]
    seam.user_identities.delete(user_identity_id=identity["user_identity_id"])
    listed = ok(raw.get("/acs/credentials/unmanaged/list"))["acs_credentials"]
    assert [c["acs_credential_id"] for c in listed] == [kept]
    fake_seam.restore(fake_seam.snapshot())


@pytest.mark.parametrize(
    ("path", "param", "code"),
    [
        ("/acs/users/unmanaged/get", "acs_user_id", "acs_user_not_found"),
        ("/acs/access_groups/unmanaged/get", "acs_access_group_id", "acs_access_group_not_found"),
        ("/acs/credentials/unmanaged/get", "acs_credential_id", "acs_credential_not_found"),
    ],
)
def test_another_workspace_sees_no_unmanaged_acs_object(
    fake_seam: FakeSeam, raw: Raw, path: str, param: str, code: str
) -> None:
    system_id = new_system(fake_seam, "Harbour")
    user_id = fake_seam.add_acs_user(system_id, "Found", is_managed=False)["acs_user_id"]
    made = {
        "acs_user_id": user_id,
        "acs_access_group_id": fake_seam.add_acs_access_group(system_id, "Legacy", is_managed=False)[
            "acs_access_group_id"
        ],
        "acs_credential_id": fake_seam.add_acs_credential("card", acs_user_id=user_id, is_managed=False)[
            "acs_credential_id"
        ],
    }
    _, api_key = other_workspace(fake_seam)
    headers = {"Authorization": f"Bearer {api_key}"}
    with unchanged(fake_seam):
        response = raw.get(path, params={param: made[param]}, headers=headers)
    assert_error(response, 404, code)
    listing = ok(raw.get(path.replace("/get", "/list"), headers=headers))
    assert all(records == [] for key, records in listing.items() if isinstance(records, list)), listing
