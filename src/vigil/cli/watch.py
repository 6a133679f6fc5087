"""`vigil watch add|list|remove` (watch rules) and `vigil alerts list|send` (what they produced)."""

from __future__ import annotations

import os
from dataclasses import asdict
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
from vigil.cli.render import one_line, safe
from vigil.core.errors import InvalidInput
from vigil.intel.watch import make_rule
from vigil.store import alerts_sql
from vigil.store.intel_queries import iso

watch_app = typer.Typer(help="Watch rules: entities, terms, labels, channels, scores and volume spikes to alert on.",
                        no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts produced by watch rules; webhook delivery.", no_args_is_help=True)


@watch_app.command("add")
def watch_add(
    name: Annotated[str, typer.Argument(help="A name for the rule (unique).")],
    entity: Annotated[str | None, typer.Option("--entity", help="Alert on items mentioning this entity (name, alias or id).")] = None,
    term: Annotated[str | None, typer.Option("--term", help="Alert on items containing this word or phrase.")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Alert on items carrying this label (with --threshold).")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="Alert on items posted in or forwarded from this channel.")] = None,
    score: Annotated[float | None, typer.Option("--score", help="Alert on items with any harm score at or above this.")] = None,
    spike: Annotated[bool, typer.Option("--spike", help="A volume spike rule (optionally of --label and/or --entity).")] = False,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Score threshold for --label (default 0.5).")] = None,
    window_hours: Annotated[int | None, typer.Option("--window-hours", help="Spike window (default 24).")] = None,
    baseline_days: Annotated[int | None, typer.Option("--baseline-days", help="Spike baseline (default 7).")] = None,
    factor: Annotated[float | None, typer.Option("--factor", help="Spike factor over the baseline (default 3).")] = None,
    min_count: Annotated[int | None, typer.Option("--min-count", help="Spike minimum items in the window (default 5).")] = None,
    no_notify: Annotated[bool, typer.Option("--no-notify", help="Store alerts without sending them to the webhook.")] = False,
    db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Add a watch rule; it is evaluated on every item saved from now on."""
    given = [k for k, v in (("entity", entity), ("term", term), ("channel", channel), ("score", score)) if v is not None]
    if spike:
        kind, value = "spike", entity
    elif len(given) > 1 or (given and label):
        raise InvalidInput("give one of --entity, --term, --label, --channel or --score (or --spike)")
    elif given:
        kind = given[0]
        value = {"entity": entity, "term": term, "channel": channel, "score": None}[kind]
        if kind == "score":
            threshold = score
    elif label:
        kind, value = "label", None
    else:
        raise InvalidInput("a rule needs one of --entity, --term, --label, --channel, --score or --spike")
    rule = make_rule(name, kind, value, label, threshold, window_hours, baseline_days, factor, min_count, not no_notify)
    saved = alerts_sql.add_rule(open_store(load_settings(db, config)), rule)
    if as_json:
        print_json({"rule": _rule_json(saved)})
    else:
        console.print(f"added watch rule #{saved.id} {safe(saved.name)}: {safe(saved.describe())}")


def _rule_json(rule: object) -> dict[str, object]:
    return {k: iso(v) for k, v in asdict(rule).items()}  # type: ignore[call-overload]


@watch_app.command("list")
def watch_list(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """List watch rules."""
    rules = alerts_sql.list_rules(open_store(load_settings(db, config)))
    if as_json:
        print_json({"rules": [_rule_json(r) for r in rules]})
        return
    table = Table(title=f"{len(rules)} watch rules")
    for col in ("id", "name", "rule", "notify", "last fired"):
        table.add_column(col, overflow="fold")
    for r in rules:
        table.add_row(str(r.id), safe(r.name), safe(r.describe()), "yes" if r.notify else "no",
                      iso(r.last_fired_at) or "")
    console.print(table)


@watch_app.command("remove")
def watch_remove(
    rule: Annotated[str, typer.Argument(help="Rule id or name.")],
    db: DbOption = None, config: ConfigOption = None,
) -> None:
    """Remove a watch rule (its alerts stay)."""
    alerts_sql.remove_rule(open_store(load_settings(db, config)), rule)
    console.print(f"removed watch rule {safe(rule)}")


@alerts_app.command("list")
def alerts_list(
    db: DbOption = None, rule: Annotated[str | None, typer.Option("--rule", help="Only alerts of this rule.")] = None,
    delivery: Annotated[str | None, typer.Option("--delivery", help="pending, sent, failed or off.")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 100, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """List alerts, newest first."""
    rows = alerts_sql.list_alerts(open_store(load_settings(db, config)), max(1, min(limit, 10_000)), rule, delivery)
    rows = [{k: iso(v) for k, v in r.items()} for r in rows]
    if as_json:
        print_json({"alerts": rows})
        return
    table = Table(title=f"{len(rows)} alerts")
    for col in ("id", "when", "rule", "summary", "delivery"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), (r["created_at"] or "")[:19], safe(r["rule_name"]), one_line(r["summary"], 100),
                      f"{r['delivery']} ({r['attempts']})")
    console.print(table)


@alerts_app.command("send")
def alerts_send(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None,
                limit: Annotated[int, typer.Option("--limit")] = 1000) -> None:
    """Send pending and failed alerts to the webhook named by the settings (alert_webhook_env)."""
    from vigil.intel.alerts import deliver
    from vigil.intel.webhook import notifier_from_settings

    settings = load_settings(db, config)
    notifier = notifier_from_settings(settings, os.environ)
    if notifier is None:
        raise InvalidInput("no alert webhook configured",
                           hint="set alert_webhook_env to the name of an environment variable holding the URL")
    counts = deliver(open_store(settings), notifier, max(1, limit))
    if as_json:
        print_json(counts)
    else:
        console.print(f"sent {counts['sent']}, failed {counts['failed']}")
