from __future__ import annotations

import pytest

from vigil.training.metrics import binary_metrics, json_view, precision_recall_curve, reliability, roc_auc


def test_metrics_counts_and_ratios() -> None:
    m = binary_metrics([1, 1, 0, 0, 0], [0.9, 0.4, 0.6, 0.1, 0.2])
    assert m["confusion"] == {"tp": 1, "fp": 1, "fn": 1, "tn": 2}
    assert m["precision"] == pytest.approx(0.5)
    assert m["recall"] == pytest.approx(0.5)
    assert m["f1"] == pytest.approx(0.5)
    assert m["false_positive_rate"] == pytest.approx(1 / 3)
    assert m["auc"] == pytest.approx(5 / 6)


def test_metrics_undefined_values_are_none() -> None:
    no_pos = binary_metrics([0, 0, 0], [0.1, 0.7, 0.2])
    assert no_pos["recall"] is None and no_pos["auc"] is None
    assert no_pos["precision"] == 0.0 and no_pos["false_positive_rate"] == pytest.approx(1 / 3)
    nothing = binary_metrics([0, 0], [0.1, 0.2])
    assert nothing["precision"] is None and nothing["f1"] is None
    no_neg = binary_metrics([1, 1], [0.9, 0.2])
    assert no_neg["false_positive_rate"] is None and no_neg["auc"] is None
    assert binary_metrics([], [])["n"] == 0


def test_metrics_json_view_has_exactly_the_documented_fields() -> None:
    view = json_view(binary_metrics([1, 0], [0.8, 0.3]))
    assert list(view) == ["n", "precision", "recall", "f1", "auc", "false_positive_rate"]


def test_metrics_auc_handles_ties() -> None:
    assert roc_auc([1, 0], [0.5, 0.5]) == pytest.approx(0.5)


def test_metrics_curves() -> None:
    recall, precision = precision_recall_curve([1, 0, 1], [0.9, 0.8, 0.1])
    assert recall.tolist() == pytest.approx([0.5, 0.5, 1.0])
    assert precision.tolist() == pytest.approx([1.0, 0.5, 2 / 3])
    bins = reliability([1, 0, 1, 1], [0.95, 0.05, 0.91, 0.5])
    assert bins[-1] == (pytest.approx(0.93), 1.0, 2)
