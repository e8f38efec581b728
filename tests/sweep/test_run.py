"""Sweeps on this machine: each row is what matching the changed cluster gives, in the scenarios'
order with the baseline first, the same in one process as in several; bad options refused first."""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import replace

import pytest

import matcher.sweep.run as sweep_run
from matcher.develop import Intervention
from matcher.errors import InvalidOptionError, SchedulerUnavailableError
from matcher.model import Tie
from matcher.optimize import MatchOptions, solve_orders
from matcher.sweep import (
    Scenario,
    ScenarioResult,
    SweepResult,
    apply_scenario,
    scenario_options,
    sweep,
)
from matcher.sweep.result import CSV_COLUMNS
from tests.test_schemas import mismatches, returned

TIME_LIMIT = 20.0


def kinds_of_change(cluster) -> list[Scenario]:
    """One scenario per kind of change, on a generated cluster's own ids."""
    ids = cluster.workshop_ids
    orders = [o.order_id for o in cluster.orders]
    territory = cluster.workshops[0].territory
    return [
        Scenario("later", extra_weeks={"*": 1.0}),
        Scenario("cohesion", rules={"cohesion": "required"}, order_rules={orders[0]: {"min_lot": 0}}),
        Scenario("partial, at most 2", allow_partial=True, max_group_size=2),
        Scenario("sooner", due_weeks={orders[0]: 0.5}),
        Scenario("one territory", territories={"*": (territory,)}),
        Scenario("ten away", unavailable=ids[:10]),
        Scenario("ties and interventions", ties=(Tie(ids[0], ids[1], "friendship"),),
                 interventions=(Intervention("add_worker", ids[2], amount=2),)),
    ]  # fmt: skip


def unsped(rows: tuple[ScenarioResult, ...]) -> list[ScenarioResult]:
    """The rows without their seconds, which vary from run to run."""
    return [replace(row, seconds=0.0) for row in rows]


@pytest.fixture(scope="module")
def in_process(small) -> SweepResult:
    return sweep(small, kinds_of_change(small), processes=1, time_limit=TIME_LIMIT)


def test_each_row_is_what_matching_the_changed_cluster_gives(small, in_process):
    options = MatchOptions(time_limit=TIME_LIMIT, explain_seconds=0)
    scenarios = [Scenario("baseline"), *kinds_of_change(small)]
    assert [row.name for row in in_process.scenarios] == [s.name for s in scenarios]
    for scenario, row in zip(scenarios, in_process.scenarios, strict=True):
        matched = solve_orders(apply_scenario(small, scenario), options=scenario_options(options, scenario))
        assert row.status == matched.status == "optimal", scenario.name
        assert replace(row, seconds=0.0) == replace(ScenarioResult.of(scenario.name, matched), seconds=0.0)
    # The changes tell: fewer workshops fill fewer units, the baseline is compared with itself.
    data = in_process.to_dict()["scenarios"]
    assert data[0]["units_vs_baseline"] == 0
    assert next(r for r in data if r["name"] == "ten away")["units_vs_baseline"] < 0
    assert (in_process.runner, in_process.workers, in_process.seed) == ("in-process", 1, 0)


def test_processes_give_the_same_rows_in_the_same_order(small, in_process):
    calls = []
    pooled = sweep(
        small, kinds_of_change(small), processes=2, time_limit=TIME_LIMIT, progress=lambda *a: calls.append(a)
    )
    assert (pooled.runner, pooled.workers) == ("processes", 2)
    assert unsped(pooled.scenarios) == unsped(in_process.scenarios)
    total = len(kinds_of_change(small)) + 1
    assert calls == [(done, total) for done in range(total + 1)]


def test_rows_checked_by_hand_on_the_tiny_cluster(tiny):
    result = sweep(
        tiny,
        [
            Scenario("B and C away", unavailable=("B", "C")),
            Scenario("O2 anywhere", territories={"O2": ()}, unavailable=("B", "C")),
        ],
        processes=1,
        time_limit=TIME_LIMIT,
    )
    rows = [
        (row.name, row.filled_units, row.units, row.orders_filled, row.groups, row.unfilled_orders)
        for row in result.scenarios
    ]
    assert rows == [
        ("baseline", 500, 500, 2, 2, ()),
        # D has no minute free: O2 (Itá only) has no one left; A takes O1.
        ("B and C away", 200, 500, 1, 1, ("O2",)),
        # A alone: O1 takes all its first week; O2 (2,100 min by week 2) does not fit in what is left.
        ("O2 anywhere", 300, 500, 1, 1, ("O1",)),
    ]


def test_a_scenario_the_matcher_refuses_is_a_row_of_its_own(tiny):
    bad = Scenario("too small", max_group_size=1, rules={"min_group_size": 2}, description="contradicts")
    result = sweep(tiny, [bad, Scenario("fine")], processes=1, time_limit=TIME_LIMIT)
    row = result.to_dict()["scenarios"][1]
    assert (row["name"], row["status"], row["units_vs_baseline"], row["description"]) == (
        "too small",
        "error",
        None,
        "contradicts",
    )
    assert row["reasons"] == [
        "order O1: min_group_size 2 is above its group-size cap of 1; no group could be both"
    ]
    assert row["reason_messages"][0]["key"] == "option.min_above_cap"
    assert result.scenarios[2].status == "optimal"


@pytest.mark.parametrize(
    ("kwargs", "said"),
    [
        ({"processes": 0}, "processes must be a whole number >= 1, got 0"),
        ({"processes": 2, "scheduler": "tcp://127.0.0.1:1"}, "give one of them, not both"),
        ({"time_limit": 0}, "time_limit must be a number of seconds > 0, got 0"),
        ({"seed": -1}, "seed must be a whole number >= 0, got -1"),
    ],
)
def test_bad_options_are_refused_before_anything_runs(tiny, kwargs, said):
    with pytest.raises(InvalidOptionError, match=said):
        sweep(tiny, [], **kwargs)


def test_two_scenarios_of_one_name_and_a_cluster_without_orders_are_refused(tiny):
    with pytest.raises(InvalidOptionError, match="more than one scenario is named baseline, x"):
        sweep(tiny, [Scenario("x"), Scenario("x"), Scenario("baseline")], processes=1)
    with pytest.raises(InvalidOptionError, match="the dataset has no orders"):
        sweep(replace(tiny, orders=()), [], processes=1)


def test_an_unreachable_scheduler_is_named_and_nothing_runs(tiny, monkeypatch):
    monkeypatch.setattr(sweep_run, "connect", functools.partial(sweep_run.connect, timeout=0.5))
    ran = []
    monkeypatch.setattr(sweep_run, "run_scenario", lambda *a: ran.append(a))
    unreachable = r"No Dask scheduler answers at tcp://127\.0\.0\.1:1 "
    with pytest.raises(SchedulerUnavailableError, match=unreachable):
        sweep(tiny, [Scenario("x")], scheduler="tcp://127.0.0.1:1")
    assert ran == []


def test_the_json_form_is_its_schema_and_the_csv_its_table(in_process, tmp_path):
    data = in_process.to_dict()
    assert mismatches(json.loads(json.dumps(data)), returned(SweepResult.to_dict)) == []
    table = list(csv.DictReader(io.StringIO(in_process.to_csv())))
    assert list(table[0]) == list(CSV_COLUMNS)
    assert [line["scenario"] for line in table] == [row["name"] for row in data["scenarios"]]
    assert [int(line["filled_units"]) for line in table] == [row["filled_units"] for row in data["scenarios"]]
    path = in_process.write_csv(tmp_path / "sweep.csv")
    assert path.read_text(encoding="utf-8") == in_process.to_csv()
    with pytest.raises(InvalidOptionError, match="already exists"):
        in_process.write_csv(path)
    assert in_process.write_csv(path, overwrite=True) == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.csv"]  # no file left beside it


def test_a_name_a_spreadsheet_would_run_is_written_inert(tiny, tmp_path):
    result = sweep(
        tiny, [Scenario("=HYPERLINK(1)", description="@SUM(A1)")], processes=1, time_limit=TIME_LIMIT
    )
    row = result.to_csv().splitlines()[2]
    assert row.startswith("'=HYPERLINK(1),") and row.endswith(",'@SUM(A1)")
