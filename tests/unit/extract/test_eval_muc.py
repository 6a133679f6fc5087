"""The MUC-3/4 evaluation runs end to end on a few documents (skips without ../shared/data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "eval_muc.py"


@pytest.mark.data
def test_eval_muc_scores_in_range(data_dir: Path) -> None:
    folder = data_dir / "muc34_terrorism_news"
    if not folder.is_dir():
        pytest.skip("muc34_terrorism_news not in the data folder")
    spec = importlib.util.spec_from_file_location("eval_muc", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results = module.evaluate(folder, ["test"], 8)
    summary = results["test"]
    assert summary["documents"] == 8
    for key in ("PerpOrg/strict", "Target/lenient"):
        assert 0.0 <= summary[key]["P"] <= 1.0 and 0.0 <= summary[key]["R"] <= 1.0
    assert summary["date/item_date_from_dateline"]["acc"] > 0.5


def test_eval_muc_normalisation() -> None:
    spec = importlib.util.spec_from_file_location("eval_muc", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.norm("The FMLN's  urban-commandos.") == "fmln s urban commandos"
    assert module.score_role([{"fmln"}], [["farabundo marti national liberation front", "fmln"]], False) == (1, 1, 1)
    assert module.score_role([{"army"}], [["fmln"]], True) == (0, 1, 0)
