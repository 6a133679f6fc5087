"""Exact text matching: the SHA-256 of the prepared text (`vigil.match.text_prep`).

Catches re-posts that differ only in case, punctuation, spacing, zero-width characters, homoglyphs,
leetspeak and emoji. Any change of wording defeats it; `text_near` covers that.
"""

from __future__ import annotations

import hashlib
import re

from vigil.core.errors import InvalidSignal
from vigil.core.records import ContentKind
from vigil.core.registry import Manifest
from vigil.match.base import ExactIndex, SignalType
from vigil.match.text_prep import matching_text

_HEX64 = re.compile(r"[0-9a-f]{64}")


class TextExactSignal(SignalType):
    name = "text_exact"
    version = 1
    content_kinds = (ContentKind.MESSAGE, ContentKind.ARTICLE)
    input = "text"
    index_cls = ExactIndex
    examples = (
        "e0a1ab1bc1ea1b1ae5a5b7b6e0f6b1e8e9b50a4c51d7bb2a7b8b1d3a4bb2d2a1",
        "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea",
    )

    @classmethod
    def validate(cls, value: str) -> str:
        normalized = value.lower()
        if not _HEX64.fullmatch(normalized):
            raise InvalidSignal(cls.name, value, "expected 64 hex characters (SHA-256 of the prepared text)")
        return normalized

    @classmethod
    def hash_text(cls, text: str) -> str:
        prepared = matching_text(text)
        if not prepared:
            raise InvalidSignal(cls.name, text, "no letters or digits left to hash after normalization")
        return hashlib.sha256(prepared.encode("utf-8")).hexdigest()


MANIFEST = Manifest(signal_types=(TextExactSignal,))
