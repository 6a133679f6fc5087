"""The lexicon classifier: tier 1 of the cascade, and the first honest classifier Vigil has.

Where it sits: normalize ─► Item ─► **lexicon** (with the other classifiers) ─► context ─► policy.

It reads ``Item.folded`` (case, Arabic spelling and obfuscation already undone), finds the terms of a
multilingual lexicon (English, Arabic script, transliterated Arabic, Russian: ``lexicons/*.yaml``) with
one Aho-Corasick automaton (pyahocorasick), keeps the hits that sit on word boundaries, and scores each
taxonomy label from the combination of cues in each sentence. Evidence spans point into
``Item.normalized`` (through `vigil.normalize.offsets`), each naming the lexicon entry that matched.

How a hit is accepted: the character before and after it must not be a letter or digit, except that
English and transliterated terms may take a plural or verb suffix (``-s -es -ed -d -ing -er -ers``),
Arabic terms may carry attached proclitics (``و ف ب ل ك س`` and the article) and pronoun or plural
suffixes, and ``match: prefix`` terms (Russian stems) may continue into any ending. Before matching,
hyphens, underscores and quote marks are read as spaces (one for one, so offsets hold): ``al-Furqan``
matches ``al furqan`` and ``#الدولة_الإسلامية`` matches the phrase.

How a score is formed (coefficients in ``lexicons/rules.yaml``): every term has a *kind* (its role:
call, addressee, violence, target, intent, when, where, weapon, veiled, praise, acclaim, act, group,
join, contact, fund, wallet, howto, device, outlet, release, phrase, command) and a weight in (0, 1]. For each sentence and
label, each role's feature is the highest weight of its terms found there; the label's log-odds are a
bias plus a coefficient per role plus a coefficient per *pair* of roles times the geometric mean of the
two features, and the score is the logistic of that. The item takes its best sentence. So:

* one common word scores near nothing: "attack" or "ISIS" alone in a news sentence gives 1-3 %;
* two roles that belong together carry the score: a call *and* a violent act ("we urge ... to
  target"), praise *and* an attack, a how-to *and* a device, an outlet *and* a release;
* three roles, or a compound phrase that holds the whole meaning ("kill them wherever you find them",
  "lions of the caliphate", "make hijrah"), reach 0.85-0.97.

Three cues come from more than a term list:

* ``command`` (incitement): a call found by the call grammar (`vigil.classify.calls`): a directive, a
  violent act and a human target, with negation, questions and reported speech read. A call is scored
  on its own (``standalone`` in ``rules.yaml``): "Lone wolves, target the Jews …" 0.97. A violent verb the
  grammar finds negated ("we urge you not to attack") loses its violence cue;
* ``acclaim`` (glorification): an attack acclaimed ("a smart strike"), strong only with a second
  mention of the attack, halved in a sentence that reports speech;
* ``veiled`` (threat): harm promised without naming it ("they will pay for this"), scored alone in the
  default policy's review band.

Calibration: the coefficients are set by hand so that these bands hold on the short texts written for
``tests/unit/classify/test_lexicon.py`` (calls, praise, recruitment, funding, instructions, outlets in
each language, obfuscated variants, and negatives: news sentences, religious greetings, everyday
violence words), and so that the quoted calls in the five seed reports light up while their news
sentences stay low. They are not fitted on labelled data; the learned cascade (issue 3) is. A lexicon
cannot tell a quotation from a call: a report quoting incitement scores like the incitement, and the
context stage decides ``reporting``. Scores are therefore an honest "this text contains this kind of
language", not "this item is propaganda".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import ahocorasick

from vigil.classify.base import Classifier
from vigil.classify.call_grammar import CallGrammar, load_grammar
from vigil.classify.call_text import reported
from vigil.classify.calls import REPORTED_CAP, find_calls
from vigil.classify.lexicon_data import Entry, Lexicon, load_lexicon
from vigil.core.labels import HARM_LABELS, Label
from vigil.core.records import Evidence, Item, LabelScore
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.normalize.folding import fold_text
from vigil.normalize.offsets import fold_map

# Read as spaces before matching (one for one, so offsets into ``folded`` still hold).
_VIEW_TABLE = str.maketrans({ch: " " for ch in "-_'\"`´·•"})
_SENTENCE_END = re.compile(r"(?<!\.)[.!?;](?!\.)|\n")
_LATIN_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers")
_ARABIC_PREFIXES = tuple(
    sorted(
        {
            "و",
            "ف",
            "ب",
            "ل",
            "ك",
            "س",
            "ال",
            "وال",
            "فال",
            "بال",
            "كال",
            "لل",
            "ولل",
            "فلل",
            "وب",
            "فب",
            "ول",
            "فل",
            "وس",
        },
        key=len,
        reverse=True,
    )
)
_ARABIC_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "كن", "نا", "ي", "ون", "ين", "ات", "ان")
_MAX_EVIDENCE = 8
_LONG_TOKEN = re.compile(r"[0-9A-Za-z]{26,}")  # every wallet pattern is one: test it before running them


def lexicon_view(folded: str) -> str:
    return folded.translate(_VIEW_TABLE)


def _boundary_before(view: str, i: int) -> bool:
    return i <= 0 or not view[i - 1].isalnum()


def _boundary_after(view: str, i: int) -> bool:
    return i >= len(view) or not view[i].isalnum()


class _Hit:
    __slots__ = ("entry", "start", "end", "window")

    def __init__(self, entry: Entry, start: int, end: int, window: int = 0) -> None:
        self.entry, self.start, self.end, self.window = entry, start, end, window


class LexiconMatcher:
    """All lexicon terms in one automaton, matched on the lexicon view of ``folded``."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = tuple(entries)
        keys: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            key = lexicon_view(fold_text(entry.term))
            if entry.language == "ar" and key.startswith("ال") and len(key) > 4:
                # The article is matched as a proclitic, so "للدولة" (li + al-dawla) still matches.
                key = key[2:]
            if key.strip():
                keys.setdefault(key, []).append(i)
        self.automaton = ahocorasick.Automaton()
        for key, idx in keys.items():
            self.automaton.add_word(key, (len(key), tuple(idx)))
        self.automaton.make_automaton()

    def find(self, view: str) -> list[_Hit]:
        hits: list[_Hit] = []
        for last, (length, idx) in self.automaton.iter(view):
            start, end = last - length + 1, last + 1
            for i in idx:
                entry = self.entries[i]
                if self._accept(entry, view, start, end):
                    hits.append(_Hit(entry, start, end))
        return hits

    @staticmethod
    def _accept(entry: Entry, view: str, start: int, end: int) -> bool:
        arabic = entry.language == "ar"
        if not _boundary_before(view, start):
            if not arabic:
                return False
            if not any(
                view.startswith(p, start - len(p)) and _boundary_before(view, start - len(p))
                for p in _ARABIC_PREFIXES
                if start >= len(p)
            ):
                return False
        if entry.match == "prefix" or _boundary_after(view, end):
            return True
        suffixes = (
            _ARABIC_SUFFIXES if arabic else _LATIN_SUFFIXES if entry.language in ("en", "ar-Latn") else ()
        )
        return any(view.startswith(s, end) and _boundary_after(view, end + len(s)) for s in suffixes)


class LexiconClassifier(Classifier):
    """Multilingual lexicon over ``folded``; scores combine cues per sentence (see the module doc).

    Options (``[plugins.lexicon]``): ``extra_files`` (more term files in the built-in format),
    ``min_score`` (labels scoring below it are not reported, default 0.05), ``grammar`` (run the call
    grammar of `vigil.classify.calls`, default true).
    """

    name = "lexicon"
    version = 1
    tier = 1
    labels = HARM_LABELS

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings, options)
        self.lexicon: Lexicon = load_lexicon(self.options.get("extra_files", ()))
        self.matcher = LexiconMatcher(self.lexicon.entries)
        self.grammar: CallGrammar | None = load_grammar() if self.options.get("grammar", True) else None
        self.min_score = float(self.options.get("min_score", 0.05))

    def classify(self, items: Sequence[Item]) -> list[tuple[LabelScore, ...]]:
        return [self.classify_one(item) for item in items]

    def classify_one(self, item: Item) -> tuple[LabelScore, ...]:
        view = lexicon_view(item.folded)
        hits = self.matcher.find(view) if view else []
        if self.grammar is not None and view:
            # the grammar reads ``folded`` itself (same offsets): it needs the spaced hyphen of a dash
            hits = self._with_calls(hits, item.folded)
        wallets = self._pattern_hits(item.normalized) if _LONG_TOKEN.search(item.normalized) else []
        if not hits and not wallets:
            return ()
        if hits:
            ends = [m.end() for m in _SENTENCE_END.finditer(view)]
            for hit in hits:
                hit.window = bisect.bisect_right(ends, hit.start)
            if any(h.entry.kind == "acclaim" for h in hits):
                hits = self._acclaims(hits, view, ends)
        out: list[LabelScore] = []
        for label, rule in self.lexicon.rules.items():
            windows: dict[int, dict[str, tuple[float, list[_Hit]]]] = {}
            for hit in hits:
                if label in hit.entry.labels and rule.uses(hit.entry.kind):
                    self._add(windows.setdefault(hit.window, {}), hit)
            shared: dict[str, tuple[float, list[_Hit]]] = {}
            for hit in wallets:
                if label in hit.entry.labels and rule.uses(hit.entry.kind):
                    self._add(shared, hit)
            best_score, best_hits = self._best(rule, windows, shared)
            if best_score >= self.min_score:
                out.append(self._label_score(item, label, best_score, best_hits, view))
        return tuple(out)

    @staticmethod
    def _add(features: dict[str, tuple[float, list[_Hit]]], hit: _Hit) -> None:
        weight, hs = features.get(hit.entry.kind, (0.0, []))
        hs.append(hit)
        features[hit.entry.kind] = (max(weight, hit.entry.weight), hs)

    @staticmethod
    def _best(
        rule: Any,
        windows: dict[int, dict[str, tuple[float, list[_Hit]]]],
        shared: dict[str, tuple[float, list[_Hit]]],
    ) -> tuple[float, list[_Hit]]:
        if not windows and not shared:
            return 0.0, []
        best_score, best_hits = -1.0, []
        for features in windows.values() or [{}]:
            merged = {**shared, **features}
            for kind, (w, hs) in shared.items():
                if kind in features:
                    merged[kind] = (max(w, features[kind][0]), features[kind][1] + hs)
            score = rule.score({kind: w for kind, (w, _) in merged.items()})
            if score > best_score:
                best_score, best_hits = score, [h for _, hs in merged.values() for h in hs]
        return best_score, best_hits

    def _acclaims(self, hits: list[_Hit], view: str, ends: list[int]) -> list[_Hit]:
        """An acclaimed attack ("a smart strike") counts for less in a sentence that reports speech
        ("analysts said the group called it a smart strike"), and the act inside the acclaim itself is
        not a second mention of an attack."""
        spans = [(h.start, h.end) for h in hits if h.entry.kind == "acclaim"]
        out = []
        for h in hits:
            if h.entry.kind == "act" and any(a <= h.start and h.end <= b for a, b in spans):
                continue
            if h.entry.kind == "acclaim" and self.grammar is not None:
                start = ends[h.window - 1] if h.window > 0 else 0
                end = ends[h.window] if h.window < len(ends) else len(view)
                if reported(self.grammar, view[start:end]):
                    h = _Hit(replace(h.entry, weight=h.entry.weight * REPORTED_CAP), h.start, h.end, h.window)
            out.append(h)
        return out

    def _with_calls(self, hits: list[_Hit], view: str) -> list[_Hit]:
        """``hits`` plus the calls of the call grammar as ``command`` cues of ``incitement``, less the
        violence terms and call phrases the grammar found negated ("we urge you not to attack" holds no
        violence cue, "не убивайте" is no call)."""
        assert self.grammar is not None
        out = []
        negated: list[tuple[int, int]] = []
        for call in find_calls(self.grammar, view):
            if call.negated:
                negated.append((call.start, call.end))
                continue
            entry = Entry(call.detail, (Label.INCITEMENT,), call.strength, call.language, "command", "word",
                          f"grammar/{call.language}.yaml")
            out.append(_Hit(entry, call.start, call.end))
        if negated:
            hits = [h for h in hits if h.entry.kind not in ("violence", "phrase") or not any(a <= h.start < b for a, b in negated)]
        return hits + out

    def _pattern_hits(self, normalized: str) -> list[_Hit]:
        out = []
        for pattern in self.lexicon.patterns:
            for m in pattern.regex.finditer(normalized):
                entry = Entry(
                    pattern.name, (pattern.label,), pattern.weight, "any", pattern.kind, "word", "rules.yaml"
                )
                hit = _Hit(entry, m.start(), m.end(), window=-1)  # offsets already in normalized
                out.append(hit)
        return out

    def _label_score(self, item: Item, label: Label, score: float, hits: list[_Hit], view: str) -> LabelScore:
        fmap = fold_map(item.normalized, item.folded)
        evidence: list[Evidence] = []
        shown: list[tuple[int, int]] = []  # spans of terms shown: a term inside one is not repeated
        for hit in sorted(hits, key=lambda h: (h.entry.kind != "command", h.start - h.end, -h.entry.weight, h.start)):
            start, end = (hit.start, hit.end) if hit.window == -1 else fmap.span(hit.start, hit.end)
            if any(s <= start and end <= e for s, e in shown):
                continue  # inside a longer term already shown ("kill" within "kill them")
            if len(evidence) >= _MAX_EVIDENCE:
                break
            e = hit.entry
            call = e.kind == "command"  # a whole call found by the grammar: the terms inside still show
            if not call:
                shown.append((start, end))
            evidence.append(
                Evidence(
                    kind="span" if call else "term",
                    text=item.normalized[start:end],
                    start=start,
                    end=end,
                    weight=e.weight,
                    detail=f"{e.kind}: {e.term!r} ({e.language}, {e.source})" if not call
                    else f"call grammar: {e.term} ({e.language}, {e.source})",
                )
            )
        evidence.sort(key=lambda ev: ev.start or 0)
        return LabelScore(
            label=label, score=round(score, 4), classifier=self.id, tier=self.tier, evidence=tuple(evidence)
        )


MANIFEST = Manifest(classifiers=(LexiconClassifier,))
