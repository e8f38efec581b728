"""networkx views of a cluster, for interoperability (Gephi, other tools, custom analysis)."""

from __future__ import annotations

from typing import Any

import networkx as nx

from matcher.model import CONFLICT, Cluster

__all__ = ["build_graph", "collaboration_graph"]


def build_graph(cluster: Cluster) -> nx.MultiGraph:
    """The multiplex signed graph: every tie row an edge, for interoperability.

    Edges are keyed by ``(kind, wave)`` and carry ``kind``, ``strength``,
    ``wave``, ``sign`` (+1, or -1 for conflict), ``directed`` and, for the
    directed kinds, ``source`` and ``target``. Nodes carry the workshop's
    characterisation (never contact data).

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 2, ("tshirt",), ("sewing",)) for w in "ABC")
    >>> G = build_graph(Cluster(ws, ties=(Tie("A", "B", "kinship"), Tie("A", "B", "conflict"))))
    >>> G.number_of_nodes(), G.number_of_edges()
    (3, 2)
    >>> G["A"]["B"][("conflict", None)]["sign"]
    -1
    """
    graph = nx.MultiGraph()
    for w in cluster.workshops:
        graph.add_node(
            w.workshop_id,
            territory=w.territory,
            workers=w.workers,
            products=";".join(w.products),
            processes=";".join(w.processes),
            quality=w.quality,
            formal=w.formal,
            can_lead=w.can_lead,
            organizations=";".join(w.organizations),
            capacity_minutes=w.capacity_minutes,
        )
    for t in cluster.ties:
        attrs: dict[str, Any] = {
            "kind": t.kind,
            "strength": t.strength,
            "wave": t.wave,
            "sign": t.sign,
            "directed": t.directed,
        }
        key: tuple[str, str | None] = (t.kind, t.wave)
        if t.directed:
            attrs.update(source=t.source, target=t.target)
            # Mutual subcontracting in one wave is two ties; keep both.
            if graph.has_edge(t.source, t.target, key):
                key = (t.kind, t.wave, t.source)  # type: ignore[assignment]
        graph.add_edge(t.source, t.target, key=key, **attrs)
    return graph


def collaboration_graph(cluster: Cluster) -> nx.Graph:
    """Every workshop a node; one edge per pair joined by a positive tie.

    Edge attributes: ``kinds`` (sorted tuple of the positive kinds joining the
    pair), ``strength`` (their maximum strength), ``ties`` (one per kind,
    whatever the waves and directions recorded: the length of ``kinds``) and
    ``tie_rows`` (the positive rows as recorded).

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 2, ("tshirt",), ("sewing",)) for w in "ABC")
    >>> ties = (Tie("A", "B", "kinship", 5), Tie("B", "A", "friendship", 2), Tie("B", "C", "conflict"))
    >>> G = collaboration_graph(Cluster(ws, ties=ties))
    >>> sorted(G.edges(data=True))
    [('A', 'B', {'kinds': ('friendship', 'kinship'), 'strength': 5, 'ties': 2, 'tie_rows': 2})]
    >>> G.number_of_nodes()
    3
    """
    graph = nx.Graph()
    graph.add_nodes_from(cluster.workshop_ids)
    for t in cluster.ties:
        if t.kind == CONFLICT:
            continue
        a, b = t.pair
        if graph.has_edge(a, b):
            data = graph[a][b]
            data["kinds"] = tuple(sorted(set(data["kinds"]) | {t.kind}))
            data["strength"] = max(data["strength"], t.strength)
            data["ties"] = len(data["kinds"])
            data["tie_rows"] += 1
        else:
            graph.add_edge(a, b, kinds=(t.kind,), strength=t.strength, ties=1, tie_rows=1)
    return graph
