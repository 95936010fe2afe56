"""The mobile-access flow end to end, as a user's test would drive it through the SDK.

identity -> ACS user (by ``acs_system_ids``) -> mobile key -> sandbox phone -> issued ->
client session token used by a client built with it -> phone deactivated -> identity
deleted and everything of it gone. The same flow runs in process (sync SDK), with the
async SDK, and over real HTTP against the server, and checks the events of each step.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from seam import AsyncSeam, Seam, SeamHttpApiError, SeamHttpUnauthorizedError

from seam_fake import FakeSeam
from seam_fake.server import BackgroundServer

EVER = "2000-01-01T00:00:00Z"


def app_client(endpoint: str, token: str, cls: Any = Seam) -> Any:
    """A client as the mobile app is: authenticated by a client session token (the recipe of
    docs/mobile-access.md: a placeholder key, the headers in lower case)."""
    headers = {"authorization": f"Bearer {token}", "client-session-token": token}
    return cls(api_key="seam_placeholder_key", endpoint=endpoint, httpx_options={"headers": headers})


def event_types(seam: Seam) -> list[str]:
    return [event.event_type for event in seam.events.list(since=EVER)]


def run_flow(fake: FakeSeam, seam: Seam, endpoint: str) -> None:
    building = fake.add_acs_system("Harbour Office", external_type="salto_ks_site")["acs_system_id"]
    other = seam.user_identities.create(email_address="bo@example.com", acs_system_ids=[building])

    # The identity, given an ACS user on the building's system.
    ana = seam.user_identities.create(
        user_identity_key="ana",
        email_address="ana@example.com",
        full_name="Ana Silva",
        acs_system_ids=[building],
    )
    (acs_user_id,) = ana.acs_user_ids
    assert seam.acs.users.get(acs_user_id=acs_user_id).user_identity_id == ana.user_identity_id

    # The mobile key waits for a phone.
    key = seam.acs.credentials.create(
        user_identity_id=ana.user_identity_id,
        acs_system_id=building,
        access_method="mobile_key",
        is_multi_phone_sync_credential=True,
    )
    assert key.acs_user_id == acs_user_id and not key.is_issued
    assert [w["warning_code"] for w in key.warnings] == ["waiting_to_be_issued"]

    # The app's session; its token reaches what Seam opens to client sessions, for Ana only.
    session = seam.client_sessions.create(
        user_identity_id=ana.user_identity_id, user_identifier_key="app-ana"
    )
    app = app_client(endpoint, session.token)
    assert [i.user_identity_id for i in app.user_identities.list()] == [ana.user_identity_id]
    assert [c.acs_credential_id for c in app.acs.credentials.list()] == [key.acs_credential_id]
    with pytest.raises(SeamHttpUnauthorizedError):
        app.acs.credentials.delete(acs_credential_id=key.acs_credential_id)

    # Ana signs in on a phone: the key is issued to it, in the same request.
    phone = seam.phones.simulate.create_sandbox_phone(user_identity_id=ana.user_identity_id)
    issued = seam.acs.credentials.get(acs_credential_id=key.acs_credential_id)
    assert issued.is_issued and issued.issued_at is not None and issued.warnings == []
    copies = [c for c in app.acs.credentials.list() if getattr(c, "parent_acs_credential_id", None)]
    assert [c.parent_acs_credential_id for c in copies] == [key.acs_credential_id]
    assert [p.device_id for p in seam.phones.list(acs_credential_id=copies[0].acs_credential_id)] == [
        phone.device_id
    ]
    assert event_types(seam) == [
        "acs_user.created",  # Bo's
        "acs_user.created",  # Ana's
        "acs_credential.issued",  # the copy on the phone
        "acs_credential.issued",  # the key
    ]
    # The app sees Ana's events and none of Bo's.
    assert all(
        e.event_type != "acs_user.created" or e.acs_user_id == acs_user_id
        for e in app.events.list(since=EVER)
    )

    # The phone is lost: the app deactivates it; its copy is revoked, the key stays.
    app.phones.deactivate(device_id=phone.device_id)
    assert seam.phones.list(owner_user_identity_id=ana.user_identity_id) == []
    assert event_types(seam)[-3:] == [
        "acs_credential.invalidated",
        "acs_credential.deleted",
        "phone.deactivated",
    ]
    assert [
        c.acs_credential_id for c in seam.acs.credentials.list(user_identity_id=ana.user_identity_id)
    ] == [key.acs_credential_id]

    # Ana leaves: her identity goes with her ACS user, credentials and client sessions.
    seam.user_identities.delete(user_identity_id=ana.user_identity_id)
    assert seam.acs.credentials.list() == []
    assert seam.client_sessions.list() == []
    assert [u.user_identity_id for u in seam.acs.users.list()] == [other.user_identity_id]
    with pytest.raises(SeamHttpApiError) as gone:
        seam.acs.credentials.get(acs_credential_id=key.acs_credential_id)
    assert gone.value.code == "acs_credential_not_found"
    with pytest.raises(SeamHttpUnauthorizedError):
        app.user_identities.list()
    assert event_types(seam)[-3:] == ["acs_credential.deleted", "acs_user.deleted", "client_session.deleted"]


def test_the_whole_flow_in_process(fake_seam: FakeSeam) -> None:
    run_flow(fake_seam, Seam(), fake_seam.endpoint)


def test_the_whole_flow_over_http() -> None:
    with BackgroundServer() as server:
        run_flow(server.fake, Seam(api_key=server.api_key, endpoint=server.endpoint), server.endpoint)


def test_the_whole_flow_with_the_async_sdk(fake_seam: FakeSeam) -> None:
    async def flow() -> None:
        seam = AsyncSeam()
        building = fake_seam.add_acs_system("Harbour Office")["acs_system_id"]
        ana = await seam.user_identities.create(email_address="ana@example.com", acs_system_ids=[building])
        key = await seam.acs.credentials.create(
            acs_user_id=ana.acs_user_ids[0], access_method="mobile_key", is_multi_phone_sync_credential=True
        )
        session = await seam.client_sessions.create(user_identity_id=ana.user_identity_id)
        app = app_client(fake_seam.endpoint, session.token, AsyncSeam)
        phone = await seam.phones.simulate.create_sandbox_phone(user_identity_id=ana.user_identity_id)
        assert (await seam.acs.credentials.get(acs_credential_id=key.acs_credential_id)).is_issued
        assert len(await app.acs.credentials.list()) == 2
        await app.phones.deactivate(device_id=phone.device_id)
        await seam.user_identities.delete(user_identity_id=ana.user_identity_id)
        assert await seam.acs.credentials.list() == []
        with pytest.raises(SeamHttpUnauthorizedError):
            await app.acs.credentials.list()

    asyncio.run(flow())


@pytest.mark.parametrize("method", ["code", "card", "mobile_key"])
def test_workspaces_never_see_each_others_flow(fake_seam: FakeSeam, method: str) -> None:
    theirs = fake_seam.add_workspace("Theirs")
    system = fake_seam.add_acs_system("Theirs", workspace_id=theirs["workspace_id"])["acs_system_id"]
    other = Seam(api_key=theirs["api_key"])
    person = other.user_identities.create(email_address="ana@example.com", acs_system_ids=[system])
    extra: dict[str, Any] = {"is_multi_phone_sync_credential": True} if method == "mobile_key" else {}
    key = other.acs.credentials.create(acs_user_id=person.acs_user_ids[0], access_method=method, **extra)
    phone = other.phones.simulate.create_sandbox_phone(user_identity_id=person.user_identity_id)
    session = other.client_sessions.create(user_identity_id=person.user_identity_id)
    seam = Seam()
    calls: list[tuple[str, Callable[[], object]]] = [
        (
            "acs_credential_not_found",
            lambda: seam.acs.credentials.get(acs_credential_id=key.acs_credential_id),
        ),
        ("phone_not_found", lambda: seam.phones.get(device_id=phone.device_id)),
        (
            "client_session_not_found",
            lambda: seam.client_sessions.get(client_session_id=session.client_session_id),
        ),
        (
            "user_identity_not_found",
            lambda: seam.user_identities.generate_instant_key(user_identity_id=person.user_identity_id),
        ),
    ]
    for code, call in calls:
        with pytest.raises(SeamHttpApiError) as refused:
            call()
        assert refused.value.code == code
    assert (
        seam.acs.credentials.list() == [] and seam.phones.list() == [] and seam.events.list(since=EVER) == []
    )
    # Their token opens their workspace, and not this one.
    headers = {"authorization": f"Bearer {session.token}", "seam-workspace": fake_seam.workspace_id}
    intruder = Seam(api_key="seam_placeholder_key", httpx_options={"headers": headers})
    with pytest.raises(SeamHttpUnauthorizedError):
        intruder.workspaces.get()
    assert (
        app_client(fake_seam.endpoint, session.token).workspaces.get().workspace_id == theirs["workspace_id"]
    )
