"""Matching jobs: the result is solve_orders' on the same cluster and options; scope; cancel."""

from __future__ import annotations

import time

from matcher.optimize import MatchOptions, Rules, solve_orders
from matcher_service.app import create_app
from matcher_service.reading import for_people
from matcher_service.tasks import restrict_cluster
from tests.service import job_tasks
from tests.service.conftest import make_settings, tiny_cluster

QUICK = {"time_limit": 10, "explain_seconds": 0}
FINISHED = ("done", "failed", "cancelled")


def wait_for(world, who: str, job_id: str, timeout: float = 60.0) -> dict:
    """Poll a job until it finishes (fails the test after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        r = world.as_(who, "GET", f"/jobs/{job_id}")
        assert r.status_code == 200, r.text
        job = r.json()
        if job["status"] in FINISHED:
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job['status']} after {timeout}s"
        time.sleep(0.05)


def comparable(result: dict) -> dict:
    """A result as the API answers it (rounded, :mod:`matcher_service.reading`), without its timings."""
    result = {k: v for k, v in for_people(result).items() if k not in {"time_seconds", "explain_seconds"}}
    result["objectives"] = [{k: v for k, v in p.items() if k != "seconds"} for p in result["objectives"]]
    return result


def test_job_result_is_solve_orders(world):
    options = {**QUICK, "seed": 7, "rules": {"cohesion": "required"}, "priorities": {"O2": 2.0}}
    r = world.as_("admin", "POST", "/jobs/match", json={"order_ids": ["O1", "O2"], "options": options})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] == "queued" and job["progress"] == 0.0 and job["result"] is None
    assert r.headers["Location"] == f"/jobs/{job['job_id']}"
    done = wait_for(world, "admin", job["job_id"])
    assert done["status"] == "done", done
    assert done["progress"] == 1.0
    cluster, _ = tiny_cluster()
    expected = solve_orders(
        cluster,
        ["O1", "O2"],
        options=MatchOptions(
            time_limit=10,
            explain_seconds=0,
            seed=7,
            rules=Rules(cohesion="required"),
            priorities={"O2": 2.0},
        ),
    ).to_dict()
    assert comparable(done["result"]) == comparable(expected)
    groups = {o["order_id"]: [m["workshop_id"] for m in o["group"]] for o in done["result"]["orders"]}
    assert set(groups) == {"O1", "O2"} and all(groups.values())
    assert done["result"]["options"]["rules"]["cohesion"] == "required"


def test_jobs_take_lots_for_the_run_and_per_order(world):
    options = {**QUICK, "rules": {"min_lot": 0}, "order_rules": {"O2": {"min_lot": 120}}}
    r = world.as_("admin", "POST", "/jobs/match", json={"order_ids": ["O1", "O2"], "options": options})
    assert r.status_code == 202, r.text
    done = wait_for(world, "admin", r.json()["job_id"])
    assert done["status"] == "done", done
    result = done["result"]
    assert [(o["order_id"], o["lot"]) for o in result["orders"]] == [("O1", 0), ("O2", 120)]
    assert result["options"]["rules"]["min_lot"] == 0
    assert result["options"]["order_rules"] == {"O2": {"min_lot": 120}}
    cluster, _ = tiny_cluster()
    expected = solve_orders(
        cluster,
        ["O1", "O2"],
        options=MatchOptions(
            time_limit=10, explain_seconds=0, rules=Rules(min_lot=0), order_rules={"O2": {"min_lot": 120}}
        ),
    ).to_dict()
    assert comparable(result) == comparable(expected)
    for bad in (
        {"rules": {"min_lot": -1}},
        {"rules": {"min_lot": 2.5}},
        {"order_rules": {"O1": {"min_lot": "x"}}},
    ):
        r = world.as_("admin", "POST", "/jobs/match", json={"order_ids": ["O1"], "options": bad})
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["error"]["code"] == "invalid_option" and "min_lot" in r.json()["error"]["message"]


def test_openapi_documents_lots():
    schema = create_app(make_settings("sqlite://")).openapi()
    options = schema["components"]["schemas"]["MatchOptionsIn"]["properties"]
    assert "min_lot" in options["rules"]["description"]
    assert "min_lot" in options["order_rules"]["description"]


def test_coordinator_matches_their_orders_with_their_workshops(world):
    r = world.as_("coordinator", "POST", "/jobs/match", json={"order_ids": None, "options": QUICK})
    assert r.status_code == 202, r.text
    assert r.json()["params"]["order_ids"] == ["O1"]  # O2 is T2's
    done = wait_for(world, "coordinator", r.json()["job_id"])
    assert done["status"] == "done", done
    cluster, _ = tiny_cluster()
    expected = solve_orders(
        restrict_cluster(cluster, ["T1"]), ["O1"], options=MatchOptions(time_limit=10, explain_seconds=0)
    ).to_dict()
    assert comparable(done["result"]) == comparable(expected)
    members = {m["workshop_id"] for o in done["result"]["orders"] for m in o["group"]}
    assert members and members <= {"W1", "W2", "W3", "W4"}
    r = world.as_("coordinator", "POST", "/jobs/match", json={"order_ids": ["O1", "O2"], "options": QUICK})
    assert r.status_code == 404 and "O2" in r.json()["error"]["message"]


def test_invalid_options_store_nothing(world):
    before = world.as_("admin", "GET", "/jobs").json()["total"]
    bad = [
        ({"rules": {"cohesion": "sometimes"}}, "invalid_option"),
        ({"rules": {"kindness": "required"}}, "invalid_option"),
        ({"method": "magic"}, "invalid_option"),
        ({"time_limit": 0}, "invalid"),
        ({"priorities": {"O2": 2}}, "invalid"),
        ({"order_rules": {"O1": {"leader": "maybe"}}}, "invalid_option"),
        ({"colour": "blue"}, "invalid"),
    ]
    for options, code in bad:
        r = world.as_("admin", "POST", "/jobs/match", json={"order_ids": ["O1"], "options": options})
        assert r.status_code == 422, (options, r.text)
        assert r.json()["error"]["code"] == code, options
    r = world.as_("admin", "POST", "/jobs/match", json={"order_ids": ["NOPE"]})
    assert r.status_code == 404
    assert world.as_("admin", "GET", "/jobs").json()["total"] == before


def test_jobs_are_listed_for_their_owner(world):
    r = world.as_("coordinator", "POST", "/jobs/match", json={"order_ids": ["O1"], "options": QUICK})
    new = r.json()["job_id"]
    wait_for(world, "coordinator", new)
    mine = world.as_("coordinator", "GET", "/jobs").json()
    assert {j["job_id"] for j in mine["items"]} == {"J1", new} and mine["total"] == 2
    assert "result" not in mine["items"][0]
    assert world.as_("admin", "GET", "/jobs").json()["total"] == 5  # J1-J4 and this one
    assert world.as_("admin", "GET", "/jobs", params={"status": "done"}).json()["total"] == 1
    assert world.as_("coordinator2", "GET", f"/jobs/{new}").status_code == 404
    assert world.as_("admin", "GET", f"/jobs/{new}").json()["status"] == "done"


def test_idempotent_submit_runs_once(world):
    headers = {"Idempotency-Key": "run-1"}
    body = {"order_ids": ["O1"], "options": QUICK}
    first = world.as_("coordinator", "POST", "/jobs/match", json=body, headers=headers)
    again = world.as_("coordinator", "POST", "/jobs/match", json=body, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json()["job_id"] == again.json()["job_id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    wait_for(world, "coordinator", first.json()["job_id"])
    assert world.as_("coordinator", "GET", "/jobs").json()["total"] == 2  # J1 and this one


def test_cancel_queued_and_running(world, monkeypatch, tmp_path):
    monkeypatch.setenv(job_tasks.FOLDER, str(tmp_path))  # read by the worker process, started after
    monkeypatch.setitem(world.app.state.jobs.tasks, "match", job_tasks.slow_match)
    log = tmp_path / "log"
    try:
        running = world.as_(
            "admin", "POST", "/jobs/match", json={"order_ids": ["O1"], "options": QUICK}
        ).json()
        deadline = time.monotonic() + 60
        while not job_tasks.events(log):
            assert time.monotonic() < deadline, "the first job did not start"
            time.sleep(0.05)
        queued = world.as_(
            "admin", "POST", "/jobs/match", json={"order_ids": ["O2"], "options": QUICK}
        ).json()
        assert world.as_("admin", "GET", f"/jobs/{queued['job_id']}").json()["status"] == "queued"

        r = world.as_("admin", "POST", f"/jobs/{queued['job_id']}/cancel")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "cancelled"

        r = world.as_("admin", "POST", f"/jobs/{running['job_id']}/cancel")
        assert r.status_code == 200
        assert (r.json()["status"], r.json()["cancel_requested"]) == ("running", True)
    finally:
        (tmp_path / "release").touch()
    done = wait_for(world, "admin", running["job_id"])
    assert done["status"] == "cancelled" and done["result"] is None
    time.sleep(3 * world.app.state.jobs.poll_seconds)  # time enough to claim a queued job
    assert [tag for tag, _, _ in job_tasks.events(log)] == ["O1"]  # the cancelled queued job never ran
    again = world.as_("admin", "GET", f"/jobs/{running['job_id']}").json()
    assert again["status"] == "cancelled" and again["result"] is None  # the task's return was discarded
    assert world.as_("admin", "GET", f"/jobs/{queued['job_id']}").json()["started_at"] is None
    assert (
        world.as_("admin", "POST", f"/jobs/{queued['job_id']}/cancel").status_code == 200
    )  # again: harmless


def test_finished_job_cannot_be_cancelled(world):
    r = world.as_("coordinator", "POST", "/jobs/match", json={"order_ids": ["O1"], "options": QUICK})
    job_id = r.json()["job_id"]
    assert wait_for(world, "coordinator", job_id)["status"] == "done"
    r = world.as_("coordinator", "POST", f"/jobs/{job_id}/cancel")
    assert r.status_code == 409
    assert world.as_("coordinator2", "POST", f"/jobs/{job_id}/cancel").status_code == 404
    assert world.as_("coordinator", "GET", f"/jobs/{job_id}").json()["status"] == "done"
