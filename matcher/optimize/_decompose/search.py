"""Better groups from those found: the neighbourhood search (an order's group solved again
with the others' minutes taken) and the best mix of known groups.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace

from matcher.optimize._decompose.bounds import OrderBound
from matcher.optimize._decompose.placement import TOP_FREE, alloc_key, order_workshops, rules_score, usage
from matcher.optimize._decompose.singles import choose_columns
from matcher.optimize._ledger import Ledger
from matcher.optimize._model import build_model, read_solution, start_values
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import run_solver
from matcher.optimize._types import Solution


def improve_solution(
    problem: MatchProblem,
    solution: Solution,
    bounds: dict[str, OrderBound],
    solver: str,
    *,
    deadline: float,
    seed: int,
    known: Solution | None = None,
) -> tuple[Solution, int]:
    """Large-neighbourhood search: free an order with more members than it needs and the
    orders holding the workshops it would want, and solve them again together.

    Each step solves the full model restricted to the freed orders' candidates
    (the other orders that use those workshops keep their units), starting
    from the groups it replaces; its groups are taken when they score more
    than the groups they replace, or as much when the solver proves them
    optimal there. The workshops an order would want are its best candidates
    and the members of its group in ``known`` (its best group alone). Passes
    over the orders repeat while one changes something and time is left.
    Returns the solution and the number of steps that changed it.
    """
    specs = {s.order_id: s for s in problem.specs}

    def leaderless(o: str) -> bool:
        return specs[o].rules.wanted("leader") and not any(problem.workshop(w).can_lead for w in solution[o])

    changed, passes, before = 0, 0, -1
    while changed > before and time.perf_counter() < deadline - 0.2:
        before, passes = changed, passes + 1
        targets = sorted(
            (o for o, alloc in solution.items() if len(alloc) > bounds[o].fewest or leaderless(o)),
            key=lambda o: (
                bounds[o].fewest - len(solution[o]),
                not leaderless(o),
                specs[o].order.due_weeks,
                o,
            ),
        )
        solution, changed = _improve_pass(
            problem, solution, targets, specs, changed, solver, deadline=deadline, seed=seed, known=known
        )
    return solution, changed


def _improve_pass(
    problem: MatchProblem,
    solution: Solution,
    targets: list[str],
    specs: dict[str, OrderSpec],
    changed: int,
    solver: str,
    *,
    deadline: float,
    seed: int,
    known: Solution | None = None,
) -> tuple[Solution, int]:
    """One pass of :func:`improve_solution` over ``targets``."""
    for o in targets:
        if time.perf_counter() > deadline - 0.2:
            break
        spec = specs[o]
        full = {w: problem.workshop(w).available_minutes(spec.order.due_weeks) for w in spec.eligible}
        wanted = set(order_workshops(problem, spec, full, sorted(solution[o]))[:TOP_FREE])
        wanted |= set((known or {}).get(o, {}))
        overlap: dict[str, int] = defaultdict(int)
        for other, alloc in solution.items():
            if other != o:
                overlap[other] += len(wanted & set(alloc))
        blockers = sorted((b for b, n in overlap.items() if n), key=lambda b: (-overlap[b], b))[:5]
        freed = [o, *blockers]
        ledger = Ledger(problem)
        for other, alloc in solution.items():
            if other not in freed:
                ledger.commit(alloc, specs[other])
        eligible = {}
        for f in freed:
            fs = specs[f]
            free = {w: ledger.free(w, fs.order.due_weeks) for w in fs.eligible}
            eligible[f] = order_workshops(problem, fs, free, sorted(solution[f]))
        if o == freed[0]:
            eligible[o] = sorted(set(eligible[o]) | wanted)
        touched = {w for ids in eligible.values() for w in ids}
        fixed = [b for b, alloc in solution.items() if b not in freed and touched & set(alloc)]
        sub_specs = tuple(
            replace(specs[f], eligible=tuple(eligible[f] if f in eligible else sorted(solution[f])))
            for f in [*freed, *fixed]
        )
        sub = MatchProblem(problem.cluster, sub_specs, problem.options, part_of=problem)
        model = build_model(sub)
        for s in sub_specs:
            model.prob += model.filled[s.order_id] >= s.order.quantity, f"keep_{s.order_id}"
        for (w, b, p), var in model.units.items():
            if b in fixed:
                var.lowBound = var.upBound = solution[b].get(w, {}).get(p, 0)
        model.prob.setObjective(model.preferences())
        start = start_values(model, sub, {f: solution[f] for f in [*freed, *fixed]})
        left = deadline - time.perf_counter()
        outcome = run_solver(model.prob, solver, time_limit=max(0.05, min(2.0, left)), seed=seed, start=start)
        if outcome.status not in ("optimal", "feasible"):
            continue
        found = read_solution(model)
        new = {f: found.get(f, {}) for f in freed}
        if not all(new.values()) or all(new[f] == solution[f] for f in freed):
            continue
        # Scored by the same model against the groups it replaces: a proved optimum may
        # move sideways (equal score: a new start for the next orders), anything else
        # must be better. Only a better score counts as a step, so passes end.
        for (w, b, p), var in model.units.items():
            var.lowBound = var.upBound = solution[b].get(w, {}).get(p, 0)
        current = run_solver(model.prob, solver, time_limit=max(0.05, min(2.0, left)), seed=seed)
        if current.status != "optimal":
            continue
        better = (outcome.value or 0.0) > (current.value or 0.0) + 1e-6
        if better or outcome.status == "optimal":
            solution = {**solution, **new}
            changed += better
    return solution, changed


def recombine(
    problem: MatchProblem,
    pool: dict[str, list[dict[str, dict[str, int]]]],
    units: float,
    solver: str,
    *,
    time_limit: float,
    seed: int,
    start: Solution | None = None,
) -> Solution:
    """The best mix of known groups: one group (or none) from each order's ``pool``.

    Groups are scored by :func:`rules_score`, and must keep ``units`` and fit in
    the workshops' minutes together (see :func:`choose_columns`); ``{}``
    when the solver finds no mix. ``start``, a solution whose groups are all
    in the pool, is where the solver begins.
    """
    specs = {s.order_id: s for s in problem.specs}
    groups: dict[str, list[dict[str, dict[str, int]]]] = {}
    columns: dict[str, list[tuple[float, dict[str, float]]]] = {}
    begin: dict[str, int] = {}
    for o, allocs in pool.items():
        keys = {alloc_key(a): a for a in allocs if a}
        unique = list(keys.values())
        if unique:
            groups[o] = unique
            columns[o] = [(rules_score(problem, specs[o], a), usage(specs[o], a)) for a in unique]
            if start and start.get(o) and alloc_key(start[o]) in keys:
                begin[o] = list(keys).index(alloc_key(start[o]))
    chosen, _ = choose_columns(problem, columns, units, solver, time_limit=time_limit, seed=seed, start=begin)
    return {o: groups[o][n] for o, n in chosen.items()}
