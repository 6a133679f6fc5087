"""Calls to attack: speaker, organisation, outlet, medium, format, duration, targets, date and the
trigger event, from English text.

A sentence carries a call when it has a call cue (called on/for, urged, incited, "take vengeance",
"rise against") and something violent is asked for (attack, fight, kill, target, revenge). Calls to
join or migrate are recruitment, not calls to attack, and are left to the classifiers. The speaker is
the person named in the sentence, or, for "he" / "the spokesman", the item's main speaker; the
message's outlet (Al Furqan), medium (Telegram), format (audio, video) and duration (41 minutes) come
from the sentences that describe the message. Mentions by one speaker with compatible dates merge
into one event; a different date ("his message spread on January 4") makes another.

Where it sits: called by the ``events`` plugin after `attacks`, whose events it links as triggers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vigil.core.records import EntityMention, Evidence
from vigil.extract.analysis import Analysis
from vigil.extract.numbers import find_duration
from vigil.extract.spans import dominant_org, evidence, main_speaker, mentions_in, speaker_reference

_CUE = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+(?:on|for|upon)|call\s+(?:to|on)|urg(?:e|es|ed|ing)|incit(?:e|es|ed|ing)|exhort\w*|"
    r"exhortation|take (?:vengeance|revenge)|retaliate|rise against|appeal(?:s|ed)? to)\b",
    re.IGNORECASE,
)
_VIOLENT = re.compile(
    r"\b(?:attack\w*|fight\w*|kill\w*|target\w*|revenge|vengeance|retaliat\w*|strike\w*|slaughter\w*|rise against)\b",
    re.I,
)
_NOT_CALL = re.compile(r"\b(?:migrat\w+|join\w*|pay (?:more )?attention|patient)\b", re.I)
_TARGET_WORDS = re.compile(
    r"\b(?:Jews|Crusaders|Christians|infidels|apostates|polytheists|Shia|Shiites|Russians|Americans|Europeans|"
    r"Westerners|the West|Western countries|allies|the (?:entire |whole )?world|non-Muslims|disbelievers|"
    r"civilians|military personnel|soldiers|police)\b",
    re.IGNORECASE,
)
_TARGET_STOP = re.compile(
    r"\b(?:to support|in support|to avenge|to help|and congratulated|in order to|because|after|for (?:the|their|its|his))\b|;|—|–",
    re.I,
)
_MESSAGE = re.compile(r"\b(?:message|recording|speech|statement|video|audio|broadcast|address|post)\b", re.I)
_MEDIUM = re.compile(
    r"\b(?:Telegram|TamTam|Rocket\.Chat|WhatsApp|Twitter|YouTube|Facebook|Instagram|TikTok|Element|Hoop|online)\b"
)
_FORMATS = (
    ("video", re.compile(r"\bvideo\b", re.I)),
    ("audio", re.compile(r"\b(?:audio|recording|recorded|speech|voice)\b", re.I)),
)
_UNIDENTIFIED = re.compile(r"\ban? unidentified [\w ]{0,40}?(?:militant|man|fighter|speaker|member)\b", re.I)
_TRIGGER_REL = re.compile(
    r"\b(?P<rel>(?:(?:less|more) than )?(?:an? |one |two |three |\d+ )?(?:hours?|days?|weeks?|months?)\s+after|"
    r"shortly after|after|following|in retaliation for|to avenge|revenge for|vengeance for|retaliate for|for the)\s+"
    r"(?:the |a |an )?(?:\w+\s+){0,3}?(?:attack|bombing|shooting|massacre|slaughter|terror attack)",
    re.I,
)
_SIEGE = re.compile(r"\b(?:besieged|siege|surrounded|battle for)\b", re.I)


@dataclass
class CallEvent:
    speaker: EntityMention | None
    speaker_text: str | None
    date: dict[str, Any] | None
    spans: list[tuple[int, int]] = field(default_factory=list)
    targets: list[tuple[str, int, int]] = field(default_factory=list)
    triggers: list[tuple[str, int, int]] = field(default_factory=list)


def _plausible(m: EntityMention) -> bool:
    """A person mention good enough to be a speaker: a gazetteer person or a name of two parts."""
    return bool(m.entity_id) or len(m.canonical.split()) >= 2


def _speaker(a: Analysis, s: int, cue_pos: int, e: int) -> tuple[EntityMention | None, str | None]:
    """The speaker named before the cue; "he" / "the spokesman" closer to the cue than any name
    means the item's main speaker; None when the sentence names no one (the call then joins the
    item's previous call)."""
    persons = [m for m in mentions_in(a, s, e, "person") if _plausible(m)]
    before = [m for m in persons if m.end <= cue_pos]
    refs = list(_speaker_refs(a.masked, s, cue_pos))
    if refs and (not before or refs[-1] > before[-1].end):
        main = main_speaker(a)
        if main:
            return main, None
    if before:
        return before[-1], before[-1].text
    if unidentified := _UNIDENTIFIED.search(a.masked[s:e]):
        return None, unidentified.group(0)
    return None, None


def _speaker_refs(text: str, start: int, end: int) -> list[int]:
    out = []
    pos = start
    while (m := speaker_reference(text[pos:end])) is not None:
        out.append(pos + m.start())
        pos += m.end()
    return out


def _date(a: Analysis, s: int, e: int, cue_end: int) -> dict[str, Any] | None:
    """The call's own date: one not inside a phrase about the attack ("the attack last Friday")."""
    for d in a.dates:
        if d.start is None or not s <= d.start < e:
            continue
        context = a.masked[max(s, d.start - 30) : d.start]
        if re.search(r"\b(?:attack|bombing|shooting|massacre)\w*\W+(?:\w+\W+){0,3}$", context, re.I):
            continue
        return d.fields()
    return None


def _targets(a: Analysis, start: int, e: int) -> list[tuple[str, int, int]]:
    seg_end = e
    if stop := _TARGET_STOP.search(a.masked, start, e):
        seg_end = stop.start()
    found = [(m.canonical, m.start, m.end) for m in mentions_in(a, start, seg_end, "place")]
    for m in _TARGET_WORDS.finditer(a.masked, start, seg_end):
        word = m.group(0)
        if "world" in word.lower():
            word = "the world"
        elif word.lower().startswith("the "):
            word = word[4:]
        found.append((word, m.start(), m.end()))
    return sorted(found, key=lambda t: t[1])


def _compatible(
    ev: CallEvent, speaker: EntityMention | None, speaker_text: str | None, date: dict[str, Any] | None
) -> bool:
    if (
        speaker
        and ev.speaker
        and (speaker.entity_id or speaker.canonical) != (ev.speaker.entity_id or ev.speaker.canonical)
    ):
        return False
    if date and ev.date:
        if date.get("date_resolved") and ev.date.get("date_resolved"):
            return bool(date["date"] == ev.date["date"])
        return bool(date["date_expression"].lower() == ev.date["date_expression"].lower())
    return True


def _message_properties(a: Analysis, spans: list[tuple[int, int]]) -> tuple[dict[str, Any], list[Evidence]]:
    """Outlet, medium, format and duration from the sentences that describe the message."""
    props: dict[str, Any] = {}
    evid: list[Evidence] = []
    message_sents = [(s, e) for s, e in a.sentences if _MESSAGE.search(a.masked[s:e])]
    for s, e in sorted(set(spans) | set(message_sents)):
        sent = a.masked[s:e]
        outlets = mentions_in(a, s, e, "outlet")
        if outlets and "outlet" not in props:
            props["outlet"], props["outlet_id"] = outlets[0].canonical, outlets[0].entity_id
            evid.append(evidence(a, s, e, "outlet"))
        if (medium := _MEDIUM.search(sent)) and "medium" not in props:
            props["medium"] = medium.group(0)
            evid.append(evidence(a, s, e, "medium"))
        if "format" not in props:
            for name, rx in _FORMATS:
                if rx.search(sent):
                    props["format"] = name
                    break
        if (dur := find_duration(sent)) and "duration_s" not in props:
            props["duration_s"], props["duration_text"] = dur[0], sent[dur[1] : dur[2]]
            evid.append(evidence(a, s, e, "duration"))
    return props, evid


_SETTLEMENT = re.compile(r"\b(?:village|town|city|camp|enclave|pocket) of\s+$", re.I)


def _siege(a: Analysis) -> tuple[str, int, int] | None:
    """ "siege of Baghouz" when the item describes the speakers as besieged somewhere: a named
    village or town in a siege sentence first, else the place nearest the siege word."""
    best: tuple[int, str, int, int] | None = None
    for s, e in a.sentences:
        siege = _SIEGE.search(a.masked[s:e])
        if not siege:
            continue
        pos = s + siege.start()
        for p in mentions_in(a, s, e, "place") + mentions_in(a, s, e, "organisation"):
            if p.entity_id:
                continue
            rank = (
                0 if _SETTLEMENT.search(a.masked[max(s, p.start - 20) : p.start]) else 1 + abs(p.start - pos)
            )
            if best is None or rank < best[0]:
                best = (rank, p.canonical, s, e)
    return (f"siege of {best[1]}", best[2], best[3]) if best else None


def find_calls(a: Analysis) -> list[CallEvent]:
    events: list[CallEvent] = []
    for s, e in a.sentences:
        sent = a.masked[s:e]
        cue = _CUE.search(sent)
        if (
            not cue
            or not _VIOLENT.search(sent, cue.start())
            or (_NOT_CALL.search(sent, cue.end()) and not _VIOLENT.search(sent, cue.end(), cue.end() + 40))
        ):
            continue
        speaker, speaker_text = _speaker(a, s, s + cue.start(), e)
        date = _date(a, s, e, s + cue.end())
        target = next((ev for ev in reversed(events) if _compatible(ev, speaker, speaker_text, date)), None)
        if target is None:
            target = CallEvent(speaker, speaker_text, date)
            events.append(target)
        target.speaker = target.speaker or speaker
        target.speaker_text = target.speaker_text or speaker_text
        target.date = target.date or date
        target.spans.append((s, e))
        target.targets += _targets(a, s + cue.end(), e)
        if rel := _TRIGGER_REL.search(sent):
            relation = "in response to" if rel.group("rel").lower() == "for the" else rel.group("rel")
            target.triggers.append((relation, s + rel.start(), s + rel.end()))
    if events:
        # "The call was made less than a week after the attack ...": sentences about the call itself
        for s, e in a.sentences:
            sent = a.masked[s:e]
            if (
                _ABOUT_CALL.search(sent)
                and (rel := _TRIGGER_REL.search(sent))
                and (s, e) not in events[0].spans
            ):
                events[0].triggers.append((rel.group("rel"), s + rel.start(), s + rel.end()))
    return events


_ABOUT_CALL = re.compile(r"\b(?:the|this|his|its) (?:call|message|speech|recording|statement)\b", re.I)


def call_fields(a: Analysis, ev: CallEvent, main: bool) -> tuple[dict[str, Any], list[Evidence]]:
    """The fields and evidence of one call; ``main`` calls also get the message's properties."""
    fields: dict[str, Any] = {}
    evid = [evidence(a, s, e, "call") for s, e in ev.spans]
    speaker = ev.speaker or (None if ev.speaker_text else main_speaker(a))
    if speaker:
        fields["speaker"], fields["speaker_id"] = speaker.canonical, speaker.entity_id
    elif ev.speaker_text:
        fields["speaker"], fields["speaker_id"] = ev.speaker_text, None
    org = None
    for s, e in ev.spans:
        orgs = [m for m in mentions_in(a, s, e, "organisation") if m.entity_id]
        if orgs:
            org = orgs[0]
            break
    org = org or dominant_org(a)
    if org:
        fields["organisation"], fields["organisation_id"] = org.canonical, org.entity_id
    elif speaker and speaker.entity_id and a.gazetteer_ref is not None:
        parent = a.gazetteer_ref.get(a.gazetteer_ref.get(speaker.entity_id).parent or "")
        if parent is not None:  # the spokesman's own group, from the gazetteer
            fields["organisation"], fields["organisation_id"] = parent.canonical, parent.id
    if main:
        props, more = _message_properties(a, ev.spans)
        fields.update(props)
        evid += more
    seen: dict[str, None] = {}
    for name, _, _ in ev.targets:
        if name.lower() not in {k.lower() for k in seen}:
            seen[name] = None
    fields["targets"] = list(seen)
    fields.update(ev.date or {"date": None, "date_resolved": False, "date_expression": None})
    if ev.triggers:
        # a stated interval ("less than a week after") says more than "for the attack"
        rel, s, e = next((t for t in ev.triggers if "after" in t[0].lower()), ev.triggers[0])
        fields["trigger_relation"] = rel
        evid.append(evidence(a, s, e, "trigger"))
    elif main and (siege := _siege(a)):
        fields["trigger"] = siege[0]
        evid.append(evidence(a, siege[1], siege[2], "trigger"))
    return fields, evid
