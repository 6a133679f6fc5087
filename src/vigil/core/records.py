"""The records that pass between stages. Nothing else crosses a stage boundary.

    connector ─► RawItem ─► normalize ─► Item ─► match / classify / context / extract ─► Assessment
                                                                          policy ─► Decision

Every record is a frozen dataclass; a stage returns a new one with ``dataclasses.replace``. Every
result names the plugin (with its version) that produced it, so an analyst can always see why something
was flagged. Text offsets in evidence refer to ``Item.normalized`` (what is displayed), never to the
folded matching text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from vigil.core.labels import Label

EMPTY: Mapping[str, Any] = MappingProxyType({})


class ContentKind(StrEnum):
    MESSAGE = "message"  # a short post: chat message, tweet, comment
    ARTICLE = "article"  # long-form text with a title: news report, blog post, feed entry
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    FILE = "file"


class Action(StrEnum):
    """What the platform does with an item, from least to most restrictive."""

    ALLOW = "allow"
    LABEL = "label"  # deliver with an interstitial or reduced reach
    REVIEW = "review"  # hold for a moderator
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _ACTION_RANK[self]


# a label's plain string, found by hash: `Label.value` is an enum property (~0.3 µs a read in 3.11)
_PLAIN_LABEL: dict[str, str] = {label: label.value for label in Label}
_ACTION_RANK = {Action.ALLOW: 0, Action.LABEL: 1, Action.REVIEW: 2, Action.BLOCK: 3}


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A media file referred to by an item. Vigil never fetches a remote reference; it only hashes a
    local file that sits inside the export folder it was given."""

    kind: str  # photo, video_file, voice_message, animation, sticker, document, image ...
    path: str | None = None
    mime_type: str | None = None
    file_name: str | None = None
    size: int | None = None
    duration_s: int | None = None
    digests: Mapping[str, str] = field(default_factory=dict)  # signal type -> value, e.g. {"sha256": ..., "pdq": ...}


@dataclass(frozen=True, slots=True)
class RawItem:
    """One record as a connector read it, before any stage. ``(source, source_id)`` is stable, so
    re-reading the same input finds the same items and adds no duplicates."""

    source: str  # e.g. "telegram:1234567890", "jsonl:tweets.jsonl", "article"
    source_id: str
    kind: ContentKind
    text: str
    payload: bytes  # the original record, bounded by settings.max_item_bytes
    connector: str  # plugin name and version, e.g. "telegram.v1"
    received_at: datetime
    published_at: datetime | None = None
    author: str | None = None
    author_id: str | None = None
    channel: str | None = None
    title: str | None = None
    url: str | None = None
    reply_to: str | None = None  # source_id of the item this one replies to, same source
    forwarded_from: str | None = None
    edited_at: datetime | None = None
    media: tuple[MediaRef, ...] = ()
    locator: str | None = None  # "file:line" where it was read, for error messages
    meta: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None  # set once the store has written it


@dataclass(frozen=True, slots=True)
class Item:
    """A normalized item. ``text`` is the original and is always kept; ``normalized`` is what is shown
    and searched; ``folded`` undoes obfuscation and is what matchers and classifiers read."""

    raw: RawItem
    text: str
    normalized: str
    folded: str
    language: str | None = None
    language_score: float = 0.0
    script: str | None = None
    urls: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    normalizers: tuple[str, ...] = ()

    @property
    def raw_id(self) -> int | None:
        return self.raw.id


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a score is what it is: a span or term found, a feature, a nearest labelled example."""

    kind: str  # term | span | feature | neighbor | match | quote | cue
    text: str
    start: int | None = None  # offsets into Item.normalized
    end: int | None = None
    weight: float = 0.0
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class LabelScore:
    label: Label
    score: float  # calibrated, in [0, 1]
    classifier: str  # plugin name and version, e.g. "lexicon.v1"
    tier: int = 1
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted or reported span inside an item, with its speaker when the text states one."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    cue: str | None = None  # the attribution cue: "said", "according to", "called on" ...
    labels: tuple[LabelScore, ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    """Reporting framing: whether the item reports on, researches or counters what it quotes."""

    reporting: float  # in [0, 1]
    source_type: str | None = None  # news | research | social | channel | unknown
    cues: tuple[Evidence, ...] = ()
    quotes: tuple[Quote, ...] = ()
    stage: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """A hit against a hash bank."""

    bank: str
    signal_type: str
    signal: str
    distance: float
    entry_id: int | None = None
    labels: tuple[str, ...] = ()
    negative: bool = False  # a negative bank: known benign content
    provenance: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EntityMention:
    kind: str  # organisation | person | outlet | channel | place | date | other
    canonical: str
    text: str
    start: int
    end: int
    extractor: str
    entity_id: str | None = None  # gazetteer id when known


@dataclass(frozen=True, slots=True)
class Event:
    kind: str  # attack | call_to_attack | claim
    fields: Mapping[str, Any]
    evidence: tuple[Evidence, ...]
    extractor: str


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reasons: tuple[str, ...]
    policy: str  # policy name and version
    surface: str = "default"


@dataclass(frozen=True, slots=True)
class Assessment:
    item: Item
    matches: tuple[Match, ...] = ()
    labels: tuple[LabelScore, ...] = ()
    context: Context | None = None
    entities: tuple[EntityMention, ...] = ()
    events: tuple[Event, ...] = ()
    decision: Decision | None = None
    tier: int = 1  # which tier of the classifier cascade decided
    versions: Mapping[str, str] = field(default_factory=dict)

    def score(self, label: Label | str) -> float:
        """The highest score any classifier gave ``label`` (0.0 when none did)."""
        best = 0.0
        for ls in self.labels:
            if ls.label == label and ls.score > best:
                best = ls.score
        return best

    def scores(self) -> dict[str, float]:
        """Best score per label, keyed by the label's name as a plain `str`, not the `Label` member:
        orjson refuses enum keys, so a dict keyed by members sent every decision's JSON columns and
        audit record to the standard library's encoder (~15 µs each, `vigil.core.jsonenc`)."""
        out: dict[str, float] = {}
        plain = _PLAIN_LABEL
        for ls in self.labels:
            key = plain.get(ls.label, ls.label)
            if ls.score > out.get(key, -1.0):
                out[key] = ls.score
        return out

    @property
    def action(self) -> Action:
        return self.decision.action if self.decision else Action.ALLOW
