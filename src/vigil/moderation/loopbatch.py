"""Micro-batching on the event loop: the values submitted in one loop iteration are processed together,
in one call, right after it.

    coroutine 1 ─ submit(v1) ─┐
    coroutine 2 ─ submit(v2) ─┼─► process([v1, v2, v3]) ─► (ok, result or exception) for each ─► each coroutine
    coroutine 3 ─ submit(v3) ─┘

An idle loop processes a lone value at once (a batch of one); a busy loop gathers more values per call
the busier it gets. There is no thread hand-off: on one core and one GIL a hand-off costs more CPU than
the work it would overlap. Used for the send-time assessment (`AssessBatcher`) and, on SQLite, for the
group commit (`LoopWriter`).

A ``process`` that cannot run now (the SQLite write lock is held by another process) raises
`TryLater`: the values stay pending and the loop goes on with other requests; the batch is tried
again after the delay, or sooner when another value is submitted (a busy loop retries as often as
it has work, an idle one every few milliseconds), with whatever joined meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
Results = list[tuple[bool, Any]]  # per value, in order: (True, result) or (False, exception)


class TryLater(Exception):  # noqa: N818 - an instruction, not an error
    """Raised by a batch's ``process`` before doing anything: not now, call again in ``after_s``
    seconds with the values still pending (and any submitted meanwhile). The loop goes on meanwhile."""

    def __init__(self, after_s: float) -> None:
        super().__init__(after_s)
        self.after_s = after_s


class LoopBatcher(Generic[T, R]):
    def __init__(self, process: Callable[[Sequence[T]], Results], max_batch: int) -> None:
        self.process = process
        self.max_batch = max_batch
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._scheduled = False
        self._retry: asyncio.TimerHandle | None = None  # a put-off batch's retry (`TryLater`)

    async def submit(self, value: T) -> R:
        """``value``'s result, computed with the other values submitted in this loop iteration (or the
        exception its processing raised)."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[R] = loop.create_future()
        self._pending.append((value, fut))
        if self._retry is not None:  # a batch was put off: try again now, with this value in it
            self._retry.cancel()
            self._retry = None
            loop.call_soon(self._flush)
        elif not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)  # after the callbacks already ready: their values join the batch
        return await fut

    def _flush(self) -> None:
        self._retry = None
        batch = self._pending[: self.max_batch]
        try:
            results = self.process([value for value, _ in batch])
        except TryLater as later:  # the batch stays pending until the retry or the next value
            self._retry = asyncio.get_running_loop().call_later(later.after_s, self._flush)
            return
        except Exception as exc:  # noqa: BLE001 - handed to every waiting coroutine of the batch
            results = [(False, exc)] * len(batch)
        self._pending = self._pending[len(batch):]
        self._scheduled = bool(self._pending)
        if self._pending:
            asyncio.get_running_loop().call_soon(self._flush)
        for (_, fut), (ok, value) in zip(batch, results, strict=True):
            if fut.done():  # cancelled: the client went away
                continue
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)
