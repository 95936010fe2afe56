"""Records and unique indexes: the data of a fake, with no HTTP and no JSON.

Each workspace owns its records and the indexes that keep every lookup O(1):
identities by key, folded email (``folding.fold_email``) and phone; ACS users per
system by folded email and phone. Records hold facts only; everything derived
(display names, errors and warnings of identities) is computed in ``derive``.
Mutations that must keep an index in step go through the methods here; the
rules that decide whether a mutation is allowed live in ``identities`` and
``acs``. Every mutation goes through ``journal``, so a change that fails part-way
is undone whole.

The dicts of records keep creation order, which is the order of their ``seq``:
undoing a deletion sorts a dict back by it (``_BY_SEQ``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .folding import fold_email
from .journal import change, drop, drop_in_place, insert_sorted, put, remove_sorted

# Where a record sits in newest-first lists: creation time, then a per-workspace
# sequence number that orders records created at the same (frozen) instant.
OrderKey = tuple[str, int]
# Kept sorted: (created_at, seq, id).
Ordered = list[tuple[str, int, str]]


def order_insert(order: Ordered, created_at: str, seq: int, record_id: str) -> None:
    # With a clock that moves forward this appends; insort keeps time travel correct.
    insert_sorted(order, (created_at, seq, record_id))


def _order_remove(order: Ordered, created_at: str, seq: int, record_id: str) -> None:
    remove_sorted(order, (created_at, seq, record_id))


def newest_first(order: Ordered, below: OrderKey | tuple[str] | None = None) -> Iterator[str]:
    """Ids from newest to oldest, starting just below ``below`` when given.

    Finding the start is a bisection, so a page costs O(log n + its length).
    ``(timestamp,)`` as ``below`` starts at records created strictly earlier.
    """
    index = len(order) if below is None else bisect_left(order, below)
    for position in range(index - 1, -1, -1):
        yield order[position][2]


@dataclass(slots=True)
class RecordError:
    """An error on an ACS user or a credential: its code, message, and since when."""

    error_code: str
    message: str
    created_at: str


@dataclass(slots=True)
class RecordWarning:
    """A warning of an ACS user set by a test (``simulate_acs_user_warning``)."""

    warning_code: str
    message: str
    created_at: str


@dataclass(slots=True)
class UserIdentity:
    user_identity_id: str
    workspace_id: str
    user_identity_key: str | None
    email_address: str | None
    phone_number: str | None
    full_name: str | None
    created_at: str
    # Insertion-ordered set of linked ACS user ids, so unlinking is O(1).
    acs_user_ids: dict[str, None] = field(default_factory=dict)
    profile_changed_at: str = ""
    being_deleted_since: str | None = None
    seq: int = 0

    @property
    def order_key(self) -> OrderKey:
        return (self.created_at, self.seq)


@dataclass(slots=True)
class AcsUser:
    acs_user_id: str
    acs_system_id: str
    workspace_id: str
    full_name: str
    email_address: str | None
    phone_number: str | None
    created_at: str
    user_identity_id: str | None = None
    linked_at: str | None = None
    profile_changed_at: str = ""
    is_suspended: bool = False
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordWarning] = field(default_factory=list)
    # The access schedule (``access_schedule``): both None when the user has none.
    starts_at: str | None = None
    ends_at: str | None = None
    # When the schedule was last set, which is when "not started yet" began.
    schedule_set_at: str | None = None
    seq: int = 0

    @property
    def order_key(self) -> OrderKey:
        return (self.created_at, self.seq)


@dataclass(slots=True)
class AcsSystem:
    acs_system_id: str
    workspace_id: str
    name: str
    external_type: str
    connected_account_id: str
    time_zone: str | None
    created_at: str
    acs_user_ids: dict[str, None] = field(default_factory=dict)
    # Rebuilt from the entrances and groups, as acs_user_ids is from the users.
    acs_entrance_ids: dict[str, None] = field(default_factory=dict)
    acs_access_group_ids: dict[str, None] = field(default_factory=dict)


@dataclass(slots=True)
class AcsEntrance:
    """A door, gate or elevator of an access control system, as Seam syncs it.

    ``acs_user_ids`` are the ACS users granted it one by one (``grant_access``);
    ``can_unlock_with`` the access methods that open it (None: every method its
    system takes).
    """

    acs_entrance_id: str
    workspace_id: str
    acs_system_id: str
    display_name: str
    created_at: str
    can_unlock_with: list[str] | None = None
    acs_user_ids: dict[str, None] = field(default_factory=dict)
    seq: int = 0

    @property
    def order_key(self) -> OrderKey:
        return (self.created_at, self.seq)


@dataclass(slots=True)
class AcsAccessGroup:
    """A set of entrances, and the ACS users who may open them (within its schedule)."""

    acs_access_group_id: str
    workspace_id: str
    acs_system_id: str
    name: str
    created_at: str
    acs_entrance_ids: dict[str, None] = field(default_factory=dict)
    acs_user_ids: dict[str, None] = field(default_factory=dict)
    starts_at: str | None = None
    ends_at: str | None = None
    seq: int = 0


@dataclass(slots=True)
class ActionAttempt:
    """An asynchronous action (an unlock), and how it ended: ``pending``, ``success`` or ``error``."""

    action_attempt_id: str
    workspace_id: str
    action_type: str
    status: str
    created_at: str
    acs_entrance_id: str | None = None
    acs_credential_id: str | None = None
    # The identity whose credential it used, for client sessions.
    user_identity_id: str | None = None
    error_type: str | None = None
    error_message: str | None = None
    seq: int = 0

    @property
    def order_key(self) -> OrderKey:
        return (self.created_at, self.seq)


@dataclass(slots=True)
class AcsCredential:
    """A means of access of an ACS user: a code, a card, a mobile key or a cloud key.

    A multi-phone sync mobile key is a parent: each phone of its user's identity
    gets a child credential (``parent_acs_credential_id``, ``device_id``).
    """

    acs_credential_id: str
    workspace_id: str
    acs_system_id: str
    acs_user_id: str | None
    access_method: str
    created_at: str
    code: str | None = None
    is_multi_phone_sync_credential: bool = False
    parent_acs_credential_id: str | None = None
    # The phone a child credential lives on.
    device_id: str | None = None
    credential_manager_acs_system_id: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    issued_at: str | None = None
    # When the credential began waiting to be issued (None once issued or failed).
    waiting_since: str | None = None
    # ``starts_at`` was in the past and was moved to the creation time (warning schedule_modified).
    schedule_modified_at: str | None = None
    # Changed after issuance; a card must be encoded again (warning needs_to_be_reissued).
    needs_reissue_since: str | None = None
    # The entrances the credential itself opens (credential-based systems keep access here).
    allowed_acs_entrance_ids: list[str] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    seq: int = 0

    @property
    def order_key(self) -> OrderKey:
        return (self.created_at, self.seq)

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


@dataclass(slots=True)
class Phone:
    """A phone of a user identity (a sandbox phone in the fake)."""

    device_id: str
    workspace_id: str
    owner_user_identity_id: str
    created_at: str
    operating_system: str
    os_version: str
    device_manufacturer: str
    device_model: str
    custom_sdk_installation_id: str | None = None
    ble_capability: bool = True
    hce_capability: bool = False
    nfc_capability: bool = False
    application_version: str = "1.0.0"
    seos_applet_version: str = "1.0.0"
    seos_tsm_endpoint_id: float = 1
    seq: int = 0


@dataclass(slots=True)
class ClientSession:
    client_session_id: str
    workspace_id: str
    token: str
    created_at: str
    expires_at: str
    user_identity_ids: list[str] = field(default_factory=list)
    user_identifier_key: str | None = None
    customer_key: str | None = None
    revoked_at: str | None = None
    seq: int = 0


@dataclass(slots=True)
class InstantKey:
    instant_key_id: str
    workspace_id: str
    user_identity_id: str
    client_session_id: str
    instant_key_url: str
    created_at: str
    expires_at: str
    max_use_count: int = 1
    seq: int = 0


@dataclass(slots=True)
class Event:
    """Something that happened, as ``/events/list`` reports it.

    ``fields`` holds the event type's own fields (``acs_credential_id``...);
    ``user_identity_ids`` the identities it concerns, for filters and client sessions.
    """

    event_id: str
    workspace_id: str
    event_type: str
    occurred_at: str
    fields: dict[str, str] = field(default_factory=dict)
    user_identity_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Workspace:
    workspace_id: str
    name: str
    company_name: str
    is_sandbox: bool
    created_at: str
    user_identities: dict[str, UserIdentity] = field(default_factory=dict)
    identity_by_key: dict[str, str] = field(default_factory=dict)
    identity_by_email: dict[str, str] = field(default_factory=dict)
    identity_by_phone: dict[str, str] = field(default_factory=dict)
    identity_order: Ordered = field(default_factory=list)
    acs_systems: dict[str, AcsSystem] = field(default_factory=dict)
    acs_users: dict[str, AcsUser] = field(default_factory=dict)
    # (acs_system_id, folded email or phone) -> ACS user ids in creation order.
    acs_users_by_email: dict[tuple[str, str], dict[str, None]] = field(default_factory=dict)
    acs_users_by_phone: dict[tuple[str, str], dict[str, None]] = field(default_factory=dict)
    acs_user_order: Ordered = field(default_factory=list)
    acs_credentials: dict[str, AcsCredential] = field(default_factory=dict)
    credential_order: Ordered = field(default_factory=list)
    # ACS user id -> its credentials; parent credential id -> its children.
    credentials_by_user: dict[str, dict[str, None]] = field(default_factory=dict)
    children_by_parent: dict[str, dict[str, None]] = field(default_factory=dict)
    # Phone device id -> the child credentials issued to it.
    credentials_by_device: dict[str, dict[str, None]] = field(default_factory=dict)
    phones: dict[str, Phone] = field(default_factory=dict)
    phones_by_owner: dict[str, dict[str, None]] = field(default_factory=dict)
    client_sessions: dict[str, ClientSession] = field(default_factory=dict)
    client_session_by_key: dict[str, str] = field(default_factory=dict)
    instant_keys: dict[str, InstantKey] = field(default_factory=dict)
    acs_entrances: dict[str, AcsEntrance] = field(default_factory=dict)
    entrance_order: Ordered = field(default_factory=list)
    acs_access_groups: dict[str, AcsAccessGroup] = field(default_factory=dict)
    # ACS user id -> the groups it is in, and the entrances granted it one by one;
    # entrance id -> the groups holding it, and the credentials that name it.
    groups_by_user: dict[str, dict[str, None]] = field(default_factory=dict)
    grants_by_user: dict[str, dict[str, None]] = field(default_factory=dict)
    groups_by_entrance: dict[str, dict[str, None]] = field(default_factory=dict)
    credentials_by_entrance: dict[str, dict[str, None]] = field(default_factory=dict)
    action_attempts: dict[str, ActionAttempt] = field(default_factory=dict)
    action_attempt_order: Ordered = field(default_factory=list)
    # Objects found on an access system that Seam does not manage: kept apart, so no rule
    # for managed objects ever sees one. Only /.../unmanaged/ routes show them.
    unmanaged_user_identities: dict[str, UserIdentity] = field(default_factory=dict)
    unmanaged_identity_order: Ordered = field(default_factory=list)
    unmanaged_acs_users: dict[str, AcsUser] = field(default_factory=dict)
    unmanaged_acs_access_groups: dict[str, AcsAccessGroup] = field(default_factory=dict)
    unmanaged_acs_credentials: dict[str, AcsCredential] = field(default_factory=dict)
    # ACS user id (managed or not) -> its unmanaged credentials.
    unmanaged_credentials_by_user: dict[str, dict[str, None]] = field(default_factory=dict)
    # In the order they happened.
    events: dict[str, Event] = field(default_factory=dict)
    # "automatic": credentials are issued as soon as Seam would issue them; "manual":
    # they wait until a test issues them (or makes their issuance fail).
    credential_issuance: str = "automatic"
    # How the next action attempts end: "success" (as Seam's samples show), "error" (with
    # this error type and message) or "pending" (until a test settles it).
    action_attempt_outcome: str = "success"
    action_attempt_error_type: str | None = None
    action_attempt_error_message: str | None = None
    last_seq: int = 0

    def _next_seq(self) -> int:
        change(self, "last_seq", self.last_seq + 1)
        return self.last_seq

    def _add(self, records: dict[str, Any], record_id: str, record: Any) -> None:
        """Add a record to one of the dicts of records, with the next sequence number."""
        change(record, "seq", self._next_seq())
        put(records, record_id, record)

    # Identities -----------------------------------------------------------

    def add_identity(self, identity: UserIdentity) -> None:
        self._add(self.user_identities, identity.user_identity_id, identity)
        self.index_identity(identity)
        order_insert(self.identity_order, identity.created_at, identity.seq, identity.user_identity_id)

    def remove_identity(self, identity: UserIdentity) -> None:
        """Forget an identity; its linked ACS users must be unlinked or removed first."""
        self._unindex_identity(identity)
        _order_remove(self.identity_order, identity.created_at, identity.seq, identity.user_identity_id)
        drop(self.user_identities, identity.user_identity_id, self._seq_in(self.user_identities))

    def update_identity(self, identity: UserIdentity, changes: dict[str, str | None]) -> None:
        """Set key, email, phone or full name, keeping the unique indexes in step."""
        self._unindex_identity(identity)
        for name, value in changes.items():
            change(identity, name, value)
        self.index_identity(identity)

    def index_identity(self, identity: UserIdentity) -> None:
        if identity.user_identity_key is not None:
            put(self.identity_by_key, identity.user_identity_key, identity.user_identity_id)
        if identity.email_address is not None:
            put(self.identity_by_email, fold_email(identity.email_address), identity.user_identity_id)
        if identity.phone_number is not None:
            put(self.identity_by_phone, identity.phone_number, identity.user_identity_id)

    def _unindex_identity(self, identity: UserIdentity) -> None:
        # Lookup indexes: their order means nothing, so an undone deletion may append.
        if identity.user_identity_key is not None:
            drop(self.identity_by_key, identity.user_identity_key)
        if identity.email_address is not None:
            drop(self.identity_by_email, fold_email(identity.email_address))
        if identity.phone_number is not None:
            drop(self.identity_by_phone, identity.phone_number)

    @staticmethod
    def _seq_in(records: dict[str, Any]) -> Any:
        """The order of a dict of records (their creation order), for an undone deletion."""
        return lambda record_id: records[record_id].seq

    def identity_holding(self, field_name: str, value: str) -> str | None:
        """Id of the identity that holds a unique value, if any."""
        if field_name == "user_identity_key":
            return self.identity_by_key.get(value)
        if field_name == "email_address":
            return self.identity_by_email.get(fold_email(value))
        return self.identity_by_phone.get(value)

    # ACS users ------------------------------------------------------------

    def add_acs_user(self, user: AcsUser) -> None:
        self._add(self.acs_users, user.acs_user_id, user)
        put(self.acs_systems[user.acs_system_id].acs_user_ids, user.acs_user_id, None)
        self.index_acs_user(user)
        order_insert(self.acs_user_order, user.created_at, user.seq, user.acs_user_id)

    def remove_acs_user(self, user: AcsUser) -> None:
        """Forget an ACS user, unlinking it from its identity first."""
        if user.user_identity_id is not None:
            self.unlink(self.user_identities[user.user_identity_id], user)
        self._unindex_acs_user(user)
        _order_remove(self.acs_user_order, user.created_at, user.seq, user.acs_user_id)
        # A system's users are in creation order, as the dict of ACS users is.
        drop(
            self.acs_systems[user.acs_system_id].acs_user_ids, user.acs_user_id, self._seq_in(self.acs_users)
        )
        drop(self.acs_users, user.acs_user_id, self._seq_in(self.acs_users))

    def update_acs_user(self, user: AcsUser, changes: dict[str, str | None]) -> None:
        """Set full name, email or phone, keeping the per-system indexes in step."""
        self._unindex_acs_user(user)
        for name, value in changes.items():
            change(user, name, value)
        self.index_acs_user(user)

    def _acs_index_keys(
        self, user: AcsUser
    ) -> list[tuple[dict[tuple[str, str], dict[str, None]], tuple[str, str]]]:
        keys = []
        if user.email_address is not None:
            keys.append((self.acs_users_by_email, (user.acs_system_id, fold_email(user.email_address))))
        if user.phone_number is not None:
            keys.append((self.acs_users_by_phone, (user.acs_system_id, user.phone_number)))
        return keys

    def index_acs_user(self, user: AcsUser) -> None:
        for index, key in self._acs_index_keys(user):
            _hold(index, key, user.acs_user_id)

    def _unindex_acs_user(self, user: AcsUser) -> None:
        for index, key in self._acs_index_keys(user):
            _release(index, key, user.acs_user_id)

    def acs_users_matching(
        self, acs_system_id: str, email_address: str | None, phone_number: str | None
    ) -> list[AcsUser]:
        """ACS users of a system that share the email or the phone, best match first.

        A user matching both comes first, then email matches, then phone
        matches; creation order breaks ties.
        """
        by_email = (
            self.acs_users_by_email.get((acs_system_id, fold_email(email_address)), {})
            if email_address is not None
            else {}
        )
        by_phone = (
            self.acs_users_by_phone.get((acs_system_id, phone_number), {}) if phone_number is not None else {}
        )

        def rank(user: AcsUser) -> tuple[int, int]:
            # The index dicts hold insertion order, which a profile update changes;
            # the creation sequence is what breaks ties.
            in_email, in_phone = user.acs_user_id in by_email, user.acs_user_id in by_phone
            return (0 if in_email and in_phone else 1 if in_email else 2, user.seq)

        return sorted((self.acs_users[user_id] for user_id in {**by_email, **by_phone}), key=rank)

    # Credentials ----------------------------------------------------------

    def add_credential(self, credential: AcsCredential) -> None:
        self._add(self.acs_credentials, credential.acs_credential_id, credential)
        self.index_credential(credential)
        order_insert(
            self.credential_order, credential.created_at, credential.seq, credential.acs_credential_id
        )

    def _credential_index_keys(
        self, credential: AcsCredential
    ) -> list[tuple[dict[str, dict[str, None]], str | None]]:
        return [
            (self.credentials_by_user, credential.acs_user_id),
            (self.children_by_parent, credential.parent_acs_credential_id),
            (self.credentials_by_device, credential.device_id),
        ]

    def index_credential(self, credential: AcsCredential) -> None:
        for index, key in self._credential_index_keys(credential):
            if key is not None:
                _hold(index, key, credential.acs_credential_id)
        for entrance_id in credential.allowed_acs_entrance_ids:
            _hold(self.credentials_by_entrance, entrance_id, credential.acs_credential_id)

    def unindex_credential(self, credential: AcsCredential) -> None:
        for index, key in self._credential_index_keys(credential):
            if key is not None:
                _release(index, key, credential.acs_credential_id)
        for entrance_id in credential.allowed_acs_entrance_ids:
            _release(self.credentials_by_entrance, entrance_id, credential.acs_credential_id)

    def set_credential_entrances(self, credential: AcsCredential, entrance_ids: list[str]) -> None:
        """Set the entrances a credential itself opens, keeping the index in step."""
        self.unindex_credential(credential)
        change(credential, "allowed_acs_entrance_ids", entrance_ids)
        self.index_credential(credential)

    def set_credential_user(self, credential: AcsCredential, acs_user_id: str | None) -> None:
        """Move a credential to another ACS user (or none), keeping the index in step."""
        self.unindex_credential(credential)
        change(credential, "acs_user_id", acs_user_id)
        self.index_credential(credential)

    def remove_credential(self, credential: AcsCredential) -> None:
        self.unindex_credential(credential)
        _order_remove(
            self.credential_order, credential.created_at, credential.seq, credential.acs_credential_id
        )
        drop(self.acs_credentials, credential.acs_credential_id, self._seq_in(self.acs_credentials))

    def credentials_of_user(self, acs_user_id: str) -> list[AcsCredential]:
        return [self.acs_credentials[i] for i in self.credentials_by_user.get(acs_user_id, {})]

    def credentials_on_phone(self, device_id: str) -> list[AcsCredential]:
        return [self.acs_credentials[i] for i in self.credentials_by_device.get(device_id, {})]

    def children_of(self, credential: AcsCredential) -> list[AcsCredential]:
        return [
            self.acs_credentials[i] for i in self.children_by_parent.get(credential.acs_credential_id, {})
        ]

    # Phones ---------------------------------------------------------------

    def add_phone(self, phone: Phone) -> None:
        self._add(self.phones, phone.device_id, phone)
        _hold(self.phones_by_owner, phone.owner_user_identity_id, phone.device_id)

    def remove_phone(self, phone: Phone) -> None:
        _release(self.phones_by_owner, phone.owner_user_identity_id, phone.device_id)
        drop(self.phones, phone.device_id, self._seq_in(self.phones))

    def phones_of(self, user_identity_id: str) -> list[Phone]:
        return [self.phones[i] for i in self.phones_by_owner.get(user_identity_id, {})]

    def link(self, identity: UserIdentity, user: AcsUser, at: str) -> None:
        put(identity.acs_user_ids, user.acs_user_id, None)
        change(user, "user_identity_id", identity.user_identity_id)
        change(user, "linked_at", at)

    def unlink(self, identity: UserIdentity, user: AcsUser) -> None:
        # Link order is what list_acs_users shows: an undone unlink restores it exactly.
        drop_in_place(identity.acs_user_ids, user.acs_user_id)
        change(user, "user_identity_id", None)
        change(user, "linked_at", None)

    # Client sessions and instant keys ----------------------------------------

    def add_client_session(self, session: ClientSession) -> None:
        self._add(self.client_sessions, session.client_session_id, session)
        if session.user_identifier_key is not None:
            put(self.client_session_by_key, session.user_identifier_key, session.client_session_id)

    def set_session_key(self, session: ClientSession, user_identifier_key: str) -> None:
        change(session, "user_identifier_key", user_identifier_key)
        put(self.client_session_by_key, user_identifier_key, session.client_session_id)

    def remove_client_session(self, session: ClientSession) -> None:
        if session.user_identifier_key is not None:
            drop(self.client_session_by_key, session.user_identifier_key)
        drop(self.client_sessions, session.client_session_id, self._seq_in(self.client_sessions))

    def add_instant_key(self, key: InstantKey) -> None:
        self._add(self.instant_keys, key.instant_key_id, key)

    def remove_instant_key(self, key: InstantKey) -> None:
        drop(self.instant_keys, key.instant_key_id, self._seq_in(self.instant_keys))

    def add_acs_system(self, system: AcsSystem) -> None:
        put(self.acs_systems, system.acs_system_id, system)

    # Entrances, access groups, grants, action attempts ----------------------------

    def add_entrance(self, entrance: AcsEntrance) -> None:
        self._add(self.acs_entrances, entrance.acs_entrance_id, entrance)
        put(self.acs_systems[entrance.acs_system_id].acs_entrance_ids, entrance.acs_entrance_id, None)
        order_insert(self.entrance_order, entrance.created_at, entrance.seq, entrance.acs_entrance_id)

    def add_access_group(self, group: AcsAccessGroup) -> None:
        self._add(self.acs_access_groups, group.acs_access_group_id, group)
        put(self.acs_systems[group.acs_system_id].acs_access_group_ids, group.acs_access_group_id, None)
        self.index_access_group(group)

    def index_access_group(self, group: AcsAccessGroup) -> None:
        for entrance_id in group.acs_entrance_ids:
            _hold(self.groups_by_entrance, entrance_id, group.acs_access_group_id)
        for acs_user_id in group.acs_user_ids:
            _hold(self.groups_by_user, acs_user_id, group.acs_access_group_id)

    def remove_access_group(self, group: AcsAccessGroup) -> None:
        for entrance_id in group.acs_entrance_ids:
            _release(self.groups_by_entrance, entrance_id, group.acs_access_group_id)
        for acs_user_id in group.acs_user_ids:
            _release(self.groups_by_user, acs_user_id, group.acs_access_group_id)
        drop(
            self.acs_systems[group.acs_system_id].acs_access_group_ids,
            group.acs_access_group_id,
            self._seq_in(self.acs_access_groups),
        )
        drop(self.acs_access_groups, group.acs_access_group_id, self._seq_in(self.acs_access_groups))

    def add_group_member(self, group: AcsAccessGroup, acs_user_id: str) -> None:
        put(group.acs_user_ids, acs_user_id, None)
        _hold(self.groups_by_user, acs_user_id, group.acs_access_group_id)

    def remove_group_member(self, group: AcsAccessGroup, acs_user_id: str) -> None:
        drop_in_place(group.acs_user_ids, acs_user_id)
        _release(self.groups_by_user, acs_user_id, group.acs_access_group_id)

    def groups_of_user(self, acs_user_id: str) -> list[AcsAccessGroup]:
        return [self.acs_access_groups[i] for i in self.groups_by_user.get(acs_user_id, {})]

    def grant_entrance(self, entrance: AcsEntrance, acs_user_id: str) -> None:
        put(entrance.acs_user_ids, acs_user_id, None)
        _hold(self.grants_by_user, acs_user_id, entrance.acs_entrance_id)

    def revoke_entrance(self, entrance: AcsEntrance, acs_user_id: str) -> None:
        drop_in_place(entrance.acs_user_ids, acs_user_id)
        _release(self.grants_by_user, acs_user_id, entrance.acs_entrance_id)

    def entrances_granted_to(self, acs_user_id: str) -> list[AcsEntrance]:
        return [self.acs_entrances[i] for i in self.grants_by_user.get(acs_user_id, {})]

    def add_action_attempt(self, attempt: ActionAttempt) -> None:
        self._add(self.action_attempts, attempt.action_attempt_id, attempt)
        order_insert(self.action_attempt_order, attempt.created_at, attempt.seq, attempt.action_attempt_id)

    # Unmanaged objects ---------------------------------------------------------------

    def add_unmanaged(self, records: dict[str, Any], record_id: str, record: Any) -> None:
        """An unmanaged ACS user, access group or credential: kept, shown, never indexed."""
        self._add(records, record_id, record)

    def add_unmanaged_identity(self, identity: UserIdentity) -> None:
        self._add(self.unmanaged_user_identities, identity.user_identity_id, identity)
        order_insert(
            self.unmanaged_identity_order, identity.created_at, identity.seq, identity.user_identity_id
        )

    def add_unmanaged_credential(self, credential: AcsCredential) -> None:
        self._add(self.unmanaged_acs_credentials, credential.acs_credential_id, credential)
        if credential.acs_user_id is not None:
            _hold(self.unmanaged_credentials_by_user, credential.acs_user_id, credential.acs_credential_id)

    def remove_unmanaged_credential(self, credential: AcsCredential) -> None:
        if credential.acs_user_id is not None:
            _release(self.unmanaged_credentials_by_user, credential.acs_user_id, credential.acs_credential_id)
        drop(
            self.unmanaged_acs_credentials,
            credential.acs_credential_id,
            self._seq_in(self.unmanaged_acs_credentials),
        )

    def unmanaged_credentials_of(self, acs_user_id: str) -> list[AcsCredential]:
        return [
            self.unmanaged_acs_credentials[i] for i in self.unmanaged_credentials_by_user.get(acs_user_id, {})
        ]

    def remove_unmanaged_identity(self, identity: UserIdentity) -> None:
        remove_sorted(
            self.unmanaged_identity_order, (identity.created_at, identity.seq, identity.user_identity_id)
        )
        drop(
            self.unmanaged_user_identities,
            identity.user_identity_id,
            self._seq_in(self.unmanaged_user_identities),
        )

    def add_event(self, event: Event) -> None:
        # Events are only ever added: undoing one deletes the newest, which keeps the order.
        put(self.events, event.event_id, event)


def _hold(index: dict[Any, dict[str, None]], key: Any, record_id: str) -> None:
    """Add ``record_id`` to the holders of ``key`` in a one-to-many index."""
    holders = index.get(key)
    if holders is None:
        holders = {}
        put(index, key, holders)
    put(holders, record_id, None)


def _release(index: dict[Any, dict[str, None]], key: Any, record_id: str) -> None:
    """Remove ``record_id`` from the holders of ``key``, and the key once none is left
    (the index stays the size of the data). Holders keep the order they were added in,
    which no sequence number gives (a credential moved to another user joins last),
    so an undone removal restores them whole: they are few per key."""
    holders = index[key]
    drop_in_place(holders, record_id)
    if not holders:
        drop(index, key)


@dataclass(slots=True)
class State:
    """Everything a fake knows: workspaces and the credentials that reach them."""

    workspaces: dict[str, Workspace] = field(default_factory=dict)
    # API key -> workspace id.
    api_keys: dict[str, str] = field(default_factory=dict)
    # Personal access token -> workspace ids it may act on (None: all of them).
    personal_access_tokens: dict[str, frozenset[str] | None] = field(default_factory=dict)
    # Signs page cursors, so a cursor that was edited is refused rather than obeyed.
    cursor_secret: str = ""
    # Client session token -> (workspace id, client session id): tokens authenticate.
    client_session_tokens: dict[str, tuple[str, str]] = field(default_factory=dict)
