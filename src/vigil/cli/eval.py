"""`vigil eval`: metrics and charts of the cascade on any labelled file (logic in `vigil.training.evaluate`)."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.cli.common import ConfigOption, JsonOption, console, load_settings, print_json
from vigil.cli.render import safe


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def eval_cmd(
    path: Annotated[str, typer.Argument(help="Labelled CSV (, or ;) or JSON Lines file.")],
    text_column: Annotated[str, typer.Option("--text-column", help="Column holding the text.")] = "text",
    label_column: Annotated[str, typer.Option("--label-column", help="Column holding the label.")] = "label",
    positive: Annotated[str, typer.Option("--positive", help="Label value that means positive.")] = "1",
    label: Annotated[str, typer.Option("--label", help="Score to evaluate: any, a taxonomy label, or a model head.")] = "any",
    model: Annotated[str | None, typer.Option("--model", help="Model artifact folder or 'default'.")] = None,
    threshold: Annotated[float, typer.Option("--threshold", help="Score at or above which an item counts as flagged.")] = 0.5,
    tier2: Annotated[str | None, typer.Option("--tier2", help="auto, always or never (default: settings).")] = None,
    out: Annotated[str, typer.Option("--out", help="Folder for the precision-recall curve and reliability diagram.")] = "eval-out",
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Precision, recall, F1, ROC-AUC and the confusion matrix of the cascade on a labelled file."""
    from vigil.training.evaluate import evaluate_file
    from vigil.training.metrics import json_view

    settings = load_settings(None, config)
    report = evaluate_file(
        path, text_column, label_column, positive, label=label, model=model or settings.model,
        out_dir=out, threshold=threshold, tier2=tier2 or settings.tier2, settings=settings,
    )
    m = report.metrics
    if as_json:
        print_json(json_view(m))
        return
    c = m["confusion"]
    console.print(f"{safe(path)}  label={label}  n={m['n']}  positives={m['positives']}  threshold={threshold}")
    console.print(f"precision {_fmt(m['precision'])}  recall {_fmt(m['recall'])}  F1 {_fmt(m['f1'])}  "
                  f"ROC-AUC {_fmt(m['auc'])}  FPR {_fmt(m['false_positive_rate'])}")
    console.print("confusion matrix (rows: actual, columns: predicted)")
    console.print(f"              pred +   pred -\n  actual +  {c['tp']:>7}  {c['fn']:>7}\n  actual -  {c['fp']:>7}  {c['tn']:>7}")
    console.print(f"tier 2 ran on {report.tier2_share:.1%} of items")
    for chart in report.charts:
        console.print(f"wrote {chart}")
