"""Jobs' queries: answers in the reader's language, pages of the caller's jobs, their newest match."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher_service.errors import NotFound
from matcher_service.jobs import MATCH, said_stored
from matcher_service.models import Job
from matcher_service.reading import for_people, rounded
from matcher_service.roles import Principal
from matcher_service.schemas.jobs import JobDetailOut, JobOut
from matcher_service.store import Page, PageParams, page_of

__all__ = ["job_detail", "job_out", "job_page", "latest_match"]


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


def job_page(
    session: Session, principal: Principal, page: PageParams, lang: str, *, status: str | None = None
) -> Page[JobOut]:
    """A page of the caller's jobs (an admin: everyone's), newest first, without results."""
    query = select(Job)
    if not principal.is_admin:
        query = query.where(Job.created_by == principal.user_id)
    if status is not None:
        query = query.where(Job.status == status)
    return page_of(session, query, page, lambda job: job_out(job, lang), [Job.created_at.desc(), Job.job_id])
