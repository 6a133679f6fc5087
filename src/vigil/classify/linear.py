"""Tier 1 of the learned cascade: logistic heads over hashed n-grams, calibrated with Platt scaling.

Where it sits: `cascade.CascadeClassifier` featurises every item with `features.HashedFeaturizer`, asks
`LinearModel` for each head's calibrated probability, and combines them with the lexicon. Training
(`vigil.training.train`) fits the weights and writes them with `save`.

The weights are one float16 column per head over the hash buckets: no vocabulary and no training text
is stored. Evidence is the n-gram occurrences that pushed a head's score up the most, located in the
model's canonical text, summed per word (see `textprep.canon_tracked` for mapping them back to what the
analyst sees).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vigil.classify.features import Features, HashedFeaturizer
from vigil.core.errors import ConfigError

LINEAR_FILE = "linear.npz"


def _words(text: str) -> list[tuple[int, str]]:
    """(offset, word) for each space-separated word of a canonical text."""
    out, pos = [], 0
    for word in text.split(" "):
        if word:
            out.append((pos, word))
        pos += len(word) + 1
    return out


def sigmoid(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    out: np.ndarray[Any, Any] = 1.0 / (1.0 + np.exp(-np.clip(x, -40.0, 40.0)))
    return out


@dataclass(frozen=True, slots=True)
class Contribution:
    """A stretch of the canonical text and how much its n-grams added to a head's log-odds."""

    start: int  # offset in the canonical text
    length: int
    weight: float


class LinearModel:
    """Heads ``names`` with weights ``weights[:, h]``, intercepts ``bias[h]`` and Platt parameters
    ``platt[h] = (a, b)``: probability = sigmoid(a * logit + b)."""

    def __init__(
        self,
        featurizer: HashedFeaturizer,
        names: Sequence[str],
        weights: np.ndarray[Any, Any],
        bias: np.ndarray[Any, Any],
        platt: np.ndarray[Any, Any],
    ) -> None:
        if weights.shape != (featurizer.n_features, len(names)):
            raise ConfigError(
                f"linear weights have shape {weights.shape}, expected {(featurizer.n_features, len(names))}",
                hint="rebuild the model with `vigil train`",
            )
        self.featurizer = featurizer
        self.names = tuple(names)
        # float32 in memory: gathering float16 rows and converting is slower than the extra memory
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.platt = np.asarray(platt, dtype=np.float32).reshape(len(names), 2)

    def head(self, name: str) -> int:
        return self.names.index(name)

    def logits(self, feats: Features) -> np.ndarray[Any, Any]:
        """Raw log-odds, shape (n_texts, n_heads)."""
        n = feats.n_texts
        out = np.zeros((n, len(self.names)), dtype=np.float32)
        if len(feats.indices):
            # np.take on axis 0 is several times faster than fancy indexing ``weights[indices]``: the
            # gather of one weight row per n-gram occurrence is tier 1's largest cost
            gathered = np.take(self.weights, feats.indices, axis=0)
            starts = np.minimum(feats.indptr[:-1], len(feats.indices) - 1)
            sums = np.add.reduceat(gathered, starts, axis=0)
            nonempty = np.diff(feats.indptr) > 0
            out[nonempty] = sums[nonempty]
        logits: np.ndarray[Any, Any] = out * feats.scale[:, None] + self.bias
        return logits

    def calibrate(self, logits: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return sigmoid(logits * self.platt[:, 0] + self.platt[:, 1])

    def contributions(self, feats: Features, row: int, head: int, text: str, k: int = 4) -> list[Contribution]:
        """The ``k`` stretches of words in ``text`` (row ``row``'s canonical text) that raised head
        ``head`` the most. Each n-gram occurrence's weight is shared among the characters it covers and
        so among the words it overlaps, so many small character n-grams add up to their word instead of
        showing "er" or "nd t"; adjacent chosen words merge into one stretch."""
        lo, hi = int(feats.indptr[row]), int(feats.indptr[row + 1])
        if hi <= lo:
            return []
        w = self.weights[feats.indices[lo:hi], head] * feats.scale[row]
        starts, lengths = feats.starts[lo:hi], feats.lengths[lo:hi]
        bounds = [(m, m + len(word)) for m, word in _words(text)]
        if not bounds:
            return []
        # spread each occurrence's weight evenly over its characters (a difference array), then sum the
        # characters of each word: vectorised, because this runs for every item that gets evidence
        diff = np.zeros(len(text) + 1)
        np.add.at(diff, starts, w / lengths)
        np.add.at(diff, starts + lengths, -w / lengths)
        running = np.concatenate([[0.0], np.cumsum(np.cumsum(diff)[:-1])])
        edges = np.array(bounds)
        score = running[edges[:, 1]] - running[edges[:, 0]]
        chosen = sorted(i for i in np.argsort(-score)[:k] if score[i] > 0)
        out: list[Contribution] = []
        for i in chosen:
            if out and out[-1].start + out[-1].length + 1 == bounds[i][0]:
                prev = out.pop()
                out.append(Contribution(prev.start, bounds[i][1] - prev.start, prev.weight + float(score[i])))
            else:
                out.append(Contribution(bounds[i][0], bounds[i][1] - bounds[i][0], float(score[i])))
        return sorted(out, key=lambda c: -c.weight)

    # ---- persistence ------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        np.savez_compressed(
            folder / LINEAR_FILE,
            weights=self.weights.astype(np.float16),
            bias=self.bias,
            platt=self.platt,
        )

    @classmethod
    def load(cls, folder: Path, featurizer: HashedFeaturizer, names: Sequence[str]) -> LinearModel:
        path = folder / LINEAR_FILE
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(featurizer, names, data["weights"], data["bias"], data["platt"])
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot read linear model {str(path)!r}: {exc}", hint="rebuild it with `vigil train`") from exc
