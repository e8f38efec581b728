"""The shortlist of one order: the order checked, the singles that can take it alone, the groups
found one after another, each verified, scored and anonymized.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import replace
from typing import Any

import pulp

from matcher.errors import InvalidOptionError, SolverFailed
from matcher.messages import Message
from matcher.model import Cluster, Order
from matcher.optimize._explain import assemble, diagnose
from matcher.optimize._model import build_model, read_solution
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import resolve_solver, run_solver
from matcher.optimize._types import Solution
from matcher.optimize.options import MatchOptions
from matcher.optimize.result import MatchResult, OrderResult
from matcher.optimize.shortlist.pool import greedy_groups, group_pool, leader_reach, local_cluster, pool_size
from matcher.optimize.shortlist.result import (
    Profile,
    Score,
    Shortlist,
    ShortlistEntry,
    _anonymity_notes,
    _letters,
    _reliability_notes,
    _without_small_cells,
)
from matcher.optimize.shortlist.scoring import (
    TOP_QUALITY,
    anonymous_profiles,
    group_why,
    score_parts,
    single_why,
)
from matcher.optimize.verify import verify_result
from matcher.privacy import DEFAULT_K, AnonymousProfile, anonymous_profile, check_k

_TOLERANCE = 1e-9
#: Seconds kept back from the solver for reading and scoring what it found.
_RESERVE = 0.01
#: A solve is not started with less time than this left (nor than this share of
#: the time limit): HiGHS needs a few milliseconds just to take the model in.
_LEAST_SOLVE = 0.05
_LEAST_SOLVE_SHARE = 0.2
#: Below this time limit (a web call) the search is short: every group may
#: come from the greedy baseline, and a solve is started only with
#: ``_SOLVE_HEADROOM`` left, since HiGHS's first pass over the model (its
#: analytic centre), which its time limit does not interrupt, takes 0.05-0.3 s
#: on a 30-candidate model. Above it, with a capped pool, only the first group
#: comes from the greedy baseline and the solver finds the rest.
_SHORT_TIME = 0.5
_SOLVE_HEADROOM = 0.1


def _check_order(cluster: Cluster, order: Order | str) -> tuple[Order, bool]:
    """The order asked for and whether it is described (not in the cluster); every problem at once."""
    if isinstance(order, str):
        return cluster.order(order), False
    if not isinstance(order, Order):
        raise InvalidOptionError(
            f"order must be an order id or an Order, got {type(order).__name__}; "
            f"order ids: {', '.join(o.order_id for o in cluster.orders) or '(none)'}"
        )

    def whole(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def positive(value: object) -> bool:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value > 0
        )

    problems = []
    if not isinstance(order.order_id, str) or not order.order_id.strip():
        problems.append("order_id must be a non-empty text")
    if not isinstance(order.product, str) or not order.product.strip():
        problems.append("product must be a product code")
    if not whole(order.quantity) or order.quantity < 1:
        problems.append(f"quantity must be a whole number >= 1, got {order.quantity!r}")
    if not positive(order.due_weeks):
        problems.append(f"due_weeks must be a number of weeks > 0, got {order.due_weeks!r}")
    if not whole(order.min_quality) or not 1 <= order.min_quality <= TOP_QUALITY:
        problems.append(f"min_quality must be a whole number from 1 to 5, got {order.min_quality!r}")
    if order.max_group_size is not None and (not whole(order.max_group_size) or order.max_group_size < 1):
        problems.append(f"max_group_size must be a whole number >= 1, got {order.max_group_size!r}")
    bad_steps = [s.process for s in order.processes if not positive(s.minutes_per_unit)]
    if bad_steps:
        problems.append(f"minutes per unit must be > 0 (processes {', '.join(bad_steps)})")
    if not problems and not cluster.routing_of(order):
        known = ", ".join(sorted(cluster.routings)) or "(none)"
        problems.append(
            f"no routing for product {order.product}; give the order's processes or use a known "
            f"product: {known}"
        )
    existing = next((o for o in cluster.orders if o.order_id == order.order_id), None)
    if existing is not None and existing != order:
        problems.append(
            f"order id {order.order_id} is already an order of the dataset with other details; "
            "pass its id to use it, or give the described order a new id"
        )
    if problems:
        raise InvalidOptionError(f"order {order.order_id}: " + "; ".join(problems))
    return order, existing is None


def _verified(
    cluster: Cluster, spec: OrderSpec, options: MatchOptions, solution: Solution, solver: str
) -> OrderResult | None:
    """The group of a solution, assembled, when the independent verifier finds it breaks no rule.

    Both read only the members and the ties around them (:func:`local_cluster`),
    which is all the rules look at.
    """
    members = sorted(solution.get(spec.order_id, {}))
    local = local_cluster(cluster, spec.order, members, leader_reach(spec.rules))
    (result,) = assemble(MatchProblem(local, (replace(spec, eligible=tuple(members)),), options), solution)
    if result.status != "filled":
        return None
    run = MatchResult(solver=solver, status="feasible", gap=None, orders=(result,), options=options)
    return None if verify_result(local, run) else result


def _singles(
    problem: MatchProblem, spec: OrderSpec, top: int, solver: str, k: int
) -> tuple[list[tuple[str, Score, float, float, AnonymousProfile]], set[str]]:
    """Verified singles (best first, at most ``top``) and every workshop that can take the order alone.

    Each single comes with its score, free and needed minutes and its profile
    (fitting ``k`` workshops of ``problem.cluster``).
    """
    order = spec.order
    needed = order.quantity * sum(s.minutes_per_unit for s in spec.steps)
    processes = [s.process for s in spec.steps]
    alone = set()
    for w in spec.eligible:
        workshop = problem.workshop(w)
        if workshop.available_minutes(order.due_weeks) >= needed - _TOLERANCE and all(
            p in workshop.processes for p in processes
        ):
            alone.add(w)

    def scored(w: str, fewest: int) -> tuple[str, Score, float, float, AnonymousProfile]:
        shown = anonymous_profile(problem.cluster, order, w, k=fewest, works_on=processes)
        return (w, *score_parts(problem, spec, [w], [shown]), shown)

    def rank(entry: tuple[str, Score, float, float, AnonymousProfile]) -> tuple[float, str]:
        return (-round(entry[1].total, 9), entry[0])

    # A profile's score is never above its exact one (k=1): candidates are anonymized best
    # exact score first, only while one of them could still come before the best found.
    bounds = deque(sorted((scored(w, 1) for w in alone), key=rank))
    pending: list[tuple[str, Score, float, float, AnonymousProfile]] = []
    chosen = []
    while len(chosen) < top:
        while bounds and (not pending or rank(bounds[0])[0] <= rank(min(pending, key=rank))[0]):
            bound = bounds.popleft()
            pending.append(bound if k == 1 else scored(bound[0], k))
        if not pending:
            break
        candidate = min(pending, key=rank)
        pending.remove(candidate)
        solution = {order.order_id: {candidate[0]: {s.process: order.quantity for s in spec.steps}}}
        if _verified(problem.cluster, spec, problem.options, solution, solver) is not None:
            chosen.append(candidate)
    return chosen, alone


def _group_options(options: MatchOptions, order_id: str) -> MatchOptions:
    """The run's options for the group search: whole fills, and at least two members."""
    rules = options.rules_for(order_id)
    changes = {**options.order_rules.get(order_id, {}), "min_group_size": max(2, rules.min_group_size)}
    return replace(options, allow_partial=False, order_rules={order_id: changes})


def _groups(
    base: MatchProblem,
    spec: OrderSpec,
    options: MatchOptions,
    alone: set[str],
    top: int,
    solver: str,
    deadline: float,
) -> tuple[list[OrderResult], MatchProblem, dict[str, Any]]:
    """Distinct verified groups, in the order found, the problem they were found in, and how it went.

    The search runs on the eligible workshops that cannot take the order alone,
    at most :func:`pool_size` of them (the best placed, :func:`group_pool`).
    With a pool that leaves some out, the greedy group comes first, and with a
    short time limit (below ``_SHORT_TIME``) groups by the greedy baseline
    (:func:`greedy_groups`) come first, each offered when the verifier accepts
    it, so that a stop on time still has groups to offer.
    """
    cluster, order, o = base.cluster, spec.order, spec.order_id
    group_options = _group_options(options, o)
    candidates = [w for w in spec.eligible if w not in alone]
    size = pool_size(options.time_limit)
    capped = len(candidates) > size
    pool = group_pool(base, spec, candidates, size, cluster.index.neighbours) if capped else candidates
    local = local_cluster(cluster, order, pool, leader_reach(group_options.rules_for(o)))
    problem = MatchProblem.build(local, (order,), group_options)
    spec = problem.specs[0]
    search: dict[str, Any] = {
        "solver": solver,
        "candidates": len(spec.eligible),
        "eligible": len(candidates),
        "all_optimal": True,
    }
    found: list[OrderResult] = []
    if len(spec.eligible) < max(2, spec.rules.min_group_size) or (spec.cap is not None and spec.cap < 2):
        return found, problem, {**search, "stopped": "no_more_groups", "groups_found": 0}
    least = min(_LEAST_SOLVE, _LEAST_SOLVE_SHARE * options.time_limit)
    short = options.time_limit < _SHORT_TIME
    if capped or short:
        # A short time, or a large cluster: greedy groups are ready at once,
        # whatever the solver manages after them (they are not proved the best);
        # only one when there is time for the solver to find better ones.
        for solution in greedy_groups(problem, spec, top if short else 1, deadline - least):
            result = _verified(cluster, spec, group_options, solution, solver)
            if result is not None:
                found.append(result)
                search["all_optimal"] = False
    if short:
        # HiGHS's first pass over the model is not cut short by its time limit.
        least = max(least, _SOLVE_HEADROOM)
    if len(found) >= top or deadline - time.perf_counter() <= least:
        stopped = "top" if len(found) >= top else "time_limit"
        return found, problem, {**search, "stopped": stopped, "groups_found": len(found)}
    model = build_model(problem)
    model.prob += model.filled[o] >= order.quantity, f"whole_order_{o}"
    model.prob.setObjective(model.preferences())

    cuts = 0

    def never_again(group: list[str]) -> None:
        """The no-good cut: never this group again, nor any group that contains it."""
        nonlocal cuts
        members = [model.member[w, o] for w in group]
        model.prob += pulp.lpSum(members) <= len(group) - 1, f"not_again_{cuts}_{o}"
        cuts += 1

    for result in found:
        never_again([m.workshop_id for m in result.group])
    stopped = "top"
    while len(found) < top:
        left = deadline - time.perf_counter()
        if left <= least:
            stopped = "time_limit"
            break
        outcome = run_solver(model.prob, solver, time_limit=left - _RESERVE, seed=options.seed)
        if outcome.status == "infeasible":
            stopped = "no_more_groups"
            break
        if outcome.status == "none":
            stopped = "time_limit"
            break
        search["all_optimal"] = search["all_optimal"] and outcome.status == "optimal"
        solution = read_solution(model)
        group = sorted(solution.get(o, {}))
        result = _verified(cluster, spec, group_options, solution, solver)
        if result is None or any({m.workshop_id for m in g.group} == set(group) for g in found):
            raise SolverFailed(
                f"the {solver} solver gave group {', '.join(group)} for order {o}, which the verifier "
                "refuses or was found before; please report this"
            )
        found.append(result)
        never_again(group)
    return found, problem, {**search, "stopped": stopped, "groups_found": len(found)}


def shortlist(
    cluster: Cluster,
    order: Order | str,
    *,
    top: int = 10,
    options: MatchOptions | None = None,
    k: int = DEFAULT_K,
) -> Shortlist:
    """Rank single workshops and ready groups that can take an order, with anonymized profiles.

    Parameters
    ----------
    cluster : Cluster
    order : str or Order
        The id of an order of the cluster, or an order a lead firm describes
        (not in the cluster; checked, every problem reported at once).
    top : int
        At most this many singles and this many groups (>= 1).
    options : MatchOptions, optional
        Solver, ``time_limit`` (seconds for the whole search for groups),
        ``seed`` and the rules of a good group (default: small, leader and
        cohesion preferred). Same input and seed, same shortlist.
    k : int
        Every member's profile fits at least this many workshops of the
        cluster (>= 1; default :data:`matcher.privacy.DEFAULT_K`, 5); 1 shows
        exact profiles and scores, for a coordinator's own use.

    Returns
    -------
    Shortlist
        Singles and groups, best first; ``to_dict()`` is the anonymized form.

    Examples
    --------
    A can sew the 100 shirts alone; B and C can only together:

    >>> from matcher.model import Cluster, Order, RoutingStep, Tie, Workshop
    >>> ws = (Workshop("A", "T", 6, ("tshirt",), ("sewing",), capacity_minutes_per_week=700),
    ...       Workshop("B", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=300, can_lead=True),
    ...       Workshop("C", "T", 2, ("polo", "tshirt"), ("sewing",), capacity_minutes_per_week=300))
    >>> c = Cluster(ws, ties=(Tie("B", "C", "kinship"),),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> s = shortlist(c, Order("Q1", "tshirt", 100, 1.0), options=MatchOptions(time_limit=10), k=1)
    >>> [(e.ref, e.workshop_ids, round(e.score.total, 3)) for e in s.singles]
    [('S1', ('A',), 0.548)]
    >>> [(e.ref, e.workshop_ids) for e in s.groups], s.search["stopped"]
    ([('G1', ('B', 'C'))], 'no_more_groups')
    >>> s.to_dict()["groups"][0]["members"][0]
    {'ref': 'G1-a', 'territory': 'T', 'size_band': 'micro', 'quality': {'low': 3, 'high': 3}, ...}

    With k = 2, what sets A apart (the only small workshop) is withheld, and
    so is C's main product (polo): the score reads it as not the order's.

    >>> s = shortlist(c, Order("Q1", "tshirt", 100, 1.0), options=MatchOptions(time_limit=10), k=2)
    >>> s.to_dict()["singles"][0]["members"][0]["size_band"], s.singles[0].members[0].shown.withheld
    (None, ('size_band',))
    """
    started = time.perf_counter()
    options = options or MatchOptions()
    if not isinstance(options, MatchOptions):
        raise InvalidOptionError("options must be a MatchOptions")
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise InvalidOptionError(f"top must be a whole number >= 1, got {top!r}")
    check_k(k)
    order, described = _check_order(cluster, order)
    solver = resolve_solver(options.solver)
    deadline = started + options.time_limit
    # Only workshops that make the product can be eligible: the others are not
    # even looked at. The problem itself reads the whole cluster (diagnosis
    # counts every maker); searches and checks read local parts of it.
    single_options = replace(options, allow_partial=False)
    makers = Cluster(cluster.index.makers.get(order.product, ()), routings=cluster.routings)
    base = MatchProblem(cluster, MatchProblem.build(makers, (order,), single_options).specs, single_options)
    spec = base.specs[0]

    singles, alone = _singles(base, spec, top, solver, k)
    found, group_problem, search = _groups(base, spec, options, alone, top, solver, deadline)

    single_entries = tuple(
        ShortlistEntry(
            ref=f"S{i}",
            kind="single",
            members=(Profile(f"S{i}", w, shown),),
            score=score,
            free_minutes=free,
            needed_minutes=needed,
            why_messages=single_why(spec, shown, free, needed),
        )
        for i, (w, score, free, needed, shown) in enumerate(singles, start=1)
    )
    group_spec = group_problem.specs[0]
    scored = []
    for r in found:
        ids = [m.workshop_id for m in r.group]
        shown = anonymous_profiles(cluster, order, r.group, k)
        minutes = {m.workshop_id: m.minutes for m in r.group}
        scored.append((r, *score_parts(group_problem, group_spec, ids, shown, minutes), shown))
    scored.sort(key=lambda e: (-round(e[1].total, 9), tuple(m.workshop_id for m in e[0].group)))
    group_entries = []
    for i, (result, score, free, needed, shown) in enumerate(scored, start=1):
        refs = {m.workshop_id: f"G{i}-{_letters(j)}" for j, m in enumerate(result.group)}
        members = tuple(
            Profile(refs[m.workshop_id], m.workshop_id, p, m.allocations)
            for m, p in zip(result.group, shown, strict=True)
        )
        leader_shown = all(p.leader is not None for p in shown)
        why = group_why(group_problem, group_spec, result, refs, free, needed, leader_shown)
        group_entries.append(ShortlistEntry(f"G{i}", "group", members, score, free, needed, why_messages=why))

    notes: list[Message] = []
    if k > 1 and 0 < len(spec.eligible) < k:
        # Fewer than k workshops could take part: any entry, or its absence, would describe them.
        single_entries, group_entries = (), []
        search = {**search, "groups_found": 0}
        notes.append(Message("shortlist.small_pool", {"k": k}))
    elif not single_entries and not group_entries and search["stopped"] != "time_limit":
        notes.extend(diagnose(base, spec, 0) if k <= 1 else _without_small_cells(diagnose(base, spec, 0), k))
    elif not single_entries:
        notes.append(Message("shortlist.no_single"))
    if search["candidates"] < search["eligible"]:
        notes.append(
            Message("shortlist.pool", {"candidates": search["candidates"], "eligible": search["eligible"]})
        )
    if search["stopped"] == "time_limit":
        notes.append(
            Message("shortlist.time_limit", {"seconds": options.time_limit, "groups": len(group_entries)})
        )
    notes.extend(_reliability_notes((*single_entries, *group_entries)))
    notes.extend(_anonymity_notes((*single_entries, *group_entries), k))
    search = {**search, "seconds": round(time.perf_counter() - started, 3), "time_limit": options.time_limit}
    if k > 1:  # a count of fewer than k workshops is not shown
        search.update({n: None for n in ("candidates", "eligible") if 0 < (search.get(n) or 0) < k})
    return Shortlist(
        order, described, single_entries, tuple(group_entries), search, note_messages=tuple(notes), k=k
    )
