"""`vigil users create|list|disable|passwd` (people who sign in to the dashboard) and
`vigil cases queue` (open review cases for scanned items)."""

from __future__ import annotations

import getpass
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
from vigil.cli.render import safe
from vigil.core.errors import InvalidInput
from vigil.moderation.intake import queue_stored
from vigil.moderation.keys import check_role
from vigil.moderation.users import check_password, create_user, disable_user, list_users, set_password

users_app = typer.Typer(help="Dashboard users: create (password from a prompt or stdin), list, disable, passwd.",
                        no_args_is_help=True)
cases_app = typer.Typer(help="Review cases: queue scanned items that need a moderator.", no_args_is_help=True)


def read_password() -> str:
    """From a hidden prompt (twice) on a terminal, else the first line of standard input. Never from
    the command line, where it would sit in the shell history and the process list."""
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise InvalidInput("the two passwords differ", hint="run the command again")
        return check_password(first)
    line = sys.stdin.readline()
    return check_password(line.rstrip("\r\n"))


@users_app.command("create")
def users_create(
    name: Annotated[str, typer.Argument(help="Sign-in name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option("--role", help="moderator, analyst, admin (or platform: no pages).")],
    db: DbOption = None, config: ConfigOption = None,
) -> None:
    """Create a dashboard user. The password is read from a prompt, or from standard input when piped."""
    check_role(role)
    password = read_password()
    user = create_user(open_store(load_settings(db, config)), name, role, password)
    err_console.print(f"created {user.role} user {safe(user.name)!r} (#{user.id})")


@users_app.command("list")
def users_list(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """List users (names and roles; password hashes are never shown)."""
    rows = list_users(open_store(load_settings(db, config)))
    if as_json:
        print_json({"users": rows})
        return
    table = Table(title=f"{len(rows)} users")
    for col in ("id", "name", "role", "created", "last sign-in", "disabled"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), safe(r["name"]), r["role"], r["created_at"][:19], (r["last_login_at"] or "")[:19],
                      (r["disabled_at"] or "")[:19])
    console.print(table)


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="The user to disable.")], db: DbOption = None,
                  config: ConfigOption = None) -> None:
    """Disable a user; their sessions end at once."""
    disable_user(open_store(load_settings(db, config)), name)
    err_console.print(f"disabled {safe(name)!r}; their sessions are ended")


@users_app.command("passwd")
def users_passwd(name: Annotated[str, typer.Argument(help="The user whose password changes.")], db: DbOption = None,
                 config: ConfigOption = None) -> None:
    """Set a new password (prompt or stdin); the user's sessions end."""
    set_password(open_store(load_settings(db, config)), name, read_password())
    err_console.print(f"password of {safe(name)!r} changed; their sessions are ended")


@cases_app.command("queue")
def cases_queue(
    action: Annotated[list[str] | None, typer.Option("--action", help="Assessed actions to queue (repeatable; default: review).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many items.")] = 10_000,
    db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Open a review case for each scanned item whose action needs a moderator and has no decision yet."""
    out = queue_stored(open_store(load_settings(db, config)), tuple(action or ("review",)), limit=max(1, limit))
    if as_json:
        print_json(out)
    else:
        console.print(f"queued {out['queued']} items for review" +
                      (": " + ", ".join(f"{k} {v}" for k, v in out["by_action"].items()) if out["by_action"] else ""))
