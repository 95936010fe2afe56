"""What one transaction changed, as edits of the state's snapshot: the state file's journal.

Server mode with ``--state`` appends, for each acknowledged change, the records it
touched rather than the whole state. ``Recorder.changes()`` reads the open
transaction's undo steps (``model.journal.touched()``), finds which records of which
workspace they belong to, and returns edits of the JSON snapshot
(``seam_fake.statefile`` applies them on load, then ``model.snapshots.load`` validates
the result whole). Every record kind of ``model.snapshots`` is covered without being
named here: a record is recognised by its class, a dict of records by being a
workspace field named after its kind.

A mutation inside a record (``identity.acs_user_ids``) names only the container it
changed, which has no pointer back to its record: the recorder keeps an index from
each mutable container of the state to its owner (a record's field, a workspace's
field, the state's), built once when the server starts and kept in step with every
change it records. Anything it cannot place (a change made outside the journal's
functions, a container it has never seen) makes ``changes()`` return None, and the
server writes the whole state instead: slower, never wrong.

The edits (each a JSON list; ``WS`` a workspace id, ``KIND`` a record kind):

- ``["top", {...}]``: the snapshot's top-level fields other than ``workspaces``;
- ``["ws", WS, {...}]``: a workspace's own fields (not its records, not the indexes the
  loader rebuilds); creates the workspace, with no records, if it is missing;
- ``["ws-", WS]``: a workspace removed;
- ``["add", WS, KIND, ID, record]``: a record created (it goes last, as in memory);
- ``["put", WS, KIND, ID, record]``: a record replaced where it is;
- ``["del", WS, KIND, ID]``: a record removed;
- ``["set", WS, KIND, ID, {field: value}]``: fields of a record changed;
- ``["item+" | "item" | "item-", WS, KIND, ID, FIELD, KEY(, value)]``: one key of a
  dict held by a record added last, replaced in place, or removed (a system's list of
  ACS users grows by one id, not by a copy of the list).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from .model import journal, snapshots
from .model.records import State, Workspace
from .model.world import World

Op = list[Any]
LOG = logging.getLogger("seam_fake")

#: (kind, record class, id field) for every record kind a snapshot holds, in load order.
KINDS: tuple[tuple[str, type[Any], str], ...] = snapshots.KINDS
KIND_NAMES: frozenset[str] = frozenset(kind for kind, _, _ in KINDS)
#: Workspace fields the loader rebuilds from the records: never journalled.
REBUILT: frozenset[str] = snapshots.REBUILT
#: Top-level fields of a snapshot that are not ``top`` edits.
NOT_TOP = frozenset({"format", "version", "workspaces"})

# A record's class, and the kinds (dicts of a workspace) it may live in with its id field: one
# class may serve two kinds (managed and unmanaged ACS users), so where a record is decides.
_RECORDS: dict[type[Any], list[tuple[str, str]]] = {}
for _kind, _cls, _id_field in KINDS:
    _RECORDS.setdefault(_cls, []).append((_kind, _id_field))
# Values the index never looks inside: immutable, so the journal never changes them in place.
_LEAVES = (str, int, float, bool, type(None), tuple, frozenset, bytes)
_FIELDS: dict[type[Any], tuple[str, ...]] = {}

# Who holds a container: ("world", name), ("state", name), ("ws", workspace, field) or
# ("rec", record, field).
Owner = tuple[Any, ...]
# id(container) -> (container, owner). Holding the container keeps its id from being reused.
Index = dict[int, tuple[Any, Owner]]


def _fields(cls: type[Any]) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def to_json(value: Any) -> Any:
    """``value`` as a snapshot writes it (``dataclasses.asdict``, tuple keys joined with |)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {json_key(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_json(getattr(value, name)) for name in _fields(type(value))}
    raise TypeError(f"a {type(value).__name__} has no JSON form in a snapshot")


def json_key(key: Any) -> Any:
    return "|".join(key) if isinstance(key, tuple) else key


def _walk(value: Any, owner: Owner, into: Index) -> None:
    """Index every mutable container inside ``value`` (itself included) as held by ``owner``."""
    if isinstance(value, _LEAVES):
        return
    if isinstance(value, dict):
        into[id(value)] = (value, owner)
        for item in value.values():
            if not isinstance(item, _LEAVES):
                _walk(item, owner, into)
    elif isinstance(value, list):
        into[id(value)] = (value, owner)
        for item in value:
            if not isinstance(item, _LEAVES):
                _walk(item, owner, into)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value) in _RECORDS or isinstance(value, Workspace | State):
            return  # known by their class, not by who holds them
        into[id(value)] = (value, owner)
        for name in _fields(type(value)):
            _walk(getattr(value, name), owner, into)


def _walk_record(record: Any, into: Index) -> None:
    for name in _fields(type(record)):
        value = getattr(record, name)
        if not isinstance(value, _LEAVES):
            _walk(value, ("rec", record, name), into)


def _walk_workspace(ws: Workspace, into: Index) -> None:
    for name in _fields(Workspace):
        value = getattr(ws, name)
        owner = ("ws", ws, name)
        if name in KIND_NAMES:
            into[id(value)] = (value, owner)
            for record in value.values():
                if type(record) in _RECORDS:
                    _walk_record(record, into)
        else:
            _walk(value, owner, into)


def _unwalk(value: Any, into: set[int]) -> None:
    """The containers inside a value that left the state (an old field value, a removed record)."""
    if isinstance(value, _LEAVES):
        return
    if type(value) in _RECORDS:
        for name in _fields(type(value)):
            _unwalk(getattr(value, name), into)
        return
    found: Index = {}
    _walk(value, ("gone",), found)
    into.update(found)


class _Keys:
    """What a transaction did to the keys of one dict: enough to replay it on the JSON copy,
    order included (a key put back after a removal goes last, as in memory)."""

    __slots__ = ("keys",)

    def __init__(self) -> None:
        # key -> [present before the transaction, inserted at some point, when last inserted]
        self.keys: dict[Any, list[Any]] = {}

    def touch(self, touch: journal.Touch, tick: int) -> None:
        entry = self.keys.get(touch.key)
        if entry is None:
            entry = self.keys[touch.key] = [touch.had, False, 0]
        if not touch.had:
            entry[1], entry[2] = True, tick

    def edits(
        self, live: dict[Any, Any], prefix: list[Any], added: str, replaced: str, removed: str
    ) -> list[Op]:
        """Edits that turn the JSON copy of ``live`` (as it was) into ``live``."""
        ops: list[Op] = []
        appended: list[tuple[int, Op]] = []
        for key, (had, inserted, tick) in self.keys.items():
            if key in live:
                value = to_json(live[key])
                if inserted:
                    appended.append((tick, [added, *prefix, json_key(key), value]))
                else:
                    ops.append([replaced, *prefix, json_key(key), value])
            elif had:
                ops.append([removed, *prefix, json_key(key)])
        ops.extend(op for _, op in sorted(appended, key=lambda pair: pair[0]))
        return ops


class Recorder:
    """Turns each transaction of one world into journal edits; see the module's docstring.

    ``changes()`` is called inside the transaction, before it is acknowledged; the
    index follows only once the edits are on disk (``commit()``), so a write that
    fails leaves it describing the state the rollback restores.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self._index: Index = {}
        self._top: dict[str, Any] | None = None
        self._pending: tuple[Index, set[int], dict[str, Any] | None] | None = None
        #: How many transactions could not be placed and were written whole (for tests).
        self.fallbacks = 0

    def rebuild(self) -> None:
        """Index the whole state as it is now: at start, and after it was written whole."""
        world = self.world
        index: Index = {}
        for name, value in vars(world).items():
            if name != "state":
                _walk(value, ("world", name), index)
        state = world.state
        for name in _fields(State):
            value = getattr(state, name)
            if name == "workspaces":
                index[id(value)] = (value, ("state", name))
                for ws in value.values():
                    _walk_workspace(ws, index)
            else:
                _walk(value, ("state", name), index)
        self._index = index
        self._top = self._top_fields()
        self._pending = None

    def commit(self) -> None:
        """The edits of ``changes()`` are on disk: the index follows the state."""
        if self._pending is None:
            return
        added, removed, top = self._pending
        index = self._index
        for key in removed:
            index.pop(key, None)
        index.update(added)
        if top is not None:
            self._top = top
        self._pending = None

    def _top_fields(self) -> dict[str, Any]:
        world = self.world
        # The snapshot's own writer, given no workspaces: whatever top-level fields it has.
        top = snapshots.dump(
            dataclasses.replace(world.state, workspaces={}), world.workspace_id, world.api_key
        )
        return {name: value for name, value in top.items() if name not in NOT_TOP}

    def changes(self) -> list[Op] | None:
        """The open transaction as journal edits ([] if nothing a snapshot holds changed),
        or None if the whole state must be written."""
        self._pending = None
        touches = journal.touched()
        if not touches:
            return []
        try:
            ops = _Changes(self, touches).ops()
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            # A shape this recorder does not know: writing the whole state is always right, but
            # slow, so it is said once per change.
            LOG.warning(
                "seam-fake: warning: a change could not be read as journal edits (%s: %s); "
                "the whole state is written instead",
                type(error).__name__,
                error,
            )
            ops = None
        if ops is None:
            self.fallbacks += 1
        return ops


class _Changes:
    """One transaction's touches, sorted into edits."""

    def __init__(self, recorder: Recorder, touches: list[journal.Touch]) -> None:
        self.recorder = recorder
        self.world = recorder.world
        self.state = recorder.world.state
        self.touches = touches
        self.index = recorder._index
        self.added: Index = {}
        self.removed: set[int] = set()

    def owner(self, container: Any) -> Owner | None:
        entry = self.added.get(id(container)) or self.index.get(id(container))
        if entry is None or entry[0] is not container:
            return None
        return entry[1]

    def live_ws(self, ws_id: Any) -> Workspace | None:
        ws = self.state.workspaces.get(ws_id)
        return ws if isinstance(ws, Workspace) else None

    def ops(self) -> list[Op] | None:
        world, state = self.world, self.state
        for touch in self.touches:
            target = touch.target
            if target is journal.UNKNOWN:
                return None
            if target is world and touch.key == "state":
                return None  # a reset or a restore: a new state altogether
            if target is state.workspaces and touch.key is None:
                return None
            if isinstance(target, Workspace) and touch.key in KIND_NAMES:
                return None  # a dict of records replaced whole
        self.follow()
        return self.sort()

    def follow(self) -> None:
        """Index what the transaction brought into the state, and note what it took out."""
        added, removed = self.added, self.removed
        for touch in self.touches:
            target, key = touch.target, touch.key
            if key is None:
                continue
            if touch.old is not journal.MISSING:
                _unwalk(touch.old, removed)
            if type(target) in _RECORDS:
                _walk(getattr(target, key), ("rec", target, key), added)
            elif isinstance(target, Workspace):
                _walk(getattr(target, key), ("ws", target, key), added)
            elif target is self.world or isinstance(target, State):
                if key != "state" and hasattr(target, key):
                    _walk(
                        getattr(target, key), ("state" if isinstance(target, State) else "world", key), added
                    )
            elif isinstance(target, dict):
                owner = self.owner(target)
                if owner is None or key not in target:
                    continue
                value = target[key]
                if isinstance(value, Workspace):
                    _walk_workspace(value, added)
                elif type(value) in _RECORDS:
                    _walk_record(value, added)
                else:
                    _walk(value, owner, added)
        # What is in the state again (a value put back) is not gone.
        removed.difference_update(added)

    def sort(self) -> list[Op] | None:
        top = False
        scalars: dict[str, Workspace] = {}
        workspaces = _Keys()
        records: dict[tuple[str, str], _Keys] = {}
        fields: dict[tuple[str, str, str], tuple[Any, set[str]]] = {}
        items: dict[tuple[str, str, str, str], tuple[Any, _Keys]] = {}
        for tick, touch in enumerate(self.touches, 1):
            target, key = touch.target, touch.key
            if target is self.world or isinstance(target, State):
                top = True
            elif isinstance(target, Workspace):
                if key not in REBUILT and self.live_ws(target.workspace_id) is target:
                    scalars[target.workspace_id] = target
            elif type(target) in _RECORDS:
                where = self.where(target)
                if where is not None:
                    fields.setdefault(where, (target, set()))[1].add(key)
            else:
                owner = self.owner(target)
                if owner is None:
                    return None
                if owner[0] in ("world", "state"):
                    if owner == ("state", "workspaces"):
                        if key is None:
                            return None
                        workspaces.touch(touch, tick)
                    else:
                        top = True
                elif owner[0] == "ws":
                    holder: Workspace = owner[1]
                    name = owner[2]
                    if name in KIND_NAMES:
                        if target is not getattr(holder, name) or key is None:
                            return None  # inside a dict of records, but not one of its keys
                        records.setdefault((holder.workspace_id, name), _Keys()).touch(touch, tick)
                    elif name not in REBUILT and self.live_ws(holder.workspace_id) is holder:
                        scalars[holder.workspace_id] = holder
                elif owner[0] == "rec":
                    _, record, name = owner
                    where = self.where(record)
                    if where is None:
                        continue  # a record no longer in the state: its removal says all
                    if key is not None and isinstance(target, dict) and target is getattr(record, name):
                        items.setdefault((*where, name), (record, _Keys()))[1].touch(touch, tick)
                    else:
                        fields.setdefault(where, (record, set()))[1].add(name)
                else:
                    return None
        return self.edits(top, scalars, workspaces, records, fields, items)

    def edits(
        self,
        top: bool,
        scalars: dict[str, Workspace],
        workspaces: _Keys,
        records: dict[tuple[str, str], _Keys],
        fields: dict[tuple[str, str, str], tuple[Any, set[str]]],
        items: dict[tuple[str, str, str, str], tuple[Any, _Keys]],
    ) -> list[Op] | None:
        ops: list[Op] = []
        new_top = None
        if top:
            new_top = self.recorder._top_fields()
            if new_top != self.recorder._top:
                ops.append(["top", new_top])
        # Workspaces created or removed: a new one is written whole, its records with it.
        whole: set[str] = set()
        for ws_id, (had, inserted, _) in workspaces.keys.items():
            ws = self.live_ws(ws_id)
            if had and ws is not None and not inserted:
                return None  # a workspace replaced in place: no edit keeps its position
            if had:
                ops.append(["ws-", ws_id])
            if ws is not None:
                ops.append(["ws", ws_id, _scalars(ws)])
                for kind, _, _ in KINDS:
                    for record_id, record in getattr(ws, kind).items():
                        ops.append(["add", ws_id, kind, record_id, to_json(record)])
            whole.add(ws_id)
        for ws_id, ws in scalars.items():
            if ws_id not in whole:
                ops.append(["ws", ws_id, _scalars(ws)])
        # Records created, replaced or removed.
        placed: set[tuple[str, str, str]] = set()
        for (ws_id, kind), keys in records.items():
            ws = self.live_ws(ws_id)
            if ws_id in whole or ws is None:
                continue
            ops.extend(keys.edits(getattr(ws, kind), [ws_id, kind], "add", "put", "del"))
            placed.update((ws_id, kind, key) for key in keys.keys)
        # Records changed in place: the fields that changed, or the keys of a dict they hold.
        for where, (record, names) in fields.items():
            if where in placed or where[0] in whole:
                continue
            ops.append(["set", *where, {name: to_json(getattr(record, name)) for name in sorted(names)}])
        for (*rest, name), (record, keys) in items.items():
            where = (rest[0], rest[1], rest[2])
            if where in placed or where[0] in whole:
                continue
            if where in fields and name in fields[where][1]:
                continue  # the whole field is written already
            ops.extend(keys.edits(getattr(record, name), [*where, name], "item+", "item", "item-"))
        self.recorder._pending = (self.added, self.removed, new_top)
        return ops

    def where(self, record: Any) -> tuple[str, str, str] | None:
        """(workspace id, kind, id) of a record in the state now; None if it is in none."""
        ws = self.live_ws(record.workspace_id)
        if ws is None:
            return None
        for kind, id_field in _RECORDS[type(record)]:
            record_id = getattr(record, id_field)
            if getattr(ws, kind).get(record_id) is record:
                return (ws.workspace_id, kind, record_id)
        return None


def _scalars(ws: Workspace) -> dict[str, Any]:
    """A workspace's own fields: not its records, not what the loader rebuilds."""
    return {
        name: to_json(getattr(ws, name))
        for name in _fields(Workspace)
        if name not in KIND_NAMES and name not in REBUILT
    }
