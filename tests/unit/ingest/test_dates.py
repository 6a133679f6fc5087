from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vigil.ingest.dates import parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-01-06T21:07", datetime(2015, 1, 6, 21, 7)),
        ("2018-06-08T10:23:20Z", datetime(2018, 6, 8, 10, 23, 20)),
        ("2024-03-22 20:16:00+03:00", datetime(2024, 3, 22, 17, 16)),
        ("1/6/2015 21:07", datetime(2015, 1, 6, 21, 7)),  # Fifth Tribe: M/D/YYYY H:MM
        ("12/25/2015 9:05 PM", datetime(2015, 12, 25, 21, 5)),
        ("19/5/19", datetime(2019, 5, 19)),  # isextreme: D/M/YY, unambiguous
        ("25.03.2024", datetime(2024, 3, 25)),
        ("1711138560", datetime(2024, 3, 22, 20, 16)),
        (1711138560, datetime(2024, 3, 22, 20, 16)),
        (1711138560000, datetime(2024, 3, 22, 20, 16)),  # milliseconds
        ("20240322", datetime(2024, 3, 22)),
        ("March 25, 2024", datetime(2024, 3, 25)),
        ("25 Mar 2024 10:00", datetime(2024, 3, 25, 10, 0)),
        ("Mon, 25 Mar 2024 10:00:00 +0200", datetime(2024, 3, 25, 8, 0)),
        ("Wed Oct 10 20:19:24 +0000 2018", datetime(2018, 10, 10, 20, 19, 24)),
    ],
)
def test_dates_parse_to_utc(value: object, expected: datetime) -> None:
    assert parse_date(value) == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "garbage", "2024", 2024, True, "13/13/2020", "31/2/2020", "x" * 500, [1], "99:99"])
def test_dates_unparseable_give_none(value: object) -> None:
    assert parse_date(value) is None


def test_dates_ambiguous_order_follows_dayfirst() -> None:
    assert parse_date("1/5/19") == datetime(2019, 1, 5, tzinfo=UTC)
    assert parse_date("1/5/19", dayfirst=True) == datetime(2019, 5, 1, tzinfo=UTC)
    assert parse_date("19/5/19", dayfirst=False) == datetime(2019, 5, 19, tzinfo=UTC)  # values decide
