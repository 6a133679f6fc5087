"""Find the quoted spans of a text: the words its author attributes to someone else.

Handled: straight and curly double quotes, German „…“ and »…«, guillemets «…», single quotes where
they quote (not apostrophes: "Russia's" is not a quote), backticks (some sites render quotation marks
as `…`), CJK brackets 「…」『…』《…》〈…〉, the ornate parentheses ﴾…﴿ around Qur'anic verses, block
quotes after a colon ("The post ended:" + a paragraph; "X tells Y: <speech>" in a headline) and lines
starting with ">". Quotes do not cross a blank line, except that an opening mark at the start of a
paragraph with no closing mark runs to the paragraph's end (news style for long quotes).

Offsets are into the text given (``Item.normalized``); `QuoteSpan.start/end` delimit the quoted words
without their marks. Nested quotes are dropped in favour of the outer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.context.verbs import speech_verbs

MAX_QUOTE_CHARS = 4000
MAX_QUOTES = 300

# opening mark -> closing marks
_PAIRED: dict[str, str] = {
    "“": "”",
    "„": "“”",
    "‚": "‘’",
    "«": "»",
    "‹": "›",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "﴾": "﴿",
    "﴿": "﴾",
}
_SYMMETRIC = {'"', "`", "”", "»"}  # » opens a German »…« quote; ” is used both ways by some sites
_SINGLE = {"'", "‘"}
_SINGLE_CLOSE = {"'", "’"}
_SYMMETRIC_CLOSE = {'"': '"', "`": "`", "”": "”", "»": "«"}

_OPEN_PUNCT = set("([{—–-:;,/")
_CLOSE_PUNCT = set(")]}.,;:!?—–-/…\"'”’»")

_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_BLOCK_LINE = re.compile(r"^[ \t]*>[ \t]?(.+)$", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_LABEL_BEFORE_COLON = re.compile(
    r"\b(?:photo|photos|image|video|source|sources|credit|update|updated|breaking|note|read|watch|via|edit)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    start: int  # first character of the quoted words
    end: int  # one past the last quoted character
    mark: str  # the opening mark, ":" for speech after a colon, ">" for a block line


def _at(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _opens_after(ch: str) -> bool:
    """A quote may open after this character (start of text, space, opening punctuation)."""
    return ch == "" or ch.isspace() or ch in _OPEN_PUNCT


def _closes_before(ch: str) -> bool:
    """A quote may close before this character (end of text, space, closing punctuation)."""
    return ch == "" or ch.isspace() or ch in _CLOSE_PUNCT


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 1 or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return start, min(end, start + MAX_QUOTE_CHARS)


_MARKS = re.compile("[" + re.escape("".join(sorted(set(_PAIRED) | _SYMMETRIC | _SINGLE))) + "]")
_PAIRED_CLOSERS = {opener: re.compile("[" + re.escape(closers) + "]") for opener, closers in _PAIRED.items()}
_SYMMETRIC_CLOSERS = {
    '"': re.compile('"'),
    "`": re.compile("`"),
    "”": re.compile('[”"]'),
    "»": re.compile("«"),
}
_SINGLE_CLOSERS = re.compile("['’\n]")


def _close_single(text: str, i: int, stop: int) -> int | None:
    """Closing single quote for an opening one at ``i``: followed by a non-letter, never inside a word."""
    for match in _SINGLE_CLOSERS.finditer(text, i + 1, stop):
        j = match.start()
        if text[j] == "\n":
            return None
        if _closes_before(_at(text, j + 1)) and not _at(text, j - 1).isspace():
            return j
    return None


def _add(text: str, start: int, end: int, mark: str, out: list[QuoteSpan]) -> None:
    span = _trimmed(text, start, end)
    if span:
        out.append(QuoteSpan(span[0], span[1], mark))


def _scan_paragraph(text: str, start: int, stop: int, out: list[QuoteSpan]) -> None:
    """Quotes inside ``text[start:stop]``, jumping from one quotation mark to the next."""
    position = start
    while len(out) < MAX_QUOTES:
        mark = _MARKS.search(text, position, stop)
        if mark is None:
            return
        i = mark.start()
        ch = text[i]
        position = i + 1
        opening_position = i == start or _opens_after(_at(text, i - 1))
        if ch in _PAIRED and (ch != "﴿" or opening_position):
            closing = _PAIRED_CLOSERS[ch].search(text, i + 1, stop)
            if closing is not None:
                _add(text, i + 1, closing.start(), ch, out)
                position = closing.end()
            elif not text[start:i].strip():
                _add(text, i + 1, stop, ch, out)  # a long quote whose closing mark ends the paragraph
                return
            continue
        if ch in _SYMMETRIC and opening_position and not _at(text, i + 1).isspace():
            j = None
            for closing in _SYMMETRIC_CLOSERS[ch].finditer(text, i + 1, stop):
                if _closes_before(_at(text, closing.start() + 1)):
                    j = closing.start()
                    break
            if j is not None:
                _add(text, i + 1, j, ch, out)
                position = j + 1
                continue
            if i == start and ch != "»":
                _add(text, i + 1, stop, ch, out)
                return
        if ch in _SINGLE and opening_position and _at(text, i + 1).isalpha():
            j = _close_single(text, i, stop)
            if j is not None and j - i > 2:
                _add(text, i + 1, j, ch, out)
                position = j + 1


def _colon_speech(text: str, paragraphs: list[tuple[int, int]], out: list[QuoteSpan]) -> None:
    """Speech introduced by a colon: "X tells Y: <words>" and "The post ended:" + next paragraph."""
    for index, (start, stop) in enumerate(paragraphs):
        for line_match in re.finditer(r"[^\n]+", text[start:stop]):
            line_start = start + line_match.start()
            line = line_match.group()
            colon = line.find(":")
            if colon < 0 or not _speech_before_colon(line, colon):
                continue
            after = line_start + colon + 1
            rest = text[after : start + line_match.end()]
            if rest.strip():
                if rest.lstrip()[:1] in _PAIRED or rest.lstrip()[:1] in _SYMMETRIC:
                    continue  # the quote marks that follow are found by the scan
                end_match = _SENTENCE_END.search(text, after, start + line_match.end())
                end = start + line_match.end() if end_match is None else end_match.start()
                span = _trimmed(text, after, end)
                if span:
                    out.append(QuoteSpan(span[0], span[1], ":"))
            elif index + 1 < len(paragraphs) and line_start + len(line.rstrip()) >= stop - 1:
                nxt_start, nxt_stop = paragraphs[index + 1]
                first = text[nxt_start:nxt_stop].lstrip()[:1]
                if first and first not in _PAIRED and first not in _SYMMETRIC and first not in _SINGLE:
                    span = _trimmed(text, nxt_start, nxt_stop)
                    if span:
                        out.append(QuoteSpan(span[0], span[1], ":"))


def _speech_before_colon(line: str, colon: int) -> bool:
    """A verb of speech in the clause just before the colon ("X tells Y:", "the post ended:"), not a
    label such as "(Photo:" or "Source:"."""
    clause_start = max(line.rfind(ch, 0, colon) for ch in "(.;!?") + 1
    label = _LABEL_BEFORE_COLON.search(line, 0, colon)
    if label is not None and label.end() == colon:
        return False
    return any(len(line[m.end() : colon].split()) <= 8 for m in speech_verbs(line, clause_start, colon))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def find_quotes(text: str) -> list[QuoteSpan]:
    """Quoted spans in ``text``, in order, outermost only."""
    paragraphs = _paragraphs(text)
    found: list[QuoteSpan] = []
    for start, stop in paragraphs:
        _scan_paragraph(text, start, stop, found)
    _colon_speech(text, paragraphs, found)
    for match in _BLOCK_LINE.finditer(text):
        span = _trimmed(text, match.start(1), match.end(1))
        if span:
            found.append(QuoteSpan(span[0], span[1], ">"))
    found.sort(key=lambda q: (q.start, -q.end))
    outer: list[QuoteSpan] = []
    for quote in found:
        if outer and quote.start < outer[-1].end + 1:
            continue  # nested in (or overlapping) the previous quote
        outer.append(quote)
    return outer[:MAX_QUOTES]
