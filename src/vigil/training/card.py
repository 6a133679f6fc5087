"""The model card: what a model artifact was trained on, how it was split, and how it did.

Where it sits: `train` writes ``MODEL_CARD.md`` next to ``model.json`` from the same metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _fmt(v: Any) -> str:
    return "—" if v is None else f"{v:.3f}"


def write_card(folder: Path, meta: dict[str, Any]) -> Path:
    lines = [
        f"# Vigil cascade model {meta['model_version']}",
        "",
        f"Built {meta['created']} by `vigil train` (seed {meta['seed']}). Rebuild it with",
        "`vigil train --data-dir ../shared/data --out <folder>`; the committed default is",
        "`vigil train --out src/vigil/models/default`.",
        "",
        "## What it is",
        "Tier 1: logistic heads over hashed character 2-5-grams and word 1-2-grams "
        f"(2^{meta['featurizer']['n_bits']} buckets, float16 weights, no vocabulary), Platt-calibrated. "
        f"Tier 2: logistic heads over {meta['tier2']['encoder']} embeddings, stacked with tier 1. "
        "The artifact holds weights, calibration parameters and int8 neighbour vectors with data-set row ids; "
        "no training text.",
        "",
        "## Heads",
        "| head | reported as | rows | positives | data sets |",
        "| --- | --- | --- | --- | --- |",
    ]
    for head, h in meta["heads"].items():
        lines.append(f"| {head} | {h['label'] or '(evidence only)'} | {h['rows']} | {h['positives']} | {', '.join(h['sources'])} |")
    s = meta["splits"]
    lines += [
        "",
        "## Data and splits",
        f"Data sets: {', '.join(meta['data'])}" + (f"; extra files: {meta['extra']}" if meta["extra"] else "") + ".",
        f"Split: {s['rule']}, salt `{s['salt']}`, {s['test_fraction']:.0%} of group keys to test; near-duplicates "
        f"share a key and never straddle the split. Held out whole: {s['held_out_whole']}. "
        f"Calibration: {s['calibration']}. Only training-side rows were used to fit anything.",
        "",
        "## Metrics (held-out test side; threshold 0.5)",
        "| figure | score | n | precision | recall | F1 | ROC-AUC | flagged | baseline F1 (TF-IDF LR / balanced) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    metrics = dict(meta.get("metrics", {}))
    gold = metrics.pop("gold_fine_grained", None)
    seeds = metrics.pop("seed_calls_bare", None)
    for name, fig in metrics.items():
        b = fig.get("baselines", {})
        base = " / ".join(_fmt(b[k]["f1"]) for k in ("tfidf_lr", "tfidf_lr_balanced") if k in b) or "—"
        lines.append(
            f"| {name} | {fig['label']} | {fig['n']} | {_fmt(fig['precision'])} | {_fmt(fig['recall'])} | "
            f"{_fmt(fig['f1'])} | {_fmt(fig['auc'])} | {_fmt(fig['flagged_rate'])} | {base} |"
        )
    if seeds:
        lines += ["", "## Calls quoted in the seed reports, posted bare", "| seed | label | score | tier |", "| --- | --- | --- | --- |"]
        lines += [f"| {k} | {v['label']} | {v['score']:.3f} | {v['tier']} |" for k, v in seeds.items()]
    if gold:
        lines += [
            "",
            f"## Fine-grained results on the gold set (test side, n={gold['n']}; single annotator, see gold/README.md)",
            "| label | positives | precision | recall | F1 | ROC-AUC |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for name, m in gold.items():
            if isinstance(m, dict):
                lines.append(f"| {name} | {m['positives']} | {_fmt(m['precision'])} | {_fmt(m['recall'])} | {_fmt(m['f1'])} | {_fmt(m['auc'])} |")
    lines += [
        "",
        "## Limits",
        "* isextreme labels are noisy single-team judgements; Fifth Tribe labels are account-level.",
        "* `glorification` is learned from isextreme's 'supporting' label; `incitement` from GermEval call2violence, "
        "GermEval subversion and ETHOS violence (German and English hate-speech milieus, not jihadist): the lexicon "
        "covers jihadist call phrases. Other harm labels come from the lexicon alone.",
        "* `milieu` (Fifth Tribe vs everything else) is shown as evidence, not reported as a harm label: it also "
        "fires on ordinary discussion of ISIS.",
        "",
    ]
    path = folder / "MODEL_CARD.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
