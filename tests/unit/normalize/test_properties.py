"""Property tests for the normalizer chain: it never raises on any text, it is idempotent, and the two
paths of every rewrite (fast and offset-tracked) agree."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.normalize import normalize
from vigil.normalize.folding import FOLDED_REWRITES, fold_normalized, fold_tracked
from vigil.normalize.offsets import fold_map
from vigil.normalize.rewrite import run_tracked

# Text that exercises every rule: any Unicode (surrogates included), plus an alphabet dense in the
# characters the rules care about, so Hypothesis reaches them often.
_TRICKY = (
    "aisk lIS.-_ *|/$@!0134578 \n\t\r"
    "аіѕкмнорстх ΙΟΑ оıᴋ"  # Cyrillic, Greek, Armenian, Latin lookalikes
    "\u200b\u200c\u200d\u202e\u2066\u00ad\ufeff\ufe0f\U000e0041\x00\x1b\u2028"  # invisible, bidi, controls
    "اأإآةىؤئـَُِّ٠١۲کیہ"  # Arabic letters, marks, tatweel, digits, Persian/Urdu
    "🔪🇮🇸❤☠\u20e3\u0337ｉ𝐢ⓘ…’ß"
)
texts = st.one_of(st.text(), st.text(alphabet=_TRICKY), st.text(alphabet=st.characters(codec=None)))
# VIGIL_HYPOTHESIS_EXAMPLES=5000 for a deeper run before a release.
EXAMPLES = int(os.environ.get("VIGIL_HYPOTHESIS_EXAMPLES", "300"))
_settings = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(texts)
def test_chain_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    twice = normalize(once.normalized)
    assert twice.normalized == once.normalized
    assert twice.folded == once.folded
    assert once.text == text[: len(once.text)]


@_settings
@given(texts)
def test_fold_tracked_path_matches_fast_path(text: str) -> None:
    normalized = normalize(text).normalized
    folded, starts, ends = fold_tracked(normalized)
    assert folded == fold_normalized(normalized)
    assert len(starts) == len(ends) == len(folded)
    for s, e in zip(starts, ends, strict=True):
        assert 0 <= s < e <= len(normalized)
    # The equal-length shortcut gives the same map as tracking every step.
    assert run_tracked(FOLDED_REWRITES, normalized, shortcut=False) == (folded, starts, ends)


@_settings
@given(texts)
def test_fold_map_spans_stay_inside_the_text(text: str) -> None:
    item = normalize(text)
    fmap = fold_map(item.normalized, item.folded)
    for start in range(0, len(item.folded), 3):
        s, e = fmap.span(start, start + 2)
        assert 0 <= s <= e <= len(item.normalized)


@_settings
@given(st.text(alphabet=st.characters(codec=None)))
def test_casefold_is_per_character(text: str) -> None:
    # Casefold's tracked path folds one code point at a time; that is only right if Python's casefold
    # has no context rules.
    assert "".join(ch.casefold() for ch in text) == text.casefold()
