"""What validation reads a dataset with (:class:`Reading`) and gives back (:class:`Loaded`), and the
cells of columns the contract does not know, which the objects built keep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from matcher.errors import Problem
from matcher.io._tables import Table
from matcher.model import Contact, LeadFirm, Order, RoutingStep, Tie, Workshop


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


def extra_cells(table: Table) -> list[tuple[tuple[str, str], ...]]:
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
