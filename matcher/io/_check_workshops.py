"""Check the routings, workshops and contacts files, and build their objects."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from matcher.io._fields import Checker, code_items, in_quotes, per_distinct_cell
from matcher.io._loaded import Loaded, Reading, extra_cells
from matcher.io._names import REQUIRED
from matcher.io._tables import Table
from matcher.model import (
    DEFAULT_EFFICIENCY,
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_QUALITY,
    Contact,
    RoutingStep,
    Rows,
    workshop_rows,
)
from matcher.routing import default_routings, merge_routings

MACHINE = re.compile(r"^([^:]+):\s*(\d+)$")


def contact_rows(columns: dict) -> list[Contact]:
    """Contacts from the columns of a checked contacts file (a :class:`~matcher.model.Rows` maker)."""
    fields = ("workshop_id", "owner_name", "phone", "address", "lat", "lon")
    return [Contact(*row) for row in zip(*(columns[f] for f in fields), strict=True)]


def check_routings(
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

    raw = check.cells("machines")
    parsed, which, distinct = per_distinct_cell(raw, read)
    bad = np.array([wrong for _, wrong in distinct], dtype=bool)
    if len(bad):
        check.report(bad[which], "machines", "problem.machines", lambda i: {"value": in_quotes(str(raw[i]))})
    return [machines for machines, _ in parsed]


def check_workshops(
    table: Table,
    out: Loaded,
    products: set[str] | None,
    processes: frozenset[str] | None,
    reading: Reading,
    routings_label: str,
) -> None:
    """Check the workshops against the products and processes of the routings (None: not known)."""
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
    columns = {
        "workshop_id": ids, "territory": territory, "workers": workers, "products": made, "processes": done,
        "women_workers": women, "hours_per_week": hours, "efficiency": efficiency,
        "capacity_minutes_per_week": capacity, "committed_minutes_per_week": committed, "machines": machines,
        "quality": quality, "formal": formal, "can_lead": can_lead, "cost_per_minute": cost,
        "organizations": organizations, "reliability": reliability, "extra": extra_cells(table),
    }  # fmt: skip
    out.workshops = Rows(columns, workshop_rows)


def _unknown(ids: list[str | None], known: pd.Index | set[str]) -> np.ndarray:
    """Where an id is given and is not one of ``known``."""
    known = known if isinstance(known, pd.Index) else pd.Index(sorted(known), dtype=object)
    cells = np.asarray(ids, dtype=object)
    return (known.get_indexer(pd.Index(cells, dtype=object)) < 0) & pd.notna(cells)


def check_contacts(
    table: Table, out: Loaded, workshop_ids: pd.Index | set[str] | None, reading: Reading
) -> None:
    """Check the contacts against the workshops' ids (None: not known)."""
    check = Checker(table, out.problems, out.warnings, decimal=reading.decimal)
    out.counts[table.label] = len(check)
    check.require_columns(REQUIRED["contacts"])
    ids = check.text("workshop_id", required=True)
    check.unique("workshop_id", ids)
    if workshop_ids is not None:
        check.report(
            _unknown(ids, workshop_ids),
            "workshop_id",
            "problem.unknown_contact",
            lambda i: {"value": in_quotes(ids[i] or "")},
        )
    lat = check.number("lat", low=-90, high=90)
    lon = check.number("lon", low=-180, high=180)
    half = check.blank("lat") != check.blank("lon")
    check.report(half, "lat", "problem.half_position")
    if out.problems or not out.objects or not out.contacts_wanted:
        return
    owner, phone, address = check.text("owner_name"), check.text("phone"), check.text("address")
    columns = {
        "workshop_id": ids,
        "owner_name": owner,
        "phone": phone,
        "address": address,
        "lat": lat,
        "lon": lon,
    }
    out.contacts = Rows(columns, contact_rows)
