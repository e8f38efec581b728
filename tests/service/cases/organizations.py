from tests.service.matrix import OTHER, OWN, Case

READERS = {"coordinator", "association_leader"}
EDITORS = {"coordinator"}
ORGANIZATION = {"own": "ORG1", "other": "ORG2", "missing": "NOPE"}


def _org(role: str, which: str) -> dict:
    return {"organization_id": ORGANIZATION[which]}


CASES = [
    Case("GET", "/organizations", READERS, contexts=(OWN,)),
    Case(
        "GET",
        "/organizations/{organization_id}",
        READERS,
        params=_org,
        other=200,  # coordinators read every organization, a leader only their own
        expect=lambda r, w: 404 if r == "association_leader" and w == OTHER else None,
    ),
    Case(
        "POST",
        "/organizations",
        EDITORS,
        body=lambda r, w: {"organization_id": "ORG3", "name": "Cooperative Three (synthetic)"},
        ok=201,
        contexts=(OWN,),
    ),
    Case(
        "PATCH",
        "/organizations/{organization_id}",
        EDITORS,
        params=_org,
        body=lambda r, w: {"name": "Renamed (synthetic)"},
        headers={"If-Match": "*"},
        other=200,
    ),
    # ORG1 and ORG2 have members and a leader: deleting them is refused (409); see test_organizations.
    Case(
        "DELETE",
        "/organizations/{organization_id}",
        EDITORS,
        params=_org,
        headers={"If-Match": "*"},
        ok=409,
        other=409,
    ),
]
