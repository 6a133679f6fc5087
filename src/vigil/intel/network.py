"""The network of channels and forwards: who forwards whom, who replies to whom, as nodes and
weighted edges small enough to draw (the busiest ``max_nodes`` channels, or one channel and its
neighbours).

Built from the same graph as the GraphML export (`export.graph.build_graph`), without the entity
nodes: a drawing of every mention would be a hairball; Gephi is the tool for the whole graph.

Where it sits: the dashboard's network view and channel pages.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from vigil.export.graph import build_graph

LINKS = ("forward", "reply")


def channel_network(store: Any, center: str | None = None, max_nodes: int = 40) -> dict[str, Any]:
    """{"nodes": [{"id", "label", "items", "harmful", "center"}], "edges": [{"source", "target", "kind", "weight"}]}"""
    full = build_graph(store)
    g = nx.DiGraph()
    for a, b, data in full.edges(data=True):
        if data.get("kind") not in LINKS:
            continue
        if g.has_edge(a, b) and g[a][b]["kind"] == data["kind"]:
            g[a][b]["weight"] += data["weight"]
        else:
            g.add_edge(a, b, kind=data["kind"], weight=int(data["weight"]))
    center_id = f"channel:{center}" if center else None
    if center_id is not None:
        keep = {center_id, *g.predecessors(center_id), *g.successors(center_id)} if center_id in g else {center_id}
        if center_id in full:
            g.add_node(center_id)
    else:
        keep = set(g.nodes)
    ranked = sorted(keep, key=lambda n: (n != center_id, -g.degree(n, weight="weight") if n in g else 0, n))
    chosen = set(ranked[:max_nodes])
    nodes = []
    for n in sorted(chosen):
        attrs = full.nodes[n] if n in full else {}
        nodes.append({"id": n, "label": str(attrs.get("label", n.split(":", 1)[-1])), "items": int(attrs.get("items", 0)),
                      "harmful": int(attrs.get("harmful", 0)), "center": n == center_id})
    edges = [{"source": a, "target": b, "kind": d["kind"], "weight": d["weight"]}
             for a, b, d in g.edges(data=True) if a in chosen and b in chosen]
    return {"nodes": nodes, "edges": sorted(edges, key=lambda e: (e["source"], e["target"]))}
