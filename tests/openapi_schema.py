"""Validate response bodies against Seam's OpenAPI schemas (the reference the package carries)."""

from __future__ import annotations

from functools import cache
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


@cache
def _validator(path: str, method: str) -> OAS30Validator:
    operation = spec()["paths"][path][method.lower()]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return OAS30Validator({**schema, "components": spec()["components"]}, format_checker=oas30_format_checker)


def assert_valid_response(path: str, body: Any, method: str = "post") -> None:
    """Raise with every schema violation if ``body`` is not a valid 200 response of ``path``."""
    errors = sorted(_validator(path, method).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
