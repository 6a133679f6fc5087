"""Store state the store, pipeline and API tests read back."""

from __future__ import annotations

from vigil.store.sql import SqlStore


def wal_pages(store: SqlStore) -> int:
    """``wal_autocheckpoint`` of a connection the store's pool hands out now."""
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one())
