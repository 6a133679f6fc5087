"""The policy's service sections: account enforcement, crisis mode and flood quarantine.

They live in the same versioned YAML file as the thresholds (`rules.py`), so one policy version names
everything that shaped a decision:

    enforcement:  strikes per blocked send, weighted by label severity, decaying with a half-life;
                  decayed points over ``restrict_at`` restrict the account, over ``ban_at`` ban it
    crisis:       while an incident is active, related content is judged with thresholds scaled down
    flood:        a burst of near-identical blocked sends from many accounts raises an alert and
                  quarantines further near-duplicates
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vigil.core.errors import ConfigError
from vigil.core.records import Action


@dataclass(frozen=True)
class EnforcementRules:
    strike_on: frozenset[Action] = frozenset({Action.BLOCK})
    half_life_days: float = 30.0
    restrict_at: float = 6.0
    ban_at: float = 11.0
    restrict_hours: float = 24.0
    restricted_surfaces: frozenset[str] = frozenset({"public_channel"})


@dataclass(frozen=True)
class CrisisRules:
    threshold_scale: float = 0.75  # related content: every threshold multiplied by this
    bank_match: Action = Action.BLOCK
    priority_boost: float = 2.0  # review cases about an active crisis jump the queue


@dataclass(frozen=True)
class FloodRules:
    window_s: float = 600.0
    min_score: float = 10.0  # sum of account weights of distinct senders needed to raise an alert
    new_account_days: float = 7.0
    new_account_weight: float = 2.0  # a new account counts this much, an established one 1
    similarity: float = 0.5  # Jaccard similarity estimate at which two texts are near-duplicates
    action: Action = Action.BLOCK
    duration_s: float = 3600.0  # how long the quarantine of an alert lasts


def _get(data: Mapping[str, Any], key: str, default: Any, kind: type, source: str, where: str) -> Any:
    value = data.get(key, default)
    try:
        out = kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"policy {source} {where}.{key}: {value!r} is not a {kind.__name__}") from exc
    if isinstance(out, float) and out < 0:
        raise ConfigError(f"policy {source} {where}.{key}: {out} must not be negative")
    return out


def parse_action(value: Any, source: str, where: str) -> Action:
    """An action name from a policy file, or a ConfigError naming the file, the key and the choices."""
    try:
        return Action(str(value))
    except ValueError as exc:
        raise ConfigError(f"policy {source} {where}: unknown action {value!r}", hint="use allow, label, review or block") from exc


def _mapping(data: Any, source: str, where: str) -> Mapping[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"policy {source} {where}: expected a mapping, got {type(data).__name__}")
    return data


def parse_enforcement(data: Any, source: str) -> EnforcementRules:
    d, default = _mapping(data, source, "enforcement"), EnforcementRules()
    rules = EnforcementRules(
        strike_on=frozenset(parse_action(a, source, "enforcement.strike_on") for a in d.get("strike_on", ["block"])),
        half_life_days=_get(d, "half_life_days", default.half_life_days, float, source, "enforcement"),
        restrict_at=_get(d, "restrict_at", default.restrict_at, float, source, "enforcement"),
        ban_at=_get(d, "ban_at", default.ban_at, float, source, "enforcement"),
        restrict_hours=_get(d, "restrict_hours", default.restrict_hours, float, source, "enforcement"),
        restricted_surfaces=frozenset(str(s) for s in d.get("restricted_surfaces", sorted(default.restricted_surfaces))),
    )
    if rules.half_life_days <= 0:
        raise ConfigError(f"policy {source} enforcement.half_life_days must be positive")
    if rules.ban_at < rules.restrict_at:
        raise ConfigError(f"policy {source} enforcement: ban_at {rules.ban_at} is below restrict_at {rules.restrict_at}",
                          hint="a ban must need at least as many strike points as a restriction")
    return rules


def parse_crisis(data: Any, source: str) -> CrisisRules:
    d, default = _mapping(data, source, "crisis"), CrisisRules()
    scale = _get(d, "threshold_scale", default.threshold_scale, float, source, "crisis")
    if not 0.0 < scale <= 1.0:
        raise ConfigError(f"policy {source} crisis.threshold_scale: {scale} is outside (0, 1]",
                          hint="a crisis tightens thresholds: use a factor such as 0.75")
    return CrisisRules(
        threshold_scale=scale,
        bank_match=parse_action(d.get("bank_match", default.bank_match.value), source, "crisis.bank_match"),
        priority_boost=_get(d, "priority_boost", default.priority_boost, float, source, "crisis"),
    )


def parse_flood(data: Any, source: str) -> FloodRules:
    d, default = _mapping(data, source, "flood"), FloodRules()
    sim = _get(d, "similarity", default.similarity, float, source, "flood")
    if not 0.0 < sim <= 1.0:
        raise ConfigError(f"policy {source} flood.similarity: {sim} is outside (0, 1]")
    return FloodRules(
        window_s=_get(d, "window_s", default.window_s, float, source, "flood"),
        min_score=_get(d, "min_score", default.min_score, float, source, "flood"),
        new_account_days=_get(d, "new_account_days", default.new_account_days, float, source, "flood"),
        new_account_weight=_get(d, "new_account_weight", default.new_account_weight, float, source, "flood"),
        similarity=sim,
        action=parse_action(d.get("action", default.action.value), source, "flood.action"),
        duration_s=_get(d, "duration_s", default.duration_s, float, source, "flood"),
    )
