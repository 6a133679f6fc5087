"""`vigil train` and `vigil figures`: thin commands over `vigil.training` (no logic here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import ConfigOption, JsonOption, console, err_console, load_settings, print_json
from vigil.core.errors import InvalidInput

train_app = typer.Typer(help="Build the cascade's model artifact.", no_args_is_help=False, invoke_without_command=True)


@train_app.callback(invoke_without_command=True)
def train_cmd(
    data_dir: Annotated[str | None, typer.Option("--data-dir", help="Folder of the labelled data sets (default: settings.data_dir).")] = None,
    extra: Annotated[list[str] | None, typer.Option("--extra", help="Your own labelled CSV or JSONL file (repeatable).")] = None,
    text_column: Annotated[str, typer.Option("--text-column", help="Text column of --extra files.")] = "text",
    label_column: Annotated[str, typer.Option("--label-column", help="Label column of --extra files.")] = "label",
    positive: Annotated[str, typer.Option("--positive", help="Value of the label column that means positive.")] = "1",
    extra_label: Annotated[str, typer.Option("--extra-label", help="Head the --extra rows train: any, glorification, incitement, reporting, milieu.")] = "any",
    out: Annotated[str, typer.Option("--out", help="Folder to write the artifact to.")] = "models/cascade",
    seed: Annotated[int, typer.Option("--seed", help="Seed for every random choice.")] = 13,
    no_tier2: Annotated[bool, typer.Option("--no-tier2", help="Skip the embedding tier (faster).")] = False,
    no_eval: Annotated[bool, typer.Option("--no-eval", help="Skip the held-out figures in the model card.")] = False,
    cache_dir: Annotated[str | None, typer.Option("--cache-dir", help="Embedding cache folder (default ~/.cache/vigil).")] = None,
    datasets: Annotated[str | None, typer.Option("--datasets", help="Comma-separated data sets to read (default: all; 'none' for --extra files only).")] = None,
    config: ConfigOption = None,
) -> None:
    """Train tier 1 and tier 2 deterministically and write a versioned artifact with a model card."""
    from vigil.training.train import ExtraFile, TrainConfig, train

    settings = load_settings(None, config)
    extras = tuple(ExtraFile(p, text_column, label_column, positive, extra_label) for p in extra or ())
    cfg = TrainConfig(
        data_dir=data_dir or settings.data_dir, out=out, seed=seed, extra=extras,
        tier2=not no_tier2, evaluate=not no_eval, cache_dir=cache_dir,
        datasets=None if datasets is None else tuple(d for d in datasets.split(",") if d and d != "none"),
    )
    folder = train(cfg, log=lambda line: err_console.print(line, markup=False, highlight=False))
    console.print(f"model written to {folder}")


def figures_cmd(
    data_dir: Annotated[str | None, typer.Option("--data-dir", help="Folder of the labelled data sets.")] = None,
    model: Annotated[str, typer.Option("--model", help="Model artifact folder or 'default'.")] = "default",
    tier2: Annotated[str, typer.Option("--tier2", help="auto, always or never.")] = "auto",
    out: Annotated[str | None, typer.Option("--out", help="Also write the figures as JSON to this file.")] = None,
    markdown: Annotated[str | None, typer.Option("--markdown", help="Also write them as Markdown tables to this file.")] = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Reproduce every evaluation figure of the README on the held-out splits."""
    from vigil.training.figures import run_targets

    if tier2 not in ("auto", "always", "never"):
        raise InvalidInput(f"unknown --tier2 {tier2!r}", hint="use auto, always or never")
    settings = load_settings(None, config)
    log = (lambda line: err_console.print(line, markup=False)) if as_json else (lambda line: console.print(line, markup=False))
    figures = run_targets(data_dir or settings.data_dir, model, log=log, tier2=tier2)
    if out:
        Path(out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if markdown:
        from vigil.training.figures import to_markdown

        Path(markdown).write_text(to_markdown(figures), encoding="utf-8")
    if as_json:
        print_json(figures)
