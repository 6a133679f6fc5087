"""Reads for the analyst commands: entities with their aliases, events, stories with their items and
timeline. Every function returns JSON-ready dicts (dates as ISO strings).

Where it sits: `vigil entities|events|stories|story`, the exports and profiles call these.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from vigil.store.schema import assessments, items, raw_items
from vigil.store.schema_intel import entity_mentions, events, stories, story_items

ACTOR_FIELDS = ("claimed_by", "perpetrator", "speaker", "organisation", "outlet")
_WHEN = func.coalesce(raw_items.c.published_at, raw_items.c.received_at)


def iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def list_entities(store: Any, kind: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Entities (not dates) by number of items mentioning them, with every alias seen."""
    m = entity_mentions
    stmt = (
        select(m.c.entity_key, func.min(m.c.canonical).label("canonical"), func.min(m.c.kind).label("kind"),
               func.min(m.c.entity_id).label("entity_id"), func.count(func.distinct(m.c.raw_id)).label("items"),
               func.count().label("mentions"), func.min(_WHEN).label("first_seen"), func.max(_WHEN).label("last_seen"))
        .select_from(m.join(raw_items, raw_items.c.id == m.c.raw_id))
        .where(m.c.kind != "date")
        .group_by(m.c.entity_key)
        .order_by(func.count(func.distinct(m.c.raw_id)).desc(), m.c.entity_key)
        .limit(limit)
    )
    if kind:
        stmt = stmt.where(m.c.kind == kind)
    with store.begin() as conn:
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
        keys = [r["entity_key"] for r in rows]
        aliases: dict[str, Counter[str]] = defaultdict(Counter)
        if keys:
            for key, text, n in conn.execute(
                select(m.c.entity_key, m.c.text, func.count()).where(m.c.entity_key.in_(keys)).group_by(m.c.entity_key, m.c.text)
            ):
                aliases[key][text] += n
    for r in rows:
        r["aliases"] = [t for t, _ in aliases[r["entity_key"]].most_common(50)]
        r["first_seen"], r["last_seen"] = iso(r["first_seen"]), iso(r["last_seen"])
    return rows


def actors(fields: dict[str, Any]) -> list[str]:
    out = []
    for key in ACTOR_FIELDS:
        value = fields.get(key)
        if isinstance(value, str) and value and value not in out:
            out.append(value)
    return out


def event_dict(row: Any) -> dict[str, Any]:
    fields = row.fields or {}
    return {
        "id": row.id, "raw_id": row.raw_id, "source": row.source, "source_id": row.source_id, "kind": row.kind,
        "type": fields.get("type") or row.kind, "date": row.date, "date_expression": fields.get("date_expression"),
        "place": row.place, "deaths": row.deaths, "injured": fields.get("injured"), "actors": actors(fields),
        "targets": fields.get("targets") or ([fields["target"]] if fields.get("target") else []),
        "fields": fields, "evidence": row.evidence,
    }


def list_events(store: Any, kind: str | None = None, raw_ids: list[int] | None = None, limit: int = 500) -> list[dict[str, Any]]:
    stmt = (
        select(events, raw_items.c.source, raw_items.c.source_id)
        .select_from(events.join(raw_items, raw_items.c.id == events.c.raw_id))
        .order_by(events.c.date.is_(None), events.c.date, events.c.raw_id, events.c.seq)
        .limit(limit)
    )
    if kind:
        stmt = stmt.where(events.c.kind == kind)
    if raw_ids is not None:
        stmt = stmt.where(events.c.raw_id.in_(raw_ids))
    with store.begin() as conn:
        return [event_dict(r) for r in conn.execute(stmt)]


def _members(conn: Any, story_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    stmt = (
        select(story_items.c.story_id, story_items.c.raw_id, story_items.c.score, story_items.c.seen_at,
               raw_items.c.source, raw_items.c.source_id, raw_items.c.channel, raw_items.c.title, raw_items.c.kind,
               raw_items.c.published_at, raw_items.c.received_at, assessments.c.action, assessments.c.top_label, assessments.c.top_score,
               assessments.c.reporting)
        .select_from(story_items.join(raw_items, raw_items.c.id == story_items.c.raw_id)
                     .outerjoin(assessments, assessments.c.raw_id == story_items.c.raw_id))
        .where(story_items.c.story_id.in_(story_ids))
        .order_by(story_items.c.seen_at, story_items.c.raw_id)
    )
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(stmt).mappings():
        row = {k: iso(v) for k, v in r.items() if k != "story_id"}
        # seen_at is the published date or dateline; for an undated item it is only when it was read
        row["dated"] = r["published_at"] is not None or r["seen_at"] != r["received_at"]
        out[r["story_id"]].append(row)
    return out


def key_entities(story_entities: dict[str, Any], n: int = 8) -> list[dict[str, Any]]:
    ranked = sorted(story_entities.items(), key=lambda kv: (-kv[1].get("count", 0), kv[0]))
    return [{"key": k, "canonical": v.get("canonical"), "kind": v.get("kind"), "mentions": v.get("count")} for k, v in ranked[:n]]


def story_summary(row: Any, members: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row.id, "title": row.title, "first_seen": iso(row.first_seen), "last_seen": iso(row.last_seen),
        "dated": row.dated, "size": len(members), "items": [m["source_id"] for m in members],
        "item_ids": [m["raw_id"] for m in members], "key_entities": key_entities(row.entities or {}),
        "entity_keys": sorted(row.entities or {}),
        "events": [v for v in (row.events or {}).values()],
    }


def list_stories(store: Any, limit: int = 100, min_size: int = 1) -> list[dict[str, Any]]:
    stmt = (
        select(stories).where(stories.c.merged_into.is_(None), stories.c.size >= min_size)
        .order_by(stories.c.last_seen.desc(), stories.c.id).limit(limit)
    )
    with store.begin() as conn:
        rows = conn.execute(stmt).all()
        members = _members(conn, [r.id for r in rows])
    return [story_summary(r, members[r.id]) for r in rows]


def get_story(store: Any, story_id: int) -> dict[str, Any] | None:
    """One story with its items, events, quotes (with speakers) and a timeline."""
    with store.begin() as conn:
        row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
        if row is None:
            return None
        if row.merged_into:
            return get_story(store, row.merged_into)
        members = _members(conn, [row.id])[row.id]
        ids = [m["raw_id"] for m in members]
        ctx = {r.raw_id: (r.context, r.normalized) for r in conn.execute(
            select(assessments.c.raw_id, assessments.c.context, items.c.normalized)
            .select_from(assessments.join(items, items.c.raw_id == assessments.c.raw_id))
            .where(assessments.c.raw_id.in_(ids)))}
    out = story_summary(row, members)
    out["members"] = members
    out["events_detail"] = list_events(store, raw_ids=ids) if ids else []
    out["quotes"] = [
        {"raw_id": rid, "source_id": next(m["source_id"] for m in members if m["raw_id"] == rid),
         "speaker": q.get("speaker"), "cue": q.get("cue"), "text": q.get("text"), "labels": q.get("labels", {})}
        for rid, (context, _) in ctx.items() for q in ((context or {}).get("quotes") or [])
    ]
    out["timeline"] = timeline(members, out["events_detail"])
    return out


def timeline(members: list[dict[str, Any]], evs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events on their own dates and items on theirs, oldest first; undated events last."""
    rows = [{"date": e["date"], "what": "event", "kind": e["kind"], "label": _event_label(e), "source_id": e["source_id"]}
            for e in evs]
    rows += [{"date": m["seen_at"][:10] if m["dated"] else None, "what": "item", "kind": m["kind"],
              "label": m.get("title") or m["source_id"], "source_id": m["source_id"]} for m in members]
    return sorted(rows, key=lambda r: (r["date"] is None, r["date"] or "", r["what"]))


def _event_label(e: dict[str, Any]) -> str:
    what = e.get("type") or e["kind"]
    if e["kind"] == "call_to_attack":
        who = e["fields"].get("speaker") or e["fields"].get("organisation") or "unknown speaker"
        return f"call to attack by {who}"
    where = f" in {e['place']}" if e.get("place") else ""
    dead = f", {e['deaths']} dead" if e.get("deaths") else ""
    return f"{what}{where}{dead}"


def get_event(store: Any, event_id: int) -> dict[str, Any] | None:
    stmt = (select(events, raw_items.c.source, raw_items.c.source_id)
            .select_from(events.join(raw_items, raw_items.c.id == events.c.raw_id)).where(events.c.id == event_id))
    with store.begin() as conn:
        row = conn.execute(stmt).first()
    return event_dict(row) if row is not None else None


def related_events(store: Any, event: dict[str, Any], limit: int = 200) -> list[dict[str, Any]]:
    """Events of the same kind that share the place or an actor (a call and its echoes, an attack and
    its claims): the event page's timeline."""
    out = []
    for e in list_events(store, kind=event["kind"], limit=5000):
        if e["id"] == event["id"]:
            continue
        same_place = bool(event.get("place")) and e.get("place") == event.get("place")
        if same_place or set(e["actors"]) & set(event["actors"]):
            out.append(e)
    return out[:limit]
