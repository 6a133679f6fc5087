"""Lenient date parsing for connectors: whatever a file calls a date becomes a UTC datetime, or None.

Where it sits: the CSV, JSON Lines, article and feed connectors call `parse_date` on the date field of a
record before building its `RawItem`. An unparseable date never rejects a record; the caller keeps the
raw string in ``meta``.

Why our own and not ``dateutil.parser``: dateutil guesses at anything ("5" is a date, fuzzy mode reads
dates out of prose) and its day/month order is one global flag. Connectors read attacker-written files
and need a small set of explicit, testable forms:

  * unix seconds (or milliseconds), as numbers or digit strings;
  * ISO 8601 (``2015-01-06T21:07``, ``2018-06-08T10:23:20Z``, ``2024-03-22 20:16:00+03:00``);
  * numeric day/month/year with an optional time (``1/6/2015 21:07``, ``19/5/19``, ``25.03.2024``):
    the order is read from the values when one of them is over 12, else from ``dayfirst``
    (default month first, as in the Fifth Tribe tweets);
  * month names (``March 25, 2024``, ``25 Mar 2024 10:00``);
  * RFC 2822 (``Mon, 25 Mar 2024 10:00:00 +0000``) and Twitter's ``Wed Oct 10 20:19:24 +0000 2018``.

Naive values are taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

# Timestamps outside this window are not dates but ids, counters or garbage.
_MIN = datetime(1970, 1, 1, tzinfo=UTC)
_MAX = datetime(2100, 1, 1, tzinfo=UTC)
_MAX_LEN = 64  # longer strings are not dates; bounds the regex work on attacker input

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_TIME = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?"
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + r"\s*(?:Z|UTC|GMT)?")
_MONTH_FIRST = re.compile(r"(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME)
_DAY_FIRST = re.compile(r"(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})" + _TIME)
_TWITTER = re.compile(r"[A-Za-z]{3} ([A-Za-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})")
_DIGITS = re.compile(r"-?\d{1,14}(?:\.\d+)?")


def parse_date(value: object, *, dayfirst: bool | None = None) -> datetime | None:
    """``value`` as an aware UTC datetime, or None when it is not a date this module knows.

    Args:
        value: a string, an int or float (unix seconds or milliseconds), or a datetime.
        dayfirst: how to read an ambiguous numeric date such as ``1/6/2015``; None or False reads
            it month first. Unambiguous values (``19/5/19``) are read by their values either way.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_LEN:
        return None
    if _DIGITS.fullmatch(text):
        return _from_digits(text)
    for parse in (_iso, _twitter, _rfc2822):
        found = parse(text)
        if found is not None:
            return found
    return _numeric(text, dayfirst) or _named_month(text)


def _utc(value: datetime) -> datetime | None:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        value = value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return value if _MIN <= value < _MAX else None


def _from_epoch(seconds: float) -> datetime | None:
    if abs(seconds) < 1e8:  # before March 1973: a year, a count or an id, not a timestamp
        return None
    if abs(seconds) > 1e11:  # milliseconds since the epoch (JavaScript, Twitter snowflake dates)
        seconds /= 1000.0
    try:
        return _utc(datetime.fromtimestamp(seconds, UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _from_digits(text: str) -> datetime | None:
    if len(text) == 8 and text[:2] in ("19", "20"):  # 20240322
        try:
            return _utc(datetime.strptime(text, "%Y%m%d"))
        except ValueError:
            pass
    return _from_epoch(float(text))


def _iso(text: str) -> datetime | None:
    if not text[:4].isdigit() or len(text) < 8:
        return None
    candidate = text[:-1] + "+00:00" if text[-1] in "Zz" else text
    candidate = candidate.replace(" UTC", "+00:00")
    try:
        return _utc(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    if "," not in text and not text[:3].isalpha():
        return None
    try:
        found = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return _utc(found) if found is not None else None


def _twitter(text: str) -> datetime | None:
    m = _TWITTER.fullmatch(text)
    if not m:
        return None
    month = _MONTHS.get(m.group(1).lower())
    if month is None:
        return None
    sign = 1 if m.group(6)[0] == "+" else -1
    offset = timedelta(hours=int(m.group(6)[1:3]), minutes=int(m.group(6)[3:5])) * sign
    try:
        found = datetime(
            int(m.group(7)), month, int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)),
            tzinfo=timezone(offset),
        )
    except ValueError:
        return None
    return _utc(found)


def _numeric(text: str, dayfirst: bool | None) -> datetime | None:
    m = _NUMERIC.fullmatch(text)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 and b <= 12:
        day, month = a, b
    elif b > 12 and a <= 12:
        month, day = a, b
    elif dayfirst:
        day, month = a, b
    else:
        month, day = a, b
    return _build(_year(m.group(3)), month, day, m.group(4), m.group(5), m.group(6), m.group(7))


def _named_month(text: str) -> datetime | None:
    m = _MONTH_FIRST.fullmatch(text)
    if m:
        month, day, year = _MONTHS.get(m.group(1).lower()), int(m.group(2)), int(m.group(3))
    else:
        m = _DAY_FIRST.fullmatch(text)
        if not m:
            return None
        day, month, year = int(m.group(1)), _MONTHS.get(m.group(2).lower()), int(m.group(3))
    if month is None:
        return None
    return _build(year, month, day, m.group(4), m.group(5), m.group(6), m.group(7))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _build(
    year: int, month: int, day: int, hour: str | None, minute: str | None, second: str | None, ampm: str | None
) -> datetime | None:
    h = int(hour) if hour else 0
    if ampm:
        if h > 12 or h == 0:
            return None
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        return _utc(datetime(year, month, day, h, int(minute or 0), int(second or 0)))
    except ValueError:
        return None
