"""Decision records: one row per moderation decision, linked to its audit record.

The row is for queries (an account's history, a case's origin); the audit record is the evidence:
canonical JSON with the action, reasons, scores, evidence spans, matches, the model, policy and bank
versions, and any crisis, flood or enforcement that shaped it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from vigil.core.labels import HARM_LABELS
from vigil.core.records import Action, Assessment
from vigil.moderation.audit import AuditChain
from vigil.store.bulk import BulkWriter
from vigil.store.codec import evidence_json, plain
from vigil.store.schema import decisions
from vigil.store.sql import SqlStore


def content_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def top_harm(a: Assessment | None) -> tuple[str | None, float]:
    if a is None:
        return None, 0.0
    scores = a.scores()
    harm = [(label.value, scores[label.value]) for label in HARM_LABELS if label.value in scores]
    return max(harm, key=lambda kv: kv[1]) if harm else (None, 0.0)


@dataclass
class DecisionDraft:
    """Everything a decision row and its audit record hold, before ids are known."""

    origin: str  # moderate | batch | case | appeal
    surface: str
    action: Action
    reasons: list[str]
    content_digest: str
    policy: str | None
    versions: dict[str, str] = field(default_factory=dict)
    assessment: Assessment | None = None
    account_id: str | None = None
    chat_id: str | None = None
    raw_id: int | None = None
    enforcement: str | None = None
    crisis: str | None = None
    flood_id: int | None = None
    latency_ms: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    content_action: Action | None = None  # what the content alone called for, before account restrictions

    def audit_data(self, decision_id: int) -> dict[str, Any]:
        a = self.assessment
        label, score = top_harm(a)
        data: dict[str, Any] = {
            "decision": decision_id, "origin": self.origin, "account": self.account_id, "chat": self.chat_id,
            "surface": self.surface, "content_sha256": self.content_digest, "raw_id": self.raw_id,
            "action": self.action.value, "reasons": self.reasons, "policy": self.policy, "versions": self.versions,
            "top_label": label, "top_score": round(score, 4), "enforcement": self.enforcement,
            "crisis": self.crisis, "flood": self.flood_id,
        }
        if self.content_action is not None:
            data["content_action"] = self.content_action.value
        if a is not None:
            data["scores"] = {k: round(v, 4) for k, v in sorted(a.scores().items())}
            data["evidence"] = [{"label": ls.label.value, "classifier": ls.classifier, "tier": ls.tier, **evidence_json(e)}
                                for ls in a.labels for e in ls.evidence]
            data["matches"] = [plain(m) for m in a.matches]
            data["tier"] = a.tier
            if a.context is not None:
                data["context"] = {"reporting": round(a.context.reporting, 4), "source_type": a.context.source_type,
                                   "quotes": [{"speaker": q.speaker, "start": q.start, "end": q.end} for q in a.context.quotes]}
        data.update(self.extra)
        return data


def write_decision(conn: Connection, chain: AuditChain, d: DecisionDraft, now: datetime) -> int:
    """Insert the decision row and chain its audit record; returns the decision id."""
    label, score = top_harm(d.assessment)
    # every send writes one: on the driver (store/bulk.py says why)
    decision_id = BulkWriter.for_dialect(conn.dialect.name).insert_one(conn, decisions, {
        "created_at": now, "origin": d.origin, "account_id": d.account_id, "chat_id": d.chat_id, "surface": d.surface,
        "raw_id": d.raw_id, "content_digest": d.content_digest, "action": d.action.value, "top_label": label,
        "top_score": score, "scores": {k: round(v, 4) for k, v in d.assessment.scores().items()} if d.assessment else None,
        "reasons": d.reasons, "enforcement": d.enforcement, "policy": d.policy, "versions": d.versions or None,
        "crisis": d.crisis, "flood_id": d.flood_id, "latency_ms": d.latency_ms, "audit_seq": chain.next_seq,
    })
    if decision_id is None:
        raise RuntimeError("inserting a decision returned no id")
    chain.append("decision", decision_id, d.audit_data(decision_id), now)
    return decision_id


def get_decision(store: SqlStore, decision_id: int) -> dict[str, Any] | None:
    with store.begin() as conn:
        row = conn.execute(select(decisions).where(decisions.c.id == decision_id)).mappings().first()
    return _row(row) if row else None


def item_decisions(store: SqlStore, raw_id: int) -> list[dict[str, Any]]:
    with store.begin() as conn:
        rows = conn.execute(select(decisions).where(decisions.c.raw_id == raw_id).order_by(decisions.c.id)).mappings().all()
    return [_row(r) for r in rows]


def account_history(store: SqlStore, account_id: str, limit: int = 50) -> list[dict[str, Any]]:
    with store.begin() as conn:
        rows = conn.execute(select(decisions).where(decisions.c.account_id == account_id)
                            .order_by(decisions.c.id.desc()).limit(limit)).mappings().all()
    return [_row(r) for r in rows]


def _row(row: Any) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
