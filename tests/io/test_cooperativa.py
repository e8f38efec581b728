"""A Spanish cluster typed by hand, as a CSV folder and as workbooks: every first-try mistake
listed in one run, nothing else, and the values read right once it is fixed."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from matcher.errors import InvalidDataError
from matcher.io import load_cluster, validate_dataset

TYPED = Path(__file__).parent / "data" / "cooperativa"
AS_OF = dt.date(2025, 9, 2)
SPANISH_NUMBER = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?")
DAY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")

#: (file, row, column, message) of every first-try mistake, as `matcher validate` lists them.
FIRST_TRY = [
    ("talleres", 1, "trabajadores", 'required column is missing from the header row; is "trabajdores" a '
     "misspelling of trabajadores?"),
    ("talleres", 3, "procesos", 'unknown process code "pakcing"; did you mean packing?'),
    ("talleres", 6, "capacidad_minutos_por_semana", '"11.520" reads as 11.52 with a decimal point and as '
     "11520 "
     "with a decimal comma; write it without digit grouping, or state the decimal mark the dataset uses"),
    ("empresas", 1, "id_empresa", "required column is missing from the header row (it may also be headed "
     "firm_id, empresa)"),
    ("pedidos", 2, "semanas_entrega", '"30/09/2025" is a date, not a number of weeks; give it in a due_date '
     "column instead (counted from the planning date 2025-09-02)"),
]  # fmt: skip


def rows_of(folder: Path) -> dict[str, list[list[str]]]:
    """The cells of every file of a semicolon CSV folder, as typed."""
    found = {}
    for file in sorted(folder.glob("*.csv")):
        with open(file, encoding="utf-8-sig", newline="") as handle:
            found[file.stem] = list(csv.reader(handle, delimiter=";"))
    return found


def as_excel_es(cell: str) -> object:
    """What a Spanish-locale spreadsheet makes of a typed cell: numbers and dates become cells of
    their kind (``2.000`` the number 2000, ``0,5`` a half, ``30/09/2025`` a date)."""
    if SPANISH_NUMBER.fullmatch(cell):
        value = float(cell.replace(".", "").replace(",", "."))
        return int(value) if value.is_integer() else value
    if day := DAY.fullmatch(cell):
        return dt.datetime(int(day[3]), int(day[2]), int(day[1]))
    return cell


def workbook(folder: Path, path: Path, *, typed: bool) -> Path:
    """The folder as a workbook, a sheet per file: cells as Excel makes them (``typed``) or all text."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in rows_of(folder).items():
        sheet = book.create_sheet(name)
        for i, row in enumerate(rows):
            sheet.append([as_excel_es(c) if typed and i else c for c in row])
    book.save(path)
    return path


def fixed(tmp_path: Path) -> Path:
    """The folder with its mistakes corrected as the coordinator would (the 11.520 kept: the
    dataset's decimal mark says what it is)."""
    folder = tmp_path / "fixed"
    shutil.copytree(TYPED, folder)

    def edit(name: str, old: str, new: str) -> None:
        file = folder / f"{name}.csv"
        text = file.read_bytes().decode("utf-8-sig")
        assert old in text
        file.write_bytes(text.replace(old, new).encode("utf-8-sig"))

    edit("talleres", "trabajdores", "trabajadores")
    edit("talleres", "pakcing", "Empaque")
    edit("empresas", "nombre;territorio\r\n", "id_empresa;nombre;territorio\r\nTG;")
    edit("pedidos", "30/09/2025;;", ";30/09/2025;")
    return folder


def listed(problems) -> list[tuple[str, int | None, str | None, str]]:
    return [(p.file.rsplit(":", 1)[-1].removesuffix(".csv"), p.row, p.column, p.message) for p in problems]


def test_the_first_try_is_refused_with_every_mistake_and_nothing_else():
    report = validate_dataset(TYPED, as_of=AS_OF)
    assert listed(report.problems) == FIRST_TRY
    # Decimal commas, 2.000 as two thousand, Spanish names, a semicolon file: no warning either.
    assert report.warnings == []
    assert [p.file for p in report.problems] == ["talleres.csv"] * 3 + ["empresas.csv", "pedidos.csv"]


@pytest.mark.parametrize("typed", [False, True], ids=["text cells", "number and date cells"])
def test_a_workbook_is_refused_with_the_same_mistakes(tmp_path, typed):
    path = workbook(TYPED, tmp_path / "cooperativa.xlsx", typed=typed)
    report = validate_dataset(path, as_of=AS_OF)
    expected = FIRST_TRY
    if typed:
        # Excel made a number of 11.520: what it is no longer needs the decimal mark; the date cell
        # in semanas_entrega is a date all the same.
        expected = [p for p in FIRST_TRY if p[2] != "capacidad_minutos_por_semana"]
        expected[-1] = (*expected[-1][:3], expected[-1][3].replace('"30/09/2025"', '"2025-09-30"'))
    assert listed(report.problems) == expected
    assert {p.file.split(":")[0] for p in report.problems} == {"cooperativa.xlsx"}
    assert report.warnings == []


def test_once_fixed_it_reads_the_values_as_meant(tmp_path):
    folder = fixed(tmp_path)
    # The 11.520 is still two numbers until the dataset says which decimal mark it uses.
    assert listed(validate_dataset(folder, as_of=AS_OF).problems) == [FIRST_TRY[2]]
    cluster = load_cluster(folder, decimal="comma", as_of=AS_OF)
    assert len(cluster.workshops) == 15 and len(cluster.ties) == 17 and len(cluster.orders) == 2
    shop = {w.workshop_id: w for w in cluster.workshops}
    assert shop["Benítez"].capacity_minutes_per_week == 11520
    assert shop["Benítez"].territory == "Yaguarón" and shop["Benítez"].can_lead is True
    assert shop["Peña"].efficiency == 0.5 and shop["Núñez"].efficiency == 0.45
    assert shop["Peña"].processes == ("cutting", "sewing", "finishing")
    assert shop["Núñez"].processes == ("sewing", "packing")
    assert shop["Ñandutí"].products == ("jeans", "tshirt") and shop["Ñandutí"].organizations == (
        "Asociación de Itá",
    )
    orders = {o.order_id: o for o in cluster.orders}
    assert orders["P-01"].quantity == 2000 and orders["P-02"].quantity == 1500
    assert orders["P-01"].due_weeks == 4.0  # 30/09/2025, four weeks after 02/09/2025
    assert orders["P-02"].due_weeks == round(43 / 7, 2)
    assert orders["P-01"].product == "jeans" and orders["P-02"].product == "tshirt"
    assert orders["P-01"].territories == ("Itá", "Yaguarón") and orders["P-01"].firm_id == "TG"
    kinds = {(t.source, t.target, t.kind, t.wave) for t in cluster.ties}
    assert ("Peña", "Ñandutí", "kinship", "1") in kinds and ("Benítez", "Cañete", "conflict", "2") in kinds
    assert ("Benítez", "Ortíz", "subcontracting", "1") in kinds
    # With a decimal point stated, 11.520 is eleven and a half minutes, as asked.
    assert (
        load_cluster(folder, decimal="point", as_of=AS_OF).workshop("Benítez").capacity_minutes_per_week
        == 11.52
    )


def test_the_fixed_workbook_reads_the_same_values(tmp_path):
    folder = fixed(tmp_path)
    from_csv = load_cluster(folder, decimal="comma", as_of=AS_OF)
    for typed in (False, True):
        path = workbook(folder, tmp_path / f"cooperativa-{typed}.xlsx", typed=typed)
        assert load_cluster(path, decimal="comma", as_of=AS_OF) == from_csv
    # Excel's own number cells need no decimal mark stated.
    typed_book = workbook(folder, tmp_path / "typed.xlsx", typed=True)
    assert load_cluster(typed_book, as_of=AS_OF) == from_csv


def test_a_refused_dataset_says_its_problems_in_spanish():
    with pytest.raises(InvalidDataError) as info:
        load_cluster(TYPED, as_of=AS_OF)
    said = [p.say("es") for p in info.value.problems]
    assert said[0] == (
        "talleres.csv fila 1, columna trabajadores: falta esta columna obligatoria en la fila de "
        'encabezados; ¿"trabajdores" es trabajadores mal escrito?'
    )
    assert info.value.problems[1].to_dict("es") == {
        "file": "talleres.csv",
        "row": 3,
        "column": "procesos",
        "message": 'proceso desconocido "pakcing"; ¿quiso decir empaque?',
        "text": 'talleres.csv fila 3, columna procesos: proceso desconocido "pakcing"; ¿quiso decir empaque?',
        "key": "problem.unknown_process_near",
        "args": {"code": "pakcing", "suggestion": "packing"},
    }
    assert info.value.say("es") == "5 problemas en los datos"
