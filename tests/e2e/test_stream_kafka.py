"""Stream mode against a real Kafka-compatible broker (Tansu, started by scripts/kafka-start):
consumer groups, offsets committed only after storing (at-least-once), idempotent writes, one
decision per message on the output topic."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest

from vigil.core.settings import Settings
from vigil.ingest.clients.kafka import KafkaClient
from vigil.ingest.kafka import KafkaConnector
from vigil.pipeline import Pipeline, ScanReport
from vigil.store.sql import SqlStore
from vigil.stream import StreamRunner

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def create_topic(bootstrap: str, name: str) -> None:
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})  # must outlive the futures
    for f in admin.create_topics([NewTopic(name, num_partitions=1, replication_factor=1)]).values():
        f.result(30)


def read_all(bootstrap: str, topic: str, expected: int, timeout_s: float = 90) -> list[dict]:
    from confluent_kafka import Consumer

    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "reader-" + uuid.uuid4().hex, "auto.offset.reset": "earliest"})
    c.subscribe([topic])
    out, deadline = [], time.monotonic() + timeout_s
    while len(out) < expected and time.monotonic() < deadline:
        m = c.poll(1.0)
        if m is not None and not m.error():
            out.append(json.loads(m.value()))
    c.close()
    return out


def test_stream_consumes_stores_and_publishes_at_least_once(kafka_bootstrap: str, tmp_path: Path) -> None:
    topic = "vigil-test-" + uuid.uuid4().hex[:8]
    out_topic = topic + "-decisions"
    create_topic(kafka_bootstrap, topic)
    create_topic(kafka_bootstrap, out_topic)
    client = KafkaClient(kafka_bootstrap, "vigil-" + topic)
    for i in range(23):
        msg = {"id": f"m{i}", "text": f"message number {i}", "account_id": f"acct{i % 5}", "chat_id": "chat1",
               "date": "2024-03-28T10:00:00Z"}
        client.produce(topic, msg["id"], json.dumps(msg).encode())
    client.produce(topic, "bad1", b'{"id": "bad1", "text": ')
    client.produce(topic, "bad2", b'{"id": "bad2", "text": 42}')
    client.flush()

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'v.db'}", batch_size=10)
    store = SqlStore(settings)
    report = StreamRunner(settings, store, client, out_topic).run([topic], idle_timeout_s=60, max_messages=25)
    assert (report.new, report.quarantined) == (23, 2)
    stats = store.stats()
    assert stats["items"] == 23 and stats["quarantine_open"] == 2
    item = store.list_items(__import__("vigil.store.base", fromlist=["ItemFilter"]).ItemFilter(limit=1))[0]
    assert item["source"] == f"kafka:{topic}" and item["channel"] == "chat1"

    # A consumer that dies after storing a batch but before committing its offsets: the batch is
    # delivered again to the group, recognised as duplicates, and its decisions re-published.
    for i in range(23, 28):
        client.produce(topic, f"m{i}", json.dumps({"id": f"m{i}", "text": f"late {i}"}).encode())
    client.flush()
    crashing = KafkaConnector(settings, {"client": KafkaClient(kafka_bootstrap, "vigil-" + topic),
                                         "idle_timeout_s": 60, "max_messages": 5})
    batches = crashing.fetch(topic)
    first = next(batches)
    Pipeline(settings, store).ingest_batch(first, ScanReport())
    batches.close()  # dies here: no commit
    assert store.stats()["items"] == 23 + len(first.items)

    again = StreamRunner(settings, store, client, out_topic).run([topic], idle_timeout_s=60, max_messages=5)
    assert again.duplicates == len(first.items)
    assert again.new == 5 - len(first.items)
    assert store.stats()["items"] == 28
    # one decision per message of each run: 23, then 5 (new ones and re-published duplicates)
    decisions = read_all(kafka_bootstrap, out_topic, 23 + 5)
    assert sorted(d["id"] for d in decisions) == sorted(f"m{i}" for i in range(28))
    assert all(d["action"] == "allow" for d in decisions)
    store.close()
