"""Exact MD5 of a file's bytes. Catches byte-identical re-uploads only.

MD5 is weak as a cryptographic hash, but it is what several hash-sharing lists (Tech Against Terrorism's
video hashes, older GIFCT exports) carry, so Vigil matches on it; `sha256` is preferred for new banks.
"""

from __future__ import annotations

import hashlib
import re

from vigil.core.errors import InvalidSignal
from vigil.core.records import ContentKind
from vigil.core.registry import Manifest
from vigil.match.base import ExactIndex, SignalType

_HEX32 = re.compile(r"[0-9a-f]{32}")


class Md5Signal(SignalType):
    name = "md5"
    content_kinds = (ContentKind.IMAGE, ContentKind.VIDEO, ContentKind.AUDIO, ContentKind.FILE)
    input = "file"
    index_cls = ExactIndex
    examples = ("d41d8cd98f00b204e9800998ecf8427e", "e8b19da37825a3056e84c522f05eb001")

    @classmethod
    def validate(cls, value: str) -> str:
        normalized = value.lower()
        if not _HEX32.fullmatch(normalized):
            raise InvalidSignal(cls.name, value, "expected 32 hex characters")
        return normalized

    @classmethod
    def hash_bytes(cls, data: bytes) -> str:
        return hashlib.md5(data, usedforsecurity=False).hexdigest()


MANIFEST = Manifest(signal_types=(Md5Signal,))
