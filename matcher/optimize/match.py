"""Groups for orders: prepare, model, solve lexicographically, explain, verify.

Phase 1 maximises the filled units of all orders together. Phase 2 keeps that
many units and asks for the smallest groups and, among groups that small, the
most cohesive: the weight of tied pairs inside groups (per distinct positive
kind joining a pair, its strongest tie over 5).
Phase 1 may use up to 60% of the time limit; phase 2 the rest. The greedy
baseline is always computed too: if the solver has no solution when time runs
out, or a worse one, the greedy groups are shown — as ``feasible`` with the
solver's bound and the resulting gap, never silently. :func:`greedy_match`
gives the greedy groups alone (checked and explained the same way).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from matcher.errors import SolverFailed
from matcher.model import Cluster
from matcher.optimize._decompose import decompose
from matcher.optimize._model import build_model, objective_value, read_solution, start_values
from matcher.optimize._pipeline import finish, prepare
from matcher.optimize._problem import MatchProblem
from matcher.optimize._solve import Outcome, relative_gap, resolve_solver, run_solver
from matcher.optimize.greedy import greedy_solution
from matcher.optimize.options import MatchOptions
from matcher.optimize.result import MatchResult, PhaseResult

__all__ = ["greedy_match", "solve_orders"]

PHASE1_SHARE = 0.6
#: Above this many eligible (workshop, order) pairs, ``auto`` decomposes the run.
FULL_MODEL_LIMIT = 500
#: Share of a decomposed run's time limit kept for assembling and verifying its groups.
FINISH_SHARE = 0.04


def _phase(name: str, outcome: Outcome) -> PhaseResult:
    status = outcome.status if outcome.status in {"optimal", "feasible"} else "no solution"
    return PhaseResult(name, status, outcome.value, outcome.bound, outcome.gap, outcome.seconds)


def solve_orders(
    cluster: Cluster, order_ids: Iterable[str] | None = None, *, options: MatchOptions | None = None
) -> MatchResult:
    """Propose a group for each order, proving how good the answer is.

    Parameters
    ----------
    cluster : Cluster
    order_ids : iterable of str, optional
        The orders to match together (they share the workshops' minutes);
        all orders of the cluster when omitted.
    options : MatchOptions, optional

    Returns
    -------
    MatchResult
        Verified groups, per-order reasons and the run's honest status.

    Examples
    --------
    Two workshops, one order that needs both (each sews 100 shirts a week):

    >>> from matcher.model import Cluster, Order, RoutingStep, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600,
    ...                     can_lead=(w == "B")) for w in "AB")
    >>> c = Cluster(ws, ties=(Tie("A", "B", "kinship"),), orders=(Order("O1", "tshirt", 200, 1.0),),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> r = solve_orders(c, options=MatchOptions(time_limit=10))
    >>> r.status, r.orders[0].status, [m.workshop_id for m in r.orders[0].group], r.orders[0].leader_id
    ('optimal', 'filled', ['A', 'B'], 'B')
    """
    options = options or MatchOptions()
    problem, started = prepare(cluster, order_ids, options)
    solver = resolve_solver(options.solver)
    method, why = _method(problem)
    if method == "decompose":
        return _solve_decomposed(problem, solver, started)
    return _solve_full(problem, solver, started, (why,) if why else ())


def _method(problem: MatchProblem) -> tuple[str, str | None]:
    """``full`` or ``decompose`` for this run, and why ``full`` when decomposing was asked."""
    options = problem.options
    pairs = sum(len(spec.eligible) for spec in problem.specs)
    robust = any(spec.rules.wanted("robustness") for spec in problem.specs)
    if options.method == "full" or (options.method == "auto" and pairs <= FULL_MODEL_LIMIT):
        return "full", None
    if options.allow_partial or robust:
        what = "partial fills" if options.allow_partial else "robustness"
        why = f"the run is solved as one model: decomposing does not handle {what}"
        return "full", why if options.method == "decompose" else None
    return "decompose", None


def _solve_decomposed(problem: MatchProblem, solver: str, started: float) -> MatchResult:
    """One order at a time on its candidates, improved by neighbourhood search; see ``_decompose``."""
    options = problem.options
    # A share of the time is kept for assembling, explaining and verifying the groups.
    deadline = started + options.time_limit * (1 - FINISH_SHARE)
    found = decompose(problem, solver, deadline=deadline, seed=options.seed)
    units_gap = relative_gap(found.units, found.units_bound)
    pref_gap = None if found.preferences is None else relative_gap(found.preferences, found.preferences_bound)
    phases = (
        PhaseResult(
            "filled_units",
            "optimal" if units_gap <= 1e-9 else "feasible",
            found.units,
            found.units_bound,
            units_gap,
            found.seconds_bounds,
        ),
        PhaseResult(
            "preferences",
            "optimal" if pref_gap is not None and pref_gap <= 1e-9 else "feasible",
            found.preferences,
            found.preferences_bound,
            pref_gap,
            found.seconds_groups,
        ),
    )
    notes = (
        "solved one order at a time on its best candidates; bounds hold for the whole cluster",
        *found.notes,
    )
    return finish(
        problem,
        found.solution,
        solver=solver,
        status="optimal" if all(p.status == "optimal" for p in phases) else "feasible",
        phases=phases,
        started=started,
        bound=found.units_bound,
        gap=units_gap,
        objective=found.units,
        notes=notes,
    )


def _solve_full(
    problem: MatchProblem, solver: str, started: float, notes_before: tuple[str, ...]
) -> MatchResult:
    """Both phases on one model of every order and eligible workshop."""
    options = problem.options
    greedy = greedy_solution(problem)
    greedy_units = problem.weighted_units(greedy)
    model = build_model(problem)

    first = run_solver(
        model.prob,
        solver,
        time_limit=options.time_limit * PHASE1_SHARE,
        seed=options.seed,
        start=start_values(model, problem, greedy),
    )
    phases = [_phase("filled_units", first)]
    notes: list[str] = list(notes_before)
    if first.status == "infeasible":  # cannot happen with optional orders; kept honest all the same
        raise SolverFailed(
            f"the {solver} solver reports the model infeasible, which it cannot be; please report this"
        )
    if first.status == "none" or (first.value is not None and first.value < greedy_units - 0.5):
        notes.append(
            f"{solver} found no better solution within the time limit; showing the greedy baseline's groups"
        )
        bound = first.bound
        gap = None if bound is None else max(0.0, bound - greedy_units) / max(1.0, abs(bound))
        return finish(
            problem,
            greedy,
            solver=solver,
            status="feasible",
            phases=tuple(phases),
            started=started,
            bound=bound,
            gap=gap,
            notes=tuple(notes),
        )

    units_value = float(first.value or 0.0)
    solution = read_solution(model)
    all_optimal = first.status == "optimal"
    remaining = options.time_limit - (time.perf_counter() - started)
    if not model.terms:
        phases.append(PhaseResult("preferences", "skipped", None, None, None, 0.0))
        notes.append("no rule is preferred; groups maximise filled units only")
    elif remaining > 0.05 and model.member:
        model.prob += (
            model.filled_units() >= units_value - 0.5 * min(model.priority.values()),
            "keep_filled_units",
        )
        model.prob.setObjective(model.preferences())
        # Begin from the better of phase 1's groups and the greedy's (when the
        # greedy fills as many units, its groups are a valid phase-2 start).
        starts = [start_values(model, problem, solution)]
        if greedy_units >= units_value - 0.5:
            starts.append(start_values(model, problem, greedy))
        best_start = max(starts, key=lambda values: objective_value(model, values))
        second = run_solver(model.prob, solver, time_limit=remaining, seed=options.seed, start=best_start)
        phases.append(_phase("preferences", second))
        if second.status in {"optimal", "feasible"}:
            solution = read_solution(model)
        all_optimal = all_optimal and second.status == "optimal"
    else:
        phases.append(PhaseResult("preferences", "skipped", None, None, None, 0.0))
        all_optimal = False
        notes.append("no time was left for the preferred rules; groups maximise filled units only")

    return finish(
        problem,
        solution,
        solver=solver,
        status="optimal" if all_optimal else "feasible",
        phases=tuple(phases),
        started=started,
        bound=first.bound,
        gap=first.gap,
        objective=units_value,
        notes=tuple(notes),
    )


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
    problem, started = prepare(cluster, order_ids, options or MatchOptions())
    solution = greedy_solution(problem)
    return finish(problem, solution, solver="greedy", status="feasible", phases=(), started=started)
