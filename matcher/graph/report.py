"""The cohesion report of a network: every network-level measure and a row per workshop.

Everything is computed once on the collaboration graph (igraph) and shared:
size, ties and density by kind, components, k-cores, transitivity and
clustering, Leiden communities with their stability, homophily, brokers,
the signed view and the overlap of tie kinds.

Without a wave chosen the network is that of every wave together, and a tie
is a pair joined by one kind, counted once whatever the waves it was recorded
in (see :mod:`matcher.graph.network`); ``tie_rows`` counts the rows as
recorded. A broker is a workshop with betweenness above zero
(:func:`matcher.graph.brokers.brokers`): the report counts them all and lists
the :data:`TOP_BROKERS` with the highest betweenness, never padding the list
with workshops that broker nothing.

Communities are numbered 0, 1, ... by size, largest first (ties broken by
smallest workshop id); isolates belong to no community (``None``) and are not
counted as communities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd

from matcher.graph._igraph import collaboration_igraph, local_clustering
from matcher.graph.brokers import (
    DEFAULT_SAMPLES,
    betweenness_of,
    brokers,
    constraint,
    cut_points,
    effective_size,
)
from matcher.graph.communities import _communities
from matcher.graph.homophily import _homophily
from matcher.graph.multiplex import _kinds
from matcher.graph.network import Network, as_network, scoped
from matcher.graph.rows import _with_attributes, workshop_rows
from matcher.graph.schema import (
    Betweenness,
    BrokersSection,
    CohesionReport,
    CommunitiesSection,
    CoresSection,
    NetworkReport,
    NetworkSection,
    Scope,
    TopBroker,
    WorkshopRow,
)
from matcher.graph.signed import _signed
from matcher.model import TIE_KINDS

__all__ = [
    "cohesion_analysis",
    "cohesion_report",
    "network_report",
    "network_summary",
    "workshop_metrics",
    "workshop_rows",
    "workshop_table",
]

TOP_BROKERS = 10


@dataclass(frozen=True, eq=False)
class _Analysis:
    """Per-workshop arrays and network sections, computed once."""

    net: Network
    graph: ig.Graph
    degree: np.ndarray
    clustering: np.ndarray
    core: np.ndarray
    community: list[int | None]
    communities: CommunitiesSection
    between: np.ndarray | None
    between_error: np.ndarray | None
    between_how: Betweenness
    constraint: np.ndarray
    effective_size: np.ndarray
    articulation: np.ndarray
    bridges: np.ndarray
    broker: np.ndarray


def _analyse(
    net: Network,
    *,
    seed: int,
    resolution: float,
    runs: int | None,
    betweenness: str,
    samples: int,
    scheduler: str | None = None,
) -> _Analysis:
    graph = collaboration_igraph(net)
    degree = np.asarray(graph.degree(), dtype=np.int64)
    clustering = local_clustering(graph)
    community, summary = _communities(net, graph, degree, seed=seed, resolution=resolution, runs=runs)
    between, error, how = betweenness_of(
        graph, method=betweenness, samples=samples, seed=seed, scheduler=scheduler
    )
    points, bridges = cut_points(graph)
    articulation = np.zeros(net.n, dtype=bool)
    articulation[points] = True
    return _Analysis(
        net=net,
        graph=graph,
        degree=degree,
        clustering=clustering,
        core=np.asarray(graph.coreness(), dtype=np.int64) if net.n else np.zeros(0, dtype=np.int64),
        community=community,
        communities=summary,
        between=between,
        between_error=error,
        between_how=how,
        constraint=constraint(graph),
        effective_size=effective_size(degree, clustering),
        articulation=articulation,
        bridges=bridges,
        broker=brokers(degree, clustering),
    )


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _network(a: _Analysis) -> NetworkSection:
    net, graph = a.net, a.graph
    n, m = net.n, graph.ecount()
    sizes = graph.connected_components().sizes() if n else []
    by_kind = dict.fromkeys(TIE_KINDS, 0) if set(net.kinds) <= set(TIE_KINDS) else {}
    by_kind.update(net.kind_pairs())
    return {
        "workshops": n,
        "ties": sum(by_kind.values()),
        "ties_by_kind": by_kind,
        "tie_rows": len(net.kind),
        "density": 2.0 * m / (n * (n - 1)) if n > 1 else 0.0,
        "components": len(sizes),
        "largest_component": max(sizes) if sizes else 0,
        "largest_component_share": max(sizes) / n if n else 0.0,
        "transitivity": float(graph.transitivity_undirected()) if m else 0.0,
        "average_clustering": float(np.mean(a.clustering)) if n else 0.0,
        "communities": a.communities["count"],
        "modularity": a.communities["modularity"],
        "isolates": int(np.sum(a.degree == 0)),
        "collaboration_edges": m,
        "conflict_pairs": len(net.conflict_edges),
        "seed": a.communities["seed"],
        "resolution": a.communities["resolution"],
    }


def _cores(a: _Analysis) -> CoresSection:
    shells = np.bincount(a.core) if len(a.core) else np.zeros(0, dtype=np.int64)
    return {
        "max_core": int(a.core.max()) if len(a.core) else 0,
        "shells": {str(k): int(c) for k, c in enumerate(shells.tolist()) if c},
    }


def _brokers(a: _Analysis) -> BrokersSection:
    ids = a.net.ids
    if a.between is not None:
        key = -a.between
        ranked_by = "betweenness"
    else:
        key = -np.nan_to_num(a.effective_size, nan=0.0)
        ranked_by = "effective_size"
    order = np.lexsort((np.array(ids, dtype=object).astype(str), key)) if len(ids) else np.zeros(0, int)
    order = order[a.broker[order]][:TOP_BROKERS]
    top: list[TopBroker] = [
        {
            "workshop_id": ids[i],
            "betweenness": None if a.between is None else float(a.between[i]),
            "effective_size": _num(a.effective_size[i]),
            "constraint": _num(a.constraint[i]),
            "articulation_point": bool(a.articulation[i]),
        }
        for i in order
    ]
    return {
        "betweenness": a.between_how,
        "count": int(a.broker.sum()),
        "articulation_points": int(a.articulation.sum()),
        "bridges": len(a.bridges),
        "ranked_by": ranked_by,
        "top": top,
    }


def _tie_strength(net: Network) -> np.ndarray:
    """Sum over each workshop's positive ties (a pair and a kind) of the strongest strength recorded."""
    keys, strength = net.unique_ties(net.positive)
    width = max(net.n, 1)
    weights = strength.astype(float)
    return np.bincount(keys // width % width, weights, minlength=net.n) + np.bincount(
        keys % width, weights, minlength=net.n
    )


def _workshop_frame(a: _Analysis) -> pd.DataFrame:
    """The per-workshop measures as columns, one row per workshop sorted by id (the
    ``workshops`` rows of :func:`cohesion_report`, built without a Python object per row)."""
    net = a.net
    order = np.argsort(np.asarray(net.ids, dtype=object), kind="stable")
    n = net.n
    columns: dict[str, Any] = {
        "workshop_id": np.asarray(net.ids, dtype=object)[order],
        "degree": a.degree[order].astype(np.int64),
        "strength": _tie_strength(net)[order].astype(np.int64),
        "betweenness": (np.full(n, np.nan) if a.between is None else a.between.astype(float))[order],
        "community": pd.array(a.community, dtype="Int64")[order],
        "isolate": a.degree[order] == 0,
        "core": a.core[order].astype(np.int64),
        "clustering": a.clustering[order].astype(float),
        "constraint": a.constraint[order].astype(float),
        "effective_size": a.effective_size[order].astype(float),
        "articulation_point": a.articulation[order].astype(bool),
        "broker": a.broker[order].astype(bool),
    }
    if a.between_error is not None:
        columns["betweenness_error"] = a.between_error[order].astype(float)
    frame = pd.DataFrame(columns)
    frame.attrs["betweenness"] = a.between is not None
    return frame


def _workshop_rows(a: _Analysis) -> list[WorkshopRow]:
    return workshop_rows(_workshop_frame(a))


def _report(a: _Analysis, scope: Scope, attributes: Sequence[str] | None) -> NetworkReport:
    return {
        "scope": scope,
        "network": _network(a),
        "kinds": _kinds(a.net),
        "cores": _cores(a),
        "communities": a.communities,
        "homophily": _homophily(a.net, attributes, a.graph),
        "brokers": _brokers(a),
        "signed": _signed(a.net, a.community),
    }


def _prepare(
    data: Any, territory: str | None, organization: str | None, workshops: Sequence[str] | None
) -> tuple[Network, Scope]:
    net = scoped(as_network(data), territory=territory, organization=organization, workshops=workshops)
    scope: Scope = {"territory": territory, "organization": organization, "workshops": net.n}
    return net, scope


def network_report(
    data: Any,
    *,
    territory: str | None = None,
    organization: str | None = None,
    workshops: Sequence[str] | None = None,
    seed: int = 0,
    resolution: float = 1.0,
    runs: int | None = None,
    betweenness: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    attributes: Sequence[str] | None = None,
    scheduler: str | None = None,
) -> NetworkReport:
    """Every network-level measure of a cluster or of part of it.

    Parameters
    ----------
    data : Cluster, Network or networkx graph
    territory, organization : str, optional
        Restrict to the workshops of a territory and/or an organisation.
    workshops : sequence of str, optional
        Restrict to these workshops (any subset).
    seed, resolution, runs
        Leiden settings; see :func:`matcher.graph.communities`.
    betweenness : {"auto", "exact", "sampled", "none"}
        ``auto`` is exact up to 5,000 workshops, sampled up to 200,000, none beyond.
    samples : int
        Sources of sampled betweenness.
    attributes : sequence of str, optional
        Attributes for homophily (default: see :func:`matcher.graph.homophily`).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``): above 5,000 workshops
        betweenness is computed on that cluster, at any size — exact while the
        cluster affords it, sampled with its standard error beyond — and
        ``brokers.betweenness`` says so, with ``dask_workers``
        (:func:`matcher.graph.brokers.betweenness_of`). Without one, nothing
        leaves this process.

    Returns
    -------
    NetworkReport
        Every key is listed in :class:`~matcher.graph.schema.NetworkReport`:
        ``scope``, ``network`` (size; ``ties``, a pair joined by one kind
        counted once whatever the waves, ``ties_by_kind`` and ``tie_rows``,
        the rows as recorded; density, components, transitivity, clustering,
        communities, modularity, isolates), ``kinds`` (per-kind density,
        multiplexity, overlap), ``cores``, ``communities`` (sizes,
        stability), ``homophily``, ``brokers`` (how betweenness was obtained;
        ``count``, the workshops with betweenness above zero; cut points;
        ``top``, the brokers with the highest betweenness, at most
        :data:`TOP_BROKERS`) and ``signed`` (conflicts, balance).

    Examples
    --------
    Two triangles joined by a bridge C–D.

    >>> import networkx as nx
    >>> G = nx.Graph([("A", "B"), ("A", "C"), ("B", "C"), ("C", "D"), ("D", "E"), ("D", "F"), ("E", "F")])
    >>> r = network_report(G)
    >>> r["network"]["communities"], r["cores"], r["brokers"]["bridges"]
    (2, {'max_core': 2, 'shells': {'2': 6}}, 1)
    >>> round(r["network"]["transitivity"], 4)  # 3 x 2 triangles / 10 connected triples
    0.6
    """
    net, scope = _prepare(data, territory, organization, workshops)
    a = _analyse(
        net, seed=seed, resolution=resolution, runs=runs, betweenness=betweenness, samples=samples,
        scheduler=scheduler,
    )  # fmt: skip
    return _report(a, scope, attributes)


def cohesion_report(
    data: Any,
    *,
    territory: str | None = None,
    organization: str | None = None,
    workshops: Sequence[str] | None = None,
    seed: int = 0,
    resolution: float = 1.0,
    runs: int | None = None,
    betweenness: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    attributes: Sequence[str] | None = None,
    scheduler: str | None = None,
) -> CohesionReport:
    """:func:`network_report` plus ``workshops``, one row per workshop (sorted by id).

    Takes the options of :func:`network_report` (``scheduler`` among them).

    Every key is listed in :class:`~matcher.graph.schema.CohesionReport` (a row:
    :class:`~matcher.graph.schema.WorkshopRow`).

    Each row: ``degree`` (distinct positive neighbours), ``strength`` (sum
    over its positive ties — a partner and a kind, whatever the waves — of
    the strongest strength recorded), ``betweenness`` (normalised as
    networkx; None when not computed; ``betweenness_error`` when sampled),
    ``broker`` (betweenness above zero, known even when betweenness is not
    computed), ``community`` (None for isolates), ``isolate``, ``core``
    (k-core number), ``clustering``, ``constraint`` and ``effective_size``
    (Burt; None for isolates), ``articulation_point``.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 2, ("tshirt",), ("sewing",)) for w in "ABCDEF")
    >>> pairs = ["AB", "AC", "BC", "CD", "DE", "DF", "EF"]
    >>> r = cohesion_report(Cluster(ws, ties=tuple(Tie(a, b, "kinship") for a, b in pairs)))
    >>> r["network"]["density"] == 7 / 15, r["network"]["communities"]
    (True, 2)
    >>> round(r["network"]["modularity"], 6)  # 2 * (3/7 - (7/14)**2)
    0.357143
    >>> [w["betweenness"] for w in r["workshops"] if w["workshop_id"] in "CD"]
    [0.6, 0.6]
    """
    net, scope = _prepare(data, territory, organization, workshops)
    a = _analyse(
        net, seed=seed, resolution=resolution, runs=runs, betweenness=betweenness, samples=samples,
        scheduler=scheduler,
    )  # fmt: skip
    return {**_report(a, scope, attributes), "workshops": _workshop_rows(a)}


def network_summary(data: Any, *, seed: int = 0, resolution: float = 1.0) -> NetworkSection:
    """The ``network`` section of :func:`network_report`.

    Examples
    --------
    >>> from matcher.model import Cluster, Workshop
    >>> net = network_summary(Cluster((Workshop("A", "T", 1, ("tshirt",), ("sewing",)),)))
    >>> net["isolates"], net["components"], net["communities"], net["density"]
    (1, 1, 0, 0.0)
    """
    return network_report(data, seed=seed, resolution=resolution)["network"]


def workshop_metrics(data: Any, *, seed: int = 0, resolution: float = 1.0) -> list[WorkshopRow]:
    """The ``workshops`` rows of :func:`cohesion_report`.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABC")
    >>> rows = workshop_metrics(Cluster(ws, ties=(Tie("A", "B", "friendship"),)))
    >>> [(r["workshop_id"], r["degree"], r["community"]) for r in rows]
    [('A', 1, 0), ('B', 1, 0), ('C', 0, None)]
    """
    return cohesion_report(data, seed=seed, resolution=resolution)["workshops"]


def workshop_table(data: Any, **options: Any) -> pd.DataFrame:
    """The per-workshop rows of :func:`cohesion_report` as a DataFrame indexed by workshop id,
    with the workshops' attributes (territory, size class, ...) beside the metrics.

    Examples
    --------
    >>> import networkx as nx
    >>> table = workshop_table(nx.path_graph(3))
    >>> table[["degree", "betweenness", "articulation_point"]].to_dict("index")["1"]
    {'degree': 2, 'betweenness': 1.0, 'articulation_point': True}
    """
    net, _ = _prepare(data, options.pop("territory", None), options.pop("organization", None),
                      options.pop("workshops", None))  # fmt: skip
    options.pop("attributes", None)
    a = _analyse(net, **{"seed": 0, "resolution": 1.0, "runs": 1, "betweenness": "auto",
                         "samples": DEFAULT_SAMPLES, **options})  # fmt: skip
    table = _with_attributes(_workshop_frame(a), net).set_index("workshop_id")
    return table


def cohesion_analysis(
    data: Any,
    *,
    territory: str | None = None,
    organization: str | None = None,
    workshops: Sequence[str] | None = None,
    seed: int = 0,
    resolution: float = 1.0,
    runs: int | None = None,
    betweenness: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    attributes: Sequence[str] | None = None,
    scheduler: str | None = None,
) -> tuple[NetworkReport, pd.DataFrame]:
    """:func:`network_report` and the per-workshop table, from one analysis.

    The table has the columns of a ``workshops`` row of :func:`cohesion_report`
    (one row per workshop, sorted by id; a NaN where the row has None) and the
    workshops' attributes (territory, size class, main product, gender majority,
    formality, organizations). At national scale this is the form to keep: a
    million workshops are a few arrays, where a million rows would be a million
    dicts; :func:`workshop_rows` turns any part of it into rows. Options as in
    :func:`network_report`.

    Examples
    --------
    >>> import networkx as nx
    >>> report, table = cohesion_analysis(nx.karate_club_graph())
    >>> report["network"]["workshops"], len(table), table.loc[table["betweenness"].idxmax(), "workshop_id"]
    (34, 34, '0')
    """
    net, scope = _prepare(data, territory, organization, workshops)
    a = _analyse(
        net, seed=seed, resolution=resolution, runs=runs, betweenness=betweenness, samples=samples,
        scheduler=scheduler,
    )  # fmt: skip
    return _report(a, scope, attributes), _with_attributes(_workshop_frame(a), net)
