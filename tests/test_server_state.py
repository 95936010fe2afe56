"""Server mode's durable state and its CLI: ``seam-fake serve --state FILE``,
``FakeSeamServer(state_file=...)`` and the ``fake_seam_server`` fixture of the pytest plugin.

Covered:

- the CLI with ``--state``: a fresh file holds the initial state from the start; identities created through
  the SDK survive a clean stop (SIGTERM) and a SIGKILL; an existing file wins over ``--demo``; a file whose
  API key differs from ``--api-key``, and a corrupt or foreign file, stop the CLI with exit code 2, a message
  naming the file, and the file byte-for-byte as it was;
- the crash test: SIGKILL at a random moment in the middle of a write loop, three times over, with the
  journal as it is by default and with a compaction every few writes (``--state-compact-bytes 0``); every
  acknowledged identity is there after each restart, nothing unacknowledged beyond the one in flight, and the
  restarted server serves;
- in process: after each acknowledged write (Seam routes and a ``/_fake/`` control) the file already holds
  the change (read as a server reads it: the base with its journal, ``read_state``), even when the disk is
  slow; refused writes and reads leave the file untouched (same bytes,
  same inode);
- the ``fake_seam_server`` fixture: reset between tests, one endpoint for the session, reachable from a
  subprocess through ``.env``;
- ``GET /health`` and a clean stop on SIGINT and SIGTERM with ``--state``: exit code 0, a valid file holding
  every write, no temp file left (and a fresh file with ``--demo`` holding the demo data).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from helpers import free_port
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam
from seam_fake.cli import main as cli_main
from seam_fake.model.snapshots import FORMAT, VERSION
from seam_fake.server import BackgroundServer, FakeSeamServer, StateFile, read_state

# seam_fake.cli.main run in process: (arguments after ``serve``) -> (exit code, stdout, stderr).
RunCli = Callable[..., tuple[int, str, str]]
CREATE = "/user_identities/create"
GET = "/user_identities/get"
DEADLINE_SECONDS = 20.0
STATE_NAME = "state.json"
# Variables that would point a subprocess's Seam() somewhere else than the fake.
FOREIGN_SEAM_ENV = ("SEAM_PERSONAL_ACCESS_TOKEN", "SEAM_WORKSPACE_ID", "SEAM_API_URL")


# Helpers ----------------------------------------------------------------------------------------------------


def workspace(snapshot: dict[str, Any]) -> dict[str, Any]:
    ws: dict[str, Any] = snapshot["workspaces"][snapshot["default_workspace_id"]]
    return ws


def stored_keys(path: Path) -> list[str]:
    return [i["user_identity_key"] for i in workspace(read_state(path))["user_identities"].values()]


def other_files(path: Path) -> list[str]:
    """Names in the state file's folder other than the state file itself."""
    return sorted(entry.name for entry in path.parent.iterdir() if entry != path)


def cli_command(port: int, state: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "seam_fake", "serve", "--port", str(port), "--state", str(state), *extra]


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


@dataclass
class Served:
    """A ``seam-fake serve`` subprocess that answered ``/health``."""

    process: subprocess.Popen[str]
    port: int
    stdout: str = ""
    stderr: str = ""

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def finish(self) -> int:
        """Wait for the exit; keep its output."""
        out, err = self.process.communicate(timeout=DEADLINE_SECONDS)
        self.stdout, self.stderr = out, err
        return self.process.returncode

    def stop(self, stop_signal: signal.Signals = signal.SIGTERM) -> int:
        self.process.send_signal(stop_signal)
        return self.finish()


@dataclass
class Cli:
    """Starts ``seam-fake serve --state`` subprocesses and kills any left running at teardown."""

    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def start(self, state: Path, *extra: str) -> Served:
        port = free_port()
        process = subprocess.Popen(
            cli_command(port, state, *extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        self.processes.append(process)
        served = Served(process, port)
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            if process.poll() is not None:
                served.finish()
                raise AssertionError(f"seam-fake serve exited with {process.returncode}: {served.stderr}")
            try:
                if httpx.get(served.endpoint + "/health", timeout=1.0).status_code == 200:
                    return served
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{served.endpoint}/health never answered")
            time.sleep(0.05)

    def refuse(self, state: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        """Run a CLI that is expected to stop before serving."""
        return subprocess.run(
            cli_command(free_port(), state, *extra),
            capture_output=True,
            text=True,
            env=cli_env(),
            timeout=DEADLINE_SECONDS,
            check=False,
        )


@pytest.fixture
def cli() -> Iterator[Cli]:
    runner = Cli()
    yield runner
    for process in runner.processes:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=DEADLINE_SECONDS)


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    # A folder of its own, so that leftover temp files next to the state file can be counted.
    folder = tmp_path / "state"
    folder.mkdir()
    return folder / STATE_NAME


def sdk(path: Path, served: Served) -> Seam:
    """The SDK on the served fake, with the API key the state file holds."""
    return Seam(api_key=read_state(path)["default_api_key"], endpoint=served.endpoint)


def printed(served: Served, label: str) -> str:
    """A value the CLI printed on a line starting with ``label``."""
    line = next(line for line in served.stdout.splitlines() if line.startswith(label))
    return line.removeprefix(label).strip()


# seam-fake serve --state FILE -------------------------------------------------------------------------------


def test_a_fresh_state_file_holds_the_initial_state_and_sdk_writes_survive_sigterm_and_sigkill(
    cli: Cli, state_path: Path
) -> None:
    first = cli.start(state_path, "--api-key", "seam_state_key")
    # Only /health has been asked so far: the file was written at start.
    snapshot = read_state(state_path)
    workspace_id = snapshot["default_workspace_id"]
    assert snapshot["format"] == FORMAT
    assert snapshot["version"] == VERSION
    assert snapshot["default_api_key"] == "seam_state_key"
    assert snapshot["api_keys"] == {"seam_state_key": workspace_id}
    ws = workspace(snapshot)
    assert (ws["user_identities"], ws["acs_systems"], ws["acs_users"]) == ({}, {}, {})

    seam = Seam(api_key="seam_state_key", endpoint=first.endpoint)
    created = [
        seam.user_identities.create(user_identity_key="ada", email_address="ada@example.com"),
        seam.user_identities.create(user_identity_key="grace", full_name="Grace Hopper"),
    ]
    assert first.stop(signal.SIGTERM) == 0
    assert printed(first, "state file:") == str(state_path)

    # The same --api-key as the file's is no conflict.
    second = cli.start(state_path, "--api-key", "seam_state_key")
    seam = Seam(api_key="seam_state_key", endpoint=second.endpoint)
    for identity in created:
        assert seam.user_identities.get(user_identity_key=identity.user_identity_key) == identity
        assert seam.user_identities.get(user_identity_id=identity.user_identity_id) == identity
    # The keys are still taken, and new writes are accepted.
    with pytest.raises(SeamHttpApiError) as conflict:
        seam.user_identities.create(user_identity_key="ada")
    assert conflict.value.code == "user_identity_key_already_in_use"
    created.append(seam.user_identities.create(user_identity_key="linus"))
    seam.user_identities.update(user_identity_id=created[0].user_identity_id, full_name="Ada Lovelace")
    created[0] = seam.user_identities.get(user_identity_id=created[0].user_identity_id)
    assert second.stop(signal.SIGKILL) == -signal.SIGKILL

    # Without --api-key, the key is the file's.
    third = cli.start(state_path)
    seam = Seam(api_key="seam_state_key", endpoint=third.endpoint)
    assert seam.user_identities.list() == created[::-1]
    assert seam.user_identities.get(user_identity_key="ada").full_name == "Ada Lovelace"
    assert third.stop() == 0
    for served in (first, second, third):
        assert printed(served, "export SEAM_API_KEY=") == "seam_state_key"
        assert printed(served, "workspace_id:") == workspace_id
    assert {identity.workspace_id for identity in created} == {workspace_id}


def test_an_existing_state_file_wins_over_demo(cli: Cli, state_path: Path) -> None:
    fake = FakeSeam()
    only = fake.add_acs_system("The only system")
    state_path.write_text(json.dumps(fake.snapshot()))
    before = state_path.read_bytes()

    served = cli.start(state_path, "--demo")
    # Loading the file does not rewrite it with the demo data.
    assert state_path.read_bytes() == before
    seam = Seam(api_key=fake.api_key, endpoint=served.endpoint)
    assert [s.acs_system_id for s in seam.acs.systems.list()] == [only["acs_system_id"]]
    assert seam.user_identities.list() == []
    assert seam.acs.users.list() == []
    assert served.stop() == 0
    assert printed(served, "export SEAM_API_KEY=") == fake.api_key


def assert_refusal(returncode: int, stdout: str, stderr: str, *named: str) -> None:
    """Exit code 2, nothing served, one clear line on stderr naming each of ``named``."""
    assert returncode == 2
    assert "serving on" not in stdout
    assert "export SEAM" not in stdout
    assert stderr.startswith("seam-fake: error:")
    assert "Traceback" not in stderr
    for text in named:
        assert text in stderr, (text, stderr)


def test_an_api_key_other_than_the_state_files_is_refused(cli: Cli, state_path: Path) -> None:
    state_path.write_text(json.dumps(FakeSeam(api_key="seam_stored_key").snapshot()))
    before = state_path.read_bytes()
    result = cli.refuse(state_path, "--api-key", "seam_other_key")
    assert_refusal(
        result.returncode, result.stdout, result.stderr, "seam_other_key", "seam_stored_key", str(state_path)
    )
    assert state_path.read_bytes() == before
    assert other_files(state_path) == []


def _valid_snapshot_text() -> str:
    fake = FakeSeam()
    fake.add_acs_system("Tower")
    return json.dumps(fake.snapshot())


def _with(**changes: Any) -> bytes:
    return json.dumps({**json.loads(_valid_snapshot_text()), **changes}).encode()


# Content of a corrupt or foreign state file, and what the error must say besides the file's name.
CORRUPT_FILES: dict[str, tuple[Callable[[], bytes], str]] = {
    "invalid_json": (lambda: b"{this is not json", "not valid JSON"),
    "empty": (lambda: b"", "not valid JSON"),
    "truncated": (lambda: _valid_snapshot_text().encode()[:200], "not valid JSON"),
    "json_list": (lambda: b"[1, 2, 3]", "seam-fake snapshot"),
    "json_object_not_a_snapshot": (lambda: b'{"hello": "world"}', "not a seam-fake snapshot"),
    "wrong_version": (lambda: _with(version=VERSION + 1), f"version {VERSION + 1} is not supported"),
    "missing_version": (lambda: _with(version=None), "is not supported"),
    "right_header_no_records": (
        lambda: json.dumps({"format": FORMAT, "version": VERSION}).encode(),
        "malformed snapshot",
    ),
    "key_of_no_workspace": (lambda: _with(default_api_key="seam_nobody"), "malformed snapshot"),
    "not_utf8": (lambda: b'{"format": "\xff\xfe"}', "cannot read state file"),
}


def test_a_truncated_state_file_stops_the_cli_process(cli: Cli, state_path: Path) -> None:
    # The whole matrix runs in process below; this is the real process and its exit code.
    content = _valid_snapshot_text().encode()[:200]
    state_path.write_bytes(content)
    result = cli.refuse(state_path, "--demo")
    assert_refusal(result.returncode, result.stdout, result.stderr, str(state_path), "not valid JSON")
    assert state_path.read_bytes() == content
    assert other_files(state_path) == []


@pytest.fixture
def cli_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunCli:
    """``seam-fake serve`` through ``seam_fake.cli.main`` in this process: its return code (the exit code),
    stdout and stderr. Serving instead of refusing fails the test rather than blocking it."""

    def served_instead(self: FakeSeamServer, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("seam-fake serve started serving instead of refusing")

    monkeypatch.setattr(FakeSeamServer, "serve_forever", served_instead)
    monkeypatch.setattr(signal, "signal", lambda *args: None)

    def run(*argv: str) -> tuple[int, str, str]:
        returncode = cli_main(["serve", "--port", str(free_port()), *argv])
        out, err = capsys.readouterr()
        return returncode, out, err

    return run


@pytest.mark.parametrize("kind", list(CORRUPT_FILES))
def test_a_corrupt_state_file_is_refused_and_not_replaced(
    state_path: Path, cli_in_process: RunCli, kind: str
) -> None:
    make, reason = CORRUPT_FILES[kind]
    state_path.write_bytes(make())
    before = state_path.read_bytes()
    inode = state_path.stat().st_ino
    returncode, out, err = cli_in_process("--state", str(state_path), "--demo")
    assert_refusal(returncode, out, err, str(state_path), reason)
    assert state_path.read_bytes() == before
    assert state_path.stat().st_ino == inode
    assert other_files(state_path) == []


def test_a_state_file_that_is_a_folder_is_refused(tmp_path: Path, cli_in_process: RunCli) -> None:
    folder = tmp_path / "a_folder"
    folder.mkdir()
    returncode, out, err = cli_in_process("--state", str(folder))
    assert_refusal(returncode, out, err, str(folder), "cannot read state file")
    assert list(folder.iterdir()) == []


def test_a_state_file_in_a_missing_folder_is_refused(tmp_path: Path, cli_in_process: RunCli) -> None:
    path = tmp_path / "no_such_folder" / STATE_NAME
    returncode, out, err = cli_in_process("--state", str(path))
    # The message names the folder (through the temp file it could not create there).
    assert_refusal(returncode, out, err, str(path.parent))
    assert not path.parent.exists()


KILL_ROUNDS = 3


def assert_all_served(endpoint: str, api_key: str, keys: list[str]) -> None:
    """Every key answers ``/user_identities/get``."""
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {api_key}"
        for key in keys:
            response = session.get(
                endpoint + GET, params={"user_identity_key": key}, timeout=DEADLINE_SECONDS
            )
            assert response.status_code == 200, (key, response.text)
            assert response.json()["user_identity"]["user_identity_key"] == key


@pytest.mark.parametrize(
    "compact", [[], ["--state-compact-bytes", "0"]], ids=["journal", "compacting_every_few_writes"]
)
def test_every_acknowledged_write_survives_sigkill_at_a_random_moment(
    cli: Cli, state_path: Path, compact: list[str]
) -> None:
    # Writes append to the file's journal; with --state-compact-bytes 0 the journal is also
    # compacted into a new base every few writes, so kills land in compactions too.
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    names = (f"crash_{n}" for n in itertools.count())
    acknowledged: list[str] = []
    in_flight: set[str] = set()  # sent when the server died: on disk or not, either is right
    api_key = ""
    for round_ in range(KILL_ROUNDS):
        served = cli.start(state_path, *compact)
        if round_ == 0:
            api_key = read_state(state_path)["default_api_key"]
        else:
            assert_all_served(served.endpoint, api_key, acknowledged)
        killer: threading.Timer | None = None
        deadline = time.monotonic() + DEADLINE_SECONDS
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {api_key}"
            while True:
                key = next(names)
                try:
                    response = session.post(
                        served.endpoint + CREATE, json={"user_identity_key": key}, timeout=DEADLINE_SECONDS
                    )
                except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                    in_flight.add(key)
                    break
                assert response.status_code == 200, response.text
                assert response.json()["user_identity"]["user_identity_key"] == key
                acknowledged.append(key)
                if killer is None:
                    # The kill lands a random while after the first acknowledged write of the round.
                    killer = threading.Timer(rng.uniform(0.3, 0.8), served.process.kill)
                    killer.start()
                assert time.monotonic() < deadline, f"the kill never came (seed {seed})"
        assert killer is not None
        killer.join()
        assert served.finish() == -signal.SIGKILL
        on_disk = stored_keys(state_path)
        assert len(on_disk) == len(set(on_disk))
        missing = set(acknowledged) - set(on_disk)
        assert not missing, f"acknowledged but lost after SIGKILL (seed {seed}): {sorted(missing)[:10]}"
        assert set(on_disk) <= set(acknowledged) | in_flight
        # A kill mid-save may leave one temp file per kill; never a second state file.
        leftovers = other_files(state_path)
        assert len(leftovers) <= round_ + 1
        assert all(name.startswith(f".{STATE_NAME}.") for name in leftovers), leftovers

    final = cli.start(state_path, *compact)
    assert_all_served(final.endpoint, api_key, acknowledged)
    seam = Seam(api_key=api_key, endpoint=final.endpoint)
    after = seam.user_identities.create(user_identity_key="after_the_crashes")
    assert seam.user_identities.get(user_identity_id=after.user_identity_id) == after
    page = seam.user_identities.list(limit=1)
    assert [i.user_identity_key for i in page] == ["after_the_crashes"]
    assert final.stop() == 0
    assert "after_the_crashes" in stored_keys(state_path)
    assert len(acknowledged) >= KILL_ROUNDS


# In process: on disk before the answer ----------------------------------------------------------------------


@dataclass
class Persisted:
    fake: FakeSeam
    server: FakeSeamServer
    path: Path
    session: requests.Session

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        return self.session.post(self.server.endpoint + path, json=body, timeout=DEADLINE_SECONDS)

    def get(self, path: str, params: dict[str, Any] | None = None) -> requests.Response:
        return self.session.get(self.server.endpoint + path, params=params, timeout=DEADLINE_SECONDS)


@pytest.fixture
def slow_disk(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each write of the state file (a journal record appended, or a whole snapshot) takes a while
    longer, so that an answer sent before its write finishes would be seen here with the old file.
    Returns the sizes of what was written, in order."""
    original_save, original_append = StateFile.save, StateFile.append
    saved: list[int] = []

    def slow_save(self: StateFile, snapshot: dict[str, object]) -> None:
        time.sleep(0.02)
        original_save(self, snapshot)
        saved.append(len(json.dumps(snapshot)))

    def slow_append(self: StateFile, ops: list[Any]) -> None:
        time.sleep(0.02)
        original_append(self, ops)
        saved.append(len(json.dumps(ops)))

    monkeypatch.setattr(StateFile, "save", slow_save)
    monkeypatch.setattr(StateFile, "append", slow_append)
    return saved


@pytest.fixture
def persisted(state_path: Path, slow_disk: list[int]) -> Iterator[Persisted]:
    fake = FakeSeam()
    with BackgroundServer(fake, state_file=state_path) as running, requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {fake.api_key}"
        yield Persisted(fake, running.server, state_path, session)


def test_the_server_writes_the_initial_state_at_construction(state_path: Path) -> None:
    fake = FakeSeam()
    server = FakeSeamServer(fake, state_file=state_path)
    try:
        assert read_state(state_path) == fake.snapshot()
    finally:
        server.server_close()


def test_every_acknowledged_write_is_on_disk_before_its_answer(
    persisted: Persisted, slow_disk: list[int]
) -> None:
    p = persisted
    saves = len(slow_disk)

    def acknowledged(response: requests.Response) -> dict[str, Any]:
        nonlocal saves
        assert response.status_code == 200, response.text
        # Exactly one save per acknowledged write, and the file is the fake's whole state already.
        saves += 1
        assert len(slow_disk) == saves
        on_disk = read_state(p.path)
        assert on_disk == p.fake.snapshot()
        return workspace(on_disk)

    system = p.post("/_fake/add_acs_system", {"name": "Head Office"})
    ws = acknowledged(system)
    system_id = system.json()["acs_system"]["acs_system_id"]
    assert ws["acs_systems"][system_id]["name"] == "Head Office"

    created = p.post(CREATE, {"user_identity_key": "dur_user", "email_address": "dur@example.com"})
    ws = acknowledged(created)
    identity_id = created.json()["user_identity"]["user_identity_id"]
    assert ws["user_identities"][identity_id]["user_identity_key"] == "dur_user"
    assert ws["identity_by_key"]["dur_user"] == identity_id

    updated = p.post("/user_identities/update", {"user_identity_id": identity_id, "full_name": "Dur Able"})
    ws = acknowledged(updated)
    assert ws["user_identities"][identity_id]["full_name"] == "Dur Able"

    acs_user = p.post("/acs/users/create", {"acs_system_id": system_id, "full_name": "Door User"})
    ws = acknowledged(acs_user)
    acs_user_id = acs_user.json()["acs_user"]["acs_user_id"]
    assert ws["acs_users"][acs_user_id]["full_name"] == "Door User"
    assert ws["acs_users"][acs_user_id]["user_identity_id"] is None

    linked = p.post(
        "/user_identities/add_acs_user", {"user_identity_id": identity_id, "acs_user_id": acs_user_id}
    )
    ws = acknowledged(linked)
    assert ws["acs_users"][acs_user_id]["user_identity_id"] == identity_id
    assert acs_user_id in ws["user_identities"][identity_id]["acs_user_ids"]

    deleted = p.post("/user_identities/delete", {"user_identity_id": identity_id})
    ws = acknowledged(deleted)
    assert identity_id not in ws["user_identities"]
    assert "dur_user" not in ws["identity_by_key"]
    # Deleting an identity deletes the ACS users linked to it.
    assert acs_user_id not in ws["acs_users"]

    # What is on disk is what a new server starts from.
    restored = FakeSeam.from_snapshot(read_state(p.path))
    assert restored.snapshot() == p.fake.snapshot()


def test_refused_writes_and_reads_leave_the_file_untouched(
    persisted: Persisted, slow_disk: list[int]
) -> None:
    p = persisted
    system_id = p.post("/_fake/add_acs_system", {"name": "Annex"}).json()["acs_system"]["acs_system_id"]
    identity_id = p.post(CREATE, {"user_identity_key": "taken"}).json()["user_identity"]["user_identity_id"]
    before = p.path.read_bytes()
    inode = p.path.stat().st_ino
    saves = len(slow_disk)
    unknown = "00000000-0000-4000-8000-000000000000"

    refused: list[tuple[requests.Response, int, str]] = [
        (p.post(CREATE, {"user_identity_key": "taken"}), 400, "user_identity_key_already_in_use"),
        (p.post(CREATE, {"email_address": "not an email"}), 400, "invalid_input"),
        (p.post("/user_identities/update", {"user_identity_id": unknown, "full_name": "X"}), 404, ""),
        (p.post("/user_identities/delete", {"user_identity_id": unknown}), 404, ""),
        (
            p.post(
                "/user_identities/add_acs_user", {"user_identity_id": identity_id, "acs_user_id": unknown}
            ),
            404,
            "",
        ),
        (p.post("/acs/users/create", {"acs_system_id": unknown, "full_name": "Nobody"}), 404, ""),
        (p.post("/acs/users/create", {"acs_system_id": system_id}), 400, "invalid_input"),
        (p.post("/_fake/add_acs_system", {}), 400, "invalid_input"),
        (
            p.post("/_fake/add_acs_user", {"acs_system_id": unknown, "full_name": "N"}),
            404,
            "acs_system_not_found",
        ),
        (requests.post(p.server.endpoint + CREATE, json={"user_identity_key": "anon"}, timeout=10), 401, ""),
        (p.get(CREATE), 405, "method_not_allowed"),
    ]
    for response, status, error_type in refused:
        assert response.status_code == status, response.text
        assert response.json()["ok"] is False
        if error_type:
            assert response.json()["error"]["type"] == error_type
    reads = [
        p.get(GET, {"user_identity_key": "taken"}),
        p.get("/user_identities/list"),
        p.get("/acs/systems/list"),
        p.get("/acs/users/list"),
        p.get("/workspaces/get"),
        p.session.get(
            p.server.endpoint + "/_fake/snapshot",
            headers={"Authorization": f"Bearer {p.fake.admin_token}"},
            timeout=DEADLINE_SECONDS,
        ),
        p.get("/health"),
    ]
    assert [r.status_code for r in reads] == [200] * len(reads)
    assert p.path.read_bytes() == before
    assert p.path.stat().st_ino == inode
    assert len(slow_disk) == saves
    assert other_files(p.path) == []


def test_a_state_file_written_by_one_server_is_loaded_by_the_next(state_path: Path) -> None:
    first_fake = FakeSeam()
    first = FakeSeamServer(first_fake, state_file=state_path)
    system = first_fake.add_acs_system("Seeded in Python")
    first.server_close()
    # A change made through the Python API is saved before the call returns, as a request's is.
    after_close = first_fake.add_acs_system("After the server closed")
    second_fake = FakeSeam()
    second = FakeSeamServer(second_fake, state_file=state_path)
    try:
        assert second_fake.api_key == first_fake.api_key
        assert second_fake.workspace_id == first_fake.workspace_id
        # A closed server's fake no longer writes the file.
        assert list(workspace(second_fake.snapshot())["acs_systems"]) == [system["acs_system_id"]]
        assert after_close["acs_system_id"] in workspace(first_fake.snapshot())["acs_systems"]
    finally:
        second.server_close()


# The fake_seam_server fixture -------------------------------------------------------------------------------


FIXTURE_PROJECT = """
from seam import Seam

endpoints = []


def create_one(server):
    seam = Seam(api_key=server.api_key, endpoint=server.endpoint)
    seam.user_identities.create(user_identity_key="same_key")
    assert [i.user_identity_key for i in seam.user_identities.list()] == ["same_key"]
    endpoints.append(server.endpoint)


def test_first(fake_seam_server):
    create_one(fake_seam_server)


def test_between_does_not_use_the_server():
    pass


def test_second(fake_seam_server):
    create_one(fake_seam_server)
    assert endpoints[0] == endpoints[1]
    assert endpoints[0].startswith("http://127.0.0.1:")
"""


def test_fake_seam_server_is_one_server_per_session_reset_before_each_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_fixture_project=textwrap.dedent(FIXTURE_PROJECT))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_fake_seam_server_is_reached_from_a_subprocess_through_env(
    fake_seam_server: BackgroundServer,
) -> None:
    assert workspace(fake_seam_server.fake.snapshot())["user_identities"] == {}
    env = {name: value for name, value in os.environ.items() if name not in FOREIGN_SEAM_ENV}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from seam import Seam; "
            "print(Seam().user_identities.create(user_identity_key='k').user_identity_id)",
        ],
        env={**env, **fake_seam_server.env},
        capture_output=True,
        text=True,
        timeout=DEADLINE_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    identity_id = result.stdout.strip()
    stored = workspace(fake_seam_server.fake.snapshot())["user_identities"]
    assert list(stored) == [identity_id]
    assert stored[identity_id]["user_identity_key"] == "k"
    assert fake_seam_server.env == {
        "SEAM_ENDPOINT": fake_seam_server.endpoint,
        "SEAM_API_KEY": fake_seam_server.fake.api_key,
        "SEAM_FAKE_ADMIN_TOKEN": fake_seam_server.fake.admin_token,
    }


# /health and clean shutdown with --state --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stop_signal", "demo"), [(signal.SIGINT, True), (signal.SIGTERM, False)], ids=["SIGINT_demo", "SIGTERM"]
)
def test_health_and_a_clean_stop_with_a_state_file(
    cli: Cli, state_path: Path, stop_signal: signal.Signals, demo: bool
) -> None:
    served = cli.start(state_path, *(["--demo"] if demo else []))
    # A fresh file with --demo holds the demo data from the start.
    initial = list(workspace(read_state(state_path))["user_identities"])
    assert len(initial) == (5 if demo else 0)
    assert len(workspace(read_state(state_path))["acs_systems"]) == (3 if demo else 0)
    health = requests.get(served.endpoint + "/health", timeout=DEADLINE_SECONDS)
    assert health.status_code == 200
    assert health.json() == {"ok": True, "service": "seam-fake"}
    seam = sdk(state_path, served)
    created = [seam.user_identities.create(user_identity_key=f"before_stop_{n}") for n in range(3)]
    assert other_files(state_path) == []
    assert served.stop(stop_signal) == 0
    assert "Traceback" not in served.stderr
    assert "seam-fake stopped" in served.stderr
    with pytest.raises(httpx.ConnectError):
        httpx.get(served.endpoint + "/health", timeout=1.0)
    snapshot = read_state(state_path)
    assert FakeSeam.from_snapshot(snapshot).snapshot() == snapshot
    # A clean stop compacts the journal away: the file is one plain snapshot again.
    assert json.loads(state_path.read_bytes()) == snapshot
    assert list(workspace(snapshot)["user_identities"]) == [*initial, *(i.user_identity_id for i in created)]
    # A clean stop leaves the state file alone in its folder: no temp file behind.
    assert other_files(state_path) == []
