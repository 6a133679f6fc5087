"""Date expressions in news and channel posts, resolved against the item's own date.

Reports say "last Friday", "on Thursday", "last week", "on March 28", "4 FEB 90". Such an
expression only means a day once we know when the item was written: `item_anchor` takes
``RawItem.published_at`` or, failing that, a date in the text's dateline (its first lines), and
`resolve` turns an expression into an ISO date (day ``2024-03-22``, month ``2024-03``, year
``2024`` or week interval ``2024-03-18/2024-03-24``). An expression that cannot be resolved keeps
its text and is marked ``resolved=False`` (a month and day without a known year keeps the ISO
partial form ``--03-28``).

Where it sits: the event extractors call it for every date they attach to an attack or a call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from vigil.core.records import Item

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "several": None, "few": None}  # fmt: skip

_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WD = r"(?P<wd>" + "|".join(_WEEKDAYS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d|'?\d\d)"
_NUM = r"(?P<num>\d+|" + "|".join(_NUMBERS) + r")"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.IGNORECASE))
    for name, rx in (
        ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
        (
            "month_day",
            r"\b(?:on )?" + _MON + r" " + _DAY + r"(?:,? " + _YEAR.replace("|'?\\d\\d", "") + r")?\b",
        ),
        ("day_month", r"\b(?:on )?(?:the )?" + _DAY + r" (?:of )?" + _MON + r"(?:,? " + _YEAR + r")?\b"),
        (
            "month_year",
            r"\b(?:in |since |the end of |early |late |mid-?)?" + _MON + r",? (?P<year>(?:19|20)\d\d)\b",
        ),
        ("last_month", r"\blast " + _MON + r"\b"),
        ("weekday", r"\b(?:(?P<rel>last|this|next|on|earlier on|late on|early on) )?" + _WD + r"\b"),
        ("ago", r"\b" + _NUM + r" (?P<unit>day|week|month|year)s? ago\b"),
        (
            "relative",
            r"\b(?P<rel>yesterday|today|tonight|last night|this morning|this afternoon|this evening|"
            r"(?:earlier )?this week|last week|next week|last month|this month|last year|this year|"
            r"earlier this (?:week|month|year))\b",
        ),
        ("year", r"\b(?:in|since|of|during) (?P<year>(?:19|20)\d\d)\b"),
    )
)


@dataclass(frozen=True, slots=True)
class DateValue:
    expression: str
    value: str | None
    resolved: bool
    granularity: str | None = None  # day | week | month | year
    start: int | None = None  # offsets of the expression in the text it was found in
    end: int | None = None

    def fields(self, prefix: str = "date") -> dict[str, Any]:
        return {
            prefix: self.value,
            f"{prefix}_resolved": self.resolved,
            f"{prefix}_expression": self.expression,
            f"{prefix}_granularity": self.granularity,
        }


def _year(raw: str | None, anchor: date | None) -> int | None:
    if not raw:
        return None
    raw = raw.lstrip("'")
    if len(raw) == 2:
        value = int(raw)
        return 1900 + value if value > 30 else 2000 + value
    return int(raw)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_span(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _week(anchor: date, weeks_back: int) -> str:
    monday = anchor - timedelta(days=anchor.weekday()) - timedelta(weeks=weeks_back)
    end = monday + timedelta(days=6)
    if weeks_back == 0:
        end = anchor
    return f"{monday.isoformat()}/{end.isoformat()}"


def _day_month(m: re.Match[str], anchor: date | None, expr: str) -> DateValue:
    month = _MONTHS[m.group("mon").lower().rstrip(".")]
    day = int(m.group("day"))
    year = _year(m.groupdict().get("year"), anchor)
    if not 1 <= day <= 31:
        return DateValue(expr, None, False)
    if year is None and anchor is not None:
        year = anchor.year
        guess = _safe_date(year, month, day)
        if guess and guess > anchor + timedelta(days=2):  # "on March 28" in a January report
            year -= 1
    if year is None:
        return DateValue(expr, f"--{month:02d}-{day:02d}", False, "day")
    found = _safe_date(year, month, day)
    return DateValue(expr, found.isoformat() if found else None, found is not None, "day")


def _weekday(m: re.Match[str], anchor: date | None, expr: str) -> DateValue:
    if anchor is None:
        return DateValue(expr, None, False, "day")
    target = _WEEKDAYS[m.group("wd").lower()]
    rel = (m.group("rel") or "").lower()
    back = (anchor.weekday() - target) % 7
    if rel == "next":
        ahead = (target - anchor.weekday()) % 7 or 7
        return DateValue(expr, (anchor + timedelta(days=ahead)).isoformat(), True, "day")
    if rel == "last" and back == 0:
        back = 7
    return DateValue(expr, (anchor - timedelta(days=back)).isoformat(), True, "day")


def _relative(rel: str, anchor: date | None, expr: str) -> DateValue:
    if anchor is None:
        gran = "week" if "week" in rel else "month" if "month" in rel else "year" if "year" in rel else "day"
        return DateValue(expr, None, False, gran)
    if rel in {"today", "tonight", "this morning", "this afternoon", "this evening"}:
        return DateValue(expr, anchor.isoformat(), True, "day")
    if rel in {"yesterday", "last night"}:
        return DateValue(expr, (anchor - timedelta(days=1)).isoformat(), True, "day")
    if rel.endswith("this week"):
        return DateValue(expr, _week(anchor, 0), True, "week")
    if rel == "last week":
        return DateValue(expr, _week(anchor, 1), True, "week")
    if rel == "next week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=1)
        return DateValue(
            expr, f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}", True, "week"
        )
    if rel.endswith("this month"):
        return DateValue(expr, _month_span(anchor.year, anchor.month), True, "month")
    if rel == "last month":
        y, mo = (anchor.year, anchor.month - 1) if anchor.month > 1 else (anchor.year - 1, 12)
        return DateValue(expr, _month_span(y, mo), True, "month")
    if rel.endswith("this year"):
        return DateValue(expr, f"{anchor.year:04d}", True, "year")
    if rel == "last year":
        return DateValue(expr, f"{anchor.year - 1:04d}", True, "year")
    return DateValue(expr, None, False)


def _from_match(kind: str, m: re.Match[str], anchor: date | None) -> DateValue:
    expr = m.group(0)
    if kind == "iso":
        found = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return DateValue(expr, found.isoformat() if found else None, found is not None, "day")
    if kind in {"month_day", "day_month"}:
        return _day_month(m, anchor, expr)
    if kind == "month_year":
        return DateValue(
            expr,
            _month_span(int(m.group("year")), _MONTHS[m.group("mon").lower().rstrip(".")]),
            True,
            "month",
        )
    if kind == "last_month":
        if anchor is None:
            return DateValue(expr, None, False, "month")
        month = _MONTHS[m.group("mon").lower().rstrip(".")]
        year = anchor.year if month < anchor.month else anchor.year - 1
        return DateValue(expr, _month_span(year, month), True, "month")
    if kind == "weekday":
        return _weekday(m, anchor, expr)
    if kind == "ago":
        count = _NUMBERS.get(m.group("num").lower()) if not m.group("num").isdigit() else int(m.group("num"))
        unit = m.group("unit").lower()
        if anchor is None or count is None:
            return DateValue(expr, None, False, unit)
        if unit == "day":
            return DateValue(expr, (anchor - timedelta(days=count)).isoformat(), True, "day")
        if unit == "week":
            return DateValue(
                expr, _week(anchor - timedelta(weeks=count), 0 if count else 1).split("/")[0], True, "week"
            )
        if unit == "month":
            total = anchor.year * 12 + anchor.month - 1 - count
            return DateValue(expr, _month_span(total // 12, total % 12 + 1), True, "month")
        return DateValue(expr, f"{anchor.year - count:04d}", True, "year")
    if kind == "relative":
        return _relative(m.group("rel").lower(), anchor, expr)
    return DateValue(expr, m.group("year"), True, "year")


def find_dates(text: str, anchor: date | None, limit: int = 200) -> list[DateValue]:
    """Date expressions in ``text`` (non-overlapping, longest first at each place), resolved."""
    found: list[tuple[int, int, DateValue]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            if kind == "day_month" and m.group("day") in {"0", "00"}:
                continue
            if kind == "weekday" and m.group(0)[0].islower() and not m.group("rel"):
                continue  # "friday" lower-case without a cue is rarely a date in prose
            found.append((m.start(), m.end(), _from_match(kind, m, anchor)))
            if len(found) >= limit * 4:
                break
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[DateValue] = []
    last_end = -1
    for start, end, value in found:
        if start >= last_end:
            out.append(
                DateValue(value.expression, value.value, value.resolved, value.granularity, start, end)
            )
            last_end = end
    return out[:limit]


def resolve(expression: str, anchor: date | None) -> DateValue:
    """One date expression resolved against ``anchor`` (unresolved when nothing in it is a date)."""
    dates = find_dates(expression, anchor, limit=1)
    if not dates:
        return DateValue(expression, None, False)
    d = dates[0]
    return DateValue(expression, d.value, d.resolved, d.granularity)


_DATELINE_CHARS = 400


_DATELINE = re.compile(r"^\s*[A-Z][\w .'’-]{1,40}, (?P<rest>.{6,30})")
_DATELINE_LINE_CHARS = 40
_DATELINE_LINES = 12


def _full_day(text: str) -> date | None:
    for value in find_dates(text, None, limit=3):
        if value.resolved and value.granularity == "day" and value.value and (value.start or 0) < 4:
            return date.fromisoformat(value.value)
    return None


def dateline_date(text: str) -> date | None:
    """The item's date from its dateline: a short line near the top that is a full date
    ("March 25, 2024"), or a wire dateline ("SAN SALVADOR, 4 FEB 90 (ACAN-EFE) --"). Dates inside
    captions or sentences are not datelines."""
    head = text[:_DATELINE_CHARS]
    if (m := _DATELINE.match(head)) and (found := _full_day(m.group("rest"))):
        return found
    for line in head.splitlines()[:_DATELINE_LINES]:
        stripped = line.strip()
        if stripped and len(stripped) <= _DATELINE_LINE_CHARS and (found := _full_day(stripped)):
            return found
    return None


def item_anchor(item: Item) -> tuple[date | None, str]:
    """The date the item was written, and where it came from (published_at | dateline | none)."""
    if item.raw.published_at is not None:
        return item.raw.published_at.date(), "published_at"
    found = dateline_date(item.normalized)
    if found is not None:
        return found, "dateline"
    return None, "none"
