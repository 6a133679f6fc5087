"""`vigil entities`, `vigil events`, `vigil stories`, `vigil story ID`, `vigil profile NAME`: what the
analysts follow, read from the store."""

from __future__ import annotations

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
from vigil.cli.render import one_line, safe
from vigil.core.errors import InvalidInput, NotFound
from vigil.store import intel_queries as q

LimitOpt = Annotated[int, typer.Option("--limit", help="At most this many rows.")]


def entities(
    db: DbOption = None, kind: Annotated[str | None, typer.Option("--kind", help="organisation, person, outlet, channel or place.")] = None,
    limit: LimitOpt = 200, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Entities mentioned in stored items: canonical name, kind, items, and every alias seen."""
    rows = q.list_entities(open_store(load_settings(db, config)), kind, max(1, min(limit, 10_000)))
    if as_json:
        print_json({"entities": rows})
        return
    table = Table(title=f"{len(rows)} entities")
    for col in ("canonical", "kind", "items", "first seen", "last seen", "aliases seen"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(safe(r["canonical"]), r["kind"], str(r["items"]), (r["first_seen"] or "")[:10],
                      (r["last_seen"] or "")[:10], one_line(", ".join(r["aliases"][:8]), 80))
    console.print(table)


def events(
    db: DbOption = None, kind: Annotated[str | None, typer.Option("--kind", help="attack or call_to_attack.")] = None,
    limit: LimitOpt = 500, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Attacks and calls to attack: type, ISO date, place, deaths and actors."""
    rows = q.list_events(open_store(load_settings(db, config)), kind, limit=max(1, min(limit, 10_000)))
    if as_json:
        print_json({"events": [{k: v for k, v in r.items() if k != "evidence"} for r in rows]})
        return
    table = Table(title=f"{len(rows)} events")
    for col in ("id", "type", "date", "place", "deaths", "actors", "targets", "item"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), safe(r["type"]), r["date"] or safe(r.get("date_expression") or "?"),
                      safe(r["place"] or ""), "" if r["deaths"] is None else str(r["deaths"]),
                      one_line(", ".join(r["actors"]), 60), one_line(", ".join(map(str, r["targets"])), 40),
                      one_line(r["source_id"], 30))
    console.print(table)


def stories(
    db: DbOption = None, min_size: Annotated[int, typer.Option("--min-size", help="Only stories of at least this many items.")] = 1,
    limit: LimitOpt = 100, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Stories: items clustered by text, entities, events and dates, with their items' source ids."""
    rows = q.list_stories(open_store(load_settings(db, config)), max(1, min(limit, 10_000)), max(1, min_size))
    if as_json:
        print_json({"stories": rows})
        return
    table = Table(title=f"{len(rows)} stories")
    for col in ("id", "title", "first seen", "last seen", "size", "key entities", "items"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), one_line(r["title"], 70), (r["first_seen"] or "")[:10] if r["dated"] else "undated",
                      (r["last_seen"] or "")[:10] if r["dated"] else "", str(r["size"]),
                      one_line(", ".join(e["canonical"] or "" for e in r["key_entities"][:5]), 60),
                      one_line(", ".join(r["items"][:6]) + (" …" if len(r["items"]) > 6 else ""), 80))
    console.print(table)


def story(
    story_id: Annotated[int, typer.Argument(help="Story id, as listed by `vigil stories`.")],
    db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """One story: its items, events, quotes with their speakers, and its timeline."""
    data = q.get_story(open_store(load_settings(db, config)), story_id)
    if data is None:
        raise NotFound("story", story_id, hint="list stories with `vigil stories`")
    if as_json:
        print_json(data)
        return
    console.print(f"[bold]story #{data['id']}[/bold] {safe(data['title'])}")
    console.print(f"  {data['size']} items, {(data['first_seen'] or '')[:10]} .. {(data['last_seen'] or '')[:10]}")
    console.print("  key entities: " + safe(", ".join(f"{e['canonical']} ({e['kind']})" for e in data["key_entities"])))
    console.print("[bold]timeline[/bold]")
    for row in data["timeline"]:
        console.print(f"  {row['date'] or 'undated':<10}  {row['what']:<5}  {one_line(row['label'], 90)}  [{one_line(row['source_id'], 40)}]")
    if data["quotes"]:
        console.print("[bold]quotes[/bold]")
        for quote in data["quotes"][:20]:
            console.print(f"  {safe(quote['speaker'] or 'unattributed')}: {one_line(quote['text'], 140)}")


def profile(
    name: Annotated[str, typer.Argument(help="An entity (name, alias or id) or a channel name.")],
    db: DbOption = None,
    granularity: Annotated[str, typer.Option("--by", help="Volume per day, week or month.")] = "day",
    as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """An actor's, outlet's or channel's profile: first and last seen, volume by label over time,
    co-mentioned entities, forward and reply links."""
    from vigil.intel.profiles import profile as build

    if granularity not in ("day", "week", "month"):
        raise InvalidInput(f"--by {granularity!r} is not day, week or month")
    data = build(open_store(load_settings(db, config)), name, granularity)
    if as_json:
        print_json(data)
        return
    for side in ("entity", "channel"):
        part: dict[str, Any] | None = data.get(side)
        if not part:
            continue
        title = part.get("canonical") or part.get("name")
        console.print(f"[bold]{side}[/bold] {safe(title)}  items {part['items']}  "
                      f"first {(part['first_seen'] or '')[:10]}  last {(part['last_seen'] or '')[:10]}")
        if part.get("aliases"):
            console.print("  aliases: " + one_line(", ".join(part["aliases"]), 200))
        vol = part["volume"]
        console.print("  volume: " + ", ".join(f"{k} {v}" for k, v in list(vol["items"].items())[-12:]))
        for label, counts in vol["by_label"].items():
            console.print(f"    {label}: " + ", ".join(f"{k} {v}" for k, v in list(counts.items())[-12:]))
        console.print("  co-mentioned: " + one_line(", ".join(f"{e['canonical']} ({e['items']})" for e in part["co_mentioned"][:12]), 200))
        for key, rows in (part.get("links") or {}).items():
            if rows:
                console.print(f"  {key.replace('_', ' ')}: " + one_line(", ".join(f"{r['channel']} ({r['items']})" for r in rows), 200))
