from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.helpers.images import good_seeds, make_image, mirror, to_bytes
from vigil.core.records import ContentKind, Item, MediaRef, RawItem
from vigil.match.banks import NewEntry
from vigil.match.confirm import add_confirmed_item
from vigil.match.matcher import Matcher
from vigil.match.memory_store import MemoryBankStore
from vigil.match.types import load_signal_types

TYPES = load_signal_types()
CALL = "Brothers everywhere, take the knife and strike them in their streets and markets without delay"
REPOST = "BROTHERS everywhere!! take the knife & strike them in their streets and markets without delay 🔥🔥"


def _store() -> MemoryBankStore:
    store = MemoryBankStore(TYPES)
    store.create_bank("propaganda", labels=["incitement"], group="ISIS", source="internal")
    store.create_bank("news-photos", negative=True, source="internal")
    return store


def _item(text: str, media: tuple[MediaRef, ...] = (), urls: tuple[str, ...] = ()) -> Item:
    raw = RawItem("test", "1", ContentKind.MESSAGE, text, b"", "test.v1", datetime.now(UTC), media=media, id=7)
    return Item(raw=raw, text=text, normalized=text, folded=text.lower(), urls=urls)


def test_matcher_finds_near_duplicate_text_with_provenance() -> None:
    store = _store()
    store.add_entries("propaganda", [NewEntry("text_near", TYPES["text_near"].hash_text(CALL), added_by="alice",
                                              origin="item:tg:5", note="the March call")])
    matches = Matcher(store).match(_item(REPOST))
    assert len(matches) == 1
    m = matches[0]
    assert (m.bank, m.signal_type, m.labels, m.negative) == ("propaganda", "text_near", ("incitement",), False)
    assert 0 <= m.distance <= 0.5
    assert m.provenance["added_by"] == "alice" and m.provenance["origin"] == "item:tg:5"
    assert m.provenance["group"] == "ISIS"


def test_matcher_no_match_for_unrelated_text() -> None:
    store = _store()
    store.add_entries("propaganda", [NewEntry("text_near", TYPES["text_near"].hash_text(CALL))])
    assert Matcher(store).match(_item("The council meets on Tuesday to discuss the new bus timetable downtown")) == ()


def test_matcher_follows_additions_and_disabling_after_refresh() -> None:
    store = _store()
    matcher = Matcher(store)
    assert matcher.match(_item(CALL)) == ()
    added = store.add_entries("propaganda", [NewEntry("text_exact", TYPES["text_exact"].hash_text(CALL))]).added
    matcher.refresh()
    assert [m.signal_type for m in matcher.match(_item(CALL))] == ["text_exact"]
    store.set_entries_enabled(added, False)
    matcher.refresh()
    assert matcher.match(_item(CALL)) == ()
    store.set_entries_enabled(added, True)
    matcher.refresh()
    assert len(matcher.match(_item(CALL))) == 1
    store.update_bank("propaganda", enabled=False)
    matcher.refresh()
    assert matcher.match(_item(CALL)) == ()


def test_matcher_background_refresh_picks_up_changes() -> None:
    store = _store()
    matcher = Matcher(store, refresh_interval=0.05).start()
    try:
        matcher.index("url")  # built before the change, so the change arrives as a delta
        store.add_entries("propaganda", [NewEntry("url", "https://files.example.net/a.mp4")])
        deadline = time.monotonic() + 5
        while not matcher.match("get it at hxxps://files[.]example[.]net/a.mp4") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert matcher.match("get it at hxxps://files[.]example[.]net/a.mp4")
    finally:
        matcher.close()


def test_matcher_rebuild_swaps_index_and_keeps_serving() -> None:
    store = _store()
    signals = [f"{i:032x}" for i in range(50)]
    store.add_entries("propaganda", [NewEntry("md5", s) for s in signals[:10]])
    matcher = Matcher(store)
    index = matcher.index("md5")
    index.max_delta = 5
    store.add_entries("propaganda", [NewEntry("md5", s) for s in signals[10:]])
    matcher.refresh()  # delta > max_delta: a rebuild starts in the background
    assert len(matcher.lookup("md5", [signals[30]])) == 1  # served from the delta meanwhile
    thread = index._rebuilding
    assert thread is not None
    thread.join(timeout=10)
    assert index.rebuilds == 1 and index.size()["delta"] == 0 and index.size()["main"] == 50
    assert len(matcher.lookup("md5", [signals[49]])) == 1


def test_matcher_per_bank_threshold() -> None:
    store = _store()
    store.create_bank("strict", thresholds={"text_near": 0.05})
    entry = NewEntry("text_near", TYPES["text_near"].hash_text(CALL))
    store.add_entries("propaganda", [entry])
    store.add_entries("strict", [entry])
    banks = {m.bank for m in Matcher(store).match(_item(REPOST))}
    assert banks == {"propaganda"}


def test_matcher_negative_bank_suppresses_positive_for_the_same_image(tmp_path) -> None:
    store = _store()
    seed = good_seeds(1)[0]
    photo = to_bytes(make_image(seed))
    pdq = TYPES["pdq"].hash_bytes(photo)
    store.add_entries("propaganda", [NewEntry("pdq", pdq), NewEntry("text_exact", TYPES["text_exact"].hash_text(CALL))])
    store.add_entries("news-photos", [NewEntry("pdq", pdq, note="AP photo of the scene")])
    path = tmp_path / "photo.png"
    path.write_bytes(to_bytes(mirror(make_image(seed))))
    report = Matcher(store).report(_item(CALL, media=(MediaRef("photo", path=str(path)),)))
    by_type = {(m.signal_type, m.negative) for m in report.matches}
    assert by_type == {("pdq", True), ("text_exact", False)}  # the text is still matched
    assert [m.bank for m in report.suppressed] == ["propaganda"]


def test_matcher_reports_low_quality_images(tmp_path) -> None:
    from PIL import Image

    path = tmp_path / "blank.png"
    Image.new("RGB", (100, 100), (255, 255, 255)).save(path)
    report = Matcher(_store()).report(MediaRef("photo", path=str(path)))
    assert report.matches == ()
    assert any("quality" in note for note in report.notes)


def test_matcher_refuses_media_outside_the_media_root(tmp_path) -> None:
    outside = tmp_path / "x.png"
    outside.write_bytes(to_bytes(make_image(1)))
    root = tmp_path / "export"
    root.mkdir()
    report = Matcher(_store(), media_root=root).report(MediaRef("photo", path=str(outside)))
    assert any("outside the media folder" in n for n in report.notes)


def test_confirmed_item_is_banked_with_provenance_and_caught_next_time(tmp_path) -> None:
    store = _store()
    seed = good_seeds(1)[0]
    path = tmp_path / "poster.jpg"
    make_image(seed).save(path, "JPEG", quality=90)
    matcher = Matcher(store)
    item = _item(CALL, media=(MediaRef("photo", path=str(path)),), urls=("https://news.example.org/story",))
    result = add_confirmed_item(store, "propaganda", item, added_by="mod:bob", decision_id=42, note="confirmed",
                                labels=["incitement"], matcher=matcher)
    entries = store.get_entries(result.added)
    assert {e.signal_type for e in entries.values()} == {"text_exact", "text_near", "pdq", "md5", "sha256"}
    e = next(iter(entries.values()))
    assert (e.added_by, e.origin, e.note, e.meta["decision"]) == ("mod:bob", "item:test:1#7", "confirmed", "42")
    # the URL (a news link) was not banked, and the next re-post is caught at once
    assert not store.find_entries("url", "https://news.example.org/story")
    assert {m.signal_type for m in matcher.match(_item(REPOST))} == {"text_near"}


def test_confirming_a_two_word_item_says_why_nothing_was_banked() -> None:
    from vigil.core.errors import InvalidSignal

    with pytest.raises(InvalidSignal, match="no signal strong enough"):
        add_confirmed_item(_store(), "propaganda", _item("hi"), added_by="mod")


def test_matcher_exact_from_store_answers_without_an_index() -> None:
    store = _store()
    store.add_entries("propaganda", [NewEntry("url", "https://files.example.net/a.mp4")])
    matcher = Matcher(store, exact_from_store=True)
    assert [m.bank for m in matcher.match("hxxps://files[.]example[.]net/a.mp4")] == ["propaganda"]
    assert "url" not in matcher._indexes
