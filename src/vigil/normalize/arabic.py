"""Arabic-script normalization of ``Item.folded`` (``normalized``, what is displayed, keeps every mark).

Where it sits: unicode ─► **arabic** ─► fold ─► entities ─► language.

Arabic is written with optional marks and several interchangeable letter forms, and propaganda is
often spelled inconsistently (or deliberately varied to dodge keyword filters). The matching text
therefore keeps one form of each letter. The character classes come from pyarabic (``pyarabic.araby``);
the whole step is one precompiled ``str.translate`` table, because calling pyarabic's string functions
one after another would scan every message a dozen times. Rules:

* diacritics removed: harakat, tanwin, shadda, sukun, dagger alef, Quranic annotation marks
  (``araby.DIACRITICS``) and the small waw/yeh (``araby.SMALL``): ``الجِهَادُ`` → ``الجهاد``;
* tatweel (kashida) removed: ``جـــهـــاد`` → ``جهاد``;
* alef forms to bare alef: ``أ إ آ ٱ`` → ``ا``;
* alef maqsura to ya: ``ى`` → ``ي`` (Egyptian spelling writes final ya without dots);
* ta marbuta to ha: ``ة`` → ``ه`` (commonly interchanged in informal writing);
* hamza carriers to their letters: ``ؤ`` → ``و``, ``ئ`` → ``ي`` (pyarabic's "tasheel"); a lone ``ء`` stays;
* Persian and Urdu letter variants to the Arabic letter they stand for: ``ک ڪ`` → ``ك``,
  ``ی ې ۍ ے ۓ`` → ``ي``, ``ہ ۂ ۀ ھ ە`` → ``ه`` (the same words arrive typed on Persian or Urdu keyboards);
* Arabic-Indic and Persian digits to ASCII: ``٢٠٢٤`` / ``۲۰۲۴`` → ``2024``; Arabic decimal and
  thousands separators, comma, semicolon, question mark and percent sign to their ASCII forms.

Presentation forms and ``ﻻ`` ligatures are already gone: NFKC (unicode step) decomposed them.
"""

from __future__ import annotations

import pyarabic.araby as araby

from vigil.core.records import Item
from vigil.core.registry import Manifest
from vigil.normalize.base import Normalizer
from vigil.normalize.itemcopy import replace_item
from vigil.normalize.rewrite import Rewrite, Translate

# Letters pyarabic does not name: Persian/Urdu keyboard variants of Arabic letters.
_KAF_VARIANTS = "\u06a9\u06aa"  # ک ڪ
_YEH_VARIANTS = "\u06cc\u06d0\u06cd\u06d2\u06d3"  # ی ې ۍ ے ۓ
_HEH_VARIANTS = "\u06c1\u06c2\u06c0\u06be\u06d5"  # ہ ۂ ۀ ھ ە
_PUNCTUATION = {
    "\u060c": ",",  # ARABIC COMMA
    "\u061b": ";",  # ARABIC SEMICOLON
    "\u061f": "?",  # ARABIC QUESTION MARK
    "\u066a": "%",  # ARABIC PERCENT SIGN
    "\u066b": ".",  # ARABIC DECIMAL SEPARATOR
    "\u066c": ",",  # ARABIC THOUSANDS SEPARATOR
}


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for ch in (*araby.DIACRITICS, *araby.SMALL, araby.TATWEEL):
        table[ord(ch)] = None
    for ch in (araby.ALEF_MADDA, araby.ALEF_HAMZA_ABOVE, araby.ALEF_HAMZA_BELOW, *araby.ALEF_WASLA):
        table[ord(ch)] = araby.ALEF
    table[ord(araby.ALEF_MAKSURA)] = araby.YEH
    table[ord(araby.TEH_MARBUTA)] = araby.HEH
    table[ord(araby.WAW_HAMZA)] = araby.WAW
    table[ord(araby.YEH_HAMZA)] = araby.YEH
    for ch in _KAF_VARIANTS:
        table[ord(ch)] = araby.KAF
    for ch in _YEH_VARIANTS:
        table[ord(ch)] = araby.YEH
    for ch in _HEH_VARIANTS:
        table[ord(ch)] = araby.HEH
    for digits in (araby.NUMBERS_EAST, araby.NUMBERS_PERS):
        for ch, west in zip(digits, araby.NUMBERS_WEST, strict=True):
            table[ord(ch)] = west
    for ch, rep in _PUNCTUATION.items():
        table[ord(ch)] = rep
    return table


ARABIC_TABLE: dict[int, str | None] = _build_table()


def _has_arabic(text: str) -> bool:
    # Every character the table touches is in U+0600..U+06FF; ``max`` runs in C and is cheaper than a
    # table lookup per character on the Latin and Cyrillic majority.
    return bool(text) and not text.isascii() and max(text) >= "\u0600"


ARABIC_REWRITES: tuple[Rewrite, ...] = (Translate("arabic", ARABIC_TABLE, guard=_has_arabic),)


def normalize_arabic(text: str) -> str:
    """The rules above applied to ``text``."""
    return ARABIC_REWRITES[0].apply(text)


class ArabicNormalizer(Normalizer):
    """Arabic-script normalization of the folded text (diacritics, tatweel, letter forms, digits)."""

    name = "arabic"
    order = 200

    def apply(self, item: Item) -> Item:
        return replace_item(
            item, folded=normalize_arabic(item.folded), normalizers=(*item.normalizers, self.id)
        )


MANIFEST = Manifest(normalizers=(ArabicNormalizer,))
