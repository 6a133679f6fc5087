"""`vigil bank ...`: hash banks from the command line. A thin adapter over `vigil.match` (banks,
import/export, matcher); mounted by the main app as ``app.add_typer(bank_app, name="bank")``."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from vigil.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    console,
    err_console,
    load_settings,
    print_json,
)
from vigil.cli.render import one_line, safe
from vigil.core.errors import InvalidInput
from vigil.match.bank_io import FORMATS, export_bank, import_file
from vigil.match.banks import Bank, BankStore, NewEntry
from vigil.match.types import load_signal_types
from vigil.match.values import bank_signal_for_value, signals_for_value
from vigil.moderation.banking import lookup_report, report_json

bank_app = typer.Typer(help="Hash banks of known content: create, fill, import, export and look up.", no_args_is_help=True)

TypeOption = Annotated[str, typer.Option("--type", "-t", help="Signal type: text_exact, text_near, url, pdq, md5, sha256.")]
LabelOption = Annotated[list[str] | None, typer.Option("--label", "-l", help="Taxonomy label (repeatable).")]


def bank_store(db: str | None, config: str | None) -> BankStore:
    from vigil.store.banks import SqlBankStore
    from vigil.store.sql import SqlStore

    # a fresh SqlStore, not common.open_store: its cache keys on Settings, which is unhashable
    return SqlBankStore(SqlStore(load_settings(db, config)), load_signal_types())


def _bank_json(bank: Bank, counts: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "name": bank.name,
        "labels": list(bank.labels),
        "group": bank.group,
        "source": bank.source,
        "description": bank.description,
        "negative": bank.negative,
        "enabled": bank.enabled,
        "thresholds": dict(bank.thresholds),
        "entries": counts or {},
        "created_at": bank.created_at.isoformat() if bank.created_at else None,
    }


def _thresholds(values: list[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InvalidInput(f"bad threshold {item!r}", hint="write TYPE=DISTANCE, e.g. --threshold pdq=24") from None
        if not sep:
            raise InvalidInput(f"bad threshold {item!r}", hint="write TYPE=DISTANCE, e.g. --threshold pdq=24")
    return out


@bank_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Bank name (lower-case letters, digits, _ - .).")],
    label: LabelOption = None,
    group: Annotated[str | None, typer.Option("--group", help="Group the content is attributed to, e.g. ISIS.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where the content comes from: internal, gifct, tat ...")] = None,
    description: Annotated[str, typer.Option("--description", "-d")] = "",
    negative: Annotated[bool, typer.Option("--negative", help="Known benign content that must never match.")] = False,
    threshold: Annotated[list[str] | None, typer.Option("--threshold", help="TYPE=DISTANCE, e.g. pdq=24 (repeatable).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Create a bank."""
    store = bank_store(db, config)
    bank = store.create_bank(
        name, labels=label or (), group=group, source=source, description=description, negative=negative,
        thresholds=_thresholds(threshold),
    )
    if as_json:
        print_json(_bank_json(bank))
    else:
        console.print(f"created {'negative ' if bank.negative else ''}bank {safe(bank.name)}")


@bank_app.command("list")
def list_banks(db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """List banks with their labels, state and enabled entries per signal type."""
    store = bank_store(db, config)
    counts = store.count_entries()
    banks = store.list_banks()
    if as_json:
        print_json({"banks": [_bank_json(b, counts.get(b.id)) for b in banks]})
        return
    table = Table(title=f"{len(banks)} banks")
    for col in ("name", "kind", "state", "labels", "group", "source", "entries", "thresholds"):
        table.add_column(col)
    for b in banks:
        entries = ", ".join(f"{k}:{v}" for k, v in sorted(counts.get(b.id, {}).items())) or "0"
        table.add_row(safe(b.name), "negative" if b.negative else "positive", "enabled" if b.enabled else "disabled",
                      ", ".join(b.labels), one_line(b.group, 20), one_line(b.source, 20), entries,
                      ", ".join(f"{k}={v:g}" for k, v in b.thresholds.items()))
    console.print(table)


@bank_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Bank name.")],
    value: Annotated[str, typer.Argument(help="Text or URL (text types); file path or hash (pdq, md5, sha256); '-' reads standard input.")],
    signal_type: TypeOption,
    label: LabelOption = None,
    note: Annotated[str | None, typer.Option("--note", help="Why this entry is in the bank.")] = None,
    added_by: Annotated[str, typer.Option("--added-by", help="Who adds it (provenance).")] = "cli",
    is_signal: Annotated[bool, typer.Option("--signal", help="VALUE is already a signal of this type.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Add one piece of content (hashed here) or one signal to a bank."""
    store = bank_store(db, config)
    st = store.signal_type(signal_type)
    text = sys.stdin.read() if value == "-" else value
    signal, variants = bank_signal_for_value(st, text, is_signal=is_signal)
    result = store.add_entries(
        name, [NewEntry(st.name, signal, tuple(label or ()), note, added_by, "manual:cli", variants=variants)]
    )
    data = {"bank": name, "signal_type": st.name, "signal": signal, "added": list(result.added),
            "duplicates": list(result.duplicates)}
    if as_json:
        print_json(data)
    elif result.added:
        console.print(f"added entry {result.added[0]} to {safe(name)} ({st.name} {one_line(signal, 24)})")
    else:
        console.print(f"already in {safe(name)} as entry {result.duplicates[0]}")


@bank_app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(help="Bank name.")],
    entry_ids: Annotated[list[int] | None, typer.Argument(help="Entry ids to delete.")] = None,
    signal_type: Annotated[str | None, typer.Option("--type", "-t", help="Remove by value: the signal type.")] = None,
    value: Annotated[str | None, typer.Option("--value", help="Remove by value: the text, URL, file or hash.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Delete entries from a bank, by id or by value (use `disable` to keep them)."""
    store = bank_store(db, config)
    ids = _select_entries(store, name, entry_ids, signal_type, value)
    n = store.remove_entries(ids)
    if as_json:
        print_json({"bank": name, "removed": n, "entry_ids": ids})
    else:
        console.print(f"removed {n} entries from {safe(name)}")


def _select_entries(store: BankStore, name: str, ids: list[int] | None, st_name: str | None, value: str | None) -> list[int]:
    bank = store.get_bank(name)
    if ids:
        found = store.get_entries(ids)
        missing = [i for i in ids if i not in found or found[i].bank_id != bank.id]
        if missing:
            raise InvalidInput(f"no entries {missing} in bank {name!r}", hint=f"see `vigil bank entries {name}`")
        return list(ids)
    if st_name and value is not None:
        st = store.signal_type(st_name)
        signal = signals_for_value(st, value)[0]
        entries = store.find_entries(st.name, signal, name)
        if not entries:
            raise InvalidInput(f"bank {name!r} has no {st.name} entry for {value!r}")
        return [e.id for e in entries]
    raise InvalidInput("say which entries", hint="give entry ids, or --type TYPE --value VALUE")


def _set_enabled(name: str, entry_ids: list[int] | None, enabled: bool, db: str | None, as_json: bool, config: str | None) -> None:
    store = bank_store(db, config)
    word = "enabled" if enabled else "disabled"
    if entry_ids:
        n = store.set_entries_enabled(_select_entries(store, name, entry_ids, None, None), enabled)
        data: dict[str, Any] = {"bank": name, word: n, "entry_ids": entry_ids}
        msg = f"{word} {n} entries of {name}"
    else:
        store.update_bank(name, enabled=enabled)
        data, msg = {"bank": name, "enabled": enabled}, f"{word} bank {name}"
    if as_json:
        print_json(data)
    else:
        console.print(safe(msg))


@bank_app.command("enable")
def enable(
    name: Annotated[str, typer.Argument(help="Bank name.")],
    entry_ids: Annotated[list[int] | None, typer.Argument(help="Entry ids (default: the whole bank).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Enable a bank, or some of its entries."""
    _set_enabled(name, entry_ids, True, db, as_json, config)


@bank_app.command("disable")
def disable(
    name: Annotated[str, typer.Argument(help="Bank name.")],
    entry_ids: Annotated[list[int] | None, typer.Argument(help="Entry ids (default: the whole bank).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Disable a bank, or some of its entries, without deleting them."""
    _set_enabled(name, entry_ids, False, db, as_json, config)


@bank_app.command("entries")
def entries(
    name: Annotated[str, typer.Argument(help="Bank name.")],
    limit: Annotated[int, typer.Option("--limit")] = 50,
    offset: Annotated[int, typer.Option("--offset")] = 0,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """List a bank's entries with their provenance."""
    rows = bank_store(db, config).list_entries(name, limit=limit, offset=offset)
    if as_json:
        print_json({"entries": [{"signal_type": e.signal_type, "signal": e.signal, "enabled": e.enabled,
                                 **e.provenance()} for e in rows]})
        return
    table = Table(title=f"{len(rows)} entries of {safe(name)}")
    for col in ("id", "type", "signal", "state", "added by", "origin", "added at", "note"):
        table.add_column(col)
    for e in rows:
        table.add_row(str(e.id), e.signal_type, one_line(e.signal, 24), "on" if e.enabled else "off",
                      one_line(e.added_by, 16), one_line(e.origin, 30), e.added_at.strftime("%Y-%m-%d %H:%M"),
                      one_line(e.note, 30))
    console.print(table)


@bank_app.command("import")
def import_cmd(
    name: Annotated[str, typer.Argument(help="Bank name.")],
    path: Annotated[str, typer.Argument(help="File to import.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="auto, " + ", ".join(FORMATS))] = "auto",
    added_by: Annotated[str, typer.Option("--added-by", help="Provenance for rows that do not name one.")] = "import",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate every row, write nothing.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Import signals (pytx/HMA signal CSV, Vigil CSV/JSON, pytx lines, TAT hash list or URL alerts).
    Valid rows are imported; bad rows are listed with line and reason and the exit code is 2."""
    report = import_file(bank_store(db, config), name, path, fmt=fmt, added_by=added_by, dry_run=dry_run)
    if as_json:
        print_json({"bank": name, "dry_run": dry_run, **report.as_dict()})
    else:
        verb = "would add" if dry_run else "added"
        console.print(f"{verb} {report.added}, {report.duplicates} already present, {len(report.skipped)} skipped, "
                      f"{len(report.rejected)} rejected")
        for line, reason in report.skipped[:20]:
            err_console.print(f"  skipped {safe(path)}:{line}: {safe(reason)}")
        for line, reason in report.rejected[:200]:
            err_console.print(f"  [red]rejected[/red] {safe(path)}:{line}: {safe(reason)}")
        if len(report.rejected) > 200:
            err_console.print(f"  ... and {len(report.rejected) - 200} more (use --json for all)")
    if report.rejected:
        raise InvalidInput(
            f"{len(report.rejected)} rows of {path!r} were rejected (the {report.added} valid ones were "
            f"{'checked' if dry_run else 'imported'})",
            hint="fix the rows listed above and import the file again (already imported rows are skipped)",
        )


@bank_app.command("export")
def export_cmd(
    name: Annotated[str, typer.Argument(help="Bank name.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv (pytx-compatible columns first), lines or json.")] = "csv",
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write (default: standard output).")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Export a bank's entries with labels and provenance."""
    store = bank_store(db, config)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            n = export_bank(store, name, fh, fmt)
        err_console.print(f"exported {n} entries to {safe(output)}")
    else:
        export_bank(store, name, sys.stdout, fmt)


@bank_app.command("lookup")
def lookup(
    value: Annotated[str, typer.Argument(help="Text or URL (text types); file path or hash (pdq, md5, sha256); '-' reads standard input.")],
    signal_type: TypeOption,
    is_signal: Annotated[bool, typer.Option("--signal", help="VALUE is already a signal of this type.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Look content up in every enabled bank. A negative-bank match suppresses positive ones."""
    store = bank_store(db, config)
    st = store.signal_type(signal_type)
    text = sys.stdin.read() if value == "-" else value
    signal, report = lookup_report(store, st, text, is_signal=is_signal)
    if as_json:
        print_json(report_json(st.name, signal, report))
        return
    if not report.matches:
        console.print("no match")
    for m in report.matches:
        kind = "negative (benign) " if m.negative else ""
        console.print(f"{kind}match in {safe(m.bank)}: {m.signal_type} distance {m.distance:g}, entry {m.entry_id}, "
                      f"labels {', '.join(m.labels) or '-'}, added by {safe(str(m.provenance.get('added_by')))}")
    for m in report.suppressed:
        console.print(f"suppressed by a negative bank: {safe(m.bank)} entry {m.entry_id}")
