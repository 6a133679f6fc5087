"""Helpers for connector tests: read a target to the end, write small Telegram exports."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vigil.core.records import RawItem
from vigil.core.registry import Registry
from vigil.ingest.base import Batch, Connector, Reject

CONNECTOR_MODULES = (
    "vigil.ingest.telegram",
    "vigil.ingest.jsonl_file",
    "vigil.ingest.csv_file",
    "vigil.ingest.article",
    "vigil.ingest.feed",
    "vigil.ingest.sample",
)


@dataclass
class Read:
    """Everything one fetch yielded."""

    batches: list[Batch] = field(default_factory=list)

    @property
    def items(self) -> list[RawItem]:
        return [item for batch in self.batches for item in batch.items]

    @property
    def rejects(self) -> list[Reject]:
        return [reject for batch in self.batches for reject in batch.rejects]

    @property
    def skipped(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for batch in self.batches:
            total.update(batch.skipped)
        return total

    @property
    def keys(self) -> list[tuple[str, str]]:
        return [(item.source, item.source_id) for item in self.items]

    def by_id(self) -> dict[str, RawItem]:
        return {item.source_id: item for item in self.items}


def read_all(connector: Connector, target: str | Path, checkpoint: str | None = None) -> Read:
    return Read(list(connector.fetch(str(target), checkpoint)))


def connector_registry() -> Registry:
    """A registry of the built-in connectors only (the other stages are not needed here)."""
    import importlib

    registry = Registry()
    for name in CONNECTOR_MODULES:
        registry.add(importlib.import_module(name).MANIFEST, name)
    return registry


def message(mid: int | None, text: Any = "hello", **extra: Any) -> dict[str, Any]:
    """A Telegram Desktop message as the export writes it."""
    out: dict[str, Any] = {"id": mid, "type": "message", "date": "2024-03-22T23:16:00", "date_unixtime": "1711138560"}
    if mid is None:
        del out["id"]
    out.update({"from": "Channel", "from_id": "channel42"})
    out.update(extra)
    out["text"] = text
    return out


def chat_export(messages: Iterable[Mapping[str, Any]], *, name: str = "Channel", chat_id: int = 42,
                chat_type: str = "public_channel") -> dict[str, Any]:
    return {"name": name, "type": chat_type, "id": chat_id, "messages": list(messages)}


def write_json(path: Path, data: Any, *, indent: int | None = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=indent), encoding="utf-8")
    return path


def write_big_export(path: Path, count: int) -> Path:
    """A single-chat export of ``count`` messages, written as a stream (the test must not hold it)."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"name": "Big", "type": "public_channel", "id": 7, "messages": [')
        for index in range(count):
            if index:
                fh.write(",")
            parts = [f"message number {index} about the weather ", {"type": "bold", "text": "today"}]
            fh.write(json.dumps(message(index + 1, parts, reply_to_message_id=max(1, index))))
        fh.write("]}")
    return path


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


class NetworkUsed(AssertionError):
    pass


def forbid_network(monkeypatch: Any) -> None:
    """Make any attempt to open a connection or resolve a name fail the test (connectors must never
    fetch what an item points to)."""
    import socket

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NetworkUsed(f"a connector tried to use the network: {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
