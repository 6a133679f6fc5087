"""Speed of the context stage: microseconds per tweet and milliseconds per news report (one core).

    .venv/bin/python bench/context_speed.py [--data ../shared/data] [--repeat 3]

Tweets: 5,000 rows of CrisisLex and Fifth Tribe text (or short built-in texts without the data folder).
Reports: the five seed documents in ../shared/seeds. Prints the best of ``--repeat`` runs, in CPU time of this process (the machine is shared).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from vigil.context.gold import dataset_rows
from vigil.context.stage import ContextStage
from vigil.core.records import ContentKind, Item, RawItem
from vigil.normalize.base import start_item

NOW = datetime(2024, 3, 28, tzinfo=UTC)
FALLBACK = [
    "BREAKING: Police say suspect in custody after shooting at the airport http://t.co/x",
    '"Strike them in their homes," he said, according to a recording the group released.',
    "Brothers, the door of hijra is open. Why are you still sitting?",
]


def _items(texts: list[str], kind: ContentKind) -> list[Item]:
    return [
        start_item(RawItem("bench", str(i), kind, t, b"", "csv.v1", NOW), 100_000)
        for i, t in enumerate(texts)
    ]


def _best(stage: ContextStage, items: list[Item], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            stage.assess(item)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    root = Path(__file__).resolve().parents[2] / "shared"
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(root / "data"))
    parser.add_argument("--seeds", default=str(root / "seeds"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = Path(args.data)
    if data.is_dir():
        texts = [r["tweet_text"] for r in dataset_rows(data, "crisislex_t26_crisis_tweets").values()][:2500]
        texts += [r["tweets"] for r in dataset_rows(data, "fifthtribe_isis_tweets").values()][:2500]
    else:
        texts = FALLBACK * 1000
    stage = ContextStage()
    tweets = _items(texts, ContentKind.MESSAGE)
    stage.assess(tweets[0])  # build the automaton outside the timing
    seconds = _best(stage, tweets, args.repeat)
    mean_chars = sum(len(t) for t in texts) / len(texts)
    print(
        f"tweets: {len(tweets)} (mean {mean_chars:.0f} chars), {seconds / len(tweets) * 1e6:.1f} µs per tweet, "
        f"{len(tweets) / seconds:,.0f} per second"
    )
    seeds = sorted(Path(args.seeds).glob("*.txt"))
    if seeds:
        reports = _items([p.read_text(encoding="utf-8") for p in seeds], ContentKind.ARTICLE)
        seconds = _best(stage, reports, args.repeat * 5)
        sizes = ", ".join(f"{len(r.normalized):,}" for r in reports)
        print(
            f"seed reports: {len(reports)} ({sizes} chars), {seconds / len(reports) * 1e3:.2f} ms per report"
        )


if __name__ == "__main__":
    main()
