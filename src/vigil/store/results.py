"""Stage results of a batch as rows ready for the database.

Encoding (dicts to tuples, JSON, datetimes) is most of the cost of saving a batch, and it needs no
database: `encode_results` runs wherever the assessments are (in a scan worker process, beside the
classifiers), and the store only executes the prepared rows (`SqlStore.write_encoded`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from vigil.core.records import Assessment
from vigil.store import codec
from vigil.store.bulk import BulkWriter
from vigil.store.schema import assessments, item_labels, items

Rows = tuple[tuple[str, ...], list[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class EncodedResults:
    ids: list[int]
    now: datetime
    items: Rows
    assessments: Rows
    labels: Rows | None
    fts: list[tuple[Any, ...]]  # (rowid, title, normalized) for SQLite's FTS5 index


def encode_results(
    bulk: BulkWriter, batch: Sequence[Assessment], label_threshold: float,
    carried: Sequence[dict[str, float]] | None = None,
) -> EncodedResults:
    """``carried``: `codec.carried_labels` of each item of ``batch``, where the caller has them already."""
    if carried is None:
        carried = [codec.carried_labels(a, label_threshold) for a in batch]
    now = datetime.now(UTC)
    item_rows = [
        {
            "raw_id": a.item.raw.id,
            "title": a.item.raw.title,
            "normalized": a.item.normalized,
            "language": a.item.language,
            "language_score": a.item.language_score,
            "script": a.item.script,
            "urls": list(a.item.urls),
            "handles": list(a.item.handles),
            "hashtags": list(a.item.hashtags),
            # the chain is recorded once per assessment in `versions`; a JSON list per row cost
            # ~10 µs an item on the scan hot path
            "normalizers": None,
        }
        for a in batch
    ]
    label_rows = [
        {"raw_id": a.item.raw.id, "label": label, "score": score}
        for a, labels in zip(batch, carried, strict=True)
        for label, score in labels.items()
    ]
    return EncodedResults(
        ids=[a.item.raw.id for a in batch if a.item.raw.id is not None],
        now=now,
        items=bulk.encode(items, item_rows),
        assessments=bulk.encode(assessments, [codec.assessment_row(a, now) for a in batch]),
        labels=bulk.encode(item_labels, label_rows) if label_rows else None,
        fts=[(r["raw_id"], r["title"], r["normalized"]) for r in item_rows] if bulk.dialect == "sqlite" else [],
    )
