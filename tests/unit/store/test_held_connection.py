"""`HeldConnection`: the API's event loop reads and writes on one connection kept out of the pool;
any other thread, a forked child or a closed holder uses the pool."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.helpers.moderation import BENIGN, CALL, service
from tests.helpers.store import scratch_store
from vigil.moderation.service import ModerationRequest
from vigil.store.sql import HeldConnection, SqlStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    with scratch_store(tmp_path) as s:
        yield s


def rows(store: SqlStore) -> list[int]:
    with store.engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT x FROM t ORDER BY x")]


def checkouts(store: SqlStore) -> list[int]:
    counted: list[int] = []
    event.listen(store.engine, "checkout", lambda *_: counted.append(1))
    return counted


def test_the_owner_thread_keeps_one_connection_and_other_threads_get_none(store: SqlStore) -> None:
    held = store.hold()
    assert isinstance(held, HeldConnection)
    first = held.get()
    assert first is not None and held.get() is first
    elsewhere: list[object] = []
    t = threading.Thread(target=lambda: elsewhere.append(held.get()))
    t.start()
    t.join()
    assert elsewhere == [None]
    assert store.engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    held.close()
    assert held.get() is None and first.closed
    assert store.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_writes_on_the_held_connection_commit_and_roll_back_like_pooled_ones(store: SqlStore) -> None:
    held = store.hold()
    assert held is not None
    counted = checkouts(store)
    for x in (1, 2):
        with store.begin_write(held) as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (?)", (x,))
    with pytest.raises(RuntimeError), store.begin_write(held) as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (3)")
        raise RuntimeError("a job failed")
    with store.reading(held) as conn:
        assert [r[0] for r in conn.exec_driver_sql("SELECT x FROM t ORDER BY x")] == [1, 2]
    with store.begin_write(held) as conn:  # still usable after the rollback
        conn.exec_driver_sql("INSERT INTO t VALUES (4)")
    assert rows(store) == [1, 2, 4]  # committed: seen from a pooled connection
    assert len(counted) == 2  # the held connection once, the check above once
    # another thread's write goes through the pool and the write lock as before
    t = threading.Thread(target=lambda: _insert(store, held, 5))
    t.start()
    t.join()
    assert rows(store) == [1, 2, 4, 5] and len(counted) == 4
    store.close()  # closes the held connection too
    assert held.get() is None


def _insert(store: SqlStore, held: HeldConnection | None, x: int) -> None:
    with store.begin_write(held) as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (?)", (x,))


def test_a_held_connection_follows_a_later_wal_autocheckpoint_change(store: SqlStore) -> None:
    held = store.hold()
    assert held is not None
    with store.begin_write(held):
        pass
    store.wal_pages = 12345  # as background_checkpoints does after the connection was checked out
    with store.begin_write(held) as conn:
        pass
    conn2 = held.get()
    assert conn2 is conn
    assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == 12345


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_use_its_parents_held_connection(store: SqlStore) -> None:
    held = store.hold()
    assert held is not None and held.get() is not None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        os.write(write, b"none" if held.get() is None else b"held")
        os._exit(0)
    os.close(write)
    got = os.read(read, 10)
    os.waitpid(pid, 0)
    os.close(read)
    assert got == b"none"


def test_sends_on_the_event_loop_check_out_no_pooled_connection_each(store: SqlStore) -> None:
    svc = service(store)
    counted = checkouts(store)

    async def sends(n: int) -> list[str]:
        out = []
        for i in range(n):
            r = await svc.moderate_async(ModerationRequest(f"acct{i % 3}", "c1", "private_chat",
                                                           CALL if i % 4 == 0 else BENIGN))
            out.append(r.action.value)
        return out

    actions = asyncio.run(sends(20))
    assert actions.count("block") == 5 and actions.count("allow") == 15
    # one checkout for the held connection (plus the flood guard's periodic alert read), not two a send
    assert len(counted) <= 3
    # the thread path (`moderate`, used from worker threads) still goes through the pool
    before = len(counted)
    assert svc.moderate(ModerationRequest("acct9", "c1", "private_chat", BENIGN)).action.value == "allow"
    assert len(counted) > before
    svc.close()
    assert store.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_the_held_connection_keeps_no_snapshot_that_would_stop_a_checkpoint(store: SqlStore) -> None:
    """Between sends the held connection must hold no read transaction: one would pin the log, so the
    checkpoint thread could not copy it all and SQLite could never restart it."""
    held = store.hold()
    assert held is not None
    _insert(store, held, 1)
    with store.reading(held) as conn:
        from vigil.store.bulk import BulkWriter

        assert BulkWriter.for_dialect("sqlite").fetch(conn, "SELECT x FROM t") == [(1,)]
    for x in (2, 3):  # another thread's writes after the read
        t = threading.Thread(target=lambda x=x: _insert(store, None, x))  # type: ignore[misc]
        t.start()
        t.join()
    with store.engine.connect() as other:
        busy, log, copied = other.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    assert busy == 0 and log > 0 and copied == log
