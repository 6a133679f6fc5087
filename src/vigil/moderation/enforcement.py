"""Account enforcement: strikes weighted by label severity that decay over time, restriction and
permanent bans, and their reversal when an appeal succeeds.

    points(now) = sum over live strikes of  weight * 0.5 ** (age_days / half_life_days)
    points >= ban_at       -> banned (permanent until an appeal removes the strikes behind it)
    points >= restrict_at  -> restricted for restrict_hours (sends on restricted surfaces blocked)

Status is stored on the account so a send from a banned account is blocked with one indexed read,
before any classifier runs. Every change of status is written to the audit log by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from vigil.core.labels import TAXONOMY, Label
from vigil.policy.sections import EnforcementRules
from vigil.store.bulk import BulkWriter
from vigil.store.schema import accounts, strikes
from vigil.store.types import utc_from_db

ACTIVE, RESTRICTED, BANNED = "active", "restricted", "banned"
DEFAULT_SEVERITY = 3  # a bank match or flood hold with no label: as severe as propaganda

# Every send reads its account and creates it on its first send: on the driver (store/bulk.py says
# why); the rest is built once, since building a statement per call costs more than running it.
_READ = "SELECT id, status, restricted_until, first_seen, created_at FROM accounts WHERE id = ?"
_STRIKE = strikes.insert()
_COUNT_BLOCKED = (update(accounts).where(accounts.c.id == bindparam("aid"))
                  .values(blocked=accounts.c.blocked + 1, updated_at=bindparam("now")))
_LIVE_STRIKES = select(strikes.c.weight, strikes.c.created_at).where(strikes.c.account_id == bindparam("aid"),
                                                                     strikes.c.removed_at.is_(None))


@dataclass(frozen=True, slots=True)
class AccountState:
    id: str
    status: str
    restricted_until: datetime | None
    first_seen: datetime
    created_at: datetime | None

    def effective_status(self, now: datetime) -> str:
        if self.status == RESTRICTED and self.restricted_until is not None and self.restricted_until <= now:
            return ACTIVE
        return self.status

    def is_new(self, now: datetime, days: float) -> bool:
        born = self.created_at or self.first_seen
        return (now - born) < timedelta(days=days)


def read_account(conn: Connection, account_id: str) -> AccountState | None:
    rows = BulkWriter.for_dialect(conn.dialect.name).fetch(conn, _READ, (account_id,))
    if not rows:
        return None
    aid, status, restricted_until, first_seen, created_at = rows[0]
    born = utc_from_db(first_seen)
    if born is None:
        raise RuntimeError(f"account {aid!r} has no first_seen: the accounts table was edited by hand")
    return AccountState(aid, status, utc_from_db(restricted_until), born, utc_from_db(created_at))


def ensure_account(conn: Connection, account_id: str, now: datetime, created_at: datetime | None) -> None:
    """Create the account on its first send (a no-op when it exists)."""
    BulkWriter.for_dialect(conn.dialect.name).insert_one(
        conn, accounts, {"id": account_id, "status": ACTIVE, "first_seen": now, "created_at": created_at,
                         "updated_at": now, "blocked": 0}, suffix=" ON CONFLICT (id) DO NOTHING")


def severity(label: str | None) -> int:
    if label is None:
        return DEFAULT_SEVERITY
    try:
        return TAXONOMY[Label(label)].severity
    except ValueError:
        return DEFAULT_SEVERITY


def decayed(weight: float, created_at: datetime, now: datetime, half_life_days: float) -> float:
    age_days = max(0.0, (now - created_at).total_seconds() / 86400.0)
    return float(weight * 0.5 ** (age_days / half_life_days))


def points(conn: Connection, account_id: str, now: datetime, rules: EnforcementRules) -> float:
    rows = conn.execute(_LIVE_STRIKES, {"aid": account_id}).all()
    return sum(decayed(r.weight, r.created_at, now, rules.half_life_days) for r in rows)


def add_strike(conn: Connection, account_id: str, decision_id: int, label: str | None, now: datetime) -> dict[str, Any]:
    sev = severity(label)
    conn.execute(_STRIKE, {"account_id": account_id, "decision_id": decision_id, "label": label, "severity": sev,
                           "weight": float(sev), "created_at": now, "removed_at": None, "removed_reason": None})
    conn.execute(_COUNT_BLOCKED, {"aid": account_id, "now": now})
    return {"account": account_id, "decision": decision_id, "label": label, "severity": sev, "weight": float(sev)}


def remove_strikes(conn: Connection, decision_ids: list[int], reason: str, now: datetime) -> list[int]:
    ids = [r.id for r in conn.execute(
        select(strikes.c.id).where(strikes.c.decision_id.in_(decision_ids), strikes.c.removed_at.is_(None)))]
    if ids:
        conn.execute(update(strikes).where(strikes.c.id.in_(ids)).values(removed_at=now, removed_reason=reason))
    return ids


def reassess_status(conn: Connection, account_id: str, now: datetime, rules: EnforcementRules,
                    lifting: bool = False) -> dict[str, Any] | None:
    """Move the account to the status its points call for. Escalates after a strike; with
    ``lifting`` (after an appeal) it may also de-escalate. Returns the change, or None."""
    state = read_account(conn, account_id)
    if state is None:
        return None
    pts = points(conn, account_id, now, rules)
    current = state.effective_status(now)
    if pts >= rules.ban_at:
        target = BANNED
    elif pts >= rules.restrict_at:
        target = RESTRICTED
    else:
        target = ACTIVE
    rank = {ACTIVE: 0, RESTRICTED: 1, BANNED: 2}
    if (target == current) if lifting else (rank[target] <= rank[current]):
        return None
    until = now + timedelta(hours=rules.restrict_hours) if target == RESTRICTED else None
    reason = f"strike points {pts:.2f}" + (f" >= ban_at {rules.ban_at:g}" if target == BANNED else
                                           f" >= restrict_at {rules.restrict_at:g}" if target == RESTRICTED else
                                           f" < restrict_at {rules.restrict_at:g}")
    conn.execute(update(accounts).where(accounts.c.id == account_id).values(
        status=target, restricted_until=until, banned_at=now if target == BANNED else None,
        status_reason=reason, updated_at=now))
    return {"account": account_id, "from": current, "to": target, "points": round(pts, 4), "reason": reason,
            "restricted_until": until.isoformat() if until else None}


def account_view(conn: Connection, account_id: str, rules: EnforcementRules, now: datetime | None = None) -> dict[str, Any] | None:
    """What `GET /v1/accounts/{id}` shows: status, points, strikes (live and removed)."""
    now = now or datetime.now(UTC)
    row = conn.execute(select(accounts).where(accounts.c.id == account_id)).mappings().first()
    if row is None:
        return None
    rows = conn.execute(select(strikes).where(strikes.c.account_id == account_id).order_by(strikes.c.id)).mappings().all()
    state = read_account(conn, account_id)
    assert state is not None
    out = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
    out["status"] = state.effective_status(now)
    out["points"] = round(sum(decayed(r["weight"], r["created_at"], now, rules.half_life_days)
                              for r in rows if r["removed_at"] is None), 4)
    out["thresholds"] = {"restrict_at": rules.restrict_at, "ban_at": rules.ban_at, "half_life_days": rules.half_life_days}
    out["strikes"] = [
        {**{k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in r.items() if k != "account_id"},
         "current_weight": 0.0 if r["removed_at"] else round(decayed(r["weight"], r["created_at"], now, rules.half_life_days), 4)}
        for r in rows
    ]
    out["sends_blocked"] = out.pop("blocked")
    return out


def count_by_status(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(select(accounts.c.status, func.count()).group_by(accounts.c.status)).all())


def count_blocked(conn: Connection, account_id: str, now: datetime) -> None:
    conn.execute(_COUNT_BLOCKED, {"aid": account_id, "now": now})
