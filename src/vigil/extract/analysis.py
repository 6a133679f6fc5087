"""One shared reading of an item for both extractors: furniture masked, item date, sentences,
gazetteer matches, spaCy entities and the combined entity mentions.

Both the ``entities`` and the ``events`` plugin need the same reading; `analyse` computes it once and
keeps the last few, so running both plugins on an item costs one spaCy pass.

Combination rule: gazetteer matches win; spaCy PERSON / ORG / GPE / LOC / FAC / DATE fill the rest;
PERSON mentions (and "Abu ..." names spaCy misses, in Latin or Arabic script) are linked to gazetteer
persons across transliterations, or, inside the item, a short form ("Al Ansari") to the full name
used earlier.

Where it sits: called by `entities.EntitiesExtractor` and `events.EventsExtractor`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vigil.core.records import EntityMention, Item
from vigil.extract import furniture, nlp
from vigil.extract.dates import DateValue, find_dates, item_anchor
from vigil.extract.gazetteer import Gazetteer, GazetteerEntry
from vigil.extract.matcher import GazetteerMatcher, GazMatch
from vigil.extract.names import parse_name, resolve_short_form, same_person
from vigil.extract.sentences import split_sentences

SPACY_MIN_CHARS = 20
SPACY_MAX_CHARS = (
    60_000  # longer English texts: spaCy reads the first part (mentions beyond come from the gazetteer)
)
_CACHE_SIZE = 4

_KUNYA_LATIN = re.compile(
    r"\b(?:Abu|Abou|Umm)[ -](?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[A-Z][\w'’ʿ]+(?:-[A-Z][\w'’ʿ]+)?"
    r"(?:[ -](?:[Aa]l|[Ee]l|[Aa][dnrstz]|[Aa]sh)[- ][A-Z][\w'’ʿ]+)*"
)
_KUNYA_ARABIC = re.compile(r"(?:أبو|ابو|أبي|أم) \S+(?: ال\S+)*")
_CHANNEL = re.compile(
    r"(?P<name>[A-Z][\w'’&.-]*(?: [A-Z0-9][\w'’&.-]*){0,4}),? an? (?:[\w()'’-]+ ){0,5}"
    r"(?:Telegram|TamTam|Rocket\.Chat|WhatsApp|Element|Hoop|Chirpwire) (?:channel|group|account|outlet|chat)"
)
_LABEL_KIND = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "DATE": "date",
}
_BAD_ENT = re.compile(r"^[\W\d_]+$|\n")


@dataclass
class Analysis:
    item: Item
    text: str
    masked: str
    furniture: list[tuple[int, int]]
    anchor: date | None
    anchor_source: str
    english: bool
    sentences: list[tuple[int, int]]
    gazetteer: list[GazMatch]
    spacy_ents: list[tuple[str, int, int]]
    dates: list[DateValue]
    mentions: list[EntityMention] = field(default_factory=list)
    doc: Any = None
    gazetteer_ref: Any = None  # the Gazetteer the matches came from (parents of branches)


def is_english(item: Item) -> bool:
    if item.language:
        return item.language.split("-")[0].lower() == "en"
    letters = [c for c in item.normalized[:2000] if c.isalpha()]
    return bool(letters) and sum("a" <= c.lower() <= "z" for c in letters) / len(letters) > 0.9


class Analyser:
    """Holds the gazetteer matcher and the spaCy pipeline; `analyse` reads one item."""

    def __init__(self, gazetteer: Gazetteer, extractor_id: str, *, use_spacy: bool = True) -> None:
        self.gazetteer = gazetteer
        self.matcher = GazetteerMatcher(gazetteer)
        self.extractor_id = extractor_id
        self.nlp = nlp.load_english() if use_spacy else None
        self.persons = gazetteer.of_kind("person")
        self._parsed = {e.id: [parse_name(n) for n in e.all_names] for e in self.persons}
        self._cache: list[Analysis] = []

    def analyse(self, item: Item) -> Analysis:
        for cached in self._cache:
            if cached.item is item:
                return cached
        result = self._analyse(item)
        self._cache = [result, *self._cache[: _CACHE_SIZE - 1]]
        return result

    def _analyse(self, item: Item) -> Analysis:
        text = item.normalized
        spans = furniture.furniture_spans(text)
        masked = furniture.mask(text, spans)
        anchor, source = item_anchor(item)
        english = is_english(item)
        doc = None
        ents: list[tuple[str, int, int]] = []
        if self.nlp is not None and english and len(masked.strip()) >= SPACY_MIN_CHARS:
            doc = self.nlp(masked[:SPACY_MAX_CHARS])
            upper = sum(c.isupper() for c in masked) > 0.6 * max(1, sum(c.isalpha() for c in masked))
            # In all-caps text (wire copy) the small English model tags nearly every capitalised run
            # as an entity; only its dates are kept there, names come from the gazetteer and rules.
            ents = [
                (e.label_, e.start_char, e.end_char)
                for e in doc.ents
                if e.label_ in _LABEL_KIND
                and (e.label_ == "DATE" or (not upper and any(c.isupper() for c in e.text)))
                and not _BAD_ENT.search(e.text)
                and len(e.text.split()) <= 6
            ]
        sentences = split_sentences(masked)
        gaz = self.matcher.find(masked)
        analysis = Analysis(
            item,
            text,
            masked,
            spans,
            anchor,
            source,
            english,
            sentences,
            gaz,
            ents,
            find_dates(masked, anchor),
            doc=doc,
        )
        analysis.gazetteer_ref = self.gazetteer
        analysis.mentions = self._mentions(analysis)
        return analysis

    # ---- combining -------------------------------------------------------------------------

    def _mentions(self, a: Analysis) -> list[EntityMention]:
        taken: list[tuple[int, int]] = []
        out: list[EntityMention] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        def add(kind: str, canonical: str, start: int, end: int, entity_id: str | None) -> None:
            out.append(
                EntityMention(kind, canonical, a.text[start:end], start, end, self.extractor_id, entity_id)
            )
            taken.append((start, end))

        for g in a.gazetteer:
            add(g.entry.kind, g.entry.canonical, g.start, g.end, g.entry.id)
        person_spans = [(s, e) for label, s, e in a.spacy_ents if label == "PERSON"]
        person_spans += [(m.start(), m.end()) for m in _KUNYA_LATIN.finditer(a.masked)]
        person_spans += [(m.start(), m.end()) for m in _KUNYA_ARABIC.finditer(a.masked)]
        full_names: list[tuple[str, str | None, str]] = []  # (mention text, entity id, canonical)
        for em in out:
            if em.kind == "person":
                full_names.append((em.text, em.entity_id, em.canonical))
        for start, end in sorted(set(person_spans), key=lambda s: (s[0], -(s[1] - s[0]))):
            start, end = _trim_possessive(a.text, start, end)
            if end - start < 3 or not free(start, end):
                continue
            mention = a.text[start:end]
            entry = self.link_person(mention)
            if entry is not None:
                add("person", entry.canonical, start, end, entry.id)
                full_names.append((mention, entry.id, entry.canonical))
                continue
            short = resolve_short_form(mention, [n for n, _, _ in full_names])
            if short is not None:
                _, entity_id, canonical = next(f for f in full_names if f[0] == short)
                add("person", canonical, start, end, entity_id)
                continue
            if parse_name(mention).parts >= 2 or mention[:1].isupper():
                add("person", _clean(mention), start, end, None)
                full_names.append((mention, None, _clean(mention)))
        for start, end, canonical in acronym_orgs(a.masked):
            if free(start, end):
                add("organisation", canonical, start, end, None)
        for cm in _CHANNEL.finditer(a.masked):
            s, e = cm.span("name")
            if free(s, e):
                add("channel", _clean(cm.group("name")), s, e, None)
        for label, start, end in a.spacy_ents:
            kind = _LABEL_KIND[label]
            if kind in {"person", "date"} or not free(start, end) or _BAD_ENT.search(a.text[start:end]):
                continue
            add(kind, _clean(a.text[start:end]), start, end, None)
        for d in a.dates:
            if d.start is not None and d.end is not None and free(d.start, d.end):
                add("date", d.value if d.resolved and d.value else d.expression, d.start, d.end, None)
        for label, start, end in a.spacy_ents:
            if label == "DATE" and free(start, end) and not _BAD_ENT.search(a.text[start:end]):
                add("date", a.text[start:end], start, end, None)
        out = [m for m in out if not furniture.is_furniture(a.text, m.start, m.end, a.furniture)]
        out.sort(key=lambda m: (m.start, m.end))
        return out

    def link_person(self, mention: str) -> GazetteerEntry | None:
        """The gazetteer person ``mention`` names, across transliterations (None when unknown)."""
        parsed = parse_name(mention)
        if parsed.parts < 2:
            return None
        for entry in self.persons:
            if any(same_person(parsed, known) for known in self._parsed[entry.id]):
                return entry
        return None


_ACRONYM = re.compile(r"(?P<long>(?:[A-Za-z][\w'’-]*\s+){1,10}?)[\[(](?P<abbr>[A-Z][A-Z-]{1,7})[\])]")
_STOP = frozenset(["of", "the", "for", "and", "de", "del", "la", "las", "los", "y", "el", "in"])


def acronym_orgs(text: str) -> list[tuple[int, int, str]]:
    """Organisations defined in the text as "Long Name (ABBR)": the long form and every later use of
    the abbreviation, e.g. "Farabundo Marti National Liberation Front [FMLN]" then "FMLN"."""
    out: list[tuple[int, int, str]] = []
    for m in _ACRONYM.finditer(text):
        abbr = m.group("abbr").replace("-", "")
        words = list(re.finditer(r"[\w'’-]+", m.group("long")))
        for i in range(len(words) - 1, -1, -1):
            content = [w.group(0) for w in words[i:] if w.group(0).lower() not in _STOP]
            initials = "".join(w[0] for w in content).upper()
            # Spanish and translated names keep their original acronym (FMLN for the Farabundo Marti
            # National Liberation Front), so the letters must be there, not in order.
            if (
                (
                    initials == abbr
                    or (len(content) >= 2 and initials[0] == abbr[0] and _contains_letters(initials, abbr))
                )
                and len(content) >= max(2, len(abbr) - 1)
                and words[i].group(0).lower() not in _STOP
            ):
                start = m.start("long") + words[i].start()
                long_text = " ".join(text[start : m.start("long") + words[-1].end()].split())
                canonical = f"{long_text} ({abbr})"
                out.append((start, m.start("long") + words[-1].end(), canonical))
                out.append((m.start("abbr"), m.end("abbr"), canonical))
                for use in re.finditer(rf"\b{re.escape(m.group('abbr'))}\b", text[m.end() :]):
                    out.append((m.end() + use.start(), m.end() + use.end(), canonical))
                break
    return out


def _contains_letters(hay: str, needle: str) -> bool:
    return all(hay.count(ch) >= needle.count(ch) for ch in set(needle))


def _trim_possessive(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    for suffix in ("'s", "’s"):
        if span.endswith(suffix):
            return start, end - len(suffix)
    return start, end


def _clean(text: str) -> str:
    text = " ".join(text.split())
    for prefix in ("the ", "The "):
        if text.startswith(prefix) and len(text) > len(prefix) + 2:
            text = text[len(prefix) :]
    return text.rstrip("'’").removesuffix("'s").removesuffix("’s")
