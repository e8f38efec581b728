"""The domain model (matcher.model): what the rest of the library asks of a workshop and a cluster."""

from __future__ import annotations

from matcher.model import SIZE_BANDS, Cluster, Order, RoutingStep, Tie, Workshop, size_band


def _shop(wid: str, workers: int = 2, products: tuple[str, ...] = ("tee",)) -> Workshop:
    return Workshop(wid, "T", workers, products, ("sewing",))


def test_size_bands_split_at_five_and_eleven_workers():
    assert [size_band(w) for w in range(1, 13)] == ["micro"] * 4 + ["small"] * 6 + ["medium"] * 2
    assert _shop("A", workers=7).size_band == "small"
    assert set(SIZE_BANDS) == {size_band(w) for w in (1, 5, 11)}


def test_the_index_is_built_once_per_cluster_and_skips_conflicts():
    cluster = Cluster(
        (_shop("A", products=("polo", "tee")), _shop("B")),
        ties=(Tie("A", "B", "kinship"), Tie("B", "A", "conflict")),
        orders=(Order("O1", "tee", 10, 1.0),),
        routings={"tee": (RoutingStep("sewing", 2.0),)},
    )
    index = cluster.index
    assert cluster.index is index
    assert {p: [w.workshop_id for w in ws] for p, ws in index.makers.items()} == {
        "polo": ["A"],
        "tee": ["A", "B"],
    }
    assert index.ties_of == {"A": (0, 1), "B": (0, 1)}
    assert index.neighbours == {"A": {"B"}, "B": {"A"}}  # the conflict is no neighbour
    assert Cluster((_shop("A"),)).index is not index
