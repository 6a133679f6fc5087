"""Everything the dashboard shows about one stored item, in one JSON-ready dict: the displayed text
and the spans to mark in it (evidence, quotes with their speakers, glossary terms), scores, bank
matches, entities, events, decisions and the story it belongs to.

Offsets are into ``normalized``, the text that is displayed (as `core.records.Evidence` says); spans
that do not fit the text are dropped here, so a presenter can trust them.

Where it sits: read by `vigil.web` (item pages) and `vigil.moderation.casefile` (review cases).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from vigil.core.labels import Label
from vigil.moderation.decisions import item_decisions
from vigil.store.intel_queries import list_events
from vigil.store.schema_intel import story_items
from vigil.store.sql import SqlStore
from vigil.translate.base import Gloss

Glosser = Callable[[str], list[Gloss]]
SPAN_KINDS = ("term", "span", "feature", "match")  # evidence kinds that point at words of the text
MAX_SPANS = 500


def _fits(start: Any, end: Any, n: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n


def evidence_spans(item: dict[str, Any], n: int, label_threshold: float = 0.5) -> list[dict[str, Any]]:
    """Evidence spans of the labels worth showing: those the item carries, and its top label."""
    scores = item.get("scores") or {}
    shown = {k for k, v in scores.items() if v >= label_threshold}
    if item.get("top_label"):
        shown.add(item["top_label"])
    out = []
    for ls in item.get("labels") or []:
        if ls.get("label") not in shown:
            continue
        for e in ls.get("evidence") or []:
            if e.get("kind") in SPAN_KINDS and _fits(e.get("start"), e.get("end"), n):
                out.append({"start": e["start"], "end": e["end"], "kind": "evidence", "label": ls["label"],
                            "note": f"{ls['label']}: {e.get('detail') or e.get('text')}"})
    return out


def quote_spans(item: dict[str, Any], n: int) -> list[dict[str, Any]]:
    out = []
    for q in ((item.get("context") or {}).get("quotes") or []):
        if _fits(q.get("start"), q.get("end"), n):
            who = q.get("speaker") or "unattributed"
            out.append({"start": q["start"], "end": q["end"], "kind": "quote", "label": None,
                        "note": f"quote, speaker: {who}" + (f" ({q['cue']})" if q.get("cue") else "")})
    return out


def gloss_spans(glosses: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    return [{"start": g["start"], "end": g["end"], "kind": "gloss", "label": None, "note": f"{g['term']}: {g['gloss']}"}
            for g in glosses if _fits(g["start"], g["end"], n)]


def item_view(store: SqlStore, raw_id: int, glosser: Glosser | None = None,
              label_threshold: float = 0.5) -> dict[str, Any] | None:
    """The item with its assessment, decisions, story and marked spans; None when there is none."""
    item = store.get_item(raw_id)
    if item is None:
        return None
    item.pop("payload", None)
    text = item.get("normalized") or item.get("text") or ""
    n = len(text)
    glosses = [{"term": g.term, "start": g.start, "end": g.end, "gloss": g.gloss, "note": g.note, "kind": g.kind}
               for g in (glosser(text) if glosser and text else [])]
    spans = evidence_spans(item, n, label_threshold) + quote_spans(item, n) + gloss_spans(glosses, n)
    scores = item.get("scores") or {}
    with store.begin() as conn:
        story = conn.execute(select(story_items.c.story_id).where(story_items.c.raw_id == raw_id)).scalar()
    return {
        "item": item,
        "text": text,
        "spans": spans[:MAX_SPANS],
        "glosses": glosses,
        "quotes": [q for q in ((item.get("context") or {}).get("quotes") or [])],
        "scores": sorted(((k, v) for k, v in scores.items() if k != Label.REPORTING.value), key=lambda kv: -kv[1]),
        "reporting": item.get("reporting"),
        "matches": item.get("matches") or [],
        "entities": list({(e.get("kind"), e.get("canonical")): e for e in item.get("entities") or []
                          if e.get("kind") != "date"}.values()),
        "events": list_events(store, raw_ids=[raw_id]),
        "decisions": item_decisions(store, raw_id),
        "story_id": story,
        "media": [{"index": i, **m} for i, m in enumerate(item.get("media") or [])],
    }
