"""Relative dates resolve against the item's own date; unresolvable ones say so."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers.extract import item
from vigil.extract.dates import dateline_date, find_dates, item_anchor, resolve

FRIDAY = date(2024, 3, 29)


@pytest.mark.parametrize(
    ("expression", "value", "granularity"),
    [
        ("last Friday", "2024-03-22", "day"),
        ("on Thursday", "2024-03-28", "day"),
        ("Friday", "2024-03-29", "day"),
        ("next Monday", "2024-04-01", "day"),
        ("yesterday", "2024-03-28", "day"),
        ("on March 28", "2024-03-28", "day"),
        ("22 March 2024", "2024-03-22", "day"),
        ("on December 30", "2023-12-30", "day"),
        ("2 days ago", "2024-03-27", "day"),
        ("last week", "2024-03-18/2024-03-24", "week"),
        ("earlier this week", "2024-03-25/2024-03-29", "week"),
        ("last month", "2024-02", "month"),
        ("last January", "2024-01", "month"),
        ("in September 2018", "2018-09", "month"),
        ("since 2015", "2015", "year"),
        ("4 FEB 90", "1990-02-04", "day"),
    ],
)
def test_dates_resolve_against_anchor(expression: str, value: str, granularity: str) -> None:
    got = resolve(expression, FRIDAY)
    assert (got.value, got.resolved, got.granularity) == (value, True, granularity)


def test_dates_unresolvable_marked() -> None:
    got = resolve("last Friday", None)
    assert got.resolved is False and got.value is None and got.expression == "last Friday"
    partial = resolve("on March 28", None)
    assert partial.resolved is False and partial.value == "--03-28"
    assert resolve("soon", FRIDAY).resolved is False


def test_dates_found_with_offsets() -> None:
    text = "The call came on Thursday, less than a week after the attack last Friday."
    found = find_dates(text, FRIDAY)
    assert [(text[d.start : d.end], d.value) for d in found] == [
        ("on Thursday", "2024-03-28"),
        ("last Friday", "2024-03-22"),
    ]


def test_dates_dateline() -> None:
    assert dateline_date("   SAN SALVADOR, 4 FEB 90 (ACAN-EFE) -- [TEXT] THE ARMY") == date(1990, 2, 4)
    assert dateline_date("Headline of the post\n\nMarch 25, 2024\n\nOn March 24, 2024, a channel") == date(
        2024, 3, 25
    )
    assert dateline_date("Troops advanced on October 5, 2017, after retaking the city.") is None  # a caption


def test_dates_item_anchor_prefers_published_at() -> None:
    assert item_anchor(item("March 25, 2024\n\ntext", "2024-03-29")) == (FRIDAY, "published_at")
    assert item_anchor(item("March 25, 2024\n\ntext")) == (date(2024, 3, 25), "dateline")
    assert item_anchor(item("no date here")) == (None, "none")
