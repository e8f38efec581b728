"""The network view: the collaboration network in columnar arrays, with a layout and communities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from matcher.errors import InvalidOptionError
from matcher.graph import as_network, cohesion_report, scoped
from matcher.graph.network import Network, _memberships
from matcher.model import CONFLICT, TIE_KINDS, Cluster, Workshop
from matcher.views._layout import network_layout
from matcher.views.model.contract import VERSION, rounded

__all__ = ["network_view"]


#: Figures of the cohesion report's ``network`` section shown in the summary.
NETWORK_SUMMARY = (
    "workshops", "ties", "collaboration_edges", "density", "components", "largest_component_share",
    "isolates", "communities", "modularity", "average_clustering", "transitivity", "conflict_pairs",
)  # fmt: skip


def _category_index(values: Sequence[Any]) -> tuple[list[str], list[int]]:
    """Sorted distinct values (None left out) and each value's index, -1 for None."""
    names = sorted({str(v) for v in values if v is not None})
    index = {name: i for i, name in enumerate(names)}
    return names, [-1 if v is None else index[str(v)] for v in values]


def _most_common(values: Iterable[Any]) -> str | None:
    """The most frequent value (ties: the first by name); None when there is none."""
    counts = Counter(str(v) for v in values if v is not None)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _view_kinds(net: Network) -> tuple[list[str], np.ndarray]:
    """Kinds in contract order (others after, by name; conflict last) and each tie's kind index.

    A negative tie is shown as ``conflict`` whatever its kind is called.
    """
    labels = np.where(net.negative, CONFLICT, net.kind.astype(str))
    present = set(labels.tolist())
    known = [k for k in TIE_KINDS if k in present and k != CONFLICT]
    other = sorted(present - set(TIE_KINDS))
    kinds = known + other + ([CONFLICT] if CONFLICT in present else [])
    position = {k: i for i, k in enumerate(kinds)}
    return kinds, np.array([position[k] for k in labels.tolist()], dtype=np.int64)


def _profile_columns(data: Any, net: Network, ids: Sequence[str]) -> dict[str, list[Any]]:
    """Workshop profile columns: from the cluster, else from node attributes of the same names."""
    if isinstance(data, Cluster):
        shops: list[Workshop] = [data.workshop(w) for w in ids]
        return {
            "capacity": [round(w.available_minutes_per_week, 2) for w in shops],
            "workers": [w.workers for w in shops],
            "quality": [w.quality for w in shops],
            "formal": [w.formal for w in shops],
            "can_lead": [w.can_lead for w in shops],
            "processes": [list(w.processes) for w in shops],
        }
    positions = [net.index[w] for w in ids]

    def column(name: str, cast: Any) -> list[Any]:
        values = net.attributes.get(name)
        if values is None:
            return [None] * len(ids)
        return [None if values[i] is None else cast(values[i]) for i in positions]

    return {
        "capacity": column("capacity", float),
        "workers": column("workers", int),
        "quality": column("quality", int),
        "formal": column("formal", bool),
        "can_lead": column("can_lead", bool),
        "processes": column("processes", lambda v: list(_memberships(v))),
    }


def _communities(
    community: np.ndarray,
    centres: np.ndarray,
    territory: tuple[list[str], list[int]],
    product: tuple[list[str], list[int]],
) -> list[dict[str, Any]]:
    """One row per community: size, centre, label and its most common territory and product."""
    rows = []
    territory_of, product_of = np.asarray(territory[1]), np.asarray(product[1])
    order = np.argsort(community, kind="stable")
    bounds = np.searchsorted(community[order], np.arange(len(centres) + 1))
    for c in range(len(centres)):
        members = order[bounds[c] : bounds[c + 1]]
        rows.append(
            {
                "id": c,
                "size": len(members),
                "x": round(float(centres[c, 0]), 4),
                "y": round(float(centres[c, 1]), 4),
                "label": f"C{c + 1}",
                "territory": _most_common(territory[0][t] for t in territory_of[members] if t >= 0),
                "product": _most_common(product[0][p] for p in product_of[members] if p >= 0),
            }
        )
    return rows


def _community_edges(net: Network, community: np.ndarray) -> dict[str, list[int]]:
    """Collaboration and conflict pairs between communities, one row per pair of communities.

    ``community`` is indexed by network position (-1 for isolates, which have none).
    """
    k = int(community.max()) + 1 if len(community) else 0
    if k == 0:
        return {"source": [], "target": [], "ties": [], "conflicts": []}
    counts = []
    for pairs in (net.collaboration_edges, net.conflict_edges):
        a, b = community[pairs[:, 0]], community[pairs[:, 1]]
        across = (a >= 0) & (b >= 0) & (a != b)
        keys = np.minimum(a[across], b[across]) * k + np.maximum(a[across], b[across])
        counts.append(Counter(keys.tolist()))
    keys = sorted(set(counts[0]) | set(counts[1]))
    return {
        "source": [key // k for key in keys],
        "target": [key % k for key in keys],
        "ties": [counts[0][key] for key in keys],
        "conflicts": [counts[1][key] for key in keys],
    }


def network_view(
    data: Any,
    *,
    territory: str | None = None,
    organization: str | None = None,
    workshops: Sequence[str] | None = None,
    seed: int = 0,
    resolution: float = 1.0,
    betweenness: str = "auto",
    collapse_above: int = 1000,
) -> dict[str, Any]:
    """The collaboration network as drawn on the network page.

    Parameters
    ----------
    data : Cluster, Network or networkx graph
        With a cluster, each workshop's profile (capacity, workers, quality,
        ...) is given; with a network or graph, node attributes of those names
        are used, else None.
    territory, organization : str, optional
        Restrict to a territory and/or an organisation (as
        :func:`matcher.graph.scoped`).
    workshops : sequence of str, optional
        Restrict to these workshops.
    seed : int
        Seed of the communities (Leiden), of sampled betweenness and of the layout.
    resolution : float
        Modularity resolution of the communities.
    betweenness : {"auto", "exact", "sampled", "none"}
        As :func:`matcher.graph.cohesion_report`: ``auto`` is exact up to
        5,000 workshops, sampled beyond.
    collapse_above : int
        With more workshops than this the view is marked ``collapsed``: the
        page opens with communities drawn as single nodes.

    Returns
    -------
    dict
        ``scope``, ``summary`` (the cohesion report's network figures —
        ``ties`` counts a pair once per kind over all waves — plus
        ``brokers``, how many workshops have betweenness above zero,
        ``top_brokers``, the ids of at most ten with the highest, and
        ``betweenness``: how it was obtained), ``kinds``, ``waves``,
        ``categories``, ``nodes`` and ``edges`` (columnar, nodes sorted by id),
        ``communities``, ``community_edges``, ``collapsed``. ``edges`` has
        one row per tie row as recorded (a pair tied in two waves is two
        rows, each with its ``wave``). ``nodes.broker`` is True for every
        broker (betweenness above zero). Indices are -1
        where there is nothing to point to: an isolate's ``community``, an
        unknown ``territory`` or ``product``, a tie without ``wave``. Ties
        of undirected kinds run from the smaller position to the larger;
        negative ties are of kind ``conflict``.

    Raises
    ------
    UnknownIdError
        For a territory, organisation or workshop not in the network.
    InvalidOptionError
        For an empty scope or an option out of range.

    Examples
    --------
    A path A–B–C: B is its articulation point.

    >>> import networkx as nx
    >>> view = network_view(nx.Graph([("B", "A"), ("B", "C")]))
    >>> view["nodes"]["id"], view["nodes"]["degree"], view["nodes"]["articulation"]
    (['A', 'B', 'C'], [1, 2, 1], [False, True, False])
    >>> view["edges"]["source"], view["edges"]["target"], view["kinds"]
    ([0, 1], [1, 2], ['tie'])
    """
    if isinstance(collapse_above, bool) or not isinstance(collapse_above, int) or collapse_above < 0:
        raise InvalidOptionError(f"collapse_above must be a whole number >= 0, got {collapse_above!r}")
    net = scoped(as_network(data), territory=territory, organization=organization, workshops=workshops)
    # One Leiden run: its partition is the report's; the stability runs are not shown here.
    report = cohesion_report(net, seed=seed, resolution=resolution, runs=1, betweenness=betweenness)
    rows = report["workshops"]
    ids = [row["workshop_id"] for row in rows]
    old = np.array([net.index[w] for w in ids], dtype=np.int64)  # view position -> network position
    new = np.empty(net.n, dtype=np.int64)
    new[old] = np.arange(net.n)

    community = np.array([-1 if r["community"] is None else r["community"] for r in rows], dtype=np.int64)
    edges = new[net.collaboration_edges]
    xy, centres = network_layout(net.n, edges, community, seed=seed)

    def attribute(name: str) -> list[Any]:
        values = net.attributes.get(name)
        return [None] * net.n if values is None else values[old].tolist()

    territories, territory_index = _category_index(attribute("territory"))
    products, product_index = _category_index(attribute("main_product"))
    memberships = [_memberships(v) for v in attribute("organizations")]
    organizations = sorted({o for orgs in memberships for o in orgs})
    org_index = {o: i for i, o in enumerate(organizations)}

    kinds, kind_index = _view_kinds(net)
    waves = list(net.waves)
    wave_index = {w: i for i, w in enumerate(waves)}
    source, target = new[net.source], new[net.target]
    directed = np.isin(net.kind, list(net.directed_kinds)) & ~net.negative
    source, target = (
        np.where(directed, source, np.minimum(source, target)),
        np.where(directed, target, np.maximum(source, target)),
    )
    wave = np.array([-1 if w is None else wave_index[w] for w in net.wave.tolist()], dtype=np.int64)
    rows_order = np.lexsort((net.strength, wave, kind_index, target, source))

    network, signed, brokers = report["network"], report["signed"], report["brokers"]
    return {
        "view": "network",
        "version": VERSION,
        "scope": {"territory": territory, "organization": organization, "workshops": net.n},
        "summary": {
            **{key: network[key] for key in NETWORK_SUMMARY},
            "conflict_within_communities": signed["conflict_within_communities"],
            "balanced_share": signed["balance"]["balanced_share"],
            "brokers": brokers["count"],
            "top_brokers": [b["workshop_id"] for b in brokers["top"]],
            "articulation_points": brokers["articulation_points"],
            "bridges": brokers["bridges"],
            "betweenness": brokers["betweenness"]["method"],
        },
        "kinds": kinds,
        "waves": waves,
        "categories": {"territory": territories, "product": products, "organization": organizations},
        "nodes": {
            "id": ids,
            "x": np.round(xy[:, 0], 4).tolist(),
            "y": np.round(xy[:, 1], 4).tolist(),
            "community": community.tolist(),
            "territory": territory_index,
            "product": product_index,
            "organizations": [sorted(org_index[o] for o in orgs) for orgs in memberships],
            "degree": [r["degree"] for r in rows],
            "betweenness": [rounded(r["betweenness"], 6) for r in rows],
            **_profile_columns(data, net, ids),
            "broker": [r["broker"] for r in rows],
            "isolate": [r["isolate"] for r in rows],
            "articulation": [r["articulation_point"] for r in rows],
        },
        "edges": {
            "source": source[rows_order].tolist(),
            "target": target[rows_order].tolist(),
            "kind": kind_index[rows_order].tolist(),
            "wave": wave[rows_order].tolist(),
            "strength": net.strength[rows_order].tolist(),
        },
        "communities": _communities(
            community, centres, (territories, territory_index), (products, product_index)
        ),
        "community_edges": _community_edges(net, community[new]),
        "collapsed": net.n > collapse_above,
    }
