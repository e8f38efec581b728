"""Supplier shortlists on tiny clusters whose answers are checked by hand."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.model import Order, RoutingStep, Tie
from matcher.optimize import MatchOptions, Rules, shortlist
from tests.optimize.conftest import make, shop

FAST = MatchOptions(time_limit=10)
#: Lots off, for groups that share 10 tees in smaller parts.
SPLIT = replace(FAST, rules=Rules(min_lot=0))
#: 10 tees due in 1 week: 10 min cutting + 20 min sewing = 30 min of work.
TEES = Order("O1", "tee", 10, 1.0)
#: k for clusters of two or three workshops: a pool of two is not too small to show.
FEW = 2


def groups_of(result) -> list[tuple[str, ...]]:
    return [e.workshop_ids for e in result.groups]


def strings(data) -> list[str]:
    """Every key and every text value anywhere in JSON-ready data."""
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in [str(k), *strings(v)]]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return [data] if isinstance(data, str) else []


def without_timing(data: dict) -> dict:
    return {**data, "search": {k: v for k, v in data["search"].items() if k != "seconds"}}


def test_a_workshop_that_can_take_it_alone_is_a_single():
    # A has 40 min a week for the 30 needed; B and C (20 each) only together.
    cluster = make([shop("A", 40), shop("B", 20), shop("C", 20)], [TEES], [Tie("B", "C", "kinship")])
    result = shortlist(cluster, "O1", options=FAST, k=FEW)
    assert [e.workshop_ids for e in result.singles] == [("A",)]
    single = result.singles[0]
    assert (single.ref, single.kind, single.needed_minutes, single.free_minutes) == ("S1", "single", 30, 40)
    # capability 1 (main product, both processes); capacity 1 - 30/40; quality margin (3 - 1) / (5 - 1).
    # All three workshops share every field but the free minutes, so A's profile is exact.
    assert single.score.to_dict() == {
        "capability": 1.0,
        "capacity": 0.25,
        "quality_margin": 0.5,
        "reliability": None,
        "cohesion": None,
        "total": round((1 + 0.25 + 0.5) / 3, 4),
    }
    # A can take it alone, so it is a single and not a member of any group.
    assert groups_of(result) == [("B", "C")]
    assert result.search["stopped"] == "no_more_groups"
    assert not result.described
    assert result.groups[0].score.reliability is None
    assert (
        "Reliability is unknown: the dataset records no delivery history; it is left out of the totals."
        in result.notes
    )


def test_why_lines_and_notes_come_with_their_messages():
    cluster = make(
        [shop("A", 40), shop("B", 20), shop("C", 20, can_lead=True)], [TEES], [Tie("B", "C", "kinship")]
    )
    # k=1: exact profiles, so that C is named as the leader (k=5 would withhold it: C alone can lead).
    data = shortlist(cluster, "O1", options=FAST, k=1).to_dict()
    (single,) = data["singles"]
    assert single["why_messages"] == [
        {
            "key": "shortlist.single",
            "args": {"processes": ["cutting", "sewing"], "free": 40.0, "week": 1.0, "needed": 30.0},
        },
        {"key": "why.mainly_makes", "args": {"product": "tee"}},
    ]
    assert (
        single["why"][0]
        == "Does every process (cutting, sewing) and has 40 min free by week 1 for the 30 needed."
    )
    (group,) = data["groups"]
    assert [m["key"] for m in group["why_messages"]] == [
        "shortlist.group",
        "shortlist.group_process",
        "shortlist.group_process",
        "shortlist.group_linked",
        "shortlist.group_leader",
        "shortlist.group_free",
    ]
    assert group["why_messages"][4]["args"] == {
        "ref": next(m["ref"] for m in group["members"] if m["leader"])
    }
    assert len(group["why_messages"]) == len(group["why"])
    assert data["note_messages"] == [{"key": "shortlist.reliability_unknown", "args": {}}]
    assert len(data["notes"]) == 1


def test_a_group_that_needs_two():
    cluster = make([shop("B", 20), shop("C", 20, can_lead=True)], [TEES], [Tie("B", "C", "friendship")])
    result = shortlist(cluster, "O1", options=FAST, k=1)
    assert result.singles == ()
    assert "No single workshop can take the whole order alone." in result.notes
    (group,) = result.groups
    assert (group.ref, group.kind, group.workshop_ids) == ("G1", "group", ("B", "C"))
    # Tied and connected: cohesion 1; capacity 1 - 30/40; quality 0.5; capability 1.
    assert group.score.cohesion == 1.0
    assert group.score.capacity == pytest.approx(0.25)
    assert group.score.total == pytest.approx((1 + 0.25 + 0.5 + 1) / 4)
    members = {m.workshop_id: m for m in group.members}
    assert members["C"].leader and not members["B"].leader
    for process in ("cutting", "sewing"):
        assert sum(a.units for m in group.members for a in m.allocations if a.process == process) == 10
    for m in group.members:
        assert sum(a.minutes for a in m.allocations) <= 20 + 1e-9
    assert [m.ref for m in group.members] == ["G1-a", "G1-b"]


def test_a_conflict_pair_is_never_in_one_group():
    cluster = make(
        [shop("B", 20), shop("C", 20), shop("D", 20)],
        [TEES],
        [Tie("B", "C", "conflict"), Tie("B", "C", "kinship", 5)],
    )
    result = shortlist(cluster, "O1", options=FAST, k=FEW)
    assert sorted(groups_of(result)) == [("B", "D"), ("C", "D")]
    assert result.search["stopped"] == "no_more_groups"


def test_groups_are_distinct_and_none_contains_another():
    # Any two of four workshops make the order: six pairs, and no larger group is offered.
    cluster = make([shop(w, 20) for w in "BCDE"], [TEES])
    result = shortlist(cluster, "O1", options=FAST, k=FEW)
    found = groups_of(result)
    assert sorted(found) == sorted((a, b) for a in "BCDE" for b in "BCDE" if a < b)
    assert [e.ref for e in result.groups] == [f"G{i}" for i in range(1, 7)]
    capped = shortlist(cluster, "O1", top=2, options=FAST, k=FEW)
    assert len(capped.groups) == 2 and capped.search["stopped"] == "top"


def test_a_known_reliability_counts_in_the_total():
    cluster = make(
        [shop("A", 40, reliability=0.8), shop("B", 20), shop("C", 20)], [TEES], [Tie("B", "C", "kinship")]
    )
    result = shortlist(cluster, "O1", options=FAST, k=FEW)
    (single,) = result.singles
    assert single.score.reliability == 0.8
    assert single.score.to_dict()["total"] == round((1 + 0.25 + 0.5 + 0.8) / 4, 4)
    (group,) = result.groups
    assert group.score.reliability is None and group.to_dict()["score"]["reliability"] is None
    assert group.score.total == pytest.approx((1 + 0.25 + 0.5 + 1) / 4)
    assert (
        "Reliability is unknown for G1 (no delivery history recorded); it is left out of their totals."
        in result.notes
    )
    assert not any(note.startswith("Reliability is unknown:") for note in result.notes)


def test_a_low_reliability_can_rank_a_single_lower():
    # Both have room to spare; Y has more, but delivers on time only half as often.
    cluster = make([shop("X", 40, reliability=1.0), shop("Y", 60, reliability=0.5)], [TEES])
    result = shortlist(cluster, "O1", options=FAST, k=FEW)
    assert [e.workshop_ids for e in result.singles] == [("X",), ("Y",)]
    assert [e.score.total for e in result.singles] == pytest.approx(
        [(1 + 0.25 + 0.5 + 1) / 4, (1 + 0.5 + 0.5 + 0.5) / 4]
    )
    assert not any("Reliability" in note for note in result.notes)


def test_a_groups_reliability_is_weighted_by_its_members_minutes():
    # B only cuts (10 min of the order), C only sews (20 min): (10 x 0.6 + 20 x 0.9) / 30 = 0.8.
    cluster = make(
        [
            shop("B", 20, processes=("cutting",), reliability=0.6),
            shop("C", 20, processes=("sewing",), reliability=0.9),
        ],
        [TEES],
        [Tie("B", "C", "kinship")],
    )
    (group,) = shortlist(cluster, "O1", options=FAST, k=FEW).groups
    assert {m.workshop_id: sum(a.minutes for a in m.allocations) for m in group.members} == {"B": 10, "C": 20}
    assert group.score.reliability == pytest.approx(0.8)
    # capability (1 + 0.5) / 2: main product, half the processes each; capacity 1 - 30/40; quality 0.5;
    # cohesion 1.
    assert group.score.total == pytest.approx((0.75 + 0.25 + 0.5 + 0.8 + 1) / 5)
    assert group.score.to_dict()["reliability"] == 0.8


def test_a_group_member_without_reliability_is_left_out_of_the_mean():
    cluster = make(
        [shop("B", 20, processes=("cutting",), reliability=0.6), shop("C", 20, processes=("sewing",))],
        [TEES],
        [Tie("B", "C", "kinship")],
    )
    (group,) = shortlist(cluster, "O1", options=FAST, k=FEW).groups
    assert group.score.reliability == pytest.approx(0.6)


def test_ranked_by_total_then_by_ids():
    # S and T can take it alone; T has more room (capacity 1 - 30/60 beats 1 - 30/40).
    cluster = make([shop("S", 40), shop("T", 60), shop("U", 40, quality=5)], [TEES])
    result = shortlist(cluster, "O1", options=FAST, k=1)
    totals = [e.score.total for e in result.singles]
    assert totals == sorted(totals, reverse=True)
    assert [e.workshop_ids[0] for e in result.singles] == ["U", "T", "S"]
    # With k=2 U's quality 5 is withheld (no other workshop has it): its score counts the
    # order's minimum, and T's room puts it first.
    anonymous = shortlist(cluster, "O1", options=FAST, k=2)
    assert [e.workshop_ids[0] for e in anonymous.singles] == ["T", "S", "U"]
    assert anonymous.singles[2].members[0].shown.quality is None
    twins = make([shop("Y", 40), shop("X", 40)], [TEES])
    assert [e.workshop_ids for e in shortlist(twins, "O1", options=FAST, k=FEW).singles] == [("X",), ("Y",)]
    assert [e.ref for e in shortlist(twins, "O1", top=1, options=FAST, k=FEW).singles] == ["S1"]


def test_required_rules_hold_in_every_group():
    cluster = make(
        [shop("B", 20), shop("C", 20), shop("D", 20, can_lead=True)],
        [TEES],
        [Tie("C", "D", "kinship"), Tie("B", "D", "mentoring")],
    )
    result = shortlist(cluster, "O1", options=replace(FAST, rules=Rules(cohesion="required")), k=FEW)
    assert sorted(groups_of(result)) == [("B", "D"), ("C", "D")]  # B and C are not tied
    capped = make([shop("B", 20), shop("C", 20)], [replace(TEES, max_group_size=1)])
    assert shortlist(capped, "O1", options=FAST, k=FEW).groups == ()


def test_anonymized_form_has_no_ids_names_or_contacts():
    cluster = make(
        [shop("WS-ALPHA", 40), shop("WS-BRAVO", 20, can_lead=True), shop("WS-CHARLIE", 20)],
        [TEES],
        [Tie("WS-BRAVO", "WS-CHARLIE", "kinship")],
    )
    result = shortlist(cluster, "O1", options=FAST, k=FEW)
    data = result.to_dict()
    found = strings(json.loads(json.dumps(data)))
    for text in found:
        assert "WS-" not in text, text
    forbidden = {"workshop_id", "name", "owner_name", "phone", "address", "lat", "lon", "contact"}
    assert not forbidden & set(found)
    assert data["singles"][0]["members"][0]["ref"] == "S1"
    assert {m["ref"] for m in data["groups"][0]["members"]} == {"G1-a", "G1-b"}
    assert set(data["singles"][0]["members"][0]) == {
        "ref", "territory", "size_band", "quality", "formal", "processes", "main_product", "leader",
        "withheld", "allocations",
    }  # fmt: skip
    revealed = result.to_dict(reveal_ids=True)
    assert revealed["singles"][0]["members"][0]["workshop_id"] == "WS-ALPHA"
    assert {m["workshop_id"] for m in revealed["groups"][0]["members"]} == {"WS-BRAVO", "WS-CHARLIE"}


def test_anonymized_sample_shortlist_leaks_no_contact():
    from matcher.io import load_cluster, load_contacts
    from matcher.sample import SAMPLE_DIR

    cluster = load_cluster(SAMPLE_DIR)
    contacts = load_contacts(SAMPLE_DIR)
    text = json.dumps(shortlist(cluster, "O08", top=3, options=FAST).to_dict(), ensure_ascii=False)
    assert all(w.workshop_id not in text for w in cluster.workshops)
    private = [
        str(value)
        for c in contacts
        for value in (c.owner_name, c.phone, c.address, c.lat, c.lon)
        if value is not None and len(str(value)) > 3
    ]
    assert private and not [p for p in private if p in text]


def test_same_input_same_output():
    cluster = make([shop(w, 12 + i) for i, w in enumerate("ABCDEF")], [TEES], [Tie("A", "B", "kinship")])
    first = shortlist(cluster, "O1", top=4, options=SPLIT).to_dict(reveal_ids=True)
    second = shortlist(cluster, "O1", top=4, options=SPLIT).to_dict(reveal_ids=True)
    assert without_timing(first) == without_timing(second)
    assert len(first["groups"]) == 4


def test_a_described_order_not_in_the_cluster():
    cluster = make([shop("A", 40), shop("B", 20)], [TEES])
    asked = Order("REQ-1", "tee", 10, 2.0, processes=(RoutingStep("sewing", 2.0),))
    result = shortlist(cluster, asked, options=FAST, k=FEW)
    assert result.described and result.to_dict()["order"]["described"] is True
    # Sewing only, 20 min, due in 2 weeks: both can take it alone.
    assert [e.workshop_ids for e in result.singles] == [("A",), ("B",)]
    assert (
        shortlist(cluster, TEES, options=FAST, k=FEW).described is False
    )  # the cluster's own order, as given


def test_nothing_found_says_why():
    cluster = make([shop("A", 5), shop("B", 5)], [TEES])
    result = shortlist(cluster, "O1", options=FAST, k=FEW)
    assert result.singles == () and result.groups == ()
    assert any("needs" in note and "min by week 1" in note for note in result.notes)


def test_fewer_than_k_eligible_workshops_are_not_shown():
    # Ten workshops, but only the three in territory N can take an order restricted to N: N0 alone,
    # N1 and N2 together (20 min each for the 30 needed).
    shops = [shop("N0", 40, territory="N"), shop("N1", 20, territory="N"), shop("N2", 20, territory="N")]
    shops += [shop(f"S{i}", 40) for i in range(7)]
    only_north = replace(TEES, territories=("N",))
    cluster = make(shops, [only_north])
    withheld = shortlist(cluster, "O1", options=FAST)  # k = 5
    assert withheld.singles == () and withheld.groups == ()
    assert [m.key for m in withheld.note_messages] == ["shortlist.small_pool"]
    assert withheld.notes == (
        "Fewer than 5 workshops of the cluster could take part in this order; none is shown, so that "
        "none is singled out. A coordinator can follow it up.",
    )
    search = withheld.to_dict()["search"]
    assert search["candidates"] is None and search["eligible"] is None  # 2 of each: not shown
    # For a coordinator (k = 1) the three are there; with k = 3 too.
    exact = shortlist(cluster, "O1", options=FAST, k=1)
    assert [e.workshop_ids for e in exact.singles] == [("N0",)]
    assert [e.workshop_ids for e in exact.groups] == [("N1", "N2")]
    assert exact.search["candidates"] == 2
    assert len(shortlist(cluster, "O1", options=FAST, k=3).groups) == 1
    # The whole cluster open to the order: eight can take it alone, all shown.
    assert len(shortlist(make(shops, [TEES]), "O1", options=FAST).singles) == 8


def test_a_diagnosis_leaves_out_causes_of_fewer_than_k_workshops():
    # Nobody can take a quality-4 order in N: 6 workshops below quality 4, 2 outside N.
    shops = [shop(f"L{i}", 40, territory="N", quality=2) for i in range(6)]
    shops += [shop(f"S{i}", 40, territory="S", quality=5) for i in range(2)]
    order = replace(TEES, territories=("N",), min_quality=4)
    cluster = make(shops, [order])
    exact = shortlist(cluster, "O1", options=FAST, k=1)
    (line,) = exact.note_messages
    assert line.key == "diagnose.none_eligible"
    assert [(c["cause"], c["workshops"]) for c in line.args["causes"]] == [("quality", 6), ("territory", 2)]
    coarse = shortlist(cluster, "O1", options=FAST)  # k = 5
    assert [m.key for m in coarse.note_messages] == ["diagnose.none_eligible", "shortlist.small_cells"]
    assert coarse.note_messages[0].args["causes"] == [{"cause": "quality", "workshops": 6}]
    assert "2 outside" not in " ".join(coarse.notes)
    assert coarse.notes[1].startswith("Some of the reasons concern fewer than 5 workshops")


@pytest.mark.parametrize(
    ("order", "kwargs", "error", "message"),
    [
        ("NOPE", {}, UnknownIdError, r"unknown order id NOPE; known order ids: O1"),
        ("O1", {"top": 0}, InvalidOptionError, r"top must be a whole number >= 1, got 0"),
        ("O1", {"options": {"time_limit": 1}}, InvalidOptionError, r"options must be a MatchOptions"),
        (42, {}, InvalidOptionError, r"order must be an order id or an Order, got int; order ids: O1"),
        (
            Order("X", "tee", 0, -1.0, min_quality=7),
            {},
            InvalidOptionError,
            r"order X: quantity must be .* got 0; due_weeks must be .* got -1.0; min_quality must be .*got 7",
        ),
        (Order("X", "kimono", 10, 1.0), {}, InvalidOptionError, r"no routing for product kimono; .*: tee"),
        (
            replace(TEES, quantity=99),
            {},
            InvalidOptionError,
            r"order id O1 is already an order of the dataset",
        ),
    ],
)
def test_bad_input_is_refused_clearly(order, kwargs, error, message):
    cluster = make([shop("A", 40)], [TEES])
    with pytest.raises(error, match=message):
        shortlist(cluster, order, **kwargs)


# --- helpers of the fast path (large clusters, short time limits) -------------------------------


def test_local_ties_reach_as_far_as_the_leader_rule_looks():
    from matcher.optimize.shortlist.pool import local_ties

    # A - B - C - D by positive ties, C x E in conflict.
    ties = [
        Tie("A", "B", "kinship"),
        Tie("B", "C", "friendship"),
        Tie("C", "D", "mentoring"),
        Tie("C", "E", "conflict"),
    ]
    cluster = make([shop(w, 20) for w in "ABCDE"], [TEES], ties)
    pairs = lambda found: [(t.source, t.target) for t in found]  # noqa: E731
    assert pairs(local_ties(cluster, ["A"])) == [("A", "B")]
    assert pairs(local_ties(cluster, ["A"], hops=2)) == [("A", "B"), ("B", "C")]
    # Every tie of C (conflict included) once C is within one step.
    assert pairs(local_ties(cluster, ["B"], hops=2)) == [("A", "B"), ("B", "C"), ("C", "D"), ("C", "E")]
    assert pairs(local_ties(cluster, ["E"])) == [("C", "E")]  # conflicts are no path


def test_pool_size_grows_with_the_time_limit():
    from matcher.optimize.shortlist.pool import pool_size

    assert [pool_size(t) for t in (0.01, 0.15, 0.5, 10.0)] == [30, 30, 100, 2000]


def test_group_pool_covers_every_process_then_takes_the_most_minutes():
    from matcher.optimize._problem import MatchProblem
    from matcher.optimize.shortlist.pool import group_pool

    # 10 tees (cut 1 min, sew 2 min): a workshop gives at most 10 min of cutting, 20 of sewing.
    cluster = make(
        [
            shop("CUT", 5, processes=("cutting",)),  # the only cutter, 5 min: kept for coverage
            shop("S1", 18, processes=("sewing",)),
            shop("S2", 15, processes=("sewing",)),
            shop("S3", 15, processes=("sewing",)),
            shop("S4", 1, processes=("sewing",)),  # cannot sew one tee: never in the pool
            shop("T", 8, processes=("sewing",)),
        ],
        [TEES],
        [Tie("CUT", "T", "kinship")],
    )
    problem = MatchProblem.build(cluster, (TEES,), SPLIT)
    spec = problem.specs[0]
    neighbours = {"CUT": ["T"], "T": ["CUT"]}
    ids = list(spec.eligible)
    # quota 1 per process and leader: CUT (cutting), S1 (sewing); then T, CUT's tied neighbour.
    assert group_pool(problem, spec, ids, 3, neighbours) == ["CUT", "S1", "T"]
    # Without the tie, the most minutes: S2 before S3 by id.
    assert group_pool(problem, spec, ids, 3, {}) == ["CUT", "S1", "S2"]
    assert group_pool(problem, spec, ids, 10, {}) == ["CUT", "S1", "S2", "S3", "T"]


def test_greedy_groups_are_distinct_and_none_contains_another():
    from matcher.optimize import MatchOptions
    from matcher.optimize._problem import MatchProblem
    from matcher.optimize.shortlist.pool import greedy_groups

    # Any two of B, C, D (20 min each) make the 30 min of work; the greedy takes most room first.
    cluster = make([shop("B", 20), shop("C", 20), shop("D", 20)], [TEES])
    problem = MatchProblem.build(cluster, (TEES,), MatchOptions())
    found = [sorted(g["O1"]) for g in greedy_groups(problem, problem.specs[0], 10, math.inf)]
    assert found == [["B", "C"], ["C", "D"], ["B", "D"]]
    assert len(greedy_groups(problem, problem.specs[0], 1, math.inf)) == 1
    assert greedy_groups(problem, problem.specs[0], 10, 0.0) == []  # no time: nothing tried


def test_a_short_time_limit_on_a_large_pool_still_gives_exact_singles_and_honest_groups():
    # 40 workshops that cannot take the order alone (12 min each) and two that can:
    # with 0.15 s the pool is capped at 30, and the result says so.
    workshops = [shop("A", 40), shop("Z", 50)] + [shop(f"W{i:02d}", 12) for i in range(40)]
    cluster = make(workshops, [TEES])
    short = shortlist(cluster, "O1", top=3, options=replace(SPLIT, time_limit=0.15))
    generous = shortlist(cluster, "O1", top=3, options=SPLIT)
    assert [e.workshop_ids for e in short.singles] == [e.workshop_ids for e in generous.singles]
    assert [e.workshop_ids for e in short.singles] == [("Z",), ("A",)]
    assert (short.search["candidates"], short.search["eligible"]) == (30, 40)
    assert generous.search["candidates"] == generous.search["eligible"] == 40
    assert any("among the 30 best placed of the 40" in note for note in short.notes)
    assert short.search["stopped"] in {"top", "time_limit"}
    for group in short.groups:
        assert len(group.members) == 3 and not {"A", "Z"} & set(group.workshop_ids)


def test_greedy_groups_found_first_are_each_cut_once_by_name():
    # With a short time the greedy groups come first and each is forbidden before the solver
    # runs on: their cuts were once named alike, which PuLP refuses (the sample's O07, top 19).
    cluster = make([shop(f"W{i}", 20) for i in range(6)], [TEES])
    result = shortlist(cluster, "O1", top=20, options=replace(SPLIT, time_limit=0.4), k=1)
    found = groups_of(result)
    assert len(found) == len(set(found)) == 15  # every pair of the six, each found once
