"""What background jobs run, by kind (:data:`TASKS`): the match task behind ``POST /jobs/match``.

A run is :func:`matcher.optimize.solve_orders` — the call behind ``matcher
match`` — on the cached snapshot of the cluster, executed by the job runner
(:mod:`matcher_service.jobs`). A coordinator's run sees the workshops of their
territories only (:func:`restrict_cluster`), so a result never names a workshop
the coordinator may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from matcher.model import Cluster
from matcher.optimize import MatchOptions, Rules, solve_orders
from matcher_service.jobs import MATCH, Task

__all__ = ["TASKS", "match_task", "options_from", "restrict_cluster"]


def restrict_cluster(cluster: Cluster, territories: Iterable[str]) -> Cluster:
    """The cluster with only the workshops of ``territories`` and the ties among them.

    Orders, lead firms and routings are kept whole (the run picks its orders by id).
    """
    keep = set(territories)
    workshops = tuple(w for w in cluster.workshops if w.territory in keep)
    ids = {w.workshop_id for w in workshops}
    ties = tuple(t for t in cluster.ties if t.source in ids and t.target in ids)
    return Cluster(
        workshops=workshops,
        ties=ties,
        lead_firms=cluster.lead_firms,
        orders=cluster.orders,
        routings=cluster.routings,
    )


def options_from(data: dict[str, Any]) -> MatchOptions:
    """:class:`MatchOptions` from their JSON form (``MatchOptions.to_dict`` or a request's options).

    Raises
    ------
    InvalidOptionError
        For an unknown rule or a value out of range, naming it.
    """
    rules = Rules().updated(data.get("rules") or {})
    return MatchOptions(
        solver=data.get("solver", "auto"),
        time_limit=data.get("time_limit", 30.0),
        allow_partial=data.get("allow_partial", False),
        max_group_size=data.get("max_group_size"),
        seed=data.get("seed", 0),
        rules=rules,
        order_rules={o: dict(c) for o, c in (data.get("order_rules") or {}).items()},
        priorities=dict(data.get("priorities") or {}),
        explain_seconds=data.get("explain_seconds", 10.0),
        method=data.get("method", "auto"),
    )


def match_task(cluster: Cluster, params: dict[str, Any], report: Callable[[float, str], bool]) -> dict:
    """Run :func:`~matcher.optimize.solve_orders` for a job and return ``MatchResult.to_dict()``.

    ``params``: ``order_ids`` (None for every order), ``options`` (the JSON
    form of :class:`MatchOptions`) and ``territories`` (the coordinator's
    scope; empty for the whole cluster).
    """
    if params.get("territories"):
        cluster = restrict_cluster(cluster, params["territories"])
    options = options_from(params.get("options") or {})
    if not report(0.1, "job.solving"):
        return {}
    result = solve_orders(cluster, params.get("order_ids"), options=options)
    report(0.95, "job.storing")
    return result.to_dict()


#: What each kind of job runs (given to :class:`matcher_service.jobs.JobRunner` when the app is built).
TASKS: dict[str, Task] = {MATCH: match_task}
