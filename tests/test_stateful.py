"""Recipe: testing your own Seam code with a Hypothesis state machine.

This file is written as a user of seam-fake would write it. The "application" at the
top onboards and offboards members of a building through the ``seam`` SDK, building
its client with ``Seam()`` and no arguments, as production code does (once, and kept:
a client costs tens of milliseconds). The state machine below subclasses
``seam_fake.stateful.FakeSeamStateMachine``: each example starts from an empty fake
patched into the HTTP clients with ``SEAM_API_KEY`` set, ``setup_fake`` seeds the
building (and drops the app's kept client, so it reads the environment afresh), the
rules call the application, and the invariant checks what it promises through the
same SDK.

Covered here:

- ``TestOnboarding``: onboarding (new members, members matching an ACS user already on
  the building, members onboarded twice or with their email in another letter case,
  members whose access was revoked outside the app) and offboarding, in any order;
  the app's promises hold after every step.
- ``test_the_machine_restores_the_environment`` /
  ``test_a_failing_machine_restores_the_environment``: after a run, passing or
  failing, ``SEAM_API_KEY`` and ``SEAM_ENDPOINT`` are what they were and httpx and
  requests are unpatched.
"""

from __future__ import annotations

import functools
import os
from typing import Any, ClassVar

import httpx
import pytest
import requests
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule, run_state_machine_as_test
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam, fold_email
from seam_fake import strategies as sf
from seam_fake.stateful import FakeSeamStateMachine

# The application under test --------------------------------------------------------------


@functools.cache
def seam_client() -> Seam:
    """The app's one Seam client, built on first use from the environment (SEAM_API_KEY).

    Built once because a client costs tens of milliseconds (its TLS context).
    """
    return Seam()


def _identity_for(seam: Seam, email: str) -> Any | None:
    """The user identity holding ``email`` (Seam compares emails case-insensitively)."""
    # `search` matches substrings: "ana@example.com" also finds "hana@example.com".
    for identity in seam.user_identities.list(search=email):
        if identity.email_address is not None and fold_email(identity.email_address) == fold_email(email):
            return identity
    return None


def onboard_member(email: str, full_name: str, building_id: str) -> str:
    """Give a member access to a building; returns their user identity id.

    Safe to call again for someone already onboarded, or whose access was revoked.
    """
    seam = seam_client()
    try:
        identity = seam.user_identities.create(
            email_address=email, full_name=full_name, acs_system_ids=[building_id]
        )
    except SeamHttpApiError as error:
        if error.code != "email_address_already_in_use":
            raise
    else:
        identity_id: str = identity.user_identity_id
        return identity_id
    existing = _identity_for(seam, email)
    assert existing is not None, "Seam said the email is in use"
    access = seam.acs.users.list(user_identity_id=existing.user_identity_id, acs_system_id=building_id)
    if not access:
        seam.acs.users.create(
            acs_system_id=building_id,
            full_name=full_name,
            email_address=email,
            user_identity_id=existing.user_identity_id,
        )
    existing_id: str = existing.user_identity_id
    return existing_id


def offboard_member(email: str) -> None:
    """Remove a member: their user identity, and with it their access."""
    seam = seam_client()
    identity = _identity_for(seam, email)
    if identity is not None:
        seam.user_identities.delete(user_identity_id=identity.user_identity_id)


# The state machine -----------------------------------------------------------------------

# A small pool, so the same people come back: one address in two letter cases, and one
# that contains another.
EMAILS = ("ana@example.com", "ANA@Example.com", "hana@example.com", "ben@example.org", "cleo@example.test")


# A smaller budget than the profile's: after every step the invariant lists everything.
@settings(max_examples=25, stateful_step_count=10)
class Onboarding(FakeSeamStateMachine):
    def setup_fake(self, fake: FakeSeam) -> None:
        # The app keeps its client: make it read this example's SEAM_API_KEY afresh.
        seam_client.cache_clear()
        self.building = fake.add_acs_system("Main Building")["acs_system_id"]
        self.annex = fake.add_acs_system("Annex", external_type="visionline_system")["acs_system_id"]
        # People already in the building's access system before the app existed.
        self.old_ana = fake.add_acs_user(self.building, "Ana Lima", email_address="ana@example.com")[
            "acs_user_id"
        ]
        self.guard = fake.add_acs_user(self.building, "Night Guard", email_address="guard@example.com")[
            "acs_user_id"
        ]
        self.annex_ana = fake.add_acs_user(self.annex, "Ana Lima", email_address="ana@example.com")[
            "acs_user_id"
        ]
        # Model: folded email -> identity id, for members with access and members whose
        # access was revoked outside the app; ACS users that must be gone.
        self.members: dict[str, str] = {}
        self.revoked: dict[str, str] = {}
        self.gone: set[str] = set()

    def _access(self, identity_id: str) -> list[Any]:
        return list(self.seam.acs.users.list(user_identity_id=identity_id))

    @rule(email=st.sampled_from(EMAILS), full_name=sf.full_names())
    def onboard(self, email: str, full_name: str) -> None:
        known = self.members.get(fold_email(email)) or self.revoked.get(fold_email(email))
        identity_id = onboard_member(email, full_name, self.building)
        if known is not None:
            # Onboarding again keeps the member's identity.
            assert identity_id == known
        self.revoked.pop(fold_email(email), None)
        self.members[fold_email(email)] = identity_id

    @precondition(lambda self: self.members or self.revoked)
    @rule(email=st.sampled_from(EMAILS))
    def offboard(self, email: str) -> None:
        identity_id = self.members.pop(fold_email(email), None) or self.revoked.pop(fold_email(email), None)
        if identity_id is not None:
            self.gone.update(user.acs_user_id for user in self._access(identity_id))
        offboard_member(email)

    @precondition(lambda self: self.members)
    @rule(data=st.data())
    def revoke_outside_the_app(self, data: st.DataObject) -> None:
        """An administrator deletes a member's ACS user in the access system directly."""
        email = data.draw(st.sampled_from(sorted(self.members)), label="email")
        identity_id = self.members.pop(email)
        [user] = self.seam.acs.users.list(user_identity_id=identity_id, acs_system_id=self.building)
        self.seam.acs.users.delete(acs_user_id=user.acs_user_id)
        self.gone.add(user.acs_user_id)
        self.revoked[email] = identity_id

    def _seam_now(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Every user identity and every ACS user, by id, as Seam reports them now."""
        identities = {identity.user_identity_id: identity for identity in self.seam.user_identities.list()}
        users = {user.acs_user_id: user for user in self.seam.acs.users.list()}
        return identities, users

    @invariant()
    def the_apps_promises_hold(self) -> None:
        identities, users = self._seam_now()
        # Every member has exactly one ACS user on the building, linked to their identity.
        by_email = {fold_email(identity.email_address): identity for identity in identities.values()}
        for email, identity_id in self.members.items():
            identity = by_email[email]
            assert identity.user_identity_id == identity_id
            [user] = [user for user in users.values() if user.user_identity_id == identity_id]
            assert user.acs_system_id == self.building
            assert identity.acs_user_ids == [user.acs_user_id]
        # Members whose access was revoked keep their identity, without access, until onboarded again.
        for email, identity_id in self.revoked.items():
            identity = by_email[email]
            assert identity.user_identity_id == identity_id and identity.acs_user_ids == []
            assert not [user for user in users.values() if user.user_identity_id == identity_id]
        # Only current members have an identity: offboarding removed the rest.
        assert sorted(fold_email(identity.email_address) for identity in identities.values()) == sorted(
            {*self.members, *self.revoked}
        )
        # The ACS users of offboarded (or revoked) members are gone.
        assert not self.gone & users.keys()
        guard = users[self.guard]
        assert guard.user_identity_id is None and guard.email_address == "guard@example.com"
        # Access is granted on the building only: Ana's annex account stays unlinked.
        assert users[self.annex_ana].user_identity_id is None
        # Ana's existing account on the building is the one she is given, not a second one.
        ana = self.members.get("ana@example.com")
        if ana is not None and self.old_ana not in self.gone:
            assert users[self.old_ana].user_identity_id == ana


TestOnboarding = Onboarding.TestCase


# The base leaves the environment as it found it -------------------------------------------


class Watched(Onboarding):
    """Onboarding, noting what ``Seam()`` would read from the environment at each step."""

    seen: ClassVar[list[tuple[str | None, str | None, str]]] = []

    @invariant()
    def note_the_environment(self) -> None:
        seen = (os.environ.get("SEAM_API_KEY"), os.environ.get("SEAM_ENDPOINT"), self.fake.api_key)
        type(self).seen.append(seen)


class Failing(Onboarding):
    """Onboarding whose checks fail at once, after the base has patched and set the environment."""

    @invariant()
    def crash(self) -> None:
        raise RuntimeError("the application broke")


QUICK = settings(max_examples=3, stateful_step_count=4, database=None, phases=[Phase.generate])


@pytest.fixture
def outer_environment(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Credentials pointing elsewhere, as a developer's shell might have them."""
    monkeypatch.setenv("SEAM_API_KEY", "seam_outer_key")
    monkeypatch.setenv("SEAM_ENDPOINT", "https://seam.example.invalid")
    monkeypatch.delenv("SEAM_WORKSPACE_ID", raising=False)
    return {
        "httpx": httpx.HTTPTransport.handle_request,
        "httpx_async": httpx.AsyncHTTPTransport.handle_async_request,
        "requests": requests.adapters.HTTPAdapter.send,
    }


def assert_environment_restored(originals: dict[str, Any]) -> None:
    assert os.environ["SEAM_API_KEY"] == "seam_outer_key"
    assert os.environ["SEAM_ENDPOINT"] == "https://seam.example.invalid"
    assert "SEAM_WORKSPACE_ID" not in os.environ
    assert httpx.HTTPTransport.handle_request is originals["httpx"]
    assert httpx.AsyncHTTPTransport.handle_async_request is originals["httpx_async"]
    assert requests.adapters.HTTPAdapter.send is originals["requests"]


def test_the_machine_restores_the_environment(outer_environment: dict[str, Any]) -> None:
    Watched.seen = []
    run_state_machine_as_test(Watched, settings=QUICK)
    assert_environment_restored(outer_environment)
    # During the run, Seam() read the fake's key and the default endpoint, which the fake answers.
    assert Watched.seen
    assert all(key == fake_key and endpoint is None for key, endpoint, fake_key in Watched.seen)


def test_a_failing_machine_restores_the_environment(outer_environment: dict[str, Any]) -> None:
    with pytest.raises(RuntimeError, match="the application broke"):
        run_state_machine_as_test(Failing, settings=QUICK)
    assert_environment_restored(outer_environment)
