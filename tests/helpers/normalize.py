"""Build the built-in normalizer chain and run it on plain strings (shared by the normalize and classify
tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from vigil.core.records import ContentKind, Item, RawItem
from vigil.core.settings import Settings
from vigil.normalize.arabic import ArabicNormalizer
from vigil.normalize.base import NormalizerChain
from vigil.normalize.entities import EntitiesNormalizer
from vigil.normalize.fold import FoldNormalizer
from vigil.normalize.language import LanguageNormalizer
from vigil.normalize.unicode import UnicodeNormalizer

NORMALIZER_CLASSES = (
    UnicodeNormalizer,
    ArabicNormalizer,
    FoldNormalizer,
    EntitiesNormalizer,
    LanguageNormalizer,
)
_WHEN = datetime(2024, 3, 28, 12, 0, tzinfo=UTC)


@lru_cache(maxsize=1)
def chain() -> NormalizerChain:
    settings = Settings()
    return NormalizerChain([cls(settings) for cls in NORMALIZER_CLASSES], settings)


def raw_item(text: str, source_id: str = "1") -> RawItem:
    return RawItem(
        source="test",
        source_id=source_id,
        kind=ContentKind.MESSAGE,
        text=text,
        payload=text.encode("utf-8", "surrogatepass"),
        connector="test.v1",
        received_at=_WHEN,
    )


def normalize(text: str) -> Item:
    """The built-in chain applied to ``text``."""
    return chain()(raw_item(text))
