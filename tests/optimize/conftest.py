from __future__ import annotations

import pytest

from matcher.model import Cluster, Order, RoutingStep, Tie, Workshop

#: A two-step routing, in standard minutes per unit: cut 1, sew 2.
ROUTING = {"tee": (RoutingStep("cutting", 1.0), RoutingStep("sewing", 2.0))}


def shop(wid: str, minutes: float, processes=("cutting", "sewing"), **kw) -> Workshop:
    """A workshop with ``minutes`` free per week."""
    kw.setdefault("territory", "T")
    return Workshop(
        wid, workers=1, products=("tee",), processes=tuple(processes), capacity_minutes_per_week=minutes, **kw
    )


def compositions(n: int, k: int):
    """Every way to write n as an ordered sum of k whole numbers >= 0 (brute-force allocations)."""
    if k == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in compositions(n - first, k - 1):
            yield (first, *rest)


def make(workshops, orders, ties=()) -> Cluster:
    return Cluster(tuple(workshops), ties=tuple(ties), orders=tuple(orders), routings=ROUTING)


@pytest.fixture
def tiny() -> Cluster:
    """Order of 10 tees due in 1 week (30 min of work); no workshop can do it alone."""
    return make(
        [shop("A", 12), shop("B", 12), shop("C", 12), shop("D", 30, territory="U")],
        [Order("O1", "tee", 10, 1.0, territories=("T",))],
        [Tie("A", "B", "kinship", 5), Tie("B", "C", "friendship", 2)],
    )


__all__ = ["ROUTING", "Order", "Tie", "compositions", "make", "shop"]
