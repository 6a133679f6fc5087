"""Finding gazetteer names in text, in any script, with offsets into ``Item.normalized``.

One Aho-Corasick automaton (pyahocorasick) holds every folded alias; a second holds the
case-sensitive ones (IS, HTS, The Base), which are skipped inside upper-case text where case says
nothing. Matches must sit on word boundaries; an Arabic name may carry one attached proclitic
(و ف ب ل ك: "and", "so", "by", "for", "like"). Overlaps resolve leftmost-longest. Aliases marked
ambiguous (الشباب "the youth", الفرقان a Quran chapter) count only when an unambiguous name is
found in the same text.

Where it sits: used by the entity extractor on every item, English or not; spaCy only adds what
the gazetteer does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from vigil.extract.gazetteer import Gazetteer, GazetteerEntry
from vigil.extract.textfold import fold, fold_with_map

_PROCLITICS = frozenset("وفبلك")
_UPPER_WINDOW = 40


@dataclass(frozen=True, slots=True)
class GazMatch:
    entry: GazetteerEntry
    alias: str
    start: int  # offsets into the text given to `find`
    end: int
    ambiguous: bool = False


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _mostly_upper(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - _UPPER_WINDOW) : end + _UPPER_WINDOW]
    letters = [c for c in window if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.7


class GazetteerMatcher:
    """All aliases of a `Gazetteer`, compiled once."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._folded = ahocorasick.Automaton()
        self._cased = ahocorasick.Automaton()
        table: dict[str, list[tuple[str, str, bool]]] = {}
        cased: dict[str, list[tuple[str, str, bool]]] = {}
        for entry in gazetteer.entries.values():
            for alias in entry.all_names:
                ambiguous = alias in entry.ambiguous
                if alias in entry.case_sensitive:
                    key = fold(alias, keep_case=True)
                    cased.setdefault(key, []).append((entry.id, alias, ambiguous))
                else:
                    key = fold(alias)
                    if len(key) >= 2:
                        table.setdefault(key, []).append((entry.id, alias, ambiguous))
        for key, value in table.items():
            self._folded.add_word(key, (key, value))
        for key, value in cased.items():
            self._cased.add_word(key, (key, value))
        self._has_folded = bool(table)
        self._has_cased = bool(cased)
        if table:
            self._folded.make_automaton()
        if cased:
            self._cased.make_automaton()

    def find(self, text: str) -> list[GazMatch]:
        """Every gazetteer name in ``text``, non-overlapping, in order."""
        found: list[GazMatch] = []
        if self._has_folded:
            found += self._scan(text, self._folded, keep_case=False)
        if self._has_cased:
            found += [
                m
                for m in self._scan(text, self._cased, keep_case=True)
                if not _mostly_upper(text, m.start, m.end)
            ]
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen: list[GazMatch] = []
        last_end = -1
        for m in found:
            if m.start >= last_end:
                chosen.append(m)
                last_end = m.end
        if any(not m.ambiguous for m in chosen):
            return chosen
        return []

    def _scan(self, text: str, automaton: ahocorasick.Automaton, *, keep_case: bool) -> list[GazMatch]:
        folded = fold_with_map(text, keep_case=keep_case)
        ft = folded.text
        out: list[GazMatch] = []
        for end_index, (key, payloads) in automaton.iter(ft):
            start = end_index - len(key) + 1
            end = end_index + 1
            if end < len(ft) and _is_word(ft[end]) and _is_word(ft[end - 1]):
                continue
            if start > 0 and _is_word(ft[start - 1]) and _is_word(ft[start]):
                proclitic = ft[start - 1] in _PROCLITICS and (start == 1 or not _is_word(ft[start - 2]))
                if not proclitic:
                    continue
            o_start, o_end = folded.span(start, end)
            for entity_id, alias, ambiguous in payloads:
                entry = self.gazetteer.entries[entity_id]
                out.append(GazMatch(entry, alias, o_start, o_end, ambiguous))
        return out
