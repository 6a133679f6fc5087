"""Compact JSON for the hot paths (raw payloads, JSON columns), encoded by orjson.

A scan encodes every message's record once (``RawItem.payload``) and several JSON columns per item;
with the standard library that cost ~5 µs of a ~190 µs message, with orjson ~0.25 µs (a generated
Telegram message, ``bench/bench_scan.py``). The output is the standard library's compact form
(``separators=(",", ":")``, ``ensure_ascii=False``): UTF-8, no spaces, the same values.

orjson refuses a few things the standard library accepts: lone surrogates (from ``\\ud800`` escapes in
attacker-written JSON), integers beyond 64 bits, non-string keys. Those records fall back to the
standard library, so the result never depends on which encoder took a value. Datetimes and
dataclasses are passed to ``default`` exactly as the standard library would (orjson would otherwise
write its own formats).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


def dumps_bytes(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    """Compact UTF-8 JSON; lone surrogates are kept (``surrogatepass``), never dropped."""
    try:
        return orjson.dumps(value, default=default, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)
        return text.encode("utf-8", "surrogatepass")


def dumps_str(value: Any) -> str:
    """Compact JSON text; raises TypeError for values JSON cannot hold, as `json.dumps` does."""
    return dumps_bytes(value).decode("utf-8", "surrogatepass")
