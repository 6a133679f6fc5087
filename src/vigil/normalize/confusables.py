"""Lookalike tables used by the obfuscation folding in `vigil.normalize.fold`.

Why our own tables rather than Unicode's ``confusables.txt`` (UTS #39): its "skeleton" is meant for
comparing two identifiers, maps in both directions and across Latin itself (``rn`` → ``m``, ``l`` → ``I``),
and would wreck ordinary text if used to rewrite it. Here we need something narrower: lower-case letters
of Cyrillic, Greek and Armenian (and Latin small capitals and IPA letters) that are *drawn* like a Latin
letter, each mapped one-for-one, so rewriting keeps every offset. Everything is lower case because the
folded text is casefolded first; upper-case lookalikes (``В`` for ``B``, ``Н`` for ``H``) arrive here as
their lower-case forms. Fullwidth, mathematical, circled and superscript letters need no table: NFKC in
the unicode step already turned them into plain letters.
"""

from __future__ import annotations

import unicodedata

# fmt: off
# Cyrillic lower-case letters drawn like a Latin letter (or like the lower case of one, since attackers
# usually write in capitals: ``НАТО``, ``ВОМВ``).
CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "з": "3",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "ь": "b",
    "ѕ": "s",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "һ": "h",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    "ӏ": "l",
    "ү": "y",
    "ҝ": "k",
}
GREEK_TO_LATIN: dict[str, str] = {
    "α": "a",
    "ά": "a",
    "β": "b",
    "γ": "y",
    "ε": "e",
    "έ": "e",
    "η": "n",
    "ή": "n",
    "ι": "i",
    "ί": "i",
    "ϊ": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ό": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "ύ": "u",
    "χ": "x",
    "ω": "w",
    "ς": "s",
    "ϲ": "c",
    "ϳ": "j",
    "ϝ": "f",
}
ARMENIAN_TO_LATIN: dict[str, str] = {
    "օ": "o",
    "ս": "u",
    "ց": "g",
    "հ": "h",
    "ո": "n",
    "զ": "q",
    "ա": "w",
    "ք": "p",
}
# Latin-script lookalikes: small capitals and IPA letters. Always folded (they are Latin already).
LATIN_VARIANTS: dict[str, str] = {
    "ɑ": "a",
    "ɡ": "g",
    "ı": "i",
    "ȷ": "j",
    "ʟ": "l",
    "ɪ": "i",
    "ᴀ": "a",
    "ʙ": "b",
    "ᴄ": "c",
    "ᴅ": "d",
    "ᴇ": "e",
    "ꜰ": "f",
    "ɢ": "g",
    "ʜ": "h",
    "ᴊ": "j",
    "ᴋ": "k",
    "ᴍ": "m",
    "ɴ": "n",
    "ᴏ": "o",
    "ᴘ": "p",
    "ǫ": "q",
    "ʀ": "r",
    "ꜱ": "s",
    "ᴛ": "t",
    "ᴜ": "u",
    "ᴠ": "v",
    "ᴡ": "w",
    "ʏ": "y",
    "ᴢ": "z",
    "ſ": "s",
    "ℓ": "l",
}
# Cherokee capitals drawn like Latin capitals (case folding keeps Cherokee upper case, so these arrive
# as they were typed). Cherokee text is vanishingly rare on the platforms Vigil serves; lookalike
# attacks with it are not.
CHEROKEE_TO_LATIN: dict[str, str] = {
    "Ꭺ": "a", "Ᏼ": "b", "Ꮯ": "c", "Ꭰ": "d", "Ꭼ": "e", "Ꮐ": "g", "Ꮋ": "h", "Ꭵ": "i", "Ꭻ": "j",
    "Ꮶ": "k", "Ꮮ": "l", "Ꮇ": "m", "Ꮲ": "p", "Ꮪ": "s", "Ꭲ": "t", "Ꮩ": "v", "Ꮃ": "w", "Ꮓ": "z",
    "Ꮍ": "y", "Ꮢ": "r",
}
# fmt: on
# Regional indicator symbols (the letters flags are made of) are written in a row to spell words.
REGIONAL_INDICATORS: dict[str, str] = {chr(0x1F1E6 + i): chr(ord("a") + i) for i in range(26)}

# Latin -> Cyrillic for the reverse trick: Latin letters slipped into a Russian word (``джихaд``).
LATIN_TO_CYRILLIC: dict[str, str] = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "y": "у",
    "x": "х",
    "k": "к",
    "m": "м",
    "h": "н",
    "t": "т",
    "b": "в",
    "i": "і",
}


def latin_diacritics_table() -> dict[str, str]:
    """Latin letters with diacritics (U+00C0..U+024F, U+1E00..U+1EFF) to their bare ASCII letter, where
    the letter decomposes to exactly one ASCII letter plus marks: ``ï`` → ``i``, ``ā`` → ``a``, ``ş`` → ``s``.
    Transliterated Arabic is written both ``mujāhidīn`` and ``mujahidin``; accents are also a cheap way
    to dodge a keyword filter (``ïsïs``). One-for-one, so offsets are kept."""
    out: dict[str, str] = {}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        if not ch.isalpha() or ch != ch.casefold():
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        if base.isascii() and base.isalpha() and base != ch:
            out[ch] = base.lower()
    return out


def _check_one_for_one(*tables: dict[str, str]) -> None:
    for table in tables:
        for key, value in table.items():
            if len(key) != 1 or len(value) != 1:
                raise ValueError(f"lookalike table entry {key!r} -> {value!r} is not one-for-one")


# ``з`` → ``3`` is deliberately in CYRILLIC_TO_LATIN: folded before the leetspeak rule, it lets
# ``kзll``-style spellings go the same way as ``k3ll``.
FOREIGN_TO_LATIN: dict[str, str] = {**CYRILLIC_TO_LATIN, **GREEK_TO_LATIN, **ARMENIAN_TO_LATIN}
ALWAYS_TO_LATIN: dict[str, str] = {
    **latin_diacritics_table(),
    **LATIN_VARIANTS,
    **CHEROKEE_TO_LATIN,
    **REGIONAL_INDICATORS,
}
_check_one_for_one(FOREIGN_TO_LATIN, ALWAYS_TO_LATIN, LATIN_TO_CYRILLIC)
