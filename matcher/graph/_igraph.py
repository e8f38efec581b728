"""The igraph side of the analysis: fast computations on the collaboration graph.

igraph is confined to this module; everything else passes numpy arrays.
"""

from __future__ import annotations

import multiprocessing
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection

import igraph as ig
import numpy as np

from matcher.graph.network import Network

__all__ = [
    "LEIDEN_FULL_EDGES",
    "batch_estimate",
    "betweenness",
    "collaboration_igraph",
    "igraph_of",
    "leiden_membership",
    "leiden_memberships",
    "local_clustering",
    "normalised",
    "sampled_betweenness",
    "source_batches",
]

#: Up to this many edges Leiden iterates until the partition is stable; above,
#: two passes (on generated clusters of 100,000 workshops the modularity
#: differs by 0.0001).
LEIDEN_FULL_EDGES = 200_000

#: From this many edges, Leiden runs with several seeds are shared with a second process
#: (igraph holds the interpreter while it works, so only a process uses a second core;
#: below, starting one costs about what it saves).
SHARED_LEIDEN_EDGES = 500_000


def igraph_of(n: int, edges: np.ndarray) -> ig.Graph:
    """An undirected igraph with ``n`` vertices and the given (m, 2) edge array."""
    graph = ig.Graph(n=n, directed=False)
    if len(edges):
        graph.add_edges(np.ascontiguousarray(edges, dtype=np.int64))  # far faster than lists
    return graph


def collaboration_igraph(net: Network) -> ig.Graph:
    """Every workshop a vertex; one undirected edge per pair with a positive tie."""
    return igraph_of(net.n, net.collaboration_edges)


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """igraph draws from a process-wide generator; scope a seeded one to a call
    so results are reproducible and no state leaks to other callers."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def leiden_membership(graph: ig.Graph, *, seed: int, resolution: float) -> list[int]:
    """Leiden partition optimising modularity at ``resolution``."""
    if graph.vcount() == 0:
        return []
    iterations = -1 if graph.ecount() <= LEIDEN_FULL_EDGES else 2
    with seeded(seed):
        partition = graph.community_leiden(
            objective_function="modularity", resolution=resolution, n_iterations=iterations
        )
    return list(partition.membership)


def leiden_memberships(graph: ig.Graph, *, seeds: Sequence[int], resolution: float) -> list[list[int]]:
    """Leiden partitions of ``graph``, one per seed, in the seeds' order.

    On a large graph (:data:`SHARED_LEIDEN_EDGES`) every second seed runs in a forked copy of
    this process, which shares the graph's memory and sends back its partitions; the
    partitions are those of running the seeds one after another (each run draws from its own
    seeded generator). Where no process can be started (a daemon process, a platform without
    ``fork``) or the copy fails, its seeds run here.

    Examples
    --------
    >>> g = ig.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> [len(set(m)) for m in leiden_memberships(g, seeds=[0, 1], resolution=1.0)]
    [2, 2]
    """
    seeds = list(seeds)
    apart = seeds[1::2] if len(seeds) > 1 and graph.ecount() >= SHARED_LEIDEN_EDGES else []
    copy = _forked(graph, apart, resolution) if apart else None
    here = seeds if copy is None else seeds[0::2]
    found = {seed: leiden_membership(graph, seed=seed, resolution=resolution) for seed in here}
    if copy is not None:
        process, said = copy
        try:
            sent = said.recv()
        except (EOFError, OSError):  # the copy died
            sent = None
        finally:
            said.close()
            process.join()
        for seed in apart:
            found[seed] = (
                sent[seed]
                if isinstance(sent, dict)
                else leiden_membership(graph, seed=seed, resolution=resolution)
            )
    return [found[seed] for seed in seeds]


def _forked(
    graph: ig.Graph, seeds: list[int], resolution: float
) -> tuple[multiprocessing.process.BaseProcess, Connection] | None:
    """A forked copy of this process running Leiden for ``seeds``, and the end of the pipe its
    partitions come back on; None when no copy can be started."""
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return None
    context = multiprocessing.get_context("fork")
    said, tell = context.Pipe(duplex=False)
    process = context.Process(target=_leiden_apart, args=(graph, seeds, resolution, tell), daemon=True)
    try:
        process.start()
    except (OSError, AssertionError):
        said.close()
        tell.close()
        return None
    tell.close()  # the copy holds its own end
    return process, said


def _leiden_apart(graph: ig.Graph, seeds: list[int], resolution: float, tell: Connection) -> None:
    try:
        tell.send({seed: leiden_membership(graph, seed=seed, resolution=resolution) for seed in seeds})
    except Exception:  # nothing to send: the caller runs these seeds itself
        tell.send(None)
    finally:
        tell.close()


def normalised(raw: np.ndarray, n: int) -> np.ndarray:
    """igraph's betweenness on ``n`` vertices normalised as ``networkx.betweenness_centrality``."""
    # igraph counts each unordered pair once on an undirected graph; networkx's
    # normalised value is that count times 2 / ((n - 1)(n - 2)).
    if n <= 2:
        return np.zeros(n)
    return raw * 2.0 / ((n - 1) * (n - 2))


def betweenness(graph: ig.Graph) -> np.ndarray:
    """Exact betweenness, normalised as ``networkx.betweenness_centrality``."""
    n = graph.vcount()
    raw = np.asarray(graph.betweenness(directed=False), dtype=float) if n else np.zeros(0)
    return normalised(raw, n)


def source_batches(n: int, *, samples: int, seed: int, batches: int = 8) -> list[np.ndarray]:
    """The random sources of :func:`sampled_betweenness`, in the batches whose spread gives the error.

    ``min(samples, n)`` distinct vertices drawn uniformly with ``seed``, split
    into ``min(batches, samples)`` batches of near-equal size. Whoever computes
    the shortest paths (this process or a Dask cluster) draws them here, so the
    same seed means the same sources.

    Examples
    --------
    >>> [b.tolist() for b in source_batches(10, samples=5, seed=0, batches=2)]
    [[4, 7, 2], [3, 5]]
    """
    rng = np.random.default_rng(seed)
    k = min(samples, n)
    sources = rng.choice(n, size=k, replace=False)
    return [g for g in np.array_split(sources, min(batches, k)) if len(g)]


def batch_estimate(raw: Sequence[np.ndarray], sizes: Sequence[int], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Betweenness and its standard error from the raw sums of each batch of sources.

    ``raw[i]`` is igraph's betweenness counted from the ``sizes[i]`` sources of
    batch ``i`` alone; with every vertex as a source that is the exact value,
    so each batch scaled by ``n / sizes[i]`` is an unbiased estimate
    (Brandes–Pich). The estimate is their mean weighted by batch size, the
    standard error that of the weighted mean (NaN from a single batch); both
    normalised as networkx.
    """
    stack = np.vstack([r * n / size for r, size in zip(raw, sizes, strict=True)])
    weights = np.asarray(sizes, dtype=float) / sum(sizes)
    mean = weights @ stack
    if len(sizes) > 1:
        error = np.sqrt(weights @ (stack - mean) ** 2 / (len(sizes) - 1))
    else:
        error = np.full(n, np.nan)
    return normalised(mean, n), normalised(error, n)


def sampled_betweenness(
    graph: ig.Graph, *, samples: int, seed: int, batches: int = 8
) -> tuple[np.ndarray, np.ndarray]:
    """Betweenness estimated from ``samples`` random source vertices (Brandes–Pich).

    Shortest paths from a uniform sample of sources, scaled by ``n / samples``,
    give an unbiased estimate. The sources are split into ``batches``; the
    spread of the batch estimates gives each vertex's standard error
    (:func:`source_batches`, :func:`batch_estimate`).

    Returns
    -------
    (estimate, standard_error), both normalised as networkx.
    """
    n = graph.vcount()
    groups = source_batches(n, samples=samples, seed=seed, batches=batches)
    raw = [np.asarray(graph.betweenness(directed=False, sources=g.tolist()), dtype=float) for g in groups]
    return batch_estimate(raw, [len(g) for g in groups], n)


def local_clustering(graph: ig.Graph) -> np.ndarray:
    """Local clustering of every vertex, 0 for those with fewer than two neighbours."""
    if graph.vcount() == 0:
        return np.zeros(0)
    return np.asarray(graph.transitivity_local_undirected(mode="zero"), dtype=float)
