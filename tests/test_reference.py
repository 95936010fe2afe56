"""The refresh script's account of what changed between two references (pure: the
refresh itself needs node and npm, and is run by a maintainer)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from seam_fake.reference import VERSION, documented_paths, openapi

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "refresh_reference.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("refresh_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _operation(query: tuple[str, ...] = (), body: tuple[str, ...] = ()) -> dict[str, Any]:
    operation: dict[str, Any] = {"parameters": [{"name": name, "in": "query"} for name in query]}
    if body:
        schema = {"properties": {name: {"type": "string"} for name in body}}
        operation["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    return operation


def test_changes_name_routes_added_removed_and_changed() -> None:
    old = {
        "paths": {
            "/a/list": {"get": _operation(("limit",)), "post": _operation(body=("limit",))},
            "/a/gone": {"post": _operation()},
            "/a/same": {"post": _operation(body=("x",))},
        }
    }
    new = {
        "paths": {
            "/a/list": {"post": _operation(body=("limit", "search"))},
            "/a/new": {"get": _operation(), "post": _operation()},
            "/a/same": {"post": _operation(body=("x",))},
        }
    }
    assert _script().changes(old, new) == [
        "+ /a/new (GET, POST)",
        "- /a/gone",
        "~ /a/list: methods POST +search",
    ]


def test_the_same_reference_has_no_changes() -> None:
    assert _script().changes(openapi(), openapi()) == []


def test_the_packaged_reference_is_the_version_it_says() -> None:
    assert VERSION == "1.977.0"
    assert len(openapi()["paths"]) == 316
    assert len(documented_paths()) == 201
