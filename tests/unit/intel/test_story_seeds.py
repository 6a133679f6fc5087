"""The reference: the five seed reports form two stories, the 2024 Moscow attack and al-Ansari's call
(000, 001, 004) and the 2019 Christchurch/Baghouz calls (002, 003), scanned as articles — undated
as they are, and with their publication dates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigil.core.settings import Settings
from vigil.pipeline import Pipeline
from vigil.plugins import default_registry
from vigil.store import intel_queries
from vigil.store.sql import SqlStore

EXPECTED = [{"000", "001", "004"}, {"002", "003"}]
# When each report was published (004 carries its own dateline, 25 March 2024).
DATES = {"000": "2024-03-29", "001": "2024-03-29", "002": "2019-03-19", "003": "2019-03-07", "004": None}


def _scan(settings: Settings, paths: list[Path], published: dict[str, str | None] | None = None) -> SqlStore:
    store = SqlStore(settings)
    pipeline = Pipeline(settings, store)
    connector = default_registry().get("connectors", "article")(settings, {})
    for path in paths:
        day = (published or {}).get(path.name[:3])
        pipeline.default_published = datetime.fromisoformat(day).replace(tzinfo=UTC) if day else None
        pipeline.scan(connector, str(path))
    return store


def _stories(store: SqlStore) -> list[set[str]]:
    return sorted(({sid[:3] for sid in st["items"]} for st in intel_queries.list_stories(store)), key=min)


@pytest.mark.slow
def test_story_seeds_undated_form_two_stories(seeds_dir: Path, settings: Settings) -> None:
    store = _scan(settings, sorted(seeds_dir.glob("*.txt")))  # as `vigil scan seeds/` does: file by file
    stories = intel_queries.list_stories(store)
    assert _stories(store) == EXPECTED
    assert all(name.endswith(".txt") for st in stories for name in st["items"])
    moscow = next(st for st in stories if any(s.startswith("000") for s in st["items"]))
    keys = {e["key"] for e in moscow["key_entities"]}
    assert "islamic_state" in keys
    # the dateline of 004 dates the 2024 story; the 2019 reports carry no date
    assert moscow["dated"] and moscow["first_seen"].startswith("2024-03-25")


@pytest.mark.slow
def test_story_seeds_dated_form_two_stories_with_timeline(seeds_dir: Path, settings: Settings) -> None:
    store = _scan(settings, sorted(seeds_dir.glob("*.txt")), DATES)
    assert _stories(store) == EXPECTED
    stories = {min(s[:3] for s in st["items"]): st for st in intel_queries.list_stories(store)}
    assert stories["000"]["first_seen"][:10] == "2024-03-25" and stories["000"]["last_seen"][:10] == "2024-03-29"
    assert stories["002"]["first_seen"][:10] == "2019-03-07" and stories["002"]["last_seen"][:10] == "2019-03-19"
    full = intel_queries.get_story(store, stories["000"]["id"])
    assert full is not None
    moscow = [t for t in full["timeline"] if t["what"] == "event" and "Moscow" in t["label"] and t["date"]]
    assert moscow and moscow[0]["date"] == "2024-03-22"
    dates = [t["date"] for t in full["timeline"] if t["date"]]
    assert dates == sorted(dates)
    calls = [e for e in full["events_detail"] if e["kind"] == "call_to_attack" and e["date"] == "2024-03-28"]
    assert calls and "Abu Hudhayfah al-Ansari" in calls[0]["actors"]
