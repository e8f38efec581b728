"""The smallest changes that would fill an unfilled order, each confirmed by solving."""

from __future__ import annotations

from dataclasses import replace

from matcher.model import Order, Tie
from matcher.optimize import MatchOptions, Rules, solve_orders
from tests.optimize.conftest import make, shop

FAST = MatchOptions(time_limit=10)


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
    found, order = changes_of(capped)
    # Three workshops (cap 3), or two weeks (A and B give 24 + 24), or D in U alone.
    assert found == {("max_group_size", 3), ("due_weeks", 2), ("territory", "U")}
    assert "Feasible with" in order.reasons[-1] and "U allowed" in order.reasons[-1]


def test_conflict_that_blocks_the_only_cover():
    cluster = make([shop("A", 15), shop("B", 15)], [Order("O1", "tee", 10, 1.0)], [Tie("A", "B", "conflict")])
    found, _ = changes_of(cluster)
    assert ("conflict", ("A", "B")) in found and ("due_weeks", 2) in found


def test_required_rule_relaxed_and_quality():
    cluster = make([shop("A", 15), shop("B", 15, quality=1)], [Order("O1", "tee", 10, 1.0, min_quality=1)])
    found, _ = changes_of(cluster, replace(FAST, rules=Rules(cohesion="required")))
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
