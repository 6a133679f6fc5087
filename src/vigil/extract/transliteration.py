"""Transliteration keys for Arabic-derived names in Latin, Arabic and Cyrillic script.

The same spokesman is written Abu Hudhayfah al-Ansari, Abu Huthaifa al-Ansari, Abu Hudhaifa al-Ansari,
Абу Хузайфа аль-Ансари and أبو حذيفة الأنصاري. This module turns one name *token* into a comparable
form; `names` builds whole-name matching on top of it.

* Latin tokens fold to a transliteration key: the sounds that romanisation systems write differently
  collapse (dh/th/z/d -> d, q/c/k -> k, kh/h -> h, gh/g -> g, sh/ch/sch -> š, ou/oo/o/u -> u,
  ee/i -> i, ai/ay/ei/ey -> ai, aw/au/ow -> au), apostrophes and ʿ for ayn/hamza vanish, doubled
  letters collapse and a final h after a vowel (ta marbuta) is dropped. ``e`` stays a vowel of its
  own because writers use it for both a and i (Mohammed, Hamed).
* Cyrillic is romanised letter by letter, then folded like Latin.
* Arabic script writes no short vowels, so an Arabic token becomes a *pattern* over Latin keys:
  its consonants in order, an optional short vowel between them, and long vowels (ا و ي) that must
  appear. ``حسن`` matches hasan and hassan but not husain; ``حسين`` matches husain and hussein.

Why our own code: the available transliteration packages romanise one way (Arabic -> a scheme) but
do not compare the many informal spellings found in news and channel posts, which is what we need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vigil.extract.textfold import fold

VOWELS = frozenset("aeiu")

_LATIN_STEPS: tuple[tuple[str, str], ...] = (
    ("sch", "š"),
    ("tch", "š"),
    ("ch", "š"),
    ("sh", "š"),
    ("kh", "h"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "d"),
    ("dj", "j"),
    ("zh", "j"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("z", "d"),
    ("o", "u"),
    ("ee", "i"),
)

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "o", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye",
}  # fmt: skip

# Arabic consonants mapped to the Latin key alphabet above (so ث and ذ are "d", like th/dh/z).
_ARABIC_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "d", "ج": "j", "ح": "h", "خ": "h", "د": "d", "ذ": "d", "ر": "r",
    "ز": "d", "س": "s", "ش": "š", "ص": "s", "ض": "d", "ط": "t", "ظ": "d", "غ": "g", "ف": "f",
    "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "پ": "b", "چ": "š", "گ": "g", "ژ": "j",
}  # fmt: skip
_V = "[aeiu]?"


def script_of(token: str) -> str:
    """'arabic', 'cyrillic' or 'latin' (the script of the first letter)."""
    for ch in token:
        if "\u0600" <= ch <= "\u06ff":
            return "arabic"
        if "\u0400" <= ch <= "\u04ff":
            return "cyrillic"
        if ch.isalpha():
            return "latin"
    return "latin"


def cyrillic_to_latin(text: str) -> str:
    text = text.lower().replace("дж", "j")  # дж writes Arabic jim (Мухаджир)
    return "".join(_CYRILLIC.get(ch, ch) for ch in text)


@lru_cache(maxsize=8192)
def latin_key(token: str) -> str:
    """The transliteration key of one Latin (or romanised Cyrillic) token."""
    s = re.sub(r"[^a-z]", "", fold(token).replace(" ", ""))
    for old, new in _LATIN_STEPS:
        s = s.replace(old, new)
    s = re.sub(r"(.)\1+", r"\1", s)
    # y and w are consonants before a vowel and vowels elsewhere (Husayn, Dawla, Ansary); after a
    # consonant, y before a vowel is the vowel i (Yahya / Yahia); French "aoui" is "awi" (Zarkaoui).
    s = re.sub(r"y(?![aeiu])", "i", s)
    s = re.sub(r"(?<=[^aeiu])y(?=[aeiu])", "i", s)
    s = re.sub(r"w(?![aeiu])", "u", s)
    s = re.sub(r"(?<=[aei])u(?=[aei])", "w", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    s = s.replace("ei", "ai").replace("ui", "ui")
    s = re.sub(r"(?<=[aeiu])h$", "", s)
    return s


def arabic_key(token: str) -> str:
    """Arabic token with letter variants unified and diacritics removed (for Arabic-Arabic equality)."""
    return re.sub(r"(.)\1+", r"\1", fold(token).replace(" ", ""))


def arabic_skeleton(token: str) -> str:
    """The Latin consonant skeleton of an Arabic token, e.g. حذيفة -> 'hdf' (long vowels dropped)."""
    return "".join(_ARABIC_CONSONANTS.get(ch, "") for ch in arabic_key(token))


def latin_skeleton(key: str) -> str:
    """The consonants of a Latin key (the part Arabic script also writes)."""
    return "".join(ch for ch in key if ch not in VOWELS and ch not in "yw")


@lru_cache(maxsize=4096)
def arabic_pattern(token: str) -> re.Pattern[str]:
    """A regex over Latin keys that an Arabic token's romanisations match (see module docstring)."""
    letters = arabic_key(token)
    frags: list[str] = []
    last = len(letters) - 1
    for i, ch in enumerate(letters):
        if ch in "اأإآ":
            frags.append("[aeiu]?" if i == 0 else "(?:a|e)")
        elif ch == "و":
            frags.append("(?:w|u)" if i == 0 else "(?:uw|au|u|w)")
        elif ch in "يى":
            frags.append("(?:y|i)" if i == 0 else "(?:ai|iy|ay|i|y|e)" if ch == "ي" else "(?:a|i|e)")
        elif ch == "ه" and i == last and i > 0:
            frags.append("(?:a|e|at|et)?h?")  # ta marbuta (folded to ه) or a final h
        elif ch == "ع":
            frags.append("[aeiu]{0,2}")
        elif ch == "ء":
            frags.append(_V)
        elif ch in _ARABIC_CONSONANTS:
            frags.append(re.escape(_ARABIC_CONSONANTS[ch]))
        # anything else (punctuation, digits) carries no sound
    return re.compile(_V + _V.join(frags) + _V)


@dataclass(frozen=True, slots=True)
class NameToken:
    """One name token in comparable form. ``key`` is the Latin key or, for Arabic, the Arabic key."""

    key: str
    script: str  # latin | arabic (Cyrillic is romanised on the way in)

    @classmethod
    def of(cls, token: str) -> NameToken:
        script = script_of(token)
        if script == "arabic":
            return cls(arabic_key(token), "arabic")
        if script == "cyrillic":
            return cls(latin_key(cyrillic_to_latin(token)), "latin")
        return cls(latin_key(token), "latin")


def _slots(key: str) -> tuple[list[str], list[str]]:
    """Consonants and the vowel groups around them: len(vowels) == len(consonants) + 1."""
    consonants: list[str] = []
    vowels: list[str] = [""]
    for ch in key:
        if ch in VOWELS:
            vowels[-1] += ch
        else:
            consonants.append(ch)
            vowels.append("")
    return consonants, vowels


_VOWEL_EQUIV = {
    frozenset(p) for p in (("a", "e"), ("i", "e"), ("ai", "e"), ("au", "u"), ("ai", "i"), ("ia", "iya"))
}


def _vowels_compatible(a: str, b: str) -> bool:
    return a == b or frozenset((a, b)) in _VOWEL_EQUIV


def latin_compatible(a: str, b: str) -> bool:
    """Two Latin keys name the same token: same consonants, compatible vowels, at most one inner
    epenthetic short vowel (Bakr / Bakar)."""
    if a == b:
        return True
    ca, va = _slots(a)
    cb, vb = _slots(b)
    if ca != cb or len(ca) < 2:
        return False
    epenthesis = 0
    for i, (x, y) in enumerate(zip(va, vb, strict=True)):
        if _vowels_compatible(x, y):
            continue
        inner = 0 < i < len(va) - 1
        if inner and not (x and y) and len(x + y) == 1 and len(ca) >= 3:
            epenthesis += 1
            if epenthesis <= 1:
                continue
        return False
    return True


def tokens_compatible(a: NameToken, b: NameToken) -> bool:
    """Whether two tokens can be spellings of the same name."""
    if a.script == "latin" and b.script == "latin":
        return latin_compatible(a.key, b.key)
    if a.script == "arabic" and b.script == "arabic":
        return a.key == b.key
    arabic, latin = (a, b) if a.script == "arabic" else (b, a)
    return arabic_pattern(arabic.key).fullmatch(latin.key) is not None


def token_skeleton(token: NameToken) -> str:
    """Consonant skeleton in Latin letters, the same for every script (used as a blocking key)."""
    if token.script == "arabic":
        return arabic_skeleton(token.key)
    return latin_skeleton(token.key)
