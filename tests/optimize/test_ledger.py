"""The capacity ledger (matcher.optimize._ledger): minutes promised by due date, by hand."""

from __future__ import annotations

from matcher.optimize import MatchOptions, Rules
from matcher.optimize._ledger import Ledger
from matcher.optimize._problem import MatchProblem
from tests.optimize.conftest import Order, make, shop


def _problem() -> MatchProblem:
    # A: 100 min a week. Tees cost 3 min (cut 1, sew 2); orders due in weeks 1, 2 and 4.
    cluster = make(
        [shop("A", 100)],
        [Order("W1", "tee", 10, 1.0), Order("W2", "tee", 10, 2.0), Order("W4", "tee", 10, 4.0)],
    )
    return MatchProblem.build(cluster, cluster.orders, MatchOptions(rules=Rules(min_lot=0)))


def _committed(order_id: str, cutting: int, sewing: int) -> tuple[Ledger, MatchProblem]:
    """A ledger where A has promised ``cutting`` + 2 x ``sewing`` minutes to ``order_id``."""
    problem = _problem()
    ledger = Ledger(problem)
    spec = next(s for s in problem.specs if s.order_id == order_id)
    ledger.commit({"A": {"cutting": cutting, "sewing": sewing}}, spec)
    return ledger, problem


def test_nothing_promised_leaves_every_week_up_to_the_due_date():
    ledger = Ledger(_problem())
    assert [ledger.free("A", due) for due in (1.0, 2.0, 4.0)] == [100.0, 200.0, 400.0]


def test_a_promise_uses_the_weeks_before_its_due_date():
    ledger, _ = _committed("W2", 10, 10)  # 30 min by week 2
    # An order due in week 1 still has all of week 1: the 30 min may be worked in week 2.
    assert ledger.free("A", 1.0) == 100.0
    assert ledger.free("A", 2.0) == 170.0
    assert ledger.free("A", 4.0) == 370.0


def test_an_earlier_promise_bounds_a_later_order_and_extra_minutes_count_as_promised():
    ledger, problem = _committed("W1", 10, 30)  # 70 min by week 1
    assert ledger.free("A", 1.0) == 30.0
    assert ledger.free("A", 2.0) == 130.0
    assert ledger.free("A", 2.0, extra={2.0: 50.0}) == 80.0  # minutes being placed, not yet committed
    w2 = next(s for s in problem.specs if s.order_id == "W2")
    assert ledger.fits({"A": {"cutting": 10, "sewing": 10}}, w2)  # 30 <= 130
    assert not ledger.fits({"A": {"cutting": 10, "sewing": 65}}, w2)  # 140 > 130
