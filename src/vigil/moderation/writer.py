"""Group commit for send-time writes: one thread writes the decisions of many concurrent requests in
one transaction, and each request waits until the transaction holding its decision has committed.

    request threads ─► submit(job) ─► queue ─► writer thread: BEGIN (write lock, audit head locked)
                                                 job 1 (SAVEPOINT) ... job n (SAVEPOINT) ─► COMMIT
                    ◄─ result (decision id) ◄──────────────────────────────────────────────┘

Why: every decision extends the audit chain, so writes are serialized anyway; taking the write lock
and committing once per batch instead of once per request is what lets one process keep up with
hundreds of sends per second, and a request is answered only after its decision is durable. A job
that fails rolls back to its savepoint (and the audit chain to its state before the job) without
affecting the other jobs of the batch.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import Connection

from vigil.moderation.audit import AuditChain
from vigil.moderation.loopbatch import LoopBatcher, Results, TryLater
from vigil.store.sql import HeldConnection, SqlStore, WriteLockBusy

T = TypeVar("T")
Job = Callable[[Connection, AuditChain], Any]
_STOP = object()
# How soon the event loop tries the write lock again when another process holds it: a send's write
# holds it ~0.3-0.5 ms, a checkpoint's locked step ~1.5-5 ms. uvloop's timers count whole milliseconds.
LOCK_RETRY_S = 0.001


class GroupWriter:
    def __init__(self, store: SqlStore, max_batch: int = 64) -> None:
        self.store = store
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[[Connection, AuditChain], T]) -> T:
        """Run ``job`` inside the next write transaction; return its result once committed (or raise
        what it raised, or what the commit raised)."""
        return self.enqueue(job).result()

    def enqueue(self, job: Callable[[Connection, AuditChain], T]) -> Future[T]:
        """Queue ``job``; the future resolves once its transaction has committed."""
        self._start()
        fut: Future[T] = Future()
        self._queue.put((job, fut))
        return fut

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout=10)
            self._thread = None

    def _start(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="vigil-writer", daemon=True)
                    self._thread.start()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP:
                    self._queue.put(_STOP)
                    break
                batch.append(nxt)
            self._write(batch)

    def _write(self, batch: list[tuple[Job, Future[Any]]]) -> None:
        for fut, (ok, value) in zip((f for _, f in batch), write_batch(self.store, [j for j, _ in batch]), strict=True):
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)


class LoopWriter(LoopBatcher[Job, Any]):
    """Group commit on the event loop itself, for SQLite: jobs of requests that arrive in the same
    loop iteration are written in one transaction right after it, with no thread hand-off (on one
    core and one GIL a hand-off to a writer thread costs more CPU than the SQLite work). A local
    SQLite transaction takes well under a millisecond, so the loop is never blocked for long; with
    PostgreSQL, where a write waits on the network, the thread `GroupWriter` is used instead.

    The loop never waits for the write lock: when another API worker (or the checkpoint thread) holds
    it, the batch is put off (`loopbatch.TryLater`) and the loop goes on assessing other sends; it is
    tried again when the next send reaches the writer, or after `LOCK_RETRY_S`, with those sends in it. Waiting on the lock had blocked each worker's loop ~1.7% of the time at 500 sends a
    second, in stalls of up to 5-8 ms while the other worker's checkpoint synced the files."""

    def __init__(self, store: SqlStore, max_batch: int = 256, held: HeldConnection | None = None) -> None:
        super().__init__(self._write, max_batch)
        self.store, self.held = store, held
        self.deferred = 0  # times a batch was put off because another writer held the lock (for tests)

    def _write(self, jobs: Sequence[Job]) -> Results:
        try:
            return write_batch(self.store, list(jobs), self.held, wait=False)
        except WriteLockBusy:
            self.deferred += 1
            raise TryLater(LOCK_RETRY_S) from None

    async def run(self, job: Callable[[Connection, AuditChain], T]) -> T:
        result: T = await self.submit(job)
        return result


def write_batch(store: SqlStore, jobs: list[Job], held: HeldConnection | None = None,
                wait: bool = True) -> list[tuple[bool, Any]]:
    """Run ``jobs`` in one write transaction, each in a savepoint; (ok, result or exception) per job.
    If the commit fails, every job fails with that error. ``held`` and ``wait``: see
    `SqlStore.begin_write` (with ``wait=False``, `WriteLockBusy` is raised with no job run)."""
    out: list[tuple[bool, Any]] = []
    if len(jobs) == 1:
        # alone in its transaction, a job needs no savepoint: if it fails, the transaction rolls back
        # (at low load most batches hold one job, and the two savepoint statements cost as much as it)
        try:
            with store.begin_write(held, wait) as conn, AuditChain(conn) as chain:
                result = jobs[0](conn, chain)
        except WriteLockBusy:
            raise
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request
            return [(False, exc)]
        return [(True, result)]
    try:
        with store.begin_write(held, wait) as conn, AuditChain(conn) as chain:
            for job in jobs:
                state = chain.snapshot()
                conn.exec_driver_sql("SAVEPOINT vigil_job")
                try:
                    result = job(conn, chain)
                except Exception as exc:  # noqa: BLE001 - handed to the waiting request
                    conn.exec_driver_sql("ROLLBACK TO SAVEPOINT vigil_job")
                    chain.restore(state)
                    out.append((False, exc))
                else:
                    conn.exec_driver_sql("RELEASE SAVEPOINT vigil_job")
                    out.append((True, result))
    except WriteLockBusy:
        raise
    except Exception as exc:  # noqa: BLE001 - the transaction failed: so did every job in it
        return [(False, exc)] * len(jobs)
    return out
