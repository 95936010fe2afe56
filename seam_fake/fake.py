"""``FakeSeam``: the model behind one lock, reached in process by ``patch()`` and by ``handle``.

A facade with no rules of its own: seeding helpers run the ``/_fake/``
controls (the same validation and model functions as over HTTP), requests go
to ``dispatch``, and state lives in one ``World``.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from . import demo
from .api import controls, dispatch, render
from .api.calls import DEFAULT_LIMIT, CallLog
from .api.http import Request, Response, error_response
from .model import acs, issuance, journal
from .model.errors import ApiError
from .model.records import Workspace
from .model.world import World
from .transports import REGISTRY, Origin

DEFAULT_ENDPOINT = "https://connect.getseam.com"


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
        strict: bool = False,
        call_log_limit: int | None = DEFAULT_LIMIT,
        admin_token: str | None = None,
    ) -> None:
        """``api_key`` fixes the default workspace's key (it survives ``reset()``);
        ``strict`` refuses parameters a route does not declare, which Seam ignores;
        ``call_log_limit`` is how many calls ``calls`` keeps (None: all); ``admin_token``
        fixes the token the controls that act on the whole fake take (random otherwise)."""
        self.origin = Origin.parse(endpoint)
        self.endpoint = endpoint.rstrip("/")
        self.strict = strict
        #: Every request the fake answered (but its ``/_fake/`` controls), oldest first.
        self.calls = CallLog(call_log_limit)
        # One request at a time: server mode serves from several threads.
        self._lock = threading.RLock()
        self._world = World(api_key=api_key, random_seed=random_seed, admin_token=admin_token)
        self._persist: dispatch.Persist | None = None

    @classmethod
    def demo(
        cls,
        *,
        endpoint: str = DEFAULT_ENDPOINT,
        api_key: str | None = None,
        random_seed: int | None = None,
        strict: bool = False,
        call_log_limit: int | None = DEFAULT_LIMIT,
        admin_token: str | None = None,
    ) -> FakeSeam:
        """A fake whose default workspace holds realistic demo data.

        A Salto KS site and a Visionline system with a dozen ACS users, five
        user identities (some linked to existing ACS users, one given a new
        ACS user, one linked nowhere), one ACS user with an error and one
        profile mismatch: every kind of object, error and warning at once.
        ``reset()`` empties it like any fake.
        """
        fake = cls(
            endpoint=endpoint,
            api_key=api_key,
            random_seed=random_seed,
            strict=strict,
            call_log_limit=call_log_limit,
            admin_token=admin_token,
        )
        with fake._changing():
            demo.populate(fake._world)
        return fake

    @property
    def workspace_id(self) -> str:
        """The default workspace, which ``api_key`` opens."""
        return self._world.workspace_id

    @property
    def api_key(self) -> str:
        return self._world.api_key

    @property
    def admin_token(self) -> str:
        """Runs the ``/_fake/`` controls that act on the whole fake (reset, snapshot, restore,
        simulate_outage) over HTTP: ``Authorization: Bearer <admin token>``."""
        return self._world.admin_token

    # Set-up ---------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything but the default workspace, emptied, and its API key;
        pending simulated outages and the call log too.

        ``workspace_id`` and ``api_key`` stay the same, so clients already built
        and ``SEAM_API_KEY`` set by the fixture keep working.
        """
        with self._changing():
            self._world.reset()
            self.calls.clear()

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
            ws, key = self._world.add_workspace(name, company_name, is_sandbox, api_key)
            return {**render.workspace(ws), "api_key": key}

    def add_api_key(self, workspace_id: str | None = None, *, key: str | None = None) -> str:
        """An API key for a workspace (the default one if not given); random unless ``key`` is given."""
        with self._changing():
            return self._world.add_api_key(workspace_id, key)

    def add_personal_access_token(self, workspace_ids: list[str] | None = None) -> str:
        """A personal access token (``seam_at...``), sent with a ``seam-workspace`` header.

        It reaches the listed workspaces, or every workspace of this fake,
        present and future, when ``workspace_ids`` is None.
        """
        with self._changing():
            return self._world.add_personal_access_token(workspace_ids)

    def add_acs_system(
        self,
        name: str = "Main Building",
        *,
        workspace_id: str | None = None,
        external_type: str = acs.DEFAULT_EXTERNAL_TYPE,
        time_zone: str | None = acs.DEFAULT_TIME_ZONE,
        connected_account_id: str | None = None,
    ) -> dict[str, Any]:
        """Add an ACS system; returns it as ``/acs/systems/get`` would."""
        values = {
            "name": name,
            "external_type": external_type,
            "time_zone": time_zone,
            "connected_account_id": connected_account_id,
        }
        with self._changing():
            return self._control("add_acs_system", self._world.workspace(workspace_id), values, "acs_system")

    def add_acs_user(
        self,
        acs_system_id: str,
        full_name: str,
        email_address: str | None = None,
        phone_number: str | None = None,
        *,
        is_managed: bool = True,
    ) -> dict[str, Any]:
        """Add an unlinked ACS user to a system, as if it existed in the ACS already.

        Email and phone are validated as the API validates them; returns the
        user as ``/acs/users/get`` would. ``is_managed=False`` adds a user Seam found
        but does not manage: only ``/acs/users/unmanaged/*`` show it, and no identity
        links to it.
        """
        values = {
            "acs_system_id": acs_system_id,
            "full_name": full_name,
            "email_address": email_address,
            "phone_number": phone_number,
            "is_managed": is_managed,
        }
        with self._changing():
            ws, _ = self._world.system_anywhere(acs_system_id)
            return self._control("add_acs_user", ws, values, "acs_user")

    def add_user_identity(
        self,
        *,
        user_identity_key: str | None = None,
        email_address: str | None = None,
        phone_number: str | None = None,
        full_name: str | None = None,
        acs_system_ids: Sequence[str] = (),
        workspace_id: str | None = None,
        is_managed: bool = True,
    ) -> dict[str, Any]:
        """Add a user identity with the validation, uniqueness and linking of
        ``/user_identities/create``; returns it as ``/user_identities/get`` would.

        It runs that route in process, so it raises what the route would answer:
        ``InvalidInput`` or ``ApiError`` (both ``ValueError``), ``NotFound`` (a ``KeyError``),
        and changes nothing then. ``is_managed=False`` adds an identity Seam does not
        manage (no key, no ACS systems): only ``/user_identities/unmanaged/*`` show it,
        until ``/user_identities/unmanaged/update`` makes it managed.
        """
        if not is_managed:
            if user_identity_key is not None or acs_system_ids:
                raise ValueError("an unmanaged user identity has no user_identity_key and no acs_system_ids")
            profile = {"email_address": email_address, "phone_number": phone_number, "full_name": full_name}
            with self._changing():
                ws = self._world.workspace(workspace_id)
                return self._control("add_unmanaged_user_identity", ws, profile, "user_identity")
        values = {
            "user_identity_key": user_identity_key,
            "email_address": email_address,
            "phone_number": phone_number,
            "full_name": full_name,
            "acs_system_ids": list(acs_system_ids),
        }
        with self._changing():
            ws = self._world.workspace(workspace_id)
            return self._call("/user_identities/create", ws, values, "user_identity")

    def add_phone(
        self,
        user_identity_id: str,
        *,
        custom_sdk_installation_id: str | None = None,
        phone_metadata: dict[str, str] | None = None,
        assa_abloy_metadata: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Give a user identity a phone, as ``/phones/simulate/create_sandbox_phone`` does: its
        mobile keys are issued to it. Returns the phone as ``/phones/get`` would."""
        values: dict[str, Any] = {"user_identity_id": user_identity_id}
        if custom_sdk_installation_id is not None:
            values["custom_sdk_installation_id"] = custom_sdk_installation_id
        for name, value in (("phone_metadata", phone_metadata), ("assa_abloy_metadata", assa_abloy_metadata)):
            if value is not None:
                values[name] = value
        with self._changing():
            ws, _ = self._world.identity_anywhere(user_identity_id)
            return self._call("/phones/simulate/create_sandbox_phone", ws, values, "phone")

    def add_acs_credential(
        self, access_method: str, *, is_managed: bool = True, **values: Any
    ) -> dict[str, Any]:
        """Add a credential with the checks, linking and issuance of ``/acs/credentials/create``
        (the same keyword arguments: ``acs_user_id``, or ``user_identity_id`` with
        ``acs_system_id``; ``code``, ``is_multi_phone_sync_credential``,
        ``allowed_acs_entrance_ids``...). Returns it as ``/acs/credentials/get`` would.

        ``is_managed=False`` adds a credential Seam found on the system but does not
        manage, of ``acs_user_id`` (managed or not), with an optional ``code``: only
        ``/acs/credentials/unmanaged/*`` show it."""
        named = values.get("acs_user_id") or values.get("user_identity_id")
        if not is_managed:
            unknown = set(values) - {"acs_user_id", "code"}
            if unknown:
                raise ValueError(
                    f"an unmanaged credential takes acs_user_id and code only, not {sorted(unknown)}"
                )
            with self._changing():
                ws = self._workspace_holding(named)
                unmanaged = {"access_method": access_method, **values}
                return self._control("add_unmanaged_acs_credential", ws, unmanaged, "acs_credential")
        with self._changing():
            ws = self._workspace_holding(named)
            values = {"access_method": access_method, **values}
            return self._call("/acs/credentials/create", ws, values, "acs_credential")

    def add_client_session(
        self,
        *,
        user_identity_id: str | None = None,
        user_identifier_key: str | None = None,
        expires_at: str | None = None,
        workspace_id: str | None = None,
    ) -> dict[str, Any]:
        """A client session (its ``token`` authenticates as the identity), as
        ``/client_sessions/create`` makes one."""
        values = {
            name: value
            for name, value in (
                ("user_identity_id", user_identity_id),
                ("user_identifier_key", user_identifier_key),
                ("expires_at", expires_at),
            )
            if value is not None
        }
        with self._changing():
            if workspace_id is None and user_identity_id is not None:
                ws, _ = self._world.identity_anywhere(user_identity_id)
            else:
                ws = self._world.workspace(workspace_id)
            return self._call("/client_sessions/create", ws, values, "client_session")

    def add_acs_entrance(
        self, acs_system_id: str, display_name: str, *, can_unlock_with: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """Add an entrance (a door, a gate) to an ACS system, as Seam finds one when it syncs
        the system (``acs_entrance.added``). ``can_unlock_with`` narrows the access methods
        that open it (default: every one its system takes). Returns it as
        ``/acs/entrances/get`` would."""
        values: dict[str, Any] = {"acs_system_id": acs_system_id, "display_name": display_name}
        if can_unlock_with is not None:
            values["can_unlock_with"] = list(can_unlock_with)
        with self._changing():
            ws, _ = self._world.system_anywhere(acs_system_id)
            return self._control("add_acs_entrance", ws, values, "acs_entrance")

    def add_acs_access_group(
        self,
        acs_system_id: str,
        name: str,
        *,
        acs_entrance_ids: Sequence[str] = (),
        access_schedule: dict[str, str | None] | None = None,
        is_managed: bool = True,
    ) -> dict[str, Any]:
        """Add an access group, holding entrances of its system, to a system that gives
        access through groups (Salto KS, Salto Space, PTI, Brivo...). ``access_schedule``
        (``starts_at``, ``ends_at``) bounds when it gives access. Returns it as
        ``/acs/access_groups/get`` would."""
        values: dict[str, Any] = {
            "acs_system_id": acs_system_id,
            "name": name,
            "acs_entrance_ids": list(acs_entrance_ids),
            "access_schedule": access_schedule,
            "is_managed": is_managed,
        }
        with self._changing():
            ws, _ = self._world.system_anywhere(acs_system_id)
            return self._control("add_acs_access_group", ws, values, "acs_access_group")

    @property
    def events(self) -> list[dict[str, Any]]:
        """The default workspace's events, oldest first, as ``/events/list`` shows them."""
        with self._lock:
            return [render.event(event) for event in self._world.workspace(None).events.values()]

    # Simulation -----------------------------------------------------------

    def set_credential_issuance(self, mode: str, *, workspace_id: str | None = None) -> None:
        """``"manual"``: credentials wait to be issued until ``issue_credential()`` (or fail
        with ``fail_credential_issuance()``); ``"automatic"`` (the default): they are issued as
        Seam issues them, and what was waiting is issued now."""
        with self._changing():
            self._control_answer(
                "set_credential_issuance", self._world.workspace(workspace_id), {"mode": mode}
            )

    def issue_credential(self, acs_credential_id: str) -> dict[str, Any]:
        """Complete a credential's issuance now: a mobile key to each phone of its identity, a
        card as if encoded. Returns the credential."""
        with self._changing():
            ws, _ = self._world.credential_anywhere(acs_credential_id)
            values = {"acs_credential_id": acs_credential_id}
            return self._control("issue_credential", ws, values, "acs_credential")

    def fail_credential_issuance(
        self,
        acs_credential_id: str,
        error_code: str = issuance.DEFAULT_ISSUE_ERROR,
        message: str = issuance.DEFAULT_ISSUE_ERROR_MESSAGE,
    ) -> dict[str, Any]:
        """The credential stops waiting to be issued and shows an error."""
        values = {"acs_credential_id": acs_credential_id, "error_code": error_code, "message": message}
        with self._changing():
            ws, _ = self._world.credential_anywhere(acs_credential_id)
            return self._control("fail_credential_issuance", ws, values, "acs_credential")

    def simulate_acs_user_error(
        self,
        acs_user_id: str,
        error_code: str = acs.DEFAULT_ACS_USER_ERROR,
        message: str = acs.DEFAULT_ACS_USER_ERROR_MESSAGE,
    ) -> dict[str, Any]:
        """Give an ACS user an error; a linked identity then shows ``issue_with_acs_user``."""
        values = {"acs_user_id": acs_user_id, "error_code": error_code, "message": message}
        with self._changing():
            ws, _ = self._world.acs_user_anywhere(acs_user_id)
            return self._control("simulate_acs_user_error", ws, values, "acs_user")

    def simulate_acs_user_warning(
        self, acs_user_id: str, warning_code: str, message: str = acs.DEFAULT_ACS_USER_WARNING_MESSAGE
    ) -> dict[str, Any]:
        """Give an ACS user one of the ``acs_user`` schema's warnings (``latch_resident_user``,
        ``unknown_issue_with_acs_user``...); returns the user."""
        values = {"acs_user_id": acs_user_id, "warning_code": warning_code, "message": message}
        with self._changing():
            ws, _ = self._world.acs_user_anywhere(acs_user_id)
            return self._control("simulate_acs_user_warning", ws, values, "acs_user")

    def set_action_attempt_outcome(
        self,
        status: str,
        *,
        error_type: str | None = None,
        error_message: str | None = None,
        workspace_id: str | None = None,
    ) -> None:
        """How the next unlocks end: ``"success"`` (the default), ``"error"`` (with this
        type and message) or ``"pending"`` (until ``update_action_attempt``). An unlock
        with a credential that does not open the entrance fails whatever this says."""
        values = {"status": status, "error_type": error_type, "error_message": error_message}
        with self._changing():
            ws = self._world.workspace(workspace_id)
            self._control_answer(
                "set_action_attempt_outcome", ws, {k: v for k, v in values.items() if v is not None}
            )

    def update_action_attempt(
        self, action_attempt_id: str, status: str, *, error: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Settle a pending action attempt (or reopen one): ``status`` ``"success"`` or
        ``"error"`` (with ``error={"type": ..., "message": ...}``), as the official fake's
        ``/_fake/update_action_attempt``. Returns the attempt."""
        values: dict[str, Any] = {"action_attempt_id": action_attempt_id, "status": status, "error": error}
        with self._changing():
            ws = next(
                (w for w in self._world.state.workspaces.values() if action_attempt_id in w.action_attempts),
                self._world.workspace(None),
            )
            return self._control("update_action_attempt", ws, values, "action_attempt")

    def simulate_user_identity_being_deleted(self, user_identity_id: str) -> dict[str, Any]:
        """Mark an identity as being deleted; it then shows the ``being_deleted`` warning."""
        with self._changing():
            ws, _ = self._world.identity_anywhere(user_identity_id)
            values = {"user_identity_id": user_identity_id}
            return self._control("simulate_user_identity_being_deleted", ws, values, "user_identity")

    def simulate_outage(
        self,
        route: str,
        status: int = controls.DEFAULT_OUTAGE_STATUS,
        *,
        times: int = controls.DEFAULT_OUTAGE_TIMES,
        retry_after: int = controls.DEFAULT_RETRY_AFTER,
    ) -> None:
        """Make the next ``times`` calls to ``route`` fail with ``status`` (503 or 429).

        Calls fail whatever their method or credentials, as in a real outage, with
        Seam's error envelope and a ``Retry-After`` header of ``retry_after``
        seconds. The SDK retries idempotent methods on both statuses, so its
        retries use up the failures: a test can see them happen.
        """
        values = {"route": route, "status": status, "times": times, "retry_after": retry_after}
        with self._lock:
            # An outage is pending, not state: it changes no snapshot.
            controls.run(
                self._world, controls.PREFIX + "simulate_outage", self._world.workspace(None), values
            )

    def _control(self, name: str, workspace: Workspace, values: dict[str, Any], key: str) -> dict[str, Any]:
        """Run the ``/_fake/<name>`` control for ``workspace``; the resource it returns under ``key``."""
        resource: dict[str, Any] = self._control_answer(name, workspace, values)[key]
        return resource

    def _call(self, path: str, workspace: Workspace, values: dict[str, Any], key: str) -> dict[str, Any]:
        """Run the Seam route ``path`` in process for ``workspace``; the resource under ``key``."""
        resource: dict[str, Any] = dispatch.call(self._world, workspace, path, values)[key]
        return resource

    def _control_answer(self, name: str, workspace: Workspace, values: dict[str, Any]) -> dict[str, Any]:
        return controls.run(self._world, controls.PREFIX + name, workspace, values)

    def _workspace_holding(self, object_id: str | None) -> Workspace:
        """The workspace of an ACS user or user identity named by id (the default one for None)."""
        if object_id is not None:
            for ws in self._world.state.workspaces.values():
                if (
                    object_id in ws.acs_users
                    or object_id in ws.user_identities
                    or object_id in ws.unmanaged_acs_users
                ):
                    return ws
        return self._world.workspace(None)

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the lock for a change of state: applied, persisted, then counted, or,
        if any of it raises, undone whole."""
        with self._lock, journal.transaction():
            yield
            if self._persist is not None:
                self._persist()
            self._world.generation += 1

    def persist_with(self, save: dispatch.Persist | None) -> None:
        """Call ``save()`` after every change (a request or a set-up call) and before it
        is acknowledged; if it raises, the change is undone and the error answered
        (``ApiError`` as itself, anything else as a 500). Server mode saves its state
        file this way. None stops it."""
        with self._lock:
            self._persist = save

    @property
    def world(self) -> World:
        """The model behind this facade: everything the fake knows. For server mode's state
        file, which records what each change touched; tests reach state through the API
        and the helpers here, which keep its rules."""
        return self._world

    @property
    def lock(self) -> threading.RLock:
        """The lock every request and set-up call holds; hold it to do several atomically."""
        return self._lock

    @property
    def generation(self) -> int:
        """A number that grows with every change of state (a write, a set-up call, a reset)."""
        return self._world.generation

    # Requests -------------------------------------------------------------

    def handle(self, request: Request, base_url: str | None = None) -> Response:
        """Answer one request, as Seam would, atomically with respect to other threads.

        ``base_url`` (default: ``endpoint``) is where the client reached the fake,
        for URLs in responses such as ``pagination.next_page_url``.
        """
        with self._lock:
            return dispatch.dispatch(
                self._world,
                request,
                base_url or self.endpoint,
                log=self.calls,
                strict=self.strict,
                persist=self._persist,
            )

    def refusal(self, request: Request, base_url: str | None = None) -> Response | None:
        """The answer to a request that is refused whatever its body would hold (an
        unknown route or control, a method it does not take, credentials it does not
        accept), or None. Server mode asks before it lets a client that sent
        ``Expect: 100-continue`` send its body."""
        with self._lock:
            if dispatch.refused_before_body(self._world, request) is None:
                return None
            # Answered (and logged) as the request itself is: routing and credentials come
            # before the body is read, so the body it has not sent changes nothing.
            return self.handle(dataclasses.replace(request, body=b""), base_url)

    def reject(self, error: ApiError) -> Response:
        """The error response for a request refused before it reached ``handle``."""
        with self._lock:
            return error_response(self._world.ids.uuid(), error)

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
            return self._world.snapshot()

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Replace the whole state with a snapshot's; ``workspace_id`` and ``api_key``
        become the snapshot's. Raises ``SnapshotError`` (a ``ValueError``) for data
        that is not a snapshot of this version, and then changes nothing."""
        with self._changing():
            self._world.restore(snapshot)

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
