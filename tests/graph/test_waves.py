"""Change between two survey waves."""

from __future__ import annotations

import pytest

from matcher.errors import InvalidOptionError, UnknownIdError
from matcher.graph import compare_waves
from matcher.model import Cluster, Tie, Workshop
from matcher.sample import load_sample


def two_waves() -> Cluster:
    ws = tuple(Workshop(w, "T", 1, ("tshirt",), ("sewing",)) for w in "ABCDE")
    ties = (
        Tie("A", "B", "kinship", wave="1"), Tie("B", "C", "kinship", wave="1"),
        Tie("A", "C", "friendship", wave="1"), Tie("C", "D", "friendship", wave="1"),
        Tie("A", "B", "kinship", wave="2"), Tie("B", "C", "kinship", wave="2"),
        Tie("D", "E", "friendship", wave="2"), Tie("B", "D", "conflict", wave="2"),
    )  # fmt: skip
    return Cluster(ws, ties=ties)


def test_by_hand():
    c = compare_waves(two_waves(), "1", "2")
    assert c["waves"] == ["1", "2"]
    assert c["new_pairs"] == [["D", "E"]] and c["kept_pairs"] == 2
    assert c["lost_pairs"] == [["A", "C"], ["C", "D"]]
    # Wave 1: 4 pairs of 10, E alone; wave 2: 3 pairs, two components, nobody alone.
    assert c["first"]["density"] == pytest.approx(0.4) and c["second"]["density"] == pytest.approx(0.3)
    assert c["change"]["density"] == pytest.approx(-0.1)
    assert c["first"]["transitivity"] == pytest.approx(3 / 5)  # one triangle, five connected triples
    assert c["second"]["transitivity"] == 0.0
    assert (c["first"]["components"], c["second"]["components"]) == (2, 2)
    assert c["first"]["ties"] == 4 and c["second"]["ties"] == 4  # conflict rows count as ties
    assert c["became_isolated"] == [] and c["no_longer_isolated"] == ["E"]
    assert c["became_central"] == ["B"] and "C" in c["no_longer_central"]
    assert 0.0 <= c["community_agreement"]["ari"] <= 1.0


def test_sample_waves_are_mostly_stable():
    cluster, _ = load_sample()
    c = compare_waves(cluster, "w1", "w2")
    assert c["kept_pairs"] > len(c["new_pairs"]) + len(c["lost_pairs"])
    assert c["community_agreement"]["nmi"] > 0.5


def test_bad_waves():
    cluster = two_waves()
    with pytest.raises(UnknownIdError, match=r"unknown wave id 3; known wave ids: 1, 2"):
        compare_waves(cluster, "1", "3")
    with pytest.raises(InvalidOptionError, match="compare two different waves, got '1' twice"):
        compare_waves(cluster, "1", "1")
    untimed = Cluster(cluster.workshops, ties=(Tie("A", "B", "kinship"),))
    with pytest.raises(UnknownIdError, match=r"known wave ids: \(none\)"):
        compare_waves(untimed, "1", "2")
