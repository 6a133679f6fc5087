"""Print the gold set's counts (per label, per data set) and the annotator's self-agreement.

    .venv/bin/python gold/report.py [DATA_DIR]

With the data folder it also compares the gold labels with each data set's own labels. Self-agreement compares `gold_set.csv` with `second_pass.csv` (a blind re-labelling of a random
subset, same columns) and prints Cohen's kappa per label, each label treated as a yes/no decision.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from vigil.context.gold import NONE, GoldExample, GoldRow, load_gold, read_gold
from vigil.core.labels import Label

HERE = Path(__file__).resolve().parent


def cohen_kappa(a: list[bool], b: list[bool]) -> float | None:
    """Cohen's kappa of two yes/no ratings; None when chance agreement is total (a constant label)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def counts(rows: list[GoldRow]) -> None:
    datasets = sorted({r.dataset for r in rows})
    names = [label.value for label in Label] + [NONE]
    table: dict[str, Counter[str]] = {d: Counter() for d in datasets}
    for row in rows:
        for name in [label.value for label in row.labels] or [NONE]:
            table[row.dataset][name] += 1
    print("| data set | rows | " + " | ".join(names) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in names) + " |")
    for d in datasets:
        n = sum(1 for r in rows if r.dataset == d)
        print(f"| `{d}` | {n} | " + " | ".join(str(table[d][x]) for x in names) + " |")
    total = Counter[str]()
    for c in table.values():
        total.update(c)
    print(f"| **all** | {len(rows)} | " + " | ".join(str(total[x]) for x in names) + " |")


def agreement(first: list[GoldRow], second: list[GoldRow]) -> None:
    by_key = {(r.dataset, r.row_key): r for r in first}
    pairs = [(by_key[(r.dataset, r.row_key)], r) for r in second]
    exact = sum(a.labels == b.labels for a, b in pairs)
    print(
        f"\n{len(pairs)} items re-labelled blind; identical label sets: {exact} ({exact / len(pairs):.0%})\n"
    )
    print("| label | yes (pass 1) | yes (pass 2) | agree | Cohen's kappa |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label in Label:
        a = [label in x.labels for x, _ in pairs]
        b = [label in y.labels for _, y in pairs]
        kappa = cohen_kappa(a, b)
        shown = "n/a" if kappa is None else f"{kappa:.2f}"
        same = sum(x == y for x, y in zip(a, b, strict=True))
        print(f"| `{label.value}` | {sum(a)} | {sum(b)} | {same}/{len(pairs)} | {shown} |")
    a = [not x.labels for x, _ in pairs]
    b = [not y.labels for _, y in pairs]
    kappa = cohen_kappa(a, b)
    print(
        f"| `none` | {sum(a)} | {sum(b)} | {sum(x == y for x, y in zip(a, b, strict=True))}/{len(pairs)} | "
        f"{'n/a' if kappa is None else f'{kappa:.2f}'} |"
    )


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def source_comparison(data_dir: Path) -> None:
    """How the gold labels line up with each data set's own labels (different constructs: see README)."""
    examples = load_gold(data_dir)
    path = data_dir / "ethos_hate_speech" / "Ethos_Dataset_Multi_Label.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        ethos_violent = {
            _norm(r["comment"]) for r in csv.DictReader(fh, delimiter=";") if float(r["violence"]) >= 0.5
        }
    attacks = ("2013_Boston_bombings", "2013_LA_airport_shootings")

    def harm(e: GoldExample) -> bool:
        return any(label is not Label.REPORTING for label in e.row.labels)

    checks: list[tuple[str, str, Callable[[GoldExample], bool], Callable[[GoldExample], bool]]] = [
        (
            "isextreme_isis_scraped_tweets",
            "label = 1 vs any harm label",
            lambda e: e.record["label"] == "1",
            harm,
        ),
        (
            "germeval_harmful_content_de/germeval2026_vio_train",
            "vio = call2violence vs incitement",
            lambda e: e.record["vio"] == "call2violence",
            lambda e: Label.INCITEMENT in e.row.labels,
        ),
        (
            "ethos_hate_speech",
            "violence >= 0.5 vs incitement or threat",
            lambda e: _norm(e.text) in ethos_violent,
            lambda e: Label.INCITEMENT in e.row.labels or Label.THREAT in e.row.labels,
        ),
        (
            "crisislex_t26_crisis_tweets",
            "Boston/LAX: information_source = Media vs reporting",
            lambda e: e.record["information_source"] == "Media",
            lambda e: Label.REPORTING in e.row.labels,
        ),
        (
            "stormfront_hate_speech",
            "label = hate vs incitement",
            lambda e: e.record["label"] == "hate",
            lambda e: Label.INCITEMENT in e.row.labels,
        ),
    ]
    print("\n| data set | source label vs gold label | n | both | source only | gold only | neither |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for dataset, what, source, gold in checks:
        rows = [e for e in examples if e.row.dataset == dataset]
        if dataset.startswith("crisislex"):
            rows = [e for e in rows if e.record["event"] in attacks]
        both = sum(source(e) and gold(e) for e in rows)
        only_source = sum(source(e) and not gold(e) for e in rows)
        only_gold = sum(gold(e) and not source(e) for e in rows)
        print(
            f"| `{dataset}` | {what} | {len(rows)} | {both} | {only_source} | {only_gold} | "
            f"{len(rows) - both - only_source - only_gold} |"
        )


def main() -> None:
    rows = read_gold(HERE / "gold_set.csv")
    counts(rows)
    second = HERE / "second_pass.csv"
    if second.is_file():
        agreement(rows, read_gold(second))
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1] / "shared" / "data"
    if data_dir.is_dir():
        source_comparison(data_dir)


if __name__ == "__main__":
    main()
