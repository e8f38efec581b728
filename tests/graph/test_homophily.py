"""Homophily: nominal assortativity and the E-I index."""

from __future__ import annotations

import networkx as nx
import pytest

from matcher.errors import UnknownIdError
from matcher.graph import ei_index, homophily
from matcher.model import Cluster, Tie, Workshop


def test_by_hand():
    graph = nx.Graph([(1, 2), (3, 4), (1, 3)])
    nx.set_node_attributes(graph, {1: "a", 2: "a", 3: "b", 4: "b"}, "office")
    h = homophily(graph, ["office"])["office"]
    # 2 ties within, 1 across: E-I = (1 - 2) / 3. Half-edge matrix e_aa = e_bb = 2/6,
    # a_a = a_b = 1/2: r = (4/6 - 1/2) / (1 - 1/2) = 1/3.
    assert (h["within"], h["across"], h["categories"], h["ties_used"]) == (2, 1, 2, 3)
    assert h["ei_index"] == pytest.approx(-1 / 3)
    assert h["assortativity"] == pytest.approx(1 / 3)
    assert ei_index(3, 0) == 1.0 and ei_index(0, 0) is None


def test_unknown_values_are_left_out_and_one_category_has_no_assortativity():
    graph = nx.Graph([(1, 2), (2, 3), (3, 4)])
    nx.set_node_attributes(graph, {1: "a", 2: "a", 3: "a"}, "office")  # 4 unknown
    h = homophily(graph, ["office"])["office"]
    assert h["ties_used"] == 2 and h["within"] == 2 and h["ei_index"] == -1.0
    assert h["assortativity"] is None


def test_karate_club_factions_agree_with_networkx():
    karate = nx.karate_club_graph()
    h = homophily(karate)  # "club" is the one categorical attribute
    assert list(h) == ["club"]
    assert h["club"]["assortativity"] == pytest.approx(nx.attribute_assortativity_coefficient(karate, "club"))


def test_cluster_defaults_and_unknown_attribute():
    ws = (
        Workshop("A", "North", 2, ("jeans",), ("sewing",), formal=True),
        Workshop("B", "North", 7, ("jeans",), ("sewing",), formal=False),
        Workshop("C", "South", 2, ("tshirt",), ("sewing",), formal=True),
    )
    cluster = Cluster(ws, ties=(Tie("A", "B", "kinship"), Tie("A", "C", "friendship")))
    h = homophily(cluster)
    assert list(h) == ["territory", "size_class", "main_product", "gender_majority", "formality"]
    assert h["territory"]["within"] == 1 and h["territory"]["across"] == 1
    assert h["size_class"]["within"] == 1  # A and C are micro, B small
    assert h["formality"]["ei_index"] == 0.0
    with pytest.raises(UnknownIdError, match="unknown attribute id age; known attribute ids: "):
        homophily(cluster, ["age"])
