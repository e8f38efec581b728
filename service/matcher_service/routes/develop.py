"""Development programmes as jobs: mentoring circles (``POST /jobs/mentoring``) and upgrade plans
(``POST /jobs/plan``), each answered 202 with the job, followed and read at ``GET /jobs/{job_id}``.

A mentoring run is :func:`matcher.develop.mentoring` — the call behind
``matcher mentor`` —, a plan :func:`matcher.develop.upgrade_plan` (``matcher
plan``), on the cached snapshot of the cluster restricted to the caller's
scope: a coordinator's territories, an association leader's member workshops
(:func:`matcher_service.tasks.scoped_cluster`), so no circle or intervention
names a workshop the caller may not see. Lead firms and municipalities are not
offered them. Options are checked before anything is stored: a pinned
workshop unknown or outside the scope (said unknown), a budget below the
cheapest intervention, a cost of an unknown kind answer 422 naming the field.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from matcher.develop import check_mentoring_options, load_costs
from matcher.develop.costs import KINDS
from matcher.messages import Message
from matcher.model import Cluster, Order
from matcher_service.auth import allow
from matcher_service.crud.jobs import job_scope, queue_job
from matcher_service.deps import CurrentPrincipal, Language, SessionDep
from matcher_service.errors import InvalidFields, NotFound, Unprocessable, detail
from matcher_service.jobs import MENTORING, PLAN
from matcher_service.policy import order_visible, scope_ids
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route
from matcher_service.schemas.develop import MentoringJobIn, PlanJobIn
from matcher_service.schemas.jobs import JobDetailOut
from matcher_service.tasks import scoped_cluster

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/jobs", tags=["jobs"])


def _scoped(request: Request, session: Session, principal: Principal) -> Cluster:
    """The cluster the caller's job will see; 422 when no workshop is in the caller's scope
    (a coordinator without territories, a leader without an organization included)."""
    _version, cluster = request.app.state.snapshots.get(session)
    if scope_ids(principal, cluster) == []:
        raise Unprocessable("analysis.no_scope")
    return scoped_cluster(cluster, job_scope(principal))


def _circle_size(body: MentoringJobIn) -> tuple[int, int] | None:
    """``(circle_min, circle_max)``; one of them alone: from 2, or up to ``max_trainees + 1``."""
    if body.circle_min is None and body.circle_max is None:
        return None
    low = 2 if body.circle_min is None else body.circle_min
    high = body.max_trainees + 1 if body.circle_max is None else body.circle_max
    return low, high


def _plan_orders(principal: Principal, cluster: Cluster) -> Callable[[Order], bool]:
    """Which orders a plan of the caller may weigh: a coordinator's orders (the rule of
    ``/orders``); for an association leader, orders open to every territory or to one of
    their members' territories (``cluster``: the caller's)."""
    if principal.role != LEADER:
        return lambda order: order_visible(principal, order)
    territories = {w.territory for w in cluster.workshops}
    return lambda order: not order.territories or any(t in territories for t in order.territories)


@router.post("/mentoring", response_model=JobDetailOut, status_code=202, **allow(COORDINATOR, LEADER))
def submit_mentoring(
    body: MentoringJobIn,
    request: Request,
    response: Response,
    lang: Language,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Queue a mentoring run: mentor–trainee pairs and circles among the workshops in the caller's
    scope; answers 202 with the job (its result: ``matcher mentor --json``'s contract).

    A coordinator's circles hold only workshops of their territories, an
    association leader's only their organization's members. A pinned pair naming
    a workshop unknown or outside the scope, or breaking a rule (a conflict, a
    trainee pinned twice, a mentor over ``max_trainees`` ...), answers 422 and
    nothing is stored. ``Idempotency-Key`` is honoured. Follow the job at
    ``Location`` (``GET /jobs/{job_id}``).
    """
    cluster = _scoped(request, session, principal)
    known = set(cluster.workshop_ids)
    unknown = [
        detail(f"pinned.{i}.{field}", "workshops.not_found", workshop_id=workshop_id)
        for i, pin in enumerate(body.pinned)
        for field, workshop_id in (("mentor_id", pin.mentor_id), ("trainee_id", pin.trainee_id))
        if workshop_id not in known
    ]
    if unknown:
        raise InvalidFields(details=unknown)
    size = _circle_size(body)
    pinned = tuple(dict.fromkeys((p.mentor_id, p.trainee_id) for p in body.pinned))
    existing = sorted(
        {(t.source, t.target) for t in cluster.ties if t.kind == "mentoring" and t.source != t.target}
    )
    check_mentoring_options(  # InvalidOptionError -> 422, every problem at once, before anything is stored
        cluster,
        max_trainees=body.max_trainees,
        circle_size=size,
        solver=body.solver,
        time_limit=body.time_limit,
        demand_seconds=body.demand_seconds,
        seed=body.seed,
        pinned=pinned,
        kept=existing if body.keep_existing else [],
        conflicts={t.pair for t in cluster.ties if t.kind == "conflict"},
    )
    params = {
        "max_trainees": body.max_trainees,
        "circle_size": list(size) if size else None,
        "same_sector": body.same_sector,
        "keep_existing": body.keep_existing,
        "pinned": [list(p) for p in pinned],
        "solver": body.solver,
        "time_limit": body.time_limit,
        "demand_seconds": body.demand_seconds,
        "seed": body.seed,
        **job_scope(principal),
    }
    payload = body.model_dump()
    return queue_job(request, response, session, principal, lang, kind=MENTORING, params=params, body=payload)


@router.post("/plan", response_model=JobDetailOut, status_code=202, **allow(COORDINATOR, LEADER))
def submit_plan(
    body: PlanJobIn,
    request: Request,
    response: Response,
    lang: Language,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Queue an upgrade plan: interventions on the workshops in the caller's scope ranked by the
    order units they unlock, and with a budget a portfolio; answers 202 with the job (its result:
    ``matcher plan --json``'s contract).

    The orders weighed are the caller's (all of them in scope when
    ``order_ids`` is null); one outside the scope answers 404. A cost row of an
    unknown kind or a kind given twice, and a budget below the cheapest
    intervention, answer 422 naming the field; nothing is stored.
    ``Idempotency-Key`` is honoured. Follow the job at ``Location``.
    """
    cluster = _scoped(request, session, principal)
    orders = {o.order_id: o for o in cluster.orders}
    weighed = _plan_orders(principal, cluster)
    if body.order_ids is None:
        chosen = [o.order_id for o in cluster.orders if weighed(o)]
        if not chosen:
            raise Unprocessable("jobs.no_order_in_scope")
    else:
        chosen = list(dict.fromkeys(body.order_ids))
        hidden = [o for o in chosen if o not in orders or not weighed(orders[o])]
        if hidden:
            raise NotFound("orders.not_found", order_id=", ".join(hidden))
    problems, costs = [], {}
    for i, row in enumerate(body.costs):
        if row.kind not in KINDS:
            said = Message("plan.cost_kind_option", {"value": row.kind, "kinds": sorted(KINDS)})
            problems.append(detail(f"costs.{i}.kind", said))
        elif row.kind in costs:
            problems.append(detail(f"costs.{i}.kind", Message("plan.cost_twice", {"value": row.kind})))
        else:
            costs[row.kind] = row.cost
    kind, cheapest = load_costs(costs or None).cheapest()
    if body.budget is not None and body.budget < cheapest:
        said = Message("plan.budget_below", {"budget": body.budget, "kind": kind, "cost": cheapest})
        problems.append(detail("budget", said))
    if problems:
        raise InvalidFields(details=problems)
    params = {
        "budget": body.budget,
        "costs": costs,
        "order_ids": None if principal.is_admin and body.order_ids is None else chosen,
        "time_limit": body.time_limit,
        "seed": body.seed,
        **job_scope(principal),
    }
    payload = body.model_dump()
    return queue_job(request, response, session, principal, lang, kind=PLAN, params=params, body=payload)
