"""A disk cache of sentence embeddings for training and evaluation runs.

Where it sits: `train` and `figures` embed tens of thousands of data-set texts with the tier-2 encoder
(a few minutes on this machine); the cache makes a second run, or the figures after a training run, cost
seconds. Keys are SHA-256 digests of the text as given to the encoder, so the cache never holds text.
It lives outside the repository (``~/.cache/vigil`` unless a folder is given).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vigil.classify.embedding import Encoder

CACHE_FILE = "use_m3_embeddings.npz"


class EmbeddingCache:
    def __init__(self, folder: str | Path | None, encoder: Encoder) -> None:
        self.folder = Path(folder) if folder else Path.home() / ".cache" / "vigil"
        self.encoder = encoder
        self.path = self.folder / CACHE_FILE
        self._keys: dict[bytes, int] = {}
        self._vectors = np.zeros((0, 512), dtype=np.float16)
        if self.path.is_file():
            with np.load(self.path, allow_pickle=False) as d:
                keys, self._vectors = d["keys"], d["vectors"]
            self._keys = {bytes(k): i for i, k in enumerate(keys)}

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(text[: self.encoder.max_chars].encode("utf-8", "surrogatepass")).digest()[:16]

    def encode(self, texts: Sequence[str], log: Callable[[str], None] = print, batch: int = 2000) -> np.ndarray[Any, Any]:
        keys = [self._key(t) for t in texts]
        missing = sorted({k: i for i, k in enumerate(keys) if k not in self._keys}.values())
        if missing:
            log(f"embedding {len(missing)} texts (cached: {len(texts) - len(missing)})")
            new = []
            for start in range(0, len(missing), batch):
                chunk = [texts[i] for i in missing[start : start + batch]]
                new.append(self.encoder.encode(chunk).astype(np.float16))
                log(f"  {min(start + batch, len(missing))}/{len(missing)}")
            base = len(self._vectors)
            self._vectors = np.concatenate([self._vectors, *new])
            for j, i in enumerate(missing):
                self._keys[keys[i]] = base + j
            self._save()
        return self._vectors[[self._keys[k] for k in keys]].astype(np.float32)

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self._keys, key=self._keys.__getitem__), dtype="S16")
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=self._vectors)
        tmp.replace(self.path)
