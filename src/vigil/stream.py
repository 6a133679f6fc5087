"""Stream mode: consume a platform's messages from Kafka, assess and store them, and publish one
decision per message to an output topic.

Delivery is at-least-once: the consumer commits a batch's offsets only after its items are stored
and its decisions flushed to the output topic. A message delivered twice is recognised by
(source, source_id); its stored decision is published again, so downstream consumers must treat
decisions as idempotent by ``id``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from vigil.core.records import Assessment
from vigil.core.settings import Settings
from vigil.ingest.clients.kafka import KafkaClient
from vigil.ingest.kafka import KafkaConnector
from vigil.pipeline import Pipeline, ScanReport
from vigil.store.sql import SqlStore


def decision_message(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.item.raw.source_id,
        "source": a.item.raw.source,
        "item_id": a.item.raw.id,
        "action": a.action.value,
        "labels": {k: round(v, 4) for k, v in a.scores().items()},
        "reasons": list(a.decision.reasons) if a.decision else [],
        "policy": a.decision.policy if a.decision else None,
    }


def stored_decision_message(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["source_id"],
        "source": row["source"],
        "item_id": row["id"],
        "action": row["action"] or row["status"],
        "labels": row["scores"] or {},
        "reasons": row["reasons"] or [],
        "policy": row["policy"],
    }


class StreamRunner:
    def __init__(self, settings: Settings, store: SqlStore, client: KafkaClient, output_topic: str | None) -> None:
        self.pipeline = Pipeline(settings, store)
        self.client = client
        self.output_topic = output_topic
        self.settings = settings

    def run(self, topics: Sequence[str], idle_timeout_s: float, max_messages: int | None) -> ScanReport:
        report = ScanReport()
        self.pipeline.resume_pending(report)
        connector = KafkaConnector(
            self.settings,
            {"client": self.client, "idle_timeout_s": idle_timeout_s, "max_messages": max_messages},
        )
        for batch in connector.fetch(",".join(topics)):
            done = self.pipeline.ingest_batch(batch, report)
            if self.output_topic:
                for a in done:
                    self._emit(decision_message(a))
                fresh = {(a.item.raw.source, a.item.raw.source_id) for a in done}
                dup_keys = [(r.source, r.source_id) for r in batch.items if (r.source, r.source_id) not in fresh]
                for row in self.pipeline.store.decisions_for(dup_keys):
                    self._emit(stored_decision_message(row))
                self.client.flush()
            # returning to the generator commits this batch's offsets
        return report

    def _emit(self, message: dict[str, Any]) -> None:
        assert self.output_topic
        self.client.produce(self.output_topic, str(message["id"]), json.dumps(message, ensure_ascii=False).encode())
