from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.ingest import FIXTURES, forbid_network, read_all
from vigil.core.records import ContentKind
from vigil.core.settings import Settings
from vigil.ingest.article import ArticleConnector

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    forbid_network(monkeypatch)


def test_article_html_main_text_and_metadata(settings: Settings) -> None:
    path = FIXTURES / "article_with_comments.html"
    read = read_all(ArticleConnector(settings), path)
    (item,) = read.items
    assert (item.source, item.source_id, item.kind) == ("article", "article_with_comments.html", ContentKind.ARTICLE)
    assert item.title == "Channel calls for attacks after festival bombing"
    assert item.author == "Dana Whitfield"
    assert item.published_at == datetime(2024, 4, 2, 9, 30, tzinfo=UTC)
    assert item.url == "https://eastport-herald.example/news/channel-calls"  # recorded, never fetched
    assert "urged supporters to carry out further attacks" in item.text
    assert "No arrests have been made." in item.text
    for furniture in ("Leave a Reply", "Share on Facebook", "Great article", "All rights reserved", "Home", "tracking"):
        assert furniture not in item.text
    assert item.payload == path.read_bytes()
    assert read.batches[0].checkpoint == "article1:article_with_comments.html"


def test_article_html_without_main_text_falls_back_to_the_page_text(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "tiny.html"
    path.write_text("<html><body><div>Only a line.</div><script>x()</script></body></html>", encoding="utf-8")
    (item,) = read_all(ArticleConnector(settings), path).items
    assert item.text.strip() == "Only a line."
    assert item.title == "Only a line."


def test_article_txt_is_kept_as_is(settings: Settings, tmp_path: Path) -> None:
    body = "\n  Headline of the report  \n\nMarch 25, 2024\n\nFirst paragraph.\n\nSecond   paragraph.\n"
    path = tmp_path / "000_report.txt"
    path.write_text(body, encoding="utf-8")
    (item,) = read_all(ArticleConnector(settings), path).items
    assert item.text == body
    assert item.title == "Headline of the report"
    assert item.published_at == datetime(2024, 3, 25, tzinfo=UTC)
    assert (item.source, item.source_id) == ("article", "000_report.txt")


def test_article_txt_in_another_encoding(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Déclaration du porte-parole\n\nLe texte complet de la déclaration, publié à Paris, est très long.".encode("cp1252"))
    (item,) = read_all(ArticleConnector(settings), path).items
    assert item.title == "Déclaration du porte-parole"


def test_article_over_the_size_bound_is_rejected(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Title\n" + "x" * 3000, encoding="utf-8")
    read = read_all(ArticleConnector(settings.replace(max_item_bytes=1000)), path)
    assert read.items == []
    (reject,) = read.rejects
    assert reject.code == "input_too_large" and reject.locator == str(path)
    big_html = tmp_path / "big.html"
    big_html.write_text("<html><body><p>" + "word " * 800 + "</p></body></html>", encoding="utf-8")
    (item,) = read_all(ArticleConnector(settings.replace(max_item_bytes=1000)), big_html).items  # max_html_bytes
    assert b"over max_item_bytes" in item.payload and len(item.payload) < 1000
    assert read_all(ArticleConnector(settings, {"max_html_bytes": 100}), big_html).rejects[0].code == "input_too_large"


def test_article_empty_file_is_rejected(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    (reject,) = read_all(ArticleConnector(settings), path).rejects
    assert "no text" in reject.reason


def test_article_same_file_same_id(settings: Settings) -> None:
    path = FIXTURES / "article_with_comments.html"
    assert read_all(ArticleConnector(settings), path).keys == read_all(ArticleConnector(settings), path).keys


def test_article_sniff() -> None:
    assert ArticleConnector.sniff(Path("a.html"), b"") == 80
    assert ArticleConnector.sniff(Path("a.txt"), b"") == 70
    assert ArticleConnector.sniff(Path("page"), b"<!DOCTYPE html><html>") == 60
    assert ArticleConnector.sniff(Path("a.csv"), b"a,b") == 0


@pytest.mark.parametrize("name", [f"00{n}" for n in range(5)])
def test_article_reads_the_seed_reports(settings: Settings, name: str) -> None:
    matches = sorted(SEEDS.glob(f"{name}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"no seed {name}_*.txt in {SEEDS}")
    path = matches[0]
    read = read_all(ArticleConnector(settings), path)
    assert read.rejects == []
    (item,) = read.items
    text = path.read_text(encoding="utf-8")
    assert item.text == text
    assert item.source_id == path.name
    assert item.title == next(line.strip() for line in text.splitlines() if line.strip())
    if name == "004":
        assert item.published_at == datetime(2024, 3, 25, tzinfo=UTC)
