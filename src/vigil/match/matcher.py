"""The matcher the pipeline calls before classification: item or media in, `Match` records out.

    Item ─► content units ─► signals per unit ─► LiveIndex per signal type ─► hits
         ─► bank rules (enabled, threshold, negative) ─► Match(bank, signal_type, distance, provenance)

A *content unit* is one thing that can be known content: the item's text (``text_exact``,
``text_near``), each URL in it (``url``), each media file (``pdq``, ``md5``, ``sha256``). A match in an
enabled *negative* bank suppresses the positive matches of the same unit (a news photograph of an attack
that is also in a propaganda bank is not acted on); the negative matches are returned with
``negative=True`` so policy and reviewers see why.

Bank changes made by any process (CLI, API, moderators) reach a running matcher through the store's
change sequence: `refresh` applies them, and `start` runs it every ``refresh_interval`` seconds in a
background thread (default 5 s, well inside the one-minute target). Lookups never wait on a refresh.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vigil.core.errors import InvalidInput, InvalidSignal
from vigil.core.records import Item, Match, MediaRef, RawItem
from vigil.match.banks import BANK_CHANGED, Bank, BankStore
from vigil.match.base import MAX_HASH_FILE_BYTES, ExactIndex, LowQualitySignal, SignalType, read_bounded
from vigil.match.live_index import Hit, LiveIndex
from vigil.match.url import extract_urls

TEXT_TYPES = ("text_exact", "text_near")
MEDIA_TYPES = ("pdq", "md5", "sha256")


@dataclass(frozen=True, slots=True)
class Unit:
    """One content unit and the signals to look up for it, per signal type."""

    name: str  # "text", "url:<canonical url>", "media:<path or index>"
    signals: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class MatchReport:
    matches: tuple[Match, ...]
    suppressed: tuple[Match, ...] = ()  # positives suppressed by a negative bank
    notes: tuple[str, ...] = ()  # e.g. low-quality signals that were not looked up
    units: tuple[str, ...] = field(default=())


class Matcher:
    """Matches content against every enabled bank of a store."""

    def __init__(
        self,
        store: BankStore,
        *,
        refresh_interval: float = 5.0,
        max_file_bytes: int = MAX_HASH_FILE_BYTES,
        media_root: str | Path | None = None,
        exact_from_store: bool = False,
    ) -> None:
        """``exact_from_store``: answer exact signal types (digests, URLs) from the store's index
        instead of building an in-memory one; for one-off lookups (the CLI), not for serving."""
        self.store = store
        self.signal_types = store.signal_types
        self.refresh_interval = refresh_interval
        self.max_file_bytes = max_file_bytes
        self.media_root = Path(media_root).resolve() if media_root else None
        self.exact_from_store = exact_from_store
        self._indexes: dict[str, LiveIndex] = {}
        self._banks: dict[int, Bank] = store.banks_by_id()
        self._seq = store.last_seq()
        self._active = self._active_types()
        self._build_lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Matcher:
        """Refresh in a background thread every ``refresh_interval`` seconds until `close`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="bank-refresh", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.wait(self.refresh_interval):
            try:
                self.refresh()
            except Exception:  # noqa: BLE001 - keep serving on the last good state; retried next tick
                import logging

                logging.getLogger(__name__).exception("bank refresh failed")

    def refresh(self) -> int:
        """Apply the bank changes made since the last refresh. Returns how many changes were read."""
        with self._refresh_lock:
            changes = self.store.changes_since(self._seq)
            if not changes:
                return 0
            if any(c.kind == BANK_CHANGED for c in changes):
                self._banks = self.store.banks_by_id()
                self._check_radius()
            for index in list(self._indexes.values()):
                index.apply(changes)
            self._seq = changes[-1].seq
            self._active = self._active_types()
            return len(changes)

    def _active_types(self) -> frozenset[str]:
        """Signal types with entries in an enabled bank. Hashing an item for a type no bank holds is
        wasted work on every message (text preparation and MinHash cost ~100 µs an item), so
        `match` only computes the signals of these types."""
        counts = self.store.count_entries()
        return frozenset(
            st for bank_id, per_type in counts.items()
            if (bank := self._banks.get(bank_id)) is not None and bank.enabled
            for st, n in per_type.items() if n
        )

    def _needed_radius(self, st: type[SignalType]) -> float:
        if st.max_threshold <= st.default_threshold or st.name != "pdq":
            return st.max_threshold  # exact and LSH indexes cost the same at any radius
        wanted = [b.threshold(st) for b in self._banks.values() if b.enabled]
        return max([st.default_threshold, *wanted])

    def _check_radius(self) -> None:
        for name, index in self._indexes.items():
            needed = self._needed_radius(self.signal_types[name])
            if needed > index.radius:
                index.rebuild_in_background(radius=needed)

    def index(self, signal_type: str) -> LiveIndex:
        """The live index of a signal type, built on first use."""
        index = self._indexes.get(signal_type)
        if index is None:
            with self._build_lock:
                index = self._indexes.get(signal_type)
                if index is None:
                    st = self.signal_types[signal_type]
                    index = LiveIndex(self.store, st, radius=self._needed_radius(st))
                    self._indexes[signal_type] = index
        return index

    # ---- lookups -----------------------------------------------------------------------------

    def lookup(self, signal_type: str, signals: Sequence[str]) -> list[Match]:
        """Matches of canonical query signals of one type (several for the rotations of an image)."""
        st = self.signal_types[signal_type]
        if self.exact_from_store and st.index_cls is ExactIndex:
            hits = [Hit(e.id, e.bank_id, 0.0) for s in signals for e in self.store.find_entries(signal_type, s) if e.enabled]
        else:
            hits = self.index(signal_type).query(signals)
        kept: list[tuple[Hit, Bank]] = []
        for hit in hits:
            bank = self._banks.get(hit.bank_id)
            if bank is None or not bank.enabled or hit.distance > bank.threshold(st):
                continue
            kept.append((hit, bank))
        if not kept:
            return []
        entries = self.store.get_entries([hit.entry_id for hit, _ in kept])
        out = []
        for hit, bank in kept:
            entry = entries.get(hit.entry_id)
            if entry is None or not entry.enabled:
                continue  # changed after the last refresh: the store is the truth
            provenance = {**entry.provenance(), "bank_source": bank.source, "group": bank.group}
            out.append(
                Match(
                    bank=bank.name,
                    signal_type=signal_type,
                    signal=entry.signal,
                    distance=float(hit.distance),
                    entry_id=entry.id,
                    labels=tuple(dict.fromkeys((*bank.labels, *entry.labels))),
                    negative=bank.negative,
                    provenance={k: v for k, v in provenance.items() if v is not None},
                )
            )
        return sorted(out, key=lambda m: (m.distance, m.bank, m.entry_id or 0))

    def report_signals(self, signal_type: str, signals: Sequence[str]) -> MatchReport:
        """Matches of one content unit given as signals of one type, with negative suppression."""
        return self._report([Unit(f"{signal_type}:query", {signal_type: tuple(signals)})], [])

    def match(self, target: Item | RawItem | MediaRef | bytes | str) -> tuple[Match, ...]:
        """Matches for an item (its text, URLs and media), a raw item, one media reference, file bytes,
        or a text. Negative-bank matches suppress the positive matches of the same content unit."""
        if not self._active:
            return ()
        return self.report(target, every_type=False).matches

    def report(self, target: Item | RawItem | MediaRef | bytes | str, *, every_type: bool = True) -> MatchReport:
        """`match` with the suppressed positives and notes (low-quality signals) kept for display;
        by default every signal is computed, so the notes are complete."""
        units, notes = self.units(target, every_type=every_type)
        return self._report(units, notes)

    def _report(self, units: Sequence[Unit], notes: Sequence[str]) -> MatchReport:
        matches: list[Match] = []
        suppressed: list[Match] = []
        for unit in units:
            found = [m for name, signals in unit.signals.items() for m in self.lookup(name, signals)]
            negatives = [m for m in found if m.negative]
            if negatives:
                matches.extend(negatives)
                suppressed.extend(m for m in found if not m.negative)
            else:
                matches.extend(found)
        return MatchReport(tuple(matches), tuple(suppressed), tuple(notes), tuple(u.name for u in units))

    # ---- content units -----------------------------------------------------------------------

    def units(
        self, target: Item | RawItem | MediaRef | bytes | str, *, every_type: bool = False
    ) -> tuple[list[Unit], list[str]]:
        """Content units with their signals: only of the types some enabled bank holds, unless
        ``every_type`` (banking a confirmed item needs them all)."""
        wanted = frozenset(self.signal_types) if every_type else self._active
        notes: list[str] = []
        units: list[Unit] = []
        if isinstance(target, Item | RawItem):
            text = target.text
            urls: Iterable[str] = target.urls if isinstance(target, Item) and target.urls else extract_urls(text)
            media = target.raw.media if isinstance(target, Item) else target.media
            units.extend(self._text_units(text, urls, notes, wanted))
            for i, ref in enumerate(media):
                unit = self._media_unit(ref, f"media:{ref.path or i}", notes, wanted)
                if unit is not None:
                    units.append(unit)
        elif isinstance(target, MediaRef):
            unit = self._media_unit(target, f"media:{target.path or 0}", notes, wanted)
            units.extend([unit] if unit else [])
        elif isinstance(target, bytes):
            units.append(self._bytes_unit(target, "media:bytes", notes))
        else:
            units.extend(self._text_units(target, extract_urls(target), notes, wanted))
        return [u for u in units if u.signals], notes

    def _text_units(self, text: str, urls: Iterable[str], notes: list[str], wanted: frozenset[str]) -> list[Unit]:
        signals: dict[str, tuple[str, ...]] = {}
        for name in TEXT_TYPES:
            st = self.signal_types.get(name)
            if st is None or name not in wanted:
                continue
            try:
                signals[name] = (st.hash_text(text),)
            except LowQualitySignal as exc:
                notes.append(f"{name}: {exc.message}")
            except InvalidSignal:
                pass  # nothing to hash (empty text)
        units = [Unit("text", signals)]
        url_type = self.signal_types.get("url")
        if url_type is not None and "url" in wanted:
            seen = set()
            for raw_url in urls:
                try:
                    canonical = url_type.hash_text(raw_url)
                except InvalidSignal:
                    continue
                if canonical not in seen:
                    seen.add(canonical)
                    units.append(Unit(f"url:{canonical}", {"url": (canonical,)}))
        return units

    def _media_unit(
        self, ref: MediaRef, name: str, notes: list[str], wanted: frozenset[str] | None = None
    ) -> Unit | None:
        wanted = frozenset(self.signal_types) if wanted is None else wanted
        signals: dict[str, tuple[str, ...]] = {}
        for st_name, value in ref.digests.items():
            st = self.signal_types.get(st_name)
            if st is not None and st_name in wanted:
                try:
                    signals[st_name] = (st.parse(value),)
                except InvalidSignal as exc:
                    notes.append(f"{name}: {exc.message}")
        missing = {t for t in MEDIA_TYPES if t in wanted and t not in signals}
        if ref.path and missing:
            path = Path(ref.path)
            if not path.is_absolute() and self.media_root is not None:
                path = self.media_root / path  # exports name media relative to their own folder
            if self.media_root is not None and not path.resolve().is_relative_to(self.media_root):
                notes.append(f"{name}: outside the media folder {str(self.media_root)!r}; not read")
            else:
                try:
                    data = read_bounded(path, self.max_file_bytes)
                except InvalidInput as exc:
                    notes.append(f"{name}: {exc.message}")
                    data = None
                if data is not None:
                    computed = self._bytes_unit(data, name, notes, skip=set(signals) | (set(MEDIA_TYPES) - missing))
                    signals.update(computed.signals)
        return Unit(name, signals) if signals else None

    def _bytes_unit(self, data: bytes, name: str, notes: list[str], skip: set[str] | None = None) -> Unit:
        signals: dict[str, tuple[str, ...]] = {}
        for st_name in MEDIA_TYPES:
            st = self.signal_types.get(st_name)
            if st is None or (skip and st_name in skip):
                continue
            try:
                signals[st_name] = st.query_variants(data)
            except LowQualitySignal as exc:
                notes.append(f"{name}: {exc.message}")
            except InvalidSignal as exc:
                notes.append(f"{name}: {st_name} not computed: {exc.message}")
        return Unit(name, signals)
