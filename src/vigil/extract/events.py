"""The ``events`` extractor: attacks and calls to attack, each with its supporting spans.

Attacks come from `attacks`, calls from `calls`; a call whose text ties it to an attack ("less than a
week after the attack on a theater in Moscow", "retaliate for the terror attack") names that attack
as its trigger (``trigger_event`` is the attack's index in the returned events). Dates resolve
against the item's own date (``RawItem.published_at``, else its dateline); each event records which
(``anchor_source``). Rules are English; other languages get entities (gazetteer) but no events.

Options (``[plugins.events]``): the same ``gazetteer`` and ``spacy`` as the entities plugin.

Where it sits: ``Item ─► extract ─► Assessment.events``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vigil.core.records import Context, Event, Item
from vigil.core.registry import Manifest
from vigil.core.settings import Settings
from vigil.extract.analysis import Analysis
from vigil.extract.attacks import find_attacks
from vigil.extract.base import Extraction, Extractor
from vigil.extract.calls import call_fields, find_calls
from vigil.extract.entities import shared_analyser

MAX_EVENTS = 50  # bound the work an attacker-written item can cause


def _link_trigger(fields: dict[str, Any], trigger_span: tuple[int, int] | None, attacks: list[Any]) -> None:
    """Point a call at the attack its trigger phrase refers to (the attack mentioned in the same
    sentence, else the first attack of the item)."""
    if not attacks:
        return
    index = 0
    if trigger_span is not None:
        for i, (_, _, spans) in enumerate(attacks):
            if any(s <= trigger_span[0] < e for s, e in spans):
                index = i
                break
    attack = attacks[index][0]
    fields["trigger_event"] = index
    where = f" in {attack['place']}" if attack.get("place") else ""
    fields["trigger"] = f"{attack.get('type', 'attack')}{where}"


class EventsExtractor(Extractor):
    name = "events"
    version = 1

    def __init__(self, settings: Settings, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(settings, options)
        self.analyser = shared_analyser(settings, self.options, "entities.v1")

    def extract(self, item: Item, context: Context | None = None) -> Extraction:
        analysis = self.analyser.analyse(item)
        if not analysis.english or not analysis.masked.strip():
            return (), ()
        return (), tuple(self.events(analysis)[:MAX_EVENTS])

    def events(self, a: Analysis) -> list[Event]:
        attacks = find_attacks(a)
        out: list[Event] = []
        anchor = {"anchor": a.anchor.isoformat() if a.anchor else None, "anchor_source": a.anchor_source}
        for attack_fields, attack_evidence, _ in attacks:
            out.append(Event("attack", {**attack_fields, **anchor}, attack_evidence, self.id))
        calls = find_calls(a)
        for i, call in enumerate(calls):
            fields, evid = call_fields(a, call, main=i == 0)
            if call.triggers or (i == 0 and "trigger" not in fields):
                chosen = (
                    next((t for t in call.triggers if "after" in t[0].lower()), call.triggers[0])
                    if call.triggers
                    else None
                )
                span = (chosen[1], chosen[2]) if chosen else None
                if call.triggers or len(attacks) == 1:
                    _link_trigger(fields, span, attacks)
            out.append(Event("call_to_attack", {**fields, **anchor}, tuple(evid), self.id))
        return out


MANIFEST = Manifest(extractors=(EventsExtractor,))
