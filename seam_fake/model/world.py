"""The whole of one fake: its records, the credentials that reach them, where ids come
from, and the simulated outages still to be served.

``World`` is what every layer above works on: the API layer answers requests
against it, the ``/_fake/`` controls and ``FakeSeam``'s seeding helpers change
it, snapshots save and bring it back. It holds no lock: ``FakeSeam`` does.
"""

from __future__ import annotations

import secrets
from typing import Any

from . import snapshots
from .errors import NotFound
from .ids import ADMIN_TOKEN_PREFIX, Ids, check_admin_token, check_api_key_format, now_iso
from .journal import change, put
from .records import AcsCredential, AcsSystem, AcsUser, State, UserIdentity, Workspace

__all__ = ["Ids", "World", "check_api_key_format", "now_iso"]


class World:
    """Everything one fake knows, with its default workspace and that workspace's API key.

    ``api_key`` fixes the default workspace's key (it survives ``reset()``);
    ``random_seed`` makes every id and token reproducible.
    """

    def __init__(
        self, *, api_key: str | None = None, random_seed: int | None = None, admin_token: str | None = None
    ) -> None:
        if api_key is not None:
            check_api_key_format(api_key)
        if admin_token is not None:
            check_admin_token(admin_token, api_key)
        # Runs the /_fake/ controls that act on the whole fake. Never seeded (it guards, it
        # is not state), never in a snapshot, kept by reset().
        self.admin_token = admin_token or ADMIN_TOKEN_PREFIX + secrets.token_urlsafe(24)
        self._fixed_api_key = api_key
        self._random_seed = random_seed
        # Grows with every change of state; server mode persists when it moves.
        self.generation = 0
        self.ids = Ids(random_seed)
        self.state = State()
        # Route path -> simulated faults still to serve, in order: (status, retry_after).
        self.outages: dict[str, list[tuple[int, int]]] = {}
        self.workspace_id = ""
        self.api_key = ""
        self._start()

    def _start(self) -> None:
        """Empty state with the default workspace.

        A new world and a reset one draw the same ids here, so with a seed the
        ids that follow are the same after ``reset()`` as after construction.
        """
        # New objects replace the old ones whole, so undoing a reset is putting them back.
        change(self, "ids", Ids(self._random_seed))
        change(self, "state", State(cursor_secret=self.ids.token("")))
        drawn_id = self.ids.uuid()
        drawn_key = self._fixed_api_key or self._new_api_key(True)
        # On reset the default workspace keeps its id and key (equal to the drawn
        # ones when seeded, so clients built earlier stay valid either way).
        change(self, "workspace_id", self.workspace_id or drawn_id)
        change(self, "api_key", self.api_key or drawn_key)
        self._insert_workspace(self.workspace_id, "Sandbox Workspace", "Acme", True)
        put(self.state.api_keys, self.api_key, self.workspace_id)

    def reset(self) -> None:
        """Forget everything but the default workspace, emptied, and its API key;
        pending simulated outages too."""
        self._start()
        change(self, "outages", {})

    # Workspaces and credentials ----------------------------------------------

    def add_workspace(
        self, name: str, company_name: str, is_sandbox: bool, api_key: str | None
    ) -> tuple[Workspace, str]:
        """A new workspace and its API key (random unless ``api_key`` is given)."""
        if api_key is not None:
            self._check_new_api_key(api_key)
        ws = self._insert_workspace(self.ids.uuid(), name, company_name, is_sandbox)
        key = api_key or self._new_api_key(is_sandbox)
        put(self.state.api_keys, key, ws.workspace_id)
        return ws, key

    def _insert_workspace(
        self, workspace_id: str, name: str, company_name: str, is_sandbox: bool
    ) -> Workspace:
        if workspace_id in self.state.workspaces:
            # A seeded id source replays after a restore; never overwrite a workspace.
            raise ValueError(f"workspace {workspace_id} already exists")
        ws = Workspace(workspace_id, name, company_name, is_sandbox, created_at=now_iso())
        put(self.state.workspaces, workspace_id, ws)
        return ws

    def add_api_key(self, workspace_id: str | None, key: str | None) -> str:
        """An API key for a workspace (the default one if None); random unless ``key`` is given."""
        ws = self.workspace(workspace_id)
        if key is not None:
            self._check_new_api_key(key)
        key = key or self._new_api_key(ws.is_sandbox)
        put(self.state.api_keys, key, ws.workspace_id)
        return key

    def _new_api_key(self, is_sandbox: bool) -> str:
        # A fixed infix keeps a random key from starting like another kind of token.
        return self.ids.token("seam_test" if is_sandbox else "seam_live")

    def _check_new_api_key(self, key: str) -> None:
        check_api_key_format(key)
        if key in self.state.api_keys:
            raise ValueError("this API key is already in use")

    def add_personal_access_token(self, workspace_ids: list[str] | None) -> str:
        """A personal access token reaching the listed workspaces, or every one (None)."""
        allowed = None
        if workspace_ids is not None:
            allowed = frozenset(self.workspace(w).workspace_id for w in workspace_ids)
        token = self.ids.token("seam_at")
        put(self.state.personal_access_tokens, token, allowed)
        return token

    # Finding things in any workspace (the Python helpers are not scoped to one) ----

    def workspace(self, workspace_id: str | None) -> Workspace:
        """A workspace by id, the default one for None; ``KeyError`` if there is none."""
        workspace_id = workspace_id or self.workspace_id
        try:
            return self.state.workspaces[workspace_id]
        except KeyError:
            raise KeyError(f"no workspace {workspace_id}") from None

    def system_anywhere(self, acs_system_id: str) -> tuple[Workspace, AcsSystem]:
        for ws in self.state.workspaces.values():
            system = ws.acs_systems.get(acs_system_id)
            if system is not None:
                return ws, system
        raise NotFound("acs_system_not_found", f"No ACS system with acs_system_id {acs_system_id}.")

    def acs_user_anywhere(self, acs_user_id: str) -> tuple[Workspace, AcsUser]:
        for ws in self.state.workspaces.values():
            user = ws.acs_users.get(acs_user_id)
            if user is not None:
                return ws, user
        raise NotFound("acs_user_not_found", f"No ACS user with acs_user_id {acs_user_id}.")

    def identity_anywhere(self, user_identity_id: str) -> tuple[Workspace, UserIdentity]:
        for ws in self.state.workspaces.values():
            identity = ws.user_identities.get(user_identity_id)
            if identity is not None:
                return ws, identity
        raise NotFound(
            "user_identity_not_found", f"No user identity with user_identity_id {user_identity_id}."
        )

    def credential_anywhere(self, acs_credential_id: str) -> tuple[Workspace, AcsCredential]:
        for ws in self.state.workspaces.values():
            credential = ws.acs_credentials.get(acs_credential_id)
            if credential is not None:
                return ws, credential
        raise NotFound(
            "acs_credential_not_found", f"No credential with acs_credential_id {acs_credential_id}."
        )

    # Snapshots ---------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """A JSON-serialisable deep copy of the whole state, indexes included."""
        return snapshots.dump(self.state, self.workspace_id, self.api_key)

    def restore(self, snapshot: object) -> None:
        """Replace the whole state with a snapshot's; the default workspace and key
        become the snapshot's. Raises ``SnapshotError`` and changes nothing for data
        that is not a snapshot of this version."""
        state, workspace_id, api_key = snapshots.load(snapshot)
        change(self, "state", state)
        change(self, "workspace_id", workspace_id)
        change(self, "api_key", api_key)
