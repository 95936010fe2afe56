"""The call log: every request a fake answered, for a test to assert on.

``FakeSeam.calls`` is one of these. Recording keeps the raw request and answer
only; the parsed parameters and body are worked out when a test reads them, so
a log nobody reads costs one small object per call.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from functools import cached_property
from typing import Any, overload

from .http import BODY_METHODS, IGNORED_QUERY_KEYS, Request, Response, query_pairs


class Call:
    """One request the fake answered, and its answer."""

    def __init__(self, request: Request, response: Response, path: str, workspace_id: str | None) -> None:
        self._request = request
        self._response = response
        self.path = path
        #: The workspace the request ran in; None if it was refused before one was known.
        self.workspace_id = workspace_id

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def status(self) -> int:
        return self._response.status

    @cached_property
    def params(self) -> dict[str, Any]:
        """What the request sent: its JSON body, or its query (a repeated key gives a list)."""
        request = self._request
        pairs = [] if request.method in BODY_METHODS else query_pairs(request.query)
        pairs = [(k, v) for k, v in pairs if k not in IGNORED_QUERY_KEYS]
        if pairs:
            grouped: dict[str, Any] = {}
            for key, value in pairs:
                grouped.setdefault(key, []).append(value)
            return {key: values[0] if len(values) == 1 else values for key, values in grouped.items()}
        try:
            body = json.loads(request.body) if request.body.strip() else {}
        except (ValueError, UnicodeDecodeError):
            return {}
        return body if isinstance(body, dict) else {}

    @cached_property
    def response(self) -> Any:
        """The answer's JSON body."""
        return self._response.json()

    @property
    def error_type(self) -> str | None:
        """The error's type (``invalid_input``...) for a refused call, None for a success."""
        if self.status < 400:
            return None
        error = self.response.get("error", {}) if isinstance(self.response, dict) else {}
        found: str | None = error.get("type")
        return found

    def as_dict(self) -> dict[str, Any]:
        """The call as JSON-ready data (what ``/_fake/calls`` answers)."""
        return {
            "method": self.method,
            "path": self.path,
            "params": self.params,
            "status": self.status,
            "error_type": self.error_type,
            "response": self.response,
            "workspace_id": self.workspace_id,
        }

    def __repr__(self) -> str:
        outcome = f"{self.status} {self.error_type}" if self.error_type else str(self.status)
        return f"<Call {self.method} {self.path} -> {outcome}>"


#: How many calls a log keeps unless told otherwise: more than a test makes, few
#: enough that a server left running for days does not grow without end.
DEFAULT_LIMIT = 10_000


class CallLog:
    """The calls a fake answered, oldest first: ``len()``, iteration, indexing,
    ``clear()`` and ``filter(path=..., method=..., status=..., error_type=...)``.

    It keeps the last ``limit`` calls (None: all of them; 0: none), forgetting the
    oldest first.
    """

    def __init__(self, limit: int | None = DEFAULT_LIMIT) -> None:
        if limit is not None and limit < 0:
            raise ValueError(f"a call log limit is a count of calls, not {limit}")
        self.limit = limit
        self._calls: deque[Call] = deque(maxlen=limit)

    def record(self, call: Call) -> None:
        self._calls.append(call)

    def clear(self) -> None:
        self._calls.clear()

    def filter(
        self,
        *,
        path: str | None = None,
        method: str | None = None,
        status: int | None = None,
        error_type: str | None = None,
        workspace_id: str | None = None,
    ) -> list[Call]:
        """The calls matching every criterion given, oldest first."""
        wanted = {
            name: value
            for name, value in (
                ("path", path.rstrip("/") if path else None),
                ("method", method.upper() if method else None),
                ("status", status),
                ("error_type", error_type),
                ("workspace_id", workspace_id),
            )
            if value is not None
        }
        return [call for call in self._calls if all(getattr(call, k) == v for k, v in wanted.items())]

    def __len__(self) -> int:
        return len(self._calls)

    def __iter__(self) -> Iterator[Call]:
        return iter(list(self._calls))

    @overload
    def __getitem__(self, index: int) -> Call: ...
    @overload
    def __getitem__(self, index: slice) -> list[Call]: ...
    def __getitem__(self, index: int | slice) -> Call | list[Call]:
        # A deque indexes from either end in O(1) but cannot slice.
        return list(self._calls)[index] if isinstance(index, slice) else self._calls[index]

    def __repr__(self) -> str:
        return f"<CallLog of {len(self._calls)} calls>"
