"""Near-duplicate text: MinHash over the words and word pairs of the prepared text, with an LSH index
(`vigil.match.minhash`). Catches re-posts with changed words, reordered sentences and inserted emoji on
top of everything `text_exact` already undoes.

Distance is the estimated Jaccard distance (1 - share of equal MinHash values), in [0, 1]. The default
threshold 0.5 (texts sharing at least half their shingles) was chosen on the robustness bench
(``bench/bench_text_robustness.py``): it keeps recall on edited copies at or above 0.95 while unrelated
real tweets almost never reach it. Texts of fewer than ``MIN_TOKENS`` words carry too little to tell a
re-post from a coincidence; they raise `LowQualitySignal` and are left to `text_exact`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from itertools import islice

import numpy as np
import numpy.typing as npt

from vigil.core.errors import InvalidSignal
from vigil.core.records import ContentKind
from vigil.core.registry import Manifest
from vigil.match.base import LowQualitySignal, SignalIndex, SignalType
from vigil.match.minhash import PERMS, U32, LshIndex, shingle_ids, signature
from vigil.match.text_prep import matching_tokens

PREFIX = "mh1:"
MIN_TOKENS = 5


def encode(sig: U32) -> str:
    return PREFIX + base64.urlsafe_b64encode(sig.astype("<u4").tobytes()).decode("ascii").rstrip("=")


def decode(signal: str) -> U32:
    """The uint32 signature inside a canonical signal."""
    body = signal[len(PREFIX) :]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return np.frombuffer(raw, dtype="<u4").astype(np.uint32)


class TextNearIndex(SignalIndex):
    """`SignalIndex` over `LshIndex`. Approximate: an entry at distance d is found with probability
    1 - (1 - (1 - d)^4)^32 (0.87 at d = 0.5, 0.99 at d = 0.4); a found entry's distance is exact for
    the signatures, and nothing beyond the radius is ever returned."""

    def __init__(self, lsh: LshIndex) -> None:
        self.lsh = lsh

    @classmethod
    def build(cls, entries: Iterable[tuple[str, int]], *, radius: float) -> TextNearIndex:
        parts: list[U32] = []
        id_parts: list[npt.NDArray[np.int64]] = []
        it = iter(entries)
        while batch := list(islice(it, 50_000)):  # batches keep the transient strings small
            parts.append(np.stack([decode(s) for s, _ in batch]))
            id_parts.append(np.fromiter((i for _, i in batch), dtype=np.int64, count=len(batch)))
        matrix = np.concatenate(parts) if parts else np.empty((0, PERMS), dtype=np.uint32)
        ids = np.concatenate(id_parts) if id_parts else np.empty(0, dtype=np.int64)
        return cls(LshIndex(matrix, ids, radius))

    @classmethod
    def from_arrays(cls, signatures: U32, entry_ids: npt.NDArray[np.int64], radius: float) -> TextNearIndex:
        """Build straight from arrays (benchmarks and bulk rebuilds skip the string round trip)."""
        return cls(LshIndex(signatures, entry_ids, radius))

    def query(self, signal: str) -> list[tuple[int, float]]:
        return self.query_many([signal])

    def query_many(self, signals: list[str] | tuple[str, ...]) -> list[tuple[int, float]]:  # type: ignore[override]
        if not signals:
            return []
        ids, dist = self.lsh.search(np.stack([decode(s) for s in signals]))
        return list(zip(ids.tolist(), dist.tolist(), strict=True))

    def __len__(self) -> int:
        return len(self.lsh)

    def memory_bytes(self) -> int:
        return self.lsh.memory_bytes()


class TextNearSignal(SignalType):
    name = "text_near"
    version = 1
    content_kinds = (ContentKind.MESSAGE, ContentKind.ARTICLE)
    input = "text"
    index_cls = TextNearIndex
    default_threshold = 0.5
    max_threshold = 0.7  # beyond this the LSH finds too few candidates to be worth a bank setting
    examples = (
        encode(signature(shingle_ids(matching_tokens("This is an example of a banked message text.")))),
        encode(signature(shingle_ids(matching_tokens("A second harmless sample used by the demo and the tests.")))),
    )

    @classmethod
    def validate(cls, value: str) -> str:
        if not value.startswith(PREFIX):
            raise InvalidSignal(cls.name, value, f"expected a MinHash signature starting with {PREFIX!r}")
        try:
            sig = decode(value)
        except (binascii.Error, ValueError) as exc:
            raise InvalidSignal(cls.name, value, f"not valid base64: {exc}") from exc
        if len(sig) != PERMS:
            raise InvalidSignal(cls.name, value, f"expected {PERMS} MinHash values, got {len(sig)}")
        return encode(sig)

    @classmethod
    def hash_text(cls, text: str) -> str:
        tokens = matching_tokens(text)
        if len(tokens) < MIN_TOKENS:
            raise LowQualitySignal(
                cls.name, text, f"{len(tokens)} words after normalization; near-duplicate matching needs "
                f"at least {MIN_TOKENS} (text_exact still matches it)"
            )
        return encode(signature(shingle_ids(tokens)))

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        return 1.0 - float(np.count_nonzero(decode(a) == decode(b))) / PERMS


MANIFEST = Manifest(signal_types=(TextNearSignal,))
