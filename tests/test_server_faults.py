"""Server mode when the disk fails: apply, persist, acknowledge, in that order, or not at all.

A filesystem fault layer stands in for the ``os`` and ``tempfile`` modules of
``seam_fake.statefile`` (no root, no real full disk needed): one step of a write fails with
``ENOSPC`` (full disk), ``EROFS`` (read-only file system) or ``EIO``, every other call goes
to the real system. A write is either a journal record appended (``APPEND_STEPS``: what a
change costs) or a whole snapshot written as a new base (``SAVE_STEPS``: a reset or a restore,
a compaction, the first state). For each step of each and each error:

- the client gets 503 ``state_not_saved`` in Seam's envelope, naming the file and the
  system's error, on a connection that stays usable;
- the fake's state is what it was (the snapshot's text), and so is the file, byte for
  byte; no temp file is left beside it;
- the server goes on serving, and once the disk recovers the same write succeeds and
  is on disk; a new server started from the file holds exactly the acknowledged writes.

A compaction that fails loses nothing: the change it followed is acknowledged and in the
journal. A crash at every step of an append and of a compaction (the process ends there with
``os._exit``, so no cleanup runs) leaves a file that loads, holding every acknowledged write,
and the temp file it left is removed at the next start.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers import assert_error, ok
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam
from seam_fake import statefile as statefile_module
from seam_fake.model.errors import ApiError
from seam_fake.server import BackgroundServer, FakeSeamServer, StateFile, read_state

CREATE = "/user_identities/create"
# The calls writing a whole snapshot makes, in order (from "open" on, the folder's, for its fsync).
SAVE_STEPS = ("mkstemp", "write", "fsync", "close", "replace", "open", "fsync_folder", "close_folder")
# The calls appending a journal record makes ("open_journal" only when the file is not open yet).
APPEND_STEPS = ("open_journal", "append", "fsync_journal")
ERRORS = (errno.ENOSPC, errno.EROFS, errno.EIO)


class Faulty:
    """The ``os`` and ``tempfile`` of ``seam_fake.statefile``, with steps of a write failing.

    Each call is named by what it does to which file (the temp file of a new base, the folder,
    the journal the records are appended to). ``fail_at`` names the steps that fail, once each;
    ``crash``: the process ends at the first of them (after doing the step) instead; ``pause``:
    the thread stops there for good (after doing the step), for a test to kill the process.
    """

    def __init__(
        self, *fail_at: str, error: int = errno.ENOSPC, crash: bool = False, pause: str | None = None
    ) -> None:
        self.fail_at, self.error, self.crash, self.pause = list(fail_at), error, crash, pause
        self.seen: list[str] = []
        self.temp: set[int] = set()
        self.folder: set[int] = set()

    def _step(self, name: str, call: Callable[[], Any]) -> Any:
        self.seen.append(name)
        if name not in self.fail_at:
            return call()
        if self.crash:
            call()
            os._exit(70)
        if self.pause is not None:
            # Stop here, the step done, and say so (in a file named ``pause``): a test kills the process.
            call()
            Path(self.pause).write_text(name)
            while True:
                time.sleep(1)
        self.fail_at.remove(name)  # one failure each: the disk recovers after it
        raise OSError(self.error, os.strerror(self.error))

    def _file(self, fd: int, temp: str, folder: str, journal: str) -> str:
        if fd in self.temp:
            return temp
        if fd in self.folder:
            return folder
        # The journal is the one file a StateFile keeps open between calls: it may have been
        # opened before the layer was installed.
        return journal

    # tempfile
    def mkstemp(self, **kwargs: Any) -> tuple[int, str]:
        fd, name = self._step("mkstemp", lambda: tempfile.mkstemp(**kwargs))
        self.temp.add(fd)
        return fd, name

    # os
    def open(self, path: Any, flags: int, *args: Any) -> int:
        appending = bool(flags & os.O_APPEND)
        fd: int = self._step("open_journal" if appending else "open", lambda: os.open(path, flags, *args))
        if not appending:
            self.folder.add(fd)
        return fd

    def write(self, fd: int, data: Any) -> int:
        written: int = self._step(
            self._file(fd, "write", "write_folder", "append"), lambda: os.write(fd, data)
        )
        return written

    def fsync(self, fd: int) -> None:
        journal = "fsync_truncate" if self.seen and self.seen[-1] == "truncate" else "fsync_journal"
        self._step(self._file(fd, "fsync", "fsync_folder", journal), lambda: os.fsync(fd))

    def ftruncate(self, fd: int, length: int) -> None:
        self._step("truncate", lambda: os.ftruncate(fd, length))

    def close(self, fd: int) -> None:
        name = self._file(fd, "close", "close_folder", "close_journal")
        for fds in (self.temp, self.folder):
            fds.discard(fd)
        self._step(name, lambda: os.close(fd))

    def replace(self, source: str, target: Any) -> None:
        self._step("replace", lambda: os.replace(source, target))

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Faulty]:
    def install(*fail_at: str, error: int = errno.ENOSPC) -> Faulty:
        layer = Faulty(*fail_at, error=error)
        monkeypatch.setattr(statefile_module, "os", layer)
        monkeypatch.setattr(statefile_module, "tempfile", layer)
        return layer

    return install


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    folder = tmp_path / "state"
    folder.mkdir()
    return folder / "state.json"


@pytest.fixture
def served(state_path: Path) -> Iterator[tuple[BackgroundServer, requests.Session]]:
    fake = FakeSeam()
    with BackgroundServer(fake, state_file=state_path) as server, requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {fake.api_key}"
        ok(session.post(server.endpoint + CREATE, json={"user_identity_key": "before"}))
        yield server, session


def beside(path: Path) -> list[str]:
    return sorted(entry.name for entry in path.parent.iterdir() if entry != path)


def stored_keys(path: Path) -> list[str]:
    snapshot = read_state(path)
    ws = snapshot["workspaces"][snapshot["default_workspace_id"]]
    return sorted(i["user_identity_key"] for i in ws["user_identities"].values())


def journal_lines(path: Path) -> int:
    """Journal records after the base (its first line)."""
    return len(path.read_bytes().splitlines()) - 1


def test_the_writes_make_the_calls_the_fault_layer_knows(
    faults: Callable[..., Faulty], state_path: Path
) -> None:
    # The matrices below fail each of these; if a write changed its calls, they would test nothing.
    layer = faults()
    file = StateFile(state_path)
    file.save({"a": 1})
    assert tuple(layer.seen) == SAVE_STEPS
    layer.seen.clear()
    file.append([["top", {"b": 2}]])
    file.append([["top", {"b": 3}]])
    assert tuple(layer.seen) == (*APPEND_STEPS, *APPEND_STEPS[1:])
    assert journal_lines(state_path) == 2


# A change that cannot be appended ------------------------------------------------------------------------


@pytest.mark.parametrize("error", ERRORS, ids=errno.errorcode.get)
@pytest.mark.parametrize("step", APPEND_STEPS)
def test_a_write_that_cannot_be_appended_is_not_made(
    served: tuple[BackgroundServer, requests.Session],
    faults: Callable[..., Faulty],
    state_path: Path,
    step: str,
    error: int,
) -> None:
    server, session = served
    assert server.server.state_file is not None
    if step == "open_journal":
        server.server.state_file.close()  # the next record opens the file again
    before_state, before_file = json.dumps(server.fake.snapshot()), state_path.read_bytes()
    layer = faults(step, error=error)

    response = session.post(server.endpoint + CREATE, json={"user_identity_key": "unsaved"})

    body = assert_error(response, 503, "state_not_saved")
    assert str(state_path) in body["message"] and os.strerror(error) in body["message"]
    assert "was not made" in body["message"]
    assert step in layer.seen
    assert json.dumps(server.fake.snapshot()) == before_state
    # Whatever part of the record reached the file was cut off again.
    assert state_path.read_bytes() == before_file
    assert beside(state_path) == []
    missing = session.get(server.endpoint + "/user_identities/get", params={"user_identity_key": "unsaved"})
    assert_error(missing, 404, "user_identity_not_found")
    # The disk has recovered (one failure): the same write now succeeds, and is on disk.
    ok(session.post(server.endpoint + CREATE, json={"user_identity_key": "unsaved"}))
    assert stored_keys(state_path) == ["before", "unsaved"]
    restarted = FakeSeam()
    second = FakeSeamServer(restarted, state_file=state_path)
    try:
        assert json.dumps(restarted.snapshot()) == json.dumps(server.fake.snapshot())
    finally:
        second.server_close()


def test_a_record_that_cannot_be_cut_off_is_written_over_before_anything_else(
    served: tuple[BackgroundServer, requests.Session], faults: Callable[..., Faulty], state_path: Path
) -> None:
    server, session = served
    # The record's fsync fails, and so does taking it off the file again: the file may hold it.
    layer = faults("fsync_journal", "truncate")
    response = session.post(server.endpoint + CREATE, json={"user_identity_key": "unsaved"})
    assert_error(response, 503, "state_not_saved")
    # Before the answer left, the state without the undone change was written back whole.
    assert layer.seen[-len(SAVE_STEPS) :] == list(SAVE_STEPS)
    assert stored_keys(state_path) == ["before"]
    assert journal_lines(state_path) == 0
    ok(session.post(server.endpoint + CREATE, json={"user_identity_key": "after"}))
    assert stored_keys(state_path) == ["after", "before"]


def test_after_a_failed_write_back_the_next_change_writes_the_whole_state(
    served: tuple[BackgroundServer, requests.Session], faults: Callable[..., Faulty], state_path: Path
) -> None:
    server, session = served
    # As above, and writing the state back fails too: the file may still hold the undone record.
    layer = faults("fsync_journal", "truncate", "mkstemp")
    response = session.post(server.endpoint + CREATE, json={"user_identity_key": "unsaved"})
    assert_error(response, 503, "state_not_saved")
    assert layer.seen[-2:] == ["close_journal", "mkstemp"]
    layer.seen.clear()
    # The disk has recovered. A record never goes after one that was undone: the next change
    # writes the whole state, which no longer holds the refused identity.
    ok(session.post(server.endpoint + CREATE, json={"user_identity_key": "whole"}))
    assert tuple(layer.seen) == SAVE_STEPS
    assert stored_keys(state_path) == ["before", "whole"]
    assert journal_lines(state_path) == 0
    # And records are appended again after it.
    ok(session.post(server.endpoint + CREATE, json={"user_identity_key": "appended"}))
    assert journal_lines(state_path) == 1
    assert stored_keys(state_path) == ["appended", "before", "whole"]


def test_the_sdk_sees_state_not_saved_and_can_retry(
    served: tuple[BackgroundServer, requests.Session], faults: Callable[..., Faulty], state_path: Path
) -> None:
    server, _ = served
    seam = Seam(api_key=server.api_key, endpoint=server.endpoint)
    faults("append", error=errno.ENOSPC)
    with pytest.raises(SeamHttpApiError) as raised:
        seam.user_identities.create(user_identity_key="sdk", email_address="sdk@example.com")
    assert (raised.value.status_code, raised.value.code) == (503, "state_not_saved")
    # Not `email_address_already_in_use`: the refused create left nothing behind.
    assert seam.user_identities.create(user_identity_key="sdk", email_address="sdk@example.com")
    assert stored_keys(state_path) == ["before", "sdk"]


@pytest.mark.parametrize("step", ["fsync_journal", "mkstemp"], ids=["appended", "written_whole"])
def test_a_python_set_up_call_that_cannot_be_saved_raises_and_changes_nothing(
    served: tuple[BackgroundServer, requests.Session],
    faults: Callable[..., Faulty],
    state_path: Path,
    step: str,
) -> None:
    server, _ = served
    before_state, before_file = json.dumps(server.fake.snapshot()), state_path.read_bytes()
    faults(step, error=errno.EROFS)
    with pytest.raises(ApiError) as raised:
        if step == "mkstemp":
            server.fake.reset()  # a new state altogether: written whole
        else:
            server.fake.add_acs_system("Annex")
    assert raised.value.type == "state_not_saved"
    assert json.dumps(server.fake.snapshot()) == before_state
    assert state_path.read_bytes() == before_file


def test_a_control_that_cannot_be_saved_is_not_made(
    served: tuple[BackgroundServer, requests.Session], faults: Callable[..., Faulty], state_path: Path
) -> None:
    server, session = served
    before_file = state_path.read_bytes()
    faults("fsync_journal", error=errno.EIO)
    response = session.post(server.endpoint + "/_fake/add_acs_system", json={"name": "Annex"})
    assert_error(response, 503, "state_not_saved")
    assert state_path.read_bytes() == before_file
    assert server.fake.snapshot() == read_state(state_path)


# A change written whole (a restore) that cannot be written ------------------------------------------------


def restore_with(server: BackgroundServer, session: requests.Session, key: str) -> requests.Response:
    """``/_fake/restore`` of the server's state plus one identity: a new state, written whole."""
    other = FakeSeam.from_snapshot(server.fake.snapshot())
    other.add_user_identity(user_identity_key=key)
    return session.post(
        server.endpoint + "/_fake/restore",
        json={"snapshot": other.snapshot()},
        headers={"Authorization": f"Bearer {server.admin_token}"},
    )


@pytest.mark.parametrize("error", ERRORS, ids=errno.errorcode.get)
@pytest.mark.parametrize("step", SAVE_STEPS)
def test_a_write_that_cannot_be_written_whole_is_not_made(
    served: tuple[BackgroundServer, requests.Session],
    faults: Callable[..., Faulty],
    state_path: Path,
    step: str,
    error: int,
) -> None:
    server, session = served
    # The file as a base alone, so that writing the state back over it gives the same bytes.
    with server.fake.lock:
        server.server._compact()
    before_state, before_file = json.dumps(server.fake.snapshot()), state_path.read_bytes()
    layer = faults(step, error=error)

    response = restore_with(server, session, "unsaved")

    body = assert_error(response, 503, "state_not_saved")
    assert str(state_path) in body["message"] and os.strerror(error) in body["message"]
    assert "was not made" in body["message"]
    assert step in layer.seen
    assert json.dumps(server.fake.snapshot()) == before_state
    # After the folder's fsync failed the new file was in place: the server wrote the old state back.
    assert state_path.read_bytes() == before_file
    assert beside(state_path) == []
    missing = session.get(server.endpoint + "/user_identities/get", params={"user_identity_key": "unsaved"})
    assert_error(missing, 404, "user_identity_not_found")
    ok(restore_with(server, session, "unsaved"))
    assert stored_keys(state_path) == ["before", "unsaved"]
    restarted = FakeSeam()
    second = FakeSeamServer(restarted, state_file=state_path)
    try:
        assert json.dumps(restarted.snapshot()) == json.dumps(server.fake.snapshot())
    finally:
        second.server_close()


def test_a_server_that_cannot_write_its_first_state_does_not_start(
    faults: Callable[..., Faulty], state_path: Path
) -> None:
    faults("mkstemp", error=errno.EROFS)
    with pytest.raises(statefile_module.StateFileError, match="Read-only file system"):
        FakeSeamServer(FakeSeam(), state_file=state_path)
    assert not state_path.exists() and beside(state_path) == []


# A compaction that fails -----------------------------------------------------------------------------------


@pytest.mark.parametrize("step", SAVE_STEPS)
def test_a_compaction_that_fails_loses_nothing(
    state_path: Path, faults: Callable[..., Faulty], step: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeSeam()
    # Compacted as soon as the journal outgrows the base.
    with (
        BackgroundServer(fake, state_file=state_path, compact_bytes=0) as server,
        requests.Session() as session,
    ):
        session.headers["Authorization"] = f"Bearer {fake.api_key}"
        assert server.server.state_file is not None
        layer = faults(step, error=errno.EIO)
        keys = []
        with caplog.at_level(logging.WARNING, logger="seam_fake"):
            while step in layer.fail_at:
                keys.append(f"k{len(keys)}")
                # Acknowledged: the change is in the journal before the compaction starts.
                ok(session.post(server.endpoint + CREATE, json={"user_identity_key": keys[-1]}))
                assert len(keys) < 50, "no compaction came"
        assert "could not compact the state file" in caplog.text and str(state_path) in caplog.text
        assert beside(state_path) == []
        assert stored_keys(state_path) == sorted(keys)
        layer.seen.clear()
        ok(session.post(server.endpoint + CREATE, json={"user_identity_key": "next"}))
        if step in ("open", "fsync_folder", "close_folder"):
            # The new base's rename may not be durable yet: the folder is synced before a record follows it.
            assert layer.seen[:3] == ["open", "fsync_folder", "close_folder"]
        assert stored_keys(state_path) == sorted([*keys, "next"])
        snapshot = fake.snapshot()
    restarted = FakeSeam()
    FakeSeamServer(restarted, state_file=state_path).server_close()
    assert restarted.snapshot() == snapshot


# A crash at every step ------------------------------------------------------------------------------------

CRASH_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from test_server_faults import Faulty
    from seam_fake import FakeSeam, Request
    from seam_fake import statefile
    from seam_fake.server import FakeSeamServer

    fake = FakeSeam()
    # compact_bytes=0: the journal is compacted once it outgrows the base, a few writes in.
    server = FakeSeamServer(fake, state_file={path!r}, compact_bytes=0)
    layer = Faulty({step!r}, crash=True)
    statefile.os = statefile.tempfile = layer
    headers = {{"authorization": "Bearer " + fake.api_key, "content-type": "application/json"}}
    for n in range(50):
        body = ('{{"user_identity_key": "new%d"}}' % n).encode()
        print("sent", n, flush=True)
        response = server.answer(Request("POST", "/user_identities/create", "", headers, body))
        assert response.status == 200, response.body
        print("acknowledged", n, flush=True)
    print("the writes finished without crashing", layer.seen)
    """
)


@pytest.mark.parametrize("step", [*APPEND_STEPS, *SAVE_STEPS])
def test_a_crash_at_any_step_of_a_write_loses_no_acknowledged_write(state_path: Path, step: str) -> None:
    first = FakeSeam()
    with BackgroundServer(first, state_file=state_path) as server:
        ok(requests.post(server.endpoint + CREATE, json={"user_identity_key": "old"}, headers=auth(first)))
    script = CRASH_SCRIPT.format(tests=str(Path(__file__).parent), path=str(state_path), step=step)
    crashed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert crashed.returncode == 70, crashed.stdout + crashed.stderr
    acknowledged = {
        f"new{line.split()[1]}" for line in crashed.stdout.splitlines() if line.startswith("acknowledged")
    }
    sent = {f"new{line.split()[1]}" for line in crashed.stdout.splitlines() if line.startswith("sent")}
    in_flight = sent - acknowledged
    assert len(in_flight) == 1
    on_disk = set(stored_keys(state_path))
    assert {"old", *acknowledged} <= on_disk <= {"old", *sent}
    if step in SAVE_STEPS:
        # A compaction starts once the change is appended and fsynced: the change in flight is kept too.
        assert on_disk == {"old", *sent}
    if step in ("mkstemp", "write", "fsync", "close"):
        assert len(beside(state_path)) == 1  # the temp file the crash left
    restarted = FakeSeam()
    second = FakeSeamServer(restarted, state_file=state_path)
    try:
        # The next start removes what the crash left, and serves the state on disk.
        assert beside(state_path) == []
        assert {i["user_identity_key"] for i in workspace_identities(restarted)} == on_disk
    finally:
        second.server_close()


def auth(fake: FakeSeam) -> dict[str, str]:
    return {"Authorization": f"Bearer {fake.api_key}"}


def workspace_identities(fake: FakeSeam) -> list[dict[str, Any]]:
    snapshot = fake.snapshot()
    identities: list[dict[str, Any]] = list(
        snapshot["workspaces"][snapshot["default_workspace_id"]]["user_identities"].values()
    )
    return identities


def test_start_up_removes_only_its_own_temp_files(state_path: Path) -> None:
    StateFile(state_path).save(FakeSeam().snapshot())
    ours = state_path.parent / ".state.json.ab12_XYZ.tmp"
    others = [
        ".state.json.notours",
        "state.json.bak",
        ".other.json.ab12cdef.tmp",
        ".state.json.toolongname.tmp",
    ]
    for name in [ours.name, *others]:
        (state_path.parent / name).write_text("left over")
    server = FakeSeamServer(FakeSeam(), state_file=state_path)
    server.server_close()
    assert beside(state_path) == sorted(others)
