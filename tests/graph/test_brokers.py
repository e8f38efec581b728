"""Brokerage: betweenness (exact and sampled), Burt's constraint and effective size, cut points."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from matcher.errors import InvalidOptionError
from matcher.graph import brokerage


def test_star_and_triangle_by_hand():
    star = brokerage(nx.star_graph(4))["workshops"]
    # Hub: 4 contacts, none tied: effective size 4, constraint 4 * (1/4)^2.
    assert star["0"]["effective_size"] == pytest.approx(4.0)
    assert star["0"]["constraint"] == pytest.approx(0.25)
    assert star["1"]["effective_size"] == pytest.approx(1.0) and star["1"]["constraint"] == pytest.approx(1.0)
    triangle = brokerage(nx.complete_graph(3))["workshops"]
    # Degree 2, one tie among contacts: 2 - 2 * 1 / 2 = 1; constraint 2 * (1/2 + 1/2 * 1/2)^2 = 9/8.
    assert triangle["0"]["effective_size"] == pytest.approx(1.0)
    assert triangle["0"]["constraint"] == pytest.approx(9 / 8)
    isolated = nx.Graph()
    isolated.add_nodes_from([1, 2])
    alone = brokerage(isolated)["workshops"]["1"]
    assert alone["constraint"] is None and alone["effective_size"] is None and alone["betweenness"] == 0.0


def test_florentine_families_agree_with_networkx():
    families = nx.florentine_families_graph()
    b = brokerage(families)
    rows = b["workshops"]
    assert max(rows, key=lambda w: rows[w]["betweenness"]) == "Medici"
    between = nx.betweenness_centrality(families)
    burt = nx.constraint(families)
    size = nx.effective_size(families)
    for family, row in rows.items():
        assert row["betweenness"] == pytest.approx(between[family], abs=1e-12)
        if np.isnan(burt[family]):
            assert row["constraint"] is None
        else:
            assert row["constraint"] == pytest.approx(burt[family])
            assert row["effective_size"] == pytest.approx(size[family])
    assert b["articulation_points"] == sorted(nx.articulation_points(families))
    assert b["bridges"] == sorted(sorted(e) for e in nx.bridges(families))
    # The Medici have the lowest constraint among families with several ties: the broker.
    tied = {f: r["constraint"] for f, r in rows.items() if families.degree[f] > 1}
    assert min(tied, key=tied.get) == "Medici"


def test_sampled_betweenness_is_unbiased_within_its_error():
    graph = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=7)
    exact = nx.betweenness_centrality(graph)
    b = brokerage(graph, betweenness="sampled", samples=120, seed=3)
    assert b["betweenness"]["method"] == "sampled" and b["betweenness"]["samples"] == 120
    rows = b["workshops"]
    est = np.array([rows[str(v)]["betweenness"] for v in graph.nodes])
    err = np.array([rows[str(v)]["betweenness_error"] for v in graph.nodes])
    truth = np.array([exact[v] for v in graph.nodes])
    assert np.all(err >= 0) and np.mean(err > 0) > 0.9
    # Most estimates lie within three standard errors; overall the estimate is unbiased.
    assert np.mean(np.abs(est - truth) <= 3 * err + 1e-12) >= 0.9
    assert est.sum() == pytest.approx(truth.sum(), rel=0.05)


def test_sampling_every_source_is_exact_and_same_seed_same_estimate():
    karate = nx.karate_club_graph()
    full = brokerage(karate, betweenness="sampled", samples=34)
    assert full["betweenness"]["method"] == "exact"
    exact = nx.betweenness_centrality(karate)
    assert all(full["workshops"][str(v)]["betweenness"] == pytest.approx(exact[v]) for v in karate)
    assert brokerage(karate, betweenness="sampled", samples=8, seed=1) == brokerage(
        karate, betweenness="sampled", samples=8, seed=1
    )
    with pytest.raises(InvalidOptionError, match="samples must be a whole number >= 2"):
        brokerage(karate, betweenness="sampled", samples=1)


def test_without_betweenness_the_scalable_measures_remain():
    b = brokerage(nx.path_graph(4), betweenness="none")
    assert b["betweenness"]["method"] == "none"
    assert b["workshops"]["1"]["betweenness"] is None and b["workshops"]["1"]["articulation_point"]
    assert b["articulation_points"] == ["1", "2"] and b["bridges"] == [["0", "1"], ["1", "2"], ["2", "3"]]


@pytest.mark.parametrize(
    ("graph", "brokers"),
    [
        (nx.star_graph(4), {"0"}),  # the hub joins every pair of leaves; leaves join nobody
        (nx.path_graph(5), {"1", "2", "3"}),  # betweenness 0.5, 0.667, 0.5; the ends 0
        (nx.complete_graph(4), set()),  # everyone's partners are tied to each other
        (nx.cycle_graph(5), {"0", "1", "2", "3", "4"}),
    ],
)
def test_brokers_are_the_workshops_with_betweenness_above_zero(graph, brokers):
    b = brokerage(graph)
    assert {w for w, row in b["workshops"].items() if row["broker"]} == brokers
    assert b["brokers"] == len(brokers)
    assert brokers == {w for w, row in b["workshops"].items() if row["betweenness"] > 0}


def test_brokers_known_without_betweenness():
    graph = nx.connected_watts_strogatz_graph(200, 4, 0.2, seed=5)
    exact = nx.betweenness_centrality(graph)
    none = brokerage(graph, betweenness="none")
    assert none["betweenness"]["method"] == "none"
    assert {w for w, row in none["workshops"].items() if row["broker"]} == {
        str(v) for v, value in exact.items() if value > 0
    }
