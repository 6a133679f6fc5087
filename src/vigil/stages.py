"""Running a stage over a batch without letting one bad item stop the batch.

A stage that raises on an item produces a `StageFailure`; the pipeline quarantines that item with the
stage, plugin, error code and message, and the rest of the batch goes on (spaCy's error-handler idea,
but the error is stored instead of silenced).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from vigil.core.errors import VigilError
from vigil.core.records import RawItem
from vigil.store.base import QuarantineEntry

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class StageFailure:
    raw: RawItem
    stage: str
    plugin: str
    code: str
    message: str

    def entry(self) -> QuarantineEntry:
        return QuarantineEntry(
            source=self.raw.source,
            stage=self.stage,
            plugin=self.plugin,
            code=self.code,
            message=self.message,
            raw_id=self.raw.id,
            locator=self.raw.locator,
        )


def failure(raw: RawItem, stage: str, plugin: str, exc: BaseException) -> StageFailure:
    code = exc.code if isinstance(exc, VigilError) else type(exc).__name__
    message = str(exc) or type(exc).__name__
    log.warning("stage %s (%s) failed on %s/%s: %s", stage, plugin, raw.source, raw.source_id, message[:200])
    return StageFailure(raw, stage, plugin, code, message[:2000])


def run_each(
    stage: str, plugin: str, values: Sequence[T], raws: Sequence[RawItem], fn: Callable[[T], R]
) -> tuple[list[tuple[int, R]], list[StageFailure]]:
    """Apply ``fn`` to each value; return (index, result) pairs that succeeded and the failures."""
    ok: list[tuple[int, R]] = []
    failed: list[StageFailure] = []
    for i, value in enumerate(values):
        try:
            ok.append((i, fn(value)))
        except Exception as exc:  # noqa: BLE001 - any plugin error quarantines this item only
            failed.append(failure(raws[i], stage, plugin, exc))
    return ok, failed


def run_batch(
    stage: str, plugin: str, values: Sequence[T], raws: Sequence[RawItem], fn: Callable[[Sequence[T]], list[R]]
) -> tuple[list[tuple[int, R]], list[StageFailure]]:
    """Apply a batch function; if the batch raises, retry item by item to find the culprit."""
    try:
        results = fn(values)
    except Exception:  # noqa: BLE001 - fall back to isolating the failing item
        return run_each(stage, plugin, values, raws, lambda v: fn([v])[0])
    if len(results) != len(values):
        err = RuntimeError(f"returned {len(results)} results for {len(values)} items")
        return [], [failure(r, stage, plugin, err) for r in raws]
    return list(enumerate(results)), []
