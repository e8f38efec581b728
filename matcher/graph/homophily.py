"""Homophily: do workshops tie to workshops like themselves?

For each attribute, over the collaboration graph's edges whose two ends have a
known value: Newman's nominal assortativity (1 = ties only within a category,
0 = as by chance) and Krackhardt and Stern's E-I index, (external - internal) /
(external + internal), from -1 (all ties inside categories) to +1 (all across).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from matcher.errors import UnknownIdError
from matcher.graph._igraph import igraph_of
from matcher.graph.network import CLUSTER_ATTRIBUTES, Network, as_network
from matcher.graph.schema import AttributeHomophily

__all__ = ["ei_index", "homophily"]

#: Node attributes of a foreign network with more values than this are not
#: compared by default (ages, names, scores).
MAX_CATEGORIES = 20


def ei_index(external: int, internal: int) -> float | None:
    """Krackhardt–Stern E-I index; None without ties.

    Examples
    --------
    >>> ei_index(1, 3)
    -0.5
    """
    total = external + internal
    return (external - internal) / total if total else None


def _one(net: Network, edges: np.ndarray, name: str, whole: ig.Graph | None) -> AttributeHomophily:
    # factorize hashes (fast on millions of strings); unknown values (None, NaN) get -1.
    codes, categories = pd.factorize(net.attributes[name])
    known = codes >= 0
    used = edges[known[edges[:, 0]] & known[edges[:, 1]]] if len(edges) else edges
    same = codes[used[:, 0]] == codes[used[:, 1]] if len(used) else np.zeros(0, dtype=bool)
    internal, external = int(same.sum()), int((~same).sum())
    assortativity = None
    if len(used) and codes[used].min() != codes[used].max():
        # The collaboration graph itself when every workshop has a value.
        graph = whole if whole is not None and len(used) == len(edges) else igraph_of(net.n, used)
        value = graph.assortativity_nominal(np.maximum(codes, 0).tolist(), directed=False)
        assortativity = None if np.isnan(value) else float(value)
    return {
        "categories": len(categories),
        "ties_used": len(used),
        "within": internal,
        "across": external,
        "assortativity": assortativity,
        "ei_index": ei_index(external, internal),
    }


def homophily(data: Any, attributes: Sequence[str] | None = None) -> dict[str, AttributeHomophily]:
    """Assortativity and E-I index of the collaboration graph for each attribute.

    The keys of each: :class:`~matcher.graph.schema.AttributeHomophily`.

    Parameters
    ----------
    data : Cluster, Network or networkx graph
    attributes : sequence of str, optional
        Node attributes to compare; by default, for a cluster, territory, size
        class, main product, gender majority and formality, and for any other
        network every categorical node attribute (2 to 20 distinct values,
        each shared by two nodes on average).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(1, 2), (3, 4), (1, 3)])
    >>> nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b", 4: "b"}, "office")
    >>> h = homophily(G, ["office"])["office"]
    >>> h["within"], h["across"], round(h["ei_index"], 3), round(h["assortativity"], 3)
    (2, 1, -0.333, 0.333)
    """
    net = as_network(data)
    return _homophily(net, attributes, None)


def _categorical(values: np.ndarray) -> bool:
    """Few distinct values, each shared by several nodes: a category, not a measure or a name."""
    codes, categories = pd.factorize(values)
    known = int(np.sum(codes >= 0))
    return 1 < len(categories) <= MAX_CATEGORIES and len(categories) <= known / 2


def _homophily(
    net: Network, attributes: Sequence[str] | None, graph: ig.Graph | None
) -> dict[str, AttributeHomophily]:
    if attributes is None:
        present = [a for a in CLUSTER_ATTRIBUTES if a in net.attributes]
        attributes = present or [a for a in net.attributes if _categorical(net.attributes[a])]
    missing = [a for a in attributes if a not in net.attributes]
    if missing:
        raise UnknownIdError("attribute", missing, sorted(net.attributes))
    edges = net.collaboration_edges
    return {name: _one(net, edges, name, graph) for name in attributes}
