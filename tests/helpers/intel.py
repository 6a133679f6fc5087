"""Helpers for the intel tests: assessments built by hand (exact control over labels, entities and
events) and a pipeline over the real store with a keyword classifier."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tests.helpers.connectors import raw
from vigil.core.labels import Label
from vigil.core.records import (
    Action,
    Assessment,
    ContentKind,
    Decision,
    EntityMention,
    Event,
    Evidence,
    Item,
    LabelScore,
    RawItem,
)


def mention(kind: str, canonical: str, text: str | None = None, start: int = 0, entity_id: str | None = None) -> EntityMention:
    text = text or canonical
    return EntityMention(kind, canonical, text, start, start + len(text), "test.v1", entity_id)


def attack(place: str, date: str | None = None, deaths: int | None = None, **extra: Any) -> Event:
    fields = {"type": "shooting", "place": place, "date": date, "date_resolved": date is not None, "deaths": deaths, **extra}
    return Event("attack", fields, (Evidence("span", f"attack in {place}", 0, 5),), "test.v1")


def call(speaker_id: str, speaker: str, date: str | None = None) -> Event:
    fields = {"speaker": speaker, "speaker_id": speaker_id, "date": date, "date_resolved": date is not None,
              "targets": ["Crusaders"]}
    return Event("call_to_attack", fields, (Evidence("span", "calls on", 0, 5),), "test.v1")


def assessed(r: RawItem, scores: dict[str, float] | None = None, entities: Sequence[EntityMention] = (),
             events: Sequence[Event] = (), action: Action = Action.ALLOW) -> Assessment:
    item = Item(raw=r, text=r.text, normalized=r.text, folded=r.text.lower(), language="en")
    labels = tuple(LabelScore(Label(k), v, "test.v1") for k, v in (scores or {}).items())
    return Assessment(item=item, labels=labels, entities=tuple(entities), events=tuple(events),
                      decision=Decision(action, ("test",), "default.v1"))


def article(source_id: str, text: str, published: str | None = None, **kw: Any) -> RawItem:
    pub = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    return raw(source_id, text, source="article", kind=ContentKind.ARTICLE, published_at=pub, **kw)


def message(source_id: str, text: str, channel: str, when: str, **kw: Any) -> RawItem:
    return raw(source_id, text, source="telegram:1", channel=channel,
               published_at=datetime.fromisoformat(when).replace(tzinfo=UTC), **kw)
