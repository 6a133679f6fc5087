"""The intel tables on SQLite and PostgreSQL: entity and event rows written with the assessment and
replaced on re-assessment, stories and members written by the story hook in the same transaction,
rolled back with it, and the listing queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.helpers.intel import FixedVectors, article, assessed, attack, call, mention, message
from vigil.store import intel_queries
from vigil.store.base import SaveHook
from vigil.store.schema_intel import entity_mentions, events, stories, story_items
from vigil.store.sql import SqlStore


def _count(store: SqlStore, table) -> int:
    with store.begin() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_store_intel_facts_written_and_replaced(store: SqlStore) -> None:
    [r], _ = store.insert_raw([article("a1", "Al-Ansari called for attacks after the Moscow attack.", "2024-03-29")])
    a = assessed(r, entities=[mention("person", "Abu Hudhayfah al-Ansari", "Al-Ansari", 0, "abu_hudhayfah_al_ansari"),
                              mention("place", "Moscow", start=40), mention("date", "2024-03-22")],
                 events=[attack("Moscow", "2024-03-22", 143, claimed_by="Islamic State (ISIS)"),
                         call("abu_hudhayfah_al_ansari", "Abu Hudhayfah al-Ansari", "2024-03-28")])
    store.save_assessments([a], 0.5)
    assert _count(store, entity_mentions) == 3 and _count(store, events) == 2
    ents = {e["entity_key"]: e for e in intel_queries.list_entities(store)}
    assert set(ents) == {"abu_hudhayfah_al_ansari", "place:moscow"}  # dates are not entities to follow
    assert ents["abu_hudhayfah_al_ansari"]["aliases"] == ["Al-Ansari"]
    evs = intel_queries.list_events(store)
    assert [(e["kind"], e["date"], e["place"], e["deaths"]) for e in evs] == [
        ("attack", "2024-03-22", "Moscow", 143), ("call_to_attack", "2024-03-28", None, None)]
    assert evs[0]["actors"] == ["Islamic State (ISIS)"] and evs[1]["actors"] == ["Abu Hudhayfah al-Ansari"]
    assert evs[0]["source_id"] == "a1"
    store.save_assessments([assessed(r, entities=[mention("place", "Moscow")])], 0.5)  # re-assessment replaces
    assert _count(store, entity_mentions) == 1 and _count(store, events) == 0


def _v(*hot: int) -> np.ndarray:
    v = np.zeros(16, dtype=np.float32)
    v[list(hot)] = 1
    return v / np.linalg.norm(v)


def test_store_intel_stories_incremental_across_batches(store: SqlStore) -> None:
    hook = FixedVectors(store.settings, {"alpha": _v(0, 1), "beta": _v(8, 9), "alpha2": _v(0, 1, 2)})
    t0 = datetime(2024, 3, 22, tzinfo=UTC)
    raws, _ = store.insert_raw([
        message("1", "alpha one", "Chan A", t0.isoformat()),
        message("2", "beta two", "Chan B", t0.isoformat()),
        message("3", "alpha2 three", "Chan A", (t0 + timedelta(days=2)).isoformat()),
        message("4", "alpha2 much later", "Chan A", (t0 + timedelta(days=90)).isoformat()),
    ])
    flagged = {"incitement": 0.9}
    store.save_assessments([assessed(r, flagged) for r in raws[:2]], 0.5, [hook])
    store.save_assessments([assessed(r, flagged) for r in raws[2:]], 0.5, [hook])
    listed = intel_queries.list_stories(store)
    assert sorted(sorted(s["items"]) for s in listed) == [["1", "3"], ["2"], ["4"]]
    joined = next(s for s in listed if "3" in s["items"])
    assert joined["first_seen"][:10] == "2024-03-22" and joined["last_seen"][:10] == "2024-03-24"
    # re-saving an item already in a story does not add it twice
    store.save_assessments([assessed(raws[0], flagged)], 0.5, [hook])
    assert _count(store, story_items) == 4


def test_store_intel_unflagged_message_joins_no_story(store: SqlStore) -> None:
    hook = FixedVectors(store.settings, {"hello": _v(3)})
    [r], _ = store.insert_raw([message("1", "hello there", "Chan", "2024-03-22T10:00:00")])
    store.save_assessments([assessed(r, {"incitement": 0.1})], 0.5, [hook])
    assert _count(store, stories) == 0


class _Boom(SaveHook):
    def apply(self, conn, batch, prepared) -> None:  # noqa: ANN001
        raise RuntimeError("hook failed")


def test_store_intel_hook_failure_rolls_back_the_batch(store: SqlStore) -> None:
    hook = FixedVectors(store.settings, {"alpha": _v(0)})
    [r], _ = store.insert_raw([message("1", "alpha", "Chan", "2024-03-22T10:00:00")])
    with pytest.raises(RuntimeError):
        store.save_assessments([assessed(r, {"incitement": 0.9}, [mention("place", "Moscow")])], 0.5, [hook, _Boom()])
    assert _count(store, stories) == 0 and _count(store, entity_mentions) == 0
    assert [p.source_id for p in store.pending_raw(10)] == ["1"]  # still pending: nothing was saved


def test_store_intel_periodic_merge_folds_stories(store: SqlStore) -> None:
    hook = FixedVectors(store.settings, {"alpha": _v(0, 1), "bridge": _v(0, 1, 8, 9), "beta": _v(8, 9)})
    hook.clusterer.config = type(hook.clusterer.config)(threshold=0.75, merge_threshold=0.6)
    raws, _ = store.insert_raw([message(str(i), f"{w} text", "C", "2024-03-22T10:00:00")
                                for i, w in enumerate(["alpha", "beta", "bridge", "alpha", "beta"])])
    for r in raws:
        store.save_assessments([assessed(r, {"incitement": 0.9})], 0.5, [hook])
    # "bridge" starts its own story (0.71 < 0.75 to alpha), then the periodic merge folds alpha's
    # story into it (0.71 >= 0.6); beta stays apart
    live = intel_queries.list_stories(store)
    assert sorted(sorted(s["items"]) for s in live) == [["0", "2", "3"], ["1", "4"]]
    with store.begin() as conn:
        merged = conn.execute(select(func.count()).select_from(stories).where(stories.c.merged_into.is_not(None))).scalar_one()
    assert merged >= 1
