"""Helpers for the context-stage tests: items built the way the pipeline builds them, and a small
deterministic scorer standing in for the classifier's interface (texts in, label scores out)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from vigil.core.labels import Label
from vigil.core.records import ContentKind, Item, RawItem
from vigil.normalize.base import start_item

NOW = datetime(2024, 3, 28, 12, 0, tzinfo=UTC)


def make_item(
    text: str,
    kind: ContentKind = ContentKind.MESSAGE,
    connector: str = "jsonl.v1",
    *,
    title: str | None = None,
    channel: str | None = None,
) -> Item:
    raw = RawItem(
        source="test",
        source_id=str(abs(hash(text))),
        kind=kind,
        text=text,
        payload=text.encode("utf-8"),
        connector=connector,
        received_at=NOW,
        title=title,
        channel=channel,
    )
    return start_item(raw, 100_000)


def article(text: str, *, title: str | None = None) -> Item:
    return make_item(text, ContentKind.ARTICLE, "article.v1", title=title)


class KeywordScorer:
    """Scores a text 0.95 for incitement when it holds a call word, 0.9 for glorification on praise."""

    id = "keyword_test.v1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> list[dict[str, float]]:
        self.calls.append(list(texts))
        out = []
        for text in texts:
            lower = text.lower()
            call = any(w in lower for w in ("target", "attack", "revenge", "vengeance", "kill", "strike"))
            praise = any(w in lower for w in ("smart strike", "lions", "brave", "heroes"))
            out.append(
                {Label.INCITEMENT.value: 0.95 if call else 0.05, "glorification": 0.9 if praise else 0.1}
            )
        return out
