"""`vigil export`: items as CSV or JSON (with the filters of `vigil items`), a STIX 2.1 bundle, a
GraphML network for Gephi, or a story brief in HTML or PDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Annotated

import typer

from vigil.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    err_console,
    load_settings,
    open_store,
    print_json,
)
from vigil.cli.items import (
    ActionOpt,
    ChannelOpt,
    LabelOpt,
    LangOpt,
    SinceOpt,
    SourceOpt,
    UntilOpt,
    make_filter,
)
from vigil.cli.render import safe
from vigil.core.errors import InvalidInput

FORMATS = ("csv", "json", "stix", "graphml", "brief")


def export(
    fmt: Annotated[str, typer.Argument(help="csv, json, stix, graphml or brief.")],
    out: Annotated[str | None, typer.Option("--out", "-o", help="Output file (default: standard output; required for graphml and PDF).")] = None,
    story: Annotated[int | None, typer.Option("--story", help="Story id, for `brief`.")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="For `brief`: write PDF instead of HTML.")] = False,
    db: DbOption = None, label: LabelOpt = None, action: ActionOpt = None, source: SourceOpt = None,
    channel: ChannelOpt = None, language: LangOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Export stored items, intelligence objects, the channel network or a story brief."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r}", hint="use one of: " + ", ".join(FORMATS))
    store = open_store(load_settings(db, config))
    summary: dict[str, object] = {"format": fmt, "out": out}
    if fmt in ("csv", "json"):
        from vigil.export import tabular

        flt = make_filter(label, action, source, channel, language, since, until, 1, 0)
        writer = tabular.write_csv if fmt == "csv" else tabular.write_json
        with _open(out, "w", newline="" if fmt == "csv" else None) as fh:
            summary["items"] = writer(tabular.rows(store, flt), fh)
    elif fmt == "stix":
        from vigil.export.stix import build_bundle

        report = build_bundle(store)
        with _open(out, "w") as fh:
            fh.write(report.bundle.serialize(pretty=True) + "\n")
        summary.update(report.counts)
    elif fmt == "graphml":
        from vigil.export.graph import write_graphml

        if not out:
            raise InvalidInput("graphml needs --out FILE")
        summary.update(write_graphml(store, out))
    else:
        from vigil.export.brief import brief_data, render_html, render_pdf

        if story is None:
            raise InvalidInput("brief needs --story ID", hint="list stories with `vigil stories`")
        data = brief_data(store, story)
        if pdf:
            if not out:
                raise InvalidInput("a PDF brief needs --out FILE")
            Path(out).write_bytes(render_pdf(data))
        else:
            with _open(out, "w") as fh:
                fh.write(render_html(data))
    if as_json and out:
        print_json(summary)
    elif out:
        err_console.print(f"wrote {safe(out)}: " + ", ".join(f"{k} {v}" for k, v in summary.items() if k not in ("format", "out")))


class _open:
    """A file to write, or standard output when no path is given."""

    def __init__(self, path: str | None, mode: str, newline: str | None = None) -> None:
        self.path, self.mode, self.newline = path, mode, newline
        self.fh: IO[str] | None = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.path is None:
            return sys.stdout
        self.fh = open(self.path, self.mode, encoding="utf-8", newline=self.newline)  # noqa: SIM115
        return self.fh

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()
