"""Loading and checking the lexicon data files (``vigil/classify/lexicons/*.yaml``).

Where it sits: read once when `vigil.classify.lexicon.LexiconClassifier` is built. A term file holds
groups of terms sharing a kind (the role a term plays: ``call``, ``violence``, ``praise`` ...), one or more
labels, a weight and a language; each group expands into `Entry` records. ``rules.yaml`` holds, per label,
how role features combine into a score, and the wallet patterns. Every problem raises `ConfigError`
naming the file, the group and the value, because a lexicon edited by an analyst must fail loudly at
start-up, never silently per message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from vigil.core.errors import ConfigError
from vigil.core.labels import HARM_LABELS, Label
from vigil.core.yamlfile import safe_load

MATCH_MODES = ("word", "prefix")


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon term: what it is, what it supports, how strongly."""

    term: str  # as written in the file
    labels: tuple[Label, ...]
    weight: float  # in (0, 1]: how strongly this term plays its role
    language: str
    kind: str  # the role: call, violence, target, praise, phrase ...
    match: str  # word | prefix
    source: str  # file name, for evidence


@dataclass(frozen=True, slots=True)
class LabelRule:
    bias: float
    roles: Mapping[str, float]
    pairs: tuple[tuple[str, str, float], ...]
    # Roles scored on their own, ``bias + coef * feature``; the label takes the larger of that and the
    # combination of the other roles. A grammar call (`vigil.classify.calls`) is a whole call already:
    # adding its word cues on top would count the same words twice.
    standalone: Mapping[str, float] = field(default_factory=dict)

    def log_odds(self, features: Mapping[str, float]) -> float:
        z = self.bias
        for role, coef in self.roles.items():
            z += coef * features.get(role, 0.0)
        for a, b, coef in self.pairs:
            z += coef * math.sqrt(features.get(a, 0.0) * features.get(b, 0.0))
        for role, coef in self.standalone.items():
            if role in features:
                z = max(z, self.bias + coef * features[role])
        return z

    def score(self, features: Mapping[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-self.log_odds(features)))

    def uses(self, kind: str) -> bool:
        return kind in self.roles or kind in self.standalone


@dataclass(frozen=True, slots=True)
class Pattern:
    name: str
    regex: re.Pattern[str]
    label: Label
    kind: str
    weight: float


@dataclass(frozen=True, slots=True)
class Lexicon:
    entries: tuple[Entry, ...]
    rules: Mapping[Label, LabelRule]
    patterns: tuple[Pattern, ...]


def _fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"lexicon {where}: {message}", hint="fix the lexicon YAML file named above")


def _read_yaml(path: Path | Any) -> dict[str, Any]:
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _fail(str(path), f"cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(str(path), "expected a mapping at the top level")
    return data


def _labels(value: Any, where: str) -> tuple[Label, ...]:
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        try:
            label = Label(str(v))
        except ValueError:
            raise _fail(where, f"unknown label {v!r}; use one of {[x.value for x in HARM_LABELS]}") from None
        if label not in HARM_LABELS:
            raise _fail(where, f"label {v!r} is a context, not something a term can indicate")
        out.append(label)
    if not out:
        raise _fail(where, "a group needs at least one label")
    return tuple(out)


def _weight(value: Any, where: str) -> float:
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise _fail(where, f"weight {value!r} is not a number") from None
    if not 0.0 < weight <= 1.0:
        raise _fail(where, f"weight {weight} is outside (0, 1]")
    return weight


def parse_terms(data: Mapping[str, Any], source: str) -> list[Entry]:
    """Expand the groups of one term file into entries."""
    language = str(data.get("language", "und"))
    default_match = str(data.get("match", "word"))
    groups = data.get("groups")
    if not isinstance(groups, list):
        raise _fail(source, "expected a list under 'groups'")
    out: list[Entry] = []
    for i, group in enumerate(groups):
        where = f"{source} group {i + 1} ({group.get('kind', '?') if isinstance(group, dict) else '?'})"
        if not isinstance(group, dict) or not isinstance(group.get("terms"), list):
            raise _fail(where, "a group needs 'kind', 'label', 'weight' and a list of 'terms'")
        kind = str(group.get("kind", ""))
        if not kind:
            raise _fail(where, "missing 'kind'")
        labels = _labels(group.get("label"), where)
        weight = _weight(group.get("weight", 1.0), where)
        match = str(group.get("match", default_match))
        lang = str(group.get("language", language))
        for term in group["terms"]:
            t, w, m = term, weight, match
            if isinstance(term, dict):
                t, w, m = (
                    term.get("term"),
                    _weight(term.get("weight", weight), where),
                    str(term.get("match", match)),
                )
            if not isinstance(t, str) or not t.strip():
                raise _fail(where, f"term {term!r} is not a non-empty string")
            if m not in MATCH_MODES:
                raise _fail(where, f"match {m!r} for {t!r} is not one of {MATCH_MODES}")
            out.append(Entry(t.strip(), labels, w, lang, kind, m, source))
    return out


def parse_rules(data: Mapping[str, Any], source: str) -> tuple[dict[Label, LabelRule], list[Pattern]]:
    rules: dict[Label, LabelRule] = {}
    for name, spec in (data.get("labels") or {}).items():
        where = f"{source} label {name!r}"
        (label,) = _labels(name, where)
        if not isinstance(spec, dict):
            raise _fail(where, "expected bias, roles and pairs")
        roles = {str(k): float(v) for k, v in (spec.get("roles") or {}).items()}
        pairs = []
        for key, coef in (spec.get("pairs") or {}).items():
            a, sep, b = str(key).partition("+")
            if not sep or a not in roles or b not in roles:
                raise _fail(where, f"pair {key!r} must join two roles of this label ({sorted(roles)})")
            pairs.append((a, b, float(coef)))
        standalone = {str(k): float(v) for k, v in (spec.get("standalone") or {}).items()}
        rules[label] = LabelRule(float(spec.get("bias", -4.6)), roles, tuple(pairs), standalone)
    patterns = []
    for spec in data.get("patterns") or []:
        where = f"{source} pattern {spec.get('name', '?')!r}"
        try:
            regex = re.compile(str(spec["regex"]))
        except (KeyError, re.error) as exc:
            raise _fail(where, f"bad regex: {exc}") from exc
        (label,) = _labels(spec.get("label"), where)
        patterns.append(
            Pattern(str(spec["name"]), regex, label, str(spec["kind"]), _weight(spec["weight"], where))
        )
    return rules, patterns


def load_lexicon(extra_files: Iterable[str | Path] = ()) -> Lexicon:
    """The built-in lexicon plus ``extra_files`` (term files in the same format).

    Raises:
        ConfigError: a file is missing or malformed, or a term's kind is used by no label rule.
    """
    folder = resources.files("vigil.classify") / "lexicons"
    rules, patterns = parse_rules(_read_yaml(folder / "rules.yaml"), "rules.yaml")
    entries: list[Entry] = []
    builtin = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml") and p.name != "rules.yaml")
    for name in builtin:
        entries.extend(parse_terms(_read_yaml(folder / name), name))
    for path in extra_files:
        p = Path(path)
        if not p.is_file():
            raise _fail(str(p), "file does not exist")
        entries.extend(parse_terms(_read_yaml(p), p.name))
    for e in entries:
        if not any(rules[label].uses(e.kind) for label in e.labels if label in rules):
            raise _fail(e.source, f"term {e.term!r} has kind {e.kind!r}, which no rule of {e.labels} uses")
    return Lexicon(tuple(entries), rules, tuple(patterns))
