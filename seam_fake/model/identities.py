"""User identities: Seam's rules for the people of a customer's app.

Key, email and phone are each unique in a workspace (emails compared
case-insensitively). On create, an identity is linked on each named ACS
system to the ACS user that shares its email or phone, or to a new ACS user
made from its profile. Every check runs before the first write, so a refused
change leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from . import acs, derive, events, issuance
from .errors import ApiError, invalid, quote
from .ids import Ids
from .journal import change
from .lookups import find_acs_system, find_identity
from .records import AcsSystem, AcsUser, UserIdentity, Workspace

UNIQUE_FIELDS = ("user_identity_key", "email_address", "phone_number")
PROFILE_FIELDS = ("email_address", "phone_number", "full_name")
# What ``update`` may change.
FIELDS = (*UNIQUE_FIELDS, "full_name")


class Profile(TypedDict):
    """A new identity's key, email, phone and full name."""

    user_identity_key: str | None
    email_address: str | None
    phone_number: str | None
    full_name: str | None


def ensure_unique(ws: Workspace, values: Mapping[str, Any], self_id: str | None = None) -> None:
    """Refuse a key, email or phone that another identity of the workspace holds.

    The first conflicting field in ``UNIQUE_FIELDS`` order decides the error.
    """
    for field_name in UNIQUE_FIELDS:
        value = values.get(field_name)
        if value is None:
            continue
        holder = ws.identity_holding(field_name, value)
        if holder is not None and holder != self_id:
            raise ApiError(
                f"{field_name}_already_in_use",
                f"{field_name} {quote(value)} is already in use by user identity {holder} "
                "in this workspace; it must be unique.",
            )


def _match_for(ws: Workspace, profile: Profile, acs_system_id: str) -> AcsUser | None:
    """The ACS user of a system a new identity with this profile should be linked to,
    if one matches.

    Raises if the best match already belongs to another identity: Seam never
    moves an ACS user between identities behind the caller's back.
    """
    matches = ws.acs_users_matching(acs_system_id, profile["email_address"], profile["phone_number"])
    if not matches:
        return None
    best = matches[0]
    if best.user_identity_id is not None:
        raise ApiError(
            "acs_user_already_linked_to_user_identity",
            f"ACS user {best.acs_user_id} on ACS system {acs_system_id} matches this user "
            f"identity's email address or phone number but is already linked to user identity "
            f"{best.user_identity_id}. Remove it from that identity first.",
        )
    return best


def _insert(ws: Workspace, ids: Ids, now: str, profile: Profile) -> UserIdentity:
    identity = UserIdentity(
        user_identity_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        created_at=now,
        profile_changed_at=now,
        **profile,
    )
    ws.add_identity(identity)
    return identity


def create(
    ws: Workspace,
    ids: Ids,
    now: str,
    *,
    user_identity_key: str | None = None,
    email_address: str | None = None,
    phone_number: str | None = None,
    full_name: str | None = None,
    acs_system_ids: Sequence[str] = (),
) -> UserIdentity:
    """A new user identity, linked on each of ``acs_system_ids`` (see the module's rules)."""
    profile: Profile = {
        "user_identity_key": user_identity_key,
        "email_address": email_address,
        "phone_number": phone_number,
        "full_name": full_name,
    }
    ensure_unique(ws, profile)
    systems = [find_acs_system(ws, acs_system_id) for acs_system_id in dict.fromkeys(acs_system_ids)]
    matches = [_match_for(ws, profile, system.acs_system_id) for system in systems]
    identity = _insert(ws, ids, now, profile)
    for system, match in zip(systems, matches, strict=True):
        _link(ws, ids, now, identity, system, match)
    return identity


def _link(
    ws: Workspace, ids: Ids, now: str, identity: UserIdentity, system: AcsSystem, match: AcsUser | None
) -> AcsUser:
    """Link an identity to its match on a system, or to a new ACS user made from its profile
    (which Seam reports with ``acs_user.created``)."""
    user = match
    if user is None:
        user = acs.new_user(
            ws,
            ids,
            now,
            system,
            full_name=derive.display_name(identity),
            email_address=identity.email_address,
            phone_number=identity.phone_number,
        )
    ws.link(identity, user, now)
    if match is None:
        events.acs_user_event(ws, ids, now, "acs_user.created", user)
    issuance.on_link(ws, ids, now, user)
    return user


def planned_acs_user(ws: Workspace, identity: UserIdentity, system: AcsSystem) -> AcsUser | None:
    """The ACS user an existing identity has, or would be linked to, on a system; None when
    one would be created. Checks, writes nothing: ``ensure_acs_user`` then does it."""
    linked = acs.linked_user_on_system(ws, identity, system.acs_system_id)
    if linked is not None:
        return linked
    profile: Profile = {
        "user_identity_key": identity.user_identity_key,
        "email_address": identity.email_address,
        "phone_number": identity.phone_number,
        "full_name": identity.full_name,
    }
    return _match_for(ws, profile, system.acs_system_id)


def ensure_acs_user(
    ws: Workspace, ids: Ids, now: str, identity: UserIdentity, system: AcsSystem, planned: AcsUser | None
) -> AcsUser:
    """The identity's ACS user on a system, as ``planned_acs_user`` found it: linked if it
    was a match, created and linked if there was none."""
    if planned is not None and planned.user_identity_id == identity.user_identity_id:
        return planned
    return _link(ws, ids, now, identity, system, planned)


def update(ws: Workspace, identity: UserIdentity, changes: Mapping[str, str | None], now: str) -> None:
    """Set key, email, phone or full name (None clears one), keeping them unique."""
    ensure_unique(ws, changes, self_id=identity.user_identity_id)
    profile_changed = any(
        getattr(identity, name) != value for name, value in changes.items() if name in PROFILE_FIELDS
    )
    ws.update_identity(identity, dict(changes))
    if profile_changed:
        change(identity, "profile_changed_at", now)


def add_acs_user(
    ws: Workspace,
    ids: Ids,
    now: str,
    user: AcsUser,
    *,
    user_identity_id: str | None = None,
    user_identity_key: str | None = None,
) -> UserIdentity:
    """Link an ACS user to the named identity; as Seam documents, an unknown
    ``user_identity_key`` makes a new identity from the ACS user's profile."""
    key = user_identity_key
    if key is not None and key not in ws.identity_by_key:
        if not key:
            # The new identity's key must be one create would accept.
            raise invalid("user_identity_key", "Must contain at least 1 character(s) to create an identity.")
        acs.ensure_linkable(ws, None, user)
        profile: Profile = {
            "user_identity_key": key,
            "email_address": user.email_address,
            "phone_number": user.phone_number,
            "full_name": user.full_name,
        }
        ensure_unique(ws, profile)
        identity = _insert(ws, ids, now, profile)
    else:
        identity = find_identity(ws, user_identity_id=user_identity_id, user_identity_key=key)
        if user.user_identity_id == identity.user_identity_id:
            return identity
        acs.ensure_linkable(ws, identity, user)
    ws.link(identity, user, now)
    issuance.on_link(ws, ids, now, user)
    return identity


def remove_acs_user(ws: Workspace, identity: UserIdentity, user: AcsUser) -> None:
    """Unlink an ACS user from its identity; the ACS user remains."""
    if user.user_identity_id != identity.user_identity_id:
        raise ApiError(
            "acs_user_not_linked_to_user_identity",
            f"ACS user {user.acs_user_id} is not linked to user identity {identity.user_identity_id}; "
            "there is nothing to remove.",
        )
    ws.unlink(identity, user)


def acs_systems_of(ws: Workspace, identity: UserIdentity) -> list[AcsSystem]:
    """The systems an identity has ACS users on, in link order."""
    system_ids = dict.fromkeys(ws.acs_users[i].acs_system_id for i in identity.acs_user_ids)
    return [ws.acs_systems[i] for i in system_ids]


def has_acs_user_on(ws: Workspace, identity: UserIdentity, acs_system_id: str) -> bool:
    return any(ws.acs_users[i].acs_system_id == acs_system_id for i in identity.acs_user_ids)


def search_texts(identity: UserIdentity) -> tuple[str | None, ...]:
    """What ``search`` on ``/user_identities/list`` looks in: the four fields Seam's
    reference names ("a partial match using full_name, phone_number, email_address or
    user_identity_id"), not the key or the display name."""
    return (identity.full_name, identity.phone_number, identity.email_address, identity.user_identity_id)


def mark_being_deleted(identity: UserIdentity, now: str) -> None:
    """The identity shows the ``being_deleted`` warning from now on."""
    if identity.being_deleted_since is None:
        change(identity, "being_deleted_since", now)


# Unmanaged identities ------------------------------------------------------------------


def add_unmanaged(
    ws: Workspace,
    ids: Ids,
    now: str,
    *,
    email_address: str | None,
    phone_number: str | None,
    full_name: str | None,
) -> UserIdentity:
    """An identity Seam found but does not manage: it has no key, holds no unique value
    (uniqueness is checked when it becomes managed) and no rule for managed ones sees it."""
    identity = UserIdentity(
        user_identity_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        user_identity_key=None,
        email_address=email_address,
        phone_number=phone_number,
        full_name=full_name,
        created_at=now,
        profile_changed_at=now,
    )
    ws.add_unmanaged_identity(identity)
    return identity


def manage(ws: Workspace, identity: UserIdentity, user_identity_key: str | None) -> None:
    """``/user_identities/unmanaged/update``: make an unmanaged identity managed, one way
    only ("It cannot be used to convert managed user identities back to unmanaged"); its
    key, email and phone must then be unique as any managed identity's."""
    ensure_unique(
        ws,
        {
            "user_identity_key": user_identity_key,
            "email_address": identity.email_address,
            "phone_number": identity.phone_number,
        },
    )
    ws.remove_unmanaged_identity(identity)
    change(identity, "user_identity_key", user_identity_key)
    ws.add_identity(identity)
