"""Background jobs (matching runs): queued, run on worker threads, stored with their result.

A job row holds its status (``queued``, ``running``, ``done``, ``failed``,
``cancelled``), progress in [0, 1], a message, and the result once done. A
queued job cancelled never runs; a running one is asked to stop, and its
result is discarded when the solver returns (the solver cannot be interrupted
mid-solve, but always stops at the run's time limit).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matcher.errors import MatcherError
from service.convert import SnapshotCache
from service.models import Job, utcnow

__all__ = ["TASKS", "JobRunner", "new_job_id"]

log = logging.getLogger("matcher.service.jobs")

#: kind -> function(cluster, params, report) -> JSON result; registered by the routes that offer them.
TASKS: dict[str, Callable[..., dict[str, Any]]] = {}

FINISHED = ("done", "failed", "cancelled")


def new_job_id() -> str:
    """A new random job id."""
    return uuid.uuid4().hex


class JobRunner:
    """Runs queued jobs on ``workers`` threads; one per job at a time."""

    def __init__(
        self, sessions: sessionmaker[Session], snapshots: SnapshotCache, *, workers: int = 1
    ) -> None:
        self.sessions = sessions
        self.snapshots = snapshots
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the workers; jobs a stopped service left behind are resumed or failed."""
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="matcher-job")
        with self.sessions() as session:
            for job in session.scalars(select(Job).where(Job.status == "running")):
                job.status, job.finished_at = "failed", utcnow()
                job.error = "the service stopped while the job ran; submit it again"
            queued = list(session.scalars(select(Job.job_id).where(Job.status == "queued")))
            session.commit()
        for job_id in queued:
            self.submit(job_id)

    def stop(self) -> None:
        """Stop taking jobs; running ones finish."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def submit(self, job_id: str) -> None:
        """Queue a job whose row is already committed."""
        if self._pool is None:
            raise RuntimeError("the job runner is not started")
        self._pool.submit(self._run, job_id)

    def _update(self, job_id: str, **values: Any) -> bool:
        """Write values on the job; False when it was cancelled meanwhile."""
        with self.sessions() as session:
            job = session.get(Job, job_id, with_for_update=True)
            if job is None or job.status == "cancelled":
                # A cancelled job stays cancelled: a task that ran on returns nothing kept.
                return False
            if job.cancel_requested and job.status not in FINISHED:
                job.status, job.finished_at, job.message = "cancelled", utcnow(), "cancelled on request"
                job.result = None
                session.commit()
                return False
            for name, value in values.items():
                setattr(job, name, value)
            session.commit()
            return True

    def _run(self, job_id: str) -> None:
        with self.sessions() as session:
            job = session.get(Job, job_id)
            if job is None or job.status != "queued":
                return
            kind, params = job.kind, dict(job.params or {})
        if not self._update(
            job_id, status="running", started_at=utcnow(), progress=0.05, message="reading data"
        ):
            return
        try:
            with self.sessions() as session:
                _version, cluster = self.snapshots.get(session)

            def report(progress: float, message: str) -> bool:
                return self._update(job_id, progress=progress, message=message)

            result = TASKS[kind](cluster, params, report)
        except MatcherError as exc:
            self._update(job_id, status="failed", finished_at=utcnow(), error=str(exc), message="failed")
            return
        except Exception:
            incident = uuid.uuid4().hex[:12]
            log.exception("job %s failed (incident %s)", job_id, incident)
            self._update(
                job_id,
                status="failed",
                finished_at=utcnow(),
                error=f"unexpected failure; quote incident {incident} to the administrator",
                message="failed",
            )
            return
        self._update(job_id, status="done", progress=1.0, finished_at=utcnow(), result=result, message="done")
