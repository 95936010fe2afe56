"""The identity lifecycle after create: update, delete, add/remove ACS users and the two link lists.

Covers ``/user_identities/update`` (validation, uniqueness against other identities,
``display_name``, freed old values, what linked ACS users and the profile-mismatch
warning show afterwards), ``/user_identities/delete`` (linked ACS users go with the
identity, values become free, ACS user counts drop), ``/user_identities/add_acs_user``
(by id or key, link conflicts, the identity an unknown key creates),
``/user_identities/remove_acs_user``, ``/user_identities/list_acs_users`` and
``/user_identities/list_acs_systems``; the 404 every one of them answers for another
workspace's ids; the HTTP methods each accepts; and the async client.

Everything goes through the real ``seam`` SDK, and through ``raw`` requests for what
the SDK never sends (POST forms, missing parameters, wrong types).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from helpers import (
    Raw,
    assert_error,
    create_identity,
    expect_api_error,
    expect_invalid,
    expect_raw_invalid,
    mismatch_warnings,
    unchanged,
    workspace_state,
)
from seam import NULL, AsyncSeam, Seam, SeamHttpApiError

from seam_fake import FakeSeam

JANE_EMAIL = "jane@example.com"
JANE_PHONE = "+15555550100"
BOB_EMAIL = "bob@example.com"
BOB_PHONE = "+15555550101"
MISSING_ID = "00000000-0000-4000-8000-000000000000"


# Helpers ------------------------------------------------------------------------------


def stored_identity_ids(fake: FakeSeam, workspace_id: str | None = None) -> set[str]:
    return set(workspace_state(fake, workspace_id)["user_identities"])


def stored_acs_user_ids(fake: FakeSeam, workspace_id: str | None = None) -> set[str]:
    return set(workspace_state(fake, workspace_id)["acs_users"])


class World:
    """Two systems; Jane linked to an ACS user on Salto; Bob linked to none; loose ACS users.

    Jane's Salto ACS user was created for her, so it carries her profile exactly. Set up
    over raw HTTP: a ``Seam`` client costs more than the whole set-up, so tests that only
    send raw requests never build one.
    """

    def __init__(self, fake: FakeSeam, raw: Raw) -> None:
        self.salto = fake.add_acs_system("Harbour Salto Site")["acs_system_id"]
        self.visionline = fake.add_acs_system("Grand Visionline", external_type="visionline_system")[
            "acs_system_id"
        ]
        jane = create_identity(
            raw,
            user_identity_key="jane",
            email_address=JANE_EMAIL,
            phone_number=JANE_PHONE,
            full_name="Jane Doe",
            acs_system_ids=[self.salto],
        )
        self.jane: str = jane["user_identity_id"]
        self.jane_salto: str = jane["acs_user_ids"][0]
        bob = create_identity(
            raw, user_identity_key="bob", email_address=BOB_EMAIL, phone_number=BOB_PHONE, full_name="Bob Roe"
        )
        self.bob: str = bob["user_identity_id"]
        self.loose_salto: str = fake.add_acs_user(
            self.salto, "Loose Lee", "loose@example.com", "+15555550150"
        )["acs_user_id"]
        self.loose_visionline: str = fake.add_acs_user(
            self.visionline, "Vera Vision", "vera@example.com", "+15555550160"
        )["acs_user_id"]


@pytest.fixture
def world(fake_seam: FakeSeam, raw: Raw) -> World:
    return World(fake_seam, raw)


# /user_identities/update: accepted changes --------------------------------------------


def test_update_changes_every_field_and_returns_nothing(seam: Seam, world: World) -> None:
    result = seam.user_identities.update(
        user_identity_id=world.bob,
        user_identity_key="robert",
        email_address="Robert@Example.com",
        phone_number="+442079460958",
        full_name="Robert Roe",
    )

    assert result is None
    bob = seam.user_identities.get(user_identity_id=world.bob)
    assert bob.user_identity_key == "robert"
    assert bob.email_address == "Robert@Example.com"
    assert bob.phone_number == "+442079460958"
    assert bob.full_name == "Robert Roe"
    assert bob.display_name == "Robert Roe"
    # Jane is untouched.
    jane = seam.user_identities.get(user_identity_id=world.jane)
    assert (jane.user_identity_key, jane.email_address, jane.phone_number, jane.full_name) == (
        "jane",
        JANE_EMAIL,
        JANE_PHONE,
        "Jane Doe",
    )


def test_update_leaves_fields_it_does_not_name(seam: Seam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.bob, full_name="Bobby")

    bob = seam.user_identities.get(user_identity_id=world.bob)
    assert (bob.user_identity_key, bob.email_address, bob.phone_number, bob.full_name) == (
        "bob",
        BOB_EMAIL,
        BOB_PHONE,
        "Bobby",
    )


def test_update_with_only_the_id_changes_nothing(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    with unchanged(fake_seam):
        assert seam.user_identities.update(user_identity_id=world.bob) is None


def test_update_to_the_same_values_changes_nothing(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    with unchanged(fake_seam):
        seam.user_identities.update(
            user_identity_id=world.jane,
            user_identity_key="jane",
            email_address=JANE_EMAIL,
            phone_number=JANE_PHONE,
            full_name="Jane Doe",
        )


def test_update_accepts_an_upper_case_id(seam: Seam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.bob.upper(), full_name="Bobby")
    assert seam.user_identities.get(user_identity_id=world.bob).full_name == "Bobby"


def test_null_clears_fields_and_display_name_falls_back_in_order(seam: Seam, world: World) -> None:
    def display_name() -> str:
        name: str = seam.user_identities.get(user_identity_id=world.bob).display_name
        return name

    assert display_name() == "Bob Roe"
    seam.user_identities.update(user_identity_id=world.bob, full_name=NULL)
    assert display_name() == BOB_EMAIL
    # The phone is not in the official fake's order: the key shows next.
    seam.user_identities.update(user_identity_id=world.bob, email_address=NULL)
    assert display_name() == "bob"
    seam.user_identities.update(user_identity_id=world.bob, phone_number=NULL)
    assert display_name() == "bob"
    seam.user_identities.update(user_identity_id=world.bob, user_identity_key=NULL)
    assert display_name() == f"Fake user with id {world.bob}"

    bob = seam.user_identities.get(user_identity_id=world.bob)
    assert (bob.user_identity_key, bob.email_address, bob.phone_number, bob.full_name) == (
        None,
        None,
        None,
        None,
    )
    # And back up the ladder: each field set takes over from the weaker ones.
    seam.user_identities.update(user_identity_id=world.bob, user_identity_key="bob2")
    assert display_name() == "bob2"
    seam.user_identities.update(user_identity_id=world.bob, phone_number=BOB_PHONE)
    assert display_name() == "bob2"
    seam.user_identities.update(user_identity_id=world.bob, email_address=BOB_EMAIL)
    assert display_name() == BOB_EMAIL
    seam.user_identities.update(user_identity_id=world.bob, full_name="Bob Again")
    assert display_name() == "Bob Again"


def test_update_moves_the_key_get_by_old_key_is_404(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.bob, user_identity_key="robert")

    assert seam.user_identities.get(user_identity_key="robert").user_identity_id == world.bob
    expect_api_error(
        fake_seam, 404, "user_identity_not_found", lambda: seam.user_identities.get(user_identity_key="bob")
    )


def test_old_values_are_free_for_another_identity_after_update(seam: Seam, world: World) -> None:
    seam.user_identities.update(
        user_identity_id=world.bob,
        user_identity_key="robert",
        email_address="robert@example.com",
        phone_number="+15555550102",
    )

    again = seam.user_identities.create(
        user_identity_key="bob", email_address=BOB_EMAIL.upper(), phone_number=BOB_PHONE
    )
    assert again.user_identity_id != world.bob
    assert seam.user_identities.get(user_identity_key="bob").user_identity_id == again.user_identity_id


def test_values_cleared_with_null_are_free_for_another_identity(seam: Seam, world: World) -> None:
    seam.user_identities.update(
        user_identity_id=world.bob, user_identity_key=NULL, email_address=NULL, phone_number=NULL
    )

    again = seam.user_identities.create(
        user_identity_key="bob", email_address=BOB_EMAIL, phone_number=BOB_PHONE
    )
    assert again.user_identity_id != world.bob


def test_updated_email_is_what_searches_and_acs_user_filters_find(seam: Seam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.jane, email_address="jd@example.com")

    assert [i.user_identity_id for i in seam.user_identities.list(search="jd@example")] == [world.jane]
    assert list(seam.user_identities.list(search="jane@example")) == []
    by_new = seam.acs.users.list(user_identity_email_address="JD@example.com")
    assert [u.acs_user_id for u in by_new] == [world.jane_salto]
    assert list(seam.acs.users.list(user_identity_email_address=JANE_EMAIL)) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email_address", "JANE@EXAMPLE.COM"),
        ("user_identity_key", "jane"),
        ("phone_number", JANE_PHONE),
    ],
)
def test_an_identity_never_conflicts_with_itself(seam: Seam, world: World, field: str, value: str) -> None:
    seam.user_identities.update(user_identity_id=world.jane, **{field: value})

    assert getattr(seam.user_identities.get(user_identity_id=world.jane), field) == value


def test_email_case_change_keeps_the_email_held_case_insensitively(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    seam.user_identities.update(user_identity_id=world.jane, email_address="Jane@Example.COM")

    expect_api_error(
        fake_seam,
        400,
        "email_address_already_in_use",
        lambda: seam.user_identities.update(user_identity_id=world.bob, email_address="jane@example.com"),
    )


# /user_identities/update: linked ACS users follow, the mismatch warning -------------------


def test_linked_acs_user_shows_the_identitys_new_profile_but_keeps_its_own(seam: Seam, world: World) -> None:
    seam.user_identities.update(
        user_identity_id=world.jane,
        full_name="Jane Smith",
        email_address="jane.smith@example.com",
        phone_number="+15555550177",
    )

    user = seam.acs.users.get(acs_user_id=world.jane_salto)
    assert user.user_identity_id == world.jane
    assert user.user_identity_full_name == "Jane Smith"
    assert user.user_identity_email_address == "jane.smith@example.com"
    assert user.user_identity_phone_number == "+15555550177"
    # The ACS user's own profile is not rewritten by an identity update.
    assert user.full_name == "Jane Doe"
    assert user.email_address == JANE_EMAIL
    assert user.phone_number == JANE_PHONE
    # The same through the list route.
    listed = seam.user_identities.list_acs_users(user_identity_id=world.jane)
    assert [(u.user_identity_full_name, u.full_name) for u in listed] == [("Jane Smith", "Jane Doe")]


def test_linked_acs_user_shows_cleared_identity_fields(seam: Seam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.jane, full_name=NULL, phone_number=NULL)

    user = seam.acs.users.get(acs_user_id=world.jane_salto)
    assert user.user_identity_full_name is None
    assert user.user_identity_phone_number is None
    assert user.user_identity_email_address == JANE_EMAIL
    assert user.full_name == "Jane Doe"
    assert user.phone_number == JANE_PHONE


@pytest.mark.parametrize(
    ("field", "value"),
    [("full_name", "Jane Smith"), ("email_address", "other@example.com"), ("phone_number", "+15555550177")],
)
def test_mismatch_warning_appears_and_disappears_with_the_identitys_fields(
    seam: Seam, world: World, field: str, value: str
) -> None:
    assert mismatch_warnings(seam, world.jane) == []
    original = getattr(seam.user_identities.get(user_identity_id=world.jane), field)

    seam.user_identities.update(user_identity_id=world.jane, **{field: value})

    warnings = mismatch_warnings(seam, world.jane)
    assert len(warnings) == 1
    assert world.jane_salto in warnings[0].message
    assert field in warnings[0].message
    # The ACS user itself carries no warning and did not change.
    user = seam.acs.users.get(acs_user_id=world.jane_salto)
    assert getattr(user, field) == original

    seam.user_identities.update(user_identity_id=world.jane, **{field: original})
    assert mismatch_warnings(seam, world.jane) == []


def test_mismatch_warning_disappears_when_the_differing_field_is_cleared(seam: Seam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.jane, full_name="Jane Smith")
    assert len(mismatch_warnings(seam, world.jane)) == 1

    seam.user_identities.update(user_identity_id=world.jane, full_name=NULL)

    assert mismatch_warnings(seam, world.jane) == []


def test_email_case_change_raises_no_mismatch_warning(seam: Seam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.jane, email_address="JANE@example.com")
    assert mismatch_warnings(seam, world.jane) == []


def test_mismatch_warning_names_every_differing_field(seam: Seam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.jane, full_name="J. Doe", phone_number="+15555550177")

    [warning] = mismatch_warnings(seam, world.jane)
    assert "full_name" in warning.message
    assert "phone_number" in warning.message
    assert "email_address" not in warning.message


def test_an_identity_without_acs_users_gets_no_mismatch_warning(seam: Seam, world: World) -> None:
    seam.user_identities.update(user_identity_id=world.bob, full_name="Anything")
    assert seam.user_identities.get(user_identity_id=world.bob).warnings == []


# /user_identities/update: refusals ------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email_address", "not-an-email"),
        ("email_address", "jane@"),
        ("email_address", "two@@example.com"),
        ("phone_number", "555-555-0100"),
        ("phone_number", "+1 555 555 0100"),
        ("phone_number", "15555550100"),
        ("phone_number", "+1555"),
        ("phone_number", "+999123456"),
        ("user_identity_key", ""),
        ("full_name", ""),
    ],
)
def test_update_refuses_bad_values(
    seam: Seam, fake_seam: FakeSeam, world: World, field: str, value: str
) -> None:
    expect_invalid(
        fake_seam, lambda: seam.user_identities.update(user_identity_id=world.bob, **{field: value}), field
    )


def test_update_phone_refusal_suggests_the_e164_form(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    error = expect_invalid(
        fake_seam,
        lambda: seam.user_identities.update(user_identity_id=world.bob, phone_number="+1 (555) 555-0123"),
        "phone_number",
    )
    assert "+15555550123" in " ".join(error.get_validation_error_messages("phone_number"))


def test_update_refuses_a_bad_value_even_with_good_ones_beside_it(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    error = expect_invalid(
        fake_seam,
        lambda: seam.user_identities.update(
            user_identity_id=world.bob, full_name="Fine Name", email_address="nope", phone_number="nope"
        ),
        "email_address",
        "phone_number",
    )
    assert error.get_validation_error_messages("full_name") == []


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"full_name": "No Id"}, "user_identity_id"),
        ({"user_identity_id": "not-a-uuid"}, "user_identity_id"),
        ({"user_identity_id": None}, "user_identity_id"),
        ({"user_identity_id": 7}, "user_identity_id"),
        ({"user_identity_id": "{id}", "full_name": 5}, "full_name"),
        ({"user_identity_id": "{id}", "email_address": ["a@example.com"]}, "email_address"),
        ({"user_identity_id": "{id}", "phone_number": 15555550100}, "phone_number"),
        ({"user_identity_id": "{id}", "user_identity_key": True}, "user_identity_key"),
    ],
)
@pytest.mark.parametrize("method", ["PATCH", "POST"])
def test_update_refuses_missing_id_and_wrong_types(
    raw: Raw, fake_seam: FakeSeam, world: World, body: dict[str, Any], param: str, method: str
) -> None:
    sent = {k: (world.bob if v == "{id}" else v) for k, v in body.items()}
    expect_raw_invalid(fake_seam, lambda: raw.request(method, "/user_identities/update", json=sent), param)


def test_update_of_an_unknown_identity_is_404(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    error = expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.update(user_identity_id=MISSING_ID, full_name="Ghost"),
    )
    assert MISSING_ID in str(error)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("user_identity_key", "jane", "user_identity_key_already_in_use"),
        ("email_address", JANE_EMAIL, "email_address_already_in_use"),
        ("email_address", "JANE@Example.Com", "email_address_already_in_use"),
        ("phone_number", JANE_PHONE, "phone_number_already_in_use"),
    ],
)
def test_update_refuses_values_another_identity_holds(
    seam: Seam, fake_seam: FakeSeam, world: World, field: str, value: str, code: str
) -> None:
    error = expect_api_error(
        fake_seam,
        400,
        code,
        lambda: seam.user_identities.update(user_identity_id=world.bob, **{field: value}),
    )
    assert field in str(error)


def test_update_conflict_on_several_fields_reports_the_key_first(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    expect_api_error(
        fake_seam,
        400,
        "user_identity_key_already_in_use",
        lambda: seam.user_identities.update(
            user_identity_id=world.bob,
            phone_number=JANE_PHONE,
            email_address=JANE_EMAIL,
            user_identity_key="jane",
        ),
    )


def test_update_refused_for_a_conflict_changes_no_other_field(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    # A fine full name beside a taken phone: nothing at all is written.
    expect_api_error(
        fake_seam,
        400,
        "phone_number_already_in_use",
        lambda: seam.user_identities.update(
            user_identity_id=world.bob, full_name="New Name", phone_number=JANE_PHONE
        ),
    )
    assert seam.user_identities.get(user_identity_id=world.bob).full_name == "Bob Roe"


def test_swapping_values_between_identities_needs_freeing_first(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    expect_api_error(
        fake_seam,
        400,
        "email_address_already_in_use",
        lambda: seam.user_identities.update(user_identity_id=world.jane, email_address=BOB_EMAIL),
    )
    seam.user_identities.update(user_identity_id=world.bob, email_address="tmp@example.com")
    seam.user_identities.update(user_identity_id=world.jane, email_address=BOB_EMAIL)
    seam.user_identities.update(user_identity_id=world.bob, email_address=JANE_EMAIL)

    assert seam.user_identities.get(user_identity_id=world.jane).email_address == BOB_EMAIL
    assert seam.user_identities.get(user_identity_id=world.bob).email_address == JANE_EMAIL


# /user_identities/delete ----------------------------------------------------------------


def test_delete_removes_the_identity_and_its_linked_acs_users(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    seam.user_identities.add_acs_user(user_identity_id=world.jane, acs_user_id=world.loose_visionline)
    bystander = fake_seam.add_acs_user(world.visionline, "Bystander", "by@example.com")["acs_user_id"]

    assert seam.user_identities.delete(user_identity_id=world.jane) is None

    assert world.jane not in stored_identity_ids(fake_seam)
    remaining = stored_acs_user_ids(fake_seam)
    assert world.jane_salto not in remaining
    assert world.loose_visionline not in remaining
    for gone in (world.jane_salto, world.loose_visionline):
        expect_api_error(
            fake_seam, 404, "acs_user_not_found", lambda g=gone: seam.acs.users.get(acs_user_id=g)
        )
    # Unlinked ACS users of the same systems, and other identities, are untouched.
    assert remaining == {world.loose_salto, bystander}
    loose = seam.acs.users.get(acs_user_id=world.loose_salto)
    assert (loose.full_name, loose.email_address, loose.user_identity_id) == (
        "Loose Lee",
        "loose@example.com",
        None,
    )
    assert seam.user_identities.get(user_identity_id=world.bob).user_identity_key == "bob"
    assert [u.acs_user_id for u in seam.acs.users.list(acs_system_id=world.salto)] == [world.loose_salto]


def test_get_after_delete_is_404_by_id_and_key(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    seam.user_identities.delete(user_identity_id=world.jane)

    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.get(user_identity_id=world.jane),
    )
    expect_api_error(
        fake_seam, 404, "user_identity_not_found", lambda: seam.user_identities.get(user_identity_key="jane")
    )
    assert world.jane not in [i.user_identity_id for i in seam.user_identities.list()]


def test_deleting_twice_is_404(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    seam.user_identities.delete(user_identity_id=world.jane)

    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.delete(user_identity_id=world.jane),
    )


def test_delete_of_an_unknown_identity_is_404(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.delete(user_identity_id=MISSING_ID),
    )


def test_delete_drops_the_acs_user_count_of_the_system(seam: Seam, world: World) -> None:
    assert seam.acs.systems.get(acs_system_id=world.salto).acs_user_count == 2
    assert seam.acs.systems.get(acs_system_id=world.visionline).acs_user_count == 1

    seam.user_identities.delete(user_identity_id=world.jane)

    assert seam.acs.systems.get(acs_system_id=world.salto).acs_user_count == 1
    assert seam.acs.systems.get(acs_system_id=world.visionline).acs_user_count == 1


def test_delete_of_an_identity_without_acs_users_removes_no_acs_user(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    before = stored_acs_user_ids(fake_seam)
    seam.user_identities.delete(user_identity_id=world.bob)
    assert stored_acs_user_ids(fake_seam) == before
    assert stored_identity_ids(fake_seam) == {world.jane}


def test_deleted_values_are_free_and_create_links_afresh(seam: Seam, world: World) -> None:
    seam.user_identities.delete(user_identity_id=world.jane)

    again = seam.user_identities.create(
        user_identity_key="jane",
        email_address=JANE_EMAIL,
        phone_number=JANE_PHONE,
        full_name="Jane Again",
        acs_system_ids=[world.salto],
    )

    assert again.user_identity_id != world.jane
    # The deleted ACS user left no trace in the matching indexes: a new one is made.
    [new_user] = again.acs_user_ids
    assert new_user not in (world.jane_salto, world.loose_salto)
    assert seam.acs.users.get(acs_user_id=new_user).full_name == "Jane Again"


def test_create_then_delete_leaves_the_workspace_as_it_was(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    before = workspace_state(fake_seam)
    created = seam.user_identities.create(
        user_identity_key="temp",
        email_address="temp@example.com",
        phone_number="+15555550190",
        acs_system_ids=[world.salto, world.visionline],
    )
    assert len(created.acs_user_ids) == 2

    seam.user_identities.delete(user_identity_id=created.user_identity_id)

    after = workspace_state(fake_seam)
    # Records and every index back as they were; only the sequence counter moved on,
    # and the event log, which keeps what happened.
    before.pop("last_seq")
    after.pop("last_seq")
    logged = [e["event_type"] for e in after.pop("events").values() if e["event_id"] not in before["events"]]
    before.pop("events")
    assert after == before
    assert logged == ["acs_user.created", "acs_user.created", "acs_user.deleted", "acs_user.deleted"]


def test_delete_of_an_identity_with_an_erroring_acs_user(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    fake_seam.simulate_acs_user_error(world.jane_salto)
    assert [e.error_code for e in seam.user_identities.get(user_identity_id=world.jane).errors] == [
        "issue_with_acs_user"
    ]

    seam.user_identities.delete(user_identity_id=world.jane)

    assert world.jane_salto not in stored_acs_user_ids(fake_seam)


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("POST", {"json": {}}),
        ("POST", {"json": {"user_identity_id": "not-a-uuid"}}),
        ("DELETE", {}),
        ("DELETE", {"params": {"user_identity_id": "not-a-uuid"}}),
    ],
)
def test_delete_refuses_a_missing_or_malformed_id(
    raw: Raw, fake_seam: FakeSeam, world: World, method: str, kwargs: dict[str, Any]
) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.request(method, "/user_identities/delete", **kwargs), "user_identity_id"
    )


# /user_identities/add_acs_user ----------------------------------------------------------


def test_add_by_id_links_the_acs_user(seam: Seam, world: World) -> None:
    assert (
        seam.user_identities.add_acs_user(user_identity_id=world.bob, acs_user_id=world.loose_salto) is None
    )

    assert seam.user_identities.get(user_identity_id=world.bob).acs_user_ids == [world.loose_salto]
    user = seam.acs.users.get(acs_user_id=world.loose_salto)
    assert user.user_identity_id == world.bob
    assert user.user_identity_full_name == "Bob Roe"
    assert user.user_identity_email_address == BOB_EMAIL
    assert user.user_identity_phone_number == BOB_PHONE
    # Linking does not rewrite the ACS user's own profile ...
    assert (user.full_name, user.email_address) == ("Loose Lee", "loose@example.com")
    # ... so the identity now warns that they differ, in every field.
    [warning] = mismatch_warnings(seam, world.bob)
    for field in ("full_name", "email_address", "phone_number"):
        assert field in warning.message


def test_add_by_existing_key_links_to_that_identity(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    before = stored_identity_ids(fake_seam)
    seam.user_identities.add_acs_user(user_identity_key="bob", acs_user_id=world.loose_visionline)

    assert stored_identity_ids(fake_seam) == before
    assert seam.user_identities.get(user_identity_id=world.bob).acs_user_ids == [world.loose_visionline]
    assert seam.acs.users.get(acs_user_id=world.loose_visionline).user_identity_id == world.bob


def test_add_one_acs_user_per_system_on_several_systems(seam: Seam, world: World) -> None:
    seam.user_identities.add_acs_user(user_identity_id=world.jane, acs_user_id=world.loose_visionline)

    assert seam.user_identities.get(user_identity_id=world.jane).acs_user_ids == [
        world.jane_salto,
        world.loose_visionline,
    ]


def test_readding_the_same_link_is_a_no_op(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    with unchanged(fake_seam):
        assert (
            seam.user_identities.add_acs_user(user_identity_id=world.jane, acs_user_id=world.jane_salto)
            is None
        )
        seam.user_identities.add_acs_user(user_identity_key="jane", acs_user_id=world.jane_salto)


def test_add_shows_the_acs_users_errors_on_the_identity(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    fake_seam.simulate_acs_user_error(world.loose_salto)
    assert seam.user_identities.get(user_identity_id=world.bob).errors == []

    seam.user_identities.add_acs_user(user_identity_id=world.bob, acs_user_id=world.loose_salto)

    [error] = seam.user_identities.get(user_identity_id=world.bob).errors
    assert error.error_code == "issue_with_acs_user"
    assert error.acs_user_id == world.loose_salto
    assert error.acs_system_id == world.salto


def test_add_refuses_an_acs_user_linked_to_another_identity(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    error = expect_api_error(
        fake_seam,
        400,
        "acs_user_already_linked_to_user_identity",
        lambda: seam.user_identities.add_acs_user(user_identity_id=world.bob, acs_user_id=world.jane_salto),
    )
    assert world.jane_salto in str(error)
    assert world.jane in str(error)


def test_add_by_existing_key_refuses_an_acs_user_linked_elsewhere(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    expect_api_error(
        fake_seam,
        400,
        "acs_user_already_linked_to_user_identity",
        lambda: seam.user_identities.add_acs_user(user_identity_key="bob", acs_user_id=world.jane_salto),
    )


def test_add_refuses_a_second_acs_user_on_the_same_system(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    error = expect_api_error(
        fake_seam,
        400,
        "user_identity_already_has_acs_user_on_acs_system",
        lambda: seam.user_identities.add_acs_user(user_identity_id=world.jane, acs_user_id=world.loose_salto),
    )
    assert world.jane_salto in str(error)


def test_add_refuses_an_unknown_acs_user(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    error = expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.user_identities.add_acs_user(user_identity_id=world.bob, acs_user_id=MISSING_ID),
    )
    assert MISSING_ID in str(error)


def test_add_by_unknown_key_with_an_unknown_acs_user_creates_nothing(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    expect_api_error(
        fake_seam,
        404,
        "acs_user_not_found",
        lambda: seam.user_identities.add_acs_user(user_identity_key="newcomer", acs_user_id=MISSING_ID),
    )


def test_add_refuses_an_unknown_identity_id(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    error = expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: seam.user_identities.add_acs_user(user_identity_id=MISSING_ID, acs_user_id=world.loose_salto),
    )
    assert MISSING_ID in str(error)


def test_add_refuses_both_id_and_key(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    expect_invalid(
        fake_seam,
        lambda: seam.user_identities.add_acs_user(
            user_identity_id=world.bob, user_identity_key="bob", acs_user_id=world.loose_salto
        ),
        "user_identity_id",
        "user_identity_key",
    )


def test_add_refuses_neither_id_nor_key(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    expect_invalid(
        fake_seam,
        lambda: seam.user_identities.add_acs_user(acs_user_id=world.loose_salto),
        "user_identity_id",
        "user_identity_key",
    )


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"user_identity_id": "{bob}"}, "acs_user_id"),
        ({"user_identity_id": "{bob}", "acs_user_id": "not-a-uuid"}, "acs_user_id"),
        ({"user_identity_id": "{bob}", "acs_user_id": None}, "acs_user_id"),
        ({"user_identity_id": "not-a-uuid", "acs_user_id": "{loose}"}, "user_identity_id"),
        ({"user_identity_key": 12, "acs_user_id": "{loose}"}, "user_identity_key"),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_add_refuses_missing_or_malformed_parameters(
    raw: Raw, fake_seam: FakeSeam, world: World, body: dict[str, Any], param: str, method: str
) -> None:
    names = {"{bob}": world.bob, "{loose}": world.loose_salto}
    sent = {k: names.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    expect_raw_invalid(
        fake_seam, lambda: raw.request(method, "/user_identities/add_acs_user", json=sent), param
    )


def test_add_by_unknown_key_creates_an_identity_from_the_acs_user(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    before = stored_identity_ids(fake_seam)

    seam.user_identities.add_acs_user(user_identity_key="lee", acs_user_id=world.loose_salto)

    [new_id] = stored_identity_ids(fake_seam) - before
    created = seam.user_identities.get(user_identity_key="lee")
    assert created.user_identity_id == new_id
    assert created.full_name == "Loose Lee"
    assert created.display_name == "Loose Lee"
    assert created.email_address == "loose@example.com"
    assert created.phone_number == "+15555550150"
    assert created.acs_user_ids == [world.loose_salto]
    # Made from the ACS user's profile, so nothing differs.
    assert created.warnings == []
    assert seam.acs.users.get(acs_user_id=world.loose_salto).user_identity_id == new_id
    assert [s.acs_system_id for s in seam.user_identities.list_acs_systems(user_identity_id=new_id)] == [
        world.salto
    ]


def test_identity_created_by_key_from_a_user_without_email_or_phone(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    bare = fake_seam.add_acs_user(world.visionline, "Bare Name")["acs_user_id"]

    seam.user_identities.add_acs_user(user_identity_key="bare", acs_user_id=bare)

    created = seam.user_identities.get(user_identity_key="bare")
    assert (created.full_name, created.email_address, created.phone_number) == ("Bare Name", None, None)
    assert created.acs_user_ids == [bare]


def test_identity_created_by_key_holds_its_values_uniquely(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    seam.user_identities.add_acs_user(user_identity_key="lee", acs_user_id=world.loose_salto)

    expect_api_error(
        fake_seam,
        400,
        "email_address_already_in_use",
        lambda: seam.user_identities.create(email_address="LOOSE@example.com"),
    )
    expect_api_error(
        fake_seam,
        400,
        "user_identity_key_already_in_use",
        lambda: seam.user_identities.create(user_identity_key="lee"),
    )


@pytest.mark.parametrize(
    ("email", "phone", "code"),
    [
        ("BOB@example.com", "+15555550170", "email_address_already_in_use"),
        ("fresh@example.com", BOB_PHONE, "phone_number_already_in_use"),
    ],
)
def test_add_by_unknown_key_refuses_a_profile_another_identity_holds(
    seam: Seam, fake_seam: FakeSeam, world: World, email: str, phone: str, code: str
) -> None:
    clash = fake_seam.add_acs_user(world.visionline, "Clash", email, phone)["acs_user_id"]

    expect_api_error(
        fake_seam,
        400,
        code,
        lambda: seam.user_identities.add_acs_user(user_identity_key="clash", acs_user_id=clash),
    )
    expect_api_error(
        fake_seam, 404, "user_identity_not_found", lambda: seam.user_identities.get(user_identity_key="clash")
    )


def test_add_by_unknown_key_refuses_an_acs_user_linked_elsewhere(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    expect_api_error(
        fake_seam,
        400,
        "acs_user_already_linked_to_user_identity",
        lambda: seam.user_identities.add_acs_user(user_identity_key="thief", acs_user_id=world.jane_salto),
    )


# /user_identities/remove_acs_user -------------------------------------------------------


def test_remove_unlinks_and_the_acs_user_remains(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    assert (
        seam.user_identities.remove_acs_user(user_identity_id=world.jane, acs_user_id=world.jane_salto)
        is None
    )

    assert seam.user_identities.get(user_identity_id=world.jane).acs_user_ids == []
    user = seam.acs.users.get(acs_user_id=world.jane_salto)
    assert user.user_identity_id is None
    assert user.user_identity_full_name is None
    assert user.user_identity_email_address is None
    assert (user.full_name, user.email_address, user.phone_number) == ("Jane Doe", JANE_EMAIL, JANE_PHONE)
    assert seam.acs.systems.get(acs_system_id=world.salto).acs_user_count == 2
    assert seam.user_identities.list_acs_users(user_identity_id=world.jane) == []
    assert seam.user_identities.list_acs_systems(user_identity_id=world.jane) == []


def test_removed_acs_user_can_be_linked_to_another_identity(seam: Seam, world: World) -> None:
    seam.user_identities.remove_acs_user(user_identity_id=world.jane, acs_user_id=world.jane_salto)

    seam.user_identities.add_acs_user(user_identity_id=world.bob, acs_user_id=world.jane_salto)
    # And Jane may take another user on the same system now.
    seam.user_identities.add_acs_user(user_identity_id=world.jane, acs_user_id=world.loose_salto)

    assert seam.acs.users.get(acs_user_id=world.jane_salto).user_identity_id == world.bob
    assert seam.acs.users.get(acs_user_id=world.loose_salto).user_identity_id == world.jane


def test_remove_clears_the_identitys_warnings_and_errors_for_that_user(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    seam.user_identities.update(user_identity_id=world.jane, full_name="Jane Smith")
    fake_seam.simulate_acs_user_error(world.jane_salto)
    jane = seam.user_identities.get(user_identity_id=world.jane)
    assert len(jane.errors) == 1
    assert len(mismatch_warnings(seam, world.jane)) == 1

    seam.user_identities.remove_acs_user(user_identity_id=world.jane, acs_user_id=world.jane_salto)

    jane = seam.user_identities.get(user_identity_id=world.jane)
    assert jane.errors == []
    assert jane.warnings == []


def test_delete_after_remove_keeps_the_unlinked_acs_user(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    seam.user_identities.remove_acs_user(user_identity_id=world.jane, acs_user_id=world.jane_salto)

    seam.user_identities.delete(user_identity_id=world.jane)

    assert seam.acs.users.get(acs_user_id=world.jane_salto).full_name == "Jane Doe"


def test_remove_refuses_an_acs_user_not_linked_to_that_identity(
    seam: Seam, fake_seam: FakeSeam, world: World
) -> None:
    # Linked to another identity.
    error = expect_api_error(
        fake_seam,
        400,
        "acs_user_not_linked_to_user_identity",
        lambda: seam.user_identities.remove_acs_user(
            user_identity_id=world.bob, acs_user_id=world.jane_salto
        ),
    )
    assert world.jane_salto in str(error)


def test_remove_refuses_an_unlinked_acs_user(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    expect_api_error(
        fake_seam,
        400,
        "acs_user_not_linked_to_user_identity",
        lambda: seam.user_identities.remove_acs_user(
            user_identity_id=world.jane, acs_user_id=world.loose_salto
        ),
    )


def test_removing_twice_is_refused(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    seam.user_identities.remove_acs_user(user_identity_id=world.jane, acs_user_id=world.jane_salto)
    expect_api_error(
        fake_seam,
        400,
        "acs_user_not_linked_to_user_identity",
        lambda: seam.user_identities.remove_acs_user(
            user_identity_id=world.jane, acs_user_id=world.jane_salto
        ),
    )


@pytest.mark.parametrize(
    ("which", "code"),
    [("identity", "user_identity_not_found"), ("acs_user", "acs_user_not_found")],
)
def test_remove_with_unknown_ids_is_404(
    seam: Seam, fake_seam: FakeSeam, world: World, which: str, code: str
) -> None:
    identity = MISSING_ID if which == "identity" else world.jane
    acs_user = MISSING_ID if which == "acs_user" else world.jane_salto
    error = expect_api_error(
        fake_seam,
        404,
        code,
        lambda: seam.user_identities.remove_acs_user(user_identity_id=identity, acs_user_id=acs_user),
    )
    assert MISSING_ID in str(error)


@pytest.mark.parametrize(
    ("params", "missing"),
    [
        ({"acs_user_id": "{user}"}, "user_identity_id"),
        ({"user_identity_id": "{jane}"}, "acs_user_id"),
        ({}, "user_identity_id"),
        ({"user_identity_id": "{jane}", "acs_user_id": "nope"}, "acs_user_id"),
    ],
)
@pytest.mark.parametrize("method", ["DELETE", "POST"])
def test_remove_refuses_missing_or_malformed_ids(
    raw: Raw, fake_seam: FakeSeam, world: World, params: dict[str, str], missing: str, method: str
) -> None:
    names = {"{jane}": world.jane, "{user}": world.jane_salto}
    sent = {k: names.get(v, v) for k, v in params.items()}
    kwargs: dict[str, Any] = {"params": sent} if method == "DELETE" else {"json": sent}
    expect_raw_invalid(
        fake_seam, lambda: raw.request(method, "/user_identities/remove_acs_user", **kwargs), missing
    )


# /user_identities/list_acs_users and /user_identities/list_acs_systems -----------------------


def test_lists_follow_link_order_not_creation_order(seam: Seam, world: World) -> None:
    # Bob links Visionline first, then Salto (the Salto system and user are older).
    seam.user_identities.add_acs_user(user_identity_id=world.bob, acs_user_id=world.loose_visionline)
    seam.user_identities.add_acs_user(user_identity_id=world.bob, acs_user_id=world.loose_salto)

    users = seam.user_identities.list_acs_users(user_identity_id=world.bob)
    assert [u.acs_user_id for u in users] == [world.loose_visionline, world.loose_salto]
    assert all(u.user_identity_id == world.bob for u in users)
    systems = seam.user_identities.list_acs_systems(user_identity_id=world.bob)
    assert [s.acs_system_id for s in systems] == [world.visionline, world.salto]

    # Unlinking and relinking moves a user to the end.
    seam.user_identities.remove_acs_user(user_identity_id=world.bob, acs_user_id=world.loose_visionline)
    seam.user_identities.add_acs_user(user_identity_id=world.bob, acs_user_id=world.loose_visionline)
    users = seam.user_identities.list_acs_users(user_identity_id=world.bob)
    assert [u.acs_user_id for u in users] == [world.loose_salto, world.loose_visionline]
    systems = seam.user_identities.list_acs_systems(user_identity_id=world.bob)
    assert [s.acs_system_id for s in systems] == [world.salto, world.visionline]


def test_lists_of_an_identity_without_acs_users_are_empty(seam: Seam, world: World) -> None:
    assert seam.user_identities.list_acs_users(user_identity_id=world.bob) == []
    assert seam.user_identities.list_acs_systems(user_identity_id=world.bob) == []


def test_list_acs_systems_shows_each_system_once_with_its_counts(seam: Seam, world: World) -> None:
    seam.user_identities.add_acs_user(user_identity_id=world.jane, acs_user_id=world.loose_visionline)

    systems = seam.user_identities.list_acs_systems(user_identity_id=world.jane)

    assert [(s.acs_system_id, s.name, s.acs_user_count) for s in systems] == [
        (world.salto, "Harbour Salto Site", 2),
        (world.visionline, "Grand Visionline", 1),
    ]


@pytest.mark.parametrize("route", ["list_acs_users", "list_acs_systems"])
def test_lists_of_an_unknown_identity_are_404(
    seam: Seam, fake_seam: FakeSeam, world: World, route: str
) -> None:
    expect_api_error(
        fake_seam,
        404,
        "user_identity_not_found",
        lambda: getattr(seam.user_identities, route)(user_identity_id=MISSING_ID),
    )


@pytest.mark.parametrize("route", ["list_acs_users", "list_acs_systems"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("params", [{}, {"user_identity_id": "not-a-uuid"}])
def test_lists_refuse_a_missing_or_malformed_id(
    raw: Raw, fake_seam: FakeSeam, world: World, route: str, method: str, params: dict[str, str]
) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.read(method, f"/user_identities/{route}", params), "user_identity_id"
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_lists_answer_both_get_and_post(raw: Raw, world: World, method: str) -> None:
    users = raw.read(method, "/user_identities/list_acs_users", {"user_identity_id": world.jane})
    systems = raw.read(method, "/user_identities/list_acs_systems", {"user_identity_id": world.jane})

    assert users.status_code == 200, users.text
    assert [u["acs_user_id"] for u in users.json()["acs_users"]] == [world.jane_salto]
    assert systems.status_code == 200, systems.text
    assert [s["acs_system_id"] for s in systems.json()["acs_systems"]] == [world.salto]


# HTTP methods -----------------------------------------------------------------------------


def test_write_routes_accept_post_as_well(raw: Raw, fake_seam: FakeSeam, world: World) -> None:
    def post(path: str, body: dict[str, Any]) -> None:
        response = raw.post(path, json=body)
        assert response.status_code == 200, response.text
        assert response.json() == {"ok": True}

    post("/user_identities/update", {"user_identity_id": world.bob, "full_name": "Posted Bob"})
    post("/user_identities/add_acs_user", {"user_identity_id": world.bob, "acs_user_id": world.loose_salto})
    assert workspace_state(fake_seam)["user_identities"][world.bob]["full_name"] == "Posted Bob"
    assert workspace_state(fake_seam)["acs_users"][world.loose_salto]["user_identity_id"] == world.bob

    post(
        "/user_identities/remove_acs_user", {"user_identity_id": world.bob, "acs_user_id": world.loose_salto}
    )
    assert workspace_state(fake_seam)["acs_users"][world.loose_salto]["user_identity_id"] is None

    post("/user_identities/delete", {"user_identity_id": world.bob})
    assert world.bob not in stored_identity_ids(fake_seam)


def test_delete_routes_read_a_json_body_without_a_query(raw: Raw, fake_seam: FakeSeam, world: World) -> None:
    response = raw.request(
        "DELETE",
        "/user_identities/remove_acs_user",
        json={"user_identity_id": world.jane, "acs_user_id": world.jane_salto},
    )
    assert response.status_code == 200, response.text
    response = raw.request("DELETE", "/user_identities/delete", json={"user_identity_id": world.jane})
    assert response.status_code == 200, response.text
    assert world.jane not in stored_identity_ids(fake_seam)
    assert world.jane_salto in stored_acs_user_ids(fake_seam)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/user_identities/update"),
        ("PUT", "/user_identities/update"),
        ("GET", "/user_identities/delete"),
        ("PATCH", "/user_identities/delete"),
        ("GET", "/user_identities/add_acs_user"),
        ("PATCH", "/user_identities/add_acs_user"),
        ("DELETE", "/user_identities/add_acs_user"),
        ("GET", "/user_identities/remove_acs_user"),
        ("PUT", "/user_identities/remove_acs_user"),
        ("DELETE", "/user_identities/list_acs_users"),
        ("PATCH", "/user_identities/list_acs_systems"),
    ],
)
def test_other_methods_are_405(raw: Raw, fake_seam: FakeSeam, world: World, method: str, path: str) -> None:
    with unchanged(fake_seam):
        response = raw.request(method, path, json={"user_identity_id": world.jane})
    assert_error(response, 405, "method_not_allowed")
    assert method not in response.headers["allow"]
    assert "POST" in response.headers["allow"]


# Another workspace's ids -------------------------------------------------------------------


def test_every_route_is_404_for_another_workspaces_ids(seam: Seam, fake_seam: FakeSeam, world: World) -> None:
    other_ws = fake_seam.add_workspace("Other Workspace")
    other = Seam(api_key=other_ws["api_key"])
    other_system = fake_seam.add_acs_system("Other Site", workspace_id=other_ws["workspace_id"])[
        "acs_system_id"
    ]
    other_loose = fake_seam.add_acs_user(other_system, "Other Loose", "ol@example.com")["acs_user_id"]
    other_identity = other.user_identities.create(
        user_identity_key="other", email_address="other@example.com", acs_system_ids=[other_system]
    )
    other_id = other_identity.user_identity_id
    other_linked = other_identity.acs_user_ids[0]

    def refusals(
        client: Seam, identity: str, linked: str, loose: str, own_identity: str, own_user: str
    ) -> list[tuple[str, str, Callable[[], object]]]:
        ids = client.user_identities
        return [
            (
                "update",
                "user_identity_not_found",
                lambda: ids.update(user_identity_id=identity, full_name="X"),
            ),
            ("delete", "user_identity_not_found", lambda: ids.delete(user_identity_id=identity)),
            (
                "list_acs_users",
                "user_identity_not_found",
                lambda: ids.list_acs_users(user_identity_id=identity),
            ),
            (
                "list_acs_systems",
                "user_identity_not_found",
                lambda: ids.list_acs_systems(user_identity_id=identity),
            ),
            (
                "add foreign identity, own user",
                "user_identity_not_found",
                lambda: ids.add_acs_user(user_identity_id=identity, acs_user_id=own_user),
            ),
            (
                "add own identity, foreign user",
                "acs_user_not_found",
                lambda: ids.add_acs_user(user_identity_id=own_identity, acs_user_id=loose),
            ),
            (
                "add by new key, foreign user",
                "acs_user_not_found",
                lambda: ids.add_acs_user(user_identity_key="brand_new", acs_user_id=loose),
            ),
            (
                "add foreign pair",
                "acs_user_not_found",
                lambda: ids.add_acs_user(user_identity_id=identity, acs_user_id=linked),
            ),
            (
                "remove foreign pair",
                "user_identity_not_found",
                lambda: ids.remove_acs_user(user_identity_id=identity, acs_user_id=linked),
            ),
            (
                "remove own identity, foreign user",
                "acs_user_not_found",
                lambda: ids.remove_acs_user(user_identity_id=own_identity, acs_user_id=linked),
            ),
        ]

    # The default workspace reaching into the other one, and the other way round.
    cases = refusals(seam, other_id, other_linked, other_loose, world.bob, world.loose_salto)
    cases += refusals(other, world.jane, world.jane_salto, world.loose_salto, other_id, other_loose)
    for name, code, call in cases:
        error = expect_api_error(fake_seam, 404, code, call)
        assert "workspace" in str(error), name

    # Uniqueness is per workspace: the other workspace may take the default one's values.
    other.user_identities.update(
        user_identity_id=other_id, user_identity_key="jane", email_address=JANE_EMAIL, phone_number=JANE_PHONE
    )
    assert other.user_identities.get(user_identity_key="jane").user_identity_id == other_id
    assert seam.user_identities.get(user_identity_key="jane").user_identity_id == world.jane


# Async client ------------------------------------------------------------------------------


def test_async_update_add_remove_delete(async_seam: AsyncSeam, fake_seam: FakeSeam) -> None:
    system = fake_seam.add_acs_system("Async Site")["acs_system_id"]
    loose = fake_seam.add_acs_user(system, "Async Loose", "al@example.com")["acs_user_id"]

    async def run() -> tuple[Any, Any, Any, Any]:
        ids = async_seam.user_identities
        created = await ids.create(user_identity_key="async_person", email_address="ap@example.com")
        identity_id = created.user_identity_id
        await ids.update(user_identity_id=identity_id, full_name="Async Person", user_identity_key="ap")
        updated = await ids.get(user_identity_key="ap")
        await ids.add_acs_user(user_identity_id=identity_id, acs_user_id=loose)
        linked = await ids.list_acs_users(user_identity_id=identity_id)
        await ids.remove_acs_user(user_identity_id=identity_id, acs_user_id=loose)
        unlinked = await async_seam.acs.users.get(acs_user_id=loose)
        await ids.add_acs_user(user_identity_id=identity_id, acs_user_id=loose)
        await ids.delete(user_identity_id=identity_id)
        try:
            await ids.get(user_identity_id=identity_id)
        except SeamHttpApiError as error:
            gone = error
        else:
            raise AssertionError("the deleted identity is still there")
        return updated, linked, unlinked, gone

    updated, linked, unlinked, gone = asyncio.run(run())

    assert (updated.full_name, updated.display_name, updated.email_address) == (
        "Async Person",
        "Async Person",
        "ap@example.com",
    )
    assert [u.acs_user_id for u in linked] == [loose]
    assert linked[0].user_identity_full_name == "Async Person"
    assert unlinked.user_identity_id is None
    assert (gone.status_code, gone.code) == (404, "user_identity_not_found")
    # The delete took the linked ACS user with it.
    assert stored_acs_user_ids(fake_seam) == set()
