"""How robust is story clustering of the five seed reports to the order they arrive in?

Assesses the seeds (as articles) once, then feeds them to `StoryClusterer.assign` in all 120
orders and counts the orders that give exactly the two reference stories, {000, 001, 004} and
{002, 003}. Run undated (as the files are) and with publication dates.

Usage: .venv/bin/python bench/story_seed_orders.py
"""

from __future__ import annotations

import itertools
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vigil.assess import Assessor  # noqa: E402
from vigil.core.records import ContentKind, RawItem  # noqa: E402
from vigil.core.settings import Settings  # noqa: E402
from vigil.intel.embed import get_embedder  # noqa: E402
from vigil.intel.stories import StoryClusterer, signals_of, text_for_vector  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
DATES = ["2024-03-29", "2024-03-29", "2019-03-19", "2019-03-07", None]  # 004 has its own dateline


def correct_orders(dated: bool) -> int:
    files = sorted(SEEDS.glob("*.txt"))
    raws = [
        RawItem("article", f.name, ContentKind.ARTICLE, f.read_text(encoding="utf-8"), b"", "bench", datetime.now(UTC),
                published_at=datetime.fromisoformat(d).replace(tzinfo=UTC) if dated and d else None, id=i + 1)
        for i, (f, d) in enumerate(zip(files, DATES, strict=True))
    ]
    done, _ = Assessor(Settings()).assess(raws)
    vectors = get_embedder("use").encode([text_for_vector(a) for a in done])
    signals = [signals_of(a, v) for a, v in zip(done, vectors, strict=True)]
    ok = 0
    for order in itertools.permutations(range(5)):
        placed = StoryClusterer().assign([signals[k] for k in order], [])
        story = {k: id(st) for k, (st, _) in zip(order, placed, strict=True)}
        ok += story[0] == story[1] == story[4] and story[2] == story[3] and story[0] != story[2]
    return ok


if __name__ == "__main__":
    if not SEEDS.is_dir():
        sys.exit(f"seeds not found at {SEEDS}")
    print(f"undated: {correct_orders(False)} of 120 orders give the two stories")
    print(f"dated:   {correct_orders(True)} of 120 orders give the two stories")
