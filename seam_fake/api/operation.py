"""An endpoint's declaration on the route table (``Route``), and what its operation receives (``Context``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model.records import Workspace
from ..model.world import Ids, World
from .params import Param

Body = dict[str, Any]


@dataclass(slots=True)
class Context:
    """The caller's world for one request: whose workspace, which clock reading.

    ``current`` is None only on routes declared with ``needs_workspace=False``
    and called with a personal access token and no ``seam-workspace`` header.
    ``reachable`` holds the workspaces the credential may act on (None: all).
    ``base_url`` is where the fake is reached, for URLs in responses.
    """

    world: World
    current: Workspace | None
    now: str
    base_url: str = ""
    reachable: frozenset[str] | None = None

    @property
    def workspace(self) -> Workspace:
        if self.current is None:
            raise AssertionError("this route needs a workspace; declare needs_workspace=True")
        return self.current

    @property
    def ids(self) -> Ids:
        return self.world.ids


Operation = Callable[[Context, Body], Body]


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: the single source of truth for its path, methods and parameters.

    ``mutates`` says whether a success changes state (server mode persists
    after those). ``exactly_one_of`` names parameters of which a request must
    give exactly one (Seam's ``oneOf`` request bodies). ``needs_workspace`` is
    False for routes a personal access token may call without naming a
    workspace. ``unsupported`` names parameters Seam documents for the route
    that the fake does not simulate: a request that sends one is refused
    rather than answered as if it were ignored.
    """

    path: str
    methods: frozenset[str]
    params: tuple[Param, ...]
    operation: Operation
    summary: str
    exactly_one_of: tuple[str, ...] = ()
    unsupported: tuple[str, ...] = ()
    needs_workspace: bool = True
    mutates: bool = field(kw_only=True)


# The method sets of Seam's reference: every read is a GET or a POST; writes are
# POST, and some also PATCH, DELETE or PUT as the SDK sends them.
READ = frozenset({"GET", "POST"})
WRITE = frozenset({"POST"})
UPDATE = frozenset({"PATCH", "POST"})
DELETE = frozenset({"DELETE", "POST"})
ADD = frozenset({"PUT", "POST"})
