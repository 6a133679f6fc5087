"""The verbs of reported speech: "said", "called on", "urged", "according to" ...

Shared by the quote finder (a colon after "X tells Y:" opens reported speech) and by speaker
attribution (the subject of the nearest such verb is the speaker). English is the fullest list; the
others cover the commonest reporting verbs of German, French, Spanish, Russian and Arabic news.

Lookup is one pass over the words of a text against a set, which is much faster than a regular
expression alternation of two hundred verbs tried at every position.
"""

from __future__ import annotations

import re

from vigil.context.lexicon import word_set

_ENGLISH = """
say says said saying tell tells told telling add adds added write writes wrote written claim claims claimed
claiming state states stated declare declares declared urge urges urged urging warn warns warned warning argue
argues argued arguing explain explains explained respond responds responded reply replies replied continue
continues continued end ends ended conclude concludes concluded praise praises praised label labels labeled
labelled describe describes described describing vow vows vowed vowing ask asks asked announce announces
announced post posts posted tweet tweets tweeted note notes noted insist insists insisted repeat repeats
repeated reiterate reiterates reiterated threaten threatens threatened proclaim proclaims proclaimed exhort
exhorts exhorted assert asserts asserted boast boasts boasted read reads recite recited pledge pledged promise
promises promised demand demands demanded accuse accuses accused mock mocks mocked hail hails hailed hailing
assess assessing shout shouted chant chanted quote quoted quoting celebrate celebrates celebrated celebrating
assure assures assured allude alludes alluded emphasize emphasizes emphasized emphasizing emphasise emphasised
stress stresses stressed express expresses expressed admit admits admitted deny denies denied confirm confirms
confirmed report reports reported
"""
_OTHER = """
sagte sagt erklärte erklärt schrieb schreibt forderte fordert warnte warnt betonte betont dijo afirmó declaró
señaló заявил заявила сказал сказала написал призвал قال وقال أضاف دعا حذر أكد كتب
"""
_SINGLE_WORDS = frozenset(_ENGLISH.split()) | frozenset(_OTHER.split())
# Two-word verbs, keyed by their first word: "called on", "pointed out", "a déclaré".
_TWO_WORDS: dict[str, frozenset[str]] = {
    **{w: frozenset({"on", "upon", "for"}) for w in ("call", "calls", "called", "calling")},
    **{w: frozenset({"out"}) for w in ("point", "points", "pointed")},
    **{w: frozenset({"to"}) for w in ("refer", "refers", "referred")},
    "a": frozenset({"déclaré", "dit"}),
}
_WORD = re.compile(r"[^\W\d_]+")

# Words after which a speech-verb look-alike is a noun: "the post", "Islamic State", "his statement".
_NOUN_BEFORE = word_set(
    "the a an this that its his her their our my your one each every islamic united same final last first "
    "nation nation's police head"
)

# Verbs that allow the inverted order "…," said Peskov.
INVERSION_VERBS = word_set(
    "said says added asked wrote told continued explained replied claimed stated declared warned insisted "
    "noted argued recalled"
)

# Verbs that only report that someone spoke ("reported that", "said that"), so the subject of the
# clause after them is the real speaker: "Reuters reported that spokesman X `praised` ...".
REPORTING_VERB = re.compile(
    r"\b(?:reported|reports|said|says|claimed|claims|announced|told|noted|wrote|added)\s+that\b",
    re.IGNORECASE,
)

ACCORDING_TO = re.compile(
    r"\b(?:according to|as reported by|laut|zufolge|selon|según|по словам|по данным|وفقا ل|بحسب|حسب)\b",
    re.IGNORECASE,
)


class VerbHit:
    """A verb of speech found in a text; mirrors the parts of `re.Match` that callers use."""

    __slots__ = ("_start", "_end", "_text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text


def speech_verbs(text: str, start: int = 0, end: int | None = None) -> list[VerbHit]:
    """Verbs of speech in ``text[start:end]``, leaving out nouns that look like them ("the post")."""
    stop = len(text) if end is None else end
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text, start, stop)]
    found: list[VerbHit] = []
    for index, (w_start, w_end, word) in enumerate(words):
        if word in _TWO_WORDS and index + 1 < len(words) and words[index + 1][2] in _TWO_WORDS[word]:
            w_end = words[index + 1][1]
        elif word not in _SINGLE_WORDS:
            continue
        if index > 0 and words[index - 1][2] in _NOUN_BEFORE and words[index - 1][1] >= w_start - 2:
            continue
        found.append(VerbHit(w_start, w_end, text[w_start:w_end]))
    return found
