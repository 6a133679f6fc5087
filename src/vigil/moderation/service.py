"""`ModerationService`: what a platform calls before delivering each message, and the batch intake.

    send ─► account banned? ─► block at once (no classifier)        ┐
         ─► restricted on this surface? ─► block at once            │
         ─► Assessor (normalize, match, classify, context, extract, policy)
         ─► crisis: related to an active incident? re-decide with tightened thresholds
         ─► flood: near-duplicate of an active flood alert? hold at least at flood.action
         ─► one write transaction: item (kept unless allowed), decision, audit record,
            strike and account status, review case, flood alert               ┘─► result

An allowed message's text is not kept (only its SHA-256 in the decision and audit record): a
send-time filter sees private chats, and there is nothing to review or appeal about an allowed message.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from vigil.assess import Assessor
from vigil.core.errors import InvalidInput
from vigil.core.jsonenc import dumps_bytes
from vigil.core.records import Action, Assessment, ContentKind, Decision, MediaRef, RawItem
from vigil.core.settings import Settings
from vigil.moderation import enforcement as enf
from vigil.moderation.audit import AuditChain
from vigil.moderation.batcher import AssessBatcher
from vigil.moderation.cases import open_review_case, review_priority
from vigil.moderation.crisis import CrisisWatch
from vigil.moderation.decisions import DecisionDraft, content_digest, top_harm, write_decision
from vigil.moderation.fingerprint import fingerprint
from vigil.moderation.flood import FloodGuard
from vigil.moderation.writer import GroupWriter, Job, LoopWriter
from vigil.pipeline import bank_matcher
from vigil.policy.rules import Policy
from vigil.stages import StageFailure
from vigil.store.sql import HeldConnection, SqlStore

MAX_ID_CHARS = 256


@dataclass(frozen=True, slots=True)
class _Admitted:
    """A send that passed the pre-assessment checks and is to be assessed."""

    raw: RawItem
    state: enf.AccountState | None
    status: str
    now: datetime
    digest: str


@dataclass(frozen=True, slots=True)
class ModerationRequest:
    account_id: str
    chat_id: str
    surface: str
    text: str
    media: tuple[MediaRef, ...] = ()
    account_created_at: datetime | None = None


@dataclass
class ModerationResult:
    decision_id: int
    action: Action
    reasons: list[str]
    assessment: Assessment | None
    account_status: str
    enforcement: str | None = None
    crisis: str | None = None
    flood_id: int | None = None
    case_id: int | None = None
    item_id: int | None = None
    strike: dict[str, Any] | None = None
    policy: str | None = None
    latency_ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _check_id(value: str, what: str) -> str:
    if not value or len(value) > MAX_ID_CHARS:
        raise InvalidInput(f"{what} must have 1 to {MAX_ID_CHARS} characters, got {len(value)}")
    return value


class ModerationService:
    def __init__(self, settings: Settings, store: SqlStore, assessor: Assessor | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.settings = settings
        self.store = store
        # Send time is the millisecond path: the heavier stages follow their api_* settings.
        send_time = settings.replace(tier2=settings.api_tier2, extract=settings.api_extract)
        self.assessor = assessor or Assessor(send_time, matcher=bank_matcher(store))
        self.policy: Policy = self.assessor.policy
        self.clock = clock or (lambda: datetime.now(UTC))
        self.crises = CrisisWatch(store)
        self.flood = FloodGuard(store, self.policy.flood)
        self.batcher = AssessBatcher(self.assessor)
        self.writer = GroupWriter(store)
        # the event loop's sends read and write on one connection kept out of the pool (SQLite)
        self._held = store.hold()
        self.loop_writer = LoopWriter(store, held=self._held) if store.dialect == "sqlite" else None
        # Stored sends need a unique source_id; a random prefix per process plus a counter is unique
        # across workers and restarts without a uuid4 (an os.urandom call) per request.
        self._id_prefix = uuid.uuid4().hex[:16] + "-"
        self._ids = itertools.count(1)

    def close(self) -> None:
        self.writer.close()
        if self._held is not None:
            self._held.close()

    # ---- send time ---------------------------------------------------------------------------------

    def moderate(self, req: ModerationRequest) -> ModerationResult:
        """Decide on one send; returns once the decision is committed with its audit record."""
        job, result, started = self._prepare(req)
        self.writer.submit(job)
        result.latency_ms = (time.perf_counter() - started) * 1000
        return result

    async def moderate_async(self, req: ModerationRequest) -> ModerationResult:
        """`moderate` for an event loop: assessments of requests that arrive together are computed in
        one batch (`AssessBatcher`: CPU-bound either way, under one GIL, and much cheaper per message in
        a batch), and the loop waits for the group commit without holding a thread."""
        started = time.perf_counter()
        step = self._admit(req, started, self._held)
        if isinstance(step, _Admitted):
            assessment, failure = await self.batcher.assess(step.raw, req.surface)
            job, result = self._decide(req, step, assessment, failure, started)
        else:
            job, result = step
        if self.loop_writer is not None:
            await self.loop_writer.run(job)
        else:
            await asyncio.wrap_future(self.writer.enqueue(job))
        result.latency_ms = (time.perf_counter() - started) * 1000
        return result

    def _prepare(self, req: ModerationRequest) -> tuple[Job, ModerationResult, float]:
        started = time.perf_counter()
        step = self._admit(req, started)
        if not isinstance(step, _Admitted):
            return (*step, started)
        done, failed = self.assessor.assess([step.raw], surface=req.surface)
        return (*self._decide(req, step, done[0] if done else None, failed[0] if failed else None, started), started)

    def _admit(self, req: ModerationRequest, started: float,
               held: HeldConnection | None = None) -> _Admitted | tuple[Job, ModerationResult]:
        """Checks before assessment: the ids, and the account's status (a banned account's send is
        blocked with no classifier). Returns the raw item to assess, or the finished write job.
        ``held``: the event loop's connection (`SqlStore.reading`)."""
        _check_id(req.account_id, "account_id")
        _check_id(req.chat_id, "chat_id")
        now = self.clock()
        with self.store.reading(held) as conn:  # one read on the driver: no transaction to begin and commit
            state = enf.read_account(conn, req.account_id)
        status = state.effective_status(now) if state else enf.ACTIVE
        digest = content_digest(req.text)
        if status == enf.BANNED:
            draft = DecisionDraft("moderate", req.surface, Action.BLOCK, ["account banned"], digest, self.policy.id,
                                  dict(self.assessor.versions), account_id=req.account_id, chat_id=req.chat_id,
                                  enforcement=status)
            return self._persist(req, draft, None, state, now, started, status)
        raw = RawItem(source=f"api:{req.surface}", source_id=f"{self._id_prefix}{next(self._ids)}", kind=ContentKind.MESSAGE, text=req.text,
                      payload=dumps_bytes({"account_id": req.account_id, "chat_id": req.chat_id, "surface": req.surface}),
                      connector="api.v1", received_at=now, author_id=req.account_id, channel=req.chat_id, media=req.media)
        return _Admitted(raw, state, status, now, digest)

    def _decide(self, req: ModerationRequest, step: _Admitted, a: Assessment | None, failure: StageFailure | None,
                started: float) -> tuple[Job, ModerationResult]:
        """The decision on an assessed send (policy, crisis, flood, account restriction) as a write job."""
        raw, state, status, now, digest = step.raw, step.state, step.status, step.now, step.digest
        if a is None:
            # Fail safe for a send-time filter: hold for a moderator rather than deliver unassessed.
            why = (f"assessment failed in {failure.stage} ({failure.plugin}): {failure.code}" if failure
                   else "assessment returned no result")
            draft = DecisionDraft("moderate", req.surface, Action.REVIEW, [why], digest, self.policy.id,
                                  dict(self.assessor.versions), account_id=req.account_id, chat_id=req.chat_id)
            return self._persist(req, draft, None, state, now, started, status, raw=raw)
        draft = self._judge(a, req.surface, now, digest)
        draft.account_id, draft.chat_id = req.account_id, req.chat_id
        if status == enf.RESTRICTED and req.surface in self.policy.enforcement.restricted_surfaces:
            # Still assessed, so that a restricted account that goes on posting violations is banned.
            draft.content_action, draft.action, draft.enforcement = draft.action, Action.BLOCK, status
            draft.reasons.append(f"account restricted on surface {req.surface!r}")
        return self._persist(req, draft, a, state, now, started, status, raw=raw)

    def _judge(self, a: Assessment, surface: str, now: datetime, digest: str) -> DecisionDraft:
        """Crisis and flood on top of the policy's decision."""
        decision = a.decision or self.policy.decide(a, surface)
        crisis_name = None
        related = self.crises.related(a, now)
        if related is not None:
            crisis, why = related
            crisis_name = crisis.name
            decision = self.policy.decide(a, surface, crisis=crisis.name)
            decision = replace(decision, reasons=(*decision.reasons, f"related to crisis {crisis.name!r} by {why}"))
        action, reasons = decision.action, list(decision.reasons)
        alert = self.flood.holding(a.item.folded, now)
        flood_id = None
        if alert is not None:
            flood_id = alert.id
            if self.policy.flood.action.rank > action.rank:
                action = self.policy.flood.action
            reasons.append(f"near-duplicate of flood alert #{alert.id}: {self.policy.flood.action.value}")
        return DecisionDraft("moderate", surface, action, reasons, digest, decision.policy,
                             {**a.versions, "policy": decision.policy}, assessment=a, crisis=crisis_name,
                             flood_id=flood_id)

    def _persist(self, req: ModerationRequest, d: DecisionDraft, a: Assessment | None, state: enf.AccountState | None,
                 now: datetime, started: float, status: str, raw: RawItem | None = None) -> tuple[Job, ModerationResult]:
        """The write job for a decided send, and the result it fills in when it runs."""
        rules = self.policy.enforcement
        label, _ = top_harm(a)
        days = self.policy.flood.new_account_days
        if state is not None:
            is_new = state.is_new(now, days)
        else:
            is_new = req.account_created_at is None or (now - req.account_created_at).total_seconds() < days * 86400
        cluster = None
        content_action = d.content_action or d.action
        if content_action is Action.BLOCK and d.enforcement != enf.BANNED and a is not None:
            cluster = self.flood.observe(fingerprint(a.item.folded), req.account_id, is_new, label, now)
        result = ModerationResult(0, d.action, d.reasons, a, status, enforcement=d.enforcement, crisis=d.crisis,
                                  flood_id=d.flood_id, policy=d.policy)

        def job(conn: Connection, chain: AuditChain) -> None:
            if state is None:
                enf.ensure_account(conn, req.account_id, now, req.account_created_at)
            if d.action is not Action.ALLOW and raw is not None:
                [stored], _ = self.store.write_raw(conn, [raw])
                d.raw_id = result.item_id = stored.id
                if a is not None:
                    final = replace(a, item=replace(a.item, raw=stored),
                                    decision=Decision(d.action, tuple(d.reasons), d.policy or self.policy.id, d.surface))
                    self.store.write_assessments(conn, [final], self.policy.label_threshold, fresh=True)
            d.latency_ms = round((time.perf_counter() - started) * 1000, 3)
            result.decision_id = write_decision(conn, chain, d, now)
            if cluster is not None:
                alert = self.flood.store_alert(conn, cluster, result.decision_id, now)
                chain.append("flood_alert", alert["flood"], alert, now)
                result.extra["flood_alert"] = alert
            if d.flood_id is not None:
                self.flood.count_held(conn, d.flood_id)
            if content_action in rules.strike_on and d.enforcement != enf.BANNED:
                result.strike = enf.add_strike(conn, req.account_id, result.decision_id, label, now)
                chain.append("strike", result.decision_id, result.strike, now)
                change = enf.reassess_status(conn, req.account_id, now, rules)
                if change is not None:
                    chain.append("account_status", req.account_id, {**change, "decision": result.decision_id}, now)
                    result.account_status = change["to"]
            elif d.enforcement is not None:
                enf.count_blocked(conn, req.account_id, now)
            if d.action is Action.REVIEW:
                prio = review_priority(a, crisis_boost=self.policy.crisis.priority_boost if d.crisis else 0.0,
                                       flood=d.flood_id is not None)
                result.case_id = open_review_case(conn, chain, result.decision_id, d.raw_id, req.account_id, prio, now)

        return job, result

    # ---- batches -----------------------------------------------------------------------------------

    def ingest(self, raws: Sequence[RawItem], surface: str = "default") -> dict[str, Any]:
        """Store and assess a batch like a scan (idempotent on source and source_id); every decision is
        recorded and audited and review decisions open cases. No strikes: batches are not sends."""
        now = self.clock()
        stored, duplicates = self.store.insert_raw(raws)
        done, failed = self.assessor.assess(stored, surface=surface)
        if failed:
            self.store.quarantine([f.entry() for f in failed])
        out: list[dict[str, Any]] = []
        with self.store.begin_write() as conn, AuditChain(conn) as chain:
            for a in done:
                d = self._judge(a, surface, now, content_digest(a.item.text))
                d.origin, d.raw_id = "batch", a.item.raw.id
                d.account_id, d.chat_id = a.item.raw.author_id, a.item.raw.channel
                final = replace(a, decision=Decision(d.action, tuple(d.reasons), d.policy or self.policy.id, surface))
                self.store.write_assessments(conn, [final], self.policy.label_threshold)
                decision_id = write_decision(conn, chain, d, now)
                case_id = None
                if d.action is Action.REVIEW:
                    prio = review_priority(a, crisis_boost=self.policy.crisis.priority_boost if d.crisis else 0.0)
                    case_id = open_review_case(conn, chain, decision_id, d.raw_id, d.account_id, prio, now)
                out.append({"id": a.item.raw.id, "source_id": a.item.raw.source_id, "action": d.action.value,
                            "decision_id": decision_id, "case_id": case_id})
        return {"stored": len(stored), "duplicates": duplicates, "items": out,
                "quarantined": [{"source_id": f.raw.source_id, "stage": f.stage, "code": f.code} for f in failed]}

    def versions(self) -> Mapping[str, str]:
        return {**self.assessor.versions, "policy": self.policy.id}
