from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.ingest import FIXTURES, forbid_network, read_all
from vigil.core.errors import InputTooLarge, InvalidInput
from vigil.core.records import ContentKind
from vigil.core.settings import Settings
from vigil.ingest.base import content_id
from vigil.ingest.feed import FeedConnector


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    forbid_network(monkeypatch)


def test_feed_rss_entries(settings: Settings) -> None:
    path = FIXTURES / "feed_rss.xml"
    read = read_all(FeedConnector(settings), path)
    first, second, third = read.items
    assert (first.source, first.source_id, first.kind) == ("feed:feed_rss.xml", "herald-0001", ContentKind.ARTICLE)
    assert first.title == "First story"
    assert first.text == "First story\n\nPolice said four people were killed."  # HTML stripped
    assert first.url == "https://herald.example/world/first"
    assert first.author == "Dana Whitfield"
    assert first.published_at == datetime(2024, 3, 24, 5, 10, tzinfo=UTC)
    assert first.channel == "Herald & Co — World"
    assert first.locator == f"{path}#entry[0]"
    assert json.loads(first.payload)["id"] == "herald-0001"
    assert second.source_id == "https://herald.example/world/second"  # no guid: the link
    assert second.published_at is None
    assert third.source_id == content_id("", "Neither guid nor link nor title.")  # neither: a digest
    assert third.title is None and third.text == "Neither guid nor link nor title."
    (reject,) = read.rejects  # the entry with only a guid has nothing to read
    assert reject.locator == f"{path}#entry[3]" and "neither a title nor any text" in reject.reason


def test_feed_atom_entries(settings: Settings) -> None:
    read = read_all(FeedConnector(settings), FIXTURES / "feed_atom.xml")
    brief, weekly = read.items
    assert brief.source_id == "urn:uuid:2f1e0000-0000-4000-8000-000000000002"
    assert brief.text == "Brief: audio message calls on supporters abroad\n\nThe speaker praises the attackers.\nSecond paragraph."
    assert "alert" not in brief.text
    assert brief.published_at == datetime(2024, 3, 28, 6, 0, tzinfo=UTC)
    assert brief.author == "Mira Osei"
    assert brief.meta["tags"] == ["briefs"]
    assert weekly.published_at == datetime(2024, 3, 29, 18, 0, tzinfo=UTC)  # updated when no published
    assert weekly.text == "Weekly numbers\n\n3 releases tracked."


def test_feed_ids_are_stable_across_reads(settings: Settings) -> None:
    path = FIXTURES / "feed_rss.xml"
    assert read_all(FeedConnector(settings), path).keys == read_all(FeedConnector(settings), path).keys


def test_feed_not_a_feed_raises(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("<?xml version='1.0'?><notes><note>hi</note></notes>", encoding="utf-8")
    with pytest.raises(InvalidInput, match="notes.xml: not an RSS or Atom feed"):
        read_all(FeedConnector(settings), path)
    garbage = tmp_path / "garbage.rss"
    garbage.write_bytes(b"\x00\x01 not xml at all")
    with pytest.raises(InvalidInput, match="garbage.rss: not an RSS or Atom feed"):
        read_all(FeedConnector(settings), garbage)


def test_feed_file_that_names_a_path_is_not_opened(settings: Settings, tmp_path: Path) -> None:
    # Given a string, feedparser would open a file of that name or fetch a URL; we hand it bytes.
    secret = tmp_path / "secret.rss"
    secret.write_text((FIXTURES / "feed_rss.xml").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "pointer.rss"
    path.write_text(str(secret), encoding="utf-8")
    with pytest.raises(InvalidInput, match="not an RSS or Atom feed"):
        read_all(FeedConnector(settings), path)
    path.write_text("https://example.invalid/feed.xml", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not an RSS or Atom feed"):
        read_all(FeedConnector(settings), path)


def test_feed_external_entities_are_not_resolved(settings: Settings, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "xxe.rss"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        "<description>before &xxe; after</description></item></channel></rss>",
        encoding="utf-8",
    )
    read = read_all(FeedConnector(settings), path)
    assert all("TOP SECRET" not in item.text for item in read.items)


def test_feed_size_bound_and_checkpoint(settings: Settings) -> None:
    path = FIXTURES / "feed_rss.xml"
    with pytest.raises(InputTooLarge):
        read_all(FeedConnector(settings, {"max_feed_bytes": 100}), path)
    small = settings.replace(batch_size=2)
    read = read_all(FeedConnector(small), path)
    assert [len(b.items) + len(b.rejects) for b in read.batches] == [2, 2]
    resumed = read_all(FeedConnector(small), path, read.batches[0].checkpoint)
    assert [r.locator.rsplit("#", 1)[1] for r in resumed.rejects] == ["entry[3]"]
    assert len(resumed.items) == 1


def test_feed_sniff() -> None:
    assert FeedConnector.sniff(Path("a.xml"), b'<?xml version="1.0"?><rss version="2.0">') == 90
    assert FeedConnector.sniff(Path("a.atom"), b'<feed xmlns="http://www.w3.org/2005/Atom">') == 90
    assert FeedConnector.sniff(Path("a.rss"), b"") == 60
    assert FeedConnector.sniff(Path("a.xml"), b"<notes/>") == 0
