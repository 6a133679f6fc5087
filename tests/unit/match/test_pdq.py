from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.contract.test_signal_type_contract import SignalTypeContract
from tests.helpers.images import EDITS, good_seeds, make_image, to_bytes
from vigil.core.errors import InvalidSignal
from vigil.match.base import LowQualitySignal
from vigil.match.hamming import HammingMultiIndex, hex_to_codes, popcount64
from vigil.match.pdq import PdqIndex, PdqSignal, pdq_with_quality


class TestPdqSignal(SignalTypeContract):
    signal_type = PdqSignal

    def content(self) -> bytes:
        return to_bytes(make_image(1))

    def other_content(self) -> bytes:
        return to_bytes(make_image(2))


def _banked(seed: int) -> list[tuple[str, int]]:
    data = to_bytes(make_image(seed))
    return [(s, seed) for s in (PdqSignal.hash_bytes(data), *PdqSignal.bank_variants(data))]


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_pdq_edited_copies_match(edit: str) -> None:
    seeds = good_seeds(8)
    index = PdqIndex.build([pair for seed in seeds for pair in _banked(seed)], radius=PdqSignal.default_threshold)
    for seed in seeds:
        edited = to_bytes(EDITS[edit](make_image(seed)))
        found = dict(index.query_many(PdqSignal.query_variants(edited)))
        assert seed in found, f"{edit} of image {seed} not matched"


def test_pdq_unrelated_images_do_not_match() -> None:
    index = PdqIndex.build([p for seed in good_seeds(40, start=100) for p in _banked(seed)], radius=31)
    for seed in good_seeds(40, start=300):
        assert index.query_many(PdqSignal.query_variants(to_bytes(make_image(seed)))) == []


def test_pdq_bank_variants_are_centre_crops() -> None:
    data = to_bytes(make_image(good_seeds(1)[0]))
    variants = PdqSignal.bank_variants(data)
    assert len(variants) == 3
    assert all(PdqSignal.compare(PdqSignal.hash_bytes(data), v) > 0 for v in variants)


def test_pdq_flat_image_is_low_quality() -> None:
    flat = to_bytes(Image.new("RGB", (200, 200), (128, 128, 128)))
    assert pdq_with_quality(flat)[1] < 50
    with pytest.raises(LowQualitySignal):
        PdqSignal.hash_bytes(flat)
    with pytest.raises(LowQualitySignal):
        PdqSignal.query_variants(flat)


def test_pdq_rejects_non_images() -> None:
    with pytest.raises(InvalidSignal):
        PdqSignal.hash_bytes(b"not an image at all")


def test_pdq_hex_matches_python_threatexchange_format() -> None:
    import pdqhash

    image = make_image(4)
    bits, _ = pdqhash.compute(np.asarray(image))
    expected = f"{int(''.join(str(int(b)) for b in bits), 2):064x}"
    assert PdqSignal.hash_bytes(to_bytes(image)) == expected


def test_pdq_hamming_index_is_exact_against_brute_force() -> None:
    rng = np.random.default_rng(9)
    n = 3000
    codes = rng.integers(0, 2**63, size=(n, 4), dtype=np.int64).astype(np.uint64)
    # plant near neighbours at distances 0..40 of the first 40 codes
    for i in range(40):
        bits = rng.choice(256, size=i, replace=False)
        for b in bits:
            codes[n - 1 - i, b // 64] = codes[i, b // 64] ^ (np.uint64(1) << np.uint64(63 - b % 64))
        codes[n - 1 - i] = np.where(np.isin(np.arange(4), bits // 64), codes[n - 1 - i], codes[i])
    index = HammingMultiIndex(codes, np.arange(n, dtype=np.int64), radius=31)
    for i in range(40):
        ids, dist = index.search(codes[i : i + 1])
        brute = popcount64(codes ^ codes[i]).sum(axis=1)
        assert sorted(ids.tolist()) == sorted(np.nonzero(brute <= 31)[0].tolist())
        assert all(int(brute[j]) == d for j, d in zip(ids.tolist(), dist.tolist(), strict=True))


def test_pdq_hex_to_codes_roundtrip() -> None:
    h = "f" * 16 + "0" * 16 + "1" * 16 + "8" * 16
    codes = hex_to_codes([h])
    assert codes.shape == (1, 4)
    assert "".join(f"{int(w):016x}" for w in codes[0]) == h
