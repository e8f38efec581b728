"""Brokers: betweenness (exact or sampled), Burt's constraint and effective size, cut points.

A **broker** is a workshop with betweenness above zero: it lies on a shortest
path between two other workshops, which happens exactly when two of its
partners are not tied to each other (it joins workshops that would otherwise
be farther apart). That is known from degree and clustering alone, so the
brokers are counted exactly at any size (:func:`brokers`), even where
betweenness itself is sampled or not computed. Cut points (articulation
points: workshops whose loss splits the network) are the strongest brokers
and are reported apart.

Betweenness is exact up to :data:`EXACT_BETWEENNESS_MAX` workshops, estimated
from a sample of sources (with a standard error) up to
:data:`SAMPLED_BETWEENNESS_MAX`, and left out beyond, where the measures that
scale — constraint, effective size, articulation points and bridges — say who
brokers most; the report states which was done.

Given the address of a Dask scheduler (``scheduler=``, ``--scheduler``), a
network above :data:`EXACT_BETWEENNESS_MAX` workshops has its betweenness
computed on that cluster instead (:mod:`matcher.distributed.betweenness`), at
any size: exact while the cluster affords it
(:data:`~matcher.distributed.betweenness.EXACT_WORK_PER_WORKER` per worker),
sampled with its standard error beyond; the report says so and how many
workers did it (``dask_workers``).
"""

from __future__ import annotations

from typing import Any

import igraph as ig
import numpy as np

from matcher.errors import InvalidOptionError, SchedulerUnavailableError
from matcher.graph._igraph import betweenness, collaboration_igraph, local_clustering, sampled_betweenness
from matcher.graph.network import as_network
from matcher.graph.schema import Betweenness
from matcher.graph.schema_topics import BrokerageReport, BrokerageRow
from matcher.messages import Message

__all__ = ["EXACT_BETWEENNESS_MAX", "SAMPLED_BETWEENNESS_MAX", "brokerage", "brokers"]

EXACT_BETWEENNESS_MAX = 5_000
SAMPLED_BETWEENNESS_MAX = 200_000
DEFAULT_SAMPLES = 32
METHODS = ("auto", "exact", "sampled", "none")


def betweenness_of(
    graph: ig.Graph,
    *,
    method: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    scheduler: str | None = None,
) -> tuple[np.ndarray | None, np.ndarray | None, Betweenness]:
    """Betweenness by the method asked (``auto`` picks by size), its standard error
    when sampled, and how it was obtained.

    With a ``scheduler`` address, a graph above :data:`EXACT_BETWEENNESS_MAX`
    vertices is sent to that Dask cluster (``auto`` is then exact while the
    cluster affords it, sampled beyond; see :func:`_on_cluster`); smaller ones
    stay in this process, where they take less time than the journey.
    """
    if method not in METHODS:
        raise InvalidOptionError(f"betweenness must be one of {', '.join(METHODS)}, got {method!r}")
    if samples < 2:
        raise InvalidOptionError(f"samples must be a whole number >= 2, got {samples!r}")
    n = graph.vcount()
    if scheduler is not None and method != "none" and n > EXACT_BETWEENNESS_MAX:
        return _on_cluster(graph, scheduler, method=method, samples=samples, seed=seed)
    asked = method
    if method == "auto":
        method = (
            "exact" if n <= EXACT_BETWEENNESS_MAX else "sampled" if n <= SAMPLED_BETWEENNESS_MAX else "none"
        )
    if method == "exact" or (method == "sampled" and samples >= n):
        return betweenness(graph), None, {"method": "exact"}
    if method == "none":
        return (
            None,
            None,
            {
                "method": "none",
                "note": (
                    f"betweenness is not computed for {n:,} workshops"
                    if asked == "auto"
                    else "betweenness was not asked for"
                )
                + "; constraint, effective size, articulation points and bridges show the brokers",
            },
        )
    value, error = sampled_betweenness(graph, samples=samples, seed=seed)
    note = (
        f"estimated from shortest paths out of {min(samples, n)} random sources; "
        "each workshop's standard error is given"
    )
    return value, error, _sampled(error, samples=min(samples, n), seed=seed, note=note)


def _sampled(error: np.ndarray, *, samples: int, seed: int, note: str) -> Betweenness:
    return {
        "method": "sampled",
        "samples": samples,
        "seed": seed,
        "max_standard_error": float(np.nanmax(error)) if len(error) else 0.0,
        "mean_standard_error": float(np.nanmean(error)) if len(error) else 0.0,
        "note": note,
    }


def _on_cluster(
    graph: ig.Graph, scheduler: str, *, method: str, samples: int, seed: int
) -> tuple[np.ndarray, np.ndarray | None, Betweenness]:
    """Betweenness computed on the Dask cluster at ``scheduler``.

    ``auto`` is exact when the cluster's workers afford it
    (:func:`~matcher.distributed.betweenness.affords_exact`), sampled from
    ``samples`` sources otherwise; ``exact`` and ``sampled`` are done as asked.
    """
    from matcher.distributed import connect
    from matcher.distributed.betweenness import (
        affords_exact,
        cluster_betweenness,
        cluster_sampled_betweenness,
        worker_count,
    )

    n = graph.vcount()
    with connect(scheduler) as client:
        workers = worker_count(client)
        if workers == 0:
            raise SchedulerUnavailableError(messages=[Message("dask.no_workers", {"address": scheduler})])
        if method == "auto":
            method = "exact" if affords_exact(n, graph.ecount(), workers) else "sampled"
        if method == "exact" or samples >= n:
            exact = cluster_betweenness(graph, client)
            note = Message("betweenness.dask_exact", {"workers": workers, "workshops": n}).text
            return exact, None, {"method": "exact", "dask_workers": workers, "note": note}
        value, error = cluster_sampled_betweenness(graph, client, samples=samples, seed=seed)
    note = Message("betweenness.dask_sampled", {"workers": workers, "samples": samples}).text
    return value, error, {**_sampled(error, samples=samples, seed=seed, note=note), "dask_workers": workers}


def effective_size(degree: np.ndarray, clustering: np.ndarray) -> np.ndarray:
    """Burt's effective size on an unweighted graph, ``d - 2t/d`` (Borgatti 1997).

    ``t`` is the number of ties among the ``d`` neighbours, ``clustering × d(d-1)/2``;
    NaN for isolates, as networkx.
    """
    d = degree.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ties_among = clustering * d * (d - 1) / 2.0
        return np.where(d > 0, d - 2.0 * ties_among / d, np.nan)


def constraint(graph: ig.Graph) -> np.ndarray:
    """Burt's constraint (NaN for isolates, as networkx)."""
    values = np.asarray(graph.constraint(), dtype=float) if graph.vcount() else np.zeros(0)
    values[np.asarray(graph.degree()) == 0] = np.nan
    return values


def brokers(degree: np.ndarray, clustering: np.ndarray) -> np.ndarray:
    """Which workshops are brokers: betweenness above zero, i.e. two partners not tied to each other.

    ``degree`` and ``clustering`` (local, 0 below two partners) of the
    collaboration graph. A workshop with ``d`` >= 2 partners and ``t`` ties
    among them has betweenness above zero exactly when ``t < d(d - 1) / 2``;
    ``t`` is recovered from the clustering, ``t / (d(d - 1) / 2)``, rounded.

    Examples
    --------
    A star: the centre brokers, the leaves do not. A triangle: nobody does.

    >>> import numpy as np
    >>> brokers(np.array([3, 1, 1, 1]), np.array([0.0, 0.0, 0.0, 0.0])).tolist()
    [True, False, False, False]
    >>> brokers(np.array([2, 2, 2]), np.array([1.0, 1.0, 1.0])).tolist()
    [False, False, False]
    """
    d = np.asarray(degree, dtype=np.int64)
    possible = d * (d - 1) // 2
    tied = np.rint(np.asarray(clustering, dtype=float) * possible).astype(np.int64)
    return (d >= 2) & (tied < possible)


def cut_points(graph: ig.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Articulation points (vertex ids) and bridges ((k, 2) vertex pairs)."""
    points = np.array(sorted(graph.articulation_points()), dtype=np.int64)
    bridge_ids = graph.bridges()
    pairs = np.array([graph.es[e].tuple for e in bridge_ids], dtype=np.int64).reshape(-1, 2)
    return points, pairs


def brokerage(
    data: Any,
    *,
    betweenness: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    scheduler: str | None = None,
) -> BrokerageReport:
    """Per-workshop brokerage measures and the cut points of the collaboration graph.

    Returns ``workshops`` (id → betweenness, betweenness_error when sampled,
    constraint, effective_size, articulation_point, broker: betweenness above
    zero, see :func:`brokers`), ``brokers`` (how many are), ``articulation_points``
    and ``bridges`` (sorted ids) and ``betweenness`` (how it was computed); every
    key is listed in :class:`~matcher.graph.schema_topics.BrokerageReport`.
    ``scheduler``, the address of a Dask scheduler, computes betweenness on that
    cluster above :data:`EXACT_BETWEENNESS_MAX` workshops (:func:`betweenness_of`).

    Examples
    --------
    The Florentine families' marriages: the Medici are the broker.

    >>> import networkx as nx
    >>> b = brokerage(nx.florentine_families_graph())
    >>> max(b["workshops"], key=lambda w: b["workshops"][w]["betweenness"])
    'Medici'
    >>> "Medici" in b["articulation_points"], b["betweenness"]["method"]
    (True, 'exact')
    """
    net = as_network(data)
    graph = collaboration_igraph(net)
    between, error, how = betweenness_of(
        graph, method=betweenness, samples=samples, seed=seed, scheduler=scheduler
    )
    degree = np.asarray(graph.degree(), dtype=np.int64)
    clustering = local_clustering(graph)
    size = effective_size(degree, clustering)
    broker = brokers(degree, clustering)
    burt = constraint(graph)
    points, bridges = cut_points(graph)
    is_point = np.zeros(net.n, dtype=bool)
    is_point[points] = True
    rows: dict[str, BrokerageRow] = {}
    for i, w in enumerate(net.ids):
        row: BrokerageRow = {
            "betweenness": None if between is None else float(between[i]),
            "constraint": _num(burt[i]),
            "effective_size": _num(size[i]),
            "articulation_point": bool(is_point[i]),
            "broker": bool(broker[i]),
        }
        if error is not None:
            row["betweenness_error"] = float(error[i])
        rows[w] = row
    return {
        "workshops": rows,
        "brokers": int(broker.sum()),
        "articulation_points": sorted(net.ids[i] for i in points),
        "bridges": sorted(sorted((net.ids[a], net.ids[b])) for a, b in bridges),
        "betweenness": how,
    }


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
