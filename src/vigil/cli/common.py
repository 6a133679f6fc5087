"""What every command shares: settings from flags and environment, the store, JSON output, errors."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from vigil.core.settings import Settings, database_url_from_path

console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or database URL (default: VIGIL_DATABASE_URL, vigil.toml, or ./vigil.db)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on standard output.")]
ConfigOption = Annotated[str | None, typer.Option("--config", help="Path of a vigil.toml settings file.")]


def load_settings(db: str | None = None, config: str | None = None, **overrides: Any) -> Settings:
    """Settings with the documented precedence: defaults < vigil.toml < VIGIL_* environment < flags."""
    if db:
        overrides["database_url"] = database_url_from_path(db)
    return Settings.load(config=config, env=os.environ, overrides=overrides)


def open_store(settings: Settings) -> Any:
    """The store for this command (migrated to the current schema on open)."""
    from vigil.store.sql import SqlStore

    return SqlStore(settings)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()
