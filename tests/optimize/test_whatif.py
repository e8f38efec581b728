"""The smallest changes that would fill an unfilled order, each confirmed by solving."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from matcher.model import Order, Tie
from matcher.optimize import MatchOptions, Rules, solve_orders, whatif
from matcher.optimize._problem import MatchProblem
from matcher.optimize._solve import Outcome, run_solver
from matcher.optimize.whatif import ConnectedAlternative, connected_alternative
from tests.optimize.conftest import make, shop

FAST = MatchOptions(time_limit=10)
#: Lots off: the changes below fill 10 tees in smaller parts.
SPLIT = replace(FAST, rules=Rules(min_lot=0))


def changes_of(cluster, options=FAST):
    result = solve_orders(cluster, options=options)
    order = result.orders[0]
    assert result.verified and order.status == "unfilled"
    return {
        (c.kind, c.value if not isinstance(c.value, list) else tuple(c.value)) for c in order.changes
    }, order


def test_cap_due_date_and_territory(tiny):
    # 30 min of work; A, B, C have 12 each in T, D has 30 in U. A cap of 2 blocks it.
    capped = replace(tiny, orders=(replace(tiny.orders[0], max_group_size=2),))
    found, order = changes_of(capped, SPLIT)
    # Three workshops (cap 3), or two weeks (A and B give 24 + 24), or D in U alone.
    assert found == {("max_group_size", 3), ("due_weeks", 2), ("territory", "U")}
    assert "Feasible with" in order.reasons[-1] and "U allowed" in order.reasons[-1]


def test_conflict_that_blocks_the_only_cover():
    cluster = make([shop("A", 15), shop("B", 15)], [Order("O1", "tee", 10, 1.0)], [Tie("A", "B", "conflict")])
    found, _ = changes_of(cluster, SPLIT)
    assert ("conflict", ("A", "B")) in found and ("due_weeks", 2) in found


def test_required_rule_relaxed_and_quality():
    cluster = make([shop("A", 15), shop("B", 15, quality=1)], [Order("O1", "tee", 10, 1.0, min_quality=1)])
    found, _ = changes_of(cluster, replace(FAST, rules=Rules(cohesion="required", min_lot=0)))
    assert ("rule", "cohesion") in found
    strict = make(
        [shop("A", 30, quality=2), shop("B", 30, quality=2)], [Order("O1", "tee", 10, 1.0, min_quality=4)]
    )
    found, _ = changes_of(strict)
    # Quality 3 would not do either: nothing is offered that the solver did not confirm.
    assert found == set()
    almost = make([shop("A", 30, quality=3)], [Order("O1", "tee", 10, 1.0, min_quality=4)])
    found, _ = changes_of(almost)
    assert ("min_quality", 3) in found


def test_explaining_can_be_switched_off(tiny):
    capped = replace(tiny, orders=(replace(tiny.orders[0], max_group_size=2),))
    result = solve_orders(capped, options=replace(FAST, explain_seconds=0))
    assert result.orders[0].changes == ()


def unlinked_cluster(linked=("C", "D", "E")):
    """100 tees (300 min) due in a week: A and B (200 min each, untied) fill it as a pair; the
    workshops of ``linked`` (100 min each) are tied in a path and fill it only three together."""
    shops = [shop("A", 200), shop("B", 200), *(shop(w, 100) for w in linked)]
    ties = [Tie(a, b, "kinship") for a, b in pairwise(linked)]
    return make(shops, [Order("O1", "tee", 100, 1.0)], ties)


def test_an_unlinked_group_is_told_the_smallest_linked_one():
    result = solve_orders(unlinked_cluster(), options=FAST)
    order = result.orders[0]
    assert result.verified and len(order.group) == 2 and order.cohesion["positive_pairs"] == 0
    assert order.cohesion["connected_alternative"] == {"size": 3, "smallest": True}
    keys = [m.key for m in order.reason_messages]
    assert keys.index("reason.connected_alternative") == keys.index("reason.none_tied") + 1
    assert "has 3 workshops" in order.reasons[keys.index("reason.connected_alternative")]
    assert result.to_dict()["orders"][0]["cohesion"]["connected_alternative"] == {"size": 3, "smallest": True}


def test_no_linked_group_is_said_only_when_proved():
    order = solve_orders(unlinked_cluster(("C", "D")), options=FAST).orders[0]
    assert order.cohesion["connected_alternative"] is None
    assert "reason.connected_alternative_none" in [m.key for m in order.reason_messages]
    # Not looked for: no claim either way.
    order = solve_orders(unlinked_cluster(), options=replace(FAST, explain_seconds=0)).orders[0]
    assert "connected_alternative" not in order.cohesion
    assert not any(m.key.startswith("reason.connected_alternative") for m in order.reason_messages)


def test_a_linked_group_gets_no_alternative():
    cluster = unlinked_cluster()
    cluster = replace(cluster, ties=(*cluster.ties, Tie("A", "B", "friendship")))
    order = solve_orders(cluster, options=FAST).orders[0]
    assert [m.workshop_id for m in order.group] == ["A", "B"]
    assert order.cohesion["connected"] and "connected_alternative" not in order.cohesion


def alternative(cluster, solution, budget=10.0):
    problem = MatchProblem.build(cluster, cluster.orders, FAST)
    return connected_alternative(problem, solution, problem.specs[0], solver="highs", budget=budget)


def test_the_alternative_uses_only_the_minutes_other_orders_leave():
    cluster = unlinked_cluster()
    cluster = replace(cluster, orders=(*cluster.orders, Order("O2", "tee", 20, 1.0)))
    free = alternative(cluster, {"O2": {"A": {"cutting": 20, "sewing": 20}}})
    assert free == ConnectedAlternative("found", 3, smallest=True)
    # With D's week taken by O2, C and E are no longer linked by ties: none.
    busy = alternative(cluster, {"O2": {"D": {"cutting": 20, "sewing": 40}}})
    assert busy == ConnectedAlternative("none")


def test_the_alternative_within_the_size_limit_and_the_time():
    capped = unlinked_cluster()
    capped = replace(capped, orders=(replace(capped.orders[0], max_group_size=2),))
    assert alternative(capped, {}) == ConnectedAlternative("none")
    assert alternative(unlinked_cluster(), {}, budget=0.0) == ConnectedAlternative("unknown")


def test_a_size_not_proved_smallest_says_so(monkeypatch):
    calls = []

    def first_only(prob, solver, **kwargs):
        calls.append(prob.name)
        if len(calls) == 1:
            return run_solver(prob, solver, **kwargs)
        return Outcome("none", None, None, None, 0.0)  # the time ran out

    monkeypatch.setattr(whatif, "run_solver", first_only)
    found = alternative(unlinked_cluster(), {})
    assert found.status == "found" and not found.smallest and found.size >= 3
    assert found.to_dict() == {"size": found.size, "smallest": False}
