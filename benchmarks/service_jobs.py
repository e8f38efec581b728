"""The API's reads while matching jobs solve: p99 with four solves running against p99 idle.

    python benchmarks/service_jobs.py                         # PostgreSQL, 2,000 × 100, local job processes
    python benchmarks/service_jobs.py --scheduler local       # the jobs on a loopback Dask cluster
    python benchmarks/service_jobs.py --workshops 300 --orders 20 --requests 100 --jobs 2

What must hold: the p99 latency of the API's reads while 4 matching jobs
solve is at most 1.5 times their p99 with no job running.

1. *Loading* (not timed): a fresh database (PostgreSQL, or ``--database
   sqlite``) is loaded with a generated cluster (as ``matcher generate
   --workshops 2000 --orders 100 --seed 0``) and a coordinator of every
   territory (:func:`benchmarks.service.load`).
2. *Start*: the service is started by ``matcher serve`` (``--server-processes``
   uvicorn processes, one by default) with ``MATCHER_JOB_WORKERS`` set to
   ``--workers`` (the number of jobs by default), and, with ``--scheduler``,
   ``MATCHER_SCHEDULER`` set to a Dask scheduler: ``local`` starts one on
   127.0.0.1 with ``--workers`` single-threaded workers at ``nice`` 10, as
   workers sharing a machine with the service should run; an address uses
   that cluster. Timing starts once its start-up warming is over and it is idle.
3. *Idle*: ``--requests`` reads (a page of workshops, one workshop, a
   workshop's ties, one order, a page of orders, in random mix, as the
   coordinator) from ``--concurrency`` clients at once, each sending its next
   request when the last one is answered, after 50 reads of warm-up.
4. *Loaded*: ``--jobs`` matching runs of every order are submitted
   (``POST /jobs/match``, time limit ``--time-limit`` s, long enough to outlast
   the measurement) and, once every one is solving, the same reads are timed
   again. The jobs must still be solving at the end (else the run says so and
   fails); they are cancelled afterwards.

The table gives, per phase, the reads' count, errors, p50, p99 and max (ms),
the cores the machine kept busy (from ``/proc/stat``) and p99 over idle p99.
The exit status is 1 when the target is missed. The load generator shares the
machine with the service, its workers and the database: the figures mean
something only when nothing else runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._dask import local_cluster
from benchmarks._table import fmt, markdown_table, text_table, write_results
from benchmarks.service import _Connections, _database, _free_port, _pct, _reads, load, serve

#: p99 of the reads while the jobs solve, at most this many times their p99 idle.
TARGET = 1.5
#: What a worker of the local Dask cluster lowers its priority by (as the service's job processes).
NICE = 10


def _busy_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, in clock ticks (Linux ``/proc/stat``)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def reads(port: int, requests: list[tuple[str, str, dict]], concurrency: int) -> dict:
    """Send ``requests`` from ``concurrency`` clients, each waiting for its answer; latencies (ms),
    errors, and the cores the machine kept busy meanwhile."""

    async def run() -> tuple[list[float], int]:
        pool = _Connections("127.0.0.1", port, size=concurrency)
        todo = list(requests)
        latencies: list[float] = []
        errors = 0

        async def client() -> None:
            nonlocal errors
            while todo:
                method, path, headers = todo.pop()
                started = time.perf_counter()
                try:
                    status = await asyncio.wait_for(pool.request(method, path, headers), timeout=60)
                    errors += status >= 400
                except Exception:
                    errors += 1
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(client() for _ in range(concurrency)))
        return latencies, errors

    busy, total = _busy_jiffies()
    latencies, errors = asyncio.run(run())
    busy_after, total_after = _busy_jiffies()
    cores = (os.cpu_count() or 1) * (busy_after - busy) / max(1, total_after - total)
    return {"latencies": latencies, "errors": errors, "cores": cores}


def _jobs(port: int, key: str, count: int, time_limit: float) -> list[str]:
    """Submit ``count`` matching runs of every order; their ids."""
    import httpx2 as httpx

    body = {"order_ids": None, "options": {"time_limit": time_limit, "explain_seconds": 0}}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": key}, timeout=60) as client:
        ids = []
        for _ in range(count):
            r = client.post("/jobs/match", json=body)
            r.raise_for_status()
            ids.append(r.json()["job_id"])
        return ids


def _statuses(port: int, key: str, ids: list[str]) -> list[dict]:
    import httpx2 as httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": key}, timeout=60) as client:
        return [client.get(f"/jobs/{i}").json() for i in ids]


def _until_solving(port: int, key: str, ids: list[str], timeout: float = 600.0) -> None:
    """Wait until every job is solving (its worker has the cluster and the solver started)."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = _statuses(port, key, ids)
        if any(j["status"] in ("done", "failed", "cancelled") for j in jobs):
            raise RuntimeError(f"a job ended before the measurement: {[j['status'] for j in jobs]}")
        if all(j["status"] == "running" and j["message"] == "solving" for j in jobs):
            return
        if time.monotonic() > deadline:
            raise RuntimeError("the jobs did not start solving")
        time.sleep(0.5)


def _cancel(port: int, key: str, ids: list[str], timeout: float = 120.0) -> None:
    """Cancel the jobs and wait for them to end (their workers are stopped after a grace period)."""
    import httpx2 as httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": key}, timeout=60) as client:
        for job_id in ids:
            client.post(f"/jobs/{job_id}/cancel")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(j["status"] != "running" for j in _statuses(port, key, ids)):
            return
        time.sleep(0.5)


def measure(args: argparse.Namespace, url: str, folder: Path, scheduler: str | None) -> list[dict]:
    """The idle and the loaded rows of one run, on a loaded database ``url``."""
    data = load(url, args.workshops, args.orders)
    print(f"loaded {args.workshops:,} workshops in {data['load_seconds']:.1f} s", flush=True)
    key = data["keys"]["coordinator"]
    env = {"MATCHER_JOB_WORKERS": str(args.workers)}
    if scheduler:
        env["MATCHER_SCHEDULER"] = scheduler
    port = _free_port()
    proc = serve(url, port, args.server_processes, folder, data["keys"], env=env)
    try:
        rng = random.Random(0)
        warm, _ = _reads(data, 50, rng)
        reads(port, warm, args.concurrency)
        idle, _ = _reads(data, args.requests, rng)
        rows = [{"phase": "idle", **reads(port, idle, args.concurrency), "solving": 0}]
        ids = _jobs(port, key, args.jobs, args.time_limit)
        try:
            _until_solving(port, key, ids)
            loaded, _ = _reads(data, args.requests, rng)
            row = {"phase": f"{args.jobs} jobs solving", **reads(port, loaded, args.concurrency)}
            row["solving"] = sum(j["status"] == "running" for j in _statuses(port, key, ids))
            rows.append(row)
        finally:
            _cancel(port, key, ids)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return rows


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--workshops", type=int, default=2_000, help="workshops of the generated cluster")
    parser.add_argument("--orders", type=int, default=100, help="orders of the generated cluster")
    parser.add_argument("--jobs", type=int, default=4, help="matching jobs solving during the measurement")
    parser.add_argument("--workers", type=int, help="MATCHER_JOB_WORKERS (default: --jobs)")
    parser.add_argument(
        "--scheduler",
        help="run the jobs on a Dask cluster: 'local' (started here, --workers workers) or ADDRESS",
    )
    parser.add_argument("--server-processes", type=int, default=1, help="matcher serve --workers")
    parser.add_argument("--requests", type=int, default=400, help="reads timed in each phase")
    parser.add_argument("--concurrency", type=int, default=4, help="clients reading at once")
    parser.add_argument("--time-limit", type=float, default=300.0, help="each job's time limit (s)")
    args = parser.parse_args()
    args.workers = args.workers or args.jobs
    where = "Dask, loopback" if args.scheduler == "local" else "Dask" if args.scheduler else "local processes"
    with tempfile.TemporaryDirectory() as folder:
        url, drop = _database(args.database, Path(folder))
        try:
            with (
                local_cluster(args.workers, name="jobs", nice=NICE)
                if args.scheduler == "local"
                else contextlib.nullcontext(args.scheduler)
            ) as scheduler:
                rows = measure(args, url, Path(folder), scheduler)
        finally:
            drop()
    idle_p99 = _pct(rows[0]["latencies"], 0.99)
    body = []
    missed = False
    for r in rows:
        p99 = _pct(r["latencies"], 0.99)
        ratio = p99 / idle_p99 if idle_p99 else None
        loaded = r is not rows[0]
        within = ratio is not None and ratio <= TARGET and r["solving"] == args.jobs
        ok = not r["errors"] and (within or not loaded)
        missed |= not ok
        body.append((
            where, r["phase"], f"{len(r['latencies']):,}", str(r["errors"]),
            f"{_pct(r['latencies'], 0.5):.1f}", f"{p99:.1f}", f"{max(r['latencies']):.1f}",
            f"{r['cores']:.2f}", fmt(ratio, ".2f") if loaded else "-",
            f"{r['solving']}/{args.jobs}" if loaded else "-", f"≤ {TARGET:g}" if loaded else "-",
            ("pass" if ok else "FAIL") if loaded else "-",
        ))  # fmt: skip
    caption = (
        f"{args.workshops:,} workshops, {args.orders} orders, {args.database}; "
        f"{args.server_processes} server process(es), MATCHER_JOB_WORKERS={args.workers}; "
        f"{args.requests} reads per phase from {args.concurrency} clients; "
        f"jobs with a time limit of {args.time_limit:g} s.\n"
        "Latency in ms; busy cores: the whole machine's during the phase; still solving: the jobs "
        "running when the phase ended; pass: p99 within the target of idle p99, no error, every job "
        "solving throughout."
    )
    columns = (
        "jobs run on", "phase", "reads", "errors", "p50", "p99", "max", "busy cores",
        "p99 / idle", "still solving", "target", "pass",
    )  # fmt: skip
    print(f"\n{caption}")
    print(text_table(columns, body))
    write_results("service_jobs", [caption, markdown_table(columns, body)])
    raise SystemExit(1 if missed else 0)


if __name__ == "__main__":
    main()
