"""Crisis mode, in the spirit of GIFCT's Content Incident Protocol: after an attack, an operator
names the incident (terms, entities, hash banks, time window) and, until it ends, content related to
it is judged with tightened thresholds (`Policy.decide(..., crisis=NAME)`) and its review cases jump
the queue.

Content is *related* when its folded text contains one of the incident's terms (whole words), when
an extracted entity's canonical name is one of its entities, or when it matched one of its banks.
Active incidents are re-read from the store every ``refresh_s`` seconds, so a `vigil crisis start` on
the command line reaches running API workers within that time.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select, update

from vigil.core.errors import InvalidInput, NotFound
from vigil.core.records import Assessment
from vigil.moderation.audit import append_one
from vigil.store.codec import inserted_id
from vigil.store.schema import crises
from vigil.store.sql import SqlStore

MAX_TERMS = 200


@dataclass(frozen=True)
class Crisis:
    id: int
    name: str
    terms: tuple[str, ...]
    entities: tuple[str, ...]
    banks: tuple[str, ...]
    started_at: datetime
    until: datetime | None
    pattern: re.Pattern[str] | None

    def active(self, now: datetime) -> bool:
        return self.started_at <= now and (self.until is None or now < self.until)

    def relates(self, a: Assessment) -> str | None:
        """Why ``a`` relates to this incident, or None."""
        if self.pattern is not None and (m := self.pattern.search(a.item.folded.lower())):
            return f"term {m.group(0)!r}"
        if self.entities:
            wanted = {e.lower() for e in self.entities}
            for e in a.entities:
                if e.canonical.lower() in wanted:
                    return f"entity {e.canonical!r}"
        if self.banks:
            for hit in a.matches:
                if not hit.negative and hit.bank in self.banks:
                    return f"bank {hit.bank!r}"
        return None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "terms": list(self.terms), "entities": list(self.entities),
                "banks": list(self.banks), "started_at": self.started_at.isoformat(),
                "until": self.until.isoformat() if self.until else None}


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    words = [re.escape(t.lower()) for t in terms if t.strip()]
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")(?!\w)") if words else None


def _clean(values: list[str] | tuple[str, ...], what: str) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(out) > MAX_TERMS or any(len(v) > 200 for v in out):
        raise InvalidInput(f"too many or too long {what}: at most {MAX_TERMS} of at most 200 characters")
    return out


def _from_row(row: Any) -> Crisis:
    terms = tuple(row.terms or ())
    return Crisis(row.id, row.name, terms, tuple(row.entities or ()), tuple(row.banks or ()), row.started_at,
                  row.until, _pattern(terms))


def start_crisis(store: SqlStore, name: str, terms: list[str], entities: list[str], banks: list[str],
                 until: datetime | None = None, note: str | None = None, now: datetime | None = None) -> Crisis:
    """Start an incident.

    Raises:
        InvalidInput: no name, nothing to relate content by, ``until`` in the past, or an active
            incident of the same name.
    """
    now = now or datetime.now(UTC)
    name = name.strip()
    if not name or len(name) > 128:
        raise InvalidInput(f"crisis name {name!r} must have 1 to 128 characters")
    terms_t, ents, bks = _clean(terms, "terms"), _clean(entities, "entities"), _clean(banks, "banks")
    if not (terms_t or ents or bks):
        raise InvalidInput(f"crisis {name!r} names no terms, entities or banks",
                           hint="give at least one --terms, --entities or --banks so related content can be found")
    if until is not None and until <= now:
        raise InvalidInput(f"--until {until.isoformat()} is not in the future")
    if any(c.name == name for c in active_crises(store, now)):
        raise InvalidInput(f"crisis {name!r} is already active", hint=f"end it first with `vigil crisis end {name}`")
    with store.begin() as conn:
        cid = inserted_id(conn.execute(crises.insert().values(name=name, terms=list(terms_t), entities=list(ents), banks=list(bks),
                                                  started_at=now, until=until, note=note)))
        row = conn.execute(select(crises).where(crises.c.id == cid)).one()
    crisis = _from_row(row)
    append_one(store, "crisis_started", cid, crisis.as_dict(), now)
    return crisis


def end_crisis(store: SqlStore, name: str, now: datetime | None = None) -> Crisis:
    now = now or datetime.now(UTC)
    found = [c for c in active_crises(store, now) if c.name == name]
    if not found:
        raise NotFound("active crisis", name, hint="list them with `vigil crisis list`")
    with store.begin() as conn:
        conn.execute(update(crises).where(crises.c.id == found[0].id).values(ended_at=now))
    append_one(store, "crisis_ended", found[0].id, {"name": name}, now)
    return found[0]


def active_crises(store: SqlStore, now: datetime | None = None) -> list[Crisis]:
    now = now or datetime.now(UTC)
    with store.begin() as conn:
        rows = conn.execute(
            select(crises).where(crises.c.ended_at.is_(None), crises.c.started_at <= now,
                                 or_(crises.c.until.is_(None), crises.c.until > now)).order_by(crises.c.id)
        ).all()
    return [_from_row(r) for r in rows]


def list_crises(store: SqlStore, include_ended: bool = True) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    stmt = select(crises).order_by(crises.c.id.desc())
    if not include_ended:
        stmt = stmt.where(crises.c.ended_at.is_(None))
    with store.begin() as conn:
        rows = conn.execute(stmt).all()
    out = []
    for r in rows:
        c = _from_row(r)
        state = "ended" if r.ended_at else ("active" if c.active(now) else ("expired" if c.until and c.until <= now else "scheduled"))
        out.append({**c.as_dict(), "ended_at": r.ended_at.isoformat() if r.ended_at else None, "state": state, "note": r.note})
    return out


class CrisisWatch:
    """The active incidents, re-read at most every ``refresh_s`` seconds (cheap to call per send)."""

    def __init__(self, store: SqlStore, refresh_s: float = 2.0) -> None:
        self.store = store
        self.refresh_s = refresh_s
        self._loaded = -1e9
        self._active: list[Crisis] = []
        self._lock = threading.Lock()

    def refresh(self) -> None:
        active = active_crises(self.store)
        with self._lock:
            self._active, self._loaded = active, time.monotonic()

    def related(self, a: Assessment, now: datetime) -> tuple[Crisis, str] | None:
        if time.monotonic() - self._loaded > self.refresh_s:
            self.refresh()
        for c in self._active:
            if c.active(now) and (why := c.relates(a)):
                return c, why
        return None
