"""Development programmes as jobs: mentoring circles and upgrade plans, by role and scope.

The world's workshops are made into mentors (W1 in T1/ORG1, W5 in T2/ORG2: quality
4, finishing) and trainees (the others: quality 2, no finishing), so that a run
forms circles; W4 (T1) is tied to W5 (T2) and in conflict with W1.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from matcher.develop import mentoring, upgrade_plan
from matcher.model import Cluster
from matcher_service.reading import for_people
from matcher_service.tasks import plan_task, restrict_cluster, restrict_members, scoped_cluster
from tests.service.conftest import tiny_cluster
from tests.service.test_jobs import wait_for

QUICK = {"time_limit": 5, "demand_seconds": 0}
T1, ORG2 = {"W1", "W2", "W3", "W4"}, {"W5", "W6", "W7", "W8"}
MENTORS = ("W1", "W5")
TRAINEE_PROCESSES = ("cutting", "sewing", "packing")


def make_mentors(world) -> None:
    """W1 and W5 mentors (quality 4, they finish); the others trainees (quality 2, they do not)."""
    for i in range(1, 9):
        workshop_id = f"W{i}"
        if workshop_id in MENTORS:
            change = {"quality": 4, "processes": [*TRAINEE_PROCESSES, "finishing"]}
        else:
            change = {"quality": 2, "processes": list(TRAINEE_PROCESSES)}
        r = world.as_("admin", "PATCH", f"/workshops/{workshop_id}", json=change, headers={"If-Match": "*"})
        assert r.status_code == 200, r.text


def taught() -> Cluster:
    """The world's cluster as :func:`make_mentors` leaves it."""
    cluster, _ = tiny_cluster()
    workshops = tuple(
        replace(w, quality=4, processes=(*w.processes, "finishing"))
        if w.workshop_id in MENTORS
        else replace(w, quality=2, processes=TRAINEE_PROCESSES)
        for w in cluster.workshops
    )
    return replace(cluster, workshops=workshops)


def members(result: dict) -> set[str]:
    """Every workshop named in the circles of a mentoring result."""
    return {c["mentor_id"] for c in result["circles"]} | {
        t for c in result["circles"] for t in c["trainee_ids"]
    }


def run(world, who: str, path: str, body: dict, **kw) -> dict:
    r = world.as_(who, "POST", path, json=body, **kw)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] == "queued" and job["result"] is None
    assert r.headers["Location"] == f"/jobs/{job['job_id']}"
    assert "territories" not in job["params"] and "organization" not in job["params"]
    done = wait_for(world, who, job["job_id"])
    assert done["status"] == "done", done
    assert done["progress"] == 1.0
    return done


@pytest.mark.parametrize("who", ["lead_firm", "municipality"])
def test_not_offered_to_lead_firms_or_municipalities(world, who):
    for path, body in (("/jobs/mentoring", QUICK), ("/jobs/plan", {"budget": 500, "time_limit": 2})):
        r = world.as_(who, "POST", path, json=body)
        assert r.status_code == 403, r.text
        assert r.json()["error"]["code"] == "forbidden"
    assert world.as_(who, "GET", "/jobs/J3").status_code == 403
    assert world.as_("anyone", "POST", "/jobs/mentoring", json=QUICK).status_code == 401


def test_mentoring_result_is_the_librarys_on_the_scope(world):
    make_mentors(world)
    admin = run(world, "admin", "/jobs/mentoring", QUICK)["result"]
    coordinator = run(world, "coordinator", "/jobs/mentoring", QUICK)["result"]
    leader = run(world, "association_leader2", "/jobs/mentoring", QUICK)["result"]
    assert admin["summary"]["circles"] == 2 and members(admin) & T1 and members(admin) & ORG2
    assert coordinator["circles"] and members(coordinator) <= T1
    assert {u["workshop_id"] for u in coordinator["unpaired"]} <= T1
    assert leader["circles"] and members(leader) <= ORG2
    assert {u["workshop_id"] for u in leader["unpaired"]} <= ORG2
    # the library's answer on the restricted cluster, as the service reads it for people
    expected = mentoring(restrict_cluster(taught(), ["T1"]), time_limit=5, demand_seconds=0).to_dict()
    assert for_people(expected)["circles"] == coordinator["circles"]
    expected = mentoring(restrict_members(taught(), "ORG2"), time_limit=5, demand_seconds=0).to_dict()
    assert for_people(expected)["circles"] == leader["circles"]


def test_mentoring_pins_and_language(world):
    make_mentors(world)
    body = {**QUICK, "pinned": [{"mentor_id": "W1", "trainee_id": "W3"}], "circle_min": 2, "circle_max": 3}
    done = run(world, "association_leader", "/jobs/mentoring", body)
    assert done["params"]["pinned"] == [["W1", "W3"]] and done["params"]["circle_size"] == [2, 3]
    pairs = {(c["mentor_id"], t) for c in done["result"]["circles"] for t in c["trainee_ids"]}
    assert ("W1", "W3") in pairs
    es = world.as_("association_leader", "GET", f"/jobs/{done['job_id']}", headers={"Accept-Language": "es"})
    assert es.json()["message"] != done["message"]
    circle = es.json()["result"]["circles"][0]
    english = done["result"]["circles"][0]
    assert circle.get("reasons") and circle["reasons"] != english["reasons"]


@pytest.mark.parametrize(
    ("who", "pin", "field"),
    [
        ("coordinator", {"mentor_id": "NOPE", "trainee_id": "W2"}, "pinned.0.mentor_id"),
        ("coordinator", {"mentor_id": "W1", "trainee_id": "W6"}, "pinned.0.trainee_id"),  # T2: outside
        ("association_leader", {"mentor_id": "W5", "trainee_id": "W2"}, "pinned.0.mentor_id"),  # ORG2
    ],
)
def test_unknown_or_outside_pinned_workshop_is_422(world, who, pin, field):
    before = world.as_("admin", "GET", "/jobs").json()["total"]
    r = world.as_(who, "POST", "/jobs/mentoring", json={**QUICK, "pinned": [pin]})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert [d["field"] for d in error["details"]] == [field]
    assert field in error["message"] and "no workshop" in error["message"]
    said = world.as_(
        who, "POST", "/jobs/mentoring", json={**QUICK, "pinned": [pin]}, headers={"Accept-Language": "es"}
    )
    assert said.status_code == 422 and "no existe el taller" in said.json()["error"]["message"]
    assert world.as_("admin", "GET", "/jobs").json()["total"] == before


def test_mentoring_rule_breaking_options_are_422(world):
    before = world.as_("admin", "GET", "/jobs").json()["total"]
    bad = [
        ({"pinned": [{"mentor_id": "W1", "trainee_id": "W4"}]}, "invalid_option", "conflict"),
        ({"pinned": [{"mentor_id": "W2", "trainee_id": "W2"}]}, "invalid_option", "itself"),
        ({"max_trainees": 2, "circle_max": 5}, "invalid_option", "max_trainees"),
        ({"max_trainees": 0}, "invalid", "max_trainees"),
        ({"time_limit": 0}, "invalid", "time_limit"),
        ({"solver": "magic"}, "invalid", "solver"),
        ({"colour": "blue"}, "invalid", "colour"),
    ]
    for options, code, named in bad:
        r = world.as_("coordinator", "POST", "/jobs/mentoring", json={**QUICK, **options})
        assert r.status_code == 422, (options, r.text)
        assert r.json()["error"]["code"] == code, options
        assert named in r.json()["error"]["message"], r.json()
    assert world.as_("admin", "GET", "/jobs").json()["total"] == before


def test_plan_422s_name_the_field_and_store_nothing(world):
    before = world.as_("admin", "GET", "/jobs").json()["total"]
    r = world.as_("coordinator", "POST", "/jobs/plan", json={"budget": 10, "time_limit": 2})
    assert r.status_code == 422
    error = r.json()["error"]
    assert [d["field"] for d in error["details"]] == ["budget"]
    assert "cheapest intervention (introduce, 60)" in error["message"]
    costs = [
        {"kind": "teleport", "cost": 5},
        {"kind": "introduce", "cost": 100},
        {"kind": "introduce", "cost": 1},
    ]
    r = world.as_("association_leader", "POST", "/jobs/plan", json={"budget": 80, "costs": costs})
    assert r.status_code == 422
    error = r.json()["error"]
    assert [d["field"] for d in error["details"]] == ["costs.0.kind", "costs.2.kind", "budget"]
    assert "teleport" in error["message"] and "budget" in error["message"]
    for body in (
        {"budget": 0},
        {"budget": -5},
        {"costs": [{"kind": "formalise", "cost": 0}]},
        {"time_limit": 0},
    ):
        r = world.as_("coordinator", "POST", "/jobs/plan", json=body)
        assert r.status_code == 422, (body, r.text)
    r = world.as_("coordinator", "POST", "/jobs/plan", json={"order_ids": ["O2"], "budget": 500})
    assert r.status_code == 404  # an order outside the scope, as for a matching run
    assert world.as_("admin", "GET", "/jobs").json()["total"] == before


def test_plan_result_is_the_librarys_on_the_scope(world):
    # O1 (300 tshirts in two weeks) made too large for T1's workshops: a plan must add capacity
    r = world.as_("admin", "PATCH", "/orders/O1", json={"quantity": 3000}, headers={"If-Match": "*"})
    assert r.status_code == 200, r.text
    body = {"budget": 20_000.5, "costs": [{"kind": "add_hours", "cost": 150.25}], "time_limit": 20}
    done = run(world, "coordinator", "/jobs/plan", body)
    assert done["params"] == {
        "budget": 20_000.5,
        "costs": {"add_hours": 150.25},
        "order_ids": ["O1"],
        "time_limit": 20.0,
        "seed": 0,
    }
    result = done["result"]
    assert result["budget"] == 20_000.5
    assert {k["kind"]: k["cost"] for k in result["costs"]["kinds"]}["add_hours"] == 150.25
    assert [o["order_id"] for o in result["orders"]] == ["O1"]
    named = {i["workshop_id"] for o in result["orders"] for i in o["interventions"]}
    named |= {i["workshop_id"] for i in result["portfolio"]["interventions"]}
    assert named <= T1
    cluster, _ = tiny_cluster()
    orders = tuple(replace(o, quantity=3000) if o.order_id == "O1" else o for o in cluster.orders)
    cluster = replace(cluster, orders=orders)
    expected = upgrade_plan(
        restrict_cluster(cluster, ["T1"]),
        budget=20_000.5,
        costs={"add_hours": 150.25},
        orders=["O1"],
        time_limit=20,
    ).to_dict()
    assert result["portfolio"]["unlocked_orders"] == expected["portfolio"]["unlocked_orders"]
    assert result["portfolio"]["cost"] == round(expected["portfolio"]["cost"], 2)


def test_jobs_are_read_by_their_owner_in_their_scope(world):
    done = run(world, "association_leader", "/jobs/mentoring", QUICK)
    job_id = done["job_id"]
    listed = world.as_("association_leader", "GET", "/jobs").json()
    assert {j["job_id"] for j in listed["items"]} == {"J3", job_id}
    assert all("organization" not in j["params"] for j in listed["items"])
    for who in ("association_leader2", "coordinator", "coordinator2"):
        assert world.as_(who, "GET", f"/jobs/{job_id}").status_code == 404
        assert world.as_(who, "POST", f"/jobs/{job_id}/cancel").status_code == 404
        assert job_id not in {j["job_id"] for j in world.as_(who, "GET", "/jobs").json()["items"]}
    assert world.as_("admin", "GET", f"/jobs/{job_id}").json()["status"] == "done"
    coordinator = world.as_("coordinator", "GET", "/jobs").json()
    assert {j["job_id"] for j in coordinator["items"]} == {"J1"}
    # a leader moved to another organization no longer reads the first one's jobs
    r = world.as_("admin", "GET", "/users", params={"limit": 100}).json()
    leader = next(u for u in r["items"] if u["username"] == "association_leader")
    r = world.as_(
        "admin",
        "PATCH",
        f"/users/{leader['user_id']}",
        json={"organization_id": "ORG2"},
        headers={"If-Match": "*"},
    )
    assert r.status_code == 200, r.text
    assert world.as_("association_leader", "GET", f"/jobs/{job_id}").status_code == 404
    assert world.as_("association_leader", "GET", "/jobs").json()["total"] == 0


def test_cancel_a_queued_plan(world):
    r = world.as_("association_leader", "POST", "/jobs/plan", json={"budget": 500, "time_limit": 2})
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    r = world.as_("association_leader", "POST", f"/jobs/{job_id}/cancel")
    assert r.status_code in (200, 409), r.text
    final = wait_for(world, "association_leader", job_id)
    assert final["status"] in ("cancelled", "done")
    if final["status"] == "cancelled":
        assert final["result"] is None


def test_a_leaders_plan_weighs_the_orders_their_members_can_reach(world):
    done = run(world, "association_leader2", "/jobs/plan", {"budget": 500, "time_limit": 5})
    assert done["params"]["order_ids"] == ["O2"]  # O1 goes to T1 only, where ORG2 has no member
    r = world.as_("association_leader2", "POST", "/jobs/plan", json={"order_ids": ["O1"], "budget": 500})
    assert r.status_code == 404


def test_plan_task_reports_progress_and_stops_when_cancelled():
    cluster, _ = tiny_cluster()
    cluster = replace(cluster, orders=tuple(replace(o, quantity=3000) for o in cluster.orders))
    params = {"budget": 5000, "time_limit": 10, "territories": ["T1"], "order_ids": ["O1"]}
    said: list[tuple[float, str]] = []
    result = plan_task(cluster, params, lambda progress, message: said.append((progress, message)) or True)
    assert result["orders"] and said[-1] == (0.95, "job.storing")
    progress = [p for p, _ in said]
    assert progress == sorted(progress) and progress[0] > 0 and progress[-1] < 1
    assert {m for _, m in said} == {"job.solving", "job.storing"}
    calls: list[float] = []
    assert plan_task(cluster, params, lambda progress, message: calls.append(progress) and False) == {}
    assert len(calls) == 1  # the first report said the job was cancelled: the plan stopped there


def test_scoped_cluster_of_a_leader_without_organization_is_empty():
    cluster, _ = tiny_cluster()
    assert scoped_cluster(cluster, {"territories": [], "organization": None}).workshops == ()
    assert {w.workshop_id for w in scoped_cluster(cluster, {"territories": ["T2"]}).workshops} == ORG2
    assert len(scoped_cluster(cluster, {"territories": []}).workshops) == 8
