"""A compact multi-index for 256-bit binary codes (PDQ hashes) under Hamming distance.

Why not faiss's index: ``IndexBinaryMultiHash`` (what HMA uses for PDQ) was measured here at 1M random
PDQ hashes with 16 tables of 16 bits: +352 MB resident, CPU time per lookup p50 3.2 ms, p99 5.4 ms
(``python bench/bench_banks.py faiss-probe --n 1000000``). It keeps a 64-bit id per hash per table inside hash maps
of vectors, so 10M hashes need about 3.5 GB, over the 2 GB target. This structure does the same
pigeonhole search over flat numpy arrays with 32-bit row numbers: 32 B of code + 12 tables x 4 B = 80 B
per hash plus ~134 MB of bucket offsets, about 1 GB for 10M. faiss is still used where it is best: the
final Hamming distances are computed by ``faiss.hammings`` (hardware popcount), which was 100x faster
than a numpy popcount here (numpy < 2 has no ``bitwise_count``).

Search: the 256 bits are cut into ``TABLES = 12`` chunks of 21 or 22 bits. If two codes are within
distance ``r``, some chunk differs in at most ``f = r // 12`` bits (otherwise the total would exceed
``r``), so probing every chunk value within ``f`` flips of the query's chunk in every table finds every
code within ``r``: exact, not approximate. For the PDQ default r = 31, f = 2: 232-254 probes per table,
about 11k candidates at 10M hashes (16 tables of 16 bits gave 50k), each verified exactly.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import numpy.typing as npt

CODE_BITS = 256
WORDS = CODE_BITS // 64
TABLES = 12
CHUNK_SIZES = (21,) * 8 + (22,) * 4
DIRECT_MIN = 1 << 17  # from this many codes on, buckets are addressed directly (binary search is
# cache-bound beyond: 46 ms for an 8-rotation lookup at 1M codes, against ~1 ms addressed directly)
CHUNK_STARTS = tuple(int(s) for s in np.cumsum((0, *CHUNK_SIZES[:-1])))

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_ZERO = np.zeros(WORDS, dtype=np.uint64)
_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


def popcount64(x: U64) -> U64:
    """Bits set in each uint64 (SWAR). For tests and one-off comparisons; bulk work uses faiss."""
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return (x * _H01) >> np.uint64(56)


def hex_to_codes(hexes: list[str] | tuple[str, ...]) -> U64:
    """64-hex-character strings to an ``(n, 4)`` uint64 array (big-endian words, as PDQ hex is written)."""
    raw = np.frombuffer(bytes.fromhex("".join(hexes)), dtype=">u8")
    return raw.reshape(len(hexes), WORDS).astype(np.uint64)


def hamming(query: U64, codes: U64) -> npt.NDArray[np.int32]:
    """Hamming distances from one code ``(4,)`` to each of ``codes`` ``(m, 4)``."""
    a = np.ascontiguousarray(query, dtype=np.uint64).view(np.uint8)
    b = np.ascontiguousarray(codes, dtype=np.uint64).view(np.uint8)
    out = np.empty(len(codes), dtype=np.int32)
    if len(codes):
        import faiss  # here, not at the top: ~35 ms to import, for every `vigil` command, and a text scan never needs it

        ptr = faiss.swig_ptr
        faiss.hammings(ptr(a), ptr(b), 1, len(codes), 32, ptr(out))  # type: ignore[attr-defined]  # SWIG, no stub
    return out


def chunk(codes: U64, t: int) -> I64:
    """Bits [start, start + size) of each code (bit 0 is the most significant bit of word 0)."""
    start, size = CHUNK_STARTS[t], CHUNK_SIZES[t]
    word, offset = divmod(start, 64)
    mask = np.uint64((1 << size) - 1)
    if offset + size <= 64:
        value = codes[:, word] >> np.uint64(64 - offset - size)
    else:
        low_bits = offset + size - 64
        value = (codes[:, word] << np.uint64(low_bits)) | (codes[:, word + 1] >> np.uint64(64 - low_bits))
    return (value & mask).astype(np.int64)


def _flip_masks(size: int, max_flips: int) -> I64:
    masks = [0]
    for k in range(1, max_flips + 1):
        masks.extend(sum(1 << b for b in bits) for bits in combinations(range(size), k))
    return np.array(masks, dtype=np.int64)


class HammingMultiIndex:
    """Exact radius search over 256-bit codes. Immutable once built; ``entry_ids[row]`` is returned."""

    def __init__(self, codes: U64, entry_ids: I64, radius: int) -> None:
        if not 0 <= radius < CODE_BITS:
            raise ValueError(f"radius {radius} out of range 0..{CODE_BITS - 1}")
        self.codes = np.ascontiguousarray(codes, dtype=np.uint64).reshape(-1, WORDS)
        self.entry_ids = np.ascontiguousarray(entry_ids, dtype=np.int64)
        self.radius = radius
        flips = radius // TABLES
        self.masks = [_flip_masks(size, flips) for size in CHUNK_SIZES]
        n = len(self.codes)
        # rows of each table sorted by chunk value (CSR): rows[offsets[t][v] : offsets[t][v + 1]]
        # Large indexes address buckets directly (an offsets array of 2^size + 1 per table, ~134 MB in
        # all); small ones (the delta index, small banks) binary-search their sorted keys instead, so a
        # delta rebuild costs milliseconds and no fixed memory.
        self.rows = np.empty(TABLES * n, dtype=np.uint32)
        self.offsets: list[npt.NDArray[np.uint32]] = []
        self.sorted_keys: list[npt.NDArray[np.uint32]] = []
        self.direct = n >= DIRECT_MIN
        for t, size in enumerate(CHUNK_SIZES):
            keys = chunk(self.codes, t).astype(np.uint32) if n else np.empty(0, dtype=np.uint32)
            order = np.argsort(keys, kind="stable")
            self.rows[t * n : (t + 1) * n] = order
            if self.direct:
                offsets = np.empty((1 << size) + 1, dtype=np.uint32)
                offsets[0] = t * n
                np.cumsum(np.bincount(keys, minlength=1 << size), out=offsets[1:])
                offsets[1:] += np.uint32(t * n)
                self.offsets.append(offsets)
            else:
                self.sorted_keys.append(keys[order])

    def __len__(self) -> int:
        return len(self.codes)

    def memory_bytes(self) -> int:
        tables = sum(o.nbytes for o in self.offsets) + sum(k.nbytes for k in self.sorted_keys)
        return int(self.codes.nbytes + self.entry_ids.nbytes + self.rows.nbytes + tables)

    def _candidates(self, queries: U64) -> tuple[I64, I64]:
        """Rows sharing a probed chunk value with a query, with the query index of each."""
        starts_l: list[I64] = []
        ends_l: list[I64] = []
        qidx_l: list[I64] = []
        q_of = np.arange(len(queries), dtype=np.int64)
        for t in range(TABLES):
            keys = (chunk(queries, t)[:, None] ^ self.masks[t][None, :]).ravel()
            if self.direct:
                starts_l.append(self.offsets[t][keys].astype(np.int64))
                ends_l.append(self.offsets[t][keys + 1].astype(np.int64))
            else:
                base = t * len(self.codes)
                starts_l.append(np.searchsorted(self.sorted_keys[t], keys, side="left").astype(np.int64) + base)
                ends_l.append(np.searchsorted(self.sorted_keys[t], keys, side="right").astype(np.int64) + base)
                # (probing a few thousand keys into at most DIRECT_MIN sorted ones stays in cache)
            qidx_l.append(np.repeat(q_of, len(self.masks[t])))
        starts, ends, qidx = np.concatenate(starts_l), np.concatenate(ends_l), np.concatenate(qidx_l)
        lengths = ends - starts
        nonzero = lengths > 0
        starts, lengths, qidx = starts[nonzero], lengths[nonzero], qidx[nonzero]
        total = int(lengths.sum())
        # concatenate the ranges [start, start + length) without a Python loop
        cum = np.cumsum(lengths)
        idx = np.arange(total, dtype=np.int64) - np.repeat(cum - lengths, lengths) + np.repeat(starts, lengths)
        return self.rows[idx].astype(np.int64), np.repeat(qidx, lengths)

    def search(self, queries: U64, radius: int | None = None) -> tuple[I64, I64]:
        """Entries within ``radius`` of any query: ``(entry_ids, distances)``, each entry once with its
        smallest distance over the queries."""
        r = self.radius if radius is None else min(radius, self.radius)
        empty = np.empty(0, dtype=np.int64)
        if not len(self.codes) or not len(queries):
            return empty, empty
        queries = np.ascontiguousarray(queries, dtype=np.uint64).reshape(-1, WORDS)
        cand, qidx = self._candidates(queries)
        if not len(cand):
            return empty, empty
        # distance = popcount(candidate XOR its query) = Hamming distance of the XOR from zero
        xor = np.take(self.codes, cand, axis=0) ^ np.take(queries, qidx, axis=0)
        dist = hamming(_ZERO, xor).astype(np.int64)
        keep = dist <= r
        cand, dist = cand[keep], dist[keep]
        if not len(cand):
            return empty, empty
        order = np.lexsort((dist, cand))
        cand, dist = cand[order], dist[order]
        first = np.ones(len(cand), dtype=bool)
        first[1:] = cand[1:] != cand[:-1]
        return self.entry_ids[cand[first]], dist[first]
