"""The CSV connector: one row = one item, with a column map (see `vigil.ingest.columns`).

Where it sits: ``vigil scan tweets.csv [--column text=tweets]`` ─► CsvConnector.fetch ─► Batch ─► store.

Real data sets quote fields with embedded newlines and bare carriage returns (the Fifth Tribe tweets)
and use ``;`` as the separator (GermEval, ETHOS). The file is opened with ``newline=""`` so the csv
module sees those characters inside quoted fields, and the separator is read off the header line when
the ``delimiter`` option does not give it. Reported line numbers count ``\\n`` only, as editors do.

``csv.field_size_limit`` is set to ``max_item_bytes``: an unterminated quote cannot make the reader
swallow the rest of the file into one field; that row becomes a `Reject` and reading goes on.

Options: ``columns`` (field -> column), ``source`` (default ``csv:<file name>``), ``delimiter``,
``encoding`` (default utf-8, a BOM is skipped), ``dayfirst`` (ambiguous dates as D/M), ``kind``
(``message`` or ``article``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from vigil.core.errors import InvalidInput
from vigil.core.registry import Manifest
from vigil.ingest.base import Batch, Connector, Reject, dumps, now_utc
from vigil.ingest.batching import BatchBuilder
from vigil.ingest.columns import ColumnMap, RowError, parse_column_option, parse_dayfirst, parse_kind

_DELIMITERS = (",", ";", "\t", "|")
_HEAD_CHARS = 65536


class _Lines:
    """Feeds the csv reader line by line while counting ``\\n`` (bare ``\\r`` is data, not a line)."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self._newlines = 0

    @property
    def line(self) -> int:
        """The line the next row starts on (1-based)."""
        return self._newlines + 1

    def __iter__(self) -> Iterator[str]:
        for chunk in self._fh:
            if chunk.endswith("\n"):
                self._newlines += 1
            yield chunk


class CsvConnector(Connector):
    name = "csv"
    formats = ("csv",)
    extensions = (".csv", ".tsv")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> int:
        if path.suffix.lower() in cls.extensions:
            return 80
        return 0

    def fetch(self, target: str, checkpoint: str | None = None) -> Iterator[Batch]:
        path = self.check_file(target)
        skip_to = _parse_checkpoint(checkpoint)
        encoding = str(self.options.get("encoding") or "utf-8-sig")
        source = str(self.options.get("source") or f"csv:{path.name}")
        try:
            fh = path.open("r", encoding=encoding, errors="replace", newline="")
        except LookupError as exc:
            raise InvalidInput(f"unknown encoding {encoding!r}", hint="use e.g. encoding=utf-8 or cp1252") from exc
        # The limit is process-wide state of the csv module: set it for this read, then put it back.
        previous = csv.field_size_limit(max(self.settings.max_item_bytes, 1024))
        try:
            yield from self._read(path, fh, source, skip_to)
        finally:
            csv.field_size_limit(previous)
            fh.close()

    def _read(self, path: Path, fh: IO[str], source: str, skip_to: int) -> Iterator[Batch]:
        delimiter = self._delimiter(path, fh)
        lines = _Lines(fh)
        reader = csv.reader(lines, delimiter=delimiter)
        header = self._header(path, reader)
        mapping = ColumnMap.for_header(
            header,
            parse_column_option(self.options.get("columns")),
            source=source,
            connector=self.id,
            kind=parse_kind(self.options.get("kind")),
            dayfirst=parse_dayfirst(self.options.get("dayfirst")),
        )
        yield from self._rows(path, reader, lines, header, mapping, skip_to)

    def _rows(
        self, path: Path, reader: Iterator[list[str]], lines: _Lines, header: list[str], mapping: ColumnMap,
        skip_to: int,
    ) -> Iterator[Batch]:
        builder = BatchBuilder(self.settings.batch_size)
        received = now_utc()
        row_number = 0  # data rows read, the header not counted; the checkpoint is this number
        while True:
            start = lines.line
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row_number += 1
                if row_number > skip_to:
                    builder.reject(Reject(mapping.source, f"{path}:{start}", f"unreadable row: {exc}", b""))
                continue
            row_number += 1
            if row_number <= skip_to:
                continue
            if not row or row == [""]:
                builder.skip("blank_rows")
            else:
                self._row(path, start, row, header, mapping, builder, received)
            if builder.full:
                yield builder.take(f"csv1:{row_number}")
        if builder.pending:
            yield builder.take(f"csv1:{row_number}")

    def _row(
        self, path: Path, line: int, row: list[str], header: list[str], mapping: ColumnMap,
        builder: BatchBuilder, received: object,
    ) -> None:
        locator = f"{path}:{line}"
        record = dict(zip(header, row, strict=False))
        if len(row) > len(header):
            record["_extra"] = row[len(header):]  # type: ignore[assignment]
        payload = dumps(record)
        if self.bounded_payload(payload) is None:
            builder.reject(self.too_large(mapping.source, locator, payload))
            return
        if len(row) != len(header):
            reason = f"row has {len(row)} fields, the header has {len(header)}"
            if len(row) < len(header) and mapping.columns["text"] not in record:
                builder.reject(Reject(mapping.source, locator, reason + "; the text column is missing", payload))
                return
        try:
            item = mapping.to_item(record, payload=payload, locator=locator, received_at=received)  # type: ignore[arg-type]
        except RowError as exc:
            builder.reject(Reject(mapping.source, locator, str(exc), payload))
            return
        builder.add(item)

    def _delimiter(self, path: Path, fh: IO[str]) -> str:
        given = self.options.get("delimiter")
        if given:
            value = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";"}.get(str(given), str(given))
            if len(value) != 1:
                raise InvalidInput(f"delimiter {given!r} is not one character", hint="use e.g. delimiter=';'")
            return value
        head = fh.read(_HEAD_CHARS)
        fh.seek(0)
        if head.startswith("\ufeff"):
            head = head[1:]
        return sniff_delimiter(head, default="\t" if path.suffix.lower() == ".tsv" else ",")

    def _header(self, path: Path, reader: Iterator[list[str]]) -> list[str]:
        try:
            header = next(reader)
        except StopIteration:
            raise InvalidInput(f"{path}: the file is empty", hint="a CSV file needs a header row") from None
        except csv.Error as exc:
            raise InvalidInput(f"{path}:1: unreadable header row: {exc}", hint="check the file is CSV") from exc
        header = [h.lstrip("\ufeff").strip() for h in header]
        if not any(header):
            raise InvalidInput(f"{path}:1: the header row is empty", hint="a CSV file needs a header row")
        return header


def sniff_delimiter(head: str, default: str = ",") -> str:
    """The separator of the header line: the candidate that occurs most often outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in head:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char in "\r\n":
                break
            if char in counts:
                counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else default


def _parse_checkpoint(checkpoint: str | None) -> int:
    if not checkpoint:
        return 0
    if checkpoint.startswith("csv1:") and checkpoint[5:].isdigit():
        return int(checkpoint[5:])
    raise InvalidInput(
        f"checkpoint {checkpoint!r} was not written by the csv connector",
        hint="scan the file without a checkpoint (re-reading is idempotent)",
    )


MANIFEST = Manifest(connectors=(CsvConnector,))
