"""Workshops' patterns: exact knapsacks and a bound between the relaxation and the whole choice."""

from __future__ import annotations

import itertools
import math
import random
import time

import pytest

from matcher.optimize import MatchOptions
from matcher.optimize._decompose.bounds import alone_relaxation, order_bound, singles_bound
from matcher.optimize._patterns import best_pattern, pattern_bound
from matcher.optimize._problem import MatchProblem
from tests.optimize.conftest import Order, make, shop


def _brute(items, per_week):
    """The best subset by enumeration, with the minutes due by each week within per_week * week."""
    best = 0.0
    for r in range(len(items) + 1):
        for subset in itertools.combinations(items, r):
            fits = all(
                sum(m for _, _, m, due in subset if due <= d) <= per_week * d + 1e-6
                for d in {due for *_, due in subset}
            )
            if fits:
                best = max(best, sum(p for _, p, _, _ in subset if p > 0))
    return best


@pytest.mark.parametrize("seed", range(20))
def test_best_pattern_is_the_best_subset(seed):
    rng = random.Random(seed)
    items = [
        (i, rng.uniform(-2, 5), float(rng.randint(50, 700)), float(rng.choice([1, 2, 3])))
        for i in range(rng.randint(1, 9))
    ]
    per_week = float(rng.choice([200, 400, 800]))
    value, pick, exact = best_pattern(items, per_week)
    assert exact
    assert value == pytest.approx(_brute(items, per_week))
    chosen = [it for it in items if it[0] in pick]
    assert sum(p for _, p, _, _ in chosen) == pytest.approx(value)
    for d in {due for *_, due in chosen}:  # the choice itself fits by every due date
        assert sum(m for _, _, m, due in chosen if due <= d) <= per_week * d + 1e-6


def test_best_pattern_bounds_from_above_when_the_search_stops():
    rng = random.Random(7)
    items = [(i, rng.uniform(1, 5), float(rng.randint(50, 150)), 1.0) for i in range(14)]
    value, pick, exact = best_pattern(items, 600.0, node_limit=5)
    assert not exact
    assert value >= _brute(items, 600.0) - 1e-9  # the fractional bound
    assert sum(m for i, _, m, _ in items if i in pick) <= 600.0 + 1e-6


def test_by_hand_the_bound_sees_a_workshop_cannot_take_part_of_an_order():
    # Only A (100 min a week, can lead) can take any of three orders alone, and none has a
    # group of two or more: O0 is 20 tees (60 min), O1 and O2 15 tees (45 min) each. Keeping
    # 30 units, A must take O1 and O2 (O0 and either does not fit): two orders alone. The
    # linear relaxation takes O0 and 2/3 of O1 (100 min): 1 2/3 orders.
    cluster = make(
        [shop("A", 100, ("cutting", "sewing"), can_lead=True)],
        [Order("O0", "tee", 20, 1.0), Order("O1", "tee", 15, 1.0), Order("O2", "tee", 15, 1.0)],
    )
    problem = MatchProblem.build(cluster, cluster.orders, MatchOptions())
    bounds = {s.order_id: order_bound(problem, s) for s in problem.specs}
    alone = alone_relaxation(problem, bounds)
    assert [list(t) for t in alone.takers] == [["A"]] * 3 and alone.larger == [-math.inf] * 3
    each = alone.takers[0]["A"]  # one member that leads: the same score for every order
    assert each < 0 and all(t["A"] == each for t in alone.takers)
    whole = singles_bound(problem, bounds, 30.0, "highs", time_limit=10, seed=0)
    relaxed = singles_bound(problem, bounds, 30.0, "highs", time_limit=10, seed=0, relax=True)
    patterns = pattern_bound(problem, alone, 30.0, deadline=time.perf_counter() + 10)
    assert whole == pytest.approx(2 * each)
    assert relaxed == pytest.approx(each * 5 / 3)
    assert patterns.converged and patterns.bound == pytest.approx(2 * each)
