"""What background jobs run, by kind (:data:`TASKS`): the match task behind ``POST /jobs/match``,
the mentoring task behind ``POST /jobs/mentoring`` and the planning task behind ``POST /jobs/plan``.

A match run is :func:`matcher.optimize.solve_orders` — the call behind ``matcher
match`` —, a mentoring run :func:`matcher.develop.mentoring` (``matcher mentor``)
and a plan :func:`matcher.develop.upgrade_plan` (``matcher plan``), each on the
snapshot of the cluster a worker process keeps (:mod:`matcher_service.job_worker`),
never in the web process. A coordinator's run sees the workshops of their
territories only (:func:`restrict_cluster`), an association leader's the
members of their organization only (:func:`restrict_members`), so a result
never names a workshop the caller may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from matcher.develop import mentoring, upgrade_plan
from matcher.model import Cluster, Workshop
from matcher.optimize import MatchOptions, Rules, solve_orders
from matcher_service.jobs import MATCH, MENTORING, PLAN, Task

__all__ = [
    "TASKS",
    "match_task",
    "mentoring_task",
    "options_from",
    "plan_task",
    "restrict_cluster",
    "restrict_members",
    "scoped_cluster",
]

Report = Callable[[float, str], bool]


def _keep(cluster: Cluster, workshops: Iterable[Workshop]) -> Cluster:
    """The cluster with only ``workshops`` and the ties among them (orders, firms, routings whole)."""
    workshops = tuple(workshops)
    ids = {w.workshop_id for w in workshops}
    ties = tuple(t for t in cluster.ties if t.source in ids and t.target in ids)
    return Cluster(
        workshops=workshops,
        ties=ties,
        lead_firms=cluster.lead_firms,
        orders=cluster.orders,
        routings=cluster.routings,
    )


def restrict_cluster(cluster: Cluster, territories: Iterable[str]) -> Cluster:
    """The cluster with only the workshops of ``territories`` and the ties among them.

    Orders, lead firms and routings are kept whole (the run picks its orders by id).
    """
    keep = set(territories)
    return _keep(cluster, (w for w in cluster.workshops if w.territory in keep))


def restrict_members(cluster: Cluster, organization_id: str | None) -> Cluster:
    """The cluster with only the member workshops of ``organization_id`` and the ties among them.

    Orders, lead firms and routings are kept whole, as by :func:`restrict_cluster`.
    """
    return _keep(cluster, (w for w in cluster.workshops if organization_id in w.organizations))


def scoped_cluster(cluster: Cluster, params: dict[str, Any]) -> Cluster:
    """The cluster a job of ``params`` sees: its ``territories`` (a coordinator's), its
    ``organization`` (an association leader's: with none, no workshop), or all of it (neither:
    an admin's)."""
    if params.get("territories"):
        cluster = restrict_cluster(cluster, params["territories"])
    if "organization" in params:
        cluster = restrict_members(cluster, params["organization"])
    return cluster


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
    cluster = scoped_cluster(cluster, params)
    options = options_from(params.get("options") or {})
    if not report(0.1, "job.solving"):
        return {}
    result = solve_orders(cluster, params.get("order_ids"), options=options)
    report(0.95, "job.storing")
    return result.to_dict()


class _Cancelled(Exception):
    """Raised through the library from a progress report when the job was cancelled."""


def mentoring_task(cluster: Cluster, params: dict[str, Any], report: Report) -> dict:
    """Run :func:`~matcher.develop.mentoring` for a job and return ``MentoringResult.to_dict()``.

    ``params``: the options of :class:`matcher_service.schemas.develop.MentoringJobIn`
    (``circle_size`` as ``[min, max]`` or None, ``pinned`` as ``[mentor, trainee]``
    pairs) and the caller's scope (``territories`` or ``organization``).
    """
    cluster = scoped_cluster(cluster, params)
    if not report(0.1, "job.solving"):
        return {}
    size = params.get("circle_size")
    result = mentoring(
        cluster,
        max_trainees=params.get("max_trainees", 3),
        circle_size=tuple(size) if size else None,
        same_sector=params.get("same_sector", True),
        keep_existing=params.get("keep_existing", True),
        pinned=[tuple(p) for p in params.get("pinned") or ()],
        solver=params.get("solver", "auto"),
        time_limit=params.get("time_limit", 10.0),
        demand_seconds=params.get("demand_seconds", 5.0),
        seed=params.get("seed", 0),
    )
    report(0.95, "job.storing")
    return result.to_dict()


#: Where each stage of a plan starts and how much of the progress it spans.
_PLAN_STAGES = {"baseline": (0.1, 0.05), "orders": (0.15, 0.7), "portfolio": (0.85, 0.1)}


def plan_task(cluster: Cluster, params: dict[str, Any], report: Report) -> dict:
    """Run :func:`~matcher.develop.upgrade_plan` for a job and return ``UpgradePlan.to_dict()``.

    ``params``: ``budget`` (None: rank only), ``costs`` (``{kind: cost}``),
    ``order_ids`` (None for every order), ``time_limit``, ``seed`` and the
    caller's scope (``territories`` or ``organization``). A cancelled job stops
    at the plan's next step.
    """
    cluster = scoped_cluster(cluster, params)

    def progress(stage: str, done: int, total: int) -> None:
        start, span = _PLAN_STAGES.get(stage, (0.1, 0.0))
        if not report(start + span * (done / total if total else 0.0), "job.solving"):
            raise _Cancelled

    try:
        plan = upgrade_plan(
            cluster,
            budget=params.get("budget"),
            costs=params.get("costs") or None,
            orders=params.get("order_ids"),
            time_limit=params.get("time_limit", 120.0),
            seed=params.get("seed", 0),
            progress=progress,
        )
    except _Cancelled:
        return {}
    report(0.95, "job.storing")
    return plan.to_dict()


#: What each kind of job runs (given to :class:`matcher_service.job_runner.JobRunner` when the app is built).
TASKS: dict[str, Task] = {MATCH: match_task, MENTORING: mentoring_task, PLAN: plan_task}
