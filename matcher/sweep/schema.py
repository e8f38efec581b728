"""The shape of a sweep's JSON form, key by key, as ``TypedDict`` classes.

:meth:`matcher.sweep.SweepResult.to_dict` (what ``matcher sweep --json``
prints) returns a :class:`SweepResultDict`, with a :class:`ScenarioRowDict`
per scenario, the baseline first. They are plain dicts at run time; a test
keeps them exactly in step with what ``to_dict`` returns.

Examples
--------
>>> sorted(SweepResultDict.__required_keys__)
['runner', 'scenarios', 'seconds', 'seed', 'time_limit', 'workers']
"""

# No ``from __future__ import annotations``: see matcher.optimize.schema.
from typing import TypedDict

from matcher.optimize.schema import MessageDict

__all__ = ["ScenarioRowDict", "SweepResultDict"]


class ScenarioRowDict(TypedDict):
    """One scenario's row of the comparison table (:class:`~matcher.sweep.ScenarioResult`)."""

    name: str
    """The scenario's name (``baseline`` for the run without changes)."""
    description: str
    """The scenario's description, as the file gives it (empty when it gives none)."""
    status: str
    """``optimal``, ``feasible`` (no proof of optimality; see ``gap``) or ``error`` (see ``reasons``)."""
    gap: float | None
    """How far from the bound on filled units the solution may be (None for an error)."""
    filled_units: int
    """Units the groups make, over every order."""
    units: int
    """Units ordered, over every order."""
    units_vs_baseline: int | None
    """``filled_units`` minus the baseline's (None when this scenario or the baseline is an error)."""
    orders_filled: int
    """Orders filled in full."""
    orders: int
    """Orders matched."""
    groups: int
    """Orders given a group (filled, or in part with partial fills allowed)."""
    members: int
    """Workshops working in the groups (backups left out), summed over groups."""
    unfilled_orders: list[str]
    """The orders not filled in full, in the cluster's order."""
    seconds: float
    """Seconds the matcher's run took (they vary from run to run; nothing else does)."""
    reasons: list[str]
    """Why the scenario could not be run, in English (empty unless ``status`` is ``error``)."""
    reason_messages: list[MessageDict]
    """The same sentences as keys and arguments."""


class SweepResultDict(TypedDict):
    """What :meth:`matcher.sweep.SweepResult.to_dict` returns."""

    scenarios: list[ScenarioRowDict]
    """One row per scenario, in the file's order, after the baseline (no change)."""
    runner: str
    """Where the scenarios ran: ``in-process``, ``processes`` or ``dask``."""
    workers: int
    """Processes of the pool, or workers of the Dask cluster when the sweep began (1 in-process)."""
    seed: int
    """Seed of every matcher run."""
    time_limit: float
    """Seconds each scenario's matcher run could use."""
    seconds: float
    """Wall time of the whole sweep."""
