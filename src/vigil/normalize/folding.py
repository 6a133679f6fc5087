"""The whole ``normalized`` → ``folded`` pipeline as one list of rewrites.

The normalizers build ``folded`` step by step (unicode casefolds, arabic and fold rewrite). Two other
places need the same transformation in one call: the lexicon folds its terms exactly as message text is
folded (so a term written naturally, with hamza or diacritics, still matches), and
`vigil.normalize.offsets` replays it with offset tracking. Both use `FOLDED_REWRITES` from here, so the
three can never disagree.
"""

from __future__ import annotations

from vigil.normalize.arabic import ARABIC_REWRITES
from vigil.normalize.fold import FOLD_REWRITES
from vigil.normalize.rewrite import Rewrite, Tracked, run, run_tracked
from vigil.normalize.unicode import CASEFOLD, clean_text

FOLDED_REWRITES: tuple[Rewrite, ...] = (CASEFOLD, *ARABIC_REWRITES, *FOLD_REWRITES)


def fold_normalized(normalized: str) -> str:
    """``folded`` for a text that is already ``normalized``."""
    return run(FOLDED_REWRITES, normalized)


def fold_tracked(normalized: str) -> Tracked:
    """`fold_normalized` with a map from each folded character back to ``normalized``."""
    return run_tracked(FOLDED_REWRITES, normalized)


def fold_text(text: str) -> str:
    """``folded`` for any text (clean-up first): how lexicon terms are folded."""
    return fold_normalized(clean_text(text))
