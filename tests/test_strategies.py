"""The public Hypothesis strategies of ``seam_fake.strategies``, checked against the fake and the libraries.

Covered:

1. Valid values (``emails``, ``phone_numbers``, ``user_identity_keys``, ``full_names``) are
   accepted by ``/user_identities/create`` and ``/user_identities/update`` through the SDK and
   come back exactly as sent; ``create_payloads`` (sent raw, nulls included) are created and
   echoed with the documented ``display_name``; ``update_payloads`` apply field by field.
2. Invalid cases (``invalid_create_payloads``, ``invalid_update_payloads``, ``invalid_values``)
   are refused with 400 ``invalid_input`` naming exactly the field the strategy broke, and
   change nothing.
3. The libraries agree with the strategies directly: email-validator, phonenumbers (E.164,
   possible numbers, a dozen countries) and the claims of the docstrings (mixed case,
   internationalised local parts, the ``.test`` domain).
4. The recipe for ``@given`` with the function-scoped ``fake_seam`` fixture: ``reset()`` at
   the start of each example, and why it is needed and safe.
5. Credential payloads (for every kind of ACS system that takes credentials) and client
   session payloads are created as sent; their invalid cases are refused naming the field.
6. Access control, at a frozen clock: ``access_schedules`` are accepted by ``/acs/users/create``
   and ``update`` and read back in UTC; ``invalid_access_schedules`` are refused naming
   ``access_schedule`` and carry the flaw they are tagged with; grant and access group member
   payloads give (and take away) access, and their invalid forms are refused naming the field.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from typing import Any

import email_validator
import phonenumbers
import pytest
import time_machine
from helpers import Raw, assert_error, email_validator_accepts, unchanged
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from seam import NULL, Seam, SeamHttpApiError

from seam_fake import FakeSeam
from seam_fake import strategies as sf
from seam_fake.model.acs_types import ACS_TYPES

CREATE = "/user_identities/create"
UPDATE = "/user_identities/update"
GET = "/user_identities/get"
E164 = re.compile(r"\+[1-9][0-9]{1,14}")

VALID: dict[str, st.SearchStrategy[str]] = {
    "user_identity_key": sf.user_identity_keys(),
    "email_address": sf.emails(),
    "phone_number": sf.phone_numbers(),
    "full_name": sf.full_names(),
}

# Display name precedence, as docs/fidelity.md states it.
DISPLAY_ORDER = ("full_name", "email_address", "user_identity_key")

# The property tests below drive the fake over HTTP; each example shares the test's
# function-scoped fixtures (see the recipe at the end of this file).
SHARED_FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
# Budgets follow the loaded profile (conftest.py): half of it, 100 under "ci", 1000 under "long".
BUDGET = settings.default.max_examples
HTTP = settings(max_examples=BUDGET // 2, suppress_health_check=SHARED_FIXTURES)
# Parametrized over the four fields: 4 x 50 examples per test function under "ci".
PER_FIELD = settings(max_examples=BUDGET // 4, suppress_health_check=SHARED_FIXTURES)
# find() stops at the first example that satisfies it: no shrinking, which only costs time here.
LOOKUP = settings(database=None, max_examples=1000, phases=[Phase.generate])


# Helpers -------------------------------------------------------------------


def expected_display_name(fields: dict[str, Any], user_identity_id: str) -> str:
    for name in DISPLAY_ORDER:
        if fields.get(name) is not None:
            value: str = fields[name]
            return value
    return f"Fake user with id {user_identity_id}"


def identity_fields(identity: Any) -> dict[str, Any]:
    return {name: getattr(identity, name) for name in sf.IDENTITY_FIELDS}


def sdk_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The SDK drops None; its NULL sends JSON null, which clears a field on update."""
    return {name: NULL if value is None else value for name, value in changes.items()}


def assert_invalid_naming(response: Any, field: str) -> None:
    """400 invalid_input whose validation errors name `field` and nothing else."""
    error = assert_error(response, 400, "invalid_input")
    validation_errors = error["validation_errors"]
    assert set(validation_errors) == {"_errors", field}, validation_errors
    assert validation_errors["_errors"] == []
    assert validation_errors[field]["_errors"]
    assert field in error["message"]


def existing_identity_id(seam: Seam) -> str:
    identity = seam.user_identities.create(
        user_identity_key="existing", email_address="existing@example.com", full_name="Existing Person"
    )
    return identity.user_identity_id


# 1. Valid values are accepted and returned as sent -------------------------


@pytest.mark.parametrize("field", sf.IDENTITY_FIELDS)
@PER_FIELD
@given(data=st.data())
def test_every_valid_value_is_accepted_by_create_and_returned_as_sent(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, field: str, data: st.DataObject
) -> None:
    fake_seam.reset()
    value = data.draw(VALID[field], label=field)

    created = seam.user_identities.create(**{field: value})

    assert getattr(created, field) == value
    assert created.display_name == expected_display_name({field: value}, created.user_identity_id)
    fetched = seam.user_identities.get(user_identity_id=created.user_identity_id)
    assert identity_fields(fetched) == identity_fields(created)
    if field == "user_identity_key":
        # The key is also a lookup: both read forms find the identity by the exact text.
        for method in ("get", "post"):
            reply = raw.read(method, GET, {"user_identity_key": value})
            assert reply.status_code == 200, reply.text
            assert reply.json()["user_identity"]["user_identity_id"] == created.user_identity_id


@pytest.mark.parametrize("field", sf.IDENTITY_FIELDS)
@PER_FIELD
@given(data=st.data())
def test_every_valid_value_is_accepted_by_update_and_returned_as_sent(
    fake_seam: FakeSeam, seam: Seam, field: str, data: st.DataObject
) -> None:
    fake_seam.reset()
    user_identity_id = existing_identity_id(seam)
    before = identity_fields(seam.user_identities.get(user_identity_id=user_identity_id))
    value = data.draw(VALID[field], label=field)

    seam.user_identities.update(user_identity_id=user_identity_id, **{field: value})

    after = identity_fields(seam.user_identities.get(user_identity_id=user_identity_id))
    assert after == {**before, field: value}


@HTTP
@given(payload=sf.create_payloads())
def test_create_payloads_are_created_and_echoed(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, payload: dict[str, Any]
) -> None:
    # Sent raw so that explicit nulls reach the fake as nulls (the SDK drops None).
    fake_seam.reset()

    reply = raw.post(CREATE, json=payload)

    assert reply.status_code == 200, reply.text
    identity = reply.json()["user_identity"]
    for name in sf.IDENTITY_FIELDS:
        assert identity[name] == payload.get(name)
    assert identity["display_name"] == expected_display_name(payload, identity["user_identity_id"])
    fetched = seam.user_identities.get(user_identity_id=identity["user_identity_id"])
    assert identity_fields(fetched) == {name: payload.get(name) for name in sf.IDENTITY_FIELDS}
    assert fetched.display_name == identity["display_name"]
    assert [i.user_identity_id for i in seam.user_identities.list()] == [identity["user_identity_id"]]


@HTTP
@given(initial=sf.create_payloads(), changes=sf.update_payloads())
def test_update_payloads_change_exactly_the_fields_they_name(
    fake_seam: FakeSeam, seam: Seam, initial: dict[str, Any], changes: dict[str, Any]
) -> None:
    fake_seam.reset()
    created = seam.user_identities.create(**{k: v for k, v in initial.items() if v is not None})

    seam.user_identities.update(user_identity_id=created.user_identity_id, **sdk_changes(changes))

    expected = {name: changes.get(name, initial.get(name)) for name in sf.IDENTITY_FIELDS}
    fetched = seam.user_identities.get(user_identity_id=created.user_identity_id)
    assert identity_fields(fetched) == expected
    assert fetched.display_name == expected_display_name(expected, created.user_identity_id)


@PER_FIELD
@given(email=sf.emails())
def test_an_email_is_stored_as_sent_and_compared_case_insensitively(
    fake_seam: FakeSeam, seam: Seam, email: str
) -> None:
    fake_seam.reset()
    seam.user_identities.create(email_address=email)
    # Every email has ASCII letters (at least its top-level domain); flip their case only,
    # so the variant is still a valid address with the same folded form (fold_email).
    variant = "".join(c.swapcase() if c.isascii() else c for c in email)
    assert variant != email

    with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as info:
        seam.user_identities.create(email_address=variant)

    assert info.value.status_code == 400
    assert info.value.code == "email_address_already_in_use"
    assert [i.email_address for i in seam.user_identities.list()] == [email]


# 2. Invalid cases are refused, naming the field ------------------------------


@HTTP
@given(case=sf.invalid_create_payloads())
def test_invalid_create_payloads_are_refused_naming_the_field(
    fake_seam: FakeSeam, raw: Raw, case: tuple[dict[str, Any], str]
) -> None:
    fake_seam.reset()
    payload, field = case
    assert field in sf.IDENTITY_FIELDS

    with unchanged(fake_seam):
        assert_invalid_naming(raw.post(CREATE, json=payload), field)


@HTTP
@given(case=sf.invalid_update_payloads())
def test_invalid_update_payloads_are_refused_naming_the_field(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, case: tuple[dict[str, Any], str]
) -> None:
    fake_seam.reset()
    user_identity_id = existing_identity_id(seam)
    changes, field = case
    assert field in sf.IDENTITY_FIELDS

    with unchanged(fake_seam):
        reply = raw.post(UPDATE, json={"user_identity_id": user_identity_id, **changes})
        assert_invalid_naming(reply, field)


@pytest.mark.parametrize("field", sf.IDENTITY_FIELDS)
@PER_FIELD
@given(data=st.data())
def test_each_invalid_value_is_refused_by_create_and_update(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, field: str, data: st.DataObject
) -> None:
    fake_seam.reset()
    user_identity_id = existing_identity_id(seam)
    value = data.draw(sf.invalid_values(field), label=field)

    with unchanged(fake_seam):
        assert_invalid_naming(raw.post(CREATE, json={field: value}), field)
        assert_invalid_naming(
            raw.post(UPDATE, json={"user_identity_id": user_identity_id, field: value}), field
        )


# 3. The libraries agree with the strategies ---------------------------------


def phone_accepted(text: str) -> bool:
    if not E164.fullmatch(text):
        return False
    try:
        return bool(phonenumbers.is_possible_number(phonenumbers.parse(text, None)))
    except phonenumbers.NumberParseException:
        return False


@given(email=sf.emails())
def test_emails_pass_email_validator(email: str) -> None:
    # Raises EmailNotValidError (failing the test) for an address the library refuses.
    validated = email_validator.validate_email(email, check_deliverability=False, test_environment=True)
    assert validated.original == email


@given(number=sf.phone_numbers())
def test_phone_numbers_are_possible_e164_numbers(number: str) -> None:
    assert E164.fullmatch(number)
    parsed = phonenumbers.parse(number, None)
    assert phonenumbers.is_possible_number(parsed)
    # Already in canonical E.164 form: formatting it changes nothing.
    assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number


@pytest.mark.parametrize(
    ("region", "country_code"),
    [
        ("US", 1),
        ("GB", 44),
        ("DE", 49),
        ("FR", 33),
        ("JP", 81),
        ("BR", 55),
        ("IN", 91),
        ("AU", 61),
        ("ES", 34),
        ("NG", 234),
        ("MX", 52),
        ("SG", 65),
    ],
)
def test_phone_numbers_come_from_a_dozen_countries(region: str, country_code: int) -> None:
    number = find(
        sf.phone_numbers(),
        lambda n: phonenumbers.parse(n, None).country_code == country_code,
        settings=LOOKUP,
    )
    parsed = phonenumbers.parse(number, None)
    assert parsed.country_code == country_code
    assert phonenumbers.is_possible_number(parsed)
    # The strategy keeps the leading digits of the region's sample, so the region is kept too.
    assert phonenumbers.region_code_for_number(parsed) == region


@pytest.mark.parametrize(
    ("description", "condition"),
    [
        ("an upper-case letter", lambda e: any(c.isupper() for c in e)),
        ("a non-ASCII local part", lambda e: not e.split("@")[0].isascii()),
        ("the reserved .test domain", lambda e: e.endswith(".test")),
        ("a dotted local part", lambda e: "." in e.split("@")[0]),
    ],
)
def test_emails_cover_what_the_docstring_promises(description: str, condition: Any) -> None:
    email = find(sf.emails(), condition, settings=LOOKUP)
    assert condition(email), description
    assert email_validator_accepts(email)


def test_full_names_and_keys_reach_beyond_ascii() -> None:
    name = find(sf.full_names(), lambda n: " " in n and not n.isascii(), settings=LOOKUP)
    key = find(sf.user_identity_keys(), lambda k: not k.isascii(), settings=LOOKUP)
    assert not name.isascii() and not key.isascii()


@given(value=sf.invalid_emails())
def test_invalid_emails_are_refused_by_email_validator(value: Any) -> None:
    assert not isinstance(value, str) or not email_validator_accepts(value)


@given(value=sf.invalid_phone_numbers())
def test_invalid_phone_numbers_are_not_possible_e164_numbers(value: Any) -> None:
    assert not isinstance(value, str) or not phone_accepted(value)


@pytest.mark.parametrize("field", ["user_identity_key", "full_name"])
@given(data=st.data())
def test_invalid_keys_and_names_are_empty_or_not_strings(field: str, data: st.DataObject) -> None:
    value = data.draw(sf.invalid_values(field))
    assert value == "" or not isinstance(value, str)
    # null is a valid value for every field (it clears it), so it is never offered as invalid.
    assert value is not None


@pytest.mark.parametrize("field", sf.IDENTITY_FIELDS)
def test_invalid_values_include_a_wrong_json_type(field: str) -> None:
    found = find(
        sf.invalid_values(field),
        lambda v: not isinstance(v, str),
        settings=LOOKUP,
    )
    assert not isinstance(found, str)


# 4. Recipe: @given with the fake_seam fixture --------------------------------
#
# pytest builds a function-scoped fixture once per *test*, not once per Hypothesis
# *example*: every example of a @given test shares one `fake_seam` (and one `seam`
# client), and what one example creates is still there in the next. Hypothesis warns
# about this (HealthCheck.function_scoped_fixture). The recipe:
#
#     from hypothesis import HealthCheck, given, settings
#     from seam import Seam
#     from seam_fake import strategies as sf
#
#     @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
#     @given(payload=sf.create_payloads())
#     def test_my_code(fake_seam, payload):
#         fake_seam.reset()  # first line of every example: an empty workspace again
#         seam = Seam()      # or a `seam` fixture built once: reset() keeps the API key
#         ...
#
# reset() is cheap (no new FakeSeam, no re-patching) and keeps `workspace_id` and
# `api_key`, so clients built before it and the SEAM_API_KEY the fixture set stay valid.

SAME_KEY = "the-same-key-in-every-example"


class TestRecipeGivenWithFakeSeamFixture:
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=BUDGET // 4)
    @given(email=sf.emails(), phone=sf.phone_numbers(), name=sf.full_names())
    def test_each_example_starts_from_an_empty_workspace(
        self, fake_seam: FakeSeam, seam: Seam, email: str, phone: str, name: str
    ) -> None:
        fake_seam.reset()
        # The same key in every example: it would be in use from the second example on.
        created = seam.user_identities.create(
            user_identity_key=SAME_KEY, email_address=email, phone_number=phone, full_name=name
        )
        assert [i.user_identity_id for i in seam.user_identities.list()] == [created.user_identity_id]
        assert seam.user_identities.get(user_identity_key=SAME_KEY).user_identity_id == (
            created.user_identity_id
        )

    def test_without_reset_the_examples_collide(self, fake_seam: FakeSeam, seam: Seam) -> None:
        # The same test body as above minus reset(), run as a nested Hypothesis test:
        # the second example meets the first example's identity.
        @settings(max_examples=5, database=None)
        @given(name=sf.full_names())
        def without_reset(name: str) -> None:
            seam.user_identities.create(user_identity_key=SAME_KEY, full_name=name)

        with pytest.raises(SeamHttpApiError) as info:
            without_reset()

        assert info.value.code == "user_identity_key_already_in_use"
        assert len(seam.user_identities.list()) == 1

    def test_reset_keeps_the_credentials_and_empties_the_state(
        self, fake_seam: FakeSeam, seam: Seam, raw: Raw
    ) -> None:
        api_key, workspace_id = fake_seam.api_key, fake_seam.workspace_id
        system = fake_seam.add_acs_system("HQ")
        fake_seam.add_acs_user(system["acs_system_id"], "Jane Doe", email_address="jane@example.com")
        other_key = fake_seam.add_workspace("Other")["api_key"]
        extra_key = fake_seam.add_api_key()
        token = fake_seam.add_personal_access_token()
        old = seam.user_identities.create(user_identity_key=SAME_KEY, email_address="jane@example.com")

        fake_seam.reset()

        assert (fake_seam.api_key, fake_seam.workspace_id) == (api_key, workspace_id)
        assert os.environ["SEAM_API_KEY"] == api_key
        state = fake_seam.snapshot()
        assert state["api_keys"] == {api_key: workspace_id}
        assert state["personal_access_tokens"] == {}
        assert list(state["workspaces"]) == [workspace_id]
        workspace = state["workspaces"][workspace_id]
        for collection in (
            "user_identities",
            "identity_by_key",
            "identity_by_email",
            "identity_by_phone",
            "identity_order",
            "acs_systems",
            "acs_users",
            "acs_users_by_email",
            "acs_users_by_phone",
            "acs_user_order",
        ):
            assert not workspace[collection], collection
        # The client built before reset() and one built after both reach the emptied workspace.
        for client in (seam, Seam()):
            assert client.workspaces.get().workspace_id == workspace_id
            assert client.user_identities.list() == []
            assert client.acs.systems.list() == []
        # What reset() forgot is gone: the old identity, the other credentials.
        assert_error(
            raw.post(GET, json={"user_identity_id": old.user_identity_id}), 404, "user_identity_not_found"
        )
        for headers in (
            {"Authorization": f"Bearer {other_key}"},
            {"Authorization": f"Bearer {extra_key}"},
            {"Authorization": f"Bearer {token}", "seam-workspace": workspace_id},
        ):
            assert_error(raw.request("POST", "/workspaces/get", headers=headers), 401, "unauthorized")


# 5. Credential and client session payloads ---------------------------------------------

CREDENTIAL_KINDS = sorted(
    name
    for name, kind in ACS_TYPES.items()
    if kind.access_methods - ({"mobile_key"} if kind.credential_managers else set())
)


def seeded_acs_user(fake: FakeSeam, external_type: str) -> str:
    system = fake.add_acs_system("Building", external_type=external_type)
    acs_user_id: str = fake.add_acs_user(system["acs_system_id"], "Ana Silva")["acs_user_id"]
    return acs_user_id


@pytest.mark.parametrize("external_type", CREDENTIAL_KINDS)
@settings(max_examples=max(BUDGET // 20, 5), suppress_health_check=SHARED_FIXTURES)
@given(data=st.data())
def test_credential_payloads_are_created_as_sent(
    fake_seam: FakeSeam, raw: Raw, external_type: str, data: st.DataObject
) -> None:
    fake_seam.reset()
    acs_user_id = seeded_acs_user(fake_seam, external_type)
    payload = data.draw(sf.credential_payloads(acs_user_id, external_type))
    reply = raw.post("/acs/credentials/create", json=payload)
    assert reply.status_code == 200, reply.text
    credential = reply.json()["acs_credential"]
    assert credential["acs_user_id"] == acs_user_id
    assert credential["access_method"] == payload["access_method"]
    if "code" in payload:
        assert credential["code"] == payload["code"]
    for name in ("starts_at", "ends_at"):
        if name in payload:
            assert datetime.fromisoformat(credential[name].replace("Z", "+00:00")) == datetime.fromisoformat(
                payload[name].replace("Z", "+00:00")
            )


@pytest.mark.parametrize("external_type", CREDENTIAL_KINDS)
@settings(max_examples=max(BUDGET // 10, 5), suppress_health_check=SHARED_FIXTURES)
@given(data=st.data())
def test_invalid_credential_payloads_are_refused_naming_the_field(
    fake_seam: FakeSeam, raw: Raw, external_type: str, data: st.DataObject
) -> None:
    fake_seam.reset()
    acs_user_id = seeded_acs_user(fake_seam, external_type)
    payload, field = data.draw(sf.invalid_credential_payloads(acs_user_id, external_type))
    assert field in sf.CREDENTIAL_FIELDS
    with unchanged(fake_seam):
        assert_invalid_naming(raw.post("/acs/credentials/create", json=payload), field)


@HTTP
@given(data=st.data())
def test_client_session_payloads_are_created_as_sent(
    fake_seam: FakeSeam, raw: Raw, data: st.DataObject
) -> None:
    fake_seam.reset()
    identity = fake_seam.add_user_identity(full_name="Ana Silva")
    payload = data.draw(sf.client_session_payloads(identity["user_identity_id"]))
    reply = raw.post("/client_sessions/create", json=payload)
    assert reply.status_code == 200, reply.text
    session = reply.json()["client_session"]
    assert session["user_identity_ids"] == [identity["user_identity_id"]]
    assert session["user_identifier_key"] == payload.get("user_identifier_key")
    assert session.get("customer_key") == payload.get("customer_key")
    if "expires_at" in payload:
        assert datetime.fromisoformat(session["expires_at"].replace("Z", "+00:00")) == datetime.fromisoformat(
            payload["expires_at"].replace("Z", "+00:00")
        )


@HTTP
@given(data=st.data())
def test_invalid_client_session_payloads_are_refused_naming_the_field(
    fake_seam: FakeSeam, raw: Raw, data: st.DataObject
) -> None:
    fake_seam.reset()
    identity = fake_seam.add_user_identity(full_name="Ana Silva")
    payload, field = data.draw(sf.invalid_client_session_payloads(identity["user_identity_id"]))
    with unchanged(fake_seam):
        assert_invalid_naming(raw.post("/client_sessions/create", json=payload), field)


@given(value=sf.timestamps())
def test_timestamps_carry_a_time_zone_and_parse(value: str) -> None:
    assert datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


@given(value=sf.invalid_timestamps())
def test_invalid_timestamps_have_no_time_zone_or_do_not_parse(value: Any) -> None:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return
        assert parsed.tzinfo is None


# 6. Access control: schedules, grants and access group memberships ----------------------------
#
# The clock is frozen at SCHEDULE_NOW (time-machine) in every example, and the strategies are
# drawn relative to it.

SCHEDULE_NOW = datetime(2030, 6, 1, 12, 0, 0, 250_000, tzinfo=timezone.utc)
SCHEDULE_NOW_TEXT = "2030-06-01T12:00:00.250Z"
ACCESS = settings(max_examples=max(BUDGET // 4, 10), suppress_health_check=SHARED_FIXTURES)


def as_seam_time(text: str | None) -> str | None:
    """A timestamp as the fake writes it back: UTC, milliseconds, Z."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def expected_schedule(schedule: dict[str, Any]) -> dict[str, str | None]:
    return {
        "starts_at": as_seam_time(schedule.get("starts_at")) or SCHEDULE_NOW_TEXT,
        "ends_at": as_seam_time(schedule.get("ends_at")),
    }


def rendered_schedule(raw: Raw, acs_user_id: str) -> Any:
    reply = raw.post("/acs/users/get", json={"acs_user_id": acs_user_id})
    assert reply.status_code == 200, reply.text
    return reply.json()["acs_user"].get("access_schedule")


@ACCESS
@given(schedule=sf.access_schedules(SCHEDULE_NOW), later=sf.access_schedules(SCHEDULE_NOW, complete=True))
def test_access_schedules_are_accepted_by_create_and_update(
    fake_seam: FakeSeam, seam: Seam, raw: Raw, schedule: dict[str, Any], later: dict[str, Any]
) -> None:
    fake_seam.reset()
    with time_machine.travel(SCHEDULE_NOW, tick=False):
        system = fake_seam.add_acs_system("Building")["acs_system_id"]
        user = seam.acs.users.create(acs_system_id=system, full_name="Ana Silva", access_schedule=schedule)
        assert rendered_schedule(raw, user.acs_user_id) == expected_schedule(schedule)

        seam.acs.users.update(acs_user_id=user.acs_user_id, access_schedule=later)
        assert rendered_schedule(raw, user.acs_user_id) == expected_schedule(later)


@ACCESS
@given(
    created=sf.invalid_access_schedules(SCHEDULE_NOW),
    updated=st.one_of(
        sf.invalid_access_schedules(SCHEDULE_NOW, complete=True), sf.invalid_access_schedules(SCHEDULE_NOW)
    ),
)
def test_invalid_access_schedules_are_refused_naming_access_schedule(
    fake_seam: FakeSeam, raw: Raw, created: tuple[Any, str], updated: tuple[Any, str]
) -> None:
    fake_seam.reset()
    with time_machine.travel(SCHEDULE_NOW, tick=False):
        system = fake_seam.add_acs_system("Building")["acs_system_id"]
        acs_user_id = fake_seam.add_acs_user(system, "Ana Silva")["acs_user_id"]
        (schedule, flaw), (changes, change_flaw) = created, updated
        assert flaw in sf.ACCESS_SCHEDULE_FLAWS and change_flaw in sf.ACCESS_SCHEDULE_FLAWS
        with unchanged(fake_seam):
            body = {"acs_system_id": system, "full_name": "Bo", "access_schedule": schedule}
            assert_invalid_naming(raw.post("/acs/users/create", json=body), "access_schedule")
            body = {"acs_user_id": acs_user_id, "access_schedule": changes}
            assert_invalid_naming(raw.post("/acs/users/update", json=body), "access_schedule")


def parsed(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@given(now=st.datetimes(datetime(2000, 1, 1), datetime(2090, 1, 1)), data=st.data())
def test_access_schedules_keep_their_promises(now: datetime, data: st.DataObject) -> None:
    complete = data.draw(st.booleans())
    schedule = data.draw(sf.access_schedules(now, complete=complete))
    moment = now.replace(tzinfo=timezone.utc)
    starts, ends = schedule.get("starts_at"), schedule.get("ends_at")
    if complete:
        assert starts is not None and ends is not None
    for text in (starts, ends):
        if text is not None:
            assert parsed(text).tzinfo is not None
            assert parsed(text).microsecond % 1000 == 0
    if ends is not None:
        assert parsed(ends) > moment
        assert starts is None or parsed(ends) > parsed(starts)


@given(now=st.datetimes(datetime(2000, 1, 1), datetime(2090, 1, 1)), data=st.data())
def test_invalid_access_schedules_have_the_flaw_they_are_tagged_with(
    now: datetime, data: st.DataObject
) -> None:
    complete = data.draw(st.booleans())
    schedule, flaw = data.draw(sf.invalid_access_schedules(now, complete=complete))
    moment = now.replace(tzinfo=timezone.utc, microsecond=now.microsecond // 1000 * 1000)
    if flaw == "not_an_object":
        assert not isinstance(schedule, dict) and schedule is not None
        return
    times = {name: schedule.get(name) for name in ("starts_at", "ends_at")}
    if flaw == "incomplete":
        assert complete and sum(value is None for value in times.values()) == 1
    elif flaw == "reversed":
        assert parsed(times["ends_at"]) <= parsed(times["starts_at"])
        assert parsed(times["ends_at"]) > moment
    elif flaw == "ended":
        assert parsed(times["ends_at"]) <= moment
    elif flaw == "naive":
        assert any(isinstance(v, str) and parsed(v).tzinfo is None for v in times.values())
    else:
        assert flaw == "unparseable"
        for value in times.values():
            if isinstance(value, str) and value:
                try:
                    parsed(value)
                except ValueError:
                    break
        else:
            assert any(value == "" or not isinstance(value, (str, type(None))) for value in times.values())


def test_access_schedule_flaws_are_all_drawn() -> None:
    for flaw in sf.ACCESS_SCHEDULE_FLAWS:
        found = find(
            sf.invalid_access_schedules(complete=True), lambda case, f=flaw: case[1] == f, settings=LOOKUP
        )
        assert found[1] == flaw


def accessible(seam: Seam, **whom: str) -> list[str]:
    return [e.acs_entrance_id for e in seam.acs.users.list_accessible_entrances(**whom)]


def person_on(fake: FakeSeam, external_type: str) -> tuple[str, str, str]:
    """A system of this kind, and an identity linked to an ACS user on it."""
    system = fake.add_acs_system("Building", external_type=external_type)["acs_system_id"]
    identity = fake.add_user_identity(email_address="ana@example.com", acs_system_ids=[system])
    return system, identity["acs_user_ids"][0], identity["user_identity_id"]


@ACCESS
@given(data=st.data())
def test_grant_access_payloads_are_accepted(fake_seam: FakeSeam, seam: Seam, data: st.DataObject) -> None:
    fake_seam.reset()
    system, acs_user_id, identity_id = person_on(fake_seam, "visionline_system")
    door = fake_seam.add_acs_entrance(system, "Lobby")["acs_entrance_id"]
    payload = data.draw(sf.grant_access_payloads(door, acs_user_id=acs_user_id, user_identity_id=identity_id))

    seam.acs.entrances.grant_access(**payload)

    assert accessible(seam, acs_user_id=acs_user_id) == [door]
    assert [
        e.acs_entrance_id
        for e in seam.user_identities.list_accessible_entrances(user_identity_id=identity_id)
    ] == [door]


@ACCESS
@given(data=st.data())
def test_access_group_member_payloads_add_and_remove(
    fake_seam: FakeSeam, seam: Seam, data: st.DataObject
) -> None:
    fake_seam.reset()
    system, acs_user_id, identity_id = person_on(fake_seam, "salto_ks_site")
    door = fake_seam.add_acs_entrance(system, "Lobby")["acs_entrance_id"]
    group = fake_seam.add_acs_access_group(system, "Floor 1", acs_entrance_ids=[door])["acs_access_group_id"]
    whom = {"acs_user_id": acs_user_id, "user_identity_id": identity_id}
    members = sf.access_group_member_payloads(group, **whom)

    seam.acs.access_groups.add_user(**data.draw(members, label="add_user"))
    assert [u.acs_user_id for u in seam.acs.access_groups.list_users(acs_access_group_id=group)] == [
        acs_user_id
    ]
    assert accessible(seam, acs_user_id=acs_user_id) == [door]

    remove = data.draw(
        st.sampled_from([seam.acs.access_groups.remove_user, seam.acs.users.remove_from_access_group])
    )
    remove(**data.draw(members, label="remove"))
    assert seam.acs.access_groups.list_users(acs_access_group_id=group) == []
    assert accessible(seam, user_identity_id=identity_id) == []


@ACCESS
@given(data=st.data())
def test_invalid_grant_access_payloads_are_refused_naming_the_field(
    fake_seam: FakeSeam, raw: Raw, data: st.DataObject
) -> None:
    fake_seam.reset()
    system, acs_user_id, identity_id = person_on(fake_seam, "visionline_system")
    door = fake_seam.add_acs_entrance(system, "Lobby")["acs_entrance_id"]
    whom = data.draw(
        st.sampled_from(
            [
                {"acs_user_id": acs_user_id},
                {"user_identity_id": identity_id},
                {"acs_user_id": acs_user_id, "user_identity_id": identity_id},
            ]
        )
    )
    payload, field = data.draw(sf.invalid_grant_access_payloads(door, **whom))
    assert field in (*sf.ACCESS_MEMBER_FIELDS, "acs_entrance_id")
    with unchanged(fake_seam):
        assert_invalid_naming(raw.post("/acs/entrances/grant_access", json=payload), field)


@ACCESS
@given(data=st.data())
def test_invalid_access_group_member_payloads_are_refused_naming_the_field(
    fake_seam: FakeSeam, raw: Raw, data: st.DataObject
) -> None:
    fake_seam.reset()
    system, acs_user_id, identity_id = person_on(fake_seam, "salto_ks_site")
    group = fake_seam.add_acs_access_group(system, "Floor 1")["acs_access_group_id"]
    fake_seam.add_acs_entrance(system, "Lobby")
    payload, field = data.draw(
        sf.invalid_access_group_member_payloads(group, acs_user_id=acs_user_id, user_identity_id=identity_id)
    )
    assert field in (*sf.ACCESS_MEMBER_FIELDS, "acs_access_group_id")
    path = data.draw(st.sampled_from(["/acs/access_groups/add_user", "/acs/users/remove_from_access_group"]))
    with unchanged(fake_seam):
        assert_invalid_naming(raw.post(path, json=payload), field)


def test_member_payloads_need_someone() -> None:
    with pytest.raises(ValueError, match="acs_user_id or a user_identity_id"):
        find(
            sf.grant_access_payloads("5f0c2d7e-6b1a-4c3e-9d4f-0a1b2c3d4e5f"), lambda _: True, settings=LOOKUP
        )
