"""Workshops that could take an order alone: their value, scores, and the choice of one
such workshop per order among those that fit.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pulp

from matcher.optimize._ledger import Ledger
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import Outcome, run_solver
from matcher.optimize.rules import RULES, SHARE_WEIGHT, SPECIALISATION_WEIGHT


def best_single(
    problem: MatchProblem,
    spec: OrderSpec,
    leader: float,
    special: float,
    cost: float,
    price: dict[str, float] | None = None,
) -> tuple[float, str | None]:
    """The most a single workshop taking the whole order can add beside its member cost, and which.

    ``price`` (workshop -> per minute) is subtracted for the minutes it gives.
    """
    order = spec.order
    need = {s.process: order.quantity * s.minutes_per_unit for s in spec.steps}
    minutes = sum(need.values())
    best, who = -math.inf, None
    for w in spec.eligible:
        shop = problem.workshop(w)
        if not all(p in shop.processes for p in need):
            continue
        if minutes > shop.available_minutes(order.due_weeks) + 1e-9:
            continue
        value = _single_value(problem, spec, w, leader, special, cost)
        if price:
            value -= price.get(w, 0.0) * minutes
        if value > best:
            best, who = value, w
    return best, who


def _single_value(
    problem: MatchProblem, spec: OrderSpec, w: str, leader: float, special: float, cost: float
) -> float:
    """The most workshop ``w`` taking the whole order alone adds beside its member cost."""
    shop = problem.workshop(w)
    value = cost + (leader if shop.can_lead else 0.0)
    value += special if shop.products[0] == spec.order.product else 0.0
    if spec.rules.wanted("fairness"):
        value -= SHARE_WEIGHT  # it gives all the minutes
    return value


def whole_order_takers(problem: MatchProblem, spec: OrderSpec) -> list[str]:
    """Workshops that can take the whole order alone: those that can lead first, then by free minutes."""
    order = spec.order
    minutes = order.quantity * sum(s.minutes_per_unit for s in spec.steps)
    able = [
        w
        for w in spec.eligible
        if all(s.process in problem.workshop(w).processes for s in spec.steps)
        and problem.workshop(w).available_minutes(order.due_weeks) >= minutes - 1e-9
    ]
    return sorted(
        able,
        key=lambda w: (
            not problem.workshop(w).can_lead,
            -problem.workshop(w).available_minutes(order.due_weeks),
            w,
        ),
    )


def alone_scores(problem: MatchProblem, spec: OrderSpec) -> dict[str, float]:
    """Each workshop that can take the whole order alone, and the most it scores so (none when
    the order needs more than one member)."""
    rules = spec.rules
    if rules.min_group_size > 1:
        return {}
    cost = problem.member_cost
    small = -cost if rules.wanted("small") else 0.0
    leader = 0.5 * cost if rules.wanted("leader") else 0.0
    special = SPECIALISATION_WEIGHT if rules.wanted("specialisation") else 0.0
    cost_term = -1.0 if rules.wanted("cost") and problem.cheapest_cost(spec) > 0 else 0.0
    return {
        w: small + _single_value(problem, spec, w, leader, special, cost_term)
        for w in sorted(whole_order_takers(problem, spec))
    }


def sure_single(
    problem: MatchProblem, spec: OrderSpec, best: float, ledger: Ledger, scores: dict[str, float]
) -> dict[str, dict[str, int]]:
    """A workshop taking the whole order alone and scoring the order's bound (no group scores
    more), among those with minutes left for it: the one with the fewest (the larger stay for
    orders that need them). ``{}`` when there is none, or when a rule is required (the
    order's own model checks them)."""
    rules = spec.rules
    if any(rules.required(rule) for rule in RULES):
        return {}
    due = spec.order.due_weeks
    minutes = spec.order.quantity * sum(s.minutes_per_unit for s in spec.steps)
    room = {w: ledger.free(w, due) for w, value in scores.items() if value >= best - 1e-9}
    fits = sorted((left, w) for w, left in room.items() if left >= minutes - 1e-9)
    if not fits:
        return {}
    return {fits[0][1]: {st.process: spec.order.quantity for st in spec.steps}}


def _most_that_fit(minutes: list[float], room: float) -> int:
    """How many of ``minutes`` (sorted, smallest first) fit in ``room`` together, at most.

    Examples
    --------
    >>> _most_that_fit([100.0, 150.0, 400.0], 300.0)
    2
    """
    total, count = 0.0, 0
    for m in minutes:
        total += m
        if total > room + 1e-9:
            break
        count += 1
    return count


def choose_columns(
    problem: MatchProblem,
    columns: dict[str, list[tuple[float, dict[str, float]]]],
    units: float,
    solver: str,
    *,
    time_limit: float,
    seed: int,
    relax: bool = False,
    start: dict[str, int] | None = None,
) -> tuple[dict[str, int], Outcome]:
    """At most one column per order, the most score, keeping ``units`` and the workshops' minutes.

    ``columns`` holds, per order, (score, workshop -> minutes) pairs; the
    minutes of the orders due by each due date fit in what each workshop has
    by then, as in the full model. Returns the chosen column of each order
    (by index) and the solver's outcome. With ``relax`` the choices may be
    fractions (a linear program: its optimum bounds the choice; nothing is
    chosen). ``start`` (order -> column index) is a feasible choice the
    solver begins from: what it returns is never worse.

    Beside each workshop's minutes, a row caps how many columns may use it by
    a due date: no more than the most of its smallest uses that fit in its
    minutes. Whole choices obey it anyway; fractional ones are cut much
    closer to them (a workshop with room for one and a half orders serves one).
    """
    specs = {s.order_id: s for s in problem.specs}
    prob = pulp.LpProblem("columns", pulp.LpMaximize)
    pick: dict[tuple[str, int], pulp.LpVariable] = {}
    uses: dict[str, list[tuple[float, float, pulp.LpVariable]]] = defaultdict(list)
    kept, score = [], []
    for o, cols in sorted(columns.items()):
        spec = specs[o]
        mine = []
        for n, (value, used) in enumerate(cols):
            x = prob.add_variable(f"pick_{o}_{n}", 0, 1, cat=pulp.LpContinuous if relax else pulp.LpBinary)
            pick[o, n] = x
            mine.append(x)
            kept.append(spec.priority * spec.order.quantity * x)
            score.append(value * x)
            for w, minutes in used.items():
                uses[w].append((spec.order.due_weeks, minutes, x))
        prob += pulp.lpSum(mine) <= 1, f"one_column_{o}"
    prob += pulp.lpSum(kept) >= units - 1e-6, "keep_units"
    for w, terms in sorted(uses.items()):
        for d in problem.due_dates:
            inside = [(m, x) for due, m, x in terms if due <= d and m > 1e-9]
            room = problem.workshop(w).available_minutes(d)
            if sum(m for m, _ in inside) > room + 1e-9:  # else the row cannot bind
                prob += pulp.lpSum(m * x for m, x in inside) <= room, f"capacity_{w}_by_week_{d:g}"
                most = _most_that_fit(sorted(m for m, _ in inside), room)
                prob += pulp.lpSum(x for _, x in inside) <= most, f"uses_{w}_by_week_{d:g}"
    prob.setObjective(pulp.lpSum(score))
    begin = {pick[o, n].name: 1.0 for o, n in (start or {}).items() if (o, n) in pick}
    outcome = run_solver(prob, solver, time_limit=time_limit, seed=seed, start=begin or None)
    chosen = {}
    if relax:
        return chosen, outcome
    if outcome.status in ("optimal", "feasible"):
        chosen = {o: n for (o, n), x in pick.items() if round(x.value() or 0.0) == 1}
    return chosen, outcome
