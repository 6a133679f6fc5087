"""The Kafka connector: a platform's message stream as raw items.

Each Kafka message is one item. A JSON object value may carry ``id``, ``text``, ``account_id``,
``chat_id``, ``author``, ``date`` (ISO 8601 or Unix seconds), ``title``, ``url`` and ``kind``; any other
value is taken as UTF-8 text. ``source`` is ``kafka:<topic>`` and ``source_id`` is the message's ``id``
(else its key, else ``<partition>:<offset>``), so redelivered messages are recognised as duplicates.
Offsets are committed only after the pipeline has stored a batch: at-least-once delivery with
idempotent writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from vigil.core.records import ContentKind, RawItem
from vigil.core.registry import Manifest
from vigil.ingest.base import Batch, Connector, Reject, now_utc
from vigil.ingest.clients.kafka import KafkaClient, KafkaMessage


def _when(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and value.replace(".", "", 1).isdigit()):
            return datetime.fromtimestamp(float(value), UTC)
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None


class KafkaConnector(Connector):
    name = "kafka"
    formats = ("kafka",)

    def fingerprint(self, target: str) -> str:
        return f"kafka:{target}"

    def fetch(self, target: str, checkpoint: str | None = None) -> Iterator[Batch]:
        """``target`` is a topic name (or comma-separated names); the consumer group keeps the position,
        so ``checkpoint`` is not needed."""
        opts = self.options
        client = opts.get("client") or KafkaClient(
            str(opts.get("bootstrap", "")), str(opts.get("group", "vigil")), opts.get("kafka_config")
        )
        topics = [t.strip() for t in target.split(",") if t.strip()]
        for messages in client.consume(
            topics,
            batch_size=self.settings.batch_size,
            idle_timeout_s=float(opts.get("idle_timeout_s", 30.0)),
            max_messages=opts.get("max_messages"),
        ):
            items: list[RawItem] = []
            rejects: list[Reject] = []
            for m in messages:
                item = self.to_raw(m)
                (rejects if isinstance(item, Reject) else items).append(item)  # type: ignore[arg-type]
            yield Batch(tuple(items), tuple(rejects), checkpoint=None)

    def to_raw(self, m: KafkaMessage) -> RawItem | Reject:
        source = f"kafka:{m.topic}"
        where = f"{m.topic}[{m.partition}]@{m.offset}"
        if self.bounded_payload(m.value) is None:
            return self.too_large(source, where, m.value)
        try:
            body = m.value.decode("utf-8")
        except UnicodeDecodeError:
            return Reject(source, where, "message is not UTF-8", m.value[:4096])
        record: Mapping[str, Any] = {}
        if body.lstrip().startswith("{"):
            try:
                parsed = json.loads(body)
            except json.JSONDecodeError as exc:
                return Reject(source, where, f"invalid JSON: {exc.msg} at column {exc.colno}", m.value[:4096])
            if not isinstance(parsed, dict):
                return Reject(source, where, "JSON message must be an object", m.value[:4096])
            record = parsed
            text = record.get("text")
            if not isinstance(text, str):
                return Reject(source, where, "JSON message has no string 'text' field", m.value[:4096])
        else:
            text = body
        key = m.key.decode("utf-8", "replace") if m.key else None
        source_id = str(record.get("id") or key or f"{m.partition}:{m.offset}")
        kind = ContentKind.ARTICLE if record.get("kind") == "article" else ContentKind.MESSAGE
        published = _when(record.get("date")) or (
            datetime.fromtimestamp(m.timestamp_ms / 1000, UTC) if m.timestamp_ms else None
        )
        return RawItem(
            source=source,
            source_id=source_id[:512],
            kind=kind,
            text=text,
            payload=m.value,
            connector=self.id,
            received_at=now_utc(),
            published_at=published,
            author=_str(record.get("author")),
            author_id=_str(record.get("account_id")),
            channel=_str(record.get("chat_id")),
            title=_str(record.get("title")),
            url=_str(record.get("url")),
            locator=where,
            meta={k: v for k, v in record.items() if k in ("surface", "lang", "reply_to")},
        )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)[:512]


MANIFEST = Manifest(connectors=(KafkaConnector,))
