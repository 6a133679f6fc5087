"""`LoadBoard`: how busy each worker process of `vigil serve --workers N` is, so that a worker clearly
busier than its least busy sibling can hand a keep-alive connection back to the client.

Why: the workers accept connections from one listening socket, and HTTP client pools hand out the most
recently returned connection first (urllib3, aiohttp and Go's client do), so most requests ride the few
connections on top of the client's stack and the worker that happened to accept those does most of the
work: `bench/bench_api.py` measured the busier of two workers at 0.52 to 0.74 of the server's CPU at
500 sends/s. At 0.74 it runs at ~70% of a core while its sibling idles, and its queue is the tail.

How: each worker publishes its CPU use (the share of one core it used over about the last second,
sampled every `SAMPLE_S`) in a slot of a small file that all workers map. A worker that answers a send
while it is at least `MIN_BUSY` busy and `GAP` busier than its least busy live sibling asks for
``Connection: close``, at most `MAX_PER_S` times a second. The client's next connection is accepted by
whichever worker calls accept() first, which is the one waiting in its event loop, not the busy one.
A handed-back connection costs the client one TCP connect on its next request (~0.1 ms on loopback).

The file lives in a private folder that `vigil serve` creates for its workers (``VIGIL_WORKER_BOARD``);
a server without that variable (one process, tests) has no board and never sheds.

Off by default (setting ``api_balance``) until a bad run is explained. Measured on this project's
two-vCPU host (one core's two hyperthreads), six 60 s pairs at 500 sends/s with two workers: it held the
busier worker's share at 0.50–0.52 (0.51–0.69 without) and p99 was lower in five pairs (7.1–16.4 against
9.4–17.4 ms), but one run gave 41.6 ms, worse than any run without it, and two pairs at 600 sends/s showed
no gain (docs/service.md). A suspect is the host: with the load even, both hyperthreads are busy together
more often and each runs slower. On a host with real cores it may pay more.
"""

from __future__ import annotations

import logging
import mmap
import os
import struct
import time
from collections.abc import Callable, Mapping
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: the board is then off
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("vigil.api")

ENV = "VIGIL_WORKER_BOARD"
SLOTS = 64
SAMPLE_S = 0.25
STALE_S = 2.0  # a slot not updated for this long is a worker that is gone or stuck: not a sibling
MIN_BUSY = 0.4
GAP = 0.15
MAX_PER_S = 4.0
_SLOT = struct.Struct("<idd")  # pid, busy (share of one core), monotonic time of the sample


class LoadBoard:
    """One worker's view of the board file at ``path`` (created if missing)."""

    def __init__(self, path: Path, *, pid: int | None = None,
                 cpu: Callable[[], float] = time.process_time, clock: Callable[[], float] = time.monotonic) -> None:
        self.pid = pid if pid is not None else os.getpid()
        self._cpu, self._clock = cpu, clock
        size = SLOTS * _SLOT.size
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)  # two workers starting together claim different slots
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, size)
            self._map = mmap.mmap(fd, size)
            self.slot = self._claim()
        finally:
            if fcntl is not None:  # explicitly: the mapping holds a duplicate of fd, and with it the lock
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self.busy = 0.0
        self.least: float | None = None  # the least busy live sibling's share; None: no sibling
        self._cpu0, self._wall0 = self._cpu(), self._clock()
        self._tokens, self._refilled = MAX_PER_S, self._wall0

    def _claim(self) -> int:
        now = self._clock()
        for i in range(SLOTS):
            pid, _, stamp = _SLOT.unpack_from(self._map, i * _SLOT.size)
            if pid in (0, self.pid) or now - stamp > STALE_S:
                _SLOT.pack_into(self._map, i * _SLOT.size, self.pid, 0.0, now)
                return i
        return -1  # more workers than slots: this one neither publishes nor sheds

    def sample(self) -> None:
        """Measure this process's CPU share since the last sample, publish it and read the siblings'."""
        if self.slot < 0:
            return
        cpu, now = self._cpu(), self._clock()
        share = (cpu - self._cpu0) / max(now - self._wall0, 1e-6)
        self._cpu0, self._wall0 = cpu, now
        self.publish(0.5 * self.busy + 0.5 * share, now)  # a running mean over about the last second

    def publish(self, busy: float, now: float | None = None) -> None:
        """Set this worker's share (`sample` measures it) and read the siblings'."""
        now = self._clock() if now is None else now
        self.busy = busy
        _SLOT.pack_into(self._map, self.slot * _SLOT.size, self.pid, busy, now)
        least = None
        for i in range(SLOTS):
            if i == self.slot:
                continue
            pid, other, stamp = _SLOT.unpack_from(self._map, i * _SLOT.size)
            if pid and now - stamp <= STALE_S and (least is None or other < least):
                least = other
        self.least = least

    def should_shed(self) -> bool:
        """Whether the response being sent should close its connection."""
        least = self.least
        if least is None or self.busy < MIN_BUSY or self.busy - least < GAP:
            return False
        now = self._clock()
        self._tokens = min(MAX_PER_S, self._tokens + (now - self._refilled) * MAX_PER_S)
        self._refilled = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True

    def close(self) -> None:
        """Free the slot (a sibling then stops counting this worker)."""
        if self.slot >= 0:
            _SLOT.pack_into(self._map, self.slot * _SLOT.size, 0, 0.0, 0.0)
            self.slot = -1
        self._map.close()


def from_env(env: Mapping[str, str] | None = None) -> LoadBoard | None:
    """The board `vigil serve --workers N` set up for its workers, or None (also when it cannot be
    opened: balancing is an optimisation, never a reason for a worker not to start)."""
    path = (env if env is not None else os.environ).get(ENV)
    if not path or fcntl is None:
        return None
    try:
        return LoadBoard(Path(path))
    except OSError as exc:
        log.warning("worker load board %s not opened (%s): workers are not balanced", path, exc)
        return None
