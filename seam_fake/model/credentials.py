"""Credentials: codes, cards, mobile keys and cloud keys of ACS users.

Which access methods a system accepts, whether it makes its own PIN codes and
which credential managers it works with are facts of its kind
(``acs_types``). Every check of a write runs before its first change. When a
credential becomes issued is ``issuance``'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import access, derive, events, identities, issuance
from .acs import check_schedule
from .acs_types import ACCESS_METHODS, ACS_TYPES, AcsType
from .cascades import delete_credential
from .errors import NotFound, invalid, quote
from .ids import Ids
from .journal import change
from .lookups import find_acs_system, find_acs_user, find_identity
from .records import AcsCredential, AcsSystem, AcsUser, UserIdentity, Workspace

_PIN = re.compile(r"[0-9]{4,9}")


def kind_of(ws: Workspace, system: AcsSystem) -> AcsType:
    return ACS_TYPES[system.external_type]


# Credential managers ----------------------------------------------------------------


def compatible_credential_managers(ws: Workspace, system: AcsSystem) -> list[AcsSystem]:
    """The workspace's credential manager systems of a kind this system works with, oldest first."""
    wanted = kind_of(ws, system).credential_managers
    return [s for s in ws.acs_systems.values() if s.external_type in wanted]


def default_credential_manager(ws: Workspace, system: AcsSystem) -> AcsSystem | None:
    compatible = compatible_credential_managers(ws, system)
    return compatible[0] if compatible else None


# Who a credential is for --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Holder:
    """The ACS user a credential goes to, or the identity and system that will get one."""

    system: AcsSystem
    user: AcsUser | None
    identity: UserIdentity | None = None

    def ensure(self, ws: Workspace, ids: Ids, now: str) -> AcsUser:
        """The ACS user, linked or created for the identity if need be (the only write)."""
        if self.identity is None:
            assert self.user is not None
            return self.user
        return identities.ensure_acs_user(ws, ids, now, self.identity, self.system, self.user)


def holder(
    ws: Workspace, *, acs_user_id: str | None, user_identity_id: str | None, acs_system_id: str | None
) -> Holder:
    """Whom a credential is for: ``acs_user_id``, or ``user_identity_id`` with the
    ``acs_system_id`` its ACS user is on (optional when the identity has exactly one ACS
    user, as Seam's mobile-key quick start creates one). An identity with no ACS user on
    the system is linked to a matching one or given a new one, as the reference says."""
    if acs_user_id is not None and user_identity_id is not None:
        raise invalid("acs_user_id", "Provide `acs_user_id` or `user_identity_id`, not both.")
    if acs_user_id is not None:
        user = find_acs_user(ws, acs_user_id)
        if acs_system_id is not None and acs_system_id != user.acs_system_id:
            raise invalid(
                "acs_system_id",
                f"ACS user {acs_user_id} is on ACS system {user.acs_system_id}, not {acs_system_id}.",
            )
        return Holder(ws.acs_systems[user.acs_system_id], user)
    if user_identity_id is None:
        raise invalid("acs_user_id", "Provide `acs_user_id`, or `user_identity_id` with `acs_system_id`.")
    identity = find_identity(ws, user_identity_id=user_identity_id)
    if acs_system_id is None:
        linked = list(identity.acs_user_ids)
        if len(linked) != 1:
            where = "no ACS user" if not linked else "ACS users on several ACS systems"
            raise invalid(
                "acs_system_id",
                f"User identity {user_identity_id} has {where}: name the ACS system with `acs_system_id`.",
            )
        user = ws.acs_users[linked[0]]
        return Holder(ws.acs_systems[user.acs_system_id], user, identity)
    system = find_acs_system(ws, acs_system_id)
    return Holder(system, identities.planned_acs_user(ws, identity, system), identity)


# Checks -------------------------------------------------------------------------------


def check_access_method(system: AcsSystem, access_method: str) -> None:
    kind = ACS_TYPES[system.external_type]
    if access_method not in kind.access_methods:
        accepted = ", ".join(m for m in ACCESS_METHODS if m in kind.access_methods) or "none"
        raise invalid(
            "access_method",
            f"{kind.display_name} systems do not take {access_method} credentials (they take: {accepted}).",
        )


def check_code(system: AcsSystem, access_method: str, code: str | None) -> None:
    if code is None:
        return
    kind = ACS_TYPES[system.external_type]
    if access_method != "code":
        raise invalid(
            "code", f"A {access_method} credential has no code; send `code` only with access_method code."
        )
    if kind.generates_codes:
        raise invalid("code", f"{kind.display_name} makes its own PIN codes: leave `code` out.")
    if not _PIN.fullmatch(code):
        raise invalid("code", f"Expected a PIN of 4 to 9 digits, received {quote(code)}.")


def check_credential_manager(
    ws: Workspace, system: AcsSystem, access_method: str, credential_manager_acs_system_id: str | None
) -> AcsSystem | None:
    """The credential manager a mobile key of this system is issued through, if its kind uses one."""
    kind = kind_of(ws, system)
    if credential_manager_acs_system_id is not None:
        if access_method != "mobile_key":
            raise invalid(
                "credential_manager_acs_system_id",
                "Only a mobile_key credential goes through a credential manager.",
            )
        named = find_acs_system(ws, credential_manager_acs_system_id)
        if named.external_type not in kind.credential_managers:
            raise invalid(
                "credential_manager_acs_system_id",
                f"ACS system {named.acs_system_id} ({ACS_TYPES[named.external_type].display_name}) is "
                f"not a credential manager {kind.display_name} works with; see "
                "/acs/systems/list_compatible_credential_manager_acs_systems.",
            )
        return named
    if access_method != "mobile_key" or not kind.credential_managers:
        return None
    manager = default_credential_manager(ws, system)
    if manager is None:
        names = " or ".join(ACS_TYPES[t].display_name for t in kind.credential_managers)
        raise invalid(
            "credential_manager_acs_system_id",
            f"{kind.display_name} issues mobile keys through a credential manager ({names}), and this "
            "workspace has none: connect one, then create the mobile key.",
        )
    return manager


# Create, assign, update -----------------------------------------------------------------


def create(
    ws: Workspace,
    ids: Ids,
    now: str,
    *,
    access_method: str,
    acs_user_id: str | None = None,
    user_identity_id: str | None = None,
    acs_system_id: str | None = None,
    code: str | None = None,
    is_multi_phone_sync_credential: bool = False,
    credential_manager_acs_system_id: str | None = None,
    starts_at: str | None = None,
    ends_at: str | None = None,
    allowed_acs_entrance_ids: list[str] | None = None,
) -> AcsCredential:
    """``/acs/credentials/create``: every check first, then the writes."""
    who = holder(ws, acs_user_id=acs_user_id, user_identity_id=user_identity_id, acs_system_id=acs_system_id)
    check_access_method(who.system, access_method)
    check_code(who.system, access_method, code)
    if access_method == "mobile_key" and not is_multi_phone_sync_credential:
        raise invalid(
            "is_multi_phone_sync_credential",
            "A mobile key must be a multi-phone sync credential (Seam's mobile-access guide): send true.",
        )
    if is_multi_phone_sync_credential and access_method != "mobile_key":
        raise invalid("is_multi_phone_sync_credential", "Only a mobile_key credential syncs to phones.")
    manager = check_credential_manager(ws, who.system, access_method, credential_manager_acs_system_id)
    check_schedule("ends_at", starts_at, ends_at, now)
    entrances = access.check_entrances_of(
        ws, who.system, allowed_acs_entrance_ids or (), "allowed_acs_entrance_ids"
    )
    _check_one_per_method(ws, who, access_method, "access_method")
    user = who.ensure(ws, ids, now)
    # Seam's warning schedule_modified: "modified to avoid creating a credential with a
    # start date in the past".
    moved_start = starts_at is not None and starts_at < now
    credential = AcsCredential(
        acs_credential_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        acs_system_id=who.system.acs_system_id,
        acs_user_id=user.acs_user_id,
        access_method=access_method,
        created_at=now,
        code=code if code is not None or access_method != "code" else _generated_code(ids),
        is_multi_phone_sync_credential=is_multi_phone_sync_credential,
        credential_manager_acs_system_id=manager.acs_system_id if manager is not None else None,
        starts_at=now if moved_start else starts_at,
        ends_at=ends_at,
        waiting_since=now,
        schedule_modified_at=now if moved_start else None,
        allowed_acs_entrance_ids=[e.acs_entrance_id for e in entrances],
    )
    ws.add_credential(credential)
    issuance.settle(ws, ids, now, credential)
    return credential


def _generated_code(ids: Ids) -> str:
    """A six-digit PIN, as an ACS that makes its own codes would give (drawn from ``ids``,
    so a seeded fake repeats it)."""
    return str(int(ids.uuid().replace("-", "")[:12], 16) % 1_000_000).zfill(6)


def assign(
    ws: Workspace,
    ids: Ids,
    now: str,
    credential: AcsCredential,
    *,
    acs_user_id: str | None = None,
    user_identity_id: str | None = None,
) -> None:
    """Give a credential to an ACS user of its system (or to an identity's, linked or
    created as on create); its per-phone children go, and it is issued anew."""
    _check_not_child(credential)
    # An identity's ACS user is the one on the credential's system; an ACS user must be on it.
    system_id = credential.acs_system_id if acs_user_id is None else None
    who = holder(ws, acs_user_id=acs_user_id, user_identity_id=user_identity_id, acs_system_id=system_id)
    if who.system.acs_system_id != credential.acs_system_id:
        raise invalid(
            "acs_user_id",
            f"ACS user {acs_user_id} is on ACS system {who.system.acs_system_id}, and the credential "
            f"on {credential.acs_system_id}.",
        )
    if who.user is None or who.user.acs_user_id != credential.acs_user_id:
        _check_one_per_method(
            ws, who, credential.access_method, "acs_user_id" if acs_user_id else "user_identity_id"
        )
    user = who.ensure(ws, ids, now)
    if user.acs_user_id == credential.acs_user_id:
        return
    _rehome(ws, ids, now, credential, user.acs_user_id)
    issuance.settle(ws, ids, now, credential)


def unassign(
    ws: Workspace,
    ids: Ids,
    now: str,
    credential: AcsCredential,
    *,
    acs_user_id: str | None = None,
    user_identity_id: str | None = None,
) -> None:
    """Take a credential from the ACS user (or identity) it is assigned to."""
    _check_not_child(credential)
    if acs_user_id is not None and user_identity_id is not None:
        raise invalid("acs_user_id", "Provide `acs_user_id` or `user_identity_id`, not both.")
    holder_user = ws.acs_users.get(credential.acs_user_id or "")
    if acs_user_id is not None:
        find_acs_user(ws, acs_user_id)
        named_matches = acs_user_id == credential.acs_user_id
    elif user_identity_id is not None:
        find_identity(ws, user_identity_id=user_identity_id)
        named_matches = holder_user is not None and holder_user.user_identity_id == user_identity_id
    else:
        raise invalid("acs_user_id", "Provide `acs_user_id` or `user_identity_id`.")
    if not named_matches:
        param, named = ("acs_user_id", acs_user_id) if acs_user_id else ("user_identity_id", user_identity_id)
        raise invalid(param, f"Credential {credential.acs_credential_id} is not assigned to {named}.")
    _rehome(ws, ids, now, credential, None)


def _check_one_per_method(ws: Workspace, who: Holder, access_method: str, param: str) -> None:
    """Salto Space: "a maximum of one key card credential and one mobile key credential"
    per ACS user (its brand guide)."""
    kind = kind_of(ws, who.system)
    if not kind.one_per_method or who.user is None:
        return
    held = [c for c in ws.credentials_of_user(who.user.acs_user_id) if c.parent_acs_credential_id is None]
    if any(c.access_method == access_method for c in held):
        raise invalid(
            param,
            f"{kind.display_name} allows one {access_method} credential per ACS user, and ACS user "
            f"{who.user.acs_user_id} has one: delete it first.",
        )


def _check_not_child(credential: AcsCredential) -> None:
    issuance.check_not_child(credential)


def _rehome(ws: Workspace, ids: Ids, now: str, credential: AcsCredential, acs_user_id: str | None) -> None:
    for child in ws.children_of(credential):
        delete_credential(ws, ids, now, child)
    ws.set_credential_user(credential, acs_user_id)
    if credential.access_method == "mobile_key":
        change(credential, "issued_at", None)
        change(credential, "waiting_since", now)


def update(
    ws: Workspace, ids: Ids, now: str, credential: AcsCredential, *, code: str | None, ends_at: str | None
) -> None:
    """Change a credential's code or end; an issued mobile key is reissued to its phones,
    an issued card must be encoded again (warning ``needs_to_be_reissued``)."""
    _check_not_child(credential)
    system = ws.acs_systems[credential.acs_system_id]
    if code is not None:
        check_code(system, credential.access_method, code)
    check_schedule("ends_at", credential.starts_at, ends_at, now)
    changed = (code is not None and code != credential.code) or (
        ends_at is not None and ends_at != credential.ends_at
    )
    if code is not None:
        change(credential, "code", code)
    if ends_at is not None:
        change(credential, "ends_at", ends_at)
        for child in ws.children_of(credential):
            change(child, "ends_at", ends_at)
    if not changed or not credential.is_issued:
        return
    if credential.access_method == "mobile_key":
        for issued in (*ws.children_of(credential), credential):
            events.credential_event(ws, ids, now, "acs_credential.reissued", issued)
    elif credential.access_method == "card":
        change(credential, "needs_reissue_since", credential.needs_reissue_since or now)


def new_unmanaged_credential(
    ws: Workspace, ids: Ids, now: str, acs_user_id: str, access_method: str, code: str | None
) -> AcsCredential:
    """A credential found on a system that Seam does not manage, of a (managed or
    unmanaged) ACS user; a code is a PIN, and only a code has one."""
    user = ws.acs_users.get(acs_user_id) or ws.unmanaged_acs_users.get(acs_user_id)
    if user is None:
        raise NotFound("acs_user_not_found", f"No ACS user with acs_user_id {acs_user_id} in this workspace.")
    if code is not None and access_method != "code":
        raise invalid(
            "code", f"A {access_method} credential has no code; send `code` only with access_method code."
        )
    if code is not None and not _PIN.fullmatch(code):
        raise invalid("code", f"Expected a PIN of 4 to 9 digits, received {quote(code)}.")
    credential = AcsCredential(
        acs_credential_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        acs_system_id=user.acs_system_id,
        acs_user_id=user.acs_user_id,
        access_method=access_method,
        created_at=now,
        code=code,
        issued_at=now,
    )
    ws.add_unmanaged_credential(credential)
    return credential


# Reads -----------------------------------------------------------------------------------


def search_texts(ws: Workspace, credential: AcsCredential) -> tuple[str | None, ...]:
    """What ``search`` on ``/acs/credentials/list`` looks in, as the reference lists it:
    display name, code, card number (none is simulated), ACS user id and credential id."""
    return (
        derive.credential_display_name(ws, credential),
        credential.code,
        credential.acs_user_id,
        credential.acs_credential_id,
    )
