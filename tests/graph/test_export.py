"""Export to GraphML, GEXF, node-link JSON and CSV, and reading back."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest

from matcher.errors import InvalidOptionError
from matcher.graph import export_network, network_report, read_network
from matcher.model import Cluster, Tie, Workshop


def small() -> Cluster:
    ws = (
        Workshop("A", "North", 2, ("jeans",), ("sewing",), organizations=("coop",)),
        Workshop("B", "North", 6, ("jeans",), ("sewing",), organizations=("coop", "guild")),
        Workshop("C", "South", 2, ("tshirt",), ("sewing",)),
    )
    ties = (
        Tie("A", "B", "kinship", 5, "w1"),
        Tie("A", "B", "friendship", 2, "w1"),
        Tie("B", "C", "subcontracting", 3, "w2"),
        Tie("A", "C", "conflict"),
    )
    return Cluster(ws, ties=ties)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
def test_graph_formats_keep_ties_attributes_and_metrics(tmp_path, suffix):
    path = export_network(small(), tmp_path / f"cluster{suffix}")
    if suffix == ".graphml":
        graph = nx.read_graphml(path)
    elif suffix == ".gexf":
        graph = nx.read_gexf(path)
    else:
        graph = nx.node_link_graph(json.loads(path.read_text()), edges="edges")
    assert sorted(graph.nodes) == ["A", "B", "C"] and graph.number_of_edges() == 4
    kinds = sorted(d["kind"] for *_, d in graph.edges(data=True))
    assert kinds == ["conflict", "friendship", "kinship", "subcontracting"]
    b = graph.nodes["B"]
    assert b["territory"] == "North" and b["size_class"] == "small" and b["organizations"] == "coop;guild"
    assert b["degree"] == 2 and float(b["betweenness"]) == 1.0 and b["articulation_point"] in (True, "true")
    strengths = {d["kind"]: int(d["strength"]) for *_, d in graph.edges(data=True)}
    assert strengths["kinship"] == 5
    signs = {d["kind"]: int(d["sign"]) for *_, d in graph.edges(data=True)}
    assert signs["conflict"] == -1 and signs["kinship"] == 1
    # Read back, the network gives the same analysis.
    again = read_network(path)
    assert network_report(again)["kinds"] == network_report(small())["kinds"]
    assert network_report(again, organization="guild")["scope"]["workshops"] == 1
    assert sorted(again.waves) == ["w1", "w2"]


def test_csv_has_a_row_per_workshop(tmp_path):
    path = export_network(small(), tmp_path / "workshops.csv", territory="North")
    table = pd.read_csv(path, index_col="workshop_id")
    assert list(table.index) == ["A", "B"]
    assert {"degree", "betweenness", "community", "core", "constraint", "territory"} <= set(table.columns)
    assert "phone" not in table.columns and "name" not in table.columns


def test_csv_cells_are_inert_and_numbers_stay_numbers(tmp_path):
    ws = (
        Workshop("=A1+1", "@North", 2, ("jeans",), ("sewing",), organizations=("-coop",)),
        Workshop("B", "+North", 6, ("jeans",), ("sewing",), organizations=("\tguild",)),
    )
    cluster = Cluster(ws, ties=(Tie("=A1+1", "B", "conflict", 2),))
    path = export_network(cluster, tmp_path / "workshops.csv")
    table = pd.read_csv(path, index_col="workshop_id", keep_default_na=False)
    assert list(table.index) == ["'=A1+1", "B"]
    assert list(table["territory"]) == ["'@North", "'+North"]
    assert list(table["organizations"]) == ["'-coop", "'\tguild"]
    assert (
        table["degree"].dtype.kind == "i" and table["betweenness"].dtype.kind == "f"
    )  # numbers stay numbers


def test_bad_paths_are_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(InvalidOptionError, match=r"cannot export to cluster.xlsx: use one of \.graphml"):
        export_network(small(), tmp_path / "cluster.xlsx")
    target = tmp_path / "cluster.graphml"
    target.write_text("keep me")
    with pytest.raises(InvalidOptionError, match="already exists"):
        export_network(small(), target)
    assert target.read_text() == "keep me"
    export_network(small(), target, overwrite=True)
    assert nx.read_graphml(target).number_of_nodes() == 3
    with pytest.raises(Exception, match="unknown territory id West"):
        export_network(small(), tmp_path / "west.csv", territory="West")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cluster.graphml"]
