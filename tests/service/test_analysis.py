"""Network analysis through the API: the library's figures for the caller's scope, nothing beyond it.

The world (conftest): T1 = W1-W4 (ORG1) with W1-W2 kinship, W2-W3 friendship,
W3-W4 subcontracting and a W1-W4 conflict; T2 = W5-W8 (ORG2) in a path
W5-W6-W7-W8; one friendship W4-W5 across.
"""

from __future__ import annotations

import json

from matcher import graph
from matcher.io import write_cluster
from matcher.model import Cluster, Tie
from matcher_service.reading import for_people
from tests.service.conftest import tiny_cluster

T1 = ["W1", "W2", "W3", "W4"]


def as_json(report: dict) -> dict:
    """The library's report as the API answers it (figures rounded for people)."""
    return json.loads(json.dumps(for_people(report)))


def test_admin_network_is_the_library_report(world):
    r = world.as_("admin", "GET", "/analysis/network", params={"seed": 3, "resolution": 0.8})
    assert r.status_code == 200, r.text
    body = r.json()
    cluster, _ = tiny_cluster()
    assert body == as_json(graph.cohesion_report(cluster, seed=3, resolution=0.8))
    network = body["network"]
    # 7 positive pairs among 8 workshops, all in one component; one conflict
    assert network["density"] == 7 / 28
    assert (network["workshops"], network["ties"], network["components"]) == (8, 8, 1)
    assert network["conflict_pairs"] == 1 and network["seed"] == 3


def test_coordinator_network_is_their_territory(world):
    r = world.as_("coordinator", "GET", "/analysis/network", params={"seed": 1})
    assert r.status_code == 200, r.text
    body = r.json()
    cluster, _ = tiny_cluster()
    assert body == as_json(graph.cohesion_report(cluster, workshops=T1, seed=1))
    assert [w["workshop_id"] for w in body["workshops"]] == T1
    # W1-W2, W2-W3, W3-W4 positive among 4 workshops (the W4-W5 tie is outside)
    assert body["network"]["density"] == 0.5 and body["network"]["collaboration_edges"] == 3
    assert "W5" not in r.text
    same = world.as_("coordinator", "GET", "/analysis/network", params={"seed": 1, "territory": "T1"})
    assert same.json()["network"] == body["network"]
    assert world.as_("coordinator", "GET", "/analysis/network", params={"territory": "T2"}).status_code == 404


def test_modularity_matches_with_the_same_seed(world):
    cluster, _ = tiny_cluster()
    for seed in (0, 5):
        body = world.as_("admin", "GET", "/analysis/network", params={"seed": seed}).json()
        direct = graph.network_report(cluster, seed=seed)
        assert body["network"]["modularity"] == as_json(direct)["network"]["modularity"]
        assert body["communities"] == as_json(direct["communities"])


def test_leader_sees_members_and_anonymous_counts_beyond(world):
    r = world.as_("association_leader", "GET", "/analysis/network")
    assert r.status_code == 200, r.text
    body = r.json()
    cluster, _ = tiny_cluster()
    expected = as_json(graph.cohesion_report(cluster, organization="ORG1"))
    assert {k: v for k, v in body.items() if k != "outside"} == expected
    assert [w["workshop_id"] for w in body["workshops"]] == T1
    # W4-W5 is the one tie from a member to a non-member: a count of one non-member (k = 4) is withheld
    assert body["outside"] == {
        "ties": None,
        "ties_by_kind": {"friendship": None},
        "non_member_workshops": None,
        "members_with_outside_ties": 1,
    }
    assert "W5" not in r.text and "W6" not in r.text
    for org in ("ORG2", "ORG9"):
        r = world.as_("association_leader", "GET", "/analysis/network", params={"organization": org})
        assert r.status_code == 404


def _outside(world, who: str = "association_leader") -> dict:
    r = world.as_(who, "GET", "/analysis/network")
    assert r.status_code == 200, r.text
    return r.json()["outside"]


def test_leader_counts_beyond_follow_k(world):
    """Counts of fewer than k non-members (but at least one) are null; k of them are shown."""
    world.app.state.settings.k_anonymity = 1
    assert _outside(world) == {
        "ties": 1,
        "ties_by_kind": {"friendship": 1},
        "non_member_workshops": 1,
        "members_with_outside_ties": 1,
    }
    world.app.state.settings.k_anonymity = 4
    # Four more ties from ORG1 to ORG2: 4 non-members in all, W5 the only one by kinship.
    for source, target, kind in (
        ("W1", "W5", "kinship"),
        ("W1", "W6", "friendship"),
        ("W2", "W7", "friendship"),
    ):
        new = {"source": source, "target": target, "kind": kind, "strength": 2}
        assert world.as_("admin", "POST", "/ties", json=new).status_code == 201
    # Three non-members (W5, W6, W7): every count of them is withheld.
    assert _outside(world) == {
        "ties": None,
        "ties_by_kind": {"friendship": None, "kinship": None},
        "non_member_workshops": None,
        "members_with_outside_ties": 3,
    }
    new = {"source": "W3", "target": "W8", "kind": "friendship", "strength": 2}
    assert world.as_("admin", "POST", "/ties", json=new).status_code == 201
    # Four non-members: totals shown. Kinship concerns W5 alone and is withheld; friendship, four
    # of them, is withheld with it, or it would give kinship as the total minus friendship.
    assert _outside(world) == {
        "ties": 5,
        "ties_by_kind": {"friendship": None, "kinship": None},
        "non_member_workshops": 4,
        "members_with_outside_ties": 4,
    }
    world.app.state.settings.k_anonymity = 1
    assert _outside(world)["ties_by_kind"] == {"friendship": 4, "kinship": 1}
    # ORG2's leader sees ORG1's four members beyond: the same rule from the other side.
    world.app.state.settings.k_anonymity = 4
    assert _outside(world, "association_leader2") == {
        "ties": 5,
        "ties_by_kind": {"friendship": None, "kinship": None},
        "non_member_workshops": 4,
        "members_with_outside_ties": 4,
    }
    assert world.as_("admin", "GET", "/analysis/network").json()["network"]["ties"] == 12


def test_leader_sees_no_ties_beyond_as_zero(world):
    """0 stays 0: no tie leaves the organization once W4-W5 is gone."""
    ties = world.as_("admin", "GET", "/ties", params={"limit": 100}).json()["items"]
    (across,) = [t for t in ties if {t["source"], t["target"]} == {"W4", "W5"}]
    gone = world.as_("admin", "DELETE", f"/ties/{across['tie_id']}", headers={"If-Match": "*"})
    assert gone.status_code == 204, gone.text
    assert _outside(world) == {
        "ties": 0,
        "ties_by_kind": {},
        "non_member_workshops": 0,
        "members_with_outside_ties": 0,
    }


def test_group_cohesion_in_scope(world):
    cluster, _ = tiny_cluster()
    r = world.as_("coordinator", "POST", "/analysis/group", json={"workshop_ids": ["W3", "W1", "W2"]})
    assert r.status_code == 200, r.text
    net = graph.scoped(graph.as_network(cluster), workshops=T1)
    assert r.json() == as_json(graph.group_cohesion(net, ["W3", "W1", "W2"]))
    # W1-W2 and W2-W3 of the three possible pairs; a path, so connected with diameter 2
    g = r.json()
    assert (g["positive_pairs"], g["possible_pairs"], g["connected"], g["diameter"]) == (2, 3, True, 2)
    r = world.as_("coordinator", "POST", "/analysis/group", json={"workshop_ids": ["W1", "W5"]})
    assert r.status_code == 404 and "W5" in r.json()["error"]["message"]
    assert world.as_("coordinator", "POST", "/analysis/group", json={"workshop_ids": []}).status_code == 422
    admin = world.as_("admin", "POST", "/analysis/group", json={"workshop_ids": ["W4", "W5"]})
    assert admin.json() == as_json(graph.group_cohesion(cluster, ["W4", "W5"]))
    assert admin.json()["connected"] is True


def test_ego_network_stays_in_scope(world):
    cluster, _ = tiny_cluster()
    admin = world.as_("admin", "GET", "/analysis/ego/W4", params={"seed": 2}).json()
    assert admin == as_json(graph.ego_network(cluster, "W4", seed=2))
    coordinator = world.as_("coordinator", "GET", "/analysis/ego/W4", params={"seed": 2}).json()
    net = graph.scoped(graph.as_network(cluster), workshops=T1)
    assert coordinator == as_json(graph.ego_network(net, "W4", seed=2))
    # W4's positive neighbours: W3 and, across the territory line, W5 (W1 is a conflict)
    assert admin["neighbours"] == ["W3", "W5"]
    assert coordinator["neighbours"] == ["W3"]
    assert world.as_("coordinator", "GET", "/analysis/ego/W5").status_code == 404
    assert world.as_("association_leader2", "GET", "/analysis/ego/W5").status_code == 200
    assert world.as_("association_leader2", "GET", "/analysis/ego/W4").status_code == 404


def test_waves_compared_as_the_library(world, tmp_path):
    base, _ = tiny_cluster()
    waved = (
        Tie("W1", "W2", "kinship", 3, "1"),
        Tie("W2", "W3", "kinship", 3, "1"),
        Tie("W1", "W2", "kinship", 3, "2"),
        Tie("W3", "W4", "friendship", 3, "2"),
    )
    # An import carries the workshops its ties join.
    part = Cluster(base.workshops[:4], ties=waved, routings=base.routings)
    folder = write_cluster(part, tmp_path / "waves")
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(folder.iterdir())]
    assert world.as_("admin", "POST", "/imports", files=files).status_code == 200
    whole = Cluster(base.workshops, base.ties + waved, base.lead_firms, base.orders, base.routings)
    params = {"before": "1", "after": "2", "seed": 4}
    admin = world.as_("admin", "GET", "/analysis/waves", params=params)
    assert admin.status_code == 200, admin.text
    assert admin.json() == as_json(graph.compare_waves(whole, "1", "2", seed=4))
    body = admin.json()
    assert (body["new_pairs"], body["lost_pairs"], body["kept_pairs"]) == ([["W3", "W4"]], [["W2", "W3"]], 1)
    coordinator = world.as_("coordinator", "GET", "/analysis/waves", params=params).json()
    net = graph.scoped(graph.as_network(whole), workshops=T1)
    assert coordinator == as_json(graph.compare_waves(net, "1", "2", seed=4))
    assert "W5" not in json.dumps(coordinator)
    r = world.as_("admin", "GET", "/analysis/waves", params={"before": "1", "after": "9"})
    assert r.status_code == 404
