"""Golden tests for the normalizer chain: ``tests/golden/normalize/<case>.in.json`` holds a text, the
matching ``.out.json`` what the built-in chain makes of it. ``pytest --update-golden`` rewrites the
outputs; review the diff before committing it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.normalize import normalize

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "normalize"
CASES = sorted(p.name[: -len(".in.json")] for p in GOLDEN.glob("*.in.json"))


def _observed(text: str) -> dict[str, Any]:
    item = normalize(text)
    return {
        "normalized": item.normalized,
        "folded": item.folded,
        "language": item.language,
        "script": item.script,
        "urls": list(item.urls),
        "handles": list(item.handles),
        "hashtags": list(item.hashtags),
    }


def test_golden_has_enough_cases() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_golden_normalize(case: str, update_golden: bool) -> None:
    given = json.loads((GOLDEN / f"{case}.in.json").read_text(encoding="utf-8"))
    observed = _observed(given["text"])
    out = GOLDEN / f"{case}.out.json"
    if update_golden:
        out.write_text(json.dumps(observed, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    assert out.is_file(), f"no expected output for {case}; run pytest --update-golden and review it"
    assert observed == json.loads(out.read_text(encoding="utf-8"))
