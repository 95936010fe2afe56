"""``seam-fake`` on the command line: ``--version``, ``serve --help``, and one-line errors.

Start-up errors are one line on stderr and exit code 2, never a traceback; the help
says what the server answers (Seam's routes, ``/health``, ``/_fake/``) with an example.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from seam_fake import FakeSeam, cli
from seam_fake.cli import is_loopback, main


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
import time

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


def start(*args: str) -> tuple[subprocess.Popen[str], list[str]]:
    """``seam-fake serve`` in a subprocess, up to its last start-up line (the export of the key)."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "seam_fake", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("export SEAM_API_KEY"):
            return process, lines
    process.wait(timeout=30)
    raise AssertionError(f"seam-fake serve stopped: {process.stderr.read() if process.stderr else ''}")


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    _, err = process.communicate(timeout=30)
    return err


def printed(lines: list[str], label: str) -> str:
    return next(line for line in lines if line.startswith(label)).removeprefix(label).split()[0]


def test_serve_prints_the_admin_token_and_takes_a_fixed_one() -> None:
    process, lines = start("--admin-token", "seam_fake_admin_for_ci_runs")
    try:
        endpoint = printed(lines, "seam-fake serving on")
        assert printed(lines, "admin_token:") == "seam_fake_admin_for_ci_runs"
        api_key = printed(lines, "api_key:")
        reset = requests.post(endpoint + "/_fake/reset", headers={"Authorization": f"Bearer {api_key}"})
        assert (reset.status_code, reset.json()["error"]["type"]) == (403, "admin_token_required")
        admin = {"Authorization": "Bearer seam_fake_admin_for_ci_runs"}
        assert requests.post(endpoint + "/_fake/reset", headers=admin, timeout=10).json() == {"ok": True}
    finally:
        err = stop(process)
    # On loopback: no warning.
    assert "warning" not in err


def test_a_bad_admin_token_is_one_line_and_exit_code_2() -> None:
    result = run("serve", "--port", "0", "--admin-token", "short")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("seam-fake: error: --admin-token") and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("::", False)],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_listening_beyond_loopback_prints_a_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing binds beyond loopback in a test: a stand-in server takes the address.
    bound: list[str] = []

    class Unbound:
        def __init__(self, fake: object, host: str, port: int, **kwargs: object) -> None:
            bound.append(host)
            self.endpoint = f"http://{host}:{port}"

        def serve_forever(self) -> None:
            raise KeyboardInterrupt

        def server_close(self) -> None:
            pass

    monkeypatch.setattr(cli, "FakeSeamServer", Unbound)
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)
    assert main(["serve", "--host", "0.0.0.0", "--port", "8080"]) == 0
    assert bound == ["0.0.0.0"]
    err = capsys.readouterr().err
    assert "warning: listening on 0.0.0.0, beyond this machine" in err


def test_serve_listens_on_ipv6_loopback() -> None:
    process, lines = start("--host", "::1")
    try:
        endpoint = printed(lines, "seam-fake serving on")
        assert endpoint.startswith("http://[::1]:")
        assert requests.get(endpoint + "/health", timeout=10).json() == {"ok": True, "service": "seam-fake"}
        api_key = printed(lines, "api_key:")
        listed = requests.get(
            endpoint + "/user_identities/list", headers={"Authorization": f"Bearer {api_key}"}, timeout=10
        )
        assert listed.json()["user_identities"] == []
    finally:
        assert "warning" not in stop(process)


@pytest.mark.parametrize("seconds", ["0", "-1", "abc", "inf", "nan"])
def test_a_bad_request_deadline_is_argparse_s_exit_code_2(seconds: str) -> None:
    result = run("serve", "--port", "0", "--request-deadline", seconds)
    assert result.returncode == 2
    assert "--request-deadline" in result.stderr and "Traceback" not in result.stderr


def test_serve_cuts_a_slow_request_off_at_the_deadline_it_is_given() -> None:
    process, lines = start("--request-deadline", "1")
    try:
        endpoint = printed(lines, "seam-fake serving on")
        host, port = endpoint.removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            began = time.monotonic()
            sock.sendall(b"POST /user_identities/create HTTP/1.1\r\nHost: x\r\n")  # and no more
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            waited = time.monotonic() - began
    finally:
        stop(process)
    assert received.startswith(b"HTTP/1.1 408 "), received[:200]
    # Well before the 10 s stall timeout: the deadline did it.
    assert waited < 5, waited


def _snapshot_file(folder: Path, **fields: str) -> Path:
    fake = FakeSeam(api_key="seam_snapshot_key")
    fake.add_user_identity(user_identity_key="from_the_snapshot", **fields)
    path = folder / "snapshot.json"
    path.write_text(json.dumps(fake.snapshot()), encoding="utf-8")
    return path


def test_serve_starts_from_a_snapshot(tmp_path: Path) -> None:
    path = _snapshot_file(tmp_path, full_name="Jean Doe")
    process, lines = start("--snapshot", str(path))
    try:
        endpoint = printed(lines, "seam-fake serving on")
        assert printed(lines, "api_key:") == "seam_snapshot_key"
        listed = requests.get(
            endpoint + "/user_identities/list",
            headers={"Authorization": "Bearer seam_snapshot_key"},
            timeout=10,
        ).json()["user_identities"]
    finally:
        stop(process)
    assert [i["user_identity_key"] for i in listed] == ["from_the_snapshot"]


@pytest.mark.parametrize("problem", ["missing", "not_json", "not_a_snapshot", "state_file_too", "other_key"])
def test_a_snapshot_that_cannot_start_the_server_is_one_line_and_exit_code_2(
    tmp_path: Path, problem: str
) -> None:
    path = _snapshot_file(tmp_path)
    extra: list[str] = []
    if problem == "missing":
        path = tmp_path / "nowhere.json"
    elif problem == "not_json":
        path.write_text("{not json", encoding="utf-8")
    elif problem == "not_a_snapshot":
        path.write_text(json.dumps({"format": "seam-fake-snapshot", "version": 1}), encoding="utf-8")
    elif problem == "state_file_too":
        state = tmp_path / "state.json"
        state.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        extra = ["--state", str(state)]
    else:
        extra = ["--api-key", "seam_another_key"]
    result = run("serve", "--port", "0", "--snapshot", str(path), *extra)
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("seam-fake: error: ") and "Traceback" not in result.stderr
    assert "--snapshot" in line or "snapshot" in line
