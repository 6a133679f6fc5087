"""The JSON Lines connector: one JSON object per line = one item, with a column map (see
`vigil.ingest.columns`; a column may be a dotted path such as ``user.screen_name``).

Where it sits: ``vigil scan posts.jsonl [--column text=body]`` ─► JsonlConnector.fetch ─► Batch ─► store.

Lines are read in binary with a length limit, so one enormous line costs at most ``max_item_bytes`` of
memory before it is rejected; the rest of that line is skipped in chunks. Blank lines are counted in
``Batch.skipped["blank_lines"]``. A line that is not UTF-8, not JSON, not an object, or has no text
becomes a `Reject` naming the file and line.

Options: ``columns`` (field -> key or dotted path), ``source`` (default ``jsonl:<file name>``),
``dayfirst`` (ambiguous dates as D/M), ``kind`` (``message`` or ``article``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from vigil.core.errors import InvalidInput
from vigil.core.registry import Manifest
from vigil.ingest.base import Batch, Connector, Reject, now_utc
from vigil.ingest.batching import BatchBuilder
from vigil.ingest.columns import (
    ColumnMap,
    RowError,
    dotted_get,
    parse_column_option,
    parse_dayfirst,
    parse_kind,
)

_SKIP_CHUNK = 1 << 20


class JsonlConnector(Connector):
    name = "jsonl"
    formats = ("jsonl",)
    extensions = (".jsonl", ".ndjson", ".jsonlines")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> int:
        suffix = path.suffix.lower()
        if suffix in cls.extensions:
            return 80
        if suffix != ".json":
            return 0
        # A .json file holding one object per line (some exporters name JSON Lines that way).
        lines = [line for line in head.lstrip(b"\xef\xbb\xbf").split(b"\n")[:3] if line.strip()]
        if len(lines) < 2:
            return 0
        try:
            first = json.loads(lines[0])
        except ValueError:
            return 0
        return 60 if isinstance(first, dict) and lines[1].lstrip().startswith(b"{") else 0

    def fetch(self, target: str, checkpoint: str | None = None) -> Iterator[Batch]:
        path = self.check_file(target)
        skip_to = _parse_checkpoint(checkpoint)
        explicit = parse_column_option(self.options.get("columns"))
        mapping = ColumnMap(
            columns=explicit,
            explicit=frozenset(explicit),
            source=str(self.options.get("source") or f"jsonl:{path.name}"),
            connector=self.id,
            kind=parse_kind(self.options.get("kind")),
            dayfirst=parse_dayfirst(self.options.get("dayfirst")),
            per_record=True,
            getter=dotted_get,
        )
        with path.open("rb") as fh:
            yield from self._lines(path, fh, mapping, skip_to)

    def _lines(self, path: Path, fh: IO[bytes], mapping: ColumnMap, skip_to: int) -> Iterator[Batch]:
        builder = BatchBuilder(self.settings.batch_size)
        received = now_utc()
        limit = self.settings.max_item_bytes
        number = 0
        while True:
            line = fh.readline(limit + 1)
            if not line:
                break
            number += 1
            if len(line) > limit and not line.endswith(b"\n"):
                rest = _skip_rest_of_line(fh)
                if number > skip_to:
                    size = len(line) + rest
                    reason = f"line is {size:,} bytes, over max_item_bytes={limit:,}"
                    builder.reject(
                        Reject(mapping.source, f"{path}:{number}", reason, line[:4096], code="input_too_large")
                    )
            elif number > skip_to:
                self._line(path, number, line, mapping, builder, received)
            if builder.full:
                yield builder.take(f"jsonl1:{number}")
        if builder.pending:
            yield builder.take(f"jsonl1:{number}")

    def _line(
        self, path: Path, number: int, line: bytes, mapping: ColumnMap, builder: BatchBuilder, received: object
    ) -> None:
        locator = f"{path}:{number}"
        payload = line.strip()
        if number == 1 and payload.startswith(b"\xef\xbb\xbf"):
            payload = payload[3:]
        if not payload:
            builder.skip("blank_lines")
            return
        try:
            record = json.loads(payload.decode("utf-8"))
        except UnicodeDecodeError as exc:
            builder.reject(Reject(mapping.source, locator, f"not UTF-8: {exc.reason} at byte {exc.start}", payload))
            return
        except ValueError as exc:
            builder.reject(Reject(mapping.source, locator, f"not valid JSON: {exc}", payload))
            return
        if not isinstance(record, dict):
            builder.reject(
                Reject(mapping.source, locator, f"line holds a JSON {type(record).__name__}, not an object", payload)
            )
            return
        try:
            item = mapping.to_item(record, payload=payload, locator=locator, received_at=received)  # type: ignore[arg-type]
        except RowError as exc:
            builder.reject(Reject(mapping.source, locator, str(exc), payload))
            return
        builder.add(item)


def _skip_rest_of_line(fh: IO[bytes]) -> int:
    """Read past the end of an over-long line without holding it; returns the bytes skipped."""
    skipped = 0
    while True:
        chunk = fh.readline(_SKIP_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _parse_checkpoint(checkpoint: str | None) -> int:
    if not checkpoint:
        return 0
    if checkpoint.startswith("jsonl1:") and checkpoint[7:].isdigit():
        return int(checkpoint[7:])
    raise InvalidInput(
        f"checkpoint {checkpoint!r} was not written by the jsonl connector",
        hint="scan the file without a checkpoint (re-reading is idempotent)",
    )


MANIFEST = Manifest(connectors=(JsonlConnector,))
