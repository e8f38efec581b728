"""``matcher analyze``: scope, group, ego, waves, export and graph files, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.sample import SAMPLE_DIR

runner = CliRunner()
LAZEGA = Path(__file__).resolve().parent / "data" / "lazega" / "Lazega-Law-Firm.paj"


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def analyze_json(*args: object) -> dict:
    result = invoke("analyze", SAMPLE_DIR, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_has_every_section_beside_the_foundation_keys():
    report = analyze_json()
    assert set(report) >= {"network", "workshops", "scope", "kinds", "cores", "communities", "homophily"}
    assert set(report) >= {"brokers", "signed"}
    assert report["communities"]["stability"]["runs"] == 5


def test_scope_by_territory_and_organization():
    whole = analyze_json()
    report = analyze_json("--territory", "Yaguarón")
    assert report["scope"]["territory"] == "Yaguarón"
    assert {w["workshop_id"][:3] for w in report["workshops"]} == {"YAG"}
    members = analyze_json("--organization", "Precooperativa Pilar")
    assert members["scope"]["organization"] == "Precooperativa Pilar"
    assert members["network"]["workshops"] < whole["network"]["workshops"]
    assert members["network"]["workshops"] == len(members["workshops"]) > 0


def test_unknown_territory_organization_ids_and_waves_are_one_line():
    cases = [
        (
            ["--territory", "Atlantis"],
            "unknown territory id Atlantis; known territory ids: Mariano Roque Alonso",
        ),
        (["--organization", "nobody"], "unknown organization id nobody; known organization ids:"),
        (["--group", "YAG-001,NOPE"], "unknown workshop id NOPE"),
        (["--group", ","], "a group needs at least one workshop id"),
        (["--ego", "NOPE"], "unknown workshop id NOPE"),
        (["--compare-waves", "w1", "w9"], "unknown wave id w9; known wave ids: w1, w2"),
        (["--compare-waves", "w1", "w1"], "compare two different waves"),
        (
            ["--territory", "Yaguarón", "--ego", "PIL-001"],
            "PIL-001 not in the scope asked (territory Yaguarón)",
        ),
        (["--betweenness", "fast"], "betweenness must be one of auto, exact, sampled, none"),
        (["--resolution", "0"], "resolution"),
    ]
    for args, message in cases:
        result = invoke("analyze", SAMPLE_DIR, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in " ".join(result.output.split()), (args, result.output)
        assert "Traceback" not in result.output


def test_group_ego_and_waves_go_beside_the_report():
    report = analyze_json("--group", "YAG-066,YAG-068", "--group", "YAG-070", "--ego", "YAG-068")
    assert report["group"]["workshops"] == ["YAG-066", "YAG-068", "YAG-070"]
    assert report["ego"]["workshop_id"] == "YAG-068" and report["ego"]["role"]
    waves = analyze_json("--compare-waves", "w1", "w2")["waves"]
    assert waves["waves"] == ["w1", "w2"] and waves["kept_pairs"] > 0


def test_tables_for_people():
    result = invoke(
        "analyze", SAMPLE_DIR, "--group", "YAG-066,YAG-068,YAG-070", "--ego", "YAG-068",
        "--compare-waves", "w1", "w2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = result.output
    for heading in (
        "Homophily",
        "brokers",
        "Mistrust",
        "Multiplexity",
        "Group of 3",
        "Ego network of YAG-068",
    ):
        assert heading in text
    assert "From wave w1 to wave w2" in text and "Role:" in text


def test_export_writes_gephi_files_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "sample.gexf"
    result = invoke("analyze", SAMPLE_DIR, "--territory", "Pilar", "--export", target)
    assert result.exit_code == 0, result.output
    graph = nx.read_gexf(target)
    assert all(n.startswith("PIL-") for n in graph.nodes)
    assert {"betweenness", "community", "territory", "constraint"} <= set(next(iter(graph.nodes.values())))
    again = invoke("analyze", SAMPLE_DIR, "--export", target)
    assert again.exit_code == 2 and "already exists" in again.output
    assert invoke("analyze", SAMPLE_DIR, "--export", target, "--overwrite").exit_code == 0
    bad = invoke("analyze", SAMPLE_DIR, "--export", tmp_path / "x.pdf")
    assert bad.exit_code == 2 and "use one of .graphml" in bad.output


@pytest.mark.parametrize("args", [[], ["--betweenness", "none", "--ego", "L1"]])
def test_graph_files_are_analysed_too(args):
    result = invoke("analyze", LAZEGA, "--json", *args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["network"]["workshops"] == 71
    assert set(report["kinds"]["pairs_by_kind"]) == {"advice", "co-work", "friendship"}
    table = invoke("analyze", LAZEGA, *args)
    assert table.exit_code == 0 and "office" in table.output


def test_bad_graph_file_is_one_line(tmp_path):
    path = tmp_path / "bad.paj"
    path.write_text("*Vertices 2\n1 a\n2 b\n*Edges\n1 5\n")
    result = invoke("analyze", path)
    assert result.exit_code == 2
    assert "bad.paj: line 5: vertex 5 is not among the 2 vertices" in result.output
    assert "Traceback" not in result.output


def test_counts_are_of_pairs_and_brokers_of_those_that_qualify(tmp_path):
    from matcher.io import write_cluster
    from tests.graph.test_counts import A, two_waves

    folder = write_cluster(two_waves(), tmp_path / "two-waves")
    result = invoke("analyze", folder, "--ego", A)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    # A's one conflict partner, typed in both waves: conflict 1, not 2; five ties from eight rows.
    assert "conflict 1, friendship 1, kinship 1" in text
    assert "Ties (pairs per kind, all waves) │ 5 │" in text
    assert "Tie rows (as recorded, every wave) │ 8 │" in text
    # Two brokers (B and C join partners not tied to each other), listed without padding.
    assert "2 brokers (betweenness above zero; by betweenness)" in text
    top = invoke("analyze", SAMPLE_DIR, "--territory", "Pilar", "--top", "3")
    assert "Top 3 of 153 brokers (betweenness above zero; by betweenness)" in " ".join(top.output.split())


def test_above_the_json_rows_limit_the_rows_go_to_the_exported_table(tmp_path, monkeypatch):
    whole = analyze_json()
    monkeypatch.setattr("matcher.cli.analysis.JSON_WORKSHOPS_MAX", 100)
    table = tmp_path / "rows.parquet"
    report = analyze_json("--export", table)
    assert "workshops" not in report
    n = report["network"]["workshops"]
    assert report["workshops_table"] == {
        "workshops": n,
        "file": str(table),
        "note": f"{n} workshops: the row of each is in {table}, not in this report",
    }
    rows = pd.read_parquet(table)
    assert len(rows) == n and rows["workshop_id"].tolist() == [w["workshop_id"] for w in whole["workshops"]]
    assert rows["betweenness"].tolist() == pytest.approx([w["betweenness"] for w in whole["workshops"]])
    assert {"territory", "size_class", "organizations"} <= set(rows.columns)
    alone = analyze_json()
    apart = alone["workshops_table"]
    assert apart["file"] is None and "--export FILE.csv" in apart["note"]
    # On the screen the brokers table is the same as with every row at hand.
    monkeypatch.setattr("matcher.cli.analysis.JSON_WORKSHOPS_MAX", 100_000)
    small = invoke("analyze", SAMPLE_DIR, "--top", "5").stdout
    monkeypatch.setattr("matcher.cli.analysis.JSON_WORKSHOPS_MAX", 100)
    assert invoke("analyze", SAMPLE_DIR, "--top", "5").stdout == small


def test_the_csv_table_is_written_in_chunks_equal_to_one_write(tmp_path, monkeypatch):
    one = tmp_path / "one.csv"
    assert invoke("analyze", SAMPLE_DIR, "--export", one).exit_code == 0
    monkeypatch.setattr("matcher.graph.export.CHUNK_ROWS", 7)
    chunked = tmp_path / "chunked.csv"
    assert invoke("analyze", SAMPLE_DIR, "--export", chunked).exit_code == 0
    assert chunked.read_text(encoding="utf-8") == one.read_text(encoding="utf-8")
    assert len(pd.read_csv(chunked)) == analyze_json()["network"]["workshops"]


def test_an_export_is_refused_before_the_analysis(tmp_path):
    (tmp_path / "taken.csv").write_text("x", encoding="utf-8")
    taken = invoke("analyze", SAMPLE_DIR, "--export", tmp_path / "taken.csv")
    assert taken.exit_code == 2 and "already exists" in taken.output and "Analysing" not in taken.output
