"""Python's cyclic garbage collector, tuned for bulk work (a scan and its worker processes).

A scan allocates a batch of records at a time (a thousand messages, each with its dicts, tuples and
dataclasses) that live until the batch is saved; nearly all of them are freed by reference counting and
hold no cycles. With CPython's default thresholds (700, 10, 10) the collector still ran ~1,350 times over
a 100,000-message scan, and each full collection walked every object the process holds, the loaded
models and lexicons included: 1.2-1.5 s of the main process's ~10 s, and as much again in the workers
(`gc.callbacks` timing of `bench/bench_scan.py`'s export; see the README's performance table).

`bulk_gc` moves everything alive at the start (models, lexicons, settings) out of the collector's sight
(`gc.freeze`), and lets a young generation grow to 20,000 objects, more than one batch makes, before it
is examined. Cycles are still collected, later; memory stays bounded by the thresholds. Worker
processes forked inside the block inherit it; `tune_worker` does the same in a spawned worker.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (20_000, 20, 50)


@contextmanager
def bulk_gc() -> Iterator[None]:
    """Within the block: the objects alive at its start frozen, the bulk thresholds; restored after."""
    old = gc.get_threshold()
    frozen = gc.get_freeze_count()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if not frozen:  # a caller that froze objects itself (the API app) keeps them frozen
            gc.unfreeze()


def tune_worker() -> None:
    """In a worker process that has loaded its models: freeze them and use the bulk thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*BULK_THRESHOLDS)
