"""The plugin registry: which connectors, normalizers, signal types, classifiers, extractors,
translators and stores exist, under which unique lower_snake names.

Every plugin module ends with a ``MANIFEST = Manifest(...)``. Built-in modules are listed explicitly in
``vigil.plugins.BUILTIN_MODULES``; external ones load through the ``vigil.plugins`` entry-point group
or a ``plugins_dir``. Names are checked at start-up and are never renamed once released.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from vigil.core.errors import NotFound, PluginError

KINDS = ("connectors", "normalizers", "signal_types", "classifiers", "extractors", "translators", "stores")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SUFFIXES = ("Connector", "Normalizer", "Signal", "SignalType", "Classifier", "Extractor", "Translator", "Store")


def plugin_name(cls: type) -> str:
    """The registry name of a plugin class: its ``name`` attribute, or the class name minus its kind
    suffix in lower_snake (``TelegramConnector`` -> ``telegram``)."""
    explicit = cls.__dict__.get("name")
    if isinstance(explicit, str):
        return explicit
    base = cls.__name__
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and base != suffix:
            base = base[: -len(suffix)]
            break
    return re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower()


def plugin_id(cls: type) -> str:
    """Name and version, as recorded in provenance: ``lexicon.v1``."""
    return f"{plugin_name(cls)}.v{getattr(cls, 'version', 1)}"


@dataclass(frozen=True)
class Manifest:
    connectors: tuple[type, ...] = ()
    normalizers: tuple[type, ...] = ()
    signal_types: tuple[type, ...] = ()
    classifiers: tuple[type, ...] = ()
    extractors: tuple[type, ...] = ()
    translators: tuple[type, ...] = ()
    stores: tuple[type, ...] = ()


class Registry:
    """All plugins known to this process, by kind and name. Built once at start-up."""

    def __init__(self) -> None:
        self._plugins: dict[str, dict[str, type]] = {kind: {} for kind in KINDS}
        self._origin: dict[tuple[str, str], str] = {}

    def add(self, manifest: Manifest, origin: str) -> None:
        """Register every plugin in ``manifest``.

        Raises:
            PluginError: a name is not lower_snake, or is already taken by another plugin.
        """
        for f in fields(manifest):
            for cls in getattr(manifest, f.name):
                name = plugin_name(cls)
                if not _NAME.match(name):
                    raise PluginError(
                        f"{f.name[:-1]} name {name!r} from {origin} is not lower_snake",
                        hint="set a `name` class attribute such as 'my_connector'",
                    )
                table = self._plugins[f.name]
                if name in table and table[name] is not cls:
                    raise PluginError(
                        f"{f.name[:-1]} name {name!r} from {origin} is already registered by "
                        f"{self._origin[(f.name, name)]}",
                        hint="plugin names are unique and never renamed; pick another name",
                    )
                table[name] = cls
                self._origin[(f.name, name)] = origin

    def get(self, kind: str, name: str) -> Any:
        try:
            return self._plugins[kind][name]
        except KeyError:
            known = ", ".join(sorted(self._plugins.get(kind, {}))) or "none"
            raise NotFound(kind[:-1].replace("_", " "), name, hint=f"known: {known}") from None

    def names(self, kind: str) -> list[str]:
        return sorted(self._plugins[kind])

    def all(self, kind: str) -> list[Any]:
        return [self._plugins[kind][name] for name in sorted(self._plugins[kind])]

    def origin(self, kind: str, name: str) -> str:
        return self._origin[(kind, name)]

    def __iter__(self) -> Iterator[tuple[str, str, type]]:
        for kind in KINDS:
            for name, cls in sorted(self._plugins[kind].items()):
                yield kind, name, cls
