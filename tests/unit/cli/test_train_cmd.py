"""`vigil train` from the command line on a labelled file written here (no third-party data needed)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vigil.cli.app import app


def test_train_cmd_extra_jsonl_only(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    rows = [{"body": f"take up arms and strike them now {i}", "y": "1"} for i in range(40)]
    rows += [{"body": f"the library opens late on sunday {i}", "y": "0"} for i in range(40)]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    out = tmp_path / "model"
    result = CliRunner().invoke(app, ["train", "--datasets", "none", "--extra", str(path), "--text-column", "body",
                                      "--label-column", "y", "--positive", "1", "--extra-label", "incitement",
                                      "--no-tier2", "--no-eval", "--out", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 3 and list(meta["heads"]) == ["incitement"]
    assert (out / "MODEL_CARD.md").is_file() and (out / "linear.npz").is_file()


def test_figures_cmd_is_listed() -> None:
    result = CliRunner().invoke(app, ["figures", "--help"])
    assert result.exit_code == 0 and "README" in result.stdout
