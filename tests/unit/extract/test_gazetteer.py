"""The gazetteer: shipped data, user extension, matching in several scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigil.core.errors import ConfigError
from vigil.extract.gazetteer import load_gazetteer
from vigil.extract.matcher import GazetteerMatcher


def _ids(text: str, user_file: str = "") -> list[str]:
    return [m.entry.id for m in GazetteerMatcher(load_gazetteer(user_file)).find(text)]


def test_gazetteer_every_org_cites_a_designation() -> None:
    gaz = load_gazetteer()
    for entry in gaz.of_kind("organisation"):
        assert gaz.designations_of(entry.id), f"{entry.id} has no designation"
        for d in entry.designations:
            assert d.list_id in gaz.lists and d.year and 1990 <= d.year <= 2030


def test_gazetteer_outlets_inherit_parent_designation() -> None:
    gaz = load_gazetteer()
    assert gaz.designations_of("al_furqan") == gaz.get("islamic_state").designations  # type: ignore[union-attr]
    assert gaz.designations_of("al_azaim") == gaz.get("islamic_state_khorasan").designations  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Daesh fighters withdrew", "islamic_state"),
        ("أعلن تنظيم الدولة الإسلامية مسؤوليته", "islamic_state"),
        ("бойцы ИГИЛ", "islamic_state"),
        ("ответственность взяло Исламское государство", "islamic_state"),
        ("a claim by ISKP on Friday", "islamic_state_khorasan"),
        ("Wilayat Khorasan released", "islamic_state_khorasan"),
        ("ISIS-K's media channel", "islamic_state_khorasan"),
        ("the AQAP branch", "aqap"),
        ("Al-Shabaab fighters", "al_shabaab"),
        ("بيان حركة الشباب المجاهدين", "al_shabaab"),
        ("a video from As-Sahab", "as_sahab"),
        ("وكالة أعماق الإخبارية", "amaq"),
        ("the Feuerkrieg Division cell", "feuerkrieg_division"),
        ("The Base recruited online", "the_base"),
        ("members of Hay'at Tahrir al-Sham", "hts"),
    ],
)
def test_gazetteer_finds_aliases_in_three_scripts(text: str, entity: str) -> None:
    assert entity in _ids(text)


def test_gazetteer_case_sensitive_and_ambiguous_aliases() -> None:
    assert _ids("This is where the base of the tower is") == []
    assert _ids("IS claimed it") == ["islamic_state"]
    assert _ids("THIS IS A REPORT ABOUT THE WEATHER") == []  # upper-case text says nothing about case
    assert _ids("خرج الشباب إلى الشارع") == []  # "the youth", not al-Shabaab, with no other name
    assert "al_shabaab" in _ids("قالت حركة الشباب إن الشباب")


def test_gazetteer_offsets_point_into_text() -> None:
    text = "He spoke for the Al Furqan production company."
    (m,) = GazetteerMatcher(load_gazetteer()).find(text)
    assert text[m.start : m.end] == "Al Furqan" and m.entry.kind == "outlet"


def test_gazetteer_user_file_extends(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "entities:\n"
        "  - {id: islamic_state, kind: organisation, canonical: Islamic State (ISIS), aliases: [Dawla]}\n"
        "  - {id: example_cell, kind: organisation, canonical: Example Cell, aliases: [Example Cell, EXC],\n"
        "     case_sensitive: [EXC], designations: [{list: uk_proscribed, year: 2030}]}\n",
        encoding="utf-8",
    )
    assert _ids("supporters of the Dawla", str(user)) == ["islamic_state"]
    assert _ids("an EXC flyer", str(user)) == ["example_cell"]
    assert "Daesh" in load_gazetteer(str(user)).get("islamic_state").aliases  # type: ignore[union-attr]


def test_gazetteer_bad_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_gazetteer(str(tmp_path / "missing.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "entities:\n  - {id: x, canonical: X, designations: [{list: nowhere, year: 2020}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="unknown list 'nowhere'"):
        load_gazetteer(str(bad))
