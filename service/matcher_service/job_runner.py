"""The job runner of a service process: claims queued jobs, hands them to worker processes, watches them.

Each service process runs one :class:`JobRunner`, a dispatcher thread that,
every ``poll_seconds`` (and at once when a job is queued in its own process):

1. collects the jobs its workers finished;
2. stops the jobs cancelled while running whose task did not stop by itself
   within ``cancel_seconds``: their local worker process is ended, or their
   Dask task cancelled, and the job is set ``cancelled``;
3. writes its heartbeat on the jobs it runs, and fails with
   ``job.service_stopped`` the jobs whose runner has not written one for
   ``stale_seconds`` (a service process that was killed, or whose machine
   stopped), whichever process notices first;
4. claims queued jobs, oldest first, as many as its workers are free, and
   starts them.

A job is claimed by one conditional ``UPDATE ... WHERE job_id = :id AND
status = 'queued'``: of several processes that try at once, the database lets
exactly one change the row, so a job runs once however many service processes
share the database (SQLite or PostgreSQL alike). The claim records who holds it
(``claimed_by``, ``host:pid:random``); the worker writes the job's progress and
result under that claim only (:class:`matcher_service.job_worker.JobRow`).

The web process itself never loads the cluster nor solves for a job: the work
runs in ``workers`` processes of this machine (:class:`~matcher_service.job_pools.LocalPool`)
or, given the address of a Dask scheduler, on that cluster's workers
(:class:`~matcher_service.job_pools.DaskPool`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from matcher_service.job_pools import DaskPool, LocalPool, WorkerStopped
from matcher_service.jobs import Task, stored
from matcher_service.messages import ApiMessage
from matcher_service.models import Job, utcnow

__all__ = ["JobRunner", "shared_url"]

log = logging.getLogger("matcher.service.jobs")


def shared_url(database_url: str) -> str:
    """``database_url`` as another process opens it: an SQLite file by its absolute path.

    Examples
    --------
    >>> shared_url("postgresql+psycopg://matcher@db:5432/matcher")
    'postgresql+psycopg://matcher@db:5432/matcher'
    >>> shared_url("sqlite:///matcher.db") == "sqlite:///" + os.path.abspath("matcher.db")
    True
    """
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        parsed = parsed.set(database=os.path.abspath(parsed.database))
    return parsed.render_as_string(hide_password=False)


class JobRunner:
    """Runs the queued jobs of the database in worker processes; one per service process.

    Parameters
    ----------
    sessions : sessionmaker
        Sessions of the service's database (the dispatcher's claims and heartbeats).
    database_url : str
        The same database, as the worker processes open it.
    tasks : mapping of str to callable, optional
        What each kind of job runs, ``task(cluster, params, report)`` -> its
        JSON result (:data:`matcher_service.tasks.TASKS`); a function a worker
        process can import. Jobs of other kinds are left to other runners.
    workers : int
        Jobs this process runs at once (``MATCHER_JOB_WORKERS``).
    scheduler : str, optional
        Address of a Dask scheduler (``MATCHER_SCHEDULER``): the jobs run on
        its workers instead of processes of this machine.
    poll_seconds : float
        How often the queue is looked at for jobs queued by other processes.
    stale_seconds : float
        A running job whose runner has not written its heartbeat for this long
        is failed (``MATCHER_JOB_STALE_SECONDS``); the heartbeat is written six
        times as often.
    cancel_seconds : float
        Time a cancelled job's task has to stop by itself before its worker is
        stopped (``MATCHER_JOB_CANCEL_SECONDS``).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        database_url: str,
        *,
        tasks: Mapping[str, Task] | None = None,
        workers: int = 1,
        scheduler: str | None = None,
        poll_seconds: float = 1.0,
        stale_seconds: float = 60.0,
        cancel_seconds: float = 5.0,
    ) -> None:
        self.sessions = sessions
        self.database_url = shared_url(database_url)
        self.tasks: dict[str, Task] = dict(tasks or {})
        self.workers = workers
        self.scheduler = scheduler
        self.poll_seconds = poll_seconds
        self.stale_seconds = stale_seconds
        self.cancel_seconds = cancel_seconds
        #: Who this runner is in the ``claimed_by`` of its jobs.
        self.claim = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._pool: LocalPool | DaskPool | None = None
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._running: set[str] = set()
        self._cancelled_at: dict[str, float] = {}
        self._next_beat = 0.0

    # ------------------------------------------------------------ life

    def start(self) -> None:
        """Start the dispatcher (the worker processes start when the first job needs one)."""
        if self.scheduler:
            self._pool = DaskPool(self.workers, self.database_url, self.scheduler)
        else:
            self._pool = LocalPool(self.workers, self.database_url)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="matcher-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop taking jobs and stop the running ones; they fail with ``job.service_stopped``."""
        if self._thread is None or self._pool is None:
            return
        self._stopping.set()
        self._wake.set()
        self._thread.join()
        self._thread = None
        for job_id in self._pool.close():
            self._end(job_id, "failed", error=stored([ApiMessage("job.service_stopped")]))
        self._pool = None

    def submit(self, job_id: str) -> None:
        """A job was queued (its row committed): look at the queue now rather than at the next poll."""
        if self._thread is None:
            raise RuntimeError("the job runner is not started")
        self._wake.set()

    # ------------------------------------------------------------ the dispatcher

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._tick()
            except Exception:  # the database may be away for a while: try again at the next poll
                log.exception("the job runner could not look at the queue")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _tick(self) -> None:
        assert self._pool is not None
        for job_id, outcome in self._pool.finished():
            self._running.discard(job_id)
            self._cancelled_at.pop(job_id, None)
            self._settle(job_id, outcome)
        if self._running:
            self._stop_cancelled()
        if time.monotonic() >= self._next_beat:
            self._beat()
            self._next_beat = time.monotonic() + self.stale_seconds / 6
        free = self._pool.free()
        if free > 0 and not self._stopping.is_set():
            self._claim(free)

    def _mine(self, job_id: str) -> Any:
        return (Job.job_id == job_id) & (Job.status == "running") & (Job.claimed_by == self.claim)

    def _end(self, job_id: str, status: str, **values: Any) -> None:
        """Finish a job of this runner's that its worker did not finish."""
        message = {"failed": "job.failed", "cancelled": "job.cancelled"}[status]
        with self.sessions() as session:
            session.execute(
                update(Job)
                .where(self._mine(job_id))
                .values(status=status, message=message, finished_at=utcnow(), **values)
            )
            session.commit()

    def _settle(self, job_id: str, outcome: Any) -> None:
        """A job whose worker ended: failed if the worker left it running (it stopped before the job)."""
        if isinstance(outcome, WorkerStopped):
            log.warning("job %s: %s", job_id, outcome)
        self._end(job_id, "failed", error=stored([ApiMessage("job.worker_stopped")]))

    def _stop_cancelled(self) -> None:
        with self.sessions() as session:
            asked = set(
                session.scalars(
                    select(Job.job_id).where(
                        Job.job_id.in_(sorted(self._running)), Job.status == "running", Job.cancel_requested
                    )
                )
            )
        now = time.monotonic()
        for job_id in asked:
            since = self._cancelled_at.setdefault(job_id, now)
            if now - since >= self.cancel_seconds:
                assert self._pool is not None
                self._pool.stop(job_id)
                self._running.discard(job_id)
                del self._cancelled_at[job_id]
                self._end(job_id, "cancelled")

    def _beat(self) -> None:
        """This runner's heartbeat on its jobs; the jobs of a silent runner failed."""
        now = utcnow()
        silent = (
            (Job.status == "running")
            & (Job.heartbeat_at < now - timedelta(seconds=self.stale_seconds))
            & (Job.claimed_by != self.claim)
        )
        with self.sessions() as session:
            if self._running:
                mine = (Job.claimed_by == self.claim) & (Job.status == "running")
                session.execute(update(Job).where(mine).values(heartbeat_at=now))
            stopped = stored([ApiMessage("job.service_stopped")])
            failed = session.execute(
                update(Job)
                .where(silent)
                .values(status="failed", message="job.failed", error=stopped, finished_at=now)
            ).rowcount
            session.commit()
        if failed:
            log.warning("%d job(s) failed: their service process stopped", failed)

    def _claim(self, free: int) -> None:
        """Claim up to ``free`` queued jobs, oldest first, and start them."""
        assert self._pool is not None
        with self.sessions() as session:
            queued = session.execute(
                select(Job.job_id, Job.kind)
                .where(Job.status == "queued", Job.kind.in_(sorted(self.tasks)))
                .order_by(Job.created_at, Job.job_id)
                .limit(free + 4)  # a few more: another process may take some first
            ).all()
        for job_id, kind in queued:
            if free == 0:
                break
            now = utcnow()
            with self.sessions() as session:
                taken = session.execute(
                    update(Job)
                    .where(Job.job_id == job_id, Job.status == "queued")
                    .values(
                        status="running",
                        claimed_by=self.claim,
                        started_at=now,
                        heartbeat_at=now,
                        message="job.running",
                    )
                ).rowcount
                session.commit()
            if not taken:
                continue
            try:
                self._pool.start(job_id, self.claim, self.tasks[kind])
            except Exception:
                incident = uuid.uuid4().hex[:12]
                log.exception("job %s could not start (incident %s)", job_id, incident)
                error = stored([ApiMessage("error.incident", {"incident": incident})])
                self._end(job_id, "failed", error=error)
                continue
            self._running.add(job_id)
            free -= 1
