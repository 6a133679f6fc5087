from __future__ import annotations

import random

import numpy as np
import pytest

from tests.contract.test_signal_type_contract import SignalTypeContract
from tests.helpers.perturb import EDITS
from vigil.core.errors import InvalidSignal
from vigil.match.base import LowQualitySignal
from vigil.match.minhash import PERMS, LshIndex
from vigil.match.text_near import MIN_TOKENS, TextNearIndex, TextNearSignal, decode, encode

TEXT = (
    "The convoy will leave the northern camp at dawn. Every brother must bring water and warm clothes. "
    "Do not speak about the route on the phone, and wait for the signal at the old bridge."
)


class TestTextNearSignal(SignalTypeContract):
    signal_type = TextNearSignal

    def content(self) -> str:
        return TEXT

    def other_content(self) -> str:
        return "Local bakery wins the regional prize for its rye bread, customers queue around the block."


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_text_near_edited_copy_is_within_threshold(edit: str) -> None:
    rng = random.Random(11)
    base = TextNearSignal.hash_text(TEXT)
    edited = TextNearSignal.hash_text(EDITS[edit](TEXT, rng))
    assert TextNearSignal.compare(base, edited) <= TextNearSignal.default_threshold


def test_text_near_short_text_is_low_quality() -> None:
    with pytest.raises(LowQualitySignal):
        TextNearSignal.hash_text("join " * (MIN_TOKENS - 1))


def test_text_near_rejects_bad_signals() -> None:
    for bad in ("mh1:!!!", "mh1:AAAA", "abc", "mh2:" + "A" * 683):
        with pytest.raises(InvalidSignal):
            TextNearSignal.parse(bad)


def test_text_near_signature_roundtrip() -> None:
    sig = np.arange(PERMS, dtype=np.uint32) * 7919
    assert (decode(encode(sig)) == sig).all()


def test_text_near_lsh_matches_brute_force_within_radius() -> None:
    rng = np.random.default_rng(5)
    base = rng.integers(0, 2**32, size=(400, PERMS), dtype=np.uint64).astype(np.uint32)
    index = LshIndex(base, np.arange(400, dtype=np.int64) + 10, radius=0.5)
    for row in range(0, 400, 40):
        q = base[row].copy()
        changed = rng.choice(PERMS, size=int(PERMS * 0.2), replace=False)  # distance 0.2: found w.p. >0.9999
        q[changed] = rng.integers(0, 2**32, size=len(changed), dtype=np.uint64).astype(np.uint32)
        ids, dist = index.search(q[None, :])
        assert row + 10 in ids.tolist()
        assert (dist <= 0.5).all()
        assert abs(dist[ids.tolist().index(row + 10)] - len(changed) / PERMS) < 1e-9


def test_text_near_index_query_many_takes_the_smallest_distance() -> None:
    a = TextNearSignal.hash_text(TEXT)
    b = TextNearSignal.hash_text(TEXT.replace("dawn", "noon").replace("water", "food"))
    index = TextNearIndex.build([(a, 1)], radius=0.7)
    assert index.query_many([b, a]) == [(1, 0.0)]
