"""Groups for orders: prepare, model, solve lexicographically, explain, verify.

Phase 1 maximises the filled units of all orders together. Phase 2 keeps that
many units and asks for the smallest groups and, among groups that small, the
most cohesive: the weight of tied pairs inside groups (per distinct positive
kind joining a pair, its strongest tie over 5).
Phase 1 may use up to 60% of the time limit; phase 2 the rest. The greedy
baseline is always computed too: if the solver has no solution when time runs
out, or a worse one, the greedy groups are shown — as ``feasible`` with the
solver's bound and the resulting gap, never silently.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace

from matcher.errors import InvalidOptionError, SolverFailed
from matcher.messages import Message
from matcher.model import Cluster
from matcher.optimize._decompose import decompose
from matcher.optimize._explain import Solution, assemble, with_connected_alternative
from matcher.optimize._model import build_model, objective_value, read_solution, start_values
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import Outcome, _relative_gap, resolve_solver, run_solver
from matcher.optimize.greedy import greedy_solution
from matcher.optimize.options import MatchOptions
from matcher.optimize.result import MatchResult, OrderResult, PhaseResult
from matcher.optimize.verify import verify_result
from matcher.optimize.whatif import connected_alternative, suggest_changes

__all__ = ["solve_orders"]

PHASE1_SHARE = 0.6
#: Above this many eligible (workshop, order) pairs, ``auto`` decomposes the run.
FULL_MODEL_LIMIT = 500
#: Share of a decomposed run's time limit kept for assembling and verifying its groups.
FINISH_SHARE = 0.04


def prepare(
    cluster: Cluster, order_ids: Iterable[str] | None, options: MatchOptions
) -> tuple[MatchProblem, float]:
    """Check the request and prepare the problem; raise before any solving."""
    started = time.perf_counter()
    if not isinstance(options, MatchOptions):
        raise InvalidOptionError("options must be a MatchOptions")
    if not cluster.orders:
        raise InvalidOptionError(messages=[Message("option.no_orders")])
    orders = cluster.select_orders(order_ids)
    for order in orders:
        if not cluster.routing_of(order):
            said = {"order_id": order.order_id, "product": order.product}
            raise InvalidOptionError(messages=[Message("option.no_routing", said)])
    chosen = {o.order_id for o in orders}
    for what, mapping in (("order_rules", options.order_rules), ("priorities", options.priorities)):
        unknown = sorted(set(mapping) - chosen)
        if unknown:
            said = {"what": what, "orders": unknown, "count": len(unknown), "run": sorted(chosen)}
            raise InvalidOptionError(messages=[Message("option.not_in_run", said)])
    problem = MatchProblem.build(cluster, orders, options)
    for spec in problem.specs:
        if spec.cap is not None and spec.rules.min_group_size > spec.cap:
            said = {"order_id": spec.order_id, "min_group_size": spec.rules.min_group_size, "cap": spec.cap}
            raise InvalidOptionError(messages=[Message("option.min_above_cap", said)])
    return problem, started


def _alone(problem: MatchProblem):
    """How many units an order could fill with the cluster to itself (greedy)."""

    def units(spec: OrderSpec) -> int:
        single = MatchProblem(problem.cluster, (spec,), problem.options)
        alloc = greedy_solution(single).get(spec.order_id, {})
        return min((sum(a.get(s.process, 0) for a in alloc.values()) for s in spec.steps), default=0)

    return units


def finish(
    problem: MatchProblem,
    solution: Solution,
    *,
    solver: str,
    status: str,
    phases: tuple[PhaseResult, ...],
    started: float,
    bound: float | None = None,
    gap: float | None = None,
    objective: float | None = None,
    notes: tuple[str, ...] = (),
) -> MatchResult:
    """Assemble, explain and verify a solution; a result that fails is a bug."""
    orders = assemble(problem, solution, alone=_alone(problem))
    explaining = time.perf_counter()
    orders = _with_changes(problem, solution, orders, solver)
    explained = time.perf_counter() - explaining
    result = MatchResult(
        solver=solver,
        status=status,
        gap=gap,
        orders=orders,
        options=problem.options,
        bound=bound,
        objective=objective if objective is not None else float(sum(o.filled_units for o in orders)),
        phases=phases,
        time_seconds=time.perf_counter() - started,
        explain_seconds=explained,
        notes=notes,
        largest_utilisation=problem.largest_utilisation(solution),
    )
    violations = verify_result(problem.cluster, result)
    if violations:
        raise SolverFailed(
            f"the {solver} solution broke {len(violations)} rule(s), first: {violations[0]}; "
            "please report this"
        )
    return result.with_verified(True)


def _unlinked(result: OrderResult) -> bool:
    """A filled order whose group of two or more is not linked through ties among its members."""
    return result.status == "filled" and len(result.group) > 1 and not result.cohesion.get("connected", True)


def _with_changes(
    problem: MatchProblem, solution: Solution, orders: tuple[OrderResult, ...], solver: str
) -> tuple[OrderResult, ...]:
    """Orders explained by solving again, within ``explain_seconds`` in all.

    Unfilled and partial orders get the single changes that would fill them;
    filled orders whose group is not linked by ties get the smallest group
    that is and could take them instead (:func:`connected_alternative`). Each
    order to explain has an equal share of the time still left when its turn
    comes, so that one hard order does not leave the others unexplained.
    """
    budget = problem.options.explain_seconds
    pending = {o.order_id for o in orders if o.status != "filled" or _unlinked(o)}
    if budget <= 0 or not pending:
        return orders
    deadline = time.perf_counter() + budget
    milp = solver if solver in ("highs", "cbc") else resolve_solver("auto")
    out = []
    for spec, result in zip(problem.specs, orders, strict=True):
        if result.order_id not in pending:
            out.append(result)
            continue
        share = (deadline - time.perf_counter()) / len(pending)
        pending.remove(result.order_id)
        if _unlinked(result):
            found = connected_alternative(problem, solution, spec, solver=milp, budget=share)
            out.append(with_connected_alternative(result, found))
            continue
        if share <= 0.1:
            out.append(result)
            continue
        changes = suggest_changes(problem, solution, spec, solver=milp, budget=share)
        if changes:
            line = Message(
                "reason.feasible_with", {"changes": [{"kind": c.kind, "value": c.value} for c in changes]}
            )
            result = replace(
                result,
                changes=tuple(changes),
                reasons=(*result.reasons, line.text),
                reason_messages=(*result.reason_messages, line),
            )
        out.append(result)
    return tuple(out)


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
    units_gap = _relative_gap(found.units, found.units_bound)
    pref_gap = (
        None if found.preferences is None else _relative_gap(found.preferences, found.preferences_bound)
    )
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
