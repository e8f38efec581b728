"""Decomposed runs: bounds that hold for the whole cluster, groups that pass the verifier."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from matcher.errors import InvalidOptionError
from matcher.optimize import MatchOptions, Rules, greedy_match, solve_orders
from matcher.optimize._decompose import run
from matcher.optimize._decompose.bounds import (
    alone_relaxation,
    fewest_members,
    order_bound,
    preference_bound,
    singles_bound,
)
from matcher.optimize._decompose.pricing import lagrangian
from matcher.optimize._decompose.singles import alone_scores, sure_single
from matcher.optimize._ledger import Ledger
from matcher.optimize._model import build_model
from matcher.optimize._patterns import pattern_bound
from matcher.optimize._problem import MatchProblem
from matcher.optimize._solve import run_solver
from matcher.synthetic import generate_cluster
from tests.optimize.conftest import Order, Tie, make, shop


def _exact(problem: MatchProblem) -> tuple[float, float]:
    """Both phases of the full model, solved to optimality: (units, preferred-rules score)."""
    model = build_model(problem)
    first = run_solver(model.prob, "highs", time_limit=30, seed=0)
    assert first.status == "optimal"
    model.prob += model.filled_units() >= first.value - 0.5, "keep"
    model.prob.setObjective(model.preferences())
    second = run_solver(model.prob, "highs", time_limit=30, seed=0)
    assert second.status == "optimal"
    return first.value, second.value


#: Lots off: the hand-checked groups below share a few tees in smaller parts.
NO_LOTS = MatchOptions(rules=Rules(min_lot=0))


def test_fewest_members_by_hand(tiny):
    # 10 tees need 10 cutting + 20 sewing minutes; A, B, C have 12 each in territory T.
    problem = MatchProblem.build(tiny, tiny.orders, NO_LOTS)
    assert fewest_members(problem, problem.specs[0]) == 3
    # In the default lot (all 10 tees), nobody can sew them (20 min): no group can fill it.
    problem = MatchProblem.build(tiny, tiny.orders, MatchOptions())
    assert fewest_members(problem, problem.specs[0]) is None
    # In lots of 5, sewing needs two of them (10 min each) and cutting one: at least 3 in all.
    problem = MatchProblem.build(tiny, tiny.orders, MatchOptions(rules=Rules(min_lot=5)))
    assert fewest_members(problem, problem.specs[0]) == 3
    # Without the territory rule D (30 min) takes it alone.
    free = make(list(tiny.workshops), [Order("O1", "tee", 10, 1.0)])
    problem = MatchProblem.build(free, free.orders, MatchOptions())
    assert fewest_members(problem, problem.specs[0]) == 1


def test_fewest_members_sees_each_process():
    # 4 units: 4 cutting + 8 sewing minutes. Only A and B sew (5 min each): both are needed,
    # and C cuts, although C alone has minutes enough for the whole order.
    cluster = make(
        [shop("A", 5, ("sewing",)), shop("B", 5, ("sewing",)), shop("C", 40, ("cutting",))],
        [Order("O1", "tee", 4, 1.0)],
    )
    problem = MatchProblem.build(cluster, cluster.orders, NO_LOTS)
    assert fewest_members(problem, problem.specs[0]) == 3
    capped = make(list(cluster.workshops), [Order("O1", "tee", 4, 1.0, max_group_size=2)])
    problem = MatchProblem.build(capped, capped.orders, NO_LOTS)
    assert fewest_members(problem, problem.specs[0]) is None  # two sewers and a cutter > cap 2
    # In lots of 3, A and B can each sew 2 tees (4 min) only: below a lot, so nobody sews.
    problem = MatchProblem.build(cluster, cluster.orders, MatchOptions(rules=Rules(min_lot=3)))
    assert fewest_members(problem, problem.specs[0]) is None


def _random_cluster(seed: int):
    rng = random.Random(seed)
    processes = [("cutting", "sewing"), ("sewing",), ("cutting",)]
    shops = [
        shop(f"W{i}", rng.choice([4, 6, 9, 12, 20]), rng.choice(processes), can_lead=rng.random() < 0.4)
        for i in range(6)
    ]
    ids = [w.workshop_id for w in shops]
    ties = [
        Tie(a, b, rng.choice(["kinship", "friendship", "subcontracting"]), rng.randint(1, 5))
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if rng.random() < 0.4
    ]
    orders = [Order(f"O{k}", "tee", rng.randint(2, 8), float(rng.choice([1, 2]))) for k in range(3)]
    return make(shops, orders, ties)


@pytest.mark.parametrize("seed", range(8))
def test_bounds_hold_against_the_exact_optimum(seed):
    cluster = _random_cluster(seed)
    problem = MatchProblem.build(cluster, cluster.orders, MatchOptions())
    units, score = _exact(problem)
    pieces = []
    for spec in problem.specs:
        bound = order_bound(problem, spec)
        alone = MatchProblem(cluster, (spec,), problem.options, part_of=problem)
        alone_units, alone_score = _exact(alone)
        if bound.fillable:
            assert alone_units in (0, spec.order.quantity)
            if alone_units:  # the bound is at least what the order scores alone
                assert bound.best >= alone_score - 1e-6
            pieces.append((spec.priority * spec.order.quantity, bound.best))
        else:  # proved unfillable: the exact model agrees
            assert alone_units == 0
    assert sum(u for u, _ in pieces) >= units - 1e-6
    assert preference_bound(pieces, units) >= score - 1e-6
    bounds = {spec.order_id: order_bound(problem, spec) for spec in problem.specs}
    whole = singles_bound(problem, bounds, units, "highs", time_limit=10, seed=0)
    assert whole >= score - 1e-6
    # its linear relaxation (used on large runs) is weaker, never below the whole-choice bound
    relaxed = singles_bound(problem, bounds, units, "highs", time_limit=10, seed=0, relax=True)
    assert relaxed >= whole - 1e-6
    # whole choices per workshop (patterns, to convergence): between the two
    patterns = pattern_bound(
        problem, alone_relaxation(problem, bounds), units, deadline=time.perf_counter() + 10
    )
    assert patterns.converged
    assert whole - 1e-6 <= patterns.bound <= relaxed + 1e-6


@pytest.mark.parametrize(
    ("seed", "large"), [(0, False), (1, False), (2, False), (3, False), (0, True), (1, True)]
)
def test_decomposed_run_is_verified_and_within_its_bound(seed, large, monkeypatch):
    if large:  # as above MIX_LIMIT: workshops' patterns by column generation, their mix
        monkeypatch.setattr(run, "MIX_LIMIT", 0)
    cluster = _random_cluster(seed)
    options = MatchOptions(time_limit=20, explain_seconds=0, method="decompose")
    result = solve_orders(cluster, options=options)
    assert result.verified
    units, score = _exact(MatchProblem.build(cluster, cluster.orders, MatchOptions()))
    first, second = result.phases
    assert first.value <= units + 1e-6 <= first.bound + 2e-6
    assert second.value <= score + 1e-6 <= second.bound + 2e-6
    assert result.status == ("optimal" if first.gap == 0 and second.gap == 0 else "feasible")


@pytest.fixture(scope="module")
def generated():
    return generate_cluster(300, 12, seed=3)[0]


def test_generated_cluster_decomposes_and_repeats(generated):
    # Same input, same groups when no solve is cut by its own limit: with lots, an order's solve
    # alone takes about half a second here, so the run's budget gives each well over that (a
    # budget of 20 s gave 0.5 s, and a solve cut at its limit may end on another group).
    options = MatchOptions(time_limit=60, explain_seconds=0, method="decompose")
    first = solve_orders(generated, options=options)
    assert any("one order at a time" in note for note in first.notes)
    assert first.verified
    greedy = greedy_match(generated, options=options)
    assert first.phases[0].value >= sum(o.filled_units for o in greedy.orders)
    for phase in first.phases:
        assert phase.bound >= phase.value - 1e-6
        assert phase.gap == pytest.approx(max(0.0, phase.bound - phase.value) / max(1.0, abs(phase.bound)))
    again = solve_orders(generated, options=options)
    groups = [[(m.workshop_id, m.allocations) for m in o.group] for o in first.orders]
    assert groups == [[(m.workshop_id, m.allocations) for m in o.group] for o in again.orders]


def test_what_decomposing_does_not_handle_uses_the_full_model(tiny):
    options = MatchOptions(time_limit=10, explain_seconds=0, method="decompose", allow_partial=True)
    result = solve_orders(tiny, options=options)
    assert any("decomposing does not handle partial fills" in note for note in result.notes)
    with pytest.raises(InvalidOptionError, match="method must be one of auto, full, decompose"):
        MatchOptions(method="fast")


def _shared_leader():
    # L can lead but has minutes for one order only (9 of its 10); A and B cannot lead.
    # Alone, each order would take L (score -2 + 1 = -1); together one must do without:
    # the optimum is -1 + -2 = -3, while bounding the orders apart gives -2.
    return make(
        [shop("L", 10, can_lead=True), shop("A", 10), shop("B", 10)],
        [Order("O1", "tee", 3, 1.0), Order("O2", "tee", 3, 1.0)],
    )


def test_competing_for_a_workshop_alone_tightens_the_bound():
    cluster = _shared_leader()
    options = MatchOptions(time_limit=10, explain_seconds=0, method="decompose")
    result = solve_orders(cluster, options=options)
    _, score = _exact(MatchProblem.build(cluster, cluster.orders, MatchOptions()))
    assert score == pytest.approx(-3.0)
    preferences = result.phases[1]
    assert preferences.value == pytest.approx(-3.0)
    # Each order takes one of L, A, B alone (or a larger group, at most -4 + 1): L for one only.
    assert preferences.bound == pytest.approx(-3.0)
    assert any("can take an order alone" in note for note in result.notes)


def test_pricing_shared_minutes_tightens_the_bound():
    cluster = _shared_leader()
    problem = MatchProblem.build(cluster, cluster.orders, MatchOptions())
    bounds = {spec.order_id: order_bound(problem, spec) for spec in problem.specs}
    assert preference_bound([(3.0, b.best) for b in bounds.values()], 6.0) == pytest.approx(-2.0)
    solution = {
        "O1": {"L": {"cutting": 3, "sewing": 3}},
        "O2": {"A": {"cutting": 3, "sewing": 3}},
    }
    bound, _ = lagrangian(
        problem, bounds, {}, solution, -3.0, 6.0, "highs", deadline=time.perf_counter() + 10, seed=0
    )
    assert -3.0 - 1e-6 <= bound < -2.0


def test_a_tie_counts_only_for_two_that_could_fill_the_order():
    # 4 tees: 4 cutting + 8 sewing minutes. A (can lead) and B are tied but have 5 + 5 < 12
    # minutes; C and D have 10 each. The best pair is A with C or D (a leader, no tie):
    # 2 members and a leader, -2 + 0.5 member costs, not that plus the A-B tie.
    cluster = make(
        [shop("A", 5, can_lead=True), shop("B", 5), shop("C", 10), shop("D", 10)],
        [Order("O1", "tee", 4, 1.0)],
        [Tie("A", "B", "kinship", 5)],
    )
    problem = MatchProblem.build(cluster, cluster.orders, NO_LOTS)
    spec = problem.specs[0]
    assert fewest_members(problem, spec) == 2
    cost = problem.member_cost
    assert order_bound(problem, spec).best == pytest.approx(-1.5 * cost)
    assert _exact(problem)[1] == pytest.approx(-1.5 * cost)
    # With A and B able to fill it together, their tie counts.
    roomy = make(
        [shop("A", 6, can_lead=True), shop("B", 6), shop("C", 10), shop("D", 10)],
        [Order("O1", "tee", 4, 1.0)],
        [Tie("A", "B", "kinship", 5)],
    )
    problem = MatchProblem.build(roomy, roomy.orders, NO_LOTS)
    weight = problem.pair_weights["A", "B"]
    assert weight > 0
    assert order_bound(problem, problem.specs[0]).best == pytest.approx(-1.5 * problem.member_cost + weight)
    assert _exact(problem)[1] == pytest.approx(-1.5 * problem.member_cost + weight)


@pytest.mark.parametrize(
    "rules", [{"fairness": "preferred"}, {"cost": "preferred", "specialisation": "preferred"}]
)
def test_bounds_hold_with_other_rules(rules):
    from matcher.optimize import Rules

    for seed in range(3):
        cluster = _random_cluster(seed)
        options = MatchOptions(time_limit=20, explain_seconds=0, method="decompose", rules=Rules(**rules))
        result = solve_orders(cluster, options=options)
        assert result.verified
        units, score = _exact(MatchProblem.build(cluster, cluster.orders, options))
        first, second = result.phases
        assert first.value <= units + 1e-6 <= first.bound + 2e-6
        assert second.value <= score + 1e-6 <= second.bound + 2e-6


def test_sure_single_takes_the_tightest_workshop_that_scores_the_bound():
    # O1 (10 tees, 30 min) can be taken alone by A (40 min), B (100 min) and C (35 min, not a
    # leader). A and B score the order's bound (one member that leads); A, the tighter, is
    # taken and B kept for larger orders. Once A is promised elsewhere, B is.
    cluster = make(
        [shop("A", 40, can_lead=True), shop("B", 100, can_lead=True), shop("C", 35)],
        [Order("O1", "tee", 10, 1.0)],
    )
    problem = MatchProblem.build(cluster, cluster.orders, MatchOptions())
    spec = problem.specs[0]
    best = order_bound(problem, spec).best
    scores = alone_scores(problem, spec)
    assert scores["A"] == scores["B"] == best > scores["C"]
    ledger = Ledger(problem)
    whole = {"cutting": 10, "sewing": 10}
    assert sure_single(problem, spec, best, ledger, scores) == {"A": whole}
    ledger.commit({"A": {"sewing": 10}}, spec)  # 20 of A's 40 minutes promised
    assert sure_single(problem, spec, best, ledger, scores) == {"B": whole}
    required = replace(spec, rules=replace(spec.rules, leader="required"))
    assert sure_single(problem, required, best, Ledger(problem), scores) == {}


def test_pair_bound_needs_a_pair_that_could_lead_and_fill():
    # O1: 10 tees, 30 min. No one takes it alone; A and B (20 min each) could together, but
    # neither can lead, and C, who can, has 5 min: too few beside A or B. Best: A and B,
    # no leader bonus, -2 members (a group of three with C's bonus scores -2.5).
    cluster = make([shop("A", 20), shop("B", 20), shop("C", 5, can_lead=True)], [Order("O1", "tee", 10, 1.0)])
    problem = MatchProblem.build(cluster, cluster.orders, NO_LOTS)
    cost = problem.member_cost
    assert order_bound(problem, problem.specs[0]).best == pytest.approx(-2 * cost)
    assert _exact(problem)[1] == pytest.approx(-2 * cost)
    # With C at 12 min, C and A could fill it (C cuts, A sews): the bonus is back.
    cluster = make(
        [shop("A", 20), shop("B", 20), shop("C", 12, can_lead=True)], [Order("O1", "tee", 10, 1.0)]
    )
    problem = MatchProblem.build(cluster, cluster.orders, NO_LOTS)
    assert order_bound(problem, problem.specs[0]).best == pytest.approx(-1.5 * cost)
    assert _exact(problem)[1] == pytest.approx(-1.5 * cost)
    # No pair at all (three 11-minute workshops): groups of three only.
    cluster = make([shop(w, 11) for w in "ABC"], [Order("O1", "tee", 10, 1.0)])
    problem = MatchProblem.build(cluster, cluster.orders, NO_LOTS)
    assert order_bound(problem, problem.specs[0]).best == pytest.approx(-3 * cost)
