"""The ``matcher`` command end to end on the bundled sample."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.sample import SAMPLE_DIR
from tests.io.test_cooperativa import TYPED, fixed

runner = CliRunner()


def invoke(*args: str):
    # In English whatever the machine's locale (validate speaks the locale's language).
    return runner.invoke(app, [str(a) for a in args], env={"MATCHER_LANG": "en"})


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    # A shorter limit than the demo's own: the answer is the same verified kind, sooner.
    result = invoke("demo", "--out", out, "--time-limit", "20")
    assert result.exit_code == 0, result.output
    return out


def test_demo_writes_analysis_and_match(demo_dir):
    analysis = json.loads((demo_dir / "analysis.json").read_text(encoding="utf-8"))
    matched = json.loads((demo_dir / "match.json").read_text(encoding="utf-8"))
    assert set(analysis) >= {"network", "workshops"}
    assert analysis["network"]["workshops"] == len(analysis["workshops"])
    assert matched["status"] in {"optimal", "feasible"}
    assert matched["verified"] is True
    statuses = [o["status"] for o in matched["orders"]]
    # The sample has exactly one order that cannot be filled, as a teaching case.
    assert statuses.count("unfilled") == 1
    unfilled = next(o for o in matched["orders"] if o["status"] == "unfilled")
    assert unfilled["reasons"] and unfilled["group"] == []
    for order in matched["orders"]:
        if order["status"] == "filled":
            for member in order["group"]:
                assert member["allocations"]


def test_demo_writes_a_page_of_the_cluster_and_its_groups(demo_dir):
    html = (demo_dir / "cluster.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and '<html lang="es">' in html
    matched = json.loads((demo_dir / "match.json").read_text(encoding="utf-8"))
    for order in matched["orders"]:
        assert f'"{order["order_id"]}"' in html
    # offline: plotly.js is inlined, nothing is loaded from elsewhere
    assert "plotly.js v" in html and "<script src=" not in html
    assert "Persona sintética" not in html and "Calle Ficticia" not in html


def test_demo_analysis_is_what_analyze_prints(demo_dir):
    result = invoke("analyze", SAMPLE_DIR, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads((demo_dir / "analysis.json").read_text(encoding="utf-8"))


def test_validate_sample_is_valid():
    result = invoke("validate", SAMPLE_DIR)
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_lists_every_problem(tmp_path):
    data = tmp_path / "broken"
    shutil.copytree(SAMPLE_DIR, data)
    lines = (data / "workshops.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("workers")] = "tres"
    lines[1] = ",".join(cells)
    (data / "workshops.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ties = (data / "ties.csv").read_text(encoding="utf-8").splitlines()
    tie_header = ties[0].split(",")
    tie = ties[1].split(",")
    tie[tie_header.index("target")] = tie[tie_header.index("source")]
    tie[tie_header.index("kind")] = "rivalry"
    ties[1] = ",".join(tie)
    (data / "ties.csv").write_text("\n".join(ties) + "\n", encoding="utf-8")

    result = invoke("validate", data)
    assert result.exit_code == 2
    assert "workshops.csv row 2, column workers" in result.output
    assert '"tres"' in result.output or "'tres'" in result.output
    assert "ties.csv row 2, column kind" in result.output
    assert "ties.csv row 2" in result.output and "itself" in result.output.lower()
    assert "Traceback" not in result.output


def test_validate_refuses_a_nul_in_a_workshop_id(tmp_path):
    data = tmp_path / "nul"
    shutil.copytree(SAMPLE_DIR, data)
    text = (data / "workshops.csv").read_text(encoding="utf-8")
    first = text.splitlines()[1].split(",")[0]
    (data / "workshops.csv").write_text(
        text.replace(first, first[:3] + "\x00" + first[3:], 1), encoding="utf-8"
    )
    result = invoke("validate", data)
    assert result.exit_code == 2
    assert "workshops.csv row 2, column workshop_id: holds a control character (\\x00)" in result.output


# -- a Spanish spreadsheet typed by hand (tests/io/data/cooperativa) ---------------------------------
def test_validate_lists_every_mistake_in_one_run_in_spanish():
    result = invoke("validate", TYPED, "--as-of", "2025-09-02", "--lang", "es")
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "5 problemas en" in text and "no se cargó nada" in text
    assert 'talleres.csv fila 3, columna procesos: proceso desconocido "pakcing"; ¿quiso decir empaque?' in (
        text
    )
    assert "empresas.csv fila 1, columna id_empresa: falta esta columna obligatoria" in text
    assert '"11.520" es 11,52 si el punto es decimal y 11520 si la coma es decimal' in text
    assert "fecha de planificación 02/09/2025" in text
    assert "--decimal-comma" in text and "Corríjalos en la planilla" in text
    for english in ("row", "column", "problem", "nothing was loaded"):
        assert f" {english} " not in f" {text} "


def test_validate_reads_the_fixed_cluster_with_its_decimal_mark(tmp_path):
    folder = fixed(tmp_path)
    result = invoke("validate", folder, "--as-of", "2025-09-02")
    assert result.exit_code == 2 and "1 problem in" in result.output and "--decimal-comma" in result.output
    result = invoke("validate", folder, "--decimal-comma", "--as-of", "2025-09-02", "--lang", "es")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Datos válidos" in text and "talleres.csv: 15 filas" in text and "empresas.csv: 1 fila," in text
    result = invoke("validate", folder, "--decimal-comma", "--as-of", "30/09/2025")
    assert result.exit_code == 2
    assert "as_of must be a date written YYYY-MM-DD, got 30/09/2025" in result.output


def test_every_command_that_reads_a_dataset_takes_its_decimal_mark_and_planning_date(tmp_path):
    folder = fixed(tmp_path)
    stated = ("--decimal-comma", "--as-of", "2025-09-02")
    result = invoke("analyze", folder, "--json", *stated)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["network"]["workshops"] == 15
    result = invoke("match", folder, "--json", "--time-limit", "10", "--explain-seconds", "0", *stated)
    assert result.exit_code == 0, result.output
    orders = {o["order_id"]: o for o in json.loads(result.stdout)["orders"]}
    assert orders["P-01"]["status"] == "filled"
    result = invoke("shortlist", folder, "--order", "P-01", "--json", "--time-limit", "5", *stated)
    assert result.exit_code == 0, result.output
    # Without the decimal mark the same commands refuse the dataset, saying how to state it.
    refused = invoke("match", folder, "--as-of", "2025-09-02")
    assert refused.exit_code == 2 and "--decimal-comma" in refused.output


def test_the_language_of_validate_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("MATCHER_LANG", raising=False)
    monkeypatch.setenv("LANG", "es_PY.UTF-8")
    planned = ["validate", str(TYPED), "--as-of", "2025-09-02"]
    assert "5 problemas" in runner.invoke(app, planned).output
    monkeypatch.setenv("MATCHER_LANG", "en")
    assert "5 problems" in runner.invoke(app, planned).output
    monkeypatch.setenv("MATCHER_LANG", "es")
    assert "5 problemas" in runner.invoke(app, planned).output
    result = runner.invoke(app, [*planned, "--lang", "fr"])
    assert result.exit_code == 2 and "--lang must be one of es, en" in result.output


@pytest.mark.parametrize("command", ["analyze", "match", "shortlist", "mentor", "plan"])
def test_every_command_refuses_a_dataset_in_the_language_of_the_environment(monkeypatch, command):
    monkeypatch.setenv("MATCHER_LANG", "es")
    extra = ["--order", "P-01"] if command == "shortlist" else []
    result = runner.invoke(app, [command, str(TYPED), *extra, "--as-of", "2025-09-02"])
    text = " ".join(result.output.split())
    assert result.exit_code == 2 and "5 problemas en" in text and "Corríjalos en la planilla" in text
    assert "problem" not in text.replace("problemas", "")
    bad_date = runner.invoke(app, [command, str(TYPED), *extra, "--as-of", "30/09/2025"])
    assert bad_date.exit_code == 2 and "as_of debe ser una fecha" in bad_date.output


def test_analyze_json_shape():
    result = invoke("analyze", SAMPLE_DIR, "--json", "--seed", "3")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["network"]) >= {
        "workshops",
        "ties",
        "ties_by_kind",
        "density",
        "components",
        "average_clustering",
        "communities",
        "modularity",
        "isolates",
    }
    first = report["workshops"][0]
    assert set(first) >= {"workshop_id", "degree", "betweenness", "community"}


def test_analyze_prints_tables():
    result = invoke("analyze", SAMPLE_DIR)
    assert result.exit_code == 0, result.output
    assert "Density" in result.output and "brokers" in result.output


def test_match_json_for_one_order():
    from matcher.io import load_cluster

    order_id = load_cluster(SAMPLE_DIR).orders[0].order_id
    result = invoke("match", SAMPLE_DIR, "--order", order_id, "--json", "--time-limit", "20")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["solver"] in {"highs", "cbc"}
    assert [o["order_id"] for o in data["orders"]] == [order_id]
    assert set(data["orders"][0]) >= {"order_id", "status", "quantity", "filled_units", "group", "reasons"}


def test_match_unknown_order_is_one_clear_line():
    result = invoke("match", SAMPLE_DIR, "--order", "NOPE")
    assert result.exit_code == 2
    assert "unknown order id NOPE" in result.output
    assert "Traceback" not in result.output


def test_match_unknown_solver_names_the_available_ones():
    result = invoke("match", SAMPLE_DIR, "--solver", "gurobi")
    assert result.exit_code == 2
    assert "highs" in result.output and "cbc" in result.output
    assert "Traceback" not in result.output


def test_match_solver_crash_is_one_line_naming_the_solvers(monkeypatch):
    import pulp

    from matcher.io import load_cluster
    from matcher.optimize import available_solvers

    if available_solvers() != ["highs", "cbc"]:
        pytest.skip("needs both HiGHS and CBC")

    def crash(self, *args, **kwargs):
        raise RuntimeError("HiGHS crashed\nin presolve")  # what pybind11 makes of a C++ exception

    monkeypatch.setattr(pulp.LpProblem, "solve", crash)
    order_id = load_cluster(SAMPLE_DIR).orders[0].order_id
    result = invoke("match", SAMPLE_DIR, "--order", order_id, "--solver", "highs")
    assert result.exit_code == 2
    assert result.output == (
        "error: the highs solver failed (RuntimeError: HiGHS crashed in presolve); "
        "available solvers: highs, cbc; choose another with --solver cbc\n"
    )


def test_missing_path_is_one_clear_line(tmp_path):
    result = invoke("analyze", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "nowhere" in result.output
    assert "Traceback" not in result.output


def test_generate_writes_a_valid_dataset_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "gen"
    result = invoke("generate", "--workshops", "50", "--orders", "4", "--seed", "7", out)
    assert result.exit_code == 0, result.output
    assert (out / "workshops.csv").is_file()
    assert invoke("validate", out).exit_code == 0
    again = invoke("generate", "--workshops", "50", "--orders", "4", out)
    assert again.exit_code == 2
    assert "Traceback" not in again.output
    forced = invoke("generate", "--workshops", "60", "--orders", "4", "--force", out)
    assert forced.exit_code == 0, forced.output


def test_console_script_runs():
    result = subprocess.run(
        [sys.executable, "-m", "matcher.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("matcher ")


def test_match_rules_from_the_command_line():
    from matcher.io import load_cluster

    order_id = load_cluster(SAMPLE_DIR).orders[0].order_id
    result = invoke(
        "match", SAMPLE_DIR, "--order", order_id, "--json", "--time-limit", "20",
        "--rule", "cohesion=required", "--rule", "leader_hops=2",
        "--order-rule", f"{order_id}:leader=required", "--priority", f"{order_id}=2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verified"] is True
    assert data["options"]["rules"]["cohesion"] == "required"
    assert data["options"]["order_rules"][order_id]["leader"] == "required"
    assert data["options"]["priorities"] == {order_id: 2.0}


def test_match_splits_work_in_whole_lots():
    # O05: 6,000 school shirts, a lot of 300 (5%); without lots, cutting went 5,967 / 31 / 2.
    result = invoke("match", SAMPLE_DIR, "--order", "O05", "--json", "--explain-seconds", "0")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (order,) = data["orders"]
    assert data["verified"] is True and order["status"] == "filled" and order["lot"] == 300
    units = [a["units"] for m in order["group"] for a in m["allocations"]]
    assert units and min(units) >= 300
    assert data["options"]["rules"]["min_lot"] is None  # the default lot
    bad = invoke("match", SAMPLE_DIR, "--order-rule", "O05:min_lot=-3")
    assert bad.exit_code == 2 and "min_lot must be a whole number >= 0" in " ".join(bad.output.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rule", "cohesion=always"], "cohesion must be off, preferred, required, got 'always'"),
        (["--rule", "speed=high"], "unknown rule or parameter 'speed'"),
        (["--rule", "cohesion"], "must read name=value"),
        (["--order-rule", "leader=required"], "must read ORDER:RULE=VALUE"),
        (["--priority", "O1"], "must read ORDER=WEIGHT"),
        (["--order-rule", "NOPE:leader=required"], "order_rules name order NOPE"),
        (["--rule", "cost=required"], "cost must be off or preferred"),
    ],
)
def test_match_bad_rules_are_one_line(args, message):
    result = invoke("match", SAMPLE_DIR, *args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
