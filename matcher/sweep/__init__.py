"""Scenario sweeps: the same cluster matched under many scenarios, compared in one table.

A scenario changes what the matcher works with — the rules of a good group,
partial fills, a group-size cap, due dates, the territories orders may go to,
workshops that are unavailable, added ties, funded interventions
(:class:`Scenario`, :func:`apply_scenario`). :func:`read_scenarios` reads them
from a CSV or TOML file, checked against the cluster (every problem by file,
row and field); :func:`sweep` runs each as one task — in a pool of processes
on this machine, or on a Dask cluster — and gathers a row per scenario (filled
units, orders filled, groups, status and gap, seconds), the baseline without
changes first (:class:`SweepResult`; its JSON form in :mod:`matcher.sweep.schema`).

Examples
--------
>>> from matcher.model import Cluster, Order, RoutingStep, Workshop
>>> c = Cluster((Workshop("A", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600),),
...             orders=(Order("O1", "tshirt", 200, 1.0),),
...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
>>> result = sweep(c, [Scenario("one more week", extra_weeks={"*": 1})], processes=1, time_limit=10)
>>> [(row.name, row.filled_units, row.status) for row in result.scenarios]
[('baseline', 0, 'optimal'), ('one more week', 200, 'optimal')]
"""

from matcher.sweep.read import FIELDS, read_scenarios
from matcher.sweep.result import ScenarioResult, SweepResult
from matcher.sweep.run import run_scenario, sweep
from matcher.sweep.scenario import ALL_ORDERS, BASELINE, Scenario, apply_scenario, scenario_options

__all__ = [
    "ALL_ORDERS",
    "BASELINE",
    "FIELDS",
    "Scenario",
    "ScenarioResult",
    "SweepResult",
    "apply_scenario",
    "read_scenarios",
    "run_scenario",
    "scenario_options",
    "sweep",
]
