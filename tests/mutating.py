"""One request that succeeds for every route and control that changes state, on the demo
workspace: what tests of atomicity and of control scope run. Each case may set the workspace
up first (through the API), then gives the body of its request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from helpers import Raw, ok

from seam_fake import FakeSeam
from seam_fake.api.controls import CONTROLS

Body = dict[str, Any]


@dataclass
class Demo:
    """The demo workspace, and the ids the cases need, read through the API."""

    fake: FakeSeam
    raw: Raw

    def post(self, path: str, body: Body) -> requests.Response:
        """A POST with the API key, or the admin token for a control that acts on the whole fake."""
        control = CONTROLS.get(path)
        admin = control is not None and control.scope == "fake"
        headers = {"Authorization": f"Bearer {self.fake.admin_token}"} if admin else {}
        return self.raw.post(path, json=body, headers=headers)

    def identity(self, key: str) -> Body:
        identity: Body = ok(self.raw.get("/user_identities/get", params={"user_identity_key": key}))[
            "user_identity"
        ]
        return identity

    def identity_id(self, key: str) -> str:
        identity_id: str = self.identity(key)["user_identity_id"]
        return identity_id

    def system_id(self, external_type: str) -> str:
        systems = ok(self.raw.get("/acs/systems/list"))["acs_systems"]
        (found,) = [s["acs_system_id"] for s in systems if s["external_type"] == external_type]
        return str(found)

    def acs_users(self, key: str) -> list[Body]:
        users: list[Body] = ok(
            self.raw.get(
                "/user_identities/list_acs_users", params={"user_identity_id": self.identity_id(key)}
            )
        )["acs_users"]
        return users

    def unlinked_acs_user(self) -> str:
        users = ok(self.raw.get("/acs/users/list", params={"acs_system_id": self.system_id("salto_ks_site")}))
        (first, *_) = [u["acs_user_id"] for u in users["acs_users"] if u.get("user_identity_id") is None]
        return str(first)

    def credentials(self, key: str) -> list[Body]:
        found: list[Body] = ok(
            self.raw.get("/acs/credentials/list", params={"user_identity_id": self.identity_id(key)})
        )["acs_credentials"]
        return found

    def parent_key(self) -> str:
        (parent, *_) = [c for c in self.credentials("user_jane") if c.get("parent_acs_credential_id") is None]
        return str(parent["acs_credential_id"])

    def mei_code(self) -> str:
        (code,) = [c["acs_credential_id"] for c in self.credentials("user_mei")]
        return str(code)

    def phone(self) -> str:
        phones = ok(
            self.raw.get("/phones/list", params={"owner_user_identity_id": self.identity_id("user_jane")})
        )
        return str(phones["phones"][0]["device_id"])

    def session(self) -> str:
        sessions = ok(self.raw.get("/client_sessions/list"))["client_sessions"]
        return str(sessions[0]["client_session_id"])

    def instant_key(self) -> str:
        keys = ok(self.raw.get("/instant_keys/list"))["instant_keys"]
        return str(keys[0]["instant_key_id"])

    def entrance(self, name: str) -> str:
        entrances = ok(self.raw.get("/acs/entrances/list", params={"search": name}))["acs_entrances"]
        (found,) = [e["acs_entrance_id"] for e in entrances if e["display_name"] == name]
        return str(found)

    def group(self, name: str) -> str:
        groups = ok(self.raw.get("/acs/access_groups/list", params={"search": name}))["acs_access_groups"]
        (found,) = [g["acs_access_group_id"] for g in groups if g["name"] == name]
        return str(found)

    def salto_user(self, key: str) -> str:
        salto = self.system_id("salto_ks_site")
        (found,) = [u["acs_user_id"] for u in self.acs_users(key) if u["acs_system_id"] == salto]
        return str(found)

    def cloud_key(self) -> str:
        (found,) = [
            c["acs_credential_id"] for c in self.credentials("user_jane") if c["access_method"] == "cloud_key"
        ]
        return str(found)

    def action_attempt(self) -> str:
        attempts = ok(self.raw.get("/action_attempts/list"))["action_attempts"]
        return str(attempts[0]["action_attempt_id"])

    def unmanaged_identity(self) -> str:
        found = ok(self.raw.get("/user_identities/unmanaged/list"))["user_identities"]
        return str(found[0]["user_identity_id"])

    def waiting_credential(self) -> str:
        """A card waiting to be issued (manual issuance, so it stays waiting)."""
        self.fake.set_credential_issuance("manual")
        created = self.fake.add_acs_credential(
            "card",
            user_identity_id=self.identity_id("user_jane"),
            acs_system_id=self.system_id("visionline_system"),
        )
        return str(created["acs_credential_id"])


# path -> the body of one request to it that succeeds on the demo workspace (set-up included).
CASES: dict[str, Callable[[Demo], Body]] = {
    "/user_identities/create": lambda d: {
        "user_identity_key": "newcomer",
        "email_address": "jane.doe@example.com".replace("jane.doe", "newcomer"),
        "phone_number": "+15555550199",
        "acs_system_ids": [d.system_id("salto_ks_site"), d.system_id("visionline_system")],
    },
    "/user_identities/update": lambda d: {
        "user_identity_id": d.identity_id("user_jane"),
        "email_address": "jane@example.org",
        "full_name": "Jane Q. Doe",
        "user_identity_key": "user_jane_2",
    },
    # Jane has ACS users on two systems, mobile keys on her phone, a client session, an instant key.
    "/user_identities/delete": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/user_identities/add_acs_user": lambda d: {
        "user_identity_id": d.identity_id("user_kenji"),
        "acs_user_id": d.unlinked_acs_user(),
    },
    "/user_identities/remove_acs_user": lambda d: {
        "user_identity_id": d.identity_id("user_jane"),
        "acs_user_id": d.acs_users("user_jane")[0]["acs_user_id"],
    },
    "/user_identities/generate_instant_key": lambda d: {"user_identity_id": d.identity_id("user_mei")},
    "/acs/users/create": lambda d: {
        "acs_system_id": d.system_id("salto_ks_site"),
        "full_name": "New Hire",
        "email": "new.hire@example.com",
        "user_identity_id": d.identity_id("user_kenji"),
    },
    "/acs/users/delete": lambda d: {"acs_user_id": d.acs_users("user_jane")[0]["acs_user_id"]},
    "/acs/users/suspend": lambda d: {"acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"]},
    "/acs/users/unsuspend": lambda d: _suspended(d),
    "/acs/users/update": lambda d: {
        "acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"],
        "full_name": "Mei C.",
        "phone_number": "+15555550177",
    },
    "/acs/credentials/create": lambda d: {
        "acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"],
        "access_method": "mobile_key",
        "is_multi_phone_sync_credential": True,
    },
    "/acs/credentials/assign": lambda d: _unassigned(d),
    "/acs/credentials/unassign": lambda d: {
        "acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"],
        "acs_credential_id": d.mei_code(),
    },
    "/acs/credentials/update": lambda d: {
        "acs_credential_id": d.mei_code(),
        "ends_at": "2099-01-01T00:00:00.000Z",
    },
    "/acs/credentials/delete": lambda d: {"acs_credential_id": d.parent_key()},
    "/client_sessions/create": lambda d: {
        "user_identity_id": d.identity_id("user_mei"),
        "user_identifier_key": "mei-app",
    },
    "/client_sessions/get_or_create": lambda d: {"user_identity_id": d.identity_id("user_lucia")},
    "/client_sessions/grant_access": lambda d: {
        "client_session_id": d.session(),
        "user_identity_id": d.identity_id("user_mei"),
    },
    "/client_sessions/revoke": lambda d: {"client_session_id": d.session()},
    "/client_sessions/delete": lambda d: {"client_session_id": d.session()},
    "/instant_keys/delete": lambda d: {"instant_key_id": d.instant_key()},
    "/phones/deactivate": lambda d: {"device_id": d.phone()},
    "/phones/simulate/create_sandbox_phone": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/_fake/add_acs_system": lambda d: {"name": "Annex"},
    "/_fake/add_acs_user": lambda d: {
        "acs_system_id": d.system_id("salto_ks_site"),
        "full_name": "Kenji W.",
        "email_address": "kenji.watanabe@example.com",
    },
    "/_fake/fail_credential_issuance": lambda d: {"acs_credential_id": d.waiting_credential()},
    "/_fake/issue_credential": lambda d: {"acs_credential_id": d.waiting_credential()},
    "/_fake/reset": lambda d: {},
    "/_fake/restore": lambda d: {"snapshot": FakeSeam(random_seed=7).snapshot()},
    "/_fake/set_credential_issuance": lambda d: _waiting_then_automatic(d),
    "/_fake/simulate_acs_user_error": lambda d: {"acs_user_id": d.acs_users("user_mei")[0]["acs_user_id"]},
    "/_fake/simulate_outage": lambda d: {"route": "/user_identities/get", "times": 2},
    "/_fake/simulate_user_identity_being_deleted": lambda d: {"user_identity_id": d.identity_id("user_mei")},
    "/acs/entrances/grant_access": lambda d: {
        "acs_entrance_id": d.entrance("Room 1204"),
        "user_identity_id": d.identity_id("user_kenji"),
    },
    "/acs/entrances/unlock": lambda d: {
        "acs_entrance_id": d.entrance("Lobby"),
        "acs_credential_id": d.cloud_key(),
    },
    "/acs/access_groups/add_user": lambda d: {
        "acs_access_group_id": d.group("Parking"),
        "user_identity_id": d.identity_id("user_kenji"),
    },
    "/acs/access_groups/remove_user": lambda d: {
        "acs_access_group_id": d.group("Floor 3"),
        "user_identity_id": d.identity_id("user_mei"),
    },
    "/acs/access_groups/delete": lambda d: {"acs_access_group_id": d.group("Floor 3")},
    "/acs/users/add_to_access_group": lambda d: {
        "acs_access_group_id": d.group("Parking"),
        "acs_user_id": d.salto_user("user_mei"),
    },
    "/acs/users/remove_from_access_group": lambda d: {
        "acs_access_group_id": d.group("Floor 3"),
        "acs_user_id": d.salto_user("user_jane"),
    },
    "/acs/users/revoke_access_to_all_entrances": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/user_identities/unmanaged/update": lambda d: {
        "user_identity_id": d.unmanaged_identity(),
        "is_managed": True,
        "user_identity_key": "walk_in",
    },
    "/_fake/add_acs_entrance": lambda d: {
        "acs_system_id": d.system_id("salto_ks_site"),
        "display_name": "Roof",
    },
    "/_fake/add_acs_access_group": lambda d: {
        "acs_system_id": d.system_id("salto_ks_site"),
        "name": "Roof access",
        "acs_entrance_ids": [d.entrance("Lobby")],
    },
    "/_fake/add_unmanaged_user_identity": lambda d: {"full_name": "Someone Else"},
    "/_fake/add_unmanaged_acs_credential": lambda d: {
        "acs_user_id": d.salto_user("user_mei"),
        "access_method": "card",
    },
    "/_fake/simulate_acs_user_warning": lambda d: {
        "acs_user_id": d.salto_user("user_mei"),
        "warning_code": "unknown_issue_with_acs_user",
    },
    "/_fake/set_action_attempt_outcome": lambda d: {"status": "error", "error_type": "jammed"},
    "/_fake/update_action_attempt": lambda d: {
        "action_attempt_id": d.action_attempt(),
        "status": "error",
        "error": {"type": "jammed", "message": "The door is jammed."},
    },
}


def _suspended(d: Demo) -> Body:
    acs_user_id = d.acs_users("user_mei")[0]["acs_user_id"]
    ok(d.raw.post("/acs/users/suspend", json={"acs_user_id": acs_user_id}))
    return {"acs_user_id": acs_user_id}


def _unassigned(d: Demo) -> Body:
    acs_user_id = d.acs_users("user_mei")[0]["acs_user_id"]
    code = d.mei_code()
    ok(d.raw.post("/acs/credentials/unassign", json={"acs_user_id": acs_user_id, "acs_credential_id": code}))
    return {"acs_user_id": acs_user_id, "acs_credential_id": code}


def _waiting_then_automatic(d: Demo) -> Body:
    d.waiting_credential()
    # Back to automatic issues what waits: a change to undo.
    return {"mode": "automatic"}
