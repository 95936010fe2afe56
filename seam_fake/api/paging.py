"""Newest-first pages with signed cursors, shared by every paginated list.

A cursor names the last record a page returned by its place in the order,
``(created_at, seq)``, not by an offset: records created or deleted between
pages never shift a later page, so a walk sees every record that existed
when it began exactly once. The cursor also carries an HMAC, refusing an edited
cursor with ``invalid_input``, and a digest of the query's parameters (its filters
and its ``limit``, default included), refusing a cursor sent with other parameters
with 400 ``mismatched_page_parameters`` instead of answering a different question,
as the official fake does (``src/pages/api/devices/list.ts``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode

from ..model.errors import ApiError, invalid
from ..model.records import OrderKey
from .operation import Body, Context
from .params import Kind, Param, whole_number


class Placed(Protocol):
    """A record with a place in newest-first lists."""

    @property
    def order_key(self) -> OrderKey: ...


T = TypeVar("T", bound=Placed)
Below = OrderKey | tuple[str] | None

DEFAULT_LIMIT = 500


def params(
    limit_kind: Kind = "integer", *, default: int = DEFAULT_LIMIT, created_before: bool = True
) -> tuple[Param, ...]:
    """The paging parameters of a list; ``limit`` is an integer or, on some routes of
    the reference, a number (then it must still be whole). ``default`` is the limit of a
    request that sends none (pass the same to ``page``)."""
    found = (
        Param(
            "limit",
            limit_kind,
            minimum=1 if limit_kind == "integer" else None,
            description=f"Most records per page (default {default}).",
        ),
        Param(
            "page_cursor",
            nullable=True,
            description="The `next_page_cursor` of the previous page, sent with the same filters and limit.",
        ),
    )
    if not created_before:
        return found
    return (*found, Param("created_before", "datetime", description="Only records created before this time."))


PARAMS = params()
_NOT_FILTERS = frozenset({"limit", "page_cursor"})
#: The official fake's words (src/pages/api/devices/list.ts, connected_accounts/list.ts).
MISMATCH = "When using next_page_cursor, the request must send parameters identical to the initial request."


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _digest(ctx: Context, path: str, filters: Body) -> str:
    question = [ctx.workspace.workspace_id, path, filters]
    return hashlib.sha256(json.dumps(question, sort_keys=True).encode()).hexdigest()[:16]


def _signature(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), payload, hashlib.sha256).digest()[:16]


def _encode(ctx: Context, digest: str, key: OrderKey) -> str:
    payload = json.dumps([key[0], key[1], digest]).encode()
    return f"{_b64(payload)}.{_b64(_signature(ctx.world.state.cursor_secret, payload))}"


def _decode(ctx: Context, expected_digest: str, cursor: str) -> OrderKey:
    refused = invalid(
        "page_cursor",
        "Not a cursor this fake issued: pass `next_page_cursor` from the previous page unchanged.",
    )
    encoded_payload, _, encoded_signature = cursor.partition(".")
    try:
        payload, signature = _unb64(encoded_payload), _unb64(encoded_signature)
    except ValueError:
        raise refused from None
    # Decoding forgives stray characters and unused bits; a cursor must be the exact text issued.
    canonical = f"{_b64(payload)}.{_b64(signature)}"
    if canonical != cursor or not hmac.compare_digest(
        signature, _signature(ctx.world.state.cursor_secret, payload)
    ):
        raise refused
    created_at, seq, digest = json.loads(payload)
    if digest != expected_digest:
        raise ApiError(
            "mismatched_page_parameters",
            f"{MISMATCH} Send the filters and the limit of the request that returned the cursor "
            "(an absent limit is 500), with the same credentials.",
        )
    return (created_at, seq)


def limit_of(p: Body, default: int = DEFAULT_LIMIT) -> int:
    """The ``limit`` a list was asked for (``default`` if none): a whole number of at
    least 1, even where the reference types it as a number (JSON also brings NaN and
    infinities, which have no whole value)."""
    requested = p.get("limit")
    if requested is None:
        return default
    # islice takes at most sys.maxsize; no page can be longer than that anyway.
    return min(whole_number("limit", requested, 1), sys.maxsize - 1)


def newest_first_among(records: Iterable[T], below: Below) -> list[T]:
    """A few records (named by a filter, or found through an index), newest first and
    below ``below``: sorting them beats walking a whole ordered index."""
    return sorted(
        (record for record in records if below is None or record.order_key < below),
        key=lambda record: record.order_key,
        reverse=True,
    )


def page(
    ctx: Context,
    path: str,
    p: Body,
    walk: Callable[[Below], Iterable[T]],
    default_limit: int = DEFAULT_LIMIT,
) -> tuple[list[T], dict[str, Any]]:
    """One page of ``walk``'s records and the ``pagination`` object that follows it.

    ``walk(below)`` yields the records that pass the route's filters, newest
    first, starting just below ``below``; the page takes ``limit`` of them
    (plus one, to know whether another page follows).
    """
    filters = {name: value for name, value in p.items() if name not in _NOT_FILTERS}
    limit = limit_of(p, default_limit)
    # The limit is part of the question, its default too (the official fake hashes the
    # parameters after zod's defaults): a cursor sent with another limit is refused.
    question = {**filters, "limit": limit}
    # Computed once, when a cursor is read or written: both name the same query.
    digest = _digest(ctx, path, question) if p.get("page_cursor") is not None else None
    below: Below = None
    if p.get("created_before") is not None:
        below = (p["created_before"],)
    if digest is not None:
        after = _decode(ctx, digest, p["page_cursor"])
        below = after if below is None else min(below, after)
    records = list(islice(walk(below), limit + 1))
    if len(records) <= limit:
        return records, {"has_next_page": False, "next_page_cursor": None, "next_page_url": None}
    records.pop()
    cursor = _encode(ctx, digest or _digest(ctx, path, question), records[-1].order_key)
    query = {**filters, "page_cursor": cursor}
    if "limit" in p:
        query["limit"] = limit
    url = f"{ctx.base_url}{path}?{urlencode(query, doseq=True)}"
    return records, {"has_next_page": True, "next_page_cursor": cursor, "next_page_url": url}
