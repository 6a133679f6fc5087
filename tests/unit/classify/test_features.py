from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.classify.features import KIND_WORD, HashedFeaturizer
from vigil.classify.textprep import prepare


def _grams(f: HashedFeaturizer, texts: list[str], row: int) -> dict[str, int]:
    feats = f.transform(texts)
    lo, hi = feats.indptr[row], feats.indptr[row + 1]
    return {texts[row][s : s + n]: int(i) for s, n, i in zip(feats.starts[lo:hi], feats.lengths[lo:hi], feats.indices[lo:hi], strict=True)}


def test_features_same_ngram_same_bucket_in_any_text() -> None:
    f = HashedFeaturizer(18)
    texts = [prepare("kill them all"), prepare("we will kill them")]
    a, b = _grams(f, texts, 0), _grams(f, texts, 1)
    assert a["kill them"] == b["kill them"]
    assert a[" kil"] == b[" kil"]


def test_features_buckets_are_stable_across_processes() -> None:
    # a fixed string must land in a fixed bucket: the committed model depends on it (no Python hash())
    f = HashedFeaturizer(20)
    assert _grams(f, [" isis "], 0)["isis"] == _grams(HashedFeaturizer(20), [" isis is "], 0)["isis"]
    feats = f.transform([" isis "])
    assert feats.indices.tolist() == f.transform([" isis "]).indices.tolist()
    assert int(feats.indices[0]) == 677683  # " i" in 2**20 buckets; a change here invalidates every model


def test_features_no_ngram_crosses_two_texts() -> None:
    f = HashedFeaturizer(16)
    texts = [" ab ", " cd "]
    feats = f.transform(texts)
    for row, text in enumerate(texts):
        lo, hi = feats.indptr[row], feats.indptr[row + 1]
        for s, n in zip(feats.starts[lo:hi], feats.lengths[lo:hi], strict=True):
            assert s >= 0 and s + n <= len(text)
    words = [texts[r][s : s + n] for r in range(2) for s, n, k in zip(
        feats.starts[feats.indptr[r]:feats.indptr[r + 1]], feats.lengths[feats.indptr[r]:feats.indptr[r + 1]],
        feats.kinds[feats.indptr[r]:feats.indptr[r + 1]], strict=True) if k == KIND_WORD]
    assert sorted(words) == ["ab", "cd"]


def test_features_chunked_equals_whole_batch() -> None:
    f = HashedFeaturizer(18)
    texts = [prepare(f"message number {i} about things") for i in range(700)]
    whole = f.transform(texts, chunk=10_000)
    parts = f.transform(texts, chunk=64)
    for name in ("indptr", "indices", "scale", "starts", "lengths", "kinds"):
        assert np.array_equal(getattr(whole, name), getattr(parts, name)), name


def test_features_empty_inputs() -> None:
    f = HashedFeaturizer(16)
    assert f.transform([]).n_texts == 0
    feats = f.transform([" ", ""])
    assert feats.n_texts == 2 and len(feats.indices) == 0


def test_features_rejects_bad_size() -> None:
    with pytest.raises(ValueError, match="n_bits"):
        HashedFeaturizer(40)


_FIELDS = ("indptr", "indices", "scale", "starts", "lengths", "kinds")


def _assert_same(a: object, b: object) -> None:
    for name in _FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name


@pytest.mark.parametrize("text", ["", " ", "  ", " a ", "ab", " a  b ", " isis ", prepare("Kill them all, d.a.e.s.h 123"),
                                  prepare("اقتلوهم جميعا"), " x" * 3000 + " "])
def test_features_single_text_path_equals_batch_path(text: str) -> None:
    # a synchronous send featurises one text through _transform_one; training uses the batch path
    f = HashedFeaturizer(20)
    _assert_same(f.transform([text]), f._transform([text]))


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_features_single_text_path_equals_batch_path_on_any_string(text: str) -> None:
    f = _HYPO_FEATURIZER
    _assert_same(f._transform_one(text), f._transform([text]))
    _assert_same(f._transform_one(prepare(text)), f._transform([prepare(text)]))


_HYPO_FEATURIZER = HashedFeaturizer(16, char_ngrams=(1, 3, 6), word_ngrams=(1, 2, 3))
