"""Paging lists: ``limit``, ``page_cursor``, ``created_before`` and ``next_page_url``.

Covered here, on ``/user_identities/list`` and ``/acs/users/list``:

- ``created_before`` (strict, offsets, sub-millisecond values, the ends of the calendar)
  and ``limit`` (and the values they refuse).
- Pages: the SDK paginator (``first_page``/``next_page``/``flatten``/``flatten_to_list``,
  sync and async) over a thousand identities while others are created or deleted
  between pages; exact divisions; a different ``limit`` per page; ``next_page_url``.
- Cursors: edited, truncated, random, non-ASCII or foreign cursors, and cursors
  sent with other filters, are refused with ``invalid_input`` naming ``page_cursor``.
- ``/acs/users/list`` pages (``limit``, ``page_cursor``, ``created_before``) with and
  without the ``acs_system_id`` and ``user_identity_id`` filters.

The list filters themselves are in ``tests/api/routes/test_user_identities_list.py``.
"""

from __future__ import annotations

import asyncio
import base64
import json
import string
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from helpers import (
    Raw,
    acs_user_ids,
    create_identities,
    create_identity,
    expect_api_error,
    expect_invalid,
    expect_mismatched_cursor,
    expect_raw_invalid,
    identity_ids,
    list_raw,
    listed,
    newest_first,
    walk_pages,
)
from seam import AsyncSeam, Seam

from seam_fake import FakeSeam

LIST_PATH = "/user_identities/list"
ACS_LIST_PATH = "/acs/users/list"
METHODS = ("get", "post")
ENDPOINT = "https://connect.getseam.com"
# The URL-safe base64 alphabet, in value order: index ^ 32 flips a bit every decoder keeps.
B64_ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


# Helpers ---------------------------------------------------------------------------


def first_cursor(raw: Raw, params: dict[str, Any], path: str = LIST_PATH, method: str = "get") -> str:
    pagination = list_raw(raw, method, params, path)["pagination"]
    assert pagination["has_next_page"] is True
    cursor: str = pagination["next_page_cursor"]
    return cursor


def with_char(text: str, index: int, replacement: str) -> str:
    return text[:index] + replacement + text[index + 1 :]


def flip_bit(cursor: str, index: int, bit: int) -> str:
    """The cursor with one base64 character replaced by the one ``bit`` away from it."""
    return with_char(cursor, index, B64_ALPHABET[B64_ALPHABET.index(cursor[index]) ^ bit])


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# created_before -------------------------------------------------------------------------


@pytest.fixture
def three_days(raw: Raw) -> list[str]:
    """Identities created at T0, T0 + 1 day, T0 + 2 days; ids oldest first."""
    created = []
    for day in range(3):
        with time_machine.travel(T0 + timedelta(days=day), tick=False):
            created.append(create_identity(raw, user_identity_key=f"day-{day}")["user_identity_id"])
    return created


@pytest.mark.parametrize(
    ("created_before", "days"),
    [
        ("2025-03-02T12:00:00Z", [0]),  # exactly the second identity's created_at: strictly before
        ("2025-03-02T12:00:00.000Z", [0]),
        ("2025-03-02T12:00:00.001Z", [1, 0]),
        ("2025-03-02T12:00:00.000500Z", [1, 0]),  # below a millisecond
        ("2025-03-02T11:59:59.999Z", [0]),
        ("2025-03-02T14:00:00+02:00", [0]),  # the same instant written with an offset
        ("2025-03-02T07:00:00.001-05:00", [1, 0]),
        ("2025-03-03T12:00:00.001Z", [2, 1, 0]),
        ("2030-01-01T00:00:00Z", [2, 1, 0]),
        ("2025-03-01T12:00:00Z", []),
        ("1999-12-31T23:59:59Z", []),
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_created_before_is_strictly_before(
    three_days: list[str], raw: Raw, method: str, created_before: str, days: list[int]
) -> None:
    assert listed(raw, method, {"created_before": created_before}) == [three_days[d] for d in days]


def test_created_before_through_the_sdk_and_across_pages(raw: Raw, seam: Seam) -> None:
    created = []
    for hour in range(7):
        with time_machine.travel(T0 + timedelta(hours=hour), tick=False):
            created.append(create_identity(raw, user_identity_key=f"hour-{hour}")["user_identity_id"])
    before = "2025-03-01T17:00:00Z"  # the sixth identity's created_at: the first five qualify

    assert identity_ids(seam.user_identities.list(created_before=before)) == newest_first(created[:5])
    paginator = seam.create_paginator(seam.user_identities.list, {"created_before": before, "limit": 2})
    assert identity_ids(paginator.flatten_to_list()) == newest_first(created[:5])
    assert walk_pages(raw, "get", {"created_before": before, "limit": 2}) == [
        [created[4], created[3]],
        [created[2], created[1]],
        [created[0]],
    ]


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-02T12:00:00",  # no time zone
        "2025-03-02T12:00:00.000",
        "2025-03-02",  # a date alone has no time zone either
        "yesterday",
        "2025-13-01T00:00:00Z",
        "2025-03-02T25:00:00Z",
        "",
        "Z",
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_created_before_refuses_naive_and_malformed_timestamps(
    three_days: list[str], fake_seam: FakeSeam, raw: Raw, method: str, value: str
) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.read(method, LIST_PATH, {"created_before": value}), "created_before"
    )


@pytest.mark.parametrize("value", [1740830400, None, ["2025-03-02T12:00:00Z"]])
def test_created_before_must_be_a_string_in_json(fake_seam: FakeSeam, raw: Raw, value: Any) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.post(LIST_PATH, json={"created_before": value}), "created_before"
    )


@pytest.mark.parametrize(
    ("created_before", "days"),
    [
        ("9999-12-31T23:59:59.999999Z", [2, 1, 0]),
        ("9999-12-31T23:00:00-05:00", [2, 1, 0]),
        ("0001-01-01T00:00:00+01:00", []),
        ("0001-01-01T00:00:00Z", []),
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_created_before_at_the_ends_of_the_calendar(
    three_days: list[str], raw: Raw, method: str, created_before: str, days: list[int]
) -> None:
    """Valid timestamps whose UTC form or millisecond rounding leaves Python's datetime range."""
    assert listed(raw, method, {"created_before": created_before}) == [three_days[d] for d in days]


def test_created_before_naive_through_the_sdk(three_days: list[str], fake_seam: FakeSeam, seam: Seam) -> None:
    expect_invalid(
        fake_seam, lambda: seam.user_identities.list(created_before="2025-03-02T12:00:00"), "created_before"
    )


# limit -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("limit", "size"), [(1, 1), (2, 2), (4, 4), (5, 4), (10**6, 4)])
def test_limit_caps_the_page(raw: Raw, method: str, limit: int, size: int) -> None:
    ids = create_identities(raw, 4)
    body = list_raw(raw, method, {"limit": limit})
    assert [i["user_identity_id"] for i in body["user_identities"]] == newest_first(ids)[:size]
    assert body["pagination"]["has_next_page"] is (size < 4)


@pytest.mark.parametrize("limit", [sys.maxsize, 10**30])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", [LIST_PATH, ACS_LIST_PATH])
def test_a_limit_beyond_any_page_size_returns_everything(
    fake_seam: FakeSeam, raw: Raw, path: str, method: str, limit: int
) -> None:
    fake_seam.add_acs_user(fake_seam.add_acs_system("HQ")["acs_system_id"], "Only User")
    ids = create_identities(raw, 3)
    body = list_raw(raw, method, {"limit": limit}, path)
    if path == LIST_PATH:
        assert [i["user_identity_id"] for i in body["user_identities"]] == newest_first(ids)
    else:
        assert [u["full_name"] for u in body["acs_users"]] == ["Only User"]
    assert body["pagination"]["has_next_page"] is False


def test_limit_written_as_a_query_string_number(raw: Raw) -> None:
    ids = create_identities(raw, 3)
    response = raw.get(LIST_PATH, params={"limit": "2"})
    assert response.status_code == 200, response.text
    assert [i["user_identity_id"] for i in response.json()["user_identities"]] == newest_first(ids)[:2]


def test_default_limit_is_500(raw: Raw, seam: Seam) -> None:
    ids = create_identities(raw, 501)

    page = seam.user_identities.list()
    assert identity_ids(page) == newest_first(ids)[:500]
    pagination = page.pagination  # type: ignore[attr-defined]
    assert pagination["has_next_page"] is True
    # The URL repeats no limit the caller did not send.
    assert "limit" not in parse_qs(urlsplit(pagination["next_page_url"]).query)
    rest = seam.user_identities.list(page_cursor=pagination["next_page_cursor"])
    assert identity_ids(rest) == [ids[0]]
    assert rest.pagination["has_next_page"] is False  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "", "1e2", "0x10", "ten"])
def test_limit_refused_in_the_query(fake_seam: FakeSeam, raw: Raw, value: str) -> None:
    create_identities(raw, 2)
    expect_raw_invalid(fake_seam, lambda: raw.get(LIST_PATH, params={"limit": value}), "limit")


def test_limit_given_twice_in_the_query_is_refused(fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(
        fake_seam, lambda: raw.get(LIST_PATH, params=[("limit", "1"), ("limit", "2")]), "limit"
    )


@pytest.mark.parametrize("value", [0, -1, 1.5, "10", True, False, None, [10], {"n": 1}])
def test_limit_refused_in_json(fake_seam: FakeSeam, raw: Raw, value: Any) -> None:
    create_identities(raw, 2)
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST_PATH, json={"limit": value}), "limit")


@pytest.mark.parametrize("value", [0, -5])
def test_limit_refused_through_the_sdk(fake_seam: FakeSeam, raw: Raw, seam: Seam, value: int) -> None:
    create_identities(raw, 2)
    expect_invalid(fake_seam, lambda: seam.user_identities.list(limit=value), "limit")


# page_cursor: first pages, exact divisions, changing limit ---------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_a_null_page_cursor_asks_for_the_first_page(raw: Raw, method: str) -> None:
    ids = create_identities(raw, 3)
    # The SDK writes null as an empty query value.
    params = {"page_cursor": "" if method == "get" else None, "limit": 2}
    assert listed(raw, method, params) == newest_first(ids)[:2]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("limit", [1, 2, 3, 6])
def test_no_skip_no_repeat_and_no_empty_last_page_when_limit_divides_the_count(
    raw: Raw, method: str, limit: int
) -> None:
    ids = newest_first(create_identities(raw, 6))
    pages = walk_pages(raw, method, {"limit": limit})
    assert pages == [ids[start : start + limit] for start in range(0, 6, limit)]


@pytest.mark.parametrize("limit", [7, 1000])
def test_limit_at_or_above_the_count_gives_one_page(raw: Raw, limit: int) -> None:
    ids = newest_first(create_identities(raw, 7))
    assert walk_pages(raw, "get", {"limit": limit}) == [ids]


@pytest.mark.parametrize("then", [{"limit": 5}, {}], ids=["other", "omitted"])
def test_a_cursor_sent_with_another_limit_is_refused(
    fake_seam: FakeSeam, raw: Raw, seam: Seam, then: dict[str, Any]
) -> None:
    # As the official fake: the limit is one of the parameters, and an absent one is 500.
    ids = newest_first(create_identities(raw, 10))
    first = seam.user_identities.list(limit=2)
    cursor = first.pagination["next_page_cursor"]  # type: ignore[attr-defined]
    expect_mismatched_cursor(fake_seam, lambda: raw.get(LIST_PATH, params={**then, "page_cursor": cursor}))
    expect_api_error(
        fake_seam,
        400,
        "mismatched_page_parameters",
        lambda: seam.user_identities.list(**then, page_cursor=cursor),
    )
    assert identity_ids(seam.user_identities.list(limit=2, page_cursor=cursor)) == ids[2:4]


def test_a_cursor_works_with_get_and_post_alike(raw: Raw) -> None:
    ids = newest_first(create_identities(raw, 6, "member"))
    from_get = first_cursor(raw, {"limit": 2, "search": "member"}, method="get")
    from_post = first_cursor(raw, {"limit": 2, "search": "member"}, method="post")
    for cursor in (from_get, from_post):
        for method in METHODS:
            assert listed(raw, method, {"limit": 2, "search": "member", "page_cursor": cursor}) == ids[2:4]


def test_a_cursor_accepts_the_same_filters_written_differently(raw: Raw) -> None:
    created = []
    for hour in range(5):
        with time_machine.travel(T0 + timedelta(hours=hour), tick=False):
            created.append(create_identity(raw, user_identity_key=f"hour-{hour}")["user_identity_id"])
    ids = newest_first(created)
    named = [ids[0], ids[1], ids[2], ids[3]]
    params = {"created_before": "2025-03-01T16:00:00Z", "user_identity_ids": named, "limit": 1}
    cursor = first_cursor(raw, params)
    same = {
        "created_before": "2025-03-01T18:00:00+02:00",
        "user_identity_ids": [i.upper() for i in named],
        "limit": 1,
        "page_cursor": cursor,
    }
    assert listed(raw, "post", same) == [ids[2]]


# The SDK paginator over a thousand identities ----------------------------------------------


def test_paginator_walk_ignores_identities_created_between_pages(raw: Raw, seam: Seam) -> None:
    existing = create_identities(raw, 1000)
    paginator = seam.create_paginator(seam.user_identities.list, {"limit": 100})

    items, pagination = paginator.first_page()
    seen = identity_ids(items)
    pages = 1
    created_meanwhile: list[str] = []
    while pagination is not None and pagination.has_next_page:
        assert pagination.next_page_cursor is not None
        created_meanwhile += create_identities(raw, 3, f"late-{pages}")
        items, pagination = paginator.next_page(pagination.next_page_cursor)
        seen += identity_ids(items)
        pages += 1

    assert pages == 10
    assert len(seen) == len(set(seen)) == 1000
    assert seen == newest_first(existing)
    assert pagination is not None
    assert pagination.next_page_cursor is None
    assert pagination.next_page_url is None
    # A walk that begins now sees the late ones first.
    assert identity_ids(paginator.flatten_to_list()) == newest_first(existing + created_meanwhile)


def test_paginator_walk_with_deletions_between_pages(raw: Raw, seam: Seam) -> None:
    existing = newest_first(create_identities(raw, 1000))
    position_of = {identity_id: position for position, identity_id in enumerate(existing)}
    paginator = seam.create_paginator(seam.user_identities.list, {"limit": 100})
    deleted_ahead: set[str] = set()
    deleted_behind: set[str] = set()
    seen: list[str] = []

    items, pagination = paginator.first_page()
    while True:
        page = identity_ids(items)
        seen += page
        if pagination is None or not pagination.has_next_page:
            break
        # Already returned, including the record the cursor points at.
        for identity_id in {page[0], page[-1]}:
            seam.user_identities.delete(user_identity_id=identity_id)
            deleted_behind.add(identity_id)
        # Not reached yet: the next two, one later on the next page, one pages ahead.
        reached = position_of[page[-1]]
        for ahead in (1, 2, 58, 251):
            if reached + ahead < len(existing) and existing[reached + ahead] not in deleted_ahead:
                seam.user_identities.delete(user_identity_id=existing[reached + ahead])
                deleted_ahead.add(existing[reached + ahead])
        assert pagination.next_page_cursor is not None
        items, pagination = paginator.next_page(pagination.next_page_cursor)

    assert len(deleted_ahead) > 20
    assert len(seen) == len(set(seen))
    # Every identity but those deleted before the walk reached them, each once, newest first.
    assert seen == [i for i in existing if i not in deleted_ahead]
    remaining = [i for i in existing if i not in deleted_ahead | deleted_behind]
    assert identity_ids(paginator.flatten_to_list()) == remaining


def test_paginator_flatten_walks_every_identity_once_while_others_are_created(raw: Raw, seam: Seam) -> None:
    existing = newest_first(create_identities(raw, 250))
    paginator = seam.create_paginator(seam.user_identities.list, {"limit": 100})

    seen = []
    created_meanwhile: list[str] = []
    for count, identity in enumerate(paginator.flatten(), start=1):
        seen.append(identity.user_identity_id)
        if count % 40 == 0:
            created_meanwhile += create_identities(raw, 2, f"during-{count}")
    assert len(created_meanwhile) == 12
    assert seen == existing

    assert identity_ids(paginator.flatten_to_list()) == newest_first(created_meanwhile) + existing


def test_paginator_with_filters_walks_only_matching_identities(raw: Raw, seam: Seam) -> None:
    ids = create_identities(raw, 120, "even") + create_identities(raw, 30, "odd")
    evens = newest_first(ids[:120])
    paginator = seam.create_paginator(seam.user_identities.list, {"limit": 25, "search": "EVEN-"})
    assert identity_ids(paginator.flatten_to_list()) == evens
    items, pagination = paginator.first_page()
    assert identity_ids(items) == evens[:25]
    assert pagination is not None
    assert pagination.next_page_cursor is not None
    second, _ = paginator.next_page(pagination.next_page_cursor)
    assert identity_ids(second) == evens[25:50]


def test_async_paginator_walks_every_identity_once(raw: Raw, async_seam: AsyncSeam) -> None:
    ids = newest_first(create_identities(raw, 23))

    async def run() -> tuple[list[str], list[str]]:
        paginator = async_seam.create_paginator(async_seam.user_identities.list, {"limit": 5})
        as_list = identity_ids(await paginator.flatten_to_list())
        streamed = [identity.user_identity_id async for identity in paginator.flatten()]
        return as_list, streamed

    assert asyncio.run(run()) == (ids, ids)


# next_page_url ---------------------------------------------------------------------------


def test_next_page_url_points_at_the_fake_and_returns_the_next_page(
    fake_seam: FakeSeam, raw: Raw, seam: Seam
) -> None:
    ids = newest_first(create_identities(raw, 5, "guest"))
    first = seam.user_identities.list(limit=2, search="guest")
    pagination = first.pagination  # type: ignore[attr-defined]
    url = pagination["next_page_url"]

    assert fake_seam.endpoint == ENDPOINT
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{ENDPOINT}{LIST_PATH}"
    assert parse_qs(parts.query) == {
        "page_cursor": [pagination["next_page_cursor"]],
        "limit": ["2"],
        "search": ["guest"],
    }
    response = raw.session.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [i["user_identity_id"] for i in body["user_identities"]] == ids[2:4]
    via_cursor = seam.user_identities.list(
        limit=2, search="guest", page_cursor=pagination["next_page_cursor"]
    )
    assert body["pagination"] == via_cursor.pagination  # type: ignore[attr-defined]


# Refused cursors ---------------------------------------------------------------------------


@pytest.fixture
def cursor(raw: Raw) -> str:
    """A cursor to the second page of six identities listed two at a time."""
    create_identities(raw, 6)
    return first_cursor(raw, {"limit": 2})


TAMPERINGS: dict[str, Callable[[str], str]] = {
    "payload_first_char": lambda c: flip_bit(c, 0, 32),
    "payload_middle_char": lambda c: flip_bit(c, c.index(".") // 2, 1),
    "payload_last_char": lambda c: flip_bit(c, c.index(".") - 1, 32),
    "signature_first_char": lambda c: flip_bit(c, c.index(".") + 1, 1),
    "signature_middle_char": lambda c: flip_bit(c, (c.index(".") + len(c)) // 2, 8),
    "signature_last_char": lambda c: flip_bit(c, len(c) - 1, 32),
    "dot_removed": lambda c: c.replace(".", ""),
    "dot_doubled": lambda c: c.replace(".", ".."),
    "truncated_by_one": lambda c: c[:-1],
    "truncated_to_half": lambda c: c[: len(c) // 2],
    "payload_only": lambda c: c.partition(".")[0],
    "signature_only": lambda c: c.partition(".")[2],
    "random_string": lambda c: "4f9c2a7b1e",
    "random_with_a_dot": lambda c: "aGVsbG8.d29ybGQ",
    "uuid": lambda c: "5b5a0a7e-8c7e-4e0b-9d38-1f3c2f3b9a10",
    "non_ascii_first_char": lambda c: with_char(c, 0, "é"),
    "non_ascii_only": lambda c: "curseur-à-clé-🔑",
    "newline_appended": lambda c: c + "\n",
    "payload_json_instead_of_base64": lambda c: (
        json.dumps(json.loads(unb64(c.partition(".")[0]))) + "." + c.partition(".")[2]
    ),
    "doubled": lambda c: c + c,
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_a_tampered_cursor_is_refused(
    cursor: str, fake_seam: FakeSeam, raw: Raw, method: str, tampering: str
) -> None:
    tampered = TAMPERINGS[tampering](cursor)
    assert tampered != cursor
    expect_raw_invalid(
        fake_seam, lambda: raw.read(method, LIST_PATH, {"limit": 2, "page_cursor": tampered}), "page_cursor"
    )


def test_a_tampered_cursor_through_the_sdk(cursor: str, fake_seam: FakeSeam, seam: Seam) -> None:
    expect_invalid(
        fake_seam,
        lambda: seam.user_identities.list(limit=2, page_cursor=TAMPERINGS["signature_last_char"](cursor)),
        "page_cursor",
    )
    expect_invalid(fake_seam, lambda: seam.user_identities.list(page_cursor="ünïcödé"), "page_cursor")
    # The untouched cursor still works.
    assert len(seam.user_identities.list(limit=2, page_cursor=cursor)) == 2


def test_an_empty_cursor_string_in_json_is_refused(cursor: str, fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST_PATH, json={"page_cursor": ""}), "page_cursor")


def test_a_cursor_must_be_a_string(cursor: str, fake_seam: FakeSeam, raw: Raw) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(LIST_PATH, json={"page_cursor": 12}), "page_cursor")


def test_a_forged_cursor_for_another_position_is_refused(cursor: str, fake_seam: FakeSeam, raw: Raw) -> None:
    payload, _, signature = cursor.partition(".")
    created_at, seq, digest = json.loads(unb64(payload))
    for forged_key in ([created_at, seq + 2, digest], ["2999-01-01T00:00:00.000Z", seq, digest]):
        forged = b64(json.dumps(forged_key).encode()) + "." + signature
        expect_raw_invalid(
            fake_seam,
            lambda f=forged: raw.get(LIST_PATH, params={"limit": 2, "page_cursor": f}),
            "page_cursor",
        )


def test_a_signature_from_another_cursor_is_refused(cursor: str, fake_seam: FakeSeam, raw: Raw) -> None:
    third_page = list_raw(raw, "get", {"limit": 2, "page_cursor": cursor})["pagination"]["next_page_cursor"]
    assert third_page != cursor
    swapped = cursor.partition(".")[0] + "." + third_page.partition(".")[2]
    expect_raw_invalid(
        fake_seam, lambda: raw.get(LIST_PATH, params={"limit": 2, "page_cursor": swapped}), "page_cursor"
    )


def test_a_cursor_from_another_fake_is_refused(cursor: str, fake_seam: FakeSeam, raw: Raw) -> None:
    other = FakeSeam(endpoint="https://other-fake.example.com")
    with other.patch():
        other_raw = Raw(other)
        create_identities(other_raw, 6)
        foreign = first_cursor(other_raw, {"limit": 2})
    expect_raw_invalid(
        fake_seam, lambda: raw.get(LIST_PATH, params={"limit": 2, "page_cursor": foreign}), "page_cursor"
    )


def test_a_cursor_from_another_workspace_is_refused(cursor: str, fake_seam: FakeSeam, raw: Raw) -> None:
    """Same fake, same filters, but issued to another workspace: not a place in this list."""
    other = fake_seam.add_workspace(name="Other")
    create_identities(raw, 6, "theirs", api_key=other["api_key"])
    expect_mismatched_cursor(
        fake_seam,
        lambda: raw.get(
            LIST_PATH,
            params={"limit": 2, "page_cursor": cursor},
            headers={"Authorization": f"Bearer {other['api_key']}"},
        ),
    )


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ({"search": "person"}, {"search": "other"}),
        ({"search": "person"}, {}),
        ({}, {"search": "person"}),
        ({}, {"created_before": "2999-01-01T00:00:00Z"}),
        ({"created_before": "2999-01-01T00:00:00Z"}, {"created_before": "2998-01-01T00:00:00Z"}),
        ({}, {"credential_manager_acs_system_id": "8d7e4a3c-1b2f-4c5d-9e6f-7a8b9c0d1e2f"}),
        ({}, {"user_identity_ids": ["8d7e4a3c-1b2f-4c5d-9e6f-7a8b9c0d1e2f"]}),
    ],
    ids=[
        "other_search",
        "search_dropped",
        "search_added",
        "created_before_added",
        "created_before_changed",
        "system_added",
        "ids_added",
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_a_cursor_sent_with_other_filters_is_refused(
    fake_seam: FakeSeam, raw: Raw, method: str, first: dict[str, Any], then: dict[str, Any]
) -> None:
    create_identities(raw, 5)
    cursor = first_cursor(raw, {**first, "limit": 2})
    error = expect_mismatched_cursor(
        fake_seam, lambda: raw.read(method, LIST_PATH, {**then, "limit": 2, "page_cursor": cursor})
    )
    assert "filters" in error["message"]


def test_a_cursor_sent_with_other_user_identity_ids_is_refused(
    fake_seam: FakeSeam, raw: Raw, seam: Seam
) -> None:
    ids = create_identities(raw, 5)
    first = seam.user_identities.list(user_identity_ids=ids[:4], limit=2)
    cursor = first.pagination["next_page_cursor"]  # type: ignore[attr-defined]
    expect_api_error(
        fake_seam,
        400,
        "mismatched_page_parameters",
        lambda: seam.user_identities.list(user_identity_ids=ids[:3], limit=2, page_cursor=cursor),
    )
    assert identity_ids(
        seam.user_identities.list(user_identity_ids=ids[:4], limit=2, page_cursor=cursor)
    ) == [
        ids[1],
        ids[0],
    ]


@pytest.mark.parametrize("method", METHODS)
def test_a_cursor_from_acs_users_list_is_refused_by_user_identities_list(
    fake_seam: FakeSeam, raw: Raw, method: str
) -> None:
    system = fake_seam.add_acs_system("HQ")["acs_system_id"]
    for n in range(3):
        fake_seam.add_acs_user(system, f"User {n}")
    create_identities(raw, 3)
    acs_cursor = first_cursor(raw, {"limit": 1}, path=ACS_LIST_PATH)
    identity_cursor = first_cursor(raw, {"limit": 1})
    expect_mismatched_cursor(
        fake_seam, lambda: raw.read(method, LIST_PATH, {"limit": 1, "page_cursor": acs_cursor})
    )
    expect_mismatched_cursor(
        fake_seam, lambda: raw.read(method, ACS_LIST_PATH, {"limit": 1, "page_cursor": identity_cursor})
    )


NON_CANONICAL: dict[str, Callable[[str], str]] = {
    # The last base64 character of a 16-byte signature carries 2 bits of it and 4 unused ones.
    "signature_last_char_unused_bits": lambda c: flip_bit(c, len(c) - 1, 1),
    "padding_appended": lambda c: c + "==",
    "stray_character_prepended": lambda c: "!" + c,
}


@pytest.mark.parametrize("alteration", sorted(NON_CANONICAL))
def test_a_cursor_altered_without_changing_what_it_decodes_to_is_refused(
    cursor: str, fake_seam: FakeSeam, raw: Raw, alteration: str
) -> None:
    """One character changed or added is still an edited cursor, even where base64 ignores it."""
    altered = NON_CANONICAL[alteration](cursor)
    assert altered != cursor
    expect_raw_invalid(
        fake_seam, lambda: raw.get(LIST_PATH, params={"limit": 2, "page_cursor": altered}), "page_cursor"
    )


# /acs/users/list pages ----------------------------------------------------------------------


class AcsUsersPages:
    """Three systems with interleaved ACS users, one identity linked on all three."""

    def __init__(self, fake: FakeSeam, raw: Raw) -> None:
        self.systems = [fake.add_acs_system(name)["acs_system_id"] for name in ("HQ", "Annex", "Depot")]
        # (acs_user_id, acs_system_id), oldest first.
        self.users: list[tuple[str, str]] = []
        for n in range(40):
            system = self.systems[n % 3]
            self.users.append((fake.add_acs_user(system, f"Member {n:02d}")["acs_user_id"], system))
        response = raw.post(
            "/user_identities/create",
            json={
                "full_name": "Linked Person",
                "email_address": "linked@example.com",
                "acs_system_ids": self.systems,
            },
        )
        assert response.status_code == 200, response.text
        identity = response.json()["user_identity"]
        self.identity: str = identity["user_identity_id"]
        created = list_raw(raw, "get", {"user_identity_id": self.identity}, "/user_identities/list_acs_users")
        by_id = {user["acs_user_id"]: user["acs_system_id"] for user in created["acs_users"]}
        # Created for the identity in the order of acs_system_ids, after the members.
        self.users += [(user_id, by_id[user_id]) for user_id in identity["acs_user_ids"]]
        for n in range(40, 45):
            system = self.systems[n % 3]
            self.users.append((fake.add_acs_user(system, f"Member {n:02d}")["acs_user_id"], system))

    def newest_first(self, system: str | None = None, identity: bool = False) -> list[str]:
        linked = set(self.linked_user_ids) if identity else None
        return [
            user_id
            for user_id, user_system in reversed(self.users)
            if (system is None or user_system == system) and (linked is None or user_id in linked)
        ]

    @property
    def linked_user_ids(self) -> list[str]:
        return [user_id for user_id, _ in self.users[40:43]]


@pytest.fixture
def acs(fake_seam: FakeSeam, raw: Raw) -> AcsUsersPages:
    return AcsUsersPages(fake_seam, raw)


@pytest.mark.parametrize(
    "filters",
    ["none", "system", "identity", "identity_and_system", "search", "search_and_system"],
)
def test_acs_users_paginator_walks_every_user_once_newest_first(
    acs: AcsUsersPages, seam: Seam, filters: str
) -> None:
    hq = acs.systems[0]
    params: dict[str, Any] = {
        "none": {},
        "system": {"acs_system_id": hq},
        "identity": {"user_identity_id": acs.identity},
        "identity_and_system": {"user_identity_id": acs.identity, "acs_system_id": hq},
        "search": {"search": "MEMBER"},
        "search_and_system": {"search": "member", "acs_system_id": hq},
    }[filters]
    expected = {
        "none": acs.newest_first(),
        "system": acs.newest_first(hq),
        "identity": acs.newest_first(identity=True),
        "identity_and_system": acs.newest_first(hq, identity=True),
        "search": [u for u in acs.newest_first() if u not in acs.linked_user_ids],
        "search_and_system": [u for u in acs.newest_first(hq) if u not in acs.linked_user_ids],
    }[filters]

    for limit in (1, 4, 15, 45, 100):
        paginator = seam.create_paginator(seam.acs.users.list, {**params, "limit": limit})
        walked = acs_user_ids(paginator.flatten_to_list())
        assert walked == expected, limit
        assert len(walked) == len(set(walked))
    # Unpaginated, the same list.
    assert acs_user_ids(seam.acs.users.list(**params)) == expected


@pytest.mark.parametrize("method", METHODS)
def test_acs_users_pages_split_exactly(acs: AcsUsersPages, raw: Raw, method: str) -> None:
    everything = acs.newest_first()
    assert len(everything) == 48
    assert walk_pages(raw, method, {"limit": 12}, ACS_LIST_PATH) == [
        everything[start : start + 12] for start in range(0, 48, 12)
    ]
    on_hq = acs.newest_first(acs.systems[0])
    assert walk_pages(raw, method, {"limit": len(on_hq), "acs_system_id": acs.systems[0]}, ACS_LIST_PATH) == [
        on_hq
    ]


def test_acs_users_paginator_ignores_users_created_between_pages(
    acs: AcsUsersPages, fake_seam: FakeSeam, seam: Seam
) -> None:
    hq = acs.systems[0]
    assert acs_user_ids(seam.acs.users.list()) == acs.newest_first()
    for params in ({}, {"acs_system_id": hq}, {"user_identity_id": acs.identity}):
        before = acs_user_ids(seam.acs.users.list(**params))
        paginator = seam.create_paginator(seam.acs.users.list, {**params, "limit": 2})
        items, pagination = paginator.first_page()
        seen = acs_user_ids(items)
        while pagination is not None and pagination.has_next_page:
            assert pagination.next_page_cursor is not None
            fake_seam.add_acs_user(hq, "Late Arrival")
            items, pagination = paginator.next_page(pagination.next_page_cursor)
            seen += acs_user_ids(items)
        assert seen == before


def test_acs_users_paginator_skips_users_deleted_before_it_reaches_them(
    acs: AcsUsersPages, seam: Seam
) -> None:
    everything = acs.newest_first()
    paginator = seam.create_paginator(seam.acs.users.list, {"limit": 10})
    items, pagination = paginator.first_page()
    seen = acs_user_ids(items)
    assert pagination is not None
    assert pagination.next_page_cursor is not None
    doomed = [seen[-1], everything[10], everything[25], everything[47]]
    for acs_user_id in doomed:
        seam.acs.users.delete(acs_user_id=acs_user_id)
    while pagination is not None and pagination.has_next_page:
        assert pagination.next_page_cursor is not None
        items, pagination = paginator.next_page(pagination.next_page_cursor)
        seen += acs_user_ids(items)
    assert seen == [u for u in everything if u not in doomed[1:]]


def test_acs_users_created_at_one_instant_and_with_the_clock_going_back(
    fake_seam: FakeSeam, seam: Seam, raw: Raw
) -> None:
    system = fake_seam.add_acs_system("HQ")["acs_system_id"]
    made: dict[str, str] = {}
    for name, moment in [
        ("a", T0),
        ("b", T0),
        ("c", T0),
        ("old", T0 - timedelta(days=30)),
        ("new", T0 + timedelta(days=1)),
        ("d", T0),
    ]:
        with time_machine.travel(moment, tick=False):
            made[name] = fake_seam.add_acs_user(system, f"User {name}")["acs_user_id"]
    expected = [made[n] for n in ("new", "d", "c", "b", "a", "old")]
    assert acs_user_ids(seam.acs.users.list()) == expected
    assert walk_pages(raw, "get", {"limit": 2, "acs_system_id": system}, ACS_LIST_PATH) == [
        expected[0:2],
        expected[2:4],
        expected[4:6],
    ]


@pytest.mark.parametrize("method", METHODS)
def test_acs_users_created_before(fake_seam: FakeSeam, seam: Seam, raw: Raw, method: str) -> None:
    hq = fake_seam.add_acs_system("HQ")["acs_system_id"]
    annex = fake_seam.add_acs_system("Annex")["acs_system_id"]
    made = []
    for day in range(6):
        with time_machine.travel(T0 + timedelta(days=day), tick=False):
            made.append(fake_seam.add_acs_user(hq if day % 2 == 0 else annex, f"Day {day}")["acs_user_id"])
    before = "2025-03-04T12:00:00Z"  # day 3 exactly: days 0-2 qualify

    assert walk_pages(raw, method, {"created_before": before, "limit": 2}, ACS_LIST_PATH) == [
        [made[2], made[1]],
        [made[0]],
    ]
    assert walk_pages(
        raw, method, {"created_before": before, "acs_system_id": hq, "limit": 1}, ACS_LIST_PATH
    ) == [
        [made[2]],
        [made[0]],
    ]
    assert acs_user_ids(
        seam.acs.users.list(created_before="2025-03-04T12:00:00.001+00:00", acs_system_id=annex)
    ) == [
        made[3],
        made[1],
    ]


def test_acs_users_created_before_and_identity_filter(acs: AcsUsersPages, seam: Seam) -> None:
    linked = acs.newest_first(identity=True)
    newest = seam.acs.users.get(acs_user_id=linked[0])
    # Users created for the identity in one request share a created_at: none is before it.
    assert (
        acs_user_ids(seam.acs.users.list(user_identity_id=acs.identity, created_before=newest.created_at))
        == []
    )
    later = "2999-01-01T00:00:00Z"
    paginator = seam.create_paginator(
        seam.acs.users.list, {"user_identity_id": acs.identity, "created_before": later, "limit": 2}
    )
    assert acs_user_ids(paginator.flatten_to_list()) == linked


def test_acs_users_next_page_url(acs: AcsUsersPages, raw: Raw, seam: Seam) -> None:
    annex = acs.systems[1]
    expected = acs.newest_first(annex)
    first = seam.acs.users.list(acs_system_id=annex, limit=6)
    url = first.pagination["next_page_url"]  # type: ignore[attr-defined]
    assert url.startswith(f"{ENDPOINT}{ACS_LIST_PATH}?")
    seen = acs_user_ids(first)
    while url is not None:
        response = raw.session.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [u["acs_user_id"] for u in body["acs_users"]]
        url = body["pagination"]["next_page_url"]
    assert seen == expected


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("limit", 0),
        ("limit", -3),
        ("limit", 2.5),
        ("limit", "5"),
        ("limit", True),
        ("limit", None),
        ("created_before", "2025-03-04T12:00:00"),
        ("created_before", "soon"),
        ("page_cursor", "not-a-cursor"),
        ("page_cursor", "clé"),
        ("page_cursor", 5),
    ],
)
def test_acs_users_list_refuses_bad_paging_values_in_json(
    acs: AcsUsersPages, fake_seam: FakeSeam, raw: Raw, param: str, value: Any
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.post(ACS_LIST_PATH, json={param: value}), param)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("limit", "0"),
        ("limit", "-3"),
        ("limit", "2.5"),
        ("limit", "many"),
        ("created_before", "2025-03-04T12:00:00"),
        ("created_before", "soon"),
        ("page_cursor", "not-a-cursor"),
        ("page_cursor", "clé"),
    ],
)
def test_acs_users_list_refuses_bad_paging_values_in_the_query(
    acs: AcsUsersPages, fake_seam: FakeSeam, raw: Raw, param: str, value: str
) -> None:
    expect_raw_invalid(fake_seam, lambda: raw.get(ACS_LIST_PATH, params={param: value}), param)


@pytest.mark.parametrize(
    "then",
    [
        {"acs_system_id": "annex"},
        {},
        {"acs_system_id": "hq", "user_identity_id": "identity"},
        {"acs_system_id": "hq", "search": "member"},
        {"acs_system_id": "hq", "created_before": "2999-01-01T00:00:00Z"},
    ],
    ids=["other_system", "system_dropped", "identity_added", "search_added", "created_before_added"],
)
def test_acs_users_cursor_with_other_filters_is_refused(
    acs: AcsUsersPages, fake_seam: FakeSeam, raw: Raw, then: dict[str, Any]
) -> None:
    cursor = first_cursor(raw, {"acs_system_id": acs.systems[0], "limit": 3}, path=ACS_LIST_PATH)
    names = {"hq": acs.systems[0], "annex": acs.systems[1], "identity": acs.identity}
    query = {name: names.get(value, value) for name, value in then.items()}
    expect_mismatched_cursor(
        fake_seam, lambda: raw.get(ACS_LIST_PATH, params={**query, "limit": 3, "page_cursor": cursor})
    )
    # The same filters and limit continue the walk.
    continued = list_raw(
        raw, "get", {"acs_system_id": acs.systems[0], "limit": 3, "page_cursor": cursor}, ACS_LIST_PATH
    )
    assert [u["acs_user_id"] for u in continued["acs_users"]] == acs.newest_first(acs.systems[0])[3:6]


def test_acs_users_tampered_cursor_through_the_sdk(
    acs: AcsUsersPages, fake_seam: FakeSeam, seam: Seam
) -> None:
    first = seam.acs.users.list(limit=5)
    cursor = first.pagination["next_page_cursor"]  # type: ignore[attr-defined]
    expect_invalid(
        fake_seam, lambda: seam.acs.users.list(limit=5, page_cursor=flip_bit(cursor, 3, 32)), "page_cursor"
    )
    expect_invalid(fake_seam, lambda: seam.acs.users.list(limit=5, page_cursor=cursor[:-2]), "page_cursor")
    assert acs_user_ids(seam.acs.users.list(limit=5, page_cursor=cursor)) == acs.newest_first()[5:10]
