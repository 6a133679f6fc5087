"""Store state the store, pipeline and API tests read back, and a scratch store for the store's own tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vigil.core.settings import Settings
from vigil.store.sql import SqlStore


def wal_pages(store: SqlStore) -> int:
    """``wal_autocheckpoint`` of a connection the store's pool hands out now."""
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())


@contextmanager
def scratch_store(folder: Path) -> Iterator[SqlStore]:
    """A SQLite store in ``folder`` with one scratch table ``t (x)`` (any value), for tests of the
    store's own transactions, locks and checkpoints; closed afterwards."""
    store = SqlStore(Settings(database_url=f"sqlite:///{folder / 'v.db'}"))
    with store.begin_write() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
    try:
        yield store
    finally:
        store.close()
