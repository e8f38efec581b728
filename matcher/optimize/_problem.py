"""The matching problem as ids, pairs and numbers, prepared once per run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from matcher.model import CONFLICT, Cluster, Order, RoutingStep, Workshop
from matcher.optimize.options import MatchOptions
from matcher.optimize.rules import LOAD_WEIGHT, SHARE_WEIGHT, SPECIALISATION_WEIGHT, Rules, order_lot

#: What a tie pair is worth to cohesion, per distinct positive kind joining it:
#: the strongest tie of that kind, divided by the top of the 1..5 scale.
STRENGTH_SCALE = 5.0


def ineligibility(workshop: Workshop, order: Order, steps: tuple[RoutingStep, ...]) -> str | None:
    """Why a workshop cannot take part in an order, or None when it can."""
    if order.product not in workshop.products:
        return "product"
    if workshop.quality < order.min_quality:
        return "quality"
    if order.require_formal and not workshop.formal:
        return "formality"
    if order.territories and workshop.territory not in order.territories:
        return "territory"
    if workshop.available_minutes_per_week <= 0:
        return "capacity"
    if not any(s.process in workshop.processes for s in steps):
        return "process"
    return None


@dataclass(frozen=True, eq=False)
class OrderSpec:
    """One order with its routing, group-size cap, eligible workshops and rules.

    ``cap`` is the tightest of the order's cap, the run's and, with ``small``
    required, ``small_max``; with ``specialisation`` required only workshops
    whose main product is the order's are eligible.
    """

    order: Order
    steps: tuple[RoutingStep, ...]
    cap: int | None
    eligible: tuple[str, ...]
    rules: Rules = field(default_factory=Rules)
    priority: float = 1.0

    @property
    def order_id(self) -> str:
        return self.order.order_id

    @property
    def lot(self) -> int:
        """The fewest units of a process a member may take (:func:`~matcher.optimize.rules.order_lot`)."""
        return order_lot(self.order.quantity, self.rules)

    def does(self, workshop: Workshop) -> tuple[RoutingStep, ...]:
        """The order's steps this workshop can do."""
        return tuple(s for s in self.steps if s.process in workshop.processes)


@dataclass(frozen=True, eq=False)
class MatchProblem:
    """Everything the model, the greedy baseline and the explanations share."""

    cluster: Cluster
    specs: tuple[OrderSpec, ...]
    options: MatchOptions
    #: The larger problem this one is a part of (some orders, some workshops, some
    #: minutes): its member cost, default costs and tie distances hold here too,
    #: so that the parts' objectives add up to the whole's.
    part_of: MatchProblem | None = None

    @classmethod
    def build(cls, cluster: Cluster, orders: tuple[Order, ...], options: MatchOptions) -> MatchProblem:
        specs = []
        for order in orders:
            steps = cluster.routing_of(order)
            rules = options.rules_for(order.order_id)
            cap = order.max_group_size if order.max_group_size is not None else options.max_group_size
            if rules.required("small"):
                cap = rules.small_max if cap is None else min(cap, rules.small_max)
            eligible = tuple(
                sorted(
                    w.workshop_id
                    for w in cluster.workshops
                    if ineligibility(w, order, steps) is None
                    and (not rules.required("specialisation") or w.products[0] == order.product)
                )
            )
            priority = float(options.priorities.get(order.order_id, 1.0))
            specs.append(OrderSpec(order, steps, cap, eligible, rules, priority))
        return cls(cluster, tuple(specs), options)

    @cached_property
    def memo(self) -> dict[str, dict]:
        """Figures worked out once per problem by the solvers' helpers, by name."""
        return {}

    @cached_property
    def cost_per_minute(self) -> dict[str, float]:
        """Each eligible workshop's cost per minute; unknown costs take the mean of the known."""
        if self.part_of is not None:
            return self.part_of.cost_per_minute
        ids = {w for s in self.specs for w in s.eligible}
        known = [c for w in ids if (c := self.workshop(w).cost_per_minute) is not None]
        default = sum(known) / len(known) if known else 0.0
        out = {}
        for w in ids:
            cost = self.workshop(w).cost_per_minute
            out[w] = default if cost is None else cost
        return out

    def cheapest_cost(self, spec: OrderSpec) -> float:
        """The least an order could cost: each process by its cheapest eligible doer."""
        price = self.cost_per_minute
        return spec.order.quantity * sum(
            min((price[w] for w in spec.eligible if s.process in self.workshop(w).processes), default=0.0)
            * s.minutes_per_unit
            for s in spec.steps
        )

    @cached_property
    def member_cost(self) -> float:
        """What a member costs under ``small`` (and half of it, a leader's worth).

        More than all any one workshop could bring to a group: the tie weight
        it has with the order's other eligible workshops, its main product and,
        with fairness, a lower largest share and a lower largest utilisation.
        A part of a larger problem (one order, or some workshops only) keeps
        the larger problem's cost, so that their objectives add up.
        """
        if self.part_of is not None:
            return self.part_of.member_cost
        reach: dict[tuple[str, str], float] = defaultdict(float)
        for spec in self.specs:
            for (a, b), weight in self.pairs_within(spec.eligible):
                reach[a, spec.order_id] += weight
                reach[b, spec.order_id] += weight
        fair = any(spec.rules.wanted("fairness") and spec.eligible for spec in self.specs)
        spread = SHARE_WEIGHT + LOAD_WEIGHT if fair else 0.0
        return 1.0 + 2.0 * (max(reach.values(), default=0.0) + SPECIALISATION_WEIGHT + spread)

    @cached_property
    def distances(self) -> dict[str, dict[str, int]]:
        """Positive-tie steps between workshops, up to the largest ``leader_hops`` asked."""
        if self.part_of is not None:
            return self.part_of.distances
        reach = max((s.rules.leader_hops for s in self.specs), default=1)
        out: dict[str, dict[str, int]] = {}
        for start in {w for s in self.specs for w in s.eligible}:
            seen = {start: 0}
            frontier = [start]
            for step in range(1, reach + 1):
                nxt = []
                for v in frontier:
                    for u in self.neighbours.get(v, ()):
                        if u not in seen:
                            seen[u] = step
                            nxt.append(u)
                frontier = nxt
            out[start] = seen
        return out

    def workshop(self, workshop_id: str) -> Workshop:
        return self.cluster.workshop(workshop_id)

    @cached_property
    def pair_weights(self) -> dict[tuple[str, str], float]:
        """Positive pairs and their cohesion weight (see ``STRENGTH_SCALE``)."""
        strongest: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        for t in self.cluster.ties:
            if t.kind != CONFLICT:
                kinds = strongest[t.pair]
                kinds[t.kind] = max(kinds.get(t.kind, 0), t.strength)
        return {pair: sum(kinds.values()) / STRENGTH_SCALE for pair, kinds in sorted(strongest.items())}

    @cached_property
    def pair_kinds(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """The positive kinds joining each tied pair, sorted."""
        kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
        for t in self.cluster.ties:
            if t.kind != CONFLICT:
                kinds[t.pair].add(t.kind)
        return {pair: tuple(sorted(k)) for pair, k in kinds.items()}

    @cached_property
    def conflicts(self) -> frozenset[tuple[str, str]]:
        """Pairs with a conflict tie in any wave: never in one group."""
        return frozenset(t.pair for t in self.cluster.ties if t.kind == CONFLICT)

    @cached_property
    def neighbours(self) -> dict[str, set[str]]:
        """Positive neighbours of each workshop."""
        out: dict[str, set[str]] = defaultdict(set)
        for a, b in self.pair_weights:
            out[a].add(b)
            out[b].add(a)
        return out

    def pairs_within(self, ids: tuple[str, ...] | list[str]) -> list[tuple[tuple[str, str], float]]:
        """Positive pairs with both ends in ``ids``, sorted."""
        inside = set(ids)
        return [
            ((a, b), self.pair_weights[(a, b)])
            for a in sorted(inside)
            for b in sorted(self.neighbours.get(a, ()))
            if a < b and b in inside
        ]

    def conflicts_within(self, ids: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
        inside = set(ids)
        return sorted(p for p in self.conflicts if p[0] in inside and p[1] in inside)

    def unit_bound(self, workshop: Workshop, spec: OrderSpec, step: RoutingStep) -> int:
        """Most units of a step a workshop could make for an order by its due date.

        0 when that is less than the order's lot: it cannot take the step at all.
        """
        by_due = workshop.available_minutes(spec.order.due_weeks)
        most = min(spec.order.quantity, int(by_due // step.minutes_per_unit + 1e-9))
        return most if most >= spec.lot else 0

    @cached_property
    def due_dates(self) -> tuple[float, ...]:
        return tuple(sorted({s.order.due_weeks for s in self.specs}))

    def weighted_units(self, solution: Mapping[str, Mapping[str, Mapping[str, int]]]) -> float:
        """Phase 1's objective at ``solution``: filled units times each order's priority."""
        total = 0.0
        for spec in self.specs:
            alloc = solution.get(spec.order_id, {})
            units = min((sum(a.get(s.process, 0) for a in alloc.values()) for s in spec.steps), default=0)
            total += spec.priority * units
        return total

    def utilisation(self, solution: Mapping[str, Mapping[str, Mapping[str, int]]]) -> dict[str, float]:
        """Each working workshop's utilisation under ``solution`` (order -> workshop -> process -> units).

        Over the due dates D of the orders it works on, the largest share of
        its minutes free by D that goes to the run's orders due by D, as the
        capacity rule counts them: 1 is a workshop that can take no more.
        Counted by each due date rather than by the latest one: a workshop
        that gives all its first week to an order due then is fully loaded,
        whatever it has free before a later order's due date, and dividing
        by the latest due date would hide that.
        """
        minutes = {s.order_id: {st.process: st.minutes_per_unit for st in s.steps} for s in self.specs}
        uses: dict[str, list[tuple[float, float]]] = defaultdict(list)  # w -> (due, minutes)
        for spec in self.specs:
            for w, units in solution.get(spec.order_id, {}).items():
                used = sum(minutes[spec.order_id][p] * u for p, u in units.items())
                if used > 0:
                    uses[w].append((spec.order.due_weeks, used))
        out = {}
        for w, given in sorted(uses.items()):
            weekly = self.workshop(w).available_minutes_per_week
            out[w] = max(sum(m for d, m in given if d <= due) / (weekly * due) for due, _ in given)
        return out

    def largest_utilisation(self, solution: Mapping[str, Mapping[str, Mapping[str, int]]]) -> float:
        """The largest :meth:`utilisation` of any workshop; 0 when nobody works."""
        return max(self.utilisation(solution).values(), default=0.0)
