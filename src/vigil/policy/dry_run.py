"""A candidate policy tried on the items already stored, before it is deployed: the logic of
`vigil policy test --db` as a function, for the dashboard's policy page.

Each stored item is assessed once (the Assessor the server already holds) and decided by both the
active and the candidate policy (`show.compare`), so every difference comes from the policies alone.

Where it sits: `vigil.web` (admin policy page); `vigil.cli.policy` keeps its own file-reading path.
"""

from __future__ import annotations

from typing import Any

import yaml

from vigil.assess import Assessor
from vigil.core.errors import ConfigError, InvalidInput
from vigil.core.records import Assessment, RawItem
from vigil.core.yamlfile import safe_load
from vigil.policy.rules import Policy, parse_policy
from vigil.policy.show import compare
from vigil.store.sql import SqlStore

MAX_POLICY_BYTES = 200_000


def parse_candidate(text: str, source: str = "candidate") -> Policy:
    """A policy from YAML text (an upload or a form field).

    Raises:
        InvalidInput: too large, not YAML, or not a valid policy (the message says what is wrong).
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_POLICY_BYTES:
        raise InvalidInput(f"the policy is over {MAX_POLICY_BYTES:,} bytes")
    try:
        return parse_policy(safe_load(text), source)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"the policy is not valid YAML: {exc}") from exc
    except ConfigError as exc:
        raise InvalidInput(exc.message, hint=exc.hint) from exc


def stored_assessments(store: SqlStore, assessor: Assessor, limit: int) -> list[Assessment]:
    out: list[Assessment] = []
    after = 0
    while len(out) < limit:
        batch: list[RawItem] = store.pending_raw(min(500, limit - len(out)), after_id=after, status="done")
        if not batch:
            break
        after = batch[-1].id or after
        done, _ = assessor.assess(batch)
        out.extend(done)
    return out


def dry_run(store: SqlStore, assessor: Assessor, baseline: Policy, candidate_text: str, surface: str = "default",
            limit: int = 5_000, show: int = 50) -> dict[str, Any]:
    """How many of the (at most ``limit``) stored items change action under the candidate, and which."""
    candidate = parse_candidate(candidate_text)
    if surface not in baseline.surfaces and surface not in candidate.surfaces:
        surface = "default"
    return compare(stored_assessments(store, assessor, limit), baseline, candidate, surface, show=show)
