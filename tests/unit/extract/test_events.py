"""The events extractor: attacks and calls to attack, on our own short texts and on the seeds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.extract import item, needs_spacy, seed
from vigil.core.records import Event
from vigil.core.settings import Settings
from vigil.extract.events import EventsExtractor


@pytest.fixture(autouse=True)
def _spacy() -> None:
    needs_spacy()


def _events(text: str, published: str | None = None) -> list[Event]:
    it = item(text, published)
    entities, events = EventsExtractor(Settings()).extract(it)
    assert entities == ()
    for ev in events:
        assert ev.extractor == "events.v1" and ev.evidence
        for e in ev.evidence:
            assert e.start is not None and it.normalized[e.start : e.end] == e.text
    return list(events)


def _of(events: list[Event], kind: str) -> list[dict[str, Any]]:
    return [dict(e.fields) for e in events if e.kind == kind]


def test_events_attack_fields_from_own_text() -> None:
    text = (
        "Gunmen opened fire at a wedding hall in Exampleville last Saturday, leaving at least 12 people dead "
        "and 30 injured. The Example Front claimed responsibility for the attack on Sunday."
    )
    (attack,) = _of(_events(text, "2024-05-08"), "attack")
    assert attack["place"] == "Exampleville"
    assert (attack["deaths"], attack["deaths_qualifier"], attack["injured"]) == (12, "at least", 30)
    assert (attack["date"], attack["date_resolved"]) == ("2024-05-04", True)
    assert attack["type"] == "shooting"


def test_events_unresolvable_date_marked() -> None:
    text = "A bomb exploded at a bus station in Exampleville last Friday, killing 3 people."
    (attack,) = _of(_events(text), "attack")
    assert attack["date_resolved"] is False and attack["date_expression"] == "last Friday"
    assert attack["type"] == "bombing" and attack["anchor_source"] == "none"


def test_events_call_fields_from_own_text() -> None:
    text = (
        "The group's spokesman Abu Huthaifa al-Ansari on Monday urged supporters to attack Jews and Crusaders "
        "in Europe, in a 20-minute audio message released by Al Furqan on Telegram."
    )
    (call,) = _of(_events(text, "2024-06-05"), "call_to_attack")
    assert call["speaker_id"] == "abu_hudhayfah_al_ansari"
    assert call["outlet_id"] == "al_furqan" and call["medium"] == "Telegram" and call["format"] == "audio"
    assert call["duration_s"] == 20 * 60
    assert {"Jews", "Crusaders", "Europe"} <= set(call["targets"])
    assert (call["date"], call["date_resolved"]) == ("2024-06-03", True)
    assert call["organisation_id"] == "islamic_state"  # the spokesman's group via the gazetteer


def test_events_hypothetical_and_generic_attacks_ignored() -> None:
    text = "Officials warned of the possibility of an attack in Exampleville. Attacks by extremists are a threat."
    assert _of(_events(text, "2024-01-10"), "attack") == []


def test_events_request_to_pay_attention_is_not_a_call() -> None:
    text = "The Kremlin called on the platform owner to pay more attention to what users post."
    assert _of(_events(text, "2024-01-10"), "call_to_attack") == []


def test_events_non_english_items_have_no_events() -> None:
    it = item("أعلن التنظيم مسؤوليته عن الهجوم", language="ar")
    assert EventsExtractor(Settings()).extract(it) == ((), ())


# ---- the seeds ---------------------------------------------------------------------------------


def test_events_seed_000_crocus_attack_and_ansari_call() -> None:
    events = _events(seed("000"), "2024-03-29")  # as a feed or `--published` would date it
    attacks = _of(events, "attack")
    moscow = next(a for a in attacks if a.get("place") == "Moscow")
    assert (moscow["date"], moscow["date_resolved"], moscow["date_expression"]) == (
        "2024-03-22",
        True,
        "last Friday",
    )
    assert (moscow["deaths"], moscow["deaths_qualifier"]) == (143, "at least")
    assert moscow["claimed_by_id"] == "islamic_state"
    calls = _of(events, "call_to_attack")
    call = calls[0]
    assert call["speaker_id"] == "abu_hudhayfah_al_ansari"
    assert call["outlet_id"] == "al_furqan" and call["medium"] == "Telegram"
    assert call["duration_s"] == 41 * 60
    assert {"Europe", "United States", "Jews", "Crusaders"} <= set(call["targets"])
    assert (call["date"], call["date_expression"]) == ("2024-03-28", "on Thursday")
    assert call["trigger_event"] == attacks.index(moscow)
    assert call["trigger_relation"] == "less than a week after"
    assert any(c["date"] == "2024-01-04" for c in calls[1:])  # the earlier January message is its own call


def test_events_seed_000_without_date_marks_unresolved() -> None:
    moscow = next(a for a in _of(_events(seed("000")), "attack") if a.get("place") == "Moscow")
    assert moscow["date_resolved"] is False and moscow["date_expression"] == "last Friday"


def test_events_seed_001_claimed_by_isis_k() -> None:
    events = _events(seed("001"), "2024-03-29")
    (attack,) = [a for a in _of(events, "attack") if a.get("place") == "Moscow"]
    assert attack["claimed_by_id"] == "islamic_state_khorasan"
    assert attack["deaths"] == 143 and attack["date"] == "2024-03-22"
    call = _of(events, "call_to_attack")[0]
    assert call["speaker_id"] == "abu_hudhayfah_al_ansari" and call["medium"] == "Telegram"
    assert call["date"] == "2024-03-28"


def test_events_seed_002_christchurch_and_muhajir() -> None:
    events = _events(seed("002"))
    christchurch = next(a for a in _of(events, "attack") if a.get("place") == "Christchurch")
    assert christchurch["deaths"] == 50
    call = _of(events, "call_to_attack")[0]
    assert call["speaker_id"] == "abu_hassan_al_muhajir"
    assert call["duration_s"] == 44 * 60 and call["outlet_id"] == "al_furqan"
    assert call["trigger"] == "attack in Christchurch"


def test_events_seed_003_baghouz_messages() -> None:
    call = _of(_events(seed("003")), "call_to_attack")[0]
    assert call["trigger"] == "siege of Baghouz"
    assert {"Europe", "Crusaders"} <= set(call["targets"])
    assert call["duration_s"] == 90
    assert call["date_expression"] == "on Wednesday" and call["date_resolved"] is False


def test_events_seed_004_dateline_anchor() -> None:
    (attack,) = _of(_events(seed("004")), "attack")
    assert attack["anchor_source"] == "dateline" and attack["anchor"] == "2024-03-25"
    assert attack["place"] == "Moscow" and attack["date"] == "2024-03-22"
    assert attack["claimed_by_id"] == "islamic_state"
