"""The development runs' pages' data: ``/views/jobs/{job_id}/mentoring`` and ``/views/jobs/{job_id}/plan``
are the library's view models (:func:`matcher.views.mentoring_view`, :func:`matcher.views.plan_view`) of a
finished job on the cluster in that job's scope, read by exactly who may read the job."""

from __future__ import annotations

import pytest

from matcher import views
from matcher_service.reading import for_people
from matcher_service.tasks import restrict_cluster, restrict_members
from tests.service.test_develop import QUICK, make_mentors, run, taught

ROLES = ("admin", "coordinator", "coordinator2", "association_leader", "association_leader2")


def readers(world, path: str) -> dict[str, int]:
    return {who: world.as_(who, "GET", path).status_code for who in (*ROLES, "lead_firm", "municipality")}


def test_mentoring_view_of_a_finished_run(world):
    make_mentors(world)
    done = run(world, "coordinator", "/jobs/mentoring", QUICK)
    job_id = done["job_id"]
    r = world.as_("coordinator", "GET", f"/views/jobs/{job_id}/mentoring")
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["view"] == "mentoring" and view["job_id"] == job_id
    expected = for_people(views.mentoring_view(restrict_cluster(taught(), ["T1"]), done["result"]))
    assert view["circles"] == expected["circles"] and view["unpaired"] == expected["unpaired"]
    assert view["summary"] == expected["summary"]
    # exactly who reads GET /jobs/{job_id}: its starter and admins
    assert readers(world, f"/views/jobs/{job_id}/mentoring") == {
        "admin": 200,
        "coordinator": 200,
        "coordinator2": 404,
        "association_leader": 404,
        "association_leader2": 404,
        "lead_firm": 403,
        "municipality": 403,
    }
    assert readers(world, f"/jobs/{job_id}") == readers(world, f"/views/jobs/{job_id}/mentoring")
    # a mentoring run is not a plan
    r = world.as_("coordinator", "GET", f"/views/jobs/{job_id}/plan")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert world.as_("anyone", "GET", f"/views/jobs/{job_id}/mentoring").status_code == 401


def test_plan_view_of_a_leaders_run_in_spanish(world):
    done = run(world, "association_leader2", "/jobs/plan", {"budget": 5000, "time_limit": 10})
    job_id = done["job_id"]
    spanish = {"Accept-Language": "es"}
    r = world.as_("association_leader2", "GET", f"/views/jobs/{job_id}/plan", headers=spanish)
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["view"] == "plan" and view["job_id"] == job_id and view["budget"] == 5000
    cluster = restrict_members(taught(), "ORG2")
    expected = for_people(views.plan_view(cluster, done["result"]))
    assert [s["key"] for s in view["steps"]] == [s["key"] for s in expected["steps"]]
    assert {s["workshop_id"] for s in view["steps"] if s["workshop_id"]} <= {"W5", "W6", "W7", "W8"}
    assert readers(world, f"/views/jobs/{job_id}/plan") == {
        "admin": 200,
        "coordinator": 404,
        "coordinator2": 404,
        "association_leader": 404,
        "association_leader2": 200,
        "lead_firm": 403,
        "municipality": 403,
    }
    assert world.as_("association_leader2", "GET", f"/views/jobs/{job_id}/mentoring").status_code == 404


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "no result to show (running)"), ("es", "no tiene resultado")]
)
def test_a_run_not_done_is_409(world, lang, words):
    # J3: the association leader's mentoring run, still running
    r = world.as_("association_leader", "GET", "/views/jobs/J3/mentoring", headers={"Accept-Language": lang})
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "conflict" and words in r.json()["error"]["message"]
    assert world.as_("association_leader", "GET", "/views/jobs/NOPE/mentoring").status_code == 404


def test_a_run_whose_workshop_is_gone_is_409(world):
    make_mentors(world)
    done = run(world, "coordinator", "/jobs/mentoring", QUICK)
    named = {c["mentor_id"] for c in done["result"]["circles"]}
    assert named
    gone = sorted(named)[0]
    r = world.as_("admin", "DELETE", f"/workshops/{gone}", headers={"If-Match": "*"})
    assert r.status_code == 204, r.text
    r = world.as_("coordinator", "GET", f"/views/jobs/{done['job_id']}/mentoring")
    assert r.status_code == 409, r.text
    assert "changed since" in r.json()["error"]["message"]
