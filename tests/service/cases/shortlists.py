"""Shortlists of orders (SL1 for O1/F1/T1 and SL2 for O2/F2/T2 are seeded in the test world)."""

from tests.service.matrix import ORDER, WORKSHOP, Case, ids

ROLES = {"lead_firm", "coordinator"}
order = ids(ORDER)
shortlist = ids(dict.fromkeys(WORKSHOP, ("SL1", "SL2")))

CASES = [
    Case(
        "POST",
        "/orders/{order_id}/shortlists",
        ROLES,
        params=lambda r, w: {"order_id": order(r, w)},
        query=lambda r, w: {"top": 1},
        ok=201,
    ),
    Case("GET", "/orders/{order_id}/shortlists", ROLES, params=lambda r, w: {"order_id": order(r, w)}),
    Case("GET", "/shortlists/{shortlist_id}", ROLES, params=lambda r, w: {"shortlist_id": shortlist(r, w)}),
]
