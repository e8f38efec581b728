"""Reading published networks: the Lazega law firm (Pajek, three relations) and bad files."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from matcher.errors import InvalidDataError, InvalidOptionError
from matcher.graph import homophily, kinds_view, network_report, read_network, read_pajek

LAZEGA = Path(__file__).resolve().parents[1] / "data" / "lazega" / "Lazega-Law-Firm.paj"
RELATIONS = {"1": "advice", "2": "friendship", "3": "co-work"}


def independent_lazega() -> tuple[dict[str, nx.Graph], dict[int, int]]:
    """Undirected graph per relation and each lawyer's office, parsed without the library."""
    lines = LAZEGA.read_text().splitlines()
    graphs = {name: nx.Graph() for name in RELATIONS.values()}
    for g in graphs.values():
        g.add_nodes_from(range(1, 72))
    for line in lines:
        found = re.match(r"^([123]):\s+(\d+)\s+(\d+)\s+1\s*$", line)
        if found:
            graphs[RELATIONS[found.group(1)]].add_edge(int(found.group(2)), int(found.group(3)))
    start = lines.index("*Partition office.clu")
    values = [line for line in lines[start + 1 :] if line.strip().isdigit()][:71]
    return graphs, {v: int(x) for v, x in enumerate(values, start=1)}


def test_lazega_densities_and_office_assortativity_match_networkx():
    graphs, office = independent_lazega()
    net = read_network(LAZEGA)
    assert net.n == 71 and len(net.kind) == sum(1 for line in LAZEGA.read_text().splitlines()
                                                   if re.match(r"^[123]:\s", line))  # fmt: skip
    view = kinds_view(net)
    for name, graph in graphs.items():
        assert view["density_by_kind"][name] == pytest.approx(nx.density(graph), abs=1e-12)
    union = nx.compose_all(graphs.values())
    nx.set_node_attributes(union, office, "office")
    expected = nx.attribute_assortativity_coefficient(union, "office")
    assert homophily(net, ["office"])["office"]["assortativity"] == pytest.approx(expected, abs=1e-12)
    # Lazega's lawyers tie mostly within their office (Boston, Hartford, Providence).
    assert expected > 0.3


def test_lazega_report_reads_like_the_literature():
    graph = read_pajek(LAZEGA)
    assert graph.is_directed() and graph.number_of_nodes() == 71
    assert graph.nodes["L1"]["status"] == 1 and graph.nodes["L1"]["office"] == 1
    r = network_report(graph)
    assert set(r["homophily"]) == {"status", "gender", "office", "practice", "lawSchool"}
    # Co-work and advice overlap far more than chance: multiplex pairs are common.
    assert r["kinds"]["multiplexity"] > 0.3


def test_pajek_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.paj"
    path.write_text('*Vertices 2\n1 "a"\n2 "b"\n*arcs :1 "advice"\n*arcs\n1: 1 3 1\n2: 1 2 1\n1: 1 x\n')
    with pytest.raises(InvalidDataError) as caught:
        read_pajek(path)
    text = [str(p) for p in caught.value.problems]
    assert text == [
        "bad.paj: line 6: vertex 3 is not among the 2 vertices",
        'bad.paj: line 7: relation 2 is not declared (*arcs :2 "name")',
        "bad.paj: line 8: vertex 'x' is not a whole number",
    ]
    with pytest.raises(InvalidOptionError, match=r"cannot read graph.txt: use one of \.paj"):
        read_network(tmp_path / "graph.txt")
    with pytest.raises(InvalidDataError, match=r"missing\.graphml: no such file"):
        read_network(tmp_path / "missing.graphml")
    broken = tmp_path / "broken.graphml"
    broken.write_text("<graphml><graph>")
    with pytest.raises(InvalidDataError, match=r"broken\.graphml: is not valid GraphML"):
        read_network(broken)


def test_undirected_pajek_with_vectors(tmp_path):
    path = tmp_path / "small.net"
    path.write_text(
        '% comment\n*Vertices 3\n1 "x"\n2 "y"\n3 "z"\n*Edges\n1 2 2\n2 3\n'
        "*Vector age.vec\n*Vertices 3\n30\n41.5\n50\n"
    )
    graph = read_pajek(path)
    assert not graph.is_directed()
    assert list(graph.edges(data=True)) == [
        ("x", "y", {"kind": "tie", "weight": 2.0}),
        ("y", "z", {"kind": "tie", "weight": 1.0}),
    ]
    assert graph.nodes["y"]["age"] == 41.5 and graph.nodes["x"]["age"] == 30
