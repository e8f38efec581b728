"""The network-level report written with networkx alone, as the speed reference.

It computes what :func:`matcher.graph.network_report` does — density,
components, k-cores, transitivity and clustering, communities (Louvain, as
networkx has no Leiden of its own) with modularity and stability, homophily,
sampled betweenness, constraint and effective size, articulation points and
bridges, signed balance and tie-kind overlap — the straightforward way.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import networkx as nx
import numpy as np
from scipy.special import comb

from matcher.graph.network import CLUSTER_ATTRIBUTES, Network


def _ari(a: list[int], b: list[int]) -> float:
    table: dict[tuple[int, int], int] = {}
    for x, y in zip(a, b, strict=True):
        table[x, y] = table.get((x, y), 0) + 1
    rows: dict[int, int] = {}
    cols: dict[int, int] = {}
    for (x, y), c in table.items():
        rows[x] = rows.get(x, 0) + c
        cols[y] = cols.get(y, 0) + c
    index = sum(comb(c, 2) for c in table.values())
    r, k = sum(comb(c, 2) for c in rows.values()), sum(comb(c, 2) for c in cols.values())
    expected = r * k / comb(len(a), 2)
    top = (r + k) / 2 - expected
    return float((index - expected) / top) if top else 1.0


def networkx_report(net: Network, *, seed: int, runs: int, samples: int) -> dict[str, Any]:
    ids = net.ids
    graph = nx.Graph()
    graph.add_nodes_from(range(net.n))
    for name in CLUSTER_ATTRIBUTES:
        nx.set_node_attributes(graph, dict(enumerate(net.attributes[name].tolist())), name)
    for s, t, neg in zip(net.source.tolist(), net.target.tolist(), net.negative.tolist(), strict=True):
        if not neg and s != t:
            graph.add_edge(s, t)
    n = graph.number_of_nodes()
    components = [len(c) for c in nx.connected_components(graph)]
    cores = nx.core_number(graph)
    partitions = [nx.community.louvain_communities(graph, seed=seed + r) for r in range(runs)]
    labels = []
    for partition in partitions:
        label = [0] * n
        for c, members in enumerate(partition):
            for v in members:
                label[v] = c
        labels.append(label)
    homophily = {}
    for name in CLUSTER_ATTRIBUTES:
        known = [v for v, d in graph.nodes(data=True) if d.get(name) is not None]
        homophily[name] = nx.attribute_assortativity_coefficient(graph.subgraph(known), name)
    between = nx.betweenness_centrality(graph, k=min(samples, n), seed=seed)
    bare = nx.Graph(graph.edges)  # without attributes, which ego graphs would copy
    tied = list(bare)
    constraint = nx.constraint(bare, nodes=tied)
    # nx.effective_size copies the whole graph for every node of an undirected
    # graph (ego_graph(..., undirected=True)), which is quadratic; the ego graph
    # itself gives the same value (Borgatti's formula, n - 2t/n) in linear time.
    effective = {}
    for v in tied:
        ego = nx.ego_graph(bare, v, center=False)
        effective[v] = len(ego) - 2 * ego.size() / len(ego)
    signed = nx.Graph()
    signed.add_edges_from(graph.edges, sign=1)
    for s, t in zip(net.source[net.negative].tolist(), net.target[net.negative].tolist(), strict=True):
        signed.add_edge(s, t, sign=-1)
    triangles = balanced = 0
    for u, v in signed.edges:
        for w in set(signed[u]) & set(signed[v]):
            if w > max(u, v):
                triangles += 1
                balanced += signed[u][v]["sign"] * signed[u][w]["sign"] * signed[v][w]["sign"] > 0
    pairs_by_kind: dict[str, set[tuple[int, int]]] = {}
    for s, t, k in zip(net.source.tolist(), net.target.tolist(), net.kind.tolist(), strict=True):
        pairs_by_kind.setdefault(k, set()).add((min(s, t), max(s, t)))
    jaccard = {
        (a, b): len(pairs_by_kind[a] & pairs_by_kind[b]) / len(pairs_by_kind[a] | pairs_by_kind[b])
        for a, b in combinations(sorted(pairs_by_kind), 2)
    }
    return {
        "workshops": n,
        "density": nx.density(graph),
        "components": len(components),
        "largest_component_share": max(components) / n,
        "max_core": max(cores.values()),
        "transitivity": nx.transitivity(graph),
        "average_clustering": nx.average_clustering(graph),
        "communities": len(partitions[0]),
        "modularity": nx.community.modularity(graph, partitions[0]),
        "stability_ari": float(np.mean([_ari(a, b) for a, b in combinations(labels, 2)]))
        if runs > 1
        else None,
        "homophily": homophily,
        "top_broker": ids[max(between, key=between.get)],
        "mean_constraint": float(np.mean(list(constraint.values()))) if constraint else None,
        "mean_effective_size": float(np.mean(list(effective.values()))) if effective else None,
        "articulation_points": sum(1 for _ in nx.articulation_points(graph)),
        "bridges": sum(1 for _ in nx.bridges(graph)),
        "balanced_share": balanced / triangles if triangles else None,
        "jaccard": jaccard,
    }
