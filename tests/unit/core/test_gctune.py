"""Garbage collection during bulk work: the bulk thresholds and a frozen heap inside the block, the
process's own settings back after it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from vigil.core.gctune import BULK_THRESHOLDS, bulk_gc


@pytest.fixture(autouse=True)
def _restore_gc() -> Iterator[None]:
    old = gc.get_threshold()
    yield
    gc.set_threshold(*old)
    gc.unfreeze()


def test_bulk_gc_sets_and_restores_thresholds_and_freeze() -> None:
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    keep = [object() for _ in range(10)]  # noqa: F841 - alive at the start, so frozen
    with bulk_gc():
        assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def frozen(obj: object) -> bool:
    """Whether ``obj`` is in the permanent generation: tracked, yet in none of the collected ones.
    (Not the freeze count, which other threads' objects leaving the permanent generation lower.)"""
    return gc.is_tracked(obj) and not any(o is obj for o in gc.get_objects())


def test_bulk_gc_keeps_a_callers_own_freeze() -> None:
    gc.unfreeze()
    mine: list[object] = [object()]
    assert not frozen(mine)
    gc.freeze()
    assert frozen(mine)
    with bulk_gc():
        pass
    assert frozen(mine)
    gc.unfreeze()
    assert not frozen(mine)


def test_bulk_gc_restores_after_an_error() -> None:
    gc.unfreeze()
    gc.set_threshold(701, 11, 12)
    with pytest.raises(RuntimeError), bulk_gc():
        raise RuntimeError("boom")
    assert gc.get_threshold() == (701, 11, 12)
    assert gc.get_freeze_count() == 0


def test_bulk_gc_still_collects_cycles() -> None:
    """A cycle made inside the block is collected once the young generation fills."""
    import weakref

    class Node:
        pass

    with bulk_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        ref = weakref.ref(a)
        del a, b
        assert ref() is not None  # reference counting alone cannot free a cycle
        junk = [[] for _ in range(BULK_THRESHOLDS[0] * 2)]  # tracked objects: fill generation 0
        del junk
        gc.collect(0)
        assert ref() is None
