"""Cohesion metrics on graphs whose answers are known by hand or from the literature."""

from __future__ import annotations

import networkx as nx
import pytest

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.graph import (
    build_graph,
    cohesion_report,
    collaboration_graph,
    group_cohesion,
    network_summary,
    workshop_metrics,
)
from matcher.model import TIE_KINDS, Cluster, Tie, Workshop
from tests.graph.conftest import cluster_from_edges, cluster_from_nx

BRIDGED_TRIANGLES = ["AB", "AC", "BC", "CD", "DE", "DF", "EF"]


def bridged():
    return cluster_from_edges("ABCDEF", [tuple(p) for p in BRIDGED_TRIANGLES])


def test_two_triangles_joined_by_a_bridge():
    report = cohesion_report(bridged())
    net = report["network"]
    # n = 6, m = 7: density = 2 * 7 / (6 * 5) = 7/15.
    assert net["density"] == pytest.approx(7 / 15)
    assert net["components"] == 1 and net["isolates"] == 0
    # Local clustering: A, B, E, F = 1; C, D = 1/3 (1 of 3 neighbour pairs linked).
    assert net["average_clustering"] == pytest.approx((4 + 2 / 3) / 6)
    # Each triangle a community: Q = 2 * (3/7 - (7/14)^2).
    assert net["communities"] == 2
    assert net["modularity"] == pytest.approx(2 * (3 / 7 - 0.25))
    by_id = {w["workshop_id"]: w for w in report["workshops"]}
    # C lies on the shortest paths from A, B to D, E, F: 6 pairs of 10 -> 0.6.
    assert by_id["C"]["betweenness"] == pytest.approx(0.6)
    assert by_id["A"]["betweenness"] == 0.0
    assert {by_id[x]["community"] for x in "ABC"} != {by_id[x]["community"] for x in "DEF"}
    assert by_id["C"]["degree"] == 3


def test_star_path_and_empty():
    star = network_summary(cluster_from_edges("HABCD", [("H", x) for x in "ABCD"]))
    assert star["density"] == pytest.approx(4 / 10)
    assert star["average_clustering"] == 0.0
    hub = next(
        w
        for w in workshop_metrics(cluster_from_edges("HABCD", [("H", x) for x in "ABCD"]))
        if w["workshop_id"] == "H"
    )
    assert hub["betweenness"] == pytest.approx(1.0)  # every pair of leaves passes through H
    path = workshop_metrics(cluster_from_edges("ABC", [("A", "B"), ("B", "C")]))
    assert [w["betweenness"] for w in path] == [0.0, 1.0, 0.0]
    empty = network_summary(cluster_from_edges("ABC", []))
    assert empty["isolates"] == 3 and empty["components"] == 3
    assert empty["communities"] == 0 and empty["modularity"] == 0.0 and empty["density"] == 0.0


def test_multiplex_pairs_collapse_and_conflicts_are_apart():
    ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABC")
    ties = (
        Tie("A", "B", "kinship", 5, "w1"),
        Tie("B", "A", "friendship", 2, "w1"),
        Tie("A", "B", "kinship", 4, "w2"),
        Tie("A", "B", "subcontracting"),
        Tie("B", "A", "subcontracting"),
        Tie("B", "C", "conflict"),
    )
    cluster = Cluster(ws, ties=ties)
    net = network_summary(cluster)
    # A pair counts once per kind, whatever the waves and directions: kinship, friendship,
    # subcontracting and conflict; the six rows are counted as rows.
    assert net["ties"] == 4 and net["tie_rows"] == 6
    assert net["ties_by_kind"]["kinship"] == 1 and net["ties_by_kind"]["conflict"] == 1
    assert list(net["ties_by_kind"]) == list(TIE_KINDS)
    assert net["collaboration_edges"] == 1 and net["conflict_pairs"] == 1
    assert net["isolates"] == 1  # C has only a conflict tie
    collab = collaboration_graph(cluster)
    expected = {"kinds": ("friendship", "kinship", "subcontracting"), "strength": 5, "ties": 3, "tie_rows": 5}
    assert collab["A"]["B"] == expected
    multi = build_graph(cluster)
    assert multi.number_of_edges() == 6  # every row kept, mutual subcontracting included
    assert multi.nodes["A"]["territory"] == "T"


def test_florentine_families_medici_is_the_main_broker():
    families = nx.florentine_families_graph()
    rows = workshop_metrics(cluster_from_nx(families))
    top = max(rows, key=lambda w: w["betweenness"])
    assert top["workshop_id"] == "Medici"
    expected = nx.betweenness_centrality(families)
    for w in rows:
        assert w["betweenness"] == pytest.approx(expected[w["workshop_id"]], abs=1e-12)


def test_karate_club_agrees_with_networkx():
    karate = nx.karate_club_graph()
    cluster = cluster_from_nx(karate)
    report = cohesion_report(cluster, seed=1)
    net = report["network"]
    assert net["density"] == pytest.approx(nx.density(karate))
    assert net["average_clustering"] == pytest.approx(nx.average_clustering(karate))
    between = nx.betweenness_centrality(karate)
    for w in report["workshops"]:
        assert w["betweenness"] == pytest.approx(between[int(w["workshop_id"])], abs=1e-9)
        assert w["degree"] == karate.degree[int(w["workshop_id"])]
    parts: dict[int, set[int]] = {}
    for w in report["workshops"]:
        parts.setdefault(w["community"], set()).add(int(w["workshop_id"]))
    theirs = nx.community.modularity(karate, parts.values(), weight=None)
    assert net["modularity"] == pytest.approx(theirs, abs=1e-9)
    # The best known modularity of the karate club is 0.4198; Leiden gets close.
    assert net["modularity"] >= 0.41


def test_same_seed_same_partition_and_resolution_checked():
    cluster = cluster_from_nx(nx.karate_club_graph())
    assert cohesion_report(cluster, seed=5) == cohesion_report(cluster, seed=5)
    many = network_summary(cluster, resolution=3.0)["communities"]
    assert many > network_summary(cluster, resolution=1.0)["communities"]
    with pytest.raises(InvalidOptionError, match="resolution must be a number > 0"):
        network_summary(cluster, resolution=0)


def test_group_cohesion_by_hand():
    ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABCDE")
    ties = (
        Tie("A", "B", "kinship"),
        Tie("A", "B", "friendship"),
        Tie("B", "C", "subcontracting"),
        Tie("C", "A", "conflict"),
        Tie("D", "E", "kinship"),
    )
    cluster = Cluster(ws, ties=ties)
    g = group_cohesion(cluster, ["C", "A", "B", "D"])
    # 4 workshops, 6 pairs; positive pairs AB, BC -> density 2/6; D apart.
    assert g["size"] == 4 and g["workshops"] == ["A", "B", "C", "D"]
    assert g["internal_density"] == pytest.approx(2 / 6)
    assert not g["connected"] and g["components"] == 2
    assert g["ties_by_kind"]["kinship"] == 1 and g["ties_by_kind"]["subcontracting"] == 1
    assert g["conflict_pairs"] == [["A", "C"]]
    single = group_cohesion(cluster, ["E"])
    assert single["connected"] and single["internal_density"] == 0.0


def test_group_cohesion_bad_input():
    cluster = bridged()
    with pytest.raises(UnknownIdError, match=r"unknown workshop ids X, Y; known workshop ids: A, B"):
        group_cohesion(cluster, ["A", "X", "Y"])
    with pytest.raises(InvalidOptionError, match="at least one workshop"):
        group_cohesion(cluster, [])


def test_graphs_are_fresh_objects():
    cluster = bridged()
    first = collaboration_graph(cluster)
    first.add_edge("A", "F")
    assert not collaboration_graph(cluster).has_edge("A", "F")
    assert len(cluster.ties) == len(BRIDGED_TRIANGLES)
