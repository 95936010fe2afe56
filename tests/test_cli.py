"""``seam-fake`` on the command line: ``--version``, ``serve --help``, and one-line errors.

Start-up errors are one line on stderr and exit code 2, never a traceback; the help
says what the server answers (Seam's routes, ``/health``, ``/_fake/``) with an example.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from seam_fake.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seam_fake", *args], capture_output=True, text=True, timeout=30, check=False
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("seam-fake ") and result.stdout.split()[1][0].isdigit()


@pytest.mark.parametrize("key", ["badkey", "seam_at_token", "seam_cst_token", "seam_pk_key"])
def test_a_bad_api_key_is_one_line_and_exit_code_2(key: str) -> None:
    result = run("serve", "--port", "0", "--api-key", key)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("seam-fake: error: --api-key") and key in lines[0]
    assert "Traceback" not in result.stderr


def test_an_unknown_option_is_argparse_s_exit_code_2() -> None:
    result = run("serve", "--no-such-option")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_serve_help_names_health_controls_and_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for needed in ("/health", "/_fake/", "--strict", "example:", "seam-fake serve --demo", "SEAM_ENDPOINT"):
        assert needed in text, needed


MISSING_HYPOTHESIS = """
import sys

sys.modules["hypothesis"] = None
try:
    import seam_fake.{module}
except ModuleNotFoundError as error:
    print(error)
else:
    raise SystemExit("imported without Hypothesis")
"""


@pytest.mark.parametrize("module", ["strategies", "stateful"])
def test_without_hypothesis_the_import_error_names_the_extra(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", MISSING_HYPOTHESIS.format(module=module)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "seam-fake[hypothesis]" in result.stdout and f"seam_fake.{module}" in result.stdout
