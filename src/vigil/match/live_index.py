"""A signal type's index that follows bank changes while it serves lookups.

    state = (main index, small delta index, tombstones, seq)       <- replaced whole, never mutated

* **Added or re-enabled entries** go into the delta index, which is rebuilt from its few entries on each
  refresh (milliseconds), so they match as soon as the matcher refreshes (every few seconds).
* **Removed or disabled entries** become tombstones, filtered out of every result at once.
* When the delta or the tombstones grow past a limit, a **full rebuild** runs in a background thread
  from the store; lookups keep using the current state meanwhile, and the finished index is swapped in
  with one reference assignment, after replaying the changes made during the build.

Readers take ``self._state`` once per lookup and never lock; only refreshes and swaps take the lock.
"""

from __future__ import annotations

import logging
import threading
import time
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from vigil.match.banks import ENTRY_ADDED, ENTRY_DISABLED, ENTRY_ENABLED, ENTRY_REMOVED, BankStore, Change
from vigil.match.base import SignalIndex, SignalType

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _State:
    main: SignalIndex
    main_ids: npt.NDArray[np.int64]  # sorted entry ids in main
    main_banks: npt.NDArray[np.int64]  # bank id of each main_ids element
    delta: SignalIndex
    delta_entries: dict[int, tuple[tuple[str, ...], int]] = field(default_factory=dict)  # id -> (signals, bank)
    dead: frozenset[int] = frozenset()
    seq: int = 0
    built_at: float = 0.0

    def in_main(self, entry_id: int) -> bool:
        i = int(np.searchsorted(self.main_ids, entry_id))
        return i < len(self.main_ids) and int(self.main_ids[i]) == entry_id


@dataclass(frozen=True, slots=True)
class Hit:
    entry_id: int
    bank_id: int
    distance: float


class LiveIndex:
    """The serving index of one signal type over all banks of a store."""

    def __init__(
        self,
        store: BankStore,
        signal_type: type[SignalType],
        *,
        radius: float | None = None,
        max_delta: int = 20_000,
        max_dead: int = 100_000,
    ) -> None:
        self.store = store
        self.signal_type = signal_type
        self.radius = float(signal_type.max_threshold if radius is None else radius)
        self.max_delta = max_delta
        self.max_dead = max_dead
        self._lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None
        self.rebuilds = 0
        self._state = self._build_full()

    # ---- lookups (lock-free) -----------------------------------------------------------------

    def query(self, signals: Sequence[str]) -> list[Hit]:
        state = self._state
        hits: dict[int, Hit] = {}
        main = state.main.query_many(signals) if len(state.main) else []
        if main:
            ids = np.fromiter((i for i, _ in main), dtype=np.int64, count=len(main))
            banks = state.main_banks[np.searchsorted(state.main_ids, ids)]
            for (entry_id, distance), bank_id in zip(main, banks.tolist(), strict=True):
                if entry_id not in state.dead:
                    hits[entry_id] = Hit(entry_id, bank_id, distance)
        if len(state.delta):
            for entry_id, distance in state.delta.query_many(signals):
                if entry_id not in state.dead and entry_id not in hits:
                    hits[entry_id] = Hit(entry_id, state.delta_entries[entry_id][1], distance)
        return list(hits.values())

    @property
    def seq(self) -> int:
        return self._state.seq

    def size(self) -> dict[str, int]:
        s = self._state
        return {"main": len(s.main), "delta": len(s.delta), "dead": len(s.dead), "bytes": s.main.memory_bytes()}

    # ---- building ----------------------------------------------------------------------------

    def _build_full(self) -> _State:
        seq = self.store.last_seq()  # read before the entries: changes after it are replayed later
        ids = array("q")
        banks = array("q")

        def pairs() -> Iterator[tuple[str, int]]:  # streamed: no list of every signal string
            for entry_id, bank_id, signal in self.store.iter_signals(self.signal_type.name):
                if not ids or ids[-1] != entry_id:  # variants repeat their entry id
                    ids.append(entry_id)
                    banks.append(bank_id)
                yield signal, entry_id

        main = self.signal_type.index_cls.build(pairs(), radius=self.radius)
        id_arr = np.frombuffer(ids, dtype=np.int64) if ids else np.empty(0, dtype=np.int64)
        bank_arr = np.frombuffer(banks, dtype=np.int64) if banks else np.empty(0, dtype=np.int64)
        order = np.argsort(id_arr, kind="stable")
        empty = self.signal_type.index_cls.build((), radius=self.radius)
        return _State(main, id_arr[order], bank_arr[order], empty, seq=seq, built_at=time.time())

    def _with_delta(
        self, state: _State, delta_entries: dict[int, tuple[tuple[str, ...], int]], dead: set[int], seq: int
    ) -> _State:
        delta = state.delta
        if delta_entries != state.delta_entries:
            pairs = ((signal, entry_id) for entry_id, (signals, _) in delta_entries.items() for signal in signals)
            delta = self.signal_type.index_cls.build(pairs, radius=self.radius)
        return _State(state.main, state.main_ids, state.main_banks, delta, delta_entries, frozenset(dead), seq, state.built_at)

    def apply(self, changes: Sequence[Change]) -> int:
        """Apply store changes of this signal type (others are ignored); returns how many applied."""
        with self._lock:
            return self._apply_locked(changes)

    def _apply_locked(self, changes: Sequence[Change]) -> int:
        state = self._state
        mine = [c for c in changes if c.seq > state.seq and c.signal_type == self.signal_type.name]
        last_seq = max((c.seq for c in changes), default=state.seq)
        if not mine:
            if last_seq > state.seq:
                self._state = _State(state.main, state.main_ids, state.main_banks, state.delta,
                                     state.delta_entries, state.dead, last_seq, state.built_at)
            return 0
        delta = dict(state.delta_entries)
        dead = set(state.dead)
        wanted = [c.entry_id for c in mine if c.kind in (ENTRY_ADDED, ENTRY_ENABLED) and c.entry_id is not None]
        current = self.store.get_entries(wanted) if wanted else {}
        for c in mine:
            if c.entry_id is None:
                continue
            if c.kind in (ENTRY_REMOVED, ENTRY_DISABLED):
                delta.pop(c.entry_id, None)
                if state.in_main(c.entry_id):
                    dead.add(c.entry_id)
            elif c.kind in (ENTRY_ADDED, ENTRY_ENABLED):
                entry = current.get(c.entry_id)
                if entry is None or not entry.enabled:
                    continue  # removed or disabled again later in the same batch
                dead.discard(c.entry_id)
                if not state.in_main(c.entry_id):
                    delta[c.entry_id] = (entry.signals, entry.bank_id)
        self._state = self._with_delta(state, delta, dead, last_seq)
        if len(delta) > self.max_delta or len(dead) > self.max_dead:
            self.rebuild_in_background()
        return len(mine)

    def rebuild_in_background(self, radius: float | None = None) -> threading.Thread | None:
        """Start a full rebuild unless one is running; lookups continue on the current state."""
        if self._rebuilding is not None and self._rebuilding.is_alive():
            return None
        if radius is not None:
            self.radius = float(radius)
        thread = threading.Thread(target=self._rebuild, name=f"rebuild-{self.signal_type.name}", daemon=True)
        self._rebuilding = thread
        thread.start()
        return thread

    def _rebuild(self) -> None:
        try:
            fresh = self._build_full()
        except Exception:  # a failed rebuild must not kill serving; the old state stays in use
            log.exception("rebuilding the %s index failed; still serving the previous one", self.signal_type.name)
            return
        with self._lock:
            # replay what happened while building (idempotent: entries already in the new main are skipped)
            self._state = fresh
            self._apply_locked(self.store.changes_since(fresh.seq))
            self.rebuilds += 1
