"""The classifier contract.

A classifier reads ``Item.folded`` (and may read ``normalized`` for offsets) and returns, per item, a
`LabelScore` for each label it has an opinion on, with `Evidence`. Scores are calibrated to [0, 1].
Classifiers work on batches because the heavier tiers (embeddings) are much faster that way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from vigil.core.labels import Label
from vigil.core.records import EMPTY, Item, LabelScore
from vigil.core.registry import plugin_id
from vigil.core.settings import Settings


class Classifier(ABC):
    """Scores items against the taxonomy.

    Contract:
      * ``classify(items)`` returns one tuple per item, in order;
      * every score is in [0, 1]; evidence offsets refer to ``Item.normalized``;
      * it never raises on odd text (empty, huge, any script); a model file that is missing or
        corrupt raises `ConfigError` at construction, not per item.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    tier: ClassVar[int] = 1
    labels: ClassVar[tuple[Label, ...]] = ()

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.options: Mapping[str, Any] = options or EMPTY
        self.id = plugin_id(type(self))

    @abstractmethod
    def classify(self, items: Sequence[Item]) -> list[tuple[LabelScore, ...]]:
        """Score ``items``; one tuple of `LabelScore` per item."""
