"""Access control systems and their users: Seam's rules for ACS systems and ACS users.

An ACS user is a person's account in one access control system. It is linked
to at most one user identity, and a user identity has at most one ACS user per
system; ``ensure_linkable`` holds both rules for every way of making a link.
"""

from __future__ import annotations

from . import events
from .acs_types import ACS_TYPES, ACS_USER_ERROR_CODES, ACS_USER_WARNING_CODES
from .errors import ApiError, NotFound, invalid
from .ids import Ids
from .journal import change
from .lookups import find_acs_system, find_acs_user, find_group, find_identity
from .records import AcsSystem, AcsUser, RecordError, RecordWarning, UserIdentity, Workspace

# What a seeded ACS system is unless the caller says otherwise: the kind in the
# samples of Seam's reference, in the time zone of its examples.
DEFAULT_EXTERNAL_TYPE = "salto_ks_site"
DEFAULT_TIME_ZONE = "America/Los_Angeles"
# The error a simulated ACS user error has unless another is named.
DEFAULT_ACS_USER_ERROR = "failed_to_update_on_acs_system"
DEFAULT_ACS_USER_ERROR_MESSAGE = "The access control system rejected the last change to this user."
DEFAULT_ACS_USER_WARNING_MESSAGE = "The access control system reported a problem with this user."


# Systems -------------------------------------------------------------------------


def add_system(
    ws: Workspace,
    ids: Ids,
    now: str,
    *,
    name: str,
    external_type: str,
    time_zone: str | None,
    connected_account_id: str | None,
) -> AcsSystem:
    """Add an access control system of a kind Seam knows; its connected account is
    new unless one is named."""
    if external_type not in ACS_TYPES:
        raise invalid("external_type", f"Must be one of {', '.join(sorted(ACS_TYPES))}.")
    system = AcsSystem(
        acs_system_id=ids.uuid(),
        workspace_id=ws.workspace_id,
        name=name,
        external_type=external_type,
        connected_account_id=connected_account_id or ids.uuid(),
        time_zone=time_zone,
        created_at=now,
    )
    ws.add_acs_system(system)
    return system


def system_search_texts(system: AcsSystem) -> tuple[str, ...]:
    """What ``search`` on ``/acs/systems/list`` looks in."""
    return (system.name, system.acs_system_id)


# Users ---------------------------------------------------------------------------


def new_user(
    ws: Workspace,
    ids: Ids,
    now: str,
    system: AcsSystem,
    full_name: str,
    email_address: str | None,
    phone_number: str | None,
    *,
    is_managed: bool = True,
) -> AcsUser:
    """Create and index an ACS user on a system; the caller links it if it should be.
    An unmanaged one (found on the system, not managed by Seam) is shown by the
    unmanaged routes only, never matched, linked or counted."""
    user = AcsUser(
        acs_user_id=ids.uuid(),
        acs_system_id=system.acs_system_id,
        workspace_id=system.workspace_id,
        full_name=full_name,
        email_address=email_address,
        phone_number=phone_number,
        created_at=now,
        profile_changed_at=now,
    )
    if is_managed:
        ws.add_acs_user(user)
    else:
        ws.add_unmanaged(ws.unmanaged_acs_users, user.acs_user_id, user)
    return user


def create_user(
    ws: Workspace,
    ids: Ids,
    now: str,
    *,
    acs_system_id: str,
    full_name: str,
    email_address: str | None,
    phone_number: str | None,
    user_identity_id: str | None,
    access_schedule: dict[str, str | None] | None = None,
    acs_access_group_ids: list[str] | None = None,
) -> AcsUser:
    """``/acs/users/create``: a new ACS user, linked to an identity if one is named, with
    an access schedule and in access groups of its system if asked.

    A new ACS user is never linked by email or phone: only identities link to
    existing users (on create, or by ``add_acs_user``).
    """
    if not full_name:
        # The request schema sets no minimum, but an acs_user's full_name must not be
        # empty: Seam could not answer with the user it had made.
        raise invalid("full_name", "Must contain at least 1 character(s).")
    system = find_acs_system(ws, acs_system_id)
    identity = None
    if user_identity_id is not None:
        identity = find_identity(ws, user_identity_id=user_identity_id)
        ensure_no_acs_user_on(ws, identity, system.acs_system_id)
    schedule = schedule_from(access_schedule, now)
    groups = []
    for group_id in dict.fromkeys(acs_access_group_ids or ()):
        group = find_group(ws, group_id)
        if group.acs_system_id != system.acs_system_id:
            raise invalid(
                "acs_access_group_ids",
                f"Access group {group_id} is on ACS system {group.acs_system_id}, "
                f"not {system.acs_system_id}.",
            )
        groups.append(group)
    user = new_user(ws, ids, now, system, full_name, email_address, phone_number)
    set_schedule(user, schedule, now)
    for group in groups:
        ws.add_group_member(group, user.acs_user_id)
    if identity is not None:
        ws.link(identity, user, now)
    events.acs_user_event(ws, ids, now, "acs_user.created", user)
    return user


def linked_user_on_system(ws: Workspace, identity: UserIdentity, acs_system_id: str) -> AcsUser | None:
    for acs_user_id in identity.acs_user_ids:
        user = ws.acs_users[acs_user_id]
        if user.acs_system_id == acs_system_id:
            return user
    return None


def ensure_linkable(ws: Workspace, identity: UserIdentity | None, user: AcsUser) -> None:
    """Refuse a link that would give an ACS user a second identity, or an identity a
    second ACS user on one ACS system. ``identity`` None stands for a new identity."""
    if user.user_identity_id is not None and (
        identity is None or user.user_identity_id != identity.user_identity_id
    ):
        raise ApiError(
            "acs_user_already_linked_to_user_identity",
            f"ACS user {user.acs_user_id} is already linked to user identity {user.user_identity_id}. "
            "Remove it from that identity first (/user_identities/remove_acs_user).",
        )
    if identity is not None:
        ensure_no_acs_user_on(ws, identity, user.acs_system_id)


def ensure_no_acs_user_on(ws: Workspace, identity: UserIdentity, acs_system_id: str) -> None:
    existing = linked_user_on_system(ws, identity, acs_system_id)
    if existing is not None:
        raise ApiError(
            "user_identity_already_has_acs_user_on_acs_system",
            f"User identity {identity.user_identity_id} already has ACS user {existing.acs_user_id} "
            f"on ACS system {acs_system_id}; an identity has at most one ACS user per ACS system.",
        )


def which_user(
    ws: Workspace, acs_user_id: str | None, user_identity_id: str | None, acs_system_id: str | None
) -> AcsUser:
    """The ACS user named by ``acs_user_id``, or by the identity it is linked to and its
    system (Seam's reference allows either form)."""
    if acs_user_id is not None and user_identity_id is not None:
        raise invalid(
            "acs_user_id", "Provide `acs_user_id`, or `user_identity_id` with `acs_system_id`, not both."
        )
    if acs_user_id is not None:
        user = find_acs_user(ws, acs_user_id)
        if acs_system_id is not None and user.acs_system_id != acs_system_id:
            raise NotFound(
                "acs_user_not_found",
                f"No ACS user with acs_user_id {acs_user_id} on ACS system {acs_system_id}.",
            )
        return user
    if user_identity_id is None or acs_system_id is None:
        raise invalid("acs_user_id", "Provide `acs_user_id`, or `user_identity_id` with `acs_system_id`.")
    identity = find_identity(ws, user_identity_id=user_identity_id)
    find_acs_system(ws, acs_system_id)
    found = linked_user_on_system(ws, identity, acs_system_id)
    if found is None:
        raise NotFound(
            "acs_user_not_found",
            f"User identity {user_identity_id} has no ACS user on ACS system {acs_system_id}.",
        )
    return found


def active(starts_at: str | None, ends_at: str | None, now: str) -> bool:
    """Whether ``now`` is within a schedule (no bound: open on that side); the end excluded."""
    return (starts_at is None or starts_at <= now) and (ends_at is None or now < ends_at)


def check_schedule(param: str, starts_at: str | None, ends_at: str | None, now: str) -> None:
    """The reference, of an ACS user's schedule and of a credential alike: "``ends_at`` is
    optional and must be a time in the future and after ``starts_at``". The error names
    ``param`` (``access_schedule``, or ``ends_at`` itself), and says ``ends_at`` when that
    is not the parameter's own name."""
    if ends_at is None:
        return
    subject = "Must" if param == "ends_at" else "ends_at must"
    if ends_at <= now:
        raise invalid(param, f"{subject} be in the future; received {ends_at}, and it is now {now}.")
    if starts_at is not None and ends_at <= starts_at:
        raise invalid(param, f"{subject} be after starts_at ({starts_at}); received {ends_at}.")


Schedule = tuple[str | None, str | None]


def schedule_from(access_schedule: dict[str, str | None] | None, now: str) -> Schedule:
    """An ``access_schedule`` as (starts_at, ends_at), checked: ``starts_at`` "defaults to
    the current time" (the reference); None is no schedule."""
    if access_schedule is None:
        return (None, None)
    starts_at = access_schedule.get("starts_at") or now
    ends_at = access_schedule.get("ends_at")
    check_schedule("access_schedule", starts_at, ends_at, now)
    return (starts_at, ends_at)


def set_schedule(user: AcsUser, schedule: Schedule, now: str) -> None:
    """Give an ACS user a checked schedule (or none); unchanged, it keeps when it was set."""
    if schedule == (user.starts_at, user.ends_at):
        return
    change(user, "starts_at", schedule[0])
    change(user, "ends_at", schedule[1])
    change(user, "schedule_set_at", now if schedule[0] is not None else None)


def user_is_active(user: AcsUser, now: str) -> bool:
    return not user.is_suspended and active(user.starts_at, user.ends_at, now)


def update_user(ws: Workspace, user: AcsUser, changes: dict[str, str | None], now: str) -> None:
    """Change full name, email or phone; the profile counts as changed only if a value does."""
    if any(getattr(user, name) != value for name, value in changes.items()):
        ws.update_acs_user(user, changes)
        change(user, "profile_changed_at", now)


def set_suspended(user: AcsUser, suspended: bool) -> None:
    change(user, "is_suspended", suspended)


def add_error(user: AcsUser, error_code: str, message: str, now: str) -> None:
    """Give an ACS user one of the errors Seam's ``acs_user`` schema allows."""
    if error_code not in ACS_USER_ERROR_CODES:
        raise invalid("error_code", f"Must be one of {', '.join(sorted(ACS_USER_ERROR_CODES))}.")
    change(user, "errors", [*user.errors, RecordError(error_code, message, now)])


def add_warning(user: AcsUser, warning_code: str, message: str, now: str) -> None:
    """Give an ACS user one of the warnings Seam's ``acs_user`` schema allows."""
    if warning_code not in ACS_USER_WARNING_CODES:
        raise invalid("warning_code", f"Must be one of {', '.join(sorted(ACS_USER_WARNING_CODES))}.")
    change(user, "warnings", [*user.warnings, RecordWarning(warning_code, message, now)])


def user_search_texts(ws: Workspace, user: AcsUser) -> tuple[str | None, ...]:
    """What ``search`` on ``/acs/users/list`` looks in: the user's name, phone, email and
    id, and its identity's id, full name and phone."""
    identity = ws.user_identities.get(user.user_identity_id) if user.user_identity_id else None
    return (
        user.full_name,
        user.phone_number,
        user.email_address,
        user.acs_user_id,
        user.user_identity_id,
        identity.full_name if identity else None,
        identity.phone_number if identity else None,
    )
