"""From framing cues to one `reporting` score in [0, 1] and a source type.

The score is a logistic function of capped family sums: each family of cues (dateline, agency, byline,
monitoring lab, research, analysis vocabulary, news register, counter-speech, attributed quotes,
unquoted reported speech, headline, transcript apparatus) adds log-odds up to its own cap, the source
type adds a prior, and the endorsement families (in-group vocabulary, praise formulas, official
branding, calls in the author's voice) subtract.

How this resists abuse — propagandists will add "according to", "he said" or quote marks to look like
reporting:

* **No single cue is enough.** Caps keep any one family below the decision point; a bare "according
  to" or "they said" is worth nothing ("hollow" attribution, unnamed speakers), and an attributed quote
  is worth 0.6 log-odds, so a post needs several independent kinds of framing to score high.
* **Quote marks cannot launder a call.** Cues are read only in the author's own voice (outside quotes
  and page furniture). A call to violence in that voice — an imperative at the start of a clause ("Kill
  them", "brothers, rise up"), "they should all be shot" — caps the score at `VOICE_CALL_CAP` whatever
  else the text says: a reporter never issues the call outside quotation marks.
* **Wrapping one's own post in quotes is visible.** When quotes cover most of the text and there is no
  structural framing (dateline, agency, byline, monitoring or research boilerplate), a coverage penalty
  applies, and short posts get attribution credit only at half weight.
* **The groups' own words count against.** In-group vocabulary ("kuffar", "soldiers of the caliphate",
  "may Allah accept") and official branding ("#AmaqAgency", province media offices) in the author's
  voice subtract; branding not distanced by "claimed", "propaganda", "the group's" ... caps the score
  like a call does, because an outlet's own release is not reporting on it.
* **Source type is a prior, not a verdict.** An article from a file or feed starts higher than a channel
  post, but both are scored on their text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from vigil.context.framing import PRONOUN_SUBJECTS, Cue
from vigil.core.records import ContentKind, RawItem

BIAS = -1.9
# A named third party's reported speech *and* a credit (an agency, an outlet, analysts, a monitoring
# lab, a byline) together are the shape of a news snippet: "The spokesman urged …, the EFE agency
# reported", "al-Ansari called on …, according to analysts". Each alone stays weak; together they add
# this much. Hollow speakers ("they said"), bare pronouns and official outlets do not qualify.
CREDITED = 1.8
_CREDITS = ("agency", "outlet", "analysis", "monitoring", "research", "byline", "dateline")
VOICE_CALL_CAP = 0.3
OFFICIAL_CAP = 0.3
COVERAGE_LIMIT = 0.6
SHORT_WORDS = 25

# family -> (cap on the family's summed weight). Negative families cap from below.
FAMILY_CAPS: dict[str, float] = {
    "dateline": 2.5,
    "agency": 2.5,
    "byline": 1.5,
    "monitoring": 3.5,
    "research": 1.8,
    "analysis": 2.5,
    "news": 2.8,
    "outlet": 1.2,
    "counter": 2.5,
    "attribution": 2.4,
    "reported_speech": 1.4,
    "headline": 0.6,
    "transcript": 1.2,
    "credited": CREDITED,
    "in_group": -3.0,
    "praise": -2.4,
    "official": -3.0,
    "call": -3.0,
}
STRUCTURAL = frozenset({"dateline", "agency", "byline", "monitoring", "research", "transcript"})


@dataclass(frozen=True, slots=True)
class Verdict:
    reporting: float
    source_type: str
    family_totals: dict[str, float]


def source_prior(raw: RawItem) -> tuple[str, float]:
    """The source type the connector implies, and its log-odds prior."""
    connector = raw.connector.split(".")[0].lower()
    if raw.kind is ContentKind.ARTICLE and connector in ("article", "feed", "rss", "atom", "html", "sample"):
        return "news", 1.2
    if raw.kind is ContentKind.ARTICLE:
        return "news", 0.6
    if connector.startswith("telegram") or (raw.channel and raw.kind is ContentKind.MESSAGE):
        return "channel", -0.3
    if raw.kind is ContentKind.MESSAGE:
        return "social", 0.0
    return "unknown", 0.0


def family_totals(cues: list[Cue]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for cue in cues:
        totals[cue.family] = totals.get(cue.family, 0.0) + cue.weight
    for family, cap in FAMILY_CAPS.items():
        if family in totals:
            totals[family] = min(totals[family], cap) if cap > 0 else max(totals[family], cap)
    return totals


def score(cues: list[Cue], raw: RawItem, coverage: float, voice_words: int) -> Verdict:
    """The `reporting` score and source type for one item's cues.

    Args:
        cues: every cue found, with raw weights (negative for endorsement).
        raw: the item's raw record, for the connector and content kind.
        coverage: share of the (furniture-free) text inside quotes.
        voice_words: words in the author's own voice (outside quotes and furniture).
    """
    prior_type, prior = source_prior(raw)
    totals = family_totals(cues)
    if _named_speech(cues) and any(totals.get(f, 0.0) > 0 for f in _CREDITS) and not totals.get("official"):
        totals["credited"] = CREDITED
    structural = any(totals.get(f, 0.0) > 0 for f in STRUCTURAL)
    if not structural and voice_words < SHORT_WORDS and "attribution" in totals:
        totals["attribution"] *= 0.5
    if not structural and coverage > COVERAGE_LIMIT:
        totals["coverage"] = -1.0
    logit = BIAS + prior + sum(totals.values())
    value = 1.0 / (1.0 + math.exp(-logit))
    if totals.get("call", 0.0) < 0:
        value = min(value, VOICE_CALL_CAP)
    if totals.get("official", 0.0) < 0:
        value = min(value, OFFICIAL_CAP)
    return Verdict(round(value, 4), _source_type(totals, prior_type), totals)


def _named_speech(cues: list[Cue]) -> bool:
    """A quote attributed to a speaker, or unquoted speech whose subject is a name or role."""
    for cue in cues:
        if cue.family == "attribution" and cue.weight > 0:
            return True
        if cue.family == "reported_speech" and cue.text.split()[0].lower() not in PRONOUN_SUBJECTS:
            return True
    return False


def _source_type(totals: dict[str, float], prior_type: str) -> str:
    if totals.get("monitoring", 0.0) > 0:
        return "monitoring"
    if totals.get("research", 0.0) >= 1.5 and totals.get("dateline", 0.0) <= 0:
        return "research"
    news_framing = sum(totals.get(f, 0.0) for f in ("dateline", "agency", "byline", "transcript"))
    if news_framing > 0 or prior_type == "news":
        return "news"
    if totals.get("news", 0.0) >= 1.0 and totals.get("outlet", 0.0) > 0:
        return "news"
    return prior_type
