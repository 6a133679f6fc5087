from __future__ import annotations

import pytest

from tests.helpers.normalize import normalize
from vigil.normalize.offsets import fold_map, folded_to_normalized


def _highlight(text: str, term: str) -> str:
    item = normalize(text)
    start = item.folded.index(term)
    s, e = folded_to_normalized(item, start, start + len(term))
    return item.normalized[s:e]


@pytest.mark.parametrize(
    ("text", "term", "shown"),
    [
        ("they said k1ll them all", "kill them", "k1ll them"),
        ("Support I.S.I.S now", "isis", "I.S.I.S"),
        ("the d a e s h group", "daesh", "d a e s h"),
        ("go kiiiiill them", "kill", "kiiiiill"),
        ("join the іѕіѕ brothers", "isis", "іѕіѕ"),
        ("go k🔪ill them", "kill", "k🔪ill"),
        ("الدَّوْلَةُ الإِسْلَامِيَّةُ باقية", "الدوله الاسلاميه", "الدَّوْلَةُ الإِسْلَامِيَّةُ"),
        ("Die Straße ist lang", "strasse", "Straße"),
        ("ordinary ascii text here", "text", "text"),
    ],
)
def test_offsets_map_folded_spans_to_displayed_text(text: str, term: str, shown: str) -> None:
    assert _highlight(text, term) == shown


def test_offsets_ascii_without_deletions_is_identity() -> None:
    item = normalize("Plain text 2024")
    assert fold_map(item.normalized, item.folded).identity


def test_offsets_fall_back_to_alignment_when_folded_differs() -> None:
    item = normalize("go kiiiill them now")
    custom = type(item)(
        raw=item.raw, text=item.text, normalized=item.normalized, folded=item.folded.replace("now", "later")
    )
    start = custom.folded.index("them")
    s, e = folded_to_normalized(custom, start, start + 4)
    assert custom.normalized[s:e] == "them"
