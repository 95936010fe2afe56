"""The access-control flow through every way a client reaches the fake: the async SDK in
process, and the sync SDK and raw HTTP against a real server (``fake_seam_server``)."""

from __future__ import annotations

import asyncio

import requests
from seam import AsyncSeam, Seam

from seam_fake import FakeSeam
from seam_fake.server import BackgroundServer


def _seed(fake: FakeSeam) -> tuple[str, str, str]:
    """A Salto KS site with a lobby in a group: (site, lobby, group)."""
    site = fake.add_acs_system("Harbour Office", external_type="salto_ks_site")["acs_system_id"]
    lobby = fake.add_acs_entrance(site, "Lobby")["acs_entrance_id"]
    group = fake.add_acs_access_group(site, "All", acs_entrance_ids=[lobby])["acs_access_group_id"]
    return site, lobby, group


def test_the_async_sdk_grants_lists_and_unlocks(fake_seam: FakeSeam) -> None:
    site, lobby, group = _seed(fake_seam)

    async def flow() -> tuple[list[str], str, list[str]]:
        seam = AsyncSeam(api_key=fake_seam.api_key)
        identity = await seam.user_identities.create(email_address="ana@example.com", full_name="Ana Silva")
        await seam.acs.access_groups.add_user(
            acs_access_group_id=group, user_identity_id=identity.user_identity_id
        )
        doors = await seam.user_identities.list_accessible_entrances(
            user_identity_id=identity.user_identity_id
        )
        key = await seam.acs.credentials.create(
            user_identity_id=identity.user_identity_id, acs_system_id=site, access_method="cloud_key"
        )
        attempt = await seam.acs.entrances.unlock(
            acs_entrance_id=lobby, acs_credential_id=key.acs_credential_id
        )
        await seam.acs.users.revoke_access_to_all_entrances(user_identity_id=identity.user_identity_id)
        after = await seam.acs.users.list_accessible_entrances(user_identity_id=identity.user_identity_id)
        return [d.acs_entrance_id for d in doors], attempt.status, [d.acs_entrance_id for d in after]

    doors, status, after = asyncio.run(flow())
    assert (doors, status, after) == ([lobby], "success", [])


def test_the_sdk_over_a_real_server(fake_seam_server: BackgroundServer) -> None:
    site, lobby, group = _seed(fake_seam_server.fake)
    seam = Seam(api_key=fake_seam_server.api_key, endpoint=fake_seam_server.endpoint)
    user = seam.acs.users.create(
        acs_system_id=site,
        full_name="Ana Silva",
        acs_access_group_ids=[group],
        access_schedule={"starts_at": "2026-01-01T00:00:00Z", "ends_at": "2999-01-01T00:00:00Z"},
    )
    assert user.access_schedule.ends_at == "2999-01-01T00:00:00.000Z"
    opened = seam.acs.users.list_accessible_entrances(acs_user_id=user.acs_user_id)
    assert [e.acs_entrance_id for e in opened] == [lobby]
    key = seam.acs.credentials.create(acs_user_id=user.acs_user_id, access_method="cloud_key")
    attempt = seam.acs.entrances.unlock(acs_entrance_id=lobby, acs_credential_id=key.acs_credential_id)
    assert seam.action_attempts.get(action_attempt_id=attempt.action_attempt_id).status == "success"


def test_raw_http_over_a_real_server_lists_entrances_in_pages(fake_seam_server: BackgroundServer) -> None:
    site = fake_seam_server.fake.add_acs_system("Harbour Office", external_type="salto_ks_site")[
        "acs_system_id"
    ]
    names = [f"Door {n}" for n in range(3)]
    for name in names:
        fake_seam_server.fake.add_acs_entrance(site, name)
    headers = {"Authorization": f"Bearer {fake_seam_server.api_key}"}
    url = fake_seam_server.endpoint + "/acs/entrances/list"
    first = requests.get(url, params={"limit": 2}, headers=headers, timeout=10).json()
    cursor = first["pagination"]["next_page_cursor"]
    second = requests.get(url, params={"limit": 2, "page_cursor": cursor}, headers=headers, timeout=10).json()
    seen = [e["display_name"] for e in first["acs_entrances"] + second["acs_entrances"]]
    assert seen == list(reversed(names)) and second["pagination"]["has_next_page"] is False
    refused = requests.post(url, json={"limit": 0}, headers=headers, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"]["type"] == "invalid_input"
