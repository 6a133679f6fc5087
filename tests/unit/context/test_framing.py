"""Framing cues: structure of news and monitoring texts, and calls made in the author's own voice."""

from __future__ import annotations

import pytest

from vigil.context.framing import phrase_cues, structural_cues, voice_calls


def _families(cues: list) -> set[str]:
    return {c.family for c in cues}


@pytest.mark.parametrize(
    "text",
    [
        "KYIV (Reuters) - Officials said the blast damaged two buildings.",
        "   SAN JOSE, 3 NOV 89 (ACAN-EFE) -- [TEXT] THE GOVERNMENT SAID TODAY THAT TALKS WILL RESUME.",
        "LIMA, NO DATE (TELEVISION PERUANA) -- [TEXT] THE MINISTER SPOKE.",
    ],
)
def test_framing_datelines(text: str) -> None:
    assert "dateline" in _families(structural_cues(text))


def test_framing_agency_lead_source_line_and_photo_credit() -> None:
    text = "(Example Press) – The group claimed the attack (Photo: Example Wire).\n\nMore text.\n\nSource: Daily Example"
    cues = structural_cues(text)
    assert [c.family for c in cues].count("agency") == 3


def test_framing_bylines() -> None:
    assert "byline" in _families(structural_cues("By Jane Miller\n\nThe report follows."))
    assert "byline" in _families(structural_cues("The report ends.\nFollow Sam Kent on Twitter"))


def test_framing_monitoring_boilerplate_is_found() -> None:
    cues = phrase_cues("The Cyber & Jihad Lab monitors, tracks, translates and analyzes jihadi channels.")
    assert "monitoring" in _families(cues)


def test_framing_official_branding_counts_against_unless_distanced() -> None:
    branded = phrase_cues("#AmaqAgency fighters destroy two vehicles near the river")
    assert any(c.family == "official" and c.weight < 0 for c in branded)
    distanced = phrase_cues("The group's Amaq agency claimed the attack, officials said")
    assert "official" not in _families(distanced)


@pytest.mark.parametrize(
    "text",
    [
        "Kill them wherever you find them.",
        "Brothers, rise up and strike the enemy tonight!",
        "O Muslims, attack them in their homes.",
        "They should all be hanged from the lamp posts.",
        "Hängt sie alle auf!",
    ],
)
def test_framing_calls_in_the_author_voice(text: str) -> None:
    assert voice_calls(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Attack on a concert hall kills dozens, officials say.",
        "Bomb blast near the market, police report.",
        "Fight against the group intensifies in the north.",
        "The attack was claimed by the group.",
    ],
)
def test_framing_headline_nouns_are_not_calls(text: str) -> None:
    assert voice_calls(text) == [], text


def test_framing_clandestine_station_dateline_is_branding_not_news() -> None:
    text = "   CLANDESTINE, 5 DEC 89 (RADIO EXAMPLE) -- [TEXT] OUR UNITS DOWNED A PLANE TODAY."
    cues = structural_cues(text)
    assert "dateline" not in _families(cues)
    assert any(c.family == "official" and c.weight < 0 for c in cues)


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("he said, as reported by the EFE agency.", "agency"),
        ("AP contributed to this report", "agency"),
        ("Even before the message appeared, experts had warned of a backlash.", "analysis"),
        ("The group's spokesman spoke for an hour.", "analysis"),
        ("A pro-ISIS Telegram channel shared a post arguing for more attacks.", "analysis"),
        ("Its authenticity has not yet been verified.", "analysis"),
        ("Terrorism has no religion. We condemn this cowardly attack.", "counter"),
    ],
)
def test_framing_phrase_cues(text: str, family: str) -> None:
    assert family in _families(phrase_cues(text)), text
