"""Betweenness on a Dask cluster: the same sampled sources on one worker, then on two.

    python benchmarks/distributed_betweenness.py                          # 100,000 workshops, 512 sources
    python benchmarks/distributed_betweenness.py --workshops 20000 --samples 128 --repeats 1

A cluster is generated as by ``matcher generate`` (about five ties per
workshop, seed 1) and its collaboration graph built. For 1 and then 2 workers
the benchmark starts its own ``dask scheduler`` and that many single-threaded
``dask worker`` processes on 127.0.0.1 (the commands a deployment runs),
warms them up (imports) and times
:func:`matcher.distributed.betweenness.cluster_sampled_betweenness` over the
same sources (``--samples``, seed 0): the best of ``--repeats`` runs, each
from scattering the edges to summing the answers. The same estimate computed
in this process (:func:`matcher.graph._igraph.sampled_betweenness`) is the
reference: the table gives each run's time, its speed-up over one worker and
its largest difference from the reference, and says whether one and two
workers gave the same bits.

Target: two workers at least 1.6 times as fast as one, on a machine with two
idle cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

# Run as a script (python benchmarks/x.py) or as a module (python -m benchmarks.x).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._dask import START_TIMEOUT, local_cluster
from benchmarks._table import fmt, markdown_table, text_table, write_results

ROOT = Path(__file__).resolve().parent.parent

TARGET = 1.6


def timed(address: str, workers: int, graph, samples: int, repeats: int) -> tuple[float, np.ndarray]:
    """Best time of ``repeats`` runs of the sampled estimate on the cluster at ``address``, and its values."""
    import igraph as ig

    from matcher.distributed import connect
    from matcher.distributed.betweenness import cluster_sampled_betweenness

    with connect(address, timeout=START_TIMEOUT) as client:
        client.wait_for_workers(workers, timeout=START_TIMEOUT)
        cluster_sampled_betweenness(ig.Graph.Ring(100), client, samples=8, seed=0, chunk=1)  # imports
        best, value = float("inf"), None
        for _ in range(repeats):
            start = time.perf_counter()
            value, _ = cluster_sampled_betweenness(graph, client, samples=samples, seed=0)
            best = min(best, time.perf_counter() - start)
    return best, value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workshops", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=512, help="random sources (default 512)")
    parser.add_argument("--repeats", type=int, default=2, help="runs per cluster; the best counts")
    args = parser.parse_args()

    from matcher.distributed.betweenness import sources_per_task
    from matcher.graph import network_from_cluster
    from matcher.graph._igraph import collaboration_igraph, sampled_betweenness, source_batches
    from matcher.synthetic import generate_cluster

    print(f"... generating {args.workshops:,} workshops", file=sys.stderr, flush=True)
    cluster, _ = generate_cluster(args.workshops, 0, seed=1)
    graph = collaboration_igraph(network_from_cluster(cluster))
    n, m = graph.vcount(), graph.ecount()
    batches = source_batches(n, samples=args.samples, seed=0)
    tasks = sum(-(-len(b) // sources_per_task(n, m)) for b in batches)

    print("... in this process", file=sys.stderr, flush=True)
    start = time.perf_counter()
    reference, _ = sampled_betweenness(graph, samples=args.samples, seed=0)
    local_s = time.perf_counter() - start

    results = {}
    for workers in (1, 2):
        print(f"... on {workers} worker(s)", file=sys.stderr, flush=True)
        with local_cluster(workers) as address:
            results[workers] = timed(address, workers, graph, args.samples, args.repeats)
    one_s, two_s = results[1][0], results[2][0]
    same_bits = bool(np.array_equal(results[1][1], results[2][1]))

    columns = ("where", "workers", "sources", "tasks", "best s", "speed-up", "max |diff| vs local")
    body = [("this process (no Dask)", "-", f"{args.samples:,}", "-", fmt(local_s, ".2f"), "-", "-")]
    for workers, (seconds, value) in results.items():
        body.append((
            "Dask, loopback", str(workers), f"{args.samples:,}", str(tasks), fmt(seconds, ".2f"),
            fmt(one_s / seconds, ".2f") + "x", fmt(float(np.max(np.abs(value - reference))), ".1e"),
        ))  # fmt: skip
    verdict = (
        f"{n:,} workshops, {m:,} collaboration ties; {args.samples:,} sources in {tasks} tasks. "
        f"Two workers against one: {one_s / two_s:.2f}x (target {TARGET}x on two idle cores: "
        f"{'met' if one_s / two_s >= TARGET else 'not met'}); one and two workers gave "
        f"{'the same bits' if same_bits else 'different bits'}."
    )
    print(text_table(columns, body))
    print(verdict)
    write_results("distributed_betweenness", [markdown_table(columns, body), verdict])


if __name__ == "__main__":
    main()
