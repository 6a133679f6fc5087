"""Sentence boundaries for the event rules, in any language and in all-caps wire copy.

A rule splitter rather than spaCy's parser: the parser costs more than the entity recogniser it
would serve, and news text is regular enough. A sentence ends at ``.``, ``!``, ``?`` or ``؟`` (with
closing quotes) before a capital letter, a quote or a digit, except after an abbreviation or an
initial (U.S., St. Petersburg, Mr. Durov, Col. Isaacs); a blank line always ends one. A single line
break does not, because wire copy wraps lines inside sentences.

Where it sits: `analysis` calls it once per item; attacks and calls work sentence by sentence.
"""

from __future__ import annotations

import re

_ABBREVIATION_TEXT = """mr mrs ms dr st gen col lt sgt capt maj cpl pres gov sen rep rev prof jr sr no vs etc inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
_END = re.compile(r"[.!?؟]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9\u0600-\u06ff\u0400-\u04ff])|\n[ \t]*\n")
_LAST_WORD = re.compile(r"([\w.]+)\.$")


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _LAST_WORD.search(text, max(0, dot - 12), dot + 1)
    if m is None:
        return False
    word = m.group(1).lower()
    return (
        word in _ABBREVIATIONS
        or (len(word) == 1 and word.isalpha())
        or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))
    )


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text``, whitespace trimmed, in order."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if m.group(0)[0] == "." and _is_abbreviation(text, m.start()):
            continue
        _add(text, start, m.end(), out)
        start = m.end()
    _add(text, start, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))
