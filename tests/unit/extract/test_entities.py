"""The entities extractor: gazetteer first, spaCy for the rest, persons linked across spellings."""

from __future__ import annotations

from tests.helpers.extract import item, needs_spacy, seed
from vigil.core.settings import Settings
from vigil.extract.entities import EntitiesExtractor
from vigil.plugins import BUILTIN_MODULES


def _entities(text: str, language: str | None = "en") -> list:
    entities, events = EntitiesExtractor(Settings()).extract(item(text, language=language))
    assert events == ()
    return entities


def test_entities_gazetteer_wins_over_spacy() -> None:
    needs_spacy()
    text = "The message was distributed by Al Furqan, and Abu Huthaifa al-Ansari spoke for ISIS in Moscow."
    by_text = {m.text: m for m in _entities(text)}
    assert by_text["Al Furqan"].kind == "outlet" and by_text["Al Furqan"].entity_id == "al_furqan"
    assert by_text["Abu Huthaifa al-Ansari"].entity_id == "abu_hudhayfah_al_ansari"
    assert by_text["Abu Huthaifa al-Ansari"].canonical == "Abu Hudhayfah al-Ansari"
    assert by_text["ISIS"].entity_id == "islamic_state"
    assert by_text["Moscow"].kind == "place" and by_text["Moscow"].entity_id is None


def test_entities_offsets_and_provenance() -> None:
    needs_spacy()
    text = "Officials in Berlin said Daesh had claimed the attack."
    for m in _entities(text):
        assert text[m.start : m.end] == m.text
        assert m.extractor == "entities.v1"


def test_entities_short_form_links_to_full_name_in_item() -> None:
    needs_spacy()
    text = "The spokesman Abu Hudhayfah al-Ansari spoke for an hour. Later, Al Ansari praised the attackers."
    persons = [m for m in _entities(text) if m.kind == "person"]
    assert {m.entity_id for m in persons} == {"abu_hudhayfah_al_ansari"}
    assert len(persons) == 2


def test_entities_unknown_spelling_linked_to_gazetteer_person() -> None:
    needs_spacy()
    text = "A new recording attributed to Abou Houdhaifa el-Ansary circulated on Sunday."
    persons = [m for m in _entities(text) if m.kind == "person"]
    assert persons and persons[0].entity_id == "abu_hudhayfah_al_ansari"


def test_entities_arabic_and_russian_use_gazetteer_only() -> None:
    arabic = _entities(
        "نشرت مؤسسة الفرقان كلمة للمتحدث أبو حذيفة الأنصاري باسم الدولة الإسلامية", language="ar"
    )
    assert {m.entity_id for m in arabic} == {"al_furqan", "abu_hudhayfah_al_ansari", "islamic_state"}
    russian = _entities("Ответственность за теракт взяла группировка ИГИЛ.", language="ru")
    assert [m.entity_id for m in russian] == ["islamic_state"]


def test_entities_empty_and_odd_text_never_raise() -> None:
    for text in ("", " ", "\u200b", "x" * 5000, "!!!???", "١٢٣"):
        _entities(text)


def test_entities_runs_without_spacy() -> None:
    extractor = EntitiesExtractor(Settings(), {"spacy": False})
    entities, _ = extractor.extract(item("ISKP claimed it in Moscow."))
    assert [m.entity_id for m in entities if m.kind != "date"] == ["islamic_state_khorasan"]


def test_entities_seed_000_expected_entities() -> None:
    needs_spacy()
    found = {(m.kind, m.entity_id or m.canonical) for m in _entities(seed("000"))}
    assert {
        ("organisation", "islamic_state"),
        ("outlet", "al_furqan"),
        ("person", "abu_hudhayfah_al_ansari"),
    } <= found
    assert {("place", "Moscow"), ("place", "Gaza")} <= found


def test_entities_seed_004_channel() -> None:
    needs_spacy()
    found = {(m.kind, m.canonical) for m in _entities(seed("004"))}
    assert ("channel", "Media Analyst") in found


def test_entities_plugins_registered() -> None:
    assert "vigil.extract.entities" in BUILTIN_MODULES and "vigil.extract.events" in BUILTIN_MODULES
