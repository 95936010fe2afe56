"""The state file's journal (``seam_fake.statefile``, ``seam_fake.state_changes``).

Covered:

- every state-changing route and control (``mutating.CASES``, which must name them all) is
  appended as what it touched, and the file then holds exactly the fake's state: each record
  of every kind in ``snapshots.KINDS``, in order, and every workspace field; only a reset or a
  restore writes the whole state; a change a route did not declare is saved too;
- a write appends the same bytes whatever the size of the state (no copy of a system's list
  of ACS users either), with one fsync;
- compaction: once the journal outgrows the base, the file is one snapshot again;
- a torn last record (cut short, a checksum that does not match, garbage or zeros after the
  last record, a line without a checksum) is dropped with one warning line naming the file,
  and the server starts from the records before it; a damaged record before the last, or a
  record whose content is wrong, stops the server with one line naming the file, which is
  left as it was; a record edited by hand (checksum recomputed) that makes the state
  inconsistent is refused by the snapshot's validation;
- SIGKILL of ``seam-fake serve --state`` at each step of a compaction loses no acknowledged
  write (between writes: ``test_server_state.py``'s crash test, also with compactions).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import signal
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from helpers import Raw, free_port, ok
from mutating import CASES, Demo
from seam import Seam

from seam_fake import FakeSeam
from seam_fake.api.routes import ROUTES
from seam_fake.cli import main as cli_main
from seam_fake.model import journal
from seam_fake.model.snapshots import KINDS
from seam_fake.server import FakeSeamServer, StateFile, read_state
from seam_fake.state_changes import REBUILT, Recorder

DEADLINE = 20.0
# Writes that replace the whole state, and so rewrite the file whole.
WHOLE = {"/_fake/reset", "/_fake/restore"}
SAVE_STEPS = ("mkstemp", "write", "fsync", "close", "replace", "open", "fsync_folder", "close_folder")


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    folder = tmp_path / "state"
    folder.mkdir()
    return folder / "state.json"


def records(path: Path) -> list[bytes]:
    """The journal lines after the base (the first line)."""
    return path.read_bytes().split(b"\n")[1:-1]


def sealed(record: dict[str, Any]) -> bytes:
    """A journal line for ``record``, with its checksum."""
    body = json.dumps(record, separators=(",", ":")).encode()
    return b"%08x %s" % (zlib.crc32(body), body)


def opened(line: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(line.split(b" ", 1)[1])
    return data


def stopped_as_if_killed(server: FakeSeamServer) -> None:
    """Close a server without the compaction of a clean stop, as a kill leaves the file."""
    server._stopped = True
    server.server_close()


def journalled(path: Path, *keys: str) -> FakeSeam:
    """A state file with one record per identity created (and the fake that wrote it)."""
    fake = FakeSeam()
    server = FakeSeamServer(fake, state_file=path)
    for key in keys:
        fake.add_user_identity(user_identity_key=key, email_address=f"{key}@example.com")
    stopped_as_if_killed(server)
    assert len(records(path)) == len(keys)
    return fake


def keys_in(snapshot: dict[str, Any]) -> list[str]:
    ws = snapshot["workspaces"][snapshot["default_workspace_id"]]
    return [i["user_identity_key"] for i in ws["user_identities"].values()]


def assert_file_holds(path: Path, fake: FakeSeam) -> None:
    """The file, read as a server reads it, holds exactly the fake's state: the validated
    snapshot is equal, and the records of every kind and every workspace field are the same
    text in the same order (the indexes the loader rebuilds aside)."""
    expected = fake.snapshot()
    assert read_state(path) == expected
    loaded = StateFile(path).load()
    assert loaded is not None
    stored = loaded.snapshot
    assert {k: v for k, v in stored.items() if k != "workspaces"} == {
        k: v for k, v in expected.items() if k != "workspaces"
    }
    assert list(stored["workspaces"]) == list(expected["workspaces"])
    for ws_id, ws in expected["workspaces"].items():
        on_disk = stored["workspaces"][ws_id]
        for name, value in ws.items():
            if name in REBUILT:
                continue
            assert json.dumps(on_disk.get(name, {})) == json.dumps(value), (ws_id, name)
    kinds = {kind for kind, _, _ in KINDS}
    assert kinds <= set(next(iter(expected["workspaces"].values())))


# Every change, appended as what it touched ------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(CASES))
def test_every_change_is_appended_as_what_it_touched(state_path: Path, path: str) -> None:
    fake = FakeSeam.demo()
    server = FakeSeamServer(fake, state_file=state_path)
    assert server.recorder is not None and server.state_file is not None
    try:
        with fake.patch():
            demo = Demo(fake, Raw(fake))
            body = CASES[path](demo)  # its set-up, through the API: appended too
            assert_file_holds(state_path, fake)
            before = len(records(state_path))
            ok(demo.post(path, body))
        assert_file_holds(state_path, fake)
        if path in WHOLE:
            assert records(state_path) == []
        else:
            assert server.recorder.fallbacks == 0
            # One record per change, unless it changed nothing a snapshot holds (an outage).
            assert len(records(state_path)) == before + (path != "/_fake/simulate_outage")
        snapshot = fake.snapshot()
    finally:
        stopped_as_if_killed(server)
    restarted = FakeSeam()
    FakeSeamServer(restarted, state_file=state_path).server_close()
    assert restarted.snapshot() == snapshot


@pytest.mark.parametrize("placed", [True, False], ids=["appended", "unplaced_written_whole"])
def test_a_change_no_route_declared_is_saved_too(
    state_path: Path, monkeypatch: pytest.MonkeyPatch, placed: bool
) -> None:
    # A read that changes state would be a bug in the fake, but what a client saw must be on disk;
    # and a change made another way than the journal's functions (``on_undo``) cannot be placed
    # record by record: the whole state is written.
    fake = FakeSeam()
    server = FakeSeamServer(fake, state_file=state_path)
    assert server.recorder is not None
    identity = fake.add_user_identity(user_identity_key="read_me")
    route = ROUTES["/user_identities/get"]

    def changing_read(ctx: Any, params: Any) -> Any:
        journal.change(ctx.workspace.user_identities[identity["user_identity_id"]], "full_name", "Changed")
        if not placed:
            journal.on_undo(lambda: None)
        return route.operation(ctx, params)

    monkeypatch.setitem(ROUTES, route.path, dataclasses.replace(route, operation=changing_read))
    try:
        with fake.patch():
            seam = Seam(api_key=fake.api_key)
            assert seam.user_identities.get(user_identity_key="read_me").full_name == "Changed"
        assert_file_holds(state_path, fake)
        assert server.recorder.fallbacks == (0 if placed else 1)
        assert len(records(state_path)) == (2 if placed else 0)
    finally:
        stopped_as_if_killed(server)


def test_a_change_the_recorder_cannot_place_is_none(state_path: Path) -> None:
    fake = FakeSeam()
    recorder = Recorder(fake.world)
    recorder.rebuild()
    with fake.lock, journal.transaction():
        fake.world.add_api_key(None, None)
        assert recorder.changes() not in (None, [])
        journal.on_undo(lambda: None)  # a change made another way: what it touched is unknown
        assert recorder.changes() is None
    assert recorder.fallbacks == 1


def test_a_value_with_no_json_form_is_written_whole_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeSeam()
    identity_id = fake.add_user_identity(user_identity_key="odd")["user_identity_id"]
    recorder = Recorder(fake.world)
    recorder.rebuild()
    with fake.lock, journal.transaction(), caplog.at_level(logging.WARNING, logger="seam_fake"):
        identity = fake.world.workspace(None).user_identities[identity_id]
        journal.change(identity, "full_name", {"a set"})  # a bug elsewhere: no JSON form
        assert recorder.changes() is None
        journal.change(identity, "full_name", "Odd")
    assert "could not be read as journal edits (TypeError" in caplog.text


def appended(fake: FakeSeam, state: StateFile, change: Callable[[], object]) -> int:
    before = state.journal_bytes
    change()
    return state.journal_bytes - before


def appended_per_change(folder: Path, count: int) -> tuple[int, list[int]]:
    """The base's size with ``count`` identities and ACS users, and the bytes three changes append."""
    fake = FakeSeam()
    system = fake.add_acs_system("Site")["acs_system_id"]
    for n in range(count):
        fake.add_acs_user(system, f"User {n:05}", email_address=f"user{n:05}@example.com")
        fake.add_user_identity(user_identity_key=f"key{n:05}")
    server = FakeSeamServer(fake, state_file=folder / f"{count}.json")
    assert server.state_file is not None and server.recorder is not None
    state = server.state_file
    try:
        with fake.patch():
            seam = Seam(api_key=fake.api_key)
            sizes = [
                appended(fake, state, lambda: seam.user_identities.create(user_identity_key="new")),
                # A new ACS user of a system with thousands: its list of users grows by one id.
                appended(fake, state, lambda: seam.acs.users.create(acs_system_id=system, full_name="Zed")),
                # An identity linked to an existing ACS user by email.
                appended(
                    fake,
                    state,
                    lambda: seam.user_identities.create(
                        email_address="user00003@example.com", acs_system_ids=[system]
                    ),
                ),
            ]
        assert server.recorder.fallbacks == 0
        assert_file_holds(state.path, fake)
        return state.base_bytes, sizes
    finally:
        stopped_as_if_killed(server)


def test_a_write_appends_the_same_bytes_whatever_the_size_of_the_state(tmp_path: Path) -> None:
    small_base, small = appended_per_change(tmp_path, 10)
    large_base, large = appended_per_change(tmp_path, 3000)
    assert large_base > 100 * small_base
    for few, many in zip(small, large, strict=True):
        # Ids and times have fixed widths: the same change is the same number of bytes, give or take
        # the digits of sequence numbers.
        assert abs(many - few) <= 8, (small, large)


def test_the_journal_is_compacted_once_it_outgrows_the_base(state_path: Path) -> None:
    fake = FakeSeam()
    server = FakeSeamServer(fake, state_file=state_path, compact_bytes=0)
    assert server.state_file is not None
    state = server.state_file
    compactions = 0
    try:
        for n in range(40):
            had = state.records
            fake.add_user_identity(user_identity_key=f"k{n}")
            if state.records == 0:
                compactions += 1
                assert had > 0 and json.loads(state_path.read_bytes()) == fake.snapshot()
            assert state.journal_bytes <= state.base_bytes
            assert_file_holds(state_path, fake)
    finally:
        stopped_as_if_killed(server)
    # The base grows with the state, so compactions come further apart.
    assert 3 <= compactions < 20


def test_a_clean_stop_leaves_one_snapshot(state_path: Path) -> None:
    journalled(state_path, "a", "b")
    fake = FakeSeam()
    server = FakeSeamServer(fake, state_file=state_path)
    fake.add_user_identity(user_identity_key="c")
    server.server_close()
    assert json.loads(state_path.read_bytes()) == fake.snapshot()
    assert keys_in(fake.snapshot()) == ["a", "b", "c"]


# A torn last record ----------------------------------------------------------------------------------------


def _cut(data: bytes) -> bytes:
    return data[:-30]


def _flip(data: bytes) -> bytes:
    # A digit of the last record's body changed, its checksum not.
    head, last = data[:-1].rsplit(b"\n", 1)
    return head + b"\n" + last.replace(b'"n":3', b'"n":4') + b"\n"


TORN: dict[str, Callable[[bytes], bytes]] = {
    "cut_short": _cut,
    "bad_checksum": _flip,
    "garbage_after": lambda data: data + b"\xff\xfe\x00 garbage",
    "zeros_after": lambda data: data + b"\x00" * 512,
    "no_checksum": lambda data: data + b'{"n": 4, "ops": []}\n',
}


@pytest.mark.parametrize("kind", list(TORN))
def test_a_torn_last_record_is_dropped_with_a_warning(
    state_path: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    journalled(state_path, "a", "b", "c")
    state_path.write_bytes(TORN[kind](state_path.read_bytes()))
    kept = ["a", "b"] if kind in ("cut_short", "bad_checksum") else ["a", "b", "c"]
    torn = state_path.read_bytes()
    fake = FakeSeam()
    with caplog.at_level(logging.WARNING, logger="seam_fake"):
        server = FakeSeamServer(fake, state_file=state_path)
    try:
        (warning,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert str(state_path) in warning and "dropped its last journal record" in warning
        assert "\n" not in warning
        assert keys_in(fake.snapshot()) == kept
        # Starting changes nothing on disk; the first change writes a new base, without the torn
        # bytes, and records go after it again.
        assert state_path.read_bytes() == torn
        fake.add_user_identity(user_identity_key="d")
        assert records(state_path) == []
        assert keys_in(read_state(state_path)) == [*kept, "d"]
        fake.add_user_identity(user_identity_key="e")
        assert len(records(state_path)) == 1
        assert keys_in(read_state(state_path)) == [*kept, "d", "e"]
    finally:
        stopped_as_if_killed(server)


def test_the_cli_warns_in_one_line_and_serves(state_path: Path) -> None:
    journalled(state_path, "a", "b")
    state_path.write_bytes(_cut(state_path.read_bytes()))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "seam_fake", "serve", "--port", str(port), "--state", str(state_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_health(process, port)
        response = httpx.get(
            f"http://127.0.0.1:{port}/user_identities/list",
            headers={"Authorization": f"Bearer {read_state(state_path)['default_api_key']}"},
        )
        assert [i["user_identity_key"] for i in response.json()["user_identities"]] == ["a"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == 0
    (warning,) = [line for line in err.splitlines() if "warning" in line]
    assert warning.startswith("seam-fake: warning: state file ") and str(state_path) in warning
    assert "Traceback" not in err


# Damaged or edited records: refused ------------------------------------------------------------------------


def _edit(data: bytes, index: int, change: Callable[[dict[str, Any]], None], seal: bool = True) -> bytes:
    """The file with journal record ``index`` changed (its checksum recomputed if ``seal``)."""
    lines = data.split(b"\n")
    record = opened(lines[1 + index])
    change(record)
    if seal:
        lines[1 + index] = sealed(record)
    else:
        lines[1 + index] = lines[1 + index][:9] + json.dumps(record, separators=(",", ":")).encode()
    return b"\n".join(lines)


def _set_first_edit(op: list[Any]) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        record["ops"][0] = op

    return change


def _email_of_a(record: dict[str, Any]) -> None:
    # "b"'s email made "a"'s: two identities would share it.
    for op in record["ops"]:
        if op[0] == "add" and op[2] == "user_identities":
            op[4]["email_address"] = "a@example.com"


def _user_of_no_system(record: dict[str, Any]) -> None:
    for op in record["ops"]:
        if op[0] == "add" and op[2] == "user_identities":
            op[4]["acs_user_ids"] = {"00000000-0000-4000-8000-000000000000": None}


CORRUPT: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "bad_checksum_not_last": (
        lambda data: _edit(data, 0, lambda r: r.update(n=1, ops=[]), seal=False),
        "line 2 is damaged (its checksum does not match) and is not the last",
    ),
    "cut_short_not_last": (
        lambda data: b"\n".join(line[:40] if n == 1 else line for n, line in enumerate(data.split(b"\n"))),
        "line 2 is damaged",
    ),
    "numbered_wrong": (lambda data: _edit(data, 1, lambda r: r.update(n=7)), "is numbered 7, not 2"),
    "last_numbered_wrong": (lambda data: _edit(data, 2, lambda r: r.update(n=1)), "is numbered 1, not 3"),
    "unknown_edit": (
        lambda data: _edit(data, 0, _set_first_edit(["drop_table"])),
        "not an edit seam-fake writes",
    ),
    "unknown_workspace": (
        lambda data: _edit(data, 0, _set_first_edit(["del", "nowhere", "user_identities", "x"])),
        "names no workspace",
    ),
    "deletes_nothing": (
        lambda data: _edit(
            data, 0, lambda r: r["ops"].append(["del", _ws(data), "user_identities", "nobody"])
        ),
        "names no record user_identities.nobody",
    ),
    "kind_not_known": (
        lambda data: _edit(data, 0, lambda r: r["ops"].append(["del", _ws(data), "dragons", "x"])),
        "'dragons' is not a kind of record",
    ),
    "edited_to_share_an_email": (lambda data: _edit(data, 1, _email_of_a), "two user identities share"),
    "edited_to_link_nobody": (lambda data: _edit(data, 0, _user_of_no_system), "which is not linked to it"),
    "not_a_record": (lambda data: _edit(data, 0, lambda r: r.pop("ops")), 'is not {"n": ..., "ops": [...]}'),
}


def _ws(data: bytes) -> str:
    workspace_id: str = json.loads(data.split(b"\n")[0])["default_workspace_id"]
    return workspace_id


@pytest.fixture
def cli_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Any]:
    def served_instead(self: FakeSeamServer, *args: Any, **kwargs: Any) -> None:
        raise AssertionError("seam-fake serve started serving instead of refusing")

    monkeypatch.setattr(FakeSeamServer, "serve_forever", served_instead)
    monkeypatch.setattr(signal, "signal", lambda *args: None)

    def run(*argv: str) -> tuple[int, str, str]:
        returncode = cli_main(["serve", "--port", str(free_port()), *argv])
        out, err = capsys.readouterr()
        return returncode, out, err

    return run


@pytest.mark.parametrize("kind", list(CORRUPT))
def test_a_damaged_or_inconsistent_journal_is_refused_and_not_replaced(
    state_path: Path, kind: str, cli_in_process: Callable[..., Any]
) -> None:
    journalled(state_path, "a", "b", "c")
    make, reason = CORRUPT[kind]
    state_path.write_bytes(make(state_path.read_bytes()))
    before, inode = state_path.read_bytes(), state_path.stat().st_ino
    returncode, out, err = cli_in_process("--state", str(state_path))
    assert returncode == 2
    assert "serving on" not in out
    assert err.startswith("seam-fake: error:") and err.count("\n") == 1, err
    assert str(state_path) in err and reason in err, err
    assert "Traceback" not in err
    assert state_path.read_bytes() == before and state_path.stat().st_ino == inode
    assert [p.name for p in state_path.parent.iterdir()] == [state_path.name]


@pytest.mark.parametrize("torn", [False, True], ids=["journal", "torn_journal"])
def test_a_server_refused_after_loading_leaves_the_file_as_it_was(
    state_path: Path, torn: bool, cli_in_process: Callable[..., Any]
) -> None:
    # The file would get a new base at the first change; a server refused before one (another
    # --api-key) never writes it.
    fake = journalled(state_path, "a", "b")
    if torn:
        state_path.write_bytes(_cut(state_path.read_bytes()))
    before, inode = state_path.read_bytes(), state_path.stat().st_ino
    returncode, _, err = cli_in_process("--state", str(state_path), "--api-key", "seam_other_key")
    assert returncode == 2 and fake.api_key in err
    assert state_path.read_bytes() == before and state_path.stat().st_ino == inode


def test_state_compact_bytes_is_a_whole_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_main(["serve", "--state-compact-bytes", "1e6"])
    assert exited.value.code == 2
    assert "--state-compact-bytes: not a whole number of bytes: '1e6'" in capsys.readouterr().err


# SIGKILL during a compaction -------------------------------------------------------------------------------

PAUSED_CLI = """
import sys
sys.path.insert(0, {tests!r})
from test_server_faults import Faulty
from seam_fake import cli, statefile

statefile.os = statefile.tempfile = Faulty({step!r}, pause={marker!r})
sys.exit(cli.main(sys.argv[1:]))
"""


def wait_for_health(process: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + DEADLINE
    while True:
        assert process.poll() is None, process.communicate()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "/health never answered"
        time.sleep(0.05)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=DEADLINE)


@pytest.mark.parametrize("step", SAVE_STEPS)
def test_sigkill_at_any_step_of_a_compaction_loses_no_acknowledged_write(
    state_path: Path, step: str, processes: list[subprocess.Popen[str]]
) -> None:
    seeded = journalled(state_path, *(f"seed{n}" for n in range(5)))
    StateFile(state_path).save(seeded.snapshot())  # a base alone, which takes records as it is
    marker = state_path.parent.parent / "paused"
    port = free_port()
    script = PAUSED_CLI.format(tests=str(Path(__file__).parent), step=step, marker=str(marker))
    # seam-fake serve itself (cli.main), its file system calls stopping for good at one step of the
    # first compaction, which comes a few writes in (--state-compact-bytes 0).
    command = [sys.executable, "-c", script, "serve", "--port", str(port), "--state", str(state_path)]
    process = subprocess.Popen(
        [*command, "--state-compact-bytes", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    processes.append(process)
    wait_for_health(process, port)

    def kill_when_paused() -> None:
        deadline = time.monotonic() + DEADLINE
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        process.kill()

    killer = threading.Thread(target=kill_when_paused)
    killer.start()
    acknowledged: list[str] = []
    in_flight = ""
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {seeded.api_key}"
        for n in range(200):
            in_flight = f"k{n}"
            try:
                response = session.post(
                    f"http://127.0.0.1:{port}/user_identities/create",
                    json={"user_identity_key": in_flight},
                    timeout=DEADLINE,
                )
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                break
            assert response.status_code == 200, response.text
            acknowledged.append(in_flight)
    killer.join()
    process.communicate(timeout=DEADLINE)
    assert process.returncode == -signal.SIGKILL
    assert marker.read_text() == step, "killed somewhere else than the step"
    assert acknowledged, "the compaction came before any write"

    restarted = FakeSeam()
    server = FakeSeamServer(restarted, state_file=state_path)
    try:
        on_disk = keys_in(restarted.snapshot())
        # Every acknowledged write, and the one in flight too: it was appended before the compaction began.
        assert on_disk == [*(f"seed{n}" for n in range(5)), *acknowledged, in_flight]
        assert [p.name for p in state_path.parent.iterdir()] == [state_path.name]
    finally:
        server.server_close()
