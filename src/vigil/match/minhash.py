"""MinHash signatures of prepared texts and a compact LSH index over them, for `text_near`.

Shingles are the words of `vigil.match.text_prep.matching_tokens` plus their adjacent pairs: single words
make the Jaccard similarity robust to reordered sentences and changed words, pairs keep two texts that
merely share vocabulary apart. A signature is ``PERMS = 128`` minima of 2-universal hashes
(``(a*x + b) mod 2^64 >> 32`` over 32-bit shingle ids); the share of equal positions estimates the
Jaccard similarity (standard error ~0.044 at J = 0.5) and distance = 1 - that share.

Why not datasketch: its ``MinHashLSH`` keeps Python dicts of sets per band; 100,000 entries took
+897 MB of resident memory and 30 s to insert here, about 9 GB per 1M entries, over the 2 GB target
(``python bench/bench_banks.py datasketch-probe --n 100000``). `LshIndex` keeps one sorted uint64 array of band keys with
uint32 row numbers (12 bytes per entry and band) and the signatures as uint32 (512 bytes per entry):
about 0.9 GB for 1M entries, and a query is 32 binary searches plus one vectorized comparison.

Banding: 32 bands of 4 rows. An entry becomes a candidate with probability 1 - (1 - J^4)^32: 0.87 at
J = 0.5, 0.99 at J = 0.6, 0.0003 at J = 0.1 (unrelated texts), so candidate lists stay short.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

PERMS = 128
BANDS = 32
ROWS = PERMS // BANDS
_SEED = 20240322

_rng = np.random.default_rng(_SEED)
_A = (_rng.integers(1, 2**62, size=PERMS, dtype=np.int64).astype(np.uint64) << np.uint64(1)) | np.uint64(1)
_B = _rng.integers(0, 2**62, size=PERMS, dtype=np.int64).astype(np.uint64)
_BAND_MIX = _rng.integers(1, 2**62, size=(ROWS,), dtype=np.int64).astype(np.uint64) | np.uint64(1)
_BAND_SALT = _rng.integers(0, 2**62, size=(BANDS,), dtype=np.int64).astype(np.uint64)

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]


def _word_id(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest(), "little")


def shingle_ids(tokens: Sequence[str]) -> U64:
    """32-bit ids of the shingles of ``tokens`` (words and adjacent word pairs), deduplicated."""
    words = np.array([_word_id(w) for w in tokens], dtype=np.uint64)
    if len(words) > 1:
        pairs = ((words[:-1] * np.uint64(0x9E3779B1)) ^ (words[1:] + np.uint64(0x7F4A7C15))) & np.uint64(0xFFFFFFFF)
        words = np.concatenate([words, pairs ^ np.uint64(0x5BD1E995)])
    return np.unique(words)


def signature(shingles: U64) -> U32:
    """The MinHash signature (``PERMS`` uint32 values) of a non-empty set of shingle ids."""
    hashed = (shingles[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    out: U32 = hashed.min(axis=0).astype(np.uint32)
    return out


def band_keys(signatures: U32) -> U64:
    """``(n, BANDS)`` 64-bit keys, one per band of ``ROWS`` signature values."""
    sig = signatures.reshape(len(signatures), BANDS, ROWS).astype(np.uint64)
    mixed = (sig * _BAND_MIX[None, None, :]).sum(axis=2, dtype=np.uint64)
    keys = mixed ^ _BAND_SALT[None, :]
    keys ^= keys >> np.uint64(29)
    out: U64 = keys
    return out


def similarity(a: U32, b: U32) -> float:
    return float(np.count_nonzero(a == b)) / PERMS


class LshIndex:
    """Candidates by banded LSH, verified by signature agreement. Immutable once built."""

    def __init__(self, signatures: U32, entry_ids: npt.NDArray[np.int64], radius: float) -> None:
        self.signatures = np.ascontiguousarray(signatures, dtype=np.uint32).reshape(-1, PERMS)
        self.entry_ids = np.ascontiguousarray(entry_ids, dtype=np.int64)
        self.radius = radius
        n = len(self.signatures)
        keys = band_keys(self.signatures).ravel()  # row-major: key of (row, band) at row * BANDS + band
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = (order // BANDS).astype(np.uint32)
        assert len(self.keys) == n * BANDS

    def __len__(self) -> int:
        return len(self.signatures)

    def memory_bytes(self) -> int:
        return int(self.signatures.nbytes + self.entry_ids.nbytes + self.keys.nbytes + self.rows.nbytes)

    def search(self, queries: U32, radius: float | None = None) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Entries within ``radius`` (estimated Jaccard distance) of any query signature, each once
        with its smallest distance."""
        r = self.radius if radius is None else radius
        empty_i, empty_f = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        if not len(self.signatures) or not len(queries):
            return empty_i, empty_f
        queries = queries.reshape(-1, PERMS)
        qkeys = band_keys(queries).ravel()
        lo = np.searchsorted(self.keys, qkeys, side="left")
        hi = np.searchsorted(self.keys, qkeys, side="right")
        lengths = hi - lo
        total = int(lengths.sum())
        if total == 0:
            return empty_i, empty_f
        nonzero = lengths > 0
        lo, lengths = lo[nonzero], lengths[nonzero]
        cum = np.cumsum(lengths)
        idx = np.arange(total, dtype=np.int64) - np.repeat(cum - lengths, lengths) + np.repeat(lo, lengths)
        qidx = np.repeat(np.repeat(np.arange(len(queries)), BANDS)[nonzero], lengths)
        pairs = np.unique(self.rows[idx].astype(np.int64) * len(queries) + qidx)
        cand, qidx = pairs // len(queries), pairs % len(queries)
        # np.take: row gathers from a large 2-D array are ~10x faster than fancy indexing in numpy 1.x
        dist = 1.0 - np.count_nonzero(np.take(self.signatures, cand, axis=0) == queries[qidx], axis=1) / PERMS
        keep = dist <= r + 1e-9
        cand, dist = cand[keep], dist[keep]
        if not len(cand):
            return empty_i, empty_f
        order = np.lexsort((dist, cand))
        cand, dist = cand[order], dist[order]
        first = np.ones(len(cand), dtype=bool)
        first[1:] = cand[1:] != cand[:-1]
        return self.entry_ids[cand[first]], dist[first]
