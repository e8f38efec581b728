"""Communities of the collaboration graph: Leiden, modularity and stability across seeds."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import igraph as ig
import numpy as np

from matcher.errors import InvalidOptionError
from matcher.graph._igraph import collaboration_igraph, leiden_memberships
from matcher.graph.network import Network, as_network
from matcher.graph.schema import CommunitiesSection, Stability
from matcher.graph.schema_topics import CommunityAgreement

__all__ = ["communities", "partition_agreement"]


def check_resolution(resolution: float) -> None:
    if not resolution > 0:
        raise InvalidOptionError(f"resolution must be a number > 0, got {resolution!r}")


def numbered(membership: list[int], degree: np.ndarray, ids: tuple[str, ...]) -> list[int | None]:
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


def partition_agreement(a: list[int], b: list[int]) -> CommunityAgreement:
    """Adjusted Rand index and normalised mutual information of two partitions.

    Examples
    --------
    >>> partition_agreement([0, 0, 1, 1], [5, 5, 7, 7])
    {'ari': 1.0, 'nmi': 1.0}
    >>> partition_agreement([0, 0, 0], [4, 4, 4])  # one community both times
    {'ari': 1.0, 'nmi': 1.0}
    """
    if len(a) < 2:
        return {"ari": 1.0, "nmi": 1.0}
    ari = float(ig.compare_communities(a, b, method="adjusted_rand"))
    # igraph's index is 0/0 when both partitions are the same trivial one (one community, or
    # every workshop alone): the same partition, 1 (as scikit-learn's adjusted_rand_score says)
    return {"ari": 1.0 if ari != ari else ari, "nmi": float(ig.compare_communities(a, b, method="nmi"))}


def stability_runs(n: int) -> int:
    """Leiden runs compared by default: 5 up to 10,000 workshops, 3 up to 50,000, then 2."""
    return 5 if n <= 10_000 else 3 if n <= 50_000 else 2


def _communities(
    net: Network, graph: ig.Graph, degree: np.ndarray, *, seed: int, resolution: float, runs: int | None
) -> tuple[list[int | None], CommunitiesSection]:
    check_resolution(resolution)
    runs = stability_runs(net.n) if runs is None else runs
    if runs < 1:
        raise InvalidOptionError(f"runs must be a whole number >= 1, got {runs!r}")
    memberships = leiden_memberships(graph, seeds=[seed + r for r in range(runs)], resolution=resolution)
    first = memberships[0]
    m = graph.ecount()
    modularity = float(graph.modularity(first, resolution=resolution)) if m else 0.0
    community = numbered(first, degree, net.ids)
    sizes = np.bincount([c for c in community if c is not None]).tolist() if m else []
    pairs = [partition_agreement(x, y) for x, y in combinations(memberships, 2)]
    stability: Stability = {
        "runs": runs,
        "seeds": [seed + r for r in range(runs)],
        "mean_ari": float(np.mean([p["ari"] for p in pairs])) if pairs else None,
        "mean_nmi": float(np.mean([p["nmi"] for p in pairs])) if pairs else None,
    }
    summary: CommunitiesSection = {
        "method": "leiden (modularity)",
        "resolution": resolution,
        "seed": seed,
        "count": len(sizes),
        "modularity": modularity,
        "sizes": sizes,
        "largest": max(sizes) if sizes else 0,
        "median_size": float(np.median(sizes)) if sizes else 0.0,
        "stability": stability,
    }
    return community, summary


def communities(
    data: Any, *, seed: int = 0, resolution: float = 1.0, runs: int | None = None
) -> tuple[list[int | None], CommunitiesSection]:
    """Leiden communities of the collaboration graph and how stable they are.

    Parameters
    ----------
    data : Cluster, Network or networkx graph
    seed : int
        Seed of the first run; run ``r`` uses ``seed + r``.
    resolution : float
        Modularity resolution (> 0): higher gives more, smaller communities.
        Around 8–10 the communities of a sparse cluster reach the size of
        workshop groups (3–10).
    runs : int, optional
        Leiden runs with consecutive seeds; their mean pairwise adjusted Rand
        index and normalised mutual information measure stability (1 = the
        same partition every time). By default 5 up to 10,000 workshops, 3 up
        to 50,000 and 2 beyond, to keep large networks fast.

    Returns
    -------
    (community per workshop, summary)
        Communities are numbered by size, largest first; isolates get None.
        The summary's keys: :class:`~matcher.graph.schema.CommunitiesSection`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (3, 4), (4, 5), (5, 6), (4, 6)])
    >>> labels, summary = communities(G)
    >>> labels, summary["count"], round(summary["modularity"], 3), round(summary["stability"]["mean_ari"], 6)
    ([0, 0, 0, 1, 1, 1], 2, 0.357, 1.0)
    """
    net = as_network(data)
    graph = collaboration_igraph(net)
    degree = np.asarray(graph.degree(), dtype=np.int64)
    return _communities(net, graph, degree, seed=seed, resolution=resolution, runs=runs)
