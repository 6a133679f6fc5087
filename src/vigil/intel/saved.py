"""Saved searches: a query and its filters under a name, per user; one can become a watch rule so
that new items matching it raise alerts as they arrive.

A search becomes a ``term`` rule (the query's words or phrase, the form watch rules match) when it
has a query, else a ``label``, ``channel`` or ``entity`` rule from its filters. Watch rules cannot
express every filter combination; what the rule keeps is stated in its description, and the saved
search remembers the rule's name.

Where it sits: the dashboard's search page; rules land in ``watch_rules`` through `intel.watch`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from vigil.core.errors import InvalidInput, NotFound
from vigil.intel.watch import WatchRule, make_rule
from vigil.store.alerts_sql import add_rule
from vigil.store.codec import inserted_id
from vigil.store.schema_web import saved_searches
from vigil.store.sql import SqlStore, parse_query

FILTERS = ("label", "action", "language", "source", "channel", "entity", "since", "until")
MAX_NAME, MAX_QUERY, MAX_FILTER = 128, 500, 300


def clean_filters(filters: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for key in FILTERS:
        value = filters.get(key)
        if value is None or str(value).strip() == "":
            continue
        value = str(value).strip()
        if len(value) > MAX_FILTER:
            raise InvalidInput(f"filter {key} is {len(value)} characters, over {MAX_FILTER}")
        out[key] = value
    return out


def save_search(store: SqlStore, user_id: int, name: str, query: str, filters: Mapping[str, Any]) -> int:
    name, query = (name or "").strip(), (query or "").strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"a saved search needs a name of 1 to {MAX_NAME} characters")
    if len(query) > MAX_QUERY:
        raise InvalidInput(f"the query is {len(query)} characters, over {MAX_QUERY}")
    clean = clean_filters(filters)
    if not query and not clean:
        raise InvalidInput("nothing to save: give a query or at least one filter")
    try:
        with store.begin() as conn:
            return inserted_id(conn.execute(saved_searches.insert().values(
                user_id=user_id, name=name, query=query, filters=clean, created_at=datetime.now(UTC))))
    except IntegrityError as exc:
        raise InvalidInput(f"you already have a saved search named {name!r}", hint="pick another name") from exc


def list_searches(store: SqlStore, user_id: int) -> list[dict[str, Any]]:
    with store.begin() as conn:
        rows = conn.execute(select(saved_searches).where(saved_searches.c.user_id == user_id)
                            .order_by(saved_searches.c.name)).mappings().all()
    return [{**dict(r), "created_at": r["created_at"].isoformat()} for r in rows]


def get_search(store: SqlStore, user_id: int, search_id: int) -> dict[str, Any]:
    with store.begin() as conn:
        row = conn.execute(select(saved_searches).where(saved_searches.c.id == search_id,
                                                        saved_searches.c.user_id == user_id)).mappings().first()
    if row is None:
        raise NotFound("saved search", search_id)
    return dict(row)


def delete_search(store: SqlStore, user_id: int, search_id: int) -> None:
    with store.begin() as conn:
        if not conn.execute(delete(saved_searches).where(saved_searches.c.id == search_id,
                                                         saved_searches.c.user_id == user_id)).rowcount:
            raise NotFound("saved search", search_id)


def rule_for(search: Mapping[str, Any], rule_name: str) -> WatchRule:
    """The watch rule a saved search becomes (see the module docstring for the mapping)."""
    filters = search.get("filters") or {}
    clauses = parse_query(search.get("query") or "")
    if clauses:
        if len(clauses) > 1 or clauses[0][2]:
            raise InvalidInput("only a single word or \"phrase\" can become a watch rule",
                               hint="save a search for one word or phrase, or add a rule with `vigil watch add`")
        return make_rule(rule_name, "term", value=" ".join(clauses[0][1]))
    if filters.get("entity"):
        return make_rule(rule_name, "entity", value=filters["entity"])
    if filters.get("channel"):
        return make_rule(rule_name, "channel", value=filters["channel"])
    if filters.get("label"):
        return make_rule(rule_name, "label", label=filters["label"])
    raise InvalidInput("this search has no query, entity, channel or label to watch for")


def make_watch_rule(store: SqlStore, user_id: int, search_id: int, rule_name: str | None = None) -> WatchRule:
    search = get_search(store, user_id, search_id)
    if search.get("watch_rule"):
        raise InvalidInput(f"saved search {search['name']!r} is already watch rule {search['watch_rule']!r}")
    rule = add_rule(store, rule_for(search, (rule_name or search["name"]).strip()[:MAX_NAME]))
    with store.begin() as conn:
        conn.execute(update(saved_searches).where(saved_searches.c.id == search_id).values(watch_rule=rule.name))
    return rule
