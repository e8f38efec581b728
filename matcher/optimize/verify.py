"""An independent check of every hard rule on a proposed set of groups.

Written apart from the model on purpose: it reads the cluster and the result
only, so a mistake in the model cannot hide in its own check.
"""

from __future__ import annotations

from collections import defaultdict

from matcher.model import CONFLICT, Cluster, Order
from matcher.optimize.result import MatchResult
from matcher.optimize.rules import Rules, order_lot

__all__ = ["rule_violations", "verify_result"]

_TOLERANCE = 1e-6


def _tied(cluster: Cluster) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for t in cluster.ties:
        if t.kind != CONFLICT and t.source != t.target:
            out[t.source].add(t.target)
            out[t.target].add(t.source)
    return out


def _steps_from(
    tied: dict[str, set[str]], start: str, limit: int, within: set[str] | None = None
) -> dict[str, int]:
    """Breadth-first steps from ``start`` over positive ties (only through ``within`` when given)."""
    seen = {start: 0}
    frontier = [start]
    while frontier and seen[frontier[0]] < limit:
        nxt = []
        for v in frontier:
            for u in sorted(tied.get(v, ())):
                if u not in seen and (within is None or u in within):
                    seen[u] = seen[v] + 1
                    nxt.append(u)
        frontier = nxt
    return seen


def rule_violations(
    cluster: Cluster,
    order: Order,
    rules: Rules,
    minutes: dict[str, float],
    leader: str | None,
    tied: dict[str, set[str]] | None = None,
) -> list[str]:
    """The required rules a group breaks; ``minutes`` maps each member to its minutes.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, Workshop
    >>> ws = tuple(Workshop(w, "T", 2, ("tshirt",), ("sewing",)) for w in "AB")
    >>> rule_violations(Cluster(ws), Order("O1", "tshirt", 10, 1.0), Rules(cohesion="required"),
    ...                 {"A": 30.0, "B": 30.0}, None)
    ['order O1: cohesion required but the group is in 2 parts not joined by positive ties']
    """
    where = f"order {order.order_id}"
    ids = sorted(minutes)
    if not ids:
        return []
    tied = tied if tied is not None else _tied(cluster)
    problems = []
    if len(ids) < rules.min_group_size:
        problems.append(f"{where}: {len(ids)} members, below the minimum of {rules.min_group_size}")
    if rules.required("small") and len(ids) > rules.small_max:
        problems.append(f"{where}: small required but {len(ids)} members exceed {rules.small_max}")
    if rules.required("cohesion"):
        inside = set(ids)
        parts, left = 0, set(ids)
        while left:
            parts += 1
            left -= set(_steps_from(tied, min(left), len(ids), inside))
        if parts > 1:
            problems.append(
                f"{where}: cohesion required but the group is in {parts} parts not joined by positive ties"
            )
    if rules.required("leader"):
        if leader is None or leader not in minutes:
            problems.append(f"{where}: leader required but the group has none")
        else:
            if not cluster.workshop(leader).can_lead:
                problems.append(f"{where}: leader {leader} has not said it can lead")
            near = _steps_from(tied, leader, rules.leader_hops)
            far = [w for w in ids if w not in near]
            if far:
                problems.append(
                    f"{where}: {', '.join(far)} more than {rules.leader_hops} positive-tie "
                    f"step(s) from leader {leader}"
                )
    workshops = [cluster.workshop(w) for w in ids]
    if rules.required("specialisation"):
        off = [w.workshop_id for w in workshops if w.products[0] != order.product]
        if off:
            problems.append(
                f"{where}: specialisation required but {', '.join(off)} mainly make something else"
            )
    if rules.required("homogeneity"):
        most, least = max(w.workers for w in workshops), min(w.workers for w in workshops)
        if most > least * rules.max_worker_ratio + 1e-9:
            problems.append(
                f"{where}: workers from {least} to {most}, beyond a ratio of {rules.max_worker_ratio:g}"
            )
        spread = max(w.quality for w in workshops) - min(w.quality for w in workshops)
        if spread > rules.max_quality_spread:
            problems.append(f"{where}: quality spread {spread} above {rules.max_quality_spread}")
    if rules.required("fairness"):
        total = sum(minutes.values())
        for w in ids:
            if minutes[w] > rules.fairness_share * total * (1 + _TOLERANCE) + _TOLERANCE:
                problems.append(
                    f"{where}: {w} gives {minutes[w] / total:.0%} of the minutes, "
                    f"above {rules.fairness_share:.0%}"
                )
    return problems


def _robustness(
    cluster: Cluster, result: MatchResult, promised: dict[str, list[tuple[float, float]]]
) -> list[str]:
    """Groups under required robustness: whoever drops out, the others' spare minutes cover it."""
    problems = []
    known = set(cluster.workshop_ids)
    dues = sorted({cluster.order(r.order_id).due_weeks for r in result.orders})
    for res in result.orders:
        order = cluster.order(res.order_id)
        rules = result.options.rules_for(order.order_id)
        if not res.group or not rules.required("robustness"):
            continue
        if any(m.workshop_id not in known for m in res.group):
            continue  # an unknown member is a problem of its own (verify_result)
        due = order.due_weeks
        lot = order_lot(order.quantity, rules)
        per_unit = {s.process: s.minutes_per_unit for s in cluster.routing_of(order)}
        makes = {(m.workshop_id, a.process) for m in res.group for a in m.allocations if a.units > 0}
        spare = {}
        for m in res.group:
            weekly = cluster.workshop(m.workshop_id).available_minutes_per_week
            uses = promised.get(m.workshop_id, [])
            spare[m.workshop_id] = min(
                weekly * horizon - sum(minutes for d, minutes in uses if d <= horizon)
                for horizon in [d for d in dues if d >= due]
            )
        steps = {s.process for s in cluster.routing_of(order)}
        for m in res.group:
            others = [o for o in res.group if o.workshop_id != m.workshop_id]
            for alloc in m.allocations:
                # One that steps in takes whole lots: spare minutes count for a process
                # it does not already make only when they hold a lot of it.
                least = lot * per_unit.get(alloc.process, 0.0) if lot > 1 else 0.0
                cover = sum(
                    max(0.0, spare[o.workshop_id])
                    for o in others
                    if alloc.process in cluster.workshop(o.workshop_id).processes
                    and (
                        (o.workshop_id, alloc.process) in makes
                        or spare[o.workshop_id] >= least * (1 - _TOLERANCE)
                    )
                )
                if alloc.minutes > cover + _TOLERANCE * max(1.0, cover):
                    problems.append(
                        f"order {order.order_id}: if {m.workshop_id} drops out, its "
                        f"{alloc.minutes:,.0f} min of {alloc.process} exceed the others' "
                        f"{cover:,.0f} spare min"
                    )
            cover = sum(
                max(0.0, spare[o.workshop_id])
                for o in others
                if steps & set(cluster.workshop(o.workshop_id).processes)
            )
            if m.minutes > cover + _TOLERANCE * max(1.0, cover):
                problems.append(
                    f"order {order.order_id}: if {m.workshop_id} drops out, its {m.minutes:,.0f} min exceed "
                    f"the others' {cover:,.0f} spare min"
                )
    return problems


def verify_result(cluster: Cluster, result: MatchResult) -> list[str]:
    """Every hard rule the result breaks, in words; an empty list when valid.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> from matcher.optimize import greedy_match
    >>> ws = (Workshop("A", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600),)
    >>> c = Cluster(ws, orders=(Order("O1", "tshirt", 100, 1.0),),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> verify_result(c, greedy_match(c))
    []
    """
    problems: list[str] = []
    conflicts = {tuple(sorted((t.source, t.target))) for t in cluster.ties if t.kind == CONFLICT}
    known = set(cluster.workshop_ids)
    promised: dict[str, list[tuple[float, float]]] = defaultdict(list)  # w -> (due, minutes)
    tied = _tied(cluster)

    for res in result.orders:
        order = cluster.order(res.order_id)
        where = f"order {order.order_id}"
        steps = {s.process: s.minutes_per_unit for s in cluster.routing_of(order)}
        if res.quantity != order.quantity:
            problems.append(f"{where}: quantity {res.quantity} differs from the order's {order.quantity}")
        if res.status == "filled" and res.filled_units != order.quantity:
            problems.append(f"{where}: marked filled with {res.filled_units} of {order.quantity} units")
        if res.status == "unfilled" and (res.filled_units or res.group):
            problems.append(f"{where}: marked unfilled but has units or members")
        if res.status == "partial":
            if not result.options.allow_partial:
                problems.append(f"{where}: partial fill without allow_partial")
            if not 0 < res.filled_units < order.quantity:
                problems.append(f"{where}: partial with {res.filled_units} of {order.quantity} units")
        if res.status not in {"filled", "partial", "unfilled"}:
            problems.append(f"{where}: unknown status {res.status!r}")
        cap = order.max_group_size if order.max_group_size is not None else result.options.max_group_size
        if res.group and result.options.rules_for(order.order_id).required("small"):
            small = result.options.rules_for(order.order_id).small_max
            cap = small if cap is None else min(cap, small)
        if cap is not None and len(res.group) > cap:
            problems.append(f"{where}: {len(res.group)} members exceed the cap of {cap}")
        ids = [m.workshop_id for m in res.group]
        if len(set(ids)) != len(ids):
            problems.append(f"{where}: a workshop appears twice in the group")
        rules = result.options.rules_for(order.order_id)
        lot = order_lot(order.quantity, rules)
        if sum(m.backup for m in res.group) > 1:
            problems.append(f"{where}: more than one backup")
        leaders = [m for m in res.group if m.leader]
        if len(leaders) > 1:
            problems.append(f"{where}: {len(leaders)} leaders")
        for a in ids:
            for b in ids:
                if a < b and (a, b) in conflicts:
                    problems.append(f"{where}: {a} and {b} are in conflict but in one group")
        totals = dict.fromkeys(steps, 0)
        for member in res.group:
            w = member.workshop_id
            if w not in known:
                problems.append(f"{where}: unknown workshop {w}")
                continue
            workshop = cluster.workshop(w)
            if order.product not in workshop.products:
                problems.append(f"{where}: {w} does not make {order.product}")
            if workshop.quality < order.min_quality:
                problems.append(f"{where}: {w} has quality {workshop.quality} < {order.min_quality}")
            if order.require_formal and not workshop.formal:
                problems.append(f"{where}: {w} is not formal")
            if order.territories and workshop.territory not in order.territories:
                problems.append(f"{where}: {w} is in {workshop.territory}, not an allowed territory")
            if member.leader and not workshop.can_lead:
                problems.append(f"{where}: leader {w} has not said it can lead")
            if member.backup:
                if not rules.wanted("robustness"):
                    problems.append(f"{where}: backup {w} without the robustness rule")
                if member.allocations:
                    problems.append(f"{where}: backup {w} has work")
            elif sum(a.units for a in member.allocations) <= 0:
                problems.append(f"{where}: member {w} has no work")
            for alloc in member.allocations:
                if alloc.process not in steps:
                    problems.append(f"{where}: {w} given {alloc.process}, not in the routing")
                    continue
                if alloc.process not in workshop.processes:
                    problems.append(f"{where}: {w} does not do {alloc.process}")
                if alloc.units < 0 or int(alloc.units) != alloc.units:
                    problems.append(f"{where}: {w} given {alloc.units} units of {alloc.process}")
                elif 0 < alloc.units < lot:
                    problems.append(
                        f"{where}: {w} given {alloc.units:,} units of {alloc.process}, "
                        f"below the lot of {lot:,}"
                    )
                expected = alloc.units * steps[alloc.process]
                if abs(alloc.minutes - expected) > _TOLERANCE * max(1.0, expected):
                    problems.append(f"{where}: {w} {alloc.process} minutes {alloc.minutes} != {expected}")
                totals[alloc.process] += alloc.units
                promised[w].append((order.due_weeks, expected))
        if res.group and all(m.workshop_id in known for m in res.group):  # else reported above
            problems.extend(
                rule_violations(
                    cluster,
                    order,
                    result.options.rules_for(order.order_id),
                    {m.workshop_id: m.minutes for m in res.group},
                    res.leader_id,
                    tied,
                )
            )
        if res.group or res.filled_units:
            for process, units in totals.items():
                if units != res.filled_units:
                    problems.append(f"{where}: {process} covers {units} units, not {res.filled_units}")

    problems.extend(_robustness(cluster, result, promised))
    for w, uses in sorted(promised.items()):
        weekly = cluster.workshop(w).available_minutes_per_week
        for horizon in sorted({d for d, _ in uses}):
            used = sum(m for d, m in uses if d <= horizon)
            if used > weekly * horizon * (1 + _TOLERANCE) + _TOLERANCE:
                problems.append(
                    f"{w}: {used:,.0f} min promised by week {horizon:g} exceed the "
                    f"{weekly * horizon:,.0f} it has free"
                )
    return problems
