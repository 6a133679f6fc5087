"""`vigil items`, `vigil show`, `vigil search`: read what the store holds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.panel import Panel
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
from vigil.core.labels import parse_label
from vigil.core.records import Action
from vigil.store.base import ItemFilter

LabelOpt = Annotated[str | None, typer.Option("--label", help="Only items carrying this label.")]
ActionOpt = Annotated[str | None, typer.Option("--action", help="Only items with this action: allow, label, review, block.")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Only items from this source.")]
ChannelOpt = Annotated[str | None, typer.Option("--channel", help="Only items from this channel.")]
LangOpt = Annotated[str | None, typer.Option("--language", "--lang", help="Only items in this language (ISO 639-1).")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Only items dated on or after (YYYY-MM-DD or ISO time).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Only items dated before (YYYY-MM-DD or ISO time).")]
LimitOpt = Annotated[int, typer.Option("--limit", help="At most this many items.")]
OffsetOpt = Annotated[int, typer.Option("--offset", help="Skip this many items.")]


def parse_when(value: str | None, flag: str) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{flag} {value!r} is not a date", hint="use YYYY-MM-DD or an ISO 8601 time") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def make_filter(label: str | None, action: str | None, source: str | None, channel: str | None, language: str | None,
                since: str | None, until: str | None, limit: int, offset: int) -> ItemFilter:
    if action is not None:
        try:
            action = Action(action).value
        except ValueError as exc:
            raise InvalidInput(f"unknown action {action!r}", hint="use allow, label, review or block") from exc
    return ItemFilter(
        label=parse_label(label).value if label else None,
        action=action, source=source, channel=channel, language=language,
        since=parse_when(since, "--since"), until=parse_when(until, "--until"),
        limit=max(1, min(limit, 10_000)), offset=max(0, offset),
    )


def items_table(rows: list[dict[str, Any]], title: str, snippet: bool = False) -> Table:
    table = Table(title=title, show_lines=False, expand=True)
    for col in ("id", "action", "top label", "lang"):
        table.add_column(col, no_wrap=True)
    table.add_column("source", no_wrap=True, max_width=20, overflow="ellipsis")
    table.add_column("text", ratio=1, no_wrap=True, overflow="ellipsis")
    for r in rows:
        text = r.get("snippet") if snippet and r.get("snippet") else r.get("excerpt")
        shown = r.get("top_label") and (r.get("top_score") or 0) >= 0.05  # a trace score is noise here
        top = f"{r['top_label']} {r.get('top_score') or 0:.2f}" if shown else ""
        table.add_row(
            str(r["id"]), r.get("action") or r.get("status") or "", top, r.get("language") or "",
            one_line(r.get("channel") or r.get("source"), 28), one_line(text, 200),
        )
    return table


def items(
    db: DbOption = None, label: LabelOpt = None, action: ActionOpt = None, source: SourceOpt = None,
    channel: ChannelOpt = None, language: LangOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    limit: LimitOpt = 50, offset: OffsetOpt = 0, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """List stored items with their action and top label."""
    store = open_store(load_settings(db, config))
    rows = store.list_items(make_filter(label, action, source, channel, language, since, until, limit, offset))
    if as_json:
        print_json({"items": rows})
    else:
        console.print(items_table(rows, f"{len(rows)} items"))


def search(
    query: Annotated[str, typer.Argument(help='Words or "quoted phrases"; OR and -word supported.')],
    db: DbOption = None, label: LabelOpt = None, action: ActionOpt = None, source: SourceOpt = None,
    channel: ChannelOpt = None, language: LangOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    limit: LimitOpt = 50, offset: OffsetOpt = 0, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Full-text search over stored items, with filters."""
    store = open_store(load_settings(db, config))
    rows = store.search(query, make_filter(label, action, source, channel, language, since, until, limit, offset))
    if as_json:
        print_json({"query": query, "items": rows})
    else:
        console.print(items_table(rows, f"{len(rows)} matches for {safe(query, 60)}", snippet=True))


def show(
    item_id: Annotated[int, typer.Argument(help="Item id, as listed by `vigil items`.")],
    db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Show one item: original text, scores, evidence, context, quotes and decision."""
    store = open_store(load_settings(db, config))
    item = store.get_item(item_id)
    if item is None:
        raise NotFound("item", item_id, hint="list ids with `vigil items`")
    if as_json:
        print_json(item)
        return
    head = (f"[bold]#{item['id']}[/bold] {safe(item['source'])} / {safe(item['source_id'])}  "
            f"{safe(item.get('channel') or '')}  {safe(item.get('author') or '')}  {item.get('published_at') or ''}")
    console.print(head)
    console.print(Panel(safe(item.get("text"), 4000), title=safe(item.get("title") or item.get("kind")), expand=False))
    console.print(f"action: [bold]{item.get('action') or item.get('status')}[/bold]  language: {item.get('language')}"
                  f"  tier: {item.get('tier')}  policy: {safe(item.get('policy') or '')}")
    for reason in item.get("reasons") or []:
        console.print(f"  reason: {safe(reason)}")
    for ls in item.get("labels") or []:
        console.print(f"  [bold]{ls['label']}[/bold] {ls['score']:.2f} ({safe(ls['classifier'])}, tier {ls['tier']})")
        for ev in ls.get("evidence", [])[:6]:
            console.print(f"      {ev['kind']}: {safe(ev['text'], 120)}")
    for m in item.get("matches") or []:
        console.print(f"  [bold]bank match[/bold] {safe(m['bank'])} ({m['signal_type']}, distance {m['distance']:g})"
                      f"{' [negative]' if m.get('negative') else ''}")
    ctx = item.get("context") or {}
    if ctx:
        console.print(f"  context: reporting {ctx.get('reporting', 0):.2f} ({safe(ctx.get('source_type') or '')})")
        for q in ctx.get("quotes", [])[:10]:
            console.print(f"      quote ({safe(q.get('speaker') or 'unattributed')}): {safe(q['text'], 160)}")
    for q in item.get("quarantine") or []:
        console.print(f"  [red]quarantine[/red] {q['stage']} ({safe(q['plugin'])}): {safe(q['message'], 300)}")
