"""The feed connector: an RSS or Atom file, one ARTICLE item per entry, parsed by feedparser.

Where it sits: ``vigil scan news.rss`` ─► FeedConnector.fetch ─► Batch ─► store.

feedparser is handed a byte stream read from the file, never a string: given a string it would treat
an ``http://`` value as a URL to download, and any other value as a path to open. Entry links are
recorded in ``url`` and never fetched. External XML entities stay off (feedparser disables them).

``source`` = ``feed:<file name>`` (option ``source``), ``source_id`` = the entry's id (guid), else its
link, else a digest of its title and text. The text is the title, then the content (or summary) with
its HTML stripped.

Options: ``source``; ``max_feed_bytes`` (default 64 MiB): feedparser reads a feed whole, so larger files
are refused.
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from vigil.core.errors import InputTooLarge, InvalidInput
from vigil.core.records import ContentKind, RawItem
from vigil.core.registry import Manifest
from vigil.ingest.base import Batch, Connector, Reject, content_id, dumps, now_utc
from vigil.ingest.batching import BatchBuilder
from vigil.ingest.html_text import html_to_text

_DEFAULT_MAX_FEED = 64 * 1024 * 1024
_FEED_START = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_ENTRY_FIELDS = ("id", "link", "title", "author", "published", "updated", "summary", "content", "tags")


class FeedConnector(Connector):
    name = "feed"
    formats = ("feed",)
    extensions = (".rss", ".atom", ".xml")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> int:
        suffix = path.suffix.lower()
        looks_like_feed = _FEED_START.search(head[:8192]) is not None
        if looks_like_feed and suffix in cls.extensions:
            return 90
        if suffix in (".rss", ".atom"):
            return 60
        return 40 if looks_like_feed and suffix == "" else 0

    def fetch(self, target: str, checkpoint: str | None = None) -> Iterator[Batch]:
        path = self.check_file(target)
        skip_to = _parse_checkpoint(checkpoint)
        limit = int(self.options.get("max_feed_bytes", _DEFAULT_MAX_FEED))
        size = path.stat().st_size
        if size > limit:
            raise InputTooLarge(str(path), size, limit, "max_feed_bytes")
        parsed = feedparser.parse(io.BytesIO(path.read_bytes()), resolve_relative_uris=False)
        entries = parsed.get("entries") or []
        if not entries and (parsed.get("bozo") or not parsed.get("version")):
            problem = parsed.get("bozo_exception") or "no <rss>, <feed> or <rdf:RDF> element"
            raise InvalidInput(f"{path}: not an RSS or Atom feed ({problem})", hint="check the file, or choose another --format")
        source = str(self.options.get("source") or f"feed:{path.name}")
        feed_meta = parsed.get("feed") or {}
        channel = _clean(feed_meta.get("title")) or None
        builder = BatchBuilder(self.settings.batch_size)
        received = now_utc()
        for index, entry in enumerate(entries):
            if index < skip_to:
                continue
            self._entry(path, index, entry, source, channel, builder, received, bool(parsed.get("bozo")))
            if builder.full:
                yield builder.take(f"feed1:{index + 1}")
        if builder.pending:
            yield builder.take(f"feed1:{len(entries)}")

    def _entry(self, path: Path, index: int, entry: Mapping[str, Any], source: str, channel: str | None,
               builder: BatchBuilder, received: datetime, bozo: bool) -> None:
        locator = f"{path}#entry[{index}]"
        payload = dumps({key: entry[key] for key in _ENTRY_FIELDS if key in entry})
        if self.bounded_payload(payload) is None:
            builder.reject(self.too_large(source, locator, payload))
            return
        title = _clean(entry.get("title"))
        body = _body(entry)
        if not title and not body:
            builder.reject(Reject(source, locator, "entry has neither a title nor any text", payload))
            return
        text = body if not title or body.startswith(title) else f"{title}\n\n{body}" if body else title
        link = entry.get("link") if isinstance(entry.get("link"), str) else None
        entry_id = entry.get("id") if isinstance(entry.get("id"), str) and entry.get("id") else None
        meta: dict[str, Any] = {}
        tags = [t.get("term") for t in entry.get("tags") or [] if isinstance(t, Mapping) and t.get("term")]
        if tags:
            meta["tags"] = tags[:50]
        if bozo:
            meta["feed_warning"] = "the feed is not well-formed XML; read leniently"
        builder.add(
            RawItem(
                source=source,
                source_id=entry_id or link or content_id(title, body),
                kind=ContentKind.ARTICLE,
                text=text,
                payload=payload,
                connector=self.id,
                received_at=received,
                published_at=_date(entry),
                author=_clean(entry.get("author")) or None,
                channel=channel,
                title=title or None,
                url=link,
                locator=locator,
                meta=meta,
            )
        )


def _body(entry: Mapping[str, Any]) -> str:
    contents = [c.get("value") for c in entry.get("content") or [] if isinstance(c, Mapping)]
    best = max((c for c in contents if isinstance(c, str)), key=len, default="")
    if not best and isinstance(entry.get("summary"), str):
        best = entry["summary"]
    return html_to_text(best) if best else ""


def _date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)  # feedparser gives UTC struct_time
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _clean(value: object) -> str:
    return html_to_text(value) if isinstance(value, str) else ""


def _parse_checkpoint(checkpoint: str | None) -> int:
    if not checkpoint:
        return 0
    if checkpoint.startswith("feed1:") and checkpoint[6:].isdigit():
        return int(checkpoint[6:])
    raise InvalidInput(
        f"checkpoint {checkpoint!r} was not written by the feed connector",
        hint="scan the file without a checkpoint (re-reading is idempotent)",
    )


MANIFEST = Manifest(connectors=(FeedConnector,))
