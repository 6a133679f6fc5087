from __future__ import annotations

from collections import Counter

import pytest

from tests.helpers.ingest import read_all
from vigil.core.errors import InvalidInput
from vigil.core.labels import Label
from vigil.core.settings import Settings
from vigil.ingest.sample import SampleConnector


def test_sample_needs_no_file_and_covers_every_label(settings: Settings) -> None:
    read = read_all(SampleConnector(settings), "sample")
    assert read.rejects == []
    items = read.items
    assert len(items) >= 20
    labels = Counter(label for item in items for label in item.meta["expected"])
    assert set(labels) == {label.value for label in Label}
    assert sum(1 for item in items if not item.meta["expected"]) >= 3  # benign ones
    assert {item.meta["language"] for item in items} == {"en", "ar", "ru"}
    assert all(item.source == "sample" and item.published_at is not None and item.text for item in items)


def test_sample_ids_are_stable_and_unique(settings: Settings) -> None:
    first = read_all(SampleConnector(settings), "sample")
    second = read_all(SampleConnector(settings), "sample")
    assert first.keys == second.keys and len(set(first.keys)) == len(first.keys)
    assert [i.published_at for i in first.items] == [i.published_at for i in second.items]


def test_sample_batches_and_checkpoint(settings: Settings) -> None:
    small = settings.replace(batch_size=10)
    read = read_all(SampleConnector(small), "sample")
    assert all(len(b.items) <= 10 for b in read.batches)
    rest = read_all(SampleConnector(small), "sample", read.batches[0].checkpoint)
    assert rest.keys == read.keys[10:]


def test_sample_refuses_a_file_target(settings: Settings) -> None:
    with pytest.raises(InvalidInput, match="reads no file"):
        read_all(SampleConnector(settings), "posts.csv")
