from tests.service.matrix import MISSING, OWN, WORKSHOP, Case, ids

READERS = {"coordinator", "association_leader"}
EDITORS = {"coordinator"}
workshop = ids(WORKSHOP)


def _new(role: str, which: str) -> dict:
    territory = "T1" if which == OWN else "T2"
    return {
        "workshop_id": "W9",
        "territory": territory,
        "workers": 2,
        "products": ["tshirt"],
        "processes": ["sewing"],
    }


CASES = [
    Case("GET", "/workshops", READERS, contexts=(OWN,)),
    Case("GET", "/workshops/{workshop_id}", READERS, params=lambda r, w: {"workshop_id": workshop(r, w)}),
    Case("POST", "/workshops", EDITORS, body=_new, ok=201, other=403, contexts=(OWN, "other")),
    Case(
        "PATCH",
        "/workshops/{workshop_id}",
        EDITORS,
        params=lambda r, w: {"workshop_id": workshop(r, w)},
        body=lambda r, w: {"workers": 3},
        headers={"If-Match": "*"},
    ),
    Case(
        "DELETE",
        "/workshops/{workshop_id}",
        EDITORS,
        params=lambda r, w: {"workshop_id": workshop(r, w)},
        headers={"If-Match": "*"},
        ok=204,
    ),
]
assert MISSING
