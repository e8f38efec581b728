"""Background jobs (matching runs, mentoring runs, upgrade plans): queued, run on worker threads,
stored with their result.

A job row holds its status (``queued``, ``running``, ``done``, ``failed``,
``cancelled``), progress in [0, 1], a message, and the result once done. The
message is a key of :data:`matcher_service.messages.ENGLISH` and the error the
messages of the failure (:func:`stored`), so that a job is read in the
reader's language whatever the language it was started in (:func:`said_stored`). A
queued job cancelled never runs; a running one is asked to stop, and its
result is discarded when the solver returns (the solver cannot be interrupted
mid-solve, but always stops at the run's time limit).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matcher.errors import MatcherError
from matcher.messages import Message
from matcher_service.convert import SnapshotCache
from matcher_service.errors import joined
from matcher_service.messages import ENGLISH, ApiMessage
from matcher_service.models import Job, utcnow

__all__ = ["MATCH", "MENTORING", "PLAN", "JobRunner", "Task", "new_job_id", "said_stored", "stored"]

log = logging.getLogger("matcher.service.jobs")

#: The kind of job that matches groups to orders (``POST /jobs/match``).
MATCH = "match"
#: The kind of job that forms mentoring circles (``POST /jobs/mentoring``).
MENTORING = "mentoring"
#: The kind of job that plans upgrades (``POST /jobs/plan``).
PLAN = "plan"

#: What a job of one kind runs: ``task(cluster, params, report)`` -> its JSON result.
Task = Callable[..., dict[str, Any]]

FINISHED = ("done", "failed", "cancelled")


def new_job_id() -> str:
    """A new random job id."""
    return uuid.uuid4().hex


#: The message tables a stored message may come from, by the catalogue prefix of their languages.
_TABLES: dict[str, type[Message]] = {Message.NAMESPACE: Message, ApiMessage.NAMESPACE: ApiMessage}


def stored(messages: Iterable[Message]) -> str:
    """Messages as the text a job stores (JSON: each message's table, key and arguments).

    Examples
    --------
    >>> stored([ApiMessage("job.service_stopped")])
    '[{"in": "api", "key": "job.service_stopped", "args": {}}]'
    """
    return json.dumps([{"in": m.NAMESPACE, **m.to_dict()} for m in messages], ensure_ascii=False)


def said_stored(text: str | None, lang: str) -> str | None:
    """A job's stored message or error in a language: a key of the service, :func:`stored` messages,
    or a text stored as is (older rows), which is given back unchanged.

    Examples
    --------
    >>> said_stored("job.solving", "es"), said_stored(stored([ApiMessage("job.done")]), "en")
    ('Calculando', 'done')
    >>> said_stored("seeded by hand", "es")
    'seeded by hand'
    """
    if text is None:
        return None
    if text in ENGLISH:
        return ApiMessage(text).say(lang)
    if text.startswith("[{"):
        try:
            items = json.loads(text)
            return joined([_TABLES[i["in"]](i["key"], i["args"]) for i in items], lang)
        except (ValueError, KeyError, TypeError):  # not messages after all: said as it was stored
            pass
    return text


class JobRunner:
    """Runs queued jobs on ``workers`` threads; one per job at a time.

    ``tasks`` says what each kind of job runs (the service registers them when
    it builds the app: :func:`matcher_service.app.create_app`).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        snapshots: SnapshotCache,
        *,
        tasks: Mapping[str, Task] | None = None,
        workers: int = 1,
    ) -> None:
        self.sessions = sessions
        self.snapshots = snapshots
        self.tasks: dict[str, Task] = dict(tasks or {})
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the workers; jobs a stopped service left behind are resumed or failed."""
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="matcher-job")
        with self.sessions() as session:
            for job in session.scalars(select(Job).where(Job.status == "running")):
                job.status, job.finished_at = "failed", utcnow()
                job.error = stored([ApiMessage("job.service_stopped")])
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
                job.status, job.finished_at, job.message = "cancelled", utcnow(), "job.cancelled"
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
            job_id, status="running", started_at=utcnow(), progress=0.05, message="job.reading"
        ):
            return
        try:
            with self.sessions() as session:
                _version, cluster = self.snapshots.get(session)

            def report(progress: float, message: str) -> bool:
                """Job progress (``message``: a key of :data:`matcher_service.messages.ENGLISH`)."""
                return self._update(job_id, progress=progress, message=message)

            result = self.tasks[kind](cluster, params, report)
        except MatcherError as exc:
            error = stored(exc.messages) if exc.messages else str(exc)
            self._update(job_id, status="failed", finished_at=utcnow(), error=error, message="job.failed")
            return
        except Exception:
            incident = uuid.uuid4().hex[:12]
            log.exception("job %s failed (incident %s)", job_id, incident)
            self._update(
                job_id,
                status="failed",
                finished_at=utcnow(),
                error=stored([ApiMessage("error.incident", {"incident": incident})]),
                message="job.failed",
            )
            return
        self._update(
            job_id, status="done", progress=1.0, finished_at=utcnow(), result=result, message="job.done"
        )
