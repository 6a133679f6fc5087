"""Forking while another thread is writing a log record.

A forked child has only the thread that forked. If another thread of the parent was inside a logging
handler at that moment (a bank-refresh thread reporting a failed refresh, say), the child inherits the
locks that thread held, the handler's and its stream's, locked by a thread that does not exist there:
logging re-creates the handler locks in the child, but not the buffered stream's own lock, so the
child's first log record through that handler waits forever. Seen in CI: a scan worker of
``vigil scan --workers 2`` hung in ``StreamHandler.flush`` and the scan with it.

`guard_logging_at_fork` makes every fork wait until no thread is inside a logging handler: before the
fork the forking thread takes every handler's lock (a handler holds it for the whole of ``emit``, the
stream's write and flush included), and gives them back after it in the parent; the child re-creates
them. Handlers are locked in creation order; a handler whose ``emit`` logs through another handler
could in principle deadlock against that order, and Vigil has none.
"""

from __future__ import annotations

import logging
import os

_registered = False
_held: list[logging.Handler] = []


def _handlers() -> list[logging.Handler]:
    # logging keeps weak references to every handler it created, in creation order (internal, stable
    # since Python 2.6; logging's own fork support walks a similar set)
    refs = list(logging._handlerList)  # type: ignore[attr-defined]  # noqa: SLF001
    return [h for ref in refs if (h := ref()) is not None and h.lock is not None]


def _before() -> None:
    for handler in _handlers():
        handler.acquire()
        _held.append(handler)


def _after_in_parent() -> None:
    while _held:
        _held.pop().release()


def _after_in_child() -> None:
    # logging's own fork hook has already re-created the locks of the handlers it tracks; do the same
    # for the ones locked here (re-creating an unlocked lock again is harmless)
    for handler in _held:
        reinit = getattr(handler.lock, "_at_fork_reinit", None)
        if reinit is not None:
            reinit()
    _held.clear()


def guard_logging_at_fork() -> None:
    """Make this process's forks wait for any thread inside a logging handler (idempotent)."""
    global _registered
    if not _registered and hasattr(os, "register_at_fork"):
        os.register_at_fork(before=_before, after_in_parent=_after_in_parent, after_in_child=_after_in_child)
        _registered = True
