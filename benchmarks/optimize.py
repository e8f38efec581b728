"""Quality, proof and cost of group formation on generated clusters.

    python benchmarks/optimize.py                          # 300x20, 2,000x100, 10,000x500
    python benchmarks/optimize.py --sizes 300x20 2000x100  # some sizes only
    python benchmarks/optimize.py --min-lot 0              # work split in any units

Each size runs in its own process: a cluster is generated as by ``matcher
generate --seed 0``, then :func:`matcher.optimize.solve_orders` matches every
order with the default rules (small, leader and cohesion preferred; work split
in whole lots, each order's default lot unless ``--min-lot`` sets one) within the
size's time limit, and the greedy baseline runs on the same problem. The table
gives both objectives of the lexicographic solve — filled units (times
priority) and the preferred rules' score — each with the bound proved for the
whole cluster and the relative gap ``(bound - value) / |bound|``; the greedy
baseline's score on the same objective and how much better the solve is
(``(value - greedy) / |greedy|``); the wall time until the groups and their
bounds are final (``solve s``, the figure the targets speak of) and the time
then spent explaining them by solving again (``explain s``: the changes that
would fill unfilled orders and the smallest group linked by ties for groups
that are not, within 5 s in all), the process's peak memory, the lots (``default``
or the lot asked), the fewest units any member takes of a process, and whether
the independent verifier, which checks every allocation against its order's
lot, accepted the groups.

Targets: 300x20 <= 1% gap in <= 5 s; 2,000x100 <= 2% in <= 60 s;
10,000x500 <= 3% in <= 300 s and <= 4 GiB; never worse than greedy, and
>= 5% better than greedy at 300x20.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

# Run as a script (python benchmarks/x.py) or as a module (python -m benchmarks.x).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._table import fmt, markdown_table, text_table, write_results

#: (workshops, orders, time limit in seconds, target gap)
SIZES = ((300, 20, 5.0, 0.01), (2_000, 100, 60.0, 0.02), (10_000, 500, 300.0, 0.03))
EXPLAIN_SECONDS = 5.0


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one(workshops: int, orders: int, time_limit: float, min_lot: int | None = None) -> dict:
    from matcher.optimize import MatchOptions, Rules, solve_orders
    from matcher.optimize._decompose import evaluate
    from matcher.optimize._problem import MatchProblem
    from matcher.optimize._solve import resolve_solver
    from matcher.optimize.greedy import greedy_solution
    from matcher.synthetic import generate_cluster

    cluster, _ = generate_cluster(workshops, orders, seed=0)
    options = MatchOptions(
        time_limit=time_limit, explain_seconds=EXPLAIN_SECONDS, rules=Rules(min_lot=min_lot)
    )
    start = time.perf_counter()
    result = solve_orders(cluster, options=options)
    seconds = time.perf_counter() - start
    peak = _peak_mib()

    start = time.perf_counter()
    problem = MatchProblem.build(cluster, cluster.orders, options)
    greedy = greedy_solution(problem)
    greedy_seconds = time.perf_counter() - start
    greedy_units = sum(
        spec.priority * spec.order.quantity for spec in problem.specs if greedy.get(spec.order_id)
    )
    _, greedy_score = evaluate(problem, greedy, resolve_solver("auto"), time_limit=60.0, seed=0, polish=False)
    phases = {p.name: p for p in result.phases}
    units, prefs = phases["filled_units"], phases.get("preferences")
    return {
        "workshops": workshops,
        "orders": orders,
        "time_limit": time_limit,
        "seconds": seconds,
        "explain_seconds": result.explain_seconds,
        "status": result.status,
        "method": result.options.method,
        "filled_orders": sum(o.status == "filled" for o in result.orders),
        "units": units.value,
        "units_bound": units.bound,
        "units_gap": units.gap,
        "score": prefs.value if prefs else None,
        "score_bound": prefs.bound if prefs else None,
        "score_gap": prefs.gap if prefs else None,
        "greedy_units": greedy_units,
        "greedy_score": greedy_score,
        "greedy_seconds": greedy_seconds,
        "verified": result.verified,
        "lots": "default" if min_lot is None else str(min_lot),
        "smallest_part": min(
            (a.units for o in result.orders for m in o.group for a in m.allocations), default=None
        ),
        "peak_mib": peak,
        "notes": list(result.notes),
    }


def _table(
    rows: list[dict], targets: dict[tuple[int, int], float]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    columns = (
        "size", "limit s", "solve s", "explain s", "MiB", "status", "filled", "units", "units gap", "score",
        "score bound", "score gap", "target", "greedy units", "greedy score", "vs greedy", "lots",
        "least part", "verified",
    )  # fmt: skip
    body = []
    for r in rows:
        if r["units"] > r["greedy_units"]:
            better = "more units"  # lexicographically better whatever the score
        elif r["units"] < r["greedy_units"]:
            better = "FEWER UNITS"
        elif r["score"] is not None and r["greedy_score"] is not None:
            better = format((r["score"] - r["greedy_score"]) / abs(r["greedy_score"]), "+.1%")
        else:
            better = "-"
        body.append((
            f"{r['workshops']:,}x{r['orders']}", f"{r['time_limit']:g}",
            f"{r['seconds'] - r['explain_seconds']:.1f}", f"{r['explain_seconds']:.1f}",
            f"{r['peak_mib']:.0f}", r["status"], f"{r['filled_orders']}/{r['orders']}",
            f"{r['units']:,.0f}", fmt(r["units_gap"], ".2%"), fmt(r["score"], ",.1f"),
            fmt(r["score_bound"], ",.1f"), fmt(r["score_gap"], ".2%"),
            fmt(targets.get((r["workshops"], r["orders"])), ".0%"), f"{r['greedy_units']:,.0f}",
            fmt(r["greedy_score"], ",.1f"), better, r["lots"],
            fmt(r["smallest_part"], ","), "yes" if r["verified"] else "NO",
        ))  # fmt: skip
    return columns, body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", help="WORKSHOPSxORDERS, e.g. 300x20")
    parser.add_argument("--time-limit", type=float, help="seconds per size (default: the size's target)")
    parser.add_argument(
        "--min-lot", type=int, help="the lot of every order (0: no lots; default: each order's own)"
    )
    parser.add_argument("--one", nargs=3, type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        workshops, orders, limit = args.one
        print(json.dumps(one(int(workshops), int(orders), limit, args.min_lot)))
        return
    known = {(w, o): (limit, gap) for w, o, limit, gap in SIZES}
    sizes = []
    for text in args.sizes or [f"{w}x{o}" for w, o, _, _ in SIZES]:
        w, _, o = text.partition("x")
        try:
            size = (int(w), int(o))
        except ValueError:
            parser.error(f"size {text!r} must read WORKSHOPSxORDERS, e.g. 300x20")
        sizes.append(size)
    rows = []
    root = Path(__file__).resolve().parent.parent
    for w, o in sizes:
        limit = args.time_limit or known.get((w, o), (60.0, None))[0]
        print(f"... {w:,} workshops x {o} orders, {limit:g} s", file=sys.stderr, flush=True)
        command = [sys.executable, "-m", "benchmarks.optimize", "--one", str(w), str(o), str(limit)]
        if args.min_lot is not None:
            command += ["--min-lot", str(args.min_lot)]
        out = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        for note in rows[-1]["notes"]:
            print(f"    {note}", file=sys.stderr)
    table = _table(rows, {k: v[1] for k, v in known.items()})
    print(text_table(*table))
    write_results("optimize", [markdown_table(*table)])


if __name__ == "__main__":
    main()
