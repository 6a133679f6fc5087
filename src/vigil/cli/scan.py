"""`vigil scan`: ingest and assess files, folders or the built-in sample into the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigil.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    console,
    err_console,
    load_settings,
    open_store,
    print_json,
)
from vigil.cli.items import parse_when
from vigil.cli.render import safe
from vigil.core.errors import EXIT_USER, InputError, UnknownFormat
from vigil.core.registry import Registry
from vigil.ingest.base import Connector
from vigil.pipeline import Pipeline, ScanReport, options_from_pairs
from vigil.plugins import default_registry

TABULAR = ("csv", "jsonl")


def expand_targets(paths: list[str]) -> list[tuple[str, bool]]:
    """Files to scan, in a stable order. Folders are walked; (path, explicit) says whether the user
    named the file (an unrecognised explicit file is an error, one found in a folder is skipped)."""
    out: list[tuple[str, bool]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(
                (str(f), False)
                for f in sorted(path.rglob("*"))
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
        else:
            out.append((p, True))
    return out


def pick_connector(target: str, fmt: str, registry: Registry) -> type[Connector]:
    from vigil.ingest.detect import detect_connector

    if fmt != "auto":
        connectors: list[type[Connector]] = registry.all("connectors")
        for cls in connectors:
            if fmt in cls.formats:
                return cls
        known = sorted({f for cls in connectors for f in cls.formats})
        raise UnknownFormat(f"unknown format {fmt!r}", hint="use one of: auto, " + ", ".join(known))
    if target == "sample" and not Path(target).exists():
        sample: type[Connector] = registry.get("connectors", "sample")
        return sample
    return detect_connector(Path(target), registry)


def scan(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to scan ('sample' scans the built-in sample).")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, telegram, jsonl, csv, article or feed.")] = "auto",
    column: Annotated[
        list[str] | None,
        typer.Option("--column", help="Column map for CSV/JSONL, FIELD=COLUMN (fields: text, id, date, author, author_id, channel, title, url, language). Repeatable."),
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source name for CSV/JSONL items (default: from the file name).")] = None,
    delimiter: Annotated[str | None, typer.Option("--delimiter", help="CSV delimiter (default: sniffed).")] = None,
    dayfirst: Annotated[bool, typer.Option("--dayfirst", help="Read ambiguous CSV/JSONL dates like 1/5/19 as day first.")] = False,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes for normalize+classify.")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", help="Records per transaction.")] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="Date (YYYY-MM-DD or ISO time) for items whose input carries none.")
    ] = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Ingest and assess PATHs into the store. Re-running adds no duplicates; an interrupted run resumes."""
    settings = load_settings(db, config, workers=workers, batch_size=batch_size)
    registry = default_registry(settings.plugins_dir)
    store = open_store(settings)
    pipeline = Pipeline(settings, store, env=os.environ)
    pipeline.default_published = parse_when(published, "--published")
    tabular: dict[str, object] = {}  # options for the CSV and JSON Lines connectors only
    if column:
        tabular["columns"] = dict(options_from_pairs(column))
    if source:
        tabular["source"] = source
    if delimiter:
        tabular["delimiter"] = delimiter
    if dayfirst:
        tabular["dayfirst"] = True
    report = ScanReport()
    input_errors: list[str] = []
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=None),
        TextColumn("{task.completed:,} items"), TimeElapsedColumn(),
        console=err_console, transient=True, disable=not err_console.is_terminal,
    )
    with progress:
        task = progress.add_task("scanning", total=None)
        for target, explicit in expand_targets(paths):
            try:
                cls = pick_connector(target, fmt, registry)
            except UnknownFormat as exc:
                if explicit:
                    input_errors.append(str(exc))
                continue
            progress.update(task, description=f"scanning {safe(Path(target).name, 40)}")
            try:
                options = {**settings.plugin_options(cls.name), **(tabular if cls.name in TABULAR else {})}
                pipeline.scan(cls(settings, options), target, report,
                              on_progress=lambda r: progress.update(task, completed=r.items))
            except InputError as exc:
                input_errors.append(str(exc))
    data = report.as_dict()
    if as_json:
        print_json(data)
    else:
        show_report(data)
    for line in input_errors + report.errors:
        err_console.print(f"[red]error:[/red] {safe(line)}")
    if input_errors or report.errors:
        if report.quarantined:
            err_console.print("bad records are in quarantine: [bold]vigil quarantine list[/bold]")
        raise typer.Exit(EXIT_USER)


def show_report(data: dict[str, object]) -> None:
    table = Table(title="scan", show_header=False, box=None)
    for key in ("items", "new", "duplicates", "quarantined", "resumed"):
        table.add_row(key, f"{data[key]:,}")
    for key in ("by_action", "by_label", "skipped"):
        counts = data.get(key) or {}
        assert isinstance(counts, dict)
        table.add_row(key, ", ".join(f"{k} {v:,}" for k, v in counts.items()) or "-")
    table.add_row("seconds", str(data["elapsed_s"]))
    console.print(table)
