"""A connector over an in-memory list of records, for pipeline and store tests that need exact
control over what a connector yields (rejects, checkpoints, batch boundaries)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from vigil.core.records import ContentKind, RawItem
from vigil.core.settings import Settings
from vigil.ingest.base import Batch, Connector, Reject


def raw(source_id: str, text: str, source: str = "test", **kw: Any) -> RawItem:
    return RawItem(
        source=source, source_id=source_id, kind=kw.pop("kind", ContentKind.MESSAGE), text=text,
        payload=json.dumps({"id": source_id, "text": text}).encode(), connector="list.v1",
        received_at=kw.pop("received_at", datetime(2024, 3, 29, tzinfo=UTC)), **kw,
    )


class ListConnector(Connector):
    """Yields the given records in batches of ``settings.batch_size``; a record that is a string
    starting with 'BAD' becomes a reject."""

    name = "list"
    formats = ("list",)

    def __init__(self, settings: Settings, records: Sequence[RawItem | str], options: Mapping[str, Any] | None = None):
        super().__init__(settings, options)
        self.records = list(records)

    def fingerprint(self, target: str) -> str:
        return f"list:{target}:{len(self.records)}"

    def fetch(self, target: str, checkpoint: str | None = None) -> Iterator[Batch]:
        start = int(checkpoint) + 1 if checkpoint else 0
        size = self.settings.batch_size
        for lo in range(start, len(self.records), size):
            chunk = self.records[lo : lo + size]
            items = tuple(r for r in chunk if isinstance(r, RawItem))
            rejects = tuple(
                Reject("test", f"{target}:{lo + i + 1}", "malformed record", r.encode())
                for i, r in enumerate(chunk) if isinstance(r, str)
            )
            yield Batch(items, rejects, checkpoint=str(lo + len(chunk) - 1))
