from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.contract.test_signal_type_contract import SignalTypeContract
from tests.helpers.perturb import emoji, homoglyphs, punct_case, zero_width
from vigil.match.text_exact import TextExactSignal

TEXT = "Brothers, the caravan is leaving: pack your bags and follow the old road before winter."


class TestTextExactSignal(SignalTypeContract):
    signal_type = TextExactSignal

    def content(self) -> str:
        return TEXT

    def other_content(self) -> str:
        return "Weather update: light rain expected across the valley this afternoon."


def test_text_exact_survives_case_punctuation_zero_width_homoglyphs_emoji() -> None:
    rng = random.Random(3)
    base = TextExactSignal.hash_text(TEXT)
    for edit in (zero_width, homoglyphs, emoji):
        assert TextExactSignal.hash_text(edit(TEXT, rng)) == base, edit.__name__
    assert TextExactSignal.hash_text(TEXT.upper().replace(",", " ,").replace(":", "!!")) == base


def test_text_exact_changes_when_a_word_changes() -> None:
    assert TextExactSignal.hash_text(TEXT) != TextExactSignal.hash_text(TEXT.replace("winter", "summer"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_text_exact_never_raises_unexpectedly_and_is_stable(text: str) -> None:
    try:
        signal = TextExactSignal.hash_text(text)
    except Exception as exc:  # only the documented error for texts without letters or digits
        assert type(exc).__name__ == "InvalidSignal"
        return
    assert TextExactSignal.parse(signal) == signal
    rng = random.Random(len(text))
    assert TextExactSignal.hash_text(zero_width(text, rng)) == signal
    _ = punct_case  # punctuation edits can merge words, so they are not part of this property
