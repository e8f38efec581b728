"""A CSV's number columns parsed as numbers and its repeated text columns held as categories
(matcher.io._tables._column_kinds) read a dataset as reading every cell as text does: the same
objects and the same problems at the same cells (a parsed number is quoted as the number it is:
``4.`` as ``4``, as a workbook's number cell is)."""

from __future__ import annotations

import pytest

from matcher.errors import InvalidDataError
from matcher.io import _tables, load_cluster, load_contacts, validate_dataset, write_cluster
from matcher.io._looks import three_decimals
from matcher.synthetic import generate_cluster

#: Cells that a float parser or a categorical reader could read otherwise than the contract.
CELLS = [
    "2.000", "11.520", "1,5", "2,000", "inf", "-inf", "nan", "NaN", "NA", " 4 ", "4.", ".5", "1e3", "1E400",
    "+4", "-3", "", "0x10", "2 000", "2\u00a0000", "01", "1_000", "'=4", "1.5000", "30/09/2025", "\u0663",
    "4.0", "0.048", "true", "False", '"7"', '"1,5"', "1.234.567", "TRUE",
]  # fmt: skip


def dataset(folder, cell: str, *, where: str, delimiter: str = ","):
    """Two workshops and a tie, ``cell`` in the columns of ``where`` ("numbers" or "repeated")."""
    folder.mkdir()
    number = cell if where == "numbers" else "3"
    text = cell if where == "repeated" else "Pilar"
    workshops = [
        ["workshop_id", "territory", "workers", "efficiency", "capacity_minutes_per_week", "products",
         "processes", "quality"],
        ["PIL-1", "Pilar", "4", "0.5", "11520", "jeans", "sewing", "3"],
        ["PIL-2", text, number, number, number, "jeans", f"sewing;{text}", number],
    ]  # fmt: skip
    ties = [
        ["source", "target", "kind", "strength"],
        ["PIL-1", "PIL-2", text if where == "repeated" else "kinship", number],
    ]
    for name, rows in (("workshops", workshops), ("ties", ties)):
        body = "\n".join(delimiter.join(r) for r in rows) + "\n"
        (folder / f"{name}.csv").write_bytes(body.encode("utf-8"))
    return folder


def outcome(folder):
    report = validate_dataset(folder)
    said = [(p.file, p.row, p.column, p.key) for p in (*report.problems, *report.warnings)]
    try:
        cluster = load_cluster(folder)
    except InvalidDataError:
        return said, None
    return said, (tuple(cluster.workshops), tuple(cluster.ties))


def as_text(monkeypatch):
    monkeypatch.setattr(_tables, "_column_kinds", lambda *args: {})


@pytest.mark.parametrize("where", ["numbers", "repeated"])
@pytest.mark.parametrize("cell", CELLS, ids=[repr(c) for c in CELLS])
def test_a_cell_reads_the_same_as_when_every_cell_is_text(tmp_path, monkeypatch, cell, where):
    folder = dataset(tmp_path / "d", cell, where=where)
    quick = outcome(folder)
    as_text(monkeypatch)
    assert quick == outcome(folder)


@pytest.mark.parametrize("cell", ["2.000", "1,5", "0,5"])
def test_a_semicolon_file_reads_the_same(tmp_path, monkeypatch, cell):
    folder = dataset(tmp_path / "d", cell, where="numbers", delimiter=";")
    quick = outcome(folder)
    as_text(monkeypatch)
    assert quick == outcome(folder)


def test_a_generated_registry_reads_the_same(tmp_path, monkeypatch):
    cluster, contacts = generate_cluster(400, 6, seed=5, waves=2)
    folder = write_cluster(cluster, tmp_path / "c", contacts=contacts)
    assert load_cluster(folder) == cluster
    quick = (load_cluster(folder), load_contacts(folder))
    as_text(monkeypatch)
    assert quick == (load_cluster(folder), load_contacts(folder)) == (cluster, contacts)


def test_the_columns_a_registry_may_have_read_as_numbers_and_categories(tmp_path):
    cluster, contacts = generate_cluster(200, 4, seed=2)
    folder = write_cluster(cluster, tmp_path / "c", contacts=contacts)
    source = _tables.read_source(folder)
    workshops, ties = source.tables["workshops"], source.tables["ties"]
    assert {"workers", "efficiency", "quality"} <= set(workshops.values)
    assert {"territory", "processes"} <= {c for c, v in workshops.cells.items() if hasattr(v, "categories")}
    assert set(ties.values) == {"strength"} and hasattr(ties.cells["kind"], "categories")


def test_numbers_in_a_repeated_column_keep_their_text(tmp_path):
    # Categories that all read as numbers would be made numbers: "01" and "1" one.
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "workshops.csv").write_text(
        "workshop_id,territory,workers,products,processes\nA,01,2,jeans,sewing\nB,1,3,jeans,sewing\n"
    )
    assert [w.territory for w in load_cluster(folder).workshops] == ["01", "1"]


def test_a_file_not_utf8_past_its_beginning_is_read_as_windows_text(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    rows = "".join(f"W{i},Pilar,2,jeans,sewing\n" for i in range(60_000))
    body = (
        "workshop_id,territory,workers,products,processes\n" + rows
    ).encode() + "Z,Itá,2,jeans,sewing\n".encode("cp1252")
    assert len(body) > _tables._HEAD
    (folder / "workshops.csv").write_bytes(body)
    report = validate_dataset(folder)
    assert report.ok and [p.key for p in report.warnings] == ["problem.not_utf8"]
    assert load_cluster(folder).workshops[-1].territory == "Itá"


def test_a_parsed_number_is_quoted_as_the_number_it_is(tmp_path):
    folder = dataset(tmp_path / "d", "4.", where="numbers")
    said = [str(p) for p in validate_dataset(folder).problems if p.column == "efficiency"]
    assert said == ["workshops.csv row 3, column efficiency: 4 is out of range; use a number > 0 and <= 1"]


@pytest.mark.parametrize(
    ("raw", "found"),
    [
        (b"a,b\n2.000,x\n", True), (b"x,-2.000,", True), (b"a;11.520;b", True), (b'"1.500"', True),
        (b"a,b\n0.048,2.5\n", False), (b"1234.000", False), (b"1.0000", False), (b"12.5", False),
        (b"a,b,c,d,e,f,g,h\n1,2,3,4,5,6,7,8\nx,1.500", True),
        (b"2.000,b,c,d,e,f,g,h\n1,2,3,4,5,6,7,8\n", True),
        (b"a,b,c,d,e,f,g,h\n1,2,3,4,5,6,7,8\n1.00,0.048,12.345,0\n1,1\n", True),
    ],
)  # fmt: skip
def test_three_decimals_finds_every_number_read_two_ways(raw, found):
    assert three_decimals(raw) is found


@pytest.mark.parametrize("blank", ["", " ", "  "])
def test_a_number_column_with_no_number_reads_the_same(tmp_path, monkeypatch, blank):
    # no cell to be read two ways: kept as parsed numbers, all blank
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "workshops.csv").write_text(
        "workshop_id,territory,workers,reliability,products,processes\n"
        f"A,Pilar,2,{blank},jeans,sewing\nB,Pilar,3,{blank},jeans,sewing\n"
    )
    quick = outcome(folder)
    parsed = _tables.read_source(folder).tables["workshops"].values
    assert ("reliability" in parsed) is (blank == "")  # a spaced cell: the file is read as text
    as_text(monkeypatch)
    assert quick == outcome(folder)


def test_files_read_at_once_say_what_one_at_a_time_says(tmp_path, monkeypatch):
    cluster, contacts = generate_cluster(300, 4, seed=4)
    folder = write_cluster(cluster, tmp_path / "c", contacts=contacts)
    for name, bad in (("workshops", "PIL-X,Pilar,dos"), ("ties", "nadie,otro,amistad"), ("contacts", "Q")):
        with (folder / f"{name}.csv").open("a") as f:
            f.write(bad + "\n")
    at_once = outcome(folder)
    assert {p[0] for p in at_once[0]} >= {"workshops.csv", "ties.csv", "contacts.csv"}
    monkeypatch.setattr(_tables, "_READERS", 1)
    assert outcome(folder) == at_once
