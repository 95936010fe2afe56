"""What an operation receives, and the declaration that puts it on the route table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..params import Param
from ..state import Ids, State, Workspace

Body = dict[str, Any]


@dataclass(slots=True)
class Context:
    """The caller's world for one request: whose workspace, which clock reading."""

    state: State
    workspace: Workspace
    ids: Ids
    now: str


Operation = Callable[[Context, Body], Body]


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: the single source of truth for its path, methods and parameters.

    ``exactly_one_of`` names parameters of which a request must give exactly
    one (Seam's ``oneOf`` request bodies). ``unsupported`` names parameters
    Seam documents for the route that the fake does not simulate: a request
    that sends one is refused rather than answered as if it were ignored.
    """

    path: str
    methods: frozenset[str]
    params: tuple[Param, ...]
    operation: Operation
    summary: str
    exactly_one_of: tuple[str, ...] = ()
    unsupported: tuple[str, ...] = ()


READ = frozenset({"GET", "POST"})
WRITE = frozenset({"POST"})
