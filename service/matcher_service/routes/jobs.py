"""Matching jobs: submit a run (202), follow its progress, read its result, cancel it.

A run is :func:`matcher.optimize.solve_orders` — the call behind ``matcher
match`` — on the cached snapshot of the cluster, executed by the job runner
(:mod:`matcher_service.jobs`). A coordinator matches the orders of their territories
with the workshops of their territories only: the run's cluster is the
snapshot restricted to those workshops and the ties among them, so a result
never names a workshop the coordinator may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.model import Cluster, Order
from matcher.optimize import MatchOptions, Rules, solve_orders
from matcher_service.auth import allow, current, get_session
from matcher_service.errors import Conflict, NotFound, Unprocessable, detail
from matcher_service.jobs import FINISHED, MATCH, new_job_id, said_stored
from matcher_service.language import Language
from matcher_service.models import Job, utcnow
from matcher_service.policy import order_visible
from matcher_service.reading import for_people, rounded
from matcher_service.roles import COORDINATOR, Principal
from matcher_service.route import Route
from matcher_service.schemas import Input
from matcher_service.store import Page, Paging, audit, commit, idempotent_create, location, page_of

__all__ = ["match_task", "restrict_cluster", "router"]

router = APIRouter(route_class=Route, prefix="/jobs", tags=["jobs"])


# ---------------------------------------------------------------- scope


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


# ---------------------------------------------------------------- the task


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


# ---------------------------------------------------------------- schemas


class MatchOptionsIn(Input):
    """Options of a run, as ``matcher match`` takes them (see :class:`matcher.optimize.MatchOptions`)."""

    model_config = ConfigDict(extra="forbid")

    solver: str = Field("auto", description="highs, cbc or auto.")
    time_limit: float = Field(30.0, gt=0, le=3600, description="Seconds the solver may use in all.")
    allow_partial: bool = False
    max_group_size: int | None = Field(None, ge=1, description="Group-size cap for orders that set none.")
    rules: dict[str, str | int | float] = Field(
        default_factory=dict,
        description=(
            'Rule levels and parameters of the run, e.g. {"cohesion": "required", "leader_hops": 2}. '
            '"min_lot": N (a whole number >= 0) is the fewest units of a process a member may take; '
            "0 switches lots off; without it, 5% of the order's quantity and at least 50 units."
        ),
    )
    order_rules: dict[str, dict[str, str | int | float]] = Field(
        default_factory=dict,
        description='Changes for single orders, e.g. {"O1": {"leader": "required", "min_lot": 100}}.',
    )
    priorities: dict[str, float] = Field(default_factory=dict, description="Weight of an order's units.")
    seed: int = Field(0, ge=0)
    method: str = Field("auto", description="auto, full or decompose.")
    explain_seconds: float = Field(10.0, ge=0, le=3600)


class MatchJobIn(Input):
    """Orders to match together (null: every order in the caller's scope) and the options."""

    model_config = ConfigDict(extra="forbid")

    order_ids: list[str] | None = Field(None, min_length=1, max_length=10_000)
    options: MatchOptionsIn = Field(default_factory=MatchOptionsIn)


class JobOut(BaseModel):
    """A job: status (queued, running, done, failed, cancelled), progress in [0, 1], message."""

    job_id: str
    kind: str
    status: str
    progress: float
    message: str | None
    error: str | None
    cancel_requested: bool
    params: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobDetailOut(JobOut):
    """A job with its result (``matcher match --json``'s contract) once done."""

    result: dict[str, Any] | None


def _fields(job: Job, lang: str) -> dict[str, Any]:
    params = {k: v for k, v in (job.params or {}).items() if k != "territories"}
    return {
        "job_id": job.job_id,
        "kind": job.kind,
        "status": job.status,
        "progress": rounded(job.progress, "progress"),
        "message": said_stored(job.message, lang),
        "error": said_stored(job.error, lang),
        "cancel_requested": job.cancel_requested,
        "params": params,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def job_out(job: Job, lang: str = "en") -> JobOut:
    """A job as the API answers it: its message and error in ``lang``."""
    return JobOut(**_fields(job, lang))


def job_detail(job: Job, lang: str = "en") -> JobDetailOut:
    """A job with its result: figures rounded, sentences in ``lang`` (:mod:`matcher_service.reading`)."""
    result = for_people(job.result, lang) if job.status == "done" and job.result is not None else None
    return JobDetailOut(**_fields(job, lang), result=result)


def _own(principal: Principal, session: Session, job_id: str, *, lock: bool = False) -> Job:
    """The job if the caller started it (an admin: any job); 404 otherwise."""
    job = session.get(Job, job_id, with_for_update=lock)
    if job is None or not (principal.is_admin or job.created_by == principal.user_id):
        raise NotFound("jobs.not_found", job_id=job_id)
    return job


# ---------------------------------------------------------------- routes


@router.post("/match", response_model=JobDetailOut, status_code=202, **allow(COORDINATOR))
def submit_match(
    body: MatchJobIn,
    request: Request,
    response: Response,
    lang: Language,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
):
    """Queue a matching run of some orders (or every order in scope); answers 202 with the job.

    Options are checked at once (422 naming the bad one). Orders outside the
    caller's scope answer 404. A coordinator's run uses only the workshops of
    their territories. ``Idempotency-Key`` is honoured. Follow the job at
    ``Location`` (``GET /jobs/{job_id}``).
    """
    _version, cluster = request.app.state.snapshots.get(session)
    orders = {o.order_id: o for o in cluster.orders}

    def visible(order: Order) -> bool:
        return order_visible(principal, order)

    if body.order_ids is None:
        chosen = [o.order_id for o in cluster.orders if visible(o)]
        if not chosen:
            raise Unprocessable("jobs.no_order_in_scope")
    else:
        chosen = list(dict.fromkeys(body.order_ids))
        hidden = [o for o in chosen if o not in orders or not visible(orders[o])]
        if hidden:
            raise NotFound("orders.not_found", order_id=", ".join(hidden))
    asked = body.options.model_dump()
    strangers = [
        detail(f"options.{name}.{o}", "jobs.not_in_run", order_id=o)
        for name in ("order_rules", "priorities")
        for o in asked[name]
        if o not in chosen
    ]
    if strangers:
        raise Unprocessable(details=strangers)
    options = options_from(asked)  # InvalidOptionError -> 422, before anything is stored
    territories = [] if principal.is_admin else list(principal.territories)
    params = {
        "order_ids": None if principal.is_admin and body.order_ids is None else chosen,
        "options": options.to_dict(),
        "territories": territories,
    }

    def create():
        job = Job(
            job_id=new_job_id(),
            kind=MATCH,
            status="queued",
            progress=0.0,
            message="job.queued",
            params=params,
            created_by=principal.user_id,
            territories=territories,
        )
        session.add(job)
        session.flush()
        audit(session, principal, "submit", "job", job.job_id, {"kind": MATCH, **params}, data=False)
        return job_detail(job, lang), {"Location": location("/jobs", job.job_id)}

    response.status_code = 202  # stored beside the Idempotency-Key, so a repeat answers 202 too
    body_out = idempotent_create(
        request, response, session, principal, body.model_dump(), create, what="the job"
    )
    if response.headers.get("Idempotent-Replayed") != "true":
        job_id = body_out["job_id"] if isinstance(body_out, dict) else body_out.job_id
        request.app.state.jobs.submit(job_id)
    return body_out


@router.get("", response_model=Page[JobOut], **allow(COORDINATOR))
def list_jobs(
    lang: Language,
    page: Paging,
    status: str | None = Query(None, description="Only jobs with this status."),
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> Page[JobOut]:
    """The caller's jobs (an admin: everyone's), newest first, without results."""
    query = select(Job)
    if not principal.is_admin:
        query = query.where(Job.created_by == principal.user_id)
    if status is not None:
        query = query.where(Job.status == status)
    return page_of(session, query, page, lambda job: job_out(job, lang), [Job.created_at.desc(), Job.job_id])


@router.get("/{job_id}", response_model=JobDetailOut, **allow(COORDINATOR))
def get_job(
    job_id: str,
    lang: Language,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> JobDetailOut:
    """One of the caller's jobs: status, progress, message, and the result once done.

    The message, the error and the result's sentences are in the request's
    language (``Accept-Language``), whatever the language the job was started in.
    """
    return job_detail(_own(principal, session, job_id), lang)


@router.post("/{job_id}/cancel", response_model=JobDetailOut, **allow(COORDINATOR))
def cancel_job(
    job_id: str,
    lang: Language,
    principal: Principal = Depends(current),
    session: Session = Depends(get_session),
) -> JobDetailOut:
    """Cancel a job: a queued one is cancelled at once; a running one is asked to stop and its
    result is discarded when the solver returns (``cancel_requested``; the solver stops at the
    run's time limit at the latest). A finished job answers 409; cancelling twice is harmless."""
    job = _own(principal, session, job_id, lock=True)
    if job.status == "cancelled":
        return job_detail(job, lang)
    if job.status in FINISHED:
        raise Conflict("jobs.finished", job_id=job_id, status=job.status)
    job.cancel_requested = True
    if job.status == "queued":
        job.status, job.message, job.finished_at = "cancelled", "job.cancelled", utcnow()
    else:
        job.message = "job.cancel_requested"
    audit(session, principal, "cancel", "job", job_id, {"status": job.status}, data=False)
    commit(session, what=f"job {job_id}")
    return job_detail(job, lang)
