"""A review case with everything a moderator needs to decide it: the item (text, marked evidence,
quotes and speakers, glossary notes, scores, bank matches), the decision that opened the case, the
account's standing and history, the author's other items, an appeal's statement, an escalation.

Where it sits: the dashboard's review page reads it; the API's `GET /v1/cases` stays the lean list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from vigil.intel.item_view import Glosser, item_view
from vigil.moderation import enforcement as enf
from vigil.moderation.cases import get_case
from vigil.moderation.decisions import account_history, get_decision
from vigil.moderation.escalation import escalations
from vigil.policy.sections import EnforcementRules
from vigil.store.schema import appeals, assessments, raw_items
from vigil.store.sql import SqlStore

HISTORY = 20


def author_items(store: SqlStore, author_id: str | None, author: str | None, exclude: int | None,
                 limit: int = HISTORY) -> dict[str, Any]:
    """The other stored items of the same author (scanned exports have authors, not platform
    accounts): how many, by action, and the latest."""
    if not author_id and not author:
        return {"total": 0, "by_action": {}, "latest": []}
    who = raw_items.c.author_id == author_id if author_id else raw_items.c.author == author
    base = raw_items.outerjoin(assessments, assessments.c.raw_id == raw_items.c.id)
    with store.begin() as conn:
        by_action: dict[str | None, int] = dict(conn.execute(select(assessments.c.action, func.count()).select_from(base).where(who)
                                      .group_by(assessments.c.action)).all())
        latest = conn.execute(
            select(raw_items.c.id, raw_items.c.channel, raw_items.c.published_at, raw_items.c.received_at,
                   func.substr(raw_items.c.text, 1, 160).label("excerpt"), assessments.c.action, assessments.c.top_label)
            .select_from(base).where(who, raw_items.c.id != (exclude or -1))
            .order_by(raw_items.c.id.desc()).limit(limit)).mappings().all()
    return {"total": sum(by_action.values()), "by_action": {str(k): v for k, v in by_action.items()},
            "latest": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in latest]}


def case_file(store: SqlStore, case_id: int, rules: EnforcementRules, glosser: Glosser | None = None,
              label_threshold: float = 0.5) -> dict[str, Any]:
    """Raises NotFound for an unknown case."""
    case = get_case(store, case_id)
    out: dict[str, Any] = {"case": case, "decision": get_decision(store, case["decision_id"]),
                           "escalation": escalations(store, [case_id]).get(case_id)}
    view = item_view(store, case["raw_id"], glosser, label_threshold) if case["raw_id"] else None
    out["view"] = view
    account = case["account_id"]
    out["account"] = None
    if account:
        with store.begin() as conn:
            out["account"] = enf.account_view(conn, account, rules)
        out["account_history"] = [d for d in account_history(store, account, HISTORY) if d["id"] != case["decision_id"]]
    else:
        out["account_history"] = []
    raw = view["item"] if view else {}
    out["author"] = author_items(store, raw.get("author_id"), raw.get("author"), case["raw_id"])
    if case["appeal_id"]:
        with store.begin() as conn:
            row = conn.execute(select(appeals.c.statement, appeals.c.status).where(appeals.c.id == case["appeal_id"])).first()
        out["appeal"] = {"statement": row.statement, "status": row.status} if row else None
    return out
