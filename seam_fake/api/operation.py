"""An endpoint's declaration on the route table (``Route``), and what its operation receives (``Context``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model.errors import NotFound
from ..model.lookups import find_identity
from ..model.records import ClientSession, UserIdentity, Workspace
from ..model.world import Ids, World
from .params import Param

Body = dict[str, Any]

# The credential kinds of Seam's reference (an operation's ``security``) that the fake
# simulates; each route declares which of them it accepts, as the reference does.
API_KEY = "api_key"
PAT = "pat_with_workspace"
PAT_WITHOUT_WORKSPACE = "pat_without_workspace"
CLIENT_SESSION = "client_session"
SIMULATED_CREDENTIALS = frozenset({API_KEY, PAT, PAT_WITHOUT_WORKSPACE, CLIENT_SESSION})
# What most routes accept.
DEFAULT_CREDENTIALS = frozenset({API_KEY, PAT})
WITH_CLIENT_SESSION = DEFAULT_CREDENTIALS | {CLIENT_SESSION}


@dataclass(slots=True)
class Context:
    """The caller's world for one request: whose workspace, which clock reading.

    ``current`` is None only on routes that accept a personal access token without
    a workspace, called with one and no ``seam-workspace`` header. ``reachable``
    holds the workspaces the credential may act on (None: all). ``client_session``
    is the session whose token authenticated the request, if one did: it sees only
    its identities' objects. ``base_url`` is where the fake is reached, for URLs in
    responses.
    """

    world: World
    current: Workspace | None
    now: str
    base_url: str = ""
    reachable: frozenset[str] | None = None
    client_session: ClientSession | None = None
    # The request's HTTP method, for the few routes whose answer depends on it.
    method: str = "POST"

    @property
    def workspace(self) -> Workspace:
        if self.current is None:
            raise AssertionError("this route needs a workspace: do not accept pat_without_workspace")
        return self.current

    @property
    def ids(self) -> Ids:
        return self.world.ids

    @property
    def scope(self) -> frozenset[str] | None:
        """The user identities the caller may see, or None for all of the workspace's."""
        if self.client_session is None:
            return None
        return frozenset(self.client_session.user_identity_ids)

    def sees(self, user_identity_id: str | None) -> bool:
        """Whether the caller may see an object of this identity (or of none)."""
        scope = self.scope
        return scope is None or (user_identity_id is not None and user_identity_id in scope)

    def identity(self, user_identity_id: str) -> UserIdentity:
        """An identity of the workspace the caller may see, or ``user_identity_not_found``
        (a client session is told of no other identity, not refused one)."""
        found = find_identity(self.workspace, user_identity_id=user_identity_id)
        if not self.sees(found.user_identity_id):
            raise NotFound(
                "user_identity_not_found", f"No user identity with user_identity_id {user_identity_id} here."
            )
        return found


Operation = Callable[[Context, Body], Body]


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint: the single source of truth for its path, methods and parameters.

    ``mutates`` says whether a success changes state (server mode persists
    after those). ``exactly_one_of`` names parameters of which a request must
    give exactly one (Seam's ``oneOf`` request bodies). ``credentials`` are the
    kinds of credential it accepts, from the reference's ``security``.
    ``unsupported`` names parameters Seam documents for the route that the fake
    does not simulate: a request that sends one is refused rather than answered
    as if it were ignored.
    """

    path: str
    methods: frozenset[str]
    params: tuple[Param, ...]
    operation: Operation
    summary: str
    exactly_one_of: tuple[str, ...] = ()
    unsupported: tuple[str, ...] = ()
    credentials: frozenset[str] = DEFAULT_CREDENTIALS
    mutates: bool = field(kw_only=True)

    @property
    def needs_workspace(self) -> bool:
        return PAT_WITHOUT_WORKSPACE not in self.credentials


# The method sets of Seam's reference: every read is a GET or a POST; writes are
# POST, and some also PATCH, DELETE or PUT as the SDK sends them.
READ = frozenset({"GET", "POST"})
WRITE = frozenset({"POST"})
UPDATE = frozenset({"PATCH", "POST"})
DELETE = frozenset({"DELETE", "POST"})
ADD = frozenset({"PUT", "POST"})
