"""k-anonymous profiles on a hand-made cluster whose coarsenings are worked out by hand,
and a sweep of every shortlist profile of the sample and of a 2,000-workshop cluster.

The hand-made cluster (an order of cutting, sewing and packing of tees, quality 1 or better):

====== ========= ======= ======= ======== ======================== ===========
id     territory workers quality formal   processes                can lead
====== ========= ======= ======= ======== ======================== ===========
A1-A5  Norte     3       3       no       cutting, sewing          A1 only
B      Norte     3       4       no       cutting, sewing
C      Norte     7       3       no       cutting, sewing
D      Sur       3       3       no       cutting, sewing
F      Norte     3       3       no       cutting, sewing, packing
====== ========= ======= ======= ======== ======================== ===========

All make mainly tees. With k = 5, A1-A5 share a profile; B, C, D and F each differ from
them in one field.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from matcher.errors import InvalidOptionError
from matcher.model import Cluster, Order, RoutingStep, Workshop
from matcher.optimize import MatchOptions, shortlist
from matcher.privacy import (
    COARSENING,
    DEFAULT_K,
    FIELDS,
    AnonymousProfile,
    anonymous_profile,
    count_fitting,
    quality_band,
)

ORDER = Order(
    "O1",
    "tee",
    10,
    1.0,
    processes=(RoutingStep("cutting", 1.0), RoutingStep("sewing", 2.0), RoutingStep("packing", 0.5)),
)
PROCESSES = ("cutting", "sewing", "packing")


def workshop(wid: str, territory="Norte", workers=3, quality=3, processes=("cutting", "sewing"), **kw):
    return Workshop(wid, territory, workers, ("tee",), tuple(processes), quality=quality, **kw)


CLUSTER = Cluster(
    (
        workshop("A1", can_lead=True),
        *(workshop(f"A{i}") for i in range(2, 6)),
        workshop("B", quality=4),
        workshop("C", workers=7),
        workshop("D", territory="Sur"),
        workshop("F", processes=PROCESSES),
    ),
    orders=(ORDER,),
)


def test_a_profile_shared_by_k_workshops_is_shown_exactly():
    p = anonymous_profile(CLUSTER, ORDER, "A2")
    assert (p.territory, p.size_band, p.quality, p.formal) == ("Norte", "micro", (3, 3), False)
    assert (p.processes, p.main_product, p.leader) == (("cutting", "sewing"), True, False)
    assert (p.matches, p.coarsened, p.withheld) == (5, (), ())


def test_a_quality_of_its_own_becomes_a_band():
    # B alone has quality 4; the band 3-4 fits A1-A5 and B.
    p = anonymous_profile(CLUSTER, ORDER, "B")
    assert (p.quality, p.matches, p.coarsened, p.withheld) == ((3, 4), 6, ("quality",), ())


def test_steps_not_needed_are_undone():
    # C alone has 7 workers: the band (first step) is not enough, so the size goes too; then
    # the band is undone, as quality 3 with the size withheld fits A1-A5 and C.
    p = anonymous_profile(CLUSTER, ORDER, "C")
    assert (p.size_band, p.quality, p.matches) == (None, (3, 3), 6)
    assert p.withheld == p.coarsened == ("size_band",)


def test_the_territory_goes_last_but_only_when_it_must():
    # D alone is in Sur: every step up to the territory is taken, then all but that one undone.
    p = anonymous_profile(CLUSTER, ORDER, "D")
    assert p.withheld == ("territory",) and p.matches == 6
    assert (p.size_band, p.quality, p.main_product) == ("micro", (3, 3), True)
    assert p.processes == ("cutting", "sewing")


def test_a_leader_mark_of_its_own_is_withheld():
    # A1 is the only workshop that can lead: shown as a leader it fits one workshop.
    p = anonymous_profile(CLUSTER, ORDER, "A1", leader=True)
    assert p.leader is None and p.withheld == ("leader",) and p.matches == 5
    assert anonymous_profile(CLUSTER, ORDER, "A1").leader is False  # not leading: nothing to hide


def test_processes_it_works_on_count_even_when_withheld():
    # F alone packs: as a single it works on packing, so no profile of it fits 5; it keeps only what
    # every workshop of the cluster shares (quality 3-4, informal, mainly tees).
    p = anonymous_profile(CLUSTER, ORDER, "F", works_on=PROCESSES)
    assert p.matches == 1
    assert (p.territory, p.size_band, p.processes) == (None, None, None)
    assert (p.quality, p.formal, p.main_product) == ((3, 4), False, True)
    # Working on sewing only, F is one of nine sewers: the processes field is withheld instead.
    p = anonymous_profile(CLUSTER, ORDER, "F", works_on=("sewing",))
    assert p.withheld == ("processes",) and p.matches == 6


def test_k_one_is_the_exact_profile_and_k_above_the_cluster_keeps_what_all_share():
    assert anonymous_profile(CLUSTER, ORDER, "D", k=1).coarsened == ()
    p = anonymous_profile(CLUSTER, ORDER, "A2", k=10)  # the cluster has 9 workshops
    assert p.matches == 9
    assert p.withheld == ("territory", "size_band", "processes")
    assert (p.quality, p.formal, p.main_product) == ((3, 4), False, True)


def test_count_fitting_reads_every_field_shown():
    p = AnonymousProfile("Norte", None, (3, 4), False, None, True, False, 0)
    assert count_fitting(CLUSTER, ORDER, p) == 8  # every workshop of Norte
    assert count_fitting(CLUSTER, ORDER, replace(p, processes=("cutting", "sewing"))) == 7  # not F
    assert count_fitting(CLUSTER, ORDER, replace(p, leader=True)) == 1
    assert count_fitting(CLUSTER, ORDER, replace(p, works_on=("packing",))) == 1
    assert count_fitting(CLUSTER, ORDER, replace(p, main_product=False)) == 0


def test_the_hierarchy_and_its_order():
    assert [quality_band(q) for q in range(1, 6)] == [(1, 2), (1, 2), (3, 4), (3, 4), (5, 5)]
    # Each field's steps come finest first; the territory is withheld last but the leader mark.
    assert [s for s in COARSENING if s[0] == "quality"] == [
        ("quality", "band"),
        ("quality", "minimum"),
        ("quality", "withheld"),
    ]
    assert COARSENING[-2:] == (("territory", "withheld"), ("leader", "withheld"))
    assert {field for field, _ in COARSENING} == set(FIELDS)
    # "The order's minimum or better": a quality-4 workshop for an order of quality 3 or better.
    asked = Order("O3", "tee", 10, 1.0, min_quality=3, processes=ORDER.processes)
    few = Cluster(tuple(workshop(f"Q{q}", quality=q, territory=f"T{q}") for q in (3, 4, 4, 5, 5)))
    assert anonymous_profile(few, asked, "Q4", k=5).quality == (3, 5)


def test_bad_k_is_refused():
    with pytest.raises(InvalidOptionError, match="k must be a whole number >= 1, got 0"):
        anonymous_profile(CLUSTER, ORDER, "A1", k=0)
    with pytest.raises(InvalidOptionError, match="k must be a whole number >= 1, got True"):
        shortlist(CLUSTER, ORDER, k=True)


# ---------------------------------------------------------------- the sweep


def fitting(cluster: Cluster, order: Order, member: dict, single: bool) -> int:
    """Workshops of ``cluster`` that fit a member's profile as a lead firm reads it (written apart
    from :mod:`matcher.privacy`): every field shown, the processes of its allocations (a single:
    every process of the order, as its reasons say) and, for a leader, that it can lead."""
    steps = [s.process for s in cluster.routing_of(order)]
    works_on = set(steps) if single else {a["process"] for a in member["allocations"]}
    quality = member["quality"]
    count = 0
    for w in cluster.workshops:
        count += all(
            (
                member["territory"] in (None, w.territory),
                member["size_band"] in (None, w.size_band),
                quality is None or quality["low"] <= w.quality <= quality["high"],
                member["formal"] in (None, w.formal),
                member["processes"] is None or member["processes"] == [p for p in steps if p in w.processes],
                member["main_product"] in (None, w.products[0] == order.product),
                not member["leader"] or w.can_lead,
                works_on <= set(w.processes),
            )
        )
    return count


def sweep(cluster: Cluster, order_ids, k: int = DEFAULT_K, top: int = 5) -> tuple[int, int]:
    """(profiles checked, fewest workshops one fits) over the shortlists of ``order_ids``.

    Also checks that each score reads the profiles as shown: the quality margin from the lowest
    quality shown (the order's minimum when withheld).
    """
    checked, fewest = 0, len(cluster.workshops)
    for order_id in order_ids:
        order = cluster.order(order_id)
        data = shortlist(cluster, order_id, top=top, options=MatchOptions(time_limit=0.3), k=k).to_dict()
        assert data["anonymity"] == {"k": k}
        for entry in data["singles"] + data["groups"]:
            for member in entry["members"]:
                fits = fitting(cluster, order, member, entry["kind"] == "single")
                assert fits >= k, (order_id, member)
                checked, fewest = checked + 1, min(fewest, fits)
            shown = [m["quality"] for m in entry["members"]]
            lows = [order.min_quality if q is None else q["low"] for q in shown]
            spread = 5 - order.min_quality
            margin = 1.0 if spread == 0 else (min(lows) - order.min_quality) / spread
            assert entry["score"]["quality_margin"] == round(margin, 4), (order_id, entry["ref"])
    return checked, fewest


def test_every_sample_shortlist_profile_fits_k_workshops():
    from matcher.sample import load_sample

    cluster, _ = load_sample()
    checked, fewest = sweep(cluster, [o.order_id for o in cluster.orders])
    assert checked >= 50 and fewest >= DEFAULT_K


def test_every_profile_of_a_2000_workshop_cluster_fits_k_workshops():
    from matcher.synthetic import generate_cluster

    cluster, _ = generate_cluster(2000, 8, seed=3)
    checked, fewest = sweep(cluster, [o.order_id for o in cluster.orders], top=3)
    assert checked >= 20 and fewest >= DEFAULT_K
