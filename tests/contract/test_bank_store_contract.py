"""The bank-store contract, on the memory store and the SQL store (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vigil.core.errors import InvalidInput, InvalidLabel, InvalidSignal, NotFound
from vigil.core.settings import Settings
from vigil.match.banks import (
    BANK_CHANGED,
    ENTRY_ADDED,
    ENTRY_DISABLED,
    ENTRY_ENABLED,
    ENTRY_REMOVED,
    BankStore,
    NewEntry,
)
from vigil.match.memory_store import MemoryBankStore
from vigil.match.types import load_signal_types

MD5 = ("0" * 31 + "1", "0" * 31 + "2", "0" * 31 + "3")


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bank_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BankStore]:
    types = load_signal_types()
    if request.param == "memory":
        yield MemoryBankStore(types)
        return
    from tests.conftest import drop_postgres_database, fresh_postgres_database
    from vigil.store.banks import SqlBankStore
    from vigil.store.sql import SqlStore

    name = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'banks.db'}"
    else:
        url, name = fresh_postgres_database()
    sql = SqlStore(Settings(database_url=url))
    yield SqlBankStore(sql, types)
    sql.close()
    if name:
        drop_postgres_database(name)


def test_bank_store_create_get_list(bank_store: BankStore) -> None:
    bank = bank_store.create_bank("ISIS-Media", labels=["incitement", "official_propaganda"], group="ISIS",
                                  source="internal", thresholds={"pdq": 20})
    assert bank.name == "isis-media"
    assert bank.labels == ("incitement", "official_propaganda")
    assert bank.thresholds == {"pdq": 20.0}
    assert bank_store.get_bank("isis-media") == bank
    assert [b.name for b in bank_store.list_banks()] == ["isis-media"]


def test_bank_store_rejects_bad_bank_input(bank_store: BankStore) -> None:
    bank_store.create_bank("a")
    with pytest.raises(InvalidInput, match="already exists"):
        bank_store.create_bank("a")
    with pytest.raises(InvalidInput, match="invalid bank name"):
        bank_store.create_bank("bad name!")
    with pytest.raises(InvalidLabel):
        bank_store.create_bank("b", labels=["spam"])
    with pytest.raises(InvalidInput, match="out of range"):
        bank_store.create_bank("c", thresholds={"pdq": 200})
    with pytest.raises(NotFound):
        bank_store.create_bank("d", thresholds={"nope": 1})
    with pytest.raises(NotFound, match="no bank 'missing'"):
        bank_store.get_bank("missing")


def test_bank_store_add_is_idempotent_and_keeps_provenance(bank_store: BankStore) -> None:
    bank_store.create_bank("b")
    first = bank_store.add_entries("b", [NewEntry("md5", MD5[0].upper(), ("incitement",), "why", "alice", "item:tg:1")])
    again = bank_store.add_entries("b", [NewEntry("md5", MD5[0]), NewEntry("md5", MD5[1]), NewEntry("md5", MD5[1])])
    assert len(first.added) == 1 and first.duplicates == ()
    assert again.duplicates[0] == first.added[0] and len(again.added) == 1
    assert len(again.duplicates) == 2  # the repeat inside the batch is reported too
    entry = bank_store.get_entries(first.added)[first.added[0]]
    assert (entry.signal, entry.labels, entry.note, entry.added_by, entry.origin) == (
        MD5[0], ("incitement",), "why", "alice", "item:tg:1"
    )
    assert entry.added_at.tzinfo is not None
    assert bank_store.find_entries("md5", MD5[0], "b")[0].id == entry.id


def test_bank_store_rejects_bad_signals_atomically(bank_store: BankStore) -> None:
    bank_store.create_bank("b")
    with pytest.raises(InvalidSignal):
        bank_store.add_entries("b", [NewEntry("md5", MD5[0]), NewEntry("md5", "xyz")])
    assert bank_store.list_entries("b") == []


def test_bank_store_changes_are_logged_in_order(bank_store: BankStore) -> None:
    bank_store.create_bank("b")
    ids = bank_store.add_entries("b", [NewEntry("md5", s) for s in MD5]).added
    assert bank_store.set_entries_enabled([ids[0]], False) == 1
    assert bank_store.set_entries_enabled([ids[0]], False) == 0  # no change, no log
    assert bank_store.set_entries_enabled([ids[0]], True) == 1
    assert bank_store.remove_entries([ids[1], 999_999]) == 1
    kinds = [c.kind for c in bank_store.changes_since(0)]
    assert kinds == [BANK_CHANGED, ENTRY_ADDED, ENTRY_ADDED, ENTRY_ADDED, ENTRY_DISABLED, ENTRY_ENABLED, ENTRY_REMOVED]
    seqs = [c.seq for c in bank_store.changes_since(0)]
    assert seqs == sorted(seqs) and bank_store.last_seq() == seqs[-1]
    assert [c.kind for c in bank_store.changes_since(seqs[-2])] == [ENTRY_REMOVED]


def test_bank_store_iter_signals_only_enabled_with_variants(bank_store: BankStore) -> None:
    bank = bank_store.create_bank("b")
    pdq = "f" * 64
    ids = bank_store.add_entries("b", [NewEntry("md5", MD5[0]), NewEntry("md5", MD5[1]),
                                       NewEntry("pdq", pdq, variants=("0" * 64,))]).added
    bank_store.set_entries_enabled([ids[1]], False)
    assert list(bank_store.iter_signals("md5")) == [(ids[0], bank.id, MD5[0])]
    assert list(bank_store.iter_signals("pdq")) == [(ids[2], bank.id, pdq), (ids[2], bank.id, "0" * 64)]
    assert bank_store.count_entries() == {bank.id: {"md5": 1, "pdq": 1}}


def test_bank_store_update_bank(bank_store: BankStore) -> None:
    bank_store.create_bank("b", thresholds={"pdq": 20})
    updated = bank_store.update_bank("b", enabled=False, thresholds={"text_near": 0.4}, group="ISKP")
    assert (updated.enabled, updated.group) == (False, "ISKP")
    assert updated.thresholds == {"pdq": 20.0, "text_near": 0.4}
    with pytest.raises(InvalidInput):
        bank_store.update_bank("b", negative_typo=True)


def test_bank_store_iter_and_list_entries_page(bank_store: BankStore) -> None:
    bank_store.create_bank("b")
    signals = [f"{i:032x}" for i in range(25)]
    bank_store.add_entries("b", [NewEntry("md5", s) for s in signals])
    assert [e.signal for e in bank_store.iter_entries("b", batch=7)] == signals
    assert [e.signal for e in bank_store.list_entries("b", limit=5, offset=20)] == signals[20:]
