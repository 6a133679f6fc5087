"""The connector contract. A connector reads one target (a file, a folder, a feed file, a topic) and
yields `Batch`es of `RawItem`s. It never assesses anything and never fetches what an item points to.

Where it sits: ``connector ─► RawItem ─► store (raw first) ─► normalize ─► ...``
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, final

from vigil.core.errors import InputTooLarge, InvalidInput
from vigil.core.jsonenc import dumps_bytes
from vigil.core.records import EMPTY, RawItem
from vigil.core.registry import plugin_id
from vigil.core.settings import Settings


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that could not be read. It is stored in quarantine with its reason and bytes."""

    source: str
    locator: str  # "file:line" or "file#index"
    reason: str
    payload: bytes
    code: str = "invalid_record"


@dataclass(frozen=True, slots=True)
class Batch:
    items: tuple[RawItem, ...]
    rejects: tuple[Reject, ...] = ()
    checkpoint: str | None = None  # opaque; passing it back to fetch() resumes after this batch
    skipped: Mapping[str, int] = field(default_factory=dict)  # e.g. {"service_messages": 3}


class Connector(ABC):
    """Reads one kind of input.

    Contract:
      * ``fetch`` yields batches of at most ``settings.batch_size`` items, in input order.
      * ``(source, source_id)`` of an item is the same every time the same input is read.
      * A record that cannot be read becomes a `Reject` (with file and line) and reading goes on.
      * An input that cannot be read at all raises `InvalidInput` naming the file and how to fix it.
      * Memory must not grow with the size of the input: stream it.
      * Never fetch a URL, never execute anything an item contains, never prompt on stdin.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    formats: ClassVar[tuple[str, ...]] = ()  # names accepted by `vigil scan --format`
    extensions: ClassVar[tuple[str, ...]] = ()  # file suffixes this connector usually reads

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.options: Mapping[str, Any] = options or EMPTY
        self.id = plugin_id(type(self))

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> int:
        """How sure (0-100) this connector is that it reads ``path``; ``head`` is its first 64 KiB.
        Used by ``--format auto``. The default trusts the file extension only."""
        return 50 if path.suffix.lower() in cls.extensions else 0

    @abstractmethod
    def fetch(self, target: str, checkpoint: str | None = None) -> Iterator[Batch]:
        """Read ``target`` and yield batches.

        Args:
            target: what to read, usually a file path.
            checkpoint: the ``checkpoint`` of the last batch a previous run stored; the connector
                skips everything up to and including it.

        Raises:
            InvalidInput: the target as a whole cannot be read.
            InputTooLarge: the target is over ``settings.max_file_bytes``.
        """

    def fingerprint(self, target: str) -> str:
        """Identifies this input for resuming: an unfinished run with the same fingerprint resumes at
        its checkpoint. Files: size, modification time and a digest of the first 64 KiB."""
        path = Path(target)
        if not path.is_file():
            return content_id(self.id, target)
        stat = path.stat()
        with path.open("rb") as fh:
            head = fh.read(65536)
        return f"{stat.st_size}:{stat.st_mtime_ns}:{hashlib.sha256(head).hexdigest()[:16]}"

    # ---- shared helpers, not to be overridden ------------------------------------------------

    @final
    def check_file(self, target: str) -> Path:
        path = Path(target)
        if not path.exists():
            raise InvalidInput(f"{target}: no such file", hint="check the path")
        if path.is_dir():
            raise InvalidInput(f"{target}: is a folder", hint=f"pass the files inside it, e.g. {target}/*")
        size = path.stat().st_size
        if size > self.settings.max_file_bytes:
            raise InputTooLarge(target, size, self.settings.max_file_bytes, "max_file_bytes")
        return path

    @final
    def bounded_payload(self, payload: bytes) -> bytes | None:
        """``payload`` if it is within ``max_item_bytes``, else None (the caller rejects the record)."""
        return payload if len(payload) <= self.settings.max_item_bytes else None

    @final
    def too_large(self, source: str, locator: str, payload: bytes) -> Reject:
        limit = self.settings.max_item_bytes
        return Reject(
            source,
            locator,
            f"record is {len(payload):,} bytes, over max_item_bytes={limit:,}",
            payload[: min(limit, 4096)],
            code="input_too_large",
        )


def now_utc() -> datetime:
    return datetime.now(UTC)


def content_id(*parts: str) -> str:
    """A stable id for records that carry none: a digest of their content."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return "sha256:" + digest[:32]


def dumps(record: Any) -> bytes:
    """Compact JSON bytes of a record, for ``RawItem.payload``."""
    return dumps_bytes(record, default=str)
