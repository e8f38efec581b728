"""Whole lots: a member's units of a process are 0 or at least the order's lot.

The clusters are small enough to work out by hand. Routing of a tee: cutting
1 min, sewing 2 min a unit; orders are due in one week.
"""

from __future__ import annotations

from dataclasses import replace

import pulp
import pytest

from matcher.errors import InvalidOptionError
from matcher.optimize import (
    MatchOptions,
    Rules,
    greedy_match,
    order_lot,
    shortlist,
    solve_orders,
    verify_result,
)
from matcher.optimize._model import build_model, start_values
from matcher.optimize._problem import MatchProblem
from matcher.optimize.greedy import greedy_solution
from tests.optimize.conftest import Order, Tie, make, shop

FAST = MatchOptions(time_limit=10, explain_seconds=0)
NO_LOTS = replace(FAST, rules=Rules(min_lot=0))


def sliver(territory: str = "T", suffix: str = "", order_id: str = "O1"):
    """100 tees (300 min of work; default lot 50). A cuts and sews (290 min), B sews (120 min),
    C sews (30 min) and is A's kin.

    No one takes it alone. A cuts all 100 (100 min) and sews x (2x min, x <= 95); the rest
    goes to B (100 - x <= 60) or to C (100 - x <= 15). Without lots the best pair is A with
    its kin C, who sews a sliver of 5 to 15 tees. In lots of 50, C can take no lot and A and B
    must split sewing 50 / 50 exactly (A sews >= 50, B sews >= 50 = 100 - x): the only answer.
    """
    a, b, c = (f"{w}{suffix}" for w in "ABC")
    shops = [
        shop(a, 290, territory=territory),
        shop(b, 120, processes=("sewing",), territory=territory),
        shop(c, 30, processes=("sewing",), territory=territory),
    ]
    return shops, Order(order_id, "tee", 100, 1.0, territories=(territory,)), Tie(a, c, "kinship", 5)


def tees(result, order_id: str = "O1") -> dict[str, dict[str, int]]:
    order = next(o for o in result.orders if o.order_id == order_id)
    return {m.workshop_id: {a.process: a.units for a in m.allocations} for m in order.group}


def cluster_of(*parts):
    shops, orders, ties = [], [], []
    for s, o, t in parts:
        shops += s
        orders.append(o)
        ties.append(t)
    return make(shops, orders, ties)


@pytest.fixture
def slivers():
    return cluster_of(sliver())


def test_the_lot_of_an_order():
    assert order_lot(6000) == 300  # 5% of 6,000
    assert order_lot(400) == 50  # 5% is 20: at least 50
    assert order_lot(1001) == 51  # 5% rounded up
    assert order_lot(30) == 30  # never more than the quantity
    assert order_lot(600, Rules(min_lot=1000)) == 600
    assert order_lot(600, Rules(min_lot=120)) == 120
    assert order_lot(600, Rules(min_lot=0)) == 0
    options = MatchOptions(rules=Rules.parse(["min_lot=200"]), order_rules={"O5": {"min_lot": 0}})
    assert order_lot(6000, options.rules_for("O1")) == 200
    assert order_lot(6000, options.rules_for("O5")) == 0
    assert options.to_dict()["rules"]["min_lot"] == 200
    assert options.to_dict()["order_rules"] == {"O5": {"min_lot": 0}}
    assert MatchOptions().to_dict()["rules"]["min_lot"] is None


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (["min_lot=-1"], "min_lot must be a whole number >= 0 (0: no lots), got -1"),
        (["min_lot=2.5"], "min_lot must be a number, got '2.5'"),
        (["min_lot=many"], "min_lot must be a number, got 'many'"),
    ],
)
def test_bad_lots_are_refused(settings, message):
    with pytest.raises(InvalidOptionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Rules.parse(settings)
    with pytest.raises(InvalidOptionError, match="order O1: min_lot must be a whole number"):
        MatchOptions(order_rules={"O1": {"min_lot": 2.5}})


def test_without_lots_a_sliver_with_lots_whole_lots(slivers):
    loose = solve_orders(slivers, options=NO_LOTS)
    assert loose.verified and loose.status == "optimal"
    got = tees(loose)
    assert sorted(got) == ["A", "C"] and 5 <= got["C"]["sewing"] <= 15  # a sliver of sewing
    assert loose.orders[0].lot == 0 and loose.to_dict()["orders"][0]["lot"] == 0

    whole = solve_orders(slivers, options=FAST)
    assert whole.verified and whole.status == "optimal"
    assert tees(whole) == {"A": {"cutting": 100, "sewing": 50}, "B": {"sewing": 50}}
    order = whole.orders[0]
    assert order.lot == 50 and whole.to_dict()["orders"][0]["lot"] == 50
    assert "sewing: split among 2 workshops in lots of at least 50 units (A 50, B 50)." in order.reasons
    assert "cutting: all by A." in order.reasons
    split = next(m for m in order.reason_messages if m.key == "reason.process_split_lots")
    assert split.args["lot"] == 50


def test_lots_per_order(slivers):
    # The same cluster twice, in territories T and U: O1 without lots, O2 in the default lot.
    both = cluster_of(sliver(), sliver("U", "2", "O2"))
    result = solve_orders(both, options=replace(FAST, order_rules={"O1": {"min_lot": 0}}))
    assert result.verified
    assert sorted(tees(result, "O1")) == ["A", "C"]
    assert tees(result, "O2") == {"A2": {"cutting": 100, "sewing": 50}, "B2": {"sewing": 50}}
    assert [o["lot"] for o in result.to_dict()["orders"]] == [0, 50]
    # A run-wide lot of 60 leaves no answer: A sews at most 95 and B at most 60, so one of them
    # would take fewer than 60; C never can. A lot of 40 lets A and B split 60 / 40 and more.
    sixty = solve_orders(slivers, options=replace(FAST, rules=Rules(min_lot=60)))
    assert sixty.orders[0].status == "unfilled" and sixty.orders[0].lot == 60


def test_the_lot_is_at_most_the_quantity():
    # 30 tees (lot 30: all of them). A only cuts, B and C only sew, 70 min each: B or C sews
    # all 30 (60 min), never both.
    cluster = make(
        [shop("A", 40, processes=("cutting",)), shop("B", 70, processes=("sewing",)),
         shop("C", 70, processes=("sewing",))],
        [Order("O1", "tee", 30, 1.0)],
        [Tie("A", "C", "friendship", 3)],
    )  # fmt: skip
    result = solve_orders(cluster, options=replace(FAST, rules=Rules(min_lot=1000)))
    assert result.orders[0].lot == 30
    assert tees(result) == {"A": {"cutting": 30}, "C": {"sewing": 30}}  # C: tied to A


def test_greedy_decomposition_and_verifier_respect_lots(slivers):
    # The greedy: A cuts 100 and could sew 95, but that would leave 5; it sews 50, leaving a
    # lot. Its kin C cannot take 50 (15 at most); B can.
    greedy = greedy_match(slivers, options=FAST)
    assert greedy.verified and tees(greedy) == {"A": {"cutting": 100, "sewing": 50}, "B": {"sewing": 50}}
    assert sorted(tees(greedy_match(slivers, options=NO_LOTS))) == ["A", "C"]  # the sliver again
    decomposed = solve_orders(slivers, options=replace(FAST, method="decompose"))
    assert decomposed.verified and decomposed.options.method == "decompose"
    assert tees(decomposed) == {"A": {"cutting": 100, "sewing": 50}, "B": {"sewing": 50}}
    # The verifier, on the sliver hand-checked under the default lot.
    loose = solve_orders(slivers, options=NO_LOTS)
    problems = verify_result(slivers, replace(loose, options=FAST))
    units = tees(loose)["C"]["sewing"]
    assert problems == [f"order O1: C given {units} units of sewing, below the lot of 50"]
    assert verify_result(slivers, replace(loose, options=replace(FAST, rules=Rules(min_lot=units)))) == []


def test_shortlist_groups_respect_lots(slivers):
    # k = 1: a cluster of three is a small cell for a lead firm (none would be shown at k = 5).
    loose = shortlist(slivers, "O1", options=replace(NO_LOTS, time_limit=5), k=1)
    assert [e.workshop_ids for e in loose.groups] == [("A", "C"), ("A", "B")]
    whole = shortlist(slivers, "O1", options=replace(FAST, time_limit=5), k=1)
    assert [e.workshop_ids for e in whole.groups] == [("A", "B")]
    members = {m.workshop_id: {a.process: a.units for a in m.allocations} for m in whole.groups[0].members}
    assert members == {"A": {"cutting": 100, "sewing": 50}, "B": {"sewing": 50}}


def test_the_model_names_its_lots_and_starts_from_valid_values(slivers):
    problem = MatchProblem.build(slivers, slivers.orders, FAST)
    model = build_model(problem)
    names = {c.name for c in model.prob.constraints()}
    # A makes two of the order's processes: one indicator each; B and C sew only: their
    # member variable serves. C cannot sew a lot by the due date: no variable for it.
    assert {"lot_A_O1_cutting", "lot_A_O1_sewing", "does_member_A_O1_sewing", "lot_B_O1_sewing"} <= names
    assert ("C", "O1", "sewing") not in model.units
    assert model.does["B", "O1", "sewing"] is model.member["B", "O1"]
    assert "lots_O1_sewing" not in names  # two makers at most: 100 // 50, and only two can
    start = start_values(model, problem, greedy_solution(problem))
    for var in model.prob.variables():
        var.varValue = start.get(var.name, 0.0)
    broken = [c.name for c in model.prob.constraints() if not c.valid(1e-6)]
    assert broken == []
    # Lots off: no indicator, no lot rows: the model of before.
    plain = build_model(MatchProblem.build(slivers, slivers.orders, NO_LOTS))
    assert not plain.does and not [c for c in plain.prob.constraints() if c.name.startswith(("lot", "does"))]
    assert all(v.cat == pulp.LpInteger for v in plain.units.values())


def unfillable_for_the_lot():
    """100 tees: A cuts them all (200 min); S1 sews up to 55 (110 min), S2 and S3 35 each (70 min).

    Without lots they sew 100 between them; in lots of 50 only S1 can take one, 55 of 100.
    The largest lot that works splits sewing three ways, at most 35 each for S2 and S3:
    34 + 33 + 33, a lot of 33. By week 2, S1 sews all 100 (220 min).
    """
    return make(
        [shop("A", 200, processes=("cutting",))]
        + [shop(w, m, processes=("sewing",)) for w, m in (("S1", 110), ("S2", 70), ("S3", 70))],
        [Order("O1", "tee", 100, 1.0)],
    )


def test_an_order_unfillable_only_for_its_lot_says_so():
    cluster = unfillable_for_the_lot()
    assert solve_orders(cluster, options=NO_LOTS).orders[0].status == "filled"
    result = solve_orders(cluster, options=replace(FAST, explain_seconds=20))
    order = result.orders[0]
    assert result.verified and order.status == "unfilled"
    assert order.reason_messages[0].key == "diagnose.lot"
    assert order.reasons[0] == (
        "sewing in lots of at least 50 units: 1 eligible workshop can take a lot by week 1, "
        "55 of the 100 units in all; a smaller lot would help."
    )
    assert {(c.kind, c.value) for c in order.changes} == {("due_weeks", 2), ("min_lot", 33)}
    assert "lots of at least 33 units" in order.reasons[-1]
    # Confirmed: in lots of 33 it is filled, in lots of 34 it is not.
    for lot, status in ((33, "filled"), (34, "unfilled")):
        again = solve_orders(cluster, options=replace(FAST, rules=Rules(min_lot=lot)))
        assert again.orders[0].status == status, lot


def test_partial_fills_come_in_whole_lots():
    # 60 min a week in all: at most 20 of 30 tees. The default lot is all 30: nothing, even
    # in part. In lots of 10, A and B each cut 10 and sew 10 (30 min): 20 tees.
    cluster = make([shop("A", 30), shop("B", 30)], [Order("O1", "tee", 30, 1.0)])
    partial = replace(FAST, allow_partial=True)
    assert solve_orders(cluster, options=partial).orders[0].status == "unfilled"
    tens = solve_orders(cluster, options=replace(partial, rules=Rules(min_lot=10)))
    assert tens.verified and tens.orders[0].filled_units == 20
    assert tees(tens) == {"A": {"cutting": 10, "sewing": 10}, "B": {"cutting": 10, "sewing": 10}}
