"""Every figure the README and ``docs/evaluation.md`` report, recomputed from ``../shared/data``.

Where it sits: `vigil figures` (and ``python -m vigil.training.figures``) call `run_targets`; `train`
calls it too so that the model card carries the same numbers. Each figure is measured on the *test* side
of the split (`splits`), which no training row shares, and each learned figure has a baseline beside it:
a plain TF-IDF logistic regression (scikit-learn defaults, threshold 0.5) trained on the training side of
the same data set, and the same with balanced class weights.

"Flagged" means any harm label at or above 0.5, the default policy's review threshold.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vigil.training.datasets import Example, load_examples
from vigil.training.evaluate import make_classifier, score_texts
from vigil.training.metrics import binary_metrics

THRESHOLD = 0.5


def baseline(train: Sequence[Example], test: Sequence[Example], head: str, positive: Callable[[Example], bool]) -> dict[str, Any]:
    """Plain TF-IDF + logistic regression, default and class-balanced, trained on ``train``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer()
    x_train = vec.fit_transform([ex.text for ex in train])
    x_test = vec.transform([ex.text for ex in test])
    y_train = np.array([positive(ex) for ex in train])
    y_test = np.array([positive(ex) for ex in test])
    out = {}
    for name, weight in (("tfidf_lr", None), ("tfidf_lr_balanced", "balanced")):
        lr = LogisticRegression(max_iter=2000, class_weight=weight).fit(x_train, y_train)
        out[name] = binary_metrics(y_test, lr.predict_proba(x_test)[:, 1], THRESHOLD)
    return out


def _pick(examples: Sequence[Example], split: str, *datasets: str) -> list[Example]:
    return [ex for ex in examples if ex.split == split and ex.dataset in datasets]


def run_targets(data_dir: str, model: str = "default", log: Callable[[str], None] = print, tier2: str = "auto") -> dict[str, Any]:
    examples = load_examples(data_dir)
    clf = make_classifier(model, tier2)
    figures: dict[str, Any] = {}

    def measure(name: str, test: Sequence[Example], y: np.ndarray, label: str, note: str, extra_labels: Sequence[str] = ()) -> dict[str, Any]:
        scores, tiers = score_texts([ex.text for ex in test], label, clf, also=tuple(extra_labels) or ("any",))
        fig = {"note": note, "label": label, **binary_metrics(y, scores[:, 0], THRESHOLD), "tier2_share": float((tiers == 2).mean())}
        for j, other in enumerate(extra_labels, start=1):
            fig[f"as_{other}"] = binary_metrics(y, scores[:, j], THRESHOLD)
        figures[name] = fig
        log(_line(name, fig))
        return fig

    # isextreme: supporting vs discussing
    test = _pick(examples, "test", "isextreme")
    y = np.array([ex.targets["support"] == 1 for ex in test])
    fig = measure("isextreme_support", test, y, "glorification", "isextreme test split; positive = label 1 (supporting)", ("support", "any"))
    fig["baselines"] = baseline(_pick(examples, "train", "isextreme"), test, "support", lambda ex: ex.targets["support"] == 1)

    # Fifth Tribe pro-ISIS vs nlpexercise random tweets (tweet_unescaped)
    test = _pick(examples, "test", "fifthtribe", "nlpexercise")
    y = np.array([ex.dataset == "fifthtribe" for ex in test])
    fig = measure("fifthtribe_vs_random", test, y, "milieu", "Fifth Tribe test tweets (positive) vs nlpexercise random test tweets", ("any",))
    fig["baselines"] = baseline(_pick(examples, "train", "fifthtribe", "nlpexercise"), test, "milieu", lambda ex: ex.dataset == "fifthtribe")

    # Reporting about attacks must pass: flagged rates
    for name, test, note in (
        ("crisislex_boston_lax", [ex for ex in examples if ex.meta.get("event") in ("2013_Boston_bombings", "2013_LA_airport_shootings")], "all Boston bombings and LAX shooting tweets (events never trained on)"),
        ("muc34_reports", _pick(examples, "test", "muc34"), "MUC-3/4 GTT dev+test news reports (never trained on)"),
        ("stormfront_nohate", _pick(examples, "test", "stormfront"), "Stormfront non-hate sentences, test split"),
        ("random_tweets", _pick(examples, "test", "nlpexercise"), "nlpexercise random tweets, test split"),
    ):
        measure(name, test, np.zeros(len(test), dtype=bool), "any", note + "; flagged = any harm label >= 0.5")

    # GermEval call to violence (German)
    test = _pick(examples, "test", "germeval2026_vio")
    y = np.array([ex.meta["vio"] == "call2violence" for ex in test])
    fig = measure("germeval_call2violence", test, y, "incitement", "GermEval 2026 vio test split; positive = call2violence")
    fig["baselines"] = baseline(_pick(examples, "train", "germeval2026_vio"), test, "incitement", lambda ex: ex.meta["vio"] == "call2violence")

    # ETHOS violence
    test = _pick(examples, "test", "ethos_multi")
    y = np.array([ex.targets["incitement"] == 1 for ex in test])
    fig = measure("ethos_violence", test, y, "incitement", "ETHOS multi-label test split; positive = violence >= 0.5")
    fig["baselines"] = baseline(_pick(examples, "train", "ethos_multi"), test, "incitement", lambda ex: ex.targets["incitement"] == 1)

    figures["gold_fine_grained"] = fine_grained(examples, clf, log)
    return figures


def fine_grained(examples: Sequence[Example], clf: Any, log: Callable[[str], None]) -> dict[str, Any]:
    """Per-label results on the gold set's rows that lie on the test side (`docs/annotation-guide.md`)."""
    from vigil.core.labels import ALL_LABELS

    test = [ex for ex in examples if ex.split == "test" and "gold" in ex.meta]
    names = [label.value for label in ALL_LABELS]
    scores, _ = score_texts([ex.text for ex in test], names[0], clf, also=tuple(names[1:]))
    out: dict[str, Any] = {"n": len(test), "note": "gold-set rows on the test side of the split; threshold 0.5"}
    for j, name in enumerate(names):
        y = np.array([name in ex.meta["gold"].split("|") for ex in test])
        m = binary_metrics(y, scores[:, j], THRESHOLD)
        out[name] = m
        log(f"gold {name}: positives={m['positives']} P={_fmt(m['precision'])} R={_fmt(m['recall'])} F1={_fmt(m['f1'])} AUC={_fmt(m['auc'])}")
    return out


def _fmt(v: Any) -> str:
    return "null" if v is None else f"{v:.3f}"


def _line(name: str, fig: dict[str, Any]) -> str:
    return (
        f"{name}: n={fig['n']} P={_fmt(fig['precision'])} R={_fmt(fig['recall'])} F1={_fmt(fig['f1'])} "
        f"AUC={_fmt(fig['auc'])} flagged={_fmt(fig['flagged_rate'])} tier2={fig['tier2_share']:.3f}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Reproduce every evaluation figure of the README.")
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--model", default="default")
    parser.add_argument("--tier2", default="auto", choices=("auto", "always", "never"))
    parser.add_argument("--json", dest="json_out", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    figures = run_targets(args.data_dir, args.model, tier2=args.tier2)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
