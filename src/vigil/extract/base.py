"""The extractor contract.

An extractor reads one `Item` (``normalized`` for offsets) and returns what it found in it:
`EntityMention`s (organisations, persons, outlets, channels, places, dates) and `Event`s (attacks,
calls to attack), each with the offsets into ``Item.normalized`` that support it.

Where it sits: ``normalize ─► Item ─► classify ─► extract ─► Assessment.entities / .events``. An
optional `Context` (the reporting framing and quotes, when the classifier stage computed it) lets an
extractor attribute a call to the speaker of the quote it sits in.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from vigil.core.records import EMPTY, Context, EntityMention, Event, Item
from vigil.core.registry import plugin_id
from vigil.core.settings import Settings

Extraction = tuple[tuple[EntityMention, ...], tuple[Event, ...]]


class Extractor(ABC):
    """Finds entities and events in an item.

    Contract:
      * ``extract(item, context)`` returns ``(entities, events)``, both tuples (either may be empty);
      * every offset refers to ``Item.normalized``; every record names this plugin (``self.id``) as
        its ``extractor``;
      * page furniture (comment widgets, share buttons, donation footers) never yields an entity or
        an event;
      * it never raises on odd text (empty, huge, any script or language); a missing or broken data
        file raises `ConfigError` at construction, not per item.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.options: Mapping[str, Any] = (
            options if options is not None else settings.plugin_options(self.name) or EMPTY
        )
        self.id = plugin_id(type(self))

    @abstractmethod
    def extract(self, item: Item, context: Context | None = None) -> Extraction:
        """Entities and events found in ``item``."""
