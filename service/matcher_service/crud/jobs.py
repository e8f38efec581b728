"""Jobs' queries: answers in the reader's language, pages of the caller's jobs, their newest match,
a new job queued (:func:`queue_job`) and whose job one is (:func:`job_readable`)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.errors import Conflict, NotFound
from matcher_service.jobs import MATCH, new_job_id, said_stored
from matcher_service.models import Job
from matcher_service.reading import for_people, rounded
from matcher_service.roles import LEADER, Principal
from matcher_service.schemas.jobs import JobDetailOut, JobOut
from matcher_service.store import Page, PageParams, audit, idempotent_create, location, page_of

__all__ = [
    "finished_job",
    "job_detail",
    "job_out",
    "job_page",
    "job_readable",
    "job_scope",
    "latest_match",
    "queue_job",
]

#: Params of a job that record the caller's scope: kept, never answered.
SCOPE_PARAMS = frozenset({"territories", "organization"})


def job_scope(principal: Principal) -> dict[str, Any]:
    """The scope a job of the caller runs in, as its params record it: ``territories`` (a
    coordinator's; empty for an admin) and, for an association leader, ``organization``."""
    if principal.role == LEADER:
        return {"territories": [], "organization": principal.organization_id}
    return {"territories": [] if principal.is_admin else list(principal.territories)}


def job_readable(principal: Principal, job: Job) -> bool:
    """Whether the caller may read a job: an admin any; anyone else the jobs they started, and
    an association leader only those started for their present organization (a leader moved to
    another organization no longer reads the circles of the first one's members)."""
    if principal.is_admin:
        return True
    if job.created_by != principal.user_id:
        return False
    if principal.role == LEADER:
        return (job.params or {}).get("organization") == principal.organization_id
    return True


def finished_job(session: Session, principal: Principal, job_id: str, kind: str) -> Job:
    """The caller's finished job ``job_id`` of ``kind``, for a page to draw its result.

    404 when the caller may not read it (:func:`job_readable`: as ``GET /jobs/{job_id}``
    answers) or it is of another kind; 409 while it is queued or running, or when it ended
    without a result (failed, cancelled).
    """
    job = session.get(Job, job_id)
    if job is None or not job_readable(principal, job):
        raise NotFound("jobs.not_found", job_id=job_id)
    if job.kind != kind:
        raise NotFound("views.wrong_kind", job_id=job_id, kind=kind)
    if job.status != "done" or job.result is None:
        raise Conflict("views.not_done", job_id=job_id, status=job.status)
    return job


def queue_job(
    request: Request,
    response: Response,
    session: Session,
    principal: Principal,
    lang: str,
    *,
    kind: str,
    params: dict[str, Any],
    body: dict[str, Any],
) -> JobDetailOut | dict[str, Any]:
    """Store a queued job of ``kind`` (audited, ``Idempotency-Key`` honoured) and give it to the runner;
    the answer is 202 with the job and its ``Location``.

    ``params`` are what the task reads, the caller's scope (:func:`job_scope`) among them.
    """

    def create():
        job = Job(
            job_id=new_job_id(),
            kind=kind,
            status="queued",
            progress=0.0,
            message="job.queued",
            params=params,
            created_by=principal.user_id,
            territories=params.get("territories") or [],
        )
        session.add(job)
        session.flush()
        audit(session, principal, "submit", "job", job.job_id, {"kind": kind, **params}, data=False)
        return job_detail(job, lang), {"Location": location("/jobs", job.job_id)}

    response.status_code = 202  # stored beside the Idempotency-Key, so a repeat answers 202 too
    out = idempotent_create(request, response, session, principal, body, create, what="the job")
    if response.headers.get("Idempotent-Replayed") != "true":
        job_id = out["job_id"] if isinstance(out, dict) else out.job_id
        request.app.state.jobs.submit(job_id)
    return out


def latest_match(
    session: Session, principal: Principal, *, order_id: str | None = None, job_id: str | None = None
) -> Job | None:
    """The caller's newest finished matching run (one that includes ``order_id`` when given)."""
    query = select(Job).where(Job.kind == MATCH, Job.status == "done")
    if not principal.is_admin:
        query = query.where(Job.created_by == principal.user_id)
    if job_id is not None:
        job = session.scalars(query.where(Job.job_id == job_id)).first()
        if job is None:
            raise NotFound("views.no_job", job_id=job_id)
        return job
    for job in session.scalars(query.order_by(Job.finished_at.desc(), Job.job_id).limit(50)):
        orders = (job.result or {}).get("orders") or []
        if order_id is None or any(o.get("order_id") == order_id for o in orders):
            return job
    return None


def _fields(job: Job, lang: str) -> dict[str, Any]:
    params = {k: v for k, v in (job.params or {}).items() if k not in SCOPE_PARAMS}
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


def job_page(
    session: Session, principal: Principal, page: PageParams, lang: str, *, status: str | None = None
) -> Page[JobOut]:
    """A page of the caller's jobs (an admin: everyone's), newest first, without results.

    An association leader's page holds the jobs they started for their present
    organization (:func:`job_readable`).
    """
    query = select(Job)
    if not principal.is_admin:
        query = query.where(Job.created_by == principal.user_id)
    if principal.role == LEADER:
        query = query.where(Job.params["organization"].as_string() == principal.organization_id)
    if status is not None:
        query = query.where(Job.status == status)
    return page_of(session, query, page, lambda job: job_out(job, lang), [Job.created_at.desc(), Job.job_id])
