"""Map a span of ``Item.folded`` back to ``Item.normalized``, so evidence found by a matcher in the
folded text can be highlighted in the text an analyst sees.

This is the slow path, used only when there is a hit: it replays the folding rewrites character by
character (`vigil.normalize.folding.fold_tracked`). The fast path that computes ``folded`` on every message
is untouched. Two shortcuts keep the common case cheap:

* an ASCII ``normalized`` whose ``folded`` has the same length went through one-for-one rewrites only
  (ASCII casefolding and leetspeak never change length; the only ASCII rewrites that do, split-word
  joining and stretched letters, only delete), so the map is the identity;
* the last sixteen maps are cached, because a classifier usually asks for several spans of one item.

If ``folded`` was produced by a chain that differs from the built-in one (a plugin rewrote it further),
the replay does not reproduce it; the spans are then aligned with `difflib` on the two texts, which is
approximate but never wrong by more than the edited stretch.
"""

from __future__ import annotations

import difflib
import unicodedata
from array import array
from collections.abc import Sequence
from functools import lru_cache

from vigil.core.records import Item
from vigil.normalize.folding import fold_tracked


class FoldMap:
    """Folded-to-normalized offsets for one text."""

    __slots__ = ("starts", "ends", "normalized", "identity")

    def __init__(
        self, starts: Sequence[int], ends: Sequence[int], normalized: str, identity: bool = False
    ) -> None:
        # Machine-integer arrays: a map of a 100,000-character article stays under 2 MB.
        self.starts = array("q", starts)
        self.ends = array("q", ends)
        self.normalized = normalized
        self.identity = identity

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The ``normalized`` span that produced folded ``[start, end)``; clamped to the text. The span
        also takes the combining marks that follow it (an Arabic word's last vowel sign was deleted from
        the folded text but belongs to the word shown)."""
        length = len(self.normalized)
        if self.identity:
            return max(0, min(start, length)), max(0, min(end, length))
        n = len(self.starts)
        if n == 0:
            return 0, 0
        start = max(0, min(start, n - 1))
        end = max(start + 1, min(end, n))
        s, e = self.starts[start], self.ends[end - 1]
        while e < length and unicodedata.category(self.normalized[e]) in ("Mn", "Me"):
            e += 1
        return s, e


def _difflib_map(normalized: str, folded: str) -> FoldMap:
    base = normalized.casefold()
    if len(base) != len(normalized):  # keep indices into normalized: fold case char by char
        base = "".join(ch.casefold()[:1] or ch for ch in normalized)
    starts = [0] * len(folded)
    ends = [0] * len(folded)
    matcher = difflib.SequenceMatcher(None, base, folded, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(j1, j2):
            if tag == "equal":
                starts[k], ends[k] = i1 + (k - j1), i1 + (k - j1) + 1
            else:  # replaced or inserted: the whole edited stretch
                starts[k], ends[k] = i1, max(i2, i1 + 1)
    return FoldMap(starts, [min(e, len(normalized)) for e in ends], normalized)


@lru_cache(maxsize=16)
def fold_map(normalized: str, folded: str) -> FoldMap:
    """The map for an item whose texts are ``normalized`` and ``folded``."""
    if normalized.isascii() and len(folded) == len(normalized):
        return FoldMap([], [], normalized, identity=True)
    replayed, starts, ends = fold_tracked(normalized)
    if replayed == folded:
        return FoldMap(starts, ends, normalized)
    return _difflib_map(normalized, folded)


def folded_to_normalized(item: Item, start: int, end: int) -> tuple[int, int]:
    """The span of ``item.normalized`` that produced ``item.folded[start:end]``."""
    return fold_map(item.normalized, item.folded).span(start, end)
