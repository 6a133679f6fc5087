"""Extraction speed: milliseconds per item for the entities + events plugins on the seed articles
(or any folder of .txt files), spaCy included. Prints figures; no assertion.

Usage: .venv/bin/python bench/extract_speed.py [FOLDER] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.helpers.extract import item  # noqa: E402

from vigil.core.settings import Settings  # noqa: E402
from vigil.extract.entities import EntitiesExtractor  # noqa: E402
from vigil.extract.events import EventsExtractor  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "seeds"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(args.folder).glob("*.txt"))]
    if not texts:
        sys.exit(f"no .txt files in {args.folder}")
    started = time.perf_counter()
    entities, events = EntitiesExtractor(Settings()), EventsExtractor(Settings())
    entities.extract(item("warm up the pipeline", language="en"))
    print(f"load: {time.perf_counter() - started:.2f} s (gazetteer + spaCy pipeline)")
    per_item = []
    for _ in range(args.repeat):
        for i, text in enumerate(texts):
            it = item(text, language="en", source_id=str(i))  # a new item each time: no cache hit
            t0 = time.perf_counter()
            entities.extract(it)
            events.extract(it)
            per_item.append((time.perf_counter() - t0) * 1000)
    chars = sum(len(t) for t in texts) / len(texts)
    print(f"{len(texts)} items x {args.repeat}, mean {chars:.0f} chars")
    print(
        f"ms/item: median {statistics.median(per_item):.1f}  mean {statistics.mean(per_item):.1f}  max {max(per_item):.1f}"
    )


if __name__ == "__main__":
    main()
