"""The gazetteer: designated organisations, their media outlets and channels, spokesmen and leaders,
with aliases in several scripts and the public designation each entity comes from.

It ships as YAML next to this module (``organisations.yaml``, ``outlets.yaml``, ``persons.yaml``,
``lists.yaml``) and users extend it with their own file of the same shape, named by the
``gazetteer`` option of the ``entities`` plugin (``[plugins.entities] gazetteer = "mine.yaml"``).
A user entry with an existing id adds aliases and designations to it; a new id adds an entity.

Where it sits: loaded once per process by the extractors; `GazetteerMatcher` (``matcher``) finds
its names in text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from vigil.core.errors import ConfigError
from vigil.core.yamlfile import safe_load

KINDS = ("organisation", "outlet", "channel", "person", "place")
_BUILTIN_FILES = ("organisations.yaml", "outlets.yaml", "persons.yaml")
MAX_USER_FILE_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Designation:
    list_id: str
    list_name: str
    year: int | None
    note: str | None = None
    certain: bool = True

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"list": self.list_id, "list_name": self.list_name, "year": self.year}
        if self.note:
            out["note"] = self.note
        if not self.certain:
            out["confidence"] = "uncertain"
        return out


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str
    kind: str
    canonical: str
    aliases: tuple[str, ...]
    case_sensitive: frozenset[str] = frozenset()
    ambiguous: frozenset[str] = frozenset()
    parent: str | None = None
    description: str | None = None
    role: str | None = None
    designations: tuple[Designation, ...] = ()
    certain: bool = True
    origin: str = "builtin"

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.canonical, *[a for a in self.aliases if a != self.canonical])


@dataclass
class Gazetteer:
    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entity_id: str) -> GazetteerEntry | None:
        return self.entries.get(entity_id)

    def of_kind(self, kind: str) -> list[GazetteerEntry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def designations_of(self, entity_id: str) -> tuple[Designation, ...]:
        """The entity's own designations, else those of its nearest designated parent."""
        seen: set[str] = set()
        current = self.entries.get(entity_id)
        while current is not None and current.id not in seen:
            if current.designations:
                return current.designations
            seen.add(current.id)
            current = self.entries.get(current.parent) if current.parent else None
        return ()

    def merged(self, data: Mapping[str, Any], origin: str) -> Gazetteer:
        """A new gazetteer with the entities of ``data`` (one parsed YAML file) added."""
        lists = dict(self.lists)
        lists.update({str(k): str(v) for k, v in (data.get("lists") or {}).items()})
        entries = dict(self.entries)
        for raw in data.get("entities") or ():
            entry = _entry(raw, lists, origin)
            old = entries.get(entry.id)
            entries[entry.id] = _combine(old, entry) if old else entry
        return Gazetteer(entries, lists)


def _combine(old: GazetteerEntry, new: GazetteerEntry) -> GazetteerEntry:
    aliases = tuple(dict.fromkeys((*old.aliases, *new.aliases)))
    return replace(
        old,
        aliases=aliases,
        case_sensitive=old.case_sensitive | new.case_sensitive,
        ambiguous=old.ambiguous | new.ambiguous,
        designations=old.designations + tuple(d for d in new.designations if d not in old.designations),
        origin=f"{old.origin}+{new.origin}",
    )


def _entry(raw: Any, lists: Mapping[str, str], origin: str) -> GazetteerEntry:
    if not isinstance(raw, Mapping) or not raw.get("id") or not raw.get("canonical"):
        raise ConfigError(
            f"gazetteer entry {raw!r} in {origin} has no id or canonical name",
            hint="each entity needs at least `id`, `kind` and `canonical`",
        )
    kind = str(raw.get("kind", "organisation"))
    if kind not in KINDS:
        raise ConfigError(
            f"gazetteer entry {raw['id']!r} in {origin} has unknown kind {kind!r}", hint=f"use one of {KINDS}"
        )
    aliases = _strings(raw.get("aliases"), origin, raw["id"])
    canonical = str(raw["canonical"])
    designations = []
    for d in raw.get("designations") or ():
        list_id = str(d.get("list", ""))
        if list_id not in lists:
            raise ConfigError(
                f"gazetteer entry {raw['id']!r} in {origin} cites unknown list {list_id!r}",
                hint=f"add it under `lists:` or use one of {sorted(lists)}",
            )
        year = d.get("year")
        designations.append(
            Designation(
                list_id,
                lists[list_id],
                int(year) if year else None,
                d.get("note"),
                d.get("confidence") != "uncertain",
            )
        )
    return GazetteerEntry(
        id=str(raw["id"]),
        kind=kind,
        canonical=canonical,
        aliases=tuple(dict.fromkeys(aliases or [canonical])),
        case_sensitive=frozenset(_strings(raw.get("case_sensitive"), origin, raw["id"])),
        ambiguous=frozenset(_strings(raw.get("ambiguous"), origin, raw["id"])),
        parent=raw.get("parent"),
        description=raw.get("description"),
        role=raw.get("role"),
        designations=tuple(designations),
        certain=raw.get("confidence") != "uncertain",
        origin=origin,
    )


def _strings(value: Any, origin: str, entity_id: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ConfigError(
            f"gazetteer entry {entity_id!r} in {origin}: expected a list of strings, got {value!r}"
        )
    return [str(v) for v in value if str(v).strip()]


def _load_yaml(text: str, origin: str) -> Mapping[str, Any]:
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"cannot parse gazetteer file {origin}: {exc}", hint="fix the YAML syntax") from exc
    if not isinstance(data, Mapping):
        raise ConfigError(f"gazetteer file {origin} is not a mapping", hint="start it with `entities:`")
    return data


def _builtin_texts() -> Iterable[tuple[str, str]]:
    package = resources.files(__name__)
    yield "lists.yaml", (package / "lists.yaml").read_text(encoding="utf-8")
    for name in _BUILTIN_FILES:
        yield name, (package / name).read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def load_gazetteer(user_file: str = "") -> Gazetteer:
    """The built-in gazetteer, extended by ``user_file`` when given.

    Raises:
        ConfigError: the user file is missing, too large, or not valid gazetteer YAML.
    """
    gaz = Gazetteer()
    for name, text in _builtin_texts():
        gaz = gaz.merged(_load_yaml(text, name), f"builtin:{name}")
    if user_file:
        path = Path(user_file)
        if not path.is_file():
            raise ConfigError(
                f"gazetteer file {user_file!r} does not exist",
                hint="fix [plugins.entities] gazetteer in vigil.toml, or remove it to use the built-in one",
            )
        if path.stat().st_size > MAX_USER_FILE_BYTES:
            raise ConfigError(f"gazetteer file {user_file!r} is over {MAX_USER_FILE_BYTES:,} bytes")
        gaz = gaz.merged(_load_yaml(path.read_text(encoding="utf-8"), user_file), user_file)
    return gaz
