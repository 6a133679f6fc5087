"""Charts as server-side SVG: no JavaScript library, nothing fetched, nothing for a build step.

Every text that reaches a chart (bucket names, channel names, entity names) is escaped with
`markupsafe.escape`; numbers are formatted by Python. Colours are SVG presentation attributes, which
the Content-Security-Policy's ``style-src 'self'`` allows (no ``style`` attributes are written).
Each mark carries a ``<title>``, so hovering shows the exact figure, and each chart has a text
alternative (``role="img"`` and ``aria-label``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

PALETTE = {
    "threat": "#7f0000", "incitement": "#c62828", "instruction": "#ad1457", "material_support": "#6a1b9a",
    "recruitment": "#ef6c00", "official_propaganda": "#4e342e", "glorification": "#f9a825", "reporting": "#1565c0",
    "allow": "#9e9e9e", "label": "#fbc02d", "review": "#ef6c00", "block": "#c62828",
}
OTHER = "#607d8b"
FONT = 11


def _e(value: Any) -> str:
    return str(escape(value))


def _short(text: str, n: int = 32) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _svg(width: int, height: int, label: str, body: list[str], cls: str = "chart") -> Markup:
    head = (f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{_e(label)}">')
    return Markup(head + f"<title>{_e(label)}</title>" + "".join(body) + "</svg>")


def _nice_max(value: int) -> int:
    if value <= 5:
        return max(1, value)
    mag: int = 10 ** int(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * mag:
            return step * mag
    return value


def stacked_bars(buckets: Sequence[str], series: Mapping[str, Sequence[int]], title: str,
                 width: int = 640, height: int = 220) -> Markup:
    """Counts per bucket, stacked by key (label or action), with a legend."""
    left, right, top = 40, 10, 10
    legend = _legend_rows(list(series), width - left - 80)
    bottom = 30 + 15 * len(legend)
    height += 15 * (len(legend) - 1)
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(buckets)
    if not n:
        return _svg(width, 60, f"{title}: no data", [f'<text x="10" y="30" font-size="{FONT}">no items yet</text>'])
    totals = [sum(series[k][i] for k in series) for i in range(n)]
    ymax = _nice_max(max(totals) or 1)
    slot = plot_w / n
    bar = max(1.0, slot * 0.8)
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#888"/>']
    for frac in (0, 0.5, 1):
        y = top + plot_h - frac * plot_h
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="{FONT}" text-anchor="end">{int(ymax * frac)}</text>')
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
    every = max(1, math.ceil(n / 8))
    for i, name in enumerate(buckets):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for key, values in series.items():
            v = values[i]
            if not v:
                continue
            h = v / ymax * plot_h
            y -= h
            body.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE.get(key, OTHER)}"><title>{_e(name)} {_e(key)}: {v}</title></rect>')
        if i % every == 0:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" font-size="{FONT - 1}" '
                        f'text-anchor="middle">{_e(name[5:] if len(name) == 10 else name)}</text>')
    for row, keys in enumerate(legend):
        lx, ly = left, height - 15 * (len(legend) - row) - 4
        for key in keys:
            body.append(f'<rect x="{lx}" y="{ly}" width="10" height="10" fill="{PALETTE.get(key, OTHER)}"/>')
            body.append(f'<text x="{lx + 14}" y="{ly + 9}" font-size="{FONT}">{_e(key)}</text>')
            lx += 24 + 7 * len(key)
    return _svg(width, height, title, body)


def _legend_rows(keys: list[str], room: int) -> list[list[str]]:
    rows: list[list[str]] = [[]]
    used = 0
    for key in keys:
        need = 24 + 7 * len(key)
        if rows[-1] and used + need > room:
            rows.append([])
            used = 0
        rows[-1].append(key)
        used += need
    return rows


def hbars(rows: Sequence[tuple[str, int, int]], title: str, href: str | None = None, width: int = 420) -> Markup:
    """Horizontal bars: (name, total, of which harmful). ``href`` is a URL prefix the name is
    appended to (quoted), making each bar a link."""
    if not rows:
        return _svg(width, 40, f"{title}: no data", [f'<text x="10" y="24" font-size="{FONT}">none yet</text>'])
    row_h, label_w = 22, 170
    height = row_h * len(rows) + 8
    vmax = max(r[1] for r in rows) or 1
    plot_w = width - label_w - 40
    body = []
    for i, (name, total, harmful) in enumerate(rows):
        y = 4 + i * row_h
        w = total / vmax * plot_w
        hw = harmful / vmax * plot_w
        parts = [f'<text x="{label_w - 6}" y="{y + 14}" font-size="{FONT}" text-anchor="end" direction="ltr" '
                 f'unicode-bidi="plaintext">{_e(_short(name, 28))}</text>',
                 f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="14" fill="#90a4ae"/>',
                 f'<rect x="{label_w}" y="{y + 3}" width="{hw:.1f}" height="14" fill="#c62828"/>',
                 f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" font-size="{FONT}">{total}</text>',
                 f"<title>{_e(name)}: {total} items, {harmful} with a harm label</title>"]
        group = "<g>" + "".join(parts) + "</g>"
        if href is not None:
            group = f'<a href="{_e(href + quote(name, safe=""))}">{group}</a>'
        body.append(group)
    return _svg(width, height, title, body)


def dot_timeline(rows: Sequence[Mapping[str, Any]], title: str, width: int = 640) -> Markup:
    """Dated rows (``date`` 'YYYY-MM-DD[...]', ``what`` item|event, ``label``) on a time axis;
    events as diamonds above, items as dots below. Undated rows are left out (listed by the page)."""
    dated = [(date.fromisoformat(str(r["date"])[:10]), r) for r in rows if r.get("date") and len(str(r["date"])) >= 10]
    if not dated:
        return _svg(width, 40, f"{title}: nothing dated", [f'<text x="10" y="24" font-size="{FONT}">nothing dated</text>'])
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span = max(1, (last - first).days)
    left, right, height = 20, 20, 90
    plot_w = width - left - right
    axis_y = 50
    body = [f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" stroke="#888"/>',
            f'<text x="{left}" y="{height - 6}" font-size="{FONT}">{_e(first.isoformat())}</text>',
            f'<text x="{left + plot_w}" y="{height - 6}" font-size="{FONT}" text-anchor="end">{_e(last.isoformat())}</text>']
    stack: dict[tuple[int, str], int] = {}
    for d, r in dated:
        x = left + (d - first).days / span * plot_w
        key = (round(x), r.get("what", "item"))
        k = stack.get(key, 0)
        stack[key] = k + 1
        tip = f"{d.isoformat()} {r.get('what', '')}: {r.get('label', '')}"
        if r.get("what") == "event":
            y = axis_y - 14 - 9 * k
            body.append(f'<path d="M{x:.1f},{y - 6} l6,6 l-6,6 l-6,-6 z" fill="#c62828"><title>{_e(tip)}</title></path>')
        else:
            y = axis_y + 10 + 7 * min(k, 3)
            body.append(f'<circle cx="{x:.1f}" cy="{y}" r="3.5" fill="#1565c0"><title>{_e(tip)}</title></circle>')
    return _svg(width, height, title, body)


def network(net: Mapping[str, Any], title: str, href: str = "/ui/channels/", width: int = 640, height: int = 420) -> Markup:
    """Channels as circles (area by items, red share by harmful items), forwards and replies as
    arrows (width by count), laid out by networkx's spring layout with a fixed seed (stable)."""
    import networkx as nx

    nodes, edges = list(net.get("nodes") or []), [e for e in net.get("edges") or [] if e["source"] != e["target"]]
    if not nodes:
        return _svg(width, 40, f"{title}: no channels", [f'<text x="10" y="24" font-size="{FONT}">no forwards or replies yet</text>'])
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in nodes)
    g.add_edges_from((e["source"], e["target"]) for e in edges)
    pos = nx.spring_layout(g, seed=7) if len(nodes) > 1 else {nodes[0]["id"]: (0.0, 0.0)}
    pad = 60
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)

    def at(node: str) -> tuple[float, float]:
        x, y = pos[node]
        fx = (x - x0) / (x1 - x0) if x1 > x0 else 0.5
        fy = (y - y0) / (y1 - y0) if y1 > y0 else 0.5
        return pad + fx * (width - 2 * pad), pad / 2 + fy * (height - pad)

    body = ['<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#546e7a"/></marker></defs>']
    radius = {n["id"]: 6 + 3 * math.sqrt(n.get("items") or 0) for n in nodes}
    for e in edges:
        (ax, ay), (bx, by) = at(e["source"]), at(e["target"])
        dist = math.hypot(bx - ax, by - ay) or 1
        r = radius[e["target"]] + 2
        ex, ey = bx - (bx - ax) * r / dist, by - (by - ay) * r / dist
        dash = ' stroke-dasharray="4 3"' if e["kind"] == "reply" else ""
        body.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#546e7a" '
                    f'stroke-width="{1 + math.log2(1 + e["weight"]):.1f}"{dash} marker-end="url(#arrow)">'
                    f'<title>{_e(e["source"].split(":", 1)[-1])} → {_e(e["target"].split(":", 1)[-1])}: '
                    f'{_e(e["kind"])} ×{e["weight"]}</title></line>')
    for n in nodes:
        x, y = at(n["id"])
        r = radius[n["id"]]
        share = (n.get("harmful") or 0) / n["items"] if n.get("items") else 0.0
        fill = "#c62828" if share >= 0.2 else ("#ef6c00" if share > 0 else "#78909c")
        ring = ' stroke="#000" stroke-width="3"' if n.get("center") else ' stroke="#fff" stroke-width="1.5"'
        tip = f"{n['label']}: {n.get('items', 0)} items, {n.get('harmful', 0)} with a harm label"
        body.append(f'<a href="{_e(href + quote(n["label"], safe=""))}"><g class="node">'
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}"{ring}/>'
                    f'<text x="{x:.1f}" y="{y + r + 12:.1f}" font-size="{FONT}" text-anchor="middle" '
                    f'unicode-bidi="plaintext">{_e(_short(n["label"], 26))}</text><title>{_e(tip)}</title></g></a>')
    return _svg(width, height, title, body, cls="chart network")
