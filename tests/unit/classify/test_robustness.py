"""Obfuscation must not move the cascade: homoglyphs, leetspeak, zero-width characters, spacing and
emoji insertions change every label score by at most 0.05 (a Hypothesis property test)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.classify.cascade import CascadeClassifier
from vigil.classify.textprep import item_for_text
from vigil.core.settings import Settings

BASES = (
    "We call on the lone wolves to target the crusaders everywhere in Europe and America.",
    "Brothers, rise against the enemies of the religion and take revenge.",
    "The lions of the caliphate carried out the blessed attack, praise be to Allah.",
    "Join the mujahideen and migrate to the lands of the Islamic State.",
    "Police said the suspect was arrested after the explosion near the stadium.",
    "Can't wait for the concert tonight, the new album is amazing!",
)
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "s": "ѕ"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
EMOJI = ("🔥", "💥", "🙏", "⭐", "❤️", "😀")


@st.composite
def obfuscated(draw: st.DrawFn) -> tuple[str, str]:
    base = draw(st.sampled_from(BASES))
    words = base.split(" ")
    out = []
    spaced_before = False
    for word in words:
        trick = draw(st.sampled_from(("none", "homoglyph", "leet", "zero_width", "emoji_inside", "emoji_after", "spaced", "double_space")))
        letters = [i for i, ch in enumerate(word) if ch.isalpha()]
        if trick == "homoglyph" and len(letters) >= 3:
            # one lookalike letter per word: the word stays mostly Latin, as real evasions do
            spots = [i for i in letters if word[i].lower() in HOMOGLYPHS]
            if spots:
                i = draw(st.sampled_from(spots))
                word = word[:i] + HOMOGLYPHS[word[i].lower()] + word[i + 1 :]
        elif trick == "leet" and len(letters) >= 4:
            inner = [i for i in letters[1:-1] if word[i] in LEET and word[i - 1].isalpha() and word[i + 1].isalpha()]
            if inner:
                i = draw(st.sampled_from(inner))
                word = word[:i] + LEET[word[i]] + word[i + 1 :]
        elif trick == "zero_width" and len(word) >= 2:
            i = draw(st.integers(1, len(word) - 1))
            word = word[:i] + draw(st.sampled_from(ZERO_WIDTH)) + word[i:]
        elif trick == "emoji_inside" and len(letters) >= 4 and word.isalpha():
            i = draw(st.integers(1, len(word) - 1))
            word = word[:i] + draw(st.sampled_from(EMOJI)) + word[i:]
        elif trick == "emoji_after":
            word = word + " " + draw(st.sampled_from(EMOJI))
        elif trick == "spaced" and word.isalpha() and 3 <= len(word) <= 8 and not spaced_before:
            # one spaced-out word at a time: two adjacent ones ("t a r g e t t h e m") cannot be told apart
            # from one long word by anyone, so the folding joins them into one
            word = " ".join(word)
            spaced_before = True
            out.append(word)
            continue
        elif trick == "double_space":
            word = word + " "
        spaced_before = False
        out.append(word)
    return base, " ".join(out)


@pytest.fixture(scope="module")
def cascade() -> CascadeClassifier:
    return CascadeClassifier(Settings(tier2="auto"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=obfuscated())
def test_robustness_obfuscation_moves_no_score_more_than_005(cascade: CascadeClassifier, pair: tuple[str, str]) -> None:
    base, variant = pair
    a, b = cascade.classify([item_for_text(base), item_for_text(variant)])
    for x, y in zip(a, b, strict=True):
        assert abs(x.score - y.score) <= 0.05, (x.label, x.score, y.score, variant)
