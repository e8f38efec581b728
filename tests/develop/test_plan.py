"""Upgrade plans: the right intervention on tiny clusters, every unlocked unit confirmed by solving
again, the budget rule, the cost table and its overrides, determinism, and O10 on the sample."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.develop import (
    Intervention,
    UpgradePlan,
    apply_interventions,
    load_costs,
    upgrade_plan,
)
from matcher.develop._upgrade_check import units_only
from matcher.develop.costs import KINDS
from matcher.errors import InvalidDataError, InvalidOptionError
from matcher.model import Cluster, Order, RoutingStep, Tie, Workshop
from matcher.optimize import MatchOptions, Rules, solve_orders
from matcher.sample import load_sample

ROUTINGS = {"tshirt": (RoutingStep("cutting", 1.0), RoutingStep("sewing", 6.0))}


def shop(wid: str, minutes: float, **kw) -> Workshop:
    """A workshop with a declared capacity (minutes a week), making t-shirts by default."""
    defaults = {"products": ("tshirt",), "processes": ("cutting", "sewing")}
    defaults.update(kw)
    products, processes = defaults.pop("products"), defaults.pop("processes")
    return Workshop(wid, "T", 2, products, processes, capacity_minutes_per_week=minutes, **defaults)


def cluster_of(workshops, order: Order, ties=()) -> Cluster:
    return Cluster(tuple(workshops), ties=tuple(ties), orders=(order,), routings=ROUTINGS)


def keys(plan: UpgradePlan, order_id: str = "O1") -> list[str]:
    found = next(o for o in plan.orders if o.order_id == order_id)
    return [i.key for i in found.interventions]


def confirm(cluster: Cluster, plan: UpgradePlan, options: MatchOptions | None = None) -> None:
    """Every set fills its order when solved again, and the portfolio's units are what solving gives."""
    opts = units_only(options or MatchOptions())
    for order in plan.orders:
        if order.fills:
            alone = replace(
                apply_interventions(cluster, order.interventions), orders=(cluster.order(order.order_id),)
            )
            result = solve_orders(alone, options=opts)
            assert result.orders[0].status == "filled", order.order_id
    if plan.portfolio:
        before = sum(o.filled_units for o in solve_orders(cluster, options=opts).orders)
        changed = apply_interventions(cluster, [item.intervention for item in plan.portfolio])
        after = sum(o.filled_units for o in solve_orders(changed, options=opts).orders)
        assert after - before == plan.confirmed_units
        assert plan.confirmed_units >= plan.planned_units
        assert math.isclose(plan.portfolio_cost, sum(i.cost for i in plan.portfolio))


# --- the right intervention, known by hand ---------------------------------------------------


def test_quality_one_level_short_is_raised():
    # B is one level short; A two levels short (not addressable); each alone has the minutes.
    order = Order("O1", "tshirt", 100, 1.0, min_quality=3)
    c = cluster_of([shop("A", 2000, quality=1), shop("B", 2000, quality=2)], order)
    plan = upgrade_plan(c, budget=1000)
    assert keys(plan) == ["quality_level:B:3"]
    assert plan.unlocked_orders == ("O1",) and plan.confirmed_units == 100
    confirm(c, plan)


def test_formality_required():
    order = Order("O1", "tshirt", 100, 1.0, require_formal=True)
    c = cluster_of([shop("A", 2000), shop("B", 300, formal=True)], order)
    plan = upgrade_plan(c, budget=1000)
    assert keys(plan) == ["formalise:A"]
    confirm(c, plan)


def test_missing_process_is_learnt():
    # Nobody cuts; A has minutes to spare, B has almost none.
    order = Order("O1", "tshirt", 100, 1.0)
    c = cluster_of([shop("A", 2000, processes=("sewing",)), shop("B", 10, processes=("sewing",))], order)
    plan = upgrade_plan(c, budget=1000)
    assert keys(plan) == ["learn_process:A:cutting"]
    confirm(c, plan)


def test_a_new_product_is_learnt():
    order = Order("O1", "tshirt", 100, 1.0)
    c = cluster_of([shop("A", 2000, products=("polo_shirt",)), shop("B", 100)], order)
    plan = upgrade_plan(c, budget=1000)
    assert keys(plan) == ["learn_product:A:tshirt"]
    confirm(c, plan)


def test_introduction_makes_a_cohesive_group():
    # Cohesion required; A and B can fill the order only together and are not tied.
    order = Order("O1", "tshirt", 400, 1.0)
    options = MatchOptions(rules=Rules(cohesion="required"))
    c = cluster_of([shop("A", 1500), shop("B", 1500)], order)
    plan = upgrade_plan(c, budget=1000, options=options)
    assert keys(plan) == ["introduce:A:B"]
    assert plan.unlocked_orders == ("O1",)
    tied = cluster_of([shop("A", 1500), shop("B", 1500)], order, ties=[Tie("A", "B", "kinship")])
    assert upgrade_plan(tied, budget=1000, options=options).orders == ()


def test_capacity_cheapest_mix_confirmed():
    w = Workshop("A", "T", 2, ("tshirt",), ("sewing",), hours_per_week=40, efficiency=0.5)
    c = Cluster(
        (w,), orders=(Order("O1", "tshirt", 700, 1.0),), routings={"tshirt": (RoutingStep("sewing", 6.0),)}
    )
    plan = upgrade_plan(c, budget=5000)
    assert keys(plan) == ["add_worker:A", "add_hours:A"]
    # Each intervention's minutes alone, on the cluster as it is (together they add 1,920).
    assert [(i.intervention.kind, i.adds_minutes_per_week) for i in plan.portfolio] == [
        ("add_worker", 1200.0),
        ("add_hours", 480.0),
    ]
    confirm(c, plan)


def test_territory_cannot_be_changed():
    order = Order("O1", "tshirt", 100, 1.0, territories=("Elsewhere",))
    plan = upgrade_plan(cluster_of([shop("A", 2000)], order), budget=1000)
    assert not plan.orders[0].fills
    assert plan.orders[0].reasons[0].key == "plan.none_in_territory"
    assert plan.portfolio == () and plan.reasons[0].key == "plan.no_portfolio"


def test_all_filled_nothing_to_unlock():
    plan = upgrade_plan(cluster_of([shop("A", 2000)], Order("O1", "tshirt", 100, 1.0)), budget=1000)
    assert plan.orders == () and plan.reasons[0].key == "plan.all_filled"


def test_specialisation_required_is_not_worked_around():
    # A mainly makes polo shirts: with specialisation required no training makes it eligible,
    # so the plan adds an operator to B, whose main product is the order's.
    order = Order("O1", "tshirt", 300, 1.0)
    options = MatchOptions(rules=Rules(specialisation="required"))
    c = cluster_of([shop("A", 9000, products=("polo_shirt", "tshirt")), shop("B", 1400)], order)
    plan = upgrade_plan(c, budget=5000, options=options)
    assert keys(plan) == ["add_worker:B"]
    confirm(c, plan, options)


def test_out_of_time_is_said_not_guessed():
    order = Order("O1", "tshirt", 100, 1.0, min_quality=3)
    c = cluster_of([shop("B", 2000, quality=2)], order)
    plan = upgrade_plan(c, time_limit=0.05)
    assert not plan.orders[0].fills and plan.orders[0].reasons[0].key == "plan.out_of_time"
    with pytest.raises(InvalidOptionError, match="time_limit must be a number of seconds > 0"):
        upgrade_plan(c, time_limit=0)


# --- budget -------------------------------------------------------------------------------------


def test_budget_below_cheapest_intervention():
    c = cluster_of([shop("A", 2000)], Order("O1", "tshirt", 100, 1.0))
    with pytest.raises(InvalidOptionError, match=r"below the cheapest intervention \(introduce, 60\)"):
        upgrade_plan(c, budget=59)
    for bad in (0, -5, math.nan, "lots"):
        with pytest.raises(InvalidOptionError, match="budget must be a number > 0"):
            upgrade_plan(c, budget=bad)


def test_budget_too_small_for_the_set_says_so():
    order = Order("O1", "tshirt", 100, 1.0, min_quality=3)
    c = cluster_of([shop("B", 2000, quality=2)], order)
    plan = upgrade_plan(c, budget=500)  # quality costs 600
    assert plan.portfolio == () and plan.confirmed_units is None
    assert [m.key for m in plan.reasons] == ["plan.no_portfolio", "plan.over_budget"]
    assert plan.reasons[1].args == {"order_id": "O1", "cost": 600.0, "budget": 500}


def test_portfolio_chooses_the_most_units_within_budget():
    # O1 (100 units) needs B formalised (250); O2 (300 units) needs C one quality up (600).
    o1 = Order("O1", "tshirt", 100, 1.0, require_formal=True)
    o2 = Order("O2", "tshirt", 300, 1.0, min_quality=4)
    c = Cluster((shop("B", 700), shop("C", 2100, quality=3)), orders=(o1, o2), routings=ROUTINGS)
    small = upgrade_plan(c, budget=700)
    assert small.planned_orders == ("O2",) and small.confirmed_units == 300
    both = upgrade_plan(c, budget=900)
    assert both.planned_orders == ("O2", "O1") or set(both.planned_orders) == {"O1", "O2"}
    assert both.confirmed_units == 400 and both.portfolio_cost == 850
    confirm(c, both)


# --- costs --------------------------------------------------------------------------------------


def test_default_cost_table_is_documented_and_synthetic():
    table = load_costs()
    assert set(table.costs) == set(KINDS) == {
        "learn_process", "learn_product", "quality_level", "formalise", "add_worker", "add_hours",
        "introduce",
    }  # fmt: skip
    assert all("SYNTHETIC" in d for d in table.descriptions.values())
    assert table.to_dict()["source"] == "default (synthetic)"


def test_cost_csv_override_changes_the_plan(tmp_path):
    w = Workshop("A", "T", 2, ("tshirt",), ("sewing",), hours_per_week=40, efficiency=0.5)
    c = Cluster(
        (w,), orders=(Order("O1", "tshirt", 700, 1.0),), routings={"tshirt": (RoutingStep("sewing", 6.0),)}
    )
    path = tmp_path / "costs.csv"
    path.write_text("kind,cost\nadd_hours,5000\n", encoding="utf-8")
    plan = upgrade_plan(c, budget=5000, costs=path)
    assert keys(plan) == ["add_worker:Ax2"] and plan.portfolio_cost == 1800
    assert plan.costs.cost("add_hours") == 5000 and plan.costs.cost("formalise") == 250
    assert (
        upgrade_plan(c, budget=5000, costs={"add_hours": 5000}).to_dict()["orders"]
        == plan.to_dict()["orders"]
    )


def test_cost_csv_errors_name_file_row_and_column(tmp_path):
    path = tmp_path / "programa.csv"
    path.write_text(
        "kind,cost,unit\nadd_worker,700,x\nteleport,5,trip\nformalise,abc,\nadd_worker,1,\n", "utf-8"
    )
    with pytest.raises(InvalidDataError) as info:
        load_costs(path)
    where = [(p.file, p.row, p.column) for p in info.value.problems]
    assert where == [("programa.csv", 3, "kind"), ("programa.csv", 4, "cost"), ("programa.csv", 5, "kind")]
    assert "teleport" in str(info.value.problems[0])
    path.write_text("kind,price\nadd_worker,700\n", "utf-8")
    with pytest.raises(InvalidDataError, match="column cost: required column is missing"):
        load_costs(path)
    with pytest.raises(InvalidOptionError, match="unknown intervention kind 'teleport'"):
        load_costs({"teleport": 3})
    with pytest.raises(InvalidOptionError, match="the cost of formalise must be a number > 0"):
        load_costs({"formalise": -1})


# --- determinism, JSON ----------------------------------------------------------------------------


def test_same_input_same_plan_and_json_ready():
    o1 = Order("O1", "tshirt", 100, 1.0, require_formal=True)
    o2 = Order("O2", "tshirt", 3000, 2.0)
    c = Cluster(
        (shop("B", 700), shop("C", 2100, quality=3), shop("D", 3000)), orders=(o1, o2), routings=ROUTINGS
    )
    first, second = (upgrade_plan(c, budget=20000, seed=3).to_dict() for _ in range(2))
    for data in (first, second):
        data.pop("seconds")
    assert first == second
    assert json.loads(json.dumps(first)) == first


# --- the sample ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_sample_o10_is_unlocked_within_budget():
    cluster, _ = load_sample()
    plan = upgrade_plan(cluster, budget=30000)
    assert "O10" in plan.unlocked_orders and plan.lost_orders == ()
    assert plan.confirmed_units >= 20000 and plan.portfolio_cost <= 30000
    o10 = next(o for o in plan.orders if o.order_id == "O10")
    assert o10.fills and all(item.orders == ("O10",) for item in plan.portfolio)
    confirm(cluster, plan)
    again = upgrade_plan(cluster, budget=30000).to_dict()
    assert {**again, "seconds": 0} == {**plan.to_dict(), "seconds": 0}
    short = upgrade_plan(cluster, budget=o10.cost - 1)
    assert short.portfolio == ()
    assert {m.key for m in short.reasons} == {"plan.no_portfolio", "plan.over_budget"}


@pytest.mark.slow
def test_cli_plan_json_and_bad_costs(tmp_path):
    runner = CliRunner()
    done = runner.invoke(
        app, ["plan", "data/sample", "--budget", "30000", "--json"], env={"MATCHER_LANG": "en"}
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert "O10" in data["portfolio"]["unlocked_orders"]
    bad = tmp_path / "c.csv"
    bad.write_text("kind,cost\nteleport,5\n", "utf-8")
    failed = runner.invoke(app, ["plan", "data/sample", "--budget", "300", "--costs", str(bad)])
    assert failed.exit_code == 2
    assert "c.csv row 2, column kind" in failed.output
    low = runner.invoke(app, ["plan", "data/sample", "--budget", "10"])
    assert low.exit_code == 2 and "below the cheapest intervention" in low.output


def test_interventions_change_a_copy():
    c = cluster_of([shop("A", 2000)], Order("O1", "tshirt", 100, 1.0))
    after = apply_interventions(c, [Intervention("add_worker", "A", amount=2)])
    assert c.workshop("A").capacity_minutes == 2000 and after.workshop("A").capacity_minutes == 4000
