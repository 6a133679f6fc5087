"""The committed default model: loadable, small, and free of training text."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from vigil.classify import artifact
from vigil.core.errors import ConfigError
from vigil.training.datasets import load_examples

DEFAULT = artifact.DEFAULT_DIR
ID = re.compile(r"[a-z0-9_]+(?::[A-Za-z0-9_.-]+)?:[A-Za-z0-9_-]+")


def test_artifact_default_loads_with_card_and_version() -> None:
    model = artifact.load("default")
    assert model.version and model.meta["seed"] == 13
    assert set(model.heads) >= {"support", "incitement", "reporting"}
    assert model.embedding is not None
    assert (DEFAULT / "MODEL_CARD.md").read_text(encoding="utf-8").startswith("# Vigil cascade model")


def test_artifact_default_is_small() -> None:
    total = sum(p.stat().st_size for p in DEFAULT.iterdir())
    assert total <= 25 * 1024 * 1024, total


def test_artifact_arrays_are_numbers_and_ids_only() -> None:
    for npz in DEFAULT.glob("*.npz"):
        with np.load(npz, allow_pickle=False) as data:
            for key in data.files:
                arr = data[key]
                if arr.dtype.kind in "US":
                    assert key == "nb_ids", (npz.name, key)
                    assert all(ID.fullmatch(str(v)) for v in arr), "neighbour ids must be dataset:row_id"
                else:
                    assert arr.dtype.kind in "fiu", (npz.name, key, arr.dtype)
        with zipfile.ZipFile(npz) as zf:
            assert all(name.endswith(".npy") for name in zf.namelist())


def test_artifact_holds_no_training_text(data_dir: Path) -> None:
    text_parts = [(DEFAULT / name).read_text(encoding="utf-8") for name in ("model.json", "MODEL_CARD.md")]
    with np.load(DEFAULT / "embedding.npz", allow_pickle=False) as data:
        text_parts.append("\n".join(str(v) for v in data["nb_ids"]))
    blob = "\n".join(text_parts).lower()
    leaks = []
    for ex in load_examples(data_dir):
        t = " ".join(ex.text.split()).lower()
        if len(t) >= 20 and (t[:20] in blob or t[-20:] in blob):
            leaks.append(ex.id)
    assert not leaks, leaks[:5]


def test_artifact_rejects_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    with pytest.raises(ConfigError, match="not a vigil-cascade"):
        artifact.load(str(tmp_path))
