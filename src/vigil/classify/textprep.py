"""Text preparation for the learned classifiers: one place that turns raw text into what they read.

Where it sits: the normalize stage produces ``Item.folded`` (obfuscation undone). The learned tiers read
``Item.folded`` at run time, but at training time they only have raw strings from the data sets, so the
same folding must be applied to both. Everything goes through two functions here:

* `fold` — what ``Item.folded`` would be for a raw string. It uses ``vigil.normalize`` when that stage
  is installed (so training and serving fold identically) and otherwise a minimal folding of its own
  (NFKC, zero-width and bidi controls, case, Arabic letter forms, homoglyphs inside Latin words,
  leetspeak inside words, ``I.S.I.S``-style separators, emoji).
* `canon` — the model's own canonical form of a folded text: URLs dropped, every run of characters that
  is not a letter, mark or digit turned into one space. It is idempotent, and applying it to an
  already-folded text is safe, which is what makes the two paths agree.
"""

from __future__ import annotations

import re
import unicodedata
import regex

# Zero-width, joiners, bidi controls, soft hyphen, BOM: invisible characters used to split words.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070)),
    None,
)
# Arabic: diacritics and tatweel removed, alef/ya/ta-marbuta forms unified (as the normalize stage does).
_ARABIC = {c: None for c in range(0x064B, 0x0660)} | {0x0670: None, 0x0640: None}
_ARABIC |= {ord("أ"): "ا", ord("إ"): "ا", ord("آ"): "ا", ord("ٱ"): "ا", ord("ى"): "ي", ord("ة"): "ه"}
_ARABIC |= {ord("ؤ"): "و", ord("ئ"): "ي", ord("ك"): "ك", ord("ی"): "ي", ord("ک"): "ك"}
_BASE_TABLE = str.maketrans(_INVISIBLE | _ARABIC)

# Letters of other scripts that look like Latin ones. Applied only inside words that also contain a
# Latin letter, so Russian or Greek text keeps its own letters.
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ɡ": "g", "ո": "n",
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "ӏ": "l", "ı": "i", "ѵ": "v", "ԛ": "q", "ԝ": "w", "һ": "h", "ɑ": "a",
    }
)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"})

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_NEEDS_TABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in list(_INVISIBLE) + list(_ARABIC)) + "]")
_MIXED_SCRIPT = regex.compile(r"\w*[a-z]\w*")
_HAS_CONFUSABLE = re.compile("[" + "".join(chr(c) for c in _HOMOGLYPHS) + "]")
# A letter next to a digit or leet symbol inside a word ("k1ll", "d@esh"), not a leading @mention.
_LEET_HINT = re.compile(r"[a-z][0-9@$!|+]|[0-9$!|+][a-z]")
_LEET_WORD = re.compile(r"[\w@$!|+]*(?:[a-z][0-9@$!|+]|[0-9$!|+][a-z])[\w@$!|+]*")
# Single characters joined by one separator: "i.s.i.s", "d-a-e-s-h", "k i l l" (at least three).
_SPACED = re.compile(r"(?<!\w)(?:\w[ .\-_*·•/]){2,}\w(?!\w)")
# Pictographs, dingbats, symbols: deleted without a space so an emoji inserted inside a word vanishes.
_SYMBOLS = regex.compile(r"[\p{So}\p{Sk}\p{Cs}\p{Co}\p{Cn}\uFE0F\U0001F3FB-\U0001F3FF]+")
_NOT_WORD = regex.compile(r"[^\p{L}\p{M}\p{N}]+")
_NOT_WORD_ASCII = re.compile(r"[\W_]+")


def _fold_homoglyphs(text: str) -> str:
    if not _HAS_CONFUSABLE.search(text):
        return text
    return _MIXED_SCRIPT.sub(lambda m: m.group(0).translate(_HOMOGLYPHS), text)


def _fix_leet(m: re.Match[str]) -> str:
    word = m.group(0)
    # A word with more digits than letters is a number, a date or an id ("2019", "4am"), not leetspeak.
    letters = sum(ch.isalpha() for ch in word)
    return word.translate(_LEET) if letters > len(word) - letters else word


def _fold_leet(text: str) -> str:
    if not _LEET_HINT.search(text):
        return text
    return _LEET_WORD.sub(_fix_leet, text)


def _join_spaced(text: str) -> str:
    return _SPACED.sub(lambda m: _NOT_WORD.sub("", m.group(0)), text)


def minimal_fold(text: str) -> str:
    """The folding used until the normalize stage's is merged. Never raises on any string.

    Each step is guarded by a cheap test because most messages need none of them, and tier 1 must
    handle 10,000 messages a second on one core.
    """
    text = unicodedata.normalize("NFKC", text)
    if _NEEDS_TABLE.search(text):
        text = text.translate(_BASE_TABLE)
    text = text.lower()
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if not text.isascii():
        text = _SYMBOLS.sub("", _fold_homoglyphs(text))
    return _join_spaced(_fold_leet(text))


def fold(text: str) -> str:
    """What ``Item.folded`` is for ``text``. The single switch point to the normalize stage's folding
    once it is merged; until then the minimal folding above."""
    return minimal_fold(text)


def canon(folded: str) -> str:
    """The model input: every run of non-letters/marks/digits becomes one space; padded by spaces so
    character n-grams see word starts and ends. Idempotent."""
    if "://" in folded or "www." in folded:
        folded = _URL.sub(" ", folded)
    if folded.isascii():
        words = _NOT_WORD_ASCII.sub(" ", folded).strip()
    else:
        words = _NOT_WORD.sub(" ", _SYMBOLS.sub("", folded)).replace("_", " ").strip()
    return f" {words} " if words else " "


def prepare(text: str) -> str:
    """Raw text to model input, for training and evaluation on raw strings."""
    return canon(fold(text))


def prepare_folded(folded: str) -> str:
    """``Item.folded`` to model input, at run time. Folding again is a no-op on folded text, and makes
    the classifier agree with training even when the normalize stage folds differently."""
    return canon(minimal_fold(folded))
