"""The hash banks as the API and the review desk use them: a thin layer over `vigil.match` (banks,
matcher, confirmed-item feedback) with the one rule the network adds: over HTTP a file-type value
(``pdq``, ``md5``, ``sha256``) is always a hash, never a path, so no request can make the server read
one of its own files.
"""

from __future__ import annotations

import builtins
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vigil.core.errors import InvalidInput
from vigil.core.records import Match, RawItem
from vigil.match.bank_io import FORMATS, import_file
from vigil.match.banks import Bank, BankStore, NewEntry
from vigil.match.base import SignalType
from vigil.match.confirm import add_confirmed_item
from vigil.match.matcher import Matcher, MatchReport
from vigil.match.types import load_signal_types
from vigil.match.values import bank_signal_for_value, signals_for_value
from vigil.store.banks import SqlBankStore
from vigil.store.sql import SqlStore

MAX_VALUE_CHARS = 100_000
MAX_UPLOAD_BYTES = 50_000_000


def bank_json(bank: Bank, counts: Mapping[str, int] | None = None) -> dict[str, Any]:
    return {"name": bank.name, "labels": list(bank.labels), "group": bank.group, "source": bank.source,
            "description": bank.description, "negative": bank.negative, "enabled": bank.enabled,
            "thresholds": dict(bank.thresholds), "entries": dict(counts or {}),
            "created_at": bank.created_at.isoformat() if bank.created_at else None}


def match_json(m: Match) -> dict[str, Any]:
    return {"bank": m.bank, "signal_type": m.signal_type, "distance": m.distance, "entry_id": m.entry_id,
            "signal": m.signal, "labels": list(m.labels), "negative": m.negative, "provenance": dict(m.provenance)}


def lookup_report(banks: BankStore, st: type[SignalType], value: str, is_signal: bool) -> tuple[str, MatchReport]:
    """Look ``value`` (content, or a signal when ``is_signal``) up in every enabled bank of its signal
    type: its signal and the matcher's report (a negative-bank match suppresses positive ones)."""
    signals = signals_for_value(st, value, query=True, is_signal=is_signal)
    return signals[0], Matcher(banks, exact_from_store=True).report_signals(st.name, signals)


def report_json(signal_type: str, signal: str, report: MatchReport) -> dict[str, Any]:
    """A lookup's answer, as the API and `vigil bank lookup --json` give it."""
    return {"signal_type": signal_type, "signal": signal, "matches": [match_json(m) for m in report.matches],
            "suppressed": [match_json(m) for m in report.suppressed], "notes": list(report.notes)}


class BankDesk:
    def __init__(self, store: SqlStore) -> None:
        self.banks = SqlBankStore(store, load_signal_types())

    def list(self) -> list[dict[str, Any]]:
        counts = self.banks.count_entries()
        return [bank_json(b, counts.get(b.id)) for b in self.banks.list_banks()]

    def create(self, name: str, labels: Sequence[str], group: str | None, source: str | None, description: str,
               negative: bool, thresholds: Mapping[str, float]) -> dict[str, Any]:
        return bank_json(self.banks.create_bank(name, labels=tuple(labels), group=group, source=source,
                                                description=description, negative=negative, thresholds=dict(thresholds)))

    def update(self, name: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        return bank_json(self.banks.update_bank(name, **dict(changes)))

    def _signal_type(self, name: str) -> Any:
        return self.banks.signal_type(name)

    def add(self, name: str, signal_type: str, value: str, labels: Sequence[str], note: str | None,
            added_by: str) -> dict[str, Any]:
        st = self._signal_type(signal_type)
        signal, variants = bank_signal_for_value(st, value, is_signal=st.input == "file")
        result = self.banks.add_entries(name, [NewEntry(st.name, signal, tuple(labels), note, added_by, "manual:api",
                                                        variants=variants)])
        return {"bank": name, "signal_type": st.name, "signal": signal, "added": list(result.added),
                "duplicates": list(result.duplicates)}

    def lookup(self, signal_type: str, value: str) -> dict[str, Any]:
        st = self._signal_type(signal_type)
        signal, report = lookup_report(self.banks, st, value, is_signal=st.input == "file")
        return report_json(st.name, signal, report)

    def add_confirmed(self, bank: str, raw: RawItem, moderator: str, decision_id: int,
                      labels: Sequence[str]) -> dict[str, Any]:
        """A moderator confirmed this item: bank its signals so the next re-post is matched at once."""
        result = add_confirmed_item(self.banks, bank, raw, added_by=moderator, decision_id=decision_id,
                                    labels=tuple(labels), note="confirmed by a moderator")
        return {"bank": bank, "added": list(result.added), "duplicates": list(result.duplicates)}

    def entries(self, name: str, limit: int = 100, offset: int = 0) -> builtins.list[dict[str, Any]]:
        """A page of a bank's entries (raises NotFound for an unknown bank)."""
        self.banks.get_bank(name)
        return [{"id": e.id, "signal_type": e.signal_type, "signal": e.signal, "labels": list(e.labels),
                 "enabled": e.enabled, "note": e.note, "added_by": e.added_by, "origin": e.origin,
                 "added_at": e.added_at.isoformat() if e.added_at else None}
                for e in self.banks.list_entries(name, limit=limit, offset=offset)]

    def import_upload(self, name: str, file_name: str, data: bytes, fmt: str = "auto", added_by: str = "import",
                      dry_run: bool = False) -> dict[str, Any]:
        """Import an uploaded bank file (any `bank_io` format). The bytes go to a private temporary
        file only because `import_file` reads a path; the client's file name is kept only as the
        entries' origin, never used as a path."""
        if len(data) > MAX_UPLOAD_BYTES:
            raise InvalidInput(f"the upload is over {MAX_UPLOAD_BYTES:,} bytes", hint="import it with `vigil bank import`")
        if fmt not in ("auto", *FORMATS):
            raise InvalidInput(f"unknown import format {fmt!r}", hint="use one of: auto, " + ", ".join(FORMATS))
        safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", file_name or "upload")[-100:] or "upload"
        with tempfile.TemporaryDirectory(prefix="vigil-bank-") as folder:
            path = Path(folder) / safe_name
            path.write_bytes(data)
            report = import_file(self.banks, name, path, fmt=fmt, added_by=added_by, dry_run=dry_run)
        return {"bank": name, "dry_run": dry_run, **report.as_dict()}
