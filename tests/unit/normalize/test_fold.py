from __future__ import annotations

import pytest

from vigil.normalize.folding import fold_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ïsïs mujāhidīn", "isis mujahidin"),  # Latin diacritics
        ("ᴋɪʟʟ", "kill"),  # small capitals
        ("🇮🇸🇮🇸", "isis"),  # regional indicators
        ("bay’ah “now” — go", 'bay\'ah "now" - go'),  # typography
        ("k̷i̷l̷l̷", "kill"),  # stacked combining marks
    ],
)
def test_fold_latin_variants(text: str, expected: str) -> None:
    assert fold_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("k🔪ill", "kill"), ("is★is", "isis"), ("d🖤aesh", "daesh")])
def test_fold_removes_symbols_inside_words(text: str, expected: str) -> None:
    assert fold_text(text) == expected


def test_fold_keeps_emoji_between_words() -> None:
    assert fold_text("we won 🎉 today") == "we won 🎉 today"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I.S.I.S", "isis"),
        ("d.a.e.s.h", "daesh"),
        ("i-s-i-s", "isis"),
        ("I S I S", "isis"),
        ("d a e s h", "daesh"),
        ("i . s . i . s", "isis"),
        ("1.s.1.s", "isis"),
        ("(u.s.a)", "(usa)"),
        ("د ا ع ش", "داعش"),
    ],
)
def test_fold_joins_split_words(text: str, expected: str) -> None:
    assert fold_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["version 1.2.3", "I am a fan", "plan B, a list: a, b, c", "on 22.03.2024", "it is a good day"],
)
def test_fold_does_not_glue_ordinary_text(text: str) -> None:
    assert fold_text(text) == text.casefold()


def test_fold_homoglyphs_in_latin_tokens() -> None:
    assert fold_text("join the іѕіѕ brothers") == "join the isis brothers"
    assert fold_text("pаypal") == "paypal"  # Cyrillic а inside a Latin word
    assert fold_text("the ΙSΙS flag") == "the isis flag"  # Greek capital iota


def test_fold_keeps_real_russian_and_greek() -> None:
    assert fold_text("Мы призываем к миру") == "мы призываем к миру"
    assert fold_text("Россия и НАТО") == "россия и нато"
    assert fold_text("Η Αθήνα είναι") == "η αθήνα είναι"
    assert fold_text("News: Москва, 22 марта") == "news: москва, 22 марта"


def test_fold_latin_lookalikes_inside_cyrillic_words() -> None:
    assert fold_text("джихaд брaтья") == "джихад братья"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d@esh", "daesh"),
        ("1s1s", "isis"),
        ("$hooting", "shooting"),
        ("k1ll", "kill"),
        ("sh00t3r", "shooter"),
        ("k!ll", "kill"),
        ("h4m4s", "hamas"),
    ],
)
def test_fold_leetspeak(text: str, expected: str) -> None:
    assert fold_text(text) == expected


@pytest.mark.parametrize(
    "text", ["143 dead", "in 2024", "1st 4th 9mm", "ak47 mp3 covid-19", "kill!", "$100", "@user 10,000"]
)
def test_fold_leaves_numbers_and_units(text: str) -> None:
    assert fold_text(text) == text.casefold()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kiiiill", "kill"),
        ("killllll", "kill"),
        ("shoooot", "shoot"),
        ("jihaaaad", "jihad"),
        ("الللللله", "الله"),
        ("جهاااااد", "جهاد"),
        ("1000 books", "1000 books"),
        ("good coffee", "good coffee"),
    ],
)
def test_fold_stretched_letters(text: str, expected: str) -> None:
    assert fold_text(text) == expected
