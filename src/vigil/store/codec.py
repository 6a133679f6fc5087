"""Records to rows and back. JSON columns hold evidence, matches, entities and events exactly as the
records carry them, so what an analyst sees later is what the pipeline decided then."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from vigil.core.jsonenc import dumps_str
from vigil.core.labels import HARM_LABELS, Label
from vigil.core.records import (
    Assessment,
    ContentKind,
    Evidence,
    LabelScore,
    MediaRef,
    Quote,
    RawItem,
)

_HARM_VALUES = tuple(label.value for label in HARM_LABELS)  # plain strings, read per item below
_REPORTING = Label.REPORTING.value


def inserted_id(result: Any) -> int:
    """The primary key of the row an INSERT created (SQLAlchemy types it as optional)."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT returned no primary key")
    return int(key[0])


RAW_COLUMNS = (
    "source", "source_id", "kind", "connector", "received_at", "published_at", "author", "author_id", "channel",
    "title", "url", "reply_to", "forwarded_from", "edited_at", "text", "payload", "media", "meta", "locator",
)


def raw_values(raw: RawItem, encode_datetime: Callable[[datetime | None], Any]) -> tuple[Any, ...]:
    """A raw item's row in `RAW_COLUMNS` order, JSON columns as JSON text, datetimes as
    ``encode_datetime`` gives them (`BulkWriter.encode_datetime`: each dialect has its own)."""
    meta = raw.meta
    return (
        raw.source,
        raw.source_id,
        raw.kind.value,
        raw.connector,
        encode_datetime(raw.received_at),
        encode_datetime(raw.published_at),
        raw.author,
        raw.author_id,
        raw.channel,
        raw.title,
        raw.url,
        raw.reply_to,
        raw.forwarded_from,
        encode_datetime(raw.edited_at),
        raw.text,
        raw.payload,
        dumps_str([media_json(m) for m in raw.media]) if raw.media else None,
        dumps_str(meta if type(meta) is dict else dict(meta)) if meta else None,
        raw.locator,
    )


_MEDIA_FIELDS = tuple(f.name for f in fields(MediaRef) if f.name != "digests")


def media_json(m: MediaRef) -> dict[str, Any]:
    # the fields are plain values, so no dataclasses.asdict (a deep copy at ~4 µs a reference)
    out = {k: v for k in _MEDIA_FIELDS if (v := getattr(m, k)) is not None}
    if m.digests:
        out["digests"] = dict(m.digests)
    return out


def raw_from_row(row: Mapping[Any, Any]) -> RawItem:  # a dict or a SQLAlchemy RowMapping
    media = tuple(
        MediaRef(**{**m, "digests": m.get("digests") or {}}) for m in (row.get("media") or [])
    )
    return RawItem(
        source=row["source"],
        source_id=row["source_id"],
        kind=ContentKind(row["kind"]),
        text=row["text"],
        payload=bytes(row["payload"]),
        connector=row["connector"],
        received_at=row["received_at"],
        published_at=row.get("published_at"),
        author=row.get("author"),
        author_id=row.get("author_id"),
        channel=row.get("channel"),
        title=row.get("title"),
        url=row.get("url"),
        reply_to=row.get("reply_to"),
        forwarded_from=row.get("forwarded_from"),
        edited_at=row.get("edited_at"),
        media=media,
        locator=row.get("locator"),
        meta=row.get("meta") or {},
        id=row["id"],
    )


def evidence_json(e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": e.kind, "text": e.text}
    if e.start is not None:
        out["start"], out["end"] = e.start, e.end
    if e.weight:
        out["weight"] = round(e.weight, 4)
    if e.detail:
        out["detail"] = e.detail
    return out


def label_json(ls: LabelScore) -> dict[str, Any]:
    return {
        "label": ls.label.value,
        "score": round(ls.score, 4),
        "classifier": ls.classifier,
        "tier": ls.tier,
        "evidence": [evidence_json(e) for e in ls.evidence],
    }


def quote_json(q: Quote) -> dict[str, Any]:
    return {
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "speaker": q.speaker,
        "cue": q.cue,
        "labels": {ls.label.value: round(ls.score, 4) for ls in q.labels},
    }


def context_json(a: Assessment) -> dict[str, Any] | None:
    c = a.context
    if c is None:
        return None
    return {
        "reporting": round(c.reporting, 4),
        "source_type": c.source_type,
        "cues": [evidence_json(e) for e in c.cues],
        "quotes": [quote_json(q) for q in c.quotes],
        "stage": c.stage,
    }


def plain(value: Any) -> Any:
    """Dataclass/enum/datetime trees to JSON-ready values."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: plain(v) for k, v in asdict(value).items()}
    if isinstance(value, Label):
        return value.value
    return value


ASSESSMENT_COLUMNS = (
    "raw_id", "action", "top_label", "top_score", "reporting", "tier", "scores", "labels", "context",
    "matches", "entities", "events", "reasons", "policy", "versions", "assessed_at",
)


def assessment_values(a: Assessment, assessed_at: Any, versions: str | None) -> tuple[Any, ...]:
    """An assessment's row in `ASSESSMENT_COLUMNS` order, its JSON columns already JSON text.
    ``assessed_at`` and ``versions`` (the JSON of ``a.versions``) come encoded: a batch shares them."""
    scores = a.scores()
    harm = {k: v for k, v in scores.items() if k != _REPORTING}
    top_label, top_score = max(harm.items(), key=lambda kv: kv[1]) if harm else (None, 0.0)
    reporting = a.context.reporting if a.context else scores.get(_REPORTING, 0.0)
    decision = a.decision
    return (
        a.item.raw.id,
        a.action.value,
        top_label,
        float(top_score),
        float(reporting),
        a.tier,
        dumps_str({k: round(v, 4) for k, v in scores.items()}) if scores else "{}",
        dumps_str([label_json(ls) for ls in a.labels]) if a.labels else "[]",
        dumps_str(context_json(a)) if a.context else None,
        dumps_str([plain(m) for m in a.matches]) if a.matches else None,
        dumps_str([plain(e) for e in a.entities]) if a.entities else None,
        dumps_str([plain(e) for e in a.events]) if a.events else None,
        dumps_str(list(decision.reasons)) if decision and decision.reasons else "[]",
        decision.policy if decision else None,
        versions,
        assessed_at,
    )


def carried_labels(a: Assessment, threshold: float) -> dict[str, float]:
    """Labels the item carries: harm labels at or above ``threshold``, and the reporting context."""
    scores = a.scores()
    # plain strings, not `label.value`: an enum attribute read costs ~0.3 µs, and this runs per item
    out = {value: score for value in _HARM_VALUES if (score := scores.get(value, 0.0)) >= threshold}
    reporting = a.context.reporting if a.context else scores.get(_REPORTING, 0.0)
    if reporting >= threshold:
        out[_REPORTING] = reporting
    return out
