"""Authorization cases of the matching jobs (J1 is the coordinator's, J2 coordinator2's)."""

from tests.service.matrix import ORDER, OWN, Case, ids

RUNNERS = {"coordinator"}
order = ids(ORDER)
JOB = dict.fromkeys(ORDER, ("J1", "J2"))
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
    Case("GET", "/jobs", RUNNERS, contexts=(OWN,)),
    Case("GET", "/jobs/{job_id}", RUNNERS, params=lambda r, w: {"job_id": job(r, w)}),
    Case("POST", "/jobs/{job_id}/cancel", RUNNERS, params=lambda r, w: {"job_id": job(r, w)}),
]
