"""A thin client over confluent-kafka: consume in batches with manual offset commits, and produce.

Kept apart from the connector (`vigil.ingest.kafka`) so the mapping of messages to records never
touches broker details. confluent-kafka errors are translated to `SourceError` here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from vigil.core.errors import SourceError


@dataclass(frozen=True, slots=True)
class KafkaMessage:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    timestamp_ms: int | None


def _kafka() -> Any:
    try:
        import confluent_kafka
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise SourceError("confluent-kafka is not installed", hint="pip install confluent-kafka") from exc
    return confluent_kafka


class KafkaClient:
    """Consumes one or more topics as a member of a consumer group; offsets are committed only when
    the caller says the batch is safely stored (at-least-once delivery)."""

    def __init__(self, bootstrap: str, group: str, extra: Mapping[str, Any] | None = None) -> None:
        if not bootstrap:
            raise SourceError("no Kafka bootstrap servers given", hint="pass --bootstrap HOST:PORT or set VIGIL_KAFKA_BOOTSTRAP")
        self.bootstrap = bootstrap
        self.group = group
        self.extra = dict(extra or {})
        self._consumer: Any = None
        self._producer: Any = None

    def consume(
        self, topics: list[str], batch_size: int, idle_timeout_s: float, max_messages: int | None = None
    ) -> Iterator[list[KafkaMessage]]:
        """Yield batches until ``idle_timeout_s`` passes with no message or ``max_messages`` are read.
        Offsets of a batch are committed when the caller asks for the next batch."""
        ck = _kafka()
        conf = {
            "bootstrap.servers": self.bootstrap,
            "group.id": self.group,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            **self.extra,
        }
        self._consumer = consumer = ck.Consumer(conf)
        consumer.subscribe(topics)
        seen = 0
        try:
            idle_since = time.monotonic()
            while max_messages is None or seen < max_messages:
                want = batch_size if max_messages is None else min(batch_size, max_messages - seen)
                messages = consumer.consume(num_messages=want, timeout=1.0)
                batch = []
                for m in messages:
                    if m.error():
                        if m.error().code() == ck.KafkaError._PARTITION_EOF:
                            continue
                        raise SourceError(f"Kafka error on {m.topic()}: {m.error()}", hint="check the broker and topic")
                    ts_type, ts = m.timestamp()
                    batch.append(KafkaMessage(m.topic(), m.partition(), m.offset(), m.key(), m.value() or b"",
                                              ts if ts_type != ck.TIMESTAMP_NOT_AVAILABLE else None))
                if not batch:
                    if time.monotonic() - idle_since > idle_timeout_s:
                        return
                    continue
                idle_since = time.monotonic()
                seen += len(batch)
                yield batch
                consumer.commit(asynchronous=False)  # the caller stored the batch: now it may be skipped
        except ck.KafkaException as exc:
            raise SourceError(f"Kafka at {self.bootstrap} failed: {exc}", hint="check that the broker is running") from exc
        finally:
            consumer.close()
            self._consumer = None

    def produce(self, topic: str, key: str, value: bytes) -> None:
        ck = _kafka()
        if self._producer is None:
            self._producer = ck.Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 5})
        while True:
            try:
                self._producer.produce(topic, key=key.encode(), value=value)
                break
            except BufferError:
                self._producer.poll(0.1)
        self._producer.poll(0)

    def flush(self, timeout_s: float = 30.0) -> None:
        if self._producer is not None:
            left = self._producer.flush(timeout_s)
            if left:
                raise SourceError(f"{left} Kafka messages not delivered to {self.bootstrap}", hint="check the broker")
