"""Stories: items about the same event or call, clustered incrementally as they arrive.

An item joins the most similar story whose time span (widened by ``window``) covers the item's date,
if the similarity reaches ``threshold``; otherwise it starts a story. Similarity adds three signals:

* **text** — cosine between the item's vector and the story's centroid (`embed`);
* **entities** — the share of the item's entity weight (persons, channels and places count fully,
  organisations and outlets half: the same group and media arm recur across unrelated stories)
  that the story already holds;
* **events** — a bonus when an attack or call in the item matches one in the story (same kind and
  place or speaker, compatible dates), and a penalty when both have resolved attack dates years
  apart (the 2019 and 2024 calls share group, outlet and medium but not their attacks).

Stories that drift together are merged periodically (`merge_candidates`). Nothing here touches the
database: `hooks.StoryHook` loads candidate stories and writes the result.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from vigil.core.records import Assessment, EntityMention
from vigil.store.facts import FACT_KINDS, event_date, event_place, mention_key

KIND_WEIGHT = {"person": 1.0, "channel": 1.0, "place": 1.0, "organisation": 0.5, "outlet": 0.5}
TEXT_SHARE = 0.4
_PUNCT = re.compile(r"[.'’`]")  # the text's share of the similarity when both sides have entities


@dataclass(frozen=True)
class StoryConfig:
    threshold: float = 0.5  # join a story at or above this similarity
    merge_threshold: float = 0.75  # merge two stories at or above this
    window: timedelta = timedelta(days=14)
    event_bonus: float = 0.3
    event_conflict: float = 0.3  # subtracted when both sides have attacks dated years apart


@dataclass
class ItemSignals:
    """What clustering reads from one assessment."""

    raw_id: int
    at: datetime
    title: str
    vector: np.ndarray[Any, Any] | None
    entities: dict[str, tuple[str, str, int]]  # key -> (canonical, kind, mentions)
    events: list[dict[str, Any]]  # {"kind", "date", "place", "speaker", "deaths"}
    dated: bool = True  # False: no published date or dateline; ``at`` is only when it was received


@dataclass
class StoryState:
    id: int | None
    title: str
    first_seen: datetime
    last_seen: datetime
    size: int = 0
    centroid: np.ndarray[Any, Any] | None = None  # sum of member vectors
    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: bool = False
    dated: bool = True  # False while every member is undated: any dated item may still join

    def covers(self, at: datetime, window: timedelta) -> bool:
        return self.first_seen - window <= at <= self.last_seen + window

    def add(self, s: ItemSignals) -> None:
        if not self.size or (s.dated and not self.dated):
            self.first_seen = self.last_seen = s.at
            self.dated = s.dated
        elif s.dated:  # an undated item does not stretch a dated story's span
            self.first_seen, self.last_seen = min(self.first_seen, s.at), max(self.last_seen, s.at)
        self.size += 1
        if s.vector is not None:
            self.centroid = s.vector.copy() if self.centroid is None else self.centroid + s.vector
        for key, (canonical, kind, n) in s.entities.items():
            slot = self.entities.setdefault(key, {"canonical": canonical, "kind": kind, "count": 0})
            slot["count"] += n
        for ev in s.events:
            slot = self.events.setdefault(event_key(ev), {**ev, "count": 0})
            slot["count"] += 1
        self.dirty = True

    def absorb(self, other: StoryState) -> None:
        """Fold ``other`` into this story (a periodic merge)."""
        if other.dated and not self.dated:
            self.first_seen, self.last_seen, self.dated = other.first_seen, other.last_seen, True
        elif other.dated:
            self.first_seen, self.last_seen = min(self.first_seen, other.first_seen), max(self.last_seen, other.last_seen)
        self.size += other.size
        if other.centroid is not None:
            self.centroid = other.centroid.copy() if self.centroid is None else self.centroid + other.centroid
        for key, slot in other.entities.items():
            mine = self.entities.setdefault(key, {**slot, "count": 0})
            mine["count"] += slot["count"]
        for key, slot in other.events.items():
            mine = self.events.setdefault(key, {**slot, "count": 0})
            mine["count"] += slot["count"]
        self.dirty = True


def event_key(ev: Mapping[str, Any]) -> str:
    who = ev.get("speaker") or ev.get("place") or ""
    return f"{ev.get('kind')}|{str(who).casefold()}|{ev.get('date') or ''}"


def signals_of(a: Assessment, vector: np.ndarray[Any, Any] | None) -> ItemSignals:
    raw = a.item.raw
    entities: dict[str, tuple[str, str, int]] = {}
    for m in a.entities:
        if m.kind in FACT_KINDS:
            key = cluster_key(m)
            canonical, kind, n = entities.get(key, (m.canonical, m.kind, 0))
            entities[key] = (canonical, kind, n + 1)
    evs = []
    for ev in a.events:
        f = ev.fields
        evs.append({
            "kind": ev.kind,
            "date": event_date(f),
            "place": event_place(f),
            "speaker": f.get("speaker_id") or f.get("speaker"),
            "deaths": f.get("deaths"),
        })
    title = raw.title or next((line.strip() for line in a.item.normalized.splitlines() if line.strip()), "")
    at, dated = item_date(a)
    return ItemSignals(raw.id or 0, at, title[:200], vector, entities, evs, dated)


def item_date(a: Assessment) -> tuple[datetime, bool]:
    """The item's own date and whether it has one: published, else the dateline the extractor
    read; else (received, False) — an article file read today says nothing about when it was
    written, so undated items may join a story of any date."""
    raw = a.item.raw
    if raw.published_at:
        return raw.published_at, True
    for ev in a.events:
        if ev.fields.get("anchor_source") == "dateline" and ev.fields.get("anchor"):
            try:
                return datetime.fromisoformat(str(ev.fields["anchor"])).replace(tzinfo=UTC), True
            except ValueError:
                break
    return raw.received_at, False


def cluster_key(m: EntityMention) -> str:
    """Gazetteer id, else the folded name without its kind: NER often calls one place an
    organisation in one article and a place in the next."""
    if m.entity_id:
        return mention_key(m)
    name = _PUNCT.sub("", m.canonical.casefold())
    words = [w for w in name.split() if w not in ("the", "al", "el")]
    while len(words) > 2 and words[0].endswith(("-backed", "-led", "-based")):
        words = words[1:]  # "U.S.-backed Syrian Democratic Forces" is the Syrian Democratic Forces
    return " ".join(words)[:300]


def text_for_vector(a: Assessment) -> str:
    title = a.item.raw.title or ""
    return f"{title}\n{a.item.normalized}" if title and title not in a.item.normalized[:400] else a.item.normalized


def _entity_cosine(a: Mapping[str, tuple[str, int]], b: Mapping[str, tuple[str, int]]) -> float:
    if not a or not b:
        return 0.0
    wa = {k: KIND_WEIGHT.get(kind, 0.5) * math.log1p(n) for k, (kind, n) in a.items()}
    wb = {k: KIND_WEIGHT.get(kind, 0.5) * math.log1p(n) for k, (kind, n) in b.items()}
    na, nb = math.sqrt(sum(x * x for x in wa.values())), math.sqrt(sum(x * x for x in wb.values()))
    return sum(w * wb[k] for k, w in wa.items() if k in wb) / (na * nb) if na and nb else 0.0


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def events_match(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if a["kind"] != b["kind"]:
        return False
    da, db = a.get("date"), b.get("date")
    if da and db and da[: min(len(da), len(db))] != db[: min(len(da), len(db))]:
        return False
    if a["kind"] == "attack":
        pa, pb = (a.get("place") or "").casefold(), (b.get("place") or "").casefold()
        return bool(pa and pa == pb) or bool(da and da == db and len(da) == 10)
    sa, sb = a.get("speaker"), b.get("speaker")
    return bool(sa and sa == sb)  # the same speaker within the time window, dates compatible


def _event_conflict(item: Sequence[Mapping[str, Any]], story: Iterable[Mapping[str, Any]]) -> bool:
    years_i = {y for e in item if e["kind"] == "attack" and (y := _year(e.get("date"))) is not None}
    years_s = {y for e in story if e["kind"] == "attack" and (y := _year(e.get("date"))) is not None}
    return bool(years_i and years_s) and min(abs(x - y) for x in years_i for y in years_s) >= 2


class StoryClusterer:
    def __init__(self, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig()

    def entity_overlap(self, s: ItemSignals, story: StoryState) -> float:
        """Cosine between the item's and the story's entity weights (kind weight x log mentions)."""
        return _entity_cosine({k: (kind, n) for k, (_, kind, n) in s.entities.items()},
                              {k: (v["kind"], v["count"]) for k, v in story.entities.items()})

    def similarity(self, s: ItemSignals, story: StoryState) -> float:
        cos = 0.0
        if s.vector is not None and story.centroid is not None:
            norm = float(np.linalg.norm(story.centroid))
            cos = float(s.vector @ story.centroid) / norm if norm else 0.0
        return self.combine(cos, s, story)

    def combine(self, cos: float, s: ItemSignals, story: StoryState) -> float:
        """Text alone for items without facts (short messages); for items with entities the
        entity overlap weighs more than the text (articles on one movement all read alike to a
        sentence encoder), plus the event bonus or conflict."""
        if not (s.entities or s.events) or not (story.entities or story.events):
            return cos
        c = self.config
        score = TEXT_SHARE * cos + (1 - TEXT_SHARE) * self.entity_overlap(s, story)
        matched = any(events_match(e, o) for e in s.events for o in story.events.values())
        if matched:
            score += c.event_bonus
        elif _event_conflict(s.events, story.events.values()):
            score -= c.event_conflict
        return score

    def assign(self, items: Sequence[ItemSignals], stories: Sequence[StoryState]) -> list[tuple[StoryState, float]]:
        """Place each item, in order, into one of ``stories`` or a new story (appended to the
        result's stories); return (story, similarity) per item, 1.0 for an item that starts one."""
        index = _Index(self, stories)
        out = []
        for s in items:
            j, score = index.best(s)
            if j is None:
                story = StoryState(None, s.title, s.at, s.at, dated=s.dated)
                j, score = index.add(story), 1.0
            index.stories[j].add(s)
            index.refresh(j)
            out.append((index.stories[j], score))
        return out

    def story_similarity(self, a: StoryState, b: StoryState) -> float:
        """Symmetric similarity of two stories: centroid cosine plus shared entities and events."""
        c = self.config
        score = 0.0
        if a.centroid is not None and b.centroid is not None:
            na, nb = float(np.linalg.norm(a.centroid)), float(np.linalg.norm(b.centroid))
            score = float(a.centroid @ b.centroid) / (na * nb) if na and nb else 0.0
        if not (a.entities or a.events) or not (b.entities or b.events):
            return score
        ent = _entity_cosine({k: (v["kind"], v["count"]) for k, v in a.entities.items()},
                             {k: (v["kind"], v["count"]) for k, v in b.entities.items()})
        score = TEXT_SHARE * score + (1 - TEXT_SHARE) * ent
        if any(events_match(x, y) for x in a.events.values() for y in b.events.values()):
            score += c.event_bonus
        elif _event_conflict(list(a.events.values()), b.events.values()):
            score -= c.event_conflict
        return score

    def merge_candidates(self, stories: Sequence[StoryState]) -> list[tuple[StoryState, StoryState]]:
        """Pairs (keep, absorbed) of stories similar enough to merge, larger story kept; each story
        takes part in at most one pair per call."""
        window = self.config.window
        used: set[int] = set()
        pairs = []
        order = sorted(stories, key=lambda st: -st.size)
        for i, a in enumerate(order):
            if id(a) in used:
                continue
            for b in order[i + 1 :]:
                if id(b) in used or b.first_seen - window > a.last_seen or a.first_seen - window > b.last_seen:
                    continue
                if self.story_similarity(a, b) >= self.config.merge_threshold:
                    pairs.append((a, b))
                    used.update((id(a), id(b)))
                    break
        return pairs


class _Index:
    """The stories being assigned to, with their normalised centroids in one matrix and their time
    spans in arrays, so one item is scored against every live story in a few numpy operations."""

    def __init__(self, clusterer: StoryClusterer, stories: Sequence[StoryState]) -> None:
        self.clusterer = clusterer
        self.window = clusterer.config.window.total_seconds()
        self.stories: list[StoryState] = []
        self.dim = next((st.centroid.shape[0] for st in stories if st.centroid is not None), 0)
        self.m = np.zeros((max(16, len(stories)), self.dim), dtype=np.float32)
        self.first = np.zeros(self.m.shape[0])
        self.last = np.zeros(self.m.shape[0])
        self.undated = np.zeros(self.m.shape[0], dtype=bool)
        for st in stories:
            self.add(st)

    def add(self, story: StoryState) -> int:
        j = len(self.stories)
        self.stories.append(story)
        if j >= self.m.shape[0]:
            grow = self.m.shape[0]
            self.m = np.vstack([self.m, np.zeros((grow, self.m.shape[1]), dtype=np.float32)])
            self.first = np.concatenate([self.first, np.zeros(grow)])
            self.last = np.concatenate([self.last, np.zeros(grow)])
            self.undated = np.concatenate([self.undated, np.zeros(grow, dtype=bool)])
        self.refresh(j)
        return j

    def refresh(self, j: int) -> None:
        st = self.stories[j]
        if st.centroid is not None:
            if self.m.shape[1] != st.centroid.shape[0]:
                if self.m.shape[1]:
                    raise ValueError("story vectors of different sizes: re-cluster after changing the embedder")
                self.m = np.zeros((self.m.shape[0], st.centroid.shape[0]), dtype=np.float32)
            norm = float(np.linalg.norm(st.centroid))
            self.m[j] = st.centroid / norm if norm else 0.0
        self.first[j], self.last[j] = st.first_seen.timestamp(), st.last_seen.timestamp()
        self.undated[j] = not st.dated

    def best(self, s: ItemSignals) -> tuple[int | None, float]:
        n = len(self.stories)
        if not n:
            return None, 0.0
        t = s.at.timestamp()
        if s.dated:
            live = np.flatnonzero(
                ((self.first[:n] - self.window <= t) & (t <= self.last[:n] + self.window)) | self.undated[:n]
            )
        else:
            live = np.arange(n)
        if not live.size:
            return None, 0.0
        scores = np.zeros(live.size, dtype=np.float32)
        if s.vector is not None and self.m.shape[1] == s.vector.shape[0]:
            scores += self.m[live] @ s.vector
        if s.entities or s.events:  # only items with facts pay for the per-story loop
            scores = np.array([self.clusterer.combine(float(c), s, self.stories[j]) for c, j in zip(scores, live, strict=True)],
                              dtype=np.float32)
        k = int(np.argmax(scores))
        if scores[k] >= self.clusterer.config.threshold:
            return int(live[k]), float(scores[k])
        return None, float(scores[k])
