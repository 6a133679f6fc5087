"""Page furniture: the parts of a scraped article that are not the article.

Comment widgets ("Leave a Reply", "Notify of", "View all comments"), share buttons, rating widgets and
donation footers sit around the text that the article connector extracts. They carry no framing, and
some look like calls to action ("Subscribe", "Support MEMRI", "donations are tax-deductible"), so the
context stage masks them before it looks for quotes, cues or the author's voice.

Two rules: a *tail marker* (the start of a comment section) masks everything after it, because comment
sections follow the article; a *line pattern* masks one short line wherever it is.
"""

from __future__ import annotations

import re

# The start of a comment section: everything from here on is widgets or readers' comments.
_TAIL_MARKERS = re.compile(
    r"^[ \t]*(?:leave a reply|leave a comment|\d+ comments?|notify of|subscribe to comments|"
    r"your email address will not be published|please let us know if you're having issues with commenting|"
    r"view all comments|comments are closed|join the discussion|post a comment|kommentare?|"
    r"schreibe einen kommentar|laisser un commentaire|deja un comentario)\b",
    re.IGNORECASE | re.MULTILINE,
)

# Single lines of widgets and footers, masked wherever they appear.
_LINE_PATTERNS = re.compile(
    r"^[ \t]*(?:share this(?: news| article| story)?|share on (?:facebook|twitter|whatsapp)|"
    r"\d* ?\d* ?votes?|article rating|subscribe|oldest|newest|most voted|newest most voted|inline feedbacks|"
    r"guest|read more|related(?: articles| posts| stories)?:?|advertisement|sponsored|click here.*|"
    r"sign up for .*|follow us on .*|help fight extremism.*|.*all donations are tax-deductible.*|"
    r"memri is a 501\(c\)3 organization.*|a screenshot of .*description automatically generated|"
    r"print|email|tweet|whatsapp|facebook|telegram|copy link)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)

# Only the last part of a long text may hold a comment section; a marker in the first half of an
# article is more likely a quoted phrase than a widget.
_TAIL_SEARCH_FROM = 0.5


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are page furniture, sorted and non-overlapping."""
    spans: list[tuple[int, int]] = []
    tail_start = len(text)
    if len(text) > 400:  # a tweet has no comment section
        marker = _TAIL_MARKERS.search(text, int(len(text) * _TAIL_SEARCH_FROM))
        if marker is not None:
            tail_start = marker.start()
    for match in _LINE_PATTERNS.finditer(text, 0, tail_start):
        if len(text) > 400 or match.end() - match.start() < len(text):
            spans.append((match.start(), match.end()))
    if tail_start < len(text):
        spans.append((tail_start, len(text)))
    return spans


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span replaced by spaces (offsets unchanged)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
