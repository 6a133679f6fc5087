"""SQLite's write-ahead log copied back into the database by a background thread, not inside the
commits of the requests that happen to cross `wal_autocheckpoint`.

Why: SQLite checkpoints in the commit that takes the log past ``wal_autocheckpoint`` pages (1,000
by default): it copies those pages into the database file and syncs both files, 3-12 ms here, while
the request whose commit it is, every request queued behind it on the event loop and the other API
worker waiting for the write lock all wait. A send writes ~12 pages, so at 500 sends a second that
was a checkpoint every ~0.2 s. Measured with ``bench/bench_api.py --server-workers 2`` and a probe
around each write transaction: 2% of the writes took over 3 ms, write p99 5.5-5.9 ms against a p50
of 0.34 ms, and they made the p99 of the API; with no checkpoint in any commit, write p99 1.9-2.2 ms.

How, every ``interval_s``:

1. a PASSIVE checkpoint on this thread's own connection, holding no lock: SQLite copies the pages
   with the GIL released, so the event loop goes on answering and writers go on appending;
2. if frames were appended meanwhile, a second PASSIVE checkpoint while holding the store's write
   lock (``lock``), which copies only those few frames. Then the whole log is in the database, and
   the next writer starts the log again from its beginning. Without this step a log under steady
   writes is never fully copied (each checkpoint races the writers), is never restarted, and grows
   without bound (1.5 GB in a 60 s bench with checkpoints off).

Writers keep a large ``wal_autocheckpoint`` (`BACKSTOP_WAL_PAGES`) in case this thread falls behind.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager

log = logging.getLogger(__name__)

BACKSTOP_WAL_PAGES = 16384  # ~64 MB of log: only reached if the checkpoint thread falls behind


class WalCheckpointer:
    def __init__(self, path: str, lock: Callable[[], AbstractContextManager[object]], interval_s: float = 0.25) -> None:
        self.path = path
        self.lock = lock  # the store's write lock: held, no other Vigil writer appends to the log
        self.interval_s = interval_s
        self.checkpoints = 0  # rounds that found new frames (for tests)
        self._last = (0, 0)  # (frames in the log, frames copied) after the last locked round
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> WalCheckpointer:
        self._thread = threading.Thread(target=self._run, name="vigil-wal-checkpoint", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop the thread after its current round (the last round copies what is left)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            log.warning("WAL checkpoint thread not started for %s: %s; commits checkpoint instead", self.path, exc)
            return
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA synchronous=NORMAL")  # as the writers: sync the log and database at checkpoints
            while not self._stop.wait(self.interval_s):
                self.round(conn)
            self.round(conn)
        finally:
            conn.close()

    def round(self, conn: sqlite3.Connection) -> None:
        """One checkpoint: the bulk unlocked, then what was appended meanwhile under the write lock."""
        try:
            _, frames, copied = _passive(conn)
            if frames <= 0 or (frames, copied) == self._last:
                return  # an empty log, or nothing appended since the last round
            with self.lock():
                _, frames, copied = _passive(conn)
            self._last = (frames, copied)
            self.checkpoints += 1
        except sqlite3.Error as exc:  # a locked or damaged file: the writers' backstop still checkpoints
            log.warning("WAL checkpoint of %s failed: %s", self.path, exc)


def _passive(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """``PRAGMA wal_checkpoint(PASSIVE)``: (busy, frames in the log, frames copied)."""
    row = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(row[0]), int(row[1]), int(row[2])
