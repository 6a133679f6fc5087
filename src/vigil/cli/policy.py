"""`vigil policy show|test` and `vigil crisis start|end|list`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

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
from vigil.cli.items import parse_when
from vigil.cli.render import one_line, safe
from vigil.core.errors import InvalidInput
from vigil.core.records import Assessment
from vigil.moderation.crisis import end_crisis, list_crises, start_crisis
from vigil.policy.rules import load_policy
from vigil.policy.show import compare, policy_json

policy_app = typer.Typer(help="Show a policy, or test a new one against items before deploying it.", no_args_is_help=True)
crisis_app = typer.Typer(help="Crisis mode: tighten thresholds around a named incident while it lasts.", no_args_is_help=True)


@policy_app.command("show")
def policy_show(
    policy: Annotated[str | None, typer.Argument(help="Policy name or YAML path (default: the configured policy).")] = None,
    as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Print a policy: thresholds per surface, reporting cap, enforcement, crisis and flood rules."""
    data = policy_json(load_policy(policy or load_settings(None, config).policy))
    if as_json:
        print_json(data)
        return
    console.print(f"[bold]{safe(data['id'])}[/bold] from {safe(data['source'])}; labels carried at {data['label_threshold']}")
    for surface, rules in data["surfaces"].items():
        table = Table(title=f"surface {surface}: bank match -> {rules['bank_match']}, reporting >= "
                            f"{rules['reporting']['min_score']} caps at {rules['reporting']['cap']}")
        for col in ("label", "label at", "review at", "block at"):
            table.add_column(col)
        for label, t in rules["thresholds"].items():
            table.add_row(label, *(str(t.get(a, "-")) for a in ("label", "review", "block")))
        console.print(table)
    for section in ("enforcement", "crisis", "flood"):
        console.print(f"{section}: " + ", ".join(f"{k}={v}" for k, v in data[section].items()))


def _assess_file(paths: list[str], settings: Any) -> list[Assessment]:
    from vigil.assess import Assessor
    from vigil.cli.scan import expand_targets, pick_connector
    from vigil.plugins import default_registry

    registry = default_registry(settings.plugins_dir)
    assessor = Assessor(settings)
    out: list[Assessment] = []
    for target, _explicit in expand_targets(paths):
        cls = pick_connector(target, "auto", registry)
        for batch in cls(settings, {}).fetch(target, None):
            done, _failed = assessor.assess(list(batch.items))
            out.extend(done)
    return out


def _assess_stored(settings: Any, limit: int) -> list[Assessment]:
    from vigil.assess import Assessor
    from vigil.policy.dry_run import stored_assessments

    return stored_assessments(open_store(settings), Assessor(settings), limit)


@policy_app.command("test")
def policy_test(
    policy: Annotated[str, typer.Argument(help="The candidate policy YAML (or a built-in name).")],
    on: Annotated[list[str] | None, typer.Option("--on", help="Files or folders of items to test on (any scan format).")] = None,
    db: DbOption = None,
    against: Annotated[str | None, typer.Option("--against", help="Baseline policy (default: the configured one).")] = None,
    surface: Annotated[str, typer.Option("--surface", help="Policy surface to decide for.")] = "default",
    crisis: Annotated[str | None, typer.Option("--crisis", help="Decide as if every item related to this crisis.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many stored items (with --db and no --on).")] = 100_000,
    show: Annotated[int, typer.Option("--show", help="List at most this many changed items.")] = 50,
    as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Show how many items would change action under POLICY, and which, before deploying it.

    Items come from --on FILE (read like `vigil scan`, nothing stored), or else from the items stored in
    --db. Each item is assessed once and decided by both policies."""
    settings = load_settings(db, config)
    candidate = load_policy(policy)
    baseline = load_policy(against or settings.policy)
    if on:
        assessed = _assess_file(on, settings)
    elif db or settings.database_url:
        assessed = _assess_stored(settings, limit)
    else:  # pragma: no cover - database_url always has a default
        raise InvalidInput("nothing to test on", hint="pass --on FILE or --db FILE")
    report = compare(assessed, baseline, candidate, surface, crisis=crisis, show=show)
    if as_json:
        print_json(report)
        return
    console.print(f"{report['changed']:,} of {report['items']:,} items change action from {safe(report['baseline'])} "
                  f"to {safe(report['candidate'])} on surface {safe(surface)}")
    for t, n in sorted(report["transitions"].items(), key=lambda kv: -kv[1]):
        console.print(f"  {t}: {n:,}")
    if report["examples"]:
        table = Table(title="changed items")
        for col in ("source id", "from", "to", "text"):
            table.add_column(col, overflow="fold" if col == "text" else "ellipsis")
        for e in report["examples"]:
            table.add_row(one_line(e["source_id"], 30), e["from"], e["to"], one_line(e["text"], 100))
        console.print(table)


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for v in values or [] for part in v.split(",") if part.strip()]


@crisis_app.command("start")
def crisis_start(
    name: Annotated[str, typer.Argument(help="The incident's name, e.g. crocus-city-hall-2024.")],
    terms: Annotated[list[str] | None, typer.Option("--terms", help="Terms that relate content (comma-separated, repeatable).")] = None,
    entities: Annotated[list[str] | None, typer.Option("--entities", help="Canonical entity names (comma-separated, repeatable).")] = None,
    banks: Annotated[list[str] | None, typer.Option("--banks", help="Hash banks whose matches relate content.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="End time (YYYY-MM-DD or ISO time); default: until `crisis end`.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, for the audit log.")] = None,
    db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Start crisis mode for an incident: related content is judged with tightened thresholds."""
    when = parse_when(until, "--until")
    c = start_crisis(open_store(load_settings(db, config)), name, _split(terms), _split(entities), _split(banks),
                     until=when, note=note)
    print_json(c.as_dict()) if as_json else console.print(
        f"crisis {safe(c.name)!r} active until {c.until.isoformat() if c.until else 'ended'}: "
        f"{len(c.terms)} terms, {len(c.entities)} entities, {len(c.banks)} banks")


@crisis_app.command("end")
def crisis_end(name: Annotated[str, typer.Argument(help="The active incident's name.")], db: DbOption = None,
               as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """End crisis mode for an incident."""
    c = end_crisis(open_store(load_settings(db, config)), name)
    print_json({"ended": c.name, "at": datetime.now(UTC).isoformat()}) if as_json else console.print(f"crisis {safe(c.name)!r} ended")


@crisis_app.command("list")
def crisis_list(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """List incidents, newest first, with their state (active, scheduled, expired, ended)."""
    rows = list_crises(open_store(load_settings(db, config)))
    if as_json:
        print_json({"crises": rows})
        return
    table = Table(title=f"{len(rows)} crises")
    for col in ("id", "name", "state", "started", "until", "terms"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), safe(r["name"]), r["state"], r["started_at"][:19], (r["until"] or "")[:19],
                      one_line(", ".join(r["terms"]), 60))
    console.print(table)
