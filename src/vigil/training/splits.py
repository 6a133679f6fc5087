"""Train/test assignment that keeps near-duplicates together.

Where it sits: every reader in `vigil.training.datasets` calls `assign_split`; `calibration_fold` gives
the cross-validation folds inside the training part.

The rule: the text is reduced to a *group key* (lower-cased; URLs, @mentions, a leading ``RT``,
punctuation and spacing removed), and a salted SHA-256 of the key decides. Retweets of one tweet with
different t.co links, or the same tweet in Fifth Tribe and in nlpexercise, share a key and so always land
on the same side. The rule ignores the data set, so a text that occurs in two sets is on the same side in
both. ``TEST_FRACTION`` of keys go to test.
"""

from __future__ import annotations

import hashlib
import re

TEST_FRACTION = 0.2
SALT = "vigil-split-v1"
_URL = re.compile(r"(?:https?://|www\.)\S+")
_MENTION = re.compile(r"@\w+")
_RT = re.compile(r"^\s*rt\b")
_NON_WORD = re.compile(r"[\W_]+")


def group_key(text: str) -> str:
    text = _MENTION.sub(" ", _URL.sub(" ", text.lower()))
    return _NON_WORD.sub("", _RT.sub(" ", text))


def _unit(key: str, salt: str) -> float:
    digest = hashlib.sha256(f"{salt}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign_split(text: str, test_fraction: float = TEST_FRACTION) -> str:
    return "test" if _unit(group_key(text), SALT) < test_fraction else "train"


def calibration_fold(text: str, k: int, seed: int) -> int:
    """Cross-validation fold (0..k-1) inside the training part, also by group key."""
    return int(_unit(group_key(text), f"{SALT}-fold-{seed}") * k)
