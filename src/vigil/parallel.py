"""Assessment in worker processes, pipelined with ingest.

The main process parses input and writes to the store (SQLite has one writer anyway); workers run
normalize → match → classify → context → extract → policy and also encode the database rows. Batches
stay in order and at most ``depth`` are in flight, so memory stays flat.

What crosses the process boundary is kept small, because pickling dataclasses costs as much as a
stage (measured: ~30 µs to unpickle a raw item, ~35 µs to pickle an assessment):

* to a worker: raw items as plain tuples, without the payload (it is stored already);
* back: the encoded rows, the batch's counts per action and label for the scan report, and full
  assessments only for the items save hooks need (those carrying a label, reporting context,
  entities or events, and articles — or all of them when a hook asks, `SaveHook.needs_every_item`).
"""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from multiprocessing.pool import AsyncResult
from operator import attrgetter
from typing import Any

from vigil.assess import Assessor, replace_assessment
from vigil.core.forksafe import guard_logging_at_fork
from vigil.core.gctune import tune_worker
from vigil.core.records import Assessment, ContentKind, RawItem
from vigil.core.settings import Settings
from vigil.normalize.itemcopy import replace_item
from vigil.stages import StageFailure
from vigil.store.bulk import BulkWriter
from vigil.store.codec import carried_labels
from vigil.store.results import EncodedResults, encode_results

_FIELDS = tuple(f.name for f in fields(RawItem))
_PAYLOAD = _FIELDS.index("payload")

_assessor: Assessor | None = None
_bulk: BulkWriter | None = None


@dataclass(frozen=True, slots=True)
class Done:
    tag: Any  # the connector checkpoint of the batch
    kept: list[Assessment]  # the assessments the save hooks need
    failed: list[StageFailure]
    encoded: EncodedResults | None
    actions: Counter[str]  # assessed items per action, for the scan report
    labels: Counter[str]  # assessed items carrying each label


_VALUES = attrgetter(*_FIELDS)  # one C call for all fields


def pack(raw: RawItem) -> tuple[Any, ...]:
    values = _VALUES(raw)
    return (*values[:_PAYLOAD], b"", *values[_PAYLOAD + 1:])


def _init(settings: Settings) -> None:
    global _assessor, _bulk
    _bulk = BulkWriter("sqlite" if settings.database_url.startswith("sqlite") else "postgresql")
    if _assessor is None:
        _assessor = Assessor(settings)
    else:  # forked: the parent's assessor (models loaded) is inherited as is
        _assessor.after_fork()
    tune_worker()


def _needed(a: Assessment, carried: dict[str, float]) -> bool:
    return bool(a.item.raw.kind is ContentKind.ARTICLE or a.entities or a.events or carried)


def _work(packed: Sequence[tuple[Any, ...]], every_item: bool) -> tuple[Any, ...]:
    """Assess a batch and encode its database rows here, so the writing process only executes them."""
    assert _assessor is not None and _bulk is not None
    raws = [RawItem(*values) for values in packed]
    done, failed = _assessor.assess(raws)
    threshold = _assessor.policy.label_threshold
    carried = [carried_labels(a, threshold) for a in done]  # once an item: three uses below
    encoded = encode_results(_bulk, done, threshold, carried) if done else None
    actions = Counter(a.action.value for a in done)  # counted here: one update a batch in the writer
    label_counts: Counter[str] = Counter()
    for labels in carried:
        if labels:
            label_counts.update(labels.keys())
    kept = [a for a, labels in zip(done, carried, strict=True) if every_item or _needed(a, labels)]
    index = {id(r): i for i, r in enumerate(raws)}
    return kept, [(index[id(f.raw)], f) for f in failed], encoded, actions, label_counts


class ParallelAssessor:
    def __init__(
        self, settings: Settings, workers: int, depth: int = 3, assessor: Assessor | None = None,
        every_item: bool = False,
    ) -> None:
        global _assessor
        fork = "fork" in mp.get_all_start_methods()
        if fork and assessor is not None:
            _assessor = assessor  # children start with the loaded models instead of loading their own
        if fork:
            guard_logging_at_fork()  # a thread logging at the fork would hang the worker (core/forksafe.py)
        ctx = mp.get_context("fork" if fork else "spawn")
        self.pool = ctx.Pool(workers, initializer=_init, initargs=(settings,))
        if fork:
            _assessor = None
        self.every_item = every_item
        self.depth = max(depth, workers + 1)
        self.inflight: deque[tuple[Sequence[RawItem], AsyncResult[Any], Any]] = deque()

    def make_room(self) -> list[Done]:
        """The results of the oldest batches, in order, waited for until one more batch fits."""
        out = []
        while len(self.inflight) >= self.depth:
            out.append(self._collect())
        return out

    def submit(self, raws: Sequence[RawItem], tag: Any = None) -> list[Done]:
        """Queue a batch; return the results of batches that had to finish to make room (in order)."""
        out = self.make_room()
        if raws:
            job = self.pool.apply_async(_work, ([pack(r) for r in raws], self.every_item))
            self.inflight.append((raws, job, tag))
        return out

    def drain(self) -> list[Done]:
        return [self._collect() for _ in range(len(self.inflight))]

    def _collect(self) -> Done:
        raws, result, tag = self.inflight.popleft()
        kept, failed, encoded, actions, labels = result.get()
        by_id = {r.id: r for r in raws}
        return Done(
            tag,
            [replace_assessment(a, item=replace_item(a.item, raw=by_id[a.item.raw.id])) for a in kept],
            [replace(f, raw=raws[i]) for i, f in failed],
            encoded,
            actions,
            labels,
        )

    def close(self) -> None:
        self.pool.close()
        self.pool.join()
