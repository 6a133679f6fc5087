"""Near-duplicate fingerprints of message text, for flood detection.

A flood is the same call re-posted with small edits by many accounts, so exact hashes miss it. A
MinHash signature over the words and word pairs of ``Item.folded`` estimates the Jaccard similarity of
two texts' shingle sets. Everything flood detection needs goes through `fingerprint` and `similarity`,
so it can switch to the hash banks' ``text_near`` signal (the same MinHash idea, in `vigil.match`) once
that is on main without touching the rest of the service. Written here rather than taken from a
library because it is 40 lines of numpy and must be stable across processes (no random seeds, no
Python ``hash``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

PERMS = 64
_PRIME = np.uint64((1 << 31) - 1)  # products of 32-bit values wrap it many times: well mixed
_rng = np.random.Generator(np.random.PCG64(20240322))  # fixed seed: signatures are comparable across processes
_A = _rng.integers(1, 1 << 31, size=PERMS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=PERMS, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 2000  # enough for any message; bounds the work on a huge text

Signature = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    signature: Signature
    words: int

    def encode(self) -> str:
        return "mh64:" + self.signature.astype("<u8").tobytes().hex()

    @classmethod
    def decode(cls, text: str) -> Fingerprint:
        body = text.removeprefix("mh64:")
        return cls(np.frombuffer(bytes.fromhex(body), dtype="<u8").astype(np.uint64), 0)


def _shingle_hashes(words: list[str]) -> npt.NDArray[np.uint64]:
    shingles = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8", "surrogatepass"), digest_size=4).digest(), "little")
         for s in shingles),
        dtype=np.uint64, count=len(shingles),
    )


def fingerprint(folded: str) -> Fingerprint | None:
    """The fingerprint of a folded text, or None when it has fewer than 3 words (too little to tell a
    re-post from a coincidence)."""
    words = _WORD.findall(folded.lower())[:MAX_WORDS]
    if len(words) < 3:
        return None
    h = _shingle_hashes(words)
    sig = ((h[:, None] * _A[None, :] + _B[None, :]) % _PRIME).min(axis=0)
    return Fingerprint(sig.astype(np.uint64), len(words))


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets, in [0, 1]."""
    return float(np.count_nonzero(a.signature == b.signature)) / PERMS


def similarities(a: Fingerprint, matrix: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
    """`similarity` of ``a`` against each row of a signature matrix (vectorised for flood lookups)."""
    if matrix.shape[0] == 0:
        return np.zeros(0)
    counts: npt.NDArray[np.int64] = np.count_nonzero(matrix == a.signature[None, :], axis=1)
    return counts / PERMS
