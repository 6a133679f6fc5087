"""Which connector reads a file: ``vigil scan --format auto`` (the default) and ``--format NAME``.

Where it sits: the scan command expands folders into files, then calls `detect_connector` on each file
(or `connector_for_format` once when ``--format`` names one) and hands the file to that connector.

Every registered connector scores the file with its ``sniff(path, head)`` (0-100, ``head`` = the first
64 KiB); the highest score wins and ties go to the name first in alphabetical order, so the choice is
stable. The built-in scores: ``.txt``/``.html`` -> article; ``.json`` -> telegram when it looks like
an export (jsonl when it holds one object per line); ``.jsonl``/``.ndjson`` -> jsonl;
``.csv``/``.tsv`` -> csv; ``.xml``/``.rss``/``.atom`` -> feed when it holds ``<rss>``/``<feed>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vigil.core.errors import InvalidInput, PluginError, UnknownFormat
from vigil.core.registry import Registry
from vigil.ingest.base import Connector

HEAD_BYTES = 65536


def formats(registry: Registry) -> list[str]:
    """Every name ``--format`` accepts, besides ``auto``."""
    names: set[str] = set()
    for cls in registry.all("connectors"):
        names.update(getattr(cls, "formats", ()) or (cls.name,))
    return sorted(names)


def read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(HEAD_BYTES)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror})", hint="check the path and its permissions") from exc


def sniff_scores(path: Path, registry: Registry, head: bytes | None = None) -> list[tuple[int, str, type[Connector]]]:
    """``(score, name, class)`` of every connector that claims ``path``, best first."""
    head = read_head(path) if head is None else head
    scores: list[tuple[int, str, Any]] = []
    for cls in registry.all("connectors"):
        try:
            score = int(cls.sniff(path, head))
        except Exception as exc:  # a third-party sniff may fail in any way; say which one
            raise PluginError(f"connector {cls.name!r} failed to sniff {str(path)!r}: {exc}") from exc
        if score > 0:
            scores.append((score, cls.name, cls))
    scores.sort(key=lambda entry: (-entry[0], entry[1]))
    return scores


def detect_connector(path: Path, registry: Registry) -> type[Connector]:
    """The connector class that reads ``path`` best.

    Raises:
        UnknownFormat: no connector recognises the file; the message lists the formats and the flag.
        InvalidInput: the file cannot be read.
    """
    scores = sniff_scores(path, registry)
    if not scores:
        suffix = path.suffix or "(none)"
        raise UnknownFormat(
            f"{path}: no connector recognises this file (suffix {suffix})",
            hint=f"name its format with --format, one of: {', '.join(formats(registry))}",
        )
    return scores[0][2]


def connector_for_format(name: str, registry: Registry) -> type[Connector]:
    """The connector class named by ``--format NAME``.

    Raises:
        UnknownFormat: no connector accepts that format name.
    """
    for cls in registry.all("connectors"):
        if name in (getattr(cls, "formats", ()) or (cls.name,)):
            return cls  # type: ignore[no-any-return]
    raise UnknownFormat(
        f"unknown format {name!r}", hint=f"use --format auto or one of: {', '.join(formats(registry))}"
    )
