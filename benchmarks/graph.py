"""Speed and memory of the network-level cohesion report on generated clusters.

    python benchmarks/graph.py                      # 300, 1k, 10k, 100k, 1M workshops
    python benchmarks/graph.py --sizes 300 100000   # some sizes only
    python benchmarks/graph.py --no-networkx        # skip the networkx reference

Each size runs in its own process, so memory is measured cleanly: the cluster
is generated (~5 ties per workshop, as ``matcher generate``), then
:func:`matcher.graph.network_report` runs several times from the loaded
cluster; the table gives the median time, the report's peak memory above the
loaded cluster, and the process's peak. Up to 100,000 workshops the same
report written with networkx alone runs once; the table gives the speed ratio
and both modularities (Leiden here, Louvain in networkx).

Targets: <= 0.3 s at 300 workshops, <= 3 s at 100k, <= 60 s and <= 2 GiB at 1M.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Run as a script (python benchmarks/x.py) or as a module (python -m benchmarks.x).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._table import fmt, markdown_table, text_table, write_results

SIZES = (300, 1_000, 10_000, 100_000, 1_000_000)
NETWORKX_MAX = 100_000
TARGETS = {300: 0.3, 100_000: 3.0, 1_000_000: 60.0}


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS (Linux)
        return True
    except OSError:
        return False


def one(size: int, networkx: bool) -> dict:
    from matcher.graph import network_from_cluster, network_report
    from matcher.synthetic import generate_cluster

    cluster, _ = generate_cluster(size, 0, seed=1)
    repeats = 7 if size <= 10_000 else 3 if size <= 100_000 else 1
    gc.collect()
    baseline = _status_kib("VmRSS")
    reset = _reset_peak()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        report = network_report(cluster, seed=0)
        times.append(time.perf_counter() - start)
    peak = _status_kib("VmHWM")
    row = {
        "workshops": size,
        "ties": len(cluster.ties),
        "median_s": statistics.median(times),
        "report_peak_mib": (peak - baseline) / 1024 if reset else None,
        "process_peak_mib": peak / 1024,
        "modularity": report["network"]["modularity"],
        "communities": report["network"]["communities"],
        "betweenness": report["brokers"]["betweenness"]["method"],
        "stability_ari": report["communities"]["stability"]["mean_ari"],
    }
    if networkx and size <= NETWORKX_MAX:
        from benchmarks._networkx_report import networkx_report

        net = network_from_cluster(cluster)
        start = time.perf_counter()
        reference = networkx_report(net, seed=0, runs=report["communities"]["stability"]["runs"], samples=32)
        row["networkx_s"] = time.perf_counter() - start
        row["networkx_modularity"] = reference["modularity"]
    return row


def _table(rows: list[dict]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    columns = (
        "workshops", "ties", "median s", "target s", "report MiB", "process MiB", "betweenness",
        "modularity", "networkx s", "speed-up", "nx modularity", "|diff|",
    )  # fmt: skip
    body = []
    for r in rows:
        nx_s, nx_q = r.get("networkx_s"), r.get("networkx_modularity")
        body.append((
            f"{r['workshops']:,}", f"{r['ties']:,}", fmt(r["median_s"], ".3f"),
            fmt(TARGETS.get(r["workshops"]), "g"), fmt(r["report_peak_mib"], ".0f", "?"),
            fmt(r["process_peak_mib"], ".0f"), r["betweenness"], fmt(r["modularity"], ".4f"),
            fmt(nx_s, ".2f"), fmt(nx_s / r["median_s"] if nx_s else None, ".0f") + ("x" if nx_s else ""),
            fmt(nx_q, ".4f"), fmt(abs(nx_q - r["modularity"]) if nx_q is not None else None, ".4f"),
        ))  # fmt: skip
    return columns, body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--no-networkx", action="store_true", help="skip the networkx reference")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, not args.no_networkx)))
        return
    rows = []
    root = Path(__file__).resolve().parent.parent
    for size in args.sizes:
        command = [sys.executable, "-m", "benchmarks.graph", "--one", str(size)]
        if args.no_networkx:
            command.append("--no-networkx")
        print(f"... {size:,} workshops", file=sys.stderr, flush=True)
        out = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    table = _table(rows)
    print(text_table(*table))
    write_results("graph", [markdown_table(*table)])


if __name__ == "__main__":
    main()
