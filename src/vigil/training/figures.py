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

    def measure(name: str, test: Sequence[Example], y: np.ndarray[Any, Any], label: str, note: str, extra_labels: Sequence[str] = ()) -> dict[str, Any]:
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
    seeds = Path(data_dir).resolve().parent / "seeds"
    if seeds.is_dir():
        figures["seed_calls_bare"] = seed_calls(seeds, clf, log)
    return figures


# The calls quoted in the seed reports, as (file prefix, start, end, label): the exact quoted stretch,
# posted bare. 003 joins the militant's address to his call; 004 joins the post's title to its praise.
SEED_CALLS = (
    ("000", (("In this regard, we urge lone wolves", "Europe"),), "incitement"),
    ("002", (("The scenes of death in the two mosques", "everywhere in the world."),), "incitement"),
    ("003", (("brothers, in Europe", "whole world"), ("rise against the Crusaders", "religion.")), "incitement"),
    ("004", (("Russia's 'Crocus' attack", "attack"), ("a smart strike", "strike")), "glorification"),
)


def seed_sentence(text: str, parts: Sequence[tuple[str, str]]) -> str:
    out = []
    for start, end in parts:
        i = text.index(start)
        out.append(text[i : text.index(end, i) + len(end)])
    return ", ".join(out)


def seed_calls(seeds: Path, clf: Any, log: Callable[[str], None]) -> dict[str, Any]:
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")}
    out: dict[str, Any] = {}
    for prefix, parts, label in SEED_CALLS:
        if prefix not in texts:
            continue
        sentence = seed_sentence(texts[prefix], parts)
        scores, tiers = score_texts([sentence], label, clf)
        out[prefix] = {"label": label, "score": float(scores[0]), "tier": int(tiers[0]), "chars": len(sentence)}
        log(f"seed {prefix} posted bare: {label} {scores[0]:.3f} (tier {tiers[0]})")
    return out


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


def _md(v: Any) -> str:
    return "—" if v is None else f"{v:.3f}"


def to_markdown(figures: dict[str, Any]) -> str:
    """The figures as the Markdown tables of ``docs/evaluation.md``."""
    lines = [
        "| figure | score | n | positives | precision | recall | F1 | ROC-AUC | flagged | tier 2 ran on | TF-IDF LR F1 (recall) | balanced TF-IDF LR F1 (recall) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, fig in figures.items():
        if name in ("gold_fine_grained", "seed_calls_bare"):
            continue
        b = fig.get("baselines", {})
        base = [f"{_md(b[k]['f1'])} ({_md(b[k]['recall'])})" if k in b else "—" for k in ("tfidf_lr", "tfidf_lr_balanced")]
        lines.append(
            f"| {name} | {fig['label']} | {fig['n']} | {fig['positives']} | {_md(fig['precision'])} | {_md(fig['recall'])} | "
            f"{_md(fig['f1'])} | {_md(fig['auc'])} | {_md(fig['flagged_rate'])} | {fig['tier2_share']:.1%} | {base[0]} | {base[1]} |"
        )
        for key, m in fig.items():
            if key.startswith("as_"):
                lines.append(
                    f"| {name} | {key[3:]} | {m['n']} | {m['positives']} | {_md(m['precision'])} | {_md(m['recall'])} | "
                    f"{_md(m['f1'])} | {_md(m['auc'])} | {_md(m['flagged_rate'])} | | | |"
                )
    seeds = figures.get("seed_calls_bare")
    if seeds:
        lines += ["", "Calls quoted in the seed reports, posted bare:", "", "| seed | label | score | tier |", "| --- | --- | ---: | ---: |"]
        lines += [f"| {k} | {v['label']} | {v['score']:.3f} | {v['tier']} |" for k, v in seeds.items()]
    gold = figures.get("gold_fine_grained")
    if gold:
        lines += ["", f"Gold set, test side (n={gold['n']}):", "",
                  "| label | positives | precision | recall | F1 | ROC-AUC |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for label, m in gold.items():
            if isinstance(m, dict):
                lines.append(f"| {label} | {m['positives']} | {_md(m['precision'])} | {_md(m['recall'])} | {_md(m['f1'])} | {_md(m['auc'])} |")
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--markdown", default=None, help="also write the figures as Markdown tables to this file")
    args = parser.parse_args(argv)
    figures = run_targets(args.data_dir, args.model, tier2=args.tier2)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(to_markdown(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
