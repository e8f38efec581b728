"""View models: hand-built clusters whose answers are known, and the bundled sample."""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pytest

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.graph import cohesion_report
from matcher.io import load_contacts
from matcher.messages import Message
from matcher.model import Cluster, Contact, Order, RoutingStep, Tie, Workshop
from matcher.optimize import MatchOptions, solve_orders
from matcher.sample import SAMPLE_DIR, load_sample
from matcher.views import dashboard_view, network_view, proposal_view

ROUTING = {"tee": (RoutingStep("cutting", 1.0), RoutingStep("sewing", 2.0))}


def shop(wid: str, territory: str = "T", **kw) -> Workshop:
    kw.setdefault("products", ("tee",))
    kw.setdefault("processes", ("cutting", "sewing"))
    return Workshop(wid, territory, kw.pop("workers", 2), **kw)


def cluster_of(ids, pairs, kind: str = "friendship", **kw) -> Cluster:
    return Cluster(tuple(shop(w) for w in ids), ties=tuple(Tie(a, b, kind) for a, b in pairs), **kw)


def dumps(view: dict) -> str:
    return json.dumps(view, allow_nan=False)


@pytest.fixture(scope="module")
def sample() -> Cluster:
    return load_sample()[0]


# --- network view ---------------------------------------------------------------------------


def test_nodes_sorted_by_id_and_edge_rows_one_per_tie():
    # Dataset order C, A, B; a friendship C–A, B subcontracts to A, A and C in conflict.
    cluster = Cluster(
        (shop("C"), shop("A"), shop("B")),
        ties=(Tie("C", "A", "friendship"), Tie("B", "A", "subcontracting"), Tie("A", "C", "conflict")),
    )
    view = network_view(cluster)
    assert view["view"] == "network" and view["version"] == 1
    assert view["nodes"]["id"] == ["A", "B", "C"]
    assert view["kinds"] == ["friendship", "subcontracting", "conflict"]
    # Undirected ties run from the smaller position; subcontracting keeps B -> A.
    assert view["edges"] == {
        "source": [0, 0, 1],
        "target": [2, 2, 0],
        "kind": [0, 2, 1],
        "wave": [-1, -1, -1],
        "strength": [3, 3, 3],
    }
    assert view["nodes"]["degree"] == [2, 1, 1]
    assert view["summary"]["ties"] == 3
    assert view["summary"]["collaboration_edges"] == 2
    assert view["summary"]["conflict_pairs"] == 1
    assert view["waves"] == []


def test_kinds_in_contract_order_and_waves_indexed():
    ties = (
        Tie("A", "B", "association", wave="w2"),
        Tie("B", "C", "kinship", wave="w1"),
        Tie("A", "C", "conflict"),
    )
    view = network_view(Cluster((shop("A"), shop("B"), shop("C")), ties=ties))
    assert view["kinds"] == ["kinship", "association", "conflict"]
    assert view["waves"] == ["w1", "w2"]
    rows = list(zip(view["edges"]["source"], view["edges"]["target"], view["edges"]["kind"],
                    view["edges"]["wave"], strict=True))  # fmt: skip
    assert rows == [(0, 1, 1, 1), (0, 2, 2, -1), (1, 2, 0, 0)]


def test_negative_ties_of_a_graph_are_conflicts():
    graph = nx.Graph()
    graph.add_edge("a", "b", kind="advice")
    graph.add_edge("b", "c", kind="advice", sign=-1)
    view = network_view(graph)
    assert view["kinds"] == ["advice", "conflict"]
    assert view["edges"]["kind"] == [0, 1]
    # Profile columns a graph does not carry are None.
    assert view["nodes"]["capacity"] == [None, None, None]
    assert view["nodes"]["territory"] == [-1, -1, -1]


def test_path_has_its_middle_as_articulation_point_and_isolates_apart():
    view = network_view(cluster_of("ABCD", ["AB", "BC"]))
    nodes = view["nodes"]
    assert nodes["articulation"] == [False, True, False, False]
    assert nodes["isolate"] == [False, False, False, True]
    assert nodes["community"][3] == -1
    assert view["summary"]["isolates"] == 1
    assert view["summary"]["articulation_points"] == 1
    assert view["summary"]["bridges"] == 2
    # B is on the path of 1 of the 3 pairs of other workshops (A–C; the isolate D counts).
    assert nodes["betweenness"][:3] == [0.0, pytest.approx(1 / 3), 0.0]


def two_cliques() -> Cluster:
    """Two 4-cliques A–D and E–H joined by the edge D–E, and a conflict A–H."""
    left = [a + b for i, a in enumerate("ABCD") for b in "ABCD"[i + 1 :]]
    right = [a + b for i, a in enumerate("EFGH") for b in "EFGH"[i + 1 :]]
    friends = [Tie(a, b, "friendship") for a, b in [*left, *right, "DE"]]
    ties = (*friends, Tie("A", "H", "conflict"))
    return Cluster(tuple(shop(w, "X" if w < "E" else "Y") for w in "ABCDEFGH"), ties=ties)


def test_two_cliques_joined_by_one_edge_make_two_communities():
    view = network_view(two_cliques())
    assert view["summary"]["communities"] == 2
    assert view["nodes"]["community"] == [0, 0, 0, 0, 1, 1, 1, 1]
    assert [(c["id"], c["size"], c["label"], c["territory"]) for c in view["communities"]] == [
        (0, 4, "C1", "X"),
        (1, 4, "C2", "Y"),
    ]
    assert view["community_edges"] == {"source": [0], "target": [1], "ties": [1], "conflicts": [1]}
    assert view["summary"]["bridges"] == 1
    assert view["summary"]["conflict_within_communities"] == 0
    assert view["nodes"]["articulation"] == [False, False, False, True, True, False, False, False]


def test_layout_in_unit_square_members_near_their_community():
    view = network_view(two_cliques(), seed=3)
    x, y = np.array(view["nodes"]["x"]), np.array(view["nodes"]["y"])
    assert x.min() >= 0 and y.min() >= 0 and x.max() <= 1 and y.max() <= 1
    assert all(v == round(v, 4) for v in [*x, *y])
    centres = np.array([[c["x"], c["y"]] for c in view["communities"]])
    for i, c in enumerate(view["nodes"]["community"]):
        distance = np.hypot(*(centres - [x[i], y[i]]).T)
        assert distance.argmin() == c


def test_isolates_ring_the_communities():
    view = network_view(cluster_of("ABCDEF", ["AB", "BC", "AC"]))
    x, y = np.array(view["nodes"]["x"]), np.array(view["nodes"]["y"])
    centre = np.array([view["communities"][0]["x"], view["communities"][0]["y"]])
    distance = np.hypot(x - centre[0], y - centre[1])
    assert distance[3:].min() > distance[:3].max()


def test_same_seed_same_view():
    cluster = two_cliques()
    assert dumps(network_view(cluster, seed=7)) == dumps(network_view(cluster, seed=7))


def test_collapsed_above_the_threshold():
    cluster = cluster_of("ABC", ["AB"])
    assert network_view(cluster, collapse_above=2)["collapsed"] is True
    assert network_view(cluster, collapse_above=3)["collapsed"] is False
    with pytest.raises(InvalidOptionError, match="collapse_above must be a whole number"):
        network_view(cluster, collapse_above=-1)


def test_scoped_by_territory_and_workshops():
    view = network_view(two_cliques(), territory="Y")
    assert view["scope"] == {"territory": "Y", "organization": None, "workshops": 4}
    assert view["nodes"]["id"] == list("EFGH")
    assert view["summary"]["conflict_pairs"] == 0  # A–H crosses the scope
    assert network_view(two_cliques(), workshops=["B", "A"])["nodes"]["id"] == ["A", "B"]
    with pytest.raises(UnknownIdError, match="unknown territory id Z; known territory ids: X, Y"):
        network_view(two_cliques(), territory="Z")
    with pytest.raises(UnknownIdError, match="unknown workshop id Q"):
        network_view(two_cliques(), workshops=["A", "Q"])


def test_categories_and_profile_columns():
    cluster = Cluster(
        (
            shop("B", "Pilar", products=("jeans", "tee"), organizations=("coop", "assoc"), quality=4),
            shop("A", "Ñemby", workers=1, committed_minutes_per_week=440, formal=True, can_lead=True),
        )
    )
    view = network_view(cluster)
    assert view["categories"] == {
        "territory": ["Pilar", "Ñemby"],
        "product": ["jeans", "tee"],
        "organization": ["assoc", "coop"],
    }
    nodes = view["nodes"]
    assert nodes["territory"] == [1, 0]
    assert nodes["product"] == [1, 0]  # main product: the first listed
    assert nodes["organizations"] == [[], [0, 1]]
    assert nodes["capacity"] == [1000.0, 2880.0]  # 1 x 48 h x 60 x 0.5 - 440; 2 workers
    assert nodes["workers"] == [1, 2]
    assert nodes["quality"] == [3, 4]
    assert nodes["formal"] == [True, False]
    assert nodes["can_lead"] == [True, False]
    assert nodes["processes"] == [["cutting", "sewing"], ["cutting", "sewing"]]
    assert nodes["betweenness"] == [0.0, 0.0]


def test_betweenness_not_computed_is_none():
    view = network_view(two_cliques(), betweenness="none")
    assert view["nodes"]["betweenness"] == [None] * 8
    assert view["summary"]["betweenness"] == "none"
    dumps(view)


def test_sample_network_view_is_the_cohesion_report(sample):
    view = network_view(sample)
    report = cohesion_report(sample)
    text = dumps(view)
    n = len(sample.workshops)
    assert view["nodes"]["id"] == sorted(sample.workshop_ids)
    assert all(len(column) == n for column in view["nodes"].values())
    assert len({len(column) for column in view["edges"].values()}) == 1
    assert len(view["edges"]["source"]) == len(sample.ties)
    for key in ("workshops", "ties", "communities", "modularity", "density", "isolates"):
        assert view["summary"][key] == report["network"][key]
    assert view["nodes"]["degree"] == [row["degree"] for row in report["workshops"]]
    # Every broker is marked (betweenness above zero), and the count is theirs, not the top list's.
    brokers = {row["workshop_id"] for row in report["workshops"] if row["betweenness"] > 0}
    assert {w for w, b in zip(view["nodes"]["id"], view["nodes"]["broker"], strict=True) if b} == brokers
    assert view["summary"]["brokers"] == len(brokers) == report["brokers"]["count"]
    assert view["summary"]["top_brokers"] == [row["workshop_id"] for row in report["brokers"]["top"]]
    assert set(view["summary"]["top_brokers"]) <= brokers
    assert sum(c["size"] for c in view["communities"]) == n - view["summary"]["isolates"]
    assert view["collapsed"] is False
    assert "Persona sintética" not in text


# --- proposal view --------------------------------------------------------------------------


def order_row(order_id: str, due: float, members: list[tuple[str, float]], status: str = "filled") -> dict:
    group = [
        {"workshop_id": w, "leader": i == 0, "backup": False, "why": [f"{w} sews"], "territory": "T",
         "minutes": minutes, "allocations": [{"process": "sewing", "units": int(minutes // 2),
                                              "minutes": minutes}]}
        for i, (w, minutes) in enumerate(members)
    ]  # fmt: skip
    return {"order_id": order_id, "status": status, "quantity": 10, "filled_units": 10, "product": "tee",
            "due_weeks": due, "firm_id": "F1", "eligible_workshops": 2,
            "leader_id": members[0][0] if members else None, "cohesion": {"density": 1.0},
            "group": group, "reasons": ["fits"], "changes": []}  # fmt: skip


@pytest.fixture
def run() -> tuple[Cluster, dict]:
    # W1: 1,000 min a week free; W2: 500.
    cluster = Cluster(
        (shop("W2", capacity_minutes_per_week=600, committed_minutes_per_week=100),
         shop("W1", capacity_minutes_per_week=1000)),
        orders=(Order("O1", "tee", 10, 2.0), Order("O2", "tee", 10, 1.0), Order("O3", "tee", 10, 3.0)),
        routings=ROUTING,
    )  # fmt: skip
    match = {
        "orders": [
            order_row("O1", 2.0, [("W2", 300.0), ("W1", 60.0)]),
            order_row("O2", 1.0, [("W1", 30.0)]),
            order_row("O3", 3.0, [("W1", 100.0), ("W2", 50.0)]),
        ]
    }
    return cluster, match


def test_proposal_members_free_and_other_minutes(run):
    cluster, match = run
    view = proposal_view(cluster, match, "O1")
    assert view["view"] == "proposal" and view["status"] == "filled"
    assert view["order"]["order_id"] == "O1" and view["order"]["due_weeks"] == 2.0
    assert view["order"]["leader_id"] == "W2"
    assert view["processes"] == ["cutting", "sewing"]
    members = {m["workshop_id"]: m for m in view["members"]}
    assert [m["workshop_id"] for m in view["members"]] == ["W1", "W2"]
    # Free by week 2: 2 x weekly available; other orders due by week 2: O2 only (O3 is due week 3).
    assert (members["W1"]["minutes"], members["W1"]["free_minutes"], members["W1"]["other_minutes"]) == (
        60.0,
        2000.0,
        30.0,
    )
    assert (members["W2"]["minutes"], members["W2"]["free_minutes"], members["W2"]["other_minutes"]) == (
        300.0,
        1000.0,
        0.0,
    )
    assert members["W2"]["leader"] and not members["W1"]["leader"]
    assert view["cohesion"] == {"density": 1.0} and view["reasons"] == ["fits"]
    assert view["reason_messages"] == [] and members["W1"]["why_messages"] == []  # a run without them
    dumps(view)
    # By week 3 everything else counts.
    later = {m["workshop_id"]: m for m in proposal_view(cluster, match, "O3")["members"]}
    assert later["W1"]["other_minutes"] == 90.0 and later["W1"]["free_minutes"] == 3000.0


def test_proposal_of_an_unknown_order_names_it(run):
    cluster, match = run
    with pytest.raises(UnknownIdError, match="unknown order id O9; known order ids: O1, O2, O3"):
        proposal_view(cluster, match, "O9")
    with pytest.raises(InvalidOptionError, match="match must be a matching result"):
        proposal_view(cluster, {"groups": []}, "O1")


def test_proposal_from_a_solved_run():
    cluster = Cluster(
        tuple(shop(w, capacity_minutes_per_week=600, can_lead=w == "B") for w in "AB"),
        ties=(Tie("A", "B", "kinship"),),
        orders=(Order("O1", "tee", 200, 1.0),),
        routings={"tee": (RoutingStep("sewing", 6.0),)},
    )
    result = solve_orders(cluster, options=MatchOptions(time_limit=10))
    view = proposal_view(cluster, result, "O1")
    assert view == proposal_view(cluster, result.to_dict(), "O1")
    assert [m["workshop_id"] for m in view["members"]] == ["A", "B"]
    assert sum(m["minutes"] for m in view["members"]) == 1200.0
    assert all(m["free_minutes"] == 600.0 and m["other_minutes"] == 0.0 for m in view["members"])
    assert view["order"]["leader_id"] == "B"
    # Each reason and why line comes with its message, whose English is the text beside it.
    # 200 tees come in lots of at least 50 (the default: 5% of the quantity, at least 50).
    assert [r["key"] for r in view["reason_messages"]] == [
        "reason.can_deliver",
        "reason.process_split_lots",
        "reason.all_linked",
        "reason.leads_only",
        "reason.uses",
    ]
    assert view["reason_messages"][1]["args"] == {
        "process": "sewing",
        "workshops": 2,
        "split": [{"workshop_id": "A", "units": 100}, {"workshop_id": "B", "units": 100}],
        "lot": 50,
    }
    assert [Message(**r).text for r in view["reason_messages"]] == view["reasons"]
    assert view["reasons"][1] == (
        "sewing: split among 2 workshops in lots of at least 50 units (A 100, B 100)."
    )
    for member in view["members"]:
        assert [Message(**w).text for w in member["why_messages"]] == member["why"]
    assert view["members"][1]["why_messages"][1] == {
        "key": "why.tied",
        "args": {"tied": [{"workshop_id": "A", "kinds": ["kinship"]}]},
    }


# --- dashboard view -------------------------------------------------------------------------


def test_dashboard_capacity_sums_without_a_match(run):
    cluster, _ = run
    view = dashboard_view(cluster)
    assert view["view"] == "dashboard" and view["workshops"] == 2
    capacity = view["capacity"]
    assert capacity["by_product"] == [{"key": "tee", "workshops": 2, "minutes": 1500.0}]
    assert capacity["by_process"] == [
        {"key": "cutting", "workshops": 2, "minutes": 1500.0},
        {"key": "sewing", "workshops": 2, "minutes": 1500.0},
    ]
    # Committed over capacity: 100 of 1,600 a week.
    assert view["utilisation"] == {
        "by_territory": [{"key": "T", "available": 1600.0, "used": 100.0, "share": 0.0625}],
        "overall": 0.0625,
        "source": "committed",
    }
    assert [(o["order_id"], o["status"], o["filled_units"]) for o in view["orders"]] == [
        ("O1", "not matched", None),
        ("O2", "not matched", None),
        ("O3", "not matched", None),
    ]
    assert view["territories"] == []
    dumps(view)


def test_dashboard_utilisation_from_a_match(run):
    cluster, match = run
    view = dashboard_view(cluster, match)
    # Horizon: week 3; W1 gives 190 of 3,000, W2 350 of 1,500.
    assert view["utilisation"]["by_territory"] == [
        {"key": "T", "available": 4500.0, "used": 540.0, "share": 0.12}
    ]
    assert view["utilisation"]["source"] == "match"
    assert [(o["order_id"], o["status"], o["group_size"]) for o in view["orders"]] == [
        ("O1", "filled", 2),
        ("O2", "filled", 1),
        ("O3", "filled", 2),
    ]


def test_dashboard_by_territory_sorted_by_minutes_and_scoped():
    cluster = Cluster(
        (
            shop("A", "North", products=("tee", "jeans"), capacity_minutes_per_week=100),
            shop("B", "South", processes=("sewing",), capacity_minutes_per_week=300),
            shop("C", "North", capacity_minutes_per_week=200),
        )
    )
    capacity = dashboard_view(cluster)["capacity"]
    assert capacity["by_territory"] == [
        {"key": "North", "workshops": 2, "minutes": 300.0},
        {"key": "South", "workshops": 1, "minutes": 300.0},
    ]
    assert [(r["key"], r["minutes"]) for r in capacity["by_product"]] == [("tee", 600.0), ("jeans", 100.0)]
    assert [(r["key"], r["workshops"]) for r in capacity["by_process"]] == [("sewing", 3), ("cutting", 2)]
    scoped = dashboard_view(cluster, workshops=["C", "B"])
    assert scoped["workshops"] == 2
    assert [r["key"] for r in scoped["capacity"]["by_product"]] == ["tee"]
    with pytest.raises(UnknownIdError, match="unknown workshop id Z"):
        dashboard_view(cluster, workshops=["Z"])


def test_centroids_are_means_of_at_least_five_workshops():
    cluster = Cluster(tuple(shop(w, "North" if w < "H" else "South") for w in "ABCDEFGHIJKL"))
    contacts = [
        Contact("A", owner_name="Ana", phone="+595 1", lat=-25.0, lon=-57.0),
        Contact("B", lat=-25.2, lon=-57.2),
        Contact("C", lat=-25.4, lon=-57.3),
        Contact("D", lat=-25.1, lon=-57.1),
        Contact("E", lat=-25.3, lon=-57.4),
        Contact("F"),  # no coordinates: not located
        # South has four located workshops of five: no centroid
        *(Contact(w, lat=-26.0, lon=-58.0) for w in "HIJK"),
    ]
    view = dashboard_view(cluster, contacts=contacts)
    assert view["territories"] == [{"territory": "North", "workshops": 7, "lat": -25.2, "lon": -57.2}]
    assert "Ana" not in dumps(view) and "+595" not in dumps(view)


def test_sample_dashboard_keeps_contacts_private(sample):
    contacts = load_contacts(SAMPLE_DIR)
    view = dashboard_view(sample, contacts=contacts)
    text = dumps(view)
    assert view["workshops"] == len(sample.workshops)
    assert [t["territory"] for t in view["territories"]] == sorted({w.territory for w in sample.workshops})
    assert sum(t["workshops"] for t in view["territories"]) == len(sample.workshops)
    total = sum(w.available_minutes_per_week for w in sample.workshops)
    assert math.isclose(sum(r["minutes"] for r in view["capacity"]["by_territory"]), total)
    assert "Persona sintética" not in text and "Calle Ficticia" not in text
    assert "+595" not in text
    assert len(view["orders"]) == len(sample.orders)


def test_proposal_says_the_orders_lot():
    cluster = Cluster(
        tuple(shop(w, capacity_minutes_per_week=600) for w in "AB"),
        orders=(Order("O1", "tee", 200, 1.0),),
        routings={"tee": (RoutingStep("sewing", 6.0),)},
    )
    result = solve_orders(cluster, options=MatchOptions(time_limit=10, order_rules={"O1": {"min_lot": 100}}))
    view = proposal_view(cluster, result.to_dict(), "O1")
    assert view["order"]["lot"] == 100
    assert [a["units"] for m in view["members"] for a in m["allocations"]] == [100, 100]
    run = result.to_dict()
    del run["orders"][0]["lot"]  # a run written before lots: the page shows none
    assert proposal_view(cluster, run, "O1")["order"]["lot"] is None
