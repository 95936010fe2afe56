"""Client session tokens as credentials: how they are sent, where they are accepted, when
they stop working, and what a request made with one sees.

A token is sent as `Authorization: Bearer <token>`, or in the `client-session-token` (or
`seam-client-session-token`) header, which wins over `Authorization` as in the official
fake. The Python SDK 3.18 has no option for a token (and refuses `api_key="seam_cst..."`),
so the SDK is given a placeholder API key and the token in lower-case headers that replace
the ones it would send. The SDK reports every 401 as plain `unauthorized`, so 401 error
types are checked over plain requests.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import freezegun
import pytest
import requests
import time_machine
from helpers import Raw, assert_error, expect_api_error, ok, seam_time, unchanged
from seam import AsyncSeam, Seam, SeamHttpUnauthorizedError, SeamInvalidTokenError

from seam_fake import FakeSeam
from seam_fake.api.operation import CLIENT_SESSION
from seam_fake.api.routes import ROUTES, Route

PLACEHOLDER_KEY = "seam_placeholder_key"
SINCE = "2000-01-01T00:00:00Z"
ROUTE_LIST = sorted(ROUTES.values(), key=lambda route: route.path)
# The three ways a client session token may be sent.
STYLES = ("authorization", "client-session-token", "seam-client-session-token")

# Many cases build a Seam client: share one SSL context (see conftest.py).


# Helpers -------------------------------------------------------------------------------


def token_headers(token: str, style: str = "authorization") -> dict[str, str]:
    """Headers carrying a client session token: in Authorization alone, or in a
    client-session-token header beside a placeholder API key (the JavaScript SDK's way)."""
    if style == "authorization":
        return {"Authorization": f"Bearer {token}"}
    return {"Authorization": f"Bearer {PLACEHOLDER_KEY}", style: token}


def sdk_headers(token: str) -> dict[str, str]:
    # Lower case: the SDK's own `authorization` would otherwise be sent beside ours.
    return {"authorization": f"Bearer {token}", "client-session-token": token}


def client_for(fake: FakeSeam, token: str) -> Seam:
    """The SDK authenticating with a client session token."""
    return Seam(
        api_key=PLACEHOLDER_KEY,
        endpoint=fake.endpoint,
        httpx_options={"headers": sdk_headers(token)},
    )


def send(
    raw: Raw, token: str, path: str, body: dict[str, Any] | None = None, style: str = "authorization"
) -> requests.Response:
    """A POST authenticated with a client session token only."""
    return raw.post(path, json=body or {}, headers=token_headers(token, style))


def refused(
    fake: FakeSeam, raw: Raw, token: str, path: str, status: int, error_type: str, **body: Any
) -> str:
    """A request with the token refused with ``status`` and ``error_type``, changing nothing;
    the error message."""
    with unchanged(fake):
        response = send(raw, token, path, body)
    message: str = assert_error(response, status, error_type)["message"]
    return message


def listed_ids(response: requests.Response, key: str, id_field: str) -> list[str]:
    return [item[id_field] for item in ok(response)[key]]


def _travel(clock: str, moment: datetime) -> AbstractContextManager[Any]:
    if clock == "time_machine":
        return time_machine.travel(moment, tick=False)
    return freezegun.freeze_time(moment)


def parse(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


# A workspace with two identities ------------------------------------------------------


@dataclass
class TwoPeople:
    """Alice and Bob in one workspace. Alice has an ACS user on the shared site, Bob on the
    shared site and on his own; a third site has nobody. Each has a mobile key issued to a
    phone; Bob has a code too, and an ACS user nobody owns has a code. ``token`` is a client
    session token for Alice alone."""

    fake: FakeSeam
    raw: Raw
    shared: str
    bobs_site: str
    empty_site: str
    alice: str
    bob: str
    alice_user: str
    bob_users: list[str]
    loner: str
    alice_key: str
    bob_key: str
    bob_code: str
    loner_code: str
    alice_phone: str
    bob_phone: str
    session_id: str
    token: str

    @property
    def client(self) -> Seam:
        return client_for(self.fake, self.token)


@pytest.fixture
def people(fake_seam: FakeSeam, raw: Raw) -> TwoPeople:
    fake = fake_seam
    shared = fake.add_acs_system("Shared Site")["acs_system_id"]
    bobs_site = fake.add_acs_system("Bob's Site")["acs_system_id"]
    empty_site = fake.add_acs_system("Empty Site")["acs_system_id"]
    loner = fake.add_acs_user(shared, "Lone Ranger")["acs_user_id"]
    alice = fake.add_user_identity(
        full_name="Alice Ash", email_address="alice@example.com", acs_system_ids=[shared]
    )
    bob = fake.add_user_identity(
        full_name="Bob Birch", email_address="bob@example.com", acs_system_ids=[shared, bobs_site]
    )
    (alice_user,) = alice["acs_user_ids"]

    def mobile_key(user_identity_id: str) -> str:
        credential = fake.add_acs_credential(
            "mobile_key",
            user_identity_id=user_identity_id,
            acs_system_id=shared,
            is_multi_phone_sync_credential=True,
        )
        return str(credential["acs_credential_id"])

    alice_key, bob_key = mobile_key(alice["user_identity_id"]), mobile_key(bob["user_identity_id"])
    bob_code = fake.add_acs_credential(
        "code", user_identity_id=bob["user_identity_id"], acs_system_id=bobs_site
    )
    loner_code = fake.add_acs_credential("code", acs_user_id=loner)
    alice_phone = fake.add_phone(alice["user_identity_id"])["device_id"]
    bob_phone = fake.add_phone(bob["user_identity_id"])["device_id"]
    session = fake.add_client_session(user_identity_id=alice["user_identity_id"])
    return TwoPeople(
        fake=fake,
        raw=raw,
        shared=shared,
        bobs_site=bobs_site,
        empty_site=empty_site,
        alice=alice["user_identity_id"],
        bob=bob["user_identity_id"],
        alice_user=alice_user,
        bob_users=bob["acs_user_ids"],
        loner=loner,
        alice_key=alice_key,
        bob_key=bob_key,
        bob_code=bob_code["acs_credential_id"],
        loner_code=loner_code["acs_credential_id"],
        alice_phone=alice_phone,
        bob_phone=bob_phone,
        session_id=session["client_session_id"],
        token=session["token"],
    )


# Where a token is accepted ------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("route", ROUTE_LIST, ids=[route.path for route in ROUTE_LIST])
def test_a_token_is_accepted_exactly_where_the_route_says(
    people: TwoPeople, fake_seam: FakeSeam, raw: Raw, route: Route, style: str
) -> None:
    with unchanged(fake_seam):
        response = send(raw, people.token, route.path, {}, style)
    if CLIENT_SESSION in route.credentials:
        # Past authentication: answered, or refused for its parameters.
        assert response.status_code != 401, response.text
        if response.status_code != 200:
            assert response.json()["error"]["type"] == "invalid_input", response.text
    else:
        error = assert_error(response, 401, "unauthorized")
        assert route.path in error["message"]
        assert "client session token" in error["message"]


def test_the_routes_that_accept_a_token(people: TwoPeople) -> None:
    # Seam's reference lists `client_session` in the security of exactly these of the fake's routes.
    accepting = {route.path for route in ROUTE_LIST if CLIENT_SESSION in route.credentials}
    assert accepting == {
        "/acs/access_groups/delete",
        "/acs/credentials/list",
        "/acs/entrances/get",
        "/acs/entrances/list",
        "/acs/entrances/list_credentials_with_access",
        "/acs/users/list_accessible_entrances",
        "/action_attempts/get",
        "/acs/systems/list",
        "/acs/users/list",
        "/client_sessions/get",
        "/events/get",
        "/events/list",
        "/phones/deactivate",
        "/user_identities/list",
        "/user_identities/list_acs_systems",
        "/user_identities/list_accessible_entrances",
        "/user_identities/unmanaged/list",
        "/user_identities/unmanaged/update",
        "/workspaces/get",
        "/workspaces/list",
    }
    # And an API key, the same request, still reaches one that refuses a token.
    assert ok(people.raw.post("/client_sessions/list", json={}))["client_sessions"]


# How a token is sent -------------------------------------------------------------------


def test_the_sdk_with_a_token_in_its_headers(people: TwoPeople) -> None:
    client = people.client
    assert client.client_sessions.get().client_session_id == people.session_id
    assert [i.user_identity_id for i in client.user_identities.list()] == [people.alice]
    assert client.workspaces.get().workspace_id == people.fake.workspace_id
    with unchanged(people.fake), pytest.raises(SeamHttpUnauthorizedError):
        client.client_sessions.list()


def test_the_sdk_refuses_a_token_as_its_api_key(people: TwoPeople) -> None:
    # Why the tests above put the token in headers: 3.18 has no option for it.
    with pytest.raises(SeamInvalidTokenError, match="Client Session Token"):
        Seam(api_key=people.token, endpoint=people.fake.endpoint)


@pytest.mark.parametrize("style", STYLES)
def test_a_token_in_each_header(people: TwoPeople, style: str) -> None:
    response = send(people.raw, people.token, "/user_identities/list", style=style)
    assert listed_ids(response, "user_identities", "user_identity_id") == [people.alice]
    session = ok(send(people.raw, people.token, "/client_sessions/get", style=style))["client_session"]
    assert session["client_session_id"] == people.session_id


def test_the_bearer_scheme_is_case_insensitive_for_a_token(people: TwoPeople) -> None:
    response = people.raw.post(
        "/client_sessions/get", json={}, headers={"Authorization": f"bearer {people.token}"}
    )
    assert ok(response)["client_session"]["client_session_id"] == people.session_id


def test_the_client_session_token_header_wins_over_an_api_key(people: TwoPeople, fake_seam: FakeSeam) -> None:
    headers = {"Authorization": f"Bearer {fake_seam.api_key}", "client-session-token": people.token}
    response = people.raw.post("/user_identities/list", json={}, headers=headers)
    # Alice's session's view, not the API key's (which lists Bob too).
    assert listed_ids(response, "user_identities", "user_identity_id") == [people.alice]
    with unchanged(fake_seam):
        response = people.raw.post("/client_sessions/list", json={}, headers=headers)
    assert "/client_sessions/list" in assert_error(response, 401, "unauthorized")["message"]


def test_the_client_session_token_header_wins_over_another_token(
    people: TwoPeople, fake_seam: FakeSeam
) -> None:
    bobs = fake_seam.add_client_session(user_identity_id=people.bob)["token"]
    for name in ("client-session-token", "seam-client-session-token"):
        headers = {"Authorization": f"Bearer {bobs}", name: people.token}
        response = people.raw.post("/user_identities/list", json={}, headers=headers)
        assert listed_ids(response, "user_identities", "user_identity_id") == [people.alice]


@pytest.mark.parametrize("style", STYLES)
def test_an_unknown_token_is_unauthorized(people: TwoPeople, fake_seam: FakeSeam, style: str) -> None:
    with unchanged(fake_seam):
        response = send(people.raw, "seam_cst1unknown_token", "/workspaces/get", style=style)
    assert_error(response, 401, "unauthorized")


def test_a_token_of_one_workspace_with_another_in_seam_workspace(
    people: TwoPeople, fake_seam: FakeSeam
) -> None:
    other = fake_seam.add_workspace(name="Other")["workspace_id"]
    for path in ("/workspaces/get", "/user_identities/list"):
        with unchanged(fake_seam):
            response = people.raw.post(
                path, json={}, headers={**token_headers(people.token), "seam-workspace": other}
            )
        assert_error(response, 401, "unauthorized")
    own = {**token_headers(people.token), "seam-workspace": fake_seam.workspace_id}
    assert ok(people.raw.post("/workspaces/get", json={}, headers=own))["workspace"]["workspace_id"] == (
        fake_seam.workspace_id
    )


def test_the_async_sdk_with_a_token_in_its_headers(people: TwoPeople) -> None:
    async def run() -> tuple[str, list[str], str]:
        client = AsyncSeam(
            api_key=PLACEHOLDER_KEY,
            endpoint=people.fake.endpoint,
            httpx_options={"headers": sdk_headers(people.token)},
        )
        session = await client.client_sessions.get()
        identities = await client.user_identities.list()
        systems = await client.acs.systems.list()
        return session.client_session_id, [i.user_identity_id for i in identities], systems[0].acs_system_id

    assert asyncio.run(run()) == (people.session_id, [people.alice], people.shared)


# When a token stops working ------------------------------------------------------------


def test_a_revoked_token(people: TwoPeople, fake_seam: FakeSeam, seam: Seam) -> None:
    seam.client_sessions.revoke(client_session_id=people.session_id)
    for path in ("/client_sessions/get", "/user_identities/list", "/workspaces/get"):
        message = refused(fake_seam, people.raw, people.token, path, 401, "client_session_revoked")
        assert "revoked" in message
    with unchanged(fake_seam), pytest.raises(SeamHttpUnauthorizedError):
        people.client.workspaces.get()


@pytest.mark.parametrize("clock", ["time_machine", "freezegun"])
def test_a_token_works_until_expires_at(
    people: TwoPeople, fake_seam: FakeSeam, seam: Seam, clock: str
) -> None:
    expires = datetime(2031, 7, 1, 12, 0, tzinfo=timezone.utc)
    session = seam.client_sessions.create(user_identity_id=people.alice, expires_at=seam_time(expires))
    with _travel(clock, expires - timedelta(milliseconds=1)):
        assert ok(send(people.raw, session.token, "/workspaces/get"))["workspace"]
    with _travel(clock, expires + timedelta(milliseconds=1)):
        message = refused(
            fake_seam, people.raw, session.token, "/workspaces/get", 401, "client_session_expired"
        )
        assert seam_time(expires) in message
    with _travel(clock, expires + timedelta(days=30)):
        refused(fake_seam, people.raw, session.token, "/user_identities/list", 401, "client_session_expired")
    # Read at each request: back before the expiry, the token works again.
    with _travel(clock, expires - timedelta(days=1)):
        assert ok(send(people.raw, session.token, "/workspaces/get"))["workspace"]


def test_a_token_without_expires_at_lasts_a_year(people: TwoPeople, fake_seam: FakeSeam, seam: Seam) -> None:
    created = parse(seam.client_sessions.get(client_session_id=people.session_id).created_at)
    with time_machine.travel(created + timedelta(days=364), tick=False):
        assert ok(send(people.raw, people.token, "/workspaces/get"))["workspace"]
    with time_machine.travel(created + timedelta(days=366), tick=False):
        refused(fake_seam, people.raw, people.token, "/workspaces/get", 401, "client_session_expired")


def test_an_expired_token_is_refused_by_the_sdk(people: TwoPeople, fake_seam: FakeSeam, seam: Seam) -> None:
    session = seam.client_sessions.create(user_identity_id=people.alice, expires_at="2020-01-01T00:00:00Z")
    with unchanged(fake_seam), pytest.raises(SeamHttpUnauthorizedError):
        client_for(fake_seam, session.token).workspaces.get()


def test_a_deleted_sessions_token_is_unknown(people: TwoPeople, fake_seam: FakeSeam, seam: Seam) -> None:
    seam.client_sessions.delete(client_session_id=people.session_id)
    refused(fake_seam, people.raw, people.token, "/workspaces/get", 401, "unauthorized")


# What a token sees ---------------------------------------------------------------------


def test_user_identities_list_shows_only_its_identities(people: TwoPeople, seam: Seam) -> None:
    assert {i.user_identity_id for i in seam.user_identities.list()} == {people.alice, people.bob}
    assert [i.user_identity_id for i in people.client.user_identities.list()] == [people.alice]
    assert people.client.user_identities.list(user_identity_ids=[people.bob]) == []
    assert people.client.user_identities.list(search="Bob") == []


@pytest.mark.parametrize(
    "path", ["/user_identities/list_acs_systems", "/user_identities/list_accessible_entrances"]
)
def test_another_identity_is_not_found(people: TwoPeople, fake_seam: FakeSeam, path: str) -> None:
    message = refused(
        fake_seam, people.raw, people.token, path, 404, "user_identity_not_found", user_identity_id=people.bob
    )
    assert people.bob in message
    assert ok(send(people.raw, people.token, path, {"user_identity_id": people.alice}))


def test_list_acs_systems_of_its_own_identity(people: TwoPeople) -> None:
    systems = people.client.user_identities.list_acs_systems(user_identity_id=people.alice)
    assert [s.acs_system_id for s in systems] == [people.shared]


def test_acs_users_list_shows_only_its_identities_users(people: TwoPeople, seam: Seam) -> None:
    everyone = {u.acs_user_id for u in seam.acs.users.list()}
    assert everyone == {people.alice_user, people.loner, *people.bob_users}
    assert [u.acs_user_id for u in people.client.acs.users.list()] == [people.alice_user]
    assert [u.acs_user_id for u in people.client.acs.users.list(acs_system_id=people.shared)] == [
        people.alice_user
    ]
    assert people.client.acs.users.list(acs_system_id=people.bobs_site) == []
    assert people.client.acs.users.list(user_identity_id=people.bob) == []


def test_acs_systems_list_shows_only_the_systems_it_has_users_on(people: TwoPeople, seam: Seam) -> None:
    assert {s.acs_system_id for s in seam.acs.systems.list()} == {
        people.shared,
        people.bobs_site,
        people.empty_site,
    }
    assert [s.acs_system_id for s in people.client.acs.systems.list()] == [people.shared]
    assert people.client.acs.systems.list(search="Bob") == []


def test_acs_credentials_list_shows_only_its_identities_credentials(people: TwoPeople, seam: Seam) -> None:
    everything = seam.acs.credentials.list()
    alices = {c.acs_credential_id for c in everything if c.acs_user_id == people.alice_user}
    # Her multi-phone sync key and its copy on her phone.
    assert people.alice_key in alices and len(alices) == 2
    seen = {c.acs_credential_id for c in people.client.acs.credentials.list()}
    assert seen == alices
    assert not seen & {people.bob_key, people.bob_code, people.loner_code}
    assert people.client.acs.credentials.list(acs_user_id=people.bob_users[0]) == []


def test_events_list_shows_only_events_concerning_its_identities(people: TwoPeople, seam: Seam) -> None:
    everything = seam.events.list(since=SINCE)
    alices = seam.events.list(since=SINCE, user_identity_id=people.alice)
    assert alices and len(alices) < len(everything)
    seen = people.client.events.list(since=SINCE)
    assert [e.event_id for e in seen] == [e.event_id for e in alices]
    assert people.client.events.list(since=SINCE, user_identity_id=people.bob) == []
    # Nothing of Bob's, of his phone or of his credentials.
    bobs = {people.bob_key, people.bob_code, people.bob_phone, *people.bob_users}
    for event in seen:
        assert not bobs & {str(value) for value in vars(event).values()}, event


def test_events_get_of_another_identity_is_not_found(
    people: TwoPeople, fake_seam: FakeSeam, seam: Seam
) -> None:
    (bobs_event, *_) = seam.events.list(since=SINCE, user_identity_id=people.bob)
    (alices_event, *_) = seam.events.list(since=SINCE, user_identity_id=people.alice)
    expect_api_error(
        fake_seam, 404, "event_not_found", lambda: people.client.events.get(event_id=bobs_event.event_id)
    )
    assert people.client.events.get(event_id=alices_event.event_id).event_id == alices_event.event_id


def test_phones_deactivate_of_another_identitys_phone_is_not_found(
    people: TwoPeople, fake_seam: FakeSeam, seam: Seam
) -> None:
    expect_api_error(
        fake_seam, 404, "phone_not_found", lambda: people.client.phones.deactivate(device_id=people.bob_phone)
    )
    people.client.phones.deactivate(device_id=people.alice_phone)
    assert [p.device_id for p in seam.phones.list()] == [people.bob_phone]
    events = [e["event_type"] for e in fake_seam.events]
    assert events[-1] == "phone.deactivated"


def test_workspaces_get_and_list(people: TwoPeople, fake_seam: FakeSeam) -> None:
    fake_seam.add_workspace(name="Other")
    assert people.client.workspaces.get().workspace_id == fake_seam.workspace_id
    assert [w.workspace_id for w in people.client.workspaces.list()] == [fake_seam.workspace_id]


def test_grant_access_widens_what_a_token_sees(people: TwoPeople, seam: Seam) -> None:
    seam.client_sessions.grant_access(client_session_id=people.session_id, user_identity_id=people.bob)
    assert {i.user_identity_id for i in people.client.user_identities.list()} == {people.alice, people.bob}
    assert {s.acs_system_id for s in people.client.acs.systems.list()} == {people.shared, people.bobs_site}


def test_a_session_with_no_identity_sees_none(people: TwoPeople, fake_seam: FakeSeam) -> None:
    token = fake_seam.add_client_session(user_identifier_key="nobody")["token"]
    client = client_for(fake_seam, token)
    assert client.user_identities.list() == []
    assert client.acs.users.list() == []
    assert client.acs.systems.list() == []
    assert client.acs.credentials.list() == []
    assert client.events.list(since=SINCE) == []


# Deleting the identity -----------------------------------------------------------------


def test_deleting_the_identity_deletes_its_sessions(
    people: TwoPeople, fake_seam: FakeSeam, seam: Seam
) -> None:
    seam.user_identities.delete(user_identity_id=people.alice)
    refused(fake_seam, people.raw, people.token, "/workspaces/get", 401, "unauthorized")
    assert seam.client_sessions.list() == []
    deleted = [
        e["client_session_id"] for e in fake_seam.events if e["event_type"] == "client_session.deleted"
    ]
    assert deleted == [people.session_id]


def test_deleting_one_identity_of_a_shared_session_keeps_the_session(
    people: TwoPeople, fake_seam: FakeSeam, seam: Seam
) -> None:
    seam.client_sessions.grant_access(client_session_id=people.session_id, user_identity_id=people.bob)
    seam.user_identities.delete(user_identity_id=people.alice)
    session = seam.client_sessions.get(client_session_id=people.session_id)
    assert session.user_identity_ids == [people.bob]
    assert [i.user_identity_id for i in people.client.user_identities.list()] == [people.bob]
    assert not [e for e in fake_seam.events if e["event_type"] == "client_session.deleted"]


def test_deleting_the_identity_deletes_its_instant_keys(
    people: TwoPeople, fake_seam: FakeSeam, seam: Seam
) -> None:
    key = seam.user_identities.generate_instant_key(user_identity_id=people.alice)
    kept = seam.user_identities.generate_instant_key(user_identity_id=people.bob)
    token = seam.client_sessions.get(client_session_id=key.client_session_id).token
    seam.user_identities.delete(user_identity_id=people.alice)
    assert [k.instant_key_id for k in seam.instant_keys.list()] == [kept.instant_key_id]
    refused(fake_seam, people.raw, token, "/workspaces/get", 401, "unauthorized")
