"""The overview an analyst or moderator opens first: volume over time by label and by action, the
top channels and entities, active alerts (watch rules and floods), the current crisis, the queue.

Counts are grouped per day in the database (one row per day and label), then rolled up in Python
into weeks or months when the span is long, so the work does not grow with the number of items.

Where it sits: the dashboard's overview page; reads the tables the pipeline and the service write.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from vigil.core.labels import HARM_LABELS, Label
from vigil.moderation.crisis import active_crises
from vigil.moderation.flood import list_alerts as flood_alerts
from vigil.store.alerts_sql import list_alerts
from vigil.store.intel_queries import list_entities
from vigil.store.schema import assessments, cases, item_labels, raw_items
from vigil.store.sql import SqlStore

MAX_BUCKETS = 60
ACTIONS = ("allow", "label", "review", "block")
LABELS = (*[label.value for label in HARM_LABELS], Label.REPORTING.value)
_WHEN = func.coalesce(raw_items.c.published_at, raw_items.c.received_at)


def _day(dialect: str) -> Any:
    """The item's date as 'YYYY-MM-DD' text, computed by the database."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", _WHEN), "YYYY-MM-DD")
    return func.substr(_WHEN, 1, 10)  # SQLite keeps UTC datetimes as ISO text


def granularity(first: date, last: date) -> str:
    days = (last - first).days
    if days <= MAX_BUCKETS:
        return "day"
    if days <= MAX_BUCKETS * 7:
        return "week"
    return "month"


def bucket(day: date, unit: str) -> str:
    if unit == "month":
        return day.strftime("%Y-%m")
    if unit == "week":
        monday = day - timedelta(days=day.weekday())
        return monday.isoformat()
    return day.isoformat()


def buckets(first: date, last: date, unit: str) -> list[str]:
    """Every bucket from first to last (empty ones too: a chart's gaps are information)."""
    out: list[str] = []
    day = first
    while day <= last:
        key = bucket(day, unit)
        if not out or out[-1] != key:
            out.append(key)
        day += timedelta(days=1)
    return out[-MAX_BUCKETS:]


def _series(rows: list[tuple[str, str, int]], keys: tuple[str, ...]) -> dict[str, Any]:
    """rows of (day, key, count) -> {"unit", "buckets", "series": {key: [count per bucket]}}."""
    days = sorted({date.fromisoformat(d) for d, _, _ in rows if d})
    if not days:
        return {"unit": "day", "buckets": [], "series": {}}
    unit = granularity(days[0], days[-1])
    names = buckets(days[0], days[-1], unit)
    index = {b: i for i, b in enumerate(names)}
    series: dict[str, list[int]] = defaultdict(lambda: [0] * len(names))
    for d, key, n in rows:
        if not d or key not in keys:
            continue
        i = index.get(bucket(date.fromisoformat(d), unit))
        if i is not None:
            series[key][i] += int(n)
    return {"unit": unit, "buckets": names, "series": {k: series[k] for k in keys if k in series}}


def volume_by_label(store: SqlStore) -> dict[str, Any]:
    day = _day(store.dialect)
    stmt = (select(day, item_labels.c.label, func.count())
            .select_from(raw_items.join(item_labels, item_labels.c.raw_id == raw_items.c.id))
            .group_by(day, item_labels.c.label))
    with store.begin() as conn:
        rows = [(str(d), str(k), int(n)) for d, k, n in conn.execute(stmt)]
    return _series(rows, LABELS)


def volume_by_action(store: SqlStore) -> dict[str, Any]:
    day = _day(store.dialect)
    stmt = (select(day, assessments.c.action, func.count())
            .select_from(raw_items.join(assessments, assessments.c.raw_id == raw_items.c.id))
            .group_by(day, assessments.c.action))
    with store.begin() as conn:
        rows = [(str(d), str(k), int(n)) for d, k, n in conn.execute(stmt)]
    return _series(rows, ACTIONS)


def top_channels(store: SqlStore, limit: int = 10) -> list[dict[str, Any]]:
    """Channels by items, with how many carry a harm label."""
    harm = [label.value for label in HARM_LABELS]
    with store.begin() as conn:
        rows = conn.execute(select(raw_items.c.channel, func.count()).where(raw_items.c.channel.is_not(None))
                            .group_by(raw_items.c.channel).order_by(func.count().desc(), raw_items.c.channel)
                            .limit(limit)).all()
        names = [r[0] for r in rows]
        harm_counts: dict[str, int] = dict(conn.execute(
            select(raw_items.c.channel, func.count(func.distinct(raw_items.c.id)))
            .select_from(raw_items.join(item_labels, item_labels.c.raw_id == raw_items.c.id))
            .where(raw_items.c.channel.in_(names), item_labels.c.label.in_(harm))
            .group_by(raw_items.c.channel)).all()) if names else {}
    return [{"channel": c, "items": int(n), "harmful": int(harm_counts.get(c, 0))} for c, n in rows]


def overview(store: SqlStore, now: datetime | None = None) -> dict[str, Any]:
    with store.begin() as conn:
        open_cases = int(conn.execute(select(func.count()).select_from(cases).where(cases.c.status == "open")).scalar_one())
    return {
        "stats": store.stats(),
        "open_cases": open_cases,
        "by_label": volume_by_label(store),
        "by_action": volume_by_action(store),
        "top_channels": top_channels(store),
        "top_entities": [{"key": e["entity_key"], "canonical": e["canonical"], "kind": e["kind"], "items": e["items"]}
                         for e in list_entities(store, limit=10)],
        "alerts": [{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in a.items()}
                   for a in list_alerts(store, limit=10)],
        "floods": flood_alerts(store, active_only=True, limit=10, now=now),
        "crises": [c.as_dict() for c in active_crises(store, now)],
    }
