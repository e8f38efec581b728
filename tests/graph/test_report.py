"""The network-level report: every section on graphs with answers known by hand or by networkx."""

from __future__ import annotations

import networkx as nx
import pytest

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.graph import cohesion_report, network_report, workshop_table
from matcher.model import Cluster, Tie, Workshop
from tests.graph.conftest import cluster_from_edges, cluster_from_nx

TRIANGLES_AND_PENDANT = ["AB", "AC", "BC", "CD", "DE", "DF", "EF", "AG"]


def _pairs(text: list[str]) -> list[tuple[str, str]]:
    return [(p[0], p[1]) for p in text]


def test_cores_transitivity_and_components_by_hand():
    # Two triangles joined by C-D, a pendant G on A, and a separate pair H-I.
    cluster = cluster_from_edges("ABCDEFGHI", [*_pairs(TRIANGLES_AND_PENDANT), ("H", "I")])
    r = network_report(cluster)
    # Core numbers: triangles 2, G, H, I 1.
    assert r["cores"] == {"max_core": 2, "shells": {"1": 3, "2": 6}}
    # Triangles 2; connected triples: A 3, B 1, C 3, D 3, E 1, F 1 -> 12; 3 * 2 / 12.
    assert r["network"]["transitivity"] == pytest.approx(0.5)
    assert r["network"]["components"] == 2
    assert r["network"]["largest_component"] == 7
    assert r["network"]["largest_component_share"] == pytest.approx(7 / 9)
    assert r["brokers"]["articulation_points"] == 3  # A, C, D
    assert r["brokers"]["bridges"] == 3  # A-G, C-D, H-I
    rows = {w["workshop_id"]: w for w in cohesion_report(cluster)["workshops"]}
    assert [rows[x]["core"] for x in "ABCDEFGHI"] == [2, 2, 2, 2, 2, 2, 1, 1, 1]
    assert [x for x in "ABCDEFGHI" if rows[x]["articulation_point"]] == ["A", "C", "D"]


def test_karate_club_sections_agree_with_networkx():
    karate = nx.karate_club_graph()
    r = cohesion_report(cluster_from_nx(karate), seed=3)
    assert r["network"]["transitivity"] == pytest.approx(nx.transitivity(karate))
    cores = nx.core_number(karate)
    for w in r["workshops"]:
        assert w["core"] == cores[int(w["workshop_id"])]
        assert w["clustering"] == pytest.approx(nx.clustering(karate, int(w["workshop_id"])))
    assert r["cores"]["max_core"] == max(cores.values()) == 4
    points = {str(v) for v in nx.articulation_points(karate)}
    assert {w["workshop_id"] for w in r["workshops"] if w["articulation_point"]} == points
    assert r["brokers"]["articulation_points"] == len(points)
    assert r["brokers"]["bridges"] == len(list(nx.bridges(karate)))
    stability = r["communities"]["stability"]
    assert stability["runs"] == 5 and stability["seeds"] == [3, 4, 5, 6, 7]
    assert 0.0 < stability["mean_ari"] <= 1.0 and 0.0 < stability["mean_nmi"] <= 1.0


def test_scope_by_territory_organisation_and_list():
    ws = (
        Workshop("A", "North", 2, ("jeans",), ("sewing",), organizations=("coop",)),
        Workshop("B", "North", 2, ("jeans",), ("sewing",), organizations=("coop", "guild")),
        Workshop("C", "North", 2, ("jeans",), ("sewing",)),
        Workshop("D", "South", 2, ("jeans",), ("sewing",), organizations=("guild",)),
    )
    ties = (Tie("A", "B", "kinship"), Tie("B", "C", "friendship"), Tie("C", "D", "friendship"))
    cluster = Cluster(ws, ties=ties)
    north = network_report(cluster, territory="North")
    assert north["scope"] == {"territory": "North", "organization": None, "workshops": 3}
    assert north["network"]["collaboration_edges"] == 2
    guild = network_report(cluster, organization="guild")
    assert guild["network"]["workshops"] == 2 and guild["network"]["isolates"] == 2
    both = network_report(cluster, territory="North", organization="guild")
    assert both["scope"]["workshops"] == 1
    listed = network_report(cluster, workshops=["C", "D"])
    assert listed["network"]["collaboration_edges"] == 1
    with pytest.raises(UnknownIdError, match=r"unknown territory id West; known territory ids: North, South"):
        network_report(cluster, territory="West")
    with pytest.raises(UnknownIdError, match=r"unknown organization id club; known organization ids: coop"):
        network_report(cluster, organization="club")
    with pytest.raises(InvalidOptionError, match=r"no workshop is in the scope asked \(territory South, "):
        network_report(cluster, territory="South", organization="coop")
    with pytest.raises(UnknownIdError, match="unknown workshop id Z"):
        network_report(cluster, workshops=["A", "Z"])


def test_betweenness_methods_are_stated():
    karate = nx.karate_club_graph()
    none = network_report(karate, betweenness="none")["brokers"]
    assert none["betweenness"]["method"] == "none" and "constraint" in none["betweenness"]["note"]
    assert none["ranked_by"] != "betweenness"
    sampled = cohesion_report(karate, betweenness="sampled", samples=10, seed=2)
    how = sampled["brokers"]["betweenness"]
    assert how["method"] == "sampled" and how["samples"] == 10 and how["max_standard_error"] > 0
    assert all("betweenness_error" in w for w in sampled["workshops"])
    with pytest.raises(InvalidOptionError, match="betweenness must be one of auto, exact, sampled, none"):
        network_report(karate, betweenness="fast")


def test_workshop_table_has_metrics_and_attributes():
    cluster = cluster_from_edges("ABC", [("A", "B")])
    table = workshop_table(cluster)
    assert list(table.index) == ["A", "B", "C"]
    assert table.loc["C", "isolate"] and table.loc["A", "territory"] == "T"
    assert table.loc["A", "size_class"] == "micro"


def test_reports_leave_their_input_alone():
    karate = nx.karate_club_graph()
    before = (list(karate.nodes(data=True)), list(karate.edges(data=True)))
    cohesion_report(karate)
    assert (list(karate.nodes(data=True)), list(karate.edges(data=True))) == before
    cluster = cluster_from_edges("ABC", [("A", "B")])
    ties = cluster.ties
    network_report(cluster, territory="T")
    assert cluster.ties == ties


def test_empty_and_single_workshop_networks():
    one = network_report(Cluster((Workshop("A", "T", 1, ("tshirt",), ("sewing",)),)))
    assert one["network"]["transitivity"] == 0.0 and one["cores"]["max_core"] == 0
    assert one["signed"]["balance"]["balanced_share"] is None
    assert one["communities"]["count"] == 0


def test_strength_sums_positive_ties_of_every_kind():
    ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABC")
    ties = (
        Tie("A", "B", "kinship", 5),
        Tie("B", "A", "friendship", 2),
        Tie("A", "B", "subcontracting"),  # default strength 3
        Tie("B", "C", "conflict", 4),  # mistrust adds nothing
    )
    rows = {w["workshop_id"]: w for w in cohesion_report(Cluster(ws, ties=ties))["workshops"]}
    assert (rows["A"]["strength"], rows["B"]["strength"], rows["C"]["strength"]) == (10, 10, 0)
    assert rows["A"]["degree"] == 1


def test_brokers_are_counted_and_the_top_list_is_never_padded():
    # A star: one broker, however many workshops; the list does not fill up with leaves.
    star = network_report(nx.star_graph(6))["brokers"]
    assert star["count"] == 1 and [b["workshop_id"] for b in star["top"]] == ["0"]
    # A path of five: the three inside, the middle first (betweenness 2/3, then 1/2 and 1/2).
    path = network_report(nx.path_graph(5))["brokers"]
    assert path["count"] == 3 and [b["workshop_id"] for b in path["top"]] == ["2", "1", "3"]
    assert all(b["betweenness"] > 0 for b in path["top"])
    # Two triangles joined by C-D, G hanging from A: A, C and D join workshops not tied to each other.
    rows = cohesion_report(cluster_from_edges("ABCDEFG", _pairs(TRIANGLES_AND_PENDANT)))["workshops"]
    assert [w["workshop_id"] for w in rows if w["broker"]] == ["A", "C", "D"]
    # A path of fourteen: twelve brokers, the ten with the highest betweenness listed.
    long = network_report(nx.path_graph(14))["brokers"]
    assert long["count"] == 12 and len(long["top"]) == 10
    assert network_report(nx.complete_graph(4))["brokers"] | {"betweenness": None} == {
        "betweenness": None, "count": 0, "articulation_points": 0, "bridges": 0,
        "ranked_by": "betweenness", "top": [],
    }  # fmt: skip
