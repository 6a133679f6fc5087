"""Framing cues: what in a text says "this reports on it" and what says "this is it".

Cues come from three places:

* **structure** of the whole text: a dateline ("MOSCOW (Reuters) –", "BOGOTA, 26 APR 90 (EFE) --"), an
  agency lead ("(Dan Tri) –"), a source or photo credit, a byline, a headline, the bracket apparatus of
  a monitoring transcript ("[TEXT]", "[BEGIN RECORDING]");
* **phrases** in the author's own voice (everything outside quotes and page furniture), found by the
  lexicon: agencies and outlets, analysis and distancing vocabulary, news register, counter-speech,
  and on the other side the in-group vocabulary, praise formulas and official branding of the groups;
* **reported speech**: quotes attributed to a named third party, and unquoted "X said/urged/called on".

It also finds calls to violence made in the author's own voice (an imperative at the start of a
clause, "they should all be shot"): reporting framing cannot launder those, see `scoring.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.context.lexicon import find_phrases, lower_aligned, word_set
from vigil.context.quotes import QuoteSpan
from vigil.context.speakers import Attribution

# Families whose phrases only count in the author's voice; quoted words frame nothing.
VOICE_FAMILIES = frozenset(
    {
        "agency",
        "outlet",
        "monitoring",
        "research",
        "analysis",
        "news",
        "counter",
        "in_group",
        "praise",
        "official",
    }
)

_DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Za-z.'’ ]{1,40}?)(?:\s*\([A-Za-z .]{2,30}\)(?=,))?"
    r"(?:,\s*(?P<date>\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{2,4}|NO DATE|[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?))?"
    r"\s*(?P<outlet>\((?!Photo)[^()\n]{2,40}\))?\s*(?:--|–|—|-)\s",
    re.MULTILINE,
)
_AGENCY_LEAD = re.compile(r"^[ \t]*\([A-Z][\w .&'-]{1,30}\)\s*[–—-]", re.MULTILINE)
_DATE_LINE = re.compile(
    r"^[ \t]*(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4}[ \t]*$",
    re.MULTILINE,
)
_SOURCE_LINE = re.compile(r"^[ \t]*(?:Source|Sources|Quelle|Fuente)\s*:\s*\S[^\n]{0,60}$", re.MULTILINE)
_PHOTO_CREDIT = re.compile(r"\((?:Photo|Photos|Image|Photograph|Foto)\s*:\s*[^)\n]{2,40}\)", re.IGNORECASE)
_BYLINE = re.compile(
    r"^[ \t]*(?:By|Von|Par|Por)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z.]+){1,3}[ \t]*(?:,[^\n]{0,60})?$|"
    r"\bFollow\s+[A-Z][a-z]+\s+[A-Z][a-z]+\s+on\s+Twitter\b|\b(?:Reporting|Writing|Additional reporting)\s+by\s+[A-Z]|"
    r"\[(?:REPORT|ARTICLE|INTERVIEW[^\]]{0,80})\]\s*\[[A-Z][A-Z .'-]{2,40}\]",
    re.MULTILINE,
)
_TRANSCRIPT = re.compile(
    r"\[(?:TEXT|EXCERPTS?|SUMMARY|EDITORIAL REPORT|CONTINUED|BEGIN RECORDING|END RECORDING|WORDS INDISTINCT|"
    r"PASSAGE OMITTED|SENTENCE AS RECEIVED|COMMUNIQUE|STATEMENT|SPEECH)\]",
    re.IGNORECASE,
)
_VIA_HANDLE = re.compile(r"\bvia\s+@\w{2,30}", re.IGNORECASE)
# A handle that names a newsroom: "RT @cnnbrk:", "@BBCBreaking", "@myfoxla", "@NBC12".
_NEWSROOM = re.compile(
    r"news|cnn|bbc|abc|nbc|cbs|fox|msnbc|times|post|journal|globe|tribune|herald|gazette|reuters|afp|"
    r"press|daily|breaking|wire|chronicle|telegraph|guardian|bloomberg|npr|politico|mediaite|brk"
)
_URL = re.compile(r"https?://\S+|\bt\.co/\S+")

_VIOLENT_VERBS = (
    r"kill|slaughter|attack|strike|behead|shoot|burn|bomb|fight|target|hit|stab|hang|destroy|massacre|"
    r"avenge|execute|exterminate|annihilate|gas|lynch|murder|butcher|crush|run over|rise up|rise against|"
    r"take revenge|wage jihad|go out and fight"
)
_NOUN_USE = (
    r"on|in|at|of|by|for|was|is|has|had|kills|killed|left|leaves|victims|suspect|survivors|near|outside|"
    r"inside|against|claimed|hits|rocks|rocked|toll|blast|blasts|attack|attacks|explosion|threat|scare|"
    r"squad|disposal|maker|makers|plot|plots|suspect|suspects|survivor|wounds|injuries|alert|warning"
)
# What may stand before an imperative: the start of a clause, or a vocative ("O Muslims,", "brothers,").
_CLAUSE_BEFORE = re.compile(
    r"(?:\A\s*|[.!?;:\n]\s*|\b(?:o|oh|ya)\s+\w+(?:\s+\w+)?\s*[,!]\s*|"
    r"\b(?:brothers|sisters|muslims|lone wolves|youth|mujahideen|people|everyone|guys)\s*[,!]\s*)"
    r"(?:go\s+and\s+|now\s+|just\s+|so\s+)?\Z",
    re.IGNORECASE,
)
_VERB_AT = re.compile(rf"(?:{_VIOLENT_VERBS})\b(?!\s+(?:{_NOUN_USE})\b)(?=\s+\w|\s*!)", re.IGNORECASE)
_MODAL_EN = re.compile(
    r"\b(?:should|must|need to|needs to|ought to|deserve to|deserves to|have to)\s+(?:all\s+)?(?:be\s+)?"
    r"(?:killed|shot|hanged|hung|slaughtered|exterminated|gassed|burned|burnt|beheaded|die|executed|"
    r"wiped out|lynched|murdered|put to death|put against the wall)\b",
    re.IGNORECASE,
)
_MODAL_PARTICIPLES = word_set(
    "killed shot hanged hung slaughtered exterminated gassed burned burnt beheaded die executed wiped lynched "
    "murdered put"
)
_CALL_DE = re.compile(
    r"\b(?:tötet|erschießt|erschiesst|hängt|vergast|knallt)\s+(?:sie|ihn|die|alle)\b|\bzu den waffen\b|"
    r"\bbewaffnet euch\b|\bgehören\s+(?:alle\s+)?(?:erschossen|aufgehängt|vergast|ausgerottet)\b",
    re.IGNORECASE,
)
_CALL_AR = re.compile(r"اقتلوا|اذبحوا|انفروا|جاهدوا|اضربوا|احرقوا")

# Cheap prefilters: the expensive patterns run only when one of these words is in the text.
_VIOLENT_WORDS = frozenset(w.split()[0] for w in _VIOLENT_VERBS.split("|"))
_MODAL_WORDS = word_set(
    "should must need needs ought deserve deserves have tötet erschießt erschiesst hängt vergast knallt zu "
    "bewaffnet gehören"
)  # also the German words of _CALL_DE
_SPEECH_WORDS = word_set(
    "said says told tells added stated declared urged called warned announced claimed described praised vowed "
    "reiterated insisted argued explained reports reported confirms confirmed"
)
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_WORDS = re.compile(r"[^\W\d_]+")
_HANDLE = re.compile(r"@\w{2,30}")


def words_of(lower: str) -> frozenset[str]:
    """The set of words of a lower-cased text, computed once and shared by the cue finders."""
    return frozenset(_WORDS.findall(lower))


# Words that distance a mention of an official outlet: "the group's Amaq agency claimed …".
_DISTANCING = re.compile(
    r"\b(?:claimed|claims|claim|reportedly|according to|propaganda|linked|affiliated|mouthpiece|the group's|"
    r"the group’s|its|released by|said to|purportedly|alleged|allegedly|translated|monitor|analysis)\b",
    re.IGNORECASE,
)
_UNQUOTED_SPEECH = re.compile(
    r"\b(?:he|she|it|they|spokes(?:man|woman|person)|officials?|police|chief|ministry|group|sources?|"
    r"authorities|witnesses|investigators|[A-Z][a-z]+|[A-Z]{2,5})\s+"
    r"(?:said|says|told|tells|added|stated|declared|urged|called on|called for|warned|announced|claimed|"
    r"described|praised|vowed|reiterated|insisted|argued|explained|reports|reported|confirms|confirmed)\b"
)
_HOLLOW_SPEAKERS = frozenset({"they", "people", "we", "i", "you", "the brothers", "brothers", "the scholars"})
# Subjects of unquoted speech that name no one: "he said" may be anyone, "al-Ansari said" is someone.
PRONOUN_SUBJECTS = frozenset({"he", "she", "it", "they", "we", "i", "you"})
# The end of what a reported speaker said, when it is given without quote marks.
_COMPLEMENT_END = re.compile(r"[.!?;\n]|,\s*(?:according to|as reported by|analysts|officials|experts)\b", re.IGNORECASE)


EVIDENCE = 120


@dataclass(frozen=True, slots=True)
class Cue:
    family: str
    text: str
    start: int | None  # offsets into Item.normalized; None for a cue outside it (the item's title)
    end: int | None
    weight: float


def structural_cues(masked: str) -> list[Cue]:
    """Datelines, credits, bylines, transcript apparatus and a headline, in the furniture-free text."""
    cues: list[Cue] = []
    head = masked[:2000]
    # Each pattern runs only when a character it needs is present: most posts skip all of them.
    if "-" in head or "–" in head or "—" in head:
        for match in _DATELINE.finditer(head):
            if match.group("place").strip().upper() == "CLANDESTINE":
                # Monitoring services date a clandestine station's broadcast like news, but the words
                # that follow are the armed group's own: its branding, not a reporter's dateline.
                cues.append(Cue("official", match.group().strip(), match.start(), match.end(), -2.5))
            elif match.group("date") or match.group("outlet"):
                cues.append(Cue("dateline", match.group().strip(), match.start(), match.end(), 2.5))
        for match in _AGENCY_LEAD.finditer(head) if "(" in head else ():
            cues.append(Cue("agency", match.group().strip(), match.start(), match.end(), 2.0))
    if "," in head and "\n" in head:
        for match in _DATE_LINE.finditer(head):
            cues.append(Cue("dateline", match.group().strip(), match.start(), match.end(), 1.0))
    for needles, pattern, family, weight in (
        ((":",), _SOURCE_LINE, "agency", 2.0),
        (("(",), _PHOTO_CREDIT, "agency", 1.0),
        (("By ", "Von ", "Par ", "Por ", "Follow ", "ing by ", "[R", "[A", "[I"), _BYLINE, "byline", 1.5),
        (("[",), _TRANSCRIPT, "transcript", 0.6),
        (("via @", "Via @", "vía @"), _VIA_HANDLE, "outlet", 0.7),
    ):
        if not any(needle in masked for needle in needles):
            continue
        for match in pattern.finditer(masked):
            cues.append(Cue(family, match.group().strip(), match.start(), match.end(), weight))
    if "@" in masked:
        for match in _HANDLE.finditer(masked):
            if _NEWSROOM.search(match.group().lower()):
                cues.append(Cue("outlet", match.group(), match.start(), match.end(), 0.9))
    if len(masked) <= 300:
        words = [w for w in masked.split() if len(w) > 3 and w[0].isalpha()]
        if (
            len(words) >= 4
            and sum(w[0].isupper() for w in words) >= 0.75 * len(words)
            and not masked.isupper()
        ):
            cues.append(Cue("headline", masked.strip()[:EVIDENCE], 0, len(masked), 0.5))
    first_line_end = masked.find("\n")
    if first_line_end > 0 and masked.count("\n\n") >= 2:
        line = masked[:first_line_end].strip()
        if 10 <= len(line) <= 200 and line[-1] not in ".!?:":
            cues.append(Cue("headline", line, 0, first_line_end, 0.6))
    return cues


def phrase_cues(outside: str, lower: str | None = None) -> list[Cue]:
    """Lexicon phrases in the author's voice; official branding only where nothing distances it."""
    lower = lower_aligned(outside) if lower is None else lower
    cues: list[Cue] = []
    for hit in find_phrases(lower):
        if hit.family not in VOICE_FAMILIES:
            if hit.family == "hollow":
                cues.append(Cue("hollow", outside[hit.start : hit.end], hit.start, hit.end, 0.0))
            continue
        if hit.family == "official":
            window = outside[max(0, hit.start - 60) : hit.end + 60]
            if _DISTANCING.search(window):
                continue
        sign = -1.0 if hit.family in ("in_group", "praise", "official") else 1.0
        cues.append(Cue(hit.family, outside[hit.start : hit.end], hit.start, hit.end, sign * hit.weight))
    if _URL.search(outside) and len(outside) <= 400 and any(c.family == "news" for c in cues):
        match = _URL.search(outside)
        assert match is not None
        cues.append(Cue("news", match.group(), match.start(), match.end(), 0.6))
    return cues


def speech_cues(
    outside: str,
    quotes: list[QuoteSpan],
    attributions: list[Attribution],
    text: str,
    words: frozenset[str] | None = None,
) -> list[Cue]:
    """Quotes attributed to someone other than the author, and unquoted reported speech."""
    cues: list[Cue] = []
    for quote, attribution in zip(quotes, attributions, strict=True):
        speaker = (attribution.speaker or "").strip()
        if not speaker or speaker.lower() in _HOLLOW_SPEAKERS:
            continue
        cues.append(Cue("attribution", text[quote.start : quote.end], quote.start, quote.end, 0.6))
    if words is not None and not words & _SPEECH_WORDS:
        return cues
    for match in _UNQUOTED_SPEECH.finditer(outside):
        if match.group().split()[0].lower() in (
            "they",
            "we",
            "i",
            "you",
            "allah",
            "god",
            "prophet",
            "messenger",
        ):
            continue
        cues.append(Cue("reported_speech", match.group(), match.start(), match.end(), 0.45))
    return cues


def reported_complements(outside: str, words: frozenset[str] | None = None) -> list[tuple[int, int]]:
    """Spans of indirect speech of a named third party ("al-Ansari called on lone wolves to strike the
    Crusaders"): from the speech verb to the end of the sentence or to the credit ("…, according to
    analysts"). The words there are the speaker's, reported: in-group vocabulary inside them is no
    endorsement by the author."""
    if words is not None and not words & _SPEECH_WORDS:
        return []
    out = []
    for match in _UNQUOTED_SPEECH.finditer(outside):
        if match.group().split()[0].lower() in PRONOUN_SUBJECTS | {"allah", "god", "prophet", "messenger"}:
            continue
        end = _COMPLEMENT_END.search(outside, match.end())
        out.append((match.end(), end.start() if end else len(outside)))
    return out


def voice_calls(outside: str, words: frozenset[str] | None = None) -> list[Cue]:
    """Calls to violence in the author's own voice: imperatives and "should be killed" statements.

    Candidates are found by word look-up and then checked in context, which keeps the cost of a post
    without any violent verb close to nothing.
    """
    words = words_of(lower_aligned(outside)) if words is None else words
    cues: list[Cue] = []
    if words & _VIOLENT_WORDS:
        for word in _WORDS.finditer(lower_aligned(outside)):
            if word.group() not in _VIOLENT_WORDS:
                continue
            verb = _VERB_AT.match(outside, word.start())
            if verb and _CLAUSE_BEFORE.search(outside[max(0, word.start() - 60) : word.start()]):
                end = min(len(outside), verb.end() + 40)
                text = outside[word.start() : end].split("\n")[0]
                cues.append(Cue("call", text.strip(" .!?;:,"), word.start(), word.start() + len(text), -3.0))
    checks = []
    if words & _MODAL_WORDS and words & _MODAL_PARTICIPLES:
        checks.append(_MODAL_EN)
    if words & _MODAL_WORDS:
        checks.append(_CALL_DE)
    if _ARABIC.search(outside):
        checks.append(_CALL_AR)
    for pattern in checks:
        cues += [Cue("call", m.group(), m.start(), m.end(), -3.0) for m in pattern.finditer(outside)]
    return cues
