"""The dashboard view: capacity, utilisation, orders and territory centroids of a cluster."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from matcher.graph import as_network, scoped
from matcher.model import Cluster, Contact, Workshop
from matcher.views.model.contract import VERSION, due_weeks_of, match_dict, rounded

__all__ = ["dashboard_view"]


#: Fewest located workshops a territory needs before its centroid is shown,
#: as for every published cell (DOMAIN.md: no cell under 5 workshops), so a centroid never
#: gives away one workshop's address.
MIN_CENTROID_WORKSHOPS = 5
#: Decimals of a centroid's latitude and longitude (about 100 m).
CENTROID_DECIMALS = 3


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
        horizon = max((due_weeks_of(cluster, o) for o in run["orders"]), default=0.0)
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
            "share": rounded(_share(used[t], available[t]), 4),
        }
        for t in sorted(available)
    ]
    overall = _share(sum(used.values()), sum(available.values()))
    return {"by_territory": rows, "overall": rounded(overall, 4), "source": source}


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
    run = None if match is None else match_dict(match)
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
