"""Where the jobs of one service process run: worker processes of this machine (:class:`LocalPool`)
or the workers of a Dask cluster (:class:`DaskPool`).

Both run :func:`matcher_service.job_worker.run_job` and are driven by the job
runner's dispatcher thread (:class:`matcher_service.job_runner.JobRunner`), the
only thread that touches them: ``free()`` says how many more jobs they take,
``start()`` hands one over, ``finished()`` gives the jobs that ended and how,
``stop()`` stops one job whatever it is doing, and ``close()`` stops them all.

A local worker process is started (``spawn``: a fresh interpreter, nothing of
the web process's threads or connections) the first time it is needed and kept
for the next jobs, so that they reuse the cluster snapshot it built. It lowers
its own priority (``nice`` 10) before it does anything else, so that a solve
leaves the API its share of the cores, and leads a process group of its own, so
that stopping it stops the solver processes it started too.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import time
from multiprocessing.connection import Connection
from typing import Any

from matcher_service.job_worker import run_job
from matcher_service.jobs import Task

__all__ = ["NICENESS", "DaskPool", "LocalPool", "WorkerStopped"]

log = logging.getLogger("matcher.service.jobs")

#: How much a local worker process lowers its priority (``os.nice``): the web process goes first.
NICENESS = 10

#: Seconds a stopped worker process has to end before it is killed.
STOP_SECONDS = 2.0


class WorkerStopped(Exception):
    """The process or worker running a job ended before the job did."""


def _serve(connection: Connection) -> None:
    """A local worker process: run the jobs sent on ``connection``, one at a time, until it closes."""
    # Before any thread or solver starts: they all inherit the priority and the group.
    os.nice(NICENESS)
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    while True:
        try:
            job_id, database_url, claim, task = connection.recv()
        except (EOFError, OSError):  # the service closed the pool (or ended)
            return
        try:
            outcome: Any = run_job(job_id, database_url, claim, task)
        except Exception as exc:  # the row could not be read or written: the runner fails the job
            log.exception("job %s could not run", job_id)
            outcome = WorkerStopped(f"{type(exc).__name__}: {exc}")
        try:
            connection.send(outcome)
        except (BrokenPipeError, OSError):  # the service is gone; so is this process
            return


class _Process:
    """One local worker process and the job it runs (None: idle)."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        # Daemonic: it ends with the service. (A task may not start processes of its own with
        # multiprocessing; solver subprocesses are fine.)
        self.process = context.Process(target=_serve, args=(child,), name="matcher-job", daemon=True)
        self.process.start()
        child.close()
        self.job_id: str | None = None

    def outcome(self) -> Any:
        """What the job ended with, once it has: its status, or :class:`WorkerStopped`; else None."""
        try:
            if self.connection.poll():
                return self.connection.recv()
        except (EOFError, OSError):
            return WorkerStopped("the worker process ended")
        if not self.process.is_alive():
            return WorkerStopped(f"the worker process ended (exit code {self.process.exitcode})")
        return None

    def kill(self) -> None:
        """End the process and every process it started."""
        pid = self.process.pid
        for sig in (signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
            if hasattr(os, "killpg"):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, sig)  # its group: the solvers it started too
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)  # a process still starting has no group of its own yet
            self.process.join(STOP_SECONDS)
            if not self.process.is_alive():
                break
        self.connection.close()

    def close(self) -> None:
        """Let an idle process end (it reads the end of its connection)."""
        self.connection.close()
        self.process.join(STOP_SECONDS)
        if self.process.is_alive():
            self.kill()


class LocalPool:
    """``size`` worker processes of this machine, one job each at a time, started when first needed.

    Parameters
    ----------
    size : int
        Jobs run at once (``MATCHER_JOB_WORKERS``).
    database_url : str
        The database the workers open (an SQLite file named by its absolute path).
    """

    def __init__(self, size: int, database_url: str) -> None:
        self.size = size
        self.database_url = database_url
        self._processes: list[_Process] = []

    def free(self) -> int:
        """How many more jobs it takes now."""
        return self.size - sum(p.job_id is not None for p in self._processes)

    def start(self, job_id: str, claim: str, task: Task) -> None:
        """Run ``job_id`` (claimed as ``claim``) with ``task`` on an idle process."""
        idle = next((p for p in self._processes if p.job_id is None), None)
        if idle is None:
            idle = _Process()
            self._processes.append(idle)
        idle.connection.send((job_id, self.database_url, claim, task))
        idle.job_id = job_id

    def finished(self) -> list[tuple[str, Any]]:
        """``(job id, status or WorkerStopped)`` of each job that ended since the last call."""
        ended = []
        for process in list(self._processes):
            if process.job_id is None:
                continue
            outcome = process.outcome()
            if outcome is None:
                continue
            ended.append((process.job_id, outcome))
            process.job_id = None
            if isinstance(outcome, WorkerStopped):
                self._processes.remove(process)
                process.kill()
        return ended

    def stop(self, job_id: str) -> None:
        """End the process running ``job_id`` (a new one is started when needed)."""
        for process in list(self._processes):
            if process.job_id == job_id:
                self._processes.remove(process)
                process.kill()

    def close(self) -> list[str]:
        """End every process; the jobs that were running."""
        running = [p.job_id for p in self._processes if p.job_id is not None]
        for process in self._processes:
            if process.job_id is None:
                process.close()
            else:
                process.kill()
        self._processes = []
        return running


class DaskPool:
    """Jobs run on the workers of the Dask scheduler at ``address``, ``size`` at a time.

    The client connects when first needed; while the scheduler does not answer
    the pool takes no job (the jobs wait in the queue, for this process or
    another) and tries again every ``retry_seconds``.
    """

    def __init__(self, size: int, database_url: str, address: str, *, retry_seconds: float = 10.0) -> None:
        self.size = size
        self.database_url = database_url
        self.address = address
        self.retry_seconds = retry_seconds
        self._client: Any = None
        self._next_try = 0.0
        self._futures: dict[str, Any] = {}

    def _connected(self) -> Any:
        if self._client is None and time.monotonic() >= self._next_try:
            from matcher.distributed import connect
            from matcher.errors import MatcherError

            try:
                self._client = connect(self.address)
            except MatcherError as exc:
                log.warning("jobs wait: %s", exc)
                self._next_try = time.monotonic() + self.retry_seconds
        return self._client

    def free(self) -> int:
        """How many more jobs it takes now (none while the scheduler does not answer)."""
        return self.size - len(self._futures) if self._connected() is not None else 0

    def start(self, job_id: str, claim: str, task: Task) -> None:
        """Send ``job_id`` (claimed as ``claim``) to the cluster."""
        self._futures[job_id] = self._client.submit(
            run_job, job_id, self.database_url, claim, task, pure=False
        )

    def finished(self) -> list[tuple[str, Any]]:
        """``(job id, status or WorkerStopped)`` of each job that ended since the last call."""
        ended = []
        for job_id, future in list(self._futures.items()):
            if not future.done():
                continue
            del self._futures[job_id]
            try:
                ended.append((job_id, future.result()))
            except Exception as exc:  # the worker died, or the task could not be sent or read
                ended.append((job_id, WorkerStopped(f"{type(exc).__name__}: {exc}")))
        return ended

    def stop(self, job_id: str) -> None:
        """Cancel ``job_id``'s task (one already running goes on until the task looks at its row)."""
        future = self._futures.pop(job_id, None)
        if future is not None:
            future.cancel()

    def close(self) -> list[str]:
        """Cancel every task and close the client; the jobs that were running."""
        running = list(self._futures)
        for job_id in running:
            self.stop(job_id)
        if self._client is not None:
            self._client.close()
            self._client = None
        return running
