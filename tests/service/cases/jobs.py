"""Authorization cases of the jobs (J1 is the coordinator's, J2 coordinator2's, both matching runs;
J3 the association leader's, J4 association_leader2's, both mentoring runs)."""

from tests.service.matrix import ORDER, OWN, Case, ids

RUNNERS = {"coordinator"}
READERS = {"coordinator", "association_leader"}
order = ids(ORDER)
JOB = {**dict.fromkeys(ORDER, ("J1", "J2")), "association_leader": ("J3", "J4")}
job = ids(JOB)
QUICK = {"time_limit": 5, "explain_seconds": 0}

CASES = [
    Case(
        "POST",
        "/jobs/match",
        RUNNERS,
        body=lambda r, w: {"order_ids": [order(r, w)], "options": QUICK},
        ok=202,
    ),
    Case("GET", "/jobs", READERS, contexts=(OWN,)),
    Case("GET", "/jobs/{job_id}", READERS, params=lambda r, w: {"job_id": job(r, w)}),
    Case("POST", "/jobs/{job_id}/cancel", READERS, params=lambda r, w: {"job_id": job(r, w)}),
]
