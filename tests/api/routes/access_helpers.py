"""Seeding and reading helpers shared by the access-control route tests (entrances,
access groups, schedules, action attempts, unmanaged objects).

Plain functions, imported by name from the test modules of this folder (pytest puts the
folder on ``sys.path``, as it does ``tests`` for ``helpers``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from helpers import handle_request, new_system
from seam import Seam

from seam_fake import FakeSeam

SALTO_KS = "salto_ks_site"
VISIONLINE = "visionline_system"
BRIVO = "brivo_account"
PTI = "pti_site"
LATCH = "latch_building"


def entrance(fake: FakeSeam, system_id: str, name: str, **kwargs: Any) -> str:
    """Seed an entrance; its id."""
    entrance_id: str = fake.add_acs_entrance(system_id, name, **kwargs)["acs_entrance_id"]
    return entrance_id


def group(fake: FakeSeam, system_id: str, name: str, entrances: Iterable[str] = (), **kwargs: Any) -> str:
    """Seed an access group holding ``entrances``; its id."""
    group_id: str = fake.add_acs_access_group(system_id, name, acs_entrance_ids=list(entrances), **kwargs)[
        "acs_access_group_id"
    ]
    return group_id


def entrance_ids(items: Iterable[Any]) -> list[str]:
    """The ids of entrances the SDK returned, in order."""
    return [item.acs_entrance_id for item in items]


def group_ids(items: Iterable[Any]) -> list[str]:
    return [item.acs_access_group_id for item in items]


def credential_ids(items: Iterable[Any]) -> list[str]:
    return [item.acs_credential_id for item in items]


def user_ids(items: Iterable[Any]) -> list[str]:
    return [item.acs_user_id for item in items]


@dataclass(frozen=True)
class Person:
    """A user identity with one ACS user on one system."""

    identity_id: str
    acs_user_id: str


def person(fake: FakeSeam, system_id: str, email: str = "jane@example.com", name: str = "Jane Doe") -> Person:
    """A new identity linked to a new ACS user on ``system_id``."""
    identity = fake.add_user_identity(email_address=email, full_name=name, acs_system_ids=[system_id])
    (acs_user_id,) = identity["acs_user_ids"]
    return Person(identity["user_identity_id"], acs_user_id)


@dataclass(frozen=True)
class Site:
    """A Salto KS site (access through groups) with a lobby, a garage and a back door; a
    floor group holding the lobby and the garage; and a member with a cloud key."""

    system_id: str
    lobby: str
    garage: str
    back: str
    floor: str
    member: Person
    cloud_key: str


def salto_site(fake: FakeSeam, name: str = "Harbour", email: str = "jane@example.com") -> Site:
    system_id = new_system(fake, name, external_type=SALTO_KS)
    lobby = entrance(fake, system_id, "Lobby")
    garage = entrance(fake, system_id, "Garage")
    back = entrance(fake, system_id, "Back door")
    floor = group(fake, system_id, "Floor 1", [lobby, garage])
    member = person(fake, system_id, email)
    fake_add_member(fake, floor, member.acs_user_id)
    cloud_key = fake.add_acs_credential("cloud_key", acs_user_id=member.acs_user_id)["acs_credential_id"]
    return Site(system_id, lobby, garage, back, floor, member, cloud_key)


def fake_add_member(fake: FakeSeam, group_id: str, acs_user_id: str) -> None:
    """Put an ACS user in a group through the API (there is no seeding helper for it)."""
    body = {"acs_access_group_id": group_id, "acs_user_id": acs_user_id}
    response = handle_request(fake, "POST", "/acs/access_groups/add_user", body)
    assert response.status == 200, response.body


def other_workspace(fake: FakeSeam) -> tuple[str, str]:
    """A second workspace: its id and API key."""
    other = fake.add_workspace(name="Other Workspace")
    return other["workspace_id"], other["api_key"]


def client_for(fake: FakeSeam, token: str) -> Seam:
    """The SDK authenticating with a client session token (see test_client_sessions.py)."""
    headers = {"authorization": f"Bearer {token}", "client-session-token": token}
    return Seam(api_key="seam_placeholder_key", endpoint=fake.endpoint, httpx_options={"headers": headers})


def session_client(fake: FakeSeam, user_identity_id: str) -> Seam:
    """The SDK as a client session of one identity."""
    token = fake.add_client_session(user_identity_id=user_identity_id)["token"]
    return client_for(fake, token)
