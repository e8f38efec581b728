"""The proposal view: the group proposed for one order of a matching run, and each member's minutes."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from matcher.errors import UnknownIdError
from matcher.model import Cluster
from matcher.views.model.contract import VERSION, due_weeks_of, match_dict

__all__ = ["proposal_view"]


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
    run = match_dict(match)
    rows = {row["order_id"]: row for row in run["orders"]}
    if order_id not in rows:
        raise UnknownIdError("order", [order_id], sorted(rows))
    row = rows[order_id]
    due = due_weeks_of(cluster, row)
    # Minutes each workshop gives the run's orders due by this one's due date, this one left out.
    other: dict[str, float] = defaultdict(float)
    for o in run["orders"]:
        if o["order_id"] != order_id and due_weeks_of(cluster, o) <= due:
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
