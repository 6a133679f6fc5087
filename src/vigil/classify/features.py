"""Hashed character and word n-gram features for tier 1, computed for a whole batch at once in numpy.

Where it sits: `linear.LinearModel` scores the output of `HashedFeaturizer.transform`; training builds its
sparse matrix from the very same function, so training and serving cannot drift apart.

Why not scikit-learn's ``HashingVectorizer``: it builds every n-gram as a Python string and hashes it one
at a time (about 150-300 µs for a tweet with 2-5 character n-grams plus word uni- and bigrams), which
alone would spend the whole tier-1 budget of 100 µs per message. Here the batch is one array of code
points; a polynomial prefix hash gives the hash of any substring ``[a, b)`` in O(1) as
``(H[b] - H[a]) * P**-a`` (mod 2**64, P odd so it has an inverse), so every n-gram of every length and
every word n-gram of a batch is hashed with a handful of vectorised operations (``bench/bench_classify.py``
prints both timings). No vocabulary is kept: a model built on these features stores only weights per
hash bucket, never a training string.

A text is expected in `textprep.canon` form: single spaces between words, one space at each end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_P = np.uint64(0x100000001B3)  # odd multiplier (the FNV-1 64-bit prime)
_P_INV = np.uint64(pow(int(_P), -1, 1 << 64))
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads the high bits over the buckets
_SPACE = 32
KIND_CHAR = 0
KIND_WORD = 1


@dataclass(frozen=True, slots=True)
class Features:
    """A batch of featurised texts in CSR layout, one row per text.

    ``indices`` are hash buckets; every occurrence is kept (no de-duplication), and ``scale[d]`` is
    ``1/sqrt(number of n-grams of text d)``, so a row's value for bucket j is count_j * scale[d].
    ``starts``/``lengths``/``kinds`` locate each occurrence inside its text for evidence.
    """

    indptr: np.ndarray[Any, Any]  # int64, len = n_texts + 1
    indices: np.ndarray[Any, Any]  # int64 buckets
    scale: np.ndarray[Any, Any]  # float32 per text
    starts: np.ndarray[Any, Any]  # int64 offset inside the text
    lengths: np.ndarray[Any, Any]  # int64
    kinds: np.ndarray[Any, Any]  # int8: KIND_CHAR or KIND_WORD

    @property
    def n_texts(self) -> int:
        return len(self.indptr) - 1


def _salt(salt: int) -> np.uint64:
    """The offset added to a hash before mixing: salts separate kinds and lengths, so the word "isis"
    and the 4-gram "isis" get different buckets."""
    return np.uint64((salt * int(_MIX)) & 0xFFFFFFFFFFFFFFFF)


def _word_spans(spaces: np.ndarray[Any, Any], k: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Start, end and validity of the ``k``-word spans between the space positions ``spaces``: a span
    is valid when it is not empty and (texts being single-spaced) holds no empty word."""
    a, b = spaces[:-k] + 1, spaces[k:]
    ok = b > a
    if k > 1:
        ok &= (spaces[k - 1 : len(spaces) - 1] - spaces[: len(spaces) - k]) > 1
    return a, b, ok


def _powers(base: np.uint64, n: int) -> np.ndarray[Any, Any]:
    out = np.full(n, base, dtype=np.uint64)
    out[0] = 1
    return np.cumprod(out, dtype=np.uint64)  # wraps mod 2**64, which is what we want


class HashedFeaturizer:
    """Character n-grams (``char_ngrams`` lengths, spanning word boundaries) and word n-grams
    (``word_ngrams`` of 1 and/or 2 words) hashed into ``2**n_bits`` buckets."""

    def __init__(self, n_bits: int = 20, char_ngrams: Sequence[int] = (2, 3, 4, 5), word_ngrams: Sequence[int] = (1, 2)):
        if not 8 <= n_bits <= 26:
            raise ValueError(f"n_bits {n_bits!r} is out of range; use 8..26")
        self.n_bits = n_bits
        self.char_ngrams = tuple(char_ngrams)
        self.word_ngrams = tuple(word_ngrams)
        self._shift = np.uint64(64 - n_bits)
        self._pw = _powers(_P, 4096)
        self._pinv = _powers(_P_INV, 4096)

    @property
    def n_features(self) -> int:
        return 1 << self.n_bits

    def config(self) -> dict[str, object]:
        return {"n_bits": self.n_bits, "char_ngrams": list(self.char_ngrams), "word_ngrams": list(self.word_ngrams)}

    def _ensure_powers(self, n: int) -> None:
        if n > len(self._pw):
            size = 1 << (n - 1).bit_length()
            self._pw = _powers(_P, size)
            self._pinv = _powers(_P_INV, size)

    def _bucket(self, h: np.ndarray[Any, Any], offset: np.uint64 | np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Buckets of hashes ``h``; ``offset``: one `_salt`, or an array of one per hash."""
        mixed = (h + offset) * _MIX
        return (mixed >> self._shift).astype(np.int64)

    def transform(self, texts: Sequence[str], chunk: int = 256) -> Features:
        """Featurise ``texts`` (each in `textprep.canon` form). Never raises on any string.

        Works in chunks of ``chunk`` texts: past a few hundred, the arrays fall out of the CPU cache
        and the sort by text gets slower per text.
        """
        if len(texts) == 1:
            return self._transform_one(texts[0])
        if len(texts) <= chunk:
            return self._transform(texts)
        parts = [self._transform(texts[i : i + chunk]) for i in range(0, len(texts), chunk)]
        offsets = np.cumsum([0] + [p.indptr[-1] for p in parts[:-1]])
        return Features(
            indptr=np.concatenate([parts[0].indptr[:1]] + [p.indptr[1:] + o for p, o in zip(parts, offsets, strict=True)]),
            indices=np.concatenate([p.indices for p in parts]),
            scale=np.concatenate([p.scale for p in parts]),
            starts=np.concatenate([p.starts for p in parts]),
            lengths=np.concatenate([p.lengths for p in parts]),
            kinds=np.concatenate([p.kinds for p in parts]),
        )

    def _transform_one(self, text: str) -> Features:
        """`_transform` of a single text, with identical output (a test holds them together).

        A synchronous send featurises one text at a time, and there the batch path's ~50 numpy calls
        (sorting by text, per-position text lookups, one bucket mix per n-gram kind) cost ~100 µs of
        overhead for a tweet. One text needs no text bookkeeping: n-grams are slices of the prefix
        hash, and all kinds are mixed into buckets in one `_bucket` call over per-kind salts (~45 µs).
        """
        total = len(text)
        self._ensure_powers(total + 1)
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        prefix = np.zeros(total + 1, dtype=np.uint64)
        np.cumsum(cp * self._pw[:total], out=prefix[1:])
        hashes: list[np.ndarray[Any, Any]] = []
        starts: list[np.ndarray[Any, Any]] = []
        lengths: list[np.ndarray[Any, Any]] = []
        salts: list[int] = []
        kinds: list[int] = []
        pos = np.arange(total, dtype=np.int64)
        for n in self.char_ngrams:
            m = total - n + 1
            if m > 0:
                hashes.append((prefix[n:] - prefix[:m]) * self._pinv[:m])
                starts.append(pos[:m])
                lengths.append(np.full(m, n, dtype=np.int64))
                salts.append(1 + n)
                kinds.append(KIND_CHAR)
        spaces = np.flatnonzero(cp == _SPACE)
        for k in self.word_ngrams:
            if len(spaces) <= k:
                continue
            a, b, ok = _word_spans(spaces, k)
            a, b = a[ok], b[ok]
            hashes.append((prefix[b] - prefix[a]) * self._pinv[a])
            starts.append(a)
            lengths.append(b - a)
            salts.append(100 + k)
            kinds.append(KIND_WORD)
        if not hashes:
            empty = np.zeros(0, dtype=np.int64)
            return Features(indptr=np.zeros(2, dtype=np.int64), indices=empty, scale=np.ones(1, dtype=np.float32),
                            starts=empty, lengths=empty, kinds=empty.astype(np.int8))
        counts = [len(h) for h in hashes]
        n_grams = sum(counts)
        offsets = np.repeat(np.array([_salt(s) for s in salts], dtype=np.uint64), counts)
        return Features(
            indptr=np.array([0, n_grams], dtype=np.int64),
            indices=self._bucket(np.concatenate(hashes), offsets),
            scale=np.array([1.0 / np.sqrt(max(n_grams, 1))], dtype=np.float32),
            starts=np.concatenate(starts),
            lengths=np.concatenate(lengths),
            kinds=np.repeat(np.array(kinds, dtype=np.int8), counts),
        )

    def _transform(self, texts: Sequence[str]) -> Features:
        lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(lens)
        begins = ends - lens
        total = int(ends[-1]) if len(texts) else 0
        self._ensure_powers(total + 1)
        cp = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        prefix = np.zeros(total + 1, dtype=np.uint64)
        np.cumsum(cp * self._pw[:total], out=prefix[1:])
        doc_of_pos = np.repeat(np.arange(len(texts), dtype=np.int64), lens)
        end_of_pos = np.repeat(ends, lens)

        parts_doc, parts_idx, parts_start, parts_len, parts_kind = [], [], [], [], []
        pos = np.arange(total, dtype=np.int64)
        for n in self.char_ngrams:
            ok = pos[pos + n <= end_of_pos]
            h = (prefix[ok + n] - prefix[ok]) * self._pinv[ok]
            parts_doc.append(doc_of_pos[ok])
            parts_idx.append(self._bucket(h, _salt(1 + n)))
            parts_start.append(ok)
            parts_len.append(np.full(len(ok), n, dtype=np.int64))
            parts_kind.append(np.full(len(ok), KIND_CHAR, dtype=np.int8))

        spaces = np.flatnonzero(cp == _SPACE)
        for k in self.word_ngrams:
            if len(spaces) <= k:
                continue
            a, b, ok = _word_spans(spaces, k)
            # a word n-gram lies inside one text (two texts meet at "  ", which gives an empty word)
            ok &= doc_of_pos[np.minimum(a, total - 1)] == doc_of_pos[b]
            a, b = a[ok], b[ok]
            h = (prefix[b] - prefix[a]) * self._pinv[a]
            parts_doc.append(doc_of_pos[a])
            parts_idx.append(self._bucket(h, _salt(100 + k)))
            parts_start.append(a)
            parts_len.append(b - a)
            parts_kind.append(np.full(len(a), KIND_WORD, dtype=np.int8))

        doc = np.concatenate(parts_doc) if parts_doc else np.zeros(0, dtype=np.int64)
        order = np.argsort(doc, kind="stable")
        counts = np.bincount(doc, minlength=len(texts))
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        starts = np.concatenate(parts_start)[order] if parts_doc else doc
        return Features(
            indptr=indptr,
            indices=np.concatenate(parts_idx)[order] if parts_doc else doc,
            scale=(1.0 / np.sqrt(np.maximum(counts, 1))).astype(np.float32),
            starts=starts - begins[doc[order]] if parts_doc else doc,
            lengths=np.concatenate(parts_len)[order] if parts_doc else doc,
            kinds=np.concatenate(parts_kind)[order] if parts_doc else doc.astype(np.int8),
        )

    def to_csr(self, feats: Features) -> Any:  # a scipy.sparse.csr_matrix (training only; scipy is an ml extra)
        """The batch as a scipy CSR matrix with duplicate buckets summed, for training."""
        from scipy.sparse import csr_matrix

        rows = np.repeat(np.arange(feats.n_texts), np.diff(feats.indptr))
        data = feats.scale[rows].astype(np.float32)
        m = csr_matrix((data, (rows, feats.indices)), shape=(feats.n_texts, self.n_features), dtype=np.float32)
        m.sum_duplicates()
        return m
