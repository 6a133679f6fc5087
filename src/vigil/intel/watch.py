"""Watch rules: what an analyst wants to hear about as items arrive.

Kinds:

* ``entity``  — the item mentions an entity (gazetteer id, or a name: matched on the entity key,
  canonical name or the text of any mention, case-folded);
* ``term``    — a word or phrase occurs in the item (whole words, on the normalized and folded text,
  so ``d@esh`` still hits ``daesh``);
* ``label``   — the item carries ``label`` at or above ``threshold`` (default 0.5);
* ``channel`` — the item was posted in, or forwarded from, a channel;
* ``score``   — any harm label at or above ``threshold``;
* ``spike``   — volume: at least ``min_count`` items (optionally only those carrying ``label`` and/or
  mentioning entity ``value``) within ``window_hours``, and at least ``factor`` times the average
  for such a window over the preceding ``baseline_days``. Fires at most once per window.

Where it sits: rules live in the ``watch_rules`` table (`vigil watch add|list|remove`); `alerts`
evaluates them as each batch is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vigil.core.errors import InvalidInput
from vigil.core.labels import HARM_LABELS, parse_label
from vigil.core.records import Assessment
from vigil.store.facts import mention_key

KINDS = ("entity", "term", "label", "channel", "score", "spike")
MAX_TERM_CHARS = 200


@dataclass(frozen=True)
class WatchRule:
    name: str
    kind: str
    value: str | None = None
    label: str | None = None
    threshold: float | None = None
    window_hours: int | None = None
    baseline_days: int | None = None
    factor: float | None = None
    min_count: int | None = None
    enabled: bool = True
    notify: bool = True
    id: int | None = None
    last_fired_at: datetime | None = None

    def describe(self) -> str:
        if self.kind == "spike":
            what = " and ".join(p for p in (self.label and f"label {self.label}", self.value and f"entity {self.value}") if p)
            return (f"spike of {what or 'all items'}: >= {self.min_count} in {self.window_hours} h and "
                    f">= {self.factor}x the {self.baseline_days}-day baseline")
        if self.kind in ("label", "score"):
            return f"{self.kind} {self.label or 'any harm'} >= {self.threshold}"
        return f"{self.kind} {self.value!r}"


def make_rule(name: str, kind: str, value: str | None = None, label: str | None = None, threshold: float | None = None,
              window_hours: int | None = None, baseline_days: int | None = None, factor: float | None = None,
              min_count: int | None = None, notify: bool = True) -> WatchRule:
    """A validated rule with defaults filled in.

    Raises:
        InvalidInput: an unknown kind, a missing value, or a threshold outside [0, 1].
    """
    if not name or len(name) > 128:
        raise InvalidInput(f"watch rule name {name!r} must be 1 to 128 characters")
    if kind not in KINDS:
        raise InvalidInput(f"unknown watch rule kind {kind!r}", hint="use one of: " + ", ".join(KINDS))
    if kind in ("entity", "term", "channel") and not (value and value.strip()):
        raise InvalidInput(f"a {kind} rule needs a value", hint=f"e.g. vigil watch add NAME --{kind} VALUE")
    if value and len(value) > MAX_TERM_CHARS:
        raise InvalidInput(f"watch value is {len(value)} characters, over {MAX_TERM_CHARS}")
    if kind == "label" and not label:
        raise InvalidInput("a label rule needs --label", hint="e.g. --label incitement")
    if label:
        label = parse_label(label).value
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise InvalidInput(f"threshold {threshold!r} is outside [0, 1]")
    if kind in ("label", "score") and threshold is None:
        threshold = 0.5 if kind == "label" else 0.9
    if kind == "spike":
        window_hours = window_hours or 24
        baseline_days = baseline_days or 7
        factor = factor if factor is not None else 3.0
        min_count = min_count if min_count is not None else 5
        if window_hours <= 0 or baseline_days <= 0 or factor <= 0 or min_count < 1:
            raise InvalidInput("spike rules need a positive window, baseline, factor and minimum count")
    return WatchRule(name, kind, value.strip() if value else None, label, threshold, window_hours, baseline_days,
                     factor, min_count, True, notify)


def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(term.casefold()) + r"(?!\w)")


def entity_hit(rule_value: str, a: Assessment) -> str | None:
    want = rule_value.casefold()
    for m in a.entities:
        if want in (mention_key(m).casefold(), m.canonical.casefold(), m.text.casefold(), (m.entity_id or "").casefold()):
            return m.canonical
    return None


def matches(rule: WatchRule, a: Assessment, label_threshold: float = 0.5) -> dict[str, Any] | None:
    """Why ``a`` triggers a per-item ``rule`` (a JSON-ready dict), or None. Spike rules are
    evaluated over volumes, not here."""
    raw = a.item.raw
    if rule.kind == "entity" and rule.value:
        hit = entity_hit(rule.value, a)
        return {"entity": hit} if hit else None
    if rule.kind == "term" and rule.value:
        pattern = _term_pattern(rule.value)
        for text in (a.item.normalized.casefold(), a.item.folded.casefold()):
            found = pattern.search(text)
            if found:
                return {"term": rule.value, "at": found.start()}
        return None
    if rule.kind == "label" and rule.label:
        score = a.context.reporting if rule.label == "reporting" and a.context else a.score(rule.label)
        return {"label": rule.label, "score": round(score, 4)} if score >= (rule.threshold or label_threshold) else None
    if rule.kind == "channel" and rule.value:
        want = rule.value.casefold().lstrip("@")
        for field in ("channel", "forwarded_from", "source"):
            value = getattr(raw, field)
            if value and value.casefold().lstrip("@") == want:
                return {field: value}
        return None
    if rule.kind == "score":
        scores = {k: v for k, v in a.scores().items() if k in {lbl.value for lbl in HARM_LABELS}}
        if scores:
            label, score = max(scores.items(), key=lambda kv: kv[1])
            if score >= (rule.threshold or 0.9):
                return {"label": label, "score": round(score, 4)}
    return None
