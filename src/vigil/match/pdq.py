"""Images: Facebook's PDQ perceptual hash (the ``pdqhash`` package), as GIFCT and HMA exchange it.

A PDQ hash is 256 bits written as 64 hex characters; distance is the Hamming distance. Defaults follow
HMA and the PDQ paper: a match is at most 31 differing bits; an image whose PDQ quality is below 50 (flat,
blank or tiny images, whose hashes collide with many others) is not matched and is reported as low
quality instead. A query image is looked up with its eight dihedral hashes (rotations by 90, 180, 270
degrees and mirror images), so a mirrored or rotated copy of a banked image is found; banked hashes are
stored as given. The hex form is the one python-threatexchange writes (bit i of the vector is bit
255 - i of the number), so hashes exchanged with HMA compare directly.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Sequence
from itertools import islice

import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image, UnidentifiedImageError

from vigil.core.errors import InvalidSignal
from vigil.core.records import ContentKind
from vigil.core.registry import Manifest
from vigil.match.base import LowQualitySignal, SignalIndex, SignalType
from vigil.match.hamming import HammingMultiIndex, hex_to_codes, popcount64

QUALITY_THRESHOLD = 50
CROP_VARIANTS = (0.02, 0.04, 0.06)
MAX_PIXELS = 50_000_000  # larger images are refused before decoding (decompression bombs)
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _bits_to_hex(bits: npt.NDArray[np.int64]) -> str:
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def image_array(data: bytes) -> npt.NDArray[np.uint8]:
    """Decode image bytes to an RGB array, refusing non-images and oversized images.

    Raises:
        InvalidSignal: not an image Pillow can read, or more than ``MAX_PIXELS`` pixels.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InvalidSignal("pdq", f"<image {width}x{height}>", f"more than {MAX_PIXELS:,} pixels")
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise InvalidSignal("pdq", f"<{len(data)} bytes>", f"not a readable image: {exc}") from exc
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))


def pdq_with_quality(data: bytes) -> tuple[str, int]:
    """The PDQ hash (hex) and quality (0-100) of an image file's bytes."""
    bits, quality = pdqhash.compute(image_array(data))
    return _bits_to_hex(bits), int(quality)


def pdq_dihedral(data: bytes) -> tuple[tuple[str, ...], int]:
    """The eight dihedral PDQ hashes (original first) and the quality of an image file's bytes."""
    hashes, quality = pdqhash.compute_dihedral(image_array(data))
    return tuple(_bits_to_hex(h) for h in hashes), int(quality)


class PdqIndex(SignalIndex):
    """`SignalIndex` over `HammingMultiIndex`: exact radius search (no missed matches)."""

    def __init__(self, inner: HammingMultiIndex) -> None:
        self.inner = inner

    @classmethod
    def build(cls, entries: Iterable[tuple[str, int]], *, radius: float) -> PdqIndex:
        # converted in batches: 10M hex strings held at once would take ~1 GB on their own
        code_parts: list[npt.NDArray[np.uint64]] = []
        id_parts: list[npt.NDArray[np.int64]] = []
        it = iter(entries)
        while batch := list(islice(it, 100_000)):
            code_parts.append(hex_to_codes([s for s, _ in batch]))
            id_parts.append(np.fromiter((i for _, i in batch), dtype=np.int64, count=len(batch)))
        codes = np.concatenate(code_parts) if code_parts else np.empty((0, 4), dtype=np.uint64)
        ids = np.concatenate(id_parts) if id_parts else np.empty(0, dtype=np.int64)
        return cls(HammingMultiIndex(codes, ids, int(radius)))

    def query(self, signal: str) -> list[tuple[int, float]]:
        return self.query_many([signal])

    def query_many(self, signals: Sequence[str]) -> list[tuple[int, float]]:
        if not signals:
            return []
        ids, dist = self.inner.search(hex_to_codes(list(signals)))
        return [(i, float(d)) for i, d in zip(ids.tolist(), dist.tolist(), strict=True)]

    def __len__(self) -> int:
        return len(self.inner)

    def memory_bytes(self) -> int:
        return self.inner.memory_bytes()


class PdqSignal(SignalType):
    name = "pdq"
    version = 1
    content_kinds = (ContentKind.IMAGE,)
    input = "file"
    index_cls = PdqIndex
    default_threshold = 31
    max_threshold = 47  # up to 35 the index probes 2 flips per chunk; 36-47 need 3 (about 8x slower)
    examples = (
        "facd8b8ad4e5f2e4dcab2d3ab8e4c8e1b09bc9c4b3ab2a4f81d4e0e8e1a9bdd3",
        "358c86641a5269ab5b0db5f1b2315c1642cef9652c39b6ced9f646d91f071927",
    )

    @classmethod
    def validate(cls, value: str) -> str:
        normalized = value.lower()
        if not _HEX64.fullmatch(normalized):
            raise InvalidSignal(cls.name, value, "expected 64 hex characters (a 256-bit PDQ hash)")
        return normalized

    @classmethod
    def hash_bytes(cls, data: bytes) -> str:
        signal, quality = pdq_with_quality(data)
        if quality < QUALITY_THRESHOLD:
            raise LowQualitySignal(
                cls.name, signal, f"PDQ quality {quality} is below {QUALITY_THRESHOLD} (a flat or tiny image)"
            )
        return signal

    @classmethod
    def query_variants(cls, data: bytes) -> tuple[str, ...]:
        hashes, quality = pdq_dihedral(data)
        if quality < QUALITY_THRESHOLD:
            raise LowQualitySignal(
                cls.name, hashes[0], f"PDQ quality {quality} is below {QUALITY_THRESHOLD} (a flat or tiny image)"
            )
        return hashes

    @classmethod
    def bank_variants(cls, data: bytes) -> tuple[str, ...]:
        """Hashes of centre crops (2, 4 and 6% off each side): PDQ moves ~19 bits per 1% cropped off
        each side, so a re-post cropped by up to ~6% per side lands within 31 bits of one of them."""
        array = image_array(data)
        h, w = array.shape[:2]
        out = []
        for share in CROP_VARIANTS:
            dy, dx = int(h * share), int(w * share)
            if h - 2 * dy < 32 or w - 2 * dx < 32:
                continue
            bits, quality = pdqhash.compute(np.ascontiguousarray(array[dy : h - dy, dx : w - dx]))
            if quality >= QUALITY_THRESHOLD:
                out.append(_bits_to_hex(bits))
        return tuple(out)

    @classmethod
    def compare(cls, a: str, b: str) -> float:
        return float(popcount64(hex_to_codes([a]) ^ hex_to_codes([b])).sum())


MANIFEST = Manifest(signal_types=(PdqSignal,))
