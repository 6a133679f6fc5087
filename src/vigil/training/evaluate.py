"""`vigil eval`: score any labelled CSV or JSON Lines file with the cascade and report how it did.

Where it sits: the CLI (`vigil.cli.eval`) calls `evaluate_file`; `figures` calls `score_texts` on the
held-out splits. Scores come from the same `CascadeClassifier` the pipeline runs.

``label`` chooses the score: ``any`` (the highest harm label), a taxonomy label (``incitement``,
``glorification``, ..., ``reporting``), or a head of the model (``support``, ``milieu``, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vigil.classify.cascade import CascadeClassifier
from vigil.classify.textprep import item_for_text
from vigil.core.errors import InvalidInput
from vigil.core.labels import ALL_LABELS, Label
from vigil.core.settings import Settings
from vigil.training.datasets import read_table
from vigil.training.metrics import binary_metrics
from vigil.training.plots import pr_curve_png, reliability_png

_LABEL_INDEX = {label.value: i for i, label in enumerate(ALL_LABELS)}


@dataclass
class EvalReport:
    label: str
    metrics: dict[str, Any]
    charts: list[Path]
    tier2_share: float


def make_classifier(model: str = "default", tier2: str = "auto", settings: Settings | None = None) -> CascadeClassifier:
    settings = (settings or Settings()).replace(model=model, tier2=tier2)
    return CascadeClassifier(settings, settings.plugin_options("cascade"))


def score_texts(
    texts: Sequence[str],
    label: str = "any",
    classifier: CascadeClassifier | None = None,
    batch: int = 512,
    also: Sequence[str] = (),
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Scores for ``label`` and the tier that decided, one per text. With ``also``, the first array
    has one column per label in ``(label, *also)`` (one pass over the texts for all of them)."""
    clf = classifier or make_classifier()
    wanted = (label, *also)
    for name in wanted:
        check_label(name, clf)
    scores = np.zeros((len(texts), len(wanted)), dtype=np.float32)
    tiers = np.ones(len(texts), dtype=np.int8)
    for start in range(0, len(texts), batch):
        items = [item_for_text(t, str(start + i)) for i, t in enumerate(texts[start : start + batch])]
        out = clf.score(items)
        for j, name in enumerate(wanted):
            if name == "any":
                values = out.any_harm()
            elif name in _LABEL_INDEX:
                values = out.labels[:, _LABEL_INDEX[name]]
            else:
                values = out.heads[:, clf.model.heads.index(name)]
            scores[start : start + len(items), j] = values
        tiers[start : start + len(items)] = out.tier
    return (scores if also else scores[:, 0]), tiers


def check_label(label: str, clf: CascadeClassifier) -> None:
    if label == "any" or label in _LABEL_INDEX or label in clf.model.heads:
        return
    known = ["any", *(lab.value for lab in Label), *clf.model.heads]
    raise InvalidInput(f"unknown label {label!r}", hint="use one of: " + ", ".join(dict.fromkeys(known)))


def evaluate_file(
    path: str | Path,
    text_column: str,
    label_column: str,
    positive: str,
    label: str = "any",
    model: str = "default",
    out_dir: str | Path | None = None,
    threshold: float = 0.5,
    tier2: str = "auto",
    settings: Settings | None = None,
) -> EvalReport:
    """Metrics of the cascade's ``label`` score against ``label_column == positive`` in ``path``;
    charts (precision-recall curve, reliability diagram) go to ``out_dir`` when given."""
    path = Path(path)
    rows = read_table(path)
    if rows and (text_column not in rows[0] or label_column not in rows[0]):
        raise InvalidInput(
            f"{path}: columns {text_column!r} and {label_column!r} are required; found {sorted(rows[0])!r}",
            hint="set --text-column and --label-column",
        )
    texts = [str(r.get(text_column) or "") for r in rows]
    y = np.array([str(r.get(label_column, "")).strip() == positive for r in rows])
    clf = make_classifier(model, tier2, settings)
    scores, tiers = score_texts(texts, label, clf)
    metrics = binary_metrics(y, scores, threshold)
    charts: list[Path] = []
    if out_dir is not None:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        title = f"{path.name}: {label} (n={len(y)})"
        charts.append(pr_curve_png(y, scores, folder / f"{path.stem}_{label}_pr.png", title))
        charts.append(reliability_png(y, scores, folder / f"{path.stem}_{label}_reliability.png", title))
    share = float((tiers == 2).mean()) if len(tiers) else 0.0
    return EvalReport(label, metrics, charts, share)
