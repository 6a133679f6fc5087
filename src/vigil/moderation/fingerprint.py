"""Near-duplicate fingerprints of message text, for flood detection.

A flood is the same call re-posted with small edits by many accounts, so exact hashes miss it. The
fingerprint is the hash banks' ``text_near`` signal (`vigil.match.text_near`: MinHash over the words
and word pairs of the matching text, which undoes case, punctuation, homoglyphs and leetspeak), so a
flood alert's signature is a valid ``text_near`` bank signal and a moderator can bank it as it is.
Everything flood detection needs goes through `fingerprint` and `similarity`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vigil.match.minhash import PERMS, shingle_ids, signature
from vigil.match.text_near import decode, encode
from vigil.match.text_prep import matching_tokens

MIN_WORDS = 3  # fewer words carry too little to tell a re-post from a coincidence
MAX_CHARS = 20_000  # a message; bounds the work on a huge text

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    signature: Signature
    words: int

    def encode(self) -> str:
        return encode(self.signature)

    @classmethod
    def decode(cls, text: str) -> Fingerprint:
        return cls(decode(text), 0)


# the last text fingerprinted: a blocked send is fingerprinted to check it against the active alerts
# and again to count it in a burst (~100 µs each), and during a flood most sends are blocked
_memo: tuple[str, Fingerprint | None] = ("", None)


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of a text, or None when it has fewer than `MIN_WORDS` words."""
    global _memo
    last_text, last = _memo  # one read: another thread may replace the pair, never half of it
    if text == last_text and text:
        return last
    tokens = matching_tokens(text[:MAX_CHARS])
    fp = None
    if len(tokens) >= MIN_WORDS:
        sig = signature(shingle_ids(tokens))
        sig.flags.writeable = False  # shared by the callers the memo serves
        fp = Fingerprint(sig, len(tokens))
    _memo = (text, fp)
    return fp


def similarity(a: Fingerprint, b: Fingerprint) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets, in [0, 1]."""
    return float(np.count_nonzero(a.signature == b.signature)) / PERMS


def similarities(a: Fingerprint, matrix: npt.NDArray[np.uint32]) -> npt.NDArray[np.float64]:
    """`similarity` of ``a`` against each row of a signature matrix (vectorised for flood lookups)."""
    if matrix.shape[0] == 0:
        return np.zeros(0)
    counts: npt.NDArray[np.int64] = np.count_nonzero(matrix == a.signature[None, :], axis=1)
    return counts / PERMS
