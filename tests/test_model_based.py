"""A model-based test: random sequences of identity and ACS user calls, checked against a reference model.

A Hypothesis ``RuleBasedStateMachine`` drives the fake through the real ``seam``
SDK: user identities (create with ``acs_system_ids`` linking, get, update with
``NULL`` clearing, delete with its ACS users, ``add_acs_user`` by id and by key,
``remove_acs_user``, ``list_acs_users``) and ACS users (create, update by id and
by identity and system, delete, simulated errors). The model is written here from
``docs/fidelity.md``, in plain dicts, without the fake's code or indexes. Emails,
phones, keys and names come mostly from small pools (emails in several letter
cases and Unicode forms, with ``straße`` / ``STRASSE`` that only casefolding would merge), so uniqueness
conflicts, link matches and link conflicts happen often, and partly from
``seam_fake.strategies`` for odd Unicode.

Every rule predicts its outcome first. A predicted failure must raise
``SeamHttpApiError`` with the predicted code and leave ``fake.snapshot()`` as it
was; a predicted success must succeed. After every step one
``user_identities.list()`` and one ``acs.users.list()`` are compared with the
model: order (newest first), every field, ``display_name``, links both ways, at
most one identity per ACS user, and each identity's ``issue_with_acs_user``
errors and ``acs_user_profile_does_not_match_user_identity`` warnings.

Access control runs on a clock frozen at ``START`` (time-machine) and moved forward by
rules (by steps, and to the very millisecond a schedule starts or ends): entrances and
access groups seeded with ``fake.add_acs_entrance`` / ``add_acs_access_group`` (some
within a schedule), ``grant_access`` and group membership by ACS user or by identity
(linked, matched or created), ``access_schedule`` on ``/acs/users/update`` (valid, null,
or one of ``sf.invalid_access_schedules``), suspension, ``revoke_access_to_all_entrances``,
group deletion, and cards naming entrances within a window. After every change
``/acs/users/list_accessible_entrances`` of every ACS user and
``/user_identities/list_accessible_entrances`` of every identity equal what the model
derives from its own bookkeeping at the clock's time.

Budget: the Hypothesis profile of ``tests/conftest.py`` (``ci`` by default;
``SEAM_FAKE_HYPOTHESIS_PROFILE=long`` searches longer).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import email_validator
import pytest
import time_machine
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, MultipleResults, initialize, invariant, multiple, rule
from seam import NULL, SeamHttpApiError

from seam_fake import FakeSeam, InvalidInput
from seam_fake import strategies as sf
from seam_fake.stateful import FakeSeamStateMachine

# Small pools, so that values collide. Emails: five people, most in several
# spellings of one address (letter case, é composed or not), and two that only
# casefolding would merge (ß and ss), which the fake keeps apart.
POOL_EMAILS = (
    "ana@example.com",
    "ANA@example.com",
    "Ana@Example.COM",
    "bob@example.org",
    "BOB@EXAMPLE.ORG",
    "straße@example.de",
    "STRASSE@example.de",
    "chloé@example.fr",
    "CHLOÉ@EXAMPLE.FR",
    "chloe\u0301@example.fr",
    "dan@example.test",
)
POOL_PHONES = ("+15555550100", "+15555550101", "+447700900123", "+33612345678", "+15555550102")
POOL_KEYS = ("jane", "Jane", "kenji")
POOL_NAMES = ("Ana Díaz", "ana díaz", "Bob", "Straße")
# A well-formed id that names no ACS system.
MISSING_SYSTEM_ID = "5f0c2d7e-6b1a-4c3e-9d4f-0a1b2c3d4e5f"
MISSING = 2  # the system index that stands for MISSING_SYSTEM_ID

UNIQUE_FIELDS = ("user_identity_key", "email_address", "phone_number")
PROFILE_FIELDS = ("full_name", "email_address", "phone_number")
MISMATCH = "acs_user_profile_does_not_match_user_identity"

pool_emails = st.sampled_from(POOL_EMAILS)
pool_phones = st.sampled_from(POOL_PHONES)
pool_keys = st.sampled_from(POOL_KEYS)
pool_names = st.sampled_from(POOL_NAMES)
# Mostly the pools (three to one), sometimes anything Seam accepts.
emails = st.one_of(pool_emails, pool_emails, pool_emails, sf.emails())
phones = st.one_of(pool_phones, pool_phones, pool_phones, sf.phone_numbers())
keys = st.one_of(pool_keys, pool_keys, pool_keys, sf.user_identity_keys())
names = st.one_of(pool_names, pool_names, pool_names, sf.full_names())


# The clock every example starts at (frozen with time-machine); the clock rules move it forward
# by at most a day a step, so client sessions (a year long) never expire within an example.
START = datetime(2030, 6, 1, 12, 0, tzinfo=timezone.utc)
CLOCK_STEPS = (timedelta(minutes=1), timedelta(hours=1), timedelta(hours=5), timedelta(days=1))
ZONES = (timezone.utc, timezone(timedelta(hours=2)), timezone(timedelta(hours=-7, minutes=-30)))
Schedule = tuple[datetime | None, datetime | None]


def moment(text: str | None) -> datetime | None:
    """A Seam timestamp (Z or an offset) as an aware datetime."""
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def written(when: datetime, zone: timezone) -> str:
    return when.astimezone(zone).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def within(schedule: Schedule, now: datetime) -> bool:
    """From its start (included) to its end (excluded); no bound is open on that side."""
    starts, ends = schedule
    return (starts is None or starts <= now) and (ends is None or now < ends)


@st.composite
def hour_schedules(draw: st.DrawFn, now: datetime) -> dict[str, str]:
    """Schedules on the scale the clock moves by: starting a few hours either side of now,
    lasting hours, in one of three time zones."""
    starts = now + timedelta(hours=draw(st.integers(-3, 8)), minutes=draw(st.sampled_from([0, 0, 30])))
    ends = max(starts, now) + timedelta(hours=draw(st.integers(1, 12)))
    return {
        "starts_at": written(starts, draw(st.sampled_from(ZONES))),
        "ends_at": written(ends, draw(st.sampled_from(ZONES))),
    }


def schedules_at(now: datetime, complete: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly hour-scale schedules, sometimes anything ``sf.access_schedules`` draws."""
    return st.one_of(hour_schedules(now), hour_schedules(now), sf.access_schedules(now, complete=complete))


def optional(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), values)


def changed(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An update parameter: absent (None), cleared (NULL) or set."""
    return st.one_of(st.none(), st.just(NULL), values)


def fold(email: str) -> str:
    """docs/fidelity.md: the address email-validator normalises to, in lower case."""
    try:
        normal = email_validator.validate_email(email, check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError:
        return email.lower()
    return normal.normalized.lower()


def same_value(field_name: str, a: str, b: str) -> bool:
    return fold(a) == fold(b) if field_name == "email_address" else a == b


def respelled(email: str | None, respell: Callable[[str], str]) -> str | None:
    """The same email in other letter cases, where that surely stays a valid email."""
    if email is None or not (email.isascii() or email in POOL_EMAILS):
        return email
    return respell(email)


class SeamModel(FakeSeamStateMachine):
    """Identities and ACS users through the SDK, against a model in plain dicts."""

    identities = Bundle("identities")
    acs_users = Bundle("acs_users")
    credential_ids = Bundle("credential_ids")
    phone_devices = Bundle("phone_devices")
    session_ids = Bundle("session_ids")
    entrances = Bundle("entrances")
    groups = Bundle("groups")

    # The model ------------------------------------------------------------------------
    #
    # identity: {"user_identity_key", "email_address", "phone_number", "full_name",
    #            "acs_user_ids": [ids in link order]}
    # ACS user: {"acs_system_id", "full_name", "email_address", "phone_number",
    #            "user_identity_id", "errors": count}
    # Both dicts keep creation order, which is what lists show, newest first.

    def setup_fake(self, fake: FakeSeam) -> None:
        # The clock: frozen at START for the whole example, moved forward only by the clock rules.
        self.now = START
        self.clock = time_machine.travel(START, tick=False)
        self.clock_hand = self.clock.start()
        self.systems: list[str] = [
            fake.add_acs_system("North Gate")["acs_system_id"],
            fake.add_acs_system("South Gate", external_type="visionline_system")["acs_system_id"],
        ]
        self.model_identities: dict[str, dict[str, Any]] = {}
        self.model_users: dict[str, dict[str, Any]] = {}
        # credential: {"acs_user_id", "access_method", "issued": bool}; the per-phone copies
        # of a mobile key are the (parent, phone) pairs in `copies`.
        self.model_credentials: dict[str, dict[str, Any]] = {}
        self.copies: set[tuple[str, str]] = set()
        # phone: owner identity id; client session: its identity id.
        self.model_phones: dict[str, str] = {}
        self.model_sessions: dict[str, str] = {}
        self.created_credentials: list[str] = []
        # Access control: entrance -> its system, in the order added (the order lists show);
        # group -> {"acs_system_id", "entrances": [ids], "schedule": (starts, ends), "members": set};
        # grants: (acs_user_id, acs_entrance_id) pairs.
        self.model_entrances: dict[str, str] = {}
        self.model_groups: dict[str, dict[str, Any]] = {}
        self.grants: set[tuple[str, str]] = set()
        # Whether anything may have changed since the invariant last compared the fake
        # and the model; a refused call is proven (by snapshot) to change nothing.
        self.dirty = True
        self.entrances_dirty = True

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            self.clock.stop()

    def system_id(self, index: int) -> str:
        return MISSING_SYSTEM_ID if index == MISSING else self.systems[index]

    def display_name(self, identity_id: str) -> str:
        identity = self.model_identities[identity_id]
        # An empty full name (from an ACS user named "") is no name: the schema
        # forbids an empty display name. The official fake's order: no phone.
        for name in ("full_name", "email_address", "user_identity_key"):
            if identity[name]:
                return str(identity[name])
        return f"Fake user with id {identity_id}"

    def conflict(self, values: dict[str, Any], self_id: str | None = None) -> str | None:
        """The ``*_already_in_use`` error a key/email/phone would cause, first field first."""
        for field_name in UNIQUE_FIELDS:
            value = values.get(field_name)
            if value is None:
                continue
            for identity_id, identity in self.model_identities.items():
                held = identity[field_name]
                if identity_id != self_id and held is not None and same_value(field_name, held, value):
                    return f"{field_name}_already_in_use"
        return None

    def best_match(self, acs_system_id: str, email: str | None, phone: str | None) -> str | None:
        """The ACS user identity creation links on a system: both > email > phone, oldest first."""
        ranked = []
        for position, (acs_user_id, user) in enumerate(self.model_users.items()):
            if user["acs_system_id"] != acs_system_id:
                continue
            by_email = (
                email is not None
                and user["email_address"] is not None
                and fold(user["email_address"]) == fold(email)
            )
            by_phone = phone is not None and user["phone_number"] == phone
            if by_email or by_phone:
                rank = 0 if by_email and by_phone else 1 if by_email else 2
                ranked.append((rank, position, acs_user_id))
        return min(ranked)[2] if ranked else None

    def user_on_system(self, identity_id: str, acs_system_id: str) -> str | None:
        for acs_user_id in self.model_identities[identity_id]["acs_user_ids"]:
            if self.model_users[acs_user_id]["acs_system_id"] == acs_system_id:
                return acs_user_id
        return None

    def link(self, identity_id: str, acs_user_id: str) -> None:
        self.model_identities[identity_id]["acs_user_ids"].append(acs_user_id)
        self.model_users[acs_user_id]["user_identity_id"] = identity_id
        if hasattr(self, "model_credentials"):
            self.link_issues(acs_user_id)

    def unlink(self, acs_user_id: str) -> None:
        user = self.model_users[acs_user_id]
        self.model_identities[user["user_identity_id"]]["acs_user_ids"].remove(acs_user_id)
        user["user_identity_id"] = None

    def delete_user(self, acs_user_id: str) -> None:
        if self.model_users[acs_user_id]["user_identity_id"] is not None:
            self.unlink(acs_user_id)
        for credential_id in [
            c for c, m in self.model_credentials.items() if m["acs_user_id"] == acs_user_id
        ]:
            self.delete_credential_model(credential_id)
        for group in self.model_groups.values():
            group["members"].discard(acs_user_id)
        self.grants = {(user, entrance) for user, entrance in self.grants if user != acs_user_id}
        del self.model_users[acs_user_id]

    def delete_credential_model(self, credential_id: str) -> None:
        del self.model_credentials[credential_id]
        self.copies = {(parent, phone) for parent, phone in self.copies if parent != credential_id}

    def phones_of(self, identity_id: str | None) -> list[str]:
        return [phone for phone, owner in self.model_phones.items() if owner == identity_id]

    def issue_to_phones(self, credential_id: str, phones: list[str]) -> None:
        """As docs/fidelity.md says: each phone gets a copy, and the key counts as issued."""
        credential = self.model_credentials[credential_id]
        if credential["access_method"] != "mobile_key" or not phones:
            return
        for phone in phones:
            self.copies.add((credential_id, phone))
        credential["issued"] = True

    def link_issues(self, acs_user_id: str) -> None:
        """A link brings the ACS user's mobile keys to its new identity's phones."""
        identity_id = self.model_users[acs_user_id]["user_identity_id"]
        for credential_id, credential in self.model_credentials.items():
            if credential["acs_user_id"] == acs_user_id:
                self.issue_to_phones(credential_id, self.phones_of(identity_id))

    def new_user(
        self, acs_user_id: str, acs_system_id: str, full_name: str, email: str | None, phone: str | None
    ) -> None:
        assert acs_user_id not in self.model_users
        self.model_users[acs_user_id] = {
            "acs_system_id": acs_system_id,
            "full_name": full_name,
            "email_address": email,
            "phone_number": phone,
            "user_identity_id": None,
            "errors": 0,
            "schedule": (None, None),
            "suspended": False,
        }

    def new_identity(self, identity_id: str, values: dict[str, Any]) -> None:
        assert identity_id not in self.model_identities
        self.model_identities[identity_id] = {
            "user_identity_key": values.get("user_identity_key"),
            "email_address": values.get("email_address"),
            "phone_number": values.get("phone_number"),
            "full_name": values.get("full_name"),
            "acs_user_ids": [],
        }

    def mismatched(self, identity_id: str, acs_user_id: str) -> set[str]:
        """Fields the identity has set that its ACS user does not share."""
        identity = self.model_identities[identity_id]
        user = self.model_users[acs_user_id]
        fields = set()
        if identity["full_name"] is not None and identity["full_name"] != user["full_name"]:
            fields.add("full_name")
        if identity["email_address"] is not None and (
            user["email_address"] is None or fold(user["email_address"]) != fold(identity["email_address"])
        ):
            fields.add("email_address")
        if identity["phone_number"] is not None and identity["phone_number"] != user["phone_number"]:
            fields.add("phone_number")
        return fields

    # Calling the fake -----------------------------------------------------------------

    def accepted(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A call the model expects to succeed; the invariants then compare again."""
        self.dirty = True
        self.access_dirty = True
        self.entrances_dirty = True
        return call(*args, **kwargs)

    def refused(self, code: str, call: Callable[..., Any], **kwargs: Any) -> None:
        """The call fails with ``code`` and changes nothing."""
        before = self.fake.snapshot()
        with pytest.raises(SeamHttpApiError) as raised:
            call(**kwargs)
        assert raised.value.code == code, str(raised.value)
        assert raised.value.status_code in (400, 404)
        assert self.fake.snapshot() == before

    # Seeding ---------------------------------------------------------------------------

    @initialize(
        target=acs_users,
        seeds=st.lists(
            st.tuples(
                st.sampled_from([0, 1]),
                st.sampled_from(POOL_NAMES),
                st.one_of(pool_emails, pool_emails, st.none()),
                st.one_of(pool_phones, st.none()),
                st.booleans(),
            ),
            min_size=2,
            max_size=5,
        ),
    )
    def seed_acs_users(
        self, seeds: list[tuple[int, str, str | None, str | None, bool]]
    ) -> MultipleResults[str]:
        """ACS users that exist before any identity; a twin shares the previous one's system,
        email (upper-cased) and phone, so that identity creation meets ties."""
        created: list[str] = []
        for index, full_name, email, phone, twin in seeds:
            acs_system_id = self.systems[index]
            if twin and created:
                previous = self.model_users[created[-1]]
                acs_system_id, phone = previous["acs_system_id"], previous["phone_number"]
                email = respelled(previous["email_address"], str.upper)
            user = self.fake.add_acs_user(acs_system_id, full_name, email, phone)
            self.new_user(user["acs_user_id"], acs_system_id, full_name, email, phone)
            created.append(user["acs_user_id"])
        return multiple(*created)

    # User identities -------------------------------------------------------------------

    @rule(
        target=identities,
        user_identity_key=optional(keys),
        email_address=optional(emails),
        phone_number=optional(phones),
        full_name=optional(names),
        systems=st.lists(st.sampled_from([0, 0, 1, 1, MISSING]), max_size=3),
    )
    def create_identity(
        self,
        user_identity_key: str | None,
        email_address: str | None,
        phone_number: str | None,
        full_name: str | None,
        systems: list[int],
    ) -> MultipleResults[str] | str:
        values = {
            "user_identity_key": user_identity_key,
            "email_address": email_address,
            "phone_number": phone_number,
            "full_name": full_name,
        }
        return self.try_create_identity(values, [self.system_id(index) for index in systems])

    @rule(
        target=identities,
        acs_user_id=acs_users,
        shared=st.sampled_from(["email", "phone", "both"]),
        respell=st.sampled_from([str, str.upper, str.lower, str.swapcase]),
        full_name=optional(pool_names),
        both_systems=st.booleans(),
    )
    def create_identity_like_acs_user(
        self,
        acs_user_id: str,
        shared: str,
        respell: Callable[[str], str],
        full_name: str | None,
        both_systems: bool,
    ) -> MultipleResults[str] | str:
        """An identity sharing an ACS user's email (respelled) and/or phone: linking at work."""
        user = self.model_users.get(acs_user_id)
        values: dict[str, Any] = {"full_name": full_name}
        if user is not None:
            if shared != "phone":
                values["email_address"] = respelled(user["email_address"], respell)
            if shared != "email":
                values["phone_number"] = user["phone_number"]
        own_system = user["acs_system_id"] if user is not None else self.systems[0]
        return self.try_create_identity(values, self.systems[::-1] if both_systems else [own_system])

    def try_create_identity(
        self, values: dict[str, Any], acs_system_ids: list[str]
    ) -> MultipleResults[str] | str:
        """Create an identity as the model predicts: refused, or linked to matches and new ACS users."""
        email_address, phone_number = values.get("email_address"), values.get("phone_number")
        call: dict[str, Any] = {"acs_system_ids": acs_system_ids} if acs_system_ids else {}
        call.update({name: value for name, value in values.items() if value is not None})

        code = self.conflict(values)
        wanted = list(dict.fromkeys(acs_system_ids))
        if code is None and MISSING_SYSTEM_ID in wanted:
            code = "acs_system_not_found"
        plan: list[tuple[str, str | None]] = []
        for acs_system_id in wanted if code is None else ():
            match = self.best_match(acs_system_id, email_address, phone_number)
            if match is not None and self.model_users[match]["user_identity_id"] is not None:
                code = "acs_user_already_linked_to_user_identity"
                break
            plan.append((acs_system_id, match))
        if code is not None:
            self.refused(code, self.seam.user_identities.create, **call)
            return multiple()

        created = self.accepted(self.seam.user_identities.create, **call)
        identity_id = created.user_identity_id
        self.new_identity(identity_id, values)
        assert len(created.acs_user_ids) == len(plan)
        for (acs_system_id, match), acs_user_id in zip(plan, created.acs_user_ids, strict=True):
            if match is None:
                # A new ACS user, named after the identity, with its email and phone.
                self.new_user(
                    acs_user_id, acs_system_id, self.display_name(identity_id), email_address, phone_number
                )
            else:
                assert acs_user_id == match
            self.link(identity_id, acs_user_id)
        return identity_id

    @rule(identity_id=identities, by_key=st.booleans())
    def get_identity(self, identity_id: str, by_key: bool) -> None:
        identity = self.model_identities.get(identity_id)
        if identity is None:
            self.refused(
                "user_identity_not_found", self.seam.user_identities.get, user_identity_id=identity_id
            )
            return
        if by_key and identity["user_identity_key"] is not None:
            got = self.seam.user_identities.get(user_identity_key=identity["user_identity_key"])
        else:
            got = self.seam.user_identities.get(user_identity_id=identity_id)
        assert got.user_identity_id == identity_id
        assert got.acs_user_ids == identity["acs_user_ids"]

    @rule(
        identity_id=identities,
        user_identity_key=changed(keys),
        email_address=changed(emails),
        phone_number=changed(phones),
        full_name=changed(names),
    )
    def update_identity(
        self, identity_id: str, user_identity_key: Any, email_address: Any, phone_number: Any, full_name: Any
    ) -> None:
        sent = {
            "user_identity_key": user_identity_key,
            "email_address": email_address,
            "phone_number": phone_number,
            "full_name": full_name,
        }
        sent = {name: value for name, value in sent.items() if value is not None}
        changes = {name: None if value is NULL else value for name, value in sent.items()}
        if identity_id not in self.model_identities:
            code: str | None = "user_identity_not_found"
        else:
            code = self.conflict(changes, self_id=identity_id)
        if code is not None:
            self.refused(code, self.seam.user_identities.update, user_identity_id=identity_id, **sent)
            return
        self.accepted(self.seam.user_identities.update, user_identity_id=identity_id, **sent)
        self.model_identities[identity_id].update(changes)

    @rule(identity_id=identities)
    def delete_identity(self, identity_id: str) -> None:
        if identity_id not in self.model_identities:
            self.refused(
                "user_identity_not_found", self.seam.user_identities.delete, user_identity_id=identity_id
            )
            return
        self.accepted(self.seam.user_identities.delete, user_identity_id=identity_id)
        for acs_user_id in list(self.model_identities[identity_id]["acs_user_ids"]):
            self.delete_user(acs_user_id)
        for phone in self.phones_of(identity_id):
            del self.model_phones[phone]
        self.copies = {(parent, phone) for parent, phone in self.copies if phone in self.model_phones}
        for session_id in [s for s, owner in self.model_sessions.items() if owner == identity_id]:
            del self.model_sessions[session_id]
        del self.model_identities[identity_id]

    def link_error(self, identity_id: str, acs_user_id: str) -> str | None:
        """Why ``add_acs_user`` would refuse to link these two (both exist), if it would."""
        holder = self.model_users[acs_user_id]["user_identity_id"]
        if holder is not None and holder != identity_id:
            return "acs_user_already_linked_to_user_identity"
        if self.user_on_system(identity_id, self.model_users[acs_user_id]["acs_system_id"]) is not None:
            return "user_identity_already_has_acs_user_on_acs_system"
        return None

    @rule(identity_id=identities, acs_user_id=acs_users)
    def add_acs_user(self, identity_id: str, acs_user_id: str) -> None:
        add = self.seam.user_identities.add_acs_user
        if acs_user_id not in self.model_users:
            code: str | None = "acs_user_not_found"
        elif identity_id not in self.model_identities:
            code = "user_identity_not_found"
        elif self.model_users[acs_user_id]["user_identity_id"] == identity_id:
            # The link exists: a success that changes nothing.
            before = self.fake.snapshot()
            self.accepted(add, acs_user_id=acs_user_id, user_identity_id=identity_id)
            assert self.fake.snapshot() == before
            return
        else:
            code = self.link_error(identity_id, acs_user_id)
        if code is not None:
            self.refused(code, add, acs_user_id=acs_user_id, user_identity_id=identity_id)
            return
        self.accepted(add, acs_user_id=acs_user_id, user_identity_id=identity_id)
        self.link(identity_id, acs_user_id)

    @rule(target=identities, user_identity_key=st.sampled_from(POOL_KEYS), acs_user_id=acs_users)
    def add_acs_user_by_key(self, user_identity_key: str, acs_user_id: str) -> MultipleResults[str]:
        """By key: an existing key names its identity; an unknown one creates an identity."""
        add = self.seam.user_identities.add_acs_user
        holder = next(
            (
                i
                for i, identity in self.model_identities.items()
                if identity["user_identity_key"] == user_identity_key
            ),
            None,
        )
        user = self.model_users.get(acs_user_id)
        profile = {}
        if user is None:
            code: str | None = "acs_user_not_found"
        elif holder is not None:
            if user["user_identity_id"] == holder:
                before = self.fake.snapshot()
                self.accepted(add, acs_user_id=acs_user_id, user_identity_key=user_identity_key)
                assert self.fake.snapshot() == before
                return multiple()
            code = self.link_error(holder, acs_user_id)
        elif user["user_identity_id"] is not None:
            code = "acs_user_already_linked_to_user_identity"
        else:
            profile = {
                "user_identity_key": user_identity_key,
                "email_address": user["email_address"],
                "phone_number": user["phone_number"],
                "full_name": user["full_name"],
            }
            code = self.conflict(profile)
        if code is not None:
            self.refused(code, add, acs_user_id=acs_user_id, user_identity_key=user_identity_key)
            return multiple()
        self.accepted(add, acs_user_id=acs_user_id, user_identity_key=user_identity_key)
        if holder is not None:
            self.link(holder, acs_user_id)
            return multiple()
        new_id = self.seam.acs.users.get(acs_user_id=acs_user_id).user_identity_id
        self.new_identity(new_id, profile)
        self.link(new_id, acs_user_id)
        return multiple(new_id)

    @rule(identity_id=identities, acs_user_id=acs_users)
    def remove_acs_user(self, identity_id: str, acs_user_id: str) -> None:
        remove = self.seam.user_identities.remove_acs_user
        if identity_id not in self.model_identities:
            code: str | None = "user_identity_not_found"
        elif acs_user_id not in self.model_users:
            code = "acs_user_not_found"
        elif self.model_users[acs_user_id]["user_identity_id"] != identity_id:
            code = "acs_user_not_linked_to_user_identity"
        else:
            code = None
        if code is not None:
            self.refused(code, remove, user_identity_id=identity_id, acs_user_id=acs_user_id)
            return
        self.accepted(remove, user_identity_id=identity_id, acs_user_id=acs_user_id)
        self.unlink(acs_user_id)

    @rule(target=acs_users, identity_id=identities)
    def list_acs_users_of(self, identity_id: str) -> MultipleResults[str]:
        """Reads an identity's ACS users, and hands the ones identity creation made to other rules."""
        if identity_id not in self.model_identities:
            self.refused(
                "user_identity_not_found",
                self.seam.user_identities.list_acs_users,
                user_identity_id=identity_id,
            )
            return multiple()
        listed = self.seam.user_identities.list_acs_users(user_identity_id=identity_id)
        expected = self.model_identities[identity_id]["acs_user_ids"]
        assert [user.acs_user_id for user in listed] == expected
        return multiple(*expected)

    # ACS users -------------------------------------------------------------------------

    @rule(
        target=acs_users,
        system=st.sampled_from([0, 0, 1, 1, MISSING]),
        full_name=st.one_of(pool_names, st.just(""), sf.full_names()),
        email_address=optional(pool_emails),
        phone_number=optional(pool_phones),
        identity_id=optional(identities),
    )
    def create_acs_user(
        self,
        system: int,
        full_name: str,
        email_address: str | None,
        phone_number: str | None,
        identity_id: str | None,
    ) -> MultipleResults[str] | str:
        return self.try_create_acs_user(
            self.system_id(system), full_name, email_address, phone_number, identity_id
        )

    @rule(
        target=acs_users,
        acs_user_id=acs_users,
        full_name=pool_names,
        respell=st.sampled_from([str, str.upper, str.lower, str.swapcase]),
    )
    def create_acs_user_like(
        self, acs_user_id: str, full_name: str, respell: Callable[[str], str]
    ) -> MultipleResults[str] | str:
        """A second ACS user on the same system with the same email (respelled) and phone:
        identity creation must then break the tie by creation order."""
        user = self.model_users.get(acs_user_id)
        if user is None:
            return self.try_create_acs_user(self.systems[0], full_name, None, None, None)
        email = respelled(user["email_address"], respell)
        return self.try_create_acs_user(user["acs_system_id"], full_name, email, user["phone_number"], None)

    def try_create_acs_user(
        self,
        acs_system_id: str,
        full_name: str,
        email_address: str | None,
        phone_number: str | None,
        identity_id: str | None,
    ) -> MultipleResults[str] | str:
        call: dict[str, Any] = {"acs_system_id": acs_system_id, "full_name": full_name}
        optional_values = {
            "email_address": email_address,
            "phone_number": phone_number,
            "user_identity_id": identity_id,
        }
        call.update({name: value for name, value in optional_values.items() if value is not None})
        if not full_name:
            # The acs_user schema forbids an empty full_name, so the fake refuses one.
            code: str | None = "invalid_input"
        elif acs_system_id == MISSING_SYSTEM_ID:
            code = "acs_system_not_found"
        elif identity_id is None:
            code = None
        elif identity_id not in self.model_identities:
            code = "user_identity_not_found"
        elif self.user_on_system(identity_id, acs_system_id) is not None:
            code = "user_identity_already_has_acs_user_on_acs_system"
        else:
            code = None
        if code is not None:
            self.refused(code, self.seam.acs.users.create, **call)
            return multiple()
        created = self.accepted(self.seam.acs.users.create, **call)
        # Never linked by email or phone: only identity_id links.
        self.new_user(created.acs_user_id, acs_system_id, full_name, email_address, phone_number)
        if identity_id is not None:
            self.link(identity_id, created.acs_user_id)
        return created.acs_user_id

    def apply_acs_update(self, acs_user_id: str, sent: dict[str, Any]) -> None:
        self.model_users[acs_user_id].update(sent)

    @rule(
        acs_user_id=acs_users,
        full_name=optional(names),
        email_address=optional(emails),
        phone_number=optional(phones),
    )
    def update_acs_user(
        self, acs_user_id: str, full_name: str | None, email_address: str | None, phone_number: str | None
    ) -> None:
        sent = {"full_name": full_name, "email_address": email_address, "phone_number": phone_number}
        sent = {name: value for name, value in sent.items() if value is not None}
        if acs_user_id not in self.model_users:
            self.refused("acs_user_not_found", self.seam.acs.users.update, acs_user_id=acs_user_id, **sent)
            return
        self.accepted(self.seam.acs.users.update, acs_user_id=acs_user_id, **sent)
        self.apply_acs_update(acs_user_id, sent)

    @rule(acs_user_id=acs_users, full_name=pool_names)
    def rename_acs_user(self, acs_user_id: str, full_name: str) -> None:
        """A profile change that keeps the email and phone identity creation matches by."""
        self.update_acs_user(acs_user_id, full_name, None, None)

    @rule(
        identity_id=identities,
        system=st.sampled_from([0, 1]),
        full_name=st.sampled_from(POOL_NAMES),
        email_address=optional(pool_emails),
    )
    def update_acs_user_of_identity(
        self, identity_id: str, system: int, full_name: str, email_address: str | None
    ) -> None:
        """Names the ACS user by its identity and system, as Seam's reference allows."""
        acs_system_id = self.systems[system]
        sent = {"full_name": full_name}
        if email_address is not None:
            sent["email_address"] = email_address
        update = self.seam.acs.users.update
        by_identity = {"user_identity_id": identity_id, "acs_system_id": acs_system_id}
        if identity_id not in self.model_identities:
            self.refused("user_identity_not_found", update, **by_identity, **sent)
            return
        target = self.user_on_system(identity_id, acs_system_id)
        if target is None:
            self.refused("acs_user_not_found", update, **by_identity, **sent)
            return
        self.accepted(update, **by_identity, **sent)
        self.apply_acs_update(target, sent)

    @rule(acs_user_id=acs_users)
    def delete_acs_user(self, acs_user_id: str) -> None:
        if acs_user_id not in self.model_users:
            self.refused("acs_user_not_found", self.seam.acs.users.delete, acs_user_id=acs_user_id)
            return
        self.accepted(self.seam.acs.users.delete, acs_user_id=acs_user_id)
        self.delete_user(acs_user_id)

    @rule(acs_user_id=acs_users)
    def simulate_acs_user_error(self, acs_user_id: str) -> None:
        if acs_user_id not in self.model_users:
            before = self.fake.snapshot()
            with pytest.raises(KeyError):
                self.fake.simulate_acs_user_error(acs_user_id)
            assert self.fake.snapshot() == before
            return
        self.accepted(self.fake.simulate_acs_user_error, acs_user_id)
        self.model_users[acs_user_id]["errors"] += 1

    # Credentials, phones and client sessions ------------------------------------------------

    @rule(
        target=credential_ids,
        acs_user_id=acs_users,
        access_method=st.sampled_from(["code", "card", "mobile_key"]),
    )
    def create_credential(self, acs_user_id: str, access_method: str) -> MultipleResults[str] | str:
        """System 0 is a Salto KS site (codes it makes itself, cards, mobile keys without a
        credential manager); system 1 a Visionline system (cards; mobile keys only through a
        credential manager, which this workspace lacks)."""
        return self.try_create_credential(acs_user_id, access_method, [], {})

    def try_create_credential(
        self, acs_user_id: str, access_method: str, entrances: list[str], window: dict[str, str]
    ) -> MultipleResults[str] | str:
        """A credential, naming ``entrances`` (allowed_acs_entrance_ids) and with a window if given."""
        call: dict[str, Any] = {"acs_user_id": acs_user_id, "access_method": access_method, **window}
        if entrances:
            call["allowed_acs_entrance_ids"] = entrances
        if access_method == "mobile_key":
            call["is_multi_phone_sync_credential"] = True
        user = self.model_users.get(acs_user_id)
        if user is None:
            code: str | None = "acs_user_not_found"
        elif (user["acs_system_id"] == self.systems[1] and access_method != "card") or any(
            self.model_entrances[e] != user["acs_system_id"] for e in entrances
        ):
            # Visionline takes cards only here; entrances must be on the user's system.
            code = "invalid_input"
        else:
            code = None
        if code is not None:
            self.refused(code, self.seam.acs.credentials.create, **call)
            return multiple()
        created = self.accepted(self.seam.acs.credentials.create, **call)
        self.created_credentials.append(created.acs_credential_id)
        self.model_credentials[created.acs_credential_id] = {
            "acs_user_id": acs_user_id,
            "access_method": access_method,
            # A code is issued at once; a card waits to be encoded; a mobile key for a phone.
            "issued": access_method == "code",
            "entrances": set(entrances),
            # A start in the past is moved to now (Seam's schedule_modified).
            "window": (
                max(moment(window.get("starts_at")) or self.now, self.now),
                moment(window.get("ends_at")),
            ),
        }
        self.issue_to_phones(created.acs_credential_id, self.phones_of(user["user_identity_id"]))
        return created.acs_credential_id

    @rule(credential_id=credential_ids)
    def delete_credential(self, credential_id: str) -> None:
        delete = self.seam.acs.credentials.delete
        if credential_id not in self.model_credentials:
            self.refused("acs_credential_not_found", delete, acs_credential_id=credential_id)
            return
        self.accepted(delete, acs_credential_id=credential_id)
        self.delete_credential_model(credential_id)

    @rule(credential_id=credential_ids)
    def encode_card(self, credential_id: str) -> None:
        """``issue_credential``: a card as if encoded, a mobile key issued to the phones."""
        credential = self.model_credentials.get(credential_id)
        if credential is None:
            before = self.fake.snapshot()
            with pytest.raises(KeyError):
                self.fake.issue_credential(credential_id)
            assert self.fake.snapshot() == before
            return
        self.accepted(self.fake.issue_credential, credential_id)
        credential["issued"] = True
        identity_id = self.model_users[credential["acs_user_id"]]["user_identity_id"]
        self.issue_to_phones(credential_id, self.phones_of(identity_id))

    @rule(target=phone_devices, identity_id=identities)
    def add_phone(self, identity_id: str) -> MultipleResults[str] | str:
        create = self.seam.phones.simulate.create_sandbox_phone
        if identity_id not in self.model_identities:
            self.refused("user_identity_not_found", create, user_identity_id=identity_id)
            return multiple()
        phone = self.accepted(create, user_identity_id=identity_id).device_id
        self.model_phones[phone] = identity_id
        for acs_user_id in self.model_identities[identity_id]["acs_user_ids"]:
            for credential_id, credential in self.model_credentials.items():
                issuable = credential["issued"] or credential["access_method"] == "mobile_key"
                if credential["acs_user_id"] == acs_user_id and issuable:
                    self.issue_to_phones(credential_id, [phone])
        return phone

    @rule(phone=phone_devices)
    def deactivate_phone(self, phone: str) -> None:
        deactivate = self.seam.phones.deactivate
        if phone not in self.model_phones:
            self.refused("phone_not_found", deactivate, device_id=phone)
            return
        self.accepted(deactivate, device_id=phone)
        del self.model_phones[phone]
        self.copies = {(parent, on) for parent, on in self.copies if on != phone}

    @rule(target=session_ids, identity_id=identities)
    def create_client_session(self, identity_id: str) -> MultipleResults[str] | str:
        create = self.seam.client_sessions.create
        if identity_id not in self.model_identities:
            self.refused("user_identity_not_found", create, user_identity_id=identity_id)
            return multiple()
        session = self.accepted(create, user_identity_id=identity_id)
        self.model_sessions[session.client_session_id] = identity_id
        return session.client_session_id

    @rule(session_id=session_ids)
    def delete_client_session(self, session_id: str) -> None:
        delete = self.seam.client_sessions.delete
        if session_id not in self.model_sessions:
            self.refused("client_session_not_found", delete, client_session_id=session_id)
            return
        self.accepted(delete, client_session_id=session_id)
        del self.model_sessions[session_id]

    # Access control: entrances, groups, grants, schedules, the clock ------------------------

    def schedule_of(self, sent: dict[str, Any] | None, *, group: bool = False) -> Schedule:
        """An access_schedule as the model keeps it: a missing start is now (the reference)."""
        if sent is None:
            return (None, None)
        return (moment(sent.get("starts_at")) or self.now, moment(sent.get("ends_at")))

    def whom(
        self, acs_system_id: str, acs_user_id: str | None, identity_id: str | None
    ) -> tuple[str | None, Any]:
        """The refusal a request naming this user (or identity's user) on a system gets, or
        (None, plan): plan is the ACS user, or ("match", id) / ("new", None) for an identity
        that would be linked to a match or given a new ACS user."""
        if acs_user_id is not None:
            user = self.model_users.get(acs_user_id)
            if user is None:
                return "acs_user_not_found", None
            if user["acs_system_id"] != acs_system_id:
                return "invalid_input", None
            return None, acs_user_id
        assert identity_id is not None
        identity = self.model_identities.get(identity_id)
        if identity is None:
            return "user_identity_not_found", None
        linked = self.user_on_system(identity_id, acs_system_id)
        if linked is not None:
            return None, linked
        match = self.best_match(acs_system_id, identity["email_address"], identity["phone_number"])
        if match is not None and self.model_users[match]["user_identity_id"] is not None:
            return "acs_user_already_linked_to_user_identity", None
        return None, ("match", match) if match is not None else ("new", None)

    def ensure_user(self, acs_system_id: str, identity_id: str | None, plan: Any) -> tuple[str, list[str]]:
        """The ACS user a successful request acted on, after the model links (or creates) it;
        and the ACS users it created, for the bundle."""
        if isinstance(plan, str):
            return plan, []
        assert identity_id is not None
        kind, match = plan
        if kind == "match":
            self.link(identity_id, match)
            return match, []
        created = self.seam.acs.users.get(user_identity_id=identity_id, acs_system_id=acs_system_id)
        identity = self.model_identities[identity_id]
        self.new_user(
            created.acs_user_id,
            acs_system_id,
            self.display_name(identity_id),
            identity["email_address"],
            identity["phone_number"],
        )
        self.link(identity_id, created.acs_user_id)
        return created.acs_user_id, [created.acs_user_id]

    @initialize(target=entrances)
    def seed_doors(self) -> MultipleResults[str]:
        """A door on each system, so that the access rules have one from the first step."""
        return multiple(self.seed_entrance(0, "Lobby"), self.seed_entrance(1, "Lobby"))

    @initialize(target=groups, scheduled=st.booleans(), data=st.data())
    def seed_floor_group(self, scheduled: bool, data: st.DataObject) -> str:
        """A group on the Salto KS site with a door of its own (not in the bundle), within an
        access schedule or not."""
        door = self.seed_entrance(0, "Floor door")
        schedule = data.draw(hour_schedules(self.now), label="access_schedule") if scheduled else None
        group = self.accepted(
            self.fake.add_acs_access_group,
            self.systems[0],
            "Floor",
            acs_entrance_ids=[door],
            access_schedule=schedule,
        )
        self.model_groups[group["acs_access_group_id"]] = {
            "acs_system_id": self.systems[0],
            "entrances": {door},
            "schedule": self.schedule_of(schedule),
            "members": set(),
        }
        return str(group["acs_access_group_id"])

    @rule(target=entrances, system=st.sampled_from([0, 1]), name=st.sampled_from(["Lobby", "Garage", "Roof"]))
    def seed_entrance(self, system: int, name: str) -> str:
        """Through ``fake.add_acs_entrance``: entrances come from the access system, not the API."""
        entrance = self.accepted(self.fake.add_acs_entrance, self.systems[system], name)
        self.model_entrances[entrance["acs_entrance_id"]] = self.systems[system]
        return str(entrance["acs_entrance_id"])

    @rule(
        target=groups,
        doors=st.lists(entrances, min_size=1, max_size=3),
        scheduled=st.booleans(),
        data=st.data(),
    )
    def seed_access_group(
        self, doors: list[str], scheduled: bool, data: st.DataObject
    ) -> MultipleResults[str] | str:
        """Through ``fake.add_acs_access_group``, on the Salto KS site (the Visionline system
        grants entrance by entrance, and has no groups)."""
        schedule = (
            data.draw(schedules_at(self.now, complete=False), label="access_schedule") if scheduled else None
        )
        add = self.fake.add_acs_access_group
        call: dict[str, Any] = {"acs_entrance_ids": doors, "access_schedule": schedule}
        if any(self.model_entrances[door] != self.systems[0] for door in doors):
            before = self.fake.snapshot()
            with pytest.raises(InvalidInput):
                add(self.systems[0], "Floor", **call)
            assert self.fake.snapshot() == before
            return multiple()
        group = self.accepted(add, self.systems[0], "Floor", **call)
        self.model_groups[group["acs_access_group_id"]] = {
            "acs_system_id": self.systems[0],
            "entrances": set(doors),
            "schedule": self.schedule_of(schedule),
            "members": set(),
        }
        return str(group["acs_access_group_id"])

    @rule(target=acs_users, door=entrances, acs_user_id=acs_users, identity_id=optional(identities))
    def grant_access(self, door: str, acs_user_id: str, identity_id: str | None) -> MultipleResults[str]:
        """``/acs/entrances/grant_access`` by ACS user or by identity (linked, matched or created)."""
        acs_system_id = self.model_entrances[door]
        by = {"acs_user_id": acs_user_id} if identity_id is None else {"user_identity_id": identity_id}
        grant = self.seam.acs.entrances.grant_access
        if acs_system_id == self.systems[0]:
            # Salto KS gives access through access groups only.
            self.refused("not_supported", grant, acs_entrance_id=door, **by)
            return multiple()
        code, plan = self.whom(acs_system_id, by.get("acs_user_id"), identity_id)
        if code is not None:
            self.refused(code, grant, acs_entrance_id=door, **by)
            return multiple()
        self.accepted(grant, acs_entrance_id=door, **by)
        user, created = self.ensure_user(acs_system_id, identity_id, plan)
        self.grants.add((user, door))
        return multiple(*created)

    @rule(
        target=acs_users,
        group_id=groups,
        acs_user_id=acs_users,
        identity_id=optional(identities),
        route=st.sampled_from(["access_groups", "acs_users"]),
    )
    def add_to_group(
        self, group_id: str, acs_user_id: str, identity_id: str | None, route: str
    ) -> MultipleResults[str]:
        """``/acs/access_groups/add_user`` (by ACS user or identity) or ``/acs/users/add_to_access_group``."""
        if route == "acs_users" or identity_id is None:
            # /acs/users/add_to_access_group takes an ACS user only.
            by: dict[str, str] = {"acs_user_id": acs_user_id}
            identity_id = None
        else:
            by = {"user_identity_id": identity_id}
        if route == "acs_users":
            add = self.seam.acs.users.add_to_access_group
        else:
            add = self.seam.acs.access_groups.add_user
        group = self.model_groups.get(group_id)
        if group is None:
            self.refused("acs_access_group_not_found", add, acs_access_group_id=group_id, **by)
            return multiple()
        code, plan = self.whom(group["acs_system_id"], by.get("acs_user_id"), identity_id)
        if code is not None:
            self.refused(code, add, acs_access_group_id=group_id, **by)
            return multiple()
        self.accepted(add, acs_access_group_id=group_id, **by)
        user, created = self.ensure_user(group["acs_system_id"], identity_id, plan)
        group["members"].add(user)
        return multiple(*created)

    @rule(
        group_id=groups,
        acs_user_id=acs_users,
        identity_id=optional(identities),
        route=st.sampled_from(["access_groups", "acs_users"]),
    )
    def remove_from_group(self, group_id: str, acs_user_id: str, identity_id: str | None, route: str) -> None:
        """``/acs/access_groups/remove_user`` or ``/acs/users/remove_from_access_group``; one not
        in the group (or an identity with no ACS user there) is left as it is."""
        by = {"acs_user_id": acs_user_id} if identity_id is None else {"user_identity_id": identity_id}
        if route == "acs_users":
            remove = self.seam.acs.users.remove_from_access_group
        else:
            remove = self.seam.acs.access_groups.remove_user
        group = self.model_groups.get(group_id)
        if group is None:
            self.refused("acs_access_group_not_found", remove, acs_access_group_id=group_id, **by)
            return
        code, plan = self.whom(group["acs_system_id"], by.get("acs_user_id"), identity_id)
        if code is not None:
            self.refused(code, remove, acs_access_group_id=group_id, **by)
            return
        self.accepted(remove, acs_access_group_id=group_id, **by)
        if isinstance(plan, str):
            group["members"].discard(plan)

    @rule(group_id=groups)
    def delete_group(self, group_id: str) -> None:
        delete = self.seam.acs.access_groups.delete
        if group_id not in self.model_groups:
            self.refused("acs_access_group_not_found", delete, acs_access_group_id=group_id)
            return
        self.accepted(delete, acs_access_group_id=group_id)
        del self.model_groups[group_id]

    @rule(acs_user_id=acs_users, clear=st.booleans(), broken=st.booleans(), data=st.data())
    def set_access_schedule(self, acs_user_id: str, clear: bool, broken: bool, data: st.DataObject) -> None:
        """``/acs/users/update`` with ``access_schedule``: both times (the update requires them),
        null to remove it, or (refused) one of ``sf.invalid_access_schedules``."""
        update = self.seam.acs.users.update
        flaw = None
        if clear:
            sent: Any = NULL
        elif broken:
            sent, flaw = data.draw(sf.invalid_access_schedules(self.now, complete=True), label="broken")
        else:
            sent = data.draw(schedules_at(self.now), label="access_schedule")
        # The shape and the times are read with the parameters, before the user is looked up;
        # the order of the times against each other and the clock after.
        if broken and not clear and flaw not in ("reversed", "ended"):
            self.refused("invalid_input", update, acs_user_id=acs_user_id, access_schedule=sent)
            return
        if acs_user_id not in self.model_users:
            self.refused("acs_user_not_found", update, acs_user_id=acs_user_id, access_schedule=sent)
            return
        if broken and not clear:
            self.refused("invalid_input", update, acs_user_id=acs_user_id, access_schedule=sent)
            return
        self.accepted(update, acs_user_id=acs_user_id, access_schedule=sent)
        self.model_users[acs_user_id]["schedule"] = (None, None) if clear else self.schedule_of(sent)

    @rule(acs_user_id=acs_users, suspended=st.booleans())
    def suspend(self, acs_user_id: str, suspended: bool) -> None:
        call = self.seam.acs.users.suspend if suspended else self.seam.acs.users.unsuspend
        if acs_user_id not in self.model_users:
            self.refused("acs_user_not_found", call, acs_user_id=acs_user_id)
            return
        self.accepted(call, acs_user_id=acs_user_id)
        self.model_users[acs_user_id]["suspended"] = suspended

    @rule(acs_user_id=acs_users, identity_id=optional(identities))
    def revoke_access_to_all_entrances(self, acs_user_id: str, identity_id: str | None) -> None:
        """By ACS user, or by identity (every one of its ACS users): out of every group, no
        grants, credentials naming no entrance; the users and credentials remain."""
        revoke = self.seam.acs.users.revoke_access_to_all_entrances
        if identity_id is None:
            by, code = (
                {"acs_user_id": acs_user_id},
                None if acs_user_id in self.model_users else "acs_user_not_found",
            )
        else:
            by = {"user_identity_id": identity_id}
            code = None if identity_id in self.model_identities else "user_identity_not_found"
        if code is not None:
            self.refused(code, revoke, **by)
            return
        self.accepted(revoke, **by)
        users = [acs_user_id] if identity_id is None else self.model_identities[identity_id]["acs_user_ids"]
        for user in users:
            for group in self.model_groups.values():
                group["members"].discard(user)
            self.grants = {(u, door) for u, door in self.grants if u != user}
            for credential in self.model_credentials.values():
                if credential["acs_user_id"] == user:
                    credential["entrances"] = set()

    @rule(
        target=credential_ids,
        acs_user_id=acs_users,
        doors=st.lists(entrances, min_size=1, max_size=2),
        windowed=st.booleans(),
        data=st.data(),
    )
    def create_card_for_entrances(
        self, acs_user_id: str, doors: list[str], windowed: bool, data: st.DataObject
    ) -> MultipleResults[str] | str:
        """A card naming entrances (``allowed_acs_entrance_ids``), within a window if drawn."""
        window: dict[str, str] = {}
        if windowed:
            drawn = data.draw(schedules_at(self.now, complete=False), label="window")
            window = {name: value for name, value in drawn.items() if value is not None}
        return self.try_create_credential(acs_user_id, "card", list(dict.fromkeys(doors)), window)

    def move_clock_to(self, when: datetime) -> None:
        self.clock_hand.move_to(when)
        self.now = when
        self.entrances_dirty = True
        assert datetime.now(timezone.utc) == when

    @rule(step=st.sampled_from(CLOCK_STEPS))
    def move_clock(self, step: timedelta) -> None:
        self.move_clock_to(self.now + step)

    @rule(data=st.data())
    def move_clock_to_a_boundary(self, data: st.DataObject) -> None:
        """To the very millisecond a schedule or window starts or ends (within a day)."""
        bounds = {
            bound
            for schedule in (
                *(u["schedule"] for u in self.model_users.values()),
                *(g["schedule"] for g in self.model_groups.values()),
                *(c["window"] for c in self.model_credentials.values()),
            )
            for bound in schedule
            if bound is not None and self.now < bound <= self.now + timedelta(days=1)
        }
        if bounds:
            self.move_clock_to(data.draw(st.sampled_from(sorted(bounds)), label="boundary"))

    # Invariants ------------------------------------------------------------------------

    @invariant()
    def fake_agrees_with_model(self) -> None:
        if not self.dirty:
            return
        self.dirty = False
        identities = self.seam.user_identities.list()
        users = self.seam.acs.users.list()

        # The fake's own consistency: links agree both ways, one identity per ACS user.
        owner: dict[str, str] = {}
        for identity in identities:
            for acs_user_id in identity.acs_user_ids:
                assert acs_user_id not in owner, f"{acs_user_id} linked to two identities"
                owner[acs_user_id] = identity.user_identity_id
        listed_users = {user.acs_user_id for user in users}
        assert set(owner) <= listed_users
        for user in users:
            assert user.user_identity_id == owner.get(user.acs_user_id)

        # Identities, newest first.
        assert [identity.user_identity_id for identity in identities] == list(reversed(self.model_identities))
        for identity in identities:
            identity_id = identity.user_identity_id
            expected = self.model_identities[identity_id]
            for name in (*UNIQUE_FIELDS, "full_name", "acs_user_ids"):
                assert getattr(identity, name) == expected[name], (name, identity_id)
            assert identity.display_name == self.display_name(identity_id)

            expected_errors = [
                ("issue_with_acs_user", acs_user_id, self.model_users[acs_user_id]["acs_system_id"])
                for acs_user_id in expected["acs_user_ids"]
                if self.model_users[acs_user_id]["errors"]
            ]
            assert [
                (e.error_code, e.acs_user_id, e.acs_system_id) for e in identity.errors
            ] == expected_errors

            expected_warnings = [
                (acs_user_id, fields)
                for acs_user_id in expected["acs_user_ids"]
                if (fields := self.mismatched(identity_id, acs_user_id))
            ]
            assert [w.warning_code for w in identity.warnings] == [MISMATCH] * len(expected_warnings)
            # The warning carries no acs_user_id field; its message names the user and the fields.
            for warning, (acs_user_id, fields) in zip(identity.warnings, expected_warnings, strict=True):
                named = [i for i in expected["acs_user_ids"] if i in warning.message]
                assert named == [acs_user_id], warning.message
                assert {f for f in PROFILE_FIELDS if f in warning.message} == fields, warning.message

        # ACS users, newest first.
        assert [user.acs_user_id for user in users] == list(reversed(self.model_users))
        for user in users:
            expected = self.model_users[user.acs_user_id]
            for name in ("acs_system_id", "full_name", "email_address", "phone_number", "user_identity_id"):
                assert getattr(user, name) == expected[name], (name, user.acs_user_id)
            assert len(user.errors) == expected["errors"]
            identity_id = expected["user_identity_id"]
            linked = self.model_identities[identity_id] if identity_id is not None else {}
            assert user.user_identity_full_name == linked.get("full_name")
            assert user.user_identity_email_address == linked.get("email_address")
            assert user.user_identity_phone_number == linked.get("phone_number")

    @invariant()
    def credentials_phones_and_sessions_agree_with_model(self) -> None:
        if not getattr(self, "access_dirty", True) or not hasattr(self, "model_credentials"):
            return
        self.access_dirty = False
        listed = list(self.seam.create_paginator(self.seam.acs.credentials.list).flatten())
        parents = {c.acs_credential_id: c for c in listed if not getattr(c, "parent_acs_credential_id", None)}
        assert set(parents) == set(self.model_credentials)
        for credential_id, credential in parents.items():
            expected = self.model_credentials[credential_id]
            # No credential without its ACS user.
            assert credential.acs_user_id == expected["acs_user_id"] in self.model_users
            assert credential.access_method == expected["access_method"]
            assert credential.is_issued == expected["issued"], credential_id
        copies = {
            (c.parent_acs_credential_id, self.phone_of(c))
            for c in listed
            if c.acs_credential_id not in parents
        }
        assert copies == self.copies
        assert {p.device_id: p for p in self.seam.phones.list()}.keys() == self.model_phones.keys()
        # No client session for a deleted identity.
        sessions = {s.client_session_id: s.user_identity_ids for s in self.seam.client_sessions.list()}
        assert sessions == {session: [owner] for session, owner in self.model_sessions.items()}
        # Events agree with state: what exists was never reported deleted; what is issued was reported so.
        events = self.seam.events.list(since="2000-01-01T00:00:00Z", limit=100_000)
        deleted = {e.acs_credential_id for e in events if e.event_type == "acs_credential.deleted"}
        issued = {e.acs_credential_id for e in events if e.event_type == "acs_credential.issued"}
        gone_sessions = {e.client_session_id for e in events if e.event_type == "client_session.deleted"}
        for credential in listed:
            assert credential.acs_credential_id not in deleted
            assert (credential.acs_credential_id in issued) == bool(credential.is_issued)
        assert not gone_sessions & set(sessions)
        assert deleted >= set(self.deleted_credentials())

    def phone_of(self, credential: Any) -> str:
        (phone,) = [
            p.device_id for p in self.seam.phones.list(acs_credential_id=credential.acs_credential_id)
        ]
        return phone

    def deleted_credentials(self) -> list[str]:
        """Credentials the model created that are gone (each must have a deleted event)."""
        return [c for c in self.created_credentials if c not in self.model_credentials]

    def entrances_of(self, acs_user_id: str) -> set[str]:
        """What an ACS user can open now, from the model's bookkeeping alone."""
        user = self.model_users[acs_user_id]
        if user["suspended"] or not within(user["schedule"], self.now):
            return set()
        found = {door for u, door in self.grants if u == acs_user_id}
        for group in self.model_groups.values():
            if acs_user_id in group["members"] and within(group["schedule"], self.now):
                found |= group["entrances"]
        for credential in self.model_credentials.values():
            if credential["acs_user_id"] == acs_user_id and within(credential["window"], self.now):
                found |= credential["entrances"]
        return found

    def in_entrance_order(self, found: set[str]) -> list[str]:
        return [door for door in self.model_entrances if door in found]

    @invariant()
    def accessible_entrances_agree_with_model(self) -> None:
        """``/acs/users/list_accessible_entrances`` and ``/user_identities/list_accessible_entrances``
        list what the model derives at the clock's time, in the order the entrances were added."""
        if not getattr(self, "entrances_dirty", True) or not getattr(self, "model_entrances", None):
            return
        self.entrances_dirty = False
        assert datetime.now(timezone.utc) == self.now
        expected = {acs_user_id: self.entrances_of(acs_user_id) for acs_user_id in self.model_users}
        for acs_user_id, found in expected.items():
            listed = self.seam.acs.users.list_accessible_entrances(acs_user_id=acs_user_id)
            assert [e.acs_entrance_id for e in listed] == self.in_entrance_order(found), (
                acs_user_id,
                self.now,
            )
        for identity_id, identity in self.model_identities.items():
            found = set().union(*(expected[u] for u in identity["acs_user_ids"]))
            listed = self.seam.user_identities.list_accessible_entrances(user_identity_id=identity_id)
            assert [e.acs_entrance_id for e in listed] == self.in_entrance_order(found), (
                identity_id,
                self.now,
            )


TestSeamModel = SeamModel.TestCase
