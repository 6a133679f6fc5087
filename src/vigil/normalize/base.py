"""The normalizer contract and the chain that runs them.

An `Item` carries three texts:
  * ``text``       the original, never changed;
  * ``normalized`` NFKC, zero-width and bidi controls removed: what is shown and searched, and what
                   evidence offsets refer to;
  * ``folded``     lower-cased, Arabic-normalized, obfuscation undone (homoglyphs, leetspeak,
                   ``I.S.I.S``): what matchers and classifiers read.

Normalizers run in ``order``; each returns a new `Item` via ``dataclasses.replace``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from vigil.core.records import EMPTY, Item, RawItem
from vigil.core.registry import plugin_id
from vigil.core.settings import Settings


class Normalizer(ABC):
    """One normalization step.

    Contract:
      * ``apply`` never raises on any string input (a Hypothesis property test holds it to this);
      * applying the whole chain twice gives the same item as applying it once (idempotent);
      * ``text`` is never changed.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    order: ClassVar[int] = 100

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        self.settings = settings
        self.options: Mapping[str, Any] = options or EMPTY
        self.id = plugin_id(type(self))

    @abstractmethod
    def apply(self, item: Item) -> Item:
        """Return ``item`` with this step applied."""


def start_item(raw: RawItem, max_chars: int) -> Item:
    text = raw.text if len(raw.text) <= max_chars else raw.text[:max_chars]
    return Item(raw=raw, text=raw.text, normalized=text, folded=text)


class NormalizerChain:
    """All registered normalizers, in order."""

    def __init__(self, normalizers: Sequence[Normalizer], settings: Settings) -> None:
        self.normalizers = sorted(normalizers, key=lambda n: n.order)
        self.settings = settings
        self.ids = tuple(n.id for n in self.normalizers)

    def __call__(self, raw: RawItem) -> Item:
        item = start_item(raw, self.settings.max_text_chars)
        for normalizer in self.normalizers:
            item = normalizer.apply(item)
        return item
