"""Binary classification metrics with explicit "undefined" values, in numpy only.

Where it sits: `evaluate` and `figures` call `binary_metrics`; `vigil eval --json` prints its first six
fields. A metric that the data cannot define is ``None`` (``null`` in JSON) rather than a made-up 0:
recall without positives, precision without predicted positives, ROC-AUC with one class, the false
positive rate without negatives, F1 when there are neither positives nor predicted positives.
"""

from __future__ import annotations

from typing import Any

import numpy as np

JSON_FIELDS = ("n", "precision", "recall", "f1", "auc", "false_positive_rate")


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def roc_auc(y: np.ndarray[Any, Any], scores: np.ndarray[Any, Any]) -> float | None:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties); None for one class."""
    y = np.asarray(y).astype(bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(scores, kind="mergesort")
    s = np.asarray(scores)[order]
    ranks = np.empty(len(s), dtype=np.float64)
    i = 0
    while i < len(s):  # average ranks over ties
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[i : j + 1] = (i + j) / 2.0 + 1.0
        i = j + 1
    rank_of = np.empty(len(s))
    rank_of[order] = ranks
    return float((rank_of[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def binary_metrics(y_true: Any, scores: Any, threshold: float = 0.5) -> dict[str, Any]:
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=np.float64)
    pred = s >= threshold
    tp = int((pred & y).sum())
    fp = int((pred & ~y).sum())
    fn = int((~pred & y).sum())
    tn = int((~pred & ~y).sum())
    auc = roc_auc(y, s)
    return {
        "n": int(len(y)),
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "auc": auc,
        "false_positive_rate": _ratio(fp, fp + tn),
        "threshold": threshold,
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "positives": int(y.sum()),
        "flagged_rate": _ratio(int(pred.sum()), len(y)),
    }


def json_view(metrics: dict[str, Any]) -> dict[str, Any]:
    """Exactly the fields `vigil eval --json` prints."""
    return {k: metrics[k] for k in JSON_FIELDS}


def precision_recall_curve(y_true: Any, scores: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """(recall, precision) at every distinct threshold, highest threshold first."""
    y = np.asarray(y_true).astype(bool)
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="mergesort")
    tps = np.cumsum(y[order])
    predicted = np.arange(1, len(y) + 1)
    total = max(int(y.sum()), 1)
    return tps / total, tps / predicted


def reliability(y_true: Any, scores: Any, bins: int = 10) -> list[tuple[float, float, int]]:
    """(mean predicted, observed positive rate, count) per equal-width score bin with data."""
    y = np.asarray(y_true).astype(float)
    s = np.asarray(scores, dtype=np.float64)
    which = np.minimum((s * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            out.append((float(s[mask].mean()), float(y[mask].mean()), int(mask.sum())))
    return out
