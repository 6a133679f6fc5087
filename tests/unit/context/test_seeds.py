"""The five reports the project started from: each is reporting, and its quoted calls are found with
their speakers (issue 3). Skips when ../shared/seeds is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.context import KeywordScorer, article, make_item
from vigil.context.stage import ContextStage
from vigil.core.labels import Label
from vigil.core.records import ContentKind, Context


def _seed(seeds_dir: Path, prefix: str) -> str:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def _quote(context: Context, *fragments: str):
    for quote in context.quotes:
        if all(f in quote.text for f in fragments):
            return quote
    raise AssertionError(f"no quote with {fragments}: {[q.text[:60] for q in context.quotes]}")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seeds_each_report_is_reporting(seeds_dir: Path, prefix: str) -> None:
    text = _seed(seeds_dir, prefix)
    stage = ContextStage()
    assert stage(article(text)).reporting >= 0.8
    # the framing is in the text itself, not only in the article prior
    assert stage(make_item(text, ContentKind.MESSAGE, "telegram.v1")).reporting >= 0.8


def test_seeds_000_al_ansari_calls_on_lone_wolves(seeds_dir: Path) -> None:
    context = ContextStage(scorer=KeywordScorer())(article(_seed(seeds_dir, "000")))
    quote = _quote(context, "lone wolves to target Jews and Crusaders", "United States and Europe")
    assert "ansari" in (quote.speaker or "").lower()
    assert max(ls.score for ls in quote.labels if ls.label is Label.INCITEMENT) >= 0.9


def test_seeds_002_al_muhajir_calls_for_vengeance(seeds_dir: Path) -> None:
    context = ContextStage()(article(_seed(seeds_dir, "002")))
    short = _quote(context, "take vengeance for their religion")
    assert "muhajir" in (short.speaker or "").lower()
    mosques = _quote(context, "two mosques", "take vengeance for their religion")
    assert "muhajir" in (mosques.speaker or "").lower()


def test_seeds_003_baghouz_militant_calls_to_rise(seeds_dir: Path) -> None:
    context = ContextStage()(article(_seed(seeds_dir, "003")))
    quote = _quote(context, "rise against the Crusaders", "take revenge")
    assert quote.speaker == "an unidentified Islamic State militant"


def test_seeds_004_channel_praises_the_smart_strike(seeds_dir: Path) -> None:
    context = ContextStage(scorer=KeywordScorer())(article(_seed(seeds_dir, "004")))
    quote = _quote(context, "smart strike")
    assert quote.speaker == "Media Analyst"
    assert context.source_type == "monitoring"
    assert max(ls.score for ls in quote.labels if ls.label is Label.GLORIFICATION) >= 0.9
