"""Where the search for groups looks: the ties near the candidates, how many candidates the
time allows, the best placed of them, and the greedy groups among them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import replace

from matcher.model import Cluster, Order, Tie
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._types import Solution
from matcher.optimize.greedy import greedy_solution
from matcher.optimize.rules import Rules

#: Candidates the search for groups may take per second of ``time_limit`` (and at
#: least ``MIN_POOL``): building the model costs about a millisecond per
#: candidate and HiGHS's first pass over it (which its time limit does not
#: interrupt) grows with it, so a web call with 0.15 s searches the 30 best
#: placed workshops, and a coordinator's 30 s run up to 6,000.
POOL_PER_SECOND = 200
MIN_POOL = 30


def leader_reach(rules: Rules) -> int:
    """Positive-tie steps a group's rules look at beyond its members (the leader's reach)."""
    return rules.leader_hops if rules.required("leader") else 1


def local_ties(cluster: Cluster, ids: Iterable[str], hops: int = 1) -> tuple[Tie, ...]:
    """The ties that every path of at most ``hops`` positive-tie steps from ``ids`` runs along.

    That is every tie of a workshop within ``hops - 1`` positive steps of ``ids``,
    in dataset order: enough to tell the conflicts and ties among ``ids`` and
    which workshops a leader among them reaches in ``hops`` steps, as in the
    whole cluster.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> c = Cluster(tuple(Workshop(w, "T", 2, ("tee",), ("sewing",)) for w in "ABCD"),
    ...             ties=(Tie("A", "B", "kinship"), Tie("B", "C", "friendship"), Tie("C", "D", "conflict")))
    >>> [(t.source, t.target) for t in local_ties(c, ["A"])]
    [('A', 'B')]
    >>> [(t.source, t.target) for t in local_ties(c, ["A"], hops=2)]
    [('A', 'B'), ('B', 'C')]
    """
    index = cluster.index
    seen = set(ids)
    frontier = list(seen)
    for _ in range(hops - 1):
        reached = []
        for v in frontier:
            for u in index.neighbours.get(v, ()):
                if u not in seen:
                    seen.add(u)
                    reached.append(u)
        frontier = reached
    picked = sorted({i for w in seen for i in index.ties_of.get(w, ())})
    return tuple(cluster.ties[i] for i in picked)


def local_cluster(cluster: Cluster, order: Order, ids: Iterable[str], hops: int) -> Cluster:
    """The workshops ``ids`` with the ties around them (see :func:`local_ties`) and the order alone.

    Models, explanations and the verifier read only these, so a search over a
    few workshops of a large cluster does not walk all its ties.
    """
    ids = sorted(ids)
    return Cluster(
        tuple(cluster.workshop(w) for w in ids),
        local_ties(cluster, ids, hops),
        (),
        (order,),
        cluster.routings,
    )


def pool_size(time_limit: float) -> int:
    """Most candidates the search for groups takes within ``time_limit`` seconds.

    Examples
    --------
    >>> pool_size(0.15), pool_size(1.0), pool_size(30.0)
    (30, 200, 6000)
    """
    return max(MIN_POOL, int(POOL_PER_SECOND * time_limit))


def group_pool(
    problem: MatchProblem,
    spec: OrderSpec,
    ids: Iterable[str],
    size: int,
    neighbours: Mapping[str, Iterable[str]],
) -> list[str]:
    """The ``size`` best placed of ``ids`` to search for groups among, sorted.

    A workshop's worth is the minutes it could give the order (what it has free
    by the due date, at most what its processes of the order take), and one
    that cannot make a lot of any (:attr:`OrderSpec.lot`, at least a unit) is
    left out. First come the best doers of
    each process and the best willing leaders (``size`` / (2 × (processes + 1))
    each), so that the pool covers the order and can be led; then the most
    minutes, up to three quarters of the pool; then positive-tie neighbours of
    those chosen (the most minutes first), for cohesion; then the most minutes
    again. Ties in worth are broken by id. ``neighbours`` gives each
    workshop's positive-tie neighbours.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> from matcher.optimize import MatchOptions, Rules
    >>> from matcher.optimize._problem import MatchProblem
    >>> ws = (Workshop("A", "T", 1, ("tee",), ("cutting",), capacity_minutes_per_week=10),
    ...       Workshop("B", "T", 1, ("tee",), ("sewing",), capacity_minutes_per_week=40),
    ...       Workshop("C", "T", 1, ("tee",), ("sewing",), capacity_minutes_per_week=30),
    ...       Workshop("D", "T", 1, ("tee",), ("sewing",), capacity_minutes_per_week=1))
    >>> c = Cluster(ws, routings={"tee": (RoutingStep("cutting", 1.0), RoutingStep("sewing", 2.0))})
    >>> p = MatchProblem.build(c, (Order("O1", "tee", 10, 1.0),), MatchOptions())
    >>> group_pool(p, p.specs[0], "ABCD", 2, {})  # D cannot sew one tee; A is the only cutter
    ['A', 'B']
    """
    due, quantity, lot = spec.order.due_weeks, spec.order.quantity, max(1, spec.lot)
    steps = [(s.process, s.minutes_per_unit) for s in spec.steps]
    worth: dict[str, float] = {}
    for w in ids:
        workshop = problem.workshop(w)
        minutes = [m for p, m in steps if p in workshop.processes]
        if minutes:
            give = min(workshop.available_minutes(due), quantity * sum(minutes))
            if give >= lot * min(minutes):
                worth[w] = give
    ranked = sorted(worth, key=lambda w: (-worth[w], w))
    quota = max(1, size // (2 * (len(steps) + 1)))
    best: dict[str, list[str]] = {p: [] for p, _ in steps}
    leaders: list[str] = []
    for w in ranked:  # one pass: the best doers of each process, and leaders
        workshop = problem.workshop(w)
        for p, doers in best.items():
            if len(doers) < quota and p in workshop.processes:
                doers.append(w)
        if len(leaders) < quota and workshop.can_lead:
            leaders.append(w)
        if len(leaders) == quota and all(len(doers) == quota for doers in best.values()):
            break
    chosen = dict.fromkeys(w for doers in [*best.values(), leaders] for w in doers)
    for w in ranked:
        if len(chosen) >= size * 3 // 4:
            break
        chosen[w] = None
    for w in list(chosen):
        for v in sorted(worth.keys() & set(neighbours.get(w, ())), key=lambda v: (-worth[v], v)):
            if len(chosen) >= size:
                break
            chosen[v] = None
    for w in ranked:
        if len(chosen) >= size:
            break
        chosen[w] = None
    return sorted(list(chosen)[:size])


def greedy_groups(problem: MatchProblem, spec: OrderSpec, top: int, until: float) -> list[Solution]:
    """Up to ``top`` distinct groups by the greedy baseline, none containing another.

    The greedy group of ``spec``'s eligible workshops comes first; then, breadth
    first, the greedy group without one more member of a group found (each
    member in turn, by id), until ``top`` are found, no leaving-out gives a new
    one, or ``time.perf_counter()`` reaches ``until``.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> from matcher.optimize import MatchOptions, Rules
    >>> from matcher.optimize._problem import MatchProblem
    >>> ws = tuple(Workshop(w, "T", 1, ("tee",), ("sewing",), capacity_minutes_per_week=m)
    ...            for w, m in (("A", 15), ("B", 12), ("C", 10)))
    >>> c = Cluster(ws, routings={"tee": (RoutingStep("sewing", 2.0),)})
    >>> five = MatchOptions(rules=Rules(min_lot=5))  # A sews up to 7 tees, B 6, C 5: any two, in lots of 5
    >>> p = MatchProblem.build(c, (Order("O1", "tee", 10, 1.0),), five)
    >>> import math
    >>> [sorted(g["O1"]) for g in greedy_groups(p, p.specs[0], 5, math.inf)]
    [['A', 'B'], ['B', 'C'], ['A', 'C']]
    """
    o = spec.order_id
    found: list[Solution] = []
    groups: list[frozenset[str]] = []
    queue: list[frozenset[str]] = [frozenset()]
    tried: set[frozenset[str]] = set()
    while queue and len(found) < top and time.perf_counter() < until:
        left_out = queue.pop(0)
        if left_out in tried:
            continue
        tried.add(left_out)
        eligible = tuple(w for w in spec.eligible if w not in left_out)
        part = MatchProblem(problem.cluster, (replace(spec, eligible=eligible),), problem.options)
        solution = greedy_solution(part)
        group = frozenset(solution.get(o, {}))
        if not group or any(g <= group for g in groups):
            continue
        found.append(solution)
        groups.append(group)
        queue.extend(left_out | {w} for w in sorted(group))
    return found
