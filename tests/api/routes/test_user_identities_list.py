"""/user_identities/list: its order and its filters.

Covered here:

- ``/user_identities/list`` (GET with a query, POST with JSON): newest first by
  ``(created_at, creation sequence)``, including records created at one frozen
  instant and a clock that travels backwards; the ``pagination`` object.
- Its filters: ``user_identity_ids``, ``search`` and ``credential_manager_acs_system_id``,
  alone, together and across pages (also when a walk follows ``next_page_url`` alone).

Paging itself (``limit``, ``page_cursor``, ``created_before``, the SDK paginator) is in
``tests/api/test_paging.py``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from helpers import (
    Raw,
    create_identities,
    create_identity,
    expect_raw_invalid,
    identity_ids,
    list_raw,
    listed,
    newest_first,
    walk_pages,
)
from seam import Seam

from seam_fake import FakeSeam

LIST_PATH = "/user_identities/list"
METHODS = ("get", "post")
ENDPOINT = "https://connect.getseam.com"
T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


# Order ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_list_is_newest_first_with_an_empty_pagination(raw: Raw, seam: Seam, method: str) -> None:
    created = []
    for day in range(5):
        with time_machine.travel(T0 + timedelta(days=day), tick=False):
            created.append(create_identity(raw, user_identity_key=f"day-{day}")["user_identity_id"])

    body = list_raw(raw, method, {})

    assert [i["user_identity_id"] for i in body["user_identities"]] == newest_first(created)
    assert [i["user_identity_key"] for i in body["user_identities"]] == [f"day-{d}" for d in (4, 3, 2, 1, 0)]
    assert body["pagination"] == {"has_next_page": False, "next_page_cursor": None, "next_page_url": None}
    sdk = seam.user_identities.list()
    assert identity_ids(sdk) == newest_first(created)
    assert sdk.pagination == body["pagination"]  # type: ignore[attr-defined]


def test_empty_workspace_lists_nothing(seam: Seam) -> None:
    empty = seam.user_identities.list()
    assert empty == []
    assert empty.pagination == {  # type: ignore[attr-defined]
        "has_next_page": False,
        "next_page_cursor": None,
        "next_page_url": None,
    }


@pytest.mark.parametrize("method", METHODS)
def test_identities_created_at_one_frozen_instant_list_by_creation_sequence(raw: Raw, method: str) -> None:
    with time_machine.travel(T0, tick=False):
        created = create_identities(raw, 7)

    assert listed(raw, method, {}) == newest_first(created)
    # Pages at one instant neither skip nor repeat: the cursor carries the sequence too.
    assert walk_pages(raw, method, {"limit": 2}) == [
        newest_first(created)[0:2],
        newest_first(created)[2:4],
        newest_first(created)[4:6],
        newest_first(created)[6:7],
    ]


@pytest.mark.parametrize("method", METHODS)
def test_a_clock_travelling_backwards_orders_by_created_at_not_creation(raw: Raw, method: str) -> None:
    moments = {
        "2030": datetime(2030, 1, 1, tzinfo=timezone.utc),
        "2020": datetime(2020, 1, 1, tzinfo=timezone.utc),
        "2025-a": datetime(2025, 1, 1, tzinfo=timezone.utc),
        "2025-b": datetime(2025, 1, 1, tzinfo=timezone.utc),
        "2010": datetime(2010, 1, 1, tzinfo=timezone.utc),
    }
    by_key = {}
    for key, moment in moments.items():
        with time_machine.travel(moment, tick=False):
            by_key[key] = create_identity(raw, user_identity_key=key)["user_identity_id"]

    expected = [by_key[k] for k in ("2030", "2025-b", "2025-a", "2020", "2010")]
    assert listed(raw, method, {}) == expected
    assert [i for page in walk_pages(raw, method, {"limit": 2}) for i in page] == expected
    assert walk_pages(raw, method, {"limit": 1}) == [[identity_id] for identity_id in expected]


def test_identities_of_other_workspaces_are_never_listed(fake_seam: FakeSeam, raw: Raw, seam: Seam) -> None:
    other = fake_seam.add_workspace(name="Other")
    ours = create_identities(raw, 3, "ours")
    theirs = create_identities(raw, 2, "theirs", api_key=other["api_key"])

    assert identity_ids(seam.user_identities.list()) == newest_first(ours)
    assert identity_ids(seam.user_identities.list(search="theirs")) == []
    assert identity_ids(Seam(api_key=other["api_key"]).user_identities.list()) == newest_first(theirs)


# user_identity_ids ----------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_user_identity_ids_returns_the_named_identities_newest_first(
    fake_seam: FakeSeam, raw: Raw, method: str
) -> None:
    ids = create_identities(raw, 5)
    other = fake_seam.add_workspace(name="Other")
    (foreign,) = create_identities(raw, 1, "foreign", api_key=other["api_key"])
    unknown = str(uuid.uuid4())

    named = [ids[1], unknown, ids[3].upper(), foreign, ids[0], ids[3]]
    assert listed(raw, method, {"user_identity_ids": named}) == [ids[3], ids[1], ids[0]]
    assert listed(raw, method, {"user_identity_ids": [unknown, foreign]}) == []
    assert listed(raw, method, {"user_identity_ids": [ids[4]]}) == [ids[4]]


def test_user_identity_ids_through_the_sdk_and_the_empty_array(raw: Raw, seam: Seam) -> None:
    ids = create_identities(raw, 4)

    assert identity_ids(seam.user_identities.list(user_identity_ids=[ids[0], ids[2]])) == [ids[2], ids[0]]
    # The SDK sends [] as one empty query value; [] names no identity.
    assert seam.user_identities.list(user_identity_ids=[]) == []
    assert listed(raw, "post", {"user_identity_ids": []}) == []
    assert listed(raw, "get", {}) == newest_first(ids)


@pytest.mark.parametrize("method", METHODS)
def test_user_identity_ids_paginate(raw: Raw, method: str) -> None:
    ids = create_identities(raw, 9)
    named = [ids[8], ids[0], ids[5], ids[2], ids[7]]
    assert walk_pages(raw, method, {"user_identity_ids": named, "limit": 2}) == [
        [ids[8], ids[7]],
        [ids[5], ids[2]],
        [ids[0]],
    ]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("value", [["not-a-uuid"], ["00000000-0000-0000-0000-00000000000g"]])
def test_user_identity_ids_must_be_uuids(fake_seam: FakeSeam, raw: Raw, method: str, value: Any) -> None:
    create_identities(raw, 1)
    expect_raw_invalid(
        fake_seam, lambda: raw.read(method, LIST_PATH, {"user_identity_ids": value}), "user_identity_ids"
    )


@pytest.mark.parametrize("value", ["not-a-list", 7, {"id": "x"}, [None]])
def test_user_identity_ids_must_be_an_array_of_uuids_in_json(
    fake_seam: FakeSeam, raw: Raw, value: Any
) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.post(LIST_PATH, json={"user_identity_ids": value}), "user_identity_ids"
    )


# search ----------------------------------------------------------------------------------


@pytest.fixture
def people(raw: Raw) -> dict[str, str]:
    """Identities that each field of ``search`` can tell apart; ids by name."""
    return {
        "key": create_identity(raw, user_identity_key="Badge-ALPHA-17")["user_identity_id"],
        "email": create_identity(raw, email_address="Quinn.Ample@Example.com")["user_identity_id"],
        "phone": create_identity(raw, phone_number="+15555550177")["user_identity_id"],
        "full_name": create_identity(raw, full_name="Jürgen Straße", user_identity_key="jurgen")[
            "user_identity_id"
        ],
        "bare": create_identity(raw)["user_identity_id"],
    }


@pytest.mark.parametrize(
    ("needle", "match"),
    [
        # Not the key: the reference names full name, phone, email and id only.
        ("badge-alpha", None),
        ("ALPHA-1", None),
        ("quinn.ample@EXAMPLE", "email"),
        ("ample@ex", "email"),
        ("5550177", "phone"),
        ("+1555555017", "phone"),
        ("jürgen", "full_name"),
        # Lower case, as for emails (seam_fake/model/folding.py): ß is not ss, but NFD is NFC.
        ("STRAßE", "full_name"),
        ("ju\u0308rgen", "full_name"),
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_search_matches_a_substring_of_each_field_case_insensitively(
    people: dict[str, str], raw: Raw, method: str, needle: str, match: str | None
) -> None:
    assert listed(raw, method, {"search": needle}) == ([people[match]] if match else [])


@pytest.mark.parametrize("method", METHODS)
def test_search_does_not_casefold(people: dict[str, str], raw: Raw, method: str) -> None:
    assert listed(raw, method, {"search": "STRASSE"}) == []


@pytest.mark.parametrize("method", METHODS)
def test_search_matches_the_id_not_the_display_name(people: dict[str, str], raw: Raw, method: str) -> None:
    bare = people["bare"]
    assert listed(raw, method, {"search": bare[-12:].upper()}) == [bare]
    assert listed(raw, method, {"search": bare}) == [bare]
    assert listed(raw, method, {"search": people["key"][:13]}) == [people["key"]]
    # The display name is not searched ("Fake user with id ..." finds nobody), nor the key
    # ("jurgen" is one identity's key, and in no field the reference names).
    assert listed(raw, method, {"search": "Fake user"}) == []
    assert listed(raw, method, {"search": "jurgen"}) == []


def test_search_through_the_sdk(people: dict[str, str], seam: Seam) -> None:
    assert identity_ids(seam.user_identities.list(search="+1555")) == [people["phone"]]
    assert identity_ids(seam.user_identities.list(search="ample")) == [people["email"]]
    assert identity_ids(seam.user_identities.list(search="no such person")) == []
    assert len(seam.user_identities.list(search="")) == len(people)


@pytest.mark.parametrize("method", METHODS)
def test_search_paginates(raw: Raw, method: str) -> None:
    ids = create_identities(raw, 6, "team-red") + create_identities(raw, 5, "team-blue")
    ids += create_identities(raw, 4, "team-green")
    red = newest_first(ids[:6])
    assert walk_pages(raw, method, {"search": "RED", "limit": 4}) == [red[:4], red[4:]]
    # Newer and older records that do not match never make an empty extra page.
    assert walk_pages(raw, method, {"search": "red", "limit": 3}) == [red[:3], red[3:]]
    assert walk_pages(raw, method, {"search": "red", "limit": 6}) == [red]


def test_search_must_be_a_string(fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST_PATH, json={"search": 17}), "search")


# credential_manager_acs_system_id --------------------------------------------------------


class Linked:
    """Identities linked on two of three systems, one unlinked identity, and a foreign system."""

    def __init__(self, fake: FakeSeam, raw: Raw) -> None:
        self.hq = fake.add_acs_system("HQ")["acs_system_id"]
        self.annex = fake.add_acs_system("Annex")["acs_system_id"]
        self.idle = fake.add_acs_system("Idle")["acs_system_id"]
        self.on_hq = create_identity(raw, full_name="On HQ", acs_system_ids=[self.hq])["user_identity_id"]
        self.unlinked = create_identity(raw, full_name="Nowhere")["user_identity_id"]
        self.on_both = create_identity(raw, full_name="On Both", acs_system_ids=[self.annex, self.hq])[
            "user_identity_id"
        ]
        self.on_annex = create_identity(raw, full_name="On Annex", acs_system_ids=[self.annex])[
            "user_identity_id"
        ]
        other = fake.add_workspace(name="Other")
        self.foreign_system = fake.add_acs_system("Foreign HQ", workspace_id=other["workspace_id"])[
            "acs_system_id"
        ]
        # An ACS user on HQ that belongs to no identity does not make one appear.
        fake.add_acs_user(self.hq, "Loose User", "loose@example.com")


@pytest.fixture
def linked(fake_seam: FakeSeam, raw: Raw) -> Linked:
    return Linked(fake_seam, raw)


@pytest.mark.parametrize("method", METHODS)
def test_credential_manager_acs_system_id_lists_identities_linked_on_the_system(
    linked: Linked, raw: Raw, method: str
) -> None:
    def on(system: str) -> list[str]:
        return listed(raw, method, {"credential_manager_acs_system_id": system})

    assert on(linked.hq) == [linked.on_both, linked.on_hq]
    assert on(linked.annex) == [linked.on_annex, linked.on_both]
    assert on(linked.idle) == []
    assert on(str(uuid.uuid4())) == []
    assert on(linked.foreign_system) == []
    assert on(linked.hq.upper()) == [linked.on_both, linked.on_hq]


def test_credential_manager_acs_system_id_follows_links(linked: Linked, seam: Seam) -> None:
    hq_user = next(
        user.acs_user_id
        for user in seam.user_identities.list_acs_users(user_identity_id=linked.on_hq)
        if user.acs_system_id == linked.hq
    )
    seam.user_identities.remove_acs_user(user_identity_id=linked.on_hq, acs_user_id=hq_user)
    assert identity_ids(seam.user_identities.list(credential_manager_acs_system_id=linked.hq)) == [
        linked.on_both
    ]
    seam.user_identities.add_acs_user(user_identity_id=linked.unlinked, acs_user_id=hq_user)
    assert identity_ids(seam.user_identities.list(credential_manager_acs_system_id=linked.hq)) == [
        linked.on_both,
        linked.unlinked,
    ]


def test_credential_manager_acs_system_id_combines_with_other_filters_and_pages(
    linked: Linked, seam: Seam, raw: Raw
) -> None:
    assert identity_ids(
        seam.user_identities.list(credential_manager_acs_system_id=linked.hq, search="both")
    ) == [linked.on_both]
    assert identity_ids(
        seam.user_identities.list(
            credential_manager_acs_system_id=linked.annex, user_identity_ids=[linked.on_hq, linked.on_annex]
        )
    ) == [linked.on_annex]
    assert walk_pages(raw, "post", {"credential_manager_acs_system_id": linked.hq, "limit": 1}) == [
        [linked.on_both],
        [linked.on_hq],
    ]


@pytest.mark.parametrize("method", METHODS)
def test_credential_manager_acs_system_id_must_be_a_uuid(
    linked: Linked, fake_seam: FakeSeam, raw: Raw, method: str
) -> None:
    expect_raw_invalid(
        fake_seam,
        lambda: raw.read(method, LIST_PATH, {"credential_manager_acs_system_id": "HQ"}),
        "credential_manager_acs_system_id",
    )


@pytest.mark.parametrize("method", METHODS)
def test_following_next_page_url_alone_walks_a_filtered_list(linked: Linked, raw: Raw, method: str) -> None:
    more = [
        create_identity(
            raw, full_name=f"Guest {n}", acs_system_ids=[linked.hq], phone_number=f"+1555555020{n}"
        )["user_identity_id"]
        for n in range(5)
    ]
    named = [*more, linked.on_both, linked.on_hq, linked.on_annex]
    params = {
        "credential_manager_acs_system_id": linked.hq,
        "user_identity_ids": named,
        "search": "+1555555020",
        "created_before": "2999-01-01T00:00:00+01:00",
        "limit": 2,
    }
    body = list_raw(raw, method, params)
    seen = [i["user_identity_id"] for i in body["user_identities"]]
    while body["pagination"]["has_next_page"]:
        url = body["pagination"]["next_page_url"]
        assert url.startswith(f"{ENDPOINT}{LIST_PATH}?")
        response = raw.session.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [i["user_identity_id"] for i in body["user_identities"]]
    assert seen == newest_first(more)
