"""Escalating a review case: a moderator who cannot decide hands the case on with a reason.

    escalate(case, reason) ─► escalation row (who, why, priority before) + audit record
                           ─► priority + ESCALATION_BOOST (above any case that was not escalated)

The case stays open in the queue; it is decided (confirm or overturn) like any other, by whoever
takes it next. A case is escalated at most once.

Where it sits: beside `cases.CaseDesk`; the dashboard's review queue calls it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from vigil.core.errors import InvalidInput, NotFound
from vigil.moderation.audit import AuditChain
from vigil.moderation.cases import MAX_REASON
from vigil.store.schema import cases
from vigil.store.schema_web import case_escalations
from vigil.store.sql import SqlStore

# Severity x score tops out at 5, crisis and flood boosts add a few: 10 puts escalations first.
ESCALATION_BOOST = 10.0


def escalate(store: SqlStore, case_id: int, reason: str, moderator: str,
             clock: Callable[[], datetime] | None = None) -> dict[str, Any]:
    """Escalate an open case.

    Raises:
        NotFound: no such case.
        InvalidInput: empty or overlong reason, a closed case, or one already escalated.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput(f"an escalation needs a reason of 1 to {MAX_REASON} characters")
    now = (clock or (lambda: datetime.now(UTC)))()
    with store.begin_write() as conn, AuditChain(conn) as chain:
        case = conn.execute(select(cases.c.id, cases.c.status, cases.c.priority).where(cases.c.id == case_id)).first()
        if case is None:
            raise NotFound("case", case_id, hint="open cases are listed in the review queue")
        if case.status != "open":
            raise InvalidInput(f"case {case_id} is already closed")
        if conn.execute(select(case_escalations.c.id).where(case_escalations.c.case_id == case_id)).first():
            raise InvalidInput(f"case {case_id} is already escalated")
        priority = round(float(case.priority) + ESCALATION_BOOST, 4)
        conn.execute(case_escalations.insert().values(case_id=case_id, reason=reason, moderator=moderator,
                                                      priority_before=case.priority, created_at=now))
        conn.execute(update(cases).where(cases.c.id == case_id).values(priority=priority))
        record = {"case": case_id, "reason": reason, "moderator": moderator, "priority": priority}
        chain.append("case_escalated", case_id, record, now)
    return record


def escalations(store: SqlStore, case_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The escalation of each of ``case_ids`` that has one."""
    if not case_ids:
        return {}
    with store.begin() as conn:
        rows = conn.execute(select(case_escalations).where(case_escalations.c.case_id.in_(list(case_ids)))).mappings()
        return {r["case_id"]: {"reason": r["reason"], "moderator": r["moderator"],
                               "at": r["created_at"].isoformat()} for r in rows}
