"""Group and ego level: structural cohesion of a set of workshops, brokerage roles."""

from __future__ import annotations

import networkx as nx
import pytest

from matcher.errors import UnknownIdError
from matcher.graph import ego_network, group_cohesion


def test_structural_cohesion_of_known_shapes():
    graph = nx.disjoint_union_all([nx.complete_graph(4), nx.cycle_graph(5), nx.path_graph(3)])
    clique = group_cohesion(graph, ["0", "1", "2", "3"])
    # K4: removing any 3 disconnects it, diameter 1, every member has 3 ties inside.
    assert clique["node_connectivity"] == 3 and clique["diameter"] == 1
    assert clique["min_internal_degree"] == 3 and clique["internal_density"] == 1.0
    assert clique["external_ties"] == 0 and clique["ei_index"] == -1.0 and clique["conductance"] == 0.0
    ring = group_cohesion(graph, [str(v) for v in range(4, 9)])
    assert ring["node_connectivity"] == 2 and ring["diameter"] == 2 and ring["min_internal_degree"] == 2
    # Ends of the path 9-10-11: not connected inside the group, two steps apart through 10.
    ends = group_cohesion(graph, ["9", "11"])
    assert not ends["connected"] and ends["node_connectivity"] == 0 and ends["diameter"] is None
    assert ends["max_distance"] == 2 and ends["external_ties"] == 2 and ends["ei_index"] == 1.0
    # Across two components nobody reaches anybody.
    assert group_cohesion(graph, ["0", "9"])["max_distance"] is None


def test_conductance_by_hand():
    # Triangle A, B, C with a tail C-D-E: the triangle has 1 tie out of 7 tie ends.
    graph = nx.Graph([("A", "B"), ("B", "C"), ("A", "C"), ("C", "D"), ("D", "E")])
    g = group_cohesion(graph, ["A", "B", "C"])
    # Volume inside 2 + 2 + 3 = 7, outside 2 + 1 = 3: conductance 1 / min(7, 3).
    assert g["conductance"] == pytest.approx(1 / 3)
    assert g["ei_index"] == pytest.approx((1 - 3) / 4)


def test_unknown_ids_name_what_exists():
    with pytest.raises(UnknownIdError, match=r"unknown workshop id Z; known workshop ids: 0, 1, 2"):
        group_cohesion(nx.path_graph(3), ["0", "Z"])
    with pytest.raises(UnknownIdError, match=r"unknown workshop id Z; known workshop ids: 0, 1, 2"):
        ego_network(nx.path_graph(3), "Z")


def test_gatekeeper_between_two_triangles():
    graph = nx.Graph([(1, 2), (1, 3), (2, 3), (3, 4), (4, 5), (4, 6), (5, 6)])
    e = ego_network(graph, "3")
    # Neighbours 1, 2 (own community, tied to each other) and 4 (the other): paths 1-3-4, 2-3-4.
    assert e["brokerage"] == {"coordinator": 0, "consultant": 0, "gatekeeper": 2, "liaison": 0}
    assert e["role"] == "gatekeeper" and e["articulation_point"]
    assert e["ties_among_neighbours"] == 1 and e["clustering"] == pytest.approx(1 / 3)
    assert e["betweenness"] == pytest.approx(nx.betweenness_centrality(graph)[3])


def test_liaison_between_many_communities():
    triangles = nx.disjoint_union_all([nx.complete_graph(3)] * 5)
    hub = 100
    triangles.add_edges_from((hub, 3 * t) for t in range(5))
    e = ego_network(triangles, str(hub))
    # At most one of the five communities is the hub's: at least 6 of 10 paths join two others.
    assert e["brokerage"]["liaison"] >= 6 and e["role"] == "liaison"
    assert sum(e["brokerage"].values()) == 10


def test_coordinator_embedded_peripheral_isolate():
    almost = nx.complete_graph(5)
    almost.remove_edge(0, 1)
    almost.add_node(9)
    coordinator = ego_network(almost, "2")
    assert coordinator["brokerage"]["coordinator"] == 1 and coordinator["role"] == "coordinator"
    assert ego_network(nx.complete_graph(4), "0")["role"] == "embedded"
    assert ego_network(nx.path_graph(3), "0")["role"] == "peripheral"
    alone = ego_network(almost, "9")
    assert alone["role"] == "isolate" and alone["neighbours"] == [] and alone["constraint"] is None


def test_ties_by_kind_include_conflicts():
    graph = nx.MultiGraph()
    graph.add_edge("A", "B", kind="kinship")
    graph.add_edge("A", "B", kind="friendship")
    graph.add_edge("A", "C", kind="conflict")
    e = ego_network(graph, "A")
    assert e["ties_by_kind"] == {"conflict": 1, "friendship": 1, "kinship": 1}
    assert e["neighbours"] == ["B"] and e["degree"] == 1
