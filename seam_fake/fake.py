"""``FakeSeam``: an in-memory Seam with seeding, simulation, snapshots and patching."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import controls, demo, render, snapshots
from .acs_types import ACS_TYPES, ACS_USER_ERROR_CODES
from .errors import ApiError
from .http import OUTAGE_STATUSES, Request, Response, error_response, handle, outage_response
from .params import Param, parse_json
from .routes import ROUTES, Context
from .routes.acs_users import new_acs_user
from .state import AcsSystem, AcsUser, AcsUserError, Ids, State, Workspace, now_iso
from .transports import REGISTRY, Origin

DEFAULT_ENDPOINT = "https://connect.getseam.com"
# Variables the seam SDK reads that would point `Seam()` away from a fake whose
# key is in SEAM_API_KEY; the fixtures clear them.
SEAM_ENV_CLEARED = ("SEAM_PERSONAL_ACCESS_TOKEN", "SEAM_WORKSPACE_ID", "SEAM_ENDPOINT", "SEAM_API_URL")

# Seeding validates what it is given with the same declarations the API uses.
_ACS_SYSTEM_SEED_PARAMS = (
    Param("name", required=True, min_length=1),
    Param("connected_account_id", "uuid", nullable=True),
)
_ACS_USER_SEED_PARAMS = (
    Param("full_name", required=True, min_length=1),
    Param("email_address", "email", nullable=True),
    Param("phone_number", "phone", nullable=True),
)


class FakeSeam:
    """A stateful, in-memory simulation of the Seam Connect API.

    A new fake holds one sandbox workspace reachable with ``api_key``. Use
    ``patch()`` to route httpx and requests traffic for ``endpoint`` to it,
    or ``handle()`` to call it directly.
    """

    def __init__(
        self,
        *,
        endpoint: str = DEFAULT_ENDPOINT,
        api_key: str | None = None,
        random_seed: int | None = None,
    ) -> None:
        """``api_key`` fixes the default workspace's key (it survives ``reset()``)."""
        self.origin = Origin.parse(endpoint)
        self.endpoint = endpoint.rstrip("/")
        self._random_seed = random_seed
        # One request at a time: server mode serves from several threads.
        self._lock = threading.RLock()
        self._generation = 0
        # Route path -> faults still to inject, in order: (status, retry_after).
        self._outages: dict[str, list[tuple[int, int]]] = {}
        if api_key is not None:
            _check_api_key_format(api_key)
        self._fixed_api_key = api_key
        self.workspace_id, self.api_key = self._start()

    @classmethod
    def demo(
        cls,
        *,
        endpoint: str = DEFAULT_ENDPOINT,
        api_key: str | None = None,
        random_seed: int | None = None,
    ) -> FakeSeam:
        """A fake whose default workspace holds realistic demo data.

        A Salto KS site and a Visionline system with a dozen ACS users, five
        user identities (some linked to existing ACS users, one given a new
        ACS user, one linked nowhere), one ACS user with an error and one
        profile mismatch: every kind of object, error and warning at once.
        ``reset()`` empties it like any fake.
        """
        fake = cls(endpoint=endpoint, api_key=api_key, random_seed=random_seed)
        demo.populate(fake)
        return fake

    # Set-up ---------------------------------------------------------------

    def _start(self) -> tuple[str, str]:
        """Empty state with the default workspace; its id and API key.

        A new fake and a reset one draw the same ids here, so with a seed the
        ids that follow are the same after ``reset()`` as after construction.
        """
        self._ids = Ids(self._random_seed)
        self._state = State(cursor_secret=self._ids.token(""))
        drawn_id = self._ids.uuid()
        drawn_key = self._fixed_api_key or self._new_api_key(True)
        # On reset the default workspace keeps its id and key (equal to the drawn
        # ones when seeded, so clients built earlier stay valid either way).
        workspace_id: str = getattr(self, "workspace_id", drawn_id)
        api_key: str = getattr(self, "api_key", drawn_key)
        self._add_workspace(workspace_id, "Sandbox Workspace", "Acme", True)
        self._state.api_keys[api_key] = workspace_id
        return workspace_id, api_key

    def reset(self) -> None:
        """Forget everything but the default workspace, emptied, and its API key;
        pending simulated outages too.

        ``workspace_id`` and ``api_key`` stay the same, so clients already built
        and ``SEAM_API_KEY`` set by the fixture keep working.
        """
        with self._changing():
            self._start()
            self._outages.clear()

    def add_workspace(
        self,
        name: str = "Sandbox Workspace",
        *,
        company_name: str = "Acme",
        is_sandbox: bool = True,
        api_key: str | None = None,
    ) -> dict[str, Any]:
        """Add a workspace with its own API key; returns the workspace plus ``api_key``."""
        with self._changing():
            if api_key is not None:
                self._check_new_api_key(api_key)
            ws = self._add_workspace(self._ids.uuid(), name, company_name, is_sandbox)
            key = api_key or self._new_api_key(is_sandbox)
            self._state.api_keys[key] = ws.workspace_id
            return {**render.workspace(ws), "api_key": key}

    def _add_workspace(self, workspace_id: str, name: str, company_name: str, is_sandbox: bool) -> Workspace:
        if workspace_id in self._state.workspaces:
            raise ValueError(f"workspace {workspace_id} already exists")
        ws = Workspace(workspace_id, name, company_name, is_sandbox, created_at=now_iso())
        self._state.workspaces[workspace_id] = ws
        return ws

    def add_api_key(self, workspace_id: str | None = None, *, key: str | None = None) -> str:
        """An API key for a workspace (the default one if not given); random unless ``key`` is given."""
        with self._changing():
            ws = self._workspace(workspace_id)
            if key is not None:
                self._check_new_api_key(key)
            key = key or self._new_api_key(ws.is_sandbox)
            self._state.api_keys[key] = ws.workspace_id
            return key

    def _new_api_key(self, is_sandbox: bool) -> str:
        # A fixed infix keeps a random key from starting like another kind of
        # token (seam_at..., seam_cst..., seam_pk...).
        return self._ids.token("seam_test" if is_sandbox else "seam_live")

    def _check_new_api_key(self, key: str) -> None:
        _check_api_key_format(key)
        if key in self._state.api_keys:
            raise ValueError("this API key is already in use")

    def add_personal_access_token(self, workspace_ids: list[str] | None = None) -> str:
        """A personal access token (``seam_at...``), sent with a ``seam-workspace`` header.

        It reaches the listed workspaces, or every workspace of this fake,
        present and future, when ``workspace_ids`` is None.
        """
        with self._changing():
            allowed = None
            if workspace_ids is not None:
                allowed = frozenset(self._workspace(w).workspace_id for w in workspace_ids)
            token = self._ids.token("seam_at")
            self._state.personal_access_tokens[token] = allowed
            return token

    def add_acs_system(
        self,
        name: str = "Main Building",
        *,
        workspace_id: str | None = None,
        external_type: str = "salto_ks_site",
        time_zone: str | None = "America/Los_Angeles",
        connected_account_id: str | None = None,
    ) -> dict[str, Any]:
        """Add an ACS system; returns it as ``/acs/systems/get`` would."""
        if external_type not in ACS_TYPES:
            raise ValueError(f"external_type must be one of {sorted(ACS_TYPES)}, got {external_type!r}")
        values = parse_json(
            _ACS_SYSTEM_SEED_PARAMS, {"name": name, "connected_account_id": connected_account_id}
        )
        with self._changing():
            ws = self._workspace(workspace_id)
            system = AcsSystem(
                acs_system_id=self._ids.uuid(),
                workspace_id=ws.workspace_id,
                name=values["name"],
                external_type=external_type,
                connected_account_id=values["connected_account_id"] or self._ids.uuid(),
                time_zone=time_zone,
                created_at=now_iso(),
            )
            ws.acs_systems[system.acs_system_id] = system
            return render.acs_system(system)

    def add_acs_user(
        self,
        acs_system_id: str,
        full_name: str,
        email_address: str | None = None,
        phone_number: str | None = None,
    ) -> dict[str, Any]:
        """Add an unlinked ACS user to a system, as if it existed in the ACS already.

        Email and phone are validated as the API validates them; returns the
        user as ``/acs/users/get`` would.
        """
        values = parse_json(
            _ACS_USER_SEED_PARAMS,
            {"full_name": full_name, "email_address": email_address, "phone_number": phone_number},
        )
        with self._changing():
            ws = self._workspace_of_system(acs_system_id)
            ctx = Context(self._state, ws, self._ids, now_iso(), self.endpoint)
            user = new_acs_user(
                ctx,
                ws.acs_systems[acs_system_id],
                values["full_name"],
                values["email_address"],
                values["phone_number"],
            )
            return render.acs_user(ws, user)

    # Simulation -----------------------------------------------------------

    def simulate_acs_user_error(
        self,
        acs_user_id: str,
        error_code: str = "failed_to_update_on_acs_system",
        message: str = "The access control system rejected the last change to this user.",
    ) -> dict[str, Any]:
        """Give an ACS user an error; a linked identity then shows ``issue_with_acs_user``."""
        if error_code not in ACS_USER_ERROR_CODES:
            raise ValueError(f"error_code must be one of {sorted(ACS_USER_ERROR_CODES)}, got {error_code!r}")
        with self._changing():
            ws, user = self._find_acs_user(acs_user_id)
            user.errors.append(AcsUserError(error_code, message, now_iso()))
            return render.acs_user(ws, user)

    def simulate_user_identity_being_deleted(self, user_identity_id: str) -> dict[str, Any]:
        """Mark an identity as being deleted; it then shows the ``being_deleted`` warning."""
        with self._changing():
            for ws in self._state.workspaces.values():
                identity = ws.user_identities.get(user_identity_id)
                if identity is not None:
                    if identity.being_deleted_since is None:
                        identity.being_deleted_since = now_iso()
                    return render.user_identity(ws, identity)
            raise KeyError(f"no user identity {user_identity_id}")

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the lock for a change of state, and count the change if it succeeds."""
        with self._lock:
            yield
            self._generation += 1

    @property
    def lock(self) -> threading.RLock:
        """The lock every request and set-up call holds; hold it to do several atomically."""
        return self._lock

    @property
    def generation(self) -> int:
        """A number that grows with every change of state (a write, a set-up call, a reset)."""
        return self._generation

    def simulate_outage(self, route: str, status: int = 503, *, times: int = 1, retry_after: int = 1) -> None:
        """Make the next ``times`` calls to ``route`` fail with ``status`` (503 or 429).

        Calls fail whatever their method or credentials, as in a real outage, with
        Seam's error envelope and a ``Retry-After`` header of ``retry_after``
        seconds. The SDK retries idempotent methods on both statuses, so its
        retries use up the failures: a test can see them happen.
        """
        if route.rstrip("/") not in ROUTES:
            raise ValueError(f"no route {route!r}; choose one of seam_fake.routes.ROUTES")
        if status not in OUTAGE_STATUSES:
            raise ValueError(f"status must be one of {sorted(OUTAGE_STATUSES)}, got {status}")
        if times < 1 or retry_after < 0:
            raise ValueError("times must be at least 1 and retry_after not negative")
        with self._lock:
            self._outages.setdefault(route.rstrip("/"), []).extend([(status, retry_after)] * times)

    # Requests -------------------------------------------------------------

    def handle(self, request: Request, base_url: str | None = None) -> Response:
        """Answer one request, as Seam would, atomically with respect to other threads.

        ``base_url`` (default: ``endpoint``) is where the client reached the fake,
        for URLs in responses such as ``pagination.next_page_url``.
        """
        with self._lock:
            path = request.path.rstrip("/")
            if path.startswith(controls.PREFIX):
                return controls.handle(self, self._state, self._ids.uuid(), request)
            faults = self._outages.get(path)
            if faults:
                status, retry_after = faults.pop(0)
                if not faults:
                    del self._outages[path]
                return outage_response(self._ids.uuid(), status, retry_after)
            response = handle(self._state, self._ids, request, base_url or self.endpoint)
            if response.status == 200 and ROUTES[path].mutates:
                self._generation += 1
            return response

    def reject(self, error: ApiError) -> Response:
        """The error response for a request refused before it reached ``handle``."""
        with self._lock:
            return error_response(self._ids.uuid(), error)

    @contextmanager
    def patch(self) -> Iterator[FakeSeam]:
        """Route httpx and requests traffic for ``endpoint`` to this fake, in process.

        Other URLs pass through. Fakes on different endpoints can be active
        together; leaving the block restores the clients, also on error.
        """
        REGISTRY.activate(self)
        try:
            yield self
        finally:
            REGISTRY.deactivate(self)

    def snapshot(self) -> dict[str, Any]:
        """A JSON-serialisable deep copy of the whole state, indexes included.

        ``restore()`` or ``FakeSeam.from_snapshot()`` bring it back.
        """
        with self._lock:
            return snapshots.dump(self._state, self.workspace_id, self.api_key)

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Replace the whole state with a snapshot's; ``workspace_id`` and ``api_key``
        become the snapshot's. Raises ``SnapshotError`` (a ``ValueError``) for data
        that is not a snapshot of this version, and then changes nothing."""
        state, workspace_id, api_key = snapshots.load(snapshot)
        with self._changing():
            self._state = state
            self.workspace_id, self.api_key = workspace_id, api_key

    @classmethod
    def from_snapshot(
        cls,
        snapshot: dict[str, Any],
        *,
        endpoint: str = DEFAULT_ENDPOINT,
        random_seed: int | None = None,
    ) -> FakeSeam:
        """A new fake holding a snapshot's state."""
        fake = cls(endpoint=endpoint, random_seed=random_seed)
        fake.restore(snapshot)
        return fake

    # Helpers --------------------------------------------------------------

    def _workspace(self, workspace_id: str | None) -> Workspace:
        workspace_id = workspace_id or self.workspace_id
        try:
            return self._state.workspaces[workspace_id]
        except KeyError:
            raise KeyError(f"no workspace {workspace_id}") from None

    def _workspace_of_system(self, acs_system_id: str) -> Workspace:
        for ws in self._state.workspaces.values():
            if acs_system_id in ws.acs_systems:
                return ws
        raise KeyError(f"no ACS system {acs_system_id}")

    def _find_acs_user(self, acs_user_id: str) -> tuple[Workspace, AcsUser]:
        for ws in self._state.workspaces.values():
            user = ws.acs_users.get(acs_user_id)
            if user is not None:
                return ws, user
        raise KeyError(f"no ACS user {acs_user_id}")


def _check_api_key_format(key: str) -> None:
    if not key.startswith("seam_") or key.startswith(("seam_at", "seam_cst", "seam_pk")):
        raise ValueError(f"an API key starts with seam_ (and not seam_at, seam_cst or seam_pk), got {key!r}")
