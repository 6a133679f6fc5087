"""Obfuscation folding of ``Item.folded``: undo the tricks used to slip past keyword filters.

Where it sits: unicode ─► arabic ─► **fold** ─► entities ─► language. Only the matching text changes;
``normalized`` (what is shown) keeps what was written.

The rules, in the order they run, each with its reason:

1. **Lookalike letters that are Latin already, typography, stacked marks** (one ``str.translate``):
   Latin letters with diacritics to the bare letter (``ïsïs``, ``mujāhidīn``), small capitals and IPA
   letters (``ᴋɪʟʟ``), regional-indicator letters (``🇮🇸🇮🇸``), typographic quotes and dashes to ASCII
   (``bay’ah`` = ``bay'ah``), and leftover combining marks removed (Zalgo text ``k̷i̷l̷l̷``; real accents were
   composed by NFKC and folded by the table). Always safe: nothing changes script.
2. **Emoji and symbols inside a word are removed** (``k🔪ill``, ``is★is``, ``d🖤aesh``): a symbol with a
   letter on both sides is an insertion, never part of a word. Emoji between words stay (a classifier
   may read them).
3. **Separator-split words are joined**: three or more single letters (or digits, ``@`` and ``$`` standing
   for letters) separated by the same small set of separators (space . - _ * / \\ | · • ~ +, one to three
   of them) become one word: ``I.S.I.S``, ``d.a.e.s.h``, ``i-s-i-s``, ``I S I S``, ``d a e s h``. At least two
   units must be letters, so version numbers (``1.2.3``) and dates stay; a real sentence almost never has
   three one-letter words in a row, so ordinary words are not glued together.
4. **Homoglyphs** (token by token, one-for-one): Cyrillic, Greek and Armenian letters drawn like Latin
   ones become Latin **only inside tokens that are mostly Latin** (``pаypal`` with a Cyrillic ``а``), or in
   a token made only of lookalikes when the message has no real Cyrillic, Greek or Armenian letter and
   the token has a lookalike outside the Russian alphabet (``join іѕіѕ``, but not ``Москва`` in English
   news). Tokens with
   real foreign letters are left alone, so Russian and Greek text is not destroyed. The reverse also
   holds: Latin lookalikes inside a mostly Cyrillic token become Cyrillic (``джихaд`` → ``джихад``).
5. **Leetspeak inside words**: in a token that has Latin letters and leet characters *between* letters
   (``d@esh``, ``1s1s``, ``k1ll``, ``sh00t``), ``0 1 3 4 5 7 8 @ $ ! |`` become ``o i e a s t b a s i l``
   throughout the token; a leading ``$`` before letters is an ``s`` (``$hooting``). Plain numbers (``143``,
   ``2024``) and number-unit tokens (``1st``, ``9mm``, ``ak47``, ``mp3``) have no leet between letters and
   stay; a ``!`` that ends a word is punctuation and stays.
6. **Stretched letters**: a letter repeated three or more times is shortened. Letters that almost never
   double in English, transliterated Arabic or Russian (Latin a i u h j k q v w x y, Arabic long vowels
   ا و ي, Cyrillic vowels а и у ы э ю я) keep one (``kiiiill`` → ``kill``, ``jihaaad`` → ``jihad``); other
   letters keep two, so legitimate doubles survive (``killllll`` → ``kill``, ``shoooot`` → ``shoot``,
   ``الللله`` → ``الله``). Digits are never shortened (``1000``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial

from vigil.core.records import Item
from vigil.core.registry import Manifest
from vigil.normalize.base import Normalizer
from vigil.normalize.confusables import ALWAYS_TO_LATIN, FOREIGN_TO_LATIN, LATIN_TO_CYRILLIC
from vigil.normalize.itemcopy import replace_item
from vigil.normalize.rewrite import LengthPreserving, RegexSub, Rewrite, Translate

# ---- rule 1 ---------------------------------------------------------------------------------------
_PUNCTUATION = {
    **dict.fromkeys("‘’‚‛′ʼʻ`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
_COMBINING_RANGES = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))


def _rule1_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in {**ALWAYS_TO_LATIN, **_PUNCTUATION}.items()}
    for lo, hi in _COMBINING_RANGES:
        for cp in range(lo, hi + 1):
            if unicodedata.category(chr(cp)) == "Me":
                continue  # enclosing marks (keycap U+20E3) are symbols: rule 2 handles them
            table[cp] = None
    return table


def _not_ascii(text: str) -> bool:
    return not text.isascii()


# ---- rule 2 ---------------------------------------------------------------------------------------
def _ranges_class(cps: list[int]) -> str:
    """A regex character class body for a sorted list of code points, as ranges."""
    parts: list[str] = []
    start = prev = cps[0]
    for cp in [*cps[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(
            re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}"
        )
        start = prev = cp
    return "".join(parts)


def _symbol_class() -> str:
    # Non-ASCII symbols (So, Sk), enclosing marks (keycaps), and the whole emoji blocks, including code
    # points this Python's Unicode database does not know yet (newer emoji).
    cps = [
        cp
        for cp in range(0x80, 0x20000)
        if unicodedata.category(chr(cp)) in ("So", "Sk", "Me") or 0x1F000 <= cp <= 0x1FAFF
    ]
    return _ranges_class(cps)


_LETTER = r"[^\W\d_]"
_SYMBOLS_IN_WORD = re.compile(rf"(?<={_LETTER})[{_symbol_class()}]+(?={_LETTER})")

# ---- rule 3 ---------------------------------------------------------------------------------------
_UNIT = r"(?:[^\W_]|[@$])"
_SEP_CHAR = r"[ .\-_*/\\|·•~+]"
_SEP = _SEP_CHAR + "{1,3}"
_SPLIT_WORD = re.compile(rf"(?<![\w@$]){_UNIT}(?:{_SEP}{_UNIT}){{2,}}(?![\w@$])")
_UNIT_RE = re.compile(_UNIT)
# Cheap test first: the second and third units of any split word (``.s.i`` in ``i.s.i.s``), found by a
# pattern that starts with a separator (fast to scan for); the full pattern runs only where it passes.
_MAYBE_SPLIT = re.compile(rf"{_SEP_CHAR}[\w@$]{_SEP}[\w@$](?![\w@$])")


def _join_split_word(m: re.Match[str]) -> str:
    units = _UNIT_RE.findall(m.group())
    letters = sum(1 for u in units if u.isalpha())
    return "".join(units) if letters >= 2 else m.group()


# ---- rule 4 ---------------------------------------------------------------------------------------
_RUSSIAN = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_FOREIGN_SCRIPTS = "\u0370-\u058f"  # Greek, Cyrillic (+ supplement), Armenian
_HAS_FOREIGN = re.compile(f"[{_FOREIGN_SCRIPTS}]")
_TOKEN_WITH_FOREIGN = re.compile(rf"\w*[{_FOREIGN_SCRIPTS}]\w*")
_TOKEN_MIXED = re.compile(rf"\w*(?:[a-z]\w*[{_FOREIGN_SCRIPTS}]|[{_FOREIGN_SCRIPTS}]\w*[a-z])\w*")
_REAL_FOREIGN = re.compile(
    "["
    + "".join(ch for ch in map(chr, range(0x370, 0x590)) if ch.isalpha() and ch not in FOREIGN_TO_LATIN)
    + "]"
)
_NOT_RUSSIAN = re.compile("[" + "".join(ch for ch in FOREIGN_TO_LATIN if ch not in _RUSSIAN) + "]")
_TO_LATIN = str.maketrans(FOREIGN_TO_LATIN)
_TO_CYRILLIC = str.maketrans(LATIN_TO_CYRILLIC)


def _fold_token(latin_message: bool, m: re.Match[str]) -> str:
    token = m.group()
    latin = lookalike = other = cyrillic = 0
    for ch in token:
        if "a" <= ch <= "z":
            latin += 1
        elif ch in FOREIGN_TO_LATIN:
            lookalike += 1
            cyrillic += "\u0400" <= ch <= "\u052f"
        elif ch.isalpha():
            other += 1
            cyrillic += "\u0400" <= ch <= "\u052f"
    if lookalike and not other and (latin or (latin_message and _NOT_RUSSIAN.search(token))):
        return token.translate(_TO_LATIN)
    if latin and cyrillic > latin and all(ch in LATIN_TO_CYRILLIC for ch in token if "a" <= ch <= "z"):
        return token.translate(_TO_CYRILLIC)
    return token


def fold_homoglyphs(text: str) -> str:
    """Rule 4. One-for-one: the result has the length of ``text``."""
    if not _HAS_FOREIGN.search(text):
        return text
    # A token made only of lookalikes (``іѕіѕ``) is read as Latin only when the message has no real
    # Greek, Cyrillic or Armenian letter (nobody wrote in that script) and the token has a lookalike
    # that is not a Russian letter: Russian names in English news (``Москва``, ``марта``) are made of
    # Russian letters only and must stay.
    latin_message = _REAL_FOREIGN.search(text) is None
    pattern = _TOKEN_WITH_FOREIGN if latin_message else _TOKEN_MIXED
    return pattern.sub(partial(_fold_token, latin_message), text)


# ---- rule 5 ---------------------------------------------------------------------------------------
_LEET_CHARS = "0134578@$!|"
_LEET_TABLE = str.maketrans(_LEET_CHARS, "oieastbasil")
_MAYBE_LEET = re.compile(r"[0134578@$!|]+[a-z]")  # starts with a rare character class: fast to scan
_LEET_WORD = re.compile(
    r"(?<![\w@$])[0134578$]*[a-z]+(?:[0134578@$!|]+[a-z]+)+[0134578]*(?!\w)"  # leet between letters
    r"|(?<![\w@$])\$(?=[a-z]{2})"  # a leading $ standing for s
)


def _maybe_leet(text: str) -> bool:
    return _MAYBE_LEET.search(text) is not None


def _unleet(m: re.Match[str]) -> str:
    return m.group().translate(_LEET_TABLE)


# ---- rule 6 ---------------------------------------------------------------------------------------
_KEEP_ONE = frozenset("aiuhjkqvwxy" + "\u0627\u0648\u064a" + "аиуыэюя")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")
_MAYBE_STRETCHED = re.compile(r"(.)\1\1", re.DOTALL)  # four times cheaper than _STRETCHED


def _shorten(m: re.Match[str]) -> str:
    ch = m.group(1)
    return ch if ch in _KEEP_ONE else ch + ch


FOLD_REWRITES: tuple[Rewrite, ...] = (
    Translate("latin_variants", _rule1_table(), guard=_not_ascii),
    RegexSub("symbols_in_word", _SYMBOLS_IN_WORD, "", guard=_not_ascii),
    RegexSub(
        "split_words", _SPLIT_WORD, _join_split_word, guard=lambda t: _MAYBE_SPLIT.search(t) is not None
    ),
    LengthPreserving("homoglyphs", fold_homoglyphs, guard=_not_ascii),
    RegexSub("leetspeak", _LEET_WORD, _unleet, guard=_maybe_leet),
    RegexSub("stretched", _STRETCHED, _shorten, guard=lambda t: _MAYBE_STRETCHED.search(t) is not None),
)


def fold_obfuscation(text: str) -> str:
    """Rules 1-6 applied to an already casefolded, Arabic-normalized text."""
    for rewrite in FOLD_REWRITES:
        text = rewrite.apply(text)
    return text


class FoldNormalizer(Normalizer):
    """Undoes homoglyphs, leetspeak, split words, inserted symbols and stretched letters in ``folded``."""

    name = "fold"
    order = 300

    def apply(self, item: Item) -> Item:
        return replace_item(
            item, folded=fold_obfuscation(item.folded), normalizers=(*item.normalizers, self.id)
        )


MANIFEST = Manifest(normalizers=(FoldNormalizer,))
