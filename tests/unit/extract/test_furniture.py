"""Page furniture never becomes an entity or a fact."""

from __future__ import annotations

from tests.helpers.extract import item, needs_spacy, seed
from vigil.core.settings import Settings
from vigil.extract.entities import EntitiesExtractor
from vigil.extract.events import EventsExtractor
from vigil.extract.furniture import furniture_spans, mask

PAGE = (
    "Gunmen attacked a market in Exampletown on Monday, killing 4 people.\n\n"
    "Share this news\n0 0 votes\nArticle Rating\nSubscribe\nNotify of\nguest\n0 Comments\nOldest\n"
    "Newest Most Voted\nInline Feedbacks\nView all comments\n"
    "Leave a Reply\nYour email address will not be published. Required fields are marked *\n"
    "Read More\nHelp Fight Extremism - Support MEMRI\n"
)


def test_furniture_lines_found_and_masked_keep_offsets() -> None:
    spans = furniture_spans(PAGE)
    found = {PAGE[s:e] for s, e in spans}
    assert {"Leave a Reply", "Share this news", "Inline Feedbacks", "Read More", "View all comments"} <= found
    masked = mask(PAGE, spans)
    assert len(masked) == len(PAGE)
    assert "Leave a Reply" not in masked and "Gunmen attacked a market" in masked


def test_furniture_article_lines_kept() -> None:
    text = "The group said it would share this news with its followers in a long statement on Friday."
    assert furniture_spans(text) == []


def _no_furniture_in(text: str, published: str | None = None) -> None:
    needs_spacy()
    it = item(text, published)
    spans = furniture_spans(text)
    entities, _ = EntitiesExtractor(Settings()).extract(it)
    _, events = EventsExtractor(Settings()).extract(it)
    for m in entities:
        assert not any(s <= m.start < e for s, e in spans), f"entity {m.text!r} comes from furniture"
        assert m.text not in {"Leave a Reply", "Share this news", "Inline Feedbacks", "Read More", "MEMRI"}
    for ev in events:
        for evd in ev.evidence:
            assert evd.start is not None
            assert not any(s <= evd.start < e for s, e in spans), (
                f"evidence {evd.text!r} comes from furniture"
            )


def test_furniture_own_page() -> None:
    _no_furniture_in(PAGE, "2024-03-29")


def test_furniture_seeds() -> None:
    for prefix in ("000", "001", "003", "004"):
        _no_furniture_in(seed(prefix))
