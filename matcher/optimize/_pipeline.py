"""What every way of solving shares: check and prepare the request before any solving, then
assemble, explain and verify the solution found.

:func:`prepare` raises before any solving on a request that cannot be run;
:func:`finish` turns a solution (allocations by order, workshop and process)
into a verified :class:`~matcher.optimize.result.MatchResult`, with the
changes that would fill the orders left unfilled, within ``explain_seconds``.
The solvers (:mod:`matcher.optimize.match`) and the greedy baseline call both.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace

from matcher.errors import InvalidOptionError, SolverFailed
from matcher.messages import Message
from matcher.model import Cluster
from matcher.optimize._explain import assemble, with_connected_alternative
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import resolve_solver
from matcher.optimize._types import Solution
from matcher.optimize.greedy import greedy_solution
from matcher.optimize.options import MatchOptions
from matcher.optimize.result import MatchResult, OrderResult, PhaseResult
from matcher.optimize.verify import verify_result
from matcher.optimize.whatif import connected_alternative, suggest_changes

__all__ = ["finish", "prepare"]


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
