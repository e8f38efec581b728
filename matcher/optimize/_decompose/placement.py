"""A group for one order: its candidates, the sub-problem on them, the solve and the quick
score of a group.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pulp

from matcher.model import Cluster, Tie, Workshop
from matcher.optimize._decompose.bounds import fewest_members
from matcher.optimize._model import GroupModel, build_model, read_solution, start_values
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import Outcome, run_solver
from matcher.optimize._types import Solution
from matcher.optimize.greedy import greedy_group, greedy_solution
from matcher.optimize.rules import LOAD_WEIGHT, SPECIALISATION_WEIGHT

#: Candidates per order: by free minutes, per process, that can lead, and tied neighbours.
TOP_FREE = 12
TOP_PER_PROCESS = 6
TOP_LEADERS = 6
MAX_CANDIDATES = 60


def alloc_key(alloc: dict[str, dict[str, int]]) -> str:
    """The same text for the same group and units."""
    return repr(sorted((w, sorted(u.items())) for w, u in alloc.items()))


def usage(spec: OrderSpec, alloc: dict[str, dict[str, int]]) -> dict[str, float]:
    minutes = {s.process: s.minutes_per_unit for s in spec.steps}
    return {w: sum(minutes[p] * u for p, u in units.items()) for w, units in alloc.items()}


def rules_score(problem: MatchProblem, spec: OrderSpec, alloc: dict[str, dict[str, int]]) -> float:
    """A group's preferred-rules score, near enough to rank columns (only prices depend on it)."""
    rules, cost = spec.rules, problem.member_cost
    ids = sorted(alloc)
    score = -cost * len(ids) if rules.wanted("small") else 0.0
    if rules.wanted("leader") and any(problem.workshop(w).can_lead for w in ids):
        score += 0.5 * cost
    if rules.wanted("cohesion"):
        score += sum(weight for _, weight in problem.pairs_within(ids))
    if rules.wanted("specialisation"):
        main = sum(problem.workshop(w).products[0] == spec.order.product for w in ids)
        score += SPECIALISATION_WEIGHT * main
    return score


def order_workshops(
    problem: MatchProblem, spec: OrderSpec, free: dict[str, float], keep: list[str]
) -> list[str]:
    """The workshops one order is solved on: most minutes left, per process, leaders, tied neighbours."""
    q = spec.order.quantity
    lot = max(1, spec.lot)
    useful = {}
    for w in spec.eligible:
        room = free[w]
        does = spec.does(problem.workshop(w))
        give = min(room, q * sum(s.minutes_per_unit for s in does))
        if give >= lot * min((s.minutes_per_unit for s in does), default=math.inf):  # a lot of one
            useful[w] = give
    by_room = sorted(useful, key=lambda w: (-useful[w], w))
    chosen: dict[str, None] = dict.fromkeys(w for w in keep if w in useful)
    chosen.update(dict.fromkeys(by_room[:TOP_FREE]))
    for step in spec.steps:
        doers = [w for w in by_room if step.process in problem.workshop(w).processes]
        chosen.update(dict.fromkeys(doers[:TOP_PER_PROCESS]))
    leaders = [w for w in by_room if problem.workshop(w).can_lead]
    chosen.update(dict.fromkeys(leaders[:TOP_LEADERS]))
    for w in list(chosen):
        for v in sorted(problem.neighbours.get(w, ()), key=lambda v: (-useful.get(v, 0.0), v)):
            if len(chosen) >= MAX_CANDIDATES:
                break
            if v in useful:
                chosen[v] = None
    return sorted(list(chosen)[: max(MAX_CANDIDATES, len(keep))])


def sub_problem(
    problem: MatchProblem,
    spec: OrderSpec,
    ids: list[str],
    free: dict[str, float] | None,
    ties_of: dict[str, list[Tie]],
) -> MatchProblem:
    """One order on some workshops, each with ``free`` minutes by the due date (all it has when None)."""
    due = spec.order.due_weeks
    shops: list[Workshop] = []
    for w in ids:
        workshop = problem.workshop(w)
        if free is not None:
            workshop = replace(
                workshop, capacity_minutes_per_week=free[w] / due, committed_minutes_per_week=0.0
            )
        shops.append(workshop)
    inside = set(ids)
    ties = tuple(
        dict.fromkeys(t for w in ids for t in ties_of.get(w, ()) if t.source in inside and t.target in inside)
    )
    cluster = Cluster(tuple(shops), ties, (), (spec.order,), problem.cluster.routings)
    sub_spec = replace(spec, eligible=tuple(sorted(ids)))
    return MatchProblem(cluster, (sub_spec,), problem.options, part_of=problem)


def one_order_model(sub: MatchProblem) -> GroupModel:
    """The full model of the sub-problem's single order, which must be filled in full.

    With lots it also states the fewest members any such group needs
    (:func:`fewest_members`): a valid cut, which lifts the linear relaxation from a
    fraction of a second member to whole ones, so that the solver proves small groups
    sooner. (Without lots the cut is left out: measured on 2,000 workshops x 100 orders,
    the search did better without it.)
    """
    spec = sub.specs[0]
    model = build_model(sub)
    model.prob += model.filled[spec.order_id] >= spec.order.quantity, f"fill_{spec.order_id}"
    fewest = fewest_members(sub, spec) if spec.lot > 1 else None
    if fewest is not None and fewest > 1:
        members = pulp.lpSum(model.member[w, spec.order_id] for w in spec.eligible)
        model.prob += members >= fewest, f"fewest_members_{spec.order_id}"
    model.prob.setObjective(model.preferences())
    return model


def solve_one(
    sub: MatchProblem, solver: str, time_limit: float, seed: int, model: GroupModel | None = None
) -> tuple[dict, Outcome]:
    """The best group for the sub-problem's single order, filled in full; ``{}`` when none."""
    spec = sub.specs[0]
    model = model or one_order_model(sub)
    greedy = _greedy_start(sub)
    start = start_values(model, sub, greedy) if greedy.get(spec.order_id) else None
    outcome = run_solver(model.prob, solver, time_limit=time_limit, seed=seed, start=start)
    if outcome.status not in ("optimal", "feasible"):
        return {}, outcome
    return read_solution(model).get(spec.order_id, {}), outcome


def _greedy_start(sub: MatchProblem) -> Solution:
    """The best greedy group for the sub-problem's single order, a start for its solver.

    The greedy baseline's; or, with lots, when the leader rule is wanted and no member
    of that group can lead, one begun with each of the freest workshops that can lead,
    or made by such a workshop and one of the freest: the baseline does not look for a
    leader, and in whole lots the solver finds a small led group late.
    """
    spec = sub.specs[0]
    o, due = spec.order_id, spec.order.due_weeks
    found = [greedy_solution(sub).get(o, {})]
    leaderless = not any(sub.workshop(w).can_lead for w in found[0])
    if spec.lot > 1 and spec.rules.wanted("leader") and leaderless:
        by_room = sorted(spec.eligible, key=lambda w: (-sub.workshop(w).available_minutes(due), w))
        for lead in [w for w in by_room if sub.workshop(w).can_lead][:TOP_LEADERS]:
            found.append(greedy_group(sub, spec, lead))
            # the leader with one of the freest: the pairs a coordinator would try first
            for other in by_room[:TOP_FREE]:
                if other != lead:
                    found.append(greedy_group(sub, replace(spec, eligible=tuple(sorted((lead, other))))))
    found = [alloc for alloc in found if alloc]
    if not found:
        return {}
    return {o: max(found, key=lambda alloc: rules_score(sub, spec, alloc))}


def alone_bound(model: GroupModel, bound: float) -> float:
    """An order's share of the run's bound from its own model's bound.

    Alone, an order's model charges its own largest utilisation (fairness);
    the run charges the largest over all orders once, which may be less than
    the orders' charges added up: each order's is given back (it is at most
    ``LOAD_WEIGHT``), and the run's, at most 0, left out.
    """
    return bound + (LOAD_WEIGHT if model.max_load is not None else 0.0)
