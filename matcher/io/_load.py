"""Validate a dataset against the contract and build the domain objects.

Every file is checked to the end: a missing column is reported once and the
file's other columns and rows are still checked. What follows from a problem
already reported is not reported again: ties are not checked against a
workshops file that could not be read, nor orders against firms or products
of a file that could not be read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from matcher.errors import Problem
from matcher.io._cells import CONTROL, UNWRITABLE, first_control, first_unwritable
from matcher.io._fields import Checker, _quote, code_items, per_distinct_cell, unknown_code
from matcher.io._names import COLUMNS, FILES, REQUIRED, codes_of, file_of, normal
from matcher.io._numbers import as_text, read_dates, read_numbers, settle, weeks_between
from matcher.io._tables import Source, Table
from matcher.model import (
    DEFAULT_EFFICIENCY,
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_QUALITY,
    DEFAULT_STRENGTH,
    DIRECTED_TIE_KINDS,
    TIE_KINDS,
    Contact,
    LeadFirm,
    Order,
    RoutingStep,
    Tie,
    Workshop,
)
from matcher.routing import default_routings, known_processes, merge_routings

# The columns the writer puts, in its order (an order's due date is written as due_weeks).
WORKSHOP_COLUMNS = COLUMNS["workshops"]
TIE_COLUMNS = COLUMNS["ties"]
FIRM_COLUMNS = COLUMNS["lead_firms"]
ORDER_COLUMNS = tuple(c for c in COLUMNS["orders"] if c != "due_date")
ROUTING_COLUMNS = COLUMNS["routings"]
CONTACT_COLUMNS = COLUMNS["contacts"]
MACHINE = re.compile(r"^([^:]+):\s*(\d+)$")
STEP = re.compile(r"^([^:]+)(?::\s*(.+))?$")


@dataclass
class Loaded:
    """The outcome of validation: objects (when valid), problems and warnings."""

    workshops: list[Workshop] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    lead_firms: list[LeadFirm] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    routings: dict[str, tuple[RoutingStep, ...]] = field(default_factory=dict)
    contacts: list[Contact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    objects: bool = True  # build the domain objects of a valid dataset (checking alone needs none)


@dataclass(frozen=True)
class Reading:
    """How the dataset is read: its decimal mark (None: settled per cell) and its planning date."""

    decimal: str | None = None
    as_of: dt.date = field(default_factory=dt.date.today)


def _extra(table: Table) -> list[tuple[tuple[str, str], ...]]:
    """Each row's cells of the columns the contract does not know (only those not empty)."""
    found: list[tuple[tuple[str, str], ...]] = [()] * len(table)
    extra = table.extra()
    if not extra:
        return found
    filled = np.zeros(len(table), dtype=bool)
    for column in extra:
        filled |= table.cells[column] != ""
    rows = np.flatnonzero(filled)
    cells = np.stack([table.cells[c][rows].astype(object) for c in extra], axis=1)
    for row, values in zip(rows.tolist(), cells, strict=True):
        found[row] = tuple((c, v) for c, v in zip(extra, values, strict=True) if v)
    return found


def _routings(
    table: Table | None, out: Loaded, reading: Reading
) -> tuple[dict[str, tuple[RoutingStep, ...]], set[str], set[str]]:
    """The routings (default catalogue merged with the file's), and the products and processes the
    file names (valid codes, even on a row with another problem)."""
    own: dict[str, list[RoutingStep]] = {}
    named_products: set[str] = set()
    named_processes: set[str] = set()
    if table is not None:
        check = Checker(table, out.problems, out.warnings, decimal=reading.decimal)
        check.require_columns(REQUIRED["routings"])
        product = check.defined_code("product", group="product")
        process = check.defined_code("process", group="process")
        minutes = check.number("minutes_per_unit", required=True, low=0, low_open=True)
        check.unique("process", [(p, q) if p and q else None for p, q in zip(product, process, strict=True)])
        named_products = {p for p in product if p}
        named_processes = {q for q in process if q}
        for p, q, m in zip(product, process, minutes, strict=True):
            if p and q and m is not None:
                own.setdefault(p, []).append(RoutingStep(q, m))
    routings = merge_routings(default_routings(), {p: tuple(s) for p, s in own.items()})
    return routings, named_products, named_processes


def _machines(check: Checker) -> list[tuple[tuple[str, int], ...]]:
    """``type:count`` items per cell, read once per distinct cell."""

    def read(cell: str) -> tuple[tuple[tuple[str, int], ...], bool]:
        matches = [MACHINE.match(item) for item in code_items(cell)]
        machines = tuple((m.group(1).strip(), int(m.group(2))) for m in matches if m)
        return machines, len(machines) < len(matches)

    raw = check.raw("machines")
    parsed, which, distinct = per_distinct_cell(raw, read)
    bad = np.array([wrong for _, wrong in distinct], dtype=bool)
    if len(bad):
        check.report(bad[which], "machines", "problem.machines", lambda i: {"value": _quote(str(raw[i]))})
    return [machines for machines, _ in parsed]


def _workshops(
    table: Table,
    out: Loaded,
    products: set[str] | None,
    processes: frozenset[str] | None,
    reading: Reading,
    routings_label: str,
) -> None:
    check = Checker(table, out.problems, out.warnings, decimal=reading.decimal)
    out.counts[table.label] = len(check)
    check.require_columns(REQUIRED["workshops"])
    ids = check.text("workshop_id", required=True)
    check.unique("workshop_id", ids)
    territory = check.text("territory", required=True)
    workers = check.integer("workers", required=True, low=1)
    women = check.integer("women_workers", low=0)
    over = np.array([w is not None and k is not None and w > k for w, k in zip(women, workers, strict=True)])
    check.report(
        over, "women_workers", "problem.women_above", lambda i: {"women": women[i], "workers": workers[i]}
    )
    hours = check.number("hours_per_week", default=DEFAULT_HOURS_PER_WEEK, low=0, low_open=True)
    efficiency = check.number("efficiency", default=DEFAULT_EFFICIENCY, low=0, high=1, low_open=True)
    capacity = check.number("capacity_minutes_per_week", low=0)
    committed = check.number("committed_minutes_per_week", default=0.0, low=0)
    made = check.codes("products", known=products, group="product", required=True, hint=routings_label)
    done = check.codes("processes", known=processes, group="process", required=True, hint=routings_label)
    machines = _machines(check)
    quality = check.integer("quality", default=DEFAULT_QUALITY, low=1, high=5)
    formal = check.boolean("formal")
    can_lead = check.boolean("can_lead")
    cost = check.number("cost_per_minute", low=0)
    organizations = check.items("organizations")
    reliability = check.number("reliability", low=0, high=1)
    if out.problems or not out.objects:
        return
    extra = _extra(table)
    out.workshops = [
        Workshop(
            workshop_id=ids[i],
            territory=territory[i],
            workers=workers[i],
            products=made[i],
            processes=done[i],
            women_workers=women[i],
            hours_per_week=hours[i],
            efficiency=efficiency[i],
            capacity_minutes_per_week=capacity[i],
            committed_minutes_per_week=committed[i],
            machines=machines[i],
            quality=quality[i],
            formal=formal[i],
            can_lead=can_lead[i],
            cost_per_minute=cost[i],
            organizations=organizations[i],
            reliability=reliability[i],
            extra=extra[i],
        )
        for i in range(len(check))
    ]


def _lead_firms(table: Table, out: Loaded) -> set[str] | None:
    """Read the firms; their ids, or None when they cannot be told (no id column)."""
    check = Checker(table, out.problems, out.warnings)
    out.counts[table.label] = len(check)
    check.require_columns(REQUIRED["lead_firms"])
    ids = check.text("firm_id", required=True)
    check.unique("firm_id", ids)
    names = check.text("name")
    territory = check.text("territory")
    out.lead_firms = [LeadFirm(f, n, t) for f, n, t in zip(ids, names, territory, strict=True) if f]
    return {f for f in ids if f} if check.has("firm_id") else None


def _ties(
    table: Table, out: Loaded, workshop_ids: set[str] | None, workshops_label: str, reading: Reading
) -> None:
    check = Checker(table, out.problems, out.warnings, decimal=reading.decimal)
    out.counts[table.label] = len(check)
    check.require_columns(REQUIRED["ties"])
    source = check.text("source", required=True)
    target = check.text("target", required=True)
    if workshop_ids is not None:
        for column, ends in (("source", source), ("target", target)):
            ends_known = pd.Series(ends, dtype=object)
            unknown = (ends_known.notna() & ~ends_known.isin(workshop_ids)).to_numpy()
            check.report(
                unknown,
                column,
                "problem.unknown_tie_end",
                lambda i, ends=ends: {"value": _quote(ends[i] or ""), "file": workshops_label},
            )
    self_tie = (check.raw("source") == check.raw("target")) & (check.raw("source") != "")
    check.report(self_tie, "target", "problem.self_tie")
    kind = check.code("kind", known=TIE_KINDS, group="kind")
    strength = check.integer("strength", default=DEFAULT_STRENGTH, low=1, high=5)
    wave = check.text("wave")
    _duplicate_ties(check, source, target, kind, wave)
    if out.problems or not out.objects:
        return
    out.ties = [
        Tie(s, t, k, st, w)  # type: ignore[arg-type]
        for s, t, k, st, w in zip(source, target, kind, strength, wave, strict=True)
    ]


def _duplicate_ties(
    check: Checker,
    source: list[str | None],
    target: list[str | None],
    kind: list[str | None],
    wave: list[str | None],
) -> None:
    """Report a tie recorded twice (same kind, wave and pair; ordered for directed kinds), naming
    the row of the first."""
    ties = pd.DataFrame({"kind": kind, "wave": wave, "a": source, "b": target}, dtype=object)
    ties = ties[ties["kind"].notna() & ties["a"].notna() & ties["b"].notna() & (ties["a"] != ties["b"])]
    swap = ~ties["kind"].isin(DIRECTED_TIE_KINDS) & (ties["a"] > ties["b"])
    ties.loc[swap, ["a", "b"]] = ties.loc[swap, ["b", "a"]].to_numpy()
    ties["wave"] = ties["wave"].fillna("")
    groups = ties.groupby(["kind", "wave", "a", "b"], sort=False).ngroup().to_numpy()
    positions = ties.index.to_numpy()
    first = pd.Series(positions).groupby(groups).transform("first").to_numpy()
    dup = np.zeros(len(check), dtype=bool)
    dup[positions[first != positions]] = True
    first_of = dict(zip(positions.tolist(), first.tolist(), strict=True))

    def said(i: int) -> tuple[str, dict[str, Any]]:
        tie = ties.loc[i]
        args = {"kind": [tie["kind"]], "a": tie["a"], "b": tie["b"], "first": int(check.rows[first_of[i]])}
        if tie["wave"]:
            return "problem.tie_twice_wave", {**args, "wave": tie["wave"]}
        return "problem.tie_twice", args

    check.report(dup, None, said)


def _steps(
    cell: tuple[str, ...],
    base: dict[str, float],
    processes: frozenset[str] | None,
    product: str | None,
    reading: Reading,
    routings_label: str,
) -> tuple[tuple[RoutingStep, ...], list[tuple[str, dict[str, Any]]]]:
    """An order's routing override, and what is wrong with it (message keys and arguments)."""
    steps: list[RoutingStep] = []
    errors: list[tuple[str, dict[str, Any]]] = []
    names = codes_of("process", processes) if processes is not None else {}
    for item in cell:
        match = STEP.match(item)
        written = match.group(1).strip() if match else item
        minutes_text = match.group(2) if match else None
        name = names.get(normal(written), written) if processes is not None else written
        if processes is not None and name not in processes:
            errors.append(unknown_code("process", written, processes, names, routings_label))
            continue
        if minutes_text is None:
            if name not in base:
                errors.append(("problem.step_not_in_routing", {"process": name, "product": product}))
                continue
            steps.append(RoutingStep(name, base[name]))
            continue
        readings = read_numbers(as_text([minutes_text.strip()]))
        value, _ = settle(
            readings, whole=False, decimal=reading.decimal, inside=lambda v: np.isfinite(v) & (v > 0)
        )
        minutes = float(value[0])
        if not np.isfinite(minutes) or minutes <= 0:
            errors.append(("problem.step_minutes", {"process": name, "value": _quote(minutes_text)}))
            continue
        steps.append(RoutingStep(name, minutes))
    return tuple(steps), errors


def _due(check: Checker, reading: Reading) -> list[float | None]:
    """Each order's weeks to its due date: ``due_weeks``, or ``due_date`` counted from the planning date."""
    has_weeks, has_date = check.has("due_weeks"), check.has("due_date")
    if not has_weeks and not has_date:
        check.missing.add("due_weeks")
        shown = check.table.name_for("due_weeks")
        check.problems.append(Problem.of(check.table.label, 1, shown, "problem.missing_due"))
    as_of = reading.as_of.isoformat()
    weeks_cells = check.raw("due_weeks")
    dates_cells = check.raw("due_date")
    dates = read_dates(dates_cells)
    from_date = weeks_between(reading.as_of, dates)

    def date_in_weeks(i: int) -> tuple[str, dict[str, Any]]:
        return "problem.date_in_due_weeks", {"value": _quote(str(weeks_cells[i])), "as_of": as_of}

    weeks = check.number("due_weeks", low=0, low_open=True, dated=date_in_weeks)
    no_weeks, no_date = weeks_cells == "", dates_cells == ""
    if has_weeks or has_date:
        check.report(no_weeks & no_date, "due_weeks" if has_weeks else "due_date", "problem.due_missing")
    bad_date = ~no_date & np.isnat(dates)
    check.report(bad_date, "due_date", "problem.not_date", lambda i: {"value": _quote(str(dates_cells[i]))})
    dated = ~np.isnat(dates)
    before = dated & (dates <= np.datetime64(reading.as_of, "D"))
    check.report(
        before, "due_date", "problem.due_not_after", lambda i: {"date": str(dates[i]), "as_of": as_of}
    )
    given = np.array([w is not None for w in weeks], dtype=bool)
    days = (dates - np.datetime64(reading.as_of, "D")).astype("timedelta64[D]").astype(np.float64)
    typed = np.array([w if w is not None else np.nan for w in weeks], dtype=float)
    with np.errstate(invalid="ignore"):
        disagree = dated & ~before & given & (np.round(typed * 7) != days)
    check.report(
        disagree,
        "due_date",
        "problem.due_disagree",
        lambda i: {"weeks": weeks[i], "date": str(dates[i]), "computed": float(from_date[i]), "as_of": as_of},
    )
    return [
        w if w is not None else (float(from_date[i]) if dated[i] and not before[i] else None)
        for i, w in enumerate(weeks)
    ]


def _orders(
    table: Table,
    out: Loaded,
    firms: set[str] | None,
    firms_label: str | None,
    territories: set[str] | None,
    routings: dict[str, tuple[RoutingStep, ...]],
    products: set[str] | None,
    processes: frozenset[str] | None,
    named_products: set[str],
    reading: Reading,
    routings_label: str,
) -> None:
    """Check the orders; ``firms`` None with ``firms_label`` None: the dataset has no firm file;
    ``firms`` None with a label: it has one that could not be read (firms are not checked)."""
    check = Checker(table, out.problems, out.warnings, decimal=reading.decimal)
    out.counts[table.label] = len(check)
    check.require_columns(REQUIRED["orders"])
    ids = check.text("order_id", required=True)
    check.unique("order_id", ids)
    firm = check.text("firm_id")
    if firms_label is None:
        check.report(
            np.array([f is not None for f in firm], dtype=bool),
            "firm_id",
            "problem.firm_without_file",
            lambda i: {"value": _quote(firm[i] or ""), "file": "lead_firms.csv"},
        )
    elif firms is not None:
        check.report(
            np.array([f is not None and f not in firms for f in firm], dtype=bool),
            "firm_id",
            "problem.unknown_firm",
            lambda i: {"value": _quote(firm[i] or ""), "file": firms_label},
        )
    product = check.code("product", known=products, group="product", hint=routings_label)
    no_route = np.array(
        [
            products is not None and p in products and p not in named_products and not routings.get(p)
            for p in product
        ],
        dtype=bool,
    )
    check.report(
        no_route, "product", "problem.no_routing", lambda i: {"product": product[i], "file": routings_label}
    )
    quantity = check.integer("quantity", required=True, low=1)
    due = _due(check, reading)
    min_quality = check.integer("min_quality", default=1, low=1, high=5)
    cap = check.integer("max_group_size", low=1)
    allowed = check.items("territories")
    if territories is not None:
        strange = np.array([any(t not in territories for t in ts) for ts in allowed], dtype=bool)
        check.report(
            strange,
            "territories",
            "problem.territory_unknown",
            lambda i: {"territories": [f'"{_quote(t)}"' for t in allowed[i] if t not in territories]},
            warning=True,
        )
    formal = check.boolean("require_formal")
    overrides = check.code_lists("processes")
    steps: list[tuple[RoutingStep, ...]] = []
    step_errors: list[list[tuple[str, dict[str, Any]]]] = []
    for p, cell in zip(product, overrides, strict=True):
        base = {s.process: s.minutes_per_unit for s in routings.get(p or "", ())}
        parsed, errors = _steps(cell, base, processes, p, reading, routings_label)
        steps.append(parsed)
        step_errors.append(errors)
    bad = [(row, key, args) for row, errors in enumerate(step_errors) for key, args in errors]
    check.report_each(iter(bad), len(bad), "processes")
    if out.problems or not out.objects:
        return
    extra = _extra(table)
    out.orders = [
        Order(
            order_id=ids[i],
            product=product[i],
            quantity=quantity[i],
            due_weeks=due[i],  # type: ignore[arg-type]
            firm_id=firm[i],
            min_quality=min_quality[i],
            max_group_size=cap[i],
            territories=allowed[i],
            require_formal=formal[i],
            processes=steps[i],
            extra=extra[i],
        )
        for i in range(len(check))
    ]


def _contacts(table: Table, out: Loaded, workshop_ids: set[str] | None, reading: Reading) -> None:
    check = Checker(table, out.problems, out.warnings, decimal=reading.decimal)
    out.counts[table.label] = len(check)
    check.require_columns(REQUIRED["contacts"])
    ids = check.text("workshop_id", required=True)
    check.unique("workshop_id", ids)
    if workshop_ids is not None:
        check.report(
            np.array([w is not None and w not in workshop_ids for w in ids], dtype=bool),
            "workshop_id",
            "problem.unknown_contact",
            lambda i: {"value": _quote(ids[i] or "")},
        )
    owner, phone, address = check.text("owner_name"), check.text("phone"), check.text("address")
    lat = check.number("lat", low=-90, high=90)
    lon = check.number("lon", low=-180, high=180)
    half = (check.raw("lat") == "") != (check.raw("lon") == "")
    check.report(half, "lat", "problem.half_position")
    if out.problems or not out.objects:
        return
    out.contacts = [
        Contact(w, o, p, a, la, lo)  # type: ignore[arg-type]
        for w, o, p, a, la, lo in zip(ids, owner, phone, address, lat, lon, strict=True)
    ]


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
    check = Checker(table, out.problems)
    ids = ID_COLUMNS.get(table.name, ())
    for column, cells in table.cells.items():
        if column in ids:
            pattern, first, key = CONTROL, first_control, "problem.control_in_id"
        else:
            pattern, first, key = UNWRITABLE, first_unwritable, "problem.control_in_text"
        if pattern.search(" ".join(cells.tolist())) is None:  # one scan of the column in the common case
            continue
        found = [first(c) for c in cells.tolist()]
        bad = np.array([f is not None for f in found], dtype=bool)
        check.report(bad, column, key, lambda i, found=found: {"character": found[i]})


def load_source(source: Source, reading: Reading | None = None, *, objects: bool = True) -> Loaded:
    """Validate every table of a source; objects are built only where all is valid (and asked for)."""
    reading = reading or Reading()
    out = Loaded(problems=list(source.problems), warnings=list(source.warnings), objects=objects)
    tables = source.tables
    for table in tables.values():
        _control_characters(table, out)
    routings_label = source.label("routings")
    routings, named_products, named_processes = _routings(tables.get("routings"), out, reading)
    if "routings" in tables:
        out.counts[tables["routings"].label] = len(tables["routings"])
    # Products and processes cannot be told from a routings file that could not be read.
    unreadable_routings = "routings" in source.failed
    products = None if unreadable_routings else set(routings) | named_products
    processes = None if unreadable_routings else known_processes(routings) | named_processes
    # Ties, contacts and orders' territories are checked against the workshops only when they can be told.
    workshop_ids: set[str] | None = None
    territories: set[str] | None = None
    if "workshops" in tables:
        workshops = tables["workshops"]
        _workshops(workshops, out, products, processes, reading, routings_label)
        if "workshop_id" in workshops.cells:
            workshop_ids = set(workshops.cells["workshop_id"].tolist()) - {""}
        if "territory" in workshops.cells:
            territories = set(workshops.cells["territory"].tolist()) - {""}
    firms: set[str] | None = None
    firms_label: str | None = None
    if "lead_firms" in tables:
        firms = _lead_firms(tables["lead_firms"], out)
        firms_label = tables["lead_firms"].label
    elif "lead_firms" in source.failed:
        firms_label = source.label("lead_firms")
    if "ties" in tables:
        _ties(tables["ties"], out, workshop_ids, source.label("workshops"), reading)
    if "orders" in tables:
        _orders(
            tables["orders"], out, firms, firms_label, territories, routings, products, processes,
            named_products, reading, routings_label,
        )  # fmt: skip
    if "contacts" in tables:
        _contacts(tables["contacts"], out, workshop_ids, reading)
    out.routings = routings
    out.problems.sort(key=_in_file_order)
    return out
