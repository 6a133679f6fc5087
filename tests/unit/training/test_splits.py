from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from vigil.training.datasets import HELD_OUT_EVENTS, load_examples
from vigil.training.splits import assign_split, calibration_fold, group_key


def test_splits_near_duplicates_share_a_key_and_a_side() -> None:
    a = "RT @someone: The convoy reached the city at dawn https://t.co/abc123"
    b = "The convoy reached the city at dawn!! https://t.co/zzz999"
    assert group_key(a) == group_key(b)
    assert assign_split(a) == assign_split(b)
    assert calibration_fold(a, 5, 13) == calibration_fold(b, 5, 13)


def test_splits_fraction_is_about_a_fifth() -> None:
    sides = [assign_split(f"message {i} about something") for i in range(5000)]
    assert 0.17 < sides.count("test") / len(sides) < 0.23


def test_splits_no_group_straddles_train_and_test(data_dir: Path) -> None:
    sides: dict[str, set[str]] = defaultdict(set)
    for ex in load_examples(data_dir):
        if ex.dataset in ("crisislex", "muc34"):
            continue  # whole events / documents are held out by rule, checked below
        sides[group_key(ex.text)].add(ex.split)
    assert not [k for k, v in sides.items() if len(v) > 1]


def test_splits_held_out_events_and_unescaped_text(data_dir: Path) -> None:
    examples = load_examples(data_dir, ("crisislex", "nlpexercise", "muc34"))
    assert all(ex.split == "test" for ex in examples if ex.meta.get("event") in HELD_OUT_EVENTS)
    nlp = [ex for ex in examples if ex.dataset == "nlpexercise"]
    # the escaped column leaks the label (52% of negatives hold literal \u escapes); the unescaped one
    # keeps a handful of odd leftovers only
    assert nlp and sum("\\u" in ex.text for ex in nlp) < 10
    assert {ex.split for ex in examples if ex.dataset == "muc34" and ex.row_id.startswith("TST")} == {"test"}
