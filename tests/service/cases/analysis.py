"""Authorization cases of the analysis routes."""

from tests.service.matrix import MISSING, OTHER, OWN, WORKSHOP, Case, ids

ANALYSTS = {"coordinator", "association_leader"}
workshop = ids(WORKSHOP)


def _scope(role: str, which: str) -> dict:
    """A coordinator names a territory, an association leader an organization."""
    if role == "association_leader":
        return {"organization": {OWN: "ORG1", OTHER: "ORG2", MISSING: "ORG9"}[which]}
    return {"territory": {OWN: "T1", OTHER: "T2", MISSING: "T9"}[which]}


def _no_waves(role: str, which: str) -> int | None:
    # The test world's ties carry no wave: every allowed role is told the wave is unknown
    # (test_analysis compares real waves).
    return 404 if role in ("admin", *ANALYSTS) else None


CASES = [
    Case("GET", "/analysis/network", ANALYSTS, query=_scope),
    Case(
        "POST",
        "/analysis/group",
        ANALYSTS,
        body=lambda r, w: {"workshop_ids": [workshop(r, w), *(["W2"] if w == OWN else [])]},
    ),
    Case("GET", "/analysis/ego/{workshop_id}", ANALYSTS, params=lambda r, w: {"workshop_id": workshop(r, w)}),
    Case(
        "GET",
        "/analysis/waves",
        ANALYSTS,
        query=lambda r, w: {"before": "1", "after": "2"},
        contexts=(OWN,),
        expect=_no_waves,
    ),
]
