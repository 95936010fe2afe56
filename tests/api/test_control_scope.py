"""Who may run which ``/_fake/`` control: every control, by every kind of caller.

The model (docs/server.md, "Who may use the controls"):

- a control scoped to a workspace runs with that workspace's credentials (its API key,
  or a personal access token that reaches it, with ``seam-workspace``) and touches
  nothing else; with another workspace's credentials it acts on that workspace, where
  ids of the first are not found;
- a control that acts on the whole fake (reset, snapshot, restore, simulate_outage)
  takes the admin token, and refuses any workspace's credentials with 403
  ``admin_token_required``;
- the admin token runs every control, on the workspace ``seam-workspace`` names (the
  default one without);
- no credentials, or unknown ones, are 401.

Each refusal leaves the whole fake as it was (the snapshot's text, outages included);
each success changes the workspace it ran for and no other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from helpers import Raw, assert_error, ok
from mutating import CASES, Demo

from seam_fake import FakeSeam
from seam_fake.api.controls import CONTROLS

# The controls that find what they act on by id: another workspace's caller does not find it.
BY_ID = {
    "/_fake/add_acs_user": "acs_system_not_found",
    "/_fake/issue_credential": "acs_credential_not_found",
    "/_fake/fail_credential_issuance": "acs_credential_not_found",
    "/_fake/simulate_acs_user_error": "acs_user_not_found",
    "/_fake/simulate_user_identity_being_deleted": "user_identity_not_found",
    "/_fake/add_acs_entrance": "acs_system_not_found",
    "/_fake/add_acs_access_group": "acs_system_not_found",
    "/_fake/add_unmanaged_acs_credential": "acs_user_not_found",
    "/_fake/simulate_acs_user_warning": "acs_user_not_found",
    "/_fake/update_action_attempt": "action_attempt_not_found",
}
CALLERS = (
    "own_key",
    "own_token",
    "admin",
    "admin_for_other",
    "other_key",
    "other_token",
    "token_elsewhere",
    "none",
    "unknown",
)


@dataclass
class World:
    fake: FakeSeam
    other_workspace: str
    keys: dict[str, dict[str, str]]

    def text(self, workspace_id: str) -> str:
        return json.dumps(self.fake.snapshot()["workspaces"][workspace_id])

    def whole(self) -> str:
        outages = {k: list(v) for k, v in self.fake._world.outages.items()}
        return json.dumps([self.fake.snapshot(), outages])


def world() -> World:
    fake = FakeSeam.demo()
    other = fake.add_workspace("Other", company_name="Other Co")
    own_ws, other_ws = fake.workspace_id, other["workspace_id"]
    own_token = fake.add_personal_access_token([own_ws])
    other_token = fake.add_personal_access_token([other_ws])

    def bearer(token: str, workspace: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token}"}
        return {**headers, "seam-workspace": workspace} if workspace else headers

    keys = {
        "own_key": bearer(fake.api_key),
        "own_token": bearer(own_token, own_ws),
        "admin": bearer(fake.admin_token),
        "admin_for_other": bearer(fake.admin_token, other_ws),
        "other_key": bearer(other["api_key"]),
        "other_token": bearer(other_token, other_ws),
        # A token limited to the other workspace, asking for this one.
        "token_elsewhere": bearer(other_token, own_ws),
        "none": {},
        "unknown": bearer("seam_test_not_a_key_of_this_fake"),
    }
    return World(fake, other_ws, keys)


def expected(path: str, caller: str) -> tuple[int, str | None, str | None]:
    """(status, error type, workspace changed: "own", "other" or None)."""
    if caller in ("none", "unknown", "token_elsewhere"):
        return 401, "unauthorized", None
    scope = CONTROLS[path].scope
    on_other = caller in ("other_key", "other_token", "admin_for_other")
    if scope == "fake":
        if caller.startswith("admin"):
            return 200, None, "fake"
        return 403, "admin_token_required", None
    if on_other and path in BY_ID:
        return 404, BY_ID[path], None
    return 200, None, "other" if on_other else "own"


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("path", sorted(CONTROLS))
def test_each_control_for_each_caller(path: str, caller: str) -> None:
    w = world()
    with w.fake.patch(), requests.Session() as session:
        body: Any = CASES[path](Demo(w.fake, Raw(w.fake))) if path in CASES else {}
        own, other, whole = w.text(w.fake.workspace_id), w.text(w.other_workspace), w.whole()
        mutates = CONTROLS[path].mutates
        response = session.post(w.fake.endpoint + path, json=body, headers=w.keys[caller], timeout=10)
    status, error_type, changed = expected(path, caller)
    if error_type is not None:
        assert_error(response, status, error_type)
        assert w.whole() == whole
        return
    answer = ok(response)
    if changed == "fake" or not mutates:
        return
    if path == "/_fake/simulate_outage":
        return
    changed_text, kept_text = (own, other) if changed == "own" else (other, own)
    changed_id, kept_id = (
        (w.fake.workspace_id, w.other_workspace)
        if changed == "own"
        else (w.other_workspace, w.fake.workspace_id)
    )
    # The other workspace already issues automatically: there, this case changes nothing.
    if not (path == "/_fake/set_credential_issuance" and changed == "other"):
        assert w.text(changed_id) != changed_text, answer
    assert w.text(kept_id) == kept_text


def test_the_call_log_of_another_workspace_stays_its_own() -> None:
    w = world()
    with w.fake.patch(), requests.Session() as session:
        ok(session.get(w.fake.endpoint + "/user_identities/list", headers=w.keys["own_key"], timeout=10))
        theirs = ok(session.get(w.fake.endpoint + "/_fake/calls", headers=w.keys["other_key"], timeout=10))
        mine = ok(session.get(w.fake.endpoint + "/_fake/calls", headers=w.keys["own_key"], timeout=10))
    assert theirs["calls"] == []
    assert [c["path"] for c in mine["calls"]] == ["/user_identities/list"]


def test_a_snapshot_with_a_workspace_key_is_refused_and_reveals_nothing() -> None:
    w = world()
    with w.fake.patch(), requests.Session() as session:
        response = session.get(w.fake.endpoint + "/_fake/snapshot", headers=w.keys["other_key"], timeout=10)
    error = assert_error(response, 403, "admin_token_required")
    assert w.fake.api_key not in response.text and "seam_at" not in response.text
    assert "admin token" in error["message"]


def test_the_admin_token_is_no_api_key() -> None:
    w = world()
    with w.fake.patch(), requests.Session() as session:
        response = session.get(w.fake.endpoint + "/user_identities/list", headers=w.keys["admin"], timeout=10)
    assert_error(response, 401, "unauthorized")


def test_admin_for_an_unknown_workspace_is_refused() -> None:
    w = world()
    headers = {**w.keys["admin"], "seam-workspace": "00000000-0000-4000-8000-000000000000"}
    with w.fake.patch(), requests.Session() as session:
        response = session.post(
            w.fake.endpoint + "/_fake/add_acs_system", json={"name": "x"}, headers=headers
        )
    assert_error(response, 401, "unauthorized")


def test_a_fixed_admin_token_is_kept_by_reset_and_checked() -> None:
    fake = FakeSeam(admin_token="seam_fake_admin_fixed_for_tests")
    fake.reset()
    assert fake.admin_token == "seam_fake_admin_fixed_for_tests"
    assert FakeSeam().admin_token != FakeSeam().admin_token
    for bad in ("short", "has a space in it ok", "seam_fake_admin\nnewline_"):
        with pytest.raises(ValueError, match="admin token"):
            FakeSeam(admin_token=bad)
    with pytest.raises(ValueError, match="differ from the API key"):
        FakeSeam(api_key="seam_test_same_value_x", admin_token="seam_test_same_value_x")
