"""How the cascade should combine a learned head with the lexicon, measured on held-out data.

    .venv/bin/python bench/combination.py [--data-dir ../shared/data]

For `incitement` (head `incitement`) and `glorification` (head `support`) it scores the calibration fold
(fold 0 of the training side: the committed heads were fitted on the other folds, so it is out of fold
for them) and the test side with the committed model, then compares ways to combine the head's
probability h with the lexicon's score l:

* ``head`` and ``lexicon`` alone; ``noisy-OR`` 1 - (1 - h)(1 - l), the cascade's rule; ``max``;
* ``stack``: a logistic regression on [logit h, logit l] fitted on the calibration fold, the usual
  learned combiner. Its coefficients show what the data can say about the lexicon.

Then, per band of the lexicon's own score, how many held-out rows it fired on and how many of those carry
the label (gold set where it covers the row, else the data set's label; "unlabelled" where neither
says). Prints figures only, never text.
"""

from __future__ import annotations

import argparse
import collections
import os
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("VIGIL_DATA_DIR", ROOT.parent / "shared" / "data"))
CASES = (("incitement", "incitement"), ("glorification", "support"))
BANDS = ((0.5, 0.8), (0.8, 0.95), (0.95, 1.01))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _scores(clf, rows):  # noqa: ANN001, ANN202
    from vigil.classify.textprep import item_for_text
    from vigil.core.labels import ALL_LABELS

    heads, lex = [], []
    for b in range(0, len(rows), 512):
        s = clf.score([item_for_text(ex.text) for ex in rows[b : b + 512]])
        heads.append(s.heads)
        lex.append(np.array([[d[label].score if label in d else 0.0 for label in ALL_LABELS] for d in s.lexicon]))
    return np.concatenate(heads), np.concatenate(lex)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", default=str(DATA))
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    from vigil.classify.cascade import CascadeClassifier
    from vigil.core.labels import ALL_LABELS
    from vigil.core.settings import Settings
    from vigil.training.datasets import load_examples
    from vigil.training.metrics import binary_metrics
    from vigil.training.splits import calibration_fold

    examples = load_examples(args.data_dir)
    sides = {
        "calibration fold": [ex for ex in examples if ex.split == "train" and calibration_fold(ex.text, 5, 13) == 0],
        "test": [ex for ex in examples if ex.split == "test"],
    }
    clf = CascadeClassifier(Settings(tier2="auto"))
    names = [label.value for label in ALL_LABELS]
    scored = {side: (rows, *_scores(clf, rows)) for side, rows in sides.items()}
    for label, head in CASES:
        j, h = names.index(label), clf.model.heads.index(head)
        parts = {}
        for side, (rows, heads, lex) in scored.items():
            y = np.array([ex.targets.get(head, -1) for ex in rows])
            keep = y >= 0
            parts[side] = (heads[keep, h], lex[keep, j], y[keep].astype(int))
        hc, lc, yc = parts["calibration fold"]
        stack = LogisticRegression(C=1e4, max_iter=2000).fit(np.c_[_logit(hc), _logit(lc)], yc)
        print(f"\n## {label} (head {head})")
        for side, (_hh, ll, yy) in parts.items():
            print(f"{side}: n={len(yy)} positives={int(yy.sum())} lexicon>=0.5 on {int((ll >= 0.5).sum())} rows "
                  f"({int(yy[ll >= 0.5].sum())} positive)")
        a = stack.coef_[0]
        print(f"stacker fitted on the calibration fold: {a[0]:.3f}*logit(head) + {a[1]:.3f}*logit(lexicon) + {stack.intercept_[0]:.3f}; "
              f"head 0.01 with lexicon 0.97 would give {stack.predict_proba([[_logit(np.array(0.01)), _logit(np.array(0.97))]])[0, 1]:.3f}")
        print("| combination | side | precision | recall | F1 | ROC-AUC |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        for side, (hh, ll, yy) in parts.items():
            for name, f in (
                ("head", hh),
                ("lexicon", ll),
                ("noisy-OR (the cascade)", 1 - (1 - hh) * (1 - ll)),
                ("max", np.maximum(hh, ll)),
                ("stack", stack.predict_proba(np.c_[_logit(hh), _logit(ll)])[:, 1]),
            ):
                m = binary_metrics(yy, f, 0.5)
                print(f"| {name} | {side} | {m['precision'] or 0:.3f} | {m['recall'] or 0:.3f} | {m['f1'] or 0:.3f} | {m['auc'] or 0:.3f} |")
    print("\n## The lexicon's confidence on held-out rows (test side, every data set)")
    print("| label | lexicon score | rows | carry the label | do not | unlabelled |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    rows, _, lex = scored["test"]
    for label, head in (*CASES, ("threat", None)):
        j = names.index(label)
        counts: dict[tuple[float, float], list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
        for ex, score in zip(rows, lex[:, j], strict=True):
            band = next((b for b in BANDS if b[0] <= score < b[1]), None)
            if band is None:
                continue
            gold = ex.meta.get("gold")
            y = (label in gold.split("|")) if gold else (ex.targets[head] == 1 if head and ex.targets.get(head, -1) >= 0 else None)
            c = counts[band]
            c[0] += 1
            c[1 if y is True else 2 if y is False else 3] += 1
        for band in BANDS:
            c = counts[band]
            print(f"| {label} | [{band[0]}, {min(band[1], 1.0)}) | {c[0]} | {c[1]} | {c[2]} | {c[3]} |")


if __name__ == "__main__":
    main()
