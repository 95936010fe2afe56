"""The documentation cannot rot: every Python example in README.md and docs/*.md runs, and
the reference tables (routes, errors, controls, error examples) match the code.

Each ```python block is executed on its own, with a fake patched in for its top-level
code. A block that defines ``test_*`` functions gets each of them called as pytest
would call it: with a fresh ``fake_seam`` configured by its ``@pytest.mark.seam_fake``,
with no fake at all if it names none, and with this suite's other fixtures
(``fake_seam_server`` is reset). A block that defines ``Test*`` ``unittest.TestCase``
classes (Hypothesis state machines) gets them run. Blocks meant as fragments must use
another fence language.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import textwrap
import unittest
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from seam_fake import CATALOGUE, FakeSeam, Request
from seam_fake.api.controls import CONTROLS
from seam_fake.api.routes import ROUTES
from seam_fake.env import seam_env
from seam_fake.pytest_plugin import configured_fake
from seam_fake.reference import VERSION as REFERENCE_VERSION
from seam_fake.reference import documented_paths, openapi
from seam_fake.server import BackgroundServer

DOCS = Path(__file__).parent.parent / "docs"
PAGES = sorted(DOCS.glob("*.md"))
README = DOCS.parent / "README.md"
# Where each page's blocks come from, by the name their ids start with.
SOURCES = {page.name: page for page in [README, *PAGES]}

# A fenced block, possibly indented (inside an admonition); the closing fence has the same indent.
_FENCE = re.compile(
    r"^(?P<indent>[ ]*)```python[ ]*\n(?P<body>.*?)^(?P=indent)```[ ]*$", re.DOTALL | re.MULTILINE
)


def _python_blocks(pages: list[Path]) -> list[tuple[str, str]]:
    """``(id, source)`` of every block; the source is padded with blank lines so that
    line numbers in a traceback are those of the page."""
    blocks = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for number, match in enumerate(_FENCE.finditer(text)):
            padding = "\n" * text.count("\n", 0, match.start("body"))
            blocks.append((f"{page.name}-block{number}", padding + textwrap.dedent(match["body"])))
    return blocks


BLOCKS = _python_blocks(PAGES)
README_BLOCKS = _python_blocks([README])


def test_the_site_has_its_pages() -> None:
    names = {page.name for page in PAGES}
    expected = {
        "index.md",
        "fixtures.md",
        "python-api.md",
        "endpoints.md",
        "errors.md",
        "simulation.md",
        "hypothesis.md",
        "server.md",
        "comparison.md",
        "benchmarks.md",
        "fidelity.md",
    }
    assert expected <= names
    # Every page is in the nav, and the nav names no missing page.
    nav = re.findall(r"^\s+- [^:\n]+: (\S+\.md)$", (DOCS.parent / "mkdocs.yml").read_text(), re.MULTILINE)
    assert sorted(nav) == sorted(names)


def test_readme_has_python_examples() -> None:
    assert len(README_BLOCKS) >= 3


def test_the_docs_have_python_examples() -> None:
    pages_with_examples = {name.split("-block")[0] for name, _ in BLOCKS}
    assert len(BLOCKS) >= 20
    assert {"index.md", "fixtures.md", "python-api.md", "hypothesis.md", "simulation.md"} <= (
        pages_with_examples
    )


@pytest.mark.parametrize(
    ("name", "source"), README_BLOCKS + BLOCKS, ids=[name for name, _ in README_BLOCKS + BLOCKS]
)
def test_doc_example_runs(name: str, source: str, request: pytest.FixtureRequest) -> None:
    namespace: dict[str, Any] = {"__name__": "docs_" + re.sub(r"\W", "_", name)}
    # A page's top-level code runs as a test body would, with a fake in place.
    fake = FakeSeam()
    with seam_env(fake.api_key), fake.patch():
        exec(compile(source, str(SOURCES[name.split("-block")[0]]), "exec"), namespace)

    tests = [value for key, value in namespace.items() if key.startswith("test_") and callable(value)]
    for test in tests:
        run_like_pytest(test, request)

    cases = [
        value
        for key, value in namespace.items()
        if key.startswith("Test") and isinstance(value, type) and issubclass(value, unittest.TestCase)
    ]
    for case in cases:
        result = unittest.TestResult()
        unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
        assert result.wasSuccessful(), result.errors + result.failures
        assert result.testsRun


def run_like_pytest(test: Any, request: pytest.FixtureRequest) -> None:
    """Call a page's ``test_*`` function as the plugin would: ``fake_seam`` built as its
    ``@pytest.mark.seam_fake`` says, other fixtures from this suite; a function that asks
    for no fake runs with none (and so meets the network guard)."""
    marks = {mark.name: mark for mark in getattr(test, "pytestmark", [])}
    parameters = list(inspect.signature(test).parameters)
    arguments: dict[str, Any] = {}
    for parameter in parameters:
        if parameter != "fake_seam":
            value = request.getfixturevalue(parameter)
            if isinstance(value, BackgroundServer):
                value.fake.reset()
            arguments[parameter] = value
    if "fake_seam" not in parameters:
        test(**arguments)
        return
    fake = configured_fake(marks.get("seam_fake"))
    with seam_env(fake.api_key), fake.patch():
        test(**arguments, fake_seam=fake)


# Tables ---------------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split(" | ")]


def _rows(page: str, first_cell: str) -> list[list[str]]:
    """The table rows of a page whose first cell matches ``first_cell`` (a regex)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [_cells(line) for line in text.splitlines() if re.match(rf"^\| {first_cell} \|", line)]


_PARAM = re.compile(r"^`(?P<name>[a-z_]+)`(?: \((?P<mark>required|one of|unsupported)\))?$")


def _params(cell: str) -> list[tuple[str, str | None]]:
    """``[(name, mark)]`` from a cell like "`a` (required), `b`"; "(none)" is no parameters."""
    if cell == "(none)":
        return []
    parsed = []
    for item in cell.split(", "):
        match = _PARAM.match(item)
        assert match, f"cannot read parameter {item!r} in {cell!r}"
        parsed.append((match["name"], match["mark"]))
    return parsed


def _route_row(path: str) -> str:
    """The row the endpoints table should hold for a route (the fidelity cell is free)."""
    route = ROUTES[path]
    items = []
    for param in route.params:
        mark = " (required)" if param.required else " (one of)" if param.name in route.exactly_one_of else ""
        items.append(f"`{param.name}`{mark}")
    items += [f"`{name}` (unsupported)" for name in route.unsupported]
    methods = ", ".join(sorted(route.methods))
    return f"| `{path}` | {methods} | {', '.join(items) or '(none)'} | {route.summary} |"


def test_the_endpoints_table_lists_every_route() -> None:
    rows = _rows("endpoints.md", r"`/[^`]*`")
    expected = "\n".join(_route_row(path) + " ... |" for path in ROUTES)
    hint = f"expected rows (first four cells, in this order):\n{expected}"
    assert [row[0].strip("`") for row in rows] == list(ROUTES), hint
    for row in rows:
        path = row[0].strip("`")
        route = ROUTES[path]
        assert len(row) == 5, f"{path}: expected path | methods | parameters | summary | notes"
        assert set(row[1].split(", ")) == route.methods, f"{path}: methods\n{hint}"
        params = _params(row[2])
        assert [name for name, _ in params] == [p.name for p in route.params] + list(route.unsupported), (
            f"{path}: parameters\n{hint}"
        )
        marks = dict(params)
        assert {n for n, m in marks.items() if m == "unsupported"} == set(route.unsupported), path
        assert {n for n, m in marks.items() if m == "required"} == {
            p.name for p in route.params if p.required
        }, path
        assert {n for n, m in marks.items() if m == "one of"} == set(route.exactly_one_of), path
        assert row[3] == route.summary, f"{path}: summary\n{hint}"
        assert "fidelity.md#" in row[4], f"{path}: link the fidelity notes"


def test_the_errors_table_lists_the_catalogue() -> None:
    rows = _rows("errors.md", r"`[a-z_]+`")
    expected = "\n".join(
        f"| `{name}` | {spec.status} | {spec.when} | {spec.source} |" for name, spec in CATALOGUE.items()
    )
    assert [row[0].strip("`") for row in rows] == list(CATALOGUE), f"expected rows:\n{expected}"
    for row in rows:
        spec = CATALOGUE[row[0].strip("`")]
        assert (int(row[1]), row[2], row[3]) == (spec.status, spec.when, spec.source), (
            f"{row[0]}: expected rows:\n{expected}"
        )


def test_the_controls_table_lists_every_control() -> None:
    rows = _rows("server.md", r"`/_fake/[^`]*`")
    assert [row[0].strip("`") for row in rows] == list(CONTROLS)
    for row in rows:
        control = CONTROLS[row[0].strip("`")]
        assert set(row[1].split(", ")) == control.methods, control.path
        params = _params(row[2])
        assert [name for name, _ in params] == [p.name for p in control.params], control.path
        assert {n for n, m in params if m == "required"} == {p.name for p in control.params if p.required}
        assert row[3] == ("admin token" if control.scope == "fake" else "workspace"), control.path
        assert row[4] == control.summary, control.path


def test_each_reference_page_says_its_table_is_checked() -> None:
    for page in ("endpoints.md", "errors.md", "server.md"):
        assert "`tests/test_docs.py`" in (DOCS / page).read_text(encoding="utf-8"), page


# Error examples -------------------------------------------------------------------

_REPLAY = re.compile(
    r"<!-- replay: (?P<method>[A-Z]+) (?P<target>\S+)(?: (?P<body>\{.*?\}))? -->\n```json\n(?P<json>.*?)```",
    re.DOTALL,
)


def test_the_error_examples_are_real_answers() -> None:
    """Each JSON example in errors.md is what FakeSeam(random_seed=0) answers, in page order."""
    examples = list(_REPLAY.finditer((DOCS / "errors.md").read_text(encoding="utf-8")))
    assert len(examples) >= 3
    assert any(json.loads(e["json"])["error"]["type"] == "invalid_input" for e in examples)
    fake = FakeSeam(random_seed=0)
    for example in examples:
        path, _, query = example["target"].partition("?")
        headers = {"authorization": f"Bearer {fake.api_key}"}
        body = b""
        if example["body"] is not None:
            headers["content-type"] = "application/json"
            body = json.dumps(json.loads(example["body"])).encode()
        response = fake.handle(Request(example["method"], path, query, headers, body))
        shown = json.loads(example["json"])
        actual = response.json()
        assert actual == shown, (
            f"{example['method']} {example['target']} answers:\n{json.dumps(actual, indent=2)}"
        )
        assert response.status == CATALOGUE[shown["error"]["type"]].status
        assert response.headers["seam-request-id"] == shown["error"]["request_id"]


# Pages that describe files ---------------------------------------------------------


def test_the_benchmarks_page_shows_the_plot_only_if_it_exists() -> None:
    text = (DOCS / "benchmarks.md").read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    if (DOCS / "scaling.png").exists():
        assert "![cost against the number of identities](scaling.png)" in text
    else:
        assert "scaling.png)" not in text
        assert "<!-- scaling plot -->" in text


def test_the_javascript_example_is_in_the_docs() -> None:
    example = DOCS / "examples" / "node-sdk.mjs"
    source = example.read_text(encoding="utf-8")
    assert "new Seam({ apiKey, endpoint })" in source
    assert '--8<-- "examples/node-sdk.mjs"' in (DOCS / "server.md").read_text(encoding="utf-8")


def test_the_comparison_page_lists_every_known_divergence() -> None:
    # The differential tests' table of divergences (differential/test_official_fake.py),
    # read without running them: they need node.
    source = (DOCS.parent / "differential" / "test_official_fake.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    known = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "KNOWN" for t in node.targets)
    )
    assert isinstance(known, ast.Dict)
    names = [ast.literal_eval(key) for key in known.keys if key is not None]
    rows = [row[0] for row in _rows("comparison.md", r"[a-z][a-z_ ]+")]
    assert names and set(names) <= set(rows), (names, rows)


def coverage_section() -> str:
    """What the endpoints page says of the reference's routes, from the route table and
    the reference: how many are simulated, by namespace, and which are not in the
    namespaces simulated in part."""
    documented = documented_paths()
    counts = Counter(path.split("/")[1] for path in documented)
    simulated = Counter(path.split("/")[1] for path in ROUTES if path in documented)
    total = len(openapi()["paths"])
    lines = [
        f"seam-fake simulates **{sum(simulated.values())} of the {len(documented)} routes** Seam's "
        f"reference documents (`@seamapi/types` {REFERENCE_VERSION}; the reference holds {total} paths, "
        f"{total - len(documented)} of them marked `x-undocumented` on every operation). By namespace:",
        "",
        "| Namespace | Documented routes | Simulated |",
        "| --- | --- | --- |",
        # The namespace bare, not `/name`: rows that start with a path are the route table's.
        *(f"| {name} | {counts[name]} | {simulated.get(name, 0)} |" for name in sorted(counts)),
        "",
        "In the namespaces it simulates in part, these documented routes answer 404 `route_not_simulated`:",
        "",
    ]
    for name in sorted(counts):
        if 0 < simulated.get(name, 0) < counts[name]:
            missing = [path for path in documented if path.split("/")[1] == name and path not in ROUTES]
            lines.append(f"- `/{name}`: " + ", ".join(f"`{path}`" for path in missing))
    undocumented = [path for path in ROUTES if path not in documented]
    lines += [
        "",
        f'It also simulates {len(undocumented)} routes the reference marks `x-undocumented` ("No unmanaged '
        '... are currently implemented"), because test authors seed such objects: '
        + ", ".join(f"`{path}`" for path in undocumented)
        + ".",
    ]
    return "\n".join(lines)


def test_the_endpoints_page_says_how_much_of_the_reference_is_simulated() -> None:
    assert all(path in openapi()["paths"] for path in ROUTES), "a simulated route the reference lacks"
    text = (DOCS / "endpoints.md").read_text(encoding="utf-8")
    start, end = "<!-- coverage -->\n", "\n<!-- end coverage -->"
    assert start in text and end in text
    written = text.split(start, 1)[1].split(end, 1)[0]
    assert written == coverage_section(), f"expected:\n{coverage_section()}"
