from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.ingest import chat_export, connector_registry, message
from vigil.core.errors import UnknownFormat
from vigil.ingest.detect import connector_for_format, detect_connector, formats, sniff_scores

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
EXPORT = json.dumps(chat_export([message(1)]), indent=1).encode()
CASES = [
    ("report.txt", b"Title\n\nBody", "article"),
    ("page.html", b"<html><body>x</body></html>", "article"),
    ("page.htm", b"<html><body>x</body></html>", "article"),
    ("result.json", EXPORT, "telegram"),
    ("account.json", b'{\n "about": "Here is the data you requested.",\n "personal_information": {}', "telegram"),
    ("lines.json", b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
    ("posts.jsonl", b'{"text": "a"}\n', "jsonl"),
    ("posts.ndjson", b'{"text": "a"}\n', "jsonl"),
    ("posts.csv", b"id,text\n1,a\n", "csv"),
    ("posts.tsv", b"id\ttext\n1\ta\n", "csv"),
    ("news.xml", RSS, "feed"),
    ("news.rss", RSS, "feed"),
    ("news.atom", b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
    ("saved_page", b"<!DOCTYPE html><html><body>x</body></html>", "article"),
]


@pytest.mark.parametrize(("name", "content", "expected"), CASES)
def test_detect_picks_the_connector(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_connector(path, connector_registry()).name == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.jpg", b"\xff\xd8\xff"), ("notes.md", b"# x"), ("data.json", b'{"a": 1}'), ("notes.xml", b"<notes/>")],
)
def test_detect_unknown_file_names_the_formats_and_flag(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnknownFormat) as info:
        detect_connector(path, connector_registry())
    assert name in info.value.message
    hint = info.value.hint or ""
    assert "--format" in hint
    for fmt in ("article", "csv", "feed", "jsonl", "telegram"):
        assert fmt in hint


def test_detect_scores_are_ordered_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(EXPORT)
    scores = sniff_scores(path, connector_registry())
    assert [name for _, name, _ in scores] == ["telegram"]
    assert scores == sniff_scores(path, connector_registry())


def test_detect_connector_for_format() -> None:
    registry = connector_registry()
    assert formats(registry) == ["article", "csv", "feed", "jsonl", "sample", "telegram"]
    assert connector_for_format("csv", registry).name == "csv"
    with pytest.raises(UnknownFormat, match="unknown format 'xlsx'"):
        connector_for_format("xlsx", registry)
