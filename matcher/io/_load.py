"""Validate a dataset against the contract and build the domain objects.

Every file is checked to the end: a missing column is reported once and the
file's other columns and rows are still checked. What follows from a problem
already reported is not reported again: ties are not checked against a
workshops file that could not be read, nor orders against firms or products
of a file that could not be read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from matcher.errors import Problem
from matcher.io._cells import CONTROL, UNWRITABLE, as_objects, first_control, first_unwritable
from matcher.io._check_orders import check_lead_firms, check_orders
from matcher.io._check_ties import check_ties
from matcher.io._check_workshops import check_contacts, check_routings, check_workshops
from matcher.io._fields import Checker
from matcher.io._loaded import Loaded, Reading
from matcher.io._names import COLUMNS, FILES, file_of
from matcher.io._tables import Source, Table
from matcher.routing import known_processes

# The columns the writer puts, in its order (an order's due date is written as due_weeks).
WORKSHOP_COLUMNS = COLUMNS["workshops"]
TIE_COLUMNS = COLUMNS["ties"]
FIRM_COLUMNS = COLUMNS["lead_firms"]
ORDER_COLUMNS = tuple(c for c in COLUMNS["orders"] if c != "due_date")
ROUTING_COLUMNS = COLUMNS["routings"]
CONTACT_COLUMNS = COLUMNS["contacts"]


def _in_file_order(problem: Problem) -> tuple:
    """Workshops first, then ties, firms, orders, routings, contacts; by row within a file (what
    concerns a whole file first, the count of a column's problems not listed after its rows)."""
    name = file_of(problem.file.rsplit(":", 1)[-1])
    rank = FILES.index(name) if name in FILES else -1
    row = problem.row if problem.row is not None else (0 if problem.column is None else 1 << 62)
    return (rank, problem.file, row, problem.column or "", problem.message)


#: The columns that hold ids (or lists of them), per file: no control character may be in them.
ID_COLUMNS = {
    "workshops": ("workshop_id", "territory", "organizations"),
    "ties": ("source", "target", "wave"),
    "lead_firms": ("firm_id", "territory"),
    "orders": ("order_id", "firm_id", "territories"),
    "contacts": ("workshop_id",),
}


def _control_characters(table: Table, out: Loaded) -> None:
    """Report a control character in an id (any, tab and line breaks included), and in other text one
    that no workbook can hold (a C0 control other than tab and line breaks); NUL and such would
    otherwise be stored, and break every reader and export after."""
    if not table.controls and not table.id_controls:
        return
    check = Checker(table, out.problems)
    ids = ID_COLUMNS.get(table.name, ())
    for column, cells in table.cells.items():
        if column in ids:
            if not table.id_controls:
                continue
            pattern, first, key = CONTROL, first_control, "problem.control_in_id"
        else:
            if not table.controls:
                continue
            pattern, first, key = UNWRITABLE, first_unwritable, "problem.control_in_text"
        if pattern.search(" ".join(cells.tolist())) is None:  # one scan of the column in the common case
            continue
        found = [first(c) for c in cells.tolist()]
        bad = np.array([f is not None for f in found], dtype=bool)
        check.report(bad, column, key, lambda i, found=found: {"character": found[i]})


def load_source(
    source: Source, reading: Reading | None = None, *, objects: bool = True, contacts: bool = True
) -> Loaded:
    """Validate every table of a source; objects are built only where all is valid (and asked for:
    ``objects``, and ``contacts`` for the private contacts).

    Each table's cells are let go once it is checked (what the next checks need of it is
    taken first): the source is read once, and a national registry is not held twice.
    """
    reading = reading or Reading()
    out = Loaded(
        problems=list(source.problems),
        warnings=list(source.warnings),
        objects=objects,
        contacts_wanted=contacts,
    )
    tables = source.tables
    for table in tables.values():
        _control_characters(table, out)
    routings_label = source.label("routings")
    routings, named_products, named_processes = check_routings(tables.get("routings"), out, reading)
    if "routings" in tables:
        out.counts[tables["routings"].label] = len(tables["routings"])
    # Products and processes cannot be told from a routings file that could not be read.
    unreadable_routings = "routings" in source.failed
    products = None if unreadable_routings else set(routings) | named_products
    processes = None if unreadable_routings else known_processes(routings) | named_processes
    # Ties, contacts and orders' territories are checked against the workshops only when they can be told.
    workshop_ids: pd.Index | None = None
    territories: set[str] | None = None
    if "workshops" in tables:
        workshops = tables["workshops"]
        if "workshop_id" in workshops.cells:
            ids = pd.unique(as_objects(workshops.column("workshop_id")))
            workshop_ids = pd.Index(ids[ids != ""], dtype=object)
        if "territory" in workshops.cells:
            territories = set(pd.unique(as_objects(workshops.column("territory"))).tolist()) - {""}
        check_workshops(workshops, out, products, processes, reading, routings_label)
        workshops.cells.clear()
    firms: set[str] | None = None
    firms_label: str | None = None
    if "lead_firms" in tables:
        firms = check_lead_firms(tables["lead_firms"], out)
        firms_label = tables["lead_firms"].label
    elif "lead_firms" in source.failed:
        firms_label = source.label("lead_firms")
    if "ties" in tables:
        check_ties(tables["ties"], out, workshop_ids, source.label("workshops"), reading)
        tables["ties"].cells.clear()
    if "orders" in tables:
        check_orders(
            tables["orders"], out, firms, firms_label, territories, routings, products, processes,
            named_products, reading, routings_label,
        )  # fmt: skip
    if "contacts" in tables:
        check_contacts(tables["contacts"], out, workshop_ids, reading)
        tables["contacts"].cells.clear()
    out.routings = routings
    out.problems.sort(key=_in_file_order)
    return out
