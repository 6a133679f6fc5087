"""The `vigil` command: every subcommand, and one place that turns errors into messages and exit codes
(0 ok, 1 general error, 2 user error, 3 external dependency)."""

from __future__ import annotations

import logging
import sys

import typer
from typer.exceptions import TyperException

from vigil.cli import (
    admin,
    assess,
    export,
    intel,
    items,
    policy,
    scan,
    service,
    stream,
    translate,
    users,
    watch,
)
from vigil.cli import eval as eval_cli
from vigil.cli import train as train_cli
from vigil.cli.bank import bank_app
from vigil.cli.common import err_console
from vigil.cli.render import safe
from vigil.core.errors import EXIT_GENERAL, EXIT_USER, VigilError

app = typer.Typer(
    name="vigil",
    help="Vigil: find terrorist propaganda and calls for violence, and tell them from reporting about them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(scan.scan)
app.command()(assess.assess)
app.command()(items.items)
app.command()(items.show)
app.command()(items.search)
app.add_typer(admin.quarantine_app, name="quarantine")
app.add_typer(admin.db_app, name="db")
app.add_typer(stream.stream_app, name="stream")
app.add_typer(bank_app, name="bank")
app.command("settings")(admin.settings_cmd)

# ---- analyst intelligence (vigil.intel): stories, profiles, watch rules, alerts, exports, translation
app.command("entities")(intel.entities)
app.command("events")(intel.events)
app.command("stories")(intel.stories)
app.command("story")(intel.story)
app.command("profile")(intel.profile)
app.add_typer(watch.watch_app, name="watch")
app.add_typer(watch.alerts_app, name="alerts")
app.command("translate")(translate.translate)
app.command("export")(export.export)
app.command("plugins")(admin.plugins_cmd)
app.add_typer(train_cli.train_app, name="train")
app.command("eval")(eval_cli.eval_cmd)
app.command("figures")(train_cli.figures_cmd)
app.command("serve")(service.serve)
app.add_typer(service.keys_app, name="keys")
app.add_typer(service.audit_app, name="audit")
app.add_typer(policy.policy_app, name="policy")
app.add_typer(policy.crisis_app, name="crisis")
app.add_typer(users.users_app, name="users")
app.add_typer(users.cases_app, name="cases")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        code = app(standalone_mode=False)  # typer.Exit(n) comes back as n when not standalone
        if isinstance(code, int) and code:
            sys.exit(code)
    except VigilError as exc:
        err_console.print(f"[red]error:[/red] {safe(exc.message)}")
        if exc.hint:
            err_console.print(f"  [bold]fix:[/bold] {safe(exc.hint)}")
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(EXIT_GENERAL)
    except TyperException as exc:  # usage errors: unknown option, missing argument, bad value
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"[red]error:[/red] {safe(str(exc))}")
        sys.exit(getattr(exc, "exit_code", EXIT_USER))


if __name__ == "__main__":
    main()
