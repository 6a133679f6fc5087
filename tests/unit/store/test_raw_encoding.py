"""A raw item's row as the bulk writer inserts it: every stored column, JSON as JSON text, datetimes
in UTC the way each dialect takes them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.helpers.connectors import raw
from vigil.core.records import MediaRef
from vigil.store.bulk import BulkWriter
from vigil.store.codec import RAW_COLUMNS, raw_values
from vigil.store.schema import raw_items


def test_raw_columns_are_every_column_a_raw_item_fills() -> None:
    assert set(RAW_COLUMNS) == set(raw_items.c.keys()) - {"id", "status"}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_raw_values_encode_each_column(dialect: str) -> None:
    bulk = BulkWriter(dialect)
    item = raw(
        "42", "hello", channel="Chan", author="a", author_id="user1", reply_to="41", forwarded_from="Other",
        published_at=datetime(2024, 3, 22, 21, 0, tzinfo=timezone(timedelta(hours=3))),
        media=(MediaRef("photo", path="photos/p.jpg", size=3, digests={"sha256": "ab"}),),
        meta={"views": 3, "chat_type": "public_channel"}, locator="f.json#messages[0]",
    )
    row = dict(zip(RAW_COLUMNS, raw_values(item, bulk.encode_datetime), strict=True))
    assert (row["source"], row["source_id"], row["kind"], row["connector"]) == ("test", "42", "message", "list.v1")
    assert (row["channel"], row["author"], row["author_id"], row["reply_to"], row["forwarded_from"]) == (
        "Chan", "a", "user1", "41", "Other")
    assert row["text"] == "hello" and row["payload"] == item.payload and row["locator"] == "f.json#messages[0]"
    assert json.loads(row["media"]) == [{"kind": "photo", "path": "photos/p.jpg", "size": 3, "digests": {"sha256": "ab"}}]
    assert json.loads(row["meta"]) == {"views": 3, "chat_type": "public_channel"}
    assert row["edited_at"] is None
    if dialect == "sqlite":
        assert row["published_at"] == "2024-03-22 18:00:00.000000"
        assert row["received_at"] == "2024-03-29 00:00:00.000000"
    else:
        assert row["published_at"] == datetime(2024, 3, 22, 18, 0, tzinfo=UTC)


def test_raw_values_leave_empty_media_and_meta_null() -> None:
    row = dict(zip(RAW_COLUMNS, raw_values(raw("1", "x"), BulkWriter("sqlite").encode_datetime), strict=True))
    assert (row["media"], row["meta"], row["published_at"]) == (None, None, None)
