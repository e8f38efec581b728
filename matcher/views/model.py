"""View models: the JSON-ready data behind the network, proposal and dashboard pages.

Each function returns plain dicts and lists (no NaN: None instead), the same
for the same input and seed, rows sorted by id. The schema is the contract
between the library and the pages that draw it; every view carries ``view``
(its name) and ``version``.

- :func:`network_view`: the collaboration network in columnar arrays (node
  ``i`` is position ``i`` of every ``nodes`` array), with a layout, the
  communities as discs, and the cohesion report's summary;
- :func:`proposal_view`: the group proposed for one order of a matching run,
  with each member's minutes used, free and taken by the run's other orders;
- :func:`dashboard_view`: capacity by product, process and territory,
  utilisation, orders and their status, territory centroids.

Workshop names and contacts never appear in a view: contacts only give
territory centroids (means of several workshops, never one point).
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.graph import as_network, cohesion_report, scoped
from matcher.graph.network import Network, _memberships
from matcher.model import CONFLICT, TIE_KINDS, Cluster, Contact, Workshop
from matcher.views._layout import network_layout

__all__ = ["dashboard_view", "network_view", "proposal_view"]

VERSION = 1
#: Fewest located workshops a territory needs before its centroid is shown,
#: as for every published cell (DOMAIN.md: no cell under 5 workshops), so a centroid never
#: gives away one workshop's address.
MIN_CENTROID_WORKSHOPS = 5
#: Decimals of a centroid's latitude and longitude (about 100 m).
CENTROID_DECIMALS = 3
#: Figures of the cohesion report's ``network`` section shown in the summary.
NETWORK_SUMMARY = (
    "workshops", "ties", "collaboration_edges", "density", "components", "largest_component_share",
    "isolates", "communities", "modularity", "average_clustering", "transitivity", "conflict_pairs",
)  # fmt: skip


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


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
            "betweenness": [_rounded(r["betweenness"], 6) for r in rows],
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


def _match_dict(match: Any) -> dict[str, Any]:
    """A matching run as its JSON dict (a :class:`~matcher.optimize.MatchResult` is converted)."""
    if hasattr(match, "to_dict"):
        return match.to_dict()
    if not isinstance(match, Mapping) or not isinstance(match.get("orders"), list):
        raise InvalidOptionError(
            "match must be a matching result or its JSON dict (MatchResult.to_dict(), with 'orders')"
        )
    return dict(match)


def _due_weeks(cluster: Cluster, row: Mapping[str, Any]) -> float:
    """An order's due date: the run's, else the cluster's."""
    due = row.get("due_weeks")
    return float(due if due is not None else cluster.order(row["order_id"]).due_weeks)


def proposal_view(cluster: Cluster, match: Any, order_id: str) -> dict[str, Any]:
    """The group proposed for one order, and each member's minutes.

    Parameters
    ----------
    cluster : Cluster
        The cluster the run was solved on.
    match : dict or MatchResult
        The matching run (``MatchResult.to_dict()``).
    order_id : str

    Returns
    -------
    dict
        ``order`` (the run's figures for it, its ``lot`` included), ``members`` (sorted by id; each
        with its ``allocations``, ``minutes`` used by this order,
        ``free_minutes`` — what it has available by the order's due date,
        :meth:`~matcher.model.Workshop.available_minutes`, as the optimizer
        counts capacity — and ``other_minutes``, what the run's other orders
        due by then take from it), ``processes`` (the order's routing, in
        order), ``cohesion``, ``reasons``, ``changes`` and ``status``. Each
        member's ``why`` and the ``reasons`` come with ``why_messages`` and
        ``reason_messages`` (key and arguments, :class:`matcher.messages.Message`)
        for the pages to show in their language; empty for a run without them.

    Raises
    ------
    UnknownIdError
        When the order is not in the run (or a member not in the cluster).

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> cluster = Cluster(
    ...     (Workshop("W1", "T", 1, ("tshirt",), ("sewing",), capacity_minutes_per_week=1000),),
    ...     orders=(Order("O1", "tshirt", 10, 2.0), Order("O2", "tshirt", 5, 1.0)),
    ...     routings={"tshirt": (RoutingStep("sewing", 6.0),)},
    ... )
    >>> def order(o, units, due):
    ...     member = {"workshop_id": "W1", "leader": True, "backup": False, "why": [],
    ...               "allocations": [{"process": "sewing", "units": units, "minutes": 6.0 * units}]}
    ...     return {"order_id": o, "status": "filled", "quantity": units, "filled_units": units,
    ...             "due_weeks": due, "group": [member]}
    >>> match = {"orders": [order("O1", 10, 2.0), order("O2", 5, 1.0)]}
    >>> m = proposal_view(cluster, match, "O1")["members"][0]
    >>> m["minutes"], m["free_minutes"], m["other_minutes"]
    (60.0, 2000.0, 30.0)
    """
    run = _match_dict(match)
    rows = {row["order_id"]: row for row in run["orders"]}
    if order_id not in rows:
        raise UnknownIdError("order", [order_id], sorted(rows))
    row = rows[order_id]
    due = _due_weeks(cluster, row)
    # Minutes each workshop gives the run's orders due by this one's due date, this one left out.
    other: dict[str, float] = defaultdict(float)
    for o in run["orders"]:
        if o["order_id"] != order_id and _due_weeks(cluster, o) <= due:
            for m in o.get("group", []):
                other[m["workshop_id"]] += sum(a["minutes"] for a in m.get("allocations", []))
    members = []
    for m in sorted(row.get("group", []), key=lambda m: m["workshop_id"]):
        workshop = cluster.workshop(m["workshop_id"])
        allocations = [dict(a) for a in m.get("allocations", [])]
        members.append(
            {
                "workshop_id": workshop.workshop_id,
                "leader": bool(m.get("leader", False)),
                "backup": bool(m.get("backup", False)),
                "territory": m.get("territory") or workshop.territory,
                "allocations": allocations,
                "minutes": round(float(sum(a["minutes"] for a in allocations)), 2),
                "free_minutes": round(float(workshop.available_minutes(due)), 2),
                "other_minutes": round(float(other[workshop.workshop_id]), 2),
                "why": list(m.get("why", [])),
                "why_messages": _messages(m.get("why_messages", [])),
            }
        )
    order = cluster.order(order_id)
    return {
        "view": "proposal",
        "version": VERSION,
        "order": {
            "order_id": order_id,
            "product": row.get("product") or order.product,
            "quantity": row.get("quantity", order.quantity),
            "due_weeks": due,
            "firm_id": row.get("firm_id", order.firm_id),
            "status": row["status"],
            "filled_units": row.get("filled_units", 0),
            "eligible_workshops": row.get("eligible_workshops", 0),
            "leader_id": row.get("leader_id", next((m["workshop_id"] for m in members if m["leader"]), None)),
            # The smallest share of a process a member may take (0: any); None from a run without lots.
            "lot": row.get("lot"),
        },
        "members": members,
        "processes": [step.process for step in cluster.routing_of(order)],
        "cohesion": dict(row.get("cohesion", {})),
        "reasons": list(row.get("reasons", [])),
        "reason_messages": _messages(row.get("reason_messages", [])),
        "changes": [dict(c) for c in row.get("changes", [])],
        "status": row["status"],
    }


def _messages(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Messages of a run (``{"key", "args"}``), copied."""
    return [{"key": r["key"], "args": copy.deepcopy(dict(r.get("args", {})))} for r in rows]


def _capacity_rows(shops: Sequence[Workshop], key: Any) -> list[dict[str, Any]]:
    """Workshops and available minutes per week for each value of ``key`` (which lists values)."""
    workshops: Counter[str] = Counter()
    minutes: dict[str, float] = defaultdict(float)
    for w in shops:
        for value in dict.fromkeys(key(w)):
            workshops[value] += 1
            minutes[value] += w.available_minutes_per_week
    rows = [{"key": k, "workshops": workshops[k], "minutes": round(minutes[k], 2)} for k in workshops]
    return sorted(rows, key=lambda r: (-r["minutes"], r["key"]))


def _share(used: float, available: float) -> float | None:
    return used / available if available > 0 else None


def _utilisation(shops: Sequence[Workshop], run: dict[str, Any] | None, cluster: Cluster) -> dict[str, Any]:
    """Minutes used over minutes available, by territory and overall.

    With a run: the minutes its groups take from each workshop over the minutes
    it has available until the latest due date of the run's orders. Without:
    the minutes already committed each week over the weekly capacity.
    """
    available: dict[str, float] = defaultdict(float)
    used: dict[str, float] = defaultdict(float)
    if run is None:
        source = "committed"
        for w in shops:
            available[w.territory] += w.capacity_minutes
            used[w.territory] += min(w.committed_minutes_per_week, w.capacity_minutes)
    else:
        source = "match"
        horizon = max((_due_weeks(cluster, o) for o in run["orders"]), default=0.0)
        given: dict[str, float] = defaultdict(float)
        for o in run["orders"]:
            for m in o.get("group", []):
                given[m["workshop_id"]] += sum(a["minutes"] for a in m.get("allocations", []))
        for w in shops:
            available[w.territory] += w.available_minutes(horizon)
            used[w.territory] += given[w.workshop_id]
    rows = [
        {
            "key": t,
            "available": round(available[t], 2),
            "used": round(used[t], 2),
            "share": _rounded(_share(used[t], available[t]), 4),
        }
        for t in sorted(available)
    ]
    overall = _share(sum(used.values()), sum(available.values()))
    return {"by_territory": rows, "overall": _rounded(overall, 4), "source": source}


def _order_rows(cluster: Cluster, run: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every order of the cluster (and of the run), with its status in the run."""
    results = {o["order_id"]: o for o in run["orders"]} if run is not None else {}
    rows = []
    for order in cluster.orders:
        result = results.pop(order.order_id, None)
        rows.append(
            {
                "order_id": order.order_id,
                "firm_id": order.firm_id,
                "product": order.product,
                "quantity": order.quantity,
                "due_weeks": float(order.due_weeks),
                "status": "not matched" if result is None else result["status"],
                "filled_units": None if result is None else result.get("filled_units", 0),
                "group_size": None if result is None else len(result.get("group", [])),
            }
        )
    for result in results.values():  # orders of a run that the cluster no longer lists
        rows.append(
            {
                "order_id": result["order_id"],
                "firm_id": result.get("firm_id"),
                "product": result.get("product"),
                "quantity": result.get("quantity"),
                "due_weeks": result.get("due_weeks"),
                "status": result["status"],
                "filled_units": result.get("filled_units", 0),
                "group_size": len(result.get("group", [])),
            }
        )
    return sorted(rows, key=lambda r: r["order_id"])


def _centroids(shops: Sequence[Workshop], contacts: Iterable[Contact] | None) -> list[dict[str, Any]]:
    """Mean position of the located workshops of each territory with enough of them."""
    if contacts is None:
        return []
    territory_of = {w.workshop_id: w.territory for w in shops}
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in contacts:
        if c.workshop_id in territory_of and c.lat is not None and c.lon is not None:
            points[territory_of[c.workshop_id]].append((float(c.lat), float(c.lon)))
    counts = Counter(territory_of.values())
    rows = []
    for territory in sorted(points):
        located = np.asarray(points[territory])
        if len(located) < MIN_CENTROID_WORKSHOPS:
            continue
        lat, lon = located.mean(axis=0)
        rows.append(
            {
                "territory": territory,
                "workshops": counts[territory],
                "lat": round(float(lat), CENTROID_DECIMALS),
                "lon": round(float(lon), CENTROID_DECIMALS),
            }
        )
    return rows


def dashboard_view(
    cluster: Cluster,
    match: Any = None,
    *,
    contacts: Iterable[Contact] | None = None,
    workshops: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Capacity, utilisation, orders and territory centroids of a cluster.

    Parameters
    ----------
    cluster : Cluster
    match : dict or MatchResult, optional
        A matching run on the cluster (``MatchResult.to_dict()``).
    contacts : iterable of Contact, optional
        The cluster's private contacts (:func:`matcher.io.load_contacts`);
        only territory centroids come out of them.
    workshops : sequence of str, optional
        Restrict capacity, utilisation and centroids to these workshops.

    Returns
    -------
    dict
        ``workshops`` (count); ``capacity``: ``by_product``, ``by_process``,
        ``by_territory``, each row a ``key`` with its ``workshops`` and
        available ``minutes`` per week (capacity − committed), sorted by
        minutes (most first) then key; a workshop counts under each product
        and process it lists, so those rows overlap. ``utilisation``:
        ``by_territory`` rows (``available``, ``used``, ``share``) and
        ``overall``; with a run (``source: "match"``) used is the minutes its
        groups take and available the minutes free until the latest due date
        of its orders; without (``"committed"``) used is the minutes
        committed per week and available the weekly capacity. ``orders``
        sorted by id, ``status`` "not matched" (and ``filled_units``,
        ``group_size`` None) when not in the run. ``territories``: centroids
        (mean latitude and longitude, 3 decimals) of territories with at least
        3 located workshops, with the territory's workshop count; [] without
        contacts.

    Raises
    ------
    UnknownIdError
        For a workshop not in the cluster.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, Workshop
    >>> cluster = Cluster(
    ...     (Workshop("W1", "A", 1, ("jeans", "tshirt"), ("sewing",), capacity_minutes_per_week=1000),
    ...      Workshop("W2", "B", 1, ("tshirt",), ("cutting",), capacity_minutes_per_week=500,
    ...               committed_minutes_per_week=100)),
    ...     orders=(Order("O1", "tshirt", 10, 2.0),),
    ... )
    >>> view = dashboard_view(cluster)
    >>> [(r["key"], r["minutes"]) for r in view["capacity"]["by_product"]]
    [('tshirt', 1400.0), ('jeans', 1000.0)]
    >>> view["utilisation"]["overall"], view["orders"][0]["status"]
    (0.0667, 'not matched')
    """
    net = scoped(as_network(cluster), workshops=workshops)
    shops = [cluster.workshop(w) for w in sorted(net.ids)]
    run = None if match is None else _match_dict(match)
    return {
        "view": "dashboard",
        "version": VERSION,
        "workshops": len(shops),
        "capacity": {
            "by_product": _capacity_rows(shops, lambda w: w.products),
            "by_process": _capacity_rows(shops, lambda w: w.processes),
            "by_territory": _capacity_rows(shops, lambda w: (w.territory,)),
        },
        "utilisation": _utilisation(shops, run, cluster),
        "orders": _order_rows(cluster, run),
        "territories": _centroids(shops, contacts),
    }
