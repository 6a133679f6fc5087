"""Review cases for items that came in by a scan.

`vigil scan` stores and assesses channel exports, feeds and files but writes no decisions: nothing
was sent, so there is no one to block. When the policy says an item needs a human (``review``, or
also ``block`` for a retrospective check of what a scan found), a moderator should still see it.
`queue_stored` gives each such item a ``batch`` decision (audited, like `POST /v1/items`) and an open
review case, once: items that already have a decision are left alone, so running it again after
the next scan only adds the new items.

Where it sits: `vigil cases queue`; uses the same decision, audit and case writers as the service.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from vigil.core.labels import Label
from vigil.core.records import Action, Assessment, Item, LabelScore
from vigil.moderation.audit import AuditChain
from vigil.moderation.cases import open_review_case, review_priority
from vigil.moderation.decisions import DecisionDraft, content_digest, write_decision
from vigil.store.codec import raw_from_row
from vigil.store.schema import assessments, decisions, items, raw_items
from vigil.store.sql import SqlStore

_LABELS = {label.value for label in Label}


def stored_assessment(raw_row: Any, assessed: Any, normalized: str) -> Assessment:
    """The stored label scores as an `Assessment` (no re-run of the classifiers): enough for the
    decision's scores and the case's priority, which is all a batch decision records."""
    labels = tuple(LabelScore(Label(ls["label"]), float(ls["score"]), str(ls.get("classifier", "stored")), int(ls.get("tier", 1)))
                   for ls in (assessed["labels"] or []) if ls.get("label") in _LABELS)
    raw = raw_from_row(raw_row)
    return Assessment(item=Item(raw=raw, text=raw.text, normalized=normalized, folded=normalized), labels=labels,
                      versions=dict(assessed["versions"] or {}))


def queue_stored(store: SqlStore, actions: Sequence[str] = ("review",), surface: str = "default", limit: int = 10_000,
                 clock: Callable[[], datetime] | None = None) -> dict[str, Any]:
    """Open a review case for each stored item whose assessed action is in ``actions`` and that has
    no decision yet; returns how many were queued, by action."""
    wanted = [Action(a).value for a in actions]
    now = (clock or (lambda: datetime.now(UTC)))()
    decided = select(decisions.c.raw_id).where(decisions.c.raw_id.is_not(None))
    stmt = (
        select(raw_items, assessments.c.action.label("assessed_action"), assessments.c.labels.label("assessed_labels"),
               assessments.c.reasons.label("assessed_reasons"), assessments.c.policy.label("assessed_policy"),
               assessments.c.versions.label("assessed_versions"), items.c.normalized)
        .select_from(raw_items.join(assessments, assessments.c.raw_id == raw_items.c.id)
                     .join(items, items.c.raw_id == raw_items.c.id))
        .where(assessments.c.action.in_(wanted), raw_items.c.id.not_in(decided))
        .order_by(raw_items.c.id).limit(limit)
    )
    queued: dict[str, int] = {}
    case_ids: list[int] = []
    with store.begin_write() as conn, AuditChain(conn) as chain:
        for row in conn.execute(stmt).mappings().all():
            assessed = {"labels": row["assessed_labels"], "versions": row["assessed_versions"]}
            a = stored_assessment(row, assessed, row["normalized"])
            action = Action(row["assessed_action"])
            draft = DecisionDraft("batch", surface, action, [*(row["assessed_reasons"] or []), "queued for review after a scan"],
                                  content_digest(row["text"]), row["assessed_policy"], dict(a.versions), assessment=a,
                                  account_id=row["author_id"], chat_id=row["channel"], raw_id=row["id"])
            decision_id = write_decision(conn, chain, draft, now)
            case_ids.append(open_review_case(conn, chain, decision_id, row["id"], row["author_id"], review_priority(a), now))
            queued[action.value] = queued.get(action.value, 0) + 1
    return {"queued": sum(queued.values()), "by_action": queued, "cases": case_ids}
