"""How often the context stage finds reporting framing, per data set, and against the gold set.

    .venv/bin/python bench/context_eval.py [--data ../shared/data] [--limit N]

Every text is scored as a plain message from a CSV file (no article prior), so the figures measure
the text alone; MUC documents are scored a second time as articles from a file. Prints, per set, the
share of items with reporting >= 0.5 and >= 0.7 (the default policy's cap threshold), then precision,
recall and ROC-AUC of `reporting` against the gold set's `reporting` label. No text is printed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from vigil.context.gold import DATASETS, dataset_rows, load_gold
from vigil.context.stage import ContextStage
from vigil.core.labels import Label
from vigil.core.records import ContentKind, RawItem
from vigil.normalize.base import start_item

NOW = datetime(2024, 3, 28, tzinfo=UTC)


def _scores(stage: ContextStage, texts: Iterable[str], kind: ContentKind, connector: str) -> list[float]:
    items = [
        start_item(RawItem("eval", str(i), kind, t, b"", connector, NOW), 100_000)
        for i, t in enumerate(texts)
    ]
    return [c.reporting for c in stage.assess_many(items)]


def _sets(data: Path, limit: int) -> list[tuple[str, list[str], ContentKind, str]]:
    def rows(name: str, keep=lambda r: True) -> list[str]:
        col = DATASETS[name].text
        out = [r[col] for r in dataset_rows(data, name).values() if keep(r)]
        return out[:limit] if limit else out

    attacks = ("2013_Boston_bombings", "2013_LA_airport_shootings")
    cl = "crisislex_t26_crisis_tweets"
    msg, csv = ContentKind.MESSAGE, "csv.v1"
    return [
        (
            "CrisisLex Boston+LAX, Media",
            rows(cl, lambda r: r["event"] in attacks and r["information_source"] == "Media"),
            msg,
            csv,
        ),
        (
            "CrisisLex Boston+LAX, other sources",
            rows(cl, lambda r: r["event"] in attacks and r["information_source"] != "Media"),
            msg,
            csv,
        ),
        (
            "CrisisLex other 24 events, Media",
            rows(cl, lambda r: r["event"] not in attacks and r["information_source"] == "Media"),
            msg,
            csv,
        ),
        ("MUC-3/4 documents (as messages)", rows("muc34_terrorism_news"), msg, csv),
        ("MUC-3/4 documents (as articles)", rows("muc34_terrorism_news"), ContentKind.ARTICLE, "article.v1"),
        (
            "isextreme label 1 (pro-ISIS)",
            rows("isextreme_isis_scraped_tweets", lambda r: r["label"] == "1"),
            msg,
            csv,
        ),
        ("isextreme label 0", rows("isextreme_isis_scraped_tweets", lambda r: r["label"] == "0"), msg, csv),
        ("Fifth Tribe pro-ISIS accounts", rows("fifthtribe_isis_tweets"), msg, csv),
        (
            "nlpexercise random tweets",
            rows("nlpexercise_proisis_vs_random_tweets", lambda r: r["isis_flag"] == "0"),
            msg,
            csv,
        ),
        (
            "GermEval call2violence",
            rows("germeval_harmful_content_de/germeval2026_vio_train", lambda r: r["vio"] == "call2violence"),
            msg,
            csv,
        ),
        ("ETHOS (all comments)", rows("ethos_hate_speech"), msg, csv),
        ("Stormfront hate", rows("stormfront_hate_speech", lambda r: r["label"] == "hate"), msg, csv),
    ]


def _auc(positives: list[float], negatives: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--limit", type=int, default=0, help="at most this many rows per set (0 = all)")
    args = parser.parse_args()
    data = Path(args.data)
    if not data.is_dir():
        sys.exit(f"no data folder at {data} (pass --data)")
    stage = ContextStage()
    print("| set | n | reporting >= 0.5 | reporting >= 0.7 |")
    print("| --- | ---: | ---: | ---: |")
    for name, texts, kind, connector in _sets(data, args.limit):
        scores = _scores(stage, texts, kind, connector)
        n = len(scores)
        half = sum(s >= 0.5 for s in scores) / n
        cap = sum(s >= 0.7 for s in scores) / n
        print(f"| {name} | {n} | {half:.1%} | {cap:.1%} |")
    gold = load_gold(data)
    texts = [g.text for g in gold]
    kinds = [ContentKind.ARTICLE if g.row.dataset.startswith("muc") else ContentKind.MESSAGE for g in gold]
    scores = [
        _scores(stage, [t], k, "article.v1" if k is ContentKind.ARTICLE else "csv.v1")[0]
        for t, k in zip(texts, kinds, strict=True)
    ]
    truth = [Label.REPORTING in g.row.labels for g in gold]
    pos = [s for s, t in zip(scores, truth, strict=True) if t]
    neg = [s for s, t in zip(scores, truth, strict=True) if not t]
    print(f"\nGold set ({len(gold)} items, {len(pos)} labelled reporting; MUC scored as articles):")
    print("| threshold | precision | recall | false-positive rate |")
    print("| ---: | ---: | ---: | ---: |")
    for threshold in (0.5, 0.7):
        tp = sum(s >= threshold for s in pos)
        fp = sum(s >= threshold for s in neg)
        precision = tp / (tp + fp) if tp + fp else float("nan")
        print(f"| {threshold} | {precision:.3f} | {tp / len(pos):.3f} | {fp / len(neg):.3f} |")
    print(f"ROC-AUC: {_auc(pos, neg):.3f}")
    harmful = [
        s
        for s, g in zip(scores, gold, strict=True)
        if any(label is not Label.REPORTING for label in g.row.labels) and Label.REPORTING not in g.row.labels
    ]
    print(
        f"Gold items with a harm label and no reporting label: {len(harmful)}; "
        f"scored >= 0.7 (would be capped): {sum(s >= 0.7 for s in harmful)}"
    )


if __name__ == "__main__":
    main()
