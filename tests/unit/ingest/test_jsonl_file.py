from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.ingest import read_all
from vigil.core.errors import InvalidInput
from vigil.core.settings import Settings
from vigil.ingest.jsonl_file import JsonlConnector


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines))
    return path


def test_jsonl_common_keys_and_fields(settings: Settings, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "posts.jsonl",
        [
            json.dumps({"id": 17, "text": "hello", "created_at": "2018-06-08T10:23:20Z", "username": "ann",
                        "user_id": 99, "channel": "news", "title": "T", "url": "https://example.invalid/p",
                        "lang": "en"}),
            json.dumps({"tweet_id": "x2", "tweet": "second", "time": "1/6/2015 21:07"}),
        ],
    )
    read = read_all(JsonlConnector(settings), path)
    first, second = read.items
    assert (first.source, first.source_id, first.text, first.author, first.author_id) == (
        "jsonl:posts.jsonl", "17", "hello", "ann", "99",
    )
    assert (first.channel, first.title, first.url, first.meta["language"]) == ("news", "T", "https://example.invalid/p", "en")
    assert first.published_at == datetime(2018, 6, 8, 10, 23, 20, tzinfo=UTC)
    assert first.locator == f"{path}:1" and first.connector == "jsonl.v1"
    assert json.loads(first.payload)["id"] == 17
    assert (second.source_id, second.text) == ("x2", "second")
    assert second.published_at == datetime(2015, 1, 6, 21, 7, tzinfo=UTC)


def test_jsonl_column_map_with_dotted_paths(settings: Settings, tmp_path: Path) -> None:
    record = {"data": {"body": "nested text", "ts": 1711138560}, "user": {"screen_name": "bob"}, "key": "k"}
    path = write_lines(tmp_path / "x.jsonl", [json.dumps(record)])
    options = {"columns": {"text": "data.body", "date": "data.ts", "author": "user.screen_name", "id": "key"},
               "source": "api-dump"}
    (item,) = read_all(JsonlConnector(settings, options), path).items
    assert (item.source, item.source_id, item.text, item.author) == ("api-dump", "k", "nested text", "bob")
    assert item.published_at == datetime(2024, 3, 22, 20, 16, tzinfo=UTC)


def test_jsonl_bad_lines_become_rejects_with_file_and_line(settings: Settings, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "x.jsonl",
        [
            json.dumps({"id": 1, "text": "fine"}),
            "{not json",
            "[1, 2]",
            json.dumps({"id": 4, "body_missing": "x"}),
            json.dumps({"id": 5, "text": {"nested": "object"}}),
            b'{"id": 6, "text": "\xff\xfe broken utf-8"}',
            "",
            json.dumps({"id": 8, "text": "fine again"}),
        ],
    )
    read = read_all(JsonlConnector(settings), path)
    assert [i.source_id for i in read.items] == ["1", "8"]
    assert [r.locator for r in read.rejects] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]
    reasons = [r.reason for r in read.rejects]
    assert reasons[0].startswith("not valid JSON")
    assert "JSON list, not an object" in reasons[1]
    assert reasons[2].startswith("no text (looked in columns text, ")
    assert "holds a dict" in reasons[3]
    assert reasons[4].startswith("not UTF-8")
    assert read.skipped["blank_lines"] == 1
    assert read.rejects[0].payload == b"{not json"


def test_jsonl_overlong_line_is_rejected_without_holding_it(settings: Settings, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "x.jsonl",
        [json.dumps({"id": 1, "text": "a" * 5000}), json.dumps({"id": 2, "text": "short"})],
    )
    read = read_all(JsonlConnector(settings.replace(max_item_bytes=1000)), path)
    assert [i.source_id for i in read.items] == ["2"]
    (reject,) = read.rejects
    assert reject.code == "input_too_large" and reject.locator == f"{path}:1"
    assert "5,02" in reject.reason  # the whole line's size is reported
    assert len(reject.payload) <= 4096


def test_jsonl_ids_without_id_field_are_content_digests(settings: Settings, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "x.jsonl", [json.dumps({"text": "same"}), json.dumps({"text": "other"})])
    first = read_all(JsonlConnector(settings), path)
    second = read_all(JsonlConnector(settings), path)
    assert first.keys == second.keys
    assert all(i.source_id.startswith("sha256:") for i in first.items)
    assert first.items[0].source_id != first.items[1].source_id


def test_jsonl_checkpoint_resume(settings: Settings, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "x.jsonl", [json.dumps({"id": n, "text": f"t{n}"}) for n in range(7)])
    small = settings.replace(batch_size=3)
    read = read_all(JsonlConnector(small), path)
    assert [len(b.items) for b in read.batches] == [3, 3, 1]
    assert [i.source_id for i in read_all(JsonlConnector(small), path, read.batches[0].checkpoint).items] == [
        "3", "4", "5", "6",
    ]
    with pytest.raises(InvalidInput, match="not written by the jsonl connector"):
        read_all(JsonlConnector(small), path, "nonsense")


def test_jsonl_sniff(tmp_path: Path) -> None:
    assert JsonlConnector.sniff(Path("a.jsonl"), b"") == 80
    assert JsonlConnector.sniff(Path("a.ndjson"), b"") == 80
    assert JsonlConnector.sniff(Path("a.json"), b'{"text": "a"}\n{"text": "b"}\n') == 60
    assert JsonlConnector.sniff(Path("a.json"), b'{"messages": [\n{"id": 1}]}') == 0
    assert JsonlConnector.sniff(Path("a.csv"), b'{"text": "a"}\n{"text": "b"}\n') == 0


@pytest.mark.data
def test_jsonl_reads_muc34_documents(settings: Settings, data_dir: Path) -> None:
    path = data_dir / "muc34_terrorism_news" / "gtt_processed_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    read = read_all(JsonlConnector(settings), path)
    assert read.rejects == [] and len(read.items) > 0
    assert all(i.source_id.startswith(("DEV-", "TST")) for i in read.items)
    assert all(len(i.text) > 100 for i in read.items)  # `doctext` is recognised as the text
