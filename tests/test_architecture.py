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


# Every change of state goes through model/journal.py, so that a request that fails part-way
# is undone whole. A mutation written another way would escape the undo: find them in the source.
MUTATING_METHODS = frozenset(
    {"append", "extend", "insert", "remove", "pop", "clear", "update", "setdefault", "popitem", "sort"}
    | {"reverse", "discard", "add"}
)
# journal.py is the mechanism; snapshots.py builds a new state that nothing shares until it is whole.
UNJOURNALLED = ("journal.py", "snapshots.py")


def direct_mutations(source: str) -> list[str]:
    """Assignments to attributes or items, deletions of them, and mutating method calls on an
    attribute or item (``ws.events[...] = ...``, ``user.errors.append(...)``), outside ``__init__``."""
    found: list[str] = []

    def visit(node: ast.AST, function: str | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign | ast.Delete):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple) else [target]
            if function != "__init__" and any(isinstance(e, ast.Attribute | ast.Subscript) for e in elements):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATING_METHODS
            and isinstance(node.func.value, ast.Attribute | ast.Subscript)
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(source), None)
    return found


MODEL_FILES = [p for p in sorted((PACKAGE / "model").glob("*.py")) if p.name not in UNJOURNALLED]


@pytest.mark.parametrize("path", MODEL_FILES, ids=[p.name for p in MODEL_FILES])
def test_the_model_changes_state_only_through_the_journal(path: Path) -> None:
    found = direct_mutations(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} changes state without model.journal: {found}"


def test_the_mutation_check_sees_mutations() -> None:
    source = (
        "def f(ws, user, rows):\n"
        "    ws.events[e.id] = e\n"
        "    user.name = 'x'\n"
        "    del ws.phones[d]\n"
        "    user.errors.append(err)\n"
        "    ws.last_seq += 1\n"
        "    rows.append(1)\n"
        "    local = {}\n"
        "class C:\n"
        "    def __init__(self):\n"
        "        self.ok = 1\n"
    )
    assert [line.split(":")[0] for line in direct_mutations(source)] == [
        "line 2",
        "line 3",
        "line 4",
        "line 5",
        "line 6",
    ]
