"""Watch rules and alerts in the database.

Where it sits: `vigil.intel.alerts` evaluates rules inside the save transaction (``conn``
functions); the CLI manages rules and lists alerts through the `SqlStore` functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from vigil.core.errors import InvalidInput, NotFound
from vigil.intel.watch import WatchRule
from vigil.store.codec import inserted_id
from vigil.store.schema import item_labels, raw_items
from vigil.store.schema_intel import alerts, entity_mentions, watch_rules

_RULE_FIELDS = ("name", "kind", "value", "label", "threshold", "window_hours", "baseline_days", "factor",
                "min_count", "enabled", "notify")


def rule_from_row(row: Any) -> WatchRule:
    return WatchRule(**{f: getattr(row, f) for f in _RULE_FIELDS}, id=row.id, last_fired_at=row.last_fired_at)


def enabled_rules(conn: Connection) -> list[WatchRule]:
    return [rule_from_row(r) for r in conn.execute(select(watch_rules).where(watch_rules.c.enabled.is_(True)))]


def add_rule(store: Any, rule: WatchRule) -> WatchRule:
    values = {k: v for k, v in asdict(rule).items() if k in _RULE_FIELDS}
    try:
        with store.begin() as conn:
            rid = inserted_id(conn.execute(watch_rules.insert().values(**values, created_at=datetime.now(UTC))))
    except IntegrityError as exc:
        raise InvalidInput(f"a watch rule named {rule.name!r} already exists",
                           hint="pick another name or remove the old rule with `vigil watch remove`") from exc
    return WatchRule(**values, id=rid)


def list_rules(store: Any) -> list[WatchRule]:
    with store.begin() as conn:
        return [rule_from_row(r) for r in conn.execute(select(watch_rules).order_by(watch_rules.c.id))]


def remove_rule(store: Any, key: str) -> None:
    where = watch_rules.c.id == int(key) if key.isdigit() else watch_rules.c.name == key
    with store.begin() as conn:
        if not conn.execute(delete(watch_rules).where(where)).rowcount:
            raise NotFound("watch rule", key, hint="list rules with `vigil watch list`")


def fired(conn: Connection, rule_id: int, when: datetime) -> None:
    conn.execute(update(watch_rules).where(watch_rules.c.id == rule_id).values(last_fired_at=when))


def insert_alerts(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[int]:
    ids = []
    for row in rows:
        ids.append(inserted_id(conn.execute(alerts.insert().values(**row))))
    return ids


def count_items(conn: Connection, since: datetime, until: datetime, label: str | None, entity: str | None,
                min_score: float) -> int:
    """Items dated in [since, until) carrying ``label`` and/or mentioning entity key or name ``entity``."""
    when = func.coalesce(raw_items.c.published_at, raw_items.c.received_at)
    stmt = select(func.count()).select_from(raw_items).where(when >= since, when < until)
    if label:
        stmt = stmt.where(raw_items.c.id.in_(
            select(item_labels.c.raw_id).where(item_labels.c.label == label, item_labels.c.score >= min_score)))
    if entity:
        want = entity.casefold()
        stmt = stmt.where(raw_items.c.id.in_(
            select(entity_mentions.c.raw_id).where(
                (func.lower(entity_mentions.c.entity_key) == want) | (func.lower(entity_mentions.c.canonical) == want)
                | (func.lower(entity_mentions.c.text) == want))))
    return int(conn.execute(stmt).scalar_one())


def pending(store: Any, limit: int) -> list[dict[str, Any]]:
    with store.begin() as conn:
        rows = conn.execute(
            select(alerts, raw_items.c.source, raw_items.c.source_id)
            .select_from(alerts.outerjoin(raw_items, raw_items.c.id == alerts.c.raw_id))
            .where(alerts.c.delivery.in_(("pending", "failed"))).order_by(alerts.c.id).limit(limit)
        ).mappings().all()
    return [dict(r) for r in rows]


def mark_delivery(store: Any, alert_id: int, ok: bool, attempts: int, error: str | None) -> None:
    values: dict[str, Any] = {"delivery": "sent" if ok else "failed", "attempts": alerts.c.attempts + attempts,
                              "last_error": None if ok else (error or "")[:500]}
    if ok:
        values["delivered_at"] = datetime.now(UTC)
    with store.begin() as conn:
        conn.execute(update(alerts).where(alerts.c.id == alert_id).values(**values))


def list_alerts(store: Any, limit: int = 100, rule: str | None = None, delivery: str | None = None) -> list[dict[str, Any]]:
    stmt = (
        select(alerts, raw_items.c.source, raw_items.c.source_id)
        .select_from(alerts.outerjoin(raw_items, raw_items.c.id == alerts.c.raw_id))
        .order_by(alerts.c.id.desc()).limit(limit)
    )
    if rule:
        stmt = stmt.where(alerts.c.rule_name == rule)
    if delivery:
        stmt = stmt.where(alerts.c.delivery == delivery)
    with store.begin() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]
