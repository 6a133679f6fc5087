"""Entity mentions and events as rows, written in the assessment's own transaction.

The assessment keeps them as JSON too (what the pipeline decided then); these rows are what the
listing commands, profiles, stories and exports query. Re-assessing an item replaces its rows.

Where it sits: called by ``SqlStore.save_assessments`` and ``SqlStore._clear_results``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete

from vigil.core.records import Assessment, EntityMention, Event
from vigil.store.codec import evidence_json, plain
from vigil.store.schema_intel import entity_mentions, events

FACT_KINDS = ("organisation", "person", "outlet", "channel", "place")  # dates are not entities to follow
_SPACE = re.compile(r"\s+")


def entity_key(kind: str, canonical: str, entity_id: str | None = None) -> str:
    """What mentions of one entity share: the gazetteer id, else kind and folded canonical name."""
    if entity_id:
        return entity_id[:300]
    return f"{kind}:{_SPACE.sub(' ', canonical.casefold()).strip()}"[:300]


def mention_key(m: EntityMention) -> str:
    return entity_key(m.kind, m.canonical, m.entity_id)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None


def event_date(fields: Mapping[str, Any]) -> str | None:
    """The event's ISO date (YYYY-MM-DD, YYYY-MM or YYYY) when resolved, else None."""
    date = fields.get("date")
    if not date or fields.get("date_resolved") is False or str(date).startswith("-"):
        return None
    return str(date)[:10]


def event_place(fields: Mapping[str, Any]) -> str | None:
    place = fields.get("place") or fields.get("country")
    return str(place) if place else None


def mention_rows(a: Assessment) -> list[dict[str, Any]]:
    rid = a.item.raw.id
    return [
        {
            "raw_id": rid,
            "entity_key": mention_key(m),
            "entity_id": m.entity_id,
            "canonical": m.canonical[:1000],
            "kind": m.kind[:32],
            "text": m.text[:1000],
            "start": m.start,
            "end": m.end,
            "extractor": m.extractor[:64],
        }
        for m in a.entities
    ]


def event_row(raw_id: int | None, seq: int, ev: Event) -> dict[str, Any]:
    fields = plain(dict(ev.fields))
    return {
        "raw_id": raw_id,
        "seq": seq,
        "kind": ev.kind[:32],
        "date": event_date(ev.fields),
        "place": event_place(ev.fields),
        "deaths": _int(ev.fields.get("deaths")),
        "fields": fields,
        "evidence": [evidence_json(e) for e in ev.evidence],
        "extractor": ev.extractor[:64],
    }


def write_facts(conn: Connection, batch: Sequence[Assessment]) -> None:
    mentions = [row for a in batch for row in mention_rows(a)]
    rows = [event_row(a.item.raw.id, i, ev) for a in batch for i, ev in enumerate(a.events)]
    if mentions:
        conn.execute(entity_mentions.insert(), mentions)
    if rows:
        conn.execute(events.insert(), rows)


def clear_facts(conn: Connection, ids: Sequence[int | None]) -> None:
    for table in (entity_mentions, events):
        conn.execute(delete(table).where(table.c.raw_id.in_(ids)))
