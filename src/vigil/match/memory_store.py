"""`MemoryBankStore`: banks in process memory, for tests, benches and `vigil assess` without a database.
Same contract as the SQL store (the bank-store contract tests run on both)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

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


class MemoryBankStore(BankStore):
    def __init__(self, signal_types: Mapping[str, type[SignalType]]) -> None:
        super().__init__(signal_types)
        self._lock = threading.Lock()
        self._banks: dict[int, Bank] = {}
        self._entries: dict[int, BankEntry] = {}
        self._by_signal: dict[tuple[int, str, str], int] = {}
        self._changes: list[Change] = []
        self._next_bank = 1
        self._next_entry = 1

    def _log(self, kind: str, bank_id: int, entry_id: int | None = None, signal_type: str | None = None) -> None:
        self._changes.append(Change(len(self._changes) + 1, kind, bank_id, entry_id, signal_type))

    def _find_bank(self, name: str) -> Bank | None:
        return next((b for b in self._banks.values() if b.name == name), None)

    def _insert_bank(self, bank: Bank) -> Bank:
        with self._lock:
            now = utcnow()
            stored = dataclasses.replace(bank, id=self._next_bank, created_at=now, updated_at=now)
            self._next_bank += 1
            self._banks[stored.id] = stored
            self._log(BANK_CHANGED, stored.id)
        return stored

    def _update_bank(self, bank: Bank, changes: Mapping[str, Any]) -> Bank:
        with self._lock:
            stored = dataclasses.replace(bank, **changes, updated_at=utcnow())
            self._banks[bank.id] = stored
            self._log(BANK_CHANGED, bank.id)
        return stored

    def _insert_entries(self, bank: Bank, entries: Sequence[NewEntry]) -> AddResult:
        added, dups = [], []
        with self._lock:
            for e in entries:
                key = (bank.id, e.signal_type, e.signal)
                existing = self._by_signal.get(key)
                if existing is not None:
                    dups.append(existing)
                    continue
                entry_id = self._next_entry
                self._next_entry += 1
                assert e.added_at is not None
                self._entries[entry_id] = BankEntry(
                    entry_id, bank.id, bank.name, e.signal_type, e.signal, True, e.labels, e.note,
                    e.added_by, e.origin, e.added_at, dict(e.meta),
                )
                self._by_signal[key] = entry_id
                self._log(ENTRY_ADDED, bank.id, entry_id, e.signal_type)
                added.append(entry_id)
        return AddResult(tuple(added), tuple(dups))

    def list_banks(self) -> list[Bank]:
        return sorted(self._banks.values(), key=lambda b: b.name)

    def banks_by_id(self) -> dict[int, Bank]:
        return dict(self._banks)

    def remove_entries(self, entry_ids: Sequence[int]) -> int:
        n = 0
        with self._lock:
            for entry_id in entry_ids:
                e = self._entries.pop(entry_id, None)
                if e is None:
                    continue
                del self._by_signal[(e.bank_id, e.signal_type, e.signal)]
                self._log(ENTRY_REMOVED, e.bank_id, entry_id, e.signal_type)
                n += 1
        return n

    def set_entries_enabled(self, entry_ids: Sequence[int], enabled: bool) -> int:
        n = 0
        with self._lock:
            for entry_id in entry_ids:
                e = self._entries.get(entry_id)
                if e is None or e.enabled == enabled:
                    continue
                self._entries[entry_id] = dataclasses.replace(e, enabled=enabled)
                self._log(ENTRY_ENABLED if enabled else ENTRY_DISABLED, e.bank_id, entry_id, e.signal_type)
                n += 1
        return n

    def get_entries(self, entry_ids: Sequence[int]) -> dict[int, BankEntry]:
        return {i: self._entries[i] for i in entry_ids if i in self._entries}

    def find_entries(self, signal_type: str, signal: str, bank_name: str | None = None) -> list[BankEntry]:
        return [
            e
            for e in self._entries.values()
            if e.signal_type == signal_type and e.signal == signal and (bank_name is None or e.bank == bank_name)
        ]

    def list_entries(self, bank_name: str, *, limit: int = 100, offset: int = 0) -> list[BankEntry]:
        bank = self.get_bank(bank_name)
        rows = [e for e in self._entries.values() if e.bank_id == bank.id]
        return sorted(rows, key=lambda e: e.id)[offset : offset + limit]

    def iter_entries(self, bank_name: str, batch: int = 10_000) -> Iterator[BankEntry]:
        bank = self.get_bank(bank_name)
        yield from sorted((e for e in self._entries.values() if e.bank_id == bank.id), key=lambda e: e.id)

    def count_entries(self) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = {}
        for e in self._entries.values():
            if e.enabled:
                per = out.setdefault(e.bank_id, {})
                per[e.signal_type] = per.get(e.signal_type, 0) + 1
        return out

    def iter_signals(self, signal_type: str, batch: int = 50_000) -> Iterator[tuple[int, int, str]]:
        for e in list(self._entries.values()):
            if e.signal_type == signal_type and e.enabled:
                for signal in e.signals:
                    yield e.id, e.bank_id, signal

    def last_seq(self) -> int:
        return len(self._changes)

    def changes_since(self, seq: int, limit: int = 100_000) -> list[Change]:
        return self._changes[seq : seq + limit]
