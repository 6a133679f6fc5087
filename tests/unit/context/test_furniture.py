"""Page furniture is masked; the article is not."""

from __future__ import annotations

from vigil.context.furniture import furniture_spans, mask

ARTICLE = (
    "A long report about an attack and the statements that followed it. "
    * 12
    + "\n\nShare this news\n0 0 votes\nArticle Rating\nSubscribe\nNotify of\nguest\n0 Comments\n"
    "Support us: kill the comments section\nView all comments"
)


def test_furniture_comment_section_is_cut_at_its_marker() -> None:
    masked = mask(ARTICLE, furniture_spans(ARTICLE))
    assert "statements that followed" in masked
    assert "Notify of" not in masked and "kill the comments" not in masked
    assert "Share this news" not in masked and "Article Rating" not in masked
    assert len(masked) == len(ARTICLE)


def test_furniture_short_posts_are_left_alone() -> None:
    post = "Subscribe"
    assert furniture_spans(post) == []
    assert furniture_spans("Leave a reply if you agree") == []


def test_furniture_marker_early_in_a_long_text_does_not_cut_it() -> None:
    text = "Notify of the families first, the officer said.\n" + "The report continues at length. " * 30
    spans = furniture_spans(text)
    assert all(start > len(text) // 2 for start, _ in spans)
