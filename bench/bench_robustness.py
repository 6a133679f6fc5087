"""Robustness of known-content matching: recall on edited re-posts, false matches on unrelated content.

    python bench/bench_robustness.py text [--sample 1000]
    python bench/bench_robustness.py images [--images 300 --unrelated 2000]

Text: the bank is the Fifth Tribe pro-ISIS tweets (``../shared/data``); each sampled banked tweet is
edited (punctuation and case, zero-width characters, homoglyphs, emoji, sentence reordering, 10% of words
changed, and all of these at once) and looked up the way the matcher does (``text_exact`` or
``text_near`` through the LSH index). The background is every other real text in ``../shared/data``
that is not from a pro-ISIS account (random tweets, crisis tweets, tweets discussing ISIS, forum
sentences, German posts, comments, news reports), deduplicated; a background text that matches any
banked tweet is a false match. Targets: recall >= 0.95, false matches <= 0.1%.

Images: generated pictures (``tests/helpers/images.py``) are banked with their PDQ hash and centre-crop
variants; edited copies are looked up with their eight rotations; unrelated generated pictures must not
match. Nothing from the data sets is written anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(os.environ.get("VIGIL_DATA_DIR", ROOT.parent / "shared" / "data"))


def _rows(name: str, sep: str = ",") -> list[dict[str, str]]:
    path = DATA / name
    if not path.is_file():
        return []
    csv.field_size_limit(50_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=sep))


def bank_texts() -> list[str]:
    return [r["tweets"] for r in _rows("fifthtribe_isis_tweets/tweets.csv")]


def background_texts() -> dict[str, list[str]]:
    """Real texts not from pro-ISIS accounts, by source."""
    out: dict[str, list[str]] = {}
    out["nlpexercise_random"] = [
        r["tweet_unescaped"] for r in _rows("nlpexercise_proisis_vs_random_tweets/balanced_dataset.csv")
        if r["isis_flag"] == "0" and not r.get("fifthtribe_row_id")
    ]
    out["crisislex"] = [r["tweet_text"] for r in _rows("crisislex_t26_crisis_tweets/crisislex_t26_labeled_tweets.csv")]
    out["isextreme_not_supporting"] = [r["tweet"] for r in _rows("isextreme_isis_scraped_tweets/tweets_labelled.csv") if r["label"] == "0"]
    out["stormfront"] = [r["text"] for r in _rows("stormfront_hate_speech/stormfront_sentences.csv")]
    german: list[str] = []
    for f in sorted((DATA / "germeval_harmful_content_de").glob("*.csv")):
        german += [r["description"] for r in _rows(f"germeval_harmful_content_de/{f.name}", ";")]
    out["germeval"] = german
    ethos: list[str] = []
    for f in ("Ethos_Dataset_Binary.csv", "Ethos_Dataset_Multi_Label.csv"):
        ethos += [r.get("comment", "") for r in _rows(f"ethos_hate_speech/{f}", ";")]
    out["ethos"] = ethos
    # news reports about terrorist incidents, one text per paragraph (reporting must never match)
    out["muc34_news_paragraphs"] = [
        p for r in _rows("muc34_terrorism_news/muc34_documents.csv") for p in r.get("text", "").split("\n\n") if p.strip()
    ]
    return out


class TextBank:
    """The matcher's text path over a bank: exact digests and the near-duplicate LSH index.

    Texts shorter than ``MIN_TOKENS`` words are not banked, the rule Vigil applies when a moderator's
    confirmation banks an item: Fifth Tribe's labels are per account, so its tweets include "Allahu
    Akbar" and "Have a good day", which no one would bank as propaganda."""

    def __init__(self, texts: list[str]) -> None:
        from vigil.match.text_exact import TextExactSignal
        from vigil.match.text_near import MIN_TOKENS, TextNearIndex, TextNearSignal
        from vigil.match.text_prep import matching_tokens

        self.exact: dict[str, int] = {}
        pairs: list[tuple[str, int]] = []
        self.ids: list[int] = []
        self.short = 0
        for i, text in enumerate(texts):
            if len(matching_tokens(text)) < MIN_TOKENS:
                self.short += 1
                continue
            self.exact.setdefault(TextExactSignal.hash_text(text), i)
            pairs.append((TextNearSignal.hash_text(text), i))
            self.ids.append(i)
        self.near = TextNearIndex.build(pairs, radius=TextNearSignal.default_threshold)
        self.near_ids = set(self.ids)

    def lookup(self, text: str) -> set[int]:
        from vigil.match.text_exact import TextExactSignal
        from vigil.match.text_near import TextNearSignal

        found: set[int] = set()
        try:
            hit = self.exact.get(TextExactSignal.hash_text(text))
            if hit is not None:
                found.add(hit)
        except Exception:  # noqa: BLE001
            return found
        with contextlib.suppress(Exception):  # a short text has no near signal: exact only
            found.update(i for i, _ in self.near.query(TextNearSignal.hash_text(text)))
        return found


def bench_text(sample: int, seed: int) -> None:
    from tests.helpers.perturb import EDITS, reorder

    texts = bank_texts()
    if not texts:
        sys.exit(f"no data under {DATA} (set VIGIL_DATA_DIR)")
    t0 = time.perf_counter()
    bank = TextBank(texts)
    print(f"bank: {len(bank.near_ids):,} of {len(texts):,} Fifth Tribe tweets ({bank.short:,} under 5 words not "
          f"banked), built in {time.perf_counter() - t0:.1f} s")
    rng = random.Random(seed)
    candidates = sorted(bank.near_ids)
    picks = rng.sample(candidates, min(sample, len(candidates)))
    for name, edit in EDITS.items():
        pool = picks
        if name == "reorder":  # only texts with at least two sentences can be reordered
            pool = [i for i in candidates if reorder(texts[i], random.Random(0)) != texts[i]]
            pool = rng.sample(pool, min(sample, len(pool)))
        hits = sum(i in bank.lookup(edit(texts[i], rng)) for i in pool)
        print(f"recall {name:12s} {hits / len(pool):.4f}  ({hits}/{len(pool)})")
    background = background_texts()
    seen: set[str] = set()
    total = false = 0
    t0 = time.perf_counter()
    for source, items in background.items():
        n = f = 0
        for text in items:
            key = " ".join(text.split()).lower()
            if not key or key in seen:
                continue
            seen.add(key)
            n += 1
            f += bool(bank.lookup(text))
        total += n
        false += f
        print(f"background {source:26s} {n:7,} texts, {f:4} false matches ({f / max(n, 1):.4%})")
    print(f"false matches: {false} of {total:,} unrelated real texts = {false / total:.4%} "
          f"(lookups at {total / (time.perf_counter() - t0):,.0f}/s)")


def bench_images(count: int, unrelated: int) -> None:
    from tests.helpers.images import EDITS, good_seeds, make_image, to_bytes

    from vigil.match.pdq import PdqIndex, PdqSignal

    seeds = good_seeds(count)
    pairs = []
    for seed in seeds:
        data = to_bytes(make_image(seed))
        pairs += [(s, seed) for s in (PdqSignal.hash_bytes(data), *PdqSignal.bank_variants(data))]
    index = PdqIndex.build(pairs, radius=PdqSignal.default_threshold)
    print(f"bank: {len(seeds)} generated images, {len(pairs)} hashes with crop variants")
    from vigil.match.base import LowQualitySignal

    for name, edit in EDITS.items():
        hits = low = 0
        dists = []
        for seed in seeds:
            try:
                found = dict(index.query_many(PdqSignal.query_variants(to_bytes(edit(make_image(seed))))))
            except LowQualitySignal:
                low += 1  # reported as low quality by the matcher, not matched
                continue
            hits += seed in found
            if seed in found:
                dists.append(found[seed])
        print(f"recall {name:20s} {hits / len(seeds):.3f}  mean distance "
              f"{np.mean(dists) if dists else float('nan'):.1f}  ({low} edited copies fell below PDQ quality 50)")
    others = good_seeds(unrelated, start=max(seeds) + 1)
    false = sum(bool(index.query_many(PdqSignal.query_variants(to_bytes(make_image(s))))) for s in others)
    print(f"false matches: {false} of {len(others)} unrelated generated images")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["text", "images"])
    ap.add_argument("--sample", type=int, default=1000, help="banked tweets edited per edit type")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--images", type=int, default=300)
    ap.add_argument("--unrelated", type=int, default=2000)
    args = ap.parse_args()
    if args.what == "text":
        bench_text(args.sample, args.seed)
    else:
        bench_images(args.images, args.unrelated)


if __name__ == "__main__":
    main()
