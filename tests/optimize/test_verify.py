"""The independent verifier (matcher.optimize.verify): a valid result passes, and each hard rule a
result breaks is named, on results changed by hand from a verified one."""

from __future__ import annotations

from dataclasses import replace

from matcher.optimize import Allocation, MatchOptions, Rules, greedy_match, verify_result
from tests.optimize.conftest import Order, Tie, make, shop

NO_LOTS = MatchOptions(rules=Rules(min_lot=0), explain_seconds=0)


def _cluster(ties=()):
    # 8 tees (cut 1 min, sew 2) due in a week; the greedy gives A cut 8 + sew 2, C sew 6.
    return make([shop("A", 12), shop("B", 6), shop("C", 12)], [Order("O1", "tee", 8, 1.0)], ties)


def _with_member(result, workshop_id, change):
    """``result`` with member ``workshop_id`` of its one order changed by ``change``."""
    order = result.orders[0]
    group = tuple(change(m) if m.workshop_id == workshop_id else m for m in order.group)
    return replace(result, orders=(replace(order, group=group),))


def test_a_verified_result_has_no_problem():
    cluster = _cluster()
    result = greedy_match(cluster, options=NO_LOTS)
    assert result.verified
    assert verify_result(cluster, result) == []


def test_more_minutes_than_the_workshop_has_are_found():
    cluster = _cluster()
    result = greedy_match(cluster, options=NO_LOTS)

    def more(member):  # C sews 8 units (16 min of its 12) and the units no longer add up
        return replace(member, allocations=(Allocation("sewing", 8, 16.0),))

    problems = verify_result(cluster, _with_member(result, "C", more))
    assert any("C" in p and "min" in p for p in problems), problems
    assert any("sewing covers 10 units, not 8" in p for p in problems), problems


def test_a_group_across_a_conflict_is_found():
    result = greedy_match(_cluster(), options=NO_LOTS)
    problems = verify_result(_cluster([Tie("A", "C", "conflict", 1)]), result)
    assert problems == ["order O1: A and C are in conflict but in one group"]


def test_a_process_the_member_does_not_do_and_minutes_that_disagree_are_found():
    cluster = make(
        [shop("A", 12), shop("B", 6), shop("C", 12, processes=("sewing",))], [Order("O1", "tee", 8, 1.0)]
    )
    result = greedy_match(cluster, options=NO_LOTS)

    def cuts(member):  # C, who only sews, given the cutting; its minutes said wrong
        return replace(member, allocations=(Allocation("cutting", 6, 6.0), Allocation("sewing", 6, 10.0)))

    problems = verify_result(cluster, _with_member(result, "C", cuts))
    assert "order O1: C does not do cutting" in problems
    assert "order O1: C sewing minutes 10.0 != 12.0" in problems


def test_two_leaders_and_an_unknown_workshop_are_found():
    cluster = _cluster()
    result = greedy_match(cluster, options=NO_LOTS)
    both = _with_member(result, "A", lambda m: replace(m, leader=True))
    both = _with_member(both, "C", lambda m: replace(m, leader=True))
    assert "order O1: 2 leaders" in verify_result(cluster, both)
    stranger = _with_member(result, "C", lambda m: replace(m, workshop_id="Z"))
    assert "order O1: unknown workshop Z" in verify_result(cluster, stranger)
