"""Check the lead firms and orders files (due dates and routing overrides included), and build
their objects."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from matcher.errors import Problem
from matcher.io._fields import Checker, in_quotes, unknown_code
from matcher.io._loaded import Loaded, Reading, extra_cells
from matcher.io._names import REQUIRED, codes_of, normal
from matcher.io._numbers import as_text, read_dates, read_numbers, settle, weeks_between
from matcher.io._tables import Table
from matcher.model import LeadFirm, Order, RoutingStep

STEP = re.compile(r"^([^:]+)(?::\s*(.+))?$")


def check_lead_firms(table: Table, out: Loaded) -> set[str] | None:
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
            errors.append(("problem.step_minutes", {"process": name, "value": in_quotes(minutes_text)}))
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
        return "problem.date_in_due_weeks", {"value": in_quotes(str(weeks_cells[i])), "as_of": as_of}

    weeks = check.number("due_weeks", low=0, low_open=True, dated=date_in_weeks)
    no_weeks, no_date = weeks_cells == "", dates_cells == ""
    if has_weeks or has_date:
        check.report(no_weeks & no_date, "due_weeks" if has_weeks else "due_date", "problem.due_missing")
    bad_date = ~no_date & np.isnat(dates)
    check.report(
        bad_date, "due_date", "problem.not_date", lambda i: {"value": in_quotes(str(dates_cells[i]))}
    )
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


def check_orders(
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
            lambda i: {"value": in_quotes(firm[i] or ""), "file": "lead_firms.csv"},
        )
    elif firms is not None:
        check.report(
            np.array([f is not None and f not in firms for f in firm], dtype=bool),
            "firm_id",
            "problem.unknown_firm",
            lambda i: {"value": in_quotes(firm[i] or ""), "file": firms_label},
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
            lambda i: {"territories": [f'"{in_quotes(t)}"' for t in allowed[i] if t not in territories]},
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
    extra = extra_cells(table)
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
