"""Sweeps on the loopback Dask cluster: the rows of a local run, even when a worker dies mid-sweep.

Every run here ends well inside its time limit with a proof of optimality, so its rows are the
same wherever and in whatever order the scenarios run (but for the seconds).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.errors import SchedulerUnavailableError
from matcher.io import write_cluster
from matcher.model import Cluster
from matcher.sweep import Scenario, SweepResult, sweep
from matcher.synthetic import generate_cluster

TIME_LIMIT = 30.0
VICTIM = "sweep-victim"


@pytest.fixture(scope="module")
def small() -> Cluster:
    """60 workshops and 6 orders: each scenario a few tenths of a second to a second and a half."""
    return generate_cluster(60, 6, seed=0)[0]


def scenarios(cluster: Cluster) -> list[Scenario]:
    ids = cluster.workshop_ids
    first = cluster.orders[0].order_id
    return [
        *(Scenario(f"{k} away", unavailable=ids[k : k + 6]) for k in range(0, 36, 6)),
        Scenario("cohesion", rules={"cohesion": "required"}),
        Scenario("later", extra_weeks={"*": 1.0}),
        Scenario("sooner", due_weeks={first: 0.5}),
        Scenario("pairs at most", max_group_size=2, allow_partial=True),
    ]


def unsped(result: SweepResult) -> list:
    return [replace(row, seconds=0.0) for row in result.scenarios]


@pytest.fixture(scope="module")
def local(small) -> SweepResult:
    result = sweep(small, scenarios(small), processes=1, time_limit=TIME_LIMIT)
    assert {row.status for row in result.scenarios} == {"optimal"}
    return result


def test_the_rows_on_the_cluster_are_those_of_a_local_run(dask_cluster, small, local) -> None:
    calls = []
    result = sweep(
        small, scenarios(small), scheduler=dask_cluster.address, time_limit=TIME_LIMIT,
        progress=lambda *a: calls.append(a),
    )  # fmt: skip
    assert (result.runner, result.workers) == ("dask", dask_cluster.live_workers())
    assert unsped(result) == unsped(local)
    assert calls == [(done, len(calls) - 1) for done in range(len(calls))]


def test_a_sweep_finishes_with_the_same_rows_when_a_worker_dies_in_the_middle(
    dask_cluster, dask_client, small, local
) -> None:
    victim = dask_cluster.start_worker(VICTIM)
    address = next(a for a, w in dask_client.scheduler_info()["workers"].items() if w["name"] == VICTIM)
    killed: list[int] = []  # the scenarios done when the victim died

    def kill_when_it_runs_a_scenario(done: int, total: int) -> None:
        """At the start, wait until the victim holds a scenario's task, then kill it (SIGKILL: no goodbye)."""
        deadline = time.monotonic() + (30 if done == 0 else 0)
        while not killed:
            held = [
                str(key) for key in dask_client.processing([address]).get(address, ())
                if str(key).startswith("matcher-sweep-") and not str(key).endswith("-cluster")
            ]  # fmt: skip
            if held:
                victim.kill()
                victim.wait()
                killed.append(done)
            elif time.monotonic() > deadline:
                return
            else:
                time.sleep(0.01)

    try:
        result = sweep(
            small, scenarios(small), scheduler=dask_cluster.address, time_limit=TIME_LIMIT,
            progress=kill_when_it_runs_a_scenario,
        )  # fmt: skip
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait()
    assert killed, "no scenario ever landed on the victim"
    assert killed[0] < len(result.scenarios), "the victim died with no scenario left to run"
    assert unsped(result) == unsped(local)
    assert VICTIM not in {w["name"] for w in dask_client.scheduler_info()["workers"].values()}


def test_the_command_runs_a_file_of_scenarios_on_the_cluster(dask_cluster, small, tmp_path) -> None:
    write_cluster(small, tmp_path / "cluster")
    (tmp_path / "escenarios.csv").write_text("nombre;semanas_extra\nmás plazo;1\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["sweep", str(tmp_path / "cluster"), str(tmp_path / "escenarios.csv"), "--json",
         "--scheduler", dask_cluster.address, "--time-limit", str(TIME_LIMIT)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["runner"] == "dask"
    assert [row["name"] for row in data["scenarios"]] == ["baseline", "más plazo"]


def test_a_scheduler_without_workers_is_refused_before_anything_waits(dask_cluster, small) -> None:
    """(The session's cluster asked for only so that a machine without Dask skips this test.)"""
    from distributed import LocalCluster

    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty,
        pytest.raises(SchedulerUnavailableError, match="has no workers"),
    ):
        sweep(small, [Scenario("x")], scheduler=empty.scheduler_address, time_limit=TIME_LIMIT)
