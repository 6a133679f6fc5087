"""Obfuscation folding of ``Item.folded``: undo the tricks used to slip past keyword filters.

Where it sits: unicode ─► arabic ─► **fold** ─► entities ─► language. Only the matching text changes;
``normalized`` (what is shown) keeps what was written.

The rules, in the order they run, each with its reason:

1. **Lookalike letters that are Latin already, typography, stacked marks** (one ``str.translate``):
   Latin letters with diacritics to the bare letter (``ïsïs``, ``mujāhidīn``), small capitals and IPA
   letters (``ᴋɪʟʟ``), Cherokee capitals drawn like Latin ones (``Ꮮions``), regional-indicator letters (``🇮🇸🇮🇸``), typographic quotes and dashes to ASCII
   (``bay’ah`` = ``bay'ah``), and leftover combining marks removed (Zalgo text ``k̷i̷l̷l̷``; real accents were
   composed by NFKC and folded by the table). Always safe: nothing changes script.
2. **Emoji and symbols inside a word are removed** (``k🔪ill``, ``is★is``, ``d🖤aesh``): a symbol with a
   letter on both sides is an insertion, never part of a word. Emoji between words stay (a classifier
   may read them).
3. **Separator-split words are joined**: three or more single letters (or digits, ``@`` and ``$`` standing
   for letters) separated by one separator (space . - _ * / \\ | · • ~ +, one to three of them, the same
   throughout, so ``m.a.k.e h.i.j.r.a.h`` stays two words) become one word: ``I.S.I.S``, ``d.a.e.s.h``, ``i-s-i-s``, ``I S I S``, ``d a e s h``. At least two
   units must be letters, so version numbers (``1.2.3``) and dates stay; a real sentence almost never has
   three one-letter words in a row, so ordinary words are not glued together.
4. **Homoglyphs** (token by token, one-for-one): Cyrillic, Greek and Armenian letters drawn like Latin
   ones become Latin **only inside tokens that are mostly Latin** (``pаypal`` with a Cyrillic ``а``), or in
   a token made only of lookalikes when the message has no real Cyrillic, Greek or Armenian letter and
   the token has a lookalike outside the Russian alphabet or only letters drawn like Latin lower case
   (``join іѕіѕ``, ``асе``, but not ``Москва`` in English news). Tokens with
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


def _has_rule1_chars(text: str) -> bool:
    return not text.isascii() and _RULE1_CHARS.search(text) is not None


_RULE1_TABLE = _rule1_table()
_RULE1_CHARS = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_RULE1_TABLE)) + "]")


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


# A run of symbols, found by its character class alone (a look-behind would be tried at every position
# of every message); whether letters stand on both sides is checked for the few runs found.
_SYMBOL_RUN = re.compile(f"[{_symbol_class()}]+")


def _drop_if_inside_word(m: re.Match[str]) -> str:
    text, s, e = m.string, m.start(), m.end()
    if s > 0 and e < len(text) and text[s - 1].isalpha() and text[e].isalpha():
        return ""
    return m.group()


# ---- rule 3 ---------------------------------------------------------------------------------------
_UNIT = r"(?:[^\W_]|[@$])"
_SEP_CHAR = r"[ .\-_*/\\|·•~+]"
_SEP = _SEP_CHAR + "{1,3}"
# The same separator throughout, so "m.a.k.e h.i.j.r.a.h" gives two words, not one; and a unit that
# starts a run with another separator that binds tighter than a space belongs to that run
# ("c r u s a d e r s a.n.d": the "a" is "and"; "t*a*k*e r e v e n g e": the "e" is "take").
_TIGHT_SEP = r"[.\-_*/\\|·•~+]{1,3}"
_SPLIT_WORD = re.compile(
    rf"(?<![\w@$]){_UNIT}({_SEP}){_UNIT}(?:\1{_UNIT}(?!(?!\1)({_TIGHT_SEP}){_UNIT}\2{_UNIT}))+(?![\w@$])"
)
_UNIT_RE = re.compile(_UNIT)
# Cheap test first: the second and third units of any split word (``.s.i`` in ``i.s.i.s``), found by a
# pattern that starts with a separator (fast to scan for); the full pattern runs only where it passes.
_MAYBE_SPLIT = re.compile(rf"{_SEP_CHAR}[\w@$]{_SEP}[\w@$](?![\w@$])")


def _maybe_split(text: str) -> bool:
    return _MAYBE_SPLIT.search(text) is not None


def _join_split_word(m: re.Match[str]) -> str:
    units = _UNIT_RE.findall(m.group())
    letters = sum(1 for u in units if u.isalpha())
    return "".join(units) if letters >= 2 else m.group()


# ---- rule 4 ---------------------------------------------------------------------------------------
_RUSSIAN = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_FOREIGN_SCRIPTS = "\u0370-\u058f"  # Greek, Cyrillic (+ supplement), Armenian
_HAS_FOREIGN = re.compile(f"[{_FOREIGN_SCRIPTS}]")
_TOKEN_WITH_FOREIGN = re.compile(rf"(?<!\w)\w*?[{_FOREIGN_SCRIPTS}]\w*")
_TOKEN_MIXED = re.compile(rf"(?<!\w)\w*?(?:[a-z]\w*?[{_FOREIGN_SCRIPTS}]|[{_FOREIGN_SCRIPTS}]\w*?[a-z])\w*")
_LATIN_LETTER = re.compile("[a-z]")
_REAL_FOREIGN = re.compile(
    "["
    + "".join(ch for ch in map(chr, range(0x370, 0x590)) if ch.isalpha() and ch not in FOREIGN_TO_LATIN)
    + "]"
)
_NOT_RUSSIAN = re.compile("[" + "".join(ch for ch in FOREIGN_TO_LATIN if ch not in _RUSSIAN) + "]")
_LOOKS_LOWER_LATIN = frozenset("аеорсухі")
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
    if lookalike and not other and (latin or (latin_message and _reads_as_latin(token))):
        return token.translate(_TO_LATIN)
    if latin and cyrillic > latin and all(ch in LATIN_TO_CYRILLIC for ch in token if "a" <= ch <= "z"):
        return token.translate(_TO_CYRILLIC)
    return token


def _reads_as_latin(token: str) -> bool:
    # Either a lookalike outside the Russian alphabet (``і``, ``ѕ``, Greek, Armenian), or only letters that
    # look like Latin *lower-case* letters (``а е о р с у х``): the way a Latin word is disguised. Russian
    # words are rarely made of those alone, and names such as ``Москва`` (``м``, ``к``, ``в`` look like
    # Latin capitals only) are not.
    return _NOT_RUSSIAN.search(token) is not None or all(ch in _LOOKS_LOWER_LATIN for ch in token)


def fold_homoglyphs(text: str) -> str:
    """Rule 4. One-for-one: the result has the length of ``text``."""
    if not _HAS_FOREIGN.search(text):
        return text
    # A token made only of lookalikes (``іѕіѕ``) is read as Latin only when the message has no real
    # Greek, Cyrillic or Armenian letter (nobody wrote in that script) and `_reads_as_latin` holds, so
    # Russian names in English news (``Москва``, ``марта``) stay.
    latin_message = _REAL_FOREIGN.search(text) is None
    if not latin_message and not _LATIN_LETTER.search(text):
        return text  # a Russian (Greek, Armenian) text with no Latin letter: nothing is disguised
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


def _unleet_match(m: re.Match[str]) -> str:
    return m.group().translate(_LEET_TABLE)


def _chunk(text: str, i: int) -> tuple[int, int]:
    """The whitespace-delimited stretch of ``text`` around position ``i``."""
    start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
    ends = [e for e in (text.find(" ", i), text.find("\n", i)) if e >= 0]
    return start, min(ends, default=len(text))


def unleet(text: str) -> str:
    """Rule 5. Leet tokens never contain whitespace, so the token pattern (slow: it tests a look-behind at
    every position) runs only on the whitespace-delimited stretches around a leet character followed by a
    letter, found with a fast scan. Same result as running it on the whole text; one-for-one."""
    parts: list[str] = []
    last = 0
    for m in _MAYBE_LEET.finditer(text):
        i = m.start()
        if i < last or (text[i] != "$" and (i == 0 or not "a" <= text[i - 1] <= "z")):
            continue  # neither a leading $ nor leet after a letter (an @handle, a number): no leet word
        s, e = _chunk(text, m.start())
        chunk = text[s:e]
        folded = _LEET_WORD.sub(_unleet_match, chunk)
        if folded != chunk:
            parts.append(text[last:s])
            parts.append(folded)
        else:
            parts.append(text[last:e])
        last = e
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


# ---- rule 6 ---------------------------------------------------------------------------------------
_KEEP_ONE = frozenset("aiuhjkqvwxy" + "\u0627\u0648\u064a" + "аиуыэюя")
# Any character three times (four times cheaper to scan for than a letter class with a back-reference);
# runs that are not letters ("...", "!!!", "000") are given back unchanged.
_STRETCHED = re.compile(r"(.)\1{2,}", re.DOTALL)
_ASCII_STRETCHED = re.compile(r"([a-z])\1\1")


def _maybe_stretched(text: str) -> bool:
    return (_ASCII_STRETCHED if text.isascii() else _STRETCHED).search(text) is not None


def _shorten(m: re.Match[str]) -> str:
    ch = m.group(1)
    if not ch.isalpha():
        return m.group()
    return ch if ch in _KEEP_ONE else ch + ch


FOLD_REWRITES: tuple[Rewrite, ...] = (
    Translate("latin_variants", _RULE1_TABLE, guard=_has_rule1_chars),
    RegexSub("symbols_in_word", _SYMBOL_RUN, _drop_if_inside_word, guard=_not_ascii, deletes_only=True),
    RegexSub("split_words", _SPLIT_WORD, _join_split_word, guard=_maybe_split, deletes_only=True),
    LengthPreserving("homoglyphs", fold_homoglyphs, guard=_not_ascii),
    LengthPreserving("leetspeak", unleet),
    RegexSub("stretched", _STRETCHED, _shorten, guard=_maybe_stretched, deletes_only=True),
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
