"""Helpers the event rules share: mentions inside a span, the item's main organisation and
speaker, and `Evidence` for a supporting span.

Where it sits: used by `attacks` and `calls`.
"""

from __future__ import annotations

import re
from collections import Counter

from vigil.core.records import EntityMention, Evidence
from vigil.extract.analysis import Analysis

MAX_EVIDENCE_CHARS = 400
_GROUP_REF = re.compile(
    r"\b(?:the|this|that) (?:(?:jihadist|terrorist|militant|extremist|islamist|notorious|radical) )*"
    r"(?:group|organi[sz]ation|movement)\b|\bthe terror group\b",
    re.IGNORECASE,
)
_SPEAKER_REF = re.compile(
    r"\b(?:he|the (?:group's |group’s |isis |is )?(?:spokes(?:man|person|woman)|representative|speaker|militant)|"
    r"this terrorist|the terrorist)\b",
    re.IGNORECASE,
)
_ROLE_CUE = re.compile(r"\bspokes(?:man|person|woman)\b|\brepresentative\b", re.IGNORECASE)


def evidence(a: Analysis, start: int, end: int, detail: str) -> Evidence:
    """A span of ``Item.normalized`` supporting ``detail`` (the field names it supports)."""
    start, end = _trim(a.text, start, end)
    if end - start > MAX_EVIDENCE_CHARS:
        end = start + MAX_EVIDENCE_CHARS
    return Evidence(kind="span", text=a.text[start:end], start=start, end=end, detail=detail)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def mentions_in(a: Analysis, start: int, end: int, *kinds: str) -> list[EntityMention]:
    return [m for m in a.mentions if start <= m.start and m.end <= end and (not kinds or m.kind in kinds)]


def dominant_org(a: Analysis) -> EntityMention | None:
    """The designated organisation the item mentions most (gazetteer matches only)."""
    orgs = [m for m in a.mentions if m.kind == "organisation" and m.entity_id]
    if not orgs:
        return None
    counts = Counter(m.entity_id for m in orgs)
    best = counts.most_common(1)[0][0]
    return next(m for m in orgs if m.entity_id == best)


def main_speaker(a: Analysis) -> EntityMention | None:
    """The person the item quotes most: a gazetteer spokesman or leader first, else the person most
    often named in a sentence with a spokesman cue."""
    persons = [m for m in a.mentions if m.kind == "person"]
    linked = [m for m in persons if m.entity_id]
    if linked:
        counts = Counter(m.entity_id for m in linked)
        best = counts.most_common(1)[0][0]
        return next(m for m in linked if m.entity_id == best)
    cued = [
        m for m in persons if any(_ROLE_CUE.search(a.text[s:e]) for s, e in a.sentences if s <= m.start < e)
    ]
    if cued:
        counts2 = Counter(m.canonical for m in cued)
        best2 = counts2.most_common(1)[0][0]
        return next(m for m in cued if m.canonical == best2)
    return None


def group_reference(text: str) -> re.Match[str] | None:
    return _GROUP_REF.search(text)


def speaker_reference(text: str) -> re.Match[str] | None:
    return _SPEAKER_REF.search(text)
