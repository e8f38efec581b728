"""Each rule of a good group, required, against brute force on small random clusters."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace

import pytest

from matcher.errors import InvalidOptionError
from matcher.model import Cluster, Order, Tie, Workshop
from matcher.optimize import MatchOptions, Rules, order_lot, solve_orders
from tests.optimize.conftest import ROUTING, compositions, make, shop

STEPS = {s.process: s.minutes_per_unit for s in ROUTING["tee"]}  # cutting 1, sewing 2


def random_cluster(seed: int) -> Cluster:
    rng = random.Random(seed)
    shops = []
    for i in range(5):
        processes = rng.choice([("cutting",), ("sewing",), ("cutting", "sewing"), ("cutting", "sewing")])
        products = ("tee", "polo") if rng.random() < 0.6 else ("polo", "tee")
        shops.append(
            Workshop(
                f"W{i}", "T", rng.randint(1, 9), products, processes,
                capacity_minutes_per_week=float(rng.randint(4, 12)), quality=rng.randint(1, 3),
                can_lead=rng.random() < 0.4,
            )
        )  # fmt: skip
    ids = [w.workshop_id for w in shops]
    ties = [Tie(a, b, rng.choice(["kinship", "friendship"]), rng.randint(1, 5))
            for a, b in itertools.combinations(ids, 2) if rng.random() < 0.4]  # fmt: skip
    if rng.random() < 0.5:
        a, b = rng.sample(ids, 2)
        ties.append(Tie(a, b, "conflict"))
    order = Order("O1", "tee", rng.randint(3, 9), 1.0)
    return Cluster(tuple(shops), ties=tuple(ties), orders=(order,), routings=ROUTING)


def _positive(cluster: Cluster) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {w: set() for w in cluster.workshop_ids}
    for t in cluster.ties:
        if t.kind != "conflict":
            out[t.source].add(t.target)
            out[t.target].add(t.source)
    return out


def _hops(adjacent: dict[str, set[str]], start: str, inside: set[str] | None = None) -> dict[str, int]:
    seen, frontier = {start: 0}, [start]
    while frontier:
        nxt = []
        for v in frontier:
            for u in adjacent[v]:
                if u not in seen and (inside is None or u in inside):
                    seen[u] = seen[v] + 1
                    nxt.append(u)
        frontier = nxt
    return seen


def _robust(
    group: list[Workshop], minutes: dict[str, float], per_process: dict[tuple[str, str], float], lot: int
) -> bool:
    """Whoever drops out, the others' spare minutes cover its work; one stepping in takes whole
    lots, so spare minutes count for a process not already made only when they hold a lot."""
    spare = {w.workshop_id: w.capacity_minutes - minutes[w.workshop_id] for w in group}

    def counts(w: Workshop, p: str) -> bool:
        makes = per_process.get((w.workshop_id, p), 0.0) > 0
        return p in w.processes and (makes or spare[w.workshop_id] >= lot * STEPS[p] - 1e-9)

    for m in group:
        others = [w for w in group if w is not m]
        for p in STEPS:
            need = per_process.get((m.workshop_id, p), 0.0)
            if need > sum(spare[w.workshop_id] for w in others if counts(w, p)) + 1e-9:
                return False
        if minutes[m.workshop_id] > sum(spare[w.workshop_id] for w in others) + 1e-9:
            return False
    return True


def _allocations(group: list[Workshop], q: int, share: float | None, robust: bool = False, lot: int = 0):
    """Whether some integer allocation of q units of each process, in lots of at least ``lot``,
    fits: each member works (but one backup when ``robust``), and the group survives any one
    member dropping out."""
    doers = {p: [w for w in group if p in w.processes] for p in STEPS}
    total = q * sum(STEPS.values())

    def whole_lots(units: tuple[int, ...]) -> bool:
        return all(u == 0 or u >= lot for u in units)

    per_process = {
        p: [c for c in compositions(q, len(ws)) if whole_lots(c)] if ws else [] for p, ws in doers.items()
    }
    for combo in itertools.product(*(per_process[p] for p in STEPS)):
        minutes = {w.workshop_id: 0.0 for w in group}
        per_process: dict[tuple[str, str], float] = {}
        for p, units in zip(STEPS, combo, strict=True):
            for w, u in zip(doers[p], units, strict=True):
                minutes[w.workshop_id] += u * STEPS[p]
                per_process[w.workshop_id, p] = u * STEPS[p]
        if sum(m <= 0 for m in minutes.values()) > (1 if robust else 0):
            continue
        if robust and not _robust(group, minutes, per_process, lot):
            continue
        if any(minutes[w.workshop_id] > w.capacity_minutes + 1e-9 for w in group):
            continue
        if share is not None and any(m > share * total + 1e-9 for m in minutes.values()):
            continue
        return True
    return False


def smallest_valid_group(cluster: Cluster, rules: Rules) -> int | None:
    """Fewest members of a group that fills the order and keeps every required rule."""
    order = cluster.orders[0]
    adjacent = _positive(cluster)
    conflicts = {t.pair for t in cluster.ties if t.kind == "conflict"}
    eligible = [
        w for w in cluster.workshops
        if "tee" in w.products and (not rules.required("specialisation") or w.products[0] == "tee")
    ]  # fmt: skip
    for size in range(1, len(eligible) + 1):
        if size < rules.min_group_size or (rules.required("small") and size > rules.small_max):
            continue
        for group in itertools.combinations(eligible, size):
            ids = {w.workshop_id for w in group}
            if any(tuple(sorted(p)) in conflicts for p in itertools.combinations(ids, 2)):
                continue
            if rules.required("cohesion") and set(_hops(adjacent, min(ids), ids)) != ids:
                continue
            if rules.required("leader") and not any(
                w.can_lead
                and all(_hops(adjacent, w.workshop_id).get(v, math.inf) <= rules.leader_hops for v in ids)
                for w in group
            ):
                continue
            if rules.required("homogeneity"):
                workers = [w.workers for w in group]
                quality = [w.quality for w in group]
                if max(workers) > rules.max_worker_ratio * min(workers) or max(quality) - min(quality) > 1:
                    continue
            share = rules.fairness_share if rules.required("fairness") else None
            lot = order_lot(order.quantity, rules)
            if _allocations(list(group), order.quantity, share, rules.required("robustness"), lot):
                return size
    return None


RULE_CASES = {
    "cohesion": ["cohesion=required"],
    "leader": ["leader=required"],
    "leader within 2 steps": ["leader=required", "leader_hops=2"],
    "homogeneity": ["homogeneity=required"],
    "fairness": ["fairness=required", "max_share=0.6"],
    "specialisation": ["specialisation=required"],
    "small": ["small=required", "small_max=2"],
    "minimum size": ["min_group_size=3"],
    "robustness": ["robustness=required"],
}


@pytest.mark.parametrize("min_lot", [None, 0, 2], ids=["default lots", "no lots", "lots of 2"])
@pytest.mark.parametrize("case", list(RULE_CASES))
def test_required_rule_matches_brute_force(case, min_lot):
    # The default lot of these 3-9 tee orders is the whole quantity: each process by one member.
    rules = Rules.parse(RULE_CASES[case]).updated({"min_lot": min_lot})
    for seed in range(16):
        cluster = random_cluster(seed)
        expected = smallest_valid_group(cluster, rules)
        result = solve_orders(cluster, options=MatchOptions(time_limit=20, rules=rules))
        order = result.orders[0]
        assert result.verified and result.status == "optimal", (case, seed)
        if expected is None:
            assert order.status == "unfilled", (case, seed, [m.workshop_id for m in order.group])
        else:
            assert order.status == "filled", (case, seed, expected)
            assert len(order.group) == expected, (case, seed)


def test_per_order_rules_and_priorities():
    cluster = random_cluster(3)
    two = Cluster(
        cluster.workshops, ties=cluster.ties,
        orders=(*cluster.orders, Order("O2", "tee", 3, 1.0)), routings=ROUTING,
    )  # fmt: skip
    options = MatchOptions(time_limit=20, order_rules={"O2": {"cohesion": "required"}}, priorities={"O2": 3})
    assert options.rules_for("O2").required("cohesion") and not options.rules_for("O1").required("cohesion")
    result = solve_orders(two, options=options)
    assert result.verified
    data = result.to_dict()
    assert data["options"]["order_rules"] == {"O2": {"cohesion": "required"}}
    assert data["options"]["rules"]["cohesion"] == "preferred"


def test_contradictions_and_bad_settings_are_refused_before_solving():
    cluster = random_cluster(1)
    capped = Cluster(cluster.workshops, ties=cluster.ties, routings=ROUTING,
                     orders=(Order("O1", "tee", 5, 1.0, max_group_size=2),))  # fmt: skip
    with pytest.raises(InvalidOptionError, match="min_group_size 3 is above its group-size cap of 2"):
        solve_orders(capped, options=MatchOptions(rules=Rules(min_group_size=3)))
    with pytest.raises(InvalidOptionError, match="min_group_size 4 is above small_max 3"):
        Rules(small="required", small_max=3, min_group_size=4)
    with pytest.raises(InvalidOptionError, match="cohesion must be off, preferred, required, got 'always'"):
        Rules(cohesion="always")
    with pytest.raises(InvalidOptionError, match="max_share must be a number in"):
        Rules.parse(["max_share=1.5"])
    with pytest.raises(InvalidOptionError, match="unknown rule or parameter 'speed'"):
        Rules.parse(["speed=high"])
    with pytest.raises(InvalidOptionError, match="order O9: unknown rule or parameter 'colour'"):
        MatchOptions(order_rules={"O9": {"colour": "red"}})
    with pytest.raises(InvalidOptionError, match="order_rules name order O9 that is not matched in this run"):
        solve_orders(cluster, options=MatchOptions(order_rules={"O9": {"cohesion": "required"}}))
    with pytest.raises(InvalidOptionError, match="priority of order O1 must be a number > 0"):
        MatchOptions(priorities={"O1": 0})


def test_no_preferred_rule_leaves_filled_units_only():
    rules = Rules(small="off", leader="off", cohesion="off")
    result = solve_orders(random_cluster(2), options=MatchOptions(time_limit=10, rules=rules))
    assert result.verified and result.phases[-1].status == "skipped"
    assert "no rule is preferred" in " ".join(result.notes)


def _solo_choice(rules: Rules, **per_shop) -> list[str]:
    """Two workshops that can each make the 4 tees (12 min) alone; which one is chosen."""
    shops = [
        Workshop(w, "T", per_shop.get(f"{w}_workers", 2), per_shop.get(f"{w}_products", ("tee",)),
                 per_shop.get(f"{w}_processes", ("cutting", "sewing")), capacity_minutes_per_week=12.0,
                 cost_per_minute=per_shop.get(f"{w}_cost"), can_lead=per_shop.get(f"{w}_lead", False))
        for w in per_shop.get("ids", "AB")
    ]  # fmt: skip
    cluster = Cluster(tuple(shops), orders=(Order("O1", "tee", 4, 1.0),), routings=ROUTING)
    result = solve_orders(cluster, options=MatchOptions(time_limit=10, rules=rules))
    assert result.verified and result.status == "optimal"
    return [m.workshop_id for m in result.orders[0].group]


def test_preferred_rules_by_hand():
    assert _solo_choice(Rules(cost="preferred"), A_cost=0.10, B_cost=0.01) == ["B"]
    assert _solo_choice(Rules(cost="preferred"), A_cost=0.01, B_cost=0.10) == ["A"]
    assert _solo_choice(Rules(specialisation="preferred"), A_products=("polo", "tee")) == ["B"]
    assert _solo_choice(Rules(), B_lead=True) == ["B"]
    # C only cuts; A and B only sew: C and one sewer. Homogeneity picks the sewer of C's size.
    picked = _solo_choice(
        Rules(homogeneity="preferred"), ids="ABC", A_workers=9, B_workers=2, C_workers=2,
        A_processes=("sewing",), B_processes=("sewing",), C_processes=("cutting",),
    )  # fmt: skip
    assert picked == ["B", "C"]
    # Without the small rule, fairness spreads the 12 minutes over both workshops.
    shared = _solo_choice(Rules(small="off", fairness="preferred"))
    assert shared == ["A", "B"]


def _alone_or_pair(**b) -> Cluster:
    """10 tees (30 min, due in a week); A has 15 min a week, B as given (15 by default)."""
    b.setdefault("minutes", 15)
    shops = [shop("A", 15), replace(shop("B", b.pop("minutes")), **b)]
    return make(shops, [Order("O1", "tee", 10, 1.0)])


KIN = (Tie("A", "B", "kinship", 5),)
#: For each required rule: an instance it leaves unfilled, its settings and the reason given.
UNFILLED = {
    "small": (replace(_alone_or_pair(), ties=KIN), ["small=required", "small_max=1"],
              "With at most 1 workshop, at most 7 units of sewing can be made by week 1"),
    "leader": (replace(_alone_or_pair(), ties=KIN), ["leader=required"], "keeps what is required: leader."),
    "cohesion": (_alone_or_pair(), ["cohesion=required"], "keeps what is required: cohesion."),
    # A does all 30 min of 30 or shares with B (5 min): if A drops out, B cannot cover it.
    "robustness": (make([shop("A", 30), shop("B", 5)], [Order("O1", "tee", 10, 1.0)]),
                   ["robustness=required"], "keeps what is required: robustness."),
    "specialisation": (_alone_or_pair(products=("polo", "tee")), ["specialisation=required"],
                       "sewing needs 20 min by week 1; 1 eligible workshop does it, with 15 min"),
    "homogeneity": (_alone_or_pair(workers=9), ["homogeneity=required"],
                    "keeps what is required: homogeneity."),
    # B has 5 of the 30 min: A would give at least 25 (83%), above 60%.
    "fairness": (make([shop("A", 30), shop("B", 5)], [Order("O1", "tee", 10, 1.0)]), ["fairness=required"],
                 "keeps what is required: fairness."),
}  # fmt: skip


@pytest.mark.parametrize("rule", list(UNFILLED))
def test_required_rule_that_leaves_an_order_unfilled_is_explained(rule):
    cluster, settings, reason = UNFILLED[rule]
    # Lots off: the groups these rules refuse share 10 tees in smaller parts.
    options = MatchOptions(time_limit=10, rules=Rules.parse([*settings, "min_lot=0"]))
    result = solve_orders(cluster, options=options)
    order = result.orders[0]
    assert result.verified and order.status == "unfilled", rule
    assert reason in order.reasons[0]
    assert ("rule", rule, f"{rule} preferred instead of required") in {
        (c.kind, c.value, c.text) for c in order.changes
    }
    assert f"{rule} preferred instead of required" in order.reasons[-1]
    # The same order with the rule preferred is filled.
    relaxed = replace(options, rules=options.rules.updated({rule: "preferred"}))
    assert solve_orders(cluster, options=relaxed).orders[0].status == "filled", rule


def test_specialisation_required_with_nobody_specialised_says_so():
    cluster = make([replace(shop("A", 30), products=("polo", "tee"))], [Order("O1", "tee", 10, 1.0)])
    options = MatchOptions(time_limit=10, rules=Rules(specialisation="required"))
    order = solve_orders(cluster, options=options).orders[0]
    assert order.reasons[0] == (
        "Of the 1 workshop that makes tee, none can take it: "
        "1 mainly making something else (specialisation is required)."
    )
    assert [c.text for c in order.changes] == ["specialisation preferred instead of required"]
