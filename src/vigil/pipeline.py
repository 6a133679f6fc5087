"""The whole flow, in order:

    connector ─► RawItem ─► store raw (committed first) ─► normalize ─► Item
        ─► match (hash banks) ─► classify (cascade) ─► context (reporting, quotes) ─► extract
        ─► policy ─► Decision ─► store results

Each stage is isolated per item: a failure quarantines that item with its reason, and the batch goes
on. Scans are idempotent on (source, source_id) and resume after an interruption: raw items left
'pending' by a killed run are assessed first, and the connector skips to the last stored checkpoint.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from vigil.assess import Assessor
from vigil.core.gctune import bulk_gc
from vigil.core.records import Assessment, RawItem
from vigil.core.settings import Settings
from vigil.ingest.base import Batch, Connector
from vigil.intel.hooks import intel_hooks
from vigil.match.matcher import Matcher
from vigil.match.types import load_signal_types
from vigil.stages import StageFailure
from vigil.store.banks import SqlBankStore
from vigil.store.base import QuarantineEntry, SaveHook
from vigil.store.codec import carried_labels
from vigil.store.sql import SqlStore


@dataclass
class ScanReport:
    """What a scan did. ``by_action`` and ``by_label`` count the items assessed in this run."""

    items: int = 0  # records read (new + duplicates + rejected)
    new: int = 0
    duplicates: int = 0
    quarantined: int = 0
    resumed: int = 0  # pending items of an interrupted earlier run assessed now
    by_action: Counter[str] = field(default_factory=Counter)
    by_label: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "new": self.new,
            "duplicates": self.duplicates,
            "quarantined": self.quarantined,
            "by_action": dict(sorted(self.by_action.items())),
            "by_label": dict(sorted(self.by_label.items())),
            "resumed": self.resumed,
            "skipped": dict(self.skipped),
            "elapsed_s": round(self.elapsed_s, 3),
        }


class Pipeline:
    """Scans inputs into a store. Holds the `Assessor` (all stages) and the store."""

    def __init__(self, settings: Settings, store: SqlStore, assessor: Assessor | None = None,
                 hooks: Sequence[SaveHook] | None = None, env: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.store = store
        self.assessor = assessor or Assessor(settings, matcher=bank_matcher(store))
        # stories and watch rules, saved in each batch's transaction (vigil.intel.hooks)
        self.default_published: datetime | None = None  # `--published`: the date of undated input
        self.hooks = list(hooks) if hooks is not None else intel_hooks(
            settings, store, self.assessor.policy.label_threshold, env=env)

    def scan(
        self,
        connector: Connector,
        target: str,
        report: ScanReport | None = None,
        on_progress: Callable[[ScanReport], None] | None = None,
    ) -> ScanReport:
        report = report or ScanReport()
        started = time.perf_counter()
        with self.store.bulk_load(), bulk_gc():  # the closing checkpoint is part of the scan's time
            self._scan(connector, target, report, on_progress)
        report.elapsed_s += time.perf_counter() - started
        return report

    def _scan(
        self, connector: Connector, target: str, report: ScanReport, on_progress: Callable[[ScanReport], None] | None,
    ) -> None:
        self.resume_pending(report)
        run = self.store.begin_run(connector.id, target, connector.fingerprint(target))
        matcher = self.assessor.matcher
        if matcher is not None and Path(target).exists():
            # media files are only ever read from inside the folder of the input being scanned
            matcher.media_root = Path(target).resolve().parent
        if self.settings.workers > 1:
            checkpoint = self._scan_parallel(connector, target, run.id, run.checkpoint, report, on_progress)
        else:
            checkpoint = run.checkpoint
            with self.store.scan_checkpoints():
                for batch in connector.fetch(target, run.checkpoint):
                    self.ingest_batch(batch, report)
                    checkpoint = batch.checkpoint or checkpoint
                    self.store.update_run(run.id, checkpoint, report.as_dict())
                    if on_progress:
                        on_progress(report)
        self.store.update_run(run.id, checkpoint, report.as_dict(), finished=True)

    def _scan_parallel(
        self, connector: Connector, target: str, run_id: int, checkpoint: str | None, report: ScanReport,
        on_progress: Callable[[ScanReport], None] | None,
    ) -> str | None:
        """Workers assess batch N while this process parses and stores batch N+1. A checkpoint is
        recorded only once every batch up to it is saved, so a kill never skips unassessed items
        (those are also left 'pending' and assessed by the next run)."""
        from vigil.parallel import Done, ParallelAssessor

        every_item = any(hook.needs_every_item() for hook in self.hooks)
        pool = ParallelAssessor(self.settings, self.settings.workers, assessor=self.assessor, every_item=every_item)
        last = checkpoint

        threshold = self.assessor.policy.label_threshold

        def write(batch: Batch | None, results: list[Done]) -> list[RawItem]:
            """One transaction a batch: the results of the batches the workers finished, their
            quarantine entries and checkpoint, and the next batch's raw items, committed here before
            any worker sees them. (Three transactions a batch wrote the same table and index pages to
            the log up to three times.)"""
            nonlocal last
            saves = [self.store.prepare_save(d.kept, threshold, self.hooks, encoded=d.encoded, fresh=True)
                     for d in results]
            stored: list[RawItem] = []
            with self.store.begin() as conn:
                for done, pending in zip(results, saves, strict=True):
                    if pending is not None:
                        pending.write(conn)
                    if done.failed:
                        self.store.write_quarantine(conn, [f.entry() for f in done.failed])
                    report.by_action.update(done.actions)
                    report.by_label.update(done.labels)
                    report.quarantined += len(done.failed)
                    last = done.tag or last
                if batch is not None:
                    stored = self._store_raw(batch, report, conn)
                if results:
                    self.store.write_run(conn, run_id, last, report.as_dict())
            for pending in saves:
                if pending is not None:
                    pending.committed()
            if on_progress:
                on_progress(report)
            return stored

        try:
            with self.store.scan_checkpoints():  # started after the fork (`SqlStore.scan_checkpoints`)
                for batch in connector.fetch(target, checkpoint):
                    pool.submit(write(batch, pool.make_room()), batch.checkpoint)
                write(None, pool.drain())
        finally:
            pool.close()
        return last

    def ingest_batch(self, batch: Batch, report: ScanReport) -> list[Assessment]:
        """Store a batch's raw items (committed first), quarantine its rejects, assess and save the
        new items; return their assessments."""
        return self.assess_and_save(self._store_raw(batch, report), report, fresh=True)

    def _store_raw(self, batch: Batch, report: ScanReport, conn: Connection | None = None) -> list[RawItem]:
        """Store a batch's raw items and quarantine its rejects, in ``conn``'s transaction if given,
        else in one of their own (committed before any stage runs)."""
        report.items += len(batch.items) + len(batch.rejects)
        report.skipped.update(batch.skipped)
        if batch.rejects:
            rejects = [
                QuarantineEntry(r.source, "ingest", r.source.split(":")[0], r.code, r.reason, None, r.locator, r.payload)
                for r in batch.rejects
            ]
            if conn is None:
                self.store.quarantine(rejects)
            else:
                self.store.write_quarantine(conn, rejects)
            report.quarantined += len(batch.rejects)
            report.errors.extend(f"{r.locator}: {r.reason}" for r in batch.rejects[:20])
        raws = batch.items
        if self.default_published is not None:
            raws = tuple(r if r.published_at else replace(r, published_at=self.default_published) for r in raws)
        stored, duplicates = self.store.insert_raw(raws) if conn is None else self.store.write_raw(conn, raws)
        report.new += len(stored)
        report.duplicates += duplicates
        return stored

    def assess_and_save(self, raws: Sequence[RawItem], report: ScanReport, fresh: bool = False) -> list[Assessment]:
        """``fresh``: the raw items were inserted by this run (see `SqlStore.save_assessments`)."""
        if not raws:
            return []
        done, failed = self.assessor.assess(raws)
        self.store.save_assessments(done, self.assessor.policy.label_threshold, self.hooks, fresh=fresh)
        self.store.quarantine([f.entry() for f in failed])
        self.count(done, failed, report)
        return done

    def count(self, done: Sequence[Assessment], failed: Sequence[StageFailure], report: ScanReport) -> None:
        threshold = self.assessor.policy.label_threshold
        for a in done:
            report.by_action[a.action.value] += 1
            report.by_label.update(carried_labels(a, threshold).keys())
        report.quarantined += len(failed)

    def resume_pending(self, report: ScanReport) -> None:
        """Assess raw items an interrupted run stored but never assessed."""
        after = 0
        while batch := self.store.pending_raw(self.settings.batch_size, after_id=after):
            after = batch[-1].id or after
            report.resumed += len(batch)
            self.assess_and_save(batch, report)

    def retry_quarantined(self, report: ScanReport) -> ScanReport:
        """Re-run the stages on quarantined items (after a fix or a model update)."""
        after = 0
        while batch := self.store.pending_raw(self.settings.batch_size, after_id=after, status="quarantined"):
            after = batch[-1].id or after
            self.assess_and_save(batch, report)
        return report


def bank_matcher(store: SqlStore) -> Matcher:
    """A matcher over the store's hash banks, refreshed in the background (bank changes apply
    within seconds, without a restart)."""
    return Matcher(SqlBankStore(store, load_signal_types())).start()


def with_id(raw: RawItem, raw_id: int) -> RawItem:
    return replace(raw, id=raw_id)


def options_from_pairs(pairs: Sequence[str] | None) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep:
            from vigil.core.errors import InvalidInput

            raise InvalidInput(f"expected KEY=VALUE, got {pair!r}", hint="for example --column text=tweets")
        out[key.strip()] = value.strip()
    return out
