"""Undo for a change in progress, so that a change happens whole or not at all.

Inside ``transaction()`` every mutation of the state goes through the functions
here, and each records how to reverse itself. If the block raises (a refusal found
late, a bug, a state file that cannot be written), the steps run backwards and the
state is exactly what it was before the block; otherwise they are dropped. Outside
a transaction the functions simply mutate, at no cost beyond a check.

Undoing a deletion from a dict puts the entry back at the end; where iteration
order means something (records listed in creation order) the caller names the
order to restore, and the dict is sorted back once, at the end of the rollback:
a cost paid only when something failed, never on the way to success.

The journal is per thread: two fakes may serve in two threads at once, and one
fake's lock already keeps its own requests one at a time.

The undo steps also say what a transaction touched (``touched()``): server mode reads
them before the transaction ends to append only what changed to its state file, so
recording a change costs nothing more than keeping its undo.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, insort
from collections.abc import Callable, Hashable, Iterator, MutableMapping
from contextlib import contextmanager
from functools import partial
from typing import Any, NamedTuple, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Step = Callable[[], object]
# How a dict's keys are ordered when a rollback sorts it back.
Order = Callable[[Any], Any]


class _Journal(threading.local):
    steps: list[Step] | None = None
    # id(dict) -> (dict, order): the dicts a rollback must sort back.
    reorders: dict[int, tuple[MutableMapping[Any, Any], Order]]

    def __init__(self) -> None:
        self.reorders = {}


_ACTIVE = _Journal()


def active() -> bool:
    """Whether a transaction is open in this thread."""
    return _ACTIVE.steps is not None


def changed() -> bool:
    """Whether the open transaction has changed anything yet."""
    return bool(_ACTIVE.steps)


#: ``Touch.old`` when there was no value before (a new key) or it is not known.
MISSING: Any = object()
#: ``Touch.target`` of a change made another way (``on_undo``): what it touched is unknown.
UNKNOWN: Any = object()


class Touch(NamedTuple):
    """One mutation of the open transaction, read from its undo step.

    ``target`` is the object or container changed; ``key`` the attribute or mapping key
    (None for a sorted list); ``had`` whether the key held a value just before;
    ``old`` that value (``MISSING`` when there was none).
    """

    target: Any
    key: Any
    had: bool
    old: Any


def touched() -> list[Touch]:
    """What the open transaction has changed so far, in order (empty outside one)."""
    return [_touch(step) for step in _ACTIVE.steps or ()]


def _touch(step: Step) -> Touch:
    if isinstance(step, partial):
        func, args = step.func, step.args
        if func is setattr:
            return Touch(args[0], args[1], True, args[2])
        if func is _set_item:
            return Touch(args[0], args[1], True, args[2])
        if func is _del_item:
            return Touch(args[0], args[1], False, MISSING)
        if func is _refill:
            mapping, items, key = args
            return Touch(mapping, key, True, next((v for k, v in items if k == key), MISSING))
        if func is remove_sorted or func is insort:
            return Touch(args[0], None, True, MISSING)
    return Touch(UNKNOWN, None, False, MISSING)


def _set_item(mapping: MutableMapping[Any, Any], key: Any, value: Any) -> None:
    mapping[key] = value


def _del_item(mapping: MutableMapping[Any, Any], key: Any) -> None:
    del mapping[key]


@contextmanager
def transaction() -> Iterator[None]:
    """Undo every journalled mutation made inside the block if the block raises.

    A transaction opened inside another belongs to it: the outermost one decides.
    """
    if _ACTIVE.steps is not None:
        yield
        return
    steps: list[Step] = []
    _ACTIVE.steps = steps
    _ACTIVE.reorders = {}
    try:
        yield
    except BaseException:
        _ACTIVE.steps = None
        _rollback(steps, _ACTIVE.reorders)
        raise
    finally:
        _ACTIVE.steps = None
        _ACTIVE.reorders = {}


def _rollback(steps: list[Step], reorders: dict[int, tuple[MutableMapping[Any, Any], Order]]) -> None:
    for step in reversed(steps):
        step()
    for mapping, order in reorders.values():
        items = sorted(mapping.items(), key=lambda item: order(item[0]))
        mapping.clear()
        mapping.update(items)


def change(obj: object, name: str, value: object) -> None:
    """``obj.name = value``, undone by setting the old value back."""
    steps = _ACTIVE.steps
    if steps is not None:
        steps.append(partial(setattr, obj, name, getattr(obj, name)))
    setattr(obj, name, value)


def put(mapping: MutableMapping[K, V], key: K, value: V) -> None:
    """``mapping[key] = value``: a new key is undone by deleting it (which restores
    the order too), a replaced value by setting the old one back in place."""
    steps = _ACTIVE.steps
    if steps is not None:
        if key in mapping:
            steps.append(partial(_set_item, mapping, key, mapping[key]))
        else:
            steps.append(partial(_del_item, mapping, key))
    mapping[key] = value


def drop(mapping: MutableMapping[K, V], key: K, order: Order | None = None) -> V:
    """``del mapping[key]``, returning the value. Undone by putting the entry back;
    with ``order`` (a sort key of the keys) the dict is also sorted back by it."""
    value = mapping.pop(key)
    steps = _ACTIVE.steps
    if steps is not None:
        steps.append(partial(_set_item, mapping, key, value))
        if order is not None:
            _ACTIVE.reorders[id(mapping)] = (mapping, order)
    return value


def drop_in_place(mapping: MutableMapping[K, V], key: K) -> V:
    """``del mapping[key]`` for a small dict whose order matters but follows no key:
    undone by restoring its whole content, which costs its size."""
    steps = _ACTIVE.steps
    if steps is not None:
        steps.append(partial(_refill, mapping, list(mapping.items()), key))
    return mapping.pop(key)


def _refill(mapping: MutableMapping[Any, Any], items: list[tuple[Any, Any]], key: Any = None) -> None:
    # ``key`` (the one dropped) is unused here: it tells ``touched()`` what changed.
    mapping.clear()
    mapping.update(items)


def insert_sorted(order: list[Any], entry: Any) -> None:
    """Insert into a sorted list; undone by removing that entry."""
    insort(order, entry)
    steps = _ACTIVE.steps
    if steps is not None:
        steps.append(partial(remove_sorted, order, entry))


def remove_sorted(order: list[Any], entry: Any) -> None:
    """Remove an entry from a sorted list; undone by inserting it back where it was."""
    del order[bisect_left(order, entry)]
    steps = _ACTIVE.steps
    if steps is not None:
        steps.append(partial(insort, order, entry))


def on_undo(step: Step) -> None:
    """Run ``step`` if the open transaction is rolled back (for changes made another way)."""
    steps = _ACTIVE.steps
    if steps is not None:
        steps.append(step)
