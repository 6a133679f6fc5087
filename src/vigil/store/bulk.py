"""Driver-level writes for the scan and send-time hot paths.

SQLAlchemy Core's executemany runs every bound value through its type processors (JSON encoding,
datetime conversion) in Python, which cost more than everything else in a scan together (measured:
~240 µs of ~400 µs per message on SQLite). Here rows are encoded once, by column type, and handed to
the DBAPI cursor directly: ``sqlite3`` executes them in C, psycopg pipelines them. The encodings match
what SQLAlchemy itself writes, so reads through the Core tables see the same values.

The send-time path (`/v1/moderate`) runs a handful of single-row statements per request: through
SQLAlchemy each costs ~60-100 µs of Python (execution context, bind and result processors) for ~5 µs
of SQLite work; `insert_one`, `fetch` and `execute` run them on the DBAPI cursor of the same
connection, inside the caller's transaction (figures: ``bench/bench_api.py``, README).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import closing
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table

from vigil.core.jsonenc import dumps_str
from vigil.store.types import UtcDateTime


def _json(value: Any) -> str | None:
    if value is None:
        return None
    if not value and isinstance(value, list | tuple | dict):
        return "{}" if isinstance(value, dict) else "[]"
    return dumps_str(value)


class BulkWriter:
    _shared: dict[str, BulkWriter] = {}

    @classmethod
    def for_dialect(cls, dialect: str) -> BulkWriter:
        """One writer per dialect, so statements are rendered once per process."""
        writer = cls._shared.get(dialect)
        if writer is None:
            writer = cls._shared[dialect] = cls(dialect)
        return writer

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.mark = "?" if dialect == "sqlite" else "%s"
        self._sql: dict[tuple[str, tuple[str, ...], str], str] = {}
        self._encoder_cache: dict[tuple[str, tuple[str, ...]], list[Any]] = {}
        self._marked: dict[str, str] = {}
        self._last_datetime: tuple[datetime | None, Any] = (None, None)

    def _encoder(self, table: Table, column: str) -> Any:
        ctype = table.c[column].type
        if isinstance(ctype, UtcDateTime):
            return self._datetime
        if ctype.__class__.__name__ in {"JSON", "JSONB"} or getattr(ctype, "impl", None).__class__.__name__ == "JSON":
            return _json
        return None

    def encode_datetime(self, value: datetime | None) -> Any:
        """A datetime as this dialect's driver takes it for a `UtcDateTime` column. The last one is
        remembered: a scan stamps every item with the same ``received_at`` object. (One immutable
        pair, swapped whole, so threads sharing the writer never see a half-updated one.)"""
        last = self._last_datetime
        if value is last[0] and value is not None:
            return last[1]
        out = self._datetime(value)
        self._last_datetime = (value, out)
        return out

    def _datetime(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value.tzinfo is UTC and self.dialect == "sqlite":  # most values: no conversion, no copy
            return value.isoformat(" ", "microseconds")[:26]  # drop the "+00:00"
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        # the text SQLAlchemy writes for a DateTime on SQLite (4-digit year), in a third of the time
        return value.replace(tzinfo=None).isoformat(" ", "microseconds") if self.dialect == "sqlite" else value

    def _encoders(self, table: Table, columns: tuple[str, ...]) -> list[Any]:
        key = (table.name, columns)
        encoders = self._encoder_cache.get(key)
        if encoders is None:
            encoders = self._encoder_cache[key] = [self._encoder(table, c) for c in columns]
        return encoders

    def encode(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        columns = tuple(rows[0])
        encoders = self._encoders(table, columns)
        if len(rows) == 1:
            row = rows[0]
            return columns, [tuple(row[c] if enc is None else enc(row[c]) for c, enc in zip(columns, encoders, strict=True))]
        # Column-wise, so one value shared by every row (the versions map of a batch) is encoded once.
        encoded_columns = []
        for c, enc in zip(columns, encoders, strict=True):
            values = [row[c] for row in rows]
            if enc is not None:
                last_in: Any = object()
                last_out: Any = None
                out_values = []
                for v in values:
                    if v is not last_in:
                        last_in, last_out = v, enc(v)
                    out_values.append(last_out)
                values = out_values
            encoded_columns.append(values)
        return columns, list(zip(*encoded_columns, strict=True))

    def _statement(self, table: Table, columns: tuple[str, ...], suffix: str) -> str:
        key = (table.name, columns, suffix)
        sql = self._sql.get(key)
        if sql is None:
            marks = []
            for c in columns:
                is_json = self._encoder(table, c) is _json
                marks.append(f"CAST({self.mark} AS jsonb)" if is_json and self.dialect == "postgresql" else self.mark)
            sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(marks)}){suffix}"
            self._sql[key] = sql
        return sql

    def sql(self, text: str) -> str:
        """``text`` written with ``?`` placeholders, in this dialect's paramstyle."""
        if self.mark == "?":
            return text
        out = self._marked.get(text)
        if out is None:
            out = self._marked[text] = text.replace("?", self.mark)
        return out

    @staticmethod
    def _cursor(conn: Connection) -> closing[Any]:
        """A DBAPI cursor of ``conn``'s connection (same transaction), closed when the block ends."""
        return closing(conn.connection.driver_connection.cursor())  # type: ignore[union-attr]

    def fetch(self, conn: Connection, text: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a ``?``-placeholder query, run on the driver (values as the driver returns them:
        decode datetimes with `types.utc_from_db`)."""
        with self._cursor(conn) as cursor:
            cursor.execute(self.sql(text), tuple(params))
            return [tuple(r) for r in cursor.fetchall()]

    def execute(self, conn: Connection, text: str, params: Sequence[Any] = ()) -> int:
        """Run a ``?``-placeholder statement on the driver; returns the row count."""
        with self._cursor(conn) as cursor:
            cursor.execute(self.sql(text), tuple(params))
            return int(cursor.rowcount)

    def execute_many(self, conn: Connection, text: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run a ``?``-placeholder statement once per row, in one driver call."""
        if not rows:
            return
        with self._cursor(conn) as cursor:
            cursor.executemany(self.sql(text), rows)

    def insert_one(self, conn: Connection, table: Table, row: Mapping[str, Any], suffix: str = "") -> int | None:
        """Insert one row (``suffix``: e.g. an ON CONFLICT clause); returns its ``id`` when the table
        has one, None when the row was skipped or the table has no ``id``."""
        columns, [values] = self.encode(table, [row])
        has_id = "id" in table.c and "id" not in columns
        returning = " RETURNING id" if has_id and self.dialect != "sqlite" else ""
        with self._cursor(conn) as cursor:
            cursor.execute(self._statement(table, columns, suffix + returning), values)
            if not has_id:
                return None
            if self.dialect == "sqlite":
                return int(cursor.lastrowid) if cursor.rowcount == 1 else None
            got = cursor.fetchone()
            return int(got[0]) if got else None

    def insert(self, conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self.insert_encoded(conn, table, *self.encode(table, rows))

    def insert_encoded(self, conn: Connection, table: Table, columns: tuple[str, ...], values: list[tuple[Any, ...]]) -> None:
        """Insert rows that `encode` prepared (possibly in another process)."""
        if not values:
            return
        with self._cursor(conn) as cursor:
            cursor.executemany(self._statement(table, columns, ""), values)

    def insert_values_returning_keys(
        self, conn: Connection, table: Table, columns: tuple[str, ...], values: Sequence[tuple[Any, ...]],
        conflict: tuple[str, ...],
    ) -> list[tuple[Any, ...]]:
        """Insert rows already encoded in ``columns`` order, skipping those that conflict on
        ``conflict`` (columns among ``columns``, as plain values); return (id, *conflict) of the rows
        inserted."""
        if not values:
            return []
        at = [columns.index(c) for c in conflict]
        suffix = f" ON CONFLICT ({', '.join(conflict)}) DO NOTHING RETURNING id, {', '.join(conflict)}"
        sql = self._statement(table, columns, suffix)
        out: list[tuple[Any, ...]] = []
        with self._cursor(conn) as cursor:
            if self.dialect == "sqlite":
                # sqlite3 cannot return rows from executemany, and one execute per row costs more than
                # the insert itself. So: note the highest id, insert in one C loop, and read back the
                # rows above it that carry our keys (rowids only grow). A concurrent writer's rows
                # above the mark are filtered out by key.
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table.name}")
                mark = cursor.fetchone()[0]
                plain = sql.split(" RETURNING ", 1)[0]
                cursor.executemany(plain, values)
                if cursor.rowcount == len(values):
                    # Every row went in (none skipped as a conflict). Their ids are all above the mark
                    # and distinct; if the highest is mark + n, they are exactly mark+1 .. mark+n, in
                    # insert order (nobody else's row can sit in that range), so reading them back is
                    # not needed. Otherwise (another writer, AUTOINCREMENT gaps) read them back.
                    cursor.execute(f"SELECT max(id) FROM {table.name}")
                    if cursor.fetchone()[0] == mark + len(values):
                        return [(mark + 1 + i, *(row[j] for j in at)) for i, row in enumerate(values)]
                keys = {tuple(row[j] for j in at) for row in values}
                cursor.execute(f"SELECT id, {', '.join(conflict)} FROM {table.name} WHERE id > ? ORDER BY id", (mark,))
                out = [r for r in cursor.fetchall() if tuple(r[1:]) in keys]
            else:
                cursor.executemany(sql, values, returning=True)
                while True:
                    out.extend(cursor.fetchall())
                    if not cursor.nextset():
                        break
        return [tuple(r) for r in out]
