"""Which orders each workshop takes alone: patterns, priced by column generation.

In large runs most orders score best on one workshop taking the whole order,
and a few hundred large workshops are what the orders compete for. The
relaxation of :func:`matcher.optimize._decompose.singles_bound` keeps that
competition: each order takes one workshop alone (its score and all its
minutes) or a larger group (its bound, no minutes). Its linear relaxation
lets a workshop take half an order; here the relaxation is reformulated
over *patterns* — the sets of orders one workshop can take alone together,
whose minutes fit by every due date — so that each workshop's choice is
whole (Dantzig–Wolfe). There are too many patterns to list; they are
generated as needed (column generation): a master linear program chooses
among the patterns known, its duals price the orders, and each workshop's
best pattern at those prices is a small knapsack (:func:`best_pattern`).

Every round gives a valid bound (a Lagrangian one: the orders' and the
units' prices are multipliers, each workshop's knapsack is solved exactly or
bounded from above). Lots change nothing here: a workshop taking a whole
order alone takes every process in one lot (a lot is at most the quantity).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._types import Solution

#: Search nodes per knapsack before its linear bound stands in for it.
NODE_LIMIT = 5_000
#: Share of the best prices so far in the prices of each round (the rest: the master's duals).
SMOOTHING = 0.5


def taken_alone(problem: MatchProblem, alone: Alone, solution: Solution) -> dict[str, tuple[int, ...]]:
    """The orders (indices in ``alone``) each workshop takes alone, whole, in ``solution``."""
    index = {spec.order_id: i for i, spec in enumerate(alone.specs)}
    taken: dict[str, list[int]] = defaultdict(list)
    for o, alloc in solution.items():
        i = index.get(o)
        if i is None or len(alloc) != 1:
            continue
        ((w, got),) = alloc.items()
        quantity = alone.specs[i].order.quantity
        if w in alone.takers[i] and all(got.get(st.process) == quantity for st in alone.specs[i].steps):
            taken[w].append(i)
    return {w: tuple(sorted(taken[w])) for w in sorted(taken)}


@dataclass
class Alone:
    """The single-workshop relaxation of a run, one entry per order that can be filled.

    ``worth`` is an order's phase-1 weight (priority times quantity),
    ``larger`` the bound of any group of two or more (-inf when there is
    none), ``minutes`` and ``due`` the whole order's, and ``takers`` maps
    each workshop that can take the order alone to its score so.
    """

    specs: list[OrderSpec]
    worth: list[float]
    larger: list[float]
    minutes: list[float]
    due: list[float]
    takers: list[dict[str, float]]
    by_workshop: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by: dict[str, list[int]] = defaultdict(list)
        for i, takers in enumerate(self.takers):
            for w in takers:
                by[w].append(i)
        self.by_workshop = {w: by[w] for w in sorted(by)}


def best_pattern(
    items: list[tuple[int, float, float, float]], per_week: float, *, node_limit: int = NODE_LIMIT
) -> tuple[float, list[int], bool]:
    """The most profit one workshop makes taking whole orders alone, and which.

    ``items`` holds (order index, profit, minutes, due week); the minutes of
    the orders due by each week must fit in ``per_week`` times that week.
    Depth-first search, best ratio first, cut by the fractional bound on the
    last due date. Returns (profit, chosen indices, exact); when the search
    passes ``node_limit`` nodes, profit is the root's fractional bound (an
    upper bound) and the choice the best found.

    Examples
    --------
    >>> best_pattern([(0, 3.0, 600.0, 1.0), (1, 2.0, 500.0, 1.0), (2, 2.0, 500.0, 1.0)], 1000.0)
    (4.0, [1, 2], True)
    >>> best_pattern([(0, 3.0, 600.0, 1.0), (1, 2.0, 500.0, 2.0)], 600.0)
    (5.0, [0, 1], True)
    """
    chosen_items = [it for it in items if it[1] > 0]
    if not chosen_items:
        return 0.0, [], True
    order = sorted(chosen_items, key=lambda it: (-it[1] / max(it[2], 1e-9), it[0]))
    dues = sorted({it[3] for it in order})

    def fits(used: dict[float, float]) -> bool:
        total = 0.0
        for d in dues:
            total += used.get(d, 0.0)
            if total > per_week * d + 1e-6:
                return False
        return True

    every: dict[float, float] = defaultdict(float)
    for it in order:
        every[it[3]] += it[2]
    if fits(every):
        return sum(it[1] for it in order), sorted(it[0] for it in order), True
    n, top = len(order), per_week * dues[-1]

    def fractional(k: int, room: float, value: float) -> float:
        for j in range(k, n):
            _, profit, minutes, _ = order[j]
            if minutes <= room:
                room -= minutes
                value += profit
            else:
                return value + profit * room / minutes
        return value

    best_value, best_pick, nodes = 0.0, [], 0
    used: dict[float, float] = defaultdict(float)
    pick: list[int] = []

    def search(k: int, room: float, value: float) -> None:
        nonlocal best_value, best_pick, nodes
        nodes += 1
        if value > best_value + 1e-12:
            best_value, best_pick = value, list(pick)
        if k == n or nodes > node_limit or fractional(k, room, value) <= best_value + 1e-9:
            return
        index, profit, minutes, due = order[k]
        if minutes <= room + 1e-6:
            used[due] += minutes
            if fits(used):
                pick.append(index)
                search(k + 1, room - minutes, value + profit)
                pick.pop()
            used[due] -= minutes
        search(k + 1, room, value)

    search(0, top, 0.0)
    if nodes > node_limit:
        return max(best_value, fractional(0, top, 0.0)), sorted(best_pick), False
    return best_value, sorted(best_pick), True


@dataclass(frozen=True)
class PatternBound:
    """What column generation proved: the bound, the patterns it found, its rounds."""

    bound: float
    patterns: dict[str, list[tuple[int, ...]]]
    rounds: int
    converged: bool


def pattern_bound(
    problem: MatchProblem, alone: Alone, units: float, *, deadline: float, start: Solution | None = None
) -> PatternBound:
    """A bound on the preferred rules from whole single-workshop choices (column generation).

    The master linear program chooses, for each workshop, at most one
    pattern, and for each order at most one pattern holding it or its
    larger-group bound, keeping ``units``. With its duals ``pi`` (orders)
    and ``mu`` (units), for every ``pi, mu >= 0``::

        sum(pi) - mu * units + sum_o max(0, larger_o + mu * worth_o - pi_o)
            + sum_w max over patterns of w of sum_(o in p) (score_ow + mu * worth_o - pi_o)

    bounds the relaxation, hence the run; the least over the rounds is
    returned. Runs until no workshop has a pattern worth adding or
    ``deadline`` (``time.perf_counter()``) passes; the orders each workshop
    takes alone in ``start`` are a pattern from the first round. Needs ``highspy`` (HiGHS's
    own interface, for a master re-solved from its last basis each round);
    ``bound`` is inf when it is missing.
    """
    try:
        import highspy
        import numpy as np
    except ImportError:
        return PatternBound(math.inf, {}, 0, False)
    n = len(alone.specs)
    shops = list(alone.by_workshop)
    row_of = {w: n + k for k, w in enumerate(shops)}
    keep_row = n + len(shops)
    scale = max(1.0, units / max(1, n))  # the units row in numbers near 1
    worth = [u / scale for u in alone.worth]

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    rows = keep_row + 1
    lower = np.array([-inf] * keep_row + [units / scale])
    upper = np.array([1.0] * keep_row + [inf])
    empty = np.array([], dtype=np.int32)
    highs.addRows(rows, lower, upper, 0, empty, empty, np.array([]))
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def add(cost: float, index: list[int], value: list[float]) -> None:
        highs.addCol(cost, 0.0, inf, len(index), np.array(index, dtype=np.int32), np.array(value))

    for i, larger in enumerate(alone.larger):
        if larger > -math.inf:
            add(larger, [i, keep_row], [1.0, worth[i]])
    # Units bought at a price no pattern pays keep the first masters feasible (their duals
    # are prices like any other); the patterns the knapsacks find then take over.
    scores = [abs(v) for v in alone.larger if v > -math.inf]
    scores += [abs(v) for takers in alone.takers for v in takers.values()]
    add(-1e3 * (1.0 + max(scores, default=0.0)), [keep_row], [1.0])
    patterns: dict[str, list[tuple[int, ...]]] = {w: [] for w in shops}

    def add_pattern(w: str, pattern: tuple[int, ...]) -> None:
        patterns[w].append(pattern)
        cost = sum(alone.takers[i][w] for i in pattern)
        entries = [1.0] * len(pattern) + [1.0, sum(worth[i] for i in pattern)]
        add(cost, [*pattern, row_of[w], keep_row], entries)

    for w in shops:
        for i in alone.by_workshop[w]:
            add_pattern(w, (i,))
    for w, pattern in taken_alone(problem, alone, start or {}).items():
        if len(pattern) > 1:
            add_pattern(w, pattern)
    best, rounds, converged = math.inf, 0, False
    center: tuple[list[float], float] | None = None
    smooth = SMOOTHING
    while time.perf_counter() < deadline:
        rounds += 1
        highs.setOptionValue("time_limit", max(0.1, deadline - time.perf_counter()))
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        dual = highs.getSolution().row_dual
        # <= rows of a maximisation have duals >= 0, the >= row one <= 0: any sign error
        # would only weaken the bound, which holds for every non-negative price.
        pi_master = [abs(dual[i]) for i in range(n)]
        mu_master = abs(dual[keep_row]) / scale
        # Prices halfway from the best so far (Wentges): the master's own duals swing
        # from round to round while few patterns are known.
        if center is None or smooth == 0.0:
            pi, mu = pi_master, mu_master
        else:
            pi = [smooth * c + (1 - smooth) * m for c, m in zip(center[0], pi_master, strict=True)]
            mu = smooth * center[1] + (1 - smooth) * mu_master
        value = sum(pi) - mu * units
        for i, larger in enumerate(alone.larger):
            value += max(0.0, larger + mu * alone.worth[i] - pi[i])
        added = 0
        for w in shops:
            if time.perf_counter() > deadline:
                return PatternBound(best, patterns, rounds, False)
            items = [
                (i, alone.takers[i][w] + mu * alone.worth[i] - pi[i], alone.minutes[i], alone.due[i])
                for i in alone.by_workshop[w]
            ]
            profit, pick, _ = best_pattern(items, problem.workshop(w).available_minutes_per_week)
            value += profit
            if not pick or tuple(pick) in patterns[w]:
                continue
            # worth adding when it gains at the master's own prices
            gain = sum(alone.takers[i][w] + mu_master * alone.worth[i] - pi_master[i] for i in pick)
            if gain > abs(dual[row_of[w]]) + 1e-7:
                add_pattern(w, tuple(pick))
                added += 1
        if value < best:
            best, center = value, (pi, mu)
        if not added:
            if smooth == 0.0:
                converged = True
                break
            smooth = 0.0  # nothing gains at the mixed prices: try the master's own
        else:
            smooth = SMOOTHING
    return PatternBound(best, patterns, rounds, converged)
