"""The translator contract.

A translator turns an item's text into the analyst's language, or at least tells the analyst what
its key terms mean. Two kinds of output, both in one `Translation`:

* ``text`` — a translation of the whole text (None when the backend cannot translate this pair);
* ``glosses`` — terms found in the original, with offsets into it and their meaning.

Where it sits: after the pipeline, on demand (`vigil translate`, the dashboard); never in the
moderation path. Translators never download anything: a backend whose models are not installed
says so (`available`) and is skipped.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from vigil.core.records import EMPTY
from vigil.core.registry import plugin_id
from vigil.core.settings import Settings

MAX_CHARS = 20_000  # translate at most this much of one text: bound the work attacker text can cause


@dataclass(frozen=True, slots=True)
class Gloss:
    term: str  # as written in the text
    start: int
    end: int
    gloss: str  # what it means
    note: str | None = None
    kind: str = "term"  # term | organisation | person | outlet | channel | place
    ref: str | None = None  # glossary or gazetteer id


@dataclass(frozen=True, slots=True)
class Translation:
    source: str  # the original text
    source_language: str | None
    target_language: str
    text: str | None  # the translated text, None when only glosses are available
    glosses: tuple[Gloss, ...] = ()
    translator: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


class Translator(ABC):
    """Contract:
      * ``translate(text, source, target)`` never raises on odd text (empty, huge, any script);
      * offsets in glosses index into the ``text`` given;
      * ``available(source, target)`` is cheap and says whether this backend can serve the pair,
        without downloading anything.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.options: Mapping[str, Any] = options if options is not None else settings.plugin_options(self.name) or EMPTY
        self.id = plugin_id(type(self))

    @abstractmethod
    def available(self, source: str | None, target: str) -> bool: ...

    @abstractmethod
    def translate(self, text: str, source: str | None, target: str = "en") -> Translation: ...
