"""A STIX 2.1 bundle of what Vigil knows, built with the OASIS ``stix2`` library:

* designated groups (gazetteer organisations mentioned in stored items) as **intrusion-set**s, with
  their aliases and the public designations as external references;
* spokesmen and leaders (gazetteer persons) as **threat-actor**s, ``attributed-to`` their group;
* stories as **report**s referring to the groups and persons they mention;
* banked hashes as **indicator**s, from any `IndicatorSource` (the hash banks plug in here): SHA-256,
  MD5 and URL signals become STIX patterns; other signal types have no STIX pattern and are counted
  in the bundle's report of what was skipped.

Identifiers are UUIDv5 of the gazetteer id / story id / signal, so exporting twice gives the same
ids and partners can update rather than duplicate. Only gazetteer entities are exported as groups
and actors: a name spaCy found ("Reuters") is not an intrusion set.

Where it sits: `vigil export stix`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import stix2
from sqlalchemy import func, select

from vigil.extract.gazetteer import Gazetteer, load_gazetteer
from vigil.store import intel_queries
from vigil.store.schema_intel import entity_mentions

NAMESPACE = uuid.UUID("6f1c1f7e-8f5e-4a53-9c51-7d0a9b7a1e10")  # Vigil's UUIDv5 namespace; never change
PATTERNS = {
    "sha256": "[file:hashes.'SHA-256' = '{}']",
    "md5": "[file:hashes.MD5 = '{}']",
    "url": "[url:value = '{}']",
}


@dataclass(frozen=True)
class BankedSignal:
    """One entry of a hash bank, as an `IndicatorSource` hands it over."""

    signal_type: str  # sha256 | md5 | url | pdq | text_exact | ...
    value: str
    bank: str
    labels: tuple[str, ...] = ()
    created: datetime | None = None
    note: str | None = None


class IndicatorSource(Protocol):
    """What the hash banks implement to appear in STIX exports (``vigil.match`` on the banks
    branch): every enabled, non-negative bank entry."""

    def banked_signals(self) -> Iterable[BankedSignal]: ...


@dataclass
class StixReport:
    bundle: stix2.Bundle
    counts: dict[str, int] = field(default_factory=dict)


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _identity() -> stix2.Identity:
    return stix2.Identity(id=_id("identity", "vigil"), name="Vigil", identity_class="system",
                          created=datetime(2026, 1, 1, tzinfo=UTC), modified=datetime(2026, 1, 1, tzinfo=UTC))


def _mentioned_ids(store: Any) -> dict[str, datetime]:
    """Gazetteer ids mentioned in the store, with the first time each was seen."""
    from vigil.store.schema import raw_items

    when = func.coalesce(raw_items.c.published_at, raw_items.c.received_at)
    stmt = (select(entity_mentions.c.entity_id, func.min(when))
            .select_from(entity_mentions.join(raw_items, raw_items.c.id == entity_mentions.c.raw_id))
            .where(entity_mentions.c.entity_id.is_not(None)).group_by(entity_mentions.c.entity_id))
    with store.begin() as conn:
        return {eid: first for eid, first in conn.execute(stmt)}


def _external_refs(gaz: Gazetteer, entity_id: str) -> list[stix2.ExternalReference]:
    return [stix2.ExternalReference(source_name=d.list_name[:250],
                                    description=f"designated {d.year or 'year unknown'}" + (f"; {d.note}" if d.note else "")
                                    + ("" if d.certain else " (unconfirmed)"))
            for d in gaz.designations_of(entity_id)]


def _group(gaz: Gazetteer, entity_id: str, created: datetime, identity: stix2.Identity) -> stix2.IntrusionSet:
    e = gaz.entries[entity_id]
    return stix2.IntrusionSet(
        id=_id("intrusion-set", e.id), name=e.canonical, aliases=[a for a in e.aliases if a != e.canonical][:100] or None,
        description=e.description, external_references=_external_refs(gaz, e.id) or None,
        created_by_ref=identity.id, created=created, modified=created,
    )


def _actor(gaz: Gazetteer, entity_id: str, created: datetime, identity: stix2.Identity) -> stix2.ThreatActor:
    e = gaz.entries[entity_id]
    return stix2.ThreatActor(
        id=_id("threat-actor", e.id), name=e.canonical, threat_actor_types=["terrorist"],
        aliases=[a for a in e.aliases if a != e.canonical][:100] or None, description=e.role or e.description,
        external_references=_external_refs(gaz, e.id) or None, created_by_ref=identity.id, created=created, modified=created,
    )


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _indicators(sources: Sequence[IndicatorSource], identity: stix2.Identity, counts: dict[str, int]) -> list[Any]:
    out = []
    for source in sources:
        for sig in source.banked_signals():
            template = PATTERNS.get(sig.signal_type)
            if template is None:
                counts[f"skipped_{sig.signal_type}"] = counts.get(f"skipped_{sig.signal_type}", 0) + 1
                continue
            created = sig.created or datetime(2026, 1, 1, tzinfo=UTC)
            out.append(stix2.Indicator(
                id=_id("indicator", f"{sig.signal_type}:{sig.value}"), name=f"{sig.bank}: {sig.signal_type}",
                pattern=template.format(_escape(sig.value)), pattern_type="stix", valid_from=created,
                indicator_types=["malicious-activity"], labels=list(sig.labels) or None, description=sig.note,
                created_by_ref=identity.id, created=created, modified=created,
            ))
    return out


def build_bundle(store: Any, indicator_sources: Sequence[IndicatorSource] = (), gazetteer: Gazetteer | None = None,
                 max_stories: int = 10_000) -> StixReport:
    gaz = gazetteer or load_gazetteer()
    identity = _identity()
    objects: list[Any] = [identity]
    counts: dict[str, int] = {}
    seen = _mentioned_ids(store)
    groups = {eid: _group(gaz, eid, seen[eid], identity) for eid in seen
              if eid in gaz.entries and gaz.entries[eid].kind == "organisation"}
    actors = {eid: _actor(gaz, eid, seen[eid], identity) for eid in seen
              if eid in gaz.entries and gaz.entries[eid].kind == "person"}
    objects += [*groups.values(), *actors.values()]
    for eid, actor in actors.items():
        parent = gaz.entries[eid].parent
        if parent and parent in groups:
            objects.append(stix2.Relationship(id=_id("relationship", f"{eid}>{parent}"), relationship_type="attributed-to",
                                              source_ref=actor.id, target_ref=groups[parent].id,
                                              created_by_ref=identity.id, created=actor.created, modified=actor.created))
    stories = intel_queries.list_stories(store, limit=max_stories)
    for st in stories:
        refs = [groups[k].id for k in st_keys(st) if k in groups] + [actors[k].id for k in st_keys(st) if k in actors]
        published = datetime.fromisoformat(st["last_seen"])
        objects.append(stix2.Report(
            id=_id("report", str(st["id"])), name=st["title"][:500], report_types=["threat-report"],
            published=published, object_refs=refs or [identity.id], description=story_description(st),
            created_by_ref=identity.id, created=published, modified=published,
        ))
    objects += _indicators(indicator_sources, identity, counts)
    counts.update({"intrusion_sets": len(groups), "threat_actors": len(actors), "reports": len(stories),
                   "indicators": sum(1 for o in objects if o.type == "indicator")})
    return StixReport(stix2.Bundle(objects=objects, id=_id("bundle", datetime.now(UTC).isoformat())), counts)


def st_keys(story: dict[str, Any]) -> list[str]:
    return list(story.get("entity_keys", []))


def story_description(st: dict[str, Any]) -> str:
    lines = [f"{st['size']} items from {st['first_seen'][:10]} to {st['last_seen'][:10]}: " + ", ".join(st["items"][:20])]
    for ev in st["events"][:20]:
        what = ev.get("kind", "event").replace("_", " ")
        lines.append(f"{what}: " + ", ".join(f"{k} {ev[k]}" for k in ("place", "date", "speaker", "deaths") if ev.get(k)))
    return "\n".join(lines)[:5000]
