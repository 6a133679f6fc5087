"""PNG charts for `vigil eval`: a precision-recall curve and a reliability (calibration) diagram.

matplotlib with the Agg backend (no display), imported only when a chart is drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vigil.training.metrics import precision_recall_curve, reliability


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def pr_curve_png(y: Any, scores: Any, path: Path, title: str) -> Path:
    plt = _pyplot()
    recall, precision = precision_recall_curve(y, scores)
    fig, ax = plt.subplots(figsize=(5, 4), dpi=100)
    ax.plot(recall, precision, lw=1.5)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def reliability_png(y: Any, scores: Any, path: Path, title: str) -> Path:
    plt = _pyplot()
    points = reliability(y, scores)
    fig, ax = plt.subplots(figsize=(5, 4), dpi=100)
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    if points:
        xs, ys, ns = zip(*points, strict=True)
        ax.plot(xs, ys, marker="o", lw=1.5, label="model")
        for x, yv, n in points:
            ax.annotate(str(n), (x, yv), fontsize=7, textcoords="offset points", xytext=(3, -9))
    ax.set_xlabel("mean predicted score")
    ax.set_ylabel("observed positive rate")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
