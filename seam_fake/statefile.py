"""The state file of ``seam-fake serve --state FILE``: a whole snapshot, then a journal of changes.

``FILE`` begins with the *base*: a whole snapshot, as ``FakeSeam.snapshot()`` gives it,
on one line. It is only ever written whole and atomically (temp file, fsync, rename,
fsync the folder), so a crash leaves the previous base or the new one, never a mix.
Each acknowledged change then appends one line, the *record*, and fsyncs it before the
change is acknowledged:

    <crc32 of the JSON, 8 hex digits> {"n": <1, 2, ...>, "ops": [<edits>]}

(the edits are ``seam_fake.state_changes``'s). A write costs the size of its change and
one fsync, whatever the size of the state. *Compaction* writes the whole state as a new
base, with no records, once the records outgrow the base (and at least
``compact_bytes``), and at a clean stop.

Reading applies the records to the base in order, and the result is validated whole
by ``model.snapshots.load`` as any snapshot is, so a record edited by hand cannot leave
an index that disagrees with its data. The last record may be torn (a crash while it
was being written: a line without its newline, a checksum that does not match): it
was never acknowledged, so it is dropped with a one-line warning naming the file. A
damaged record before the last one, or one whose checksum matches but whose content
is not a journal record, means the file was damaged or edited: it is refused, as a
corrupt snapshot is, and the file is left as it is.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import snapshots
from .model.errors import clip
from .state_changes import KIND_NAMES, NOT_TOP, Op

LOG = logging.getLogger("seam_fake")
#: Compact once the journal holds more than this many bytes and more than the base does.
COMPACT_BYTES = 1024 * 1024
_RECORD = re.compile(r"([0-9a-f]{8}) (.*)", re.DOTALL)


class StateFileError(Exception):
    """A state file that cannot be read as a seam-fake snapshot and its journal."""


class SaveFailed(OSError):
    """A write that did not complete. ``ahead``: the file may hold the change anyway (a
    base renamed in place whose folder's fsync failed, a record that could not be cut
    off again), so it must be written over before it is trusted."""

    def __init__(self, path: Path, error: OSError, ahead: bool) -> None:
        super().__init__(error.errno, f"cannot write state file {path}: {error.strerror or error}")
        self.ahead = ahead


@dataclass
class Loaded:
    """What a state file holds: the snapshot with its journal applied, and how it was read."""

    snapshot: dict[str, Any]
    #: Journal records applied (0: the file is its base alone).
    records: int
    #: Why the last record was dropped, or None.
    torn: str | None
    #: The file ends with a newline (a record can be appended as it is).
    ends_a_line: bool


class _Bad(Exception):
    """A journal record that does not apply."""


class StateFile:
    """A base snapshot and the journal appended to it; see the module's docstring.

    Temp files of a base being written are ``.<name>.XXXXXXXX.tmp`` beside the file; one a
    crash left behind is removed at the next start.
    """

    def __init__(self, path: str | os.PathLike[str], *, compact_bytes: int = COMPACT_BYTES) -> None:
        self.path = Path(path)
        self.compact_bytes = compact_bytes
        #: Records appended since the base was written, and their bytes.
        self.records = 0
        self.journal_bytes = 0
        self.base_bytes = 0
        self._size = 0
        self._fd: int | None = None
        # The next record must start a line first (a base written without its newline).
        self._needs_newline = False
        # A base was renamed into place but its folder's fsync failed: the rename may not
        # survive a crash, so no record goes after it until the folder is synced.
        self._folder_unsynced = False

    @property
    def _temp_prefix(self) -> str:
        return f".{self.path.name}."

    def remove_orphans(self) -> list[Path]:
        """Delete the temp files an interrupted save of this file left; returns them."""
        pattern = re.compile(re.escape(self._temp_prefix) + r"[A-Za-z0-9_]{8}\.tmp")
        removed = []
        for candidate in self.path.parent.glob(self._temp_prefix + "*.tmp"):
            if pattern.fullmatch(candidate.name) and candidate.is_file():
                candidate.unlink(missing_ok=True)
                removed.append(candidate)
        return removed

    # Reading ----------------------------------------------------------------------------

    def load(self) -> Loaded | None:
        """The stored snapshot with its journal applied, or None if there is no file yet.

        Raises ``StateFileError`` for a file that cannot be read, a base that is not a JSON
        object, or a damaged record before the last; logs a warning for a torn last record,
        which is left out. The snapshot itself is not validated here (``snapshots.load``).
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StateFileError(f"cannot read state file {self.path}: {error}") from None
        # Records are ASCII, but a torn one may end in anything: decode leniently here and
        # let each part say whether it was UTF-8.
        text = data.decode("utf-8", "surrogateescape")
        start = len(text) - len(text.lstrip())
        try:
            base, end = json.JSONDecoder().raw_decode(text, start)
        except ValueError as error:
            _strict(data, self.path)
            raise StateFileError(
                f"state file {self.path} is not valid JSON ({error}); not replacing it"
            ) from None
        base_bytes = len(text[:end].encode("utf-8", "surrogateescape"))
        _strict(data[:base_bytes], self.path)
        if not isinstance(base, dict):
            raise StateFileError(f"state file {self.path} does not hold a seam-fake snapshot")
        records, torn = self._replay(base, text, end)
        self._size = len(data)
        self.records = records
        self.base_bytes = base_bytes
        self.journal_bytes = len(data) - base_bytes
        return Loaded(base, records, torn, data.endswith(b"\n"))

    def _replay(self, snapshot: dict[str, Any], text: str, end: int) -> tuple[int, str | None]:
        first_line = text.count("\n", 0, end) + 1
        parts = text[end:].split("\n")
        # (line number, text, whether a newline ends it), blank lines left out.
        lines = [
            (first_line + number, part, number < len(parts) - 1)
            for number, part in enumerate(parts)
            if part.strip()
        ]
        applied = 0
        for position, (line, part, ended) in enumerate(lines):
            last = position == len(lines) - 1
            torn = _torn(part, ended)
            if torn is not None:
                if last:
                    LOG.warning(
                        "seam-fake: warning: state file %s: dropped its last journal record (line %d: %s), "
                        "a write a crash cut short before it was acknowledged",
                        self.path,
                        line,
                        torn,
                    )
                    return applied, torn
                raise StateFileError(
                    f"state file {self.path}: journal record on line {line} is damaged ({torn}) and is not "
                    "the last; not replacing it"
                )
            try:
                record = json.loads(_RECORD.fullmatch(part).group(2))  # type: ignore[union-attr]
                if not isinstance(record, dict) or set(record) != {"n", "ops"}:
                    raise _Bad('is not {"n": ..., "ops": [...]}')
                if record["n"] != applied + 1 or type(record["n"]) is not int:
                    raise _Bad(f"is numbered {clip(repr(record['n']))}, not {applied + 1}")
                apply(snapshot, record["ops"])
            except (ValueError, _Bad) as problem:
                raise StateFileError(
                    f"state file {self.path}: journal record on line {line} {problem}; not replacing it"
                ) from None
            applied += 1
        return applied, None

    # Writing ----------------------------------------------------------------------------

    def save(self, snapshot: dict[str, object]) -> None:
        """Write ``snapshot`` as the new base, with no journal, durably; or raise
        ``SaveFailed`` and leave the file as it was (unless ``ahead``)."""
        data = json.dumps(snapshot, separators=(",", ":")).encode() + b"\n"
        folder = self.path.parent
        temp: str | None = None
        # Records go to the file at the path, which is about to be another one.
        self.close()
        try:
            handle, temp = tempfile.mkstemp(prefix=self._temp_prefix, suffix=".tmp", dir=folder)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle, view) :]
                os.fsync(handle)
            finally:
                os.close(handle)
            os.replace(temp, self.path)
            temp = None
        except OSError as error:
            raise SaveFailed(self.path, error, ahead=False) from error
        finally:
            if temp is not None:
                Path(temp).unlink(missing_ok=True)
        self._size = self.base_bytes = len(data)
        self.records = self.journal_bytes = 0
        self._needs_newline = False
        try:
            self._sync_folder()
        except OSError as error:
            self._folder_unsynced = True
            raise SaveFailed(self.path, error, ahead=True) from error
        self._folder_unsynced = False

    def append(self, ops: list[Op]) -> None:
        """Append one record holding ``ops`` and fsync it; or raise ``SaveFailed``, with the
        record cut off again (unless ``ahead``)."""
        number = self.records + 1
        body = json.dumps({"n": number, "ops": ops}, separators=(",", ":")).encode()
        line = b"%08x %s\n" % (zlib.crc32(body), body)
        if self._needs_newline:
            line = b"\n" + line
        try:
            if self._folder_unsynced:
                self._sync_folder()
                self._folder_unsynced = False
            if self._fd is None:
                # Not O_CREAT: a file that went away is an error, not a journal without its base.
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        except OSError as error:
            raise SaveFailed(self.path, error, ahead=False) from error
        fd = self._fd
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError as error:
            raise SaveFailed(self.path, error, ahead=not self._cut(fd)) from error
        self._size += len(line)
        self.journal_bytes += len(line)
        self.records = number
        self._needs_newline = False

    def _cut(self, fd: int) -> bool:
        """Take a record that failed back off the file; whether that is sure to have worked."""
        try:
            os.ftruncate(fd, self._size)
            os.fsync(fd)
        except OSError:
            self.close()
            return False
        return True

    def _sync_folder(self) -> None:
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def started_from(self, loaded: Loaded) -> None:
        """The file holds ``loaded`` as it is, and records go after it."""
        self._needs_newline = not loaded.ends_a_line

    @property
    def wants_compaction(self) -> bool:
        """The journal has outgrown the base (and ``compact_bytes``): time for a new base."""
        return self.journal_bytes > max(self.base_bytes, self.compact_bytes)

    def close(self) -> None:
        """Close the file records are appended to (it is opened again when needed)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            # Closing cannot lose a record: each was fsynced when it was appended.
            with contextlib.suppress(OSError):
                os.close(fd)


def _strict(data: bytes, path: Path) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StateFileError(f"cannot read state file {path}: {error}") from None


def _torn(part: str, ended: bool) -> str | None:
    """Why a journal line is not a whole record as written, or None if it is one."""
    if not ended:
        return "it does not end with a newline"
    try:
        part.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not UTF-8"
    match = _RECORD.fullmatch(part)
    if match is None:
        return "it does not start with a checksum"
    if int(match.group(1), 16) != zlib.crc32(match.group(2).encode()):
        return "its checksum does not match"
    return None


# Applying edits -------------------------------------------------------------------------------

_SHAPES: dict[str, tuple[type, ...]] = {
    "top": (dict,),
    "ws": (str, dict),
    "ws-": (str,),
    "add": (str, str, str, dict),
    "put": (str, str, str, dict),
    "del": (str, str, str),
    "set": (str, str, str, dict),
    "item+": (str, str, str, str, str, object),
    "item": (str, str, str, str, str, object),
    "item-": (str, str, str, str, str),
}


def apply(snapshot: dict[str, Any], ops: object) -> None:
    """Apply a record's edits to a snapshot's JSON, in order; raises ``_Bad`` naming the edit."""
    if not isinstance(ops, list):
        raise _Bad("holds no list of edits")
    for number, op in enumerate(ops, 1):
        try:
            _apply_one(snapshot, op)
        except _Bad as problem:
            raise _Bad(f"edit {number}: {problem}") from None


def _apply_one(snapshot: dict[str, Any], op: object) -> None:
    if not isinstance(op, list) or not op or not isinstance(op[0], str) or op[0] not in _SHAPES:
        raise _Bad(f"not an edit seam-fake writes ({clip(repr(op))})")
    tag, args = op[0], op[1:]
    shape = _SHAPES[tag]
    if len(args) != len(shape) or not all(
        isinstance(arg, kind) for arg, kind in zip(args, shape, strict=True)
    ):
        raise _Bad(f"a {tag!r} edit of the wrong shape")
    if tag == "top":
        if set(args[0]) & NOT_TOP:
            raise _Bad(f"a 'top' edit may not set {', '.join(sorted(set(args[0]) & NOT_TOP))}")
        snapshot.update(args[0])
        return
    workspaces = snapshot.get("workspaces")
    if not isinstance(workspaces, dict):
        raise _Bad("the snapshot has no workspaces")
    ws_id = args[0]
    if tag == "ws":
        if set(args[1]) & KIND_NAMES:
            raise _Bad("a 'ws' edit may not hold records")
        ws = workspaces.get(ws_id)
        if ws is None:
            ws = workspaces[ws_id] = {kind: {} for kind in sorted(KIND_NAMES)}
        if not isinstance(ws, dict):
            raise _Bad(f"workspace {clip(ws_id)} is not an object")
        ws.update(args[1])
        return
    if ws_id not in workspaces:
        raise _Bad(f"names no workspace of the state ({clip(ws_id)})")
    if tag == "ws-":
        del workspaces[ws_id]
        return
    kind, record_id = args[1], args[2]
    if kind not in KIND_NAMES:
        raise _Bad(f"{clip(kind)!r} is not a kind of record")
    records = workspaces[ws_id].setdefault(kind, {})
    if not isinstance(records, dict):
        raise _Bad(f"{kind} of workspace {clip(ws_id)} is not an object")
    if tag == "add":
        records.pop(record_id, None)
        records[record_id] = args[3]
        return
    record = records.get(record_id)
    if not isinstance(record, dict):
        raise _Bad(f"names no record {kind}.{clip(record_id)} of workspace {clip(ws_id)}")
    if tag == "put":
        records[record_id] = args[3]
    elif tag == "del":
        del records[record_id]
    elif tag == "set":
        record.update(args[3])
    else:
        field, key = args[3], args[4]
        held = record.get(field)
        if not isinstance(held, dict):
            raise _Bad(f"{kind}.{clip(record_id)}.{clip(field)} is not an object")
        if tag == "item+":
            held.pop(key, None)
            held[key] = args[5]
        elif tag == "item":
            if key not in held:
                raise _Bad(f"{kind}.{clip(record_id)}.{clip(field)} has no key {clip(key)!r}")
            held[key] = args[5]
        else:
            if key not in held:
                raise _Bad(f"{kind}.{clip(record_id)}.{clip(field)} has no key {clip(key)!r}")
            del held[key]


def read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The state a server started on the state file ``path`` would hold, as a snapshot:
    the base with its journal applied (a torn last record dropped), validated whole.
    Raises ``StateFileError`` for a missing, corrupt or invalid file."""
    loaded = StateFile(path).load()
    if loaded is None:
        raise StateFileError(f"there is no state file {path}")
    try:
        state, workspace_id, api_key = snapshots.load(loaded.snapshot)
    except snapshots.SnapshotError as error:
        raise StateFileError(f"state file {path}: {error}") from None
    return snapshots.dump(state, workspace_id, api_key)
