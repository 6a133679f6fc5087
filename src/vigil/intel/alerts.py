"""Alerts: watch rules evaluated as each batch is saved, stored, then sent to the webhook.

Per-item rules (entity, term, label, channel, score) produce one alert per matching item; spike
rules compare the volume in the window ending at the batch's newest item with the baseline before
it. Alerts are written in the batch's transaction with ``delivery = pending`` (``off`` for rules
with notification off, or when no webhook is configured); after the commit, pending alerts are sent
(at most ``MAX_SEND_PER_BATCH`` per batch, so a flood cannot stall a scan); what could not be sent
stays ``failed`` or ``pending`` for `vigil alerts send`.

Where it sits: a `SaveHook` built by `vigil.intel.hooks.intel_hooks`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from vigil.core.records import Assessment
from vigil.core.settings import Settings
from vigil.intel.watch import WatchRule, matches
from vigil.intel.webhook import WebhookNotifier, notifier_from_settings
from vigil.store import alerts_sql
from vigil.store.base import SaveHook

MAX_SEND_PER_BATCH = 100
MAX_ALERTS_PER_RULE_PER_BATCH = 1000  # the rest of a flood is counted in the last alert's details


def alert_payload(row: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body sent to the webhook for one stored alert."""
    keys = ("id", "rule_name", "kind", "raw_id", "summary", "details", "created_at", "source", "source_id")
    return {"alert": {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items() if k in keys}}


def deliver(store: Any, notifier: WebhookNotifier, limit: int = MAX_SEND_PER_BATCH) -> dict[str, int]:
    """Send pending and failed alerts; record each outcome. Returns counts of sent and failed."""
    counts = {"sent": 0, "failed": 0}
    for row in alerts_sql.pending(store, limit):
        result = notifier.send(alert_payload(row))
        alerts_sql.mark_delivery(store, row["id"], result.ok, result.attempts, result.error)
        counts["sent" if result.ok else "failed"] += 1
    return counts


class AlertHook(SaveHook):
    def __init__(self, settings: Settings, label_threshold: float = 0.5, env: Mapping[str, str] | None = None,
                 notifier: WebhookNotifier | None = None, store: Any = None) -> None:
        self.label_threshold = label_threshold
        # Without the environment (a library caller, a stream worker) the webhook cannot be resolved
        # here: alerts are still stored 'pending' when a webhook is configured, for `vigil alerts send`.
        self.notifier = notifier if notifier is not None else (
            notifier_from_settings(settings, env) if env is not None else None)
        self.webhook_configured = self.notifier is not None or bool(settings.alert_webhook_env)
        self.store = store  # set by the pipeline: delivery after commit needs it
        self._new = 0

    def needs_every_item(self) -> bool:
        """Term, channel and volume rules look at items that carry no label."""
        if self.store is None:
            return True
        with self.store.begin() as conn:
            return any(rule.kind != "label" and rule.kind != "entity" for rule in alerts_sql.enabled_rules(conn))

    def apply(self, conn: Any, batch: Sequence[Assessment], prepared: Any) -> None:
        rules = alerts_sql.enabled_rules(conn)
        if not rules or not batch:
            return
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = []
        for rule in rules:
            if rule.kind == "spike":
                rows.extend(self._spike(conn, rule, batch, now))
            else:
                rows.extend(self._per_item(rule, batch, now))
        for rule_id in {r.id for r in rules if r.id is not None and any(row["rule_id"] == r.id for row in rows)}:
            alerts_sql.fired(conn, rule_id, now)
        alerts_sql.insert_alerts(conn, rows)
        self._new += sum(1 for r in rows if r["delivery"] == "pending")

    def _row(self, rule: WatchRule, raw_id: int | None, summary: str, details: dict[str, Any], now: datetime) -> dict[str, Any]:
        delivery = "pending" if rule.notify and self.webhook_configured else "off"
        return {"rule_id": rule.id, "rule_name": rule.name, "kind": rule.kind, "raw_id": raw_id,
                "summary": summary[:500], "details": details, "created_at": now, "delivery": delivery}

    def _per_item(self, rule: WatchRule, batch: Sequence[Assessment], now: datetime) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        extra = 0
        for a in batch:
            why = matches(rule, a, self.label_threshold)
            if why is None:
                continue
            if len(out) >= MAX_ALERTS_PER_RULE_PER_BATCH:
                extra += 1
                continue
            raw = a.item.raw
            where = raw.channel or raw.source
            out.append(self._row(rule, raw.id, f"{rule.name}: {rule.describe()} in {where}/{raw.source_id}",
                                 {"match": why, "action": a.action.value, "scores": a.scores()}, now))
        if extra:
            out[-1]["details"]["more_matches_not_alerted"] = extra
        return out

    def _spike(self, conn: Any, rule: WatchRule, batch: Sequence[Assessment], now: datetime) -> list[dict[str, Any]]:
        end = max((a.item.raw.published_at or a.item.raw.received_at) for a in batch) + timedelta(microseconds=1)
        window = timedelta(hours=rule.window_hours or 24)
        if rule.last_fired_at and rule.last_fired_at > now - window:
            return []
        count = alerts_sql.count_items(conn, end - window, end, rule.label, rule.value, self.label_threshold)
        if count < (rule.min_count or 1):
            return []
        days = rule.baseline_days or 7
        base_total = alerts_sql.count_items(conn, end - window - timedelta(days=days), end - window, rule.label,
                                            rule.value, self.label_threshold)
        windows = max(1.0, timedelta(days=days) / window)
        baseline = base_total / windows
        if count < (rule.factor or 3.0) * max(baseline, 1.0 / windows):
            return []
        details = {"count": count, "window_hours": rule.window_hours, "baseline_per_window": round(baseline, 3),
                   "factor": rule.factor, "window_end": end.isoformat()}
        return [self._row(rule, None, f"{rule.name}: {count} items in {rule.window_hours} h "
                                      f"(baseline {baseline:.1f})", details, now)]

    def committed(self) -> None:
        if self._new and self.notifier is not None and self.store is not None:
            self._new = 0
            deliver(self.store, self.notifier)
