from __future__ import annotations

import pytest

from tests.helpers.normalize import normalize
from vigil.normalize.arabic import normalize_arabic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الجِهَادُ", "الجهاد"),  # harakat
        ("اللَّهِ", "الله"),  # shadda + kasra
        ("كِتَابًا", "كتابا"),  # tanwin
        ("الرَّحْمٰنِ", "الرحمن"),  # dagger alef, sukun
        ("جـــهـــاد", "جهاد"),  # tatweel
        ("أحمد إسلام آخر ٱلله", "احمد اسلام اخر الله"),  # alef forms
        ("على مستشفى", "علي مستشفي"),  # alef maqsura
        ("الدولة الإسلامية", "الدوله الاسلاميه"),  # ta marbuta
        ("مؤمن رئيس", "مومن رييس"),  # hamza carriers
        ("شيء", "شيء"),  # a lone hamza stays
        ("کتاب یک", "كتاب يك"),  # Persian kaf and yeh
        ("ہے ھو", "هي هو"),  # Urdu heh and yeh barree
        ("٢٠٢٤ ۱۴۰۳", "2024 1403"),  # Arabic-Indic and Persian digits
        ("نعم، لا؛ لماذا؟ ٥٪", "نعم, لا; لماذا? 5%"),  # Arabic punctuation
    ],
)
def test_arabic_normalizes(text: str, expected: str) -> None:
    assert normalize_arabic(text) == expected


def test_arabic_leaves_other_scripts_alone() -> None:
    assert normalize_arabic("Москва 2024 déjà") == "Москва 2024 déjà"


def test_arabic_changes_folded_but_not_normalized() -> None:
    item = normalize("الدَّوْلَةُ الإِسْلَامِيَّةُ")
    assert item.normalized == "الدَّوْلَةُ الإِسْلَامِيَّةُ"
    assert item.folded == "الدوله الاسلاميه"
