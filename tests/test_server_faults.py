"""Server mode when the disk fails: apply, persist, acknowledge, in that order, or not at all.

A filesystem fault layer stands in for the ``os`` and ``tempfile`` modules of
``seam_fake.server`` (no root, no real full disk needed): one step of a save fails with
``ENOSPC`` (full disk), ``EROFS`` (read-only file system) or ``EIO``, every other call goes
to the real system. For each step of a save and each error:

- the client gets 503 ``state_not_saved`` in Seam's envelope, naming the file and the
  system's error, on a connection that stays usable;
- the fake's state is what it was (the snapshot's text), and so is the file, byte for
  byte; no temp file is left beside it;
- the server goes on serving, and once the disk recovers the same write succeeds and
  is on disk; a new server started from the file holds exactly the acknowledged writes.

A crash at every step of a save (the process ends there with ``os._exit``, so no
cleanup runs) leaves a file that loads, holding either the previous state or the new
one, and the temp file it left is removed at the next start.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers import assert_error, ok
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam
from seam_fake import server as server_module
from seam_fake.model.errors import ApiError
from seam_fake.server import BackgroundServer, FakeSeamServer, StateFile

CREATE = "/user_identities/create"
# The calls a save makes, in order (from "open" on, the folder's, for its fsync).
STEPS = ("mkstemp", "write", "fsync", "close", "replace", "open", "fsync_folder", "close_folder")
ERRORS = (errno.ENOSPC, errno.EROFS, errno.EIO)


class Faulty:
    """The ``os`` and ``tempfile`` of ``seam_fake.server``, with one step of a save failing.

    ``fail_at`` is a name of ``STEPS``; ``then`` is what happens there: raise ``OSError``
    with ``error`` (after doing nothing), or end the process (after doing the step).
    """

    def __init__(self, fail_at: str | None, error: int = errno.ENOSPC, crash: bool = False) -> None:
        self.fail_at, self.error, self.crash = fail_at, error, crash
        self.seen: list[str] = []

    def _step(self, name: str, call: Callable[[], Any]) -> Any:
        self.seen.append(name)
        if name != self.fail_at:
            return call()
        if self.crash:
            call()
            os._exit(70)
        self.fail_at = None  # one failure: the disk recovers after it
        raise OSError(self.error, os.strerror(self.error))

    # tempfile
    def mkstemp(self, **kwargs: Any) -> tuple[int, str]:
        result: tuple[int, str] = self._step("mkstemp", lambda: tempfile.mkstemp(**kwargs))
        return result

    # os
    def write(self, fd: int, data: Any) -> int:
        written: int = self._step("write", lambda: os.write(fd, data))
        return written

    def fsync(self, fd: int) -> None:
        self._step("fsync" if "fsync" not in self.seen else "fsync_folder", lambda: os.fsync(fd))

    def close(self, fd: int) -> None:
        self._step("close" if "close" not in self.seen else "close_folder", lambda: os.close(fd))

    def replace(self, source: str, target: Any) -> None:
        self._step("replace", lambda: os.replace(source, target))

    def open(self, path: Any, flags: int, *args: Any) -> int:
        fd: int = self._step("open", lambda: os.open(path, flags, *args))
        return fd

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Faulty]:
    def install(fail_at: str | None, error: int = errno.ENOSPC) -> Faulty:
        layer = Faulty(fail_at, error)
        monkeypatch.setattr(server_module, "os", layer)
        monkeypatch.setattr(server_module, "tempfile", layer)
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
    snapshot = json.loads(path.read_bytes())
    ws = snapshot["workspaces"][snapshot["default_workspace_id"]]
    return sorted(i["user_identity_key"] for i in ws["user_identities"].values())


def test_a_save_makes_the_calls_the_fault_layer_knows(
    faults: Callable[..., Faulty], state_path: Path
) -> None:
    # The matrix below fails each of these; if a save changed its calls, it would test nothing.
    layer = faults(None)
    StateFile(state_path).save({"a": 1})
    assert tuple(layer.seen) == STEPS


@pytest.mark.parametrize("error", ERRORS, ids=errno.errorcode.get)
@pytest.mark.parametrize("step", STEPS)
def test_a_write_that_cannot_be_saved_is_not_made(
    served: tuple[BackgroundServer, requests.Session],
    faults: Callable[..., Faulty],
    state_path: Path,
    step: str,
    error: int,
) -> None:
    server, session = served
    before_state, before_file = json.dumps(server.fake.snapshot()), state_path.read_bytes()
    layer = faults(step, error)

    response = session.post(server.endpoint + CREATE, json={"user_identity_key": "unsaved"})

    body = assert_error(response, 503, "state_not_saved")
    assert str(state_path) in body["message"] and os.strerror(error) in body["message"]
    assert "was not made" in body["message"]
    assert step in layer.seen
    assert json.dumps(server.fake.snapshot()) == before_state
    # After the folder's fsync failed the new file was in place: the server wrote the old state back.
    assert state_path.read_bytes() == before_file
    assert beside(state_path) == []
    # Reads still answer, and the identity the client was refused is not there.
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


def test_the_sdk_sees_state_not_saved_and_can_retry(
    served: tuple[BackgroundServer, requests.Session], faults: Callable[..., Faulty], state_path: Path
) -> None:
    server, _ = served
    seam = Seam(api_key=server.api_key, endpoint=server.endpoint)
    faults("write", errno.ENOSPC)
    with pytest.raises(SeamHttpApiError) as raised:
        seam.user_identities.create(user_identity_key="sdk", email_address="sdk@example.com")
    assert (raised.value.status_code, raised.value.code) == (503, "state_not_saved")
    # Not `email_address_already_in_use`: the refused create left nothing behind.
    assert seam.user_identities.create(user_identity_key="sdk", email_address="sdk@example.com")
    assert stored_keys(state_path) == ["before", "sdk"]


def test_a_python_set_up_call_that_cannot_be_saved_raises_and_changes_nothing(
    served: tuple[BackgroundServer, requests.Session], faults: Callable[..., Faulty], state_path: Path
) -> None:
    server, _ = served
    before_state, before_file = json.dumps(server.fake.snapshot()), state_path.read_bytes()
    faults("replace", errno.EROFS)
    with pytest.raises(ApiError) as raised:
        server.fake.add_acs_system("Annex")
    assert raised.value.type == "state_not_saved"
    assert json.dumps(server.fake.snapshot()) == before_state
    assert state_path.read_bytes() == before_file


def test_a_control_that_cannot_be_saved_is_not_made(
    served: tuple[BackgroundServer, requests.Session], faults: Callable[..., Faulty], state_path: Path
) -> None:
    server, session = served
    before_file = state_path.read_bytes()
    faults("fsync", errno.EIO)
    response = session.post(server.endpoint + "/_fake/add_acs_system", json={"name": "Annex"})
    assert_error(response, 503, "state_not_saved")
    assert server.fake.snapshot() == json.loads(before_file)


def test_a_server_that_cannot_write_its_first_state_does_not_start(
    faults: Callable[..., Faulty], state_path: Path
) -> None:
    faults("mkstemp", errno.EROFS)
    with pytest.raises(server_module.StateFileError, match="Read-only file system"):
        FakeSeamServer(FakeSeam(), state_file=state_path)
    assert not state_path.exists() and beside(state_path) == []


# A crash at every step ------------------------------------------------------------------------------------

CRASH_SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from test_server_faults import Faulty
    from seam_fake import FakeSeam, Request
    from seam_fake import server as server_module
    from seam_fake.server import FakeSeamServer

    fake = FakeSeam()
    server = FakeSeamServer(fake, state_file={path!r})
    layer = Faulty({step!r}, crash=True)
    server_module.os = server_module.tempfile = layer
    headers = {{"authorization": "Bearer " + fake.api_key, "content-type": "application/json"}}
    server.answer(Request("POST", "/user_identities/create", "", headers, b'{{"user_identity_key": "new"}}'))
    print("the save finished without crashing", layer.seen)
    """
)


@pytest.mark.parametrize("step", STEPS)
def test_a_crash_at_any_step_of_a_save_leaves_one_whole_state(state_path: Path, step: str) -> None:
    first = FakeSeam()
    with BackgroundServer(first, state_file=state_path) as server:
        ok(requests.post(server.endpoint + CREATE, json={"user_identity_key": "old"}, headers=auth(first)))
    script = CRASH_SCRIPT.format(tests=str(Path(__file__).parent), path=str(state_path), step=step)
    crashed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert crashed.returncode == 70, crashed.stdout + crashed.stderr
    # Old or new, never a mix, and readable.
    assert stored_keys(state_path) in (["old"], ["new", "old"])
    if step in ("mkstemp", "write", "fsync", "close"):
        assert stored_keys(state_path) == ["old"]
        assert len(beside(state_path)) == 1  # the temp file the crash left
    restarted = FakeSeam()
    second = FakeSeamServer(restarted, state_file=state_path)
    try:
        # The next start removes what the crash left, and serves the state on disk.
        assert beside(state_path) == []
        assert sorted(i["user_identity_key"] for i in workspace_identities(restarted)) == stored_keys(
            state_path
        )
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
