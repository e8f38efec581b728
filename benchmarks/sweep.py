"""A scenario sweep on a Dask cluster: the same 20 scenarios on one worker, then on two.

    python benchmarks/sweep.py                              # 2,000 workshops, 100 orders, 20 scenarios
    python benchmarks/sweep.py --workshops 300 --orders 20 --scenarios 8 --time-limit 5

A cluster is generated as by ``matcher generate --seed 0`` and ``--scenarios``
scenarios are made from it (due dates later, rules required, lots off, a
group-size cap, blocks of workshops unavailable, ties added, operators taken
on; :func:`scenarios`). For 1 and then 2 workers the benchmark starts its own
``dask scheduler`` and that many single-threaded ``dask worker`` processes on
127.0.0.1 (the commands a deployment runs), warms them up (imports) and times
:func:`matcher.sweep.sweep` over the scenarios and the baseline, each
scenario's matching with ``--time-limit`` seconds, from sending the tasks to
gathering the table. The table gives each run's wall time, the scenarios per
minute and the speed-up over one worker; a second table each scenario's filled
units and status on one and on two workers.

At this size a scenario's matching is decomposed and searches until its time
limit: a scenario takes about ``--time-limit`` seconds wherever it runs, and the
speed-up measures how well the sweep keeps two workers busy. Whether the two
runs filled the same units says whether each worker had its core to itself
(a starved solver finds less in the same time). With 21 tasks of equal length,
two workers can be at most 21 / 11 = 1.91 times as fast as one.

Target: two workers at least 1.7 times as fast as one, on a machine with two
idle cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# Run as a script (python benchmarks/x.py) or as a module (python -m benchmarks.x).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._dask import START_TIMEOUT, local_cluster
from benchmarks._table import markdown_table, text_table, write_results

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.7


def scenarios(cluster, count: int) -> list:
    """``count`` scenarios of every kind, made from the cluster's own ids (the same for a seed)."""
    from matcher.develop import Intervention
    from matcher.model import Tie
    from matcher.sweep import Scenario

    ids = cluster.workshop_ids
    pairs = [(ids[i], ids[i + 1]) for i in range(0, min(100, len(ids) - 1), 2)]
    hiring = ids[:: max(1, len(ids) // 20)][:20]
    kinds = [
        Scenario("a week later", extra_weeks={"*": 1.0}),
        Scenario("two weeks later", extra_weeks={"*": 2.0}),
        Scenario("cohesion required", rules={"cohesion": "required"}),
        Scenario("small required", rules={"small": "required"}),
        Scenario("leader required", rules={"leader": "required"}),
        Scenario("no lots", rules={"min_lot": 0}),
        Scenario("at most 3 per group", max_group_size=3),
        Scenario("fairness preferred", rules={"fairness": "preferred"}),
        Scenario(f"{len(pairs)} new ties", ties=tuple(Tie(a, b, "friendship") for a, b in pairs)),
        Scenario(f"{len(hiring)} take on 2 operators",
                 interventions=tuple(Intervention("add_worker", w, amount=2) for w in hiring)),
    ]  # fmt: skip
    made = kinds[:count]
    block = max(1, len(ids) // 20)
    k = 0
    while len(made) < count:
        made.append(Scenario(f"workshops {k * block + 1}-{(k + 1) * block} away",
                             unavailable=ids[k * block : (k + 1) * block]))  # fmt: skip
        k += 1
    return made


def _status(row) -> str:
    """``optimal``, ``feasible 1.2%`` (with the gap on filled units) or ``error``."""
    return f"{row.status} {row.gap:.1%}" if row.status == "feasible" and row.gap is not None else row.status


def _warm() -> None:
    """Import what a scenario needs, on a worker (the first scenario does not pay for it)."""
    import matcher.sweep.run  # noqa: F401


def timed(address: str, workers: int, cluster, found: list, time_limit: float):
    """The sweep on the cluster at ``address`` once its workers are up and warm; wall seconds and result."""
    from matcher.distributed import connect
    from matcher.sweep import sweep

    with connect(address, timeout=START_TIMEOUT) as client:
        client.wait_for_workers(workers, timeout=START_TIMEOUT)
        client.run(_warm)
    start = time.perf_counter()
    result = sweep(cluster, found, scheduler=address, time_limit=time_limit)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workshops", type=int, default=2_000)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--scenarios", type=int, default=20, help="scenarios besides the baseline")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per scenario (default 10)")
    args = parser.parse_args()

    from matcher.synthetic import generate_cluster

    cluster, _ = generate_cluster(args.workshops, args.orders, seed=0)
    found = scenarios(cluster, args.scenarios)
    load = os.getloadavg()[0]
    runs = {}
    for workers in (1, 2):
        said = f"... {len(found)} scenarios and the baseline on {workers} worker(s)"
        print(said, file=sys.stderr, flush=True)
        with local_cluster(workers, name="sweep") as address:
            runs[workers] = timed(address, workers, cluster, found, args.time_limit)
    one = runs[1][0]
    columns = ("workers", "scenarios", "limit s", "seconds", "per minute", "speed-up")
    body = [
        (
            str(w),
            str(len(result.scenarios)),
            f"{args.time_limit:g}",
            f"{seconds:.1f}",
            f"{60 * len(result.scenarios) / seconds:.1f}",
            f"{one / seconds:.2f}x",
        )
        for w, (seconds, result) in runs.items()
    ]
    rows_one, rows_two = runs[1][1].scenarios, runs[2][1].scenarios
    same = [a.filled_units == b.filled_units for a, b in zip(rows_one, rows_two, strict=True)]
    detail_columns = ("scenario", "units (1 worker)", "units (2 workers)", "status (1)", "status (2)")
    detail = [
        (
            a.name,
            f"{a.filled_units:,}",
            f"{b.filled_units:,}",
            _status(a),
            _status(b),
        )
        for a, b in zip(rows_one, rows_two, strict=True)
    ]
    ratio = one / runs[2][0]
    verdict = (
        f"{args.workshops:,} workshops x {args.orders} orders: two workers {ratio:.2f} times as fast as one "
        f"(target >= {TARGET}): {'met' if ratio >= TARGET else 'NOT met'}. The same filled units in "
        f"{sum(same)} of {len(same)} rows. Load average when the benchmark began: {load:.2f}."
    )
    print(text_table(columns, body))
    print()
    print(text_table(detail_columns, detail))
    print()
    print(verdict)
    write_results("sweep", [markdown_table(columns, body), verdict, markdown_table(detail_columns, detail)])


if __name__ == "__main__":
    main()
