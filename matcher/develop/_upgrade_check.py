"""Checking by solving: does a set of interventions let an order be filled?

The orders the baseline run filled keep their groups; an order it left unfilled
is solved again alone (:func:`matcher.optimize.solve_orders`) on the minutes those
groups leave free by its due date, in the cluster as the interventions leave it.
A check says yes only when the solver's groups fill the order in full.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace

from matcher.develop.interventions import Intervention, apply_interventions
from matcher.model import Cluster, Order, Workshop
from matcher.optimize import MatchOptions, MatchResult, Rules, solve_orders
from matcher.optimize.rules import RULES

#: Seconds one check may take at most.
CHECK_SECONDS = 5.0


def units_only(options: MatchOptions) -> MatchOptions:
    """The options with every *preferred* rule switched off: a plan counts units, and the
    preferences (smaller, more cohesive groups) only slow the solver down. Required rules stay."""

    def off(level: object) -> object:
        return "off" if level == "preferred" else level

    rules = replace(options.rules, **{r: off(getattr(options.rules, r)) for r in RULES})
    order_rules = {o: {k: off(v) for k, v in c.items()} for o, c in options.order_rules.items()}
    assert isinstance(rules, Rules)
    return replace(options, rules=rules, order_rules=order_rules, explain_seconds=0.0)


def uses_of(result: MatchResult) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """Per order, the minutes each member gives it: order -> workshop -> [(due, minutes)]."""
    out: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(dict)
    for o in result.orders:
        for m in o.group:
            if m.minutes:
                out[o.order_id][m.workshop_id] = [(o.due_weeks, m.minutes)]
    return out


def free_by(workshop: Workshop, uses: list[tuple[float, float]], due: float) -> float:
    """Minutes a workshop can still give an order due at ``due`` once ``uses`` are kept.

    Its minutes by every later due date must still cover what is promised by then.
    """
    weekly = workshop.available_minutes_per_week
    horizons = sorted({d for d, _ in uses if d >= due} | {due})
    return max(0.0, min(weekly * h - sum(m for d, m in uses if d <= h) for h in horizons))


@dataclass
class Checker:
    """Solves one order at a time against the baseline's kept groups, counting its solves."""

    cluster: Cluster
    baseline: MatchResult
    options: MatchOptions
    deadline: float
    solves: int = 0

    def __post_init__(self) -> None:
        self._uses = uses_of(self.baseline)

    def kept_uses(self, order_id: str) -> dict[str, list[tuple[float, float]]]:
        """Per workshop, the minutes the baseline's other groups keep (every order but ``order_id``)."""
        kept: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for other, members in self._uses.items():
            if other != order_id:
                for w, given in members.items():
                    kept[w].extend(given)
        return kept

    def free(self, cluster: Cluster, order: Order) -> dict[str, float]:
        """Each workshop's free minutes by the order's due date in ``cluster``, the other groups kept."""
        kept = self.kept_uses(order.order_id)
        return {
            w.workshop_id: free_by(w, kept.get(w.workshop_id, []), order.due_weeks) for w in cluster.workshops
        }

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def fills(self, order: Order, interventions: tuple[Intervention, ...]) -> bool:
        """True when, with ``interventions``, the order is filled in full by solving; False otherwise
        (also when the time left is too short to know)."""
        seconds = min(CHECK_SECONDS, self.left())
        if seconds <= 0.2:
            return False
        changed = apply_interventions(self.cluster, interventions)
        free = self.free(changed, order)
        workshops = tuple(
            replace(
                w,
                capacity_minutes_per_week=free[w.workshop_id] / order.due_weeks,
                committed_minutes_per_week=0.0,
            )
            for w in changed.workshops
        )
        alone = Cluster(workshops, ties=changed.ties, orders=(order,), routings=changed.routings)
        rules = {k: v for k, v in self.options.order_rules.items() if k == order.order_id}
        options = replace(
            self.options,
            allow_partial=False,
            priorities={},
            order_rules=rules,
            time_limit=seconds,
            method="full",
        )
        self.solves += 1
        result = solve_orders(alone, options=options)
        return result.orders[0].filled_units >= order.quantity
