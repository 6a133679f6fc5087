"""`vigil quarantine`, `vigil db`, `vigil settings`, `vigil plugins`."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from vigil.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    console,
    load_settings,
    open_store,
    print_json,
)
from vigil.cli.render import one_line
from vigil.core.settings import Settings
from vigil.pipeline import Pipeline, ScanReport
from vigil.plugins import default_registry

quarantine_app = typer.Typer(help="Items a stage failed on, with the reason; retry them after a fix.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema and migrations.", no_args_is_help=True)


@quarantine_app.command("list")
def quarantine_list(
    db: DbOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Include resolved entries.")] = False,
    limit: Annotated[int, typer.Option("--limit")] = 100,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """List quarantined records and items with stage, plugin and reason."""
    rows = open_store(load_settings(db, config)).list_quarantine(include_resolved=all_, limit=limit)
    if as_json:
        print_json({"quarantine": rows})
        return
    table = Table(title=f"{len(rows)} in quarantine")
    for col in ("id", "item", "stage", "plugin", "code", "where", "message", "tries"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), str(r["raw_id"] or "-"), r["stage"], one_line(r["plugin"], 20), r["code"],
                      one_line(r.get("locator"), 40), one_line(r["message"], 80), str(r["attempts"]))
    console.print(table)


@quarantine_app.command("retry")
def quarantine_retry(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """Run the stages again on quarantined items (ingest rejects need a fixed file and a new scan)."""
    settings = load_settings(db, config)
    store = open_store(settings)
    report = Pipeline(settings, store, env=os.environ).retry_quarantined(ScanReport())
    data = {"retried": sum(report.by_action.values()) + report.quarantined,
            "resolved": sum(report.by_action.values()), "still_failing": report.quarantined,
            "by_action": dict(report.by_action)}
    if as_json:
        print_json(data)
    else:
        console.print(f"retried {data['retried']}: {data['resolved']} resolved, {data['still_failing']} still failing")


@db_app.command("upgrade")
def db_upgrade(
    db: DbOption = None,
    revision: Annotated[str, typer.Option("--revision", help="Target revision.")] = "head",
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Create or migrate the schema (SQLite and PostgreSQL share one migration history)."""
    from vigil.store.sql import SqlStore

    store = SqlStore(load_settings(db, config), migrate=False)
    rev = store.upgrade(revision)
    if as_json:
        print_json({"revision": rev, "database": store._safe_url()})
    else:
        console.print(f"database at revision {rev}")


@db_app.command("current")
def db_current(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """Print the schema revision of the database."""
    from vigil.store.sql import SqlStore

    rev = SqlStore(load_settings(db, config), migrate=False).revision()
    print_json({"revision": rev}) if as_json else console.print(str(rev))


def settings_cmd(as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """List every setting with its value, default and help (precedence: defaults < vigil.toml < VIGIL_* < flags)."""
    current = load_settings(None, config)
    rows = [{"name": n, "value": getattr(current, n), "default": d, "help": h} for n, h, d in Settings.describe()]
    if as_json:
        print_json({"settings": rows})
        return
    table = Table(title="settings")
    for col in ("name", "value", "env", "help"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["name"], one_line(str(r["value"]), 40), f"VIGIL_{r['name'].upper()}", r["help"])
    console.print(table)


def plugins_cmd(as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """List the registered plugins by kind."""
    registry = default_registry(load_settings(None, config).plugins_dir)
    rows = [{"kind": kind, "name": name, "version": getattr(cls, "version", 1), "origin": registry.origin(kind, name)}
            for kind, name, cls in registry]
    if as_json:
        print_json({"plugins": rows})
        return
    table = Table(title="plugins")
    for col in ("kind", "name", "version", "origin"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["kind"]), str(r["name"]), str(r["version"]), str(r["origin"]))
    console.print(table)
