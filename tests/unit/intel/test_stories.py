"""The story clusterer on hand-made signals: text, entities, events, time windows, undated items,
merges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from vigil.intel.stories import ItemSignals, StoryClusterer, StoryConfig, StoryState, events_match


def _vec(*hot: int, dim: int = 8) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    v[list(hot)] = 1.0
    return v / np.linalg.norm(v)


def _sig(i: int, day: int, vec: np.ndarray | None, entities=None, events=None, dated: bool = True) -> ItemSignals:
    return ItemSignals(i, datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=day), f"item {i}", vec,
                       entities or {}, events or [], dated)


def _groups(placed) -> list[set[int]]:
    by: dict[int, set[int]] = {}
    for n, (story, _) in enumerate(placed):
        by.setdefault(id(story), set()).add(n)
    return sorted(by.values(), key=min)


def test_stories_text_similarity_joins_and_separates() -> None:
    items = [_sig(0, 0, _vec(0, 1)), _sig(1, 0, _vec(0, 1, 2)), _sig(2, 1, _vec(5, 6)), _sig(3, 1, _vec(5, 6, 7))]
    placed = StoryClusterer(StoryConfig(threshold=0.6)).assign(items, [])
    assert _groups(placed) == [{0, 1}, {2, 3}]
    assert placed[0][1] == 1.0 and 0.6 <= placed[1][1] < 1.0


def test_stories_time_window_keeps_same_text_apart() -> None:
    items = [_sig(0, 0, _vec(0, 1)), _sig(1, 40, _vec(0, 1)), _sig(2, 45, _vec(0, 1))]
    placed = StoryClusterer(StoryConfig(threshold=0.6, window=timedelta(days=7))).assign(items, [])
    assert _groups(placed) == [{0}, {1, 2}]


def test_stories_undated_item_joins_any_date_and_does_not_stretch_span() -> None:
    items = [_sig(0, 0, _vec(0, 1)), _sig(1, 900, _vec(0, 1), dated=False)]
    placed = StoryClusterer(StoryConfig(threshold=0.6, window=timedelta(days=7))).assign(items, [])
    story = placed[1][0]
    assert placed[0][0] is story and story.last_seen == datetime(2024, 3, 1, tzinfo=UTC)


def test_stories_dated_item_sets_span_of_undated_story() -> None:
    items = [_sig(0, 900, _vec(0, 1), dated=False), _sig(1, 0, _vec(0, 1))]
    story = StoryClusterer(StoryConfig(threshold=0.6)).assign(items, [])[1][0]
    assert story.dated and story.first_seen == story.last_seen == datetime(2024, 3, 1, tzinfo=UTC)


def test_stories_entities_and_events_outweigh_alike_text() -> None:
    # Two articles whose text vectors are alike (one movement, one vocabulary) but whose people,
    # places and attacks differ: facts decide.
    a = {"abu_x": ("Abu X", "person", 3), "moscow": ("Moscow", "place", 4), "isis": ("ISIS", "organisation", 5)}
    b = {"abu_y": ("Abu Y", "person", 3), "christchurch": ("Christchurch", "place", 4), "isis": ("ISIS", "organisation", 5)}
    items = [
        _sig(0, 0, _vec(0, 1), a, [{"kind": "attack", "place": "Moscow", "date": None, "speaker": None}]),
        _sig(1, 0, _vec(0, 1), b, [{"kind": "attack", "place": "Christchurch", "date": None, "speaker": None}]),
        _sig(2, 1, _vec(0, 1, 2), {**a, "crocus": ("Crocus", "place", 1)},
             [{"kind": "attack", "place": "Moscow", "date": "2024-03-22", "speaker": None}]),
    ]
    placed = StoryClusterer().assign(items, [])
    assert _groups(placed) == [{0, 2}, {1}]


def test_stories_event_conflict_years_apart() -> None:
    ev2019 = [{"kind": "attack", "place": "Christchurch", "date": "2019-03-15", "speaker": None}]
    ev2024 = [{"kind": "attack", "place": "Moscow", "date": "2024-03-22", "speaker": None}]
    ents = {"isis": ("ISIS", "organisation", 2), "europe": ("Europe", "place", 2)}
    story = StoryState(None, "", datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC))
    story.add(_sig(0, 0, _vec(0), ents, ev2024))
    clusterer = StoryClusterer()
    same = clusterer.similarity(_sig(1, 0, _vec(0), ents, ev2024), story)
    other = clusterer.similarity(_sig(2, 0, _vec(0), ents, ev2019), story)
    assert same - other >= clusterer.config.event_bonus + clusterer.config.event_conflict - 1e-6


def test_stories_events_match_rules() -> None:
    a = {"kind": "attack", "place": "Moscow", "date": "2024-03-22"}
    assert events_match(a, {"kind": "attack", "place": "moscow", "date": None})
    assert not events_match(a, {"kind": "attack", "place": "Moscow", "date": "2024-03-23"})
    assert events_match(a, {"kind": "attack", "place": None, "date": "2024-03-22"})
    assert events_match({"kind": "call_to_attack", "speaker": "x"}, {"kind": "call_to_attack", "speaker": "x"})
    assert not events_match({"kind": "call_to_attack", "speaker": "x"}, {"kind": "attack", "place": "x"})


def test_stories_merge_candidates_pairs_alike_stories_once() -> None:
    def story(vec: np.ndarray, size: int) -> StoryState:
        st = StoryState(None, "", datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 2, tzinfo=UTC))
        for i in range(size):
            st.add(_sig(i, 0, vec))
        return st

    big, small, other = story(_vec(0, 1), 3), story(_vec(0, 1), 1), story(_vec(6, 7), 2)
    pairs = StoryClusterer().merge_candidates([small, other, big])
    assert pairs == [(big, small)]
    big.absorb(small)
    assert big.size == 4 and np.allclose(big.centroid / np.linalg.norm(big.centroid), _vec(0, 1))
