"""Hypothesis strategies for inputs Seam accepts, and for inputs it refuses.

Valid values are built to pass the libraries Seam's rules rest on, and then
checked against them: emails that email-validator accepts (without DNS, with
the ``.test`` domain allowed), E.164 numbers that phonenumbers calls possible,
in several countries. Invalid values are built to fail exactly one rule of one
field, so a test can assert that the error names that field::

    from hypothesis import given
    from seam_fake import strategies as sf

    @given(payload=sf.create_payloads())
    def test_create(payload): ...

    @given(case=sf.invalid_create_payloads())
    def test_refused(case):
        payload, field = case
        ...  # expect 400 invalid_input naming `field`

Needs Hypothesis: the ``hypothesis`` extra of seam-fake.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import email_validator
import phonenumbers

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        "seam_fake.strategies needs Hypothesis: install the extra, `pip install 'seam-fake[hypothesis]'`.",
        name=missing.name,
    ) from missing

from .model.acs_types import ACS_TYPES

__all__ = [
    "CLIENT_SESSION_FIELDS",
    "CREDENTIAL_FIELDS",
    "IDENTITY_FIELDS",
    "client_session_payloads",
    "create_payloads",
    "credential_payloads",
    "emails",
    "full_names",
    "invalid_client_session_payloads",
    "invalid_create_payloads",
    "invalid_credential_payloads",
    "invalid_emails",
    "invalid_full_names",
    "invalid_phone_numbers",
    "invalid_timestamps",
    "invalid_update_payloads",
    "invalid_user_identity_keys",
    "invalid_values",
    "phone_numbers",
    "timestamps",
    "update_payloads",
    "user_identity_keys",
]

# The fields a user identity is created and updated with.
IDENTITY_FIELDS = ("user_identity_key", "email_address", "phone_number", "full_name")

# Text JSON can carry both ways: no lone surrogates (UTF-8 cannot encode them).
_TEXT = st.characters(exclude_categories=["Cs"])
_LETTERS = st.characters(categories=["Lu", "Ll", "Lo"], max_codepoint=0x2FFF)


def _email_accepted(text: str) -> bool:
    try:
        email_validator.validate_email(text, check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError:
        return False
    return True


_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def _phone_accepted(text: str) -> bool:
    """E.164 in form, and a possible number for its country code."""
    if not _E164.fullmatch(text):
        return False
    try:
        return bool(phonenumbers.is_possible_number(phonenumbers.parse(text, None)))
    except phonenumbers.NumberParseException:
        return False


_LOCAL_ATOM = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-", min_size=1, max_size=12
)
_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@st.composite
def _email(draw: st.DrawFn) -> str:
    local = ".".join(draw(st.lists(_LOCAL_ATOM, min_size=1, max_size=3)))
    if draw(st.booleans()):
        # Internationalised local parts (RFC 6531) are valid too.
        local += draw(st.text(_LETTERS, min_size=1, max_size=4))
    labels = draw(st.lists(_LABEL, min_size=1, max_size=2))
    tld = draw(st.sampled_from(["com", "org", "net", "io", "co.uk", "de", "test"]))
    return f"{local}@{'.'.join(labels)}.{tld}"


def emails() -> st.SearchStrategy[str]:
    """Email addresses Seam accepts, in mixed case (Seam compares them case-insensitively)."""
    return _email().filter(_email_accepted)


# Mobile numbers of several countries, as phonenumbers' own examples.
_SAMPLES = [
    sample
    for region in ("US", "GB", "DE", "FR", "JP", "BR", "IN", "AU", "ES", "NG", "MX", "SG")
    if (sample := phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE))
    is not None
]


@st.composite
def _phone(draw: st.DrawFn) -> str:
    sample = draw(st.sampled_from(_SAMPLES))
    national = str(sample.national_number)
    # Keep the leading digits (the number's kind and area), vary the rest.
    kept = len(national) - 4
    tail = draw(st.text("0123456789", min_size=4, max_size=4))
    return f"+{sample.country_code}{national[:kept]}{tail}"


def phone_numbers() -> st.SearchStrategy[str]:
    """E.164 phone numbers phonenumbers calls possible, from a dozen countries."""
    return _phone().filter(_phone_accepted)


def user_identity_keys() -> st.SearchStrategy[str]:
    """Non-empty keys, any Unicode text JSON can carry."""
    return st.text(_TEXT, min_size=1, max_size=40)


def full_names() -> st.SearchStrategy[str]:
    """Non-empty names: ASCII, accented and non-Latin letters, spaces, punctuation."""
    word = st.text(_LETTERS, min_size=1, max_size=12)
    names = st.lists(word, min_size=1, max_size=4).map(" ".join)
    return st.one_of(names, st.text(_TEXT, min_size=1, max_size=40))


_VALID: dict[str, st.SearchStrategy[str]] = {
    "user_identity_key": user_identity_keys(),
    "email_address": emails(),
    "phone_number": phone_numbers(),
    "full_name": full_names(),
}

# Values of the wrong JSON type for any string field.
_WRONG_TYPES = st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), max_size=2), st.just({"a": 1}))


def invalid_emails() -> st.SearchStrategy[Any]:
    """Strings email-validator refuses, and values that are not strings."""
    broken = st.one_of(
        st.sampled_from(
            [
                "",
                "plainaddress",
                "@example.com",
                "jane@",
                "jane@@example.com",
                "jane doe@example.com",
                "jane..doe@example.com",
                ".jane@example.com",
                "jane@example",
                "jane@-example.com",
                "jane@example..com",
                "jane@localhost",
            ]
        ),
        st.text(_TEXT, max_size=20).filter(lambda text: "@" not in text),
        emails().map(lambda email: email.replace("@", " @ ")),
    )
    return st.one_of(broken.filter(lambda text: not _email_accepted(text)), _WRONG_TYPES)


def invalid_phone_numbers() -> st.SearchStrategy[Any]:
    """Numbers not in E.164 (national forms, spaces, dashes), impossible numbers, and non-strings."""
    reformatted = phone_numbers().flatmap(
        lambda number: st.sampled_from(
            [
                number[1:],  # no +
                phonenumbers.format_number(
                    phonenumbers.parse(number, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL
                ),
                phonenumbers.format_number(
                    phonenumbers.parse(number, None), phonenumbers.PhoneNumberFormat.NATIONAL
                ),
                number + "0000000",  # too long to be possible
                number[:4],  # too short
            ]
        )
    )
    broken = st.one_of(reformatted, st.sampled_from(["", "+", "+0123456789", "phone", "+1 (555) 0100"]))
    return st.one_of(broken.filter(lambda text: not _phone_accepted(text)), _WRONG_TYPES)


def invalid_user_identity_keys() -> st.SearchStrategy[Any]:
    """The empty string (keys need a character) and non-strings."""
    return st.one_of(st.just(""), _WRONG_TYPES)


def invalid_full_names() -> st.SearchStrategy[Any]:
    """The empty string (names need a character) and non-strings."""
    return st.one_of(st.just(""), _WRONG_TYPES)


_INVALID: dict[str, st.SearchStrategy[Any]] = {
    "user_identity_key": invalid_user_identity_keys(),
    "email_address": invalid_emails(),
    "phone_number": invalid_phone_numbers(),
    "full_name": invalid_full_names(),
}


def invalid_values(field: str) -> st.SearchStrategy[Any]:
    """Values Seam refuses for one of ``IDENTITY_FIELDS``."""
    return _INVALID[field]


def create_payloads() -> st.SearchStrategy[dict[str, Any]]:
    """``/user_identities/create`` bodies Seam accepts: any subset of the fields, some null."""
    optional = {name: st.one_of(strategy, st.none()) for name, strategy in _VALID.items()}
    return st.fixed_dictionaries({}, optional=optional)


def update_payloads() -> st.SearchStrategy[dict[str, Any]]:
    """``/user_identities/update`` changes (add ``user_identity_id``); null clears a field."""
    return create_payloads()


@st.composite
def _with_one_invalid(draw: st.DrawFn, base: st.SearchStrategy[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    payload = draw(base)
    field = draw(st.sampled_from(IDENTITY_FIELDS))
    payload[field] = draw(_INVALID[field])
    return payload, field


def invalid_create_payloads() -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(payload, field)``: a create body whose one invalid field is ``field``."""
    return _with_one_invalid(create_payloads())


def invalid_update_payloads() -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(changes, field)``: update changes whose one invalid field is ``field``."""
    return _with_one_invalid(update_payloads())


# Times --------------------------------------------------------------------------------

_ZONES = st.sampled_from(
    [timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-7, minutes=-30))]
)


def timestamps(
    min_value: datetime = datetime(2100, 1, 1), max_value: datetime = datetime(2200, 1, 1)
) -> st.SearchStrategy[str]:
    """ISO 8601 times with a time zone (``Z`` or an offset), between two naive bounds read
    as UTC: by default well in the future, where every ``ends_at`` Seam accepts lies."""
    moments = st.datetimes(min_value=min_value, max_value=max_value, timezones=_ZONES)
    # Milliseconds, the precision Seam writes times with.
    return moments.map(lambda m: m.isoformat(timespec="milliseconds").replace("+00:00", "Z"))


def invalid_timestamps() -> st.SearchStrategy[Any]:
    """Times Seam refuses: without a time zone, not a date at all, or not a string."""
    naive = st.datetimes(min_value=datetime(2100, 1, 1), max_value=datetime(2200, 1, 1)).map(
        datetime.isoformat
    )
    garbage = st.sampled_from(["", "tomorrow", "2100-13-01T00:00:00Z", "2100-01-01T25:00:00Z", "01/02/2100"])
    return st.one_of(naive, garbage, _WRONG_TYPES)


# Credentials ----------------------------------------------------------------------------

# The fields a credential is created with besides whose it is.
CREDENTIAL_FIELDS = ("access_method", "code", "is_multi_phone_sync_credential", "starts_at", "ends_at")
_PINS = st.text("0123456789", min_size=4, max_size=9)


@st.composite
def _credential(draw: st.DrawFn, acs_user_id: str, external_type: str) -> dict[str, Any]:
    kind = ACS_TYPES[external_type]
    methods = sorted(
        kind.access_methods - {"mobile_key"} if kind.credential_managers else kind.access_methods
    )
    if not methods:
        raise ValueError(f"{external_type} systems take no credentials a payload could be drawn for")
    method = draw(st.sampled_from(methods))
    payload: dict[str, Any] = {"acs_user_id": acs_user_id, "access_method": method}
    if method == "mobile_key":
        payload["is_multi_phone_sync_credential"] = True
    if method == "code" and not kind.generates_codes and draw(st.booleans()):
        payload["code"] = draw(_PINS)
    if draw(st.booleans()):
        starts = draw(st.datetimes(min_value=datetime(2100, 1, 1), max_value=datetime(2150, 1, 1)))
        starts = starts.replace(microsecond=starts.microsecond // 1000 * 1000)
        payload["starts_at"] = starts.isoformat(timespec="milliseconds") + "Z"
        if draw(st.booleans()):
            length = draw(st.integers(60, 400 * 86400)) * timedelta(seconds=1)
            payload["ends_at"] = (starts + length).isoformat(timespec="milliseconds") + "Z"
    elif draw(st.booleans()):
        payload["ends_at"] = draw(timestamps())
    return payload


def credential_payloads(
    acs_user_id: str, external_type: str = "salto_ks_site"
) -> st.SearchStrategy[dict[str, Any]]:
    """``/acs/credentials/create`` bodies Seam accepts for an ACS user of a system of this
    kind: an access method the kind takes, a code where the kind lets one be chosen, a
    mobile key as a multi-phone sync credential, and future times in order. (Mobile keys
    are left out for kinds that need a credential manager, which the workspace may lack.)"""
    return _credential(acs_user_id, external_type)


@st.composite
def _invalid_credential(draw: st.DrawFn, acs_user_id: str, external_type: str) -> tuple[dict[str, Any], str]:
    kind = ACS_TYPES[external_type]
    payload = draw(_credential(acs_user_id, external_type))
    refused = sorted(set(("code", "card", "mobile_key", "cloud_key")) - kind.access_methods)
    cases = ["access_method", "ends_at", "starts_at", "is_multi_phone_sync_credential"]
    if payload["access_method"] == "code":
        cases.append("code")
    field = draw(st.sampled_from(cases))
    if field == "access_method":
        payload.pop("is_multi_phone_sync_credential", None)
        payload.pop("code", None)
        payload["access_method"] = draw(
            st.one_of(st.sampled_from(["pin", "", "MOBILE_KEY", *refused]), _WRONG_TYPES)
        )
    elif field == "code":
        payload["code"] = (
            draw(_PINS)
            if kind.generates_codes
            else draw(st.one_of(st.sampled_from(["", "12", "1234567890", "12a4", " 1234"]), _WRONG_TYPES))
        )
    elif field == "ends_at":
        payload["ends_at"] = draw(
            st.one_of(invalid_timestamps(), timestamps(datetime(2000, 1, 1), datetime(2020, 1, 1)))
        )
    elif field == "starts_at":
        payload["starts_at"] = draw(invalid_timestamps())
    else:
        payload["is_multi_phone_sync_credential"] = draw(
            st.one_of(st.just(payload["access_method"] != "mobile_key"), st.sampled_from(["true", 1, None]))
        )
    return payload, field


def invalid_credential_payloads(
    acs_user_id: str, external_type: str = "salto_ks_site"
) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(payload, field)``: a create body for that ACS user whose one refused field is
    ``field``: an unknown or unaccepted access method, a bad or unwanted code, a time
    without a zone or in the past, a sync flag of the wrong type or value."""
    return _invalid_credential(acs_user_id, external_type)


# Client sessions -------------------------------------------------------------------------

CLIENT_SESSION_FIELDS = ("user_identifier_key", "expires_at", "customer_key")


def client_session_payloads(user_identity_id: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """``/client_sessions/create`` bodies Seam accepts, for ``user_identity_id`` if given."""
    optional = {
        "user_identifier_key": st.text(_TEXT, min_size=1, max_size=30),
        "expires_at": timestamps(),
        "customer_key": st.text(_TEXT, min_size=1, max_size=30),
    }
    required = {"user_identity_id": st.just(user_identity_id)} if user_identity_id is not None else {}
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def _invalid_session(draw: st.DrawFn, user_identity_id: str | None) -> tuple[dict[str, Any], str]:
    payload = draw(client_session_payloads(user_identity_id))
    field = draw(st.sampled_from((*CLIENT_SESSION_FIELDS, "user_identity_id")))
    if field == "expires_at":
        payload[field] = draw(invalid_timestamps())
    elif field == "user_identity_id":
        payload[field] = draw(st.one_of(st.sampled_from(["", "not-a-uuid", "1234"]), _WRONG_TYPES))
    else:
        payload[field] = draw(st.one_of(st.just(""), _WRONG_TYPES))
    return payload, field


def invalid_client_session_payloads(
    user_identity_id: str | None = None,
) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(payload, field)``: a create body whose one invalid field is ``field``."""
    return _invalid_session(user_identity_id)
