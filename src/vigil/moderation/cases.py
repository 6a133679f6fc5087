"""The review queue and appeals.

    review decision ─► case (kind review, priority = severity x score, + crisis and flood boosts)
    appeal by the account ─► case (kind appeal)
    moderator: confirm | overturn, with a reason ─► outcome decision (audited), training label,
        review confirmed  ─► block + strike; confirm hooks (e.g. add the item's signals to a bank)
        review overturned ─► allow
        appeal granted (overturn) ─► the decision's strikes removed, account status recomputed
        appeal denied (confirm)   ─► the decision stands

Confirm hooks are how the hash banks learn from moderators: each hook receives the confirmed item
and returns a JSON-ready note that is written into the case's audit record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from vigil.core.errors import InvalidInput, NotFound
from vigil.core.labels import TAXONOMY, Label
from vigil.core.records import Action, Assessment, RawItem
from vigil.moderation import enforcement as enf
from vigil.moderation.audit import AuditChain
from vigil.moderation.banking import BankDesk
from vigil.moderation.decisions import DecisionDraft, write_decision
from vigil.policy.rules import Policy
from vigil.store.codec import inserted_id
from vigil.store.schema import appeals, assessments, cases, decisions, items, raw_items, training_labels
from vigil.store.sql import SqlStore

VERDICTS = ("confirm", "overturn")
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class ConfirmedItem:
    case_id: int
    decision_id: int
    raw: RawItem
    labels: tuple[str, ...]
    moderator: str


ConfirmHook = Callable[[ConfirmedItem], dict[str, Any]]


def review_priority(a: Assessment | None, crisis_boost: float = 0.0, flood: bool = False) -> float:
    """Most severe first: max over harm labels of severity x score, plus boosts."""
    base = 0.0
    if a is not None:
        for label, score in a.scores().items():
            if label != Label.REPORTING.value:
                base = max(base, TAXONOMY[Label(label)].severity * score)
    return round(base + crisis_boost + (1.0 if flood else 0.0), 4)


def open_review_case(conn: Connection, chain: AuditChain, decision_id: int, raw_id: int | None, account_id: str | None,
                     priority: float, now: datetime, kind: str = "review", appeal_id: int | None = None) -> int:
    case_id = inserted_id(conn.execute(cases.insert().values(
        kind=kind, status="open", priority=priority, decision_id=decision_id, raw_id=raw_id, account_id=account_id,
        appeal_id=appeal_id, created_at=now)))
    chain.append("case_opened", case_id, {"case": case_id, "kind": kind, "decision": decision_id,
                                          "priority": priority, "appeal": appeal_id}, now)
    return case_id


def _iso(row: Any) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in dict(row).items()}


def list_cases(store: SqlStore, status: str = "open", kind: str | None = None, limit: int = 50,
               offset: int = 0) -> list[dict[str, Any]]:
    """The queue, most urgent first: priority, then oldest. Each case carries what a moderator needs
    to decide: the text, scores, reasons and the original decision."""
    stmt = (
        select(cases, decisions.c.action.label("decision_action"), decisions.c.reasons, decisions.c.surface,
               decisions.c.top_label, decisions.c.top_score, decisions.c.crisis, decisions.c.flood_id,
               items.c.normalized.label("text"), items.c.language, assessments.c.scores, assessments.c.context)
        .select_from(cases.join(decisions, decisions.c.id == cases.c.decision_id)
                     .outerjoin(items, items.c.raw_id == cases.c.raw_id)
                     .outerjoin(assessments, assessments.c.raw_id == cases.c.raw_id))
        .where(cases.c.status == status)
        .order_by(cases.c.priority.desc(), cases.c.id)
        .limit(limit).offset(offset)
    )
    if kind:
        stmt = stmt.where(cases.c.kind == kind)
    with store.begin() as conn:
        return [_iso(r) for r in conn.execute(stmt).mappings()]


def get_case(store: SqlStore, case_id: int) -> dict[str, Any]:
    with store.begin() as conn:
        row = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
    if row is None:
        raise NotFound("case", case_id, hint="list open cases with GET /v1/cases")
    return _iso(row)


class CaseDesk:
    """Moderator decisions on cases, and appeals."""

    def __init__(self, store: SqlStore, policy: Policy, hooks: Sequence[ConfirmHook] = (),
                 clock: Callable[[], datetime] | None = None, banks: BankDesk | None = None) -> None:
        self.store = store
        self.policy = policy
        self.hooks = list(hooks)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.banks = banks

    def decide(self, case_id: int, verdict: str, reason: str, moderator: str, bank: str | None = None) -> dict[str, Any]:
        """Close an open case with ``verdict`` (confirm | overturn) and a reason. Confirming a review
        case with ``bank`` adds the item's signals to that hash bank (with provenance), so the next
        re-post is matched before any classifier runs.

        Raises:
            InvalidInput: unknown verdict, empty reason, the case is already closed, or ``bank`` given
                for something other than confirming a review case.
            NotFound: no such case, or no such bank.
        """
        if bank is not None:
            if self.banks is None:
                raise InvalidInput("hash banks are not available in this process")
            self.banks.banks.get_bank(bank)  # NotFound before anything is written
        if verdict not in VERDICTS:
            raise InvalidInput(f"unknown verdict {verdict!r}", hint="use confirm or overturn")
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON:
            raise InvalidInput(f"a decision needs a reason of 1 to {MAX_REASON} characters")
        now = self.clock()
        confirmed: ConfirmedItem | None = None
        with self.store.begin_write() as conn, AuditChain(conn) as chain:
            case = conn.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
            if case is None:
                raise NotFound("case", case_id, hint="list open cases with GET /v1/cases")
            if case["status"] != "open":
                raise InvalidInput(f"case {case_id} is already closed ({case['verdict']})")
            if bank is not None and (verdict != "confirm" or case["kind"] != "review" or case["raw_id"] is None):
                raise InvalidInput(f"only confirming a review case of a stored item can add it to bank {bank!r}",
                                   hint="decide without 'bank'")
            original = conn.execute(select(decisions).where(decisions.c.id == case["decision_id"])).mappings().one()
            if case["kind"] == "review":
                outcome, note = self._review(conn, chain, case, original, verdict, now)
            else:
                outcome, note = self._appeal(conn, chain, case, original, verdict, now)
            outcome_id = write_decision(conn, chain, outcome, now)
            if outcome.action is Action.BLOCK and original["account_id"] and case["kind"] == "review":
                note["strike"] = enf.add_strike(conn, original["account_id"], outcome_id, original["top_label"], now)
                change = enf.reassess_status(conn, original["account_id"], now, self.policy.enforcement)
                if change:
                    chain.append("account_status", original["account_id"], {**change, "decision": outcome_id}, now)
                    note["account_status"] = change
            labels = self._training_label(conn, case, original, verdict, moderator, now)
            conn.execute(update(cases).where(cases.c.id == case_id).values(
                status="closed", closed_at=now, verdict=verdict, reason=reason, moderator=moderator,
                outcome_decision_id=outcome_id))
            record = {"case": case_id, "kind": case["kind"], "verdict": verdict, "reason": reason,
                      "moderator": moderator, "decision": case["decision_id"], "outcome": outcome_id, **note}
            chain.append("case_decided", case_id, record, now)
            if verdict == "confirm" and case["kind"] == "review" and case["raw_id"] is not None:
                raw = conn.execute(select(raw_items).where(raw_items.c.id == case["raw_id"])).mappings().one()
                from vigil.store.codec import raw_from_row

                confirmed = ConfirmedItem(case_id, outcome_id, raw_from_row(dict(raw)), tuple(labels), moderator)
        if confirmed is not None and bank is not None and self.banks is not None:
            banked = self.banks.add_confirmed(bank, confirmed.raw, moderator, confirmed.decision_id, confirmed.labels)
            record["banked"] = banked
            from vigil.moderation.audit import append_one

            append_one(self.store, "case_banked", case_id, {"case": case_id, **banked}, now)
        if confirmed is not None and self.hooks:
            record["hooks"] = self._run_hooks(confirmed, now)
        return {**record, "action": outcome.action.value}

    def _review(self, conn: Connection, chain: AuditChain, case: Any, original: Any, verdict: str,
                now: datetime) -> tuple[DecisionDraft, dict[str, Any]]:
        action = Action.BLOCK if verdict == "confirm" else Action.ALLOW
        why = "moderator confirmed" if verdict == "confirm" else "moderator overturned"
        return DecisionDraft("case", original["surface"], action, [f"{why} case {case['id']}"], original["content_digest"],
                             self.policy.id, {"policy": self.policy.id}, account_id=original["account_id"],
                             chat_id=original["chat_id"], raw_id=original["raw_id"],
                             extra={"case": case["id"], "original": original["id"]}), {}

    def _appeal(self, conn: Connection, chain: AuditChain, case: Any, original: Any, verdict: str,
                now: datetime) -> tuple[DecisionDraft, dict[str, Any]]:
        note: dict[str, Any] = {}
        granted = verdict == "overturn"
        conn.execute(update(appeals).where(appeals.c.id == case["appeal_id"]).values(
            status="granted" if granted else "denied", resolved_at=now))
        if granted:
            # The strikes of the appealed decision and of any case that confirmed it.
            related = [original["id"], *[r.outcome_decision_id for r in conn.execute(
                select(cases.c.outcome_decision_id).where(cases.c.decision_id == original["id"],
                                                          cases.c.outcome_decision_id.is_not(None)))]]
            note["strikes_removed"] = enf.remove_strikes(conn, related, f"appeal {case['appeal_id']} granted", now)
            if original["account_id"]:
                change = enf.reassess_status(conn, original["account_id"], now, self.policy.enforcement, lifting=True)
                if change:
                    chain.append("account_status", original["account_id"], {**change, "appeal": case["appeal_id"]}, now)
                    note["account_status"] = change
        action = Action.ALLOW if granted else Action(original["action"])
        why = f"appeal {case['appeal_id']} " + ("granted" if granted else "denied")
        draft = DecisionDraft("appeal", original["surface"], action, [why], original["content_digest"], self.policy.id,
                              {"policy": self.policy.id}, account_id=original["account_id"], chat_id=original["chat_id"],
                              raw_id=original["raw_id"], extra={"case": case["id"], "original": original["id"],
                                                                "appeal": case["appeal_id"]})
        return draft, note

    def _training_label(self, conn: Connection, case: Any, original: Any, verdict: str, moderator: str,
                        now: datetime) -> list[str]:
        """Moderator verdicts become labelled examples: confirm = harmful with the item's labels,
        overturn = not harmful (for an appeal, overturn means the original block was wrong)."""
        if case["raw_id"] is None:
            return []
        harmful = (verdict == "confirm") if case["kind"] == "review" else (verdict == "confirm" and original["action"] != "allow")
        scores = original["scores"] or {}
        labels = sorted(k for k, v in scores.items()
                        if k != Label.REPORTING.value and v >= self.policy.label_threshold) if harmful else []
        if harmful and not labels and original["top_label"]:
            labels = [original["top_label"]]
        conn.execute(training_labels.insert().values(raw_id=case["raw_id"], case_id=case["id"],
                                                     verdict="confirm" if harmful else "overturn", labels=labels,
                                                     moderator=moderator, created_at=now))
        return labels

    def _run_hooks(self, item: ConfirmedItem, now: datetime) -> list[dict[str, Any]]:
        from vigil.moderation.audit import append_one

        notes = []
        for hook in self.hooks:
            try:
                notes.append({"hook": getattr(hook, "__name__", type(hook).__name__), **hook(item)})
            except Exception as exc:  # noqa: BLE001 - a failing hook must not undo the moderator's decision
                notes.append({"hook": getattr(hook, "__name__", "hook"), "error": f"{type(exc).__name__}: {exc}"[:300]})
        append_one(self.store, "case_hooks", item.case_id, {"case": item.case_id, "hooks": notes}, now)
        return notes

    # ---- appeals -----------------------------------------------------------------------------------

    def file_appeal(self, account_id: str, decision_id: int, statement: str | None) -> dict[str, Any]:
        """An account contests a decision about its own message; opens an appeal case.

        Raises:
            NotFound: no decision with that id for that account.
            InvalidInput: the decision allowed the message, or it was already appealed.
        """
        if statement is not None and len(statement) > MAX_REASON:
            raise InvalidInput(f"an appeal statement has at most {MAX_REASON} characters")
        now = self.clock()
        with self.store.begin_write() as conn, AuditChain(conn) as chain:
            d = conn.execute(select(decisions).where(decisions.c.id == decision_id,
                                                     decisions.c.account_id == account_id)).mappings().first()
            if d is None:
                raise NotFound("decision", decision_id, hint=f"the decision must be about a message of account {account_id!r}")
            if d["action"] == Action.ALLOW.value:
                raise InvalidInput(f"decision {decision_id} allowed the message: there is nothing to appeal")
            if conn.execute(select(appeals.c.id).where(appeals.c.decision_id == decision_id)).first():
                raise InvalidInput(f"decision {decision_id} has already been appealed")
            appeal_id = inserted_id(conn.execute(appeals.insert().values(account_id=account_id, decision_id=decision_id,
                                                                 statement=statement, status="open",
                                                                 created_at=now)))
            chain.append("appeal_filed", appeal_id, {"appeal": appeal_id, "account": account_id,
                                                     "decision": decision_id}, now)
            prio = round(enf.severity(d["top_label"]) * float(d["top_score"] or 0.0), 4)
            case_id = open_review_case(conn, chain, decision_id, d["raw_id"], account_id, prio, now,
                                       kind="appeal", appeal_id=appeal_id)
            conn.execute(update(appeals).where(appeals.c.id == appeal_id).values(case_id=case_id))
        return {"appeal_id": appeal_id, "case_id": case_id, "decision_id": decision_id, "status": "open"}

    def appeals_for(self, account_id: str) -> list[dict[str, Any]]:
        with self.store.begin() as conn:
            rows = conn.execute(select(appeals).where(appeals.c.account_id == account_id).order_by(appeals.c.id)).mappings()
            return [_iso(r) for r in rows]
