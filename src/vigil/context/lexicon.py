"""Phrase lexicons for the context stage, matched in one pass with an Aho-Corasick automaton.

Each phrase belongs to a *family* of framing cues (news agency, analysis, counter-speech ...) or of
endorsement cues (the in-group vocabulary of jihadist channels, praise formulas, official branding).
`scoring.py` says how the families combine; this module only finds them. One automaton pass over the
lower-cased text costs a few microseconds for a tweet, which is why the phrases live here and not in
a regular-expression alternation (slower per character as the lists grow).

The phrases live in ``phrases.txt`` beside this module, one per line under ``[family weight]``
headers, so that a language or a term can be added without touching code. Phrases are lower case. A hit must sit on word boundaries, except on the left of Arabic phrases,
because Arabic attaches clitics (و، ب، ال) to the word that follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from vigil.core.errors import ConfigError

PHRASE_FILE = Path(__file__).with_name("phrases.txt")


def load_phrases(path: Path = PHRASE_FILE) -> dict[str, dict[str, float]]:
    """family -> {phrase: weight} from the phrase file (``[family weight]`` headers, one phrase a line,
    comments start with "# ").

    Raises:
        ConfigError: the file is missing or a line comes before any header.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read the context phrase file {str(path)!r}: {exc}") from exc
    phrases: dict[str, dict[str, float]] = {}
    family, weight = "", 0.0
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line == "#" or line.startswith("# "):  # "#amaq" is a hashtag phrase, not a comment
            continue
        if line.startswith("[") and line.endswith("]"):
            family, weight_text = line[1:-1].split()
            weight = float(weight_text)
            continue
        if not family:
            raise ConfigError(f"{path}:{number}: phrase {line!r} before any [family weight] header")
        phrases.setdefault(family, {})[line.lower()] = weight
    return phrases


def _prefix(phrase: str) -> tuple[str, bool]:
    """A phrase ending in "*" matches as a word prefix: "#wilayat*" finds "#WilayatNinawa"."""
    return (phrase[:-1], True) if phrase.endswith("*") and len(phrase) > 1 else (phrase, False)


PHRASES: dict[str, dict[str, float]] = load_phrases()


@dataclass(frozen=True, slots=True)
class PhraseHit:
    family: str
    phrase: str
    start: int
    end: int
    weight: float


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    entries: dict[tuple[str, bool], list[tuple[str, float]]] = {}
    for family, phrases in PHRASES.items():
        for phrase, weight in phrases.items():
            entries.setdefault(_prefix(phrase), []).append((family, weight))
    merged: dict[str, tuple[str, bool, tuple[tuple[str, float], ...]]] = {}
    for (phrase, prefix), values in entries.items():
        old = merged.get(phrase)
        merged[phrase] = (
            phrase,
            prefix or (old is not None and old[1]),
            (old[2] if old else ()) + tuple(values),
        )
    for phrase, value in merged.items():
        automaton.add_word(phrase, value)
    automaton.make_automaton()
    return automaton


def _boundary(text: str, index: int) -> bool:
    """True when ``text[index]`` is outside the text or not a letter or digit."""
    return index < 0 or index >= len(text) or not text[index].isalnum()


def find_phrases(lower: str) -> list[PhraseHit]:
    """Every lexicon phrase in ``lower`` (already lower-cased, offsets aligned with the original)."""
    hits: list[PhraseHit] = []
    for end_index, (phrase, prefix, values) in _automaton().iter(lower):
        start = end_index - len(phrase) + 1
        first, last = phrase[0], phrase[-1]
        left_ok = _is_arabic(first) or not first.isalnum() or _boundary(lower, start - 1)
        right_ok = prefix or not last.isalnum() or _boundary(lower, end_index + 1) or _is_arabic(last)
        if left_ok and right_ok:
            hits.extend(PhraseHit(family, phrase, start, end_index + 1, weight) for family, weight in values)
    return hits


def word_set(words: str) -> frozenset[str]:
    """A frozen set of the space-separated words of ``words`` (keeps long word lists readable)."""
    return frozenset(words.split())


def lower_aligned(text: str) -> str:
    """Lower-case ``text`` without changing its length, so offsets stay valid.

    ``str.lower`` lengthens a few characters (``"İ"`` becomes two); those keep their case here.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
