"""`vigil stream`: consume a Kafka topic continuously (consumer group, at-least-once), or publish a
file's records to a topic."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from vigil.cli.common import (
    ConfigOption,
    DbOption,
    JsonOption,
    console,
    load_settings,
    open_store,
    print_json,
)
from vigil.cli.scan import pick_connector, show_report
from vigil.ingest.clients.kafka import KafkaClient
from vigil.plugins import default_registry
from vigil.stream import StreamRunner

stream_app = typer.Typer(help="Kafka: assess a platform's message stream, or publish records to a topic.", no_args_is_help=True)
BootstrapOpt = Annotated[str | None, typer.Option("--bootstrap", help="Kafka bootstrap servers (default: VIGIL_KAFKA_BOOTSTRAP).")]


@stream_app.command("consume")
def consume(
    topics: Annotated[list[str], typer.Argument(help="Topics to consume.")],
    bootstrap: BootstrapOpt = None,
    group: Annotated[str | None, typer.Option("--group", help="Consumer group (default: VIGIL_KAFKA_GROUP or 'vigil').")] = None,
    output_topic: Annotated[str | None, typer.Option("--output-topic", help="Publish one decision per message here.")] = None,
    idle_timeout: Annotated[float, typer.Option("--idle-timeout", help="Stop after this many seconds without messages (0 = run forever).")] = 0.0,
    max_messages: Annotated[int | None, typer.Option("--max-messages", help="Stop after this many messages.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Assess and store messages from Kafka; commit offsets only after they are stored."""
    settings = load_settings(db, config, kafka_bootstrap=bootstrap, kafka_group=group)
    client = KafkaClient(settings.kafka_bootstrap, settings.kafka_group)
    runner = StreamRunner(settings, open_store(settings), client, output_topic)
    report = runner.run(topics, idle_timeout_s=idle_timeout or float("inf"), max_messages=max_messages)
    print_json(report.as_dict()) if as_json else show_report(report.as_dict())


@stream_app.command("produce")
def produce(
    path: Annotated[str, typer.Argument(help="File to read (any format `vigil scan` reads).")],
    topic: Annotated[str, typer.Option("--topic", help="Topic to publish to.")],
    bootstrap: BootstrapOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, telegram, jsonl, csv, article or feed.")] = "auto",
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Publish a file's records to a topic as JSON messages (id, text, account_id, chat_id, date)."""
    settings = load_settings(None, config, kafka_bootstrap=bootstrap)
    connector = pick_connector(path, fmt, default_registry(settings.plugins_dir))(settings, {})
    client = KafkaClient(settings.kafka_bootstrap, settings.kafka_group)
    sent = 0
    for batch in connector.fetch(path):
        for r in batch.items:
            key = f"{r.source}:{r.source_id}"
            msg = {"id": key, "text": r.text, "account_id": r.author_id,
                   "chat_id": r.channel, "author": r.author, "date": r.published_at.isoformat() if r.published_at else None}
            client.produce(topic, key, json.dumps(msg, ensure_ascii=False).encode())
            sent += 1
    client.flush()
    print_json({"sent": sent, "topic": topic}) if as_json else console.print(f"published {sent:,} messages to {topic}")
