"""Feeding moderator decisions back into banks: when a moderator confirms an item as harmful, its
signals go into a bank with provenance, so the next re-post is caught by the matcher at once (within
one refresh interval) instead of waiting for the classifier.

Which signals are added: the text's ``text_exact`` and ``text_near`` (when the text is long enough),
and each local media file's ``pdq`` (when its quality is high enough), ``sha256`` and ``md5``. URLs are
*not* added by default: a confirmed post often links to a news site or a platform's front page, and
banking those would block every later post that links there. Pass ``signal_types`` to choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vigil.core.errors import InvalidSignal, VigilError
from vigil.core.records import Item, RawItem
from vigil.match.banks import AddResult, BankStore, NewEntry
from vigil.match.base import MAX_HASH_FILE_BYTES, read_bounded
from vigil.match.matcher import MEDIA_TYPES, TEXT_TYPES, Matcher
from vigil.match.text_near import MIN_TOKENS
from vigil.match.text_prep import matching_tokens

DEFAULT_TYPES = (*TEXT_TYPES, *MEDIA_TYPES)


def _variants(store: BankStore, st_name: str, unit: str, paths: dict[str, str]) -> tuple[str, ...]:
    path = paths.get(unit)
    if path is None:
        return ()
    try:
        return store.signal_type(st_name).bank_variants(read_bounded(path, MAX_HASH_FILE_BYTES))
    except VigilError:
        return ()  # the main signal was computed; variants are a bonus


def item_origin(item: Item | RawItem) -> str:
    raw = item.raw if isinstance(item, Item) else item
    ident = f"item:{raw.source}:{raw.source_id}"
    return f"{ident}#{raw.id}" if raw.id is not None else ident


def add_confirmed_item(
    store: BankStore,
    bank: str,
    item: Item | RawItem,
    *,
    added_by: str,
    decision_id: str | int | None = None,
    note: str | None = None,
    labels: Sequence[str] = (),
    signal_types: Sequence[str] = DEFAULT_TYPES,
    matcher: Matcher | None = None,
    min_text_tokens: int = MIN_TOKENS,
) -> AddResult:
    """Add the signals of a confirmed item to ``bank``; returns the added and already-present entry ids.

    Provenance: ``added_by`` (the moderator), ``origin`` ``item:SOURCE:SOURCE_ID#RAW_ID``, the decision
    id in the entry's metadata, and ``note``. Signals too weak to match on are skipped (a two-word text,
    a blank image). Pass the running ``matcher`` to make the new entries match immediately rather than
    at its next refresh. Texts shorter than ``min_text_tokens`` words are not banked automatically
    (banking "thank you" from a confirmed post would block every later "thank you"); a person can
    still bank a short slogan with `vigil bank add`.

    Raises:
        NotFound: no such bank.
    """
    probe = matcher or Matcher(store)
    units, _notes = probe.units(item, every_type=True)
    meta: dict[str, Any] = {"decision": str(decision_id)} if decision_id is not None else {}
    origin = item_origin(item)
    raw = item.raw if isinstance(item, Item) else item
    paths = {f"media:{ref.path or i}": ref.path for i, ref in enumerate(raw.media) if ref.path}
    entries: list[NewEntry] = []
    short_text = len(matching_tokens(item.text)) < min_text_tokens
    for unit in units:
        for st_name, signals in unit.signals.items():
            if st_name not in signal_types or not signals or (short_text and st_name in TEXT_TYPES):
                continue
            # the first signal is the content as posted (the others are query-time rotations)
            entries.append(
                NewEntry(
                    st_name, signals[0], tuple(labels), note, added_by, origin, meta={**meta, "unit": unit.name},
                    variants=_variants(store, st_name, unit.name, paths),
                )
            )
    if not entries:
        raise InvalidSignal("item", origin, "no signal strong enough to bank (text too short, no usable media)")
    result = store.add_entries(bank, entries)
    if matcher is not None:
        matcher.refresh()
    return result
