"""``matcher sweep`` end to end: the table, --json, --export, and bad input refused with exit 2 and
nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.io import write_cluster
from matcher.synthetic import generate_cluster

runner = CliRunner()

SCENARIOS = (
    "nombre;descripcion;semanas_extra;reglas;no_disponibles\n"
    "más plazo;Una semana más para todos;1;;\n"
    "cohesión;;;cohesion=required;\n"
    "sin tres;;;;YAG-001,YAG-002,YAG-003\n"
)


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sweep") / "cluster"
    cluster, contacts = generate_cluster(60, 6, seed=0)
    write_cluster(cluster, folder, contacts=contacts)
    (folder.parent / "escenarios.csv").write_text(SCENARIOS, encoding="utf-8")
    return folder


def test_the_table_has_the_baseline_first_then_each_scenario(dataset):
    result = invoke("sweep", dataset, dataset.parent / "escenarios.csv", "--processes", "1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Scenario sweep" in out and "3 scenarios and the baseline" in out
    positions = [out.index(name) for name in ("baseline", "más plazo", "cohesión", "sin tres")]
    assert positions == sorted(positions)


def test_json_and_export_say_the_same(dataset, tmp_path):
    export = tmp_path / "tabla.csv"
    args = ("sweep", dataset, dataset.parent / "escenarios.csv", "--processes", "1", "--export", export)
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [row["name"] for row in data["scenarios"]] == [
        "baseline",
        "más plazo",
        "cohesión",
        "sin tres",
    ]
    assert data["scenarios"][2]["description"] == ""
    assert data["scenarios"][1]["description"] == "Una semana más para todos"
    lines = export.read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == [row["name"] for row in data["scenarios"]]
    # An existing table is refused before any work, and left as it was.
    before = export.read_text(encoding="utf-8")
    again = invoke(*args)
    assert again.exit_code == 2
    assert "already exists" in again.output
    assert export.read_text(encoding="utf-8") == before
    assert invoke(*args, "--overwrite").exit_code == 0


def test_a_bad_scenarios_file_is_refused_with_every_problem_and_nothing_written(dataset, tmp_path):
    bad = tmp_path / "malos.csv"
    bad.write_text("nombre;semanas_extra;lazos\nx;O99:1;YAG-001:YAG-002:amistd\nx;;\n", encoding="utf-8")
    export = tmp_path / "tabla.csv"
    result = invoke("sweep", dataset, bad, "--export", export)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "3 problems in malos.csv" in said
    assert "malos.csv row 2, column semanas_extra: unknown order id O99" in said
    assert 'malos.csv row 2, column lazos: unknown tie kind code "amistd"; did you mean amistad?' in said
    assert 'malos.csv row 3, column nombre: "x" is already used on row 2' in said
    assert not export.exists()


def test_processes_and_a_scheduler_exclude_each_other(dataset):
    result = invoke(
        "sweep",
        dataset,
        dataset.parent / "escenarios.csv",
        "--processes",
        "2",
        "--scheduler",
        "tcp://127.0.0.1:1",
    )
    assert result.exit_code == 2
    assert "give one of them, not both" in result.output
