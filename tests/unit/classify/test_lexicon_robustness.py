"""The robustness target of issue 3, held on the lexicon: homoglyphs, leetspeak, zero-width characters,
spacing and emoji inserted into a text change no label score by more than 0.05. The folding of the
normalizers is what makes this true, so this is also a test of the fold rules working together."""

from __future__ import annotations

import os
import random
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.normalize import normalize
from vigil.classify.lexicon import LexiconClassifier
from vigil.core.settings import Settings

EXAMPLES = int(os.environ.get("VIGIL_HYPOTHESIS_EXAMPLES", "200"))
BASES = (
    "We urge the lone wolves to target the crusaders and the jews everywhere.",
    "Brothers, rise against the crusaders and take revenge for your religion.",
    "Lions of the caliphate carried out a blessed operation, may Allah accept them.",
    "Make hijrah to the lands of the Islamic State and join the ranks of the mujahideen.",
    "Donate to the mujahideen and support the brothers with your wealth.",
    "How to make an explosive belt with TATP, step by step.",
    "Al Furqan presents a new audio message from the official spokesman of the Islamic State.",
    "We will blow up the concert tomorrow, you will see.",
    "ISIS claimed responsibility for the attack on the concert hall, police said.",
    "The band killed it at the concert last night, what a show.",
)
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і", "s": "ѕ"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff")
EMOJI = ("🔥", "🔪", "☠", "🖤", "⭐")
SEPARATORS = (".", "-", "_", "*", " ")


def _obfuscate_word(word: str, kind: str, rng: random.Random) -> str:
    letters = list(word)
    if kind == "homoglyph":
        return "".join(HOMOGLYPHS.get(ch, ch) if rng.random() < 0.5 else ch for ch in letters)
    if kind == "leet":  # interior letters only: a word is still recognisable by its ends
        return (
            word[0] + "".join(LEET.get(ch, ch) if rng.random() < 0.5 else ch for ch in word[1:-1]) + word[-1]
        )
    if kind == "invisible":
        return "".join(ch + (rng.choice(INVISIBLE) if rng.random() < 0.4 else "") for ch in letters)
    if kind == "emoji":  # between two letters
        return word[0] + "".join((rng.choice(EMOJI) if rng.random() < 0.3 else "") + ch for ch in word[1:])
    return word


def obfuscate(text: str, kind: str, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split(" ")
    out = []
    spaced_before = False
    for word in words:
        core = word.rstrip(".,")
        tail = word[len(core) :]
        if len(core) >= 3 and core.isalpha() and rng.random() < 0.6:
            if kind == "spacing":
                sep = rng.choice(SEPARATORS[:-1] if spaced_before else SEPARATORS)
                spaced_before = sep == " "
                core = sep.join(core)
            else:
                spaced_before = False
                core = _obfuscate_word(core, kind, rng)
        else:
            spaced_before = False
        out.append(core + tail)
    return " ".join(out)


@lru_cache(maxsize=1)
def classifier() -> LexiconClassifier:
    return LexiconClassifier(Settings())


def _scores(text: str) -> dict[str, float]:
    return {ls.label.value: ls.score for ls in classifier().classify_one(normalize(text))}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES),
    kind=st.sampled_from(("homoglyph", "leet", "invisible", "emoji", "spacing")),
    seed=st.integers(0, 2**32 - 1),
)
def test_lexicon_scores_survive_obfuscation(base: str, kind: str, seed: int) -> None:
    plain = _scores(base)
    obfuscated_text = obfuscate(base, kind, seed)
    disguised = _scores(obfuscated_text)
    for label in set(plain) | set(disguised):
        assert abs(plain.get(label, 0.0) - disguised.get(label, 0.0)) <= 0.05, (
            obfuscated_text,
            plain,
            disguised,
        )
