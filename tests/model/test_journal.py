"""model/journal.py: a transaction that raises leaves every journalled structure exactly as it
found it (values and order); one that completes keeps its changes; outside a transaction
the functions only mutate. Routes and controls are checked whole in tests/api/test_atomicity.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest

from seam_fake.model import journal


class Boom(Exception):
    pass


@dataclass
class Row:
    name: str
    seq: int


def fail_after(change: Any) -> None:
    with pytest.raises(Boom), journal.transaction():
        change()
        raise Boom


def test_put_change_and_sorted_inserts_are_undone() -> None:
    rows = {"a": Row("a", 1), "b": Row("b", 2)}
    order = [(1, "a"), (3, "c")]
    row = rows["a"]

    def change() -> None:
        journal.put(rows, "z", Row("z", 9))  # new key
        journal.put(rows, "a", Row("other", 1))  # replaced value
        journal.change(row, "name", "renamed")
        journal.insert_sorted(order, (2, "b"))
        journal.remove_sorted(order, (3, "c"))

    fail_after(change)
    assert list(rows) == ["a", "b"] and rows["a"] is row and row.name == "a"
    assert order == [(1, "a"), (3, "c")]


def test_a_dropped_record_comes_back_where_it_was_by_its_order() -> None:
    rows = {name: Row(name, seq) for seq, name in enumerate("abcd")}

    def change() -> None:
        journal.drop(rows, "b", lambda key: rows[key].seq)
        journal.drop(rows, "a", lambda key: rows[key].seq)
        journal.put(rows, "e", Row("e", 9))

    fail_after(change)
    assert list(rows) == ["a", "b", "c", "d"]


def test_without_an_order_a_drop_is_undone_at_the_end() -> None:
    index = {"k1": "a", "k2": "b"}
    fail_after(lambda: journal.drop(index, "k1"))
    assert index == {"k1": "a", "k2": "b"}


def test_drop_in_place_restores_an_order_no_key_gives() -> None:
    links = {"z": None, "a": None, "m": None}
    fail_after(lambda: journal.drop_in_place(links, "a"))
    assert list(links) == ["z", "a", "m"]


def test_on_undo_runs_only_on_rollback() -> None:
    ran: list[str] = []
    fail_after(lambda: journal.on_undo(lambda: ran.append("undone")))
    with journal.transaction():
        journal.on_undo(lambda: ran.append("kept"))
    assert ran == ["undone"]


def test_a_completed_transaction_keeps_everything() -> None:
    rows = {"a": Row("a", 1)}
    with journal.transaction():
        journal.put(rows, "b", Row("b", 2))
        journal.change(rows["a"], "name", "renamed")
        journal.drop(rows, "b")
    assert list(rows) == ["a"] and rows["a"].name == "renamed"
    assert not journal.active()


def test_outside_a_transaction_the_functions_only_mutate() -> None:
    rows: dict[str, Any] = {}
    journal.put(rows, "a", 1)
    journal.drop(rows, "a")
    journal.on_undo(lambda: pytest.fail("nothing to undo outside a transaction"))
    assert rows == {} and not journal.active()


def test_a_nested_transaction_belongs_to_the_outer_one() -> None:
    rows: dict[str, int] = {}
    with pytest.raises(Boom), journal.transaction():
        with journal.transaction():
            journal.put(rows, "inner", 1)
        # The inner block completed, but the outer one decides.
        assert rows == {"inner": 1}
        raise Boom
    assert rows == {}


def test_a_base_exception_rolls_back_too() -> None:
    rows: dict[str, int] = {}
    with pytest.raises(KeyboardInterrupt), journal.transaction():
        journal.put(rows, "a", 1)
        raise KeyboardInterrupt
    assert rows == {}


def test_each_thread_has_its_own_journal() -> None:
    rows: dict[str, int] = {}
    entered, release = threading.Event(), threading.Event()

    def other_thread() -> None:
        # A transaction open in the main thread does not journal this one's change.
        entered.wait()
        assert not journal.active()
        journal.put(rows, "other", 1)
        release.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with pytest.raises(Boom), journal.transaction():
        journal.put(rows, "main", 1)
        entered.set()
        release.wait(5)
        raise Boom
    worker.join()
    assert rows == {"other": 1}


def test_touched_says_what_each_mutation_changed_and_what_was_there() -> None:
    # Server mode appends what a transaction touched to its state file: each kind of mutation
    # must say its target, its key, and what the key held before.
    rows = {"a": Row("a", 1), "b": Row("b", 2)}
    links = {"x": None, "y": None}
    order = [(1, "a")]
    row = rows["a"]
    assert journal.touched() == [] and not journal.changed()
    with journal.transaction():
        assert not journal.changed()
        journal.put(rows, "z", Row("z", 9))
        journal.put(rows, "a", Row("other", 1))
        journal.change(row, "name", "renamed")
        journal.drop(rows, "b")
        journal.drop_in_place(links, "x")
        journal.insert_sorted(order, (2, "b"))
        journal.remove_sorted(order, (1, "a"))
        journal.on_undo(lambda: None)
        assert journal.changed()
        touched = journal.touched()
    assert [(t.target, t.key, t.had) for t in touched] == [
        (rows, "z", False),
        (rows, "a", True),
        (row, "name", True),
        (rows, "b", True),
        (links, "x", True),
        (order, None, True),
        (order, None, True),
        (journal.UNKNOWN, None, False),
    ]
    olds = [t.old for t in touched]
    assert olds[0] is journal.MISSING and olds[1] is row and olds[2] == "a"
    assert olds[3] == Row("b", 2) and olds[4] is None
    assert journal.touched() == []
