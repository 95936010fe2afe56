"""Validate response bodies against Seam's OpenAPI schemas (the reference the package carries)."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import Any

from openapi_schema_validator import OAS30Validator, oas30_format_checker

from seam_fake.reference import openapi


def _without_discriminators(node: Any) -> Any:
    # Seam's errors and warnings are inline `oneOf`s with a `discriminator`
    # but no mapping; the validator would look the discriminator value up as
    # `#/components/schemas/<error_code>`, which does not exist. `oneOf` alone
    # still checks each item against exactly one variant.
    if isinstance(node, dict):
        return {k: _without_discriminators(v) for k, v in node.items() if k != "discriminator"}
    if isinstance(node, list):
        return [_without_discriminators(item) for item in node]
    return node


@cache
def spec() -> dict[str, Any]:
    return _without_discriminators(openapi())


def _schema(path: str, method: str) -> dict[str, Any]:
    operation = spec()["paths"][path][method.lower()]
    schema: dict[str, Any] = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return schema


@cache
def _validator(path: str, method: str) -> OAS30Validator:
    return OAS30Validator(
        {**_schema(path, method), "components": spec()["components"]}, format_checker=oas30_format_checker
    )


@cache
def _item_validator(ref: str) -> OAS30Validator:
    return OAS30Validator(
        {"$ref": ref, "components": spec()["components"]}, format_checker=oas30_format_checker
    )


@cache
def _lists_of_resources(path: str, method: str) -> dict[str, str]:
    """The response's array properties whose items are a component schema: name -> $ref."""
    found = {}
    for name, prop in _schema(path, method).get("properties", {}).items():
        ref = prop.get("items", {}).get("$ref") if prop.get("type") == "array" else None
        if ref is not None:
            found[name] = ref
    return found


@lru_cache(maxsize=200_000)
def _item_errors(ref: str, item_json: str) -> tuple[str, ...]:
    """One list item's violations. Cached: long-running tests list the same records (an
    event log, a credential) over and over, and a record is checked once per content."""
    item = json.loads(item_json)
    return tuple(f"{list(e.path)}: {e.message}" for e in _item_validator(ref).iter_errors(item))


def assert_valid_response(path: str, body: Any, method: str = "post") -> None:
    """Raise with every schema violation if ``body`` is not a valid 200 response of ``path``.

    Lists of resources are checked item by item against the item schema (the same
    check, shared between responses); the rest of the body against the response schema."""
    lists = _lists_of_resources(path, method) if isinstance(body, dict) else {}
    rest = (
        {name: [] if name in lists and isinstance(value, list) else value for name, value in body.items()}
        if lists
        else body
    )
    errors = [
        f"{list(e.path)}: {e.message}"
        for e in sorted(_validator(path, method).iter_errors(rest), key=lambda e: list(e.path))
    ]
    for name, ref in lists.items():
        for index, item in enumerate(body.get(name) or []):
            errors += [
                f"[{name!r}, {index}] {error}"
                for error in _item_errors(ref, json.dumps(item, sort_keys=True))
            ]
    assert not errors, "\n".join(errors)
