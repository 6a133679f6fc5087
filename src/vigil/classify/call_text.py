"""Text into sentences of words for the call grammar (`vigil.classify.calls`), and the cheap test that
decides whether a message is parsed at all.

Where it sits: `calls.find_calls` calls `worth_parsing` on every message the lexicon scores, then
`sentences` on the few that pass. Offsets are those of the text given (the folded text), so evidence
maps back through the normalize stage's aligner like the lexicon's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.classify.call_grammar import CallGrammar

TOKEN = re.compile(r"[#@]?\w+|\.{2,}|…|[.!?;:,\n—–]|(?<=\s)-(?=\s)")
STRONG = frozenset(".!?;\n")
CLAUSE = frozenset(":—–")
PUNCT = frozenset(".!?;:,\n—–…")


@dataclass(slots=True)
class Sentence:
    """One sentence as the grammar reads it: its words (punctuation marks that shape clauses are words
    too), the forms each word may take (an Arabic word also without its clitics), their offsets, and
    whether it ends in a question mark."""

    words: list[str]
    forms: list[tuple[str, ...]]
    starts: list[int]
    ends: list[int]
    question: bool


def worth_parsing(g: CallGrammar, view: str) -> bool:
    """A cheap test run on every message: a violent verb and a possible object must both be there.
    Latin words must stand whole; Arabic and Cyrillic ones may carry clitics and endings, and their
    objects can be attached to the verb, so a verb alone suffices there."""
    found = 0
    for last, (length, kind) in g.prefilter.iter(view):
        start = last - length + 1
        if view[start].isascii():
            if (start > 0 and view[start - 1].isalnum()) or (last + 1 < len(view) and view[last + 1].isalnum()):
                continue
        elif kind & 1:
            return True
        found |= kind
        if found == 3:
            return True
    return False


def hard_wrapped(view: str) -> bool:
    """A document broken into lines of similar length (wire copy, MUC): its single newlines are spaces."""
    lines = view.split("\n")
    if len(lines) < 4:
        return False
    lengths = sorted(len(line) for line in lines if line.strip())
    return bool(lengths) and lengths[len(lengths) // 2] >= 50


def sentences(g: CallGrammar, view: str) -> list[Sentence]:
    out: list[Sentence] = []
    cur = Sentence([], [], [], [], False)
    wrapped = "\n" in view and hard_wrapped(view)
    for m in TOKEN.finditer(view):
        tok = m.group()
        if tok == "\n" and wrapped and not view.startswith("\n", m.end()):
            continue  # a line break inside a paragraph of wrapped text
        if tok[0] in "#@":  # a hashtag or handle is a label on the post, never part of a clause
            tok = "#"
        elif tok[0] == "." and len(tok) > 1:
            tok = "…"  # an ellipsis trails off; it does not open a clause
        elif tok == "-":
            tok = "—"  # a spaced hyphen is a dash
        cur.words.append(tok)
        cur.forms.append(g.forms(tok) if tok not in PUNCT else (tok,))
        cur.starts.append(m.start())
        cur.ends.append(m.end())
        if tok in STRONG:
            cur.question = tok == "?"
            out.append(cur)
            cur = Sentence([], [], [], [], False)
    if cur.words:
        out.append(cur)
    return out


def reported(g: CallGrammar, sentence: str) -> bool:
    """Whether a sentence (lexicon view) holds a reporting word: "said", "according to", "reportedly"."""
    words = TOKEN.findall(sentence)
    forms = [g.forms(w) for w in words]
    return any(g.reporting.at(forms, k, len(words)) for k in range(len(words)))
