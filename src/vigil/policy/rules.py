"""The YAML rule policy: per-surface label thresholds, the reporting-context cap, bank matches.

    Assessment (labels, context, matches) ── Policy.decide(surface) ──► Decision(action, reasons)

Rules are deliberately simple and explainable: each reason names the label, its score and the
threshold crossed, so a moderator and an auditor can see exactly why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from vigil.core.errors import ConfigError
from vigil.core.labels import HARM_LABELS, Label
from vigil.core.records import Action, Assessment, Decision
from vigil.core.yamlfile import safe_load
from vigil.policy.sections import (
    CrisisRules,
    EnforcementRules,
    FloodRules,
    parse_action,
    parse_crisis,
    parse_enforcement,
    parse_flood,
)

_ACTIONS = (Action.LABEL, Action.REVIEW, Action.BLOCK)
# decide() runs on every message: enum attribute access is slow enough to matter there.
_STRICTEST_FIRST = tuple((act, act.value, act.rank) for act in reversed(_ACTIONS))
_HARM_VALUES = tuple(label.value for label in HARM_LABELS)
_NO_LIMITS: Mapping[str, float] = {}


@dataclass(frozen=True)
class SurfaceRules:
    thresholds: Mapping[str, Mapping[str, float]]
    reporting_min: float
    reporting_cap: Action
    never_cap: frozenset[str]
    bank_match: Action


@dataclass(frozen=True)
class Policy:
    name: str
    version: int
    label_threshold: float
    surfaces: Mapping[str, SurfaceRules]
    source: str = "builtin"
    raw: Mapping[str, Any] = field(default_factory=dict)
    enforcement: EnforcementRules = field(default_factory=EnforcementRules)
    crisis: CrisisRules = field(default_factory=CrisisRules)
    flood: FloodRules = field(default_factory=FloodRules)

    @property
    def id(self) -> str:
        return f"{self.name}.v{self.version}"

    def rules(self, surface: str) -> SurfaceRules:
        return self.surfaces.get(surface) or self.surfaces["default"]

    def decide(self, a: Assessment, surface: str = "default", crisis: str | None = None) -> Decision:
        """The action for ``a`` on ``surface``. ``crisis`` names an active incident ``a`` relates to:
        its thresholds are scaled by ``crisis.threshold_scale`` and bank matches act at least at
        ``crisis.bank_match``."""
        rules = self.rules(surface)
        scale = self.crisis.threshold_scale if crisis else 1.0
        tag = f" (crisis {crisis!r})" if crisis else ""
        action, rank, reasons = Action.ALLOW, 0, []
        scores = a.scores()
        for label in _HARM_VALUES:  # a fixed order keeps the reasons stable
            score = scores.get(label)
            if score is None:
                continue
            limits = rules.thresholds.get(label, _NO_LIMITS)
            for act, act_value, act_rank in _STRICTEST_FIRST:
                limit = limits.get(act_value)
                if limit is not None and crisis:
                    limit = round(limit * scale, 6)  # 0.8 * 0.75 must be 0.6, not 0.6000000000000001
                if limit is not None and score >= limit:
                    if act_rank > rank:
                        action, rank = act, act_rank
                    reasons.append(f"{label} {score:.2f} >= {act_value} threshold {limit:.2f}{tag}")
                    break
        positives = [m for m in a.matches if not m.negative]
        negatives = [m for m in a.matches if m.negative]
        if positives and not negatives:
            bank_action = rules.bank_match
            if crisis and self.crisis.bank_match.rank > bank_action.rank:
                bank_action = self.crisis.bank_match
            if bank_action.rank > action.rank:
                action = bank_action
            for m in positives:
                reasons.append(f"matched bank {m.bank!r} ({m.signal_type}, distance {m.distance:g})")
        elif positives and negatives:
            reasons.append(f"positive bank matches cancelled by negative bank {negatives[0].bank!r}")
        reporting = a.context.reporting if a.context else scores.get(Label.REPORTING.value, 0.0)
        if reporting >= rules.reporting_min and action.rank > rules.reporting_cap.rank and not positives:
            uncapped = [
                label for label in rules.never_cap
                if scores.get(label, 0.0) >= round(rules.thresholds.get(label, {}).get(action.value, 2.0) * scale, 6)
            ]
            if not uncapped:
                reasons.append(
                    f"reporting context {reporting:.2f} >= {rules.reporting_min:.2f} caps {action.value} at {rules.reporting_cap.value}"
                )
                action = rules.reporting_cap
        return Decision(action=action, reasons=tuple(reasons), policy=self.id, surface=surface)


def load_policy(spec: str = "default") -> Policy:
    """Load a built-in policy by name or a policy YAML file by path.

    Raises:
        ConfigError: the file is missing, is not valid YAML, or breaks the policy schema.
    """
    path = Path(spec)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        if not path.is_file():
            raise ConfigError(f"policy file {spec!r} does not exist", hint="pass a policy YAML path or 'default'")
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        ref = resources.files("vigil.policy") / "policies" / f"{spec}.yaml"
        if not ref.is_file():
            raise ConfigError(f"no built-in policy named {spec!r}", hint="use 'default' or the path of a YAML file")
        text, source = ref.read_text(encoding="utf-8"), f"builtin:{spec}"
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"policy {source} is not valid YAML: {exc}") from exc
    return parse_policy(data, source)


def parse_policy(data: Any, source: str) -> Policy:
    if not isinstance(data, dict):
        raise ConfigError(f"policy {source} must be a mapping with name, version and defaults")
    for key in ("name", "version", "defaults"):
        if key not in data:
            raise ConfigError(f"policy {source} lacks {key!r}", hint="see src/vigil/policy/policies/default.yaml")
    defaults = data["defaults"] or {}
    surfaces = {"default": _surface(defaults, {}, source, "defaults")}
    for name, override in (data.get("surfaces") or {}).items():
        surfaces[str(name)] = _surface(defaults, override or {}, source, f"surfaces.{name}")
    try:
        version = int(data["version"])
        threshold = float(data.get("label_threshold", 0.5))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"policy {source}: version must be an integer and label_threshold a number") from exc
    return Policy(
        str(data["name"]), version, threshold, surfaces, source, data,
        enforcement=parse_enforcement(data.get("enforcement"), source),
        crisis=parse_crisis(data.get("crisis"), source),
        flood=parse_flood(data.get("flood"), source),
    )


def _surface(defaults: Mapping[str, Any], override: Mapping[str, Any], source: str, where: str) -> SurfaceRules:
    thresholds: dict[str, dict[str, float]] = {}
    for part in (defaults.get("thresholds") or {}, override.get("thresholds") or {}):
        for label, limits in part.items():
            if label not in {lbl.value for lbl in HARM_LABELS}:
                raise ConfigError(f"policy {source} {where}: unknown label {label!r}")
            if not isinstance(limits, dict):
                raise ConfigError(f"policy {source} {where}.{label}: expected {{label, review, block}} scores")
            merged = dict(thresholds.get(label, {}))
            for act, value in limits.items():
                if act not in {a.value for a in _ACTIONS}:
                    raise ConfigError(f"policy {source} {where}.{label}: unknown action {act!r}", hint="use label, review or block")
                merged[act] = _unit(value, source, f"{where}.{label}.{act}")
            thresholds[label] = merged
    reporting = {**(defaults.get("reporting") or {}), **(override.get("reporting") or {})}
    return SurfaceRules(
        thresholds=thresholds,
        reporting_min=_unit(reporting.get("min_score", 0.7), source, f"{where}.reporting.min_score"),
        reporting_cap=parse_action(reporting.get("cap", "label"), source, f"{where}.reporting.cap"),
        never_cap=frozenset(reporting.get("never_cap", ["threat"])),
        bank_match=parse_action(override.get("bank_match", defaults.get("bank_match", "block")), source, f"{where}.bank_match"),
    )


def _unit(value: Any, source: str, where: str) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"policy {source} {where}: {value!r} is not a number") from exc
    if not 0.0 <= f <= 1.0:
        raise ConfigError(f"policy {source} {where}: {f} is outside [0, 1]")
    return f
