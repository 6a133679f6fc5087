"""Names, roles and references in news prose: the vocabulary speaker attribution works with.

`speakers.py` decides *which* noun phrase names a quote's speaker; this module says what a noun phrase
is: a proper name ("Abu Hassan al-Muhajir", "Mr. Durov"), a role ("the spokesman", "a pro-ISIS
channel", "the post"), a pronoun, or a function word that names nobody. Case carries most of the
signal, so all-caps wire copy (MUC) is handled by the caller without name detection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.context.lexicon import word_set

_TOKEN = (
    r"(?:(?:[Aa]l|[Ee]l|[Aa]d|[Aa]s|[Aa]r)-[A-Z][\w'’]*|[A-Z][\w'’]*(?:-[A-Z]?[\w'’]+)?|[A-Z]{2,}(?:-[A-Z])?)"
)
_PARTICLE = r"(?:al|el|bin|ibn|bint|abu|Abu|Umm|de|da|van|von|del|la|le|Al|El)"
NAME = re.compile(
    rf"(?:(?:Mr|Mrs|Ms|Dr|Sheikh|Shaykh|Imam|Gen|Col|Maj|Capt)\.?\s+)?{_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_TOKEN})*"
)
_STOP_FIRST = word_set(
    "The A An In On At He She It They We I This That These Those His Her Its Their Our But And However "
    "Meanwhile Additionally Earlier Later After Before During Throughout As When While If Even Among "
    "Contrary Mocking Hailing Titled Assessing Besieged Crumbling Follow Read Source Share Please Yet So "
    "Then There Here Now Today Tomorrow Yesterday Also Still Thus Many Some Several Most Such What Why How "
    "Who Where According Since Although Though By For From With Without Under Over Into Unlike Like "
    "People Others Everyone Everybody Someone Somebody Nobody Critics Supporters Users Residents Muslims "
    "Christians Jews Americans Europeans Westerners Many"
)
_MONTHS = word_set(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Ramadan"
)
ROLE_NOUNS = word_set(
    "spokesman spokeswoman spokesperson leader commander emir militant fighter preacher founder owner chief "
    "head minister president official cleric ideologue man woman jihadist gunman attacker analyst expert "
    "channel outlet account page group organization organisation agency post message statement speech "
    "recording video audio website magazine foundation company ministry government police army kremlin "
    "office network terrorist terrorists militants officials experts analysts investigators"
)
_PERSON_ROLES = word_set(
    "spokesman spokeswoman spokesperson leader commander emir militant fighter preacher founder owner chief "
    "head minister president official cleric ideologue man woman jihadist gunman attacker expert terrorist"
)
_DETERMINERS = word_set("the this that these those its his her their our")
_LEADING_ADVERBS = word_set(
    "later then also earlier meanwhile now however but and so yet still today yesterday finally thus instead"
)
_AUXILIARIES = word_set(
    "had has have was were is are will would could should may might also later then even repeatedly "
    "already never once still just been being did does do"
)
_PRODUCT_ROLES = word_set("post message statement speech recording video audio")
_CHANNEL_ROLES = word_set("channel outlet account page website magazine")
_ORG_WORDS = word_set(
    "state group agency ministry forces army front council company foundation media office lab kremlin police "
    "government isis is isil daesh taliban hamas hezbollah qaeda al-qaeda reuters efe ap afp organization "
    "organisation network committee brigade battalion party movement"
)
_PRONOUNS = {
    "he": "person",
    "she": "person",
    "it": "thing",
    "they": "group",
    "him": "person",
    "her": "person",
}
_PREP = re.compile(r"\s(?:for|of|in|on|at|from|with|to|by|who|which|that|also known as)\s", re.IGNORECASE)


@dataclass(slots=True)
class Entity:
    canonical: str
    kind: str  # person | org | channel | thing | group | unknown
    role: str | None = None


def _surname_key(name: str) -> str:
    last = name.split()[-1].lower().strip("'’.,")
    return re.sub(r"^(?:al|el|ad|as|ar)-", "", last)


def _clean_name(raw: str) -> str | None:
    words = raw.split()
    while words and (words[0] in _STOP_FIRST or words[0] in _MONTHS):
        words = words[1:]
    while words and words[-1] in _MONTHS:
        words = words[:-1]
    name = " ".join(words).strip("'’ ")
    return name or None


def _names(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    for match in NAME.finditer(text, start, end):
        name = _clean_name(match.group())
        if name:
            out.append((match.start() + match.group().find(name.split()[0]), name))
    return out


def _kind_of_name(name: str, role: str | None) -> str:
    if (
        role is not None
        and role.endswith("s")
        and role[:-1] in ROLE_NOUNS | {"expert", "analyst", "official"}
    ):
        return "group"  # "experts", "officials": never the "he" of a later quote
    if role in _CHANNEL_ROLES:
        return "channel"
    if role in _PERSON_ROLES:
        return "person"
    words = {w.lower().strip("'’") for w in name.split()}
    if words & _ORG_WORDS or (name.isupper() and len(name) <= 6):
        return "org"
    return "person"


def _head_noun(phrase: str) -> str:
    core = _PREP.split(f" {phrase} ")[0].strip(" ,–—-")
    words = re.findall(r"[\w’'-]+", core)
    return words[-1].lower().strip("'’") if words else ""


def _best_name(names: list[tuple[int, str]], text: str, start: int) -> tuple[int, str]:
    """A person-like name in apposition to a role first, then any multi-word name, then the first."""
    for pos, name in names:
        before = text[max(start, pos - 30) : pos].lower()
        if re.search(
            r"(spokes\w+|leader|commander|militant|owner|minister|president|official)[\s,]*$", before
        ):
            return pos, name
    for pos, name in names:
        if len(name.split()) >= 2 and _kind_of_name(name, None) == "person":
            return pos, name
    return names[0]
