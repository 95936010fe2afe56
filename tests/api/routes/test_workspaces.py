"""/workspaces/get and /workspaces/list, with API keys and personal access tokens.

Through the real ``seam`` SDK (``Seam`` and ``SeamWithoutWorkspace``), and plain
requests where the SDK cannot go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from helpers import assert_error, pat_headers, unchanged
from seam import Seam, SeamHttpUnauthorizedError
from seam.seam_without_workspace import SeamWithoutWorkspace

from seam_fake import FakeSeam

# Many cases build a Seam client: share one SSL context (see conftest.py).


# /workspaces/get and /workspaces/list -----------------------------------------------


@pytest.fixture
def other_workspace(fake_seam: FakeSeam) -> dict[str, Any]:
    return fake_seam.add_workspace("Production Workspace", company_name="Globex", is_sandbox=False)


def call(fake: FakeSeam, method: str, path: str, headers: dict[str, str]) -> requests.Response:
    """A request with exactly these credentials (no session defaults)."""
    if method == "GET":
        return requests.get(fake.endpoint + path, headers=headers)
    return requests.post(fake.endpoint + path, headers=headers, json={})


def test_sdk_workspaces_get_returns_the_api_keys_workspace(
    seam: Seam, fake_seam: FakeSeam, other_workspace: dict[str, Any]
) -> None:
    workspace = seam.workspaces.get()
    assert workspace.workspace_id == fake_seam.workspace_id
    assert workspace.name == "Sandbox Workspace"
    assert workspace.is_sandbox is True
    assert workspace.company_name == "Acme"
    assert workspace.is_suspended is False


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_get_with_another_api_key(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], method: str
) -> None:
    response = call(
        fake_seam, method, "/workspaces/get", {"Authorization": f"Bearer {other_workspace['api_key']}"}
    )
    assert response.status_code == 200, response.text
    workspace = response.json()["workspace"]
    assert workspace["workspace_id"] == other_workspace["workspace_id"]
    assert (workspace["name"], workspace["company_name"]) == ("Production Workspace", "Globex")
    assert workspace["is_sandbox"] is False
    assert "api_key" not in workspace


def test_sdk_workspaces_list_with_an_api_key_lists_only_its_workspace(
    seam: Seam, fake_seam: FakeSeam, other_workspace: dict[str, Any]
) -> None:
    workspaces = seam.workspaces.list()
    assert [w.workspace_id for w in workspaces] == [fake_seam.workspace_id]
    assert workspaces[0] == seam.workspaces.get()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_list_with_a_pat_and_no_workspace_header_lists_every_workspace(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], method: str
) -> None:
    token = fake_seam.add_personal_access_token()
    later = fake_seam.add_workspace("Added Later")

    response = call(fake_seam, method, "/workspaces/list", pat_headers(token))

    assert response.status_code == 200, response.text
    listed = {w["workspace_id"]: w["name"] for w in response.json()["workspaces"]}
    assert listed == {
        fake_seam.workspace_id: "Sandbox Workspace",
        other_workspace["workspace_id"]: "Production Workspace",
        later["workspace_id"]: "Added Later",
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_list_with_a_restricted_pat_lists_only_its_workspaces(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], method: str
) -> None:
    third = fake_seam.add_workspace("Third")
    token = fake_seam.add_personal_access_token(
        workspace_ids=[other_workspace["workspace_id"], third["workspace_id"]]
    )

    response = call(fake_seam, method, "/workspaces/list", pat_headers(token))

    assert response.status_code == 200, response.text
    listed = sorted(w["workspace_id"] for w in response.json()["workspaces"])
    assert listed == sorted([other_workspace["workspace_id"], third["workspace_id"]])


def test_sdk_without_workspace_lists_the_pats_workspaces(
    fake_seam: FakeSeam, other_workspace: dict[str, Any]
) -> None:
    token = fake_seam.add_personal_access_token(workspace_ids=[other_workspace["workspace_id"]])
    everywhere = fake_seam.add_personal_access_token()

    restricted = SeamWithoutWorkspace(personal_access_token=token)
    (only,) = restricted.workspaces.list()
    assert only.workspace_id == other_workspace["workspace_id"]
    assert (only.name, only.is_sandbox) == ("Production Workspace", False)

    unrestricted = SeamWithoutWorkspace(personal_access_token=everywhere)
    assert {w.workspace_id for w in unrestricted.workspaces.list()} == {
        fake_seam.workspace_id,
        other_workspace["workspace_id"],
    }


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_get_with_a_pat_needs_the_workspace_header(fake_seam: FakeSeam, method: str) -> None:
    token = fake_seam.add_personal_access_token()
    with unchanged(fake_seam):
        response = call(fake_seam, method, "/workspaces/get", pat_headers(token))
    error = assert_error(response, 401, "unauthorized")
    assert "seam-workspace" in error["message"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_workspaces_get_with_a_pat_and_the_header_returns_that_workspace(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], method: str
) -> None:
    token = fake_seam.add_personal_access_token()
    for workspace_id in (fake_seam.workspace_id, other_workspace["workspace_id"]):
        response = call(fake_seam, method, "/workspaces/get", pat_headers(token, workspace_id))
        assert response.status_code == 200, response.text
        assert response.json()["workspace"]["workspace_id"] == workspace_id


def test_sdk_workspaces_get_with_a_pat(fake_seam: FakeSeam, other_workspace: dict[str, Any]) -> None:
    token = fake_seam.add_personal_access_token()
    client = Seam(
        personal_access_token=token,
        workspace_id=other_workspace["workspace_id"],
    )
    assert client.workspaces.get().workspace_id == other_workspace["workspace_id"]


REFUSED_WORKSPACE_CALLS: dict[str, Callable[[FakeSeam, dict[str, Any]], tuple[str, dict[str, str]]]] = {
    "list with unknown pat": lambda f, o: ("/workspaces/list", pat_headers("seam_at1_unknown")),
    "get with unknown pat": lambda f, o: ("/workspaces/get", pat_headers("seam_at1_unknown", f.workspace_id)),
    "list with restricted pat naming an unreachable workspace": lambda f, o: (
        "/workspaces/list",
        pat_headers(f.add_personal_access_token([o["workspace_id"]]), f.workspace_id),
    ),
    "get with restricted pat naming an unreachable workspace": lambda f, o: (
        "/workspaces/get",
        pat_headers(f.add_personal_access_token([o["workspace_id"]]), f.workspace_id),
    ),
    "list with api key naming another workspace": lambda f, o: (
        "/workspaces/list",
        {"Authorization": f"Bearer {f.api_key}", "seam-workspace": o["workspace_id"]},
    ),
    "get with api key naming another workspace": lambda f, o: (
        "/workspaces/get",
        {"Authorization": f"Bearer {f.api_key}", "seam-workspace": o["workspace_id"]},
    ),
    "list without credentials": lambda f, o: ("/workspaces/list", {}),
}


@pytest.mark.parametrize("case", sorted(REFUSED_WORKSPACE_CALLS))
def test_refused_workspace_calls_are_unauthorized(
    fake_seam: FakeSeam, other_workspace: dict[str, Any], case: str
) -> None:
    path, headers = REFUSED_WORKSPACE_CALLS[case](fake_seam, other_workspace)
    with unchanged(fake_seam):
        response = call(fake_seam, "GET", path, headers)
    assert_error(response, 401, "unauthorized")


def test_sdk_without_workspace_with_an_unknown_pat_is_unauthorized(fake_seam: FakeSeam) -> None:
    client = SeamWithoutWorkspace(personal_access_token="seam_at1_unknown")
    with unchanged(fake_seam), pytest.raises(SeamHttpUnauthorizedError):
        client.workspaces.list()
