"""The column map shared by the CSV and JSON Lines connectors: which column of a record is our text,
id, date, author ... and how one record becomes a `RawItem`.

Where it sits: `CsvConnector` and `JsonlConnector` read records (a dict per row or line) and hand each
to `ColumnMap.to_item`. The map comes from the ``columns`` option (``{"text": "tweets"}``, which
``vigil scan --column text=tweets`` fills) or, field by field, from the first common name present
(``COMMON_NAMES``). In JSON Lines a column may be a dotted path into nested objects (``user.name``).

``source_id`` is the id column when there is one, else a digest of the whole record, so reading the
same file twice yields the same ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vigil.core.errors import InvalidInput
from vigil.core.records import ContentKind, RawItem
from vigil.ingest.base import content_id
from vigil.ingest.dates import parse_date

FIELDS = ("text", "id", "date", "author", "author_id", "channel", "title", "url", "language")

# First match wins, so the order matters: in the Fifth Tribe tweets `tweets` is the text and
# `description` the account's profile; in GermEval `description` is the text.
COMMON_NAMES: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "tweet_unescaped", "tweet", "tweets", "tweet_text", "full_text", "message", "content",
             "body", "doctext", "post", "description", "comment"),
    "id": ("id", "row_id", "tweet_id", "docid", "message_id", "post_id", "guid"),
    "date": ("date", "time_iso", "created_at", "created_at_utc_from_id", "time", "timestamp", "datetime",
             "published", "published_at", "posted_at", "date_unixtime"),
    "author": ("username", "author", "user", "from", "screen_name", "user_name", "user_screen_name"),
    "author_id": ("author_id", "user_id", "from_id"),
    "channel": ("channel", "chat", "group", "channel_name", "board", "subreddit", "forum"),
    "title": ("title", "headline", "subject"),
    "url": ("url", "link", "permalink"),
    "language": ("language", "lang"),
}

KIND_NAMES = {"message": ContentKind.MESSAGE, "article": ContentKind.ARTICLE}


class RowError(ValueError):
    """A record that cannot become an item; the message says which field and why."""


def parse_column_option(value: object) -> dict[str, str]:
    """The ``columns`` option as ``{field: column}``; accepts a mapping or ``"text=tweets,id=row_id"``.

    Raises:
        InvalidInput: an unknown field or a malformed entry.
    """
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        pairs: Iterable[tuple[str, Any]] = (_pair(part) for part in value.split(",") if part.strip())
    elif isinstance(value, Mapping):
        pairs = value.items()
    elif isinstance(value, list | tuple):
        pairs = (_pair(str(part)) for part in value)
    else:
        raise InvalidInput(f"columns option {value!r} is not a map", hint="give it as text=COLUMN,id=COLUMN")
    out: dict[str, str] = {}
    for field, column in pairs:
        field, column = str(field).strip(), str(column).strip()
        if field not in FIELDS:
            raise InvalidInput(f"unknown column field {field!r}", hint="map one of: " + ", ".join(FIELDS))
        if not column:
            raise InvalidInput(f"column field {field!r} has no column name", hint=f"write it as {field}=COLUMN")
        out[field] = column
    return out


def _pair(part: str) -> tuple[str, str]:
    field, _, column = part.partition("=")
    return field, column


@dataclass(frozen=True)
class ColumnMap:
    """Where each of our fields is found in a record, and how to build the item.

    ``columns`` holds the fields mapped for the whole file (CSV header or explicit option); with
    ``per_record`` (JSON Lines without a header) the common names are looked up in each record.
    """

    columns: Mapping[str, str]
    explicit: frozenset[str]
    source: str
    connector: str
    kind: ContentKind = ContentKind.MESSAGE
    dayfirst: bool | None = None
    per_record: bool = False
    getter: Callable[[Mapping[str, Any], str], Any] | None = None

    @classmethod
    def for_header(cls, header: list[str], explicit: Mapping[str, str], **kw: Any) -> ColumnMap:
        """The map for a file with a header (CSV).

        Raises:
            InvalidInput: an explicitly mapped column is not in the header, or no text column exists.
        """
        present = set(header)
        for field, column in explicit.items():
            if column not in present:
                raise InvalidInput(
                    f"column {column!r} (mapped to {field}) is not in the header: {_listing(header)}",
                    hint=f"map {field} to one of the columns above, e.g. --column {field}=COLUMN",
                )
        columns = dict(explicit)
        for field, names in COMMON_NAMES.items():
            if field not in columns:
                found = next((name for name in names if name in present), None)
                if found is None:
                    lowered = {h.lower().strip(): h for h in header}
                    found = next((lowered[n] for n in names if n in lowered), None)
                if found is not None:
                    columns[field] = found
        if "text" not in columns:
            raise InvalidInput(
                f"no text column found among: {_listing(header)}",
                hint="say which column holds the text, e.g. --column text=COLUMN",
            )
        return cls(columns=columns, explicit=frozenset(explicit), **kw)

    def to_item(self, record: Mapping[str, Any], *, payload: bytes, locator: str, received_at: datetime) -> RawItem:
        """Build the item of one record.

        Raises:
            RowError: no text, text of the wrong type, or a mapped id that is empty.
        """
        get = self._value
        text = get(record, "text")
        if text is None or text == "":
            raise RowError(f"no text (looked in {self._where('text')})")
        if isinstance(text, dict | list):
            raise RowError(f"text field {self._where('text')} holds a {type(text).__name__}, not a string")
        text = str(text)
        meta: dict[str, Any] = {}
        raw_id = _scalar(get(record, "id"))
        if raw_id is None:
            if "id" in self.explicit:
                raise RowError(f"no id in column {self.columns['id']!r}")
            source_id = content_id(payload.decode("utf-8", "replace"))
            meta["id_from"] = "content"
        else:
            source_id = raw_id
        date_raw = get(record, "date")
        published = parse_date(date_raw, dayfirst=self.dayfirst) if date_raw not in (None, "") else None
        if date_raw not in (None, "") and published is None:
            meta["date_unparsed"] = str(date_raw)[:200]
        language = _scalar(get(record, "language"))
        if language:
            meta["language"] = language
        return RawItem(
            source=self.source,
            source_id=source_id,
            kind=self.kind,
            text=text,
            payload=payload,
            connector=self.connector,
            received_at=received_at,
            published_at=published,
            author=_scalar(get(record, "author")),
            author_id=_scalar(get(record, "author_id")),
            channel=_scalar(get(record, "channel")),
            title=_scalar(get(record, "title")),
            url=_scalar(get(record, "url")),
            locator=locator,
            meta=meta,
        )

    def _value(self, record: Mapping[str, Any], field: str) -> Any:
        column = self.columns.get(field)
        getter = self.getter or _plain_get
        if column is not None:
            return getter(record, column)
        if self.per_record and field not in self.explicit:
            for name in COMMON_NAMES[field]:
                if name in record:
                    return record[name]
        return None

    def _where(self, field: str) -> str:
        if field in self.columns:
            return repr(self.columns[field])
        return "columns " + ", ".join(COMMON_NAMES[field])


def _plain_get(record: Mapping[str, Any], column: str) -> Any:
    return record.get(column)


def dotted_get(record: Mapping[str, Any], column: str) -> Any:
    """``record["user"]["name"]`` for ``user.name``; a key that itself contains dots wins."""
    if column in record:
        return record[column]
    value: Any = record
    for part in column.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _scalar(value: Any) -> str | None:
    """A field value as a string, or None when it is empty or not a scalar (a nested object)."""
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip() if not isinstance(value, bool) else str(value).lower()
    return text or None


def _listing(header: list[str]) -> str:
    shown = ", ".join(repr(h) for h in header[:30])
    return shown + (f" ... ({len(header)} columns)" if len(header) > 30 else "")


def parse_kind(value: object) -> ContentKind:
    if value is None or value == "":
        return ContentKind.MESSAGE
    kind = KIND_NAMES.get(str(value).strip().lower())
    if kind is None:
        raise InvalidInput(f"unknown kind {value!r}", hint="use kind=message or kind=article")
    return kind


def parse_dayfirst(value: object) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on", "dmy"}
    return bool(value)
