"""Phrase lexicons for the context stage, matched in one pass with an Aho-Corasick automaton.

Each phrase belongs to a *family* of framing cues (news agency, analysis, counter-speech ...) or of
endorsement cues (the in-group vocabulary of jihadist channels, praise formulas, official branding).
`scoring.py` says how the families combine; this module only finds them. One automaton pass over the
lower-cased text costs a few microseconds for a tweet, which is why the phrases live here and not in
a regular-expression alternation (slower per character as the lists grow).

Phrases are lower case. A hit must sit on word boundaries, except on the left of Arabic phrases,
because Arabic attaches clitics (و، ب، ال) to the word that follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

# family -> {phrase: weight}. Weights are log-odds contributions before the family cap in scoring.py.
PHRASES: dict[str, dict[str, float]] = {
    # A wire service or outlet credited as the source: strong news framing.
    "agency": {
        phrase: 2.0
        for phrase in (
            "contributed to this report",
            "contributed reporting",
            "reporting by",
            "editing by",
            "as reported by",
            "told reuters",
            "told the associated press",
            "told afp",
            "told ap",
            "reuters reported",
            "ap reported",
            "afp reported",
            "news agency",
            "press agency",
            "wire service",
            "told reporters",
            "said in a statement",
            "told cnn",
            "told bbc",
            "told the bbc",
            "according to reuters",
            "according to ap",
            "according to afp",
            "according to the bbc",
            "nachrichtenagentur",
            "berichtet die",
            "meldet die",
            "agence france-presse",
            "selon l'afp",
            "según la agencia",
            "agencia efe",
            "сообщает тасс",
            "сообщает риа",
            "по данным тасс",
            "وكالة الأنباء",
            "وكالة رويترز",
            "نقلت وكالة",
            "أفادت وكالة",
        )
    },
    # Outlet names and handles. Alone they are weak (a propagandist can name an outlet); they count
    # fully only next to attribution, which the framing module checks.
    "outlet": {
        phrase: 0.6
        for phrase in (
            "reuters",
            "associated press",
            "afp",
            "efe",
            "dpa",
            "tass",
            "ria novosti",
            "interfax",
            "xinhua",
            "anadolu",
            "bbc",
            "cnn",
            "al jazeera",
            "aljazeera",
            "nbc news",
            "abc news",
            "cbs news",
            "fox news",
            "new york times",
            "nytimes",
            "washington post",
            "the guardian",
            "the independent",
            "los angeles times",
            "la times",
            "latimes",
            "wall street journal",
            "usa today",
            "sky news",
            "france 24",
            "deutsche welle",
            "bloomberg",
            "yahoo news",
            "npr",
            "huffington post",
            "buzzfeed news",
            "the telegraph",
            "daily mail",
            "der spiegel",
            "tagesschau",
            "le monde",
            "el país",
            "@ap",
            "@reuters",
            "@afp",
            "@cnn",
            "@cnnbrk",
            "@bbcbreaking",
            "@bbcworld",
            "@nbcnews",
            "@abc",
            "@cbsnews",
            "@foxnews",
            "@nytimes",
            "@latimes",
            "@washingtonpost",
            "@ajenglish",
            "@skynews",
            "@ajabreaking",
            "@breakingnews",
            "@reutersworld",
            "| world news",
            "- cnn",
            "- bbc news",
            "bbc news -",
            "- wall street journal",
            "- yahoo news",
        )
    },
    # Monitoring labs and their boilerplate: analysts who track jihadist channels.
    "monitoring": {
        phrase: 3.0
        for phrase in (
            "memri",
            "cyber & jihad lab",
            "cyber and jihad lab",
            "jihad and terrorism threat monitor",
            "monitors, tracks, translates",
            "site intelligence",
            "jihadi threat monitor",
            "terror monitor",
            "@terror_monitor",
            "@site_intel",
            "@trac terrorism",
            "@tracterrorism",
            "tracking terrorism",
            "extremism monitor",
            "@ctstudies",
            "counter extremism project",
            "global network on extremism",
        )
    },
    "research": {
        phrase: 0.9
        for phrase in (
            "researchers",
            "a study",
            "the study",
            "study found",
            "the report found",
            "a new report",
            "analysis of",
            "according to a report",
            "think tank",
            "professor",
            "et al.",
            "academic",
            "data show",
            "institute for",
            "university of",
            "peer-reviewed",
            "journal of",
            "we analysed",
            "we analyzed",
            "in this paper",
            "researcher",
            "counter-terrorism expert",
            "terrorism expert",
            "studie",
            "forscher",
            "chercheurs",
            "investigadores",
        )
    },
    # Third-person, distancing descriptions of a group and its output. A group does not call its own
    # speech "propaganda" or its spokesman "the group's spokesman".
    "analysis": {
        phrase: 0.7
        for phrase in (
            "experts warned",
            "experts had warned",
            "experts say",
            "officials say",
            "officials said",
            "analysts say",
            "analysts",
            "security services",
            "the group's spokesman",
            "the group's spokesperson",
            "the group’s spokesman",
            "the group’s spokesperson",
            "spokesman for the",
            "spokesperson for the",
            "propaganda arm",
            "media arm",
            "propaganda",
            "claimed responsibility",
            "claim of responsibility",
            "claimed the attack",
            "claimed the bombing",
            "claimed the killing",
            "police say",
            "police said",
            "jihadist group",
            "terrorist group",
            "terrorist organization",
            "terrorist organisation",
            "terror group",
            "militant group",
            "extremist group",
            "pro-isis",
            "pro-islamic state",
            "isis-linked",
            "isis-affiliated",
            "so-called",
            "self-proclaimed",
            "notorious",
            "authenticity has not",
            "could not be independently verified",
            "could not be verified",
            "has not been verified",
            "militant jargon",
            "a term isis uses",
            "the jihadist",
            "jihadists",
            "radicalisation",
            "radicalization",
            "reciprocal radicalisation",
            "terror attack",
            "terrorist attack",
            "the militants",
            "the extremists",
            "isis supporters",
            "isis fighters",
            "islamic state militants",
            "the gunmen",
            "the attackers",
            "investigators",
            "counter-terrorism",
            "counterterrorism",
            "the massacre",
            "terrormiliz",
            "terroranschlag",
            "islamisten",
            "dschihadisten",
            "terroristes",
            "yihadistas",
            "террорист",
            "теракт",
            "боевики",
            "تنظيم الدولة",
            "داعش",
            "إرهابي",
            "الإرهابي",
        )
    },
    # News register of short posts: headline words, casualty and police vocabulary.
    "news": {
        phrase: 0.65
        for phrase in (
            "reported",
            "reports of",
            "confirmed",
            "developments",
            "latest developments",
            "shot",
            "shots fired",
            "opened fire",
            "gunfire",
            "manhunt",
            "lockdown",
            "identified as",
            "named as",
            "sources",
            "live updates",
            "live coverage",
            "more:",
            "special report",
            "new details",
            "official:",
            "officials:",
            "source:",
            "bomber",
            "bombers",
            "blasts",
            "shooter",
            "gunmen",
            "terror",
            "attacks",
            "charged",
            "custody",
            "manhunt",
            "timeline",
            "urgent:",
            "aftermath",
            "breaking",
            "breaking news",
            "update:",
            "updated:",
            "live:",
            "latest:",
            "just in",
            "photo:",
            "photos:",
            "video:",
            "watch live",
            "police say",
            "police said",
            "police:",
            "authorities say",
            "officials:",
            "suspect",
            "suspects",
            "in custody",
            "death toll",
            "charged with",
            "arrested",
            "fbi",
            "gunman",
            "shooting",
            "explosion",
            "explosions",
            "blast",
            "bombing",
            "bombings",
            "wounded",
            "injured",
            "killed",
            "dead",
            "victims",
            "evacuated",
            "press conference",
            "news conference",
            "eyewitness",
            "witnesses",
            "sources say",
            "sources:",
            "reportedly",
            "investigation",
            "officials",
            "police",
            "polizei",
            "anschlag",
            "attentat",
            "atentado",
            "عاجل",
            "مصدر",
            "قتلى",
            "срочно",
            "погибли",
        )
    },
    # Counter-speech: condemnation, mockery or refutation of attackers and groups.
    "counter": {
        phrase: 0.9
        for phrase in (
            "condemn",
            "condemns",
            "condemned",
            "cowardly",
            "cowards",
            "barbaric",
            "terrorism has no religion",
            "not in my name",
            "#notinmyname",
            "stand with the victims",
            "bring them to justice",
            "justice for the victims",
            "daesh",
            "daeshi",
            "khawarij dogs",
            "evil act",
            "senseless violence",
            "no place in islam",
            "not islam",
            "murderers",
            "verurteilen",
            "feige",
            "nous condamnons",
            "condenamos",
            "осуждаем",
            "ندين",
            "نستنكر",
        )
    },
    # The in-group vocabulary of jihadist channels, in the author's own voice.
    "in_group": {
        **{
            phrase: 0.8
            for phrase in (
                "kuffar",
                "kufaar",
                "kuffār",
                "kufar",
                "kaafir",
                "kaafirs",
                "kafirs",
                "murtadeen",
                "murtadin",
                "apostates",
                "apostate",
                "rafidi",
                "rafida",
                "rafidha",
                "rafidah",
                "rawafid",
                "nusayri",
                "nusayris",
                "taghut",
                "tawaghit",
                "tawagheet",
                "crusaders",
                "crusader",
                "khilafah",
                "dawlah",
                "dawla",
                "baqiyah",
                "baqiya",
                "inghimasi",
                "istishhadi",
                "shaheed",
                "shuhada",
                "muwahhid",
                "muwahhidin",
                "safavid",
                "safavi",
                "sahwat",
                "mushrikeen",
                "الروافض",
                "الرافضة",
                "المرتدين",
                "الصليبيين",
                "الصليبية",
                "النصيرية",
                "الصحوات",
                "الطواغيت",
                "الخلافة",
                "باقية",
            )
        },
        **{
            phrase: 1.2
            for phrase in (
                "soldiers of the caliphate",
                "soldiers of the khilafah",
                "lions of the caliphate",
                "lions of the khilafah",
                "martyrdom operation",
                "martyrdom operations",
                "martyrdom op",
                "may allah accept",
                "taqabbalallah",
                "taqabbal allah",
                "allahu akbar",
                "allahuakbar",
                "takbeer",
                "rahimahullah",
                "the mujahideen",
                "our mujahideen",
                "mujahideen brothers",
                "جنود الخلافة",
                "استشهادي",
                "استشهادية",
                "انغماسي",
                "تقبله الله",
                "الله أكبر",
            )
        },
    },
    # Praise of an attack or its authors in the author's own voice.
    "praise": {
        phrase: 1.2
        for phrase in (
            "blessed attack",
            "blessed operation",
            "blessed raid",
            "blessed strike",
            "heroic operation",
            "heroic attack",
            "good job",
            "good jobs",
            "well done brothers",
            "our brothers",
            "our heroes",
            "brave lions",
            "the lions of",
            "may allah reward",
            "victory is near",
            "remaining and expanding",
            "glory to",
            "heil hitler",
            "sieg heil",
        )
    },
    # The branding of official jihadist outlets. Matched where a release would carry it: as a hashtag
    # or a header. framing.py decides whether the text distances itself from it.
    "official": {
        phrase: 2.5
        for phrase in (
            "#amaqagency",
            "#amaq",
            "#amaqnewsagency",
            "amaq agency",
            "a'amaq",
            "aamaq",
            "amaq:",
            "#wilayat",
            "wilayat ",
            "#caliphate_news",
            "#khilafahnews",
            "caliphate news",
            "al furqan presents",
            "al-furqan presents",
            "media office of",
            "the media office",
            "#islamicstate",
            "al-naba",
            "al naba",
            "#وكالة_أعماق",
            "وكالة أعماق",
            "#ولاية",
            "#أخبار_الخلافة",
            "#إصدارات_الخلافة",
            "مؤسسة الفرقان",
            "radio venceremos",
            "general command of the",
        )
    },
    # "They said" attribution with nobody behind it: no framing value at all.
    "hollow": {
        phrase: 0.0
        for phrase in (
            "they said",
            "they say",
            "as they say",
            "it is said",
            "people say",
            "according to the scholars",
            "according to the brothers",
            "the brothers said",
            "the sheikh said",
            "our sheikh said",
        )
    },
}


@dataclass(frozen=True, slots=True)
class PhraseHit:
    family: str
    phrase: str
    start: int
    end: int
    weight: float


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    entries: dict[str, list[tuple[str, float]]] = {}
    for family, phrases in PHRASES.items():
        for phrase, weight in phrases.items():
            entries.setdefault(phrase, []).append((family, weight))
    for phrase, values in entries.items():
        automaton.add_word(phrase, (phrase, tuple(values)))
    automaton.make_automaton()
    return automaton


def _boundary(text: str, index: int) -> bool:
    """True when ``text[index]`` is outside the text or not a letter or digit."""
    return index < 0 or index >= len(text) or not text[index].isalnum()


def find_phrases(lower: str) -> list[PhraseHit]:
    """Every lexicon phrase in ``lower`` (already lower-cased, offsets aligned with the original)."""
    hits: list[PhraseHit] = []
    for end_index, (phrase, values) in _automaton().iter(lower):
        start = end_index - len(phrase) + 1
        first, last = phrase[0], phrase[-1]
        left_ok = _is_arabic(first) or not first.isalnum() or _boundary(lower, start - 1)
        right_ok = not last.isalnum() or _boundary(lower, end_index + 1) or _is_arabic(last)
        if left_ok and right_ok:
            hits.extend(PhraseHit(family, phrase, start, end_index + 1, weight) for family, weight in values)
    return hits


def word_set(words: str) -> frozenset[str]:
    """A frozen set of the space-separated words of ``words`` (keeps long word lists readable)."""
    return frozenset(words.split())


def lower_aligned(text: str) -> str:
    """Lower-case ``text`` without changing its length, so offsets stay valid.

    ``str.lower`` lengthens a few characters (``"İ"`` becomes two); those keep their case here.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
