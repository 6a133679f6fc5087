"""`vigil eval` on a small labelled file written here (own short texts)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from vigil.cli.app import app

ROWS = [
    ("Brothers, rise against the crusaders and take revenge for your religion.", "yes"),
    ("We call on lone wolves to target them everywhere in Europe.", "yes"),
    ("Lovely weather for a walk in the park today.", "no"),
    ("The council meeting on road repairs was moved to Thursday.", "no"),
    ("Police said two suspects were arrested after the explosion.", "no"),
]


def _csv(path: Path, rows: list[tuple[str, str]], sep: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=sep)
        w.writerow(["body", "gold"])
        w.writerows(rows)
    return path


def test_eval_cmd_json_has_exactly_the_documented_fields(tmp_path: Path) -> None:
    path = _csv(tmp_path / "set.csv", ROWS)
    result = CliRunner().invoke(app, ["eval", str(path), "--text-column", "body", "--label-column", "gold", "--positive", "yes",
                                      "--label", "incitement", "--json", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["n", "precision", "recall", "f1", "auc", "false_positive_rate"]
    assert data["n"] == 5 and data["recall"] == 1.0 and data["auc"] == 1.0
    assert (tmp_path / "out" / "set_incitement_pr.png").stat().st_size > 1000
    assert (tmp_path / "out" / "set_incitement_reliability.png").stat().st_size > 1000


def test_eval_cmd_null_when_undefined(tmp_path: Path) -> None:
    path = _csv(tmp_path / "neg.csv", [r for r in ROWS if r[1] == "no"], sep=";")
    result = CliRunner().invoke(app, ["eval", str(path), "--text-column", "body", "--label-column", "gold", "--positive", "yes", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["recall"] is None and data["auc"] is None and data["false_positive_rate"] == 0.0


def test_eval_cmd_prints_confusion_matrix(tmp_path: Path) -> None:
    path = _csv(tmp_path / "set.csv", ROWS)
    result = CliRunner().invoke(app, ["eval", str(path), "--text-column", "body", "--label-column", "gold", "--positive", "yes", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "confusion matrix" in result.stdout and "ROC-AUC" in result.stdout


def test_eval_cmd_unknown_column_is_a_user_error(tmp_path: Path) -> None:
    path = _csv(tmp_path / "set.csv", ROWS)
    result = CliRunner().invoke(app, ["eval", str(path), "--text-column", "nope", "--label-column", "gold", "--json"])
    assert result.exit_code != 0
