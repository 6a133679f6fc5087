"""Exact SHA-256 of a file's bytes. Catches re-uploads, not edits (`pdq` catches edited images)."""

from __future__ import annotations

import hashlib
import re

from vigil.core.errors import InvalidSignal
from vigil.core.records import ContentKind
from vigil.core.registry import Manifest
from vigil.match.base import ExactIndex, SignalType

_HEX64 = re.compile(r"[0-9a-f]{64}")


class Sha256Signal(SignalType):
    name = "sha256"
    content_kinds = (ContentKind.IMAGE, ContentKind.VIDEO, ContentKind.AUDIO, ContentKind.FILE)
    input = "file"
    index_cls = ExactIndex
    examples = ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",)

    @classmethod
    def validate(cls, value: str) -> str:
        normalized = value.lower()
        if not _HEX64.fullmatch(normalized):
            raise InvalidSignal(cls.name, value, "expected 64 hex characters")
        return normalized

    @classmethod
    def hash_bytes(cls, data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


MANIFEST = Manifest(signal_types=(Sha256Signal,))
