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

Access control has its own: ``access_schedules(now)`` and
``invalid_access_schedules(now)`` (each invalid draw tagged with its flaw, one of
``ACCESS_SCHEDULE_FLAWS``), relative to a ``now`` the test freezes the clock at;
``grant_access_payloads`` and ``access_group_member_payloads`` for given ids, and their
``invalid_*`` forms (both ids, neither, not a UUID) tagged with the refused field.

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
    "ACCESS_MEMBER_FIELDS",
    "ACCESS_SCHEDULE_FLAWS",
    "CLIENT_SESSION_FIELDS",
    "CREDENTIAL_FIELDS",
    "IDENTITY_FIELDS",
    "access_group_member_payloads",
    "access_schedules",
    "client_session_payloads",
    "create_payloads",
    "credential_payloads",
    "emails",
    "full_names",
    "grant_access_payloads",
    "invalid_access_group_member_payloads",
    "invalid_access_schedules",
    "invalid_client_session_payloads",
    "invalid_create_payloads",
    "invalid_credential_payloads",
    "invalid_emails",
    "invalid_full_names",
    "invalid_grant_access_payloads",
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


# Access schedules ------------------------------------------------------------------------

# What makes an ``invalid_access_schedules()`` draw invalid, the tag each draw carries.
ACCESS_SCHEDULE_FLAWS = ("reversed", "naive", "unparseable", "ended", "incomplete", "not_an_object")
# Without a ``now``, schedules lie after this moment, so any clock before it accepts them.
_FAR_NOW = datetime(2100, 1, 1, tzinfo=timezone.utc)
_DAY_MS = 86_400_000
_GARBAGE_TIMES = (
    "",
    "tomorrow",
    "2100-13-01T00:00:00Z",
    "2100-01-01T25:00:00Z",
    "2100-02-30T00:00:00Z",
    "01/02/2100",
)


def _instant(now: datetime | str | None) -> datetime:
    """``now`` as an aware UTC moment, cut to milliseconds (the precision of Seam's clock)."""
    if now is None:
        return _FAR_NOW
    if isinstance(now, str):
        now = datetime.fromisoformat(now[:-1] + "+00:00" if now[-1:] in "Zz" else now)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    now = now.astimezone(timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def _written(moment: datetime, zone: timezone) -> str:
    return moment.astimezone(zone).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@st.composite
def _schedule(draw: st.DrawFn, now: datetime | str | None, complete: bool) -> dict[str, str | None]:
    base = _instant(now)
    zone = draw(_ZONES)
    schedule: dict[str, str | None] = {}
    floor = base
    if complete or draw(st.booleans()):
        # From a month ago (a schedule already under way) to a year ahead.
        starts = base + timedelta(seconds=draw(st.integers(-30 * 86_400, 365 * 86_400)))
        schedule["starts_at"] = _written(starts, zone)
        floor = max(base, starts)
    if complete or draw(st.booleans()):
        # At least a second after both the start and now.
        ends = floor + timedelta(milliseconds=draw(st.integers(1000, 400 * _DAY_MS)))
        schedule["ends_at"] = _written(ends, draw(_ZONES))
    elif draw(st.booleans()):
        schedule["ends_at"] = None  # no end, said explicitly
    return schedule


def access_schedules(
    now: datetime | str | None = None, *, complete: bool = False
) -> st.SearchStrategy[dict[str, str | None]]:
    """``access_schedule`` objects Seam accepts at ``now`` (a datetime, naive read as UTC, or
    a Seam timestamp; default: any time before 2100): ``starts_at`` absent (it defaults to
    now) or ISO 8601 with ``Z`` or an offset, from a month before ``now`` to a year after;
    ``ends_at`` absent, null (no end) or after both ``starts_at`` and ``now``; milliseconds,
    the precision Seam keeps. ``complete=True`` draws both times, as ``/acs/users/update``
    requires. Freeze the clock at ``now`` (freezegun, time-machine) while the fake reads them."""
    return _schedule(now, complete)


@st.composite
def _invalid_schedule(draw: st.DrawFn, now: datetime | str | None, complete: bool) -> tuple[Any, str]:
    base = _instant(now)
    zone = draw(_ZONES)
    flaw = draw(st.sampled_from([f for f in ACCESS_SCHEDULE_FLAWS if complete or f != "incomplete"]))
    schedule: dict[str, Any]
    if flaw == "reversed":
        # Both in the future, the end at or before the start.
        ends = base + timedelta(milliseconds=draw(st.integers(1000, 365 * _DAY_MS)))
        starts = ends + timedelta(milliseconds=draw(st.integers(0, 400 * _DAY_MS)))
        schedule = {"starts_at": _written(starts, zone), "ends_at": _written(ends, zone)}
    elif flaw == "ended":
        # The end now or in the past (and after the start, if there is one).
        ends = base - timedelta(milliseconds=draw(st.integers(0, 400 * _DAY_MS)))
        schedule = {"ends_at": _written(ends, zone)}
        if complete or draw(st.booleans()):
            schedule["starts_at"] = _written(
                ends - timedelta(seconds=draw(st.integers(1, 400 * 86_400))), zone
            )
    elif flaw == "not_an_object":
        # null is left out: /acs/users/update reads it as "remove the schedule".
        return draw(st.one_of(timestamps(), _WRONG_TYPES.filter(lambda v: not isinstance(v, dict)))), flaw
    else:
        schedule = draw(_schedule(now, True))
        field = draw(st.sampled_from(["starts_at", "ends_at"]))
        if flaw == "incomplete":
            del schedule[field]
            return schedule, flaw
        if flaw == "naive":
            moment = datetime.fromisoformat(str(schedule[field]).replace("Z", "+00:00"))
            schedule[field] = moment.replace(tzinfo=None).isoformat(
                timespec=draw(st.sampled_from(["seconds", "milliseconds"]))
            )
        else:
            schedule[field] = draw(st.one_of(st.sampled_from(_GARBAGE_TIMES), _WRONG_TYPES))
        if not complete and draw(st.booleans()):
            # The flawed time alone.
            schedule = {field: schedule[field]}
    return schedule, flaw


def invalid_access_schedules(
    now: datetime | str | None = None, *, complete: bool = False
) -> st.SearchStrategy[tuple[Any, str]]:
    """``(access_schedule, flaw)``: a value Seam refuses at ``now`` (as in
    ``access_schedules``), with ``flaw`` one of ``ACCESS_SCHEDULE_FLAWS``: ``reversed``
    (``ends_at`` at or before ``starts_at``), ``naive`` (a time without ``Z`` or an offset),
    ``unparseable`` (not a date and time, or not a string), ``ended`` (``ends_at`` now or
    past), ``not_an_object``, and with ``complete=True`` (``/acs/users/update``)
    ``incomplete`` (a time missing). The error names ``access_schedule``."""
    return _invalid_schedule(now, complete)


# Grants and access group memberships -------------------------------------------------------

# The two ways a grant or a membership names whom it is for; send exactly one.
ACCESS_MEMBER_FIELDS = ("acs_user_id", "user_identity_id")
_NOT_UUIDS = st.one_of(
    st.sampled_from(
        ["", "not-a-uuid", "1234", "5f0c2d7e6b1a4c3e9d4f0a1b2c3d4e5f", "5f0c2d7e-6b1a-4c3e-9d4f"]
    ),
    st.uuids().map(lambda u: f"{{{u}}}"),
    _WRONG_TYPES,
)
_SOME_UUID = st.uuids(version=4).map(str)


def _spelled(uuid: str) -> st.SearchStrategy[str]:
    """An id as sent: Seam compares ids case-insensitively (a UUID column)."""
    return st.sampled_from([uuid, uuid.upper()])


def _one(name: str, value: str) -> st.SearchStrategy[dict[str, str]]:
    return _spelled(value).map(lambda spelled: {name: spelled})


def _whom(acs_user_id: str | None, user_identity_id: str | None) -> st.SearchStrategy[dict[str, str]]:
    named = {"acs_user_id": acs_user_id, "user_identity_id": user_identity_id}
    forms = [_one(name, value) for name, value in named.items() if value is not None]
    if not forms:
        raise ValueError("name an acs_user_id or a user_identity_id (or both, to draw either form)")
    return st.one_of(forms)


@st.composite
def _member_payload(
    draw: st.DrawFn, target: str, target_id: str, acs_user_id: str | None, user_identity_id: str | None
) -> dict[str, Any]:
    return {target: draw(_spelled(target_id)), **draw(_whom(acs_user_id, user_identity_id))}


def grant_access_payloads(
    acs_entrance_id: str, *, acs_user_id: str | None = None, user_identity_id: str | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """``/acs/entrances/grant_access`` bodies Seam accepts: the entrance and exactly one of
    ``acs_user_id`` and ``user_identity_id`` (given both, either form is drawn), ids in
    either letter case. The entrance's system must grant entrance by entrance."""
    return _member_payload("acs_entrance_id", acs_entrance_id, acs_user_id, user_identity_id)


def access_group_member_payloads(
    acs_access_group_id: str, *, acs_user_id: str | None = None, user_identity_id: str | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """``/acs/access_groups/add_user`` and ``remove_user`` (and
    ``/acs/users/remove_from_access_group``) bodies Seam accepts: the group and exactly one
    of ``acs_user_id`` and ``user_identity_id``, ids in either letter case.
    (``/acs/users/add_to_access_group`` takes ``acs_user_id`` only: pass only that.)"""
    return _member_payload("acs_access_group_id", acs_access_group_id, acs_user_id, user_identity_id)


@st.composite
def _invalid_member_payload(
    draw: st.DrawFn, target: str, target_id: str, acs_user_id: str | None, user_identity_id: str | None
) -> tuple[dict[str, Any], str]:
    payload = draw(_member_payload(target, target_id, acs_user_id, user_identity_id))
    case = draw(st.sampled_from(["both", "neither", *ACCESS_MEMBER_FIELDS, target]))
    if case == "both":
        # Checked before either id is looked up: one that names nothing does as well.
        payload["acs_user_id"] = acs_user_id or draw(_SOME_UUID)
        payload["user_identity_id"] = user_identity_id or draw(_SOME_UUID)
        return payload, "acs_user_id"
    if case == "neither":
        return {target: payload[target]}, "acs_user_id"
    if case == target:
        payload[target] = draw(_NOT_UUIDS)
        return payload, target
    return {target: payload[target], case: draw(_NOT_UUIDS)}, case


def invalid_grant_access_payloads(
    acs_entrance_id: str, *, acs_user_id: str | None = None, user_identity_id: str | None = None
) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(payload, field)``: a ``grant_access`` body whose one refused field is ``field``:
    both ids or neither (``acs_user_id`` is named), or an id that is not a UUID."""
    return _invalid_member_payload("acs_entrance_id", acs_entrance_id, acs_user_id, user_identity_id)


def invalid_access_group_member_payloads(
    acs_access_group_id: str, *, acs_user_id: str | None = None, user_identity_id: str | None = None
) -> st.SearchStrategy[tuple[dict[str, Any], str]]:
    """``(payload, field)``: an ``/acs/access_groups/add_user`` (or
    ``/acs/users/remove_from_access_group``) body whose one refused field is ``field``, as in
    ``invalid_grant_access_payloads``. (``/acs/access_groups/remove_user`` takes both ids when
    they name the same ACS user.)"""
    return _invalid_member_payload("acs_access_group_id", acs_access_group_id, acs_user_id, user_identity_id)
