"""The signed view: conflict ties and structural balance."""

from __future__ import annotations

import networkx as nx
import pytest

from matcher.graph import signed_view
from matcher.model import Cluster, Tie, Workshop


def four_triangles() -> nx.Graph:
    """One triangle with 0, 1, 2 and 3 conflict ties each."""
    graph = nx.Graph()
    graph.add_edges_from([("A", "B"), ("B", "C"), ("A", "C")], kind="friendship")
    graph.add_edges_from([("E", "F"), ("D", "F")], kind="kinship")
    graph.add_edge("D", "E", kind="conflict")
    graph.add_edge("H", "I", kind="friendship")
    graph.add_edges_from([("G", "H"), ("G", "I")], kind="conflict")
    graph.add_edges_from([("J", "K"), ("K", "L"), ("J", "L")], sign=-1)
    return graph


def test_balance_of_all_four_triangle_types():
    b = signed_view(four_triangles())["balance"]
    # Balanced: all positive (friends of friends) and two negative (a common enemy).
    assert b["triangles"] == 4 and b["by_negative_pairs"] == [1, 1, 1, 1]
    assert b["balanced"] == 2 and b["balanced_share"] == 0.5


def test_conflicts_within_and_between_given_communities():
    graph = four_triangles()
    labels = {n: i for i, n in enumerate(graph.nodes)}
    community = [0 if n in "ABCDEF" else 1 if n in "GHI" else None for n in labels]
    s = signed_view(graph, community=community)
    # Conflicts: D-E (both 0), G-H and G-I (both 1), J-K, K-L, J-L (no community).
    assert s["conflict_pairs"] == 6 and s["conflict_ties"] == 6
    assert s["conflict_within_communities"] == 3 and s["conflict_between_communities"] == 3
    assert s["conflict_tie_share"] == pytest.approx(6 / 12)
    assert s["positive_pairs"] == 6


def test_a_pair_both_tied_and_in_conflict():
    ws = tuple(Workshop(w, "T", 2, ("jeans",), ("sewing",)) for w in "AB")
    ties = (Tie("A", "B", "kinship"), Tie("A", "B", "conflict"), Tie("B", "A", "conflict"))
    cluster = Cluster(ws, ties=ties)
    s = signed_view(cluster)
    # The conflict recorded both ways is one conflict tie: a pair counts once per kind.
    assert s["conflict_ties"] == 1 and s["conflict_pairs"] == 1 and s["conflict_pairs_also_positive"] == 1
    assert s["conflict_tie_share"] == 0.5  # of the two ties, kinship and conflict
    assert s["conflict_pair_share"] == 1.0 and s["balance"]["triangles"] == 0
