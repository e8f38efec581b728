"""Authorization cases of the development programmes' jobs (mentoring circles, upgrade plans).

A pinned workshop outside the caller's scope is said unknown (422, as a missing one); an order
outside it answers 404, as for a matching run.
"""

from tests.service.matrix import ORDER, WORKSHOP, Case, ids

RUNNERS = {"coordinator", "association_leader"}
order = ids(ORDER)
MENTORS = ids(WORKSHOP)
TRAINEES = ids(dict.fromkeys(WORKSHOP, ("W2", "W6")), missing="NOPE2")


def _pin(role: str, which: str) -> dict:
    pin = {"mentor_id": MENTORS(role, which), "trainee_id": TRAINEES(role, which)}
    return {"pinned": [pin], "time_limit": 1, "demand_seconds": 0}


CASES = [
    Case("POST", "/jobs/mentoring", RUNNERS, body=_pin, ok=202, other=422, missing=422),
    Case(
        "POST",
        "/jobs/plan",
        RUNNERS,
        body=lambda r, w: {"order_ids": [order(r, w)], "budget": 1000, "time_limit": 2},
        ok=202,
    ),
]
