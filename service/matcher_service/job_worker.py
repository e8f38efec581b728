"""One job, run in a worker process: a local job process or a Dask worker (:func:`run_job`).

The worker opens its own connection to the database, reads the job's kind and
params, builds the cluster snapshot itself (kept per process and data version,
so the next job on the same data reuses it), runs the task and writes its
progress, result or error straight to the job's row. The web process never
loads the cluster nor solves for a job.

Every write is one conditional ``UPDATE`` that holds only while the job is
still ``running`` under the claim it was handed (:class:`JobRow`): a job
cancelled meanwhile is set ``cancelled`` instead, and a job failed by another
service process (its claimer was not heard from) is left as it is. So a task's
progress report answers False as soon as the job was cancelled or lost, and
the tasks stop there.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from matcher.errors import MatcherError
from matcher_service.convert import SnapshotCache
from matcher_service.db import make_engine
from matcher_service.jobs import Task, stored
from matcher_service.messages import ApiMessage
from matcher_service.models import Job, utcnow

__all__ = ["JobRow", "run_job"]

log = logging.getLogger("matcher.service.jobs")

#: Connections a worker process keeps open to one database (its jobs run one at a time, or one per
#: thread of a Dask worker).
POOL_SIZE = 2

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_snapshots: dict[str, SnapshotCache] = {}


def _engine(database_url: str) -> Engine:
    """This process's engine for ``database_url`` (made once)."""
    with _lock:
        if database_url not in _engines:
            _engines[database_url] = make_engine(database_url, pool_size=POOL_SIZE)
            _snapshots[database_url] = SnapshotCache()
        return _engines[database_url]


class JobRow:
    """The row of a job run under ``claim``, written only while the job is still that claim's.

    Examples
    --------
    >>> from matcher_service.db import migrate
    >>> engine = make_engine("sqlite://"); migrate(engine)
    >>> with Session(engine) as session:
    ...     session.add(Job(job_id="J1", kind="match", status="running", params={}, claimed_by="me"))
    ...     session.commit()
    >>> row = JobRow(engine, "J1", "me")
    >>> row.report(0.5, "job.solving")
    True
    >>> JobRow(engine, "J1", "someone else").report(0.6, "job.solving")  # not their job
    False
    >>> with Session(engine) as session:
    ...     session.get(Job, "J1").cancel_requested = True
    ...     session.commit()
    >>> row.report(0.7, "job.solving"), row.status()
    (False, 'cancelled')
    """

    def __init__(self, engine: Engine, job_id: str, claim: str) -> None:
        self.engine = engine
        self.job_id = job_id
        self.claim = claim

    def _mine(self) -> Any:
        return (Job.job_id == self.job_id) & (Job.status == "running") & (Job.claimed_by == self.claim)

    def write(self, **values: Any) -> bool:
        """Write ``values`` on the job; False (nothing written) when it was cancelled or is no
        longer this claim's. A job cancelled meanwhile is set ``cancelled`` here."""
        with self.engine.begin() as connection:
            going = self._mine() & Job.cancel_requested.is_(False)
            if connection.execute(update(Job).where(going).values(**values)).rowcount:
                return True
            connection.execute(
                update(Job)
                .where(self._mine() & Job.cancel_requested.is_(True))
                .values(status="cancelled", message="job.cancelled", finished_at=utcnow())
            )
        return False

    def report(self, progress: float, message: str) -> bool:
        """The progress report a task is given: ``message`` is a key of
        :data:`matcher_service.messages.ENGLISH`; False means stop."""
        return self.write(progress=progress, message=message)

    def status(self) -> str | None:
        """The job's status as stored now (None: no such job)."""
        with self.engine.connect() as connection:
            return connection.scalar(select(Job.status).where(Job.job_id == self.job_id))


def run_job(job_id: str, database_url: str, claim: str, task: Task) -> str:
    """Run the job ``job_id``, claimed as ``claim``, with ``task``; the status it ended with.

    ``task(cluster, params, report)`` gets the cluster snapshot of the
    database, the job's params and :meth:`JobRow.report`; what it returns is
    the job's result. A :class:`~matcher.errors.MatcherError` fails the job
    with its messages, any other exception with an incident number (logged
    with its traceback).

    Returns
    -------
    str
        ``done``, ``failed`` or ``cancelled``, or the status someone else left
        (``failed`` by a service process that found the claim silent, ``lost``
        when the job is gone).
    """
    engine = _engine(database_url)
    row = JobRow(engine, job_id, claim)
    with Session(engine) as session:
        job = session.get(Job, job_id)
        if job is None or job.status != "running" or job.claimed_by != claim:
            return job.status if job is not None else "lost"
        params = dict(job.params or {})
    try:
        if not row.report(0.05, "job.reading"):
            return row.status() or "lost"
        with Session(engine) as session:
            _version, cluster = _snapshots[database_url].get(session)
        result = task(cluster, params, row.report)
    except MatcherError as exc:
        error = stored(exc.messages) if exc.messages else str(exc)
        row.write(status="failed", finished_at=utcnow(), error=error, message="job.failed")
    except Exception:
        incident = uuid.uuid4().hex[:12]
        log.exception("job %s failed (incident %s)", job_id, incident)
        error = stored([ApiMessage("error.incident", {"incident": incident})])
        row.write(status="failed", finished_at=utcnow(), error=error, message="job.failed")
    else:
        row.write(status="done", progress=1.0, finished_at=utcnow(), result=result, message="job.done")
    return row.status() or "lost"
