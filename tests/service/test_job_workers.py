"""Jobs off the web process: run in worker processes (or on a Dask cluster), claimed once by one of
several runners, stopped when cancelled, their progress read back, a silent runner's jobs failed.

The tasks are those of :mod:`tests.service.job_tasks`: each notes in a file what it did and in
which process, since a worker shares no memory with the test.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from matcher.optimize import MatchOptions, solve_orders
from matcher_service.app import create_app
from matcher_service.job_runner import JobRunner
from matcher_service.models import Job, utcnow
from matcher_service.tasks import restrict_cluster
from tests.service import job_tasks
from tests.service.conftest import World, make_settings, reset_database, tiny_cluster
from tests.service.test_jobs import QUICK, comparable, wait_for

#: The coordinator's user id in the test world (the second account made).
COORDINATOR = 2


def queue(world: World, job_id: str, kind: str, **params) -> None:
    """Store a queued job of ``kind`` (the coordinator's) and wake the app's runner."""
    with world.app.state.sessions() as session:
        session.add(Job(job_id=job_id, kind=kind, status="queued", progress=0.0, message="job.queued",
                        params=params, created_by=COORDINATOR, territories=["T1"]))  # fmt: skip
        session.commit()
    world.app.state.jobs.submit(job_id)


def until(condition, what: str, timeout: float = 60.0):
    """Wait for ``condition()`` to be true (and give it back)."""
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what}: not after {timeout} s"
        time.sleep(0.05)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def fast(world):
    """The world's runner looking at the queue and at cancels often."""
    runner = world.app.state.jobs
    runner.poll_seconds, runner.cancel_seconds = 0.1, 0.5
    return world


def test_a_job_runs_in_a_worker_process_and_its_progress_reads_back(fast, monkeypatch, tmp_path):
    monkeypatch.setitem(fast.app.state.jobs.tasks, "hold", job_tasks.hold)
    log, release = tmp_path / "log", tmp_path / "release"
    queue(fast, "JH", "hold", log=str(log), release=str(release), tag="JH")
    (_, _, pid), *_ = until(lambda: job_tasks.events(log), "the job started")
    assert pid != os.getpid() and alive(pid)
    job = until(lambda: (j := fast.as_("coordinator", "GET", "/jobs/JH").json())["progress"] == 0.42 and j,
                "the progress read back")  # fmt: skip
    assert (job["status"], job["message"]) == ("running", "solving")
    es = fast.as_("coordinator", "GET", "/jobs/JH", headers={"Accept-Language": "es"}).json()
    assert es["message"] == "Calculando"
    release.touch()
    done = wait_for(fast, "coordinator", "JH")
    assert (done["status"], done["progress"], done["result"]) == ("done", 1.0, {"pid": pid})
    with fast.app.state.sessions() as session:
        assert session.get(Job, "JH").claimed_by == fast.app.state.jobs.claim


def test_two_runners_run_each_job_once(world, tmp_path):
    """Two runners on the same database, as two service processes: every job runs exactly once."""
    log = tmp_path / "log"
    runners = [
        JobRunner(world.app.state.sessions, world.app.state.settings.database_url,
                  tasks={"record": job_tasks.record}, poll_seconds=0.05)
        for _ in range(2)
    ]  # fmt: skip
    ids = [f"JR{i:02d}" for i in range(12)]
    with world.app.state.sessions() as session:
        session.add_all(
            Job(job_id=i, kind="record", status="queued", params={"log": str(log), "tag": i, "seconds": 0.1},
                created_by=COORDINATOR, territories=[])
            for i in ids
        )  # fmt: skip
        session.commit()
    for runner in runners:
        runner.start()
    try:
        for runner in runners:
            runner.submit("JR00")

        def finished():
            with world.app.state.sessions() as session:
                query = select(Job.job_id, Job.status, Job.claimed_by).where(Job.kind == "record")
                rows = session.execute(query).all()
            return all(status == "done" for _, status, _ in rows) and rows

        rows = until(finished, "every job done")
    finally:
        for runner in runners:
            runner.stop()
    runs = Counter(tag for tag, event, _ in job_tasks.events(log) if event == "ran")
    assert runs == dict.fromkeys(ids, 1)
    claims = Counter(claim for _, _, claim in rows)
    assert set(claims) == {r.claim for r in runners}, claims  # both runners took some
    assert os.getpid() not in {pid for _, _, pid in job_tasks.events(log)}


def test_cancel_reaches_a_task_that_reports(fast, monkeypatch, tmp_path):
    monkeypatch.setitem(fast.app.state.jobs.tasks, "hold", job_tasks.hold)
    log = tmp_path / "log"
    queue(fast, "JC", "hold", log=str(log), release=str(tmp_path / "never"), tag="JC")
    until(lambda: job_tasks.events(log), "the job started")
    r = fast.as_("coordinator", "POST", "/jobs/JC/cancel")
    assert (r.json()["status"], r.json()["cancel_requested"]) == ("running", True)
    done = wait_for(fast, "coordinator", "JC")
    assert (done["status"], done["message"], done["result"]) == ("cancelled", "cancelled on request", None)
    (_, _, pid), (_, stopped, _) = job_tasks.events(log)
    assert stopped == "stopped" and alive(pid)  # the task stopped itself: its process serves on


def test_cancel_stops_the_worker_of_a_task_that_does_not_report(fast, monkeypatch, tmp_path):
    monkeypatch.setitem(fast.app.state.jobs.tasks, "stubborn", job_tasks.stubborn)
    monkeypatch.setitem(fast.app.state.jobs.tasks, "record", job_tasks.record)
    log = tmp_path / "log"
    queue(fast, "JS", "stubborn", log=str(log), seconds=60, tag="JS")
    (_, _, pid), = until(lambda: job_tasks.events(log), "the job started")  # fmt: skip
    assert fast.as_("coordinator", "POST", "/jobs/JS/cancel").status_code == 200
    done = wait_for(fast, "coordinator", "JS", timeout=30)
    assert (done["status"], done["result"]) == ("cancelled", None)
    assert not alive(pid)  # its worker process was ended
    # The next job gets a new worker process.
    queue(fast, "JN", "record", log=str(log), tag="JN")
    assert wait_for(fast, "coordinator", "JN")["status"] == "done"
    assert [(t, e) for t, e, _ in job_tasks.events(log)] == [("JS", "started"), ("JN", "ran")]
    assert job_tasks.events(log)[-1][2] not in (pid, os.getpid())


def test_a_job_whose_worker_dies_fails(fast, monkeypatch, tmp_path):
    monkeypatch.setitem(fast.app.state.jobs.tasks, "dies", job_tasks.dies)
    queue(fast, "JD", "dies", log=str(tmp_path / "log"), tag="JD")
    done = wait_for(fast, "coordinator", "JD")
    assert (done["status"], done["error"]) == (
        "failed",
        "the process running the job stopped before it ended; submit it again",
    )


def test_the_jobs_of_a_silent_runner_are_failed(fast):
    now = utcnow()
    with fast.app.state.sessions() as session:
        for job_id, claim, heartbeat in (("JGONE", "gone:1:x", now - timedelta(hours=1)),
                                         ("JLIVE", "alive:2:y", now)):  # fmt: skip
            session.add(Job(job_id=job_id, kind="match", status="running", params={}, claimed_by=claim,
                            heartbeat_at=heartbeat, started_at=heartbeat, created_by=COORDINATOR,
                            territories=["T1"]))  # fmt: skip
        session.commit()
    runner = fast.app.state.jobs
    runner._next_beat = 0.0  # its heartbeat is due: it looks for silent runners now
    runner.submit("JGONE")
    gone = wait_for(fast, "coordinator", "JGONE")
    assert (gone["status"], gone["error"]) == (
        "failed",
        "the service stopped while the job ran; submit it again",
    )
    assert fast.as_("coordinator", "GET", "/jobs/JLIVE").json()["status"] == "running"
    assert fast.as_("coordinator", "GET", "/jobs/J1").json()["status"] == "running"  # no claim, no heartbeat


def test_a_stopped_service_fails_its_running_jobs(fast, monkeypatch, tmp_path):
    monkeypatch.setitem(fast.app.state.jobs.tasks, "stubborn", job_tasks.stubborn)
    log = tmp_path / "log"
    queue(fast, "JT", "stubborn", log=str(log), seconds=60, tag="JT")
    (_, _, pid), = until(lambda: job_tasks.events(log), "the job started")  # fmt: skip
    fast.app.state.jobs.stop()
    assert not alive(pid)
    stopped = fast.as_("coordinator", "GET", "/jobs/JT").json()
    assert (stopped["status"], stopped["error"]) == (
        "failed",
        "the service stopped while the job ran; submit it again",
    )
    fast.app.state.jobs.start()  # as the fixture found it


# ---------------------------------------------------------------- on a Dask cluster


@pytest.fixture
def on_dask(dask_cluster, database_url, backend):
    """The world's app with ``MATCHER_SCHEDULER`` set to the loopback Dask cluster."""
    app = create_app(make_settings(database_url, scheduler=dask_cluster.address))
    app.state.jobs.poll_seconds, app.state.jobs.cancel_seconds = 0.1, 0.5
    with TestClient(app, raise_server_exceptions=False) as client:
        reset_database(app)
        yield World(client, app, backend)


def test_a_match_job_runs_on_the_dask_cluster(on_dask, monkeypatch, tmp_path):
    r = on_dask.as_("coordinator", "POST", "/jobs/match", json={"order_ids": ["O1"], "options": QUICK})
    assert r.status_code == 202, r.text
    done = wait_for(on_dask, "coordinator", r.json()["job_id"])
    assert done["status"] == "done", done
    cluster, _ = tiny_cluster()
    expected = solve_orders(
        restrict_cluster(cluster, ["T1"]), ["O1"], options=MatchOptions(time_limit=10, explain_seconds=0)
    ).to_dict()
    assert comparable(done["result"]) == comparable(expected)
    # The work ran on a Dask worker, not in this process.
    monkeypatch.setitem(on_dask.app.state.jobs.tasks, "record", job_tasks.record)
    log = tmp_path / "log"
    queue(on_dask, "JK", "record", log=str(log), tag="JK")
    assert wait_for(on_dask, "coordinator", "JK")["status"] == "done"
    [(_, _, pid)] = job_tasks.events(log)
    assert pid != os.getpid()


def test_cancel_reaches_a_job_on_the_dask_cluster(on_dask, monkeypatch, tmp_path):
    monkeypatch.setitem(on_dask.app.state.jobs.tasks, "hold", job_tasks.hold)
    log = tmp_path / "log"
    queue(on_dask, "JDC", "hold", log=str(log), release=str(tmp_path / "never"), tag="JDC")
    until(lambda: job_tasks.events(log), "the job started")
    assert on_dask.as_("coordinator", "POST", "/jobs/JDC/cancel").status_code == 200
    done = wait_for(on_dask, "coordinator", "JDC")
    assert (done["status"], done["result"]) == ("cancelled", None)
    until(lambda: len(job_tasks.events(log)) == 2, "the task stopped")
    assert job_tasks.events(log)[-1][1] == "stopped"
