"""Every count of ties counts pairs, once per kind, whatever the survey waves that recorded them.

A coordinator's hand-typed cluster of two waves, where the same pairs were
recorded in both: the counts are worked out by hand.
"""

from __future__ import annotations

import pytest

from matcher.graph import cohesion_report, compare_waves, ego_network, group_cohesion, signed_view
from matcher.graph.graphs import collaboration_graph
from matcher.model import Cluster, Tie, Workshop
from matcher.views import network_view

NAMES = ("PIL-001", "PIL-002", "PIL-003", "PIL-004", "PIL-005")
A, B, C, D, E = NAMES


def two_waves() -> Cluster:
    """A–B kin in both waves (4, then 5) and friends in the first; A and C in conflict in both
    waves, typed once each way; B subcontracts to C, then C to B; C–D kin in the second only;
    E tied to nobody."""
    workshops = tuple(Workshop(w, "Pilar", 3, ("jeans",), ("sewing",)) for w in NAMES)
    ties = (
        Tie(A, B, "kinship", 4, "w1"),
        Tie(A, B, "kinship", 5, "w2"),
        Tie(B, A, "friendship", 2, "w1"),
        Tie(A, C, "conflict", 1, "w1"),
        Tie(C, A, "conflict", 1, "w2"),
        Tie(B, C, "subcontracting", 3, "w1"),
        Tie(C, B, "subcontracting", 2, "w2"),
        Tie(C, D, "kinship", 3, "w2"),
    )
    return Cluster(workshops, ties=ties)


def test_the_network_counts_ties_not_rows():
    report = cohesion_report(two_waves())
    net = report["network"]
    assert net["ties_by_kind"]["kinship"] == 2  # A–B and C–D, not three rows
    assert net["ties_by_kind"]["conflict"] == 1 and net["ties_by_kind"]["subcontracting"] == 1
    assert net["ties"] == 5 and net["tie_rows"] == 8
    assert net["collaboration_edges"] == 3 and net["conflict_pairs"] == 1
    assert report["kinds"]["pairs_by_kind"]["kinship"] == 2


def test_strength_takes_each_tie_once_at_its_strongest():
    rows = {w["workshop_id"]: w for w in cohesion_report(two_waves())["workshops"]}
    assert rows[A]["strength"] == 5 + 2  # kinship at its strongest (5, not 4 + 5), friendship
    assert rows[B]["strength"] == 5 + 2 + 3
    assert rows[C]["strength"] == 3 + 3 and rows[E]["strength"] == 0


def test_ego_counts_partners_per_kind():
    # One conflict partner, recorded in both waves: conflict 1, not 2.
    assert ego_network(two_waves(), A)["ties_by_kind"] == {"conflict": 1, "friendship": 1, "kinship": 1}
    assert ego_network(two_waves(), C)["ties_by_kind"] == {"conflict": 1, "kinship": 1, "subcontracting": 1}


def test_group_and_signed_counts():
    group = group_cohesion(two_waves(), [A, B, C])
    assert group["ties_by_kind"] == {"friendship": 1, "kinship": 1, "subcontracting": 1}
    assert group["positive_pairs"] == 2 and group["conflict_pairs"] == [[A, C]]
    signed = signed_view(two_waves())
    assert signed["conflict_ties"] == 1 and signed["conflict_pairs"] == 1
    assert signed["conflict_tie_share"] == pytest.approx(1 / 5)


def test_each_wave_counts_its_own_ties():
    c = compare_waves(two_waves(), "w1", "w2")
    # w1: A–B kinship, A–B friendship, A–C conflict, B–C subcontracting; w2: A–B kinship,
    # A–C conflict, B–C subcontracting, C–D kinship.
    assert c["first"]["ties"] == 4 and c["second"]["ties"] == 4
    assert c["kept_pairs"] == 2 and c["new_pairs"] == [[C, D]] and c["lost_pairs"] == []


def test_the_collaboration_graph_and_the_page_say_the_same():
    edge = collaboration_graph(two_waves())[A][B]
    assert edge["ties"] == 2 and edge["tie_rows"] == 3  # kinship and friendship; three rows
    summary = network_view(two_waves())["summary"]
    assert summary["ties"] == 5 and summary["collaboration_edges"] == 3
