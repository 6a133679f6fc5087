"""Items with their labels and decisions as CSV or JSON, with the filters of `vigil items`.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @`` or a tab/CR) get a
leading apostrophe: ingested text is attacker-written, and an analyst opening the file in a
spreadsheet must not execute it (OWASP "CSV injection").

Where it sits: `vigil export csv|json`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import select

from vigil.store.base import ItemFilter
from vigil.store.intel_queries import iso
from vigil.store.schema import assessments, items, raw_items

COLUMNS = ("id", "source", "source_id", "kind", "channel", "author", "forwarded_from", "published_at", "received_at",
           "language", "title", "action", "top_label", "top_score", "reporting", "scores", "reasons", "policy", "text")
PAGE = 1000
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def rows(store: Any, flt: ItemFilter, max_rows: int = 1_000_000) -> Iterator[dict[str, Any]]:
    """Stored items matching ``flt`` (its limit is ignored; ``max_rows`` bounds the export), in id order."""
    base = (
        select(raw_items.c.id, raw_items.c.source, raw_items.c.source_id, raw_items.c.kind, raw_items.c.channel,
               raw_items.c.author, raw_items.c.forwarded_from, raw_items.c.published_at, raw_items.c.received_at,
               items.c.language, raw_items.c.title, assessments.c.action, assessments.c.top_label,
               assessments.c.top_score, assessments.c.reporting, assessments.c.scores, assessments.c.reasons,
               assessments.c.policy, items.c.normalized.label("text"))
        .select_from(raw_items.join(items, items.c.raw_id == raw_items.c.id)
                     .join(assessments, assessments.c.raw_id == raw_items.c.id))
    )
    stmt = store._filtered(base, flt)  # the same filters as `vigil items`
    after, sent = 0, 0
    while sent < max_rows:
        with store.begin() as conn:
            page = conn.execute(stmt.where(raw_items.c.id > after).order_by(raw_items.c.id).limit(PAGE)).mappings().all()
        if not page:
            return
        for r in page:
            yield {k: iso(v) for k, v in r.items()}
            sent += 1
        after = page[-1]["id"]


def safe_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def write_csv(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    n = 0
    for r in records:
        writer.writerow([safe_cell(r.get(c)) for c in COLUMNS])
        n += 1
    return n


def write_json(records: Iterator[dict[str, Any]], out: TextIO) -> int:
    """A JSON document ``{"items": [...]}`` written incrementally (memory stays flat)."""
    out.write('{"items": [\n')
    n = 0
    for r in records:
        out.write((",\n" if n else "") + json.dumps(r, ensure_ascii=False, default=str))
        n += 1
    out.write("\n]}\n")
    return n
