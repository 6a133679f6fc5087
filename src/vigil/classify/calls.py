"""The call grammar: finds calls to violence by their structure, not by a list of whole phrases.

Where it sits: inside the lexicon classifier (`vigil.classify.lexicon`), which turns each call found here
into a ``command`` cue of the ``incitement`` label (scored by ``lexicons/rules.yaml``). It reads the same
lexicon view of ``Item.folded`` (lower case, obfuscation undone, hyphens and quote marks as spaces), so
its offsets are the lexicon's. The word lists are `vigil.classify.call_grammar`'s, the sentences
`vigil.classify.call_text`'s.

A call to violence has a grammar: a *directive* + a *violent act* + a *human target*.

* **Directive.** An imperative: the verb opens a clause (start of text, after ``. ! ? ; :`` or a
  dash), follows a vocative or an introductory phrase and a comma ("Lone wolves, target ..."), follows a
  known addressee ("lone wolves target ..."), or is chained to another call ("rise and target ...",
  "target the Jews and kill ..."); a modal ("must", "should", "need to", "let us"); or "to V" after a
  call verb in the caller's own voice ("we urge you to ...") or a duty word ("it is your duty to ...").
  Arabic and Russian mark the imperative in the verb itself (``اقتلوا``, ``убивайте``): those forms are
  directives on their own; their infinitives and verbal nouns need a modal or a call verb.
* **Violent act.** A verb from the language's list (kill, strike, target, run over ...), weighted by how
  violent it is on its own; revenge verbs ("take revenge") count without a named target, for less.
* **Human target.** A group (Jews, Crusaders, infidels, kuffar, apostates, police, soldiers, Americans
  ...) in the verb's object slot, or a pronoun ("them"), which counts for less unless an intensifier
  follows ("wherever you find them", "everywhere"). Passive calls ("the crusaders must be killed")
  count too.

What turns a match down or off:

* **negation** between the directive and the verb ("do not attack", "we urge you not to", "it is
  forbidden to kill") drops the call;
* a **question** ("Should we attack them?") keeps `QUESTION_FACTOR` of its strength;
* **reported speech**: the call verb in a reporter's form ("he urged", "ISIS calls on") or a reporting
  word anywhere in the sentence ("said", "according to") caps the strength at `REPORTED_CAP`: the text
  holds a call, but its author may be reporting it. The context stage decides reporting, and its quote
  scorer still scores quoted words bare, at full strength;
* the verb used as a **noun** ("attack on", "strike was") or with a non-human object ("kill it", "hit
  the road", "attack the ball") is no call at all.

Strength of a call (its cue weight, in (0, 1]): verb weight × `OBJECT_FACTORS` of its object, then the
caps above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.classify.call_grammar import CallGrammar, Phrase
from vigil.classify.call_text import CLAUSE as _CLAUSE
from vigil.classify.call_text import PUNCT as _PUNCT
from vigil.classify.call_text import STRONG as _STRONG
from vigil.classify.call_text import Sentence, sentences, worth_parsing

REPORTED_CAP = 0.5
QUESTION_FACTOR = 0.3
OBJECT_FACTORS = {"group": 1.0, "pronoun_strong": 0.9, "pronoun_all": 0.7, "pronoun": 0.45, "revenge": 0.6}
OBJECT_WINDOW = 6  # words after the verb in which its target must appear
GOVERNOR_WINDOW = 8  # words before "to V" in which a call verb or duty word may govern it

# Words that may open an introductory phrase before a comma and an imperative ("When you see them, ...",
# "In Europe, ..."); a longer stretch before the comma that opens otherwise is a statement ("The war
# is bad, kill ..." lists what others do).
_INTRO = frozenset(
    ["if", "when", "whenever", "wherever", "once", "after", "before", "until", "as", "in", "on", "at", "for", "by", "from", "with", "so", "now", "today", "tonight", "then", "therefore", "and", "o", "oh", "ya"]
)
_SHORT_INTRO = 3
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True, slots=True)
class CallHit:
    """One call found in a text: its span in the lexicon view, its strength and a readable account."""

    start: int
    end: int
    strength: float
    language: str
    detail: str
    negated: bool = False  # a violent verb under negation ("do not attack"): strength 0, no call


def find_calls(g: CallGrammar, view: str) -> list[CallHit]:
    """Every call to violence in ``view`` (the lexicon view of a folded text), and every violent verb
    under negation (``negated``, strength 0: the lexicon drops its violence cue)."""
    if not view or not worth_parsing(g, view):
        return []
    out: list[CallHit] = []
    for sentence in sentences(g, view):
        out.extend(_calls_in(g, sentence))
    return out


def _calls_in(g: CallGrammar, s: Sentence) -> list[CallHit]:
    n = len(s.words)
    hits: list[CallHit] = []
    chain_end = -2  # index of the last word of the previous directive's object, for "... and kill ..."
    i = 0
    while i < n:
        if g.starts.isdisjoint(s.forms[i]):
            i += 1
            continue
        found = _call_at(g, s, i, chain_end)
        if found is None:
            i += 1
            continue
        hit, last = found
        chain_end = last
        if hit is not None:
            hits.append(hit)
        i = max(i + 1, last + 1)
    return hits


def _call_at(g: CallGrammar, s: Sentence, i: int, chain_end: int) -> tuple[CallHit | None, int] | None:
    """A call whose verb starts at word ``i``: (hit or None for a directive without a human target,
    index of its last word); None when no directive verb starts there."""
    passive = _passive(g, s, i)
    if passive is not None:
        return passive
    verb, weight, self_directive, revenge = _verb(g, s, i)
    if verb is None:
        return None
    v_end = i + len(verb)
    if self_directive:
        negated = i > 0 and g.negations.ending(s.forms, i - 1, 0) is not None
        directive: tuple[str, int] | None = ("negated", i) if negated else ("imperative", i)
    else:
        directive = _directive(g, s, i, chain_end)
    if directive is None:
        return None
    kind, anchor = directive
    if kind == "negated":
        lang = g.language.get(verb[0], "en")
        return CallHit(s.starts[i], s.ends[v_end - 1], 0.0, lang, f"negated {' '.join(verb)!r}", True), v_end - 1
    obj = _object(g, s, i, v_end, verb, self_directive, revenge)
    if obj is None:
        return None, v_end - 1
    factor_name, last = obj
    strength = weight * OBJECT_FACTORS[factor_name]
    reported = kind == "reported" or _reporting_outside(g, s, anchor, last)
    if reported:
        strength = min(strength, REPORTED_CAP)
    if s.question:
        strength *= QUESTION_FACTOR
    detail = f"{kind} {' '.join(verb)!r} + {factor_name} {s.words[last]!r}" + (" (reported)" if reported else "")
    detail += " (question)" if s.question else ""
    lang = g.language.get(verb[0], "en")
    return CallHit(s.starts[min(anchor, i)], s.ends[last], round(strength, 4), lang, detail), last


def _verb(g: CallGrammar, s: Sentence, i: int) -> tuple[Phrase | None, float, bool, bool]:
    """(verb phrase, weight, is a self-directive imperative form, is a revenge verb) at word ``i``."""
    n = len(s.words)
    p = g.imperative_index.at(s.forms, i, n)
    if p:
        return p, g.imperatives[p], True, False
    p = g.revenge_imperatives.at(s.forms, i, n)
    if p:
        return p, 1.0, True, True
    p = g.verb_index.at(s.forms, i, n)
    if p:
        return p, g.verbs[p], False, False
    particle = g.split_particles.get(s.words[i])
    if particle and i + 2 < n and s.words[i + 1] in g.pronouns and s.words[i + 2] == particle:
        return (s.words[i],), g.verbs.get((s.words[i], particle), 1.0), False, False  # "run them over"
    p = g.revenge.at(s.forms, i, n)
    if p:
        return p, 1.0, False, True
    return None, 0.0, False, False


def _directive(g: CallGrammar, s: Sentence, i: int, chain_end: int) -> tuple[str, int] | None:
    """How the verb at ``i`` is directed at someone: (kind, index of the directive's first word)."""
    latin = bool(_LATIN.match(s.words[i]))
    if latin and g.language.get(s.words[i]) in g.verb_final:
        found = _governor(g, s, i, verb_final=True)
        if found is not None:
            return found
    k = i - 1
    while k >= 0:
        w = s.words[k]
        if w in _CLAUSE or (w == "," and _intro_before(g, s, k)):
            # an Arabic verbal noun or a Russian infinitive opening a clause is no command ("قتل" at
            # the start of a news sentence is the passive "were killed")
            return ("imperative", k + 1) if latin else None
        if w in _PUNCT:
            return None
        if k <= chain_end:
            return "chained", i
        if g.negations.ending(s.forms, k, 0):
            return "negated", k
        p = g.modals.ending(s.forms, k, 0)
        if p:
            b = k - len(p) + 1
            before = b - 2 if b > 1 and s.words[b - 1] == "to" else b - 1
            negated = before >= 0 and g.negations.ending(s.forms, before, 0) is not None
            return ("negated", b) if negated else ("modal", b)  # "not to go and stab" is no call
        if (latin and w == "to") or not latin:
            governed = _governor(g, s, k if latin else k + 1)
            if governed is not None or latin:
                return governed
        p = g.addressees.ending(s.forms, k, 0) or g.fillers.ending(s.forms, k, 0)
        if p:
            k -= len(p)
            continue
        if w in g.vocatives or w == "#":
            k -= 1
            continue
        return None
    return ("imperative", 0) if latin else None


def _intro_before(g: CallGrammar, s: Sentence, comma: int) -> bool:
    """Whether the stretch before the comma at ``comma`` can introduce an imperative: short, a
    vocative or addressee, or an introductory phrase ("If you find them, ...")."""
    b = comma - 1
    while b >= 0 and s.words[b] not in _STRONG and s.words[b] not in _CLAUSE and s.words[b] != "…":
        b -= 1
    first = b + 1
    words = sum(1 for w in s.words[first:comma] if w not in _PUNCT)
    if words <= _SHORT_INTRO or s.words[first] in _INTRO or s.words[first] in g.vocatives:
        return True
    return g.addressees.at(s.forms, first, comma) is not None


def _governor(g: CallGrammar, s: Sentence, k: int, verb_final: bool = False) -> tuple[str, int] | None:
    """A call verb or duty word governing the verb whose "to" is word ``k`` (for languages without
    "to", and infinitives that end their clause: the verb is at ``k``). Negation between them drops
    the call."""
    latin = k < len(s.words) and s.words[k] == "to" and not verb_final
    p = g.call_verbs_reported.ending(s.forms, k, 0) if latin else None
    if p:
        return "reported", k - len(p) + 1
    p = g.call_verbs.ending(s.forms, k, 0) if latin else None
    if p:
        return _call_voice(g, s, k - len(p) + 1, latin)
    for c in range(k - 1, max(-1, k - 1 - GOVERNOR_WINDOW), -1):
        w = s.words[c]
        if w in _STRONG or w in _CLAUSE:
            return None
        if g.negations.ending(s.forms, c, 0):
            return "negated", c
        if w in g.duty:
            return "duty", c
        p = g.call_verbs_reported.ending(s.forms, c, 0)
        if p:
            return "reported", c - len(p) + 1
        p = g.call_verbs.ending(s.forms, c, 0)
        if p and (c < k - 1 or not latin):  # "I want to kill" is intent; "I want you to kill" a call
            return _call_voice(g, s, c - len(p) + 1, latin)
        if not latin:
            p = g.modals.ending(s.forms, c, 0)
            if p:
                return "modal", c - len(p) + 1
        if verb_final and w in _PUNCT:
            return None
    return None


def _call_voice(g: CallGrammar, s: Sentence, c: int, latin: bool) -> tuple[str, int]:
    """A call verb in its base form is the author's own call after "we"/"I" or at a clause start
    ("Urge your brothers to ..."); after any other subject ("leaders urge ...") it is reported.
    Arabic and Russian call verbs carry their person in the verb ("ندعو", "призываем")."""
    if not latin or c == 0 or s.words[c - 1] in _PUNCT:
        return "call", c
    k = c - 1
    while k >= 0:
        p = g.first_person.ending(s.forms, k, 0)
        if p:
            return "call", k - len(p) + 1
        p = g.fillers.ending(s.forms, k, 0)
        if not p:
            break
        k -= len(p)
    return ("call", c) if k < 0 or s.words[k] in _PUNCT else ("reported", c)


def _object(
    g: CallGrammar, s: Sentence, i: int, j: int, verb: Phrase, self_directive: bool, revenge: bool
) -> tuple[str, int] | None:
    """The verb's human target: (object kind, index of its last word), or None."""
    n = len(s.words)
    word = s.words[i]
    if self_directive and len(verb) == 1 and not word.endswith(verb[0]) and word.endswith(g.suffixes or ("\0",)):
        return _pronoun(g, s, i, i)  # an Arabic verb with its object attached: اقتلوهم
    particle = g.split_particles.get(verb[0]) if len(verb) == 1 else None
    if particle and j + 1 < n and s.words[j] in g.pronouns and s.words[j + 1] == particle:
        return _pronoun(g, s, j, j + 1)  # "run them over"
    if j < n and s.words[j] in g.noun_use and not self_directive:
        return ("revenge", j - 1) if revenge else None
    pronoun_at = None
    m, seen = j, 0
    while m < n and seen < OBJECT_WINDOW:
        w = s.words[m]
        if w in _STRONG or w in _CLAUSE:
            break
        if w != ",":
            target = g.is_target(s.forms, m, n)
            if target:
                return "group", m + len(target) - 1
            if g.verb_index.at(s.forms, m, n) or w in g.finite_verbs:
                break  # another verb: "Bomb kills police officers" has no object of "bomb"
            if w in g.pronouns and seen <= 1 and pronoun_at is None:
                pronoun_at = m
            elif w == "of" and m + 1 < n and s.words[m + 1] in g.pronouns:
                pronoun_at = m + 1  # "kill all of them"
            elif w in g.object_stops or w == "of":
                break  # "burn the heart of the kuffar": the object is the heart
            seen += 1
        m += 1
    if pronoun_at is not None:
        return _pronoun(g, s, pronoun_at, pronoun_at)
    if not _LATIN.match(s.words[i]) or g.language.get(s.words[i]) in g.verb_final:
        # Russian and Arabic put the object before the verb as readily as after it; German before its
        # clause-final infinitive
        for b in range(i - 1, max(-1, i - 4), -1):
            if s.words[b] in _PUNCT:
                break
            if g.is_target(s.forms, b, n):
                return "group", j - 1
    return ("revenge", j - 1) if revenge else None


def _pronoun(g: CallGrammar, s: Sentence, at: int, last: int) -> tuple[str, int]:
    n = len(s.words)
    for m in range(last + 1, min(n, last + 1 + OBJECT_WINDOW)):
        if s.words[m] in _STRONG:
            break
        p = g.intensifiers_strong.at(s.forms, m, n)
        if p:
            return "pronoun_strong", m + len(p) - 1
    for m in range(max(0, at - 1), min(n, last + 3)):
        p = g.intensifiers.at(s.forms, m, n)
        if p:
            return "pronoun_all", max(last, m + len(p) - 1)
    return "pronoun", last


_PASSIVE_MODALS = (("must",), ("should",), ("need", "to"), ("needs", "to"), ("ought", "to"), ("have", "to"),
                   ("has", "to"), ("deserve", "to"), ("deserves", "to"), ("gotta",), ("got", "to"))


def _passive(g: CallGrammar, s: Sentence, i: int) -> tuple[CallHit, int] | None:
    """"The crusaders must (all) be killed": a target, a modal, "be", a violent participle."""
    n = len(s.words)
    target = g.is_target(s.forms, i, n)
    if target is None and s.words[i] != "they":
        return None
    m = i + (len(target) if target else 1)
    m += s.words[m] in ("all", "also", "just", "simply") if m < n else 0
    for modal in _PASSIVE_MODALS:
        if tuple(s.words[m : m + len(modal)]) == modal:
            m += len(modal)
            break
    else:
        return None
    m += s.words[m] in ("all", "also", "just", "simply") if m < n else 0
    if m >= n or s.words[m] != "be":
        return None
    p = g.participles.at(s.forms, m + 1, n)
    if p is None:
        return None
    last = m + len(p)
    strength = OBJECT_FACTORS["group" if target else "pronoun"]
    if s.words[i] in ("deserve", "deserves") or any(w in ("deserve", "deserves") for w in s.words[i:m]):
        strength *= 0.8  # a wish more than a call
    reported = _reporting_outside(g, s, i, last)
    strength = min(strength, REPORTED_CAP) if reported else strength
    strength *= QUESTION_FACTOR if s.question else 1.0
    detail = f"passive {' '.join(s.words[i:last + 1])!r}" + (" (reported)" if reported else "")
    return CallHit(s.starts[i], s.ends[last], round(strength, 4), "en", detail), last


def _reporting_outside(g: CallGrammar, s: Sentence, start: int, last: int) -> bool:
    """A reporting word in the sentence outside the call, said by someone other than the author:
    "I say: kill them" and "we said it before" are the author's own voice, not reported speech."""
    for k in range(len(s.words)):
        if start <= k <= last:
            continue
        if g.reporting.at(s.forms, k, len(s.words)):
            if k > 0 and g.first_person.ending(s.forms, k - 1, 0):
                continue
            return True
    return False
