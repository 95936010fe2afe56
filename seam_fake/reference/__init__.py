"""Seam's OpenAPI reference, as data: the routes, parameters and schemas of Seam's API.

``openapi.json`` is the ``openapi`` export of the npm package ``@seamapi/types``
(MIT licensed) at ``VERSION``, written compactly with sorted keys. The tests hold
the route table and every response to it; nothing at run time depends on more
than its list of paths.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

VERSION = "1.977.0"


@cache
def openapi() -> dict[str, Any]:
    """The whole document (read once)."""
    data: dict[str, Any] = json.loads(
        resources.files(__package__).joinpath("openapi.json").read_text("utf-8")
    )
    return data


def documented_paths() -> list[str]:
    """The paths the reference documents: every path but those whose every operation is
    marked ``x-undocumented``."""
    return [
        path
        for path, operations in openapi()["paths"].items()
        if not all("x-undocumented" in operation for operation in operations.values())
    ]
