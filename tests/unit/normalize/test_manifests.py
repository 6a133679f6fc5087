from __future__ import annotations

import importlib

from vigil.core.registry import Registry

MODULES = {
    "vigil.normalize.unicode": ("normalizers", "unicode", 100),
    "vigil.normalize.arabic": ("normalizers", "arabic", 200),
    "vigil.normalize.fold": ("normalizers", "fold", 300),
    "vigil.normalize.entities": ("normalizers", "entities", 400),
    "vigil.normalize.language": ("normalizers", "language", 500),
    "vigil.classify.lexicon": ("classifiers", "lexicon", None),
}


def test_manifests_register_under_their_names_in_chain_order() -> None:
    registry = Registry()
    for module, (kind, name, order) in MODULES.items():
        registry.add(importlib.import_module(module).MANIFEST, module)
        cls = registry.get(kind, name)
        if order is not None:
            assert cls.order == order
    assert registry.names("normalizers") == sorted(["unicode", "arabic", "fold", "entities", "language"])
    assert registry.names("classifiers") == ["lexicon"]
