"""Jobs: submit a matching run (202), follow a job's progress, read its result, cancel it.

Every job is read here, whatever its kind (matching runs, and the mentoring runs
and upgrade plans of :mod:`matcher_service.routes.develop`): a caller reads the
jobs they started (an admin every job), an association leader those started
for their present organization.

A matching run is :func:`matcher.optimize.solve_orders` — the call behind ``matcher
match`` — on the snapshot of the cluster, run in a worker process by the job
runner (:mod:`matcher_service.job_runner`). A coordinator matches the orders of their territories
with the workshops of their territories only: the run's cluster is the
snapshot restricted to those workshops and the ties among them, so a result
never names a workshop the coordinator may not see.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from matcher.model import Order
from matcher_service.auth import allow
from matcher_service.crud.jobs import job_detail, job_page, job_readable, job_scope, queue_job
from matcher_service.deps import CurrentPrincipal, Language, Paging, SessionDep
from matcher_service.errors import Conflict, NotFound, Unprocessable, detail
from matcher_service.jobs import FINISHED, MATCH
from matcher_service.models import Job, utcnow
from matcher_service.policy import order_visible
from matcher_service.roles import COORDINATOR, LEADER, Principal
from matcher_service.route import Route
from matcher_service.schemas.jobs import JobDetailOut, JobOut, MatchJobIn
from matcher_service.store import Page, audit, commit
from matcher_service.tasks import options_from

__all__ = ["router"]

router = APIRouter(route_class=Route, prefix="/jobs", tags=["jobs"])


def _own(principal: Principal, session: Session, job_id: str, *, lock: bool = False) -> Job:
    """The job if the caller may read it (:func:`~matcher_service.crud.jobs.job_readable`); 404 otherwise."""
    job = session.get(Job, job_id, with_for_update=lock)
    if job is None or not job_readable(principal, job):
        raise NotFound("jobs.not_found", job_id=job_id)
    return job


# ---------------------------------------------------------------- routes


@router.post("/match", response_model=JobDetailOut, status_code=202, **allow(COORDINATOR))
def submit_match(
    body: MatchJobIn,
    request: Request,
    response: Response,
    lang: Language,
    principal: CurrentPrincipal,
    session: SessionDep,
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
    params = {
        "order_ids": None if principal.is_admin and body.order_ids is None else chosen,
        "options": options.to_dict(),
        **job_scope(principal),
    }
    payload = body.model_dump()
    return queue_job(request, response, session, principal, lang, kind=MATCH, params=params, body=payload)


@router.get("", response_model=Page[JobOut], **allow(COORDINATOR, LEADER))
def list_jobs(
    lang: Language,
    page: Paging,
    principal: CurrentPrincipal,
    session: SessionDep,
    status: Annotated[str | None, Query(description="Only jobs with this status.")] = None,
) -> Page[JobOut]:
    """The caller's jobs (an admin: everyone's), newest first, without results."""
    return job_page(session, principal, page, lang, status=status)


@router.get("/{job_id}", response_model=JobDetailOut, **allow(COORDINATOR, LEADER))
def get_job(
    job_id: str,
    lang: Language,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> JobDetailOut:
    """One of the caller's jobs: status, progress, message, and the result once done.

    The message, the error and the result's sentences are in the request's
    language (``Accept-Language``), whatever the language the job was started in.
    """
    return job_detail(_own(principal, session, job_id), lang)


@router.post("/{job_id}/cancel", response_model=JobDetailOut, **allow(COORDINATOR, LEADER))
def cancel_job(
    job_id: str,
    lang: Language,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> JobDetailOut:
    """Cancel a job: a queued one is cancelled at once; a running one is asked to stop
    (``cancel_requested``): it stops at its next progress report, or its worker is stopped a few
    seconds later (a solver is not interrupted otherwise), and it ends ``cancelled`` with no
    result. A finished job answers 409; cancelling twice is harmless."""
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
