"""Authorization cases of the data behind the pages (``/views/...``)."""

from tests.service.matrix import ORDER, OWN, Case, ids

ANALYSTS = {"coordinator", "association_leader"}
order = ids(ORDER)


def _no_run_yet(role: str, which: str) -> int | None:
    # The test world has no finished matching run, so even one's own order has no proposal
    # yet (404 saying to start one); test_views checks the proposal after a real run.
    return 404 if role in ("admin", "coordinator") else None


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
]
