"""The signed view: mistrust ties, where they fall, and structural balance.

A pair with a conflict tie is negative, even if it also has positive ties; a
pair with only positive ties is positive. A triangle is balanced when it has
an even number of negative pairs ("the friend of my friend is my friend", "the
enemy of my enemy is my friend"), as in Cartwright and Harary (1956).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from matcher.graph._igraph import igraph_of, local_clustering
from matcher.graph.network import Network, as_network, in_sorted, unique_pairs
from matcher.graph.schema import Balance, SignedSection

__all__ = ["signed_view"]


def _triangles(graph_degree: np.ndarray, clustering: np.ndarray) -> int:
    d = graph_degree.astype(float)
    return round(float(np.sum(clustering * d * (d - 1) / 2.0)) / 3.0)


def balance(net: Network) -> Balance:
    """Triangles of the signed graph by number of negative pairs, and the balanced share."""
    negative = net.conflict_edges
    positive = net.collaboration_edges
    union = unique_pairs(
        np.concatenate([positive[:, 0], negative[:, 0]]),
        np.concatenate([positive[:, 1], negative[:, 1]]),
        net.n,
    )
    graph = igraph_of(net.n, union)
    degree = np.asarray(graph.degree(), dtype=np.int64)
    total = _triangles(degree, local_clustering(graph))
    width = max(net.n, 1)
    negative_keys = set((negative[:, 0] * width + negative[:, 1]).tolist())
    counts = [0.0, 0.0, 0.0, 0.0]  # triangles with 0..3 negative pairs
    for u, v in negative.tolist():
        common = set(graph.neighbors(u)) & set(graph.neighbors(v))
        for w in common:
            k = (
                1
                + ((min(u, w) * width + max(u, w)) in negative_keys)
                + ((min(v, w) * width + max(v, w)) in negative_keys)
            )
            counts[k] += 1.0 / k  # found once from each of its k negative pairs
    with_negative = [round(c) for c in counts[1:]]
    all_positive = total - sum(with_negative)
    balanced = all_positive + with_negative[1]
    return {
        "triangles": total,
        "by_negative_pairs": [all_positive, *with_negative],
        "balanced": balanced,
        "balanced_share": balanced / total if total else None,
    }


def _signed(net: Network, community: Sequence[int | None]) -> SignedSection:
    ties = len(net.unique_ties()[0])
    conflict_ties = len(net.unique_ties(net.negative)[0])
    negative = net.conflict_edges
    positive_pairs = len(net.collaboration_edges)
    labels = np.array([-1 if c is None else c for c in community], dtype=np.int64)
    if len(negative):
        a, b = labels[negative[:, 0]], labels[negative[:, 1]]
        within = int(np.sum((a == b) & (a >= 0)))
    else:
        within = 0
    width = max(net.n, 1)
    both = np.count_nonzero(  # pairs' keys are sorted
        in_sorted(
            negative[:, 0] * width + negative[:, 1],
            net.collaboration_edges[:, 0] * width + net.collaboration_edges[:, 1],
        )
    )
    pairs = len(unique_pairs(net.source, net.target, net.n))
    return {
        "conflict_ties": conflict_ties,
        "conflict_tie_share": conflict_ties / ties if ties else 0.0,
        "conflict_pairs": len(negative),
        "conflict_pair_share": len(negative) / pairs if pairs else 0.0,
        "conflict_pairs_also_positive": int(both),
        "conflict_within_communities": within,
        "conflict_between_communities": len(negative) - within,
        "positive_pairs": positive_pairs,
        "balance": balance(net),
    }


def signed_view(data: Any, community: Sequence[int | None] | None = None) -> SignedSection:
    """Conflict ties: how many, within or between communities, and structural balance.

    ``conflict_ties`` counts pairs joined by a negative kind, once per kind
    whatever the waves and directions recorded (``conflict_tie_share``: of
    all ties counted so); ``conflict_pairs`` the pairs with any negative tie.
    The keys: :class:`~matcher.graph.schema.SignedSection`.

    Parameters
    ----------
    data : Cluster, Network or networkx graph
    community : sequence, optional
        Community of each workshop (None for none); by default Leiden's.

    Examples
    --------
    One balanced triangle (A, B friends, both against C) and one unbalanced
    (D against E, F friends with both).

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edges_from([("A", "B"), ("D", "F"), ("E", "F")], kind="friendship")
    >>> G.add_edges_from([("A", "C"), ("B", "C"), ("D", "E")], kind="conflict")
    >>> b = signed_view(G)["balance"]
    >>> b["triangles"], b["by_negative_pairs"], b["balanced_share"]
    (2, [0, 1, 1, 0], 0.5)
    """
    net = as_network(data)
    if community is None:
        from matcher.graph.communities import communities

        community, _ = communities(net)
    return _signed(net, community)
