from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.match.text_prep import matching_text, matching_tokens


def test_text_prep_folds_obfuscation() -> None:
    assert matching_text("Join the I.S.I.S now!!! 🔥🔥") == "join the isis now"
    assert matching_text("ј\u1946in thе d4esh \u200bbrothers") == "join the daesh brothers"
    assert matching_text("Ｆｕｌｌ width café") == "full width cafe"


def test_text_prep_normalizes_arabic_variants() -> None:
    assert matching_text("الإسلامية") == matching_text("الاسلاميه")
    assert matching_text("دولـــة") == matching_text("دولة")


def test_text_prep_keeps_plain_numbers() -> None:
    assert matching_tokens("attack in 2015 killed 130") == ["attack", "in", "2015", "killed", "130"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_text_prep_is_idempotent_and_never_raises(text: str) -> None:
    once = matching_text(text)
    assert matching_text(once) == once
    assert "  " not in once and once == once.strip()


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab1$@ _-x9é3z0.ДŁ", max_size=24))
def test_leet_word_pattern_changes_exactly_what_the_any_latin_word_pattern_did(text: str) -> None:
    """`_LEET_WORD` matches only words `_unleet` changes; the result must be what the pattern that
    matched every word with a Latin letter gave."""
    import re

    from vigil.match import text_prep

    every_latin_word = re.compile(r"[\w@$]*[a-z][\w@$]*")
    assert text_prep._LEET_WORD.sub(text_prep._unleet, text) == every_latin_word.sub(text_prep._unleet, text)
