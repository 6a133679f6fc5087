"""Edits that re-posters make to dodge matching, for the robustness tests and benches of text_near and
text_exact. Each function takes a text and a seeded `random.Random` and returns the edited text."""

from __future__ import annotations

import random
import re

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
HOMOGLYPHS = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "s": "ѕ", "j": "ј",
    "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "T": "Т", "H": "Н", "K": "К", "M": "М", "B": "В",
}
EMOJI = ("🔥", "💥", "⚔️", "🏴", "☝️", "😡", "👇", "✅", "🕋", "📢", "🙏🏼", "💪")
FILLER = ("now", "brothers", "today", "all", "truly", "again", "soon", "here", "they", "every", "day", "new")
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+")


def punct_case(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        if ch.isalpha() and rng.random() < 0.3:
            ch = ch.swapcase()
        if ch in ".,!?:;'\"-" and rng.random() < 0.5:
            ch = rng.choice(["", "!!", "...", " - ", ",", "?!"])
        out.append(ch)
        if ch == " " and rng.random() < 0.1:
            out.append(rng.choice([".", ",", "!", " ", "*"]))
    return "".join(out)


def zero_width(text: str, rng: random.Random) -> str:
    return "".join(ch + (rng.choice(ZERO_WIDTH) if ch.isalpha() and rng.random() < 0.25 else "") for ch in text)


def homoglyphs(text: str, rng: random.Random) -> str:
    return "".join(HOMOGLYPHS[ch] if ch in HOMOGLYPHS and rng.random() < 0.4 else ch for ch in text)


def emoji(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(words) + 1)
        glue = rng.choice(["", " "])
        if pos < len(words) and glue == "":
            words[pos] = words[pos] + rng.choice(EMOJI)
        else:
            words.insert(pos, rng.choice(EMOJI))
    return " ".join(words)


def reorder(text: str, rng: random.Random) -> str:
    """Shuffle the sentences (texts of one sentence come back unchanged)."""
    sentences = [s for s in _SENTENCE.split(text.strip()) if s]
    if len(sentences) < 2:
        return text
    shuffled = sentences[:]
    while shuffled == sentences:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def change_words(text: str, rng: random.Random, share: float = 0.10) -> str:
    """Replace, drop or insert ``share`` of the words (at least one)."""
    words = text.split()
    n = max(1, round(len(words) * share))
    for _ in range(n):
        op = rng.random()
        pos = rng.randrange(len(words))
        if op < 0.5:
            words[pos] = rng.choice(FILLER)
        elif op < 0.75 and len(words) > 1:
            del words[pos]
        else:
            words.insert(pos, rng.choice(FILLER))
    return " ".join(words)


def combined(text: str, rng: random.Random) -> str:
    for edit in (reorder, change_words, punct_case, emoji, homoglyphs, zero_width):
        text = edit(text, rng)
    return text


EDITS = {
    "punct_case": punct_case,
    "zero_width": zero_width,
    "homoglyphs": homoglyphs,
    "emoji": emoji,
    "reorder": reorder,
    "words_10pct": change_words,
    "combined": combined,
}
