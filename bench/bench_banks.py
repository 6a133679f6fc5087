"""Scale benchmarks for the hash-bank indexes. Prints build time, resident memory, p50/p99 lookup
latency and lookups/s. Targets (issue 4): 10M PDQ hashes in <= 2 GB with p99 <= 10 ms; 1M near-duplicate
text entries in <= 2 GB with p99 <= 5 ms; >= 2,000 lookups/s for a realistic mix on 2 cores.

    python bench/bench_banks.py pdq --n 10000000
    python bench/bench_banks.py text --n 1000000
    python bench/bench_banks.py mix
    python bench/bench_banks.py faiss-probe --n 1000000      # why not faiss IndexBinaryMultiHash
    python bench/bench_banks.py datasketch-probe --n 100000  # why not datasketch MinHashLSH

Each index bench runs in its own process so resident memory is the index's. Hashes are random (the
usual assumption of PDQ benchmarks, HMA's included); queries are banked hashes with bits flipped at
distances 0-40, so about a quarter of the lookups must find nothing. Text queries are real tweets
(``../shared/data``) hashed end to end (normalization + MinHash + LSH lookup), with planted near copies.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("VIGIL_DATA_DIR", ROOT.parent / "shared" / "data"))


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


def pct(values: list[float], cpu: list[float] | None = None) -> str:
    """Wall-clock percentiles, and CPU-time ones when given: on a shared 2-core machine the wall-clock
    tail is mostly time spent descheduled, which the CPU time per lookup leaves out."""
    arr = np.array(values) * 1000
    out = f"wall p50 {np.percentile(arr, 50):.3f} ms  p99 {np.percentile(arr, 99):.3f} ms  max {arr.max():.2f} ms"
    if cpu:
        c = np.array(cpu) * 1000
        out += f"  | cpu p50 {np.percentile(c, 50):.3f} ms  p99 {np.percentile(c, 99):.3f} ms"
    return out


class Timer:
    """Wall-clock and thread CPU time of each timed block."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Timer:
        self._w, self._c = time.perf_counter(), time.thread_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall.append(time.perf_counter() - self._w)
        self.cpu.append(time.thread_time() - self._c)

    def summary(self) -> str:
        return f"{pct(self.wall, self.cpu)}  -> {len(self.wall) / sum(self.wall):,.0f} lookups/s"


def flip_bits(codes: np.ndarray, rng: np.random.Generator, k: int) -> np.ndarray:
    q = codes.copy()
    for b in rng.choice(256, size=k, replace=False):
        q[b // 64] ^= np.uint64(1) << np.uint64(63 - b % 64)
    return q


def bench_pdq(n: int, queries: int) -> None:
    from vigil.match.hamming import HammingMultiIndex

    rng = np.random.default_rng(1)
    base = rss_mb()
    codes = rng.integers(0, 2**63, size=(n, 4), dtype=np.int64).astype(np.uint64)
    codes ^= rng.integers(0, 2, size=(n, 4), dtype=np.int64).astype(np.uint64) << np.uint64(63)
    t = time.perf_counter()
    index = HammingMultiIndex(codes, np.arange(n, dtype=np.int64), radius=31)
    build = time.perf_counter() - t
    del codes
    print(f"pdq: {n:,} hashes built in {build:.1f} s; index arrays {index.memory_bytes() / 1e6:.0f} MB; "
          f"process RSS {rss_mb():.0f} MB ({rss_mb() - base:.0f} MB over the interpreter)")
    single, dihedral = Timer(), Timer()
    found = expected = 0
    for i in range(queries):
        row = int(rng.integers(n))
        k = int(rng.integers(0, 41))
        q = flip_bits(index.codes[row], rng, k)[None, :]
        with single:
            ids, _ = index.search(q)
        expected += k <= 31
        found += k <= 31 and row in set(ids.tolist())
        if i % 4 == 0:  # an image query: its eight rotations at once
            batch = np.stack([flip_bits(index.codes[int(rng.integers(n))], rng, int(rng.integers(0, 41))) for _ in range(8)])
            with dihedral:
                index.search(batch)
    print(f"pdq single-hash lookup ({queries:,}): {single.summary()}")
    print(f"pdq 8-rotation image lookup ({len(dihedral.wall):,}): {dihedral.summary()}")
    print(f"pdq recall within 31 bits: {found}/{expected} (exact search: must be all)")


def real_texts(limit: int) -> list[str]:
    texts: list[str] = []
    files = [
        ("nlpexercise_proisis_vs_random_tweets/balanced_dataset.csv", "tweet_unescaped", ","),
        ("crisislex_t26_crisis_tweets/crisislex_t26_labeled_tweets.csv", "tweet_text", ","),
        ("isextreme_isis_scraped_tweets/tweets_labelled.csv", "tweet", ","),
        ("stormfront_hate_speech/stormfront_sentences.csv", "text", ","),
    ]
    csv.field_size_limit(10_000_000)
    for name, column, sep in files:
        path = DATA / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter=sep):
                texts.append(row[column])
                if len(texts) >= limit:
                    return texts
    return texts


def bench_text(n: int, queries: int) -> None:
    from tests.helpers.perturb import combined

    from vigil.match.minhash import PERMS, shingle_ids, signature
    from vigil.match.text_near import TextNearIndex, TextNearSignal, decode
    from vigil.match.text_prep import matching_tokens

    texts = [t for t in real_texts(60_000) if len(matching_tokens(t)) >= 5]
    if not texts:
        sys.exit(f"no texts under {DATA}: set VIGIL_DATA_DIR")
    rng = np.random.default_rng(2)
    base = rss_mb()
    # the bulk of the bank: random signatures (what matters for the index is its size); 10,000 real
    # texts are banked for real so that lookups can find something
    banked_real = texts[:10_000]
    real_sigs = np.stack([decode(TextNearSignal.hash_text(t)) for t in banked_real])
    sigs = rng.integers(0, 2**32, size=(n, PERMS), dtype=np.uint64).astype(np.uint32)
    sigs[: len(real_sigs)] = real_sigs
    t = time.perf_counter()
    index = TextNearIndex.from_arrays(sigs, np.arange(n, dtype=np.int64), radius=0.5)
    build = time.perf_counter() - t
    del sigs
    print(f"text_near: {n:,} entries built in {build:.1f} s; index arrays {index.memory_bytes() / 1e6:.0f} MB; "
          f"process RSS {rss_mb():.0f} MB ({rss_mb() - base:.0f} MB over the interpreter)")
    pyrng = random.Random(3)
    timer = Timer()
    hits = 0
    probes = [combined(pyrng.choice(banked_real), pyrng) for _ in range(queries // 2)]
    probes += [pyrng.choice(texts[10_000:]) for _ in range(queries - len(probes))]
    pyrng.shuffle(probes)
    for text in probes:
        with timer:
            tokens = matching_tokens(text)
            if len(tokens) >= 5:
                hits += bool(index.query(TextNearSignal.hash_text(text)))
    print(f"text_near lookup incl. normalization and MinHash ({len(timer.wall):,} real tweets, half of them "
          f"edited copies of banked ones): {timer.summary()}; {hits} matched")
    _ = shingle_ids, signature


def bench_mix(seconds: float) -> tuple[float, float]:
    """One item = what the matcher does per message: text_exact, text_near and URL lookups; one item
    in ten carries an image (8 PDQ rotations, MD5, SHA-256 lookups; image hashing itself excluded)."""
    from vigil.match.hamming import HammingMultiIndex
    from vigil.match.matcher import Matcher
    from vigil.match.memory_store import MemoryBankStore
    from vigil.match.types import load_signal_types
    from vigil.match.url import extract_urls

    texts = [t for t in real_texts(30_000)]
    types = load_signal_types()
    store = MemoryBankStore(types)
    store.create_bank("b")
    from vigil.match.banks import NewEntry

    entries = []
    for t in texts[:10_000]:
        try:
            entries.append(NewEntry("text_near", types["text_near"].hash_text(t)))
            entries.append(NewEntry("text_exact", types["text_exact"].hash_text(t)))
        except Exception:  # noqa: BLE001 - short texts have no near signal
            pass
    store.add_entries("b", entries)
    matcher = Matcher(store)
    rng = np.random.default_rng(4)
    n_pdq = 1_000_000
    codes = rng.integers(0, 2**63, size=(n_pdq, 4), dtype=np.int64).astype(np.uint64)
    pdq = HammingMultiIndex(codes, np.arange(n_pdq, dtype=np.int64), radius=31)
    for name in ("text_exact", "text_near", "url", "md5", "sha256"):
        matcher.index(name)
    queries = texts[10_000:]
    items = lookups = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        text = queries[items % len(queries)]
        matcher.match(text)
        lookups += 2 + len(extract_urls(text))
        if items % 10 == 0:
            pdq.search(codes[rng.integers(n_pdq, size=8)])
            matcher.lookup("md5", ["0" * 32])
            matcher.lookup("sha256", ["0" * 64])
            lookups += 8 + 2
        items += 1
    elapsed = time.perf_counter() - t0
    print(f"mix (one process): {items:,} items in {elapsed:.1f} s = {items / elapsed:,.0f} items/s, "
          f"{lookups / elapsed:,.0f} lookups/s (banks: 20k text entries, 1M PDQ hashes)", flush=True)
    return items / elapsed, lookups / elapsed


def faiss_probe(n: int) -> None:
    import faiss

    rng = np.random.default_rng(0)
    codes = rng.integers(0, 256, size=(n, 32), dtype=np.uint8)
    before = rss_mb()
    t = time.perf_counter()
    index = faiss.IndexBinaryMultiHash(256, 16, 16)
    index.add(codes)
    index.nflip = 1
    build = time.perf_counter() - t
    timer = Timer()
    for i in range(300):
        q = codes[i : i + 1].copy()
        with timer:
            index.range_search(q, 32)
    print(f"faiss IndexBinaryMultiHash(256, 16 tables, 16 bits): {n:,} hashes, build {build:.1f} s, "
          f"+{rss_mb() - before:.0f} MB RSS ({(rss_mb() - before) / n * 1e7 / 1e3:.1f} GB per 10M), {timer.summary()}")


def datasketch_probe(n: int) -> None:
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    rng = np.random.default_rng(0)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    before = rss_mb()
    t = time.perf_counter()
    template = MinHash(num_perm=128)
    for i in range(n):
        m = LeanMinHash(seed=1, hashvalues=rng.integers(0, 2**32, size=128, dtype=np.uint64), scheme="affine32")
        lsh.insert(i, m, check_duplication=False)
    build = time.perf_counter() - t
    grown = rss_mb() - before
    print(f"datasketch MinHashLSH(threshold 0.5, 128 perms): {n:,} entries, build {build:.1f} s, "
          f"+{grown:.0f} MB RSS -> about {grown / n * 1e6 / 1e3:.1f} GB per 1M entries (target 2 GB)")
    _ = template


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["pdq", "text", "mix", "faiss-probe", "datasketch-probe"])
    ap.add_argument("--n", type=int, default=0, help="entries in the index")
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=20.0, help="duration of the mix bench")
    ap.add_argument("--processes", type=int, default=1, help="mix bench: worker processes (2 on this machine)")
    args = ap.parse_args()
    if args.what == "pdq":
        bench_pdq(args.n or 10_000_000, args.queries)
    elif args.what == "text":
        bench_text(args.n or 1_000_000, args.queries)
    elif args.what == "mix":
        if args.processes == 1:
            bench_mix(args.seconds)
        else:  # one matcher per process, as a server with N workers would run
            import multiprocessing

            with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
                results = pool.map(bench_mix, [args.seconds] * args.processes)
            print(f"mix ({args.processes} processes): {sum(r[0] for r in results):,.0f} items/s, "
                  f"{sum(r[1] for r in results):,.0f} lookups/s in all")
    elif args.what == "faiss-probe":
        faiss_probe(args.n or 1_000_000)
    else:
        datasketch_probe(args.n or 100_000)


if __name__ == "__main__":
    main()
