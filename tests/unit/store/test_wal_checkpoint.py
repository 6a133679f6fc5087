"""`SqlStore.background_checkpoints` and `WalCheckpointer`: a server's SQLite log is copied back by a
thread, not in request commits, it is fully copied (so writers restart it) and stays bounded."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers.store import scratch_store, wal_pages
from vigil.store.sql import DEFAULT_WAL_PAGES, SqlStore
from vigil.store.walcheckpoint import BACKSTOP_WAL_PAGES, WalCheckpointer

ROW = "x" * 1000  # about a quarter of a page: every transaction below writes at least one page


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    with scratch_store(tmp_path) as s:
        yield s


def write(store: SqlStore, n: int, pause_s: float = 0.0) -> None:
    for _ in range(n):
        with store.begin_write() as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (?)", (ROW,))
        if pause_s:
            time.sleep(pause_s)


def test_writers_leave_checkpoints_to_the_thread_only_while_it_runs(store: SqlStore) -> None:
    assert wal_pages(store) == DEFAULT_WAL_PAGES
    with store.background_checkpoints(interval_s=3600) as checkpointer:
        assert checkpointer is not None
        assert wal_pages(store) == BACKSTOP_WAL_PAGES
        assert any(t.name == "vigil-wal-checkpoint" for t in threading.enumerate())
    assert wal_pages(store) == DEFAULT_WAL_PAGES
    assert not any(t.name == "vigil-wal-checkpoint" for t in threading.enumerate())


def test_a_round_copies_the_whole_log_and_the_next_writer_restarts_it(store: SqlStore, tmp_path: Path) -> None:
    db, wal = tmp_path / "v.db", tmp_path / "v.db-wal"
    with store.background_checkpoints(interval_s=3600) as checkpointer:
        assert checkpointer is not None
        write(store, 300)  # fewer pages than the backstop: no commit checkpointed
        assert db.stat().st_size < 100_000 < 300 * 1000 < wal.stat().st_size  # the rows are in the log only
        conn = sqlite3.connect(db, isolation_level=None)
        try:
            checkpointer.round(conn)
        finally:
            conn.close()
        assert checkpointer.checkpoints == 1
        assert db.stat().st_size > 300 * 1000  # copied into the database file
        size = wal.stat().st_size
        write(store, 5)
        # the next writers wrote from the log's beginning: appended, it would have grown by 5 frames
        assert wal.stat().st_size == size
        with store.engine.connect() as c:
            assert c.exec_driver_sql("SELECT count(*) FROM t").scalar_one() == 305


def test_a_round_with_nothing_new_skips_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE t (x TEXT)")
    entered: list[int] = []

    @contextmanager
    def lock() -> Iterator[None]:
        entered.append(1)
        yield

    checkpointer = WalCheckpointer(str(path), lock)
    own = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("INSERT INTO t VALUES (?)", (ROW,))
        checkpointer.round(own)
        assert len(entered) == 1
        checkpointer.round(own)  # nothing written since
        assert len(entered) == 1
        db.execute("INSERT INTO t VALUES (?)", (ROW,))
        checkpointer.round(own)
        assert len(entered) == 2
    finally:
        own.close()
        db.close()


def test_the_log_stays_bounded_under_steady_writes(store: SqlStore, tmp_path: Path) -> None:
    """3,000 transactions of a page or more, a send's pace (a short pause after each): a log that is
    never restarted, as when unlocked checkpoints always race the writers, ends at 19 MB here; with
    the locked second step each round lets the next writer restart it (0.7 MB)."""
    with store.background_checkpoints(interval_s=0.01) as checkpointer:
        assert checkpointer is not None
        write(store, 3000, pause_s=0.0002)
    assert checkpointer.checkpoints > 1
    assert (tmp_path / "v.db-wal").stat().st_size < 4_000_000
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one() == 3000
