"""Tiny clusters the sweep tests change by hand, and a small generated one they solve."""

from __future__ import annotations

import pytest

from matcher.model import Cluster, Order, RoutingStep, Tie, Workshop
from matcher.synthetic import generate_cluster

ROUTINGS = {"tshirt": (RoutingStep("cutting", 1.0), RoutingStep("sewing", 6.0))}


def shop(wid: str, territory: str, minutes: float, **kw) -> Workshop:
    """A workshop making t-shirts (cutting and sewing) with a declared capacity, minutes a week."""
    return Workshop(
        wid, territory, 2, ("tshirt",), ("cutting", "sewing"), capacity_minutes_per_week=minutes, **kw
    )


@pytest.fixture
def tiny() -> Cluster:
    """Four workshops in two territories, one tie, two orders.

    Each of A (Pilar), B and C (Itá) has 1,400 min a week: O1 (200 units of 7 min, due in a week)
    takes all of one; O2 (300 units, due in two weeks, Itá only) takes 2,100 of one's 2,800. D (Itá)
    has every minute committed elsewhere.
    """
    return Cluster(
        workshops=(
            shop("A", "Pilar", 1400, can_lead=True),
            shop("B", "Itá", 1400),
            shop("C", "Itá", 1400),
            shop("D", "Itá", 1400, committed_minutes_per_week=1400),
        ),
        ties=(Tie("B", "C", "kinship", 4),),
        orders=(Order("O1", "tshirt", 200, 1.0), Order("O2", "tshirt", 300, 2.0, territories=("Itá",))),
        routings=ROUTINGS,
    )


@pytest.fixture(scope="session")
def small() -> Cluster:
    """60 workshops and 6 orders, generated: every run optimal in well under a second."""
    return generate_cluster(60, 6, seed=0)[0]
