"""Attacks: type, place, date, deaths, injured, target, perpetrator and claimed_by, from English text.

Rules work sentence by sentence. A sentence *mentions* an attack when it has an attack word
(attack, bombing, shooting, massacre, kidnapping ...) that is not the object of a call ("called for
attacks") or hypothetical ("warned of the possibility of an attack"). Mentions with something
specific (a place, date, toll, target or claim) become events; mentions that share a place or target
merge into one event, and a bare "the attack" joins the latest one. Every field keeps the sentence
that supports it as `Evidence`.

Where it sits: called by the ``events`` plugin after `analysis`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from vigil.core.records import Evidence
from vigil.extract.analysis import Analysis
from vigil.extract.dates import DateValue
from vigil.extract.numbers import NUMBER, QUALIFIER, parse_number
from vigil.extract.places import is_region as _is_region
from vigil.extract.spans import dominant_org, evidence, group_reference, mentions_in

_TRIGGER = re.compile(
    r"\b(?P<t>attack(?:s|ed)?|(?:car |suicide )?bomb(?:ing|ings|ed)?|shooting|massacre|explosion|blast|"
    r"assassinat\w+|kidnap\w*|ambush(?:ed)?|arson|set fire|dynamit\w+|slaughter(?:ed)?|downing|stabbing|"
    r"hostage[- ]taking|murder(?:ed)?|killed|opened fire|gunned down|shot dead|stormed)\b",
    re.IGNORECASE,
)
_CALLED_FOR = re.compile(
    r"\b(?:call(?:s|ed|ing)?|urg\w+|incit\w+|exhort\w*|threat\w*|warn\w*|possibility|capable|plan\w*|plot\w*|"
    r"vow\w*|ambition|to carry out|carry out|carrying out|continued|new|future|more|such an?|against|avenge|tells?)\W+(?:\w+\W+){0,6}$"
    r"|\bto\s+$",
    re.IGNORECASE,
)
_TYPES = (
    ("bombing", r"bomb|explos|blast|dynamit"),
    ("shooting", r"shoot|shot|gunm[ae]n|opened fire|gunfire"),
    ("arson", r"arson|set fire|burn"),
    ("kidnapping", r"kidnap|hostage|abduct"),
    ("assassination", r"assassinat"),
    ("stabbing", r"stab"),
    ("aircraft downing", r"downing|plane"),
)
_DEATHS = (
    re.compile(
        rf"\b(?:left|leaving|killing|killed|kill|claimed the lives of|death toll (?:of|rose to|to|at|stands at))\s+"
        rf"(?P<q>{QUALIFIER}\s+)?(?P<n>{NUMBER})\b(?!-)(?:\s+\w+){{0,2}}?(?:\s+(?:dead|people|persons|civilians|killed|lives))?",
        re.I,
    ),
    re.compile(
        rf"(?P<q>{QUALIFIER}\s+)?(?P<n>{NUMBER})\s+(?:\w+\s+){{0,2}}?(?:were |have been |had been |are )?(?:dead|killed|died)\b",
        re.I,
    ),
)
_INJURED = (
    re.compile(
        rf"(?P<q>{QUALIFIER}\s+)?(?P<n>{NUMBER})\s+(?:\w+\s+){{0,2}}?(?:were |have been |had been |are )?(?:injured|wounded|hurt)\b",
        re.I,
    ),
    re.compile(rf"\b(?:injuring|wounding|injured|wounded)\s+(?P<q>{QUALIFIER}\s+)?(?P<n>{NUMBER})\b", re.I),
)
_TARGET_END = (
    r"(?=\s+(?:in|at|near|on|that|which|who|during|hours|last|where|when|as|by|and|from|killing|leaving|for|"
    r"with|belonging|located|owned)\b|[,.;:]|$)"
)
_TARGET = re.compile(
    r"\b(?:(?:attack(?:s|ed)?|bomb(?:ing|ed)?|shooting|massacre|raid(?:ed)?|assault|explosion|blast)\s+(?:on|against|at|of|in front of)?|"
    r"(?:dynamited|burned|destroyed|blew up|set fire to|damaged|exploded (?:at|in front of|near)|"
    r"went off (?:at|in front of|near)|planted (?:a bomb |explosives )?(?:at|in front of|near))\s+)\s*"
    r"(?P<t>(?:the|a|an|two|three|its|their|several)\s+[^,.;:()\[\]\"“”]{2,70}?)" + _TARGET_END,
    re.IGNORECASE,
)
_CLAIM = re.compile(
    r"\bclaim(?:ed|s|ing)? (?:the )?responsibility\b|\bclaimed by\b|\bresponsibility was claimed\b", re.I
)
_BY = re.compile(r"\b(?:carried out by|perpetrated by|attributed to|blamed on|by)\s+", re.I)


_CLAUSE_END = re.compile(r",\s*(?:which|who|of which|where|while|but)\b|;|\bwarned\b")
_PLURAL = re.compile(r"(?:s|ings)$")
_SPECIFIC_REF = re.compile(
    r"\b(?:the|this|that|last)\s+(?:(?!of\b|an?\b)\w+\s+){0,3}(?:attack|bombing|shooting|massacre)\b", re.I
)


@dataclass
class AttackMention:
    start: int
    end: int
    fields: dict[str, Any]
    places: list[str]
    target: str | None
    definite: bool
    containers: set[str] = field(
        default_factory=set
    )  # places named as the region of another ("Christchurch, New Zealand")


@dataclass
class AttackEvent:
    mentions: list[AttackMention] = field(default_factory=list)

    @property
    def places(self) -> set[str]:
        return {p for m in self.mentions for p in m.places}

    @property
    def targets(self) -> set[str]:
        return {m.target.lower() for m in self.mentions if m.target}


def _type_of(text: str) -> str:
    for name, rx in _TYPES:
        if re.search(rx, text, re.IGNORECASE):
            return name
    return "attack"


def _count(patterns: tuple[re.Pattern[str], ...], text: str) -> tuple[int, str | None] | None:
    for rx in patterns:
        for m in rx.finditer(text):
            n = parse_number(m.group("n"))
            if n is not None and not (1900 <= n <= 2100):
                q = (m.group("q") or "").strip().lower() or None
                return n, q
    return None


def _org_near(
    a: Analysis, start: int, end: int, before_pos: int | None = None
) -> tuple[str, str | None, str] | None:
    """(canonical, entity id, mention text) of the organisation a phrase names, resolving "the
    group" to the item's dominant designated organisation."""
    orgs = mentions_in(a, start, end, "organisation")
    if before_pos is not None:
        orgs = [m for m in orgs if m.end <= before_pos] or orgs
        orgs = orgs[-1:] if orgs and orgs[-1].end <= before_pos else orgs[:1]
    if orgs:
        o = orgs[0]
        return o.canonical, o.entity_id, o.text
    ref = group_reference(a.text[start:end])
    if ref:
        dom = dominant_org(a)
        if dom:
            return dom.canonical, dom.entity_id, ref.group(0)
    return None


def _mention(
    a: Analysis, s: int, e: int, trig: re.Match[str], dates: list[DateValue]
) -> AttackMention | None:
    sent = a.masked[s:e]
    head = sent[: trig.start()]
    if _CALLED_FOR.search(head[-60:]) and not _SPECIFIC_REF.search(
        sent[max(0, trig.start() - 25) : trig.end()]
    ):
        return None
    fields: dict[str, Any] = {"type": _type_of(sent[trig.start() : trig.end()] + " " + sent)}
    window_end = min(len(sent), trig.end() + 120)
    if clause := _CLAUSE_END.search(sent, trig.end(), window_end):
        window_end = clause.start()
    places = [m for m in mentions_in(a, s, e, "place")]
    after = [m for m in places if s + trig.start() <= m.start <= s + window_end]
    before = [m for m in places if m.end <= s + trig.start() and s + trig.start() - m.end < 40]
    modifier = [m for m in before if s + trig.start() - m.end <= 2]  # "the Moscow attack"
    chosen = (modifier + after or before)[:4]
    containers = {
        y.canonical
        for x, y in zip(chosen, chosen[1:], strict=False)
        if a.text[x.end : y.start].strip() == ","
    }
    if chosen:
        fields["place"] = next(
            (c.canonical for c in chosen if c.canonical not in containers), chosen[0].canonical
        )
    if deaths := _count(_DEATHS, sent):
        fields["deaths"], fields["deaths_qualifier"] = deaths
    if injured := _count(_INJURED, sent):
        fields["injured"], fields["injured_qualifier"] = injured
    target = None
    if (tm := _TARGET.search(sent, max(0, trig.start() - 1))) and tm.start() - trig.start() < 40:
        target = " ".join(tm.group("t").split())
        fields["target"] = target
    near = [d for d in dates if d.start is not None and s <= d.start < e]
    if near:
        best = min(near, key=lambda d: abs((d.start or 0) - (s + trig.start())))
        fields.update(best.fields())
    claim = _CLAIM.search(sent)
    if claim:
        # "X claimed responsibility" names X before; "claimed by X" names X after.
        if "by" in claim.group(0).lower():
            org = _org_near(a, s + claim.end(), min(e, s + claim.end() + 80))
        else:
            org = _org_near(a, s, s + claim.start(), before_pos=s + claim.start())
            org = org or _org_near(a, s + claim.end(), min(e, s + claim.end() + 30))  # "on Isis's behalf"
        if org:
            fields["claimed_by"], fields["claimed_by_id"], fields["claimed_by_text"] = org
    by = _BY.search(sent, trig.end())
    if by and by.start() - trig.end() < 40 and "claimed" not in sent[trig.end() : by.start()]:
        org = _org_near(a, s + by.end(), min(e, s + by.end() + 80))
        if org:
            fields["perpetrator"], fields["perpetrator_id"], fields["perpetrator_text"] = org
    if "perpetrator" not in fields:
        # "<org> attacked / bombed ...": an organisation right before an attack verb is its subject.
        subject = mentions_in(a, max(s, s + trig.start() - 40), s + trig.start(), "organisation")
        if subject and not claim and trig.group("t").lower().endswith("ed"):
            o = subject[-1]
            fields["perpetrator"], fields["perpetrator_id"], fields["perpetrator_text"] = (
                o.canonical,
                o.entity_id,
                o.text,
            )
    definite = bool(_SPECIFIC_REF.search(sent))
    word = trig.group("t").lower()
    if word in {"killed", "murdered"} and "deaths" not in fields:
        return None  # "Muslims killed in Syria": a killing word alone is too vague to be an attack
    if (
        _PLURAL.search(word)
        and not {"deaths", "injured", "claimed_by"} & fields.keys()
        and not fields.get("date_resolved")
    ):
        return None  # "attacks in Europe by Muslims": a generic plural, not one attack
    return AttackMention(s, e, fields, [m.canonical for m in chosen], target, definite, containers)


def _specific(m: AttackMention) -> bool:
    keys = {"place", "deaths", "injured", "claimed_by", "perpetrator", "target"}
    return bool(keys & m.fields.keys()) or bool(m.fields.get("date_resolved"))


def _head(target: str | None) -> str | None:
    """The head noun of a target ("the Russian theater" -> "theater"), to merge rephrasings."""
    return target.split()[-1].lower() if target else None


def _matches(ev: AttackEvent, m: AttackMention) -> bool:
    heads = {_head(t) for t in ev.targets}
    return bool((m.places and ev.places & set(m.places)) or (m.target and _head(m.target) in heads))


def _merge_into(events: list[AttackEvent], m: AttackMention, last: list[AttackEvent]) -> None:
    """Add a mention to the events that share its place or target (joining them when it bridges
    two: "Crocus City theater, Moscow"), to the latest event when it is a bare "the attack", or
    start a new event when it says something specific."""
    hits = [ev for ev in events if _matches(ev, m)]
    if hits:
        first = hits[0]
        for other in hits[1:]:
            first.mentions.extend(other.mentions)
            events.remove(other)
        first.mentions.append(m)
        first.mentions.sort(key=lambda x: x.start)
        last[:] = [first]
        return
    if not m.places and m.definite and last:
        last[0].mentions.append(m)
        return
    if _specific(m):
        events.append(AttackEvent([m]))
        last[:] = [events[-1]]


def _most_specific(a: Analysis, ids: list[str | None]) -> str | None:
    """Of several claimants, the branch rather than its parent (ISIS-K rather than ISIS)."""
    known = [i for i in ids if i]
    for i in known:
        entry = a.gazetteer_ref.get(i) if a.gazetteer_ref is not None else None
        if entry and entry.parent in known:
            return i
    return None


def _combine(a: Analysis, ev: AttackEvent) -> tuple[dict[str, Any], tuple[Evidence, ...]]:
    out: dict[str, Any] = {}
    support: dict[tuple[int, int], list[str]] = {}
    for key in ("type", "place", "target", "perpetrator", "claimed_by"):
        values = [
            m.fields[key]
            for m in ev.mentions
            if m.fields.get(key) and not (key == "type" and m.fields[key] == "attack")
        ]
        if key == "place":
            containers = {c for m in ev.mentions for c in m.containers}
            weighted: Counter[str] = Counter()
            for m in ev.mentions:
                for p in m.places:
                    weighted[p] += 2 if p == m.fields.get("place") else 1
            countries = [p for p in weighted if _is_region(p)]
            if countries:
                out["country"] = max(countries, key=lambda v: (weighted[v], a.masked.count(v)))
            cities = [p for p in weighted if p not in containers and not _is_region(p)]
            values = cities or [p for p in weighted if p not in containers] or values
            counts = Counter({v: weighted.get(v, 1) for v in values})
        else:
            counts = Counter(values)
        if values:
            # ties go to the name the item repeats most (Moscow over Crocus City)
            out[key] = max(counts, key=lambda v: (counts[v], a.masked.count(v)))
            if key in {"perpetrator", "claimed_by"}:
                branch = _most_specific(a, [m.fields.get(key + "_id") for m in ev.mentions])
                if branch:
                    out[key] = next(m.fields[key] for m in ev.mentions if m.fields.get(key + "_id") == branch)
            for m in ev.mentions:
                if m.fields.get(key) == out[key] or (key == "place" and out[key] in m.places):
                    support.setdefault((m.start, m.end), []).append(key)
            for suffix in ("_id", "_text"):
                found = next(
                    (
                        m.fields.get(key + suffix)
                        for m in ev.mentions
                        if m.fields.get(key) == out[key] and m.fields.get(key + suffix)
                    ),
                    None,
                )
                if found:
                    out[key + suffix] = found
    out.setdefault("type", "attack")
    for key in ("deaths", "injured"):
        counted = [
            (m.fields[key], m.fields.get(key + "_qualifier"), m) for m in ev.mentions if key in m.fields
        ]
        if counted:
            n, q = Counter((n, q) for n, q, _ in counted).most_common(1)[0][0]
            out[key], out[key + "_qualifier"] = n, q
            for value, _, mm in counted:
                if value == n:
                    support.setdefault((mm.start, mm.end), []).append(key)
    dated = [m for m in ev.mentions if m.fields.get("date_expression")]
    if dated:
        order = {"day": 0, "week": 1, "month": 2, "year": 3}
        resolved = sorted(
            (m for m in dated if m.fields.get("date_resolved")),
            key=lambda m: order.get(m.fields.get("date_granularity") or "", 4),
        )
        best = resolved[0] if resolved else dated[0]
        for k in ("date", "date_resolved", "date_expression", "date_granularity"):
            out[k] = best.fields.get(k)
        support.setdefault((best.start, best.end), []).append("date")
    else:
        out.update({"date": None, "date_resolved": False, "date_expression": None})
    out["mentions"] = len(ev.mentions)
    evid = [evidence(a, s, e, ",".join(dict.fromkeys(keys))) for (s, e), keys in sorted(support.items())]
    if not evid:
        evid = [evidence(a, ev.mentions[0].start, ev.mentions[0].end, "mention")]
    return out, tuple(evid)


def _strong(ev: AttackEvent) -> bool:
    keys = {"deaths", "injured", "claimed_by", "perpetrator", "target"}
    return any(keys & m.fields.keys() or m.fields.get("date_resolved") for m in ev.mentions)


def find_attacks(a: Analysis) -> list[tuple[dict[str, Any], tuple[Evidence, ...], list[tuple[int, int]]]]:
    """Attack events in the item: (fields, evidence, sentence spans of every mention)."""
    events: list[AttackEvent] = []
    last: list[AttackEvent] = []
    for s, e in a.sentences:
        sent = a.masked[s:e]
        for trig in _TRIGGER.finditer(sent):
            m = _mention(a, s, e, trig, a.dates)
            if m is not None:
                _merge_into(events, m, last)
                break  # one mention per sentence: the first attack word carries the sentence
    strong = [ev for ev in events if _strong(ev)]
    if len(strong) == 1:
        for ev in [ev for ev in events if ev is not strong[0]]:
            if not _strong(ev):  # "the attack in Russia" next to the one detailed Moscow attack
                strong[0].mentions.extend(ev.mentions)
                events.remove(ev)
    out = []
    for ev in events:
        fields, evid = _combine(a, ev)
        out.append((fields, evid, [(m.start, m.end) for m in ev.mentions]))
    return out
