"""What validation reads a dataset with (:class:`Reading`) and gives back (:class:`Loaded`), and the
cells of columns the contract does not know, which the objects built keep."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from matcher.errors import InvalidOptionError, Problem
from matcher.io._numbers import DECIMAL_MARKS
from matcher.io._tables import Table
from matcher.messages import Message
from matcher.model import Cluster, Contact, LeadFirm, Order, RoutingStep, Tie, Workshop


@dataclass
class Loaded:
    """The outcome of validation: objects (when valid), problems and warnings."""

    workshops: Sequence[Workshop] = ()
    ties: Sequence[Tie] = ()
    lead_firms: list[LeadFirm] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    routings: dict[str, tuple[RoutingStep, ...]] = field(default_factory=dict)
    contacts: Sequence[Contact] = ()
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    objects: bool = True  # build the domain objects of a valid dataset (checking alone needs none)
    contacts_wanted: bool = True  # build the contacts too (a cluster leaves them out)

    def cluster(self) -> Cluster:
        """The cluster of a valid dataset (its workshops and ties as columns, contacts left out)."""
        return Cluster(
            workshops=self.workshops,
            ties=self.ties,
            lead_firms=tuple(self.lead_firms),
            orders=tuple(self.orders),
            routings=self.routings,
        )


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
        filled |= table.column(column) != ""
    rows = np.flatnonzero(filled)
    cells = np.stack([table.column(c)[rows].astype(object) for c in extra], axis=1)
    for row, values in zip(rows.tolist(), cells, strict=True):
        found[row] = tuple((c, v) for c, v in zip(extra, values, strict=True) if v)
    return found


def _reading(decimal: str | None, as_of: dt.date | str | None) -> Reading:
    """The :class:`Reading` of the options ``decimal`` and ``as_of``, each checked."""
    if decimal is not None and decimal not in DECIMAL_MARKS:
        raise InvalidOptionError(
            messages=[
                Message("option.one_of", {"name": "decimal", "choices": list(DECIMAL_MARKS), "got": decimal})
            ]
        )
    if as_of is None:
        return Reading(decimal)
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of.strip())
        except ValueError:
            raise InvalidOptionError(
                messages=[Message("option.date", {"name": "as_of", "got": as_of})]
            ) from None
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    return Reading(decimal, as_of)
