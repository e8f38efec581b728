"""A greedy baseline: what a careful coordinator would do by hand, fast.

Orders are taken by due date (largest first among equals); each is filled
process by process from the workshops already in its group, then those tied to
them, then those with the most free minutes, respecting eligibility, the
group-size cap, conflicts, time-phased capacity and lots (a workshop takes a
whole lot or more, and leaves at least a lot for the next when it cannot take
all that is left). An order that cannot be
filled in full is rolled back (or, with partial fills allowed, filled with the
most units that fit).

:func:`greedy_solution` places every order against one capacity ledger
(:mod:`matcher.optimize._ledger`); :func:`greedy_group` fills one order alone,
a start for a solver. :func:`matcher.optimize.greedy_match` gives the greedy
groups checked and explained.
"""

from __future__ import annotations

from collections import defaultdict

from matcher.optimize._explain import choose_leader
from matcher.optimize._ledger import Ledger
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._types import Solution
from matcher.optimize.verify import rule_violations

__all__ = ["greedy_group", "greedy_solution"]


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
