"""The greedy baseline (matcher.optimize.greedy), on clusters small enough to follow by hand.

Tees take 1 min of cutting and 2 of sewing (3 min a unit); lots are off
(``min_lot=0``) so that every unit can go anywhere.
"""

from __future__ import annotations

from matcher.optimize import MatchOptions, Rules, greedy_match
from matcher.optimize._problem import MatchProblem
from matcher.optimize.greedy import greedy_group, greedy_solution
from tests.optimize.conftest import Order, Tie, make, shop

NO_LOTS = MatchOptions(rules=Rules(min_lot=0), explain_seconds=0)


def _problem(ties=(), *, partial: bool = False) -> MatchProblem:
    # 8 tees due in a week: 24 min of work; A and C have 12 min a week, B 6 (36 in all).
    cluster = make([shop("A", 12), shop("B", 6), shop("C", 12)], [Order("O1", "tee", 8, 1.0)], ties)
    options = MatchOptions(rules=Rules(min_lot=0), allow_partial=partial, explain_seconds=0)
    return MatchProblem.build(cluster, cluster.orders, options)


def test_each_step_goes_first_to_members_then_to_the_most_free_minutes():
    # Cutting: A and C tie on free minutes, A comes first by id and cuts all 8 (8 min). Sewing
    # (16 min): A has 4 min left, 2 units; then C (12 free, more than B's 6) sews the other 6.
    assert greedy_solution(_problem()) == {"O1": {"A": {"cutting": 8, "sewing": 2}, "C": {"sewing": 6}}}


def test_a_tie_to_the_group_comes_before_free_minutes():
    # B is A's kin: asked before C for sewing, it takes what its 6 min allow (3 units).
    solution = greedy_solution(_problem([Tie("A", "B", "kinship", 5)]))
    assert solution == {"O1": {"A": {"cutting": 8, "sewing": 2}, "B": {"sewing": 3}, "C": {"sewing": 3}}}


def test_never_a_group_across_a_conflict_and_partial_fills_take_the_most_that_fits():
    conflict = [Tie("A", "C", "conflict", 1)]
    # Without C, A and B have 18 min: 6 units, not 8, and the order is rolled back ...
    assert greedy_solution(_problem(conflict)) == {"O1": {}}
    # ... or, with partial fills allowed, filled with those 6 (A cuts 6 and sews 3, B sews 3).
    assert greedy_solution(_problem(conflict, partial=True)) == {
        "O1": {"A": {"cutting": 6, "sewing": 3}, "B": {"sewing": 3}}
    }


def test_a_group_begun_with_a_chosen_member():
    problem = _problem()
    # B asked first for every step: it cuts 6 (its 6 min), A cuts the other 2 and sews 5 (10 min),
    # C sews the last 3.
    assert greedy_group(problem, problem.specs[0], first="B") == {
        "B": {"cutting": 6},
        "A": {"cutting": 2, "sewing": 5},
        "C": {"sewing": 3},
    }
    conflict = _problem([Tie("A", "C", "conflict", 1)])
    assert greedy_group(conflict, conflict.specs[0], first="B") == {}  # cannot be filled in full


def test_orders_are_taken_by_due_date_against_one_ledger():
    # O1 (due week 1) needs all of A's first week; O2 (due week 2) goes to the most free minutes
    # by week 2: B and C have 24, A only the 12 of its second week, so B (first by id).
    cluster = make(
        [shop("A", 12), shop("B", 12), shop("C", 12)],
        [Order("O2", "tee", 4, 2.0), Order("O1", "tee", 4, 1.0)],
    )
    problem = MatchProblem.build(cluster, cluster.orders, NO_LOTS)
    assert greedy_solution(problem) == {
        "O1": {"A": {"cutting": 4, "sewing": 4}},
        "O2": {"B": {"cutting": 4, "sewing": 4}},
    }


def test_greedy_match_is_checked_and_claims_no_optimality():
    cluster = make([shop("A", 12), shop("B", 6), shop("C", 12)], [Order("O1", "tee", 8, 1.0)])
    result = greedy_match(cluster, options=NO_LOTS)
    assert (result.solver, result.status, result.verified) == ("greedy", "feasible", True)
    order = result.orders[0]
    assert (order.status, order.filled_units, sorted(m.workshop_id for m in order.group)) == (
        "filled",
        8,
        ["A", "C"],
    )
