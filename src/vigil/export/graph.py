"""A network of channels, forwards, replies and entities, as GraphML for Gephi (networkx).

Nodes: ``channel:<name>`` (type ``channel``; items posted there; a ``forwarded_from`` name seen in
a Telegram export is a channel too) and ``entity:<key>`` (type ``entity`` with its kind and
canonical name). Directed, weighted edges (one per pair and kind):

* ``forward``  — from the channel a message was forwarded from to the channel that posted it
  (the direction content flows);
* ``reply``    — from the replying channel to the channel of the message it replies to;
* ``mention``  — from a channel to an entity its items mention (weight: items).

Items without a channel count under their author, else their source. Node attributes also carry
the channel's item count and harm-labelled item count, so Gephi can size and colour them.

Where it sits: `vigil export graphml`.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from vigil.store.schema import item_labels, raw_items
from vigil.store.schema_intel import entity_mentions

MAX_EDGES = 500_000


def _where() -> Any:
    return func.coalesce(raw_items.c.channel, raw_items.c.author, raw_items.c.source)


def build_graph(store: Any) -> nx.MultiDiGraph:
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    where = _where()
    with store.begin() as conn:
        for name, n in conn.execute(select(where, func.count()).group_by(where)):
            g.add_node(f"channel:{name}", type="channel", label=str(name), items=int(n), harmful=0)
        harm = conn.execute(
            select(where, func.count(func.distinct(raw_items.c.id)))
            .select_from(raw_items.join(item_labels, item_labels.c.raw_id == raw_items.c.id))
            .where(item_labels.c.label != "reporting").group_by(where)
        ).all()
        for name, n in harm:
            g.nodes[f"channel:{name}"]["harmful"] = int(n)
        for src, dst, n in conn.execute(
            select(raw_items.c.forwarded_from, where, func.count()).where(raw_items.c.forwarded_from.is_not(None))
            .group_by(raw_items.c.forwarded_from, where).limit(MAX_EDGES)
        ):
            _edge(g, f"channel:{src}", f"channel:{dst}", "forward", n)
        target = aliased(raw_items)
        t_where = func.coalesce(target.c.channel, target.c.author, target.c.source)
        for src, dst, n in conn.execute(
            select(where, t_where, func.count())
            .select_from(raw_items.join(target, and_(target.c.source == raw_items.c.source,
                                                     target.c.source_id == raw_items.c.reply_to)))
            .group_by(where, t_where).limit(MAX_EDGES)
        ):
            _edge(g, f"channel:{src}", f"channel:{dst}", "reply", n)
        m = entity_mentions
        for name, key, canonical, kind, n in conn.execute(
            select(where, m.c.entity_key, func.min(m.c.canonical), func.min(m.c.kind), func.count(func.distinct(m.c.raw_id)))
            .select_from(m.join(raw_items, raw_items.c.id == m.c.raw_id)).where(m.c.kind != "date")
            .group_by(where, m.c.entity_key).limit(MAX_EDGES)
        ):
            node = f"entity:{key}"
            if node not in g:
                g.add_node(node, type="entity", kind=str(kind), label=str(canonical), items=0, harmful=0)
            g.nodes[node]["items"] += int(n)
            _edge(g, f"channel:{name}", node, "mention", n)
    return g


def _edge(g: nx.MultiDiGraph, a: str, b: str, kind: str, n: int) -> None:
    """One edge per (a, b, kind): a forward and a reply between the same channels stay apart."""
    for node in (a, b):
        if node not in g:
            g.add_node(node, type="channel", label=node.split(":", 1)[1], items=0, harmful=0)
    if g.has_edge(a, b, key=kind):
        g[a][b][kind]["weight"] += int(n)
    else:
        g.add_edge(a, b, key=kind, kind=kind, weight=int(n))


def write_graphml(store: Any, path: str) -> dict[str, int]:
    g = build_graph(store)
    nx.write_graphml(g, path)
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
