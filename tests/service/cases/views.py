"""Authorization cases of the data behind the pages (``/views/...``)."""

from tests.service.matrix import ORDER, OWN, Case, ids

ANALYSTS = {"coordinator", "association_leader"}
order = ids(ORDER)
# The jobs of the test world (tests/service/cases/jobs.py): J1/J2 the coordinators' matching runs,
# J3/J4 the association leaders' mentoring runs, all still running.
JOB = {**dict.fromkeys(ORDER, ("J1", "J2")), "association_leader": ("J3", "J4")}
job = ids(JOB)


def _no_run_yet(role: str, which: str) -> int | None:
    # The test world has no finished matching run, so even one's own order has no proposal
    # yet (404 saying to start one); test_views checks the proposal after a real run.
    return 404 if role in ("admin", "coordinator") else None


def _develop_view(kind: str):
    """A development run's view: the caller's own running mentoring run (J3) is not done yet (409);
    a matching run, another's run and a missing one are not there (404), for admins too (by kind)."""

    def expect(role: str, which: str) -> int | None:
        if role not in ("admin", *ANALYSTS):
            return None  # 401 / 403 as the route's roles say
        return 409 if kind == "mentoring" and role == "association_leader" and which == OWN else 404

    return expect


CASES = [
    Case("GET", "/views/network", ANALYSTS, contexts=(OWN,)),
    Case("GET", "/views/dashboard", ANALYSTS, contexts=(OWN,)),
    Case(
        "GET",
        "/views/orders/{order_id}/proposal",
        {"coordinator"},
        params=lambda r, w: {"order_id": order(r, w)},
        expect=_no_run_yet,
    ),
    Case(
        "GET",
        "/views/jobs/{job_id}/mentoring",
        ANALYSTS,
        params=lambda r, w: {"job_id": job(r, w)},
        expect=_develop_view("mentoring"),
    ),
    Case(
        "GET",
        "/views/jobs/{job_id}/plan",
        ANALYSTS,
        params=lambda r, w: {"job_id": job(r, w)},
        expect=_develop_view("plan"),
    ),
]
