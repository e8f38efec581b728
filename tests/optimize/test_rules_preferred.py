"""Each rule of a good group, preferred, against brute force or a hand-checked answer.

The brute force enumerates every group of at most five workshops and every
integer allocation of the order's units to its members (in lots of at least
the order's lot); with ``small
preferred (it always is here) the solver must return a group of the fewest
members, and among those the best for the rule under test.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import replace

import pytest

from matcher.model import Cluster, Order, Tie, Workshop
from matcher.optimize import MatchOptions, Rules, order_lot, solve_orders, verify_result
from matcher.optimize._model import build_model
from matcher.optimize._problem import MatchProblem
from tests.optimize.conftest import ROUTING, compositions, make, shop

STEPS = {s.process: s.minutes_per_unit for s in ROUTING["tee"]}  # cutting 1, sewing 2
#: Only ``small`` and the rule under test are preferred.
BARE = Rules(leader="off", cohesion="off")


def random_cluster(seed: int) -> Cluster:
    """Five workshops, costs, ties and maybe a conflict; one order of 2-6 tees due in a week."""
    rng = random.Random(seed)
    shops = [
        Workshop(
            f"W{i}", "T", rng.randint(1, 9), ("tee",) if rng.random() < 0.7 else ("polo", "tee"),
            rng.choice([("cutting",), ("sewing",), ("cutting", "sewing"), ("cutting", "sewing")]),
            capacity_minutes_per_week=float(rng.randint(5, 14)), quality=rng.randint(1, 4),
            can_lead=rng.random() < 0.3, cost_per_minute=rng.choice([0.01, 0.02, 0.03, 0.05]),
        )
        for i in range(5)
    ]  # fmt: skip
    ids = [w.workshop_id for w in shops]
    ties = [Tie(a, b, rng.choice(["kinship", "friendship"]), rng.randint(1, 5))
            for a, b in itertools.combinations(ids, 2) if rng.random() < 0.4]  # fmt: skip
    if rng.random() < 0.5:
        ties.append(Tie(*rng.sample(ids, 2), "conflict"))
    return Cluster(tuple(shops), ties=tuple(ties), orders=(Order("O1", "tee", rng.randint(2, 6), 1.0),),
                   routings=ROUTING)  # fmt: skip


def allocations(group: tuple[Workshop, ...], q: int, lot: int = 0) -> Iterator[dict[str, float]]:
    """Each member's minutes, for every integer allocation of q units of each process, in lots of
    at least ``lot``, that fits."""
    doers = {p: [w for w in group if p in w.processes] for p in STEPS}
    if not all(doers.values()):
        return
    splits = {
        p: [c for c in compositions(q, len(doers[p])) if all(u == 0 or u >= lot for u in c)] for p in STEPS
    }
    for combo in itertools.product(*(splits[p] for p in STEPS)):
        minutes = {w.workshop_id: 0.0 for w in group}
        for p, units in zip(STEPS, combo, strict=True):
            for w, u in zip(doers[p], units, strict=True):
                minutes[w.workshop_id] += u * STEPS[p]
        if all(0 < minutes[w.workshop_id] <= w.capacity_minutes + 1e-9 for w in group):
            yield minutes


def smallest_groups(
    cluster: Cluster, lot: int = 0
) -> list[tuple[tuple[Workshop, ...], list[dict[str, float]]]]:
    """Every group of the fewest members that can fill the order, with all its allocations."""
    q = cluster.orders[0].quantity
    conflicts = {t.pair for t in cluster.ties if t.kind == "conflict"}
    for size in range(1, len(cluster.workshops) + 1):
        found = []
        for group in itertools.combinations(cluster.workshops, size):
            ids = [w.workshop_id for w in group]
            if any(p in conflicts for p in itertools.combinations(ids, 2)):
                continue
            ways = list(allocations(group, q, lot))
            if ways:
                found.append((group, ways))
        if found:
            return found
    return []


def solve(cluster: Cluster, rules: Rules):
    result = solve_orders(cluster, options=MatchOptions(time_limit=10, rules=rules, explain_seconds=0))
    assert result.verified and result.status == "optimal"
    order = result.orders[0]
    return result, order, tuple(cluster.workshop(m.workshop_id) for m in order.group)


def tie_weight(cluster: Cluster, group: tuple[Workshop, ...]) -> float:
    ids = {w.workshop_id for w in group}
    strongest: dict[tuple[str, str], dict[str, int]] = {}
    for t in cluster.ties:
        if t.kind != "conflict" and t.source in ids and t.target in ids:
            kinds = strongest.setdefault(t.pair, {})
            kinds[t.kind] = max(kinds.get(t.kind, 0), t.strength)
    return sum(sum(k.values()) / 5 for k in strongest.values())


def spread(group: tuple[Workshop, ...]) -> float:
    workers = [w.workers for w in group]
    quality = [w.quality for w in group]
    return 0.5 * math.log2(max(workers) / min(workers)) + 0.5 * (max(quality) - min(quality))


def specialised(group: tuple[Workshop, ...]) -> int:
    return sum(w.products[0] == "tee" for w in group)


def fairness_value(group: tuple[Workshop, ...], minutes: dict[str, float]) -> float:
    """Largest share of the order's minutes plus largest utilisation (one order, due in a week)."""
    total = sum(minutes.values())
    load = max(minutes[w.workshop_id] / w.capacity_minutes for w in group)
    return max(minutes.values()) / total + load


def cost_of(group: tuple[Workshop, ...], minutes: dict[str, float]) -> float:
    return sum(w.cost_per_minute * minutes[w.workshop_id] for w in group)


SEEDS = range(12)


@pytest.mark.parametrize("min_lot", [None, 0, 2], ids=["default lots", "no lots", "lots of 2"])
@pytest.mark.parametrize(
    "rule", ["small", "leader", "cohesion", "specialisation", "homogeneity", "fairness", "cost"]
)
def test_preferred_rule_matches_brute_force(rule, min_lot):
    # The default lot of these 2-6 tee orders is the whole quantity: each process by one member.
    rules = (BARE if rule == "small" else BARE.updated({rule: "preferred"})).updated({"min_lot": min_lot})
    for seed in SEEDS:
        cluster = random_cluster(seed)
        best = smallest_groups(cluster, order_lot(cluster.orders[0].quantity, rules))
        result, order, group = solve(cluster, rules)
        if not best:
            assert order.status == "unfilled", (rule, seed)
            continue
        assert order.status == "filled" and len(group) == len(best[0][0]), (rule, seed)
        minutes = {m.workshop_id: m.minutes for m in order.group}
        if rule == "leader":
            assert (order.leader_id is not None) == any(any(w.can_lead for w in g) for g, _ in best), seed
        elif rule == "cohesion":
            assert tie_weight(cluster, group) == pytest.approx(max(tie_weight(cluster, g) for g, _ in best))
        elif rule == "specialisation":
            assert specialised(group) == max(specialised(g) for g, _ in best), seed
        elif rule == "homogeneity":
            assert spread(group) == pytest.approx(min(spread(g) for g, _ in best)), seed
        elif rule == "fairness":
            assert result.largest_utilisation == pytest.approx(
                max(minutes[w.workshop_id] / w.capacity_minutes for w in group)
            )
            expected = min(fairness_value(g, m) for g, ways in best for m in ways)
            assert fairness_value(group, minutes) == pytest.approx(expected), seed
        elif rule == "cost":
            expected = min(cost_of(g, m) for g, ways in best for m in ways)
            assert cost_of(group, minutes) == pytest.approx(expected), seed


def _pick(rules: Rules, shops: list[Workshop], ties=(), quantity: int = 10) -> list[str]:
    """The group chosen, lots off: these hand-checked groups share a few tees in smaller parts."""
    _, order, group = solve(make(shops, [Order("O1", "tee", quantity, 1.0)], ties), replace(rules, min_lot=0))
    assert order.status == "filled"
    return [w.workshop_id for w in group]


def test_preferred_small_leader_and_cohesion_by_hand():
    # 10 tees = 30 min. A alone can, B and C (tied, C can lead) only together.
    shops = [shop("A", 30), shop("B", 15), shop("C", 15, can_lead=True)]
    kin = [Tie("B", "C", "kinship", 5)]
    assert _pick(Rules(), shops, kin) == ["A"]  # one member costs more than a tie and a leader
    assert _pick(Rules(leader="off", cohesion="off"), shops, kin) == ["A"]
    # Without small, the tied pair is in the group, led by C.
    _, order, group = solve(make(shops, [Order("O1", "tee", 10, 1.0)], kin), Rules(small="off", min_lot=0))
    assert {"B", "C"} <= {w.workshop_id for w in group} and order.leader_id == "C"
    # Among equal sizes, the group with a leader, then the most tie weight.
    even = [shop("A", 15), shop("B", 15), shop("C", 15, can_lead=True)]
    assert "C" in _pick(Rules(cohesion="off"), even)
    ties = [Tie("A", "B", "kinship", 5), Tie("B", "C", "friendship", 1)]
    assert _pick(Rules(leader="off"), even, ties) == ["A", "B"]


def test_preferred_specialisation_never_adds_a_member():
    # A mainly makes polos but fills alone; B and C mainly make tees but need each other.
    shops = [replace(shop("A", 30), products=("polo", "tee")), shop("B", 15), shop("C", 15)]
    assert _pick(Rules(specialisation="preferred"), shops) == ["A"]
    assert _pick(Rules(small="off", specialisation="preferred", leader="off", cohesion="off"), shops) == [
        "B",
        "C",
    ]


def test_preferred_homogeneity_smallest_worker_ratio_among_equal_sizes():
    # Any two of the four fill the order; the pair with the closest sizes is B and C (3 and 4 workers).
    sizes = {"A": 1, "B": 3, "C": 4, "D": 9}
    shops = [replace(shop(w, 15), workers=n) for w, n in sizes.items()]
    assert _pick(BARE.updated({"homogeneity": "preferred"}), shops) == ["B", "C"]
    # Quality counts too: C's quality 4 against B's 1 outweighs the worker ratio of A and B (log2 3).
    shops = [replace(s, quality=4 if s.workshop_id == "C" else 1) for s in shops]
    assert _pick(BARE.updated({"homogeneity": "preferred"}), shops) == ["A", "B"]


def test_preferred_robustness_worth_one_member():
    # A and B can each fill the order alone; together, whoever drops out the other covers it.
    shops = [shop("A", 30), shop("B", 30)]
    kin = [Tie("A", "B", "kinship", 5)]
    assert len(_pick(Rules(), shops, kin)) == 1
    options = MatchOptions(time_limit=10, rules=Rules(robustness="preferred"), explain_seconds=0)
    cluster = make(shops, [Order("O1", "tee", 10, 1.0)], kin)
    result = solve_orders(cluster, options=options)
    assert [m.workshop_id for m in result.orders[0].group] == ["A", "B"]
    # The verifier, asked to hold robustness as required, finds the group robust.
    strict = replace(result, options=replace(options, rules=Rules(robustness="required")))
    assert verify_result(cluster, strict) == []


def test_preferred_cost_cheapest_group_of_the_fewest():
    shops = [shop("A", 30, cost_per_minute=0.05), shop("B", 30, cost_per_minute=0.02),
             shop("C", 15, cost_per_minute=0.01), shop("D", 15, cost_per_minute=0.01)]  # fmt: skip
    assert _pick(Rules(cost="preferred"), shops) == ["B"]  # C and D are cheaper but two members
    assert _pick(Rules(small="off", cost="preferred"), shops) == ["C", "D"]


# Fairness across the cluster: the largest utilisation of any workshop.


def _two_orders(costs: tuple[float, float, float]) -> Cluster:
    """Three workshops with 30 min a week; two orders of 4 tees (12 min each) due in a week."""
    shops = [shop(w, 30, cost_per_minute=c) for w, c in zip("ABC", costs, strict=True)]
    return make(shops, [Order("O1", "tee", 4, 1.0), Order("O2", "tee", 4, 1.0)])


def _groups(result) -> list[list[str]]:
    return [[m.workshop_id for m in o.group] for o in result.orders]


def test_fairness_spreads_orders_over_the_cluster():
    cheap_a = _two_orders((0.01, 0.02, 0.02))
    options = MatchOptions(time_limit=10, rules=Rules(cost="preferred"))
    # Without fairness the cheapest workshop takes both orders: 24 of its 30 min.
    result = solve_orders(cheap_a, options=options)
    assert _groups(result) == [["A"], ["A"]]
    assert result.largest_utilisation == pytest.approx(0.8)
    assert result.to_dict()["largest_utilisation"] == pytest.approx(0.8)
    # With fairness each order goes to a different workshop: 12 of 30 min at most.
    fair = solve_orders(cheap_a, options=replace(options, rules=Rules(fairness="preferred")))
    first, second = _groups(fair)
    assert len(first) == len(second) == 1 and first != second
    assert fair.largest_utilisation == pytest.approx(0.4)
    # Fairness and cost: a slightly dearer second workshop is worth the lower load (0.4 less for 5% more).
    both = solve_orders(
        _two_orders((0.01, 0.0105, 0.0105)),
        options=replace(options, rules=Rules(fairness="preferred", cost="preferred")),
    )
    first, second = _groups(both)
    assert "A" in first + second and first != second
    assert both.largest_utilisation == pytest.approx(0.4)


def test_utilisation_is_counted_by_each_due_date():
    # A alone: 8 tees (24 min) due in week 1 and 4 tees (12 min) due in week 2, 30 min a week.
    # By week 1 it gives 24 of 30 min, by week 2 36 of 60: its utilisation is 0.8, not 0.6.
    cluster = make([shop("A", 30)], [Order("O1", "tee", 8, 1.0), Order("O2", "tee", 4, 2.0)])
    result = solve_orders(cluster, options=MatchOptions(time_limit=10, rules=Rules(fairness="preferred")))
    assert _groups(result) == [["A"], ["A"]]
    assert result.largest_utilisation == pytest.approx(0.8)
    unfair = solve_orders(cluster, options=MatchOptions(time_limit=10))
    assert unfair.largest_utilisation == pytest.approx(0.8)


def test_load_never_adds_a_member_under_small():
    # Two workshops that can each fill the order alone: splitting it would halve the load,
    # but a member costs more than fairness can gain.
    cluster = make([shop("A", 12), shop("B", 12)], [Order("O1", "tee", 4, 1.0)])
    for level in ("preferred", "required"):
        rules = Rules(fairness=level, fairness_share=1.0)
        result = solve_orders(cluster, options=MatchOptions(time_limit=10, rules=rules))
        assert len(result.orders[0].group) == 1 and result.largest_utilisation == pytest.approx(1.0)


def test_load_constraints_only_for_workshops_of_orders_that_want_fairness():
    # D works only in territory U, where only O2 (fairness off) may go.
    shops = [shop("A", 30), shop("B", 30), shop("D", 30, territory="U")]
    orders = (Order("O1", "tee", 4, 1.0, territories=("T",)), Order("O2", "tee", 4, 2.0))
    cluster = make(shops, orders)

    def loads(options: MatchOptions) -> list[str]:
        model = build_model(MatchProblem.build(cluster, orders, options))
        return sorted(c.name for c in model.prob.constraints() if c.name.startswith("max_load_"))

    wanted = MatchOptions(order_rules={"O1": {"fairness": "preferred"}})
    assert loads(wanted) == [
        "max_load_A_by_week_1", "max_load_A_by_week_2", "max_load_B_by_week_1", "max_load_B_by_week_2",
    ]  # fmt: skip
    assert loads(MatchOptions()) == []
