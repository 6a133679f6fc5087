"""Service reads added for the dashboard: overview aggregates, review intake of scanned items,
saved searches as watch rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest

from tests.helpers.moderation import CALL, UNSURE, phrase_assessor
from vigil.core.errors import InvalidInput
from vigil.core.records import ContentKind, RawItem
from vigil.core.settings import Settings
from vigil.intel.overview import buckets, granularity, overview
from vigil.intel.saved import rule_for
from vigil.moderation.audit import verify
from vigil.moderation.intake import queue_stored
from vigil.pipeline import Pipeline
from vigil.store.sql import SqlStore


def _scan(settings: Settings, texts: list[tuple[int, str]]) -> SqlStore:
    store = SqlStore(settings)
    raws = [RawItem("t", f"s{i}", ContentKind.MESSAGE, text, text.encode(), "test.v1", datetime(2024, 3, 23, tzinfo=UTC),
                    published_at=datetime(2024, 3, day, 12, tzinfo=UTC), channel="chan", author_id="u1")
            for i, (day, text) in enumerate(texts)]
    pipe = Pipeline(settings, store, assessor=phrase_assessor(settings), hooks=[])
    stored, _ = store.insert_raw(raws)
    done, _ = pipe.assessor.assess(stored)
    store.save_assessments(done, 0.5)
    return store


@pytest.fixture
def scanned(store_settings: Settings) -> Iterator[Callable[[list[tuple[int, str]]], SqlStore]]:
    opened: list[SqlStore] = []

    def make(texts: list[tuple[int, str]]) -> SqlStore:
        opened.append(_scan(store_settings, texts))
        return opened[-1]

    yield make
    for s in opened:
        s.close()


def test_intake_queues_scanned_items_once_and_audits_them(scanned: Callable[[list[tuple[int, str]]], SqlStore]) -> None:
    store = scanned([(23, CALL), (24, UNSURE), (25, "hello there")])
    first = queue_stored(store, ("review", "block"))
    assert first["queued"] == 2 and set(first["by_action"]) == {"review", "block"}
    assert queue_stored(store, ("review", "block"))["queued"] == 0
    assert verify(store).ok


def test_overview_counts_by_day_label_action_and_channel(scanned: Callable[[list[tuple[int, str]]], SqlStore]) -> None:
    store = scanned([(23, CALL), (23, UNSURE), (25, "hello there")])
    data = overview(store)
    assert data["by_action"]["buckets"] == ["2024-03-23", "2024-03-24", "2024-03-25"]
    assert data["by_action"]["series"]["block"] == [1, 0, 0] and data["by_action"]["series"]["allow"] == [0, 0, 1]
    assert data["by_label"]["series"]["incitement"][0] == 2
    assert data["top_channels"] == [{"channel": "chan", "items": 3, "harmful": 2}]


def test_overview_rolls_long_spans_into_weeks_and_months() -> None:
    assert granularity(date(2024, 1, 1), date(2024, 1, 30)) == "day"
    assert granularity(date(2024, 1, 1), date(2024, 5, 1)) == "week"
    assert granularity(date(2020, 1, 1), date(2024, 1, 1)) == "month"
    weeks = buckets(date(2024, 3, 20), date(2024, 4, 2), "week")
    assert weeks == ["2024-03-18", "2024-03-25", "2024-04-01"]


def test_saved_search_maps_to_the_watch_rule_it_can_express() -> None:
    assert rule_for({"query": '"lone wolves"', "filters": {}}, "r").value == "lone wolves"
    assert rule_for({"query": "", "filters": {"channel": "X"}}, "r").kind == "channel"
    assert rule_for({"query": "", "filters": {"label": "incitement"}}, "r").label == "incitement"
    with pytest.raises(InvalidInput, match="single word"):
        rule_for({"query": "a OR b", "filters": {}}, "r")
    with pytest.raises(InvalidInput):
        rule_for({"query": "", "filters": {"action": "block"}}, "r")
