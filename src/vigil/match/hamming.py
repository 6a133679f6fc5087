"""A compact multi-index for 256-bit binary codes (PDQ hashes) under Hamming distance.

Why not a library: faiss ``IndexBinaryMultiHash`` (what HMA uses for PDQ) was measured here at 1M random
PDQ hashes with 16 tables of 16 bits: 351 MB for the index (plus the 32 MB of codes), p50 2.1 ms,
p99 2.7 ms (``bench/bench_banks.py --faiss-probe``). It keeps one 64-bit id per entry per table in
hash maps of vectors, so 10M hashes need about 3.5 GB, over the 2 GB target. This structure keeps the same
search (pigeonhole over 16-bit substrings) in flat numpy arrays with 32-bit row numbers:
``codes`` 32 B + 16 tables x 4 B = 96 B per hash, about 0.96 GB for 10M, and lookups stay vectorized.

Search: split each code into ``T = 16`` chunks of 16 bits. If two codes are within distance ``r``, at
least one chunk differs in at most ``floor(r / T)`` bits (pigeonhole), so probing every chunk value
within that many bit flips of the query's chunk finds every code within ``r``: exact, not approximate.
For the PDQ default r = 31 that is 1 + 16 probes per table. Candidates are then verified with a full
Hamming distance computed in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import numpy.typing as npt

CODE_BITS = 256
WORDS = CODE_BITS // 64
TABLES = 16
CHUNK_BITS = CODE_BITS // TABLES  # 16
BUCKETS = 1 << CHUNK_BITS

U64 = npt.NDArray[np.uint64]

_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


def popcount64(x: U64) -> U64:
    """Bits set in each uint64 (SWAR; numpy < 2 has no bitwise_count)."""
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return (x * _H01) >> np.uint64(56)


def hex_to_codes(hexes: Sequence[str]) -> U64:
    """64-hex-character strings to an ``(n, 4)`` uint64 array (big-endian words, as PDQ hex is written)."""
    raw = np.frombuffer(bytes.fromhex("".join(hexes)), dtype=">u8")
    return raw.reshape(len(hexes), WORDS).astype(np.uint64)


def _chunks(codes: U64) -> npt.NDArray[np.int64]:
    """``(n, 16)`` chunk values: chunk t is bits [16t, 16t+16) of the 256-bit code."""
    shifts = np.array([48, 32, 16, 0], dtype=np.uint64)
    parts = (codes[:, :, None] >> shifts[None, None, :]) & np.uint64(0xFFFF)
    return parts.reshape(len(codes), TABLES).astype(np.int64)


def _flip_masks(max_flips: int) -> npt.NDArray[np.int64]:
    masks = [0]
    for k in range(1, max_flips + 1):
        for bits in combinations(range(CHUNK_BITS), k):
            masks.append(sum(1 << b for b in bits))
    return np.array(masks, dtype=np.int64)


class HammingMultiIndex:
    """Exact radius search over 256-bit codes. Immutable once built; ``entry_ids[row]`` is returned."""

    def __init__(self, codes: U64, entry_ids: npt.NDArray[np.int64], radius: int) -> None:
        if radius < 0 or radius >= CODE_BITS:
            raise ValueError(f"radius {radius} out of range 0..{CODE_BITS - 1}")
        self.codes = np.ascontiguousarray(codes, dtype=np.uint64)
        self.entry_ids = np.ascontiguousarray(entry_ids, dtype=np.int64)
        self.radius = radius
        self.masks = _flip_masks(radius // TABLES)
        n = len(self.codes)
        # rows per table sorted by chunk value (CSR): rows[t * n + offsets[t, v] : ... offsets[t, v + 1]]
        self.rows = np.empty(TABLES * n, dtype=np.uint32)
        self.offsets = np.zeros((TABLES, BUCKETS + 1), dtype=np.int64)
        if n:
            chunks = _chunks(self.codes)
            for t in range(TABLES):
                keys = chunks[:, t].astype(np.uint16)
                order = np.argsort(keys, kind="stable")
                self.rows[t * n : (t + 1) * n] = order.astype(np.uint32)
                counts = np.bincount(keys, minlength=BUCKETS)
                np.cumsum(counts, out=self.offsets[t, 1:])
            self.offsets += (np.arange(TABLES, dtype=np.int64) * n)[:, None]

    def __len__(self) -> int:
        return len(self.codes)

    def memory_bytes(self) -> int:
        return int(self.codes.nbytes + self.entry_ids.nbytes + self.rows.nbytes + self.offsets.nbytes)

    def search(self, queries: U64, radius: int | None = None) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Rows within ``radius`` of any query: ``(entry_ids, distances)``, each entry once with its
        smallest distance over the queries."""
        r = self.radius if radius is None else min(radius, self.radius)
        empty = np.empty(0, dtype=np.int64)
        if not len(self.codes) or not len(queries):
            return empty, empty
        qchunks = _chunks(queries)  # (q, T)
        keys = qchunks[:, :, None] ^ self.masks[None, None, :]  # (q, T, M)
        table = np.arange(TABLES)[None, :, None]
        starts = self.offsets[table, keys].ravel()
        ends = self.offsets[table, keys + 1].ravel()
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return empty, empty
        # concatenate the ranges [starts[i], ends[i]) without a Python loop
        nonzero = lengths > 0
        starts, lengths = starts[nonzero], lengths[nonzero]
        cum = np.cumsum(lengths)
        idx = np.arange(total, dtype=np.int64) - np.repeat(cum - lengths, lengths) + np.repeat(starts, lengths)
        cand = self.rows[idx].astype(np.int64)
        qidx = np.repeat(np.repeat(np.arange(len(queries)), TABLES * len(self.masks))[nonzero], lengths)
        dist = popcount64(self.codes[cand] ^ queries[qidx]).sum(axis=1).astype(np.int64)
        keep = dist <= r
        cand, dist = cand[keep], dist[keep]
        if not len(cand):
            return empty, empty
        order = np.lexsort((dist, cand))
        cand, dist = cand[order], dist[order]
        first = np.ones(len(cand), dtype=bool)
        first[1:] = cand[1:] != cand[:-1]
        return self.entry_ids[cand[first]], dist[first]
