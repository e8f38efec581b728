"""The capacity ledger: minutes each workshop has promised, by due date.

A workshop's minutes are time-phased: what it promises to an order due in
two weeks uses its first two weeks, and an order due later can still take
what is left of the weeks before its own due date. The greedy baseline and
the decomposition place groups one order after another against one ledger.

Examples
--------
>>> from matcher.model import Cluster, Order, RoutingStep, Workshop
>>> from matcher.optimize._problem import MatchProblem
>>> from matcher.optimize.options import MatchOptions
>>> ws = (Workshop("A", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=600),)
>>> c = Cluster(ws, orders=(Order("O1", "tshirt", 50, 1.0), Order("O2", "tshirt", 50, 2.0)),
...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
>>> problem = MatchProblem.build(c, c.orders, MatchOptions())
>>> ledger = Ledger(problem)
>>> ledger.free("A", 2.0)  # two weeks of 600 minutes
1200.0
>>> ledger.commit({"A": {"sewing": 50}}, problem.specs[0])  # 300 minutes in week one
>>> ledger.free("A", 1.0), ledger.free("A", 2.0)
(300.0, 900.0)
"""

from __future__ import annotations

from collections import defaultdict

from matcher.optimize._problem import MatchProblem, OrderSpec

__all__ = ["Ledger"]


class Ledger:
    """Minutes each workshop has promised, by due date."""

    def __init__(self, problem: MatchProblem) -> None:
        self.problem = problem
        self.used: dict[str, dict[float, float]] = defaultdict(lambda: defaultdict(float))

    def free(self, workshop_id: str, due: float, extra: dict[float, float] | None = None) -> float:
        """Minutes ``workshop_id`` can still give to an order due at ``due``."""
        weekly = self.problem.workshop(workshop_id).available_minutes_per_week
        promised_any = self.used.get(workshop_id)
        if not promised_any and not any((extra or {}).values()):
            return weekly * due  # nothing promised: the order's own due date is the tightest
        used = dict(promised_any or {})
        for d, m in (extra or {}).items():
            used[d] = used.get(d, 0.0) + m
        dues = sorted(set(self.problem.due_dates) | set(used) | {due})
        room = float("inf")
        for horizon in dues:
            if horizon >= due:
                promised = sum(m for d, m in used.items() if d <= horizon)
                room = min(room, weekly * horizon - promised)
        return max(0.0, room)

    def commit(self, solution_for_order: dict[str, dict[str, int]], spec: OrderSpec) -> None:
        minutes = {s.process: s.minutes_per_unit for s in spec.steps}
        for w, units in solution_for_order.items():
            self.used[w][spec.order.due_weeks] += sum(minutes[p] * u for p, u in units.items())

    def fits(self, solution_for_order: dict[str, dict[str, int]], spec: OrderSpec) -> bool:
        """Whether these allocations fit in what each workshop can still give the order."""
        minutes = {s.process: s.minutes_per_unit for s in spec.steps}
        due = spec.order.due_weeks
        return all(
            sum(minutes[p] * u for p, u in units.items()) <= self.free(w, due) + 1e-6
            for w, units in solution_for_order.items()
        )
