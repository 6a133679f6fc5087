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
@given(st.text(alphabet="ab1$@ _-x9é3z0.ДŁ٣", max_size=24))
def test_leet_word_pattern_changes_exactly_what_the_any_latin_word_pattern_did(text: str) -> None:
    """`_LEET_WORD` with `_unleet` must give what each earlier pattern gave with its callback: the one
    that matched every word with a Latin letter, and the one that wanted a letter and a leet character."""
    import re

    from vigil.match import text_prep

    def unleet_if_leet(m: re.Match[str]) -> str:  # the callback as it was with that pattern
        word = m.group(0)
        return word.translate(text_prep._LEET) if any(c.isdigit() or c in "@$" for c in word) else word

    every_latin_word = re.compile(r"[\w@$]*[a-z][\w@$]*")
    letter_and_leet = re.compile(r"[\w@$]*(?:[a-z][\w@$]*[0-9@$]|[0-9@$][\w@$]*[a-z])[\w@$]*")  # the pattern before
    new = text_prep._LEET_WORD.sub(text_prep._unleet, text)
    assert new == every_latin_word.sub(unleet_if_leet, text)
    assert new == letter_and_leet.sub(unleet_if_leet, text)


_WORDS = ["rt", "http", "https", "hxxp", "htxps", "ftp", "www", "a", "i", "s", "x", "2", "6", "9", "0", "1", "3",
          "eee", "ee", "soooo", "isis", "h4ck", "a2b", "b6", "2026", "130", "t0", "7x", "d4esh", "join", "the",
          "strike", "cafe", "ab", "ix", "x9", "leet5", "word", "q"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
def test_the_fixed_point_shortcut_only_skips_a_pass_that_changes_nothing_on_plain_words(words: list[str]) -> None:
    """`_is_fixed_point` lets `matching_text` skip its second `_prepare` pass: wherever it says yes,
    the pass must give the text back (links, a retweet prefix, single letters, stretched letters and
    leet digits are what it must catch here)."""
    from vigil.match import text_prep

    text = " ".join(words)
    if text_prep._is_fixed_point(text):
        assert text_prep._prepare(text) == text


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abehiopstwx rt0123456789.@$/-_*!|ДéŁ\u200b٣ＡK", max_size=40))
def test_matching_text_with_the_shortcut_is_matching_text_without_it(text: str) -> None:
    from vigil.match import text_prep

    once = text_prep._prepare(text)
    if text_prep._is_fixed_point(once):
        assert text_prep._prepare(once) == once
    full = once
    for _ in range(4):
        again = text_prep._prepare(full)
        if again == full:
            break
        full = again
    assert text_prep.matching_text(text) == full


def test_the_fixed_point_shortcut_says_no_to_what_the_second_pass_changes() -> None:
    from vigil.match import text_prep

    for changed in ("rt join the", "see http now", "a b c d", "eee", "h4ck", "word www"):
        assert text_prep._prepare(changed) != changed
        assert not text_prep._is_fixed_point(changed)
    for stable in ("join the strike 2026", "a2b b6 ab", "see you at the match tonight 714412"):
        assert text_prep._is_fixed_point(stable) and text_prep._prepare(stable) == stable
