"""Refresh seam_fake/reference/openapi.json from the npm package ``@seamapi/types``.

    python scripts/refresh_reference.py 1.978.0

Installs that version into a temporary folder (needs node and npm), exports its
``openapi`` object, writes it compactly with sorted keys, sets ``VERSION`` in
``seam_fake/reference/__init__.py``, and prints which routes and parameters changed,
so that a maintainer sees what the fake may now lag behind. Run the test suite after:
the conformance tests hold the route table to the new reference.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent.parent / "seam_fake" / "reference"
EXPORT = "import('@seamapi/types/connect').then((m) => process.stdout.write(JSON.stringify(m.openapi)))"


def parameters(operation: dict[str, Any]) -> set[str]:
    """The names an operation takes: its query parameters and its JSON body's properties."""
    names = {parameter["name"] for parameter in operation.get("parameters", []) if "name" in parameter}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    names.update(body.get("properties", {}))
    return names


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per route added or removed, and per route whose methods or parameters changed."""
    lines = []
    old_paths, new_paths = old.get("paths", {}), new.get("paths", {})
    for path in sorted(new_paths.keys() - old_paths.keys()):
        lines.append(f"+ {path} ({', '.join(sorted(m.upper() for m in new_paths[path]))})")
    for path in sorted(old_paths.keys() - new_paths.keys()):
        lines.append(f"- {path}")
    for path in sorted(old_paths.keys() & new_paths.keys()):
        before, after = old_paths[path], new_paths[path]
        notes = []
        if set(before) != set(after):
            notes.append(f"methods {', '.join(sorted(m.upper() for m in after))}")
        names_before = set().union(*(parameters(op) for op in before.values())) if before else set()
        names_after = set().union(*(parameters(op) for op in after.values())) if after else set()
        notes += [f"+{name}" for name in sorted(names_after - names_before)]
        notes += [f"-{name}" for name in sorted(names_before - names_after)]
        if notes:
            lines.append(f"~ {path}: {' '.join(notes)}")
    return lines


def export(version: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        run = {"cwd": folder, "check": True, "capture_output": True, "text": True}
        subprocess.run(["npm", "init", "-y"], **run)  # type: ignore[call-overload]
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", f"@seamapi/types@{version}"], **run)  # type: ignore[call-overload]
        output = subprocess.run(["node", "--input-type=module", "-e", EXPORT], **run)  # type: ignore[call-overload]
    data: dict[str, Any] = json.loads(output.stdout)
    return data


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    version = argv[0]
    old = json.loads((REFERENCE / "openapi.json").read_text(encoding="utf-8"))
    try:
        new = export(version)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", None) or str(error)
        # npm ends with where its log is; the first error line says what went wrong.
        lines = [line for line in str(detail).splitlines() if line.strip() and "complete log" not in line]
        print(
            f"refresh_reference: cannot export @seamapi/types@{version}: {'; '.join(lines[:2])}",
            file=sys.stderr,
        )
        return 1
    (REFERENCE / "openapi.json").write_text(
        json.dumps(new, sort_keys=True, separators=(",", ":")), encoding="utf-8"
    )
    init = REFERENCE / "__init__.py"
    init.write_text(
        re.sub(r'VERSION = "[^"]*"', f'VERSION = "{version}"', init.read_text()), encoding="utf-8"
    )
    lines = changes(old, new)
    print(f"@seamapi/types {version}: {len(new.get('paths', {}))} paths, {len(lines)} changed")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
