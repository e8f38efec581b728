"""The igraph side of the analysis: fast computations on the collaboration graph."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import igraph as ig
import numpy as np

from matcher.graph._arrays import TieArrays

__all__ = ["average_clustering", "betweenness", "collaboration_igraph", "leiden_membership"]


def collaboration_igraph(arrays: TieArrays) -> ig.Graph:
    """Every workshop a vertex; one undirected edge per pair with a positive tie."""
    return ig.Graph(n=arrays.n, edges=arrays.collaboration_edges.tolist(), directed=False)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    # igraph draws from a process-wide generator; scope a seeded one to this
    # call so results are reproducible and no state leaks to other callers.
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def leiden_membership(graph: ig.Graph, *, seed: int, resolution: float) -> list[int]:
    """Leiden partition optimising modularity, iterated until stable."""
    if graph.vcount() == 0:
        return []
    with _seeded(seed):
        partition = graph.community_leiden(
            objective_function="modularity", resolution=resolution, n_iterations=-1
        )
    return list(partition.membership)


def betweenness(graph: ig.Graph) -> np.ndarray:
    """Betweenness normalised as ``networkx.betweenness_centrality(normalized=True)``.

    igraph counts each unordered pair once on an undirected graph; networkx's
    normalised value is that count times 2 / ((n - 1)(n - 2)).
    """
    n = graph.vcount()
    raw = np.asarray(graph.betweenness(directed=False), dtype=float) if n else np.zeros(0)
    if n <= 2:
        return np.zeros(n)
    return raw * 2.0 / ((n - 1) * (n - 2))


def average_clustering(graph: ig.Graph) -> float:
    """Mean local clustering over all vertices, those of degree < 2 counting 0."""
    if graph.vcount() == 0:
        return 0.0
    local = graph.transitivity_local_undirected(mode="zero")
    return float(np.mean(local))
