from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import pytest

from matcher.model import Cluster, Tie, Workshop


def cluster_from_edges(
    nodes: Iterable[str], edges: Iterable[tuple[str, str]], kind: str = "friendship"
) -> Cluster:
    """A cluster whose workshops are ``nodes`` and whose ties are ``edges``."""
    workshops = tuple(Workshop(str(n), "T", 2, ("tshirt",), ("sewing",)) for n in nodes)
    return Cluster(workshops, ties=tuple(Tie(str(a), str(b), kind) for a, b in edges))


def cluster_from_nx(graph: nx.Graph) -> Cluster:
    return cluster_from_edges([str(n) for n in graph.nodes], [(str(a), str(b)) for a, b in graph.edges])


@pytest.fixture
def make_cluster():
    return cluster_from_edges
