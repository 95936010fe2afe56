"""The route table against Seam's OpenAPI reference, and the README against the route table.

`seam_fake.routes.ROUTES` is the one list of implemented endpoints: the router
serves it, these tests hold it to the reference, and the README must agree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Raw, assert_error, unchanged
from openapi_schema import spec

from seam_fake import CATALOGUE, FakeSeam
from seam_fake.params import Param
from seam_fake.routes import ROUTES, Route

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
    "datetime": {"type": "string", "format": "date-time"},
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
        for variant in body.get("oneOf", [body]) if body else []:
            for name, schema in variant.get("properties", {}).items():
                found.setdefault(name, {**schema, "required": name in variant.get("required", [])})
    return found


@pytest.mark.parametrize("route", ROUTE_LIST, ids=IDS)
def test_route_methods_match_the_reference(route: Route) -> None:
    assert route.methods == {method.upper() for method in spec()["paths"][route.path]}


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
    if param.kind == "integer":
        # `min_length` holds an integer's least value; the reference says "greater than minimum".
        assert param.min_length == schema["minimum"] + (1 if schema.get("exclusiveMinimum") else 0)
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


def test_every_catalogued_error_has_a_4xx_status() -> None:
    assert all(400 <= error.status < 500 for error in CATALOGUE.values())


def test_readme_route_table_lists_exactly_the_routes() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    table: dict[str, set[str]] = {}
    for paths, methods in re.findall(r"^\| (`/.*?) \| ([A-Z, ]+) \|$", readme, flags=re.MULTILINE):
        for path in re.findall(r"`(/[^`]+)`", paths):
            table[path] = set(methods.replace(" ", "").split(","))
    assert table == {route.path: set(route.methods) for route in ROUTE_LIST}
