"""Page furniture: the comment widgets, share buttons, rating boxes, "Read More" links and donation
footers that article scrapers leave in the text.

None of it is said by anyone, so none of it may become an entity or a fact ("Leave a Reply" is not a
person, "Support MEMRI" is not a call). `furniture_spans` finds those lines; `mask` blanks them with
spaces of the same length, so NER and the event rules run on the rest while every offset still
points into ``Item.normalized``.

Where it sits: the first step of extraction, before the gazetteer, spaCy and the event rules.
"""

from __future__ import annotations

import re

# Whole lines that are furniture wherever they appear (matched case-insensitively after trimming).
_LINE_PATTERNS = [
    r"leave a (reply|comment)",
    r"(share|tweet|email|print|pin) (this|it)( (news|article|story|post|page))?",
    r"share( on)? (facebook|twitter|x|whatsapp|telegram|linkedin|reddit)",
    r"(\d+ )*\d+ votes?",
    r"article rating",
    r"subscribe( now| to our newsletter)?",
    r"notify of",
    r"guest",
    r"\d+ comments?",
    r"(oldest|newest|most voted)( (oldest|newest|most voted))*",
    r"inline feedbacks?",
    r"view all comments",
    r"load more comments",
    r"read more( \W*)?",
    r"continue reading",
    r"related (articles|posts|stories|news)",
    r"advertisement",
    r"your email address will not be published\.?( required fields are marked \*?)?",
    r"required fields are marked \*?",
    r"please let us know if you'?re having issues with commenting\.?",
    r"follow [\w .'-]{2,40} on (twitter|x|facebook|instagram)\b.*",
    r"(help fight extremism|support (memri|us|our work))\b.*",
    r".*\bdonations? (are|is) tax[- ]deductible\b.*",
    r".*\bis a 501\s*\(c\)\s*\(?3\)? organization\b.*",
    r"(donate|donate now|make a donation)",
    r"(a )?screenshot of a [\w ]+description automatically generated",
    r".*\bdescription automatically generated\b.*",
    r"(photo|image|credit): [^.]{0,60}",
    r"tags?: .{0,120}",
    r"(previous|next) (article|post)\b.*",
]
_LINE = re.compile(r"^\s*(?:" + "|".join(_LINE_PATTERNS) + r")\s*$", re.IGNORECASE)

# Lines that open a trailing furniture block: everything short after them is furniture too.
_TAIL_OPENERS = re.compile(
    r"^\s*(leave a (reply|comment)|share this( news| article| story)?|\d+ comments?|read more|"
    r"help fight extremism\b.*|subscribe|related (articles|posts|stories))\s*$",
    re.IGNORECASE,
)
_TAIL_MAX_LINE = 90  # a longer line after an opener is article text again (e.g. an author note)


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of furniture lines in ``text``."""
    spans: list[tuple[int, int]] = []
    in_tail = False
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        start, end = pos, pos + len(body)
        pos += len(line)
        if not body.strip():
            continue
        if _TAIL_OPENERS.match(body):
            in_tail = True
            spans.append((start, end))
        elif _LINE.match(body) or (in_tail and len(body.strip()) <= _TAIL_MAX_LINE):
            spans.append((start, end))
        else:
            in_tail = False
    return spans


def mask(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """``text`` with furniture replaced by spaces (same length, so offsets are unchanged)."""
    spans = furniture_spans(text) if spans is None else spans
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def is_furniture(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)
