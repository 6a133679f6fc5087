"""Hash banks: named collections of signals of known content, and the store contract behind them.

A *bank* carries what a match means: taxonomy labels, the group the content is attributed to, the
source it came from (an internal team, GIFCT, Tech Against Terrorism), per-signal-type thresholds, and
whether it is *negative* (known benign content, such as news photographs of an attack, that must never
be acted on: a negative match suppresses the positive matches of the same content). A bank can be
disabled without deleting it. Every *entry* keeps its provenance: who or what added it, when, from
which item, decision or import line, and a note.

Stores record every change in a sequence (`Change`), which is how running matchers pick up added,
removed and disabled entries within seconds without a restart (`vigil.match.live_index`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, final

from vigil.core.errors import InvalidInput, NotFound
from vigil.core.labels import parse_label
from vigil.match.base import SignalType

_BANK_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-.")
MAX_NOTE_CHARS = 2000


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Bank:
    id: int
    name: str
    labels: tuple[str, ...] = ()  # taxonomy labels a match carries (vigil.core.labels)
    group: str | None = None  # attributed group, e.g. "ISIS", "ISKP"
    source: str | None = None  # where the content comes from: "internal", "gifct", "tat" ...
    description: str = ""
    negative: bool = False
    enabled: bool = True
    thresholds: Mapping[str, float] = field(default_factory=dict)  # per signal type; the type's default otherwise
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def threshold(self, signal_type: type[SignalType]) -> float:
        return float(self.thresholds.get(signal_type.name, signal_type.default_threshold))


@dataclass(frozen=True, slots=True)
class NewEntry:
    """An entry to add. ``origin`` says where it came from: ``manual``, ``import:FILE:LINE``,
    ``item:SOURCE:SOURCE_ID``, ``decision:ID`` ..."""

    signal_type: str
    signal: str
    labels: tuple[str, ...] = ()
    note: str | None = None
    added_by: str = "unknown"
    origin: str = "manual"
    added_at: datetime | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)  # e.g. the imported row's collab, category and tags
    variants: tuple[str, ...] = ()  # extra signals indexed for this entry (SignalType.bank_variants)


@dataclass(frozen=True, slots=True)
class BankEntry:
    id: int
    bank_id: int
    bank: str
    signal_type: str
    signal: str
    enabled: bool
    labels: tuple[str, ...]
    note: str | None
    added_by: str
    origin: str
    added_at: datetime
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def signals(self) -> tuple[str, ...]:
        """The entry's signal and its indexed variants (kept in ``meta["variants"]``)."""
        return (self.signal, *self.meta.get("variants", ()))

    def provenance(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "entry_id": self.id,
            "added_by": self.added_by,
            "added_at": self.added_at.isoformat(),
            "origin": self.origin,
        }
        if self.note:
            out["note"] = self.note
        if self.labels:
            out["labels"] = list(self.labels)
        return out


# Change kinds, in the order a matcher must apply them.
ENTRY_ADDED, ENTRY_REMOVED, ENTRY_ENABLED, ENTRY_DISABLED, BANK_CHANGED = (
    "entry_added",
    "entry_removed",
    "entry_enabled",
    "entry_disabled",
    "bank_changed",
)


@dataclass(frozen=True, slots=True)
class Change:
    seq: int
    kind: str
    bank_id: int
    entry_id: int | None = None
    signal_type: str | None = None


@dataclass(frozen=True, slots=True)
class AddResult:
    added: tuple[int, ...]
    duplicates: tuple[int, ...]  # ids of entries already in the bank with the same signal


class BankStore(ABC):
    """Where banks and their entries live (SQL on SQLite/PostgreSQL, or memory in tests and benches).

    Contract:
      * every write records its `Change`s with increasing ``seq`` in the same transaction;
      * ``add_entries`` is idempotent per ``(bank, signal_type, signal)``: a signal already in the bank
        is reported as a duplicate, not added twice;
      * readers never see a half-applied batch;
      * names, labels, thresholds and signals are validated here (the ``@final`` methods) before any
        implementation sees them, so every store rejects the same bad input with the same message.
    """

    def __init__(self, signal_types: Mapping[str, type[SignalType]]) -> None:
        self.signal_types = dict(signal_types)

    # ---- validation shared by every store (final) --------------------------------------------

    @final
    def signal_type(self, name: str) -> type[SignalType]:
        try:
            return self.signal_types[name]
        except KeyError:
            raise NotFound(
                "signal type", name, hint="known: " + ", ".join(sorted(self.signal_types))
            ) from None

    @final
    def create_bank(
        self,
        name: str,
        *,
        labels: Sequence[str] = (),
        group: str | None = None,
        source: str | None = None,
        description: str = "",
        negative: bool = False,
        thresholds: Mapping[str, float] | None = None,
    ) -> Bank:
        """Create a bank. Raises `InvalidInput` for a bad or taken name, `InvalidLabel`, or a bad threshold."""
        clean = check_bank_name(name)
        if self._find_bank(clean) is not None:
            raise InvalidInput(f"bank {clean!r} already exists", hint="pick another name or use `vigil bank list`")
        bank = Bank(
            id=0,
            name=clean,
            labels=tuple(parse_label(label).value for label in labels),
            group=group or None,
            source=source or None,
            description=description,
            negative=negative,
            thresholds=self._check_thresholds(thresholds or {}),
        )
        return self._insert_bank(bank)

    @final
    def get_bank(self, name: str) -> Bank:
        bank = self._find_bank(name)
        if bank is None:
            known = ", ".join(b.name for b in self.list_banks()) or "none yet"
            raise NotFound("bank", name, hint=f"known banks: {known}; create one with `vigil bank create`")
        return bank

    @final
    def update_bank(self, name: str, **changes: Any) -> Bank:
        """Change a bank's ``enabled``, ``labels``, ``group``, ``source``, ``description``, ``negative``
        or ``thresholds`` (merged into the existing ones)."""
        bank = self.get_bank(name)
        allowed = {"enabled", "labels", "group", "source", "description", "negative", "thresholds"}
        unknown = set(changes) - allowed
        if unknown:
            raise InvalidInput(f"cannot change {sorted(unknown)} of a bank", hint=f"changeable: {sorted(allowed)}")
        if "labels" in changes:
            changes["labels"] = tuple(parse_label(label).value for label in changes["labels"])
        if "thresholds" in changes:
            changes["thresholds"] = {**bank.thresholds, **self._check_thresholds(changes["thresholds"])}
        return self._update_bank(bank, changes)

    @final
    def add_entries(self, bank_name: str, entries: Sequence[NewEntry]) -> AddResult:
        """Validate and add ``entries`` to a bank in one transaction.

        Raises:
            NotFound: no such bank or signal type.
            InvalidSignal: a signal is malformed (nothing is added then).
            InvalidLabel: an entry label is not in the taxonomy.
        """
        bank = self.get_bank(bank_name)
        now = utcnow()
        clean = []
        for entry in entries:
            st = self.signal_type(entry.signal_type)
            note = entry.note[:MAX_NOTE_CHARS] if entry.note else None
            clean.append(
                NewEntry(
                    signal_type=st.name,
                    signal=st.parse(entry.signal),
                    labels=tuple(parse_label(label).value for label in entry.labels),
                    note=note,
                    added_by=entry.added_by or "unknown",
                    origin=entry.origin or "manual",
                    added_at=entry.added_at or now,
                    meta={**entry.meta, "variants": [st.parse(v) for v in entry.variants]} if entry.variants else entry.meta,
                )
            )
        return self._insert_entries(bank, clean)

    def _check_thresholds(self, thresholds: Mapping[str, float]) -> dict[str, float]:
        return {name: self.signal_type(name).check_threshold(value) for name, value in thresholds.items()}

    # ---- implemented by each store ------------------------------------------------------------

    @abstractmethod
    def _find_bank(self, name: str) -> Bank | None: ...

    @abstractmethod
    def _insert_bank(self, bank: Bank) -> Bank: ...

    @abstractmethod
    def _update_bank(self, bank: Bank, changes: Mapping[str, Any]) -> Bank: ...

    @abstractmethod
    def _insert_entries(self, bank: Bank, entries: Sequence[NewEntry]) -> AddResult: ...

    @abstractmethod
    def list_banks(self) -> list[Bank]:
        """Every bank, by name."""

    @abstractmethod
    def banks_by_id(self) -> dict[int, Bank]:
        """Every bank by id (the matcher's view of thresholds, labels and enabled flags)."""

    @abstractmethod
    def remove_entries(self, entry_ids: Sequence[int]) -> int:
        """Delete entries; returns how many existed."""

    @abstractmethod
    def set_entries_enabled(self, entry_ids: Sequence[int], enabled: bool) -> int:
        """Enable or disable entries without deleting them; returns how many changed."""

    @abstractmethod
    def get_entries(self, entry_ids: Sequence[int]) -> dict[int, BankEntry]:
        """The entries with these ids (missing ids are left out)."""

    @abstractmethod
    def find_entries(self, signal_type: str, signal: str, bank_name: str | None = None) -> list[BankEntry]:
        """Entries holding exactly this canonical signal, in one bank or all."""

    @abstractmethod
    def list_entries(self, bank_name: str, *, limit: int = 100, offset: int = 0) -> list[BankEntry]: ...

    @abstractmethod
    def iter_entries(self, bank_name: str, batch: int = 10_000) -> Iterator[BankEntry]:
        """Every entry of a bank, in id order (exports)."""

    @abstractmethod
    def count_entries(self) -> dict[int, dict[str, int]]:
        """Enabled entries per bank id and signal type."""

    @abstractmethod
    def iter_signals(self, signal_type: str, batch: int = 50_000) -> Iterator[tuple[int, int, str]]:
        """``(entry_id, bank_id, signal)`` of every enabled entry of a signal type (index builds), one
        tuple per signal: an entry with variants yields its main signal and each variant."""

    @abstractmethod
    def last_seq(self) -> int:
        """The sequence number of the latest change (0 when none)."""

    @abstractmethod
    def changes_since(self, seq: int, limit: int = 100_000) -> list[Change]:
        """Changes after ``seq``, oldest first."""


def check_bank_name(name: str) -> str:
    clean = name.strip().lower()
    if not clean or len(clean) > 64 or not set(clean) <= _BANK_NAME_CHARS or not clean[0].isalnum():
        raise InvalidInput(
            f"invalid bank name {name!r}",
            hint="use 1-64 lower-case letters, digits, '_', '-' or '.', starting with a letter or digit",
        )
    return clean
