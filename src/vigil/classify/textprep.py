"""Text preparation for the learned classifiers: one place that turns text into what they read.

Where it sits: the normalize stage produces ``Item.folded`` (case, Arabic spelling and obfuscation undone:
homoglyphs, leetspeak, ``I.S.I.S``, zero-width characters, emoji inside words). The learned tiers read
``Item.folded`` at run time, but training only has raw strings from the data sets, so both paths go
through the same two functions:

* `fold` — ``Item.folded`` for a raw string: exactly the normalize stage's rewrites
  (`vigil.normalize.folding.fold_text`), so training and serving cannot fold differently;
* `canon` — the model's own canonical form of a folded text: URLs dropped, symbols dropped, every run of
  characters that is not a letter, mark or digit turned into one space, one space at each end (so
  character n-grams see where words start and end). Idempotent and cheap (~10 µs a tweet).

`canon_tracked` is the slow path for evidence: the same canonical text with, for each of its characters,
the offset in the folded text it came from.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import regex

from vigil.core.records import ContentKind, Item, RawItem
from vigil.normalize.folding import fold_normalized, fold_text
from vigil.normalize.unicode import clean_text

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Pictographs, dingbats and other symbols: the normalize stage already removed those inside words.
_SYMBOLS = regex.compile(r"[\p{So}\p{Sk}\p{Cs}\p{Co}\p{Cn}\uFE0F\U0001F3FB-\U0001F3FF]+")
_NOT_WORD = regex.compile(r"[^\p{L}\p{M}\p{N}]+")
_NOT_WORD_ASCII = re.compile(r"[\W_]+")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def fold(text: str) -> str:
    """What ``Item.folded`` is for ``text`` (the normalize stage's folding)."""
    return fold_text(text)


def _strip_urls(folded: str) -> str:
    if "://" in folded or "www." in folded:
        return _URL.sub(lambda m: " " * len(m.group(0)), folded)
    return folded


def canon(folded: str) -> str:
    """The model input for a folded text. Idempotent."""
    folded = _strip_urls(folded)
    if folded.isascii():
        words = _NOT_WORD_ASCII.sub(" ", folded).strip()
    else:
        words = _NOT_WORD.sub(" ", _SYMBOLS.sub(" ", folded)).replace("_", " ").strip()
    return f" {words} " if words else " "


def canon_tracked(folded: str) -> tuple[str, list[int]]:
    """`canon` plus, for each character of the result, its offset in ``folded`` (-1 for a space that
    stands for a removed stretch). Used only to place evidence, never on the fast path."""
    text = _strip_urls(folded)
    offsets = [-1]
    parts = [" "]
    for m in _WORD.finditer(text):
        parts.append(m.group(0))
        offsets.extend(range(m.start(), m.end()))
        parts.append(" ")
        offsets.append(-1)
    return "".join(parts), offsets


_SYMBOL_GAP = regex.compile(r"[ \t]*[\p{So}\p{Sk}\p{Cs}\p{Co}\p{Cn}\uFE0F\U0001F3FB-\U0001F3FF]+[ \t]*")


def strip_symbols(folded: str) -> str:
    """``folded`` with emoji and other symbols between words removed ("migrate 🔥 to" -> "migrate to").
    The normalize stage removes symbols *inside* words and keeps those between them; the lexicon's
    phrases and the sentence encoder would otherwise be moved by an inserted emoji."""
    if folded.isascii():
        return folded
    spaced: str = _SYMBOL_GAP.sub(" ", folded)
    return spaced


def prepare(text: str) -> str:
    """Raw text to model input, for training and evaluation on raw strings."""
    return canon(fold(text))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def item_for_text(text: str, source_id: str = "0", source: str = "text") -> Item:
    """An `Item` with the normalize stage's ``normalized`` and ``folded`` texts, for scoring plain
    strings (evaluation, `vigil assess`, tests) without running the whole normalizer chain."""
    normalized = clean_text(text)
    raw = RawItem(
        source=source,
        source_id=source_id,
        kind=ContentKind.MESSAGE,
        text=text,
        payload=b"",
        connector="text.v1",
        received_at=_EPOCH,
    )
    return Item(raw=raw, text=text, normalized=normalized, folded=fold_normalized(normalized))
