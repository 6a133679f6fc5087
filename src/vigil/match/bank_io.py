"""Bank import and export in the formats hash-sharing programmes use. Every bad row is rejected with
its line and reason; none is dropped silently. The formats are documented in ``docs/banks.md``.

* ``csv``: Vigil's bank CSV. Its first five columns are exactly the signal CSV that python-threatexchange
  writes (``threatexchange dataset -P --csv``): ``collab,signal_type,signal_str,category,tags`` (tags
  space-separated; category ``POSITIVE_CLASS``/``NEGATIVE_CLASS``/``INVESTIGATION_SEED``), followed by
  Vigil's ``labels,note,added_by,added_at,origin,enabled``. A pytx/HMA file imports as it is, and a
  Vigil export reads back into pytx tools that look at the first five columns.
* ``lines``: python-threatexchange's local-file exchange: one ``signal_type signal`` per line.
* ``json``: ``{"format": "vigil-bank", "version": 1, "bank": {...}, "entries": [...]}``.
* ``tat-hashes``: Tech Against Terrorism's hash list (a JSON array of ``{"id", "hash_digest",
  "algorithm", "ideology", "file_type", "deleted", "created_on", ...}``, as python-threatexchange reads it).
* ``tat-urls``: a list of URLs in the shape of Tech Against Terrorism (TCAP) alerts; see `_tat_url_row`.

Signal type names from other systems are mapped: ``video_md5``/``photo_md5`` -> ``md5``,
``photo_sha256``/``video_sha256`` -> ``sha256``; ``raw_text`` rows carry the text itself and become a
``text_exact`` entry plus a ``text_near`` entry when the text is long enough.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from vigil.core.errors import InvalidInput, InvalidLabel, InvalidSignal, NotFound
from vigil.core.labels import parse_label
from vigil.match.banks import BankEntry, BankStore, NewEntry
from vigil.match.base import read_bounded

FORMATS = ("csv", "lines", "json", "tat-hashes", "tat-urls")
PYTX_COLUMNS = ("collab", "signal_type", "signal_str", "category", "tags")
VIGIL_COLUMNS = (*PYTX_COLUMNS, "labels", "note", "added_by", "added_at", "origin", "enabled")
ALIASES = {"video_md5": "md5", "photo_md5": "md5", "photo_sha256": "sha256", "video_sha256": "sha256"}
TAT_ALGORITHMS = {"md5": "md5", "sha256": "sha256", "pdq": "pdq", "sha-256": "sha256"}
MAX_IMPORT_BYTES = 1_000_000_000
MAX_FIELD_CHARS = 1_000_000
BATCH = 5_000


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # deliberately not imported (deleted)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # bad rows: (line, reason)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "skipped": [{"line": n, "reason": r} for n, r in self.skipped],
            "rejected": [{"line": n, "reason": r} for n, r in self.rejected],
        }


class _Reject(Exception):
    pass


class _Skip(Exception):  # noqa: N818 - a deliberate, reported non-import, not an error
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def detect_format(path: Path, text: str) -> str:
    head = text.lstrip()[:1]
    if head == "{":
        return "json"
    if head == "[":
        return "tat-hashes" if '"hash_digest"' in text[:5000] else "tat-urls"
    first = text.splitlines()[0] if text else ""
    if "signal_type" in first and "," in first:
        return "csv"
    if path.suffix.lower() == ".csv" and "url" in first.lower():
        return "tat-urls"
    return "lines"


def import_file(
    store: BankStore,
    bank: str,
    path: str | Path,
    *,
    fmt: str = "auto",
    added_by: str = "import",
    dry_run: bool = False,
) -> ImportReport:
    """Import ``path`` into ``bank``. Valid rows are added (in batches), bad rows reported with line and
    reason. With ``dry_run`` nothing is written.

    Raises:
        NotFound: no such bank.
        InvalidInput: unreadable file, unknown format, or a file without the required columns.
    """
    target = store.get_bank(bank)
    p = Path(path)
    data = read_bounded(p, MAX_IMPORT_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{str(p)!r} is not UTF-8: {exc}", hint="re-save the file as UTF-8") from exc
    chosen = detect_format(p, text) if fmt == "auto" else fmt
    if chosen not in FORMATS:
        raise InvalidInput(f"unknown import format {fmt!r}", hint="use one of: auto, " + ", ".join(FORMATS))
    rows = _ROWS[chosen](text, p)
    report = ImportReport()
    pending: list[NewEntry] = []
    origin_prefix = f"import:{p.name}"
    for line, row in rows:
        try:
            if isinstance(row, _Skip):
                report.skipped.append((line, row.reason))
                continue
            if isinstance(row, _Reject):
                raise row
            pending.extend(_entries(store, row, line, origin_prefix, added_by, target.negative))
        except _Skip as exc:
            report.skipped.append((line, exc.reason))
        except _Reject as exc:
            report.rejected.append((line, str(exc)))
        except (InvalidSignal, InvalidLabel, NotFound, InvalidInput) as exc:
            report.rejected.append((line, exc.message))
        if len(pending) >= BATCH:
            _flush(store, bank, pending, report, dry_run)
    _flush(store, bank, pending, report, dry_run)
    return report


def _flush(store: BankStore, bank: str, pending: list[NewEntry], report: ImportReport, dry_run: bool) -> None:
    if not pending:
        return
    if dry_run:
        report.added += len(pending)
    else:
        result = store.add_entries(bank, pending)
        report.added += len(result.added)
        report.duplicates += len(result.duplicates)
    pending.clear()


def _entries(
    store: BankStore, row: Mapping[str, Any], line: int, origin_prefix: str, added_by: str, negative_bank: bool
) -> list[NewEntry]:
    """One row to its entries (two for raw_text), validated."""
    st_name = str(row.get("signal_type") or "").strip().lower()
    st_name = ALIASES.get(st_name, st_name)
    value = row.get("signal")
    if not st_name:
        raise _Reject("missing signal_type")
    if not isinstance(value, str) or not value.strip():
        raise _Reject("missing signal")
    category = str(row.get("category") or "").strip().upper()
    if category == "NEGATIVE_CLASS" and not negative_bank:
        raise _Reject("category NEGATIVE_CLASS (known benign) cannot go into a positive bank; import it into a negative bank")
    if category in ("POSITIVE_CLASS", "INVESTIGATION_SEED") and negative_bank:
        raise _Reject(f"category {category} cannot go into a negative bank (known benign content)")
    if category == "INVESTIGATION_SEED":
        raise _Reject("category INVESTIGATION_SEED is a lead, not confirmed content; review it before banking")
    if category and category not in ("POSITIVE_CLASS", "NEGATIVE_CLASS"):
        raise _Reject(f"unknown category {category!r}; expected POSITIVE_CLASS or NEGATIVE_CLASS")
    labels, tags = _split_labels(row.get("labels"), row.get("tags"))
    meta = {k: v for k, v in (("collab", row.get("collab")), ("tags", tags or None), ("category", category or None)) if v}
    extra = dict(row.get("meta") or {})
    variants = extra.pop("variants", None) or ()  # validated like the signal itself, never trusted
    if not isinstance(variants, list | tuple):
        raise _Reject("meta.variants must be a list of signals")
    meta.update(extra)
    common: dict[str, Any] = {
        "labels": labels,
        "note": (row.get("note") or None),
        "added_by": row.get("added_by") or added_by,
        "origin": row.get("origin") or f"{origin_prefix}:{line}",
        "added_at": _parse_time(row.get("added_at")),
        "meta": meta,
    }
    if str(row.get("enabled", "")).strip().lower() in ("false", "0", "no"):
        raise _Skip("exported as disabled; not imported (enable it in the source bank to share it)")
    if st_name == "raw_text":
        out = [NewEntry("text_exact", store.signal_type("text_exact").hash_text(value), **common)]
        with contextlib.suppress(InvalidSignal):  # short texts are banked exactly only
            out.append(NewEntry("text_near", store.signal_type("text_near").hash_text(value), **common))
        return out
    # signals must already be signals (a truncated digest must fail, not be hashed as text);
    # text to be hashed comes as raw_text
    st = store.signal_type(st_name)
    return [NewEntry(st.name, st.parse(value), variants=tuple(st.parse(str(v)) for v in variants), **common)]


def _split_labels(labels: Any, tags: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Taxonomy labels from ``labels`` (must be valid) and ``tags`` (kept as tags when not labels)."""
    out: list[str] = []
    for label in _words(labels):
        out.append(parse_label(label).value)
    other: list[str] = []
    for tag in _words(tags):
        try:
            out.append(parse_label(tag).value)
        except InvalidLabel:
            other.append(tag)
    return tuple(dict.fromkeys(out)), tuple(other)


def _words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if str(v).strip()]
    return [w for w in str(value).replace(",", " ").replace(";", " ").split() if w]


def _parse_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace(",", "."))
    except ValueError as exc:
        raise _Reject(f"bad timestamp {value!r}; expected ISO 8601") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# ---- readers: text -> (line, row) -------------------------------------------------------------

Row = Mapping[str, Any] | _Skip | _Reject


def _csv_rows(text: str, path: Path) -> Iterator[tuple[int, Row]]:
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    reader.fieldnames = fields
    if "signal_type" not in fields or not ({"signal_str", "signal"} & set(fields)):
        raise InvalidInput(
            f"{str(path)!r}: the header needs signal_type and signal_str columns, found {fields}",
            hint="use the python-threatexchange columns: " + ",".join(PYTX_COLUMNS),
        )
    line = 2
    try:
        for raw in reader:
            extra = raw.get(None)  # csv puts surplus fields under the key None
            row: dict[str, Any] = {k: v for k, v in raw.items() if k is not None}
            row["signal"] = row.get("signal_str") or row.get("signal")
            if extra:
                yield line, _Reject(f"{len(extra) + len(fields)} fields, the header has {len(fields)}")
            else:
                yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        yield reader.line_num, _Reject(f"CSV syntax error: {exc}; the rest of the file was not read")


def _lines_rows(text: str, path: Path) -> Iterator[tuple[int, Row]]:
    for n, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        st, _, signal = stripped.partition(" ")
        yield n, {"signal_type": st, "signal": signal.strip()}


def _load_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{str(path)!r}:{exc.lineno}: invalid JSON: {exc.msg}") from exc


def _json_rows(text: str, path: Path) -> Iterator[tuple[int, Row]]:
    doc = _load_json(text, path)
    if not isinstance(doc, dict) or doc.get("format") != "vigil-bank" or not isinstance(doc.get("entries"), list):
        raise InvalidInput(f"{str(path)!r} is not a Vigil bank export", hint='expected {"format": "vigil-bank", "entries": [...]}')
    for n, entry in enumerate(doc["entries"], start=1):
        yield n, entry if isinstance(entry, dict) else _Reject(f"entry {n} is not an object")


def _tat_hash_rows(text: str, path: Path) -> Iterator[tuple[int, Row]]:
    doc = _load_json(text, path)
    records = doc.get("results", doc) if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        raise InvalidInput(f"{str(path)!r} is not a TAT hash list", hint="expected a JSON array of hash records")
    for n, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            yield n, _Reject("record is not an object")
            continue
        if rec.get("deleted") is True:
            yield n, _Skip(f"TAT record {rec.get('id')} is marked deleted")
            continue
        algorithm = str(rec.get("algorithm") or "").strip().lower()
        if algorithm not in TAT_ALGORITHMS:
            yield n, _Reject(f"unknown hash algorithm {rec.get('algorithm')!r}; expected MD5, SHA256 or PDQ")
            continue
        meta = {k: rec[k] for k in ("ideology", "file_type", "id") if rec.get(k) is not None}
        yield n, {
            "signal_type": TAT_ALGORITHMS[algorithm],
            "signal": rec.get("hash_digest"),
            "origin": f"tat:{rec.get('id')}",
            "added_by": "tat",
            "added_at": rec.get("created_on"),
            "meta": meta,
        }


def _tat_url_row(rec: Mapping[str, Any]) -> Row:
    """One TCAP alert. Assumed shape (TAT does not publish a schema for alert exports): an object or CSV
    row with ``url`` (required), and optionally ``id``, ``platform``, ``group`` (or ``organisation`` /
    ``terrorist_group``: the attributed group), ``ideology``, ``content_type``, ``tcap_tier``,
    ``created_on`` (or ``alert_date``) and ``status`` (``removed``/``deleted`` rows are skipped)."""
    url = rec.get("url")
    if not url:
        return _Reject("missing url")
    if str(rec.get("status") or "").strip().lower() in ("removed", "deleted", "offline"):
        return _Skip(f"alert {rec.get('id')} has status {rec.get('status')!r}")
    group = rec.get("group") or rec.get("organisation") or rec.get("organization") or rec.get("terrorist_group")
    keys = ("id", "platform", "ideology", "content_type", "tcap_tier")
    meta = {k: rec[k] for k in keys if rec.get(k) not in (None, "")}
    if group:
        meta["group"] = group
    return {
        "signal_type": "url",
        "signal": url,
        "origin": f"tat-alert:{rec.get('id')}" if rec.get("id") else None,
        "added_by": "tat",
        "added_at": rec.get("created_on") or rec.get("alert_date"),
        "meta": meta,
    }


def _tat_url_rows(text: str, path: Path) -> Iterator[tuple[int, Row]]:
    if text.lstrip().startswith("["):
        for n, rec in enumerate(_load_json(text, path), start=1):
            yield n, _tat_url_row(rec) if isinstance(rec, dict) else _Reject("record is not an object")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "url" not in reader.fieldnames:
        raise InvalidInput(f"{str(path)!r}: no url column in {reader.fieldnames}", hint="name the URL column 'url'")
    line = 2
    for rec in reader:
        yield line, _tat_url_row(rec)
        line = reader.line_num + 1


_ROWS = {"csv": _csv_rows, "lines": _lines_rows, "json": _json_rows, "tat-hashes": _tat_hash_rows, "tat-urls": _tat_url_rows}


# ---- export -----------------------------------------------------------------------------------


def _csv_record(bank: str, negative: bool, e: BankEntry) -> list[str]:
    tags = " ".join((*e.labels, *[str(t) for t in (e.meta or {}).get("tags", ())]))
    category = "NEGATIVE_CLASS" if negative else "POSITIVE_CLASS"
    return [bank, e.signal_type, e.signal, category, tags, " ".join(e.labels), e.note or "", e.added_by,
            e.added_at.isoformat(), e.origin, "true" if e.enabled else "false"]


def export_bank(store: BankStore, bank: str, out: TextIO, fmt: str = "csv") -> int:
    """Write every entry of ``bank`` to ``out`` as ``csv``, ``lines`` or ``json``; returns the count."""
    b = store.get_bank(bank)
    n = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(VIGIL_COLUMNS)
        for e in store.iter_entries(bank):
            writer.writerow(_csv_record(b.name, b.negative, e))
            n += 1
    elif fmt == "lines":
        for e in store.iter_entries(bank):
            out.write(f"{e.signal_type} {e.signal}\n")
            n += 1
    elif fmt == "json":
        header = {"name": b.name, "labels": list(b.labels), "group": b.group, "source": b.source,
                  "description": b.description, "negative": b.negative, "enabled": b.enabled,
                  "thresholds": dict(b.thresholds)}
        out.write('{"format": "vigil-bank", "version": 1, "bank": ' + json.dumps(header) + ', "entries": [')
        for e in store.iter_entries(bank):
            rec = {"signal_type": e.signal_type, "signal": e.signal, "labels": list(e.labels), "note": e.note,
                   "added_by": e.added_by, "added_at": e.added_at.isoformat(), "origin": e.origin,
                   "enabled": e.enabled, "meta": dict(e.meta or {})}
            out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(rec, ensure_ascii=False))
            n += 1
        out.write("\n]}\n")
    else:
        raise InvalidInput(f"unknown export format {fmt!r}", hint="use csv, lines or json")
    return n
