"""Text matching robustness on real data (skips without ``../shared/data``): edited re-posts of banked
pro-ISIS tweets are found, unrelated real tweets are not. The full measurement is
``bench/bench_robustness.py text``; this is a smaller, deterministic slice of it."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from tests.helpers.perturb import EDITS, reorder
from vigil.match.text_exact import TextExactSignal
from vigil.match.text_near import MIN_TOKENS, TextNearIndex, TextNearSignal
from vigil.match.text_prep import matching_tokens

pytestmark = pytest.mark.data


def _column(path: Path, column: str, keep=lambda row: True, limit: int = 10**9) -> list[str]:
    csv.field_size_limit(50_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        out = [row[column] for row in csv.DictReader(fh) if keep(row)]
    return out[:limit]


@pytest.fixture(scope="module")
def bank(data_dir: Path) -> tuple[list[str], dict[str, int], TextNearIndex]:
    tweets = _column(data_dir / "fifthtribe_isis_tweets" / "tweets.csv", "tweets")
    texts = [t for t in tweets if len(matching_tokens(t)) >= MIN_TOKENS][:4000]
    exact = {TextExactSignal.hash_text(t): i for i, t in enumerate(texts)}
    near = TextNearIndex.build([(TextNearSignal.hash_text(t), i) for i, t in enumerate(texts)], radius=0.5)
    return texts, exact, near


def _lookup(text: str, exact: dict[str, int], near: TextNearIndex) -> set[int]:
    if len(matching_tokens(text)) < MIN_TOKENS:
        hit = exact.get(TextExactSignal.hash_text(text)) if matching_tokens(text) else None
        return {hit} if hit is not None else set()
    found = {i for i, _ in near.query(TextNearSignal.hash_text(text))}
    hit = exact.get(TextExactSignal.hash_text(text))
    return found | ({hit} if hit is not None else set())


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_text_robustness_edited_reposts_are_found(bank, edit: str) -> None:
    texts, exact, near = bank
    rng = random.Random(17)
    pool = list(range(len(texts)))
    if edit == "reorder":
        pool = [i for i in pool if reorder(texts[i], random.Random(0)) != texts[i]]
    picks = rng.sample(pool, 300)
    recall = sum(i in _lookup(EDITS[edit](texts[i], rng), exact, near) for i in picks) / len(picks)
    assert recall >= 0.95, f"{edit}: recall {recall:.3f}"


def test_text_robustness_unrelated_tweets_rarely_match(bank, data_dir: Path) -> None:
    _, exact, near = bank
    background = _column(
        data_dir / "nlpexercise_proisis_vs_random_tweets" / "balanced_dataset.csv", "tweet_unescaped",
        keep=lambda r: r["isis_flag"] == "0" and not r.get("fifthtribe_row_id"),
    )
    background += _column(data_dir / "crisislex_t26_crisis_tweets" / "crisislex_t26_labeled_tweets.csv",
                          "tweet_text", limit=10_000)
    false = sum(bool(_lookup(t, exact, near)) for t in background if t.strip())
    assert false / len(background) <= 0.001, f"{false} false matches in {len(background)}"
