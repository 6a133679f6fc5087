"""Which plugins Vigil loads: the built-in modules below, then the ``vigil.plugins`` entry points,
then the modules in ``settings.plugins_dir``. An in-tree plugin adds one line to BUILTIN_MODULES."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path

from vigil.core.errors import PluginError
from vigil.core.registry import Manifest, Registry

BUILTIN_MODULES: tuple[str, ...] = (
    # connectors
    "vigil.ingest.telegram",
    "vigil.ingest.jsonl_file",
    "vigil.ingest.csv_file",
    "vigil.ingest.article",
    "vigil.ingest.feed",
    "vigil.ingest.sample",
    "vigil.ingest.kafka",
    # normalizers (applied in their `order`)
    "vigil.normalize.unicode",
    "vigil.normalize.arabic",
    "vigil.normalize.fold",
    "vigil.normalize.entities",
    "vigil.normalize.language",
    # classifiers
    "vigil.classify.lexicon",
    # extractors
    "vigil.extract.entities",
    "vigil.extract.events",
    # signal types (hash banks)
    "vigil.match.text_exact",
    "vigil.match.text_near",
    "vigil.match.pdq",
    "vigil.match.md5",
    "vigil.match.sha256",
    "vigil.match.url",
    # stores
    "vigil.store.sql",
)


def _manifest_of(module: object, origin: str) -> Manifest:
    manifest = getattr(module, "MANIFEST", None)
    if not isinstance(manifest, Manifest):
        raise PluginError(
            f"plugin module {origin} has no MANIFEST",
            hint="end the module with `MANIFEST = Manifest(...)` from vigil.core.registry",
        )
    return manifest


def build_registry(plugins_dir: str = "", *, entry_point_group: str = "vigil.plugins") -> Registry:
    registry = Registry()
    for name in BUILTIN_MODULES:
        registry.add(_manifest_of(importlib.import_module(name), name), name)
    for ep in entry_points(group=entry_point_group):
        try:
            module = ep.load()
        except Exception as exc:  # a third-party plugin may fail in any way; say which one
            raise PluginError(f"cannot load plugin entry point {ep.name!r} ({ep.value}): {exc}") from exc
        registry.add(_manifest_of(module, ep.value), f"entry point {ep.value}")
    if plugins_dir:
        for path in sorted(Path(plugins_dir).glob("*.py")):
            spec = importlib.util.spec_from_file_location(f"vigil_plugin_{path.stem}", path)
            if spec is None or spec.loader is None:
                raise PluginError(f"cannot import plugin file {str(path)!r}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
            registry.add(_manifest_of(module, str(path)), str(path))
    return registry


@lru_cache(maxsize=4)
def default_registry(plugins_dir: str = "") -> Registry:
    return build_registry(plugins_dir)
