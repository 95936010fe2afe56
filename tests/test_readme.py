"""Every Python example in the README runs, so the quickstart cannot rot."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from seam_fake import FakeSeam

README = Path(__file__).parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(source: str, fake_seam: FakeSeam) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(source, str(README), "exec"), namespace)
    # A block that defines pytest-style tests gets them called with the fixture.
    tests = [value for name, value in namespace.items() if name.startswith("test_") and callable(value)]
    for test in tests:
        fake_seam.reset()
        test(fake_seam)
