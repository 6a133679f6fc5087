"""Profiles of actors (persons, organisations), outlets and channels: when they were first and last
seen, how many items mention or carry them per label over time, who they are mentioned with, and
for channels, which channels they forward from and reply to (and which forward from them).

A name resolves, in order, to an entity (gazetteer id, entity key, canonical name, or any mention
text, case-folded) and to a channel (``RawItem.channel``, or a ``forwarded_from`` name seen in a
Telegram export). Both may match: a channel of an outlet has both an entity and a channel side.

Where it sits: `vigil profile NAME`; reads the tables the pipeline wrote.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from vigil.core.errors import NotFound
from vigil.store.intel_queries import iso
from vigil.store.schema import item_labels, raw_items
from vigil.store.schema_intel import entity_mentions

_WHEN = func.coalesce(raw_items.c.published_at, raw_items.c.received_at)
MAX_ITEMS = 200_000  # bound the work of one profile


def resolve_entity(conn: Any, name: str) -> tuple[str, str, str] | None:
    """(entity_key, canonical, kind) for ``name``, or None."""
    want = name.strip().casefold()
    m = entity_mentions
    for column in (m.c.entity_key, m.c.entity_id, m.c.canonical, m.c.text):
        row = conn.execute(
            select(m.c.entity_key, m.c.canonical, m.c.kind, func.count().label("n"))
            .where(func.lower(column) == want, m.c.kind != "date")
            .group_by(m.c.entity_key, m.c.canonical, m.c.kind).order_by(func.count().desc()).limit(1)
        ).first()
        if row is not None:
            return row.entity_key, row.canonical, row.kind
    # a person named another way: the transliteration-aware name matcher, else a part of the name
    from vigil.extract.names import same_person

    rows = conn.execute(
        select(m.c.entity_key, m.c.canonical, m.c.kind, func.count().label("n")).where(m.c.kind != "date")
        .group_by(m.c.entity_key, m.c.canonical, m.c.kind).order_by(func.count().desc()).limit(5000)
    ).all()
    for row in rows:
        if row.kind == "person" and same_person(name, row.canonical):
            return row.entity_key, row.canonical, row.kind
    for row in rows:
        if len(want) >= 4 and want in row.canonical.casefold():
            return row.entity_key, row.canonical, row.kind
    return None


def resolve_channel(conn: Any, name: str) -> str | None:
    want = name.strip().casefold().lstrip("@")
    for column in (raw_items.c.channel, raw_items.c.forwarded_from):
        row = conn.execute(select(column).where(func.lower(column) == want).limit(1)).first()
        if row is not None:
            return str(row[0])
    return None


def _volume(conn: Any, ids_stmt: Select[Any], granularity: str) -> dict[str, Any]:
    """Items per period (day, week or month of the item's date) and, per label carried, items per period."""
    total: Counter[str] = Counter()
    by_label: dict[str, Counter[str]] = defaultdict(Counter)
    for (when,) in conn.execute(select(_WHEN).where(raw_items.c.id.in_(ids_stmt))).all():
        total[period_of(when, granularity)] += 1
    for when, label in conn.execute(
        select(_WHEN, item_labels.c.label).select_from(raw_items.join(item_labels, item_labels.c.raw_id == raw_items.c.id))
        .where(raw_items.c.id.in_(ids_stmt))
    ).all():
        by_label[label][period_of(when, granularity)] += 1
    return {"granularity": granularity, "items": dict(sorted(total.items())),
            "by_label": {k: dict(sorted(v.items())) for k, v in sorted(by_label.items())}}


def period_of(value: datetime | str, granularity: str) -> str:
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if granularity == "month":
        return when.strftime("%Y-%m")
    if granularity == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    return when.strftime("%Y-%m-%d")


def _span(conn: Any, ids_stmt: Select[Any]) -> dict[str, Any]:
    row = conn.execute(select(func.count(), func.min(_WHEN), func.max(_WHEN)).where(raw_items.c.id.in_(ids_stmt))).one()
    return {"items": row[0], "first_seen": iso(row[1]), "last_seen": iso(row[2])}


def _co_mentions(conn: Any, ids_stmt: Select[Any], exclude: str | None, limit: int = 20) -> list[dict[str, Any]]:
    m = entity_mentions
    stmt = (
        select(m.c.entity_key, func.min(m.c.canonical), func.min(m.c.kind), func.count(func.distinct(m.c.raw_id)))
        .where(m.c.raw_id.in_(ids_stmt), m.c.kind != "date")
        .group_by(m.c.entity_key).order_by(func.count(func.distinct(m.c.raw_id)).desc(), m.c.entity_key).limit(limit + 1)
    )
    out = [{"key": k, "canonical": c, "kind": kind, "items": n} for k, c, kind, n in conn.execute(stmt) if k != exclude]
    return out[:limit]


def channel_links(conn: Any, channel: str) -> dict[str, Any]:
    """Forward and reply links of ``channel``: whom it forwards and replies to, and who forwards it."""
    r = raw_items
    forwards_from = conn.execute(
        select(r.c.forwarded_from, func.count()).where(r.c.channel == channel, r.c.forwarded_from.is_not(None))
        .group_by(r.c.forwarded_from).order_by(func.count().desc()).limit(50)
    ).all()
    forwarded_by = conn.execute(
        select(r.c.channel, func.count()).where(r.c.forwarded_from == channel, r.c.channel.is_not(None))
        .group_by(r.c.channel).order_by(func.count().desc()).limit(50)
    ).all()
    target = aliased(r)
    replies = conn.execute(
        select(target.c.channel, func.count())
        .select_from(r.join(target, and_(target.c.source == r.c.source, target.c.source_id == r.c.reply_to)))
        .where(r.c.channel == channel, r.c.reply_to.is_not(None))
        .group_by(target.c.channel).order_by(func.count().desc()).limit(50)
    ).all()
    return {
        "forwards_from": [{"channel": c, "items": n} for c, n in forwards_from],
        "forwarded_by": [{"channel": c, "items": n} for c, n in forwarded_by],
        "replies_to": [{"channel": c or "(unknown)", "items": n} for c, n in replies],
    }


def profile(store: Any, name: str, granularity: str = "day") -> dict[str, Any]:
    """The profile of the actor, outlet or channel called ``name``.

    Raises:
        NotFound: no entity or channel has that name.
    """
    out: dict[str, Any] = {"name": name}
    with store.begin() as conn:
        entity = resolve_entity(conn, name)
        channel = resolve_channel(conn, name)
        if entity is None and channel is None:
            raise NotFound("entity or channel", name, hint="list names with `vigil entities` or `vigil items`")
        if entity is not None:
            key, canonical, kind = entity
            ids = select(entity_mentions.c.raw_id).where(entity_mentions.c.entity_key == key).distinct().limit(MAX_ITEMS)
            aliases = [t for (t,) in conn.execute(
                select(entity_mentions.c.text).where(entity_mentions.c.entity_key == key)
                .group_by(entity_mentions.c.text).order_by(func.count().desc()).limit(50))]
            out["entity"] = {"key": key, "canonical": canonical, "kind": kind, "aliases": aliases,
                             **_span(conn, ids), "volume": _volume(conn, ids, granularity),
                             "co_mentioned": _co_mentions(conn, ids, key)}
        if channel is not None:
            ids = select(raw_items.c.id).where(
                or_(raw_items.c.channel == channel, raw_items.c.forwarded_from == channel)).limit(MAX_ITEMS)
            own = select(raw_items.c.id).where(raw_items.c.channel == channel).limit(MAX_ITEMS)
            out["channel"] = {"name": channel, **_span(conn, own), "volume": _volume(conn, own, granularity),
                              "co_mentioned": _co_mentions(conn, ids, None), "links": channel_links(conn, channel)}
    return out
