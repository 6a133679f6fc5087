"""Text rewrites that run either fast or with an offset map, from one definition.

Every change the normalizers make to ``Item.folded`` (case folding, Arabic normalization, obfuscation
folding) is one of the rewrites below. The normalizers call ``apply`` (``str.translate`` or ``re.sub``
in C: the fast path that runs on every message). Only when a classifier has found evidence in the folded
text does `vigil.normalize.offsets` call ``apply_tracked`` on the same rewrites, which also says, for every
output character, which span of the input produced it; composing those maps turns a folded span back into
a span of ``Item.normalized``. Because both paths come from the same table or pattern, they cannot drift
apart (a unit test holds ``apply_tracked(s)[0] == apply(s)`` on random text).

A map is two lists, ``starts`` and ``ends``: output character ``i`` came from input ``[starts[i], ends[i])``.
Every output character comes from a non-empty input span; deleted input characters simply have no output.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence

Tracked = tuple[str, list[int], list[int]]
Guard = Callable[[str], bool]


def _always(_: str) -> bool:
    return True


class Rewrite(ABC):
    """One rewrite of the folded text. ``guard(text)`` False means the rewrite would change nothing, so
    both paths skip it (a cheap test such as ``not text.isascii()`` that saves the real work)."""

    name: str
    # True when the rewrite never both inserts and deletes characters: then an output as long as its
    # input was rewritten one for one, and the tracked path can skip the character-by-character work.
    one_way: bool = False

    def __init__(self, name: str, guard: Guard | None = None) -> None:
        self.name = name
        self.guard: Guard = guard or _always

    @abstractmethod
    def apply(self, text: str) -> str:
        """The fast path."""

    @abstractmethod
    def _tracked(self, text: str) -> Tracked:
        """The same output as `apply`, with its map."""

    def apply_tracked(self, text: str) -> Tracked:
        if not self.guard(text):
            n = len(text)
            return text, list(range(n)), list(range(1, n + 1))
        return self._tracked(text)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class Translate(Rewrite):
    """``str.translate`` with a precompiled table: each character becomes zero, one or more characters."""

    def __init__(self, name: str, table: Mapping[int, str | int | None], guard: Guard | None = None) -> None:
        super().__init__(name, guard)
        # Normalise the table once so the tracked path need not handle int values.
        self.table: dict[int, str | None] = {
            k: (chr(v) if isinstance(v, int) else v) for k, v in table.items()
        }
        lengths = {len(v or "") for v in self.table.values()}
        self.one_way = not (0 in lengths and any(n > 1 for n in lengths))

    def apply(self, text: str) -> str:
        if not self.guard(text):
            return text
        return text.translate(self.table)

    def _tracked(self, text: str) -> Tracked:
        table = self.table
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for i, ch in enumerate(text):
            rep = table.get(ord(ch), ch)
            if not rep:
                continue
            out.append(rep)
            starts.extend([i] * len(rep))
            ends.extend([i + 1] * len(rep))
        return "".join(out), starts, ends


class Casefold(Rewrite):
    """``str.casefold``. Python folds each code point independently (no context rules), so folding
    character by character gives the same string; a property test holds that."""

    one_way = True  # case folding only ever expands (ß -> ss)

    def __init__(self) -> None:
        super().__init__("casefold", guard=None)

    def apply(self, text: str) -> str:
        return text.casefold()

    def _tracked(self, text: str) -> Tracked:
        if text.isascii():
            n = len(text)
            return text.lower(), list(range(n)), list(range(1, n + 1))
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for i, ch in enumerate(text):
            rep = ch.casefold()
            out.append(rep)
            starts.extend([i] * len(rep))
            ends.extend([i + 1] * len(rep))
        return "".join(out), starts, ends


def align_piece(piece: str, source: str, offset: int) -> tuple[list[int], list[int]]:
    """Map each character of ``piece`` (a replacement) onto ``source`` (what it replaced, which starts at
    ``offset`` in the input). Exact when the replacement keeps length (one-to-one) or only deletes
    characters (a subsequence, matched greedily); otherwise every character maps to the whole source."""
    n = len(source)
    if len(piece) == n:
        return list(range(offset, offset + n)), list(range(offset + 1, offset + n + 1))
    starts: list[int] = []
    ends: list[int] = []
    j = 0
    for ch in piece:
        while j < n and source[j] != ch:
            j += 1
        if j == n:  # not a subsequence: fall back to the coarse map
            return [offset] * len(piece), [offset + n] * len(piece)
        starts.append(offset + j)
        ends.append(offset + j + 1)
        j += 1
    return starts, ends


class RegexSub(Rewrite):
    """``pattern.sub(replacement, text)``; the replacement is a string or a function of the match."""

    def __init__(
        self,
        name: str,
        pattern: re.Pattern[str],
        replacement: str | Callable[[re.Match[str]], str],
        guard: Guard | None = None,
        *,
        deletes_only: bool = False,
    ) -> None:
        super().__init__(name, guard)
        self.pattern = pattern
        self.replacement = replacement
        self.one_way = deletes_only  # declared by the caller: each replacement is a subsequence

    def apply(self, text: str) -> str:
        if not self.guard(text):
            return text
        return self.pattern.sub(self.replacement, text)

    def _tracked(self, text: str) -> Tracked:
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        repl = self.replacement
        for m in self.pattern.finditer(text):
            s, e = m.span()
            if s > pos:
                out.append(text[pos:s])
                starts.extend(range(pos, s))
                ends.extend(range(pos + 1, s + 1))
            piece = repl(m) if callable(repl) else m.expand(repl)
            if piece:
                ps, pe = align_piece(piece, text[s:e], s)
                out.append(piece)
                starts.extend(ps)
                ends.extend(pe)
            pos = e
        if pos < len(text):
            out.append(text[pos:])
            starts.extend(range(pos, len(text)))
            ends.extend(range(pos + 1, len(text) + 1))
        return "".join(out), starts, ends


class LengthPreserving(Rewrite):
    """A function that replaces characters one for one (never inserts or deletes), such as the
    token-wise homoglyph folding. Its map is the identity; a length change is a bug and is caught."""

    one_way = True

    def __init__(self, name: str, fn: Callable[[str], str], guard: Guard | None = None) -> None:
        super().__init__(name, guard)
        self.fn = fn

    def apply(self, text: str) -> str:
        if not self.guard(text):
            return text
        return self.fn(text)

    def _tracked(self, text: str) -> Tracked:
        out = self.fn(text)
        if len(out) != len(text):
            raise AssertionError(f"rewrite {self.name!r} changed the length of {text[:60]!r}")
        n = len(text)
        return out, list(range(n)), list(range(1, n + 1))


def run(rewrites: Sequence[Rewrite], text: str) -> str:
    """The fast path of a sequence of rewrites."""
    for rewrite in rewrites:
        text = rewrite.apply(text)
    return text


def run_tracked(rewrites: Sequence[Rewrite], text: str, *, shortcut: bool = True) -> Tracked:
    """The tracked path of a sequence of rewrites: the output and its map onto the original ``text``.
    ``shortcut=False`` tracks every step character by character (tests compare the two)."""
    n = len(text)
    starts = list(range(n))
    ends = list(range(1, n + 1))
    for rewrite in rewrites:
        if shortcut and rewrite.one_way:
            out = rewrite.apply(text)
            if len(out) == len(text):  # one for one: the map does not change
                text = out
                continue
        text, s2, e2 = rewrite.apply_tracked(text)
        # Compose: output char i of this step came from [s2[i], e2[i]) of the previous text, which came
        # from [starts[s2[i]], ends[e2[i] - 1]) of the original.
        starts, ends = [starts[a] for a in s2], [ends[b - 1] for b in e2]
    return text, starts, ends
