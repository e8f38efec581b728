"""Time to an upgrade plan on a generated cluster.

    python benchmarks/plan.py                          # 2,000 workshops, 100 orders
    python benchmarks/plan.py --sizes 500 2000 --orders 100 --budget 50000

For each size a cluster is generated as by ``matcher generate --seed 0``; the
plan (:func:`matcher.develop.upgrade_plan`, default time limit of 120 s) is
timed whole: the baseline run, the search for a set of interventions per
unfilled order with its checks by solving, the portfolio within the budget and
the run that confirms it. The table gives the wall time, the orders left
unfilled, the sets found, the solves, the portfolio's cost and its planned and
confirmed units. Target: at most 120 s at 2,000 workshops and 100 orders.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# Run as a script (python benchmarks/x.py) or as a module (python -m benchmarks.x).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._table import markdown_table, text_table, write_results

SIZES = (2_000,)
ORDERS = 100
BUDGET = 50_000.0


def one(workshops: int, orders: int, budget: float) -> dict:
    """Plan a generated cluster; wall time and what the plan found."""
    from matcher.develop import upgrade_plan
    from matcher.synthetic import generate_cluster

    cluster, _ = generate_cluster(workshops, orders, seed=0)
    start = time.perf_counter()
    plan = upgrade_plan(cluster, budget=budget, seed=0)
    seconds = time.perf_counter() - start
    return {
        "workshops": workshops,
        "orders": orders,
        "seconds": seconds,
        "unfilled": len(plan.orders),
        "sets": sum(o.fills for o in plan.orders),
        "solves": plan.solves,
        "budget": budget,
        "cost": plan.portfolio_cost,
        "planned": plan.planned_units,
        "confirmed": plan.confirmed_units,
    }


def _table(rows: list[dict]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    columns = (
        "workshops", "orders", "seconds", "unfilled", "sets found", "solves", "budget", "portfolio cost",
        "planned units", "confirmed units",
    )  # fmt: skip
    body = [
        (
            f"{r['workshops']:,}",
            str(r["orders"]),
            f"{r['seconds']:.1f}",
            str(r["unfilled"]),
            str(r["sets"]),
            str(r["solves"]),
            f"{r['budget']:,.0f}",
            f"{r['cost']:,.0f}",
            f"{r['planned']:,}",
            "-" if r["confirmed"] is None else f"{r['confirmed']:,}",
        )
        for r in rows
    ]
    return columns, body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES), help="workshops per cluster")
    parser.add_argument("--orders", type=int, default=ORDERS, help="orders per cluster (default 100)")
    parser.add_argument("--budget", type=float, default=BUDGET, help="the plan's budget (default 50,000)")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        print(f"... {size:,} workshops x {args.orders} orders", file=sys.stderr, flush=True)
        rows.append(one(size, args.orders, args.budget))
    table = _table(rows)
    print(text_table(*table))
    write_results("plan", [markdown_table(*table)])


if __name__ == "__main__":
    main()
