"""Connector throughput and memory, without the store or any stage: how fast each connector turns a
generated file into RawItems, and how much memory the Telegram connector holds as the export grows.

    .venv/bin/python bench/bench_connectors.py [--messages 100000] [--repeat 2]

Prints one line per input: size, items, best wall time of --repeat runs, items/s; then the peak traced
memory (tracemalloc) of the Telegram connector at two export sizes, which must stay flat.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.ingest import message, write_big_export  # noqa: E402

from vigil.core.settings import Settings  # noqa: E402
from vigil.ingest.base import Connector  # noqa: E402
from vigil.ingest.csv_file import CsvConnector  # noqa: E402
from vigil.ingest.jsonl_file import JsonlConnector  # noqa: E402
from vigil.ingest.telegram import TelegramConnector  # noqa: E402


def account_export(path: Path, count: int, chats: int = 10) -> Path:
    per_chat = count // chats
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"about": "bench", "personal_information": {}, "chats": {"about": "", "list": [')
        for c in range(chats):
            fh.write(
                ("," if c else "") + json.dumps({"name": f"chat {c}", "type": "public_channel", "id": c})[:-1]
            )
            fh.write(', "messages": [')
            fh.write(
                ",".join(json.dumps(message(n + 1, f"message {n} in chat {c}")) for n in range(per_chat))
            )
            fh.write("]}")
        fh.write("]}}")
    return path


def csv_file(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL)
        writer.writerow(["row_id", "username", "time", "tweets"])
        for n in range(count):
            writer.writerow([n, f"user{n % 97}", "1/6/2015 21:07", f"tweet number {n}\nwith a second line"])
    return path


def jsonl_file(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for n in range(count):
            fh.write(
                json.dumps({"id": n, "text": f"post number {n}", "created_at": "2018-06-08T10:23:20Z"}) + "\n"
            )
    return path


def timed(make: Callable[[Settings], Connector], path: Path, repeat: int) -> tuple[int, float]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = sum(len(batch.items) for batch in make(Settings()).fetch(str(path)))
        best = min(best, time.perf_counter() - started)
    return count, best


def peak_memory(path: Path) -> int:
    tracemalloc.start()
    try:
        for _batch in TelegramConnector(Settings()).fetch(str(path)):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    n = args.messages
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = [
            ("telegram, one chat", TelegramConnector, write_big_export(folder / "chat.json", n)),
            ("telegram, account (10 chats)", TelegramConnector, account_export(folder / "account.json", n)),
            ("csv (quoted, multi-line)", CsvConnector, csv_file(folder / "tweets.csv", n)),
            ("jsonl", JsonlConnector, jsonl_file(folder / "posts.jsonl", n)),
        ]
        print(f"{'input':32} {'MB':>7} {'items':>9} {'best s':>8} {'items/s':>10}")
        for label, cls, path in inputs:
            count, seconds = timed(cls, path, args.repeat)
            size = path.stat().st_size / 1e6
            print(f"{label:32} {size:7.1f} {count:9,} {seconds:8.2f} {count / seconds:10,.0f}")
        small = write_big_export(folder / "small.json", max(1000, n // 10))
        print("telegram peak traced memory (tracemalloc):")
        for path in (small, folder / "chat.json"):
            print(f"  {path.stat().st_size / 1e6:7.1f} MB export: {peak_memory(path) / 1e6:6.2f} MB peak")


if __name__ == "__main__":
    main()
