"""The event loop's group commit never blocks on the write lock: while another process holds it, the
batch is put off, the loop goes on with other work, and the sends submitted meanwhile join the batch."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection
from tests.helpers.store import scratch_store

from vigil.moderation.audit import AuditChain
from vigil.moderation.loopbatch import LoopBatcher, Results, TryLater
from vigil.moderation.writer import LoopWriter
from vigil.store.sql import SqlStore, WriteLockBusy


@contextmanager
def held_elsewhere(store: SqlStore, seconds: float) -> Iterator[threading.Event]:
    """Another process's writer: a second store on the same file (its own descriptor of the lock file)
    takes the write lock on a thread and keeps it ``seconds`` or until the yielded event is set. (With a
    lock that waited, the code under test would block until then, and the test fail rather than hang.)"""
    other = SqlStore(store.settings)
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with other._locked():
            taken.set()
            release.wait(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(5)
    try:
        yield release
    finally:
        release.set()
        thread.join()
        other.close()


def test_loopbatch_try_later_keeps_the_values_pending_and_retries_with_the_newcomers() -> None:
    calls: list[list[int]] = []

    def process(values: list[int]) -> Results:
        calls.append(list(values))
        if len(calls) == 1:
            raise TryLater(30.0)  # the next submission retries at once: the test takes no 30 s
        return [(True, v * 10) for v in values]

    async def main() -> list[int]:
        batcher: LoopBatcher[int, int] = LoopBatcher(process, max_batch=8)
        first = asyncio.ensure_future(batcher.submit(1))
        await asyncio.sleep(0)  # the first flush runs and is put off
        await asyncio.sleep(0)
        second = asyncio.ensure_future(batcher.submit(2))
        return list(await asyncio.wait_for(asyncio.gather(first, second), 5))  # not after the 30 s

    assert asyncio.run(main()) == [10, 20]
    assert calls == [[1], [1, 2]]  # retried once, with the value submitted while it waited


def test_begin_write_without_waiting_raises_before_beginning_anything(tmp_path: Path) -> None:
    with scratch_store(tmp_path) as store:
        with held_elsewhere(store, 2.0):
            with pytest.raises(WriteLockBusy), store.begin_write(wait=False):
                pytest.fail("the transaction body ran while another writer held the lock")
            assert not store._write_lock.locked()  # the process's own lock was given back
        with store.begin_write(wait=False) as conn:  # free again: taken at once
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        with store.begin() as conn:
            assert [r[0] for r in conn.exec_driver_sql("SELECT x FROM t")] == [1]


def test_loop_writer_goes_on_with_other_work_while_another_writer_holds_the_lock(tmp_path: Path) -> None:
    with scratch_store(tmp_path) as store:
        held = store.hold()
        writer = LoopWriter(store, held=held)

        def job(value: int):
            def run(conn: Connection, chain: AuditChain) -> int:
                conn.exec_driver_sql(f"INSERT INTO t VALUES ({value})")
                return value
            return run

        async def main(release: threading.Event) -> tuple[list[int], int]:
            ticks = 0
            first = asyncio.ensure_future(writer.run(job(1)))
            for _ in range(20):  # the loop is free: this coroutine keeps running while the write waits
                await asyncio.sleep(0.001)
                ticks += 1
            assert not first.done()
            second = asyncio.ensure_future(writer.run(job(2)))
            await asyncio.sleep(0.003)
            release.set()
            return list(await asyncio.gather(first, second)), ticks

        try:
            with held_elsewhere(store, 3.0) as release:
                results, ticks = asyncio.run(main(release))
        finally:
            if held is not None:
                held.close()
        assert results == [1, 2] and ticks == 20
        assert writer.deferred >= 2  # put off while the lock was held, then written
        with store.begin() as conn:
            assert sorted(r[0] for r in conn.exec_driver_sql("SELECT x FROM t")) == [1, 2]
