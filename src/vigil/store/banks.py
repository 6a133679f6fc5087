"""`SqlBankStore`: hash banks in the Vigil database (SQLite or PostgreSQL), on the engine of a
`SqlStore`, whose migrations create the tables (``0002_banks``). Same contract as the memory store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.engine import Row

from vigil.match.banks import (
    BANK_CHANGED,
    ENTRY_ADDED,
    ENTRY_DISABLED,
    ENTRY_ENABLED,
    ENTRY_REMOVED,
    AddResult,
    Bank,
    BankEntry,
    BankStore,
    Change,
    NewEntry,
    utcnow,
)
from vigil.match.base import SignalType
from vigil.store.schema import bank_changes, bank_entries, banks
from vigil.store.sql import SqlStore

_CHUNK = 500  # ids per IN (...) clause: under SQLite's and PostgreSQL's parameter limits


def signal_key(signal: str) -> str:
    return hashlib.sha256(signal.encode("utf-8")).hexdigest()


def _bank(row: Row[Any]) -> Bank:
    return Bank(
        id=row.id,
        name=row.name,
        labels=tuple(row.labels or ()),
        group=row.group_name,
        source=row.source,
        description=row.description or "",
        negative=bool(row.negative),
        enabled=bool(row.enabled),
        thresholds=dict(row.thresholds or {}),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


_ENTRY_COLUMNS = (
    bank_entries.c.id,
    bank_entries.c.bank_id,
    banks.c.name.label("bank"),
    bank_entries.c.signal_type,
    bank_entries.c.signal,
    bank_entries.c.enabled,
    bank_entries.c.labels,
    bank_entries.c.note,
    bank_entries.c.added_by,
    bank_entries.c.origin,
    bank_entries.c.added_at,
    bank_entries.c.meta,
)


def _entry(row: Row[Any]) -> BankEntry:
    return BankEntry(
        id=row.id,
        bank_id=row.bank_id,
        bank=row.bank,
        signal_type=row.signal_type,
        signal=row.signal,
        enabled=bool(row.enabled),
        labels=tuple(row.labels or ()),
        note=row.note,
        added_by=row.added_by,
        origin=row.origin,
        added_at=row.added_at,
        meta=dict(row.meta or {}),
    )


class SqlBankStore(BankStore):
    def __init__(self, store: SqlStore, signal_types: Mapping[str, type[SignalType]]) -> None:
        super().__init__(signal_types)
        self.sql = store

    @staticmethod
    def _log(conn: Connection, rows: list[dict[str, Any]]) -> None:
        if rows:
            now = utcnow()
            conn.execute(insert(bank_changes), [{**r, "at": now} for r in rows])

    def _entries_select(self) -> Any:
        return select(*_ENTRY_COLUMNS).join(banks, banks.c.id == bank_entries.c.bank_id)

    # ---- banks -----------------------------------------------------------------------------------

    def _find_bank(self, name: str) -> Bank | None:
        with self.sql.begin() as conn:
            row = conn.execute(select(banks).where(banks.c.name == name)).first()
        return _bank(row) if row else None

    def _insert_bank(self, bank: Bank) -> Bank:
        now = utcnow()
        with self.sql.begin() as conn:
            bank_id = conn.execute(
                insert(banks).returning(banks.c.id),
                {
                    "name": bank.name,
                    "labels": list(bank.labels),
                    "group_name": bank.group,
                    "source": bank.source,
                    "description": bank.description,
                    "negative": bank.negative,
                    "enabled": bank.enabled,
                    "thresholds": dict(bank.thresholds),
                    "created_at": now,
                    "updated_at": now,
                },
            ).scalar_one()
            self._log(conn, [{"kind": BANK_CHANGED, "bank_id": bank_id}])
        found = self._find_bank(bank.name)
        assert found is not None
        return found

    def _update_bank(self, bank: Bank, changes: Mapping[str, Any]) -> Bank:
        values = {("group_name" if k == "group" else k): v for k, v in changes.items()}
        if "labels" in values:
            values["labels"] = list(values["labels"])
        values["updated_at"] = utcnow()
        with self.sql.begin() as conn:
            conn.execute(update(banks).where(banks.c.id == bank.id).values(**values))
            self._log(conn, [{"kind": BANK_CHANGED, "bank_id": bank.id}])
        found = self._find_bank(bank.name)
        assert found is not None
        return found

    def list_banks(self) -> list[Bank]:
        with self.sql.begin() as conn:
            return [_bank(r) for r in conn.execute(select(banks).order_by(banks.c.name))]

    def banks_by_id(self) -> dict[int, Bank]:
        return {b.id: b for b in self.list_banks()}

    # ---- entries ---------------------------------------------------------------------------------

    def _insert_entries(self, bank: Bank, entries: Sequence[NewEntry]) -> AddResult:
        added: list[int] = []
        dups: list[int] = []
        with self.sql.begin() as conn:
            for start in range(0, len(entries), _CHUNK):
                chunk = entries[start : start + _CHUNK]
                keyed = [(e, signal_key(e.signal)) for e in chunk]
                existing: dict[tuple[str, str], int] = {}
                for st in {e.signal_type for e in chunk}:
                    keys = [k for e, k in keyed if e.signal_type == st]
                    rows = conn.execute(
                        select(bank_entries.c.id, bank_entries.c.signal_key).where(
                            bank_entries.c.bank_id == bank.id,
                            bank_entries.c.signal_type == st,
                            bank_entries.c.signal_key.in_(keys),
                        )
                    )
                    existing.update({(st, r.signal_key): r.id for r in rows})
                rows_to_add = []
                batch_dups: list[tuple[str, str]] = []
                for e, key in keyed:
                    if (e.signal_type, key) in existing:
                        if existing[(e.signal_type, key)] < 0:
                            batch_dups.append((e.signal_type, key))  # repeated inside this batch
                        else:
                            dups.append(existing[(e.signal_type, key)])
                        continue
                    existing[(e.signal_type, key)] = -1
                    rows_to_add.append(
                        {
                            "bank_id": bank.id,
                            "signal_type": e.signal_type,
                            "signal": e.signal,
                            "signal_key": key,
                            "enabled": True,
                            "labels": list(e.labels),
                            "note": e.note,
                            "added_by": e.added_by,
                            "origin": e.origin,
                            "added_at": e.added_at,
                            "meta": dict(e.meta) or None,
                        }
                    )
                if not rows_to_add:
                    continue
                result = conn.execute(
                    insert(bank_entries).returning(bank_entries.c.id, sort_by_parameter_order=True), rows_to_add
                )
                ids = [r.id for r in result]
                added.extend(ids)
                new_ids = {(r["signal_type"], r["signal_key"]): i for i, r in zip(ids, rows_to_add, strict=True)}
                dups.extend(new_ids[k] for k in batch_dups)
                self._log(
                    conn,
                    [
                        {"kind": ENTRY_ADDED, "bank_id": bank.id, "entry_id": i, "signal_type": r["signal_type"]}
                        for i, r in zip(ids, rows_to_add, strict=True)
                    ],
                )
        return AddResult(tuple(added), tuple(dups))

    def _select_by_ids(self, conn: Connection, entry_ids: Sequence[int]) -> list[Row[Any]]:
        rows: list[Row[Any]] = []
        for start in range(0, len(entry_ids), _CHUNK):
            chunk = list(entry_ids[start : start + _CHUNK])
            rows.extend(
                conn.execute(
                    select(bank_entries.c.id, bank_entries.c.bank_id, bank_entries.c.signal_type, bank_entries.c.enabled)
                    .where(bank_entries.c.id.in_(chunk))
                )
            )
        return rows

    def remove_entries(self, entry_ids: Sequence[int]) -> int:
        with self.sql.begin() as conn:
            rows = self._select_by_ids(conn, entry_ids)
            for start in range(0, len(rows), _CHUNK):
                chunk = [r.id for r in rows[start : start + _CHUNK]]
                conn.execute(delete(bank_entries).where(bank_entries.c.id.in_(chunk)))
            self._log(
                conn,
                [{"kind": ENTRY_REMOVED, "bank_id": r.bank_id, "entry_id": r.id, "signal_type": r.signal_type} for r in rows],
            )
        return len(rows)

    def set_entries_enabled(self, entry_ids: Sequence[int], enabled: bool) -> int:
        kind = ENTRY_ENABLED if enabled else ENTRY_DISABLED
        with self.sql.begin() as conn:
            rows = [r for r in self._select_by_ids(conn, entry_ids) if bool(r.enabled) != enabled]
            for start in range(0, len(rows), _CHUNK):
                chunk = [r.id for r in rows[start : start + _CHUNK]]
                conn.execute(update(bank_entries).where(bank_entries.c.id.in_(chunk)).values(enabled=enabled))
            self._log(
                conn, [{"kind": kind, "bank_id": r.bank_id, "entry_id": r.id, "signal_type": r.signal_type} for r in rows]
            )
        return len(rows)

    def get_entries(self, entry_ids: Sequence[int]) -> dict[int, BankEntry]:
        out: dict[int, BankEntry] = {}
        with self.sql.begin() as conn:
            for start in range(0, len(entry_ids), _CHUNK):
                chunk = list(entry_ids[start : start + _CHUNK])
                for row in conn.execute(self._entries_select().where(bank_entries.c.id.in_(chunk))):
                    out[row.id] = _entry(row)
        return out

    def find_entries(self, signal_type: str, signal: str, bank_name: str | None = None) -> list[BankEntry]:
        stmt = self._entries_select().where(
            bank_entries.c.signal_type == signal_type, bank_entries.c.signal_key == signal_key(signal)
        )
        if bank_name is not None:
            stmt = stmt.where(banks.c.name == bank_name)
        with self.sql.begin() as conn:
            return [_entry(r) for r in conn.execute(stmt.order_by(bank_entries.c.id))]

    def list_entries(self, bank_name: str, *, limit: int = 100, offset: int = 0) -> list[BankEntry]:
        bank = self.get_bank(bank_name)
        stmt = (
            self._entries_select()
            .where(bank_entries.c.bank_id == bank.id)
            .order_by(bank_entries.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.sql.begin() as conn:
            return [_entry(r) for r in conn.execute(stmt)]

    def iter_entries(self, bank_name: str, batch: int = 10_000) -> Iterator[BankEntry]:
        bank = self.get_bank(bank_name)
        last = 0
        while True:
            stmt = (
                self._entries_select()
                .where(bank_entries.c.bank_id == bank.id, bank_entries.c.id > last)
                .order_by(bank_entries.c.id)
                .limit(batch)
            )
            with self.sql.begin() as conn:
                rows = [_entry(r) for r in conn.execute(stmt)]
            if not rows:
                return
            yield from rows
            last = rows[-1].id

    def count_entries(self) -> dict[int, dict[str, int]]:
        stmt = (
            select(bank_entries.c.bank_id, bank_entries.c.signal_type, func.count())
            .where(bank_entries.c.enabled.is_(True))
            .group_by(bank_entries.c.bank_id, bank_entries.c.signal_type)
        )
        out: dict[int, dict[str, int]] = {}
        with self.sql.begin() as conn:
            for bank_id, st, n in conn.execute(stmt):
                out.setdefault(bank_id, {})[st] = n
        return out

    def iter_signals(self, signal_type: str, batch: int = 50_000) -> Iterator[tuple[int, int, str]]:
        last = 0
        while True:
            stmt = (
                select(bank_entries.c.id, bank_entries.c.bank_id, bank_entries.c.signal, bank_entries.c.meta)
                .where(
                    bank_entries.c.signal_type == signal_type,
                    bank_entries.c.enabled.is_(True),
                    bank_entries.c.id > last,
                )
                .order_by(bank_entries.c.id)
                .limit(batch)
            )
            with self.sql.begin() as conn:
                rows = list(conn.execute(stmt))
            if not rows:
                return
            for r in rows:
                yield r.id, r.bank_id, r.signal
                for variant in (r.meta or {}).get("variants", ()):
                    yield r.id, r.bank_id, variant
            last = rows[-1].id

    def last_seq(self) -> int:
        with self.sql.begin() as conn:
            return int(conn.execute(select(func.coalesce(func.max(bank_changes.c.seq), 0))).scalar_one())

    def changes_since(self, seq: int, limit: int = 100_000) -> list[Change]:
        stmt = select(bank_changes).where(bank_changes.c.seq > seq).order_by(bank_changes.c.seq).limit(limit)
        with self.sql.begin() as conn:
            return [Change(r.seq, r.kind, r.bank_id, r.entry_id, r.signal_type) for r in conn.execute(stmt)]
