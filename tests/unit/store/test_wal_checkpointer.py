"""WAL checkpoints off the commit path (`SqlStore.checkpoint_in_background`), for the API process."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from vigil.core.settings import Settings
from vigil.store.sql import SqlStore


def _autocheckpoint(store: SqlStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def test_background_checkpoints_replace_the_ones_at_commit_and_keep_the_wal_checkpointed(tmp_path: Path) -> None:
    store = SqlStore(Settings(database_url=f"sqlite:///{tmp_path / 'v.db'}"))
    try:
        assert _autocheckpoint(store) == 1000  # SQLite's default: the committing connection checkpoints
        store.checkpoint_in_background(interval_s=0.05)
        assert _autocheckpoint(store) == 0
        with store.begin() as conn:
            conn.execute(text("CREATE TABLE filler (x TEXT)"))
            for _ in range(200):
                conn.execute(text("INSERT INTO filler VALUES (:x)"), {"x": "y" * 4000})
        checkpointer = store._checkpointer
        assert checkpointer is not None
        runs = checkpointer.runs
        deadline = time.monotonic() + 10
        while checkpointer.runs < runs + 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert checkpointer.runs >= runs + 2 and checkpointer.failures == 0
        with store.engine.connect() as conn:
            busy, wal_frames, checkpointed = conn.execute(text("PRAGMA wal_checkpoint(PASSIVE)")).one()
        assert busy == 0 and wal_frames == checkpointed  # nothing left that the thread did not copy
        store.stop_background_checkpoints()
        assert store._checkpointer is None and _autocheckpoint(store) == 1000
    finally:
        store.close()

