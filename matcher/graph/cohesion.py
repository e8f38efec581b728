"""Cohesion of a cluster's collaboration network, of its workshops and of groups.

The **collaboration graph** has every workshop as a node (isolates included) and
one undirected edge per pair joined by at least one positive tie (any kind, any
wave, either direction); conflict ties are left out of it and reported apart.

Communities come from Leiden (modularity, seeded). Communities are numbered
0, 1, ... by size, largest first (ties broken by smallest workshop id);
isolates belong to no community (``None``) and are not counted as communities.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.graph._arrays import TieArrays, tie_arrays
from matcher.graph._igraph import average_clustering, betweenness, collaboration_igraph, leiden_membership
from matcher.model import CONFLICT, POSITIVE_TIE_KINDS, TIE_KINDS, Cluster

__all__ = [
    "build_graph",
    "cohesion_report",
    "collaboration_graph",
    "group_cohesion",
    "network_summary",
    "workshop_metrics",
]


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
    pair), ``strength`` (their maximum strength) and ``ties`` (positive rows).

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 2, ("tshirt",), ("sewing",)) for w in "ABC")
    >>> ties = (Tie("A", "B", "kinship", 5), Tie("B", "A", "friendship", 2), Tie("B", "C", "conflict"))
    >>> G = collaboration_graph(Cluster(ws, ties=ties))
    >>> sorted(G.edges(data=True))
    [('A', 'B', {'kinds': ('friendship', 'kinship'), 'strength': 5, 'ties': 2})]
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
            data["ties"] += 1
        else:
            graph.add_edge(a, b, kinds=(t.kind,), strength=t.strength, ties=1)
    return graph


def _check_resolution(resolution: float) -> None:
    if not resolution > 0:
        raise InvalidOptionError(f"resolution must be a number > 0, got {resolution!r}")


def _numbered_communities(
    membership: list[int], degree: np.ndarray, ids: tuple[str, ...]
) -> list[int | None]:
    """Renumber by size (largest first, then smallest id); isolates get None."""
    members: dict[int, list[int]] = {}
    for node, label in enumerate(membership):
        if degree[node] > 0:
            members.setdefault(label, []).append(node)
    order = sorted(members.values(), key=lambda nodes: (-len(nodes), min(ids[i] for i in nodes)))
    community: list[int | None] = [None] * len(membership)
    for number, nodes in enumerate(order):
        for node in nodes:
            community[node] = number
    return community


def _report(arrays: TieArrays, *, seed: int, resolution: float) -> dict[str, Any]:
    _check_resolution(resolution)
    graph = collaboration_igraph(arrays)
    n, m = graph.vcount(), graph.ecount()
    degree = np.asarray(graph.degree(), dtype=np.int64)
    membership = leiden_membership(graph, seed=seed, resolution=resolution)
    modularity = float(graph.modularity(membership, resolution=resolution)) if m else 0.0
    community = _numbered_communities(membership, degree, arrays.ids)
    between = betweenness(graph)
    component_sizes = graph.connected_components().sizes() if n else []
    kinds, counts = np.unique(arrays.kind.astype(str), return_counts=True) if len(arrays.kind) else ([], [])
    by_kind = dict.fromkeys(TIE_KINDS, 0)
    by_kind.update({str(k): int(c) for k, c in zip(kinds, counts, strict=True)})
    network = {
        "workshops": n,
        "ties": len(arrays.kind),
        "ties_by_kind": by_kind,
        "density": 2.0 * m / (n * (n - 1)) if n > 1 else 0.0,
        "components": len(component_sizes),
        "largest_component_share": max(component_sizes) / n if n else 0.0,
        "average_clustering": average_clustering(graph),
        "communities": sum(1 for c in set(community) if c is not None),
        "modularity": modularity,
        "isolates": int(np.sum(degree == 0)),
        "collaboration_edges": m,
        "conflict_pairs": len(arrays.conflict_edges),
        "seed": seed,
        "resolution": resolution,
    }
    workshops = [
        {
            "workshop_id": arrays.ids[i],
            "degree": int(degree[i]),
            "betweenness": float(between[i]),
            "community": community[i],
            "isolate": bool(degree[i] == 0),
        }
        for i in sorted(range(n), key=arrays.ids.__getitem__)
    ]
    return {"network": network, "workshops": workshops}


def cohesion_report(cluster: Cluster, *, seed: int = 0, resolution: float = 1.0) -> dict[str, Any]:
    """Network summary and per-workshop metrics, from one graph and one partition.

    Parameters
    ----------
    cluster : Cluster
    seed : int
        Seed of the Leiden run; the same seed gives the same communities.
    resolution : float
        Leiden resolution (> 0); higher values give more, smaller communities.

    Returns
    -------
    dict
        ``{"network": {...}, "workshops": [...]}``, JSON-ready; workshops are
        sorted by id. See :func:`network_summary` and :func:`workshop_metrics`.

    Examples
    --------
    Two triangles joined by a bridge C–D: 6 workshops, 7 edges.

    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 2, ("tshirt",), ("sewing",)) for w in "ABCDEF")
    >>> pairs = ["AB", "AC", "BC", "CD", "DE", "DF", "EF"]
    >>> r = cohesion_report(Cluster(ws, ties=tuple(Tie(a, b, "kinship") for a, b in pairs)))
    >>> r["network"]["density"] == 7 / 15, r["network"]["communities"]
    (True, 2)
    >>> round(r["network"]["modularity"], 6)  # 2 * (3/7 - (7/14)**2)
    0.357143
    >>> [w["betweenness"] for w in r["workshops"] if w["workshop_id"] in "CD"]
    [0.6, 0.6]
    """
    return _report(tie_arrays(cluster), seed=seed, resolution=resolution)


def network_summary(cluster: Cluster, *, seed: int = 0, resolution: float = 1.0) -> dict[str, Any]:
    """Network-level cohesion of the collaboration graph.

    Keys: ``workshops``, ``ties`` (rows, all kinds), ``ties_by_kind`` (every
    kind, 0 when absent), ``density``, ``components`` (isolates count as their
    own), ``largest_component_share``, ``average_clustering`` (nodes with fewer
    than two neighbours count 0, as networkx), ``communities`` (Leiden, at least
    two workshops each), ``modularity``, ``isolates`` (no positive tie),
    ``collaboration_edges``, ``conflict_pairs``, ``seed``, ``resolution``.

    Examples
    --------
    >>> from matcher.model import Cluster, Workshop
    >>> net = network_summary(Cluster((Workshop("A", "T", 1, ("tshirt",), ("sewing",)),)))
    >>> net["isolates"], net["components"], net["communities"], net["density"]
    (1, 1, 0, 0.0)
    """
    return cohesion_report(cluster, seed=seed, resolution=resolution)["network"]


def workshop_metrics(cluster: Cluster, *, seed: int = 0, resolution: float = 1.0) -> list[dict[str, Any]]:
    """Per workshop: ``degree`` (distinct positive neighbours), ``betweenness``
    (normalised as networkx), ``community`` (None for isolates) and ``isolate``.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABC")
    >>> rows = workshop_metrics(Cluster(ws, ties=(Tie("A", "B", "friendship"),)))
    >>> [(r["workshop_id"], r["degree"], r["community"]) for r in rows]
    [('A', 1, 0), ('B', 1, 0), ('C', 0, None)]
    """
    return cohesion_report(cluster, seed=seed, resolution=resolution)["workshops"]


def group_cohesion(cluster: Cluster, workshop_ids: Iterable[str]) -> dict[str, Any]:
    """How well a given set of workshops holds together.

    Returns ``size``, ``workshops`` (sorted), ``internal_density`` (pairs joined
    by a positive tie over all pairs; 0.0 for fewer than two workshops),
    ``connected`` (the group's collaboration subgraph is connected; one
    workshop is connected), ``components``, ``positive_pairs``,
    ``ties_by_kind`` (positive tie rows inside) and ``conflict_pairs`` (sorted
    ``[a, b]`` pairs with a conflict tie inside).

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABCD")
    >>> ties = (Tie("A", "B", "kinship"), Tie("B", "C", "friendship"), Tie("A", "C", "conflict"))
    >>> g = group_cohesion(Cluster(ws, ties=ties), ["C", "B", "A"])
    >>> g["internal_density"], g["connected"], g["conflict_pairs"]
    (0.6666666666666666, True, [['A', 'C']])
    >>> group_cohesion(Cluster(ws, ties=ties), ["A", "D"])["connected"]
    False
    """
    group = sorted(set(workshop_ids))
    if not group:
        raise InvalidOptionError("a group needs at least one workshop id")
    known = set(cluster.workshop_ids)
    missing = [w for w in group if w not in known]
    if missing:
        raise UnknownIdError("workshop", missing, cluster.workshop_ids)
    members = set(group)
    sub = nx.Graph()
    sub.add_nodes_from(group)
    by_kind = dict.fromkeys(POSITIVE_TIE_KINDS, 0)
    conflicts: set[tuple[str, str]] = set()
    for t in cluster.ties:
        if t.source in members and t.target in members:
            if t.kind == CONFLICT:
                conflicts.add(t.pair)
            else:
                by_kind[t.kind] += 1
                sub.add_edge(*t.pair)
    k = len(group)
    pairs = sub.number_of_edges()
    components = nx.number_connected_components(sub)
    return {
        "size": k,
        "workshops": group,
        "internal_density": pairs / (k * (k - 1) / 2) if k > 1 else 0.0,
        "connected": components == 1,
        "components": components,
        "positive_pairs": pairs,
        "possible_pairs": k * (k - 1) // 2,
        "ties_by_kind": by_kind,
        "conflict_pairs": [list(p) for p in sorted(conflicts)],
    }
