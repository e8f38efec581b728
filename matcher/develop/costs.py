"""What each kind of intervention costs a development programme: a default table and overrides.

The default table ships with the package (``matcher/resources/intervention_costs.csv``,
columns ``kind,cost,unit,description``). Its figures are **synthetic**: plausible
amounts in US dollars for a Paraguayan supplier-development programme, written to
make plans comparable, not quotes. A programme replaces them with its own CSV
(the same columns; ``unit`` and ``description`` may be left empty; kinds it
leaves out keep their default) or with a mapping ``{kind: cost}``.

Kinds, and what one intervention of the kind is:

========================  =======================================================
``learn_process``         a workshop learns one process (per workshop and process)
``learn_product``         a workshop learns to make one more product
``quality_level``         a workshop reaches the next quality level
``formalise``             a workshop registers for tax (RUC)
``add_worker``            a workshop takes on one more operator (per operator)
``add_hours``             a workshop's operators work 8 more hours a week
``introduce``             two workshops are introduced (a new working tie; per pair)
========================  =======================================================

Examples
--------
>>> table = load_costs()
>>> table.cost("formalise"), table.cheapest()
(250.0, ('introduce', 60.0))
>>> load_costs({"formalise": 100}).cost("formalise")
100.0
>>> load_costs({"teleport": 5})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
matcher.errors.InvalidOptionError: unknown intervention kind 'teleport' in the costs; kinds are add_hours, ...
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from matcher.errors import InvalidDataError, InvalidOptionError, Problem
from matcher.messages import Message

__all__ = ["KINDS", "CostTable", "load_costs"]

#: Every kind of intervention, in the order of the default table.
KINDS: tuple[str, ...] = (
    "learn_process",
    "learn_product",
    "quality_level",
    "formalise",
    "add_worker",
    "add_hours",
    "introduce",
)
_COLUMNS = ("kind", "cost", "unit", "description")


@dataclass(frozen=True)
class CostTable:
    """The cost of one intervention of each kind, with its unit, its words and where it came from."""

    costs: Mapping[str, float]
    units: Mapping[str, str]
    descriptions: Mapping[str, str]
    source: str

    def cost(self, kind: str) -> float:
        """What one intervention of ``kind`` costs."""
        return self.costs[kind]

    def cheapest(self) -> tuple[str, float]:
        """The kind that costs least and its cost (ties broken by the order of :data:`KINDS`)."""
        kind = min(KINDS, key=lambda k: (self.costs[k], KINDS.index(k)))
        return kind, self.costs[kind]

    def to_dict(self) -> dict:
        """JSON-ready: the source and, per kind, cost, unit and description."""
        return {
            "source": self.source,
            "kinds": [
                {"kind": k, "cost": self.costs[k], "unit": self.units[k], "description": self.descriptions[k]}
                for k in KINDS
            ],
        }


def _kinds_text() -> str:
    return ", ".join(sorted(KINDS))


def _read_csv(text: str, name: str) -> tuple[dict[str, float], dict[str, str], dict[str, str]]:
    """Costs, units and descriptions of a cost CSV; every problem is collected and raised at once."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        raise InvalidDataError([Problem.of(name, None, None, "problem.empty_file")], source=name)
    header = [h.strip().lower() for h in rows[0]]
    problems: list[Problem] = [
        Problem.of(name, None, column, "plan.cost_missing_column", columns=list(_COLUMNS[:2]))
        for column in _COLUMNS[:2]
        if column not in header
    ]
    if problems:
        raise InvalidDataError(problems, source=name)
    at = {column: header.index(column) for column in _COLUMNS if column in header}
    costs: dict[str, float] = {}
    units: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row: list[str] = row) -> str:
            i = at.get(column)
            return row[i].strip() if i is not None and i < len(row) else ""

        kind = cell("kind")
        if kind not in KINDS:
            problems.append(
                Problem.of(name, number, "kind", "plan.cost_kind", value=kind, kinds=sorted(KINDS))
            )
            continue
        if kind in costs:
            problems.append(Problem.of(name, number, "kind", "plan.cost_twice", value=kind))
            continue
        raw = cell("cost")
        try:
            cost = float(raw)
        except ValueError:
            cost = math.nan
        if not math.isfinite(cost) or cost <= 0:
            problems.append(Problem.of(name, number, "cost", "plan.cost_number", value=raw))
            continue
        costs[kind] = cost
        units[kind] = cell("unit")
        descriptions[kind] = cell("description")
    if problems:
        raise InvalidDataError(problems, source=name)
    return costs, units, descriptions


def _default() -> CostTable:
    text = files("matcher.resources").joinpath("intervention_costs.csv").read_text(encoding="utf-8")
    costs, units, descriptions = _read_csv(text, "intervention_costs.csv")
    return CostTable(costs, units, descriptions, "default (synthetic)")


def load_costs(costs: str | Path | Mapping[str, float] | CostTable | None = None) -> CostTable:
    """The cost table of a plan: the default, updated by a programme's CSV or mapping.

    Parameters
    ----------
    costs : path, mapping of kind to cost, CostTable or None
        A CSV file with columns ``kind`` and ``cost`` (``unit`` and
        ``description`` optional), a mapping ``{kind: cost}``, or None for the
        default table. Costs are numbers > 0; kinds left out keep the default.

    Returns
    -------
    CostTable

    Raises
    ------
    InvalidDataError
        A CSV with an unknown kind, a kind given twice or a cost that is not a
        number > 0: every such row, by file, row and column.
    InvalidOptionError
        A mapping with an unknown kind or a bad cost.
    """
    if isinstance(costs, CostTable):
        return costs
    table = _default()
    if costs is None:
        return table
    if isinstance(costs, Mapping):
        problems = []
        for kind, cost in costs.items():
            if kind not in KINDS:
                problems.append(Message("plan.cost_kind_option", {"value": kind, "kinds": sorted(KINDS)}))
            elif not isinstance(cost, int | float) or not math.isfinite(cost) or cost <= 0:
                problems.append(Message("plan.cost_option", {"kind": kind, "got": repr(cost)}))
        if problems:
            raise InvalidOptionError(messages=problems)
        given = {k: float(v) for k, v in costs.items()}
        return CostTable({**table.costs, **given}, table.units, table.descriptions, "mapping")
    path = Path(costs)
    given, units, descriptions = _read_csv(path.read_text(encoding="utf-8"), path.name)
    return CostTable(
        {**table.costs, **given},
        {**table.units, **{k: v for k, v in units.items() if v}},
        {**table.descriptions, **{k: v for k, v in descriptions.items() if v}},
        str(path),
    )
