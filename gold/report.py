"""Print the gold set's counts (per label, per data set) and the annotator's self-agreement.

    .venv/bin/python gold/report.py

Self-agreement compares `gold_set.csv` with `second_pass.csv` (a blind re-labelling of a random
subset, same columns) and prints Cohen's kappa per label, each label treated as a yes/no decision.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from vigil.context.gold import NONE, GoldRow, read_gold
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


def main() -> None:
    rows = read_gold(HERE / "gold_set.csv")
    counts(rows)
    second = HERE / "second_pass.csv"
    if second.is_file():
        agreement(rows, read_gold(second))


if __name__ == "__main__":
    main()
