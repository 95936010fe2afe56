"""Declarative request parameters: one declaration parses JSON bodies and query strings.

A route lists its ``Param`` objects once. ``parse_json`` and ``parse_query``
turn a request into a dict of validated values (absent parameters are left
out, so an operation can tell "absent" from "null"), or raise ``InvalidInput``
naming every parameter that failed. Tests and docs read the same declarations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Literal

import email_validator
import phonenumbers
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

from ..model.errors import REQUIRED, InvalidInput, clip, quote

Kind = Literal[
    "string",
    "uuid",
    "email",
    "phone",
    "uuid_list",
    "string_list",
    "integer",
    "number",
    "boolean",
    "datetime",
    "interval",
    "object",
]


@dataclass(frozen=True, slots=True)
class Param:
    """One request parameter. ``min_length`` bounds the length of a string,
    ``minimum`` the value of a number, ``min_items`` and ``max_items`` the length of a
    list; ``choices`` are the values a string (or each item of a string list) may take;
    ``fields`` are the declared members of an object (others are ignored, as unknown
    parameters are)."""

    name: str
    kind: Kind = "string"
    required: bool = False
    nullable: bool = False
    min_length: int = 0
    minimum: int | None = None
    choices: tuple[str, ...] = ()
    fields: tuple[Param, ...] = ()
    min_items: int = 0
    max_items: int | None = None
    description: str = ""


class _Problem(Exception):
    """A validator's complaint about one value; becomes a validation message."""


# Matched with fullmatch: `$` would let a trailing newline through.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A date and time as RFC 3339 writes one (seconds optional, as ISO 8601 allows); the zone
# is optional here only to tell a naive time apart in the message. Read from these groups,
# not by fromisoformat, which reads more forms and fewer fractions on Python 3.10.
_ISO_DATETIME = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[Tt]"
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?)?"
    r"(?P<zone>[Zz]|(?P<sign>[+-])(?P<zone_hours>[0-9]{2}):?(?P<zone_minutes>[0-9]{2}))?"
)

_JSON_TYPE_NAMES: dict[type, str] = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def _type_name(value: object) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _expect_string(value: object, min_length: int = 0) -> str:
    if not isinstance(value, str):
        raise _Problem(f"Expected a string, received {_type_name(value)}.")
    if not value.isascii() and _SURROGATE.search(value):
        # JSON can escape one (\ud800), and a query's bytes that are not UTF-8 decode to
        # them; Seam stores UTF-8, which has no lone surrogates. Refused the same either way.
        raise _Problem("Contains a lone surrogate (U+D800 to U+DFFF), which UTF-8 cannot encode.")
    if len(value) < min_length:
        raise _Problem(f"Must contain at least {min_length} character(s).")
    return value


def _string(value: object, param: Param) -> str:
    text = _expect_string(value, param.min_length)
    if param.choices and text not in param.choices:
        raise _Problem(f"Expected one of {', '.join(param.choices)}; received {quote(text)}.")
    return text


def _string_list(value: object, param: Param) -> list[str]:
    if not isinstance(value, list):
        raise _Problem(f"Expected an array of strings, received {_type_name(value)}.")
    result = []
    for index, item in enumerate(value):
        try:
            result.append(_string(item, param))
        except _Problem as problem:
            raise _Problem(f"Item {index}: {problem}") from None
    return result


def _boolean(value: object, param: Param) -> bool:
    if not isinstance(value, bool):
        raise _Problem(f"Expected a boolean, received {_type_name(value)}.")
    return value


def _number(value: object, param: Param) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _Problem(f"Expected a number, received {_type_name(value)}.")
    if param.minimum is not None and value < param.minimum:
        raise _Problem(f"Must be at least {param.minimum}, received {clip(str(value))}.")
    return value


def _interval(value: object, param: Param) -> list[str]:
    """Two times bounding an interval that excludes them: the first rounded down and the
    second up to milliseconds, so that "after the first and before the second" can be
    decided on the fake's millisecond timestamps (see ``_datetime``)."""
    if not isinstance(value, list):
        raise _Problem(f"Expected an array of two dates and times, received {_type_name(value)}.")
    result = []
    for index, item in enumerate(value):
        try:
            result.append(_datetime(item, param, round_down=index == 0))
        except _Problem as problem:
            raise _Problem(f"Item {index}: {problem}") from None
    return result


def _uuid(value: object, param: Param | None = None) -> str:
    text = _expect_string(value)
    if not _UUID.fullmatch(text):
        raise _Problem(
            f"Expected a UUID such as 123e4567-e89b-12d3-a456-426614174000, received {quote(text)}."
        )
    # Seam stores ids in a UUID column, which compares them case-insensitively.
    return text.lower()


# The common shape of an address, which email-validator always accepts: dot-atoms
# of ASCII letters, digits and _+- before the @, and LDH labels with a
# letters-only top-level label after it. Addresses of this shape skip the
# library (tens of microseconds a call); tests/api/test_params_email.py checks the
# shape against the library. Everything else goes to the library.
_PLAIN_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*)@"
    r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{2,63}))"
)


def plainly_valid_email(text: str) -> bool:
    """True for an address of the plain shape above that email-validator accepts."""
    match = _PLAIN_EMAIL.fullmatch(text)
    if match is None or len(text) > 254 or len(match["local"]) > 64 or len(match["domain"]) > 253:
        return False
    # Special-use names (RFC 6761, all single labels) are refused by the library,
    # but for `.test` in its test environment, which the fake uses; leave them to it.
    tld = match["tld"].lower()
    return tld == "test" or tld not in email_validator.SPECIAL_USE_DOMAIN_NAMES


# The two library checks below cost tens of microseconds each and are pure
# functions of the text; test suites send the same addresses and numbers over
# and over, so their verdicts are cached.
@lru_cache(maxsize=8192)
def _email_problem(text: str) -> str | None:
    if plainly_valid_email(text):
        return None
    try:
        # test_environment: no DNS, and the reserved `.test` domain is allowed,
        # as a test suite would expect; Seam's own check is syntactic too.
        email_validator.validate_email(text, check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError as error:
        return f"Invalid email address {quote(text)}: {clip(str(error))}"
    return None


def e164_suggestion(text: str) -> str | None:
    """The E.164 form of a phone number written another way, if it has one."""
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parsed_e164_possible(text: str) -> bool:
    """Whether phonenumbers calls an E.164 string a possible number, by parsing it."""
    try:
        return bool(phonenumbers.is_possible_number(phonenumbers.parse(text, None)))
    except phonenumbers.NumberParseException:
        return False


def e164_possible(text: str) -> bool:
    """``parsed_e164_possible``, without the parser where E.164 makes it unnecessary.

    ``phonenumbers.parse`` reads every way of writing a number (tens of
    microseconds); an E.164 string only needs its country code split off, and
    country codes are prefix-free. Where the parser would do more than that
    (strip a national prefix, keep an Italian leading zero), it still decides.
    tests/api/test_params_phone.py holds this to ``parsed_e164_possible``.
    """
    digits = text[1:]
    for size in (1, 2, 3):
        country_code = int(digits[:size])
        if country_code in COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return False
    national = digits[size:]
    if len(national) < 2:
        return False
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    prefix = metadata.national_prefix_for_parsing if metadata is not None else None
    if metadata is None or national[0] == "0" or (prefix is not None and re.match(prefix, national)):
        return parsed_e164_possible(text)
    return bool(phonenumbers.is_possible_number(phonenumbers.PhoneNumber(country_code, int(national))))


@lru_cache(maxsize=8192)
def _phone_problem(text: str) -> str | None:
    if _E164.fullmatch(text):
        if e164_possible(text):
            return None
        return f"{quote(text)} is not a possible phone number for its country code."
    message = (
        "Expected a phone number in E.164 format (+ and digits only, for example "
        f"+15555550100), received {quote(text)}."
    )
    suggestion = e164_suggestion(text)
    if suggestion is not None:
        message += f" Did you mean {suggestion}?"
    return message


def _judged_by(verdict: Callable[[str], str | None]) -> Callable[[object, Param], str]:
    """A validator for strings that ``verdict`` accepts (None) or describes the problem of."""

    def validate(value: object, param: Param) -> str:
        text = _expect_string(value)
        problem = verdict(text)
        if problem is not None:
            raise _Problem(problem)
        return text

    return validate


def _uuid_list(value: object, param: Param) -> list[str]:
    if not isinstance(value, list):
        raise _Problem(f"Expected an array of UUIDs, received {_type_name(value)}.")
    result = []
    for index, item in enumerate(value):
        try:
            result.append(_uuid(item))
        except _Problem as problem:
            raise _Problem(f"Item {index}: {problem}") from None
    return result


def _integer(value: object, param: Param) -> int:
    # bool is an int to Python but not to JSON; 10.0 is a float to both.
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Problem(f"Expected an integer, received {_type_name(value)}.")
    if param.minimum is not None and value < param.minimum:
        raise _Problem(f"Must be at least {param.minimum}, received {clip(str(value))}.")
    return value


def _object(value: object, param: Param) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Problem(f"Expected an object, received {_type_name(value)}.")
    if not param.fields:
        return value
    try:
        return _validate(param.fields, value)
    except InvalidInput as error:
        raise _Problem(
            " ".join(f"{name}: {' '.join(messages)}" for name, messages in error.problems.items())
        ) from None


def _datetime(value: object, param: Param | None = None, round_down: bool = False) -> str:
    """An ISO 8601 timestamp with a time zone, as the fake writes timestamps.

    The result is UTC with milliseconds, rounded up (down with ``round_down``): fake
    timestamps have millisecond precision, so ``created_at < t`` holds exactly when
    ``created_at < ceil_ms(t)``, and ``created_at > t`` exactly when
    ``created_at > floor_ms(t)``; the comparisons can then be done on strings.
    """
    text = _expect_string(value)
    example = "for example 2025-06-16T16:54:17.946Z"
    shape = _ISO_DATETIME.fullmatch(text)
    if shape is None:
        # fromisoformat also reads week dates, comma fractions and offsets with seconds,
        # which the date-time format of Seam's reference (RFC 3339) does not allow.
        raise _Problem(f"Expected an ISO 8601 date and time, {example}, received {quote(text)}.")
    if shape["zone"] is None:
        raise _Problem(f"Include a time zone (Z or an offset), {example}; received {quote(text)}.")
    fraction = shape["fraction"] or ""
    try:
        zone = timezone.utc
        if shape["sign"] is not None:
            offset = timedelta(hours=int(shape["zone_hours"]), minutes=int(shape["zone_minutes"]))
            zone = timezone(-offset if shape["sign"] == "-" else offset)
        moment = datetime(
            int(shape["year"]),
            int(shape["month"]),
            int(shape["day"]),
            int(shape["hour"]),
            int(shape["minute"]),
            int(shape["second"] or 0),
            int(fraction[:6].ljust(6, "0")),
            tzinfo=zone,
        )
    except ValueError:
        # Month 13, hour 25, an offset of a day or more...
        raise _Problem(f"Expected an ISO 8601 date and time, {example}, received {quote(text)}.") from None
    try:
        moment = moment.astimezone(timezone.utc)
        # What lies below a millisecond, digits past the microsecond included.
        extra = moment.microsecond % 1000
        if extra or (not round_down and fraction[6:].strip("0")):
            moment += timedelta(microseconds=-extra if round_down else 1000 - extra)
    except OverflowError:
        # Beyond the years datetime holds once in UTC: before or after every timestamp.
        moment = datetime.min if moment.year == 1 else datetime.max.replace(microsecond=999000)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "") + "Z"


_VALIDATORS: dict[Kind, Callable[[object, Param], Any]] = {
    "string": _string,
    "uuid": _uuid,
    "email": _judged_by(_email_problem),
    "phone": _judged_by(_phone_problem),
    "uuid_list": _uuid_list,
    "integer": _integer,
    "datetime": _datetime,
    "interval": _interval,
    "object": _object,
    "string_list": _string_list,
    "boolean": _boolean,
    "number": _number,
}

_LIST_KINDS: frozenset[Kind] = frozenset({"uuid_list", "string_list", "interval"})


def _validate(params: Sequence[Param], values: Mapping[str, object]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for param in params:
        if param.name not in values:
            if param.required:
                problems[param.name] = [REQUIRED]
            continue
        value = values[param.name]
        if value is None:
            if param.nullable:
                parsed[param.name] = None
            else:
                problems[param.name] = [f"Expected {_describe(param)}, received null."]
            continue
        try:
            parsed[param.name] = _VALIDATORS[param.kind](value, param)
            if param.kind in _LIST_KINDS:
                _check_items(parsed[param.name], param)
        except _Problem as problem:
            problems[param.name] = [str(problem)]
    if problems:
        raise InvalidInput(problems)
    return parsed


def _check_items(items: list[Any], param: Param) -> None:
    if len(items) < param.min_items or (param.max_items is not None and len(items) > param.max_items):
        most = "" if param.max_items is None else f" and at most {param.max_items}"
        raise _Problem(f"Expected at least {param.min_items}{most} item(s), received {len(items)}.")


def _describe(param: Param) -> str:
    if param.kind in ("integer", "object"):
        return f"an {param.kind}"
    if param.kind in ("number", "boolean"):
        return f"a {param.kind}"
    return "an array" if param.kind in _LIST_KINDS else "a string"


# Bounded below Python's 4300-digit limit on int(), which would raise.
_DECIMAL = re.compile(r"-?[0-9]{1,4000}")
_NUMBER = re.compile(r"-?[0-9]{1,300}(?:\.[0-9]{1,300})?(?:[eE][-+]?[0-9]{1,3})?")


def _from_query(param: Param, text: str) -> object:
    """A query value as the JSON value it stands for: query strings carry only text."""
    if param.kind == "integer" and _DECIMAL.fullmatch(text):
        return int(text)
    if param.kind == "number" and _NUMBER.fullmatch(text):
        return float(text) if any(c in text for c in ".eE") else int(text)
    if param.kind == "boolean" and text in ("true", "false"):
        # How the seam SDKs write booleans in a query string.
        return text == "true"
    return text


def whole_number(name: str, value: float, minimum: int | None = None) -> int:
    """A ``number`` parameter that must hold a whole value (a limit, a count), as an int;
    ``invalid_input`` naming ``name`` otherwise. JSON as Python reads it also brings NaN
    and infinities, which have no whole value."""
    try:
        # int() of an integer never fails; of NaN or an infinity it does. math.isfinite
        # would first turn an integer into a float, which one of 400 digits overflows.
        whole = int(value)
    except (OverflowError, ValueError):
        whole = None
    if whole is None or whole != value or (minimum is not None and whole < minimum):
        at_least = "" if minimum is None else f" of at least {minimum}"
        raise InvalidInput({name: [f"Must be a whole number{at_least}, received {clip(str(value))}."]})
    return whole


def parse_datetime(name: str, value: object, round_down: bool = False) -> str:
    """A timestamp the reference types as a plain string, read as ``datetime`` parameters
    are (time zone required), or ``invalid_input`` naming ``name``."""
    try:
        return _datetime(value, round_down=round_down)
    except _Problem as problem:
        raise InvalidInput({name: [str(problem)]}) from None


def parse_json(params: Sequence[Param], body: Mapping[str, object]) -> dict[str, Any]:
    """Validate a decoded JSON object. Unknown keys are ignored, as Seam does."""
    return _validate(params, body)


def parse_query(params: Sequence[Param], pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Validate query pairs as the ``seam`` SDKs serialise them.

    Arrays are repeated keys (a single empty value is the empty array); an
    empty value is null for a nullable parameter (the SDK's ``NULL``); a
    scalar given twice is an error rather than a silent pick.
    """
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    values: dict[str, object] = {}
    repeated: dict[str, list[str]] = {}
    for param in params:
        raw = grouped.get(param.name)
        if raw is None:
            continue
        if param.kind in _LIST_KINDS:
            values[param.name] = [] if raw == [""] else raw
        elif len(raw) > 1:
            repeated[param.name] = [f"Expected a single value, received {len(raw)}."]
        elif raw[0] == "" and param.nullable:
            values[param.name] = None
        else:
            values[param.name] = _from_query(param, raw[0])
    try:
        parsed = _validate(params, values)
    except InvalidInput as error:
        raise InvalidInput({**error.problems, **repeated}) from None
    if repeated:
        raise InvalidInput(repeated)
    return parsed


def require_exactly_one(parsed: Mapping[str, Any], names: Sequence[str]) -> None:
    """Raise ``invalid_input`` on every named parameter unless exactly one is given."""
    given = [name for name in names if parsed.get(name) is not None]
    if len(given) == 1:
        return
    listing = " or ".join(f"`{name}`" for name in names)
    message = f"Provide exactly one of {listing}, not both." if given else f"Provide one of {listing}."
    raise InvalidInput({name: [message] for name in names})
