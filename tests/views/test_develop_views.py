"""mentoring_view and plan_view: circles and plans as the pages draw them, checked against the library."""

from __future__ import annotations

import json

import pytest

from matcher.develop import mentoring, upgrade_plan
from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.model import Cluster, Order, Workshop
from matcher.sample import load_sample
from matcher.views import mentoring_view, plan_view


@pytest.fixture(scope="module")
def sample():
    cluster, _ = load_sample()
    return cluster


@pytest.fixture(scope="module")
def circles(sample):
    return mentoring(sample, time_limit=10, demand_seconds=2)


@pytest.fixture(scope="module")
def plan(sample):
    return upgrade_plan(sample, budget=25_000, time_limit=60)


def test_mentoring_view_holds_every_circle_pair_and_unpaired_workshop(sample, circles):
    view = mentoring_view(sample, circles)
    data = circles.to_dict()
    assert view["view"] == "mentoring" and view["status"] == data["status"]
    assert view["summary"] == data["summary"]
    pairs = {(p["mentor_id"], p["trainee_id"]): p for c in data["circles"] for p in c["pairs"]}
    assert {(link["mentor_id"], link["trainee_id"]) for link in view["links"]} == set(pairs)
    assert all(link["new"] == pairs[link["mentor_id"], link["trainee_id"]]["new"] for link in view["links"])
    assert view["mentors"] == sorted({c["mentor_id"] for c in data["circles"]})
    assert view["trainees"] == sorted({t for m, t in pairs})
    assert [c["mentor_id"] for c in view["circles"]] == view["mentors"]  # sorted by mentor
    assert [u["workshop_id"] for u in view["unpaired"]] == sorted(u["workshop_id"] for u in data["unpaired"])
    for circle in view["circles"]:
        assert circle["territory"] == sample.workshop(circle["mentor_id"]).territory
        assert circle["trainee_ids"] == [p["trainee_id"] for p in circle["pairs"]]
        for pair in circle["pairs"]:
            source = pairs[circle["mentor_id"], pair["trainee_id"]]
            assert pair["reason_messages"] == source["reason_messages"] and pair["learns"] == source["learns"]
    # Every workshop left without a mentor is said why, in messages the page can say in Spanish.
    assert all(
        u["reason_messages"] and len(u["reasons"]) == len(u["reason_messages"]) for u in view["unpaired"]
    )
    json.dumps(view, allow_nan=False)


def test_mentoring_view_is_the_same_from_the_result_or_its_dict(sample, circles):
    assert mentoring_view(sample, circles) == mentoring_view(sample, circles.to_dict())


def test_plan_view_ranks_the_portfolio_first_with_the_orders_each_step_unlocks(sample, plan):
    view = plan_view(sample, plan)
    data = plan.to_dict()
    assert view["view"] == "plan" and view["budget"] == 25_000
    chosen = {row["key"] for row in data["portfolio"]["interventions"]}
    assert chosen, "the sample's plan with this budget has a portfolio"
    steps = view["steps"]
    assert [s["rank"] for s in steps] == list(range(1, len(steps) + 1))
    flags = [s["in_portfolio"] for s in steps]
    assert flags == sorted(flags, reverse=True)  # the portfolio's steps come first
    assert {s["key"] for s in steps if s["in_portfolio"]} == chosen
    quantity = {o["order_id"]: o["quantity"] for o in data["orders"]}
    for step in steps:
        holding = sorted(
            o["order_id"]
            for o in data["orders"]
            if o["fills"] and step["key"] in {i["key"] for i in o["interventions"]}
        )
        assert step["orders"] == holding
        assert step["units"] == sum(quantity[o] for o in holding)
    portfolio = view["portfolio"]
    assert portfolio["confirmed_units"] == data["portfolio"]["confirmed_units"]
    assert portfolio["unlocked_orders"] == ["O10"]
    assert portfolio["remaining"] == pytest.approx(25_000 - data["portfolio"]["cost"])
    assert [o["order_id"] for o in view["orders"]] == ["O10"] and view["orders"][0]["within_budget"] is True
    json.dumps(view, allow_nan=False)


def test_plan_view_of_a_budget_too_small_has_no_portfolio_and_says_why(sample):
    plan = upgrade_plan(sample, budget=3_000, time_limit=60)
    view = plan_view(sample, plan)
    assert view["portfolio"]["orders"] == [] and view["portfolio"]["confirmed_units"] is None
    assert not any(s["in_portfolio"] for s in view["steps"])
    assert view["orders"][0]["within_budget"] is False
    assert [m["key"] for m in view["reason_messages"]] == ["plan.no_portfolio", "plan.over_budget"]


TINY = Cluster(
    (
        Workshop("M", "T", 6, ("tshirt",), ("sewing", "cutting"), quality=3, can_lead=True),
        Workshop("A", "U", 2, ("tshirt",), ("sewing",)),
    ),
    orders=(Order("O1", "tshirt", 100, 2.0),),
)


def test_views_name_workshops_and_orders_the_cluster_lacks():
    pair = {"mentor_id": "M", "trainee_id": "X9", "status": "proposed", "new": True, "learns": []}
    result = {"status": "optimal", "circles": [{"mentor_id": "M", "pairs": [pair]}], "unpaired": []}
    with pytest.raises(UnknownIdError, match="unknown workshop id X9"):
        mentoring_view(TINY, result)
    plan = {"orders": [{"order_id": "O9", "fills": False, "interventions": []}], "portfolio": {}}
    with pytest.raises(UnknownIdError, match="unknown order id O9"):
        plan_view(TINY, plan)


@pytest.mark.parametrize("bad", [None, [], {"circles": []}])
def test_views_refuse_what_is_not_a_result(bad):
    with pytest.raises(InvalidOptionError, match="mentoring result"):
        mentoring_view(TINY, bad)
    with pytest.raises(InvalidOptionError, match="the plan"):
        plan_view(TINY, bad)


def test_plan_view_ranks_by_units_then_cost():
    def step(key, cost):
        return {"key": key, "kind": "add_hours", "workshop_id": "A", "cost": cost, "text": key}

    orders = [
        {
            "order_id": "O1",
            "quantity": 100,
            "fills": True,
            "units": 100,
            "cost": 300.0,
            "units_per_cost": 1 / 3,
            "interventions": [step("cheap", 100.0), step("dear", 200.0)],
        },
    ]
    view = plan_view(TINY, {"budget": None, "orders": orders, "portfolio": {}})
    assert [(s["key"], s["rank"], s["orders"], s["territory"]) for s in view["steps"]] == [
        ("cheap", 1, ["O1"], "U"),
        ("dear", 2, ["O1"], "U"),
    ]
    assert view["portfolio"]["remaining"] is None and view["orders"][0]["within_budget"] is None
