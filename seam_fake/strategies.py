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

Needs Hypothesis (``pip install seam-fake[hypothesis]``).
"""

from __future__ import annotations

import re
from typing import Any

import email_validator
import phonenumbers
from hypothesis import strategies as st

__all__ = [
    "IDENTITY_FIELDS",
    "create_payloads",
    "emails",
    "full_names",
    "invalid_create_payloads",
    "invalid_emails",
    "invalid_full_names",
    "invalid_phone_numbers",
    "invalid_update_payloads",
    "invalid_user_identity_keys",
    "invalid_values",
    "phone_numbers",
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
