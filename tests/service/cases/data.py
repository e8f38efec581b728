"""Authorization cases of the import and export routes."""

from tests.service.matrix import MISSING, OTHER, OWN, Case

WORKSHOPS = "workshop_id,territory,workers,products,processes,organizations\n"


def _upload(role: str, which: str) -> dict:
    territory = "T1" if which == OWN else "T2"
    text = WORKSHOPS + f"W9,{territory},3,tshirt,sewing,ORG1\n"
    return {"files": [("files", ("workshops.csv", text.encode(), "text/csv"))]}


def _territory(role: str, which: str) -> dict:
    return {"territory": {OWN: "T1", OTHER: "T2", MISSING: "T9"}[which], "format": "zip"}


CASES = [
    Case("POST", "/imports", {"coordinator"}, body=_upload, form=True, other=403, contexts=(OWN, OTHER)),
    Case("GET", "/exports", {"coordinator"}, query=_territory),
]
