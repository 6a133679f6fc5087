"""Flood quarantine: a burst of near-identical blocked sends from many (often new) accounts.

Near-identical is judged on the hash banks' ``text_near`` MinHash signal (`fingerprint.py`), so an
alert's stored signature can be added to a ``text_near`` bank as it is.

    blocked send ─► fingerprint(folded) ─► nearest open cluster (similarity >= flood.similarity)
        └─ cluster score = sum of distinct senders' weights (new account: new_account_weight, else 1)
           score >= flood.min_score within window_s  ─► stored alert + audit record
    any send ─► near an active alert? ─► at least flood.action ("held"), counted on the alert

Clusters of recent blocked sends are kept in this process's memory (bounded); alerts are stored and
re-read from the store every ``refresh_s`` seconds, so every worker holds near-duplicates of an alert
any worker raised. With several worker processes, each counts only the sends it saw, so a burst spread
over N workers needs about N times the score to alert from counts alone: a multi-process deployment
that wants exact counts should share the cluster counts (e.g. Redis or a PostgreSQL table), see the
README's deployment notes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, select

from vigil.moderation.fingerprint import Fingerprint, fingerprint, similarities
from vigil.policy.sections import FloodRules
from vigil.store.bulk import BulkWriter
from vigil.store.codec import inserted_id
from vigil.store.schema import flood_alerts
from vigil.store.sql import SqlStore

MAX_CLUSTERS = 5000
_COUNT_HELD = "UPDATE flood_alerts SET held = held + 1 WHERE id = ?"


@dataclass
class Cluster:
    fp: Fingerprint
    first_seen: datetime
    last_seen: datetime
    label: str | None
    senders: dict[str, float] = field(default_factory=dict)
    messages: int = 0
    alerted: bool = False

    @property
    def score(self) -> float:
        return sum(self.senders.values())


@dataclass(frozen=True)
class Alert:
    id: int
    fp: Fingerprint
    expires_at: datetime
    label: str | None


@dataclass(frozen=True)
class _AlertTable:
    """The active alerts as arrays, rebuilt when the list changes: while an alert is active every send
    is compared with all of them, and stacking their signatures per send cost more than the comparison."""

    alerts: tuple[Alert, ...]
    signatures: npt.NDArray[np.uint32]
    expires: npt.NDArray[np.float64]  # POSIX seconds
    first_expiry: float = 0.0
    last_expiry: float = 0.0

    @classmethod
    def of(cls, alerts: list[Alert]) -> _AlertTable:
        if not alerts:
            return _NO_ALERTS
        expires = np.array([a.expires_at.timestamp() for a in alerts], dtype=np.float64)
        return cls(tuple(alerts), np.stack([a.fp.signature for a in alerts]), expires,
                   float(expires.min()), float(expires.max()))


_NO_ALERTS = _AlertTable((), np.zeros((0, 0), dtype=np.uint32), np.zeros(0))


class FloodGuard:
    def __init__(self, store: SqlStore, rules: FloodRules, refresh_s: float = 2.0) -> None:
        self.store = store
        self.rules = rules
        self.refresh_s = refresh_s
        self._clusters: list[Cluster] = []
        self._table = _NO_ALERTS  # the active alerts, as arrays; replaced, never changed in place
        self._loaded = -1e9
        self._lock = threading.Lock()

    # ---- alerts (shared through the store) -------------------------------------------------------

    def refresh(self, now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        with self.store.begin() as conn:
            rows = conn.execute(select(flood_alerts.c.id, flood_alerts.c.signature, flood_alerts.c.expires_at,
                                       flood_alerts.c.label).where(flood_alerts.c.expires_at > now)).all()
        alerts = [Alert(r.id, Fingerprint.decode(r.signature), r.expires_at, r.label) for r in rows]
        with self._lock:
            self._table, self._loaded = _AlertTable.of(alerts), time.monotonic()

    def holding(self, folded: str, now: datetime) -> Alert | None:
        """The active alert the text is a near-duplicate of, if any (fingerprinted only while an
        alert is active: most of the time there is none and this costs nothing)."""
        if time.monotonic() - self._loaded > self.refresh_s:
            self.refresh(now)
        table = self._table  # one read: another thread may replace it
        if not table.alerts:
            return None
        at = now.timestamp()
        if table.last_expiry <= at:
            return None
        fp = fingerprint(folded)
        if fp is None:
            return None
        sims = similarities(fp, table.signatures)
        if table.first_expiry <= at:  # some have expired since the last refresh
            sims = np.where(table.expires > at, sims, -1.0)
        best = int(np.argmax(sims))
        return table.alerts[best] if sims[best] >= self.rules.similarity else None

    # ---- bursts (counted in this process) --------------------------------------------------------

    def observe(self, fp: Fingerprint | None, account_id: str | None, is_new: bool, label: str | None,
                now: datetime) -> Cluster | None:
        """Count a blocked send. Returns its cluster when this send makes it cross the alert score."""
        if fp is None or account_id is None:
            return None
        window = timedelta(seconds=self.rules.window_s)
        with self._lock:
            self._clusters = [c for c in self._clusters if now - c.last_seen <= window]
            cluster = None
            if self._clusters:
                sims = similarities(fp, np.stack([c.fp.signature for c in self._clusters]))
                best = int(np.argmax(sims))
                if sims[best] >= self.rules.similarity:
                    cluster = self._clusters[best]
            if cluster is None:
                if len(self._clusters) >= MAX_CLUSTERS:
                    self._clusters.sort(key=lambda c: c.last_seen)
                    del self._clusters[: MAX_CLUSTERS // 10]
                cluster = Cluster(fp, now, now, label)
                self._clusters.append(cluster)
            cluster.last_seen = now
            cluster.messages += 1
            weight = self.rules.new_account_weight if is_new else 1.0
            cluster.senders[account_id] = max(cluster.senders.get(account_id, 0.0), weight)
            if not cluster.alerted and cluster.score >= self.rules.min_score:
                cluster.alerted = True
                return cluster
        return None

    def store_alert(self, conn: Connection, cluster: Cluster, decision_id: int, now: datetime) -> dict[str, Any]:
        """Write the alert inside the caller's transaction and start holding its near-duplicates."""
        new = sum(1 for w in cluster.senders.values() if w > 1.0)
        expires = now + timedelta(seconds=self.rules.duration_s)
        alert_id = inserted_id(conn.execute(flood_alerts.insert().values(
            signature=cluster.fp.encode(), label=cluster.label, accounts=len(cluster.senders), new_accounts=new,
            messages=cluster.messages, first_seen=cluster.first_seen, raised_at=now, expires_at=expires,
            example_decision_id=decision_id)))
        with self._lock:
            self._table = _AlertTable.of([*self._table.alerts, Alert(int(alert_id), cluster.fp, expires, cluster.label)])
        return {"flood": int(alert_id), "accounts": len(cluster.senders), "new_accounts": new,
                "messages": cluster.messages, "score": round(cluster.score, 2), "label": cluster.label,
                "first_seen": cluster.first_seen.isoformat(), "expires_at": expires.isoformat()}

    @staticmethod
    def count_held(conn: Connection, alert_id: int) -> None:
        # on the driver: during a flood most sends are held, and a Core statement costs ~50 µs of Python
        BulkWriter.for_dialect(conn.dialect.name).execute(conn, _COUNT_HELD, (alert_id,))


def list_alerts(store: SqlStore, active_only: bool = False, limit: int = 100,
                now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or datetime.now(UTC)
    stmt = select(*[c for c in flood_alerts.c if c.name != "signature"]).order_by(flood_alerts.c.id.desc()).limit(limit)
    if active_only:
        stmt = stmt.where(flood_alerts.c.expires_at > now)
    with store.begin() as conn:
        rows = conn.execute(stmt).mappings().all()
    return [{**{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items()},
             "active": r["expires_at"] > now} for r in rows]
