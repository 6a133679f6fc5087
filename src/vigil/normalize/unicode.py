"""Unicode clean-up: the first normalizer. Sets ``Item.normalized`` and starts ``Item.folded``.

Where it sits: ``RawItem.text`` ─► **unicode** ─► arabic ─► fold ─► entities ─► language.

What it does to ``normalized`` (what analysts see, what is searched, what evidence offsets refer to):

1. Invisible characters are removed: zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen,
   combining grapheme joiner, Mongolian vowel separator and free variation selectors, invisible math
   operators, Hangul and Khmer fillers, tag characters, variation selectors, interlinear annotation and
   shorthand format controls. *Why:* they split words for a matcher while showing nothing to a reader
   (``i\u200bs\u200bi\u200bs``), or smuggle hidden text (tag characters).
2. Bidi controls are removed (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM). *Why:* they
   reorder what is displayed ("Trojan source" tricks) so a reviewer reads something other than what is
   matched; Arabic and Hebrew display correctly without them.
3. Other control characters are removed, except newline and tab; ``\\r\\n``, ``\\r``, NEL, LINE SEPARATOR
   and PARAGRAPH SEPARATOR become ``\\n``; lone surrogates (only possible from broken JSON escapes) become
   U+FFFD so the text can always be encoded and stored.
4. NFKC. *Why:* folds compatibility forms that look like ordinary letters (fullwidth ``ｉｓｉｓ``,
   mathematical ``𝐢𝐬𝐢𝐬``, circled, super/subscript, ligatures ``ﬁ``, Arabic presentation forms) and
   composes accents, so equal-looking text is equal. Removal happens before NFKC (a removed character
   between a letter and a combining mark would otherwise leave an unnormalized string) and is checked
   again after it, which makes the step idempotent.
5. Whitespace: every run of horizontal whitespace (spaces, tabs, NBSP and the other Unicode spaces,
   Braille blank) becomes one space; spaces around a newline are dropped; more than one blank line becomes
   one blank line; the text is stripped. *Why:* padding and invisible-space tricks vanish, paragraphs stay.

``folded`` starts as ``normalized.casefold()`` (full case folding, so ``ß`` matches ``ss``); later
normalizers rewrite it further.
"""

from __future__ import annotations

import re
import unicodedata

from vigil.core.records import Item
from vigil.core.registry import Manifest
from vigil.normalize.base import Normalizer
from vigil.normalize.itemcopy import replace_item
from vigil.normalize.rewrite import Casefold

# Invisible or format characters removed outright (rule 1 and 2).
_INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # ARABIC LETTER MARK (bidi)
    (0x115F, 0x1160),  # Hangul choseong/jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels (invisible)
    (0x180B, 0x180F),  # Mongolian free variation selectors, vowel separator
    (0x200B, 0x200F),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),  # LRE, RLE, PDF, LRO, RLO
    (0x2060, 0x206F),  # WJ, invisible operators, LRI, RLI, FSI, PDI, deprecated format controls
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # BOM / ZWNBSP
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF9, 0xFFFC),  # interlinear annotation controls, object replacement character
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0000, 0xE007F),  # tag characters
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
_NEWLINES = (0x0085, 0x2028, 0x2029)  # NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for lo, hi in _INVISIBLE_RANGES:
        for cp in range(lo, hi + 1):
            table[cp] = None
    for cp in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)):  # C0 and C1 controls (rule 3)
        table[cp] = None
    table[ord("\t")] = "\t"
    table[ord("\n")] = "\n"
    table[ord("\r")] = "\n"  # "\r\n" is folded to "\n" before the table runs
    for cp in _NEWLINES:
        table[cp] = "\n"
    table[0x1680] = " "  # OGHAM SPACE MARK: NFKC leaves it, it is a space
    table[0x2800] = " "  # BRAILLE PATTERN BLANK: renders as a blank, used to pad invisible names
    for cp in range(0xFFFE, 0x110000, 0x10000):  # noncharacters U+xFFFE and U+xFFFF
        table[cp] = None
        table[cp + 1] = None
    for cp in range(0xFDD0, 0xFDF0):
        table[cp] = None
    return table


CLEAN_TABLE: dict[int, str | None] = _build_table()
# str.translate with a dict costs a lookup per character outside ASCII; a character-class search runs in C
# and lets the common case (nothing to clean) skip it.
_NEEDS_CLEANING = re.compile(
    "["
    + "".join(
        re.escape(chr(cp)) for cp in sorted(k for k, v in CLEAN_TABLE.items() if v != chr(k)) if cp < 0xE0000
    )
    + "\U000e0000-\U000e01ef]"
)
_ASCII_TABLE: dict[int, str | None] = {k: v for k, v in CLEAN_TABLE.items() if k < 0x80}
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_HSPACE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")  # a run of 2+ spaces, or one non-" " space
_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Rules 1-5: the ``normalized`` text of ``text``. Never raises; idempotent."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if text.isascii():  # ASCII is always NFKC-normal; only controls and spaces can need work
        if _ASCII_CONTROL.search(text):  # a search is cheaper than translating every message
            text = text.translate(_ASCII_TABLE)
        if "  " in text or "\t" in text:  # the only horizontal spaces left in ASCII
            text = _HSPACE.sub(" ", text)
    else:
        if _SURROGATE.search(text):
            text = _SURROGATE.sub("\ufffd", text)
        if _NEEDS_CLEANING.search(text):
            text = text.translate(CLEAN_TABLE)
        for _ in range(4):  # converges in one round on real text; the bound keeps it total
            if unicodedata.is_normalized("NFKC", text):
                break
            text = unicodedata.normalize("NFKC", text).translate(CLEAN_TABLE)
        text = _HSPACE.sub(" ", text)
    if "\n" in text:
        text = _AROUND_NEWLINE.sub("\n", text)
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


CASEFOLD = Casefold()


class UnicodeNormalizer(Normalizer):
    """NFKC, invisible/bidi/control characters removed, whitespace collapsed; ``folded`` casefolded."""

    name = "unicode"
    order = 100

    def apply(self, item: Item) -> Item:
        normalized = clean_text(item.normalized)
        return replace_item(
            item,
            normalized=normalized,
            folded=normalized.casefold(),
            normalizers=(*item.normalizers, self.id),
        )


MANIFEST = Manifest(normalizers=(UnicodeNormalizer,))
