"""`SqlStore.bulk_load`: a scan checkpoints SQLite's log in large steps, and leaves it as it found it."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.store import wal_pages
from vigil.core.settings import Settings
from vigil.store.sql import BULK_WAL_PAGES, DEFAULT_WAL_PAGES, SqlStore


def test_large_checkpoint_steps_only_inside_a_scan(tmp_path: Path) -> None:
    store = SqlStore(Settings(database_url=f"sqlite:///{tmp_path / 'v.db'}"))
    try:
        assert wal_pages(store) == DEFAULT_WAL_PAGES
        with store.bulk_load():
            assert wal_pages(store) == BULK_WAL_PAGES
            with store.engine.begin() as conn:  # a second pooled connection gets it too
                with store.engine.connect() as other:
                    assert int(other.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()) == BULK_WAL_PAGES
                conn.exec_driver_sql("CREATE TABLE t (x TEXT)")
                conn.exec_driver_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
                                     "INSERT INTO t SELECT hex(randomblob(500)) FROM n")
        # the closing checkpoint copied the log back into the database file (~3 MB of rows, fewer
        # pages than even the default step, so no automatic checkpoint did it)
        assert (tmp_path / "v.db").stat().st_size > 3_000_000
        assert wal_pages(store) == DEFAULT_WAL_PAGES
    finally:
        store.close()
