"""A fork while another thread is inside a logging handler: without the guard the child inherits the
stream's lock held by a thread it does not have and hangs on its first log record; with it, the fork
waits for the record to be written and the child logs normally."""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest

import vigil.core.forksafe as forksafe
from vigil.core.forksafe import guard_logging_at_fork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


class SlowStream:
    """A stream with its own lock, as buffered files have, whose first write takes a while."""

    def __init__(self, release: threading.Event) -> None:
        self.lock = threading.Lock()
        self.release = release
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        with self.lock:
            if not self.lines:
                self.release.wait(5)  # a thread caught in the middle of a write
            self.lines.append(text)

    def flush(self) -> None:
        with self.lock:
            pass


def _child_exit_code(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None  # hung


def test_forksafe_a_fork_waits_for_a_thread_inside_a_log_handler() -> None:
    guard_logging_at_fork()
    release = threading.Event()
    stream = SlowStream(release)
    handler = logging.StreamHandler(stream)  # type: ignore[arg-type]
    logger = logging.getLogger("vigil.test.forksafe")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        writer = threading.Thread(target=logger.warning, args=("from a thread",))
        writer.start()
        time.sleep(0.1)  # the thread is inside the handler, holding the stream's lock
        threading.Timer(0.3, release.set).start()
        pid = os.fork()
        if pid == 0:  # the child: log once, exit 0 if that returns
            try:
                logger.warning("from the child")
            finally:
                os._exit(0)
        code = _child_exit_code(pid, timeout=5.0)
        writer.join(5)
    finally:
        release.set()
        logger.removeHandler(handler)
        logger.propagate = True
    assert code == 0, "the forked child hung on its first log record"
    assert stream.lines == ["from a thread\n"]  # the parent's record, written before the fork went on
    assert not forksafe._held  # the parent gave every handler lock back after the fork
    free = threading.Thread(target=lambda: handler.acquire() or handler.release())
    free.start()
    free.join(2)
    assert not free.is_alive()
