"""How often each part of the classifier flags text that is not a call, per data set of ``../shared/data``.

    python bench/flag_rates.py                       # lexicon alone, every row; cascade on the test sides
    python bench/flag_rates.py --part lexicon --all  # lexicon alone on every row of every set
    python bench/flag_rates.py --no-grammar          # the lexicon without the call grammar (before/after)
    python bench/flag_rates.py --show incitement --set crisislex_boston_lax   # print what fired (local use)

"Flagged" is a score at or above 0.5 (the default policy's review threshold); the table gives it for
``incitement``, ``threat``, ``glorification`` and any harm label. The sets are the ones the issue names as
must-pass reporting and everyday text (CrisisLex Boston + LAX, MUC-3/4 test documents, nlpexercise random
tweets, isextreme "discussing" tweets, Stormfront non-hate sentences) and, for recall, GermEval calls to
violence, ETHOS violence and the gold set's incitement rows. Splits are those of `vigil.training.splits`.
Nothing read from the data is written anywhere; ``--show`` prints to the terminal only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("VIGIL_DATA_DIR", ROOT.parent / "shared" / "data"))
LABELS = ("incitement", "threat", "glorification")


def sets(examples: Sequence, everything: bool, train: bool = False) -> dict[str, list]:
    from vigil.training.datasets import HELD_OUT_EVENTS

    def side(ex) -> bool:  # noqa: ANN001
        return everything or ex.split == ("train" if train else "test")

    gold_inc = [ex for ex in examples if "incitement" in ex.meta.get("gold", "").split("|") and side(ex)]
    return {
        "crisislex_boston_lax": [] if train else [ex for ex in examples if ex.meta.get("event") in HELD_OUT_EVENTS],
        "crisislex_other_events": [ex for ex in examples if ex.dataset == "crisislex" and ex.meta.get("event") not in HELD_OUT_EVENTS and side(ex)],
        "muc34": [ex for ex in examples if ex.dataset == "muc34" and side(ex)],
        "random_tweets": [ex for ex in examples if ex.dataset == "nlpexercise" and side(ex)],
        "isextreme_discussing": [ex for ex in examples if ex.dataset == "isextreme" and ex.targets.get("support") == 0 and side(ex)],
        "stormfront_nohate": [ex for ex in examples if ex.dataset == "stormfront" and side(ex)],
        "isextreme_supporting": [ex for ex in examples if ex.dataset == "isextreme" and ex.targets.get("support") == 1 and side(ex)],
        "fifthtribe": [ex for ex in examples if ex.dataset == "fifthtribe" and side(ex)],
        "germeval_not_call": [ex for ex in examples if ex.dataset == "germeval2026_vio" and ex.meta.get("vio") != "call2violence" and side(ex)],
        "ethos_not_violence": [ex for ex in examples if ex.dataset in ("ethos_multi", "ethos_binary") and ex.targets.get("incitement") == 0 and side(ex)],
        "germeval_call2violence": [ex for ex in examples if ex.dataset == "germeval2026_vio" and ex.meta.get("vio") == "call2violence" and side(ex)],
        "ethos_violence": [ex for ex in examples if ex.dataset == "ethos_multi" and ex.targets.get("incitement") == 1 and side(ex)],
        "gold_incitement": gold_inc,
    }


def lexicon_scorer(grammar: bool) -> Callable[[list[str]], np.ndarray]:
    from vigil.classify.lexicon import LexiconClassifier
    from vigil.classify.textprep import item_for_text, strip_symbols
    from vigil.core.settings import Settings

    options = {} if grammar else {"grammar": False}
    try:
        clf = LexiconClassifier(Settings(), options)
    except TypeError:  # an older lexicon without options
        clf = LexiconClassifier(Settings())

    def score(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(LABELS) + 1), dtype=np.float32)
        for i, text in enumerate(texts):
            item = item_for_text(text)
            if not item.folded.isascii():
                from dataclasses import replace

                item = replace(item, folded=strip_symbols(item.folded))
            found = {ls.label.value: ls.score for ls in clf.classify_one(item)}
            out[i, : len(LABELS)] = [found.get(label, 0.0) for label in LABELS]
            out[i, -1] = max(found.values(), default=0.0)
        return out

    return score


def cascade_scorer() -> Callable[[list[str]], np.ndarray]:
    from vigil.classify.cascade import CascadeClassifier
    from vigil.classify.textprep import item_for_text
    from vigil.core.labels import ALL_LABELS
    from vigil.core.settings import Settings

    clf = CascadeClassifier(Settings(tier2="auto"))
    names = [label.value for label in ALL_LABELS]

    def score(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(LABELS) + 1), dtype=np.float32)
        for b in range(0, len(texts), 256):
            s = clf.score([item_for_text(t) for t in texts[b : b + 256]])
            for j, label in enumerate(LABELS):
                out[b : b + len(s.labels), j] = s.labels[:, names.index(label)]
            out[b : b + len(s.labels), -1] = s.any_harm()
        return out

    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("lexicon", "cascade", "both"), default="both")
    parser.add_argument("--all", action="store_true", help="every row, not only the test sides (lexicon only)")
    parser.add_argument("--train", action="store_true", help="the training sides instead (to read what fires while developing)")
    parser.add_argument("--no-grammar", action="store_true", help="lexicon without the call grammar")
    parser.add_argument("--show", default="", help="print the texts flagged for this label (or 'any')")
    parser.add_argument("--set", default="", help="with --show: only this set")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from vigil.training.datasets import load_examples

    examples = load_examples(DATA)
    parts = ["lexicon", "cascade"] if args.part == "both" else [args.part]
    for part in parts:
        everything = args.all and part == "lexicon"
        scorer = lexicon_scorer(not args.no_grammar) if part == "lexicon" else cascade_scorer()
        print(f"\n{part}{' (no grammar)' if args.no_grammar and part == 'lexicon' else ''}, "
              f"{'every row' if everything else 'training sides' if args.train else 'test sides'}; share >= {args.threshold}")
        print(f"| set | n | {' | '.join(LABELS)} | any harm |")
        print("| --- | ---: |" + " ---: |" * (len(LABELS) + 1))
        for name, rows in sets(examples, everything, args.train).items():
            if not rows:
                continue
            t0 = time.perf_counter()
            scores = scorer([ex.text for ex in rows])
            flagged = scores >= args.threshold
            cells = " | ".join(f"{flagged[:, j].mean():.2%} ({int(flagged[:, j].sum())})" for j in range(flagged.shape[1]))
            print(f"| {name} | {len(rows)} | {cells} |  ({time.perf_counter() - t0:.1f}s)", flush=True)
            if args.show and (not args.set or args.set == name):
                col = -1 if args.show == "any" else LABELS.index(args.show)
                for ex, s in zip(rows, scores, strict=True):
                    if s[col] >= args.threshold:
                        print(f"    {s[col]:.2f} {ex.id} {ex.text[:300]!r}")


if __name__ == "__main__":
    main()
