"""The results of a sweep: one comparison row per scenario, the baseline first."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from matcher.errors import InvalidOptionError, MatcherError
from matcher.io._cells import inert
from matcher.messages import Message
from matcher.optimize import MatchResult
from matcher.sweep.schema import ScenarioRowDict, SweepResultDict

__all__ = ["CSV_COLUMNS", "ScenarioResult", "SweepResult", "check_export"]

#: The columns of :meth:`SweepResult.to_csv`, in order.
CSV_COLUMNS = (
    "scenario",
    "status",
    "gap",
    "filled_units",
    "units",
    "units_vs_baseline",
    "orders_filled",
    "orders",
    "groups",
    "members",
    "unfilled_orders",
    "seconds",
    "reason",
    "description",
)


@dataclass(frozen=True)
class ScenarioResult:
    """What the matcher made of one scenario.

    ``status`` is the run's (``optimal``, ``feasible`` with its ``gap`` on filled
    units) or ``error`` when the scenario could not be run (``reasons`` say why);
    ``units`` is the units ordered in all, ``filled_units`` those the groups make;
    ``groups`` the orders given a group, ``members`` the workshops working in
    them (backups left out), summed over groups; ``seconds`` the matcher's run.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> from matcher.optimize import MatchOptions, solve_orders
    >>> c = Cluster((Workshop("A", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600),),
    ...             orders=(Order("O1", "tshirt", 100, 1.0), Order("O2", "tshirt", 500, 1.0)),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> r = ScenarioResult.of("baseline", solve_orders(c, options=MatchOptions(explain_seconds=0)))
    >>> r.status, r.filled_units, r.units, r.orders_filled, r.groups, r.unfilled_orders
    ('optimal', 100, 600, 1, 1, ('O2',))
    """

    name: str
    status: str
    gap: float | None
    filled_units: int
    units: int
    orders_filled: int
    orders: int
    groups: int
    members: int
    unfilled_orders: tuple[str, ...]
    seconds: float
    description: str = ""
    reasons: tuple[Message, ...] = ()

    @classmethod
    def of(cls, name: str, result: MatchResult, description: str = "") -> ScenarioResult:
        """The comparison row of a matching run."""
        return cls(
            name=name,
            status=result.status,
            gap=result.gap,
            filled_units=sum(o.filled_units for o in result.orders),
            units=sum(o.quantity for o in result.orders),
            orders_filled=sum(o.status == "filled" for o in result.orders),
            orders=len(result.orders),
            groups=sum(bool(o.group) for o in result.orders),
            members=sum(not m.backup for o in result.orders for m in o.group),
            unfilled_orders=tuple(o.order_id for o in result.orders if o.status != "filled"),
            seconds=result.time_seconds,
            description=description,
        )

    @classmethod
    def failed(cls, name: str, error: MatcherError, seconds: float, description: str = "") -> ScenarioResult:
        """The row of a scenario the matcher refused (its rules contradict an order, ...)."""
        reasons = error.messages or (Message("sweep.failed", {"reason": str(error)}),)
        return cls(name, "error", None, 0, 0, 0, 0, 0, 0, (), seconds, description, tuple(reasons))

    def to_dict(self, baseline: ScenarioResult | None = None) -> ScenarioRowDict:
        """JSON-ready, with the units filled beyond ``baseline``'s (None when either is an error)."""
        compared = baseline is not None and "error" not in (self.status, baseline.status)
        return {
            "name": self.name,
            "description": self.description,
            "status": self.status,
            "gap": self.gap,
            "filled_units": self.filled_units,
            "units": self.units,
            "units_vs_baseline": self.filled_units - baseline.filled_units if compared else None,
            "orders_filled": self.orders_filled,
            "orders": self.orders,
            "groups": self.groups,
            "members": self.members,
            "unfilled_orders": list(self.unfilled_orders),
            "seconds": round(self.seconds, 3),
            "reasons": [m.text for m in self.reasons],
            "reason_messages": [m.to_dict() for m in self.reasons],
        }


@dataclass(frozen=True)
class SweepResult:
    """Every scenario's row, in the order given, the baseline (no change) first.

    ``runner`` says where the scenarios ran: ``in-process``, ``processes`` (a
    pool of ``workers`` processes on this machine) or ``dask`` (a Dask cluster
    of ``workers`` workers when the sweep began); ``seconds`` is the sweep's wall time.
    """

    scenarios: tuple[ScenarioResult, ...]
    runner: str
    workers: int
    seed: int
    time_limit: float
    seconds: float

    @property
    def baseline(self) -> ScenarioResult:
        return self.scenarios[0]

    def to_dict(self) -> SweepResultDict:
        """The JSON contract of ``matcher sweep --json`` (:class:`~matcher.sweep.schema.SweepResultDict`)."""
        return {
            "scenarios": [s.to_dict(self.baseline) for s in self.scenarios],
            "runner": self.runner,
            "workers": self.workers,
            "seed": self.seed,
            "time_limit": self.time_limit,
            "seconds": round(self.seconds, 3),
        }

    def to_csv(self) -> str:
        """The comparison table as CSV text (:data:`CSV_COLUMNS`; lists joined by ``;``; text that a
        spreadsheet would run as a formula quoted, :func:`matcher.io._cells.inert`)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in self.to_dict()["scenarios"]:
            writer.writerow(
                [
                    inert(row["name"]),
                    row["status"],
                    "" if row["gap"] is None else f"{row['gap']:.6f}",
                    row["filled_units"],
                    row["units"],
                    "" if row["units_vs_baseline"] is None else row["units_vs_baseline"],
                    row["orders_filled"],
                    row["orders"],
                    row["groups"],
                    row["members"],
                    ";".join(row["unfilled_orders"]),
                    row["seconds"],
                    inert("; ".join(row["reasons"])),
                    inert(row["description"]),
                ]
            )
        return out.getvalue()

    def write_csv(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write :meth:`to_csv` to ``path`` whole or not at all (a file beside it, then renamed).

        Raises
        ------
        InvalidOptionError
            As :func:`check_export`.
        """
        path = check_export(path, overwrite=overwrite)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(self.to_csv())
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return path


def check_export(path: str | Path, *, overwrite: bool = False) -> Path:
    """Refuse, before any work, a file the table cannot be written to.

    Raises
    ------
    InvalidOptionError
        ``path`` is a folder, lies in a folder that does not exist, or exists (without ``overwrite``).

    Examples
    --------
    >>> check_export("/no/such/folder/sweep.csv")
    Traceback (most recent call last):
    ...
    matcher.errors.InvalidOptionError: cannot write /no/such/folder/sweep.csv: the folder ... does not exist
    """
    path = Path(path)
    if path.is_dir():
        said = Message("sweep.export_folder", {"path": str(path), "example": str(path / "sweep.csv")})
    elif not path.absolute().parent.is_dir():
        said = Message("sweep.export_no_folder", {"path": str(path), "folder": str(path.parent)})
    elif path.exists() and not overwrite:
        said = Message("sweep.export_exists", {"path": str(path)})
    else:
        return path
    raise InvalidOptionError(messages=[said])
