"""Crisis mode: incidents start, relate content by terms, entities and banks, tighten thresholds,
expire and end; every change is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.helpers.connectors import raw
from tests.helpers.moderation import Clock, send, service

from vigil.core.errors import InvalidInput, NotFound
from vigil.core.records import Assessment, EntityMention, Item, Match
from vigil.moderation.audit import records
from vigil.moderation.crisis import active_crises, end_crisis, list_crises, start_crisis
from vigil.policy.rules import load_policy
from vigil.store.sql import SqlStore

ON_TOPIC = "those people will get what is coming to them at the concert hall"


def assessment(text: str, entities=(), matches=()) -> Assessment:
    item = Item(raw=raw("1", text), text=text, normalized=text, folded=text.lower())
    return Assessment(item=item, entities=tuple(entities), matches=tuple(matches))


def test_crisis_relates_by_term_entity_and_bank(store: SqlStore) -> None:
    c = start_crisis(store, "moscow-2024", ["Crocus", "concert hall"], ["ISIS-K"], ["crocus-videos"])
    assert c.relates(assessment("Attack at the CROCUS venue")) == "term 'crocus'"
    assert c.relates(assessment("crocuses bloom")) is None  # whole words only
    ent = EntityMention("organisation", "ISIS-K", "ISKP", 0, 4, "gazetteer.v1")
    assert c.relates(assessment("ISKP statement", entities=[ent])) == "entity 'ISIS-K'"
    m = Match("crocus-videos", "pdq", "ab" * 32, 3.0)
    assert c.relates(assessment("a video", matches=[m])) == "bank 'crocus-videos'"


def test_crisis_tightens_thresholds_in_policy() -> None:
    policy = load_policy("default")
    from tests.unit.policy.test_rules import assessment as scored

    a = scored({"incitement": 0.65})
    assert policy.decide(a).action.value == "review"
    d = policy.decide(a, crisis="moscow-2024")
    assert d.action.value == "block"  # 0.65 >= 0.8 * 0.75
    assert "incitement 0.65 >= block threshold 0.60 (crisis 'moscow-2024')" in d.reasons


def test_crisis_active_window_and_end(store: SqlStore) -> None:
    clock = Clock()
    start_crisis(store, "short", ["concert hall"], [], [], until=clock.now + timedelta(hours=1), now=clock.now)
    assert [c.name for c in active_crises(store, clock.now)] == ["short"]
    assert active_crises(store, clock.now + timedelta(hours=2)) == []
    with pytest.raises(InvalidInput):
        start_crisis(store, "short", ["x"], [], [], now=clock.now)
    end_crisis(store, "short", now=clock.now)
    assert active_crises(store, clock.now) == []
    with pytest.raises(NotFound):
        end_crisis(store, "short")
    kinds = [r["kind"] for r in records(store)]
    assert kinds[:2] == ["crisis_ended", "crisis_started"]


def test_crisis_validation(store: SqlStore) -> None:
    with pytest.raises(InvalidInput, match="names no terms"):
        start_crisis(store, "empty", [], [], [])
    with pytest.raises(InvalidInput, match="not in the future"):
        start_crisis(store, "past", ["x"], [], [], until=Clock().now - timedelta(days=1))
    assert list_crises(store) == []


def test_crisis_moves_related_sends_to_block(store: SqlStore) -> None:
    clock = Clock()
    svc = service(store, clock)
    assert send(svc, "a", ON_TOPIC).action.value == "review"
    start_crisis(store, "concert", ["concert hall"], [], [], now=clock.now)
    svc.crises.refresh()
    r = send(svc, "b", ON_TOPIC)
    assert r.action.value == "block" and r.crisis == "concert"
