"""The layers of docs/architecture.md hold: no module imports a layer above its own.

Read from the source with ``ast``, so a new import that breaks the layering fails here
before it tangles the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "seam_fake"

# What each layer may not import (as modules of the package, however spelled).
FORBIDDEN = {
    "model": ("api", "transports", "fake", "server", "pytest_plugin", "cli", "demo", "stateful", "env"),
    "api": ("transports", "fake", "server", "pytest_plugin", "cli", "demo", "stateful"),
    "transports": ("fake", "server", "pytest_plugin", "cli", "demo", "stateful", "model"),
}


def imported_modules(path: Path) -> set[str]:
    """The package modules a file imports, as dotted names below ``seam_fake``."""
    here = path.relative_to(PACKAGE).with_suffix("").parts
    # A module and a package's __init__ both sit in the folder their relative imports start from.
    package = here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                module = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("seam_fake"):
                module = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                found.add(".".join([*module, alias.name]))
                found.add(".".join(module))
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".", 1)[1] for a in node.names if a.name.startswith("seam_fake.")}
    return {name for name in found if name}


LAYER_FILES = [(layer, path) for layer in FORBIDDEN for path in sorted((PACKAGE / layer).rglob("*.py"))]


@pytest.mark.parametrize(
    ("layer", "path"), LAYER_FILES, ids=[str(p.relative_to(PACKAGE)) for _, p in LAYER_FILES]
)
def test_no_layer_imports_one_above_it(layer: str, path: Path) -> None:
    offending = sorted(
        name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN[layer] and name != layer
    )
    assert not offending, f"{path.relative_to(PACKAGE)} imports {offending}"


def test_the_check_sees_imports() -> None:
    # The scanner must see the imports it is meant to refuse, or the test above proves nothing.
    assert "model.world" in imported_modules(PACKAGE / "api" / "dispatch.py")
    assert "api.http" in imported_modules(PACKAGE / "transports" / "origin.py")
