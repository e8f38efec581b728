from tests.service.matrix import OWN, Case

READERS = {"coordinator", "association_leader"}
EDITORS = {"coordinator"}

# Ties of the world by id: 1 = W1-W2 (T1, ORG1), 5 = W5-W6 (T2, ORG2).
TIE = {"own": 1, "other": 5, "missing": 999}


def _tie(role: str, which: str) -> dict:
    return {"tie_id": TIE[which]}


def _new(role: str, which: str) -> dict:
    # W1-W3 lies in the coordinator's territory; W5-W7 does not (its ends are unknown to them: 422).
    ends = ("W1", "W3") if which == OWN else ("W5", "W7")
    return {"source": ends[0], "target": ends[1], "kind": "mentoring", "strength": 2}


CASES = [
    Case("GET", "/ties", READERS, contexts=(OWN,)),
    Case("GET", "/ties/{tie_id}", READERS, params=_tie),
    Case("POST", "/ties", EDITORS, body=_new, ok=201, other=422, contexts=(OWN, "other")),
    Case(
        "PATCH",
        "/ties/{tie_id}",
        EDITORS,
        params=_tie,
        body=lambda r, w: {"strength": 5},
        headers={"If-Match": "*"},
    ),
    Case("DELETE", "/ties/{tie_id}", EDITORS, params=_tie, headers={"If-Match": "*"}, ok=204),
]
