"""YAML parsing through libyaml when PyYAML was built with it.

``yaml.safe_load`` uses PyYAML's pure-Python scanner and parser: the bundled lexicons, call grammars,
gazetteer, glossary and policy took ~145 ms to read that way and ~19 ms with libyaml's (the same safe
constructor builds the objects, so the result is the same; a unit test compares both loaders on every
bundled file). Every `vigil scan` and each of its worker processes loads the lexicons at start-up.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``, through libyaml when it is there. Raises ``yaml.YAMLError`` on bad YAML."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)
