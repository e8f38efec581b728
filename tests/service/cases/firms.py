from tests.service.matrix import FIRM, OTHER, OWN, Case, ids

READERS = {"coordinator", "lead_firm"}
EDITORS = {"coordinator"}
firm = ids(FIRM)


def _only_own_for_firms(role: str, which: str) -> int | None:
    """Coordinators manage every firm; a lead firm's account sees only its own."""
    return 404 if role == "lead_firm" and which == OTHER else None


CASES = [
    Case("GET", "/lead-firms", READERS, contexts=(OWN,)),
    Case(
        "GET",
        "/lead-firms/{firm_id}",
        READERS,
        params=lambda r, w: {"firm_id": firm(r, w)},
        other=200,
        expect=_only_own_for_firms,
    ),
    Case(
        "POST",
        "/lead-firms",
        EDITORS,
        body=lambda r, w: {"firm_id": "F3", "name": "Firm Three (synthetic)", "territory": "T1"},
        ok=201,
        contexts=(OWN,),
    ),
    Case(
        "PATCH",
        "/lead-firms/{firm_id}",
        READERS,
        params=lambda r, w: {"firm_id": firm(r, w)},
        body=lambda r, w: {"name": "Renamed (synthetic)"},
        headers={"If-Match": "*"},
        other=200,
        expect=_only_own_for_firms,
    ),
    # F1 and F2 still have orders and accounts: deleting them is refused (409); see test_firms for 204.
    Case(
        "DELETE",
        "/lead-firms/{firm_id}",
        EDITORS,
        params=lambda r, w: {"firm_id": firm(r, w)},
        headers={"If-Match": "*"},
        ok=409,
        other=409,
    ),
]
