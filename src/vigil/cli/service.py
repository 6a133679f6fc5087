"""`vigil serve`, `vigil keys create|list|revoke`, `vigil audit verify|show`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
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
from vigil.cli.render import one_line, safe
from vigil.core.errors import EXIT_GENERAL
from vigil.moderation import audit
from vigil.moderation.keys import ROLES, check_role, create_key, list_keys, revoke_key

keys_app = typer.Typer(help="API keys: create (shown once), list, revoke.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log of every decision.", no_args_is_help=True)


def serve(
    db: DbOption = None,
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on (default 8000).")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes (see README: limits are per process).")] = 1,
    config: ConfigOption = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs)."""
    import uvicorn

    settings = load_settings(db, config, api_host=host, api_port=port)
    from vigil.store.sql import SqlStore

    SqlStore(settings).close()  # migrate once before workers start, and fail here with a clear message
    err_console.print(f"vigil API on http://{settings.api_host}:{settings.api_port} (docs at /docs)")
    if workers > 1:
        import os
        import shutil
        import tempfile

        from vigil.api import balance
        from vigil.core.settings import CONFIG_FILE_ENV

        os.environ["VIGIL_DATABASE_URL"] = settings.database_url
        if config:  # the workers load their settings themselves: from the same file
            os.environ[CONFIG_FILE_ENV] = os.path.abspath(config)
        board_dir = tempfile.mkdtemp(prefix="vigil-serve-")  # private (0700): the workers' load board
        os.environ[balance.ENV] = os.path.join(board_dir, "load")
        try:
            uvicorn.run("vigil.api.main:app", host=settings.api_host, port=settings.api_port, workers=workers,
                        log_level="warning", access_log=False)
        finally:
            os.environ.pop(balance.ENV, None)
            os.environ.pop(CONFIG_FILE_ENV, None)
            shutil.rmtree(board_dir, ignore_errors=True)
        return
    from vigil.api.app import create_app

    uvicorn.run(create_app(settings), host=settings.api_host, port=settings.api_port, log_level="warning",
                access_log=False)


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help="platform, moderator, analyst or admin.")],
    name: Annotated[str | None, typer.Option("--name", help="What the key is for (shown in listings).")] = None,
    rate: Annotated[float | None, typer.Option("--rate", help="Requests per second for this key (default: setting).")] = None,
    db: DbOption = None, config: ConfigOption = None,
) -> None:
    """Create a key and print it alone on standard output. It is shown only this once."""
    check_role(role)
    key, record = create_key(open_store(load_settings(db, config)), role, name, rate)
    sys.stdout.write(key + "\n")
    err_console.print(f"created {record.role} key #{record.id} ({record.prefix}…); store it now, it is not shown again")


@keys_app.command("list")
def keys_list(
    db: DbOption = None, all_: Annotated[bool, typer.Option("--all", help="Include revoked keys.")] = False,
    as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """List keys (prefix and role; the keys themselves are never stored)."""
    rows = list_keys(open_store(load_settings(db, config)), include_revoked=all_)
    if as_json:
        print_json({"keys": rows})
        return
    table = Table(title=f"{len(rows)} keys")
    for col in ("id", "prefix", "role", "name", "created", "revoked"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["prefix"] + "…", r["role"], one_line(r["name"], 40), r["created_at"][:19],
                      (r["revoked_at"] or "")[:19])
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key: Annotated[str, typer.Argument(help="Key id or prefix, as listed by `vigil keys list`.")],
    db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Revoke a key (running servers stop accepting it within api_key_cache_s seconds)."""
    out = revoke_key(open_store(load_settings(db, config)), key)
    print_json(out) if as_json else console.print(f"revoked {out['role']} key #{out['id']} ({safe(out['prefix'])}…)")


@audit_app.command("verify")
def audit_verify(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """Recompute the hash chain; name every edited, removed or reordered record (exit code 1 if any)."""
    report = audit.verify(open_store(load_settings(db, config)))
    if as_json:
        print_json(report.as_dict())
    elif report.ok:
        console.print(f"audit log intact: {report.records:,} records, head {report.head_seq} {report.head_hash}")
    else:
        err_console.print(f"[red]audit log broken[/red]: {len(report.problems)} problem(s) in {report.records:,} records")
        for p in report.problems:
            err_console.print(f"  record {p.seq}: {p.kind}: {safe(p.detail)}")
    if not report.ok:
        raise typer.Exit(EXIT_GENERAL)


@audit_app.command("show")
def audit_show(
    db: DbOption = None, kind: Annotated[str | None, typer.Option("--kind", help="decision, strike, case_decided ...")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="The record's subject id (decision id, account id ...).")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 20, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Print the latest audit records, newest first."""
    rows = audit.records(open_store(load_settings(db, config)), kind=kind, ref=ref, limit=max(1, min(limit, 10_000)))
    if as_json:
        print_json({"records": rows})
        return
    for r in rows:
        console.print(f"{r['seq']:>8} {r['at'][:19]} {r['kind']:<15} {safe(str(r['ref']))}  {r['hash'][:16]}")


__all__ = ["serve", "keys_app", "audit_app", "ROLES"]
