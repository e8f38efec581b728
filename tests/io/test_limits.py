"""Reading limits: zip bombs and oversized workbooks are refused before they are parsed.

The bombs are written here in chunks (a deflated part fed by a generator), never
held in memory: a workbook of about 1.2 MB whose sheet expands to 300 MiB.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from matcher.cli import app
from matcher.errors import LimitExceededError
from matcher.io import load_cluster, validate_dataset
from matcher.io._limits import LIMITS, MAX_CELL_CHARS, MAX_COLUMNS, Limits, column_letters
from matcher.io._tables import read_source

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADERS = (b"workshop_id", b"territory", b"workers", b"products", b"processes")


def cell(text: bytes) -> bytes:
    return b'<c t="inlineStr"><is><t>' + text + b"</t></is></c>"


def row(*texts: bytes) -> bytes:
    return b"<row>" + b"".join(cell(t) for t in texts) + b"</row>"


def write_workbook(path: Path, sheets: dict[str, Iterable[bytes]], *, head: bytes = b"") -> Path:
    """A workbook whose sheets' rows are the chunks given, each part deflated as it is written."""
    scaffold = io.BytesIO()
    book = Workbook(write_only=True)
    for name in sheets:
        book.create_sheet(name).append(["x"])
    book.save(scaffold)
    source = zipfile.ZipFile(scaffold)
    parts = {f"xl/worksheets/sheet{i}.xml": name for i, name in enumerate(sheets, start=1)}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename not in parts:
                out.writestr(info, source.read(info.filename))
                continue
            with out.open(info.filename, "w", force_zip64=True) as member:
                member.write(f'<worksheet xmlns="{MAIN}">'.encode() + head + b"<sheetData>")
                for chunk in sheets[parts[info.filename]]:
                    member.write(chunk)
                member.write(b"</sheetData></worksheet>")
    return path


def bomb_rows(total: int) -> Iterator[bytes]:
    """A header, then the same row again and again: about ``total`` bytes of XML."""
    yield row(*HEADERS)
    block = row(b"YAG-001", b"Yaguaron", b"3", b"jeans", b"sewing") * 4096
    for _ in range(total // len(block)):
        yield block


def one_row(total: int) -> Iterator[bytes]:
    """A header, then one row of ``total`` bytes."""
    yield row(*HEADERS) + b"<row>"
    block = cell(b"x") * 10_000
    for _ in range(total // len(block)):
        yield block
    yield b"</row>"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "cluster.xlsx"
    return write_workbook(path, {"workshops": bomb_rows(300 * 2**20)})


MEASURE = """
import json, resource, sys, time
from matcher.errors import LimitExceededError
from matcher.io._limits import Limits
from matcher.io._tables import read_source
import openpyxl, pandas  # loaded before the baseline, as in a running service
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    read_source(sys.argv[1], Limits(**json.loads(sys.argv[2])))
    key = None
except LimitExceededError as exc:
    key = exc.problems[0].key
seconds = time.perf_counter() - start
growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"key": key, "seconds": seconds, "growth_mib": growth}))
"""


def measure(path: Path, **limits) -> dict:
    """Read a dataset in a fresh process: the limit it broke, the seconds and the peak memory growth."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), json.dumps(limits)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_bomb_is_a_bomb(bomb):
    with zipfile.ZipFile(bomb) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 300 * 10**6 and bomb.stat().st_size < 2 * 10**6


def test_a_zip_bomb_is_refused_at_once_with_little_memory(bomb):
    found = measure(bomb)
    assert found["key"] == "problem.limit_ratio"
    assert found["seconds"] < 5 and found["growth_mib"] < 50


def test_a_bomb_within_the_ratio_is_stopped_by_the_scan_at_the_row_limit(bomb):
    found = measure(bomb, ratio=10**6)
    assert found["key"] == "problem.limit_rows"
    assert found["seconds"] < 5 and found["growth_mib"] < 100


def test_one_endless_row_is_stopped_by_the_scan(tmp_path):
    path = write_workbook(tmp_path / "c.xlsx", {"workshops": one_row(100 * 2**20)})
    found = measure(path, ratio=10**6)
    assert found["key"] == "problem.limit_row"
    assert found["seconds"] < 5 and found["growth_mib"] < 100


def test_the_refusal_names_the_part_and_the_limit_in_both_languages(bomb):
    with pytest.raises(LimitExceededError) as caught:
        validate_dataset(bomb)
    problem = caught.value.problems[0]
    assert not caught.value.size
    assert problem.file == "cluster.xlsx"
    assert problem.args["part"] == "xl/worksheets/sheet1.xml" and problem.args["limit"] == 100
    assert problem.args["ratio"] > 250
    assert "expands" in problem.say("en") and "above the limit of 100" in problem.say("en")
    assert "se expande" in problem.say("es") and "límite de 100" in problem.say("es")
    with pytest.raises(LimitExceededError):
        load_cluster(bomb)


def test_the_cli_prints_the_problem_and_exits_2(bomb):
    result = CliRunner().invoke(app, ["validate", str(bomb)], env={"MATCHER_LANG": "en"})
    assert result.exit_code == 2
    assert "cluster.xlsx" in result.output and "expands" in result.output
    result = CliRunner().invoke(app, ["analyze", str(bomb)], env={"MATCHER_LANG": "en"})
    assert result.exit_code == 2 and "expands" in result.output


def test_declared_dimensions_beyond_the_limits_are_refused_before_reading(tmp_path):
    head = b'<dimension ref="A1:XFD1048576"/>'
    path = write_workbook(tmp_path / "c.xlsx", {"workshops": [row(*HEADERS)]}, head=head)
    with pytest.raises(LimitExceededError) as caught:
        read_source(path)
    assert caught.value.problems[0].key == "problem.limit_columns"
    assert caught.value.problems[0].file == "c.xlsx:workshops"


def test_a_far_cell_is_refused_at_its_row(tmp_path):
    far = b'<row r="5000"><c r="ZZ5000" t="inlineStr"><is><t>x</t></is></c></row>'
    path = write_workbook(tmp_path / "c.xlsx", {"workshops": [row(*HEADERS), far]})
    with pytest.raises(LimitExceededError) as caught:
        read_source(path)
    problem = caught.value.problems[0]
    assert (problem.key, problem.row, problem.args["letter"]) == ("problem.limit_columns", 5000, "GR")


def _sheet(path: Path, rows: list[list[str]], sheet: str = "workshops") -> Path:
    book = Workbook()
    book.active.title = sheet
    for values in rows:
        book.active.append(values)
    book.save(path)
    return path


def test_a_workbook_just_under_the_limits_loads_and_one_more_is_refused(tmp_path):
    limits = Limits(rows=6, columns=8, cell_chars=40)
    header = ["workshop_id", "territory", "workers", "products", "processes", "a", "b", "c"]
    body = [[f"W{i}", "T1", "3", "jeans", "sewing", "x" * 40, "", "z"] for i in range(5)]
    under = _sheet(tmp_path / "under.xlsx", [header, *body])
    table = read_source(under, limits).tables["workshops"]
    assert len(table) == 5 and table.cells["a"][0] == "x" * 40

    def refused(rows, name):
        with pytest.raises(LimitExceededError) as caught:
            read_source(_sheet(tmp_path / name, rows), limits)
        return caught.value.problems[0]

    problem = refused([header, *body, body[0]], "rows.xlsx")
    assert (problem.key, problem.file) == ("problem.limit_rows", "rows.xlsx:workshops")
    problem = refused([header, *body[:2], [*body[2], "", "one too far"]], "columns.xlsx")
    # The workbook declares its dimensions (A1:J6): refused before its rows are read.
    assert (problem.key, problem.file, problem.args["letter"]) == (
        "problem.limit_columns",
        "columns.xlsx:workshops",
        "H",
    )
    problem = refused([header, body[0], [*body[1][:5], "y" * 41, "", ""]], "cell.xlsx")
    assert (problem.key, problem.row, problem.column, problem.args["length"]) == (
        "problem.limit_cell",
        3,
        "a",
        41,
    )
    said = "the cell holds 41 characters, above the limit of 40 (as in Excel)"
    assert str(problem) == f"cell.xlsx:workshops row 3, column a: {said}"


def test_the_default_limits_take_excel_s_widest_cell_and_200_columns(tmp_path):
    header = ["workshop_id", "territory", "workers", "products", "processes"]
    header += [f"extra{i}" for i in range(MAX_COLUMNS - len(header))]
    first = ["W1", "T1", "3", "jeans", "sewing", "n" * MAX_CELL_CHARS] + [""] * (MAX_COLUMNS - 6)
    path = _sheet(tmp_path / "wide.xlsx", [header, first])
    assert validate_dataset(path).ok
    table = read_source(path).tables["workshops"]
    assert len(table.cells) == MAX_COLUMNS and len(table.cells["extra0"][0]) == MAX_CELL_CHARS


@pytest.mark.parametrize(
    ("limits", "key", "size"),
    [
        ({"uncompressed_bytes": 4000}, "problem.limit_uncompressed", True),
        ({"part_bytes": 1000}, "problem.limit_part", True),
        ({"parts": 5}, "problem.limit_parts", False),
    ],
)
def test_the_zip_directory_is_checked_before_any_part_is_read(tmp_path, limits, key, size):
    path = _sheet(tmp_path / "c.xlsx", [["workshop_id"], ["W1"]])
    assert read_source(path).tables["workshops"].cells["workshop_id"].tolist() == ["W1"]
    with pytest.raises(LimitExceededError) as caught:
        read_source(path, Limits(**limits))
    assert (caught.value.problems[0].key, caught.value.size) == (key, size)


def test_long_shared_strings_are_refused_by_the_scan(tmp_path):
    path = _sheet(tmp_path / "c.xlsx", [["workshop_id"], ["W" * 5000]])  # openpyxl shares strings
    with pytest.raises(LimitExceededError) as caught:
        read_source(path, Limits(cell_chars=100))
    assert caught.value.problems[0].key in ("problem.limit_text", "problem.limit_cell")


def test_csv_columns_and_cells_are_bounded(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    header = ",".join(["workshop_id", *(f"x{i}" for i in range(MAX_COLUMNS))])
    (folder / "workshops.csv").write_text(header + "\nW1\n", encoding="utf-8")
    with pytest.raises(LimitExceededError) as caught:
        read_source(folder)
    problem = caught.value.problems[0]
    assert (problem.key, problem.file, problem.row) == ("problem.limit_columns", "workshops.csv", 1)
    assert problem.args["letter"] == column_letters(MAX_COLUMNS) == "GR"
    text = "workshop_id,territory,notes\nW1,T1,ok\nW2,T1," + "n" * (LIMITS.cell_chars + 1) + "\n"
    (folder / "workshops.csv").write_text(text, encoding="utf-8")
    with pytest.raises(LimitExceededError) as caught:
        read_source(folder)
    problem = caught.value.problems[0]
    assert (problem.key, problem.row, problem.column) == ("problem.limit_cell", 3, "notes")
    (folder / "workshops.csv").write_text(
        text.replace("n" * (LIMITS.cell_chars + 1), "n" * 5), encoding="utf-8"
    )
    assert len(read_source(folder).tables["workshops"]) == 2


def test_an_ordinary_workbook_is_scanned_quickly(tmp_path):
    from matcher.io import write_cluster
    from matcher.io._limits import check_workbook
    from matcher.synthetic import generate_cluster

    cluster, contacts = generate_cluster(2000, 3, seed=3)
    path = write_cluster(cluster, tmp_path / "c.xlsx", contacts=contacts)
    start = time.perf_counter()
    check_workbook(path)
    assert time.perf_counter() - start < 1
    assert load_cluster(path) == cluster


def test_parts_that_overlap_are_not_a_workbook(tmp_path):
    path = _sheet(tmp_path / "c.xlsx", [["workshop_id"], ["W1"]])
    data = bytearray(path.read_bytes())
    # Declare the first part's compressed size as the whole file in the central directory.
    at = data.find(b"PK\x01\x02")
    data[at + 20 : at + 24] = len(data).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    source = read_source(path)
    assert [p.key for p in source.problems] == ["problem.not_workbook"]
    assert "overlap" in source.problems[0].args["reason"]
