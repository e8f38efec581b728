"""``matcher analyze --html`` and ``matcher match --html``: one standalone page, clear refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.sample import SAMPLE_DIR

runner = CliRunner()
LAZEGA = Path(__file__).resolve().parent / "data" / "lazega" / "Lazega-Law-Firm.paj"
FAST_MATCH = ("--time-limit", "3", "--explain-seconds", "2")


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def page_data(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="matcher-data">(.*?)</script>', html, re.DOTALL)
    assert block, "no data in the page"
    return json.loads(block.group(1))


def page_of(path: Path) -> str:
    return re.search(r'<main id="app" [^>]*data-page="(\w+)"', path.read_text(encoding="utf-8")).group(1)


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    return lines[0]


def test_analyze_writes_the_network_and_the_dashboard(tmp_path):
    target = tmp_path / "analysis.html"
    result = invoke("analyze", SAMPLE_DIR, "--html", target, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"Page written to {target}" in " ".join(result.stdout.split())
    data = page_data(target)
    assert set(data) == {"network", "dashboard"}
    assert data["network"]["summary"]["workshops"] == data["dashboard"]["workshops"] == 377
    assert len(data["network"]["nodes"]["id"]) == 377
    assert all(o["status"] == "not matched" for o in data["dashboard"]["orders"])
    assert data["dashboard"]["territories"]  # the sample has contacts: territory centroids
    assert page_of(target) == "network"
    assert '<html lang="en">' in target.read_text(encoding="utf-8")


def test_analyze_of_a_territory_writes_that_scope_only(tmp_path):
    target = tmp_path / "yag.html"
    result = invoke("analyze", SAMPLE_DIR, "--territory", "Yaguarón", "--html", target, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # --json still prints JSON and nothing else
    data = page_data(target)
    assert data["network"]["scope"]["territory"] == "Yaguarón"
    assert {i[:3] for i in data["network"]["nodes"]["id"]} == {"YAG"}
    assert (
        data["dashboard"]["workshops"]
        == len(data["network"]["nodes"]["id"])
        == report["network"]["workshops"]
    )


def test_analyze_of_a_graph_file_has_no_dashboard(tmp_path):
    target = tmp_path / "lazega.html"
    result = invoke("analyze", LAZEGA, "--html", target)
    assert result.exit_code == 0, result.output
    data = page_data(target)
    assert set(data) == {"network"}
    assert len(data["network"]["nodes"]["id"]) == 71


def test_match_writes_a_proposal_for_every_order_of_the_run(tmp_path):
    target = tmp_path / "match.html"
    result = invoke("match", SAMPLE_DIR, "--order", "O01,O10", *FAST_MATCH, "--html", target, "--json")
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    data = page_data(target)
    assert set(data) == {"network", "dashboard", "proposals"}
    assert sorted(data["proposals"]) == sorted(o["order_id"] for o in run["orders"]) == ["O01", "O10"]
    for order in run["orders"]:
        proposal = data["proposals"][order["order_id"]]
        assert proposal["status"] == order["status"]
        assert [m["workshop_id"] for m in proposal["members"]] == sorted(
            m["workshop_id"] for m in order["group"]
        )
    statuses = {o["order_id"]: o["status"] for o in data["dashboard"]["orders"]}
    assert statuses["O02"] == "not matched" and statuses["O01"] == run["orders"][0]["status"]
    assert page_of(target) == "proposal"
    assert '<html lang="es">' in target.read_text(encoding="utf-8")


def test_no_overwrite_without_the_flag(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("keep me", encoding="utf-8")
    line = one_error_line(invoke("analyze", SAMPLE_DIR, "--html", target))
    assert line == f"error: {target} already exists; choose another path or overwrite it"
    assert target.read_text(encoding="utf-8") == "keep me"
    one_error_line(invoke("match", SAMPLE_DIR, "--html", target, "--time-limit", "60"))
    assert target.read_text(encoding="utf-8") == "keep me"
    result = invoke("analyze", SAMPLE_DIR, "--html", target, "--overwrite")
    assert result.exit_code == 0, result.output
    assert page_data(target)["network"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "fr"], "unknown language 'fr'; use one of es, en"),
        (["--lang", "EN"], "unknown language 'EN'"),
    ],
)
@pytest.mark.parametrize("command", ["analyze", "match"])
def test_bad_language_is_one_line_before_any_work(tmp_path, command, args, message):
    # A match run of 60 s would time the test out: the refusal comes first.
    extra = ["--time-limit", "60"] if command == "match" else []
    line = one_error_line(invoke(command, SAMPLE_DIR, "--html", tmp_path / "p.html", *args, *extra))
    assert message in line
    assert not (tmp_path / "p.html").exists()


@pytest.mark.parametrize("command", ["analyze", "match"])
def test_bad_paths_are_one_line(tmp_path, command):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    extra = ["--time-limit", "60"] if command == "match" else []
    cases = [
        (tmp_path / "page.pdf", "the file name must end in .html"),
        (tmp_path, "is a folder; give a file name such as"),
        (tmp_path / "file" / "page.html", "is a file, not a folder"),
    ]
    for path, message in cases:
        assert message in one_error_line(invoke(command, SAMPLE_DIR, "--html", path, *extra))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
