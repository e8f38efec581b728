"""Scenarios applied to a tiny cluster, each kind of change checked by hand; the options they run with."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matcher.develop import Intervention, apply_interventions
from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.model import Tie
from matcher.optimize import MatchOptions, Rules
from matcher.sweep import Scenario, apply_scenario, scenario_options


def test_no_change_leaves_the_cluster_equal(tiny):
    assert apply_scenario(tiny, Scenario("same")) == tiny


def test_due_weeks_for_every_order_and_one_order_wins(tiny):
    after = apply_scenario(tiny, Scenario("s", due_weeks={"*": 3.0, "O2": 5.0}))
    assert [(o.order_id, o.due_weeks) for o in after.orders] == [("O1", 3.0), ("O2", 5.0)]
    assert [o.due_weeks for o in tiny.orders] == [1.0, 2.0]  # the cluster given is left as it was


def test_extra_weeks_are_added_after_the_new_due_dates(tiny):
    after = apply_scenario(tiny, Scenario("s", due_weeks={"O1": 3.0}, extra_weeks={"*": 1.5, "O2": -0.5}))
    assert [o.due_weeks for o in after.orders] == [4.5, 1.5]


def test_territories_for_every_order_one_order_or_none(tiny):
    after = apply_scenario(tiny, Scenario("s", territories={"*": ("Pilar",), "O2": ()}))
    assert [o.territories for o in after.orders] == [("Pilar",), ()]
    after = apply_scenario(tiny, Scenario("s", territories={"O1": ("Itá", "Pilar")}))
    assert [o.territories for o in after.orders] == [("Itá", "Pilar"), ("Itá",)]


def test_an_unavailable_workshop_has_no_free_minutes_and_keeps_its_ties(tiny):
    after = apply_scenario(tiny, Scenario("s", unavailable=("B",)))
    assert after.workshop("B").available_minutes_per_week == 0
    assert after.workshop("B").capacity_minutes == 1400
    assert after.workshop("C") == tiny.workshop("C")
    assert after.ties == tiny.ties


def test_an_unavailable_workshop_stays_so_after_an_intervention(tiny):
    scenario = Scenario("s", unavailable=("B",), interventions=(Intervention("add_worker", "B"),))
    after = apply_scenario(tiny, scenario)
    assert after.workshop("B").workers == 3
    assert after.workshop("B").capacity_minutes == 2100
    assert after.workshop("B").available_minutes_per_week == 0


def test_ties_are_added(tiny):
    after = apply_scenario(tiny, Scenario("s", ties=(Tie("A", "B", "friendship"), Tie("A", "C", "conflict"))))
    assert after.ties == (*tiny.ties, Tie("A", "B", "friendship"), Tie("A", "C", "conflict"))


def test_interventions_are_those_of_the_develop_module(tiny):
    done = (
        Intervention("learn_product", "A", "jeans"),
        Intervention("add_hours", "C", amount=2),
        Intervention("introduce", "A", "D"),
    )
    assert apply_scenario(tiny, Scenario("s", interventions=done)) == apply_interventions(tiny, done)
    after = apply_scenario(tiny, Scenario("s", interventions=done))
    assert after.workshop("A").products == ("tshirt", "jeans")
    assert after.workshop("C").hours_per_week == 60.0  # 48 + 2 x 8, up to 60
    assert after.workshop("C").capacity_minutes == pytest.approx(1400 * 60 / 48)
    assert after.ties[-1] == Tie("A", "D", "joint_purchase", 2)


def test_every_unknown_id_is_named(tiny):
    with pytest.raises(UnknownIdError, match="unknown order ids O8, O9"):
        apply_scenario(tiny, Scenario("s", due_weeks={"O9": 1.0}, order_rules={"O8": {"small": "off"}}))
    with pytest.raises(UnknownIdError, match="unknown workshop ids X, Y, Z"):
        apply_scenario(
            tiny,
            Scenario(
                "s",
                unavailable=("Z",),
                ties=(Tie("A", "Y", "kinship"),),
                interventions=(Intervention("introduce", "A", "X"),),
            ),
        )


def test_the_options_take_the_scenarios_rules_on_top_of_the_runs():
    base = MatchOptions(rules=Rules(fairness="preferred"), order_rules={"O1": {"small": "off"}}, seed=7)
    scenario = Scenario(
        "s",
        rules={"cohesion": "required"},
        order_rules={"O1": {"min_lot": 0}, "O2": {"leader": "required"}},
        allow_partial=True,
        max_group_size=4,
    )
    options = scenario_options(base, scenario)
    assert options.rules == Rules(fairness="preferred", cohesion="required")
    assert options.order_rules == {"O1": {"small": "off", "min_lot": 0}, "O2": {"leader": "required"}}
    assert (options.allow_partial, options.max_group_size, options.seed) == (True, 4, 7)
    assert scenario_options(base, Scenario("none")) == base


def test_options_a_scenario_makes_invalid_are_refused():
    with pytest.raises(InvalidOptionError, match="small_max must be a whole number >= 1"):
        scenario_options(MatchOptions(), Scenario("s", rules={"small_max": 0}))
    with pytest.raises(InvalidOptionError, match="order O1: min_lot"):
        scenario_options(MatchOptions(), Scenario("s", order_rules={"O1": {"min_lot": -1}}))


def test_a_scenario_is_a_value(tiny):
    s = Scenario("s", unavailable=("B",))
    assert s == replace(s) and s != replace(s, name="t")
