from __future__ import annotations

import pytest

from tests.helpers.normalize import normalize
from vigil.normalize.unicode import clean_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i\u200bs\u200ci\u200ds\u2060", "isis"),  # ZWSP, ZWNJ, ZWJ, WJ
        ("\ufeffda\u00adesh\u180e", "daesh"),  # BOM, soft hyphen, Mongolian vowel separator
        ("a\U000e0041\U000e007fb", "ab"),  # tag characters
        ("❤\ufe0f x\U000e0100", "❤ x"),  # variation selectors
        ("a\u034fb\u2063c", "abc"),  # combining grapheme joiner, invisible separator
    ],
)
def test_unicode_removes_invisible_characters(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_unicode_removes_every_bidi_control() -> None:
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    assert clean_text(f"a{controls}b") == "ab"


def test_unicode_removes_controls_but_keeps_newline_and_folds_line_breaks() -> None:
    assert clean_text("a\x00b\x07c\x1bd\x7fe") == "abcde"
    assert clean_text("one\r\ntwo\rthree\x85four\u2028five") == "one\ntwo\nthree\nfour\nfive"


def test_unicode_tab_becomes_space_and_runs_collapse() -> None:
    assert clean_text("a\t\tb   c\u00a0\u2003d\u2800e") == "a b c d e"


def test_unicode_keeps_one_blank_line_and_strips_line_ends() -> None:
    assert clean_text("  para one  \n\n\n\n  para two \n next ") == "para one\n\npara two\nnext"


def test_unicode_applies_nfkc() -> None:
    assert clean_text("ｊｏｉｎ 𝐢𝐬𝐢𝐬 ⓘ ﬁne x²") == "join isis i fine x2"


def test_unicode_nfkc_after_removal_composes_accents() -> None:
    # The ZWSP sat between the letter and its accent; removed first, the accent composes.
    assert clean_text("e\u200b\u0301") == "\u00e9"


def test_unicode_replaces_lone_surrogates() -> None:
    assert clean_text("a\ud800b") == "a\ufffdb"


def test_unicode_keeps_original_text_and_casefolds_folded() -> None:
    item = normalize("  Straße\u200b ISIS ")
    assert item.text == "  Straße\u200b ISIS "
    assert item.normalized == "Straße ISIS"
    assert item.folded == "strasse isis"
    assert item.normalizers[0] == "unicode.v1"
