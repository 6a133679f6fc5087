"""Assessment in worker processes, pipelined with ingest.

The main process parses input and writes to the store (SQLite has one writer anyway); workers run
normalize → match → classify → policy. Batches stay in order and at most ``depth`` are in flight, so
memory stays flat. Workers return assessments without the raw payload (it is already stored), which
halves what crosses the process boundary; the main process re-attaches its own raw items.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from multiprocessing.pool import AsyncResult
from typing import Any

from vigil.assess import Assessor
from vigil.core.records import Assessment, RawItem
from vigil.core.settings import Settings
from vigil.stages import StageFailure

_assessor: Assessor | None = None


def _init(settings: Settings) -> None:
    global _assessor
    if _assessor is None:  # with fork the parent's assessor (models loaded) is inherited as is
        _assessor = Assessor(settings)


def _work(raws: Sequence[RawItem]) -> tuple[list[Assessment], list[tuple[int, StageFailure]]]:
    assert _assessor is not None
    done, failed = _assessor.assess(raws)
    index = {id(r): i for i, r in enumerate(raws)}
    slim = [replace(a, item=replace(a.item, raw=replace(a.item.raw, payload=b""))) for a in done]
    return slim, [(index[id(f.raw)], replace(f, raw=replace(f.raw, payload=b""))) for f in failed]


class ParallelAssessor:
    def __init__(self, settings: Settings, workers: int, depth: int = 3, assessor: Assessor | None = None) -> None:
        global _assessor
        fork = "fork" in mp.get_all_start_methods()
        if fork and assessor is not None:
            _assessor = assessor  # children start with the loaded models instead of loading their own
        ctx = mp.get_context("fork" if fork else "spawn")
        self.pool = ctx.Pool(workers, initializer=_init, initargs=(settings,))
        if fork:
            _assessor = None
        self.depth = max(depth, workers + 1)
        self.inflight: deque[tuple[Sequence[RawItem], AsyncResult[Any], Any]] = deque()

    def submit(self, raws: Sequence[RawItem], tag: Any = None) -> list[tuple[Any, list[Assessment], list[StageFailure]]]:
        """Queue a batch; return the results of batches that had to finish to make room (in order)."""
        out = []
        if raws:
            self.inflight.append((raws, self.pool.apply_async(_work, (list(raws),)), tag))
        while len(self.inflight) > self.depth:
            out.append(self._collect())
        return out

    def drain(self) -> list[tuple[Any, list[Assessment], list[StageFailure]]]:
        return [self._collect() for _ in range(len(self.inflight))]

    def _collect(self) -> tuple[Any, list[Assessment], list[StageFailure]]:
        raws, result, tag = self.inflight.popleft()
        slim, failed = result.get()
        by_id = {r.id: r for r in raws}
        done = [replace(a, item=replace(a.item, raw=by_id[a.item.raw.id])) for a in slim]
        return tag, done, [replace(f, raw=raws[i]) for i, f in failed]

    def close(self) -> None:
        self.pool.close()
        self.pool.join()
