"""Datetimes as the bulk writer hands them to SQLite: UTC, as SQLAlchemy's own type writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from vigil.store.bulk import BulkWriter


@pytest.mark.parametrize(
    "value",
    [
        datetime(2024, 3, 22, 18, 5, 7, 123456, tzinfo=UTC),
        datetime(2024, 3, 22, 18, 5, 7, tzinfo=UTC),  # no microseconds: still six digits
        datetime(9, 1, 2, 3, 4, 5, tzinfo=UTC),  # a year below 1000: still four digits
        datetime(2024, 3, 22, 21, 5, 7, 1, tzinfo=timezone(timedelta(hours=3))),
        datetime(2024, 3, 22, 18, 5, 7, 1),  # naive: taken as UTC
    ],
)
def test_bulk_sqlite_datetime_text_is_utc_like_sqlalchemy(value: datetime) -> None:
    from sqlalchemy.dialects import sqlite

    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    sqlalchemy_text = sqlite.DATETIME().bind_processor(sqlite.dialect())(utc.replace(tzinfo=None))
    assert BulkWriter("sqlite")._datetime(value) == sqlalchemy_text


def test_bulk_postgres_datetime_stays_a_utc_datetime() -> None:
    value = datetime(2024, 3, 22, 21, 0, tzinfo=timezone(timedelta(hours=3)))
    assert BulkWriter("postgresql")._datetime(value) == datetime(2024, 3, 22, 18, 0, tzinfo=UTC)
    assert BulkWriter("postgresql")._datetime(value).tzinfo is UTC


def test_bulk_encode_datetime_remembers_only_the_same_object() -> None:
    bulk = BulkWriter("sqlite")
    a = datetime(2024, 3, 22, 18, 0, tzinfo=UTC)
    b = datetime(2024, 3, 22, 19, 0, tzinfo=UTC)
    assert [bulk.encode_datetime(v) for v in (a, a, b, None, a)] == [
        "2024-03-22 18:00:00.000000", "2024-03-22 18:00:00.000000", "2024-03-22 19:00:00.000000", None,
        "2024-03-22 18:00:00.000000"]
