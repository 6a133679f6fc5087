"""Story clustering on CrisisLexT26: do tweets about 26 real crises (2012-2013) fall into stories
that each hold one crisis?

Reads ``../shared/data/crisislex_t26_crisis_tweets`` at run time (nothing is copied), feeds the
tweets in time order through `StoryClusterer.assign` exactly as the pipeline does (text vectors, a
time window, the same threshold), then prints:

* purity: the share of tweets that belong to their story's majority crisis;
* inverse purity: the share of tweets that sit in their crisis's largest story (singletons score
  high purity and low inverse purity, so neither figure can be gamed alone);
* the number of stories, singletons, and the purity over tweets in stories of 5 or more.

Usage: .venv/bin/python bench/story_clustering.py [--embedder use|hashing] [--threshold T]
       [--window-days D] [--limit N] [--cache FILE.npy]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from vigil.intel.embed import get_embedder  # noqa: E402
from vigil.intel.stories import ItemSignals, StoryClusterer, StoryConfig  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "crisislex_t26_crisis_tweets" / "crisislex_t26_labeled_tweets.csv"


def load(limit: int | None) -> list[dict[str, str]]:
    csv.field_size_limit(10_000_000)
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows.sort(key=lambda r: r["created_at_utc_from_id"])
    if limit:
        step = max(1, len(rows) // limit)  # an even sample over the whole period, still in time order
        rows = rows[::step][:limit]
    return rows


def scores(labels: list[str], clusters: list[int]) -> dict[str, float]:
    n = len(labels)
    by_cluster: dict[int, Counter[str]] = defaultdict(Counter)
    by_label: dict[str, Counter[int]] = defaultdict(Counter)
    for label, c in zip(labels, clusters, strict=True):
        by_cluster[c][label] += 1
        by_label[label][c] += 1
    purity = sum(cnt.most_common(1)[0][1] for cnt in by_cluster.values()) / n
    inverse = sum(cnt.most_common(1)[0][1] for cnt in by_label.values()) / n
    big = {c for c, cnt in by_cluster.items() if sum(cnt.values()) >= 5}
    n_big = sum(sum(by_cluster[c].values()) for c in big)
    purity_big = sum(by_cluster[c].most_common(1)[0][1] for c in big) / n_big if n_big else 0.0
    return {
        "items": n,
        "events": len(by_label),
        "stories": len(by_cluster),
        "singletons": sum(1 for cnt in by_cluster.values() if sum(cnt.values()) == 1),
        "purity": round(purity, 4),
        "inverse_purity": round(inverse, 4),
        "f_purity": round(2 * purity * inverse / (purity + inverse), 4),
        "items_in_stories_of_5_plus": round(n_big / n, 4),
        "purity_stories_of_5_plus": round(purity_big, 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--embedder", default="use")
    ap.add_argument("--threshold", type=float, default=StoryConfig.threshold)
    ap.add_argument("--window-days", type=float, default=StoryConfig.window.days)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--cache", default=None, help="save/load the text vectors here (speeds up threshold sweeps)")
    args = ap.parse_args()
    if not DATA.is_file():
        sys.exit(f"CrisisLex not found at {DATA}")
    rows = load(args.limit)
    texts = [r["tweet_text"] for r in rows]
    t0 = time.perf_counter()
    cache = Path(args.cache) if args.cache else None
    if cache and cache.is_file():
        vectors = np.load(cache)
    else:
        vectors = get_embedder(args.embedder).encode(texts)
        if cache:
            np.save(cache, vectors)
    t_embed = time.perf_counter() - t0
    signals = [
        ItemSignals(i, datetime.fromisoformat(r["created_at_utc_from_id"].replace("Z", "+00:00")).astimezone(UTC),
                    "", vectors[i], {}, [])
        for i, r in enumerate(rows)
    ]
    config = StoryConfig(threshold=args.threshold, window=timedelta(days=args.window_days))
    t1 = time.perf_counter()
    placed = StoryClusterer(config).assign(signals, [])
    t_assign = time.perf_counter() - t1
    ids: dict[int, int] = {}
    clusters = [ids.setdefault(id(story), len(ids)) for story, _ in placed]
    out = scores([r["event"] for r in rows], clusters)
    out.update({"embedder": args.embedder, "threshold": args.threshold, "window_days": args.window_days,
                "embed_s": round(t_embed, 1), "assign_s": round(t_assign, 1)})
    for key, value in out.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
