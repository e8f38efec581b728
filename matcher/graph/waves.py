"""Change over time: compare the network of two survey waves."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from matcher.errors import InvalidOptionError
from matcher.graph._igraph import collaboration_igraph, local_clustering
from matcher.graph.brokers import betweenness_of
from matcher.graph.communities import _communities, partition_agreement
from matcher.graph.network import Network, as_network
from matcher.graph.schema_topics import WavesComparison, WaveSummary
from matcher.messages import Message

__all__ = ["compare_waves"]

#: How many of the most central workshops of each wave are compared.
TOP_CENTRAL = 10


def _state(net: Network, *, seed: int, resolution: float) -> dict[str, Any]:
    graph = collaboration_igraph(net)
    degree = np.asarray(graph.degree(), dtype=np.int64)
    n, m = net.n, graph.ecount()
    community, summary = _communities(net, graph, degree, seed=seed, resolution=resolution, runs=1)
    between, _, how = betweenness_of(graph, seed=seed)
    score = between if between is not None else degree.astype(float)
    order = np.lexsort((np.array(net.ids, dtype=str), -score))
    central = [net.ids[i] for i in order[:TOP_CENTRAL] if score[i] > 0]
    return {
        "summary": {
            "ties": len(net.unique_ties()[0]),
            "collaboration_edges": m,
            "density": 2.0 * m / (n * (n - 1)) if n > 1 else 0.0,
            "average_clustering": float(np.mean(local_clustering(graph))) if n else 0.0,
            "transitivity": float(graph.transitivity_undirected()) if m else 0.0,
            "components": len(graph.connected_components()) if n else 0,
            "isolates": int(np.sum(degree == 0)),
            "communities": summary["count"],
            "modularity": summary["modularity"],
        },
        "degree": degree,
        # Each isolate its own community, numbered after the others.
        "membership": [summary["count"] + i if c is None else c for i, c in enumerate(community)],
        "central": central,
        "centrality": "betweenness" if between is not None else "degree",
        "how": how,
    }


def compare_waves(
    data: Any, first: str, second: str, *, seed: int = 0, resolution: float = 1.0
) -> WavesComparison:
    """What changed in the collaboration network between two survey waves.

    Each wave's network has every workshop and the ties observed in that wave.

    Returns
    -------
    WavesComparison
        Every key is listed in :class:`~matcher.graph.schema_topics.WavesComparison`:
        ``waves``; ``new_pairs`` and ``lost_pairs`` (positive pairs tied in
        only one wave) and ``kept_pairs``; ``first`` and ``second`` summaries
        (``ties``: pairs joined by one kind, once whatever the directions;
        tied pairs, density, clustering, transitivity, components, isolates,
        communities, modularity) and ``change`` (second minus first); ``community_agreement``
        (ARI and NMI of the two Leiden partitions, each isolate its own
        community); ``became_isolated`` and ``no_longer_isolated``;
        ``became_central`` and ``no_longer_central`` (the ten most central
        workshops by betweenness, or degree on very large networks).

    Raises
    ------
    UnknownIdError
        When a wave is not in the ties; the message lists those that are.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABCD")
    >>> ties = (Tie("A", "B", "kinship", wave="1"), Tie("B", "C", "kinship", wave="1"),
    ...         Tie("A", "B", "kinship", wave="2"), Tie("C", "D", "friendship", wave="2"))
    >>> c = compare_waves(Cluster(ws, ties=ties), "1", "2")
    >>> c["new_pairs"], c["lost_pairs"], c["kept_pairs"], c["became_isolated"], c["no_longer_isolated"]
    ([['C', 'D']], [['B', 'C']], 1, [], ['D'])
    """
    net = as_network(data)
    if first == second:
        raise InvalidOptionError(messages=[Message("option.same_wave", {"wave": first})])
    a, b = net.in_wave(first), net.in_wave(second)
    width = max(net.n, 1)
    keys_a = a.collaboration_edges[:, 0] * width + a.collaboration_edges[:, 1]
    keys_b = b.collaboration_edges[:, 0] * width + b.collaboration_edges[:, 1]

    def pairs(keys: np.ndarray) -> list[list[str]]:
        return [[net.ids[k // width], net.ids[k % width]] for k in np.sort(keys).tolist()]

    sa, sb = _state(a, seed=seed, resolution=resolution), _state(b, seed=seed, resolution=resolution)
    ids = np.array(net.ids, dtype=object)
    isolated_a, isolated_b = sa["degree"] == 0, sb["degree"] == 0
    change = cast(WaveSummary, {k: sb["summary"][k] - sa["summary"][k] for k in sa["summary"]})
    return {
        "waves": [first, second],
        "new_pairs": pairs(np.setdiff1d(keys_b, keys_a)),
        "lost_pairs": pairs(np.setdiff1d(keys_a, keys_b)),
        "kept_pairs": len(np.intersect1d(keys_a, keys_b)),
        "first": sa["summary"],
        "second": sb["summary"],
        "change": change,
        "community_agreement": partition_agreement(sa["membership"], sb["membership"]),
        "became_isolated": sorted(ids[isolated_b & ~isolated_a].tolist()),
        "no_longer_isolated": sorted(ids[isolated_a & ~isolated_b].tolist()),
        "centrality": sb["centrality"],
        "became_central": sorted(set(sb["central"]) - set(sa["central"])),
        "no_longer_central": sorted(set(sa["central"]) - set(sb["central"])),
    }
