"""The gold set: valid labels, no text committed, and every row joins back to its data set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vigil.context.gold import (
    DATASETS,
    GOLD_COLUMNS,
    GoldRow,
    default_gold_path,
    load_gold,
    parse_labels,
    read_gold,
    write_gold,
)
from vigil.core.errors import InvalidInput, InvalidLabel
from vigil.core.labels import Label


def test_gold_parse_labels_orders_by_taxonomy() -> None:
    assert parse_labels("glorification|official_propaganda") == (
        Label.GLORIFICATION,
        Label.OFFICIAL_PROPAGANDA,
    )
    assert parse_labels("none") == ()


def test_gold_parse_labels_rejects_unknown_label() -> None:
    with pytest.raises(InvalidLabel):
        parse_labels("incitement|terrorism")


def test_gold_read_rejects_repeated_row(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        "dataset,row_key,labels,annotator_note\n"
        "stormfront_hate_speech,1_1,none,\nstormfront_hate_speech,1_1,incitement,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match="appears twice"):
        read_gold(path)


def test_gold_write_then_read_round_trips(tmp_path: Path) -> None:
    rows = [GoldRow("ethos_hate_speech", "7", (Label.INCITEMENT,), "note, with comma")]
    write_gold(rows, tmp_path / "g.csv")
    assert read_gold(tmp_path / "g.csv") == rows


def test_gold_committed_set_is_valid_and_stratified() -> None:
    rows = read_gold(default_gold_path())
    assert len(rows) >= 1000
    seen = {label for row in rows for label in row.labels}
    assert seen == set(Label), f"labels without examples: {set(Label) - seen}"
    assert {row.dataset for row in rows} <= set(DATASETS)


def test_gold_committed_set_holds_no_text() -> None:
    with default_gold_path().open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == GOLD_COLUMNS
        longest_note = max(len(rec["annotator_note"]) for rec in reader)
    assert longest_note <= 120  # notes explain a decision; they never carry the text


@pytest.mark.data
def test_gold_every_row_resolves_to_its_text(data_dir: Path) -> None:
    examples = load_gold(data_dir)
    assert len(examples) == len(read_gold())
    assert all(example.text.strip() for example in examples)
