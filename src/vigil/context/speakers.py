"""Who said each quote: attribution cues and speaker resolution.

For each quoted span this module looks, in the sentence around it, for the reported-speech pattern
that names its speaker:

* after the quote: ``"…," he said`` / ``"…," said Peskov`` / ``"…," according to the speech``;
* before it: ``X called on supporters to "…"``, ``the post argued that … "…"``, ``X said: "…"``,
  ``Reuters reported that spokesman X `praised` …`` (the clause after "reported that" names the speaker);
* none: a quote that fills its own paragraph continues the previous paragraph's quote (news style).

The speaker found may be a name ("Abu Hassan al-Muhajir"), a description ("an unidentified Islamic
State militant") or a reference ("he", "it", "the spokesman", "the post"). References resolve to the most
recent fitting entity before the quote: "he"/"she" to a person, "it"/"the post"/"the message" to a
channel or organisation, "the spokesman" to whoever was introduced with that role. Entities come from
appositions ("Media Analyst, a pro-Islamic State (ISIS) Telegram channel,", "IS spokesman Abu Huthaifa
al-Ansari") and from earlier attributions; a later surname ("Al Ansari", "Mr. Durov") joins the first
full name with the same surname. This is a heuristic reader, not a parser: it is tuned on news prose
and says "unknown" (None) rather than guess when nothing fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.context.names import (
    _AUXILIARIES,
    _CHANNEL_ROLES,
    _DETERMINERS,
    _LEADING_ADVERBS,
    _PERSON_ROLES,
    _PREP,
    _PRODUCT_ROLES,
    _PRONOUNS,
    ROLE_NOUNS,
    Entity,
    _best_name,
    _head_noun,
    _kind_of_name,
    _names,
    _surname_key,
)
from vigil.context.quotes import QuoteSpan
from vigil.context.verbs import ACCORDING_TO, INVERSION_VERBS, REPORTING_VERB, speech_verbs

_INTRO = re.compile(
    r"\s*(?:(?:even\s+)?(?:before|after|when|while|as|although|though|if|since|because|once|until|unless|"
    r"in|on|at|during|after|before|throughout|within|under|with|without|by|for|from|since|despite|"
    r"contrary to|additionally|meanwhile|however|earlier|later|also|hailing|mocking|titled|assessing|"
    r"speaking|referring|besieged)\b[^,]*,\s*)+",
    re.IGNORECASE,
)
_POST_SUBJECT_VERB = re.compile(r"^[\s,.;:–—-]*(?P<subj>[^\s,.;:!?][^,.;:!?\n]{0,60}?)\s+(?P<verb>\w+)\b")
_POST_VERB_SUBJECT = re.compile(
    r"^[\s,.;:–—-]*(?P<verb>\w+(?: (?:on|upon|for))?)\s+(?P<subj>[^,.;:!?\n]{1,60})"
)
_SENTENCE_BREAK = re.compile(r"[.!?](?=[\s\"'”’»)]*\s)|\n")
_APPOSITION_ANCHOR = re.compile(r", (?:a|an|the) ")
_APPOSITION_ROLE = re.compile(
    r"[^,.;\n]{0,80}(?<![-\w])(?P<role>channel|outlet|account|group|organi[sz]ation|agency|spokes(?:man|woman|person)|"
    r"militant|cleric|preacher|leader|commander|page|website|magazine|foundation|"
    r"media (?:arm|outlet|office|company))\b[^,.;\n]{0,40}?,"
)
_ROLE_THEN_NAME = re.compile(
    r"(?<![-\w])(?P<role>spokes(?:man|woman|person)|leader|commander|emir|militant|fighter|preacher|founder|owner|"
    r"chief|minister|president|official|cleric|ideologue)(?:\s+for\s+[^,]{1,40})?(?:,|\s+identified only as)?"
    r"\s+(?P<name>(?:[Aa]l-|[A-Z]))",
)


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None
    cue: str | None


class SpeakerResolver:
    """Attributes the quotes of one text. Build one per text; it keeps the entities seen so far."""

    def __init__(self, text: str, quotes: list[QuoteSpan]) -> None:
        self.text = text
        self.quotes = quotes
        self.outside = _mask_quotes(text, quotes)
        self.mentions: list[tuple[int, Entity]] = []
        self.by_surname: dict[str, Entity] = {}
        # Entities only matter when there is a quote to attribute; most short posts have none.
        self.caps = bool(quotes) and _mostly_upper(text)
        if quotes:
            self._collect_appositions()

    # ---- entities ---------------------------------------------------------------------------------

    def _entity(self, name: str, role: str | None, position: int) -> Entity:
        kind = _kind_of_name(name, role)
        key = _surname_key(name) if kind == "person" and not self.caps else name.lower()
        entity = self.by_surname.get(key)
        if entity is None:
            entity = Entity(name, kind, role)
            self.by_surname[key] = entity
        elif role and entity.role is None:
            entity.role = role
        self.mentions.append((position, entity))
        return entity

    def _collect_appositions(self) -> None:
        if self.caps:
            return
        for anchor in _APPOSITION_ANCHOR.finditer(self.outside):
            # "NAME, a|an|the DESCRIPTION ROLE …," : the name is the stretch before the comma.
            back = max(self.outside.rfind(ch, 0, anchor.start()) for ch in ",.;\n(") + 1
            if anchor.start() - back > 60:
                continue
            role = _APPOSITION_ROLE.match(
                self.outside, anchor.end(), min(len(self.outside), anchor.end() + 130)
            )
            if role is None:
                continue
            found = _names(self.outside, back, anchor.start())
            if found:
                self._entity(found[-1][1], role.group("role").lower(), found[-1][0])
        for match in _ROLE_THEN_NAME.finditer(self.outside):
            found = _names(self.outside, match.start("name"), min(len(self.text), match.start("name") + 60))
            if found and found[0][0] == match.start("name"):
                after = self.outside[found[0][0] + len(found[0][1]) :].split(None, 1)
                if after and after[0].lower().strip(",.;:") in ROLE_NOUNS:
                    continue  # "militant Telegram channel": the capitalised word is a modifier
                self._entity(found[0][1], match.group("role").lower(), found[0][0])

    def _recent(self, position: int, kinds: tuple[str, ...], role: str | None = None) -> Entity | None:
        for pos, entity in reversed(self.mentions):
            if pos >= position:
                continue
            if role is not None and (entity.role is None or not entity.role.startswith(role[:6])):
                continue
            if entity.kind in kinds:
                return entity
        return None

    # ---- noun phrases -----------------------------------------------------------------------------

    def _resolve_np(self, start: int, end: int, position: int) -> str | None:
        """The speaker named by the noun phrase ``outside[start:end]``, resolved to an entity."""
        masked = self.outside.rfind("_", start, end)
        if masked >= 0:  # keep what follows the last quote inside the phrase
            start = masked + 1
        phrase = self.outside[start:end].strip(" \t\n,;:.!?–—-\"'“”‘’`")
        if not phrase or len(phrase.split()) > 12:
            return None
        words = phrase.split()
        while words and words[0].lower().strip(",") in _LEADING_ADVERBS:
            words.pop(0)
        while words and words[-1].lower() in _AUXILIARIES:
            words.pop()
        phrase = " ".join(words)
        if not phrase:
            return None
        lower = phrase.lower()
        if lower in _PRONOUNS:
            want = _PRONOUNS[lower]
            kinds = ("person",) if want == "person" else ("channel", "org", "thing", "group", "person")
            entity = self._recent(position, kinds)
            return entity.canonical if entity else None
        core = _PREP.split(f" {phrase} ")[0].strip(" ,–—-")
        head = _head_noun(core)
        if not self.caps:
            names = [
                (pos, name)
                for pos, name in _names(self.outside, start, start + len(self.outside[start:end]))
                if name in core
            ]
            if names and core.endswith(names[-1][1]):
                pos, name = _best_name(names, self.outside, start)
                return self._entity(name, None, pos).canonical
            if head in ROLE_NOUNS:
                return self._resolve_role(core, head, start, position)
            if names:
                pos, name = _best_name(names, self.outside, start)
                return self._entity(name, None, pos).canonical
            return None
        if head in ROLE_NOUNS:
            return self._resolve_role(core, head, start, position)
        return core if 0 < len(core.split()) <= 6 else None

    def _resolve_role(self, phrase: str, head: str, start: int, position: int) -> str | None:
        first = phrase.split()[0].lower()
        if first not in _DETERMINERS or self.caps:  # "an unidentified militant", "experts": a new speaker
            core = _PREP.split(f" {phrase} ")[0].strip()
            return self._entity(core, head, start).canonical
        if head in _PRODUCT_ROLES:
            entity = self._recent(position, ("channel",)) or self._recent(position, ("org", "person"))
        elif head in _CHANNEL_ROLES:
            entity = self._recent(position, ("channel",))
        elif head.startswith("spokes"):
            entity = self._recent(position, ("person",), role="spokes") or self._recent(position, ("person",))
        elif head in _PERSON_ROLES:
            entity = self._recent(position, ("person",), role=head) or self._recent(position, ("person",))
        else:
            entity = self._recent(position, ("org", "channel", "group"))
        if entity is not None:
            self.mentions.append((start, entity))
            return entity.canonical
        core = _PREP.split(f" {phrase} ")[0].strip()
        return core if len(core.split()) <= 6 else None

    # ---- attribution ------------------------------------------------------------------------------

    def attribute_all(self) -> list[Attribution]:
        out: list[Attribution] = []
        previous: Attribution | None = None
        previous_quote: QuoteSpan | None = None
        for quote in self.quotes:
            found = self._attribute(quote)
            if found.speaker is None and self._fills_paragraph(quote):
                found = self._after_colon_paragraph(quote) or found
            if found.speaker is None and previous is not None and previous_quote is not None:
                same = self._paragraph(previous_quote.start) == self._paragraph(quote.start)
                if same or (self._fills_paragraph(quote) and self._next_paragraph(previous_quote, quote)):
                    found = Attribution(previous.speaker, "continued")
            out.append(found)
            if found.speaker is not None:
                previous, previous_quote = found, quote
        return out

    def _sentence_bounds(self, quote: QuoteSpan) -> tuple[int, int]:
        start = 0
        for match in _SENTENCE_BREAK.finditer(self.outside, 0, quote.start):
            start = match.end()
        end_match = _SENTENCE_BREAK.search(self.outside, quote.end)
        return start, (end_match.end() if end_match else len(self.outside))

    def _attribute(self, quote: QuoteSpan) -> Attribution:
        s_start, s_end = self._sentence_bounds(quote)
        if self._verb_just_before(quote, s_start):
            # 'The spokesman urged "…", the agency reported': the verb that introduces the quote names
            # its speaker; the credit after it names who reported it
            before = self._before_quote(quote, s_start, s_end)
            if before.speaker is not None:
                return before
        after = self._after_quote(quote, s_end)
        if after.speaker is not None:
            return after
        return self._before_quote(quote, s_start, s_end)

    def _verb_just_before(self, quote: QuoteSpan, s_start: int) -> bool:
        """A speech verb at most three words before the quote opens ("urged lone wolves to \"…\"")."""
        start = max(s_start, quote.start - 60)
        verbs = speech_verbs(self.outside, start, quote.start)
        return bool(verbs) and len(self.outside[verbs[-1].end() : quote.start].split()) <= 3

    def _after_quote(self, quote: QuoteSpan, s_end: int) -> Attribution:
        close = quote.end
        while close < len(self.outside) and self.outside[close] in "\"'”’»`」』》〉﴿":
            close += 1
        tail = self.outside[close:s_end]
        according = ACCORDING_TO.match(tail.lstrip(" ,"))
        if according:
            offset = close + len(tail) - len(tail.lstrip(" ,")) + according.end()
            end = _SENTENCE_BREAK.search(self.outside, offset)
            stop = min(end.start() if end else s_end, offset + 60)
            clause_end = self.outside.find(",", offset, stop)
            speaker = self._resolve_np(offset, clause_end if clause_end > 0 else stop, quote.start)
            return Attribution(speaker, according.group().lower())
        verbs = speech_verbs(self.outside, close, min(s_end, close + 80))
        if not verbs:
            return Attribution(None, None)
        verb = verbs[0]
        between = self.outside[close : verb.start()]
        if between.strip(" .;:–—-,") == "":  # "…," said Peskov
            if verb.group().lower() not in INVERSION_VERBS:
                return Attribution(None, None)
            subject = _POST_VERB_SUBJECT.match(self.outside[verb.start() : s_end])
            if subject:
                start = verb.start() + subject.start("subj")
                stop = start + len(_PREP.split(f" {subject.group('subj')} ")[0].strip())
                return Attribution(self._resolve_np(start, stop, quote.start), verb.group().lower())
            return Attribution(None, None)
        comma = self.outside.rfind(",", close, verb.start())
        start = comma + 1 if comma >= 0 else close
        if len(self.outside[start : verb.start()].split()) <= 6:  # "…," he said / "…", X says
            speaker = self._resolve_np(start, verb.start(), quote.start)
            if speaker is not None:
                return Attribution(speaker, verb.group().lower())
        return Attribution(None, None)

    def _before_quote(self, quote: QuoteSpan, s_start: int, s_end: int) -> Attribution:
        prefix_end = quote.start
        while prefix_end > s_start and self.outside[prefix_end - 1] in "\"'“‘«„`「『《〈﴾":
            prefix_end -= 1
        verbs = speech_verbs(self.outside, s_start, prefix_end)
        if verbs:
            verb = verbs[-1]
            reported = REPORTING_VERB.match(self.outside, verb.start())
            if reported and not self.caps:
                names = _names(self.outside, reported.end(), prefix_end)
                if names and len(self.outside[reported.end() : names[0][0]].split()) <= 3:
                    pos, name = _best_name(names, self.outside, reported.end())
                    return Attribution(self._entity(name, None, pos).canonical, verb.group().lower())
            start = s_start
            intro = _INTRO.match(self.outside, s_start, verb.start())
            if intro:
                start = intro.end()
            clause = self.outside[start : verb.start()]
            for boundary in (" that ", " which ", " who ", " and "):
                cut = clause.rfind(boundary)
                rest = clause[cut + len(boundary) :].strip() if cut >= 0 else ""
                if rest and _head_noun(rest) != "":
                    start = start + cut + len(boundary)
                    break
            return Attribution(self._resolve_np(start, verb.start(), quote.start), verb.group().lower())
        according = list(ACCORDING_TO.finditer(self.outside, s_start, prefix_end))
        if according:
            offset = according[-1].end()
            comma = self.outside.find(",", offset, prefix_end)
            speaker = self._resolve_np(offset, comma if comma > 0 else prefix_end, quote.start)
            return Attribution(speaker, according[-1].group().lower())
        return Attribution(None, None)

    def _after_colon_paragraph(self, quote: QuoteSpan) -> Attribution | None:
        """A block quote after a paragraph that ends "… the post responded:"."""
        start, _ = self._paragraph(quote.start)
        before = self.outside[:start].rstrip()
        if not before.endswith(":"):
            return None
        colon_at = len(before) - 1
        s_start = 0
        for match in _SENTENCE_BREAK.finditer(self.outside, 0, colon_at):
            s_start = match.end()
        found = self._before_quote(QuoteSpan(colon_at + 1, colon_at + 1, ":"), s_start, colon_at)
        return found if found.speaker is not None else None

    # ---- paragraphs -------------------------------------------------------------------------------

    def _paragraph(self, position: int) -> tuple[int, int]:
        start = self.text.rfind("\n\n", 0, position)
        end = self.text.find("\n\n", position)
        return (0 if start < 0 else start + 2), (len(self.text) if end < 0 else end)

    def _fills_paragraph(self, quote: QuoteSpan) -> bool:
        start, end = self._paragraph(quote.start)
        body = self.text[start:end].strip()
        return bool(body) and (quote.end - quote.start) >= 0.8 * len(body)

    def _next_paragraph(self, earlier: QuoteSpan, later: QuoteSpan) -> bool:
        return self._paragraph(earlier.start)[1] <= later.start and (
            self._paragraph(later.start)[0] - self._paragraph(earlier.start)[1] <= 4
            or self._paragraph(earlier.start) == self._paragraph(later.start)
        )


_NON_SPACE = re.compile(r"\S")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ASCII_UPPER = re.compile(r"[A-Z]")


def _mostly_upper(text: str) -> bool:
    """All-caps wire copy (MUC): case says nothing about names there."""
    sample = text[:3000]
    letters = len(_ASCII_LETTER.findall(sample))
    return letters > 40 and len(_ASCII_UPPER.findall(sample)) > 0.7 * letters


def _mask_quotes(text: str, quotes: list[QuoteSpan]) -> str:
    """``text`` with the quoted words replaced by underscores, so that cues inside quotes are not read."""
    if not quotes:
        return text
    parts: list[str] = []
    last = 0
    for quote in quotes:
        parts.append(text[last : quote.start])
        parts.append(_NON_SPACE.sub("_", text[quote.start : quote.end]))
        last = quote.end
    parts.append(text[last:])
    return "".join(parts)
