"""Helpers for the intel tests: assessments built by hand (exact control over labels, entities and
events), a story hook with hand-made text vectors, and a small seeded store of channel posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

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
from vigil.core.settings import Settings
from vigil.intel.hooks import StoryHook
from vigil.store.sql import SqlStore


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


class FixedVectors(StoryHook):
    """The story hook with hand-made vectors (what the text embedder would return)."""

    def __init__(self, settings: Settings, vectors: dict[str, np.ndarray]) -> None:
        super().__init__(settings)
        self.vectors = vectors

    @property
    def embedder(self):  # type: ignore[override]
        vectors = self.vectors

        class _E:
            def encode(self, texts):  # noqa: ANN001, ANN202
                return np.vstack([vectors[t.split()[0]] for t in texts])

        return _E()


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" \u202eevil'


def seeded(store: SqlStore) -> None:
    hook = FixedVectors(store.settings, {"call": np.eye(4, dtype=np.float32)[0], "=cmd|'": np.eye(4, dtype=np.float32)[1],
                                          "reply": np.eye(4, dtype=np.float32)[2]})
    raws, _ = store.insert_raw([
        message("1", f"call to arms {HOSTILE}", "Relay One", "2024-03-23T10:00:00", forwarded_from="Amaq Agency"),
        message("2", "=cmd|' /C calc'!A0", "Relay Two", "2024-03-24T10:00:00", forwarded_from="Relay One"),
        message("3", "reply here", "Relay Two", "2024-03-24T11:00:00", reply_to="1"),
    ])
    ansari = mention("person", "Abu Hudhayfah al-Ansari", "Abu Huthaifa", 0, "abu_hudhayfah_al_ansari")
    isis = mention("organisation", "Islamic State (ISIS)", "ISIS", 20, "islamic_state")
    store.save_assessments([
        assessed(raws[0], {"incitement": 0.95}, [ansari, isis, mention("place", "Moscow")],
                 [attack("Moscow", "2024-03-22", 143, claimed_by="Islamic State (ISIS)"),
                  call("abu_hudhayfah_al_ansari", "Abu Hudhayfah al-Ansari", "2024-03-23")]),
        assessed(raws[1], {"incitement": 0.6}, [isis]),
        assessed(raws[2], {"glorification": 0.7}),
    ], 0.5, [hook])
