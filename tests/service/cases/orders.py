from tests.service.matrix import ORDER, OWN, Case, ids

ROLES = {"coordinator", "lead_firm"}
order = ids(ORDER)


def _new(role: str, which: str) -> dict:
    # "other": an order of F2 for T2, outside both the coordinator's and the lead firm's scope (403).
    firm, territory = ("F1", "T1") if which == OWN else ("F2", "T2")
    return {
        "order_id": "O9",
        "product": "tshirt",
        "quantity": 100,
        "due_weeks": 3,
        "firm_id": firm,
        "territories": [territory],
    }


CASES = [
    Case("GET", "/orders", ROLES, contexts=(OWN,)),
    Case("GET", "/orders/{order_id}", ROLES, params=lambda r, w: {"order_id": order(r, w)}),
    Case("POST", "/orders", ROLES, body=_new, ok=201, other=403, contexts=(OWN, "other")),
    Case(
        "PATCH",
        "/orders/{order_id}",
        ROLES,
        params=lambda r, w: {"order_id": order(r, w)},
        body=lambda r, w: {"quantity": 500},
        headers={"If-Match": "*"},
    ),
    Case(
        "DELETE",
        "/orders/{order_id}",
        ROLES,
        params=lambda r, w: {"order_id": order(r, w)},
        headers={"If-Match": "*"},
        ok=204,
    ),
]
