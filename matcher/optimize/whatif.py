"""The smallest changes that would let an unfilled order be filled, each checked by solving.

For an order left unfilled (or partly filled), the other orders keep their
groups: each workshop offers the minutes it still has free by the order's due
date once their allocations are counted. Then single changes are tried, each
by solving the order's model again:

- a later due date (the earliest whole week that works);
- a larger group-size cap (the smallest that works);
- one more territory allowed (each that works alone);
- a lower minimum quality, or formality not required;
- one conflict pair set aside (each conflict among eligible workshops whose
  removal alone would make a group possible);
- one required rule relaxed to preferred;
- a smaller lot (the largest that works; 0 when only lots of any size do).

Only changes the solver confirms are reported; a change it cannot settle in
the time given is left out, never guessed.

For a filled order whose group is not linked through ties among its members,
:func:`connected_alternative` finds, the same way, the smallest group that is
(cohesion required) and could take the order instead.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any

import pulp

from matcher.messages import change_message
from matcher.model import CONFLICT, Cluster, Order
from matcher.optimize._model import build_model
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import run_solver
from matcher.optimize.options import MatchOptions
from matcher.optimize.schema import ChangeDict, ConnectedAlternativeDict

__all__ = ["Change", "ConnectedAlternative", "connected_alternative", "suggest_changes"]

#: Seconds one check may take.
CHECK_SECONDS = 2.0
#: Most territories and conflicts tried one by one.
MAX_TRIES = 8


@dataclass(frozen=True)
class Change:
    """One change that, on its own, lets the order be filled in full."""

    #: due_weeks | max_group_size | territory | min_quality | require_formal | conflict | rule | min_lot
    kind: str
    value: Any
    text: str

    def to_dict(self) -> ChangeDict:
        return {"kind": self.kind, "value": self.value, "text": self.text}


def _change(kind: str, value: Any) -> Change:
    """A change with its words (:func:`matcher.messages.change_message`)."""
    return Change(kind, value, change_message(kind, value).text)


def _free_by(problem: MatchProblem, solution: dict, spec: OrderSpec, due: float) -> dict[str, float]:
    """Minutes each workshop could still give an order due at ``due``, the other groups kept."""
    promised: dict[str, list[tuple[float, float]]] = {}
    for other in problem.specs:
        if other is spec:
            continue
        minutes = {s.process: s.minutes_per_unit for s in other.steps}
        for w, units in solution.get(other.order_id, {}).items():
            used = sum(minutes[p] * u for p, u in units.items())
            if used:
                promised.setdefault(w, []).append((other.order.due_weeks, used))
    free = {}
    for workshop in problem.cluster.workshops:
        weekly = workshop.available_minutes_per_week
        uses = promised.get(workshop.workshop_id, [])
        horizons = sorted({d for d, _ in uses if d >= due} | {due})
        free[workshop.workshop_id] = max(
            0.0, min(weekly * h - sum(m for d, m in uses if d <= h) for h in horizons)
        )
    return free


class _Checker:
    def __init__(self, problem: MatchProblem, solution: dict, spec: OrderSpec, solver: str, budget: float):
        self.problem, self.solution, self.spec, self.solver = problem, solution, spec, solver
        self.deadline = time.perf_counter() + budget

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def single(
        self, order: Order, cluster: Cluster | None = None, options: MatchOptions | None = None
    ) -> MatchProblem:
        """The order alone, on the minutes the other orders' groups leave free by its due date."""
        base = cluster or self.problem.cluster
        free = _free_by(self.problem, self.solution, self.spec, order.due_weeks)
        workshops = tuple(
            replace(
                w,
                capacity_minutes_per_week=free.get(w.workshop_id, 0.0) / order.due_weeks,
                committed_minutes_per_week=0.0,
            )
            for w in base.workshops
        )
        alone = Cluster(workshops, ties=base.ties, orders=(order,), routings=base.routings)
        opts = replace(options or self.problem.options, allow_partial=False, priorities={})
        opts = replace(opts, order_rules={k: v for k, v in opts.order_rules.items() if k == order.order_id})
        return MatchProblem.build(alone, (order,), opts)

    def fills(
        self, order: Order, cluster: Cluster | None = None, options: MatchOptions | None = None
    ) -> bool | None:
        """True when the order, changed, can be filled in full; None when undecided in time."""
        seconds = min(CHECK_SECONDS, self.left())
        if seconds <= 0.05:
            return None
        single = self.single(order, cluster, options)
        if not single.specs[0].eligible:
            return False
        model = build_model(single)
        outcome = run_solver(model.prob, self.solver, time_limit=seconds, seed=single.options.seed)
        if outcome.status in ("optimal", "feasible") and (outcome.value or 0) >= order.quantity - 0.5:
            return True
        if outcome.status in ("optimal", "infeasible"):
            return False
        return None


def _earliest(check, low: int, high: int) -> int | None:
    """The smallest value in (low, high] for which ``check`` is True, if ``check(high)`` is."""
    if check(high) is not True:
        return None
    while high - low > 1:
        mid = (low + high) // 2
        result = check(mid)
        if result is None:
            return high
        if result:
            high = mid
        else:
            low = mid
    return high


def suggest_changes(
    problem: MatchProblem, solution: dict, spec: OrderSpec, *, solver: str, budget: float
) -> list[Change]:
    """Single changes that would let ``spec``'s order be filled, each confirmed by solving."""
    order, cluster = spec.order, problem.cluster
    checker = _Checker(problem, solution, spec, solver, budget)
    found: list[Change] = []
    due = order.due_weeks
    latest = max(math.ceil(due) * 4, math.ceil(due) + 8)
    week = _earliest(lambda w: checker.fills(replace(order, due_weeks=float(w))), math.floor(due), latest)
    if week is not None and week > due:
        found.append(_change("due_weeks", week))
    if spec.cap is not None:
        most = len([w for w in cluster.workshops if order.product in w.products])
        if most > spec.cap:
            cap = _earliest(lambda k: checker.fills(replace(order, max_group_size=k)), spec.cap, most)
            if cap is not None:
                found.append(_change("max_group_size", cap))
    if order.territories:
        others = sorted(
            {w.territory for w in cluster.workshops if order.product in w.products} - set(order.territories)
        )
        for territory in others[:MAX_TRIES]:
            if checker.fills(replace(order, territories=(*order.territories, territory))):
                found.append(_change("territory", territory))
    if order.min_quality > 1:
        lower = order.min_quality - 1
        if checker.fills(replace(order, min_quality=lower)):
            found.append(_change("min_quality", lower))
    if order.require_formal and checker.fills(replace(order, require_formal=False)):
        found.append(_change("require_formal", False))
    conflicts = problem.conflicts_within(spec.eligible)
    for a, b in conflicts[:MAX_TRIES]:
        ties = tuple(t for t in cluster.ties if not (t.kind == CONFLICT and t.pair == (a, b)))
        if checker.fills(order, replace(cluster, ties=ties)):
            found.append(_change("conflict", [a, b]))
    for rule in ("cohesion", "leader", "robustness", "homogeneity", "fairness", "specialisation", "small"):
        if spec.rules.required(rule):
            relaxed = dict(problem.options.order_rules.get(order.order_id, {}))
            relaxed[rule] = "preferred"
            options = replace(problem.options, order_rules={order.order_id: relaxed})
            if checker.fills(order, options=options):
                found.append(_change("rule", rule))
    if spec.rules.min_group_size > 1:
        options = replace(
            problem.options,
            order_rules={
                order.order_id: {**problem.options.order_rules.get(order.order_id, {}), "min_group_size": 1}
            },
        )
        if checker.fills(order, options=options):
            found.append(_change("rule", "min_group_size"))
    if spec.lot > 1:
        lot = _largest_lot(problem, order, checker, spec.lot)
        if lot is not None:
            found.append(_change("min_lot", lot))
    return found


def _largest_lot(problem: MatchProblem, order: Order, checker: _Checker, lot: int) -> int | None:
    """The largest lot below ``lot`` with which the order can be filled (0: only lots of any size).

    None when no smaller lot helps or the time runs out before one is proved
    to. A smaller lot only ever allows more groups, so the search bisects.
    """
    changes = problem.options.order_rules.get(order.order_id, {})

    def fills_with(smaller: int) -> bool | None:
        options = replace(problem.options, order_rules={order.order_id: {**changes, "min_lot": smaller}})
        return checker.fills(order, options=options)

    # Lots of 1 are no lots (units are whole): search the cut below ``lot`` from 1 up.
    cut = _earliest(lambda k: fills_with(lot - k), 0, lot - 1)
    if cut is None:
        return None
    return 0 if lot - cut <= 1 else lot - cut


@dataclass(frozen=True)
class ConnectedAlternative:
    """What solving found out about a group linked by ties that could take an order.

    ``status`` is ``found`` (a group of ``size`` members; ``smallest`` when
    solving proved that no smaller one exists), ``none`` (solving proved that
    no group linked by ties can fill the order) or ``unknown`` (the time ran
    out before either was known).

    Examples
    --------
    >>> ConnectedAlternative("found", 6, smallest=True).to_dict()
    {'size': 6, 'smallest': True}
    >>> ConnectedAlternative("none").to_dict() is None
    True
    """

    status: str  # found | none | unknown
    size: int | None = None
    smallest: bool = False

    def to_dict(self) -> ConnectedAlternativeDict | None:
        """``orders[].cohesion.connected_alternative``: the size found, or None when none exists.

        An ``unknown`` answer has no JSON form: the key is left out.
        """
        if self.status == "unknown":
            raise ValueError("an unknown alternative is left out of the JSON, not written")
        return None if self.status == "none" else {"size": self.size, "smallest": self.smallest}


def connected_alternative(
    problem: MatchProblem, solution: dict, spec: OrderSpec, *, solver: str, budget: float
) -> ConnectedAlternative:
    """The smallest group linked by ties that could fill ``spec``'s order instead of its group.

    The order is solved again on its own with cohesion required (every member
    reaches every other through positive ties among the members), its other
    rules, lots and group-size limit kept, on the minutes the other orders'
    groups of ``solution`` leave free by its due date: a group found could
    replace the proposed one without taking minutes from another order. The
    size is found by bisection on a cap on the number of members (backups
    included), each step one solve: first at the order's size limit (a group
    there, or proof that none exists), then below the size found.

    Parameters
    ----------
    problem : MatchProblem
    solution : dict
        The run's allocations (order -> workshop -> process -> units).
    spec : OrderSpec
        The order, one of ``problem.specs``.
    solver : {"highs", "cbc"}
    budget : float
        Seconds in all; an answer not settled by then is ``unknown``, or a
        size not proved smallest.

    Returns
    -------
    ConnectedAlternative
    """
    order = spec.order
    checker = _Checker(problem, solution, spec, solver, budget)
    rules = {**problem.options.order_rules.get(order.order_id, {}), "cohesion": "required"}
    single = checker.single(order, options=replace(problem.options, order_rules={order.order_id: rules}))
    alone = single.specs[0]
    if not alone.eligible:
        return ConnectedAlternative("none")

    def members_within(cap: int) -> int | None:
        """Members of a linked group of at most ``cap`` that fills the order; 0 when proved none."""
        seconds = checker.left()
        if seconds <= 0.05:
            return None
        model = build_model(single)
        model.prob += pulp.lpSum(model.member.values()) <= cap, f"alternative_size_{order.order_id}"
        outcome = run_solver(model.prob, solver, time_limit=seconds, seed=single.options.seed)
        if outcome.status in ("optimal", "feasible") and (outcome.value or 0) >= order.quantity - 0.5:
            return sum(round(v.value() or 0) for v in model.member.values())
        if outcome.status in ("optimal", "infeasible"):
            return 0
        return None

    limit = len(alone.eligible) if alone.cap is None else min(alone.cap, len(alone.eligible))
    found = members_within(limit)
    if found is None:
        return ConnectedAlternative("unknown")
    if found == 0:
        return ConnectedAlternative("none")
    low, high = alone.rules.min_group_size - 1, found  # no group of low or fewer; one of high
    while high - low > 1:
        mid = (low + high) // 2
        within = members_within(mid)
        if within is None:
            return ConnectedAlternative("found", high, smallest=False)
        if within:
            high = within
        else:
            low = mid
    return ConnectedAlternative("found", high, smallest=True)
