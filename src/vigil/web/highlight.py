"""Marked text: the displayed text with evidence, quote and glossary spans highlighted.

Every piece of text is escaped on its own and the markup is put *between* escaped segments, never
inserted into the text: the text is cut at every span boundary, each segment escaped, and a segment
covered by spans wrapped in one ``<mark>`` whose classes and title come from Vigil (kinds, labels)
and from the escaped notes. Overlapping spans produce one mark per segment carrying all their kinds.

Offsets are Python string indices (code points) into the text; spans outside it are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

KIND_ORDER = ("evidence", "quote", "gloss")  # class order; CSS gives evidence the strongest look
MAX_TITLE = 400


def boundaries(n: int, spans: Iterable[Mapping[str, Any]]) -> list[int]:
    points = {0, n}
    for s in spans:
        start, end = s.get("start"), s.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n:
            points.update((start, end))
    return sorted(points)


def highlight(text: str, spans: Iterable[Mapping[str, Any]]) -> Markup:
    """``text`` as safe HTML with ``<mark>`` around the spans."""
    spans = [s for s in spans if isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
             and 0 <= s["start"] < s["end"] <= len(text)]
    points = boundaries(len(text), spans)
    out: list[str] = []
    for a, b in zip(points, points[1:], strict=False):
        segment = escape(text[a:b])
        covering = [s for s in spans if s["start"] <= a and b <= s["end"]]
        if not covering:
            out.append(segment)
            continue
        kinds = [k for k in KIND_ORDER if any(s.get("kind") == k for s in covering)]
        labels = sorted({str(s["label"]) for s in covering if s.get("label")})
        classes = " ".join([f"hl-{k}" for k in kinds] + [f"lbl-{lbl}" for lbl in labels if lbl.isidentifier()])
        title = "; ".join(dict.fromkeys(str(s.get("note") or s.get("kind")) for s in covering))[:MAX_TITLE]
        out.append(Markup('<mark class="{}" title="{}">{}</mark>').format(classes, title, segment))
    return Markup("").join(out)


def snippet(text: str, marks: Iterable[Iterable[int]]) -> Markup:
    """A search snippet with the matched words (``[start, end]`` pairs from `SqlStore.search`)."""
    spans = [{"start": a, "end": b, "kind": "evidence", "note": "search match"} for a, b in marks]
    return highlight(text, spans)
