"""The article connector: one file = one ARTICLE item. HTML goes through trafilatura (main text, title,
date, author; comment sections, share buttons and navigation dropped); plain text is kept as it is.

Where it sits: ``vigil scan report.html notes.txt`` ─► ArticleConnector.fetch ─► Batch ─► store.

``source`` = ``article`` (option ``source``), ``source_id`` = the file's name, so the same file scanned
again is the same item. Nothing is fetched: trafilatura is given the HTML string and no URL; a
canonical URL found in the page is recorded in ``url`` and never opened.

A ``.txt`` file's title is its first non-empty line; a line near the top that is only a date (``March
25, 2024``) gives ``published_at``.

Options: ``source``; ``max_html_bytes`` (default 16 MiB): HTML up to this size is read (pages carry
scripts and styles); the stored payload is the original when within ``max_item_bytes``, else a short
JSON record of the file, since the extracted text is kept in the item anyway.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vigil.core.errors import InputTooLarge, InvalidInput
from vigil.core.records import ContentKind, RawItem
from vigil.core.registry import Manifest
from vigil.ingest.base import Batch, Connector, Reject, dumps, now_utc
from vigil.ingest.dates import parse_date
from vigil.ingest.html_text import html_to_text

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text")
_DEFAULT_MAX_HTML = 16 * 1024 * 1024
_TITLE_CHARS = 300
_DATE_LINES = 8  # a date line is looked for among the first lines of a .txt article
_DATE_PARAMS = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


class ArticleConnector(Connector):
    name = "article"
    formats = ("article",)
    extensions = HTML_SUFFIXES + TEXT_SUFFIXES

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> int:
        suffix = path.suffix.lower()
        if suffix in HTML_SUFFIXES:
            return 80
        if suffix in TEXT_SUFFIXES:
            return 70
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return 60
        return 0

    def fetch(self, target: str, checkpoint: str | None = None) -> Iterator[Batch]:
        path = self.check_file(target)
        if checkpoint == f"article1:{path.name}":
            return  # this one file was read already
        source = str(self.options.get("source") or "article")
        locator = str(path)
        is_html = path.suffix.lower() in HTML_SUFFIXES or (
            path.suffix.lower() not in TEXT_SUFFIXES and self.sniff(path, _head(path)) > 0
        )
        limit = int(self.options.get("max_html_bytes", _DEFAULT_MAX_HTML)) if is_html else self.settings.max_item_bytes
        size = path.stat().st_size
        if size > limit:
            payload = _read_head(path, 4096)
            yield Batch((), (self._over(source, locator, size, limit, payload, is_html),), f"article1:{path.name}")
            return
        data = path.read_bytes()
        try:
            item = self._html(path, data, source) if is_html else self._text(path, data, source)
        except ValueError as exc:
            yield Batch((), (Reject(source, locator, str(exc), data[:4096]),), f"article1:{path.name}")
            return
        yield Batch((item,), (), f"article1:{path.name}")

    def _over(self, source: str, locator: str, size: int, limit: int, head: bytes, is_html: bool) -> Reject:
        setting = "max_html_bytes" if is_html else "max_item_bytes"
        reason = f"article file is {size:,} bytes, over {setting}={limit:,}"
        return Reject(source, locator, reason, head, code=InputTooLarge.code)

    def _text(self, path: Path, data: bytes, source: str) -> RawItem:
        text = decode_text(data)
        if not text.strip():
            raise ValueError("the file holds no text")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        published = None
        for line in lines[1 : 1 + _DATE_LINES]:
            published = parse_date(line)
            if published is not None:
                break
        return self._item(path, source, text, data, title=lines[0][:_TITLE_CHARS], published=published, meta={})

    def _html(self, path: Path, data: bytes, source: str) -> RawItem:
        markup = decode_text(data)
        import trafilatura  # here, not at the top: ~0.16 s to import, and every `vigil` command loads this plugin

        # No url argument: trafilatura then has nothing it could fetch, and never does.
        doc = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=_DATE_PARAMS,
        )
        meta: dict[str, Any] = {"format": "html"}
        found: dict[str, Any] = {}
        if doc is not None:
            found = doc if isinstance(doc, dict) else doc.as_dict()
        text = found.get("text") or ""
        if not text.strip():
            text = html_to_text(markup)
            meta["extraction"] = "fallback: whole page text, trafilatura found no main text"
        if not text.strip():
            raise ValueError("no text found in the HTML page")
        for key in ("sitename", "hostname", "description", "categories", "tags", "language"):
            if found.get(key):
                meta[key] = found[key]
        title = (found.get("title") or next((line for line in text.splitlines() if line.strip()), ""))[:_TITLE_CHARS]
        payload = data if self.bounded_payload(data) is not None else _summary(path, data, title)
        return self._item(
            path, source, text, payload,
            title=title, published=parse_date(found.get("date")), meta=meta,
            author=found.get("author") or None, url=found.get("url") or None,
        )

    def _item(self, path: Path, source: str, text: str, payload: bytes, *, title: str, published: Any,
              meta: dict[str, Any], author: str | None = None, url: str | None = None) -> RawItem:
        return RawItem(
            source=source,
            source_id=path.name,
            kind=ContentKind.ARTICLE,
            text=text,
            payload=payload,
            connector=self.id,
            received_at=now_utc(),
            published_at=published,
            author=author,
            title=title or None,
            url=url,
            locator=str(path),
            meta=meta,
        )


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM skipped), else the encoding charset_normalizer finds most likely."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes  # here: only a file that is not UTF-8 needs it

        best = from_bytes(data).best()
        if best is None:
            return data.decode("utf-8", "replace")
        return str(best)


def _summary(path: Path, data: bytes, title: str) -> bytes:
    return dumps(
        {"file": path.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "title": title,
         "note": "the original is over max_item_bytes and is not stored; the item holds its extracted text"}
    )


def _head(path: Path) -> bytes:
    return _read_head(path, 65536)


def _read_head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror})", hint="check the file's permissions") from exc


MANIFEST = Manifest(connectors=(ArticleConnector,))
