"""How tie kinds overlap: per-kind density, multiplexity, Jaccard."""

from __future__ import annotations

import pytest

from matcher.graph import kinds_view
from matcher.model import Cluster, Tie, Workshop


def test_by_hand():
    ws = tuple(Workshop(w, "T", 2, ("jeans",), ("sewing",)) for w in "1234")
    ties = (
        Tie("1", "2", "kinship"), Tie("2", "3", "kinship"),
        Tie("1", "2", "friendship"), Tie("3", "4", "friendship"),
        Tie("2", "1", "subcontracting"), Tie("1", "2", "subcontracting"),  # one pair, both ways
        Tie("1", "4", "conflict"),
    )  # fmt: skip
    v = kinds_view(Cluster(ws, ties=ties))
    assert v["pairs_by_kind"] == {"conflict": 1, "friendship": 2, "kinship": 2, "subcontracting": 1}
    assert v["density_by_kind"]["kinship"] == pytest.approx(2 / 6)
    # Positive pairs 1-2 (three kinds), 2-3, 3-4: one of three is multiplex.
    assert v["positive_pairs"] == 3 and v["multiplex_pairs"] == 1
    assert v["multiplexity"] == pytest.approx(1 / 3)
    overlap = {tuple(o["kinds"]): o for o in v["overlap"]}
    assert set(overlap) == {
        ("friendship", "kinship"),
        ("friendship", "subcontracting"),
        ("kinship", "subcontracting"),
    }
    assert overlap[("friendship", "kinship")]["jaccard"] == pytest.approx(1 / 3)
    assert overlap[("kinship", "subcontracting")]["jaccard"] == pytest.approx(1 / 2)
    assert overlap[("friendship", "subcontracting")]["shared_pairs"] == 1


def test_no_ties():
    v = kinds_view(Cluster(tuple(Workshop(w, "T", 2, ("jeans",), ("sewing",)) for w in "12")))
    assert v["positive_pairs"] == 0 and v["multiplexity"] == 0.0 and v["overlap"] == []
