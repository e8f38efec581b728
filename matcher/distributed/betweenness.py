"""Betweenness on a Dask cluster: shortest paths from many sources, split over the workers and summed.

Betweenness counted from a set of sources is the sum of what each source
contributes, so the sources are cut into chunks, each chunk is one task on the
cluster, and the client adds the chunks up. The graph travels once: its edges,
a compact (m, 2) integer array, are scattered to every worker, which rebuilds
the igraph graph and keeps it for the next tasks on the same graph.

- Exact betweenness (:func:`cluster_betweenness`) takes every vertex as a
  source: the same values as :func:`matcher.graph._igraph.betweenness`.
- The sampled estimate (:func:`cluster_sampled_betweenness`) draws its sources
  and batches as :func:`matcher.graph._igraph.sampled_betweenness` does
  (:func:`~matcher.graph._igraph.source_batches`) and combines them the same
  way (:func:`~matcher.graph._igraph.batch_estimate`): the same seed gives the
  same sources, the same estimate and the same standard error as on one
  machine, up to floating-point rounding.

The chunks depend only on the graph's size and the sources (about
:data:`TASK_WORK` units of work each), and the client sums them in their
order, never in the order they finish: the result is the same to the last bit
whatever the number of workers.

How much exact betweenness a cluster affords is :data:`EXACT_WORK_PER_WORKER`
per worker (:func:`affords_exact`); :func:`matcher.graph.brokers.betweenness_of`
samples beyond.

Examples
--------
A cluster in this process, as a test would make one; a deployment passes the
address of its scheduler to :func:`matcher.distributed.connect` instead.

>>> import networkx as nx
>>> from distributed import Client
>>> from matcher.graph._igraph import betweenness, igraph_of
>>> karate = nx.karate_club_graph()
>>> graph = igraph_of(34, np.array(karate.edges()))
>>> with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as client:
...     exact = cluster_betweenness(graph, client, chunk=10)  # 4 tasks of up to 10 sources
>>> bool(np.allclose(exact, betweenness(graph)))
True
>>> round(float(exact[0]), 4) == round(nx.betweenness_centrality(karate)[0], 4)
True
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import igraph as ig
import numpy as np

from matcher.graph._igraph import batch_estimate, igraph_of, normalised, source_batches

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "EXACT_WORK_PER_WORKER",
    "TASK_WORK",
    "affords_exact",
    "cluster_betweenness",
    "cluster_sampled_betweenness",
    "sources_per_task",
    "worker_count",
]

#: Work of exact betweenness one worker is given, in sources × (workshops + ties): every
#: vertex is a source, so exact betweenness of ``n`` workshops and ``m`` ties costs
#: ``n × (n + m)``. On the benchmark's machine one source on a generated 100,000-workshop
#: network (219,000 ties) takes about 0.02 s, so this budget is about five minutes of one
#: worker: with 2 workers exact up to about 55,000 workshops, with 20 up to about 170,000.
EXACT_WORK_PER_WORKER = 5_000_000_000

#: Work of one task, in sources × (workshops + ties): about ten seconds of a worker, long
#: enough that sending the task and its answer (one float per workshop) costs little beside it.
TASK_WORK = 150_000_000

#: Graphs a worker keeps built, by the key of their scattered edges.
_KEEP = 2
_built: dict[str, ig.Graph] = {}
_building = threading.Lock()


def affords_exact(n: int, m: int, workers: int) -> bool:
    """Whether exact betweenness of ``n`` workshops and ``m`` ties fits ``workers`` workers' budget.

    Examples
    --------
    >>> affords_exact(50_000, 110_000, workers=2), affords_exact(1_000_000, 2_200_000, workers=2)
    (True, False)
    """
    return n * (n + m) <= EXACT_WORK_PER_WORKER * workers


def sources_per_task(n: int, m: int) -> int:
    """Sources in one task on a graph of ``n`` vertices and ``m`` edges (:data:`TASK_WORK`).

    Examples
    --------
    >>> sources_per_task(100_000, 219_000), sources_per_task(10_000_000, 22_000_000)
    (470, 4)
    """
    return max(1, TASK_WORK // max(n + m, 1))


def worker_count(client: Client) -> int:
    """How many workers the client's scheduler has now."""
    return len(client.nthreads())


def cluster_betweenness(graph: ig.Graph, client: Client, *, chunk: int | None = None) -> np.ndarray:
    """Exact betweenness computed on the cluster, normalised as ``networkx.betweenness_centrality``.

    Parameters
    ----------
    graph : igraph.Graph
        Undirected.
    client : distributed.Client
        A client of the cluster (:func:`matcher.distributed.connect`).
    chunk : int, optional
        Sources per task (default :func:`sources_per_task`).

    Returns
    -------
    numpy.ndarray
        One value per vertex, equal to :func:`matcher.graph._igraph.betweenness` up to rounding.
    """
    n = graph.vcount()
    if n == 0:
        return np.zeros(0)
    (raw,) = _summed(graph, client, [np.arange(n)], chunk)
    return normalised(raw, n)


def cluster_sampled_betweenness(
    graph: ig.Graph, client: Client, *, samples: int, seed: int, batches: int = 8, chunk: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Betweenness estimated on the cluster from ``samples`` random sources, with its standard error.

    The sources, batches and estimator of :func:`matcher.graph._igraph.sampled_betweenness`;
    ``chunk`` as in :func:`cluster_betweenness`.

    Returns
    -------
    (estimate, standard_error)
        Both normalised as networkx; equal to the local function's for the same ``seed``
        up to rounding.
    """
    n = graph.vcount()
    groups = source_batches(n, samples=samples, seed=seed, batches=batches)
    raw = _summed(graph, client, groups, chunk)
    return batch_estimate(raw, [len(g) for g in groups], n)


def _summed(
    graph: ig.Graph, client: Client, groups: Sequence[np.ndarray], chunk: int | None
) -> list[np.ndarray]:
    """igraph's raw betweenness counted from each group of sources, the groups' chunks run as tasks."""
    n, m = graph.vcount(), graph.ecount()
    per_task = chunk or sources_per_task(n, m)
    edges = np.array(graph.get_edgelist(), dtype=np.int32 if n < 2**31 else np.int64).reshape(-1, 2)
    # A key of its own (not the data's hash): releasing it can never take edges another call or
    # client scattered under the same hash, and scattering them again races with that release.
    shared = client.scatter(edges, broadcast=True, hash=False)
    tasks = [
        [
            client.submit(_partial, shared, n, shared.key, part, pure=False)
            for part in np.array_split(group, math.ceil(len(group) / per_task))
        ]
        for group in groups
    ]
    sums = []
    try:
        for futures in tasks:
            total = np.zeros(n)
            for future in futures:  # in order, whatever finishes first: the same bits every time
                total += future.result()
                future.cancel()  # its answer is read: free it on the worker
            sums.append(total)
    finally:
        client.cancel([*(f for futures in tasks for f in futures), shared])
    return sums


def _partial(edges: np.ndarray, n: int, key: str, sources: np.ndarray) -> np.ndarray:
    """On a worker: igraph's betweenness counted from ``sources`` alone."""
    with _building:
        graph = _built.get(key)
        if graph is None:
            graph = igraph_of(n, edges)
            while len(_built) >= _KEEP:
                _built.pop(next(iter(_built)))
            _built[key] = graph
    return np.asarray(graph.betweenness(directed=False, sources=sources.tolist()), dtype=float)
