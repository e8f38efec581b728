"""Run every scenario as one task, on this machine or on a Dask cluster, and gather the table.

Each scenario — the baseline first — is one task: apply the scenario to the
cluster, match every order with the scenario's options, summarise. Tasks are
independent and pure (the same cluster, scenario and options give the same
row wherever they run), so they run in any order and anywhere: in this process
(one process), in a pool of processes on this machine (the default: one per
core), or on the workers of a Dask cluster (``scheduler``). The rows are put
back in the scenarios' order whatever order they finish in.

On Dask every task carries the cluster (the graph is sent once, the cluster
pickled once in it): no scenario waits on data one worker holds, so the
scheduler spreads them over every worker, and a scenario whose worker dies is
run again on another from its spec. A sweep finishes with the same rows as
long as one worker is left.
"""

from __future__ import annotations

import math
import os
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from multiprocessing import get_context

from matcher.distributed import connect
from matcher.errors import InvalidOptionError, MatcherError, SchedulerUnavailableError
from matcher.messages import Message
from matcher.model import Cluster
from matcher.optimize import MatchOptions, solve_orders
from matcher.sweep.result import ScenarioResult, SweepResult
from matcher.sweep.scenario import BASELINE, Scenario, apply_scenario, scenario_options

__all__ = ["RETRIES", "run_scenario", "sweep"]

#: Times a task that raised is tried again on Dask (a task whose worker died is
#: re-run by the scheduler in any case, up to its ``allowed-failures``).
RETRIES = 2

Progress = Callable[[int, int], None]

# The cluster of a worker process of the local pool, set once by its initializer.
_held: Cluster | None = None


def run_scenario(cluster: Cluster, scenario: Scenario, options: MatchOptions) -> ScenarioResult:
    """One scenario's row: the scenario applied to ``cluster``, every order matched, summarised.

    A scenario the matcher refuses (its rules contradict an order's cap, ...)
    gives a row of status ``error`` with the reasons; nothing is raised.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> c = Cluster((Workshop("A", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600),),
    ...             orders=(Order("O1", "tshirt", 200, 1.0),),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> options = MatchOptions(explain_seconds=0)
    >>> run_scenario(c, Scenario("baseline"), options).filled_units
    0
    >>> run_scenario(c, Scenario("a week more", extra_weeks={"*": 1}), options).filled_units
    200
    """
    started = time.perf_counter()
    try:
        changed = apply_scenario(cluster, scenario)
        result = solve_orders(changed, options=scenario_options(options, scenario))
    except MatcherError as exc:
        return ScenarioResult.failed(scenario.name, exc, time.perf_counter() - started, scenario.description)
    return ScenarioResult.of(scenario.name, result, scenario.description)


def _hold(cluster: Cluster) -> None:
    global _held
    _held = cluster


def _run_held(scenario: Scenario, options: MatchOptions) -> ScenarioResult:
    assert _held is not None, "the pool's initializer sets the cluster"
    return run_scenario(_held, scenario, options)


def _local(
    cluster: Cluster, tasks: Sequence[Scenario], options: MatchOptions, processes: int, say: Progress
) -> list[ScenarioResult]:
    rows: list[ScenarioResult | None] = [None] * len(tasks)
    if processes == 1:
        say(0, len(tasks))
        for i, scenario in enumerate(tasks):
            rows[i] = run_scenario(cluster, scenario, options)
            say(i + 1, len(tasks))
        return rows  # type: ignore[return-value]
    # spawn: a fresh interpreter per process, safe whatever threads this one runs (a progress bar's)
    with ProcessPoolExecutor(
        max_workers=processes, mp_context=get_context("spawn"), initializer=_hold, initargs=(cluster,)
    ) as pool:
        futures = {pool.submit(_run_held, scenario, options): i for i, scenario in enumerate(tasks)}
        say(0, len(tasks))
        for done, future in enumerate(as_completed(futures), start=1):
            rows[futures[future]] = future.result()
            say(done, len(tasks))
    return rows  # type: ignore[return-value]


def _dask(
    cluster: Cluster, tasks: Sequence[Scenario], options: MatchOptions, scheduler: str, say: Progress
) -> tuple[list[ScenarioResult], int]:
    from distributed import KilledWorker
    from distributed import as_completed as dask_completed

    client = connect(scheduler)
    try:
        workers = len(client.scheduler_info()["workers"])
        if workers == 0:  # the tasks would wait for ever
            raise SchedulerUnavailableError(messages=[Message("dask.no_workers", {"address": scheduler})])
        run = f"matcher-sweep-{uuid.uuid4().hex[:12]}"
        # One graph whose every task carries the cluster (pickled once for the graph): no task
        # depends on data held by one worker, so the scheduler spreads them over all the workers,
        # and a task whose worker died is simply run again from its spec.
        submitted = client.map(
            run_scenario,
            [cluster] * len(tasks),
            tasks,
            [options] * len(tasks),
            key=[f"{run}-{i:04d}" for i in range(len(tasks))],
            retries=RETRIES,
            pure=False,
        )
        futures = {future: i for i, future in enumerate(submitted)}
        say(0, len(tasks))
        rows: list[ScenarioResult | None] = [None] * len(tasks)
        for done, future in enumerate(dask_completed(futures, loop=client.loop), start=1):
            i = futures[future]
            try:
                rows[i] = future.result()
            except KilledWorker as exc:  # every worker that ran it died: a crash, not a lost worker
                args = {"name": tasks[i].name, "reason": str(exc).strip().splitlines()[0]}
                raise MatcherError(messages=[Message("sweep.lost", args)]) from None
            say(done, len(tasks))
    finally:
        client.close()
    return rows, workers  # type: ignore[return-value]


def _check(processes: int | None, scheduler: str | None, time_limit: float, seed: int) -> None:
    problems = []
    if processes is not None and (
        isinstance(processes, bool) or not isinstance(processes, int) or processes < 1
    ):
        problems.append(Message("option.at_least", {"name": "processes", "low": 1, "got": repr(processes)}))
    if processes is not None and scheduler is not None:
        problems.append(Message("sweep.processes_or_scheduler"))
    if not isinstance(time_limit, int | float) or not math.isfinite(time_limit) or time_limit <= 0:
        args = {"name": "time_limit", "low": 0, "got": repr(time_limit)}
        problems.append(Message("option.seconds_above", args))
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        problems.append(Message("option.at_least", {"name": "seed", "low": 0, "got": repr(seed)}))
    if problems:
        raise InvalidOptionError(messages=problems)


def sweep(
    cluster: Cluster,
    scenarios: Sequence[Scenario],
    *,
    options: MatchOptions | None = None,
    scheduler: str | None = None,
    processes: int | None = None,
    seed: int = 0,
    time_limit: float = 30.0,
    progress: Progress | None = None,
) -> SweepResult:
    """Match every order under each scenario, and gather one comparison table.

    Parameters
    ----------
    cluster : Cluster
    scenarios : sequence of Scenario
        The scenarios (:func:`~matcher.sweep.read_scenarios` reads them from a file);
        the baseline, without changes, is run first and is the table's first row.
    options : MatchOptions, optional
        The matcher's options every scenario starts from (its rules, solver, ...);
        its seed and time limit are those given here, and no time is spent on
        explanations (the table does not show them).
    scheduler : str, optional
        The address of a Dask scheduler (``tcp://host:8786``): the scenarios run on
        its workers. Without it they run on this machine.
    processes : int, optional
        Processes on this machine (default: one per core, at most one per
        scenario); 1 runs them in this process. Not with ``scheduler``.
    seed : int
        Seed of every matcher run: the same cluster, scenarios and seed give the
        same table (but for the seconds), wherever and in whatever order they run,
        as long as each run ends before its time limit.
    time_limit : float
        Seconds each scenario's matcher run may use (> 0).
    progress : callable, optional
        Called as ``progress(done, total)`` as scenarios finish (first with 0, once they are submitted).

    Returns
    -------
    SweepResult
        A row per scenario, the baseline first, then in the order given.

    Raises
    ------
    InvalidOptionError
        A bad time limit, seed or number of processes, processes and a scheduler
        both given, a cluster without orders, two scenarios of one name; nothing ran.
    SchedulerUnavailableError
        No scheduler answers at ``scheduler``, or it has no workers; nothing ran.
    MissingExtraError
        ``scheduler`` without the ``dask`` extra installed.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> c = Cluster((Workshop("A", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600),
    ...              Workshop("B", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600)),
    ...             orders=(Order("O1", "tshirt", 200, 1.0),),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> result = sweep(c, [Scenario("B away", unavailable=("B",))], processes=1, time_limit=10)
    >>> [(s.name, s.filled_units, s.groups) for s in result.scenarios]
    [('baseline', 200, 1), ('B away', 0, 0)]
    >>> result.to_dict()["scenarios"][1]["units_vs_baseline"]
    -200
    """
    _check(processes, scheduler, time_limit, seed)
    if not cluster.orders:
        raise InvalidOptionError(messages=[Message("option.no_orders")])
    names = [BASELINE, *(s.name for s in scenarios)]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidOptionError(messages=[Message("sweep.same_name", {"names": twice})])
    base = replace(options or MatchOptions(), seed=seed, time_limit=time_limit, explain_seconds=0.0)
    tasks = [Scenario(BASELINE), *scenarios]
    say = progress or (lambda done, total: None)
    started = time.perf_counter()
    if scheduler is not None:
        rows, workers = _dask(cluster, tasks, base, scheduler, say)
        runner = "dask"
    else:
        workers = min(processes or os.cpu_count() or 1, len(tasks))
        rows = _local(cluster, tasks, base, workers, say)
        runner = "in-process" if workers == 1 else "processes"
    return SweepResult(
        scenarios=tuple(rows),
        runner=runner,
        workers=workers,
        seed=seed,
        time_limit=float(time_limit),
        seconds=time.perf_counter() - started,
    )
