"""Linking user identities to ACS users at creation, and the errors and warnings that follow.

Everything goes through the real ``seam`` SDK against the patched fake, seeded
with ``fake_seam.add_acs_system`` / ``add_acs_user``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
import time_machine
from helpers import Raw, expect_api_error, mismatch_warnings_of, new_system, new_user, seam_time, unchanged
from openapi_schema import assert_valid_response
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam

EMAIL = "jane@example.com"
PHONE = "+15555550100"
OTHER_PHONE = "+15555550199"
FIELDS = ("full_name", "email_address", "phone_number")


def identity_count(fake: FakeSeam) -> int:
    return len(fake.snapshot()["workspaces"][fake.workspace_id]["user_identities"])


def users_of(seam: Seam, acs_system_id: str) -> list[Any]:
    return list(seam.acs.users.list(acs_system_id=acs_system_id))


# Matching an existing ACS user --------------------------------------------------------


def test_links_an_existing_acs_user_by_email_case_insensitively(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    other = new_user(fake_seam, system, "Unrelated", "someone@example.com")
    match = new_user(fake_seam, system, "Jane Doe", "jane.doe@example.com")

    identity = seam.user_identities.create(email_address="Jane.DOE@Example.COM", acs_system_ids=[system])

    assert identity.acs_user_ids == [match]
    assert {u.acs_user_id for u in users_of(seam, system)} == {other, match}
    linked = seam.acs.users.get(acs_user_id=match)
    assert linked.user_identity_id == identity.user_identity_id
    # The ACS user keeps its own email; the identity's shows beside it.
    assert linked.email_address == "jane.doe@example.com"
    assert linked.user_identity_email_address == "Jane.DOE@Example.COM"
    assert seam.acs.users.get(acs_user_id=other).user_identity_id is None


def test_links_an_existing_acs_user_by_phone(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    new_user(fake_seam, system, "Unrelated", phone_number=OTHER_PHONE)
    match = new_user(fake_seam, system, "Jane Doe", phone_number=PHONE)

    identity = seam.user_identities.create(phone_number=PHONE, acs_system_ids=[system])

    assert identity.acs_user_ids == [match]
    assert len(users_of(seam, system)) == 2
    assert seam.acs.users.get(acs_user_id=match).user_identity_id == identity.user_identity_id


def test_a_user_matching_both_email_and_phone_wins_over_earlier_partial_matches(
    seam: Seam, fake_seam: FakeSeam
) -> None:
    system = new_system(fake_seam)
    # Creation order alone would pick the email-only match, then the phone-only one.
    email_only = new_user(fake_seam, system, "Email Match", EMAIL, OTHER_PHONE)
    phone_only = new_user(fake_seam, system, "Phone Match", "not-jane@example.com", PHONE)
    both = new_user(fake_seam, system, "Both Match", EMAIL.upper(), PHONE)

    identity = seam.user_identities.create(email_address=EMAIL, phone_number=PHONE, acs_system_ids=[system])

    assert identity.acs_user_ids == [both]
    for unlinked in (email_only, phone_only):
        assert seam.acs.users.get(acs_user_id=unlinked).user_identity_id is None


def test_an_email_match_wins_over_an_earlier_phone_match(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    phone_only = new_user(fake_seam, system, "Phone Match", phone_number=PHONE)
    email_only = new_user(fake_seam, system, "Email Match", EMAIL)

    identity = seam.user_identities.create(email_address=EMAIL, phone_number=PHONE, acs_system_ids=[system])

    assert identity.acs_user_ids == [email_only]
    assert seam.acs.users.get(acs_user_id=phone_only).user_identity_id is None


def test_equal_matches_are_decided_by_creation_order(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    first = new_user(fake_seam, system, "Zed First", EMAIL)
    second = new_user(fake_seam, system, "Amy Second", EMAIL.upper())

    identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])

    assert identity.acs_user_ids == [first]
    assert seam.acs.users.get(acs_user_id=second).user_identity_id is None


# Creating an ACS user when nothing matches -----------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"full_name": "Jane Doe", "email_address": EMAIL, "phone_number": PHONE},
        {"email_address": EMAIL},
        {"phone_number": PHONE},
        {"user_identity_key": "jane_doe"},
        {"user_identity_key": "jane_doe", "full_name": "Jane Doe", "email_address": EMAIL},
    ],
    ids=["all", "email_only", "phone_only", "key_only", "key_name_email"],
)
def test_creates_and_links_a_new_acs_user_when_nothing_matches(
    seam: Seam, fake_seam: FakeSeam, fields: dict[str, str]
) -> None:
    system = new_system(fake_seam)
    bystander = new_user(fake_seam, system, "Jane Doe", "someone@example.com", OTHER_PHONE)

    identity = seam.user_identities.create(**fields, acs_system_ids=[system])

    assert len(identity.acs_user_ids) == 1
    new_id = identity.acs_user_ids[0]
    assert new_id != bystander
    new = seam.acs.users.get(acs_user_id=new_id)
    assert new.acs_system_id == system
    assert new.full_name == identity.display_name
    assert new.email_address == fields.get("email_address")
    assert new.phone_number == fields.get("phone_number")
    assert new.user_identity_id == identity.user_identity_id
    assert new.user_identity_full_name == fields.get("full_name")
    assert new.user_identity_email_address == fields.get("email_address")
    assert new.user_identity_phone_number == fields.get("phone_number")
    assert {u.acs_user_id for u in users_of(seam, system)} == {bystander, new_id}
    assert seam.acs.users.get(acs_user_id=bystander).user_identity_id is None
    assert seam.acs.systems.get(acs_system_id=system).acs_user_count == 2
    # A user made from the identity matches it: nothing to warn about.
    assert identity.warnings == []


def test_a_match_in_another_system_is_not_linked(seam: Seam, fake_seam: FakeSeam) -> None:
    elsewhere = new_system(fake_seam, "Other Site")
    target = new_system(fake_seam, "Target Site")
    foreign_match = new_user(fake_seam, elsewhere, "Jane Doe", EMAIL, PHONE)

    identity = seam.user_identities.create(
        full_name="Jane Doe", email_address=EMAIL, phone_number=PHONE, acs_system_ids=[target]
    )

    assert len(identity.acs_user_ids) == 1
    assert identity.acs_user_ids[0] != foreign_match
    assert seam.acs.users.get(acs_user_id=identity.acs_user_ids[0]).acs_system_id == target
    assert seam.acs.users.get(acs_user_id=foreign_match).user_identity_id is None
    assert [u.acs_user_id for u in users_of(seam, elsewhere)] == [foreign_match]


@pytest.mark.parametrize("seed_match", [False, True], ids=["created", "matched"])
@pytest.mark.parametrize("upper_second", [False, True], ids=["same_case", "upper_case_duplicate"])
def test_duplicate_system_ids_give_one_link(
    seam: Seam, fake_seam: FakeSeam, seed_match: bool, upper_second: bool
) -> None:
    system = new_system(fake_seam)
    if seed_match:
        new_user(fake_seam, system, "Jane Doe", EMAIL)
    duplicate = system.upper() if upper_second else system

    identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system, duplicate, system])

    assert len(identity.acs_user_ids) == 1
    users = users_of(seam, system)
    assert len(users) == 1
    assert users[0].acs_user_id == identity.acs_user_ids[0]
    assert users[0].user_identity_id == identity.user_identity_id


def test_links_one_acs_user_on_each_of_several_systems(seam: Seam, fake_seam: FakeSeam) -> None:
    with_email_match = new_system(fake_seam, "Salto Site", external_type="salto_ks_site")
    with_phone_match = new_system(fake_seam, "Visionline Hotel", external_type="visionline_system")
    without_match = new_system(fake_seam, "Brivo Office", external_type="brivo_account")
    by_email = new_user(fake_seam, with_email_match, "Jane D.", EMAIL)
    by_phone = new_user(fake_seam, with_phone_match, "J. Doe", phone_number=PHONE)

    identity = seam.user_identities.create(
        full_name="Jane Doe",
        email_address=EMAIL,
        phone_number=PHONE,
        acs_system_ids=[with_email_match, with_phone_match, without_match],
    )

    assert len(identity.acs_user_ids) == 3
    assert by_email in identity.acs_user_ids and by_phone in identity.acs_user_ids
    (created,) = [i for i in identity.acs_user_ids if i not in (by_email, by_phone)]
    by_system = {seam.acs.users.get(acs_user_id=i).acs_system_id: i for i in identity.acs_user_ids}
    assert by_system == {with_email_match: by_email, with_phone_match: by_phone, without_match: created}
    listed = seam.acs.users.list(user_identity_id=identity.user_identity_id)
    assert sorted(u.acs_user_id for u in listed) == sorted(identity.acs_user_ids)
    assert all(u.user_identity_id == identity.user_identity_id for u in listed)


# What linked ACS users and identities show -------------------------------------------


def test_identity_and_acs_users_show_the_link_through_get_and_list(seam: Seam, fake_seam: FakeSeam) -> None:
    first = new_system(fake_seam, "First")
    second = new_system(fake_seam, "Second")
    matched = new_user(fake_seam, first, "Jane", EMAIL)
    unlinked = new_user(fake_seam, second, "Nobody", "nobody@example.com")
    fields = {"full_name": "Jane Doe", "email_address": EMAIL, "phone_number": PHONE}

    created = seam.user_identities.create(**fields, acs_system_ids=[first, second])
    fetched = seam.user_identities.get(user_identity_id=created.user_identity_id)

    assert sorted(fetched.acs_user_ids) == sorted(created.acs_user_ids)
    assert matched in fetched.acs_user_ids and unlinked not in fetched.acs_user_ids
    listed = {u.acs_user_id: u for u in seam.acs.users.list()}
    assert set(listed) == {*fetched.acs_user_ids, unlinked}
    for acs_user_id in fetched.acs_user_ids:
        for shown in (seam.acs.users.get(acs_user_id=acs_user_id), listed[acs_user_id]):
            assert shown.user_identity_id == created.user_identity_id
            assert shown.user_identity_full_name == fields["full_name"]
            assert shown.user_identity_email_address == fields["email_address"]
            assert shown.user_identity_phone_number == fields["phone_number"]
    assert listed[unlinked].user_identity_id is None
    assert listed[unlinked].user_identity_email_address is None


# Rejections ----------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["unknown", "other_workspace"])
@pytest.mark.parametrize("position", ["alone", "after_a_valid_one"])
def test_a_system_that_is_not_in_the_workspace_is_not_found(
    seam: Seam, fake_seam: FakeSeam, where: str, position: str
) -> None:
    valid = new_system(fake_seam)
    new_user(fake_seam, valid, "Jane Doe", EMAIL)
    if where == "unknown":
        missing = str(uuid.uuid4())
    else:
        other = fake_seam.add_workspace(name="Other")
        missing = new_system(fake_seam, "Theirs", workspace_id=other["workspace_id"])
    ids = [missing] if position == "alone" else [valid, missing]

    error = expect_api_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: seam.user_identities.create(email_address=EMAIL, acs_system_ids=ids),
    )
    assert missing in str(error)


def conflicted_system(seam: Seam, fake: FakeSeam) -> tuple[str, str]:
    """A system whose user with EMAIL and PHONE is linked to an identity holding only PHONE."""
    system = new_system(fake, "Conflicted")
    taken = new_user(fake, system, "Jane Doe", EMAIL, PHONE)
    seam.user_identities.create(phone_number=PHONE, acs_system_ids=[system])
    assert seam.acs.users.get(acs_user_id=taken).user_identity_id is not None
    return system, taken


@pytest.mark.parametrize("with_clean_system_first", [False, True])
def test_best_match_linked_to_another_identity_is_refused(
    seam: Seam, fake_seam: FakeSeam, with_clean_system_first: bool
) -> None:
    system, taken = conflicted_system(seam, fake_seam)
    # A free user that also matches by email, created later: no falling back to it.
    new_user(fake_seam, system, "Jane Again", EMAIL)
    clean = new_system(fake_seam, "Clean")
    ids = [clean, system] if with_clean_system_first else [system]
    identities_before = identity_count(fake_seam)

    error = expect_api_error(
        fake_seam,
        400,
        "acs_user_already_linked_to_user_identity",
        lambda: seam.user_identities.create(
            user_identity_key="jane", email_address=EMAIL, acs_system_ids=ids
        ),
    )

    assert taken in str(error)
    assert identity_count(fake_seam) == identities_before
    assert users_of(seam, clean) == []


def test_a_user_linked_to_another_identity_but_matched_only_by_phone_is_refused(
    seam: Seam, fake_seam: FakeSeam
) -> None:
    system = new_system(fake_seam, "Conflicted")
    taken = new_user(fake_seam, system, "Jane Doe", EMAIL, PHONE)
    seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    assert seam.acs.users.get(acs_user_id=taken).user_identity_id is not None

    expect_api_error(
        fake_seam,
        400,
        "acs_user_already_linked_to_user_identity",
        lambda: seam.user_identities.create(phone_number=PHONE, acs_system_ids=[system]),
    )


@pytest.mark.parametrize(
    ("first_create", "second_create", "status", "code"),
    [
        # Uniqueness before an unknown system.
        (
            {"user_identity_key": "jane"},
            {"user_identity_key": "jane"},
            400,
            "user_identity_key_already_in_use",
        ),
        ({"email_address": EMAIL}, {"email_address": EMAIL.upper()}, 400, "email_address_already_in_use"),
        ({"phone_number": PHONE}, {"phone_number": PHONE}, 400, "phone_number_already_in_use"),
    ],
)
def test_uniqueness_conflict_is_reported_before_an_unknown_system(
    seam: Seam,
    fake_seam: FakeSeam,
    first_create: dict[str, str],
    second_create: dict[str, str],
    status: int,
    code: str,
) -> None:
    seam.user_identities.create(**first_create)
    expect_api_error(
        fake_seam,
        status,
        code,
        lambda: seam.user_identities.create(**second_create, acs_system_ids=[str(uuid.uuid4())]),
    )


def test_parameter_validation_comes_before_uniqueness_and_systems(seam: Seam, fake_seam: FakeSeam) -> None:
    seam.user_identities.create(user_identity_key="jane")
    expect_api_error(
        fake_seam,
        400,
        "invalid_input",
        lambda: seam.user_identities.create(
            user_identity_key="jane", acs_system_ids=[str(uuid.uuid4()), "not-a-uuid"]
        ),
    )


@pytest.mark.parametrize("unknown_first", [False, True])
def test_an_unknown_system_is_reported_before_a_link_conflict(
    seam: Seam, fake_seam: FakeSeam, unknown_first: bool
) -> None:
    system, _ = conflicted_system(seam, fake_seam)
    unknown = str(uuid.uuid4())
    ids = [unknown, system] if unknown_first else [system, unknown]
    expect_api_error(
        fake_seam,
        404,
        "acs_system_not_found",
        lambda: seam.user_identities.create(email_address=EMAIL, acs_system_ids=ids),
    )


def test_a_link_conflict_is_reported_after_uniqueness(seam: Seam, fake_seam: FakeSeam) -> None:
    system, _ = conflicted_system(seam, fake_seam)
    seam.user_identities.create(user_identity_key="jane")
    expect_api_error(
        fake_seam,
        400,
        "user_identity_key_already_in_use",
        lambda: seam.user_identities.create(
            user_identity_key="jane", email_address=EMAIL, acs_system_ids=[system]
        ),
    )


# Derived errors ------------------------------------------------------------------------


def test_an_error_on_a_linked_acs_user_shows_on_the_identity(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    acs_user = new_user(fake_seam, system, "Jane Doe", EMAIL)
    identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    assert identity.errors == []
    moment = datetime(2024, 5, 2, 19, 31, 2, 574000, tzinfo=timezone.utc)

    with time_machine.travel(moment, tick=False):
        fake_seam.simulate_acs_user_error(acs_user, error_code="deleted_externally", message="Gone from ACS")

    fetched = seam.user_identities.get(user_identity_id=identity.user_identity_id)
    assert len(fetched.errors) == 1
    (error,) = fetched.errors
    assert error.error_code == "issue_with_acs_user"
    assert error.acs_user_id == acs_user
    assert error.acs_system_id == system
    assert error.created_at == seam_time(moment)
    assert isinstance(error.message, str) and error.message
    assert [e.error_code for e in seam.acs.users.get(acs_user_id=acs_user).errors] == ["deleted_externally"]


def test_one_issue_per_linked_acs_user_with_errors(seam: Seam, fake_seam: FakeSeam) -> None:
    systems = [new_system(fake_seam, name) for name in ("North", "South", "East")]
    identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=systems)
    by_system = {seam.acs.users.get(acs_user_id=i).acs_system_id: i for i in identity.acs_user_ids}
    earlier = datetime(2024, 1, 1, 8, 0, tzinfo=timezone.utc)
    later = datetime(2024, 1, 2, 8, 0, tzinfo=timezone.utc)
    with time_machine.travel(earlier, tick=False):
        fake_seam.simulate_acs_user_error(by_system[systems[0]])
    with time_machine.travel(later, tick=False):
        fake_seam.simulate_acs_user_error(by_system[systems[0]], error_code="failed_to_delete_on_acs_system")
        fake_seam.simulate_acs_user_error(by_system[systems[2]])

    errors = seam.user_identities.get(user_identity_id=identity.user_identity_id).errors

    assert sorted((e.acs_user_id, e.acs_system_id) for e in errors) == sorted(
        [(by_system[systems[0]], systems[0]), (by_system[systems[2]], systems[2])]
    )
    assert all(e.error_code == "issue_with_acs_user" for e in errors)
    first = next(e for e in errors if e.acs_system_id == systems[0])
    assert first.created_at == seam_time(earlier)


def test_an_error_on_an_unlinked_acs_user_does_not_affect_identities(seam: Seam, fake_seam: FakeSeam) -> None:
    system = new_system(fake_seam)
    identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    stranger = new_user(fake_seam, system, "Stranger", "stranger@example.com")
    before = seam.user_identities.get(user_identity_id=identity.user_identity_id)

    fake_seam.simulate_acs_user_error(stranger)

    after = seam.user_identities.get(user_identity_id=identity.user_identity_id)
    assert after.errors == [] and after.warnings == []
    assert after == before
    assert len(seam.acs.users.get(acs_user_id=stranger).errors) == 1


@pytest.mark.parametrize("error_code", ["not_a_code", "issue_with_acs_user", "", "DELETED_EXTERNALLY"])
def test_simulating_an_unknown_acs_user_error_code_raises(
    seam: Seam, fake_seam: FakeSeam, error_code: str
) -> None:
    system = new_system(fake_seam)
    identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    with unchanged(fake_seam), pytest.raises(ValueError, match="error_code"):
        fake_seam.simulate_acs_user_error(identity.acs_user_ids[0], error_code=error_code)


# Derived warnings ----------------------------------------------------------------------

IDENTITY = {"full_name": "Jane Doe", "email_address": EMAIL, "phone_number": PHONE}
DIFFERENT = {"full_name": "J. Doe", "email_address": "j.doe@work.example.com", "phone_number": OTHER_PHONE}


@pytest.mark.parametrize(
    "differing",
    [
        ("full_name",),
        ("email_address",),
        ("phone_number",),
        ("full_name", "email_address"),
        ("full_name", "phone_number"),
    ],
    ids=lambda fields: "+".join(fields),
)
def test_profile_mismatch_warning_names_exactly_the_differing_fields(
    seam: Seam, fake_seam: FakeSeam, differing: tuple[str, ...]
) -> None:
    system = new_system(fake_seam, "Lobby")
    seeded = {name: DIFFERENT[name] if name in differing else IDENTITY[name] for name in FIELDS}
    acs_user = new_user(fake_seam, system, **seeded)

    created = seam.user_identities.create(**IDENTITY, acs_system_ids=[system])
    assert created.acs_user_ids == [acs_user]
    fetched = seam.user_identities.get(user_identity_id=created.user_identity_id)

    for identity in (created, fetched):
        (warning,) = mismatch_warnings_of(identity)
        assert len(identity.warnings) == 1
        for name in FIELDS:
            assert (name in warning.message) == (name in differing), (name, warning.message)
        assert acs_user in warning.message
    assert fetched.errors == []


@pytest.mark.parametrize(
    ("identity_fields", "acs_user_fields"),
    [
        # The identity has no full name: the ACS user's name is not compared.
        ({"email_address": EMAIL, "phone_number": PHONE}, {**IDENTITY, "full_name": "Whoever"}),
        # No email on the identity.
        ({"full_name": "Jane Doe", "phone_number": PHONE}, IDENTITY),
        # No phone on the identity.
        ({"full_name": "Jane Doe", "email_address": EMAIL}, IDENTITY),
        # Emails that differ only in case are the same email.
        (IDENTITY, {**IDENTITY, "email_address": EMAIL.upper()}),
        (
            {**IDENTITY, "email_address": "Jane@Example.com"},
            {**IDENTITY, "email_address": "jANE@eXAMPLE.COM"},
        ),
    ],
    ids=["no_full_name", "no_email", "no_phone", "email_case", "email_mixed_case"],
)
def test_no_profile_warning_for_unset_fields_or_email_case(
    seam: Seam, fake_seam: FakeSeam, identity_fields: dict[str, str], acs_user_fields: dict[str, str]
) -> None:
    system = new_system(fake_seam)
    acs_user = new_user(fake_seam, system, **acs_user_fields)

    created = seam.user_identities.create(**identity_fields, acs_system_ids=[system])

    assert created.acs_user_ids == [acs_user]
    assert created.warnings == []
    assert seam.user_identities.get(user_identity_id=created.user_identity_id).warnings == []


def test_one_profile_warning_per_mismatched_acs_user(seam: Seam, fake_seam: FakeSeam) -> None:
    names = ("Tower", "Annex", "Garage")
    systems = [new_system(fake_seam, name) for name in names]
    mismatched = new_user(fake_seam, systems[0], "J. Doe", EMAIL, PHONE)
    matching = new_user(fake_seam, systems[1], "Jane Doe", EMAIL, PHONE)
    also_mismatched = new_user(fake_seam, systems[2], "Jane Doe", EMAIL, OTHER_PHONE)

    identity = seam.user_identities.create(**IDENTITY, acs_system_ids=systems)

    warnings = mismatch_warnings_of(identity)
    assert len(warnings) == 2
    messages = " ".join(w.message for w in warnings)
    assert mismatched in messages and also_mismatched in messages and matching not in messages


def test_being_deleted_warning_after_simulation(seam: Seam, fake_seam: FakeSeam) -> None:
    identity = seam.user_identities.create(user_identity_key="jane", email_address=EMAIL)
    assert identity.warnings == []
    moment = datetime(2024, 7, 4, 12, 0, 0, 250000, tzinfo=timezone.utc)

    with time_machine.travel(moment, tick=False):
        fake_seam.simulate_user_identity_being_deleted(identity.user_identity_id)

    fetched = seam.user_identities.get(user_identity_key="jane")
    (warning,) = fetched.warnings
    assert warning.warning_code == "being_deleted"
    assert warning.created_at == seam_time(moment)
    assert fetched.errors == []


# Schema validity with errors and warnings present ----------------------------------------


def test_responses_with_errors_and_warnings_are_schema_valid(fake_seam: FakeSeam, raw: Raw) -> None:
    system = new_system(fake_seam, "Lobby")
    acs_user = new_user(fake_seam, system, "J. Doe", EMAIL, OTHER_PHONE)
    fake_seam.simulate_acs_user_error(acs_user)

    response = raw.post("/user_identities/create", json={**IDENTITY, "acs_system_ids": [system]})
    assert response.status_code == 200, response.text
    created = response.json()
    assert_valid_response("/user_identities/create", created, "post")
    identity_id = created["user_identity"]["user_identity_id"]
    fake_seam.simulate_user_identity_being_deleted(identity_id)

    for method in ("get", "post"):
        body = raw.read(method, "/user_identities/get", {"user_identity_id": identity_id}).json()
        assert_valid_response("/user_identities/get", body, method)
        identity = body["user_identity"]
        assert [e["error_code"] for e in identity["errors"]] == ["issue_with_acs_user"]
        assert sorted(w["warning_code"] for w in identity["warnings"]) == [
            "acs_user_profile_does_not_match_user_identity",
            "being_deleted",
        ]
        acs_body = raw.read(method, "/acs/users/get", {"acs_user_id": acs_user}).json()
        assert_valid_response("/acs/users/get", acs_body, method)
        assert acs_body["acs_user"]["user_identity_id"] == identity_id
        assert acs_body["acs_user"]["errors"]


def test_ties_are_broken_by_creation_order_even_after_a_profile_update(
    seam: Seam, fake_seam: FakeSeam
) -> None:
    # Updating an ACS user re-indexes it; the older user must still win the tie.
    system = new_system(fake_seam)
    older = new_user(fake_seam, system, "Old", EMAIL)
    new_user(fake_seam, system, "New", EMAIL)
    seam.acs.users.update(acs_user_id=older, full_name="Old Renamed")
    identity = seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    assert identity.acs_user_ids == [older]


def test_a_renamed_older_match_linked_elsewhere_still_blocks_the_create(
    seam: Seam, fake_seam: FakeSeam
) -> None:
    system = new_system(fake_seam)
    older = new_user(fake_seam, system, "Old", EMAIL)
    new_user(fake_seam, system, "New", EMAIL)
    owner = seam.user_identities.create(user_identity_key="owner")
    seam.user_identities.add_acs_user(user_identity_id=owner.user_identity_id, acs_user_id=older)
    seam.acs.users.update(acs_user_id=older, full_name="Old Renamed")
    with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as raised:
        seam.user_identities.create(email_address=EMAIL, acs_system_ids=[system])
    assert raised.value.code == "acs_user_already_linked_to_user_identity"
