"""Latency of supplier shortlists, as a web service asks for them.

    python benchmarks/shortlist.py                       # 1,000 and 10,000 workshops
    python benchmarks/shortlist.py --sizes 1000 --orders 20 --time-limit 0.15

For each size a cluster is generated as by ``matcher generate --seed 0`` (with
50 orders); after one warm-up call (imports, the cluster's index), every order
is shortlisted in turn with ``top=10`` and the time limit, timing the whole
call. The table gives the median, 95th and 99th percentile and largest wall
time in milliseconds, how many calls overran the time limit, and the mean
number of singles and groups found. Target: p99 well under 200 ms at 10,000
workshops with a 0.15 s limit.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# Run as a script (python benchmarks/x.py) or as a module (python -m benchmarks.x).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._table import markdown_table, text_table, write_results

SIZES = (1_000, 10_000)
ORDERS = 50


def percentile(values: list[float], share: float) -> float:
    """The ``share`` percentile of ``values`` (nearest rank)."""
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, max(0, round(share * len(ranked)) - 1))]


def one(workshops: int, orders: int, time_limit: float, top: int) -> dict:
    """Shortlist every order of a generated cluster; wall times and what was found."""
    from matcher.optimize import MatchOptions, shortlist
    from matcher.synthetic import generate_cluster

    cluster, _ = generate_cluster(workshops, orders, seed=0)
    options = MatchOptions(time_limit=time_limit, seed=0)
    shortlist(cluster, cluster.orders[0].order_id, top=top, options=options)  # warm-up
    seconds, singles, groups, stopped = [], [], [], []
    for order in cluster.orders:
        start = time.perf_counter()
        result = shortlist(cluster, order.order_id, top=top, options=options)
        seconds.append(time.perf_counter() - start)
        singles.append(len(result.singles))
        groups.append(len(result.groups))
        stopped.append(result.search["stopped"])
    ms = [1000 * s for s in seconds]
    return {
        "workshops": workshops,
        "orders": orders,
        "time_limit": time_limit,
        "median": statistics.median(ms),
        "p95": percentile(ms, 0.95),
        "p99": percentile(ms, 0.99),
        "max": max(ms),
        "over": sum(s > time_limit for s in seconds),
        "singles": statistics.mean(singles),
        "groups": statistics.mean(groups),
        "on_time": sum(s == "time_limit" for s in stopped),
    }


def _table(rows: list[dict]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    columns = (
        "workshops", "orders", "limit ms", "median ms", "p95 ms", "p99 ms", "max ms", "over limit",
        "singles", "groups", "stopped on time",
    )  # fmt: skip
    body = [
        (
            f"{r['workshops']:,}",
            str(r["orders"]),
            f"{1000 * r['time_limit']:.0f}",
            f"{r['median']:.0f}",
            f"{r['p95']:.0f}",
            f"{r['p99']:.0f}",
            f"{r['max']:.0f}",
            f"{r['over']}/{r['orders']}",
            f"{r['singles']:.1f}",
            f"{r['groups']:.1f}",
            f"{r['on_time']}/{r['orders']}",
        )
        for r in rows
    ]
    return columns, body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES), help="workshops per cluster")
    parser.add_argument("--orders", type=int, default=ORDERS, help="orders per cluster (default 50)")
    parser.add_argument("--time-limit", type=float, default=0.15, help="seconds per call (default 0.15)")
    parser.add_argument("--top", type=int, default=10, help="singles and groups asked (default 10)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        print(f"... {size:,} workshops x {args.orders} orders", file=sys.stderr, flush=True)
        rows.append(one(size, args.orders, args.time_limit, args.top))
    table = _table(rows)
    print(text_table(*table))
    write_results("shortlist", [markdown_table(*table)])


if __name__ == "__main__":
    main()
