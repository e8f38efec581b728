"""The tie-kind view: density of each kind and how kinds overlap on the same pairs."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np

from matcher.graph.network import Network, as_network, unique_pairs
from matcher.graph.schema import KindOverlap, KindsSection

__all__ = ["kinds_view"]


def _pair_keys(net: Network, rows: np.ndarray) -> np.ndarray:
    pairs = unique_pairs(net.source[rows], net.target[rows], net.n)
    return pairs[:, 0] * max(net.n, 1) + pairs[:, 1]


def _kinds(net: Network) -> KindsSection:
    possible = net.n * (net.n - 1) / 2
    codes = net.kind_code
    keys = {k: _pair_keys(net, codes == c) for c, k in enumerate(net.kinds)}
    negative_codes = set(codes[net.negative].tolist())
    positive = [k for c, k in enumerate(net.kinds) if c not in negative_codes]
    flat = np.concatenate([keys[k] for k in positive]) if positive else np.zeros(0, dtype=np.int64)
    flat = np.sort(flat)
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1]))) if len(flat) else flat
    per_pair = np.diff(np.append(starts, len(flat)))  # kinds joining each distinct pair
    overlap: list[KindOverlap] = []
    for a, b in combinations(positive, 2):
        shared = len(np.intersect1d(keys[a], keys[b], assume_unique=True))
        union = len(keys[a]) + len(keys[b]) - shared
        overlap.append({"kinds": [a, b], "shared_pairs": shared, "jaccard": shared / union if union else 0.0})
    return {
        "pairs_by_kind": {k: len(v) for k, v in keys.items()},
        "density_by_kind": {k: len(v) / possible if possible else 0.0 for k, v in keys.items()},
        "positive_pairs": len(per_pair),
        "multiplex_pairs": int(np.sum(per_pair > 1)),
        "multiplexity": float(np.mean(per_pair > 1)) if len(per_pair) else 0.0,
        "overlap": overlap,
    }


def kinds_view(data: Any) -> KindsSection:
    """Per tie kind: pairs and density; across positive kinds: multiplexity and Jaccard overlap.

    The keys: :class:`~matcher.graph.schema.KindsSection`.

    Pairs are undirected: a directed kind joins a pair if it runs either way.
    Multiplexity is the share of positively tied pairs joined by more than one
    kind; the Jaccard overlap of two kinds is shared pairs over pairs of either.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiGraph()
    >>> G.add_edges_from([(1, 2), (2, 3)], kind="kinship")
    [0, 0]
    >>> G.add_edges_from([(1, 2), (3, 4)], kind="friendship")
    [1, 0]
    >>> v = kinds_view(G)
    >>> v["pairs_by_kind"], v["multiplexity"], v["overlap"][0]["jaccard"]
    ({'friendship': 2, 'kinship': 2}, 0.3333333333333333, 0.3333333333333333)
    """
    return _kinds(as_network(data))
