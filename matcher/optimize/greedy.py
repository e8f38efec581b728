"""A greedy baseline: what a careful coordinator would do by hand, fast.

Orders are taken by due date (largest first among equals); each is filled
process by process from the workshops already in its group, then those tied to
them, then those with the most free minutes, respecting eligibility, the
group-size cap, conflicts, time-phased capacity and lots (a workshop takes a
whole lot or more, and leaves at least a lot for the next when it cannot take
all that is left). An order that cannot be
filled in full is rolled back (or, with partial fills allowed, filled with the
most units that fit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from matcher.model import Cluster
from matcher.optimize._explain import choose_leader
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize.options import MatchOptions
from matcher.optimize.result import MatchResult
from matcher.optimize.verify import rule_violations

__all__ = ["greedy_match"]

#: order id -> workshop id -> process -> units
Solution = dict[str, dict[str, dict[str, int]]]


class Ledger:
    """Minutes each workshop has promised, by due date."""

    def __init__(self, problem: MatchProblem) -> None:
        self.problem = problem
        self.used: dict[str, dict[float, float]] = defaultdict(lambda: defaultdict(float))

    def free(self, workshop_id: str, due: float, extra: dict[float, float] | None = None) -> float:
        """Minutes ``workshop_id`` can still give to an order due at ``due``."""
        weekly = self.problem.workshop(workshop_id).available_minutes_per_week
        promised_any = self.used.get(workshop_id)
        if not promised_any and not any((extra or {}).values()):
            return weekly * due  # nothing promised: the order's own due date is the tightest
        used = dict(promised_any or {})
        for d, m in (extra or {}).items():
            used[d] = used.get(d, 0.0) + m
        dues = sorted(set(self.problem.due_dates) | set(used) | {due})
        room = float("inf")
        for horizon in dues:
            if horizon >= due:
                promised = sum(m for d, m in used.items() if d <= horizon)
                room = min(room, weekly * horizon - promised)
        return max(0.0, room)

    def commit(self, solution_for_order: dict[str, dict[str, int]], spec: OrderSpec) -> None:
        minutes = {s.process: s.minutes_per_unit for s in spec.steps}
        for w, units in solution_for_order.items():
            self.used[w][spec.order.due_weeks] += sum(minutes[p] * u for p, u in units.items())

    def fits(self, solution_for_order: dict[str, dict[str, int]], spec: OrderSpec) -> bool:
        """Whether these allocations fit in what each workshop can still give the order."""
        minutes = {s.process: s.minutes_per_unit for s in spec.steps}
        due = spec.order.due_weeks
        return all(
            sum(minutes[p] * u for p, u in units.items()) <= self.free(w, due) + 1e-6
            for w, units in solution_for_order.items()
        )


def _attempt(
    problem: MatchProblem, spec: OrderSpec, quantity: int, ledger: Ledger, first: str | None = None
) -> dict | None:
    """Allocate ``quantity`` units of every step, or None when it cannot; ``first`` is taken
    as a member from the start (it is asked first for every step)."""
    due = spec.order.due_weeks
    group: list[str] = [first] if first is not None else []
    alloc: dict[str, dict[str, int]] = {}
    spent: dict[str, float] = defaultdict(float)
    shops = {w: problem.workshop(w) for w in spec.eligible}
    doers = {s.process: [w for w, shop in shops.items() if s.process in shop.processes] for s in spec.steps}
    neighbours, nobody = problem.neighbours, frozenset[str]()
    lot = max(1, spec.lot)
    if quantity < lot:
        return None
    for step in spec.steps:
        remaining = quantity
        members = set(group)

        def rank(w: str, members: set[str] = members) -> tuple:
            tied = not neighbours.get(w, nobody).isdisjoint(members)
            return (w not in members, not tied, -ledger.free(w, due, {due: spent[w]}), w)

        for w in sorted(doers[step.process], key=rank):
            if remaining == 0:
                break
            if w not in group:
                if spec.cap is not None and len(group) >= spec.cap:
                    continue
                if any(tuple(sorted((w, m))) in problem.conflicts for m in group):
                    continue
            room = ledger.free(w, due, {due: spent[w]})
            take = min(remaining, int(room // step.minutes_per_unit + 1e-9))
            if take < remaining and remaining - take < lot:
                take = remaining - lot  # what is left must still be a whole lot
            if take < lot:
                continue
            if w not in group:
                group.append(w)
            alloc.setdefault(w, {})[step.process] = take
            spent[w] += take * step.minutes_per_unit
            remaining -= take
        if remaining > 0:
            return None
    # The greedy does not plan for the required rules; a group that breaks one is not
    # offered, and it builds no robust groups (with backups) at all.
    if spec.rules.required("robustness"):
        return None
    minutes_of = {s.process: s.minutes_per_unit for s in spec.steps}
    minutes = {w: sum(minutes_of[p] * u for p, u in units.items()) for w, units in alloc.items()}
    leader = choose_leader(problem, sorted(alloc), minutes, spec)
    if rule_violations(problem.cluster, spec.order, spec.rules, minutes, leader, problem.neighbours):
        return None
    return alloc


def greedy_group(
    problem: MatchProblem, spec: OrderSpec, first: str | None = None
) -> dict[str, dict[str, int]]:
    """The greedy baseline's group for ``spec`` alone, filled in full (beginning with ``first``
    when given); ``{}`` when it cannot fill it so. A start for a solver: say, a group
    around a leader."""
    return _attempt(problem, spec, spec.order.quantity, Ledger(problem), first) or {}


def greedy_solution(problem: MatchProblem) -> Solution:
    """Allocations of the greedy baseline for a prepared problem."""
    ledger = Ledger(problem)
    solution: Solution = {}
    for spec in sorted(problem.specs, key=lambda s: (s.order.due_weeks, -s.order.quantity, s.order_id)):
        q = spec.order.quantity
        alloc = _attempt(problem, spec, q, ledger) if q > 0 else None
        if alloc is None and problem.options.allow_partial:
            low, high, best = 0, q - 1, None
            while low < high:  # largest quantity the greedy can place
                mid = (low + high + 1) // 2
                trial = _attempt(problem, spec, mid, ledger)
                if trial is None:
                    high = mid - 1
                else:
                    low, best = mid, trial
            alloc = best
        solution[spec.order_id] = alloc or {}
        if alloc:
            ledger.commit(alloc, spec)
    return solution


def greedy_match(
    cluster: Cluster, order_ids: Iterable[str] | None = None, *, options: MatchOptions | None = None
) -> MatchResult:
    """Groups by the greedy baseline (``solver="greedy"``, no optimality claim).

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> ws = (Workshop("A", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600),)
    >>> c = Cluster(ws, orders=(Order("O1", "tshirt", 100, 1.0),),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> r = greedy_match(c)
    >>> r.orders[0].status, r.orders[0].filled_units, r.verified
    ('filled', 100, True)
    """
    from matcher.optimize.match import finish, prepare

    problem, started = prepare(cluster, order_ids, options or MatchOptions())
    solution = greedy_solution(problem)
    return finish(problem, solution, solver="greedy", status="feasible", phases=(), started=started)
