"""The development views: mentoring circles for the network figure, and an upgrade plan as a ranked table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.model import Cluster
from matcher.views.model.contract import VERSION, rounded

__all__ = ["mentoring_view", "plan_view"]


def _result_dict(result: Any, what: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """A library result as its JSON dict (``to_dict()`` called), checked for the keys a view reads."""
    data = result.to_dict() if hasattr(result, "to_dict") else result
    if not isinstance(data, Mapping) or any(key not in data for key in keys):
        raise InvalidOptionError(
            f"{what} must be the library's result or its JSON dict (with {', '.join(keys)})"
        )
    return dict(data)


def _territories(cluster: Cluster, ids: set[str]) -> dict[str, str]:
    """The territory of every workshop named; UnknownIdError naming those not in the cluster."""
    known = set(cluster.workshop_ids)
    unknown = sorted(ids - known)
    if unknown:
        raise UnknownIdError("workshop", unknown, sorted(known))
    return {i: cluster.workshop(i).territory for i in sorted(ids)}


def _said(
    row: Mapping[str, Any], texts: str = "reasons", messages: str = "reason_messages"
) -> dict[str, list]:
    """The English sentences and their messages (key and arguments), for a page to say in its language."""
    return {texts: list(row.get(texts) or []), messages: list(row.get(messages) or [])}


def mentoring_view(cluster: Cluster, result: Any) -> dict[str, Any]:
    """Mentoring circles as the mentoring page draws them on the network figure.

    Parameters
    ----------
    cluster : Cluster
        The cluster the circles were formed on.
    result : MentoringResult or dict
        :func:`matcher.develop.mentoring`'s result (or its ``to_dict()``).

    Returns
    -------
    dict
        ``view`` (``"mentoring"``), ``status``, ``solver``, ``gap``,
        ``options`` (``max_trainees``, ``circle_size``, ``same_sector``,
        ``keep_existing``), ``summary`` (circles, pairs, new and kept pairs,
        workshops without a mentor), ``mentors`` and ``trainees`` (sorted ids),
        ``links`` (one per pair, ``mentor_id``, ``trainee_id``, ``new``, for
        the lines of the figure), ``circles`` (by mentor id: ``sector``,
        ``territory``, ``trainee_ids``, ``new``, ``gain``, ``pairs`` with
        what each trainee ``learns``, its ``status`` ``proposed``, ``kept``
        or ``pinned``, and their reasons) and ``unpaired`` (by id, with why).
        Every ``reasons`` list comes with ``reason_messages`` (``notes`` with
        ``note_messages``) so that the page says them in its language.

    Raises
    ------
    UnknownIdError
        When the result names a workshop the cluster does not have.

    Examples
    --------
    >>> from matcher.model import Cluster, Workshop
    >>> cluster = Cluster((Workshop("M", "T", 6, ("tshirt",), ("sewing", "cutting")),
    ...                    Workshop("A", "T", 2, ("tshirt",), ("sewing",))))
    >>> pair = {"mentor_id": "M", "trainee_id": "A", "status": "proposed", "new": True, "gain": 2.0,
    ...         "learns": ["cutting"], "reasons": ["A learns cutting from M."], "reason_messages": []}
    >>> result = {"status": "optimal", "circles": [{"mentor_id": "M", "sector": "tshirt",
    ...           "trainee_ids": ["A"], "gain": 2.0, "new": True, "pairs": [pair]}], "unpaired": []}
    >>> view = mentoring_view(cluster, result)
    >>> view["mentors"], view["trainees"], view["links"]
    (['M'], ['A'], [{'mentor_id': 'M', 'trainee_id': 'A', 'new': True}])
    >>> view["summary"]["new_pairs"], view["circles"][0]["territory"]
    (1, 'T')
    """
    data = _result_dict(result, "the mentoring result", ("status", "circles", "unpaired"))
    circles = sorted(data["circles"], key=lambda c: c["mentor_id"])
    unpaired = sorted(data["unpaired"], key=lambda u: u["workshop_id"])
    named = {c["mentor_id"] for c in circles} | {p["trainee_id"] for c in circles for p in c["pairs"]}
    territory = _territories(cluster, named | {u["workshop_id"] for u in unpaired})
    pairs = [p for c in circles for p in sorted(c["pairs"], key=lambda p: p["trainee_id"])]
    options = data.get("options") or {}
    circle_size = options.get("circle_size")
    return {
        "view": "mentoring",
        "version": VERSION,
        "status": data["status"],
        "solver": data.get("solver"),
        "gap": rounded(data.get("gap"), 6),
        "options": {
            "max_trainees": options.get("max_trainees"),
            "circle_size": None if circle_size is None else list(circle_size),
            "same_sector": options.get("same_sector", True),
            "keep_existing": options.get("keep_existing", True),
        },
        "summary": {
            "circles": len(circles),
            "pairs": len(pairs),
            "new_pairs": sum(bool(p["new"]) for p in pairs),
            "kept_pairs": sum(p["status"] == "kept" for p in pairs),
            "unpaired": len(unpaired),
        },
        **_said(data, "notes", "note_messages"),
        **_said(data),
        "mentors": sorted({c["mentor_id"] for c in circles}),
        "trainees": sorted({p["trainee_id"] for p in pairs}),
        "links": [
            {"mentor_id": p["mentor_id"], "trainee_id": p["trainee_id"], "new": bool(p["new"])} for p in pairs
        ],
        "circles": [
            {
                "mentor_id": c["mentor_id"],
                "territory": territory[c["mentor_id"]],
                "sector": c.get("sector"),
                "trainee_ids": sorted(p["trainee_id"] for p in c["pairs"]),
                "new": bool(c.get("new", any(p["new"] for p in c["pairs"]))),
                "gain": rounded(c.get("gain"), 3),
                **_said(c),
                "pairs": [
                    {
                        "trainee_id": p["trainee_id"],
                        "territory": territory[p["trainee_id"]],
                        "status": p["status"],
                        "new": bool(p["new"]),
                        "gain": rounded(p.get("gain"), 3),
                        "learns": list(p.get("learns") or []),
                        **_said(p),
                    }
                    for p in sorted(c["pairs"], key=lambda p: p["trainee_id"])
                ],
            }
            for c in circles
        ],
        "unpaired": [
            {"workshop_id": u["workshop_id"], "territory": territory[u["workshop_id"]], **_said(u)}
            for u in unpaired
        ],
    }


def _intervention(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": row["key"],
        "kind": row["kind"],
        "workshop_id": row.get("workshop_id"),
        "target": row.get("target"),
        "amount": row.get("amount"),
        "cost": rounded(row.get("cost"), 2),
        "text": row.get("text", row["key"]),
        "message": row.get("message"),
    }


def plan_view(cluster: Cluster, plan: Any) -> dict[str, Any]:
    """An upgrade plan as the plan page shows it: interventions ranked by the orders they unlock.

    Parameters
    ----------
    cluster : Cluster
        The cluster the plan was made for.
    plan : UpgradePlan or dict
        :func:`matcher.develop.upgrade_plan`'s result (or its ``to_dict()``).

    Returns
    -------
    dict
        ``view`` (``"plan"``), ``budget``, ``cost_source`` (the cost
        table's source), ``baseline`` (units filled as the cluster is),
        ``steps``: the interventions ranked, first the portfolio's, then by the
        units of the orders they help fill (more first), then cost (less first)
        and key, each with ``rank``, ``orders`` (the orders whose set of
        interventions it belongs to), ``units`` (those orders' quantities),
        ``cost``, ``in_portfolio``, ``territory`` and the sentence
        (``text`` and ``message``); ``orders``: every unfilled order's set
        (``fills``, ``units``, ``cost``, ``units_per_cost``, the keys of its
        ``interventions``, ``in_portfolio``, ``within_budget``, reasons),
        ranked by units per cost; ``portfolio`` (cost, ``remaining`` budget,
        ``planned_units``, ``confirmed_units``, orders unlocked and lost);
        ``costs`` (the table used) and the plan's ``reasons``.

    Raises
    ------
    UnknownIdError
        When the plan names a workshop or an order the cluster does not have.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, Workshop
    >>> cluster = Cluster((Workshop("W1", "T", 2, ("tshirt",), ("sewing",)),),
    ...                   orders=(Order("O1", "tshirt", 100, 2.0),))
    >>> step = {"key": "add_hours:W1", "kind": "add_hours", "workshop_id": "W1", "cost": 200.0,
    ...         "text": "W1 works 8 more hours a week per operator", "message": None}
    >>> order = {"order_id": "O1", "product": "tshirt", "quantity": 100, "fills": True, "units": 100,
    ...          "cost": 200.0, "units_per_cost": 0.5, "interventions": [step]}
    >>> plan = {"budget": 500.0, "baseline": {"units": 0, "status": "optimal"}, "orders": [order],
    ...         "portfolio": {"interventions": [{**step, "orders": ["O1"]}], "cost": 200.0,
    ...                       "orders": ["O1"], "planned_units": 100, "confirmed_units": 100}}
    >>> view = plan_view(cluster, plan)
    >>> [(s["rank"], s["key"], s["orders"], s["units"], s["in_portfolio"]) for s in view["steps"]]
    [(1, 'add_hours:W1', ['O1'], 100, True)]
    >>> view["portfolio"]["remaining"]
    300.0
    """
    data = _result_dict(plan, "the plan", ("orders", "portfolio"))
    portfolio = data["portfolio"] or {}
    budget = data.get("budget")
    chosen = {row["key"] for row in portfolio.get("interventions") or []}
    chosen_orders = set(portfolio.get("orders") or [])
    known_orders = {o.order_id for o in cluster.orders}
    unknown_orders = sorted({o["order_id"] for o in data["orders"]} - known_orders)
    if unknown_orders:
        raise UnknownIdError("order", unknown_orders, sorted(known_orders))
    steps: dict[str, dict[str, Any]] = {}
    for order in data["orders"]:
        for row in order.get("interventions") or []:
            step = steps.setdefault(row["key"], {**_intervention(row), "orders": [], "units": 0})
            if order.get("fills"):
                step["orders"].append(order["order_id"])
                step["units"] += int(order.get("quantity") or 0)
    for row in portfolio.get("interventions") or []:  # a portfolio's own rows carry their orders
        step = steps.setdefault(row["key"], {**_intervention(row), "orders": [], "units": 0})
        step["cost"] = rounded(row.get("cost"), 2)
    named = {s["workshop_id"] for s in steps.values() if s["workshop_id"]}
    named |= {s["target"] for s in steps.values() if s["kind"] == "introduce" and s["target"]}
    territory = _territories(cluster, named)
    ranked = sorted(
        steps.values(),
        key=lambda s: (s["key"] not in chosen, -s["units"], s["cost"] or 0.0, s["key"]),
    )
    for rank, step in enumerate(ranked, start=1):
        step["orders"] = sorted(step["orders"])
        step.update(
            rank=rank,
            in_portfolio=step["key"] in chosen,
            territory=territory.get(step["workshop_id"]) if step["workshop_id"] else None,
        )
    orders = sorted(
        data["orders"], key=lambda o: (not o.get("fills"), -(o.get("units_per_cost") or 0.0), o["order_id"])
    )
    cost = rounded(portfolio.get("cost") or 0.0, 2)
    costs = data.get("costs") or {}
    return {
        "view": "plan",
        "version": VERSION,
        "budget": rounded(budget, 2),
        "cost_source": costs.get("source"),
        "baseline": dict(data.get("baseline") or {}),
        "summary": {
            "orders": len(orders),
            "fillable": sum(bool(o.get("fills")) for o in orders),
            "steps": len(ranked),
            "portfolio_steps": len(chosen),
        },
        "steps": ranked,
        "orders": [
            {
                "rank": rank,
                "order_id": o["order_id"],
                "product": o.get("product"),
                "quantity": o.get("quantity"),
                "due_weeks": o.get("due_weeks"),
                "fills": bool(o.get("fills")),
                "units": o.get("units", 0),
                "cost": rounded(o.get("cost"), 2),
                "units_per_cost": rounded(o.get("units_per_cost"), 4),
                "interventions": [row["key"] for row in o.get("interventions") or []],
                "in_portfolio": o["order_id"] in chosen_orders,
                "within_budget": None
                if budget is None or o.get("cost") is None
                else o["cost"] <= budget + 1e-9,
                **_said(o),
            }
            for rank, o in enumerate(orders, start=1)
        ],
        "portfolio": {
            "cost": cost,
            "remaining": None if budget is None else rounded(budget - (cost or 0.0), 2),
            "orders": sorted(chosen_orders),
            "planned_units": portfolio.get("planned_units", 0),
            "confirmed_units": portfolio.get("confirmed_units"),
            "confirmed_status": portfolio.get("confirmed_status"),
            "unlocked_orders": list(portfolio.get("unlocked_orders") or []),
            "lost_orders": list(portfolio.get("lost_orders") or []),
        },
        "costs": [dict(row) for row in costs.get("kinds") or []],
        **_said(data),
    }
