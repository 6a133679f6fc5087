from __future__ import annotations

import dataclasses
import re

import pytest

from tests.helpers.normalize import normalize
from vigil.core.records import Item
from vigil.normalize.itemcopy import replace_item
from vigil.normalize.rewrite import LengthPreserving, RegexSub, Translate, align_piece, run_tracked


def test_rewrite_translate_tracks_deletions_and_expansions() -> None:
    rw = Translate("t", {ord("x"): None, ord("y"): "yy"})
    out, starts, ends = rw.apply_tracked("axyb")
    assert out == rw.apply("axyb") == "ayyb"
    assert starts == [0, 2, 2, 3] and ends == [1, 3, 3, 4]


def test_rewrite_regex_sub_aligns_deletions_exactly() -> None:
    rw = RegexSub("glue", re.compile(r"a\.b\.c"), "abc")
    out, starts, ends = rw.apply_tracked("x a.b.c y")
    assert out == "x abc y"
    assert starts[2:5] == [2, 4, 6]


def test_rewrite_align_piece_falls_back_to_whole_span() -> None:
    assert align_piece("zz", "abc", 10) == ([10, 10], [13, 13])


def test_rewrite_guard_skips_work_in_both_paths() -> None:
    rw = Translate("t", {ord("a"): "b"}, guard=lambda t: False)
    assert rw.apply("aaa") == "aaa"
    assert rw.apply_tracked("aaa")[0] == "aaa"


def test_rewrite_length_preserving_catches_a_length_change() -> None:
    rw = LengthPreserving("bad", lambda t: t + "!")
    try:
        rw.apply_tracked("abc")
    except AssertionError as exc:
        assert "bad" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a length change must be caught")


def test_rewrite_run_tracked_composes_maps() -> None:
    steps = (Translate("del", {ord("-"): None}), RegexSub("sq", re.compile("ll+"), "l"))
    out, starts, ends = run_tracked(steps, "k-i-lll")
    assert out == "kil"
    assert (starts[2], ends[2]) == (4, 5)


def test_rewrite_replace_item_equals_dataclasses_replace() -> None:
    item = normalize("some text")
    assert replace_item(item, folded="x", urls=("u",)) == dataclasses.replace(item, folded="x", urls=("u",))
    with pytest.raises(TypeError, match="nope"):
        replace_item(item, nope=1)
    assert item.folded != "x"  # the original is untouched


def test_rewrite_replace_item_copies_and_replaces_every_field() -> None:
    item = normalize("some text")
    other = normalize("other words http://example.org")
    changes = {f.name: getattr(other, f.name) for f in dataclasses.fields(Item)}
    assert replace_item(item, **changes) == dataclasses.replace(item, **changes) == other
    for f in dataclasses.fields(Item):
        assert getattr(replace_item(item), f.name) is getattr(item, f.name)


def test_rewrite_one_way_is_declared_correctly() -> None:
    # A table that both deletes and expands cannot take the equal-length shortcut of the tracked path.
    assert not Translate("t", {ord("x"): None, ord("y"): "yy"}).one_way
    assert Translate("t", {ord("x"): None, ord("y"): "z"}).one_way
    out, starts, ends = run_tracked((Translate("t", {ord("x"): None, ord("y"): "yy"}),), "xy")
    assert out == "yy" and starts == [1, 1]
