"""The model artifact: a versioned folder that `vigil train` writes and the cascade loads.

Where it sits: `cascade.CascadeClassifier` resolves ``settings.model`` here (``default`` is the folder
shipped in ``vigil/models/default``; anything else is a path). The folder holds:

* ``model.json``   — format version, model version, featurizer settings, heads and the label each one
                     reports, tier-2 stacking, data sets, split rules, seed, metrics;
* ``linear.npz``   — tier-1 weights per hash bucket (float16), intercepts, Platt parameters;
* ``embedding.npz``— tier-2 head weights, stacking parameters, int8 neighbour vectors with their
                     data-set row ids;
* ``MODEL_CARD.md``— the same facts for people.

Nothing in it is training text: `tests/unit/classify/test_artifact.py` checks that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.classify.embedding import EMBEDDING_FILE, EmbeddingHeads
from vigil.classify.features import HashedFeaturizer
from vigil.classify.linear import LinearModel
from vigil.core.errors import ConfigError

FORMAT = "vigil-cascade"
FORMAT_VERSION = 1
MODEL_FILE = "model.json"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "models" / "default"


def resolve(model: str) -> Path:
    """The folder named by ``settings.model``: ``default`` or a path."""
    folder = DEFAULT_DIR if model in ("", "default") else Path(model)
    if not (folder / MODEL_FILE).is_file():
        raise ConfigError(
            f"no model artifact at {str(folder)!r} (missing {MODEL_FILE})",
            hint="run `vigil train --out DIR` and set model = DIR, or use model = 'default'",
        )
    return folder


@dataclass(frozen=True)
class Artifact:
    folder: Path
    meta: dict[str, Any]
    linear: LinearModel
    embedding: EmbeddingHeads | None

    @property
    def version(self) -> str:
        return str(self.meta.get("model_version", "unknown"))

    @property
    def heads(self) -> tuple[str, ...]:
        return self.linear.names

    def head_label(self, head: str) -> str | None:
        label = self.meta["heads"][head].get("label")
        return None if label is None else str(label)


def load(model: str = "default") -> Artifact:
    folder = resolve(model)
    try:
        meta = json.loads((folder / MODEL_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read {str(folder / MODEL_FILE)!r}: {exc}", hint="rebuild it with `vigil train`") from exc
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ConfigError(
            f"{str(folder)!r} is not a {FORMAT} v{FORMAT_VERSION} artifact (found {meta.get('format')!r} "
            f"v{meta.get('format_version')!r})",
            hint="rebuild it with this version's `vigil train`",
        )
    cfg = meta["featurizer"]
    featurizer = HashedFeaturizer(cfg["n_bits"], tuple(cfg["char_ngrams"]), tuple(cfg["word_ngrams"]))
    names = list(meta["heads"])
    linear = LinearModel.load(folder, featurizer, names)
    embedding = EmbeddingHeads.load(folder, names) if (folder / EMBEDDING_FILE).is_file() else None
    return Artifact(folder, meta, linear, embedding)


def write_meta(folder: Path, meta: dict[str, Any]) -> None:
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta}
    (folder / MODEL_FILE).write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n", encoding="utf-8")
