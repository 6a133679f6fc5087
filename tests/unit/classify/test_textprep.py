from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.classify.textprep import canon, canon_tracked, item_for_text, prepare


def test_textprep_canon_is_idempotent_and_single_spaced() -> None:
    text = canon("rt @user: join   us!!! https://t.co/xyz  #now")
    assert text == " rt user join us now "
    assert canon(text) == text


def test_textprep_prepare_undoes_obfuscation() -> None:
    assert prepare("I.S.I.S") == prepare("isis") == " isis "
    assert prepare("d\u200ba\u200be\u200bs\u200bh") == " daesh "
    assert prepare("k1ll th3m") == " kill them "
    assert prepare("ki🔪ll") == " kill "


def test_textprep_keeps_arabic_and_russian_letters() -> None:
    assert prepare("Привет, мир") == " привет мир "
    assert prepare("الدولة الإسلامية").strip() == "الدوله الاسلاميه"


def test_textprep_empty_text_is_one_space() -> None:
    assert canon("") == " "
    assert canon("!!! ...") == " "


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_textprep_canon_tracked_matches_canon(text: str) -> None:
    folded = item_for_text(text).folded
    tracked, offsets = canon_tracked(folded)
    assert tracked == canon(folded)
    assert len(offsets) == len(tracked)
    for ch, off in zip(tracked, offsets, strict=True):
        assert (off == -1 and ch == " ") or folded[off] == ch
