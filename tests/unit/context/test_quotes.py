"""Quote spans: every quotation style the reports and channels use, and what is not a quote."""

from __future__ import annotations

import pytest

from vigil.context.quotes import find_quotes


def _quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "strike them now" and left.', ["strike them now"]),
        ("He said “strike them now” and left.", ["strike them now"]),
        ("Er sagte „schlagt sie“ und ging.", ["schlagt sie"]),
        ("Er sagte »schlagt sie« und ging.", ["schlagt sie"]),
        ("Il a dit « frappez-les » hier.", ["frappez-les"]),
        ("The spokesman `praised` the raid.", ["praised"]),
        ("The post was titled 'the winter campaign' by the channel.", ["the winter campaign"]),
        ("他说「打击他们」然后离开", ["打击他们"]),
        ("وقال ﴿ قاتلوهم ﴾ في الرسالة", ["قاتلوهم"]),
    ],
)
def test_quotes_find_each_style(text: str, expected: list[str]) -> None:
    assert _quoted(text) == expected


def test_quotes_apostrophes_are_not_quotes() -> None:
    assert _quoted("Russia's army and the group's media didn't say it's over.") == []


def test_quotes_keep_the_outer_quote_only() -> None:
    text = "Titled \"Russia's 'Crocus' attack,\" the post went on."
    assert _quoted(text) == ["Russia's 'Crocus' attack,"]


def test_quotes_open_quote_at_paragraph_start_runs_to_paragraph_end() -> None:
    text = "Intro line.\n\n“We will go on until the end\n\nNext paragraph."
    assert _quoted(text) == ["We will go on until the end"]


def test_quotes_do_not_cross_a_blank_line() -> None:
    text = 'He wrote "the first part\n\nand the second" later.'
    assert _quoted(text) == []


def test_quotes_speech_after_a_colon_in_a_headline() -> None:
    text = "Group Tells Supporters: Attack ‘the West’ to Avenge Losses\n\nBody text."
    assert _quoted(text) == ["Attack ‘the West’ to Avenge Losses"]


def test_quotes_block_quote_after_a_colon_paragraph() -> None:
    text = "The channel ended its post:\n\nThere is more to come, be patient.\n\nAnalysts disagree."
    assert _quoted(text) == ["There is more to come, be patient."]


def test_quotes_label_colons_are_not_speech() -> None:
    text = "Smoke over the hall in an attack claimed by the group (Photo: Reuters).\n\nSource: Example Daily"
    assert _quoted(text) == []


def test_quotes_markdown_block_line() -> None:
    assert _quoted("Look at this:\n> the day of reckoning is near\nnonsense") == [
        "the day of reckoning is near"
    ]
