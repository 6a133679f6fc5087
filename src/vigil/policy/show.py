"""A policy as JSON (`vigil policy show`, `GET /v1/policy`) and the comparison of two policies on the
same items (`vigil policy test`): how many items would change action, and which, before deploying."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from vigil.core.records import Assessment
from vigil.policy.rules import Policy


def policy_json(p: Policy) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if isinstance(v, frozenset | set):
            return sorted(str(x) for x in v)
        if hasattr(v, "value"):
            return v.value
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    return {
        "id": p.id, "name": p.name, "version": p.version, "source": p.source, "label_threshold": p.label_threshold,
        "surfaces": {
            name: {"thresholds": {k: dict(v) for k, v in rules.thresholds.items()},
                   "reporting": {"min_score": rules.reporting_min, "cap": rules.reporting_cap.value,
                                 "never_cap": sorted(rules.never_cap)},
                   "bank_match": rules.bank_match.value}
            for name, rules in p.surfaces.items()
        },
        "enforcement": {k: plain(v) for k, v in asdict(p.enforcement).items()},
        "crisis": {k: plain(v) for k, v in asdict(p.crisis).items()},
        "flood": {k: plain(v) for k, v in asdict(p.flood).items()},
    }


def compare(assessments: Sequence[Assessment], baseline: Policy, candidate: Policy, surface: str = "default",
            crisis: str | None = None, show: int = 100) -> dict[str, Any]:
    """Decide every assessment under both policies. The assessments are computed once, so every
    difference comes from the policies alone."""
    changed: list[dict[str, Any]] = []
    transitions: Counter[str] = Counter()
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    n_changed = 0
    for a in assessments:
        old = baseline.decide(a, surface, crisis=crisis)
        new = candidate.decide(a, surface, crisis=crisis)
        before[old.action.value] += 1
        after[new.action.value] += 1
        if old.action != new.action:
            n_changed += 1
            transitions[f"{old.action.value}->{new.action.value}"] += 1
            if len(changed) < show:
                raw = a.item.raw
                changed.append({"source": raw.source, "source_id": raw.source_id, "id": raw.id,
                                "text": a.item.normalized[:200], "from": old.action.value, "to": new.action.value,
                                "reasons": list(new.reasons)})
    return {"items": len(assessments), "changed": n_changed, "baseline": baseline.id, "candidate": candidate.id,
            "surface": surface, "by_action_before": dict(before), "by_action_after": dict(after),
            "transitions": dict(transitions), "examples": changed}
