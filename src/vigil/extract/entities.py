"""The ``entities`` extractor: organisations, outlets, channels, persons, places and dates.

Gazetteer names (any script) come first; for English items spaCy fills in the persons,
organisations, places and dates the gazetteer does not know; person mentions are linked to
gazetteer spokesmen and leaders across transliterations. Page furniture is masked before anything
runs. See `analysis` for the combination rule.

Options (``[plugins.entities]`` in vigil.toml):
  gazetteer   path of a user gazetteer YAML that extends the built-in one
  spacy       false to run without spaCy (gazetteer and rules only)

Where it sits: ``Item ─► extract ─► Assessment.entities``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vigil.core.records import Context, Item
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.extract.analysis import Analyser
from vigil.extract.base import Extraction, Extractor
from vigil.extract.gazetteer import load_gazetteer


def shared_analyser(settings: Settings, options: Mapping[str, Any], extractor_id: str) -> Analyser:
    """One `Analyser` per (gazetteer file, spaCy on/off), shared by the entity and event plugins."""
    key = (str(options.get("gazetteer", "")), bool(options.get("spacy", True)), extractor_id)
    analyser = _ANALYSERS.get(key)
    if analyser is None:
        analyser = Analyser(load_gazetteer(key[0]), extractor_id, use_spacy=key[1])
        _ANALYSERS[key] = analyser
    return analyser


_ANALYSERS: dict[tuple[str, bool, str], Analyser] = {}


class EntitiesExtractor(Extractor):
    name = "entities"
    version = 1

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings, options)
        self.analyser = shared_analyser(settings, self.options, self.id)

    def extract(self, item: Item, context: Context | None = None) -> Extraction:
        return tuple(self.analyser.analyse(item).mentions), ()


MANIFEST = Manifest(extractors=(EntitiesExtractor,))
