"""`vigil translate TEXT|ID`: the text in the analyst's language where a translator is installed, and
always what its key terms and names mean."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    console,
    load_settings,
    open_store,
    print_json,
)
from vigil.cli.render import safe
from vigil.core.errors import InvalidInput, NotFound
from vigil.store.codec import plain


def translate(
    text: Annotated[str, typer.Argument(help="The text, or the id of a stored item (as listed by `vigil items`).")],
    to: Annotated[str, typer.Option("--to", help="Target language (ISO 639-1).")] = "en",
    source: Annotated[str | None, typer.Option("--from", help="Source language (default: the item's, or guessed from the script).")] = None,
    backend: Annotated[str, typer.Option("--backend", help="auto, glossary, argos, or another installed translator.")] = "auto",
    db: DbOption = None, as_json: JsonOption = False, config: ConfigOption = None,
) -> None:
    """Translate a text or a stored item, with glosses of the movement's terms and names."""
    from vigil.translate.glossary import glossed_text
    from vigil.translate.service import translate_text

    settings = load_settings(db, config)
    if text.isdigit():
        item = open_store(settings).get_item(int(text))
        if item is None:
            raise NotFound("item", int(text), hint="list ids with `vigil items`, or quote a text that is not a number")
        source = source or item.get("language")
        text = item.get("normalized") or item["text"]
    if not text.strip():
        raise InvalidInput("nothing to translate: the text is empty")
    result = translate_text(settings, text, source, to, backend)
    if as_json:
        print_json({**plain(result), "glossed": glossed_text(result.source, result.glosses)})
        return
    console.print(f"[bold]{safe(result.source_language or 'unknown')} -> {safe(result.target_language)}[/bold] ({safe(result.translator)})")
    if result.text is not None:
        console.print(safe(result.text))
    else:
        console.print(safe(glossed_text(result.source, result.glosses)))
    for g in result.glosses:
        note = f" — {safe(g.note)}" if g.note else ""
        console.print(f"  [bold]{safe(g.term)}[/bold]: {safe(g.gloss)}{note}")
    for n in result.notes:
        console.print(f"  note: {safe(n)}")
