"""The rows `encode_results` builds: columns in the table's names, JSON columns as JSON text holding
exactly what the records carry, and the empty forms the store has always written."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.helpers.connectors import raw
from vigil.core.labels import Label
from vigil.core.records import (
    Action,
    Assessment,
    Context,
    Decision,
    EntityMention,
    Event,
    Evidence,
    Item,
    LabelScore,
    Match,
    Quote,
)
from vigil.store.bulk import BulkWriter
from vigil.store.results import encode_results
from vigil.store.schema import assessments, items


def _item(raw_id: int, text: str, **kw: Any) -> Item:
    r = replace(raw(str(raw_id), text, title=kw.pop("title", None)), id=raw_id)
    return Item(raw=r, text=text, normalized=text, folded=text.lower(), **kw)


def _rich() -> Assessment:
    ev = Evidence("term", "strike", 10, 16, 0.7, detail="lexicon/en")
    return Assessment(
        item=_item(7, "rise up and strike them", title="T", language="en", language_score=0.91, script="latin",
                   urls=("https://example.invalid/a",), handles=("@chan",), hashtags=("#tag",)),
        labels=(LabelScore(Label.INCITEMENT, 0.87654, "lexicon.v1", evidence=(ev,)),
                LabelScore(Label.REPORTING, 0.3, "ctx.v1")),
        context=Context(reporting=0.61, source_type="news", cues=(ev,),
                        quotes=(Quote("rise up", 0, 7, "al-Test", "said"),)),
        matches=(Match("bank", "pdq", "ab" * 32, 3.0, entry_id=5, labels=("incitement",)),),
        entities=(EntityMention("organisation", "Example Org", "Example", 0, 7, "gazetteer"),),
        events=(Event("call_to_attack", {"target": "them"}, (ev,), "events.v1"),),
        decision=Decision(Action.REVIEW, ("incitement 0.88 >= review threshold 0.70",), "default.v1"),
        tier=2,
        versions={"normalize": "n.v1", "lexicon": "lexicon.v1"},
    )


def _plain() -> Assessment:
    return Assessment(item=_item(8, "good morning"), versions={"normalize": "n.v1"})


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_encode_results_rows(dialect: str) -> None:
    batch = [_rich(), _plain()]
    enc = encode_results(BulkWriter(dialect), batch, 0.5)
    item_cols, item_rows = enc.items
    assert set(item_cols) <= set(items.c.keys())
    rich_item, plain_item = (dict(zip(item_cols, row, strict=True)) for row in item_rows)
    assert rich_item["raw_id"] == 7 and rich_item["title"] == "T" and rich_item["language_score"] == 0.91
    assert json.loads(rich_item["urls"]) == ["https://example.invalid/a"]
    assert (json.loads(rich_item["handles"]), json.loads(rich_item["hashtags"])) == (["@chan"], ["#tag"])
    assert (plain_item["urls"], plain_item["handles"], plain_item["normalizers"]) == ("[]", "[]", None)

    cols, rows = enc.assessments
    assert set(cols) <= set(assessments.c.keys())
    rich, plain = (dict(zip(cols, row, strict=True)) for row in rows)
    assert (rich["action"], rich["top_label"], rich["top_score"], rich["reporting"], rich["tier"]) == (
        "review", "incitement", 0.87654, 0.61, 2)
    assert json.loads(rich["scores"]) == {"incitement": 0.8765, "reporting": 0.3}
    [label, _] = json.loads(rich["labels"])
    assert label["label"] == "incitement" and label["evidence"][0]["text"] == "strike"
    context = json.loads(rich["context"])
    assert context["reporting"] == 0.61 and context["quotes"][0]["speaker"] == "al-Test"
    assert json.loads(rich["matches"])[0]["entry_id"] == 5
    assert json.loads(rich["entities"])[0]["canonical"] == "Example Org"
    assert json.loads(rich["events"])[0]["fields"] == {"target": "them"}
    assert json.loads(rich["reasons"]) == ["incitement 0.88 >= review threshold 0.70"]
    assert rich["policy"] == "default.v1"
    assert json.loads(rich["versions"]) == {"normalize": "n.v1", "lexicon": "lexicon.v1"}
    # an assessment with nothing: the empty forms
    assert (plain["action"], plain["top_label"], plain["top_score"], plain["tier"]) == ("allow", None, 0.0, 1)
    assert (plain["scores"], plain["labels"], plain["reasons"]) == ("{}", "[]", "[]")
    assert (plain["context"], plain["matches"], plain["entities"], plain["events"], plain["policy"]) == (None,) * 5
    stamp = rich["assessed_at"]
    if dialect == "sqlite":
        assert isinstance(stamp, str) and stamp == enc.now.strftime("%Y-%m-%d %H:%M:%S.%f")
    else:
        assert stamp == enc.now and stamp.tzinfo is UTC
    assert plain["assessed_at"] == stamp

    assert enc.labels is not None
    assert [dict(zip(enc.labels[0], r, strict=True)) for r in enc.labels[1]] == [
        {"raw_id": 7, "label": "incitement", "score": 0.87654}, {"raw_id": 7, "label": "reporting", "score": 0.61}]
    assert enc.ids == [7, 8]
    assert enc.fts == ([(7, "T", "rise up and strike them"), (8, None, "good morning")] if dialect == "sqlite" else [])


def test_encode_results_now_is_utc() -> None:
    enc = encode_results(BulkWriter("sqlite"), [_plain()], 0.5)
    assert enc.now.tzinfo is UTC and abs((datetime.now(UTC) - enc.now).total_seconds()) < 60
