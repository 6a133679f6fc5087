"""The cross-process write lock of SQLite stores (`_WriterFileLock`)."""

from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path

import pytest

from vigil.store.sql import _WriterFileLock

fcntl = pytest.importorskip("fcntl")


def _hold(url: str, ready: mp.synchronize.Event, seconds: float) -> None:
    lock = _WriterFileLock(url)
    with lock:
        ready.set()
        time.sleep(seconds)


def test_a_second_process_waits_for_the_lock_and_gets_it_when_released(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'v.db'}"
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold, args=(url, ready, 0.5))
    holder.start()
    assert ready.wait(30)
    lock = _WriterFileLock(url)
    started = time.perf_counter()
    with lock:
        waited = time.perf_counter() - started
    holder.join(10)
    assert waited >= 0.2  # it blocked while the other process held the lock ...
    assert waited < 5  # ... and got it once released, not after a timeout
    assert (tmp_path / "v.db.writelock").exists()
    lock.close()


def test_no_lock_file_for_memory_databases_or_postgresql(tmp_path: Path) -> None:
    for url in ("sqlite:///:memory:", "sqlite://", "postgresql+psycopg://u@127.0.0.1/db"):
        lock = _WriterFileLock(url)
        assert lock.path is None
        with lock:  # a no-op
            pass
