"""Counts and durations as news writes them: "at least 143", "more than 90", "fifty", "nearly
5,000", "a 41-minute message", "one minute and a half long".

Where it sits: used by the attack rules (deaths, injured) and the call rules (duration).
"""

from __future__ import annotations

import re

_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozens": 24,
    "a dozen": 12, "dozen": 12, "hundreds": 200,
}  # fmt: skip
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|"
    + "|".join(sorted((w for w in _WORDS if w not in {"a", "an"}), key=len, reverse=True))
    + r")"
)
QUALIFIER = (
    r"(?:at least|more than|over|nearly|almost|about|around|some|up to|fewer than|less than|approximately)"
)


def parse_number(text: str) -> int | None:
    """An integer from digits or an English number word (None when it is neither)."""
    t = text.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t)
    return _WORDS.get(t)


_DURATION = re.compile(
    r"\b(?:(?P<n>\d+|one|two|three|four|five|ten|a)[- ](?P<unit>minute|min|second|sec|hour)s?"
    r"(?P<half> and a half)?(?:[- ]long)?)\b",
    re.IGNORECASE,
)


def find_duration(text: str) -> tuple[int, int, int] | None:
    """(seconds, start, end) of the first duration such as "41-minute" or "one minute and a half"."""
    m = _DURATION.search(text)
    if m is None:
        return None
    n = parse_number(m.group("n")) or 0
    unit = m.group("unit").lower()
    seconds = n * (3600 if unit == "hour" else 60 if unit.startswith("min") else 1)
    if m.group("half"):
        seconds += 1800 if unit == "hour" else 30 if unit.startswith("min") else 0
    return (seconds, m.start(), m.end()) if seconds else None
