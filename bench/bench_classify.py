"""Speed and memory of the classifier cascade. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_classify.py [--data-dir ../shared/data] [--n 20000]

* featurizer: our batched numpy hashing vs scikit-learn's HashingVectorizer (same n-gram ranges);
* tier 1 (lexicon + linear, tier 2 off) on one core;
* the full cascade (tier 2 where unsure) on two cores (two worker processes);
* resident memory of one process with every model loaded (lexicon, linear, USE encoder and heads).

Items are built with `item_for_text` beforehand: normalization is the normalize stage's cost, benchmarked
with the pipeline. The "realistic mix" is the test side of the tweet sets and short news: random chatter,
pro-ISIS milieu tweets, ISIS discussion, crisis reporting, in the proportions below.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from multiprocessing import get_context
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

from vigil.classify.textprep import canon, item_for_text  # noqa: E402
from vigil.core.settings import Settings  # noqa: E402

MIX = {"nlpexercise": 0.5, "crisislex": 0.2, "isextreme": 0.2, "fifthtribe": 0.1}


def realistic_mix(data_dir: str, n: int, seed: int = 7) -> list[str]:
    from vigil.training.datasets import load_examples

    rng = random.Random(seed)
    examples = load_examples(data_dir, tuple(MIX))
    by_set: dict[str, list[str]] = {}
    for ex in examples:
        if ex.split == "test" or ex.dataset == "crisislex":
            by_set.setdefault(ex.dataset, []).append(ex.text)
    out: list[str] = []
    for name, share in MIX.items():
        pool = by_set[name]
        out.extend(rng.choice(pool) for _ in range(int(n * share)))
    rng.shuffle(out)
    return out


def synthetic_mix(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words = ["the", "of", "and", "to", "in", "is", "was", "for", "on", "that", "with", "by", "as", "at", "from", "news", "attack", "city", "police", "said", "people", "today", "new", "video", "join", "us", "support"]
    return [" ".join(rng.choice(words) for _ in range(rng.randint(5, 30))) for _ in range(n)]


def bench_featurizer(texts: list[str]) -> None:
    from vigil.classify.features import HashedFeaturizer

    canon_texts = [canon(item_for_text(t).folded) for t in texts]
    ours = HashedFeaturizer(20)
    t0 = time.perf_counter()
    ours.transform(canon_texts)
    ours_s = time.perf_counter() - t0
    try:
        from sklearn.feature_extraction.text import HashingVectorizer
    except ImportError:
        print(f"featurizer: ours {len(texts) / ours_s:,.0f} texts/s (scikit-learn not installed for comparison)")
        return
    chars = HashingVectorizer(analyzer="char", ngram_range=(2, 5), n_features=2**20, alternate_sign=False, lowercase=False)
    words = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=2**20, alternate_sign=False, lowercase=False)
    t0 = time.perf_counter()
    chars.transform(canon_texts)
    words.transform(canon_texts)
    sk_s = time.perf_counter() - t0
    one = canon_texts[: min(300, len(canon_texts))]
    t0 = time.perf_counter()
    for t in one:
        ours.transform([t])
    ours_one = (time.perf_counter() - t0) / len(one)
    t0 = time.perf_counter()
    for t in one:
        chars.transform([t])
        words.transform([t])
    sk_one = (time.perf_counter() - t0) / len(one)
    print(f"featurizer, batch of {len(texts)}: ours {ours_s / len(texts) * 1e6:.1f} µs/text, "
          f"scikit-learn HashingVectorizer {sk_s / len(texts) * 1e6:.1f} µs/text ({sk_s / ours_s:.1f}x)")
    print(f"featurizer, one text per call: ours {ours_one * 1e6:.0f} µs, scikit-learn {sk_one * 1e6:.0f} µs")


def _worker(args: tuple[list[str], str, str]) -> tuple[int, float, int]:
    texts, tier2, model = args
    from vigil.classify.cascade import CascadeClassifier

    clf = CascadeClassifier(Settings(model=model, tier2=tier2))
    items = [item_for_text(t, str(i)) for i, t in enumerate(texts)]
    clf.classify(items[:64])  # warm up (loads the encoder on first use)
    t0 = time.perf_counter()
    tier2_rows = 0
    for start in range(0, len(items), 256):
        batch = items[start : start + 256]
        scores = clf.score(batch)
        tier2_rows += int((scores.tier == 2).sum())
    return len(items), time.perf_counter() - t0, tier2_rows


def _classify_worker(args: tuple[list[str], str, str]) -> tuple[int, float, int]:
    """The full `classify` path (label scores with evidence), as the pipeline calls it."""
    texts, tier2, model = args
    from vigil.classify.cascade import CascadeClassifier

    clf = CascadeClassifier(Settings(model=model, tier2=tier2))
    items = [item_for_text(t, str(i)) for i, t in enumerate(texts)]
    clf.classify(items[:64])
    t0 = time.perf_counter()
    tier2_rows = 0
    for start in range(0, len(items), 256):
        out = clf.classify(items[start : start + 256])
        tier2_rows += sum(1 for scores in out if any(ls.tier == 2 for ls in scores))
    return len(items), time.perf_counter() - t0, tier2_rows


def bench_tier1(texts: list[str], model: str) -> None:
    n, secs, _ = _classify_worker((texts, "never", model))
    print(f"tier 1 (lexicon + linear, classify() with evidence), one core: {n / secs:,.0f} messages/s ({n} messages)")
    n, secs, _ = _worker((texts, "never", model))
    print(f"tier 1 scores only (score()), one core: {n / secs:,.0f} messages/s")


def bench_cascade(texts: list[str], model: str, procs: int = 2) -> None:
    half = [texts[i::procs] for i in range(procs)]
    ctx = get_context("spawn")
    with ctx.Pool(procs) as pool:
        t0 = time.perf_counter()
        results = pool.map(_classify_worker, [(h, "auto", model) for h in half])
        wall = time.perf_counter() - t0
    n = sum(r[0] for r in results)
    busy = max(r[1] for r in results)
    t2 = sum(r[2] for r in results)
    print(f"full cascade (tier 2 where unsure), {procs} processes: {n / busy:,.0f} messages/s "
          f"(tier 2 on {t2 / n:.1%}; {wall:.1f} s wall including model loading)")


def bench_memory(texts: list[str], model: str) -> None:
    from vigil.classify.cascade import CascadeClassifier

    clf = CascadeClassifier(Settings(model=model, tier2="always"))
    clf.classify([item_for_text(t) for t in texts[:200]])
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory with every model loaded and used: {rss_mb:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--model", default="default")
    args = parser.parse_args()
    if Path(args.data_dir).is_dir():
        texts = realistic_mix(args.data_dir, args.n)
        print(f"realistic mix of {len(texts)} texts from {args.data_dir}: {MIX}")
    else:
        texts = synthetic_mix(args.n)
        print(f"data folder not found; {len(texts)} synthetic texts")
    bench_featurizer(texts[:5000])
    bench_tier1(texts, args.model)
    bench_cascade(texts, args.model)
    bench_memory(texts, args.model)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
