"""Numbers and dates as people type them: every form, in a CSV file and in a workbook's text and
number cells, read right or refused with both readings; never misread."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from matcher.errors import InvalidOptionError
from matcher.io import load_cluster, validate_dataset, write_cluster
from matcher.io._numbers import as_text, read_dates, read_numbers, settle
from matcher.model import Cluster, Order, Workshop
from matcher.routing import default_routings

AS_OF = dt.date(2025, 9, 2)
WORKSHOP = {
    "workshop_id": "W1",
    "territory": "Itá",
    "workers": "3",
    "products": "jeans",
    "processes": "sewing",
}
ORDER = {"order_id": "O1", "product": "jeans", "quantity": "100", "due_weeks": "4"}
FORMS = ("csv", "xlsx text", "xlsx cells")


def write(folder: Path, form: str, tables: dict[str, list[dict[str, object]]]) -> Path:
    """A dataset of the given rows: CSV files, or a workbook whose cells are all text
    (``xlsx text``) or keep their Python type (``xlsx cells``: numbers and dates as Excel keeps them)."""
    folder.mkdir(parents=True, exist_ok=True)
    if form == "csv":
        for name, rows in tables.items():
            with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        return folder
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append([v if form == "xlsx cells" else str(v) for v in row.values()])
    path = folder / "cluster.xlsx"
    book.save(path)
    return path


def read(tmp_path: Path, form: str, *, workshop=None, order=None, **options):
    """The report and (when valid) the cluster of a one-workshop, one-order dataset."""
    tables = {"workshops": [{**WORKSHOP, **(workshop or {})}], "orders": [{**ORDER, **(order or {})}]}
    path = write(tmp_path / form.replace(" ", "_"), form, tables)
    options.setdefault("as_of", AS_OF)
    report = validate_dataset(path, **options)
    return report, (load_cluster(path, **options) if report.ok else None)


def problem_texts(report) -> list[str]:
    return [f"{p.column}: {p.message}" for p in report.problems]


# -- whole numbers: grouping in either convention, never a fraction -----------------------------
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2000", 2000),
        ("2.000", 2000),
        ("2,000", 2000),
        ("2 000", 2000),
        ("2\u00a0000", 2000),  # a no-break space, as spreadsheets group digits
        ("2\u202f000", 2000),  # a narrow no-break space
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("2.000,00", 2000),
        ("+40", 40),
    ],
)
def test_whole_numbers_read_digit_grouping_either_way(tmp_path, form, typed, value):
    report, cluster = read(tmp_path, form, order={"quantity": typed})
    assert report.ok, problem_texts(report)
    assert cluster.orders[0].quantity == value


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("typed", ["2.5", "2,5", "1.5e1x", "tres"])
def test_a_fraction_or_words_are_not_a_whole_number(tmp_path, form, typed):
    report, _ = read(tmp_path, form, order={"quantity": typed})
    assert problem_texts(report) == [f'quantity: "{typed}" is not a whole number']


def test_a_workbook_number_cell_is_its_number(tmp_path):
    report, cluster = read(tmp_path, "xlsx cells", order={"quantity": 2000}, workshop={"efficiency": 0.5})
    assert report.ok and cluster.orders[0].quantity == 2000 and cluster.workshops[0].efficiency == 0.5
    # 1.125 minutes in a number cell is a number, not a grouping of digits.
    report, cluster = read(tmp_path / "b", "xlsx cells", workshop={"capacity_minutes_per_week": 1.125})
    assert report.ok and cluster.workshops[0].capacity_minutes_per_week == 1.125
    report, _ = read(tmp_path / "c", "xlsx cells", order={"quantity": 2.5})
    assert problem_texts(report) == ['quantity: "2.5" is not a whole number']


# -- decimals: a decimal comma, and the numbers two marks read differently -----------------------
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("typed", "value"),
    [("0,5", 0.5), ("0.5", 0.5), ("0,500", 0.5), ("0.500", 0.5), (",5", 0.5), ("1", 1.0)],
)
def test_decimal_fields_take_a_decimal_comma(tmp_path, form, typed, value):
    report, cluster = read(tmp_path, form, workshop={"efficiency": typed})
    assert report.ok, problem_texts(report)
    assert cluster.workshops[0].efficiency == value


@pytest.mark.parametrize("form", ["csv", "xlsx text"])
@pytest.mark.parametrize(
    ("typed", "point", "comma"),
    [("11.520", "11.52", "11520"), ("11,520", "11520", "11.52"), ("1.500", "1.5", "1500")],
)
def test_a_number_two_marks_read_differently_is_refused_with_both_readings(
    tmp_path, form, typed, point, comma
):
    report, _ = read(tmp_path, form, workshop={"capacity_minutes_per_week": typed})
    assert problem_texts(report) == [
        f'capacity_minutes_per_week: "{typed}" reads as {point} with a decimal point and as {comma} with a '
        "decimal comma; write it without digit grouping, or state the decimal mark the dataset uses"
    ]
    problem = report.problems[0]
    assert (problem.file.split(":")[-1].removesuffix(".csv"), problem.row) == ("workshops", 2)
    # The dataset's decimal mark settles it, in both directions.
    _, with_comma = read(
        tmp_path / "comma", form, workshop={"capacity_minutes_per_week": typed}, decimal="comma"
    )
    _, with_point = read(
        tmp_path / "point", form, workshop={"capacity_minutes_per_week": typed}, decimal="point"
    )
    assert with_comma.workshops[0].capacity_minutes_per_week == float(comma)
    assert with_point.workshops[0].capacity_minutes_per_week == float(point)


@pytest.mark.parametrize(
    ("typed", "value"), [("11 520", 11520), ("11.520,5", 11520.5), ("11,520.5", 11520.5), ("11520", 11520)]
)
def test_a_number_read_one_way_only_needs_no_decimal_mark(tmp_path, typed, value):
    report, cluster = read(tmp_path, "csv", workshop={"capacity_minutes_per_week": typed})
    assert report.ok and cluster.workshops[0].capacity_minutes_per_week == value


def test_the_field_range_settles_a_number_when_only_one_reading_fits(tmp_path):
    # An efficiency is at most 1: 1.500 is 1.5 or 1500, both too large; 0.500 can only be a half.
    report, _ = read(tmp_path, "csv", workshop={"efficiency": "1.500"})
    assert problem_texts(report) == ["efficiency: 1.500 is out of range; use a number > 0 and <= 1"]
    # A reliability of 0,875 is a share, never 875.
    report, cluster = read(tmp_path / "b", "csv", workshop={"reliability": "0,875"})
    assert report.ok and cluster.workshops[0].reliability == 0.875


def test_the_stated_mark_reads_whole_numbers_as_grouped_all_the_same(tmp_path):
    for decimal in ("comma", "point"):
        report, cluster = read(tmp_path / decimal, "csv", order={"quantity": "2,000"}, decimal=decimal)
        assert report.ok and cluster.orders[0].quantity == 2000


def test_minutes_in_an_order_routing_override_take_a_decimal_comma(tmp_path):
    report, cluster = read(tmp_path, "csv", order={"processes": "sewing;bordado:2,5"})
    assert report.ok, problem_texts(report)
    assert [(s.process, s.minutes_per_unit) for s in cluster.orders[0].processes] == [
        ("sewing", 16.0),
        ("embroidery", 2.5),
    ]


def test_contacts_positions_read_with_either_mark(tmp_path):
    folder = write(
        tmp_path / "d",
        "csv",
        {
            "workshops": [WORKSHOP],
            "contacts": [{"workshop_id": "W1", "lat": "-25,6", "lon": "-57.123"}],
        },
    )
    from matcher.io import load_contacts

    (contact,) = load_contacts(folder)
    assert (contact.lat, contact.lon) == (-25.6, -57.123)  # -57123 is no longitude


def test_numbers_the_library_writes_read_back_the_one_way(tmp_path):
    shop = Workshop("W1", "Itá", 3, ("jeans",), ("sewing",), cost_per_minute=1.125, hours_per_week=37.5)
    order = Order("O1", "jeans", 100, 2.125)
    cluster = Cluster(workshops=(shop,), orders=(order,), routings=default_routings())
    for name in ("d", "d.xlsx"):
        assert load_cluster(write_cluster(cluster, tmp_path / name)) == cluster


# -- dates -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "typed", ["2025-09-30", "30/09/2025", "30-09-2025", "30.09.2025", dt.datetime(2025, 9, 30)]
)
def test_an_order_may_give_its_due_date(tmp_path, form, typed):
    if isinstance(typed, dt.datetime) and form == "csv":
        typed = "2025-09-30"
    report, cluster = read(tmp_path, form, order={"due_weeks": "", "due_date": typed})
    assert report.ok, problem_texts(report)
    assert cluster.orders[0].due_weeks == 4.0


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("typed", ["30/09/2025", dt.datetime(2025, 9, 30)])
def test_a_date_in_due_weeks_is_told_to_go_to_due_date(tmp_path, form, typed):
    report, _ = read(tmp_path, form, order={"due_weeks": typed})
    # A date cell of a workbook is read as the date it holds; elsewhere the cell is quoted as written.
    written = "2025-09-30" if isinstance(typed, dt.datetime) and form == "xlsx cells" else str(typed)
    assert problem_texts(report) == [
        f'due_weeks: "{written}" is a date, not a number of weeks; give it in a due_date column instead '
        "(counted from the planning date 2025-09-02)"
    ]
    assert (
        report.problems[0]
        .say("es")
        .endswith(
            "es una fecha, no un número de semanas; póngala en una columna fecha_entrega (due_date), que se "
            "cuenta desde la fecha de planificación 02/09/2025"
        )
    )


def test_due_dates_are_checked_against_the_planning_date_and_due_weeks(tmp_path):
    def problems(**order):
        return problem_texts(read(tmp_path / str(len(list(tmp_path.iterdir()))), "csv", order=order)[0])

    assert problems(due_weeks="4", due_date="30/09/2025") == []  # both given, and they agree
    assert problems(due_weeks="3", due_date="30/09/2025") == [
        "due_date: due_weeks 3 and due_date 2025-09-30 disagree: that date is 4 weeks after the planning "
        "date 2025-09-02; keep one of them"
    ]
    assert problems(due_weeks="", due_date="02/09/2025") == [
        "due_date: the due date 2025-09-02 is not after the planning date 2025-09-02"
    ]
    assert problems(due_weeks="", due_date="31/09/2025") == [
        'due_date: "31/09/2025" is not a date; write it as 2025-09-30 or 30/09/2025'
    ]
    assert problems(due_weeks="", due_date="") == [
        "due_weeks: is required but empty; give due_weeks or due_date"
    ]


def test_the_planning_date_is_today_unless_stated(tmp_path):
    due = dt.date.today() + dt.timedelta(days=14)
    report, cluster = read(tmp_path, "csv", order={"due_weeks": "", "due_date": due.isoformat()}, as_of=None)
    assert report.ok and cluster.orders[0].due_weeks == 2.0
    _, cluster = read(
        tmp_path / "b", "csv", order={"due_weeks": "", "due_date": "30/09/2025"}, as_of="2025-09-16"
    )
    assert cluster.orders[0].due_weeks == 2.0


def test_an_order_file_without_either_due_column_says_so_once(tmp_path):
    folder = write(
        tmp_path / "d",
        "csv",
        {"workshops": [WORKSHOP], "orders": [{"order_id": "O1", "product": "jeans", "quantity": "5"}]},
    )
    assert problem_texts(validate_dataset(folder)) == [
        "due_weeks: give a due_weeks column (weeks from the planning date) or a due_date column (the day it "
        "is due)"
    ]


def test_reading_options_are_checked():
    with pytest.raises(InvalidOptionError, match="decimal must be one of comma, point, got dot"):
        validate_dataset(".", decimal="dot")
    with pytest.raises(InvalidOptionError, match="as_of must be a date written YYYY-MM-DD, got 30/09"):
        validate_dataset(".", as_of="30/09")


# -- the column readers themselves ---------------------------------------------------------------------
def test_readings_of_every_form():
    cells = [
        "2.000",
        "2,000",
        "2 000",
        "0,5",
        "11.52",
        "1.234,5",
        "1,234.5",
        "-25,5",
        "5.",
        "1e3",
        "1.2.3",
        "",
    ]
    readings = read_numbers(as_text(cells))
    point = [None if np.isnan(v) else v for v in readings.point]
    comma = [None if np.isnan(v) else v for v in readings.comma]
    assert point == [2.0, 2000.0, 2000.0, None, 11.52, None, 1234.5, None, 5.0, 1000.0, None, None]
    assert comma == [2000.0, 2.0, 2000.0, 0.5, None, 1234.5, None, -25.5, None, 1000.0, None, None]
    _, unsure = settle(readings, whole=False, decimal=None, inside=np.isfinite)
    assert unsure.tolist() == [True, True] + [False] * 10
    whole, unsure = settle(readings, whole=True, decimal=None, inside=np.isfinite)
    assert whole[:3].tolist() == [2000.0, 2000.0, 2000.0] and not unsure.any()


def test_dates_of_every_form():
    dates = read_dates(as_text(["2025-09-30", "2025-09-30T00:00:00", "30/09/2025", "1/9/2025", "13/13/2025"]))
    assert dates.tolist() == [dt.date(2025, 9, 30)] * 3 + [dt.date(2025, 9, 1), None]
