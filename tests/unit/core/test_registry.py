from __future__ import annotations

import pytest

from vigil.classify.base import Classifier
from vigil.core.errors import NotFound, PluginError
from vigil.core.registry import Manifest, Registry, plugin_id, plugin_name
from vigil.plugins import BUILTIN_MODULES, build_registry


class TelegramExportConnector:
    pass


class WeirdClassifier(Classifier):
    name = "Bad Name"

    def classify(self, items):  # pragma: no cover - never called
        return []


def test_registry_names_from_class_names() -> None:
    assert plugin_name(TelegramExportConnector) == "telegram_export"
    assert plugin_id(TelegramExportConnector) == "telegram_export.v1"


def test_registry_rejects_duplicates_and_bad_names() -> None:
    reg = Registry()
    reg.add(Manifest(connectors=(TelegramExportConnector,)), "a")
    reg.add(Manifest(connectors=(TelegramExportConnector,)), "a again")  # same class twice is fine
    other = type("TelegramExportConnector", (), {})
    with pytest.raises(PluginError, match="already registered by a"):
        reg.add(Manifest(connectors=(other,)), "b")
    with pytest.raises(PluginError, match="not lower_snake"):
        reg.add(Manifest(classifiers=(WeirdClassifier,)), "c")


def test_registry_unknown_plugin_lists_known() -> None:
    reg = build_registry()
    with pytest.raises(NotFound, match="known: sql"):
        reg.get("stores", "mongo")


def test_registry_builtin_modules_all_have_manifests() -> None:
    reg = build_registry()
    assert len(list(reg)) >= len(BUILTIN_MODULES)


def test_registry_plugins_dir_loads_external_module(tmp_path) -> None:
    (tmp_path / "extra.py").write_text(
        "from vigil.core.registry import Manifest\n"
        "class ShoutConnector:\n    version = 2\n"
        "MANIFEST = Manifest(connectors=(ShoutConnector,))\n"
    )
    reg = build_registry(str(tmp_path))
    assert reg.get("connectors", "shout").version == 2
    (tmp_path / "broken.py").write_text("X = 1\n")
    with pytest.raises(PluginError, match="has no MANIFEST"):
        build_registry(str(tmp_path))
