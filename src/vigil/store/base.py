"""The store contract and the query types every store shares."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from vigil.core.records import Assessment, RawItem
from vigil.core.settings import Settings


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """Filters shared by `vigil items`, `vigil search` and the API. ``label`` matches items carrying
    the label at or above ``min_score``."""

    label: str | None = None
    action: str | None = None
    source: str | None = None
    channel: str | None = None
    language: str | None = None
    entity: str | None = None  # items mentioning it: entity key, canonical name or mention text (case-folded)
    since: datetime | None = None
    until: datetime | None = None
    min_score: float = 0.5
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    source: str
    stage: str
    plugin: str
    code: str
    message: str
    raw_id: int | None = None
    locator: str | None = None
    payload: bytes | None = None


@dataclass(frozen=True, slots=True)
class RunState:
    id: int
    checkpoint: str | None  # where an unfinished earlier run of the same input stopped
    resumed: bool


class Store(ABC):
    """Where raw items, items, assessments and quarantine live.

    Contract:
      * ``insert_raw`` is idempotent on ``(source, source_id)`` and commits before returning: raw
        items are stored before any stage runs on them;
      * ``save_assessments`` writes all stage results of a batch and marks the raw items done, in one
        transaction;
      * reads return plain JSON-ready dicts (the CLI and API print them as they are).
    """

    schemes: ClassVar[tuple[str, ...]] = ()
    name: ClassVar[str]
    version: ClassVar[int] = 1

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @abstractmethod
    def upgrade(self, revision: str = "head") -> str: ...

    @abstractmethod
    def insert_raw(self, raws: Sequence[RawItem]) -> tuple[list[RawItem], int]:
        """Store ``raws``; return the newly stored ones (with ids) and how many were already there."""

    @abstractmethod
    def save_assessments(
        self, assessments: Sequence[Assessment], label_threshold: float, hooks: Sequence[SaveHook] = ()
    ) -> None: ...

    @abstractmethod
    def quarantine(self, entries: Sequence[QuarantineEntry]) -> None: ...

    @abstractmethod
    def pending_raw(self, limit: int, after_id: int = 0) -> list[RawItem]: ...

    @abstractmethod
    def get_item(self, raw_id: int) -> dict[str, Any] | None: ...

    @abstractmethod
    def list_items(self, flt: ItemFilter) -> list[dict[str, Any]]: ...

    @abstractmethod
    def search(self, query: str, flt: ItemFilter) -> list[dict[str, Any]]: ...

    @abstractmethod
    def stats(self) -> Mapping[str, Any]: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""


class SaveHook(ABC):
    """Work that must land in the same transaction as a batch of assessments (stories, alerts).

    ``prepare`` runs before the transaction opens (slow work: text embeddings), ``apply`` inside it
    with the open connection, and ``committed`` after it commits (network: webhooks). A hook never
    commits or rolls back itself; an exception in ``apply`` rolls the whole batch back.
    """

    def prepare(self, batch: Sequence[Assessment]) -> Any:
        return None

    def needs_every_item(self) -> bool:
        """Whether ``apply`` must see every item of a batch. A parallel scan otherwise hands hooks only
        the items that carry a label, reporting context, entities or events, or are articles (the
        others have nothing a story or a label rule could use), which saves moving them between
        processes."""
        return False

    @abstractmethod
    def apply(self, conn: Any, batch: Sequence[Assessment], prepared: Any) -> None: ...

    def committed(self) -> None:  # noqa: B027 - optional hook
        """Called once the batch is committed."""
