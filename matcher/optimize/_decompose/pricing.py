"""The minutes the orders share, priced: a Lagrangian bound by column generation over the
groups each order could take.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

import pulp

from matcher.optimize._decompose.bounds import OrderBound, order_bound, preference_bound
from matcher.optimize._decompose.placement import alloc_key, alone_bound, rules_score, solve_one, usage
from matcher.optimize._decompose.singles import whole_order_takers
from matcher.optimize._model import GroupModel
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import run_solver
from matcher.optimize._types import Solution

#: Share of the master's duals in the prices of each round (the rest: the best prices so far).
SMOOTHING = 0.5
#: Single-workshop groups each order brings to the pricing master from the start.
SINGLE_COLUMNS = 6


def lagrangian(
    problem: MatchProblem,
    bounds: dict[str, OrderBound],
    alone: dict[str, tuple[MatchProblem, GroupModel, dict, bool]],
    solution: Solution,
    value: float,
    units: float,
    solver: str,
    *,
    deadline: float,
    seed: int,
) -> tuple[float, int]:
    """A tighter bound on the preferred rules: price the minutes the orders share.

    For prices ``lam[w, d] >= 0`` on the capacity rows (a workshop's minutes
    for the orders due by week d), ``sum(lam * capacity)`` plus, per order, a
    bound on its score minus what its minutes cost at those prices, is a
    bound on the run's score (the phase-1 units priced as in
    :func:`preference_bound`). An order's priced bound is its exact model's,
    with the prices in the objective, when it was solved alone; else
    :func:`order_bound` with prices. The prices are the duals of a master
    linear program choosing among the groups known for each order (column
    generation: each round adds the groups that the priced orders found).
    Returns the best bound and the number of rounds.
    """
    specs = [s for s in problem.specs if bounds[s.order_id].fillable is not False]
    by_id = {s.order_id: s for s in specs}
    eligible = {s.order_id: set(s.eligible) for s in specs}
    columns: dict[str, dict[str, tuple[float, dict[str, float]]]] = {s.order_id: {} for s in specs}

    def add(spec: OrderSpec, alloc: dict[str, dict[str, int]]) -> bool:
        if not alloc:
            return False
        key = alloc_key(alloc)
        if key in columns[spec.order_id]:
            return False
        columns[spec.order_id][key] = (rules_score(problem, spec, alloc), usage(spec, alloc))
        return True

    base = {s.order_id: bounds[s.order_id].best for s in specs}
    proved = {o for o, (_, _, _, optimal) in alone.items() if optimal}
    for spec in specs:
        add(spec, solution.get(spec.order_id, {}))
        if spec.order_id in alone:
            add(spec, alone[spec.order_id][2])
        # Workshops that could take the order alone are its cheapest alternatives:
        # known to the master from the start, they keep its first prices honest.
        for w in whole_order_takers(problem, spec)[:SINGLE_COLUMNS]:
            add(spec, {w: {st.process: spec.order.quantity for st in spec.steps}})
    best_bound, rounds = math.inf, 0
    center: dict[tuple[str, float], float] = {}
    smooth = SMOOTHING
    while time.perf_counter() < deadline:
        rounds += 1
        master = pulp.LpProblem("prices", pulp.LpMaximize)
        rows: dict[tuple[str, float], list] = defaultdict(list)
        pick, kept = {}, []
        for o, cols in columns.items():
            spec = by_id[o]
            mine = []
            for n, (key, (_, used)) in enumerate(sorted(cols.items())):
                x = master.add_variable(f"x_{o}_{n}", 0, 1)
                pick[o, key] = x
                mine.append(x)
                kept.append(spec.priority * spec.order.quantity * x)
                for w, minutes in used.items():
                    for d in problem.due_dates:
                        if d >= spec.order.due_weeks:
                            rows[w, d].append(minutes * x)
            master += pulp.lpSum(mine) <= 1, f"one_group_{o}"
        master += pulp.lpSum(kept) >= units - 1e-6, "keep_units"
        names = {}
        for n, ((w, d), terms) in enumerate(sorted(rows.items())):
            names[f"capacity_{n}"] = (w, d)
            master += pulp.lpSum(terms) <= problem.workshop(w).available_minutes(d), f"capacity_{n}"
        master.setObjective(pulp.lpSum(columns[o][key][0] * x for (o, key), x in pick.items()))
        run_solver(master, solver, time_limit=max(0.05, deadline - time.perf_counter()), seed=seed)
        lam = {}
        for name, key in names.items():
            # A <= row of a maximisation has a dual >= 0; PuLP's sign depends on the solver.
            dual = abs(master.get_constraint_by_name(name).pi or 0.0)
            if dual > 1e-12:
                lam[key] = dual
        # Smoothing (Wentges): early duals overprice what few columns make look scarce;
        # step halfway from the best prices so far instead.
        lam = {
            k: r
            for k in set(lam) | set(center)
            if (r := smooth * lam.get(k, 0.0) + (1 - smooth) * center.get(k, 0.0)) > 1e-12
        }
        total, added = sum(r * problem.workshop(w).available_minutes(d) for (w, d), r in lam.items()), 0
        priced = []
        for spec in specs:
            o = spec.order_id
            price: dict[str, float] = {}
            for (w, d), r in lam.items():
                if d >= spec.order.due_weeks and w in eligible[o]:
                    price[w] = price.get(w, 0.0) + r
            bound = base[o]
            if time.perf_counter() > deadline:
                pass  # out of time: the unpriced bound still holds for the rest of this round
            elif o in alone and (price or o not in proved):
                # Solved again: at the prices, or (unpriced) with more time, as it was not proved.
                sub, model, _, _ = alone[o]
                charge = pulp.lpSum(
                    price[w] * st.minutes_per_unit * var
                    for (w, _, p), var in model.units.items()
                    if w in price
                    for st in spec.steps
                    if st.process == p
                )
                model.prob.setObjective(model.preferences() - charge)
                left = max(0.05, min(2.0, deadline - time.perf_counter()))
                alloc, outcome = solve_one(sub, solver, left, seed, model)
                model.prob.setObjective(model.preferences())
                if outcome.bound is not None:
                    bound = min(bound, alone_bound(model, outcome.bound))
                    if not price:
                        base[o] = bound
                        if outcome.status == "optimal":
                            proved.add(o)
                added += add(spec, alloc)
            elif price:
                ob = order_bound(problem, spec, price)
                bound = min(bound, ob.best)
                if ob.single:
                    added += add(spec, {ob.single: {st.process: spec.order.quantity for st in spec.steps}})
            # Prices only lower what an order can reach: its unpriced bound still holds.
            priced.append((spec.priority * spec.order.quantity, bound))
        lagrange = preference_bound(priced, units) + total

        if lagrange < best_bound:
            best_bound, center = lagrange, lam
        if best_bound - value <= 1e-6 * max(1.0, abs(best_bound)):
            break
        if not added:
            if smooth == 1.0:
                break  # no order gains from a new group at the master's own prices
            smooth = 1.0
        else:
            smooth = SMOOTHING
    return best_bound, rounds
