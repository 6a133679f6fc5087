"""The ``glossary`` translator: glosses, not sentences. It finds the movement's Arabic terms (in
Arabic script or transliterated) and the gazetteer's names (organisations, outlets, spokesmen, in
any script) and says what each means, so an analyst reading an Arabic post sees at once that
``الذئاب المنفردة`` are "lone wolves" and ``ولاية خراسان`` is ISIS-K. Works offline for any
source language; the gloss language is English.

Options (``[plugins.glossary]``): ``file``: a user glossary YAML of the same shape as the built-in
``glossary.yaml``; its terms are added (an existing id gains forms).

Where it sits: a `Translator`; `vigil translate` always runs it, beside a full translator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from vigil.core.errors import ConfigError
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.core.yamlfile import safe_load
from vigil.extract.gazetteer import load_gazetteer
from vigil.extract.matcher import GazetteerMatcher
from vigil.extract.textfold import fold, fold_with_map
from vigil.translate.base import MAX_CHARS, Gloss, Translation, Translator

_PROCLITICS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")
_ARTICLES = ("ال", "لل")
MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    gloss: str
    note: str | None
    forms: tuple[str, ...]


def _parse(data: Any, origin: str) -> list[Term]:
    if not isinstance(data, Mapping) or not isinstance(data.get("terms"), list):
        raise ConfigError(f"glossary {origin} has no `terms:` list", hint="see vigil/translate/glossary.yaml for the shape")
    out = []
    for raw in data["terms"]:
        if not isinstance(raw, Mapping) or not raw.get("id") or not raw.get("gloss"):
            raise ConfigError(f"glossary entry {raw!r} in {origin} needs an id and a gloss")
        forms = [str(f) for f in (raw.get("arabic") or []) + (raw.get("latin") or []) if str(f).strip()]
        if not forms:
            raise ConfigError(f"glossary entry {raw['id']!r} in {origin} has no arabic or latin forms")
        out.append(Term(str(raw["id"]), str(raw["gloss"]), raw.get("note"), tuple(forms)))
    return out


@lru_cache(maxsize=4)
def load_terms(user_file: str = "") -> tuple[Term, ...]:
    """The built-in glossary, extended by ``user_file``.

    Raises:
        ConfigError: the user file is missing, too large or malformed.
    """
    text = (resources.files("vigil.translate") / "glossary.yaml").read_text(encoding="utf-8")
    terms = {t.id: t for t in _parse(safe_load(text), "glossary.yaml")}
    if user_file:
        path = Path(user_file)
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(f"glossary file {user_file!r} is missing or over {MAX_FILE_BYTES:,} bytes",
                              hint="fix [plugins.glossary] file in vigil.toml")
        try:
            data = safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"cannot parse glossary file {user_file!r}: {exc}") from exc
        for t in _parse(data, user_file):
            old = terms.get(t.id)
            terms[t.id] = Term(t.id, t.gloss, t.note, tuple(dict.fromkeys((*old.forms, *t.forms)))) if old else t
    return tuple(terms.values())


class TermMatcher:
    """Glossary forms in folded text, on word boundaries; Arabic forms may carry an attached
    conjunction, preposition and article (و ف, ب ل ك, ال)."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.automaton = ahocorasick.Automaton()
        for term in terms:
            for form in term.forms:
                key = fold(form)
                if key:
                    self.automaton.add_word(key, (len(key), term))
        self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        folded = fold_with_map(text)
        s = folded.text
        hits = []
        for end, (length, term) in self.automaton.iter(s):
            start = end - length + 1
            if end + 1 < len(s) and s[end + 1].isalnum():
                continue
            start = _prefix_start(s, start)
            if start is None:
                continue
            hits.append((start, end + 1, term))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, last = [], -1
        for start, end, term in hits:  # leftmost-longest, no overlaps
            if start >= last:
                a, b = folded.span(start, end)
                out.append((a, b, term))
                last = end
        return out


def _prefix_start(s: str, start: int) -> int | None:
    """Where the word holding a match at ``start`` begins, if what precedes is only Arabic
    clitics; None when the match sits inside another word."""
    if start == 0 or not s[start - 1].isalnum():
        return start
    i = start
    for group in (_ARTICLES, _PREPOSITIONS, _PROCLITICS):
        for p in group:
            if s[max(0, i - len(p)) : i] == p:
                i -= len(p)
                break
        if i == 0 or not s[i - 1].isalnum():
            return start
    return None


class GlossaryTranslator(Translator):
    name = "glossary"
    version = 1

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings, options)
        self.terms = TermMatcher(load_terms(str(self.options.get("file", ""))))
        self.gazetteer = load_gazetteer(str(settings.plugin_options("entities").get("gazetteer", "")))
        self.names = GazetteerMatcher(self.gazetteer)

    def available(self, source: str | None, target: str) -> bool:
        return target == "en"

    def glosses(self, text: str) -> list[Gloss]:
        """Glossary terms and gazetteer names in ``text``; where they overlap the longer wins
        ("Wilayat Khorasan" is ISIS-K, not just "province")."""
        text = text[:MAX_CHARS]
        found = [Gloss(text[a:b], a, b, t.gloss, t.note, "term", t.id) for a, b, t in self.terms.find(text)]
        for m in self.names.find(text):
            e = m.entry
            if text[m.start : m.end] == e.canonical:
                continue  # nothing to explain: the text already uses the English name
            note = e.role or e.description
            parent = self.gazetteer.get(e.parent) if e.parent else None
            if parent and not note:
                note = f"part of {parent.canonical}"
            found.append(Gloss(text[m.start : m.end], m.start, m.end, e.canonical, note, e.kind, e.id))
        out: list[Gloss] = []
        for g in sorted(found, key=lambda g: (-(g.end - g.start), g.start)):
            if not any(o.start < g.end and g.start < o.end for o in out):
                out.append(g)
        return sorted(out, key=lambda g: g.start)

    def translate(self, text: str, source: str | None, target: str = "en") -> Translation:
        return Translation(text, source, target, None, tuple(self.glosses(text)), self.id)


def glossed_text(text: str, glosses: tuple[Gloss, ...] | list[Gloss]) -> str:
    """The text with each glossed term followed by its meaning in brackets."""
    out, last = [], 0
    for g in sorted(glosses, key=lambda g: g.start):
        if g.start < last:
            continue
        out.append(text[last : g.end])
        out.append(f" [{g.gloss}]")
        last = g.end
    out.append(text[last:])
    return "".join(out)


MANIFEST = Manifest(translators=(GlossaryTranslator,))
