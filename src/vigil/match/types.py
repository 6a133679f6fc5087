"""Which signal types exist: those of the plugin registry (built-in modules listed in
``vigil.plugins.BUILTIN_MODULES``, entry points, the plugins folder)."""

from __future__ import annotations

import importlib

from vigil.core.errors import PluginError
from vigil.core.registry import Manifest, Registry
from vigil.match.base import SignalType


def load_signal_types(registry: Registry | None = None) -> dict[str, type[SignalType]]:
    """Signal types by name. Without a registry, the built-in signal-type modules are imported
    directly (the ``vigil.match.*`` lines of BUILTIN_MODULES), which keeps the bank CLI independent of
    plugins of other kinds."""
    if registry is not None:
        found = registry.all("signal_types")
    else:
        from vigil.plugins import BUILTIN_MODULES

        registry = Registry()
        for name in BUILTIN_MODULES:
            if name.startswith("vigil.match."):
                manifest = getattr(importlib.import_module(name), "MANIFEST", None)
                if not isinstance(manifest, Manifest):
                    raise PluginError(f"plugin module {name} has no MANIFEST")
                registry.add(manifest, name)
        found = registry.all("signal_types")
    out: dict[str, type[SignalType]] = {}
    for cls in found:
        if not (isinstance(cls, type) and issubclass(cls, SignalType)):
            raise PluginError(f"signal type {cls!r} does not subclass vigil.match.base.SignalType")
        out[cls.name] = cls
    return out
