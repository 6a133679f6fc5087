"""The word lists of the call grammar (`vigil.classify.calls`), loaded from ``lexicons/grammar/*.yaml``.

Where it sits: built once by the lexicon classifier; `vigil.classify.calls.find_calls` reads it. Each
language file holds the same lists (violent verbs, imperative forms, targets, pronouns, intensifiers,
modals, call verbs, addressees, fillers, negations, reporting words ...); they are merged into one
grammar, because words of different scripts never collide. Every entry is folded like message text, so
an analyst writes terms naturally (hamza, capitals, apostrophes) and they still match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import yaml

from vigil.core.errors import ConfigError
from vigil.core.yamlfile import safe_load
from vigil.normalize.folding import fold_text

_ARABIC = re.compile(r"[\u0600-\u06ff]")

Phrase = tuple[str, ...]


class Phrases:
    """Multi-word entries indexed by their first and last word, longest first."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.first: dict[str, list[Phrase]] = {}
        self.last: dict[str, list[Phrase]] = {}
        for p in sorted(set(phrases), key=len, reverse=True):
            self.first.setdefault(p[0], []).append(p)
            self.last.setdefault(p[-1], []).append(p)

    def at(self, forms: Sequence[Sequence[str]], i: int, stop: int) -> Phrase | None:
        """The longest entry starting at word ``i`` (before word ``stop``)."""
        for f in forms[i]:
            for p in self.first.get(f, ()):
                if i + len(p) <= stop and all(p[m] in forms[i + m] for m in range(1, len(p))):
                    return p
        return None

    def ending(self, forms: Sequence[Sequence[str]], k: int, start: int) -> Phrase | None:
        """The longest entry ending at word ``k`` (not before word ``start``)."""
        for f in forms[k]:
            for p in self.last.get(f, ()):
                b = k - len(p) + 1
                if b >= start and all(p[m] in forms[b + m] for m in range(len(p) - 1)):
                    return p
        return None


def _phrases(values: Iterable[Any], where: str = "") -> list[Phrase]:
    out = []
    for v in values:
        if not isinstance(v, str | int | float) or isinstance(v, bool):
            raise ConfigError(
                f"call grammar {where}: entry {v!r} is not a word",
                hint='quote it: YAML reads on/off/yes/no as true/false ("on", "no")',
            )
        words = tuple(fold_text(str(v)).replace("'", " ").replace("-", " ").split())
        if words:
            out.append(words)
    return out


def _weighted(spec: Any, where: str) -> dict[Phrase, float]:
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise ConfigError(f"call grammar {where}: expected a mapping of weight to terms", hint="see lexicons/grammar/en.yaml")
    out: dict[Phrase, float] = {}
    for weight, terms in spec.items():
        for p in _phrases(terms or (), where):
            out[p] = float(weight)
    return out


_LISTS = (
    "revenge", "revenge_imperatives", "targets", "pronouns", "intensifiers_strong", "intensifiers", "participles",
    "modals", "duty", "call_verbs", "call_verbs_reported", "first_person", "addressees", "vocatives", "fillers",
    "negations", "reporting", "noun_use", "object_stops", "finite_verbs",
)


class CallGrammar:
    """The merged grammar of every language file (their words do not collide across scripts)."""

    def __init__(self, specs: Sequence[tuple[str, dict[str, Any]]]) -> None:
        lists: dict[str, list[Phrase]] = {name: [] for name in _LISTS}
        self.verbs: dict[Phrase, float] = {}
        self.imperatives: dict[Phrase, float] = {}
        self.language: dict[str, str] = {}
        stems: list[str] = []
        clitics: list[str] = []
        suffixes: list[str] = []
        self.split_particles: dict[str, str] = {}
        self.verb_final: set[str] = set()  # languages whose infinitive ends its clause (German)
        for source, spec in specs:
            lang = str(spec.get("language", "und"))
            if spec.get("verb_final"):
                self.verb_final.add(lang)
            for key in spec:
                if key not in (*_LISTS, "language", "verbs", "imperatives", "target_stems", "clitics", "object_suffixes",
                               "split_particles", "verb_final"):
                    raise ConfigError(f"call grammar {source}: unknown list {key!r}", hint="see lexicons/grammar/en.yaml")
            verbs = _weighted(spec.get("verbs"), f"{source} verbs")
            imperatives = _weighted(spec.get("imperatives"), f"{source} imperatives")
            self.verbs.update(verbs)
            self.imperatives.update(imperatives)
            for name in _LISTS:
                lists[name].extend(_phrases(spec.get(name) or (), f"{source} {name}"))
            for p in [*verbs, *imperatives, *_phrases(spec.get("revenge_imperatives") or ())]:
                self.language[p[0]] = lang
            stems.extend(fold_text(s) for s in spec.get("target_stems") or ())
            clitics.extend(fold_text(s) for s in spec.get("clitics") or ())
            suffixes.extend(fold_text(s) for s in spec.get("object_suffixes") or ())
            self.split_particles.update({fold_text(k): fold_text(v) for k, v in (spec.get("split_particles") or {}).items()})
        self.revenge = Phrases(lists["revenge"])
        self.revenge_imperatives = Phrases(lists["revenge_imperatives"])
        self.verb_index = Phrases(self.verbs)
        self.imperative_index = Phrases(self.imperatives)
        self.targets = Phrases(lists["targets"])
        self.target_stems = tuple(stems)
        self.intensifiers_strong = Phrases(lists["intensifiers_strong"])
        self.intensifiers = Phrases(lists["intensifiers"])
        self.participles = Phrases(lists["participles"])
        self.modals = Phrases(lists["modals"])
        self.call_verbs = Phrases(lists["call_verbs"])
        self.call_verbs_reported = Phrases(lists["call_verbs_reported"])
        self.first_person = Phrases(lists["first_person"])
        self.addressees = Phrases(lists["addressees"])
        self.fillers = Phrases(lists["fillers"])
        self.negations = Phrases(lists["negations"])
        self.reporting = Phrases(lists["reporting"])
        words = {name: frozenset(p[0] for p in lists[name] if len(p) == 1) for name in _LISTS}
        self.pronouns = words["pronouns"]
        self.duty = words["duty"]
        self.vocatives = words["vocatives"]
        self.noun_use = words["noun_use"]
        self.object_stops = words["object_stops"]
        # Inflected forms of the English violent verbs end an object search ("Attack kills soldiers")
        # and show the verb before them is a noun.
        inflected = {w + suffix for p in self.verbs if p[0].isascii() for w in (p[0],) for suffix in ("s", "es", "ed", "d")}
        self.finite_verbs = frozenset(inflected | words["finite_verbs"])
        self.noun_use = self.noun_use | self.finite_verbs
        self.clitics = tuple(sorted(set(clitics), key=len, reverse=True))
        self.suffixes = tuple(sorted(set(suffixes), key=len, reverse=True))
        # A text is parsed only when it holds a word that can start a violent act (or a passive
        # participle) *and* a word that can end a target, a pronoun or a revenge verb: most messages hold
        # neither. Arabic and Cyrillic texts, whose words change shape, are always parsed.
        acts = [*self.verbs, *self.imperatives, *lists["revenge"], *lists["revenge_imperatives"], *lists["participles"]]
        self.triggers = frozenset(p[0] for p in acts) | frozenset(self.split_particles)
        self.objects = frozenset(p[-1] for p in lists["targets"]) | frozenset(
            p[0] for p in [*lists["pronouns"], *lists["revenge"], *lists["revenge_imperatives"]]
        ) | frozenset(stems)
        # words at which a call can start: a verb, or a target for a passive call ("X must be killed")
        self.starts = self.triggers | frozenset(p[0] for p in lists["targets"]) | {"they"}
        self.prefilter = _prefilter(self.triggers, self.objects)

    # ---- words -------------------------------------------------------------------------------------

    def forms(self, word: str) -> tuple[str, ...]:
        """The word and, for Arabic, the word without its proclitics and object suffix."""
        if not self.clitics or not _ARABIC.match(word):
            return (word,)
        out = [word]
        for c in self.clitics:
            if word.startswith(c) and len(word) - len(c) >= 2:
                out.append(word[len(c) :])
        for base in list(out):
            for s in self.suffixes:
                if base.endswith(s) and len(base) - len(s) >= 3:
                    stem = base[: -len(s)]
                    out.append(stem)
                    if stem.endswith("و"):
                        out.append(stem + "ا")  # اقتلوهم -> اقتلوا: the alef is dropped before a suffix
        return tuple(dict.fromkeys(out))

    def is_target(self, forms: Sequence[Sequence[str]], i: int, stop: int) -> Phrase | None:
        found = self.targets.at(forms, i, stop)
        if found:
            return found
        if self.target_stems and forms[i][0].startswith(self.target_stems):
            return (forms[i][0],)
        return None


def _prefilter(triggers: frozenset[str], objects: frozenset[str]) -> Any:
    """One Aho-Corasick automaton over the trigger and object words (value: 1 trigger, 2 object, 3
    both). Arabic verbs lose their final alef before an attached object (اقتلوا -> اقتلوهم), so their
    stem is added too."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    kinds: dict[str, int] = {}
    for words, kind in ((triggers, 1), (objects, 2)):
        for w in words:
            kinds[w] = kinds.get(w, 0) | kind
            if _ARABIC.match(w) and w.endswith("وا"):
                kinds[w[:-1]] = kinds.get(w[:-1], 0) | kind
    for w, kind in kinds.items():
        automaton.add_word(w, (len(w), kind))
    automaton.make_automaton()
    return automaton


def load_grammar(extra: Sequence[tuple[str, dict[str, Any]]] = ()) -> CallGrammar:
    """The built-in grammar files (``lexicons/grammar/*.yaml``), plus ``extra`` (source, mapping) pairs."""
    folder = resources.files("vigil.classify") / "lexicons" / "grammar"
    specs = []
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml")):
        try:
            data = safe_load((folder / name).read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"call grammar grammar/{name}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"call grammar grammar/{name}: expected a mapping at the top level")
        specs.append((f"grammar/{name}", data))
    return CallGrammar([*specs, *extra])
