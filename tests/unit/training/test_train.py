"""`vigil train` on a small labelled file written here: deterministic, loadable, no text inside."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from vigil.classify import artifact
from vigil.training.train import ExtraFile, TrainConfig, train

POSITIVE = ["brothers rise and strike the enemy {}", "join the fighters and take revenge {}", "attack them wherever you find them {}"]
NEGATIVE = ["the match ended two all in the rain {}", "new cafe opened near the station {}", "my cat sleeps all day long {}"]


def _extra(tmp_path: Path) -> Path:
    path = tmp_path / "mine.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["message", "verdict"])
        for i in range(60):
            w.writerow([POSITIVE[i % 3].format(i), "bad"])
            w.writerow([NEGATIVE[i % 3].format(i), "ok"])
    return path


def _config(tmp_path: Path, out: str, seed: int = 5) -> TrainConfig:
    extra = ExtraFile(str(_extra(tmp_path)), "message", "verdict", "bad", "incitement")
    return TrainConfig(data_dir=str(tmp_path), out=str(tmp_path / out), seed=seed, extra=(extra,), datasets=(),
                       n_bits=16, tier2=False, evaluate=False)


def test_train_extra_file_alone_is_deterministic(tmp_path: Path) -> None:
    a = train(_config(tmp_path, "a"), log=lambda _: None)
    b = train(_config(tmp_path, "b"), log=lambda _: None)
    with np.load(a / "linear.npz") as x, np.load(b / "linear.npz") as y:
        for key in x.files:
            assert np.array_equal(x[key], y[key]), key
    model = artifact.load(str(a))
    assert model.heads == ("incitement",) and model.embedding is None
    assert "mine.csv" in (a / "MODEL_CARD.md").read_text(encoding="utf-8")
    for path in a.iterdir():
        if path.suffix in (".json", ".md"):
            assert "take revenge" not in path.read_text(encoding="utf-8")
