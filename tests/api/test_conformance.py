"""The route table against Seam's OpenAPI reference, and the README against the route table.

`seam_fake.api.routes.ROUTES` is the one list of implemented endpoints: the router
serves it, these tests hold it to the reference, and the README must agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers import Raw, assert_error, unchanged
from openapi_schema import assert_valid_response, spec

from seam_fake import CATALOGUE, FakeSeam
from seam_fake.api.operation import SIMULATED_CREDENTIALS
from seam_fake.api.params import Param
from seam_fake.api.routes import ROUTES, Route
from seam_fake.model.errors import NEXTLOVE, OFFICIAL_FAKE, SEAM_FAKE

ROUTE_LIST = sorted(ROUTES.values(), key=lambda route: route.path)
IDS = [route.path for route in ROUTE_LIST]

# How each parameter kind must be typed in the reference.
KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "uuid": {"type": "string", "format": "uuid"},
    "email": {"type": "string", "format": "email"},
    "phone": {"type": "string"},
    "uuid_list": {"type": "array", "items": {"format": "uuid", "type": "string"}},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "string_list": {"type": "array", "items": {"type": "string"}},
    # Seam's `between`: items each a string or a date-time string.
    "interval": {"type": "array"},
    "datetime": {"type": "string", "format": "date-time"},
    "object": {"type": "object"},
}


def reference_params(path: str) -> dict[str, dict[str, Any]]:
    """Every parameter the reference lists for a path, over all its methods, with its schema."""
    found: dict[str, dict[str, Any]] = {}
    for operation in spec()["paths"][path].values():
        for parameter in operation.get("parameters", []):
            found.setdefault(
                parameter["name"], {**parameter["schema"], "required": parameter.get("required", False)}
            )
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        # A body is an object, a oneOf of objects, or an allOf of either.
        for part in body.get("allOf", [body]) if body else []:
            variants = part.get("oneOf", [part])
            for variant in variants:
                for name, schema in variant.get("properties", {}).items():
                    # Required only if every variant that names it requires it.
                    required = len(variants) == 1 and name in variant.get("required", [])
                    found.setdefault(name, {**schema, "required": required})
    return found


@pytest.mark.parametrize("route", ROUTE_LIST, ids=IDS)
def test_route_methods_match_the_reference(route: Route) -> None:
    assert route.methods == {method.upper() for method in spec()["paths"][route.path]}


@pytest.mark.parametrize("route", ROUTE_LIST, ids=IDS)
def test_route_credentials_are_the_references_simulated_ones(route: Route) -> None:
    kinds = {
        kind
        for operation in spec()["paths"][route.path].values()
        for s in operation["security"]
        for kind in s
    }
    assert route.credentials == kinds & SIMULATED_CREDENTIALS


@pytest.mark.parametrize("route", ROUTE_LIST, ids=IDS)
def test_route_parameter_names_match_the_reference(route: Route) -> None:
    declared = [param.name for param in route.params] + list(route.unsupported)
    assert len(declared) == len(set(declared)), "a parameter is declared twice"
    assert set(declared) == set(reference_params(route.path))


@pytest.mark.parametrize(
    ("route", "param"),
    [(route, param) for route in ROUTE_LIST for param in route.params],
    ids=[f"{route.path}:{param.name}" for route in ROUTE_LIST for param in route.params],
)
def test_parameter_types_match_the_reference(route: Route, param: Param) -> None:
    schema = reference_params(route.path)[param.name]
    expected = KIND_SCHEMAS[param.kind]
    assert {key: schema.get(key) for key in expected if key != "items"} == {
        key: value for key, value in expected.items() if key != "items"
    }
    if "items" in expected:
        assert {key: schema["items"].get(key) for key in expected["items"]} == expected["items"]
    assert bool(schema.get("nullable")) == param.nullable
    assert (schema.get("minItems", 0), schema.get("maxItems")) == (param.min_items, param.max_items)
    if param.kind == "integer":
        # The reference says "greater than minimum" with exclusiveMinimum.
        assert param.minimum == schema["minimum"] + (1 if schema.get("exclusiveMinimum") else 0)
    elif param.kind == "number":
        # Where the reference sets no bound, a nonsensical value (no uses) may still be refused.
        if "minimum" in schema:
            assert param.minimum == schema["minimum"]
    else:
        assert schema.get("minLength", 0) == param.min_length
    if param.name in route.exactly_one_of:
        # One of these is needed, so no one of them is required on its own.
        assert not param.required
    else:
        assert bool(schema.get("required")) == param.required


@pytest.mark.parametrize("route", [r for r in ROUTE_LIST if r.unsupported], ids=lambda r: r.path)
def test_unsupported_parameters_are_refused_not_ignored(route: Route, raw: Raw, fake_seam: FakeSeam) -> None:
    for name in route.unsupported:
        with unchanged(fake_seam):
            error = assert_error(raw.post(route.path, json={name: "x"}), 400, "unsupported_by_seam_fake")
            assert f"`{name}`" in error["message"]
            assert route.path in error["message"]
            if "GET" in route.methods:
                error = assert_error(raw.get(route.path, params={name: "x"}), 400, "unsupported_by_seam_fake")
                assert f"`{name}`" in error["message"]


def test_every_catalogued_error_says_where_its_name_comes_from() -> None:
    for name, error in CATALOGUE.items():
        assert error.named_by in (NEXTLOVE, OFFICIAL_FAKE, SEAM_FAKE), name
        # A name taken from Seam's code points at the file that answers it; one of the fake's
        # own points at nothing.
        assert bool(error.where) == (error.named_by != SEAM_FAKE), name
        assert error.where == "" or (error.where.startswith("src/") and error.where.endswith(".ts")), name


def test_every_catalogued_error_is_a_4xx_but_the_fakes_own_failures() -> None:
    # Nothing a client sends may earn a 5xx: only `simulate_outage` asks for one, a state
    # file that cannot be written (server mode) is the machine's fault, and a 500 is a bug.
    # The one exception is HTTP's own: 505 for a version the server does not speak.
    server_errors = {name for name, error in CATALOGUE.items() if not 400 <= error.status < 500}
    assert server_errors == {
        "service_unavailable",
        "state_not_saved",
        "internal_server_error",
        "http_version_not_supported",
    }


def test_every_error_type_the_code_raises_is_catalogued() -> None:
    # An uncatalogued type would fail inside ApiError() and escape handle() as an exception.
    package = Path(__file__).parents[2] / "seam_fake"
    source = "\n".join(path.read_text() for path in package.rglob("*.py"))
    raised = set(re.findall(r'(?:ApiError|NotFound)\(\s*"([a-z_]+)"', source))
    raised |= set(re.findall(r'ApiError\(\s*f"\{field_name\}(_already_in_use)"', source))
    assert "acs_user_not_found" in raised and "_already_in_use" in raised
    raised.discard("_already_in_use")
    assert raised <= set(CATALOGUE), raised - set(CATALOGUE)


def test_readme_route_table_lists_exactly_the_routes() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    table: dict[str, set[str]] = {}
    for paths, methods in re.findall(r"^\| (`/.*?) \| ([A-Z, ]+) \|$", readme, flags=re.MULTILINE):
        for path in re.findall(r"`(/[^`]+)`", paths):
            table[path] = set(methods.replace(" ", "").split(","))
    assert table == {route.path: set(route.methods) for route in ROUTE_LIST}


# Every route, called for real ----------------------------------------------------------


class Demo:
    """Ids in a fresh ``FakeSeam.demo()`` workspace, found by what the demo calls them."""

    def __init__(self, fake: FakeSeam) -> None:
        workspace = fake.snapshot()["workspaces"][fake.workspace_id]
        self.identity = {i["user_identity_key"]: i for i in workspace["user_identities"].values()}
        self.system = {s["external_type"]: s["acs_system_id"] for s in workspace["acs_systems"].values()}
        self.acs_user = {u["full_name"]: u["acs_user_id"] for u in workspace["acs_users"].values()}
        self.credentials = list(workspace["acs_credentials"].values())
        self.phone = next(iter(workspace["phones"]))
        self.client_session = next(iter(workspace["client_sessions"].values()))
        self.instant_key = next(iter(workspace["instant_keys"].values()))
        self.event = next(iter(workspace["events"].values()))
        self.entrance = {e["display_name"]: e["acs_entrance_id"] for e in workspace["acs_entrances"].values()}
        self.group = {g["name"]: g["acs_access_group_id"] for g in workspace["acs_access_groups"].values()}
        self.action_attempt = next(iter(workspace["action_attempts"]))
        self.unmanaged_identity = next(iter(workspace["unmanaged_user_identities"]))
        self.unmanaged_acs_user = next(iter(workspace["unmanaged_acs_users"]))
        self.unmanaged_group = next(iter(workspace["unmanaged_acs_access_groups"]))
        self.unmanaged_credential = next(iter(workspace["unmanaged_acs_credentials"]))

    def credential(self, access_method: str, *, child: bool = False) -> str:
        """A credential of the demo with this access method: a parent or a per-phone child."""
        found: str = next(
            c["acs_credential_id"]
            for c in self.credentials
            if c["access_method"] == access_method and (c["parent_acs_credential_id"] is not None) == child
        )
        return found

    def identity_id(self, key: str) -> str:
        identity_id: str = self.identity[key]["user_identity_id"]
        return identity_id


# One successful call per route: parameters drawn from the demo workspace.
EXAMPLES: dict[str, Callable[[Demo], dict[str, Any]]] = {
    "/user_identities/create": lambda d: {
        "user_identity_key": "new_person",
        "email_address": "new.person@example.com",
        "acs_system_ids": [d.system["salto_ks_site"]],
    },
    "/user_identities/get": lambda d: {"user_identity_key": "user_jane"},
    # A small limit, so the answer carries a next page cursor and URL.
    "/user_identities/list": lambda d: {"limit": 2, "search": "example.com"},
    "/user_identities/update": lambda d: {"user_identity_id": d.identity_id("user_jane"), "full_name": "J D"},
    "/user_identities/delete": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/user_identities/add_acs_user": lambda d: {
        "user_identity_id": d.identity_id("user_kenji"),
        "acs_user_id": d.acs_user["Ravi Patel"],
    },
    "/user_identities/remove_acs_user": lambda d: {
        "user_identity_id": d.identity_id("user_mei"),
        "acs_user_id": d.acs_user["Mei Chen"],
    },
    "/user_identities/list_acs_users": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/user_identities/list_acs_systems": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/acs/systems/get": lambda d: {"acs_system_id": d.system["visionline_system"]},
    "/acs/systems/list": lambda d: {"search": "o"},
    "/acs/users/get": lambda d: {"acs_user_id": d.acs_user["Mei Chen"]},
    "/acs/users/list": lambda d: {"limit": 3, "acs_system_id": d.system["salto_ks_site"]},
    "/acs/users/create": lambda d: {
        "acs_system_id": d.system["visionline_system"],
        "full_name": "New Guest",
        "phone_number": "+447700900999",
        "user_identity_id": d.identity_id("user_kenji"),
    },
    "/acs/users/update": lambda d: {"acs_user_id": d.acs_user["Tom Brown"], "full_name": "Thomas Brown"},
    "/acs/users/delete": lambda d: {
        "user_identity_id": d.identity_id("user_jane"),
        "acs_system_id": d.system["visionline_system"],
    },
    "/acs/users/suspend": lambda d: {"acs_user_id": d.acs_user["Olu Adeyemi"]},
    "/acs/users/unsuspend": lambda d: {"acs_user_id": d.acs_user["Olu Adeyemi"]},
    "/user_identities/generate_instant_key": lambda d: {
        "user_identity_id": d.identity_id("user_kenji"),
        "max_use_count": 3,
    },
    "/user_identities/list_accessible_devices": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/user_identities/list_accessible_entrances": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/acs/systems/list_compatible_credential_manager_acs_systems": lambda d: {
        "acs_system_id": d.system["visionline_system"]
    },
    "/acs/credentials/create": lambda d: {
        "acs_user_id": d.acs_user["Ravi Patel"],
        "access_method": "code",
        "ends_at": "2999-01-01T00:00:00Z",
    },
    "/acs/credentials/get": lambda d: {"acs_credential_id": d.credential("mobile_key", child=True)},
    "/acs/credentials/list": lambda d: {"limit": 2},
    "/acs/credentials/update": lambda d: {
        "acs_credential_id": d.credential("mobile_key"),
        "ends_at": "2999-01-01T00:00:00Z",
    },
    "/acs/credentials/delete": lambda d: {"acs_credential_id": d.credential("mobile_key")},
    "/acs/credentials/assign": lambda d: {
        "acs_credential_id": d.credential("code"),
        "acs_user_id": d.acs_user["Tom Brown"],
    },
    "/acs/credentials/unassign": lambda d: {
        "acs_credential_id": d.credential("code"),
        "user_identity_id": d.identity_id("user_mei"),
    },
    "/acs/credentials/list_accessible_entrances": lambda d: {"acs_credential_id": d.credential("code")},
    "/phones/list": lambda d: {"owner_user_identity_id": d.identity_id("user_jane")},
    "/phones/get": lambda d: {"device_id": d.phone},
    "/phones/deactivate": lambda d: {"device_id": d.phone},
    "/phones/simulate/create_sandbox_phone": lambda d: {
        "user_identity_id": d.identity_id("user_mei"),
        "phone_metadata": {"operating_system": "ios"},
    },
    "/client_sessions/create": lambda d: {"user_identity_id": d.identity_id("user_lucia")},
    "/client_sessions/get_or_create": lambda d: {"user_identifier_key": "app-user-jane"},
    "/client_sessions/get": lambda d: {"client_session_id": d.client_session["client_session_id"]},
    "/client_sessions/list": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/client_sessions/grant_access": lambda d: {
        "client_session_id": d.client_session["client_session_id"],
        "user_identity_id": d.identity_id("user_mei"),
    },
    "/client_sessions/revoke": lambda d: {"client_session_id": d.client_session["client_session_id"]},
    "/client_sessions/delete": lambda d: {"client_session_id": d.client_session["client_session_id"]},
    "/instant_keys/get": lambda d: {"instant_key_id": d.instant_key["instant_key_id"]},
    "/instant_keys/list": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/instant_keys/delete": lambda d: {"instant_key_id": d.instant_key["instant_key_id"]},
    "/events/list": lambda d: {"since": "2000-01-01T00:00:00Z", "event_types": ["acs_credential.issued"]},
    "/events/get": lambda d: {"event_id": d.event["event_id"]},
    "/workspaces/get": lambda d: {},
    "/workspaces/list": lambda d: {},
    "/acs/entrances/get": lambda d: {"acs_entrance_id": d.entrance["Lobby"]},
    "/acs/entrances/list": lambda d: {"limit": 2, "acs_system_id": d.system["salto_ks_site"]},
    "/acs/entrances/grant_access": lambda d: {
        "acs_entrance_id": d.entrance["Pool"],
        "user_identity_id": d.identity_id("user_kenji"),
    },
    "/acs/entrances/list_credentials_with_access": lambda d: {"acs_entrance_id": d.entrance["Lobby"]},
    "/acs/entrances/unlock": lambda d: {
        "acs_entrance_id": d.entrance["Lobby"],
        "acs_credential_id": d.credential("cloud_key"),
    },
    "/acs/access_groups/get": lambda d: {"acs_access_group_id": d.group["Floor 3"]},
    "/acs/access_groups/list": lambda d: {"acs_system_id": d.system["salto_ks_site"], "search": "o"},
    "/acs/access_groups/add_user": lambda d: {
        "acs_access_group_id": d.group["Parking"],
        "acs_user_id": d.acs_user["Ravi Patel"],
    },
    "/acs/access_groups/remove_user": lambda d: {
        "acs_access_group_id": d.group["Floor 3"],
        "user_identity_id": d.identity_id("user_mei"),
    },
    "/acs/access_groups/list_users": lambda d: {"acs_access_group_id": d.group["Floor 3"]},
    "/acs/access_groups/list_accessible_entrances": lambda d: {"acs_access_group_id": d.group["Floor 3"]},
    "/acs/access_groups/delete": lambda d: {"acs_access_group_id": d.group["Parking"]},
    "/acs/access_groups/unmanaged/get": lambda d: {"acs_access_group_id": d.unmanaged_group},
    "/acs/access_groups/unmanaged/list": lambda d: {"acs_system_id": d.system["salto_ks_site"]},
    "/acs/users/add_to_access_group": lambda d: {
        "acs_access_group_id": d.group["Parking"],
        "acs_user_id": d.acs_user["Tom Brown"],
    },
    "/acs/users/remove_from_access_group": lambda d: {
        "acs_access_group_id": d.group["Floor 3"],
        "user_identity_id": d.identity_id("user_lucia"),
    },
    "/acs/users/list_accessible_entrances": lambda d: {"user_identity_id": d.identity_id("user_jane")},
    "/acs/users/revoke_access_to_all_entrances": lambda d: {"acs_user_id": d.acs_user["Mei Chen"]},
    "/acs/users/unmanaged/get": lambda d: {"acs_user_id": d.unmanaged_acs_user},
    "/acs/users/unmanaged/list": lambda d: {"limit": 10},
    "/acs/credentials/unmanaged/get": lambda d: {"acs_credential_id": d.unmanaged_credential},
    "/acs/credentials/unmanaged/list": lambda d: {"acs_system_id": d.system["salto_ks_site"]},
    "/action_attempts/get": lambda d: {"action_attempt_id": d.action_attempt},
    "/action_attempts/list": lambda d: {"limit": 1},
    "/user_identities/unmanaged/get": lambda d: {"user_identity_id": d.unmanaged_identity},
    "/user_identities/unmanaged/list": lambda d: {"limit": 1},
    "/user_identities/unmanaged/update": lambda d: {
        "user_identity_id": d.unmanaged_identity,
        "is_managed": True,
        "user_identity_key": "priya",
    },
}

CALLS = [(route, method) for route in ROUTE_LIST for method in sorted(route.methods)]


def test_every_route_has_an_example() -> None:
    assert set(EXAMPLES) == set(ROUTES)


@pytest.mark.parametrize(("route", "method"), CALLS, ids=[f"{m} {r.path}" for r, m in CALLS])
def test_every_route_answers_a_real_call_with_a_schema_valid_body(route: Route, method: str) -> None:
    fake = FakeSeam.demo()
    params = EXAMPLES[route.path](Demo(fake))
    with fake.patch(), requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {fake.api_key}"
        url = fake.endpoint + route.path
        if method in ("GET", "DELETE"):
            response = session.request(method, url, params=params)
        else:
            response = session.request(method, url, json=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True
    assert_valid_response(route.path, body, method.lower())
    if "pagination" in body:
        assert body["pagination"]["has_next_page"] is True
        assert body["pagination"]["next_page_url"].startswith(fake.endpoint + route.path + "?")


@pytest.mark.parametrize("route", ROUTE_LIST, ids=[route.path for route in ROUTE_LIST])
def test_mutates_is_declared_consistently_with_the_methods(route: Route) -> None:
    # Seam lets every read be a GET and no write: a declaration that disagrees is a typo.
    assert route.mutates == ("GET" not in route.methods)
