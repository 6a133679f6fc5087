"""Collects a connector's items, rejects and skip counts into `Batch`es of bounded size.

Where it sits: inside every connector's ``fetch``. Rejects count towards the batch size as well as
items, so a file of a million broken records never piles its rejects up in memory.
"""

from __future__ import annotations

from collections import Counter

from vigil.core.records import RawItem
from vigil.ingest.base import Batch, Reject


class BatchBuilder:
    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._items: list[RawItem] = []
        self._rejects: list[Reject] = []
        self._skipped: Counter[str] = Counter()

    def add(self, item: RawItem) -> None:
        self._items.append(item)

    def reject(self, reject: Reject) -> None:
        self._rejects.append(reject)

    def skip(self, reason: str, count: int = 1) -> None:
        self._skipped[reason] += count

    @property
    def full(self) -> bool:
        return len(self._items) + len(self._rejects) >= self.size

    @property
    def pending(self) -> bool:
        return bool(self._items or self._rejects or self._skipped)

    def take(self, checkpoint: str | None) -> Batch:
        """The batch collected so far, ending at ``checkpoint``; the builder starts empty again."""
        batch = Batch(tuple(self._items), tuple(self._rejects), checkpoint, dict(self._skipped))
        self._items, self._rejects, self._skipped = [], [], Counter()
        return batch
