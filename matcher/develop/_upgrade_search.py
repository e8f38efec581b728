"""For one order left unfilled: the interventions that address what blocks it, and the cheapest
set found that lets it be filled, checked by solving.

Candidates come from what excludes workshops and where minutes are short, never
from every workshop times every kind:

- a workshop in the order's territories that fails only requirements a
  programme can change — it does not make the product (``learn_product``), is
  one quality level short (``quality_level``), is informal where formality is
  required (``formalise``), does none of the order's processes
  (``learn_process``) — gets the fixes that make it eligible, together;
- an eligible workshop, for each process whose lots the eligible workshops
  cannot all take by the due date (a *short* process): learns it
  (``learn_process``), takes on the fewest operators that let it take one
  more lot (``add_worker``), or works more hours (``add_hours``);
- with cohesion required, workshops of separate tied parts are introduced.

Candidates are taken greedily by what they add to an estimate of the order's
coverage (per process, the minutes its eligible doers can give in whole lots,
and the free minutes in all) per unit of cost, re-estimated after each; the
estimate only ranks. When it says the order is covered, the set is checked by
solving; if solving says no, the greedy goes on with a larger margin. A set that
fills is then pruned (its most expensive interventions dropped one at a time
while solving still fills the order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from matcher.develop._upgrade_check import Checker, free_by
from matcher.develop.costs import CostTable
from matcher.develop.interventions import MAX_HOURS, Intervention, apply_interventions
from matcher.messages import Message
from matcher.model import Cluster, Order, RoutingStep, Workshop
from matcher.optimize import order_lot

#: Most operators one candidate adds to one workshop.
MAX_WORKERS = 4
#: Most interventions one order's set may hold.
MAX_INTERVENTIONS = 200
#: Margins of the estimate tried in turn when solving says the set found is not enough.
MARGINS = (1.0, 1.15, 1.35, 1.7)
#: Most interventions the pruning tries to drop.
PRUNE_TRIES = 30
#: Most introductions made for one order with cohesion required.
MAX_INTRODUCTIONS = 5


@dataclass(frozen=True)
class OrderSearch:
    """What the search found for one order: a set that fills it (checked), or why none."""

    order_id: str
    interventions: tuple[Intervention, ...]
    cost: float
    fills: bool
    candidates: int
    reasons: tuple[Message, ...] = ()


def merged(interventions: list[Intervention] | tuple[Intervention, ...]) -> tuple[Intervention, ...]:
    """One intervention per kind, workshop and target: operators and hours added up, sorted."""
    out: dict[tuple[str, str, str], Intervention] = {}
    for i in interventions:
        key = (i.kind, i.workshop_id, i.target)
        if key in out and i.kind in ("add_worker", "add_hours"):
            out[key] = replace(out[key], amount=out[key].amount + i.amount)
        else:
            out.setdefault(key, i)
    return tuple(sorted(out.values()))


def total_cost(interventions, costs: CostTable) -> float:
    return sum(i.cost(costs.cost(i.kind)) for i in interventions)


def failures(
    w: Workshop, order: Order, steps: tuple[RoutingStep, ...], *, specialised: bool = False
) -> set[str]:
    """Every requirement of the order the workshop fails (not only the first); with ``specialised``
    (specialisation required), a main product other than the order's too."""
    out = set()
    if specialised and w.products[0] != order.product:
        out.add("specialisation")
    if order.product not in w.products:
        out.add("product")
    if w.quality < order.min_quality:
        out.add("quality")
    if order.require_formal and not w.formal:
        out.add("formality")
    if order.territories and w.territory not in order.territories:
        out.add("territory")
    if not any(s.process in w.processes for s in steps):
        out.add("process")
    return out


class _Coverage:
    """The estimate that ranks candidates: per process, minutes in whole lots, and minutes in all."""

    def __init__(self, order: Order, steps: tuple[RoutingStep, ...], lot: int, margin: float) -> None:
        self.order, self.steps, self.lot = order, steps, lot
        self.need = [order.quantity * s.minutes_per_unit * margin for s in steps]
        self.need_all = sum(self.need)

    def of(self, w: Workshop, free: float, eligible: bool) -> tuple[float, ...]:
        if not eligible or free <= 0:
            return (0.0,) * (len(self.steps) + 1)
        parts = []
        for s in self.steps:
            units = min(self.order.quantity, int(free // s.minutes_per_unit + 1e-9))
            parts.append(
                units * s.minutes_per_unit if s.process in w.processes and units >= self.lot else 0.0
            )
        return (*parts, free)

    def value(self, sums: list[float]) -> float:
        per_step = sum(min(n, v) for n, v in zip(self.need, sums, strict=False))
        return per_step + min(self.need_all, sums[-1])

    def full(self, sums: list[float]) -> bool:
        return self.value(sums) >= sum(self.need) + self.need_all - 1e-6


def _fixes(w: Workshop, fails: set[str], order: Order, short: RoutingStep) -> list[Intervention] | None:
    """What makes ``w`` eligible, or None when something no programme changes excludes it."""
    if fails & {"territory", "specialisation"} or ("quality" in fails and w.quality < order.min_quality - 1):
        return None
    out = []
    if "product" in fails:
        out.append(Intervention("learn_product", w.workshop_id, order.product))
    if "quality" in fails:
        out.append(Intervention("quality_level", w.workshop_id, str(order.min_quality)))
    if "formality" in fails:
        out.append(Intervention("formalise", w.workshop_id))
    if "process" in fails:
        out.append(Intervention("learn_process", w.workshop_id, short.process))
    return out


def search_order(
    checker: Checker,
    order: Order,
    costs: CostTable,
    *,
    required_cohesion: bool,
) -> OrderSearch:
    """The cheapest set of interventions found that lets ``order`` be filled, checked by solving."""
    cluster = checker.cluster
    steps = cluster.routing_of(order)
    rules = checker.options.rules_for(order.order_id)
    lot = order_lot(order.quantity, rules)
    kept = checker.kept_uses(order.order_id)
    special = rules.required("specialisation")
    pool = [w for w in cluster.workshops if "territory" not in failures(w, order, steps)]
    if not pool:
        args = {"order_id": order.order_id, "territories": list(order.territories)}
        return OrderSearch(order.order_id, (), 0.0, False, 0, (Message("plan.none_in_territory", args),))
    state = {w.workshop_id: w for w in pool}
    chosen: list[Intervention] = []
    candidates_seen: set[str] = set()

    def free(w: Workshop) -> float:
        return free_by(w, kept.get(w.workshop_id, []), order.due_weeks)

    def eligible(w: Workshop) -> bool:
        return not failures(w, order, steps, specialised=special)

    def attempt(margin: float) -> None:
        coverage = _Coverage(order, steps, lot, margin)
        parts = {wid: coverage.of(w, free(w), eligible(w)) for wid, w in state.items()}
        sums = [sum(p[k] for p in parts.values()) for k in range(len(steps) + 1)]
        after_parts: dict[tuple[str, str], tuple[float, ...]] = {}
        while not coverage.full(sums) and len(chosen) < MAX_INTERVENTIONS:
            short = max(
                range(len(steps)), key=lambda k: (coverage.need[k] - sums[k], -k)
            )  # the process furthest from covered
            now = coverage.value(sums)
            best: tuple[float, float, str] | None = None
            best_do: list[Intervention] = []
            for wid, w in state.items():
                for do in _candidates(w, order, steps, steps[short], sums, coverage, special):
                    name = ";".join(i.key for i in do)
                    if (wid, name) not in after_parts:  # what it gives, kept until the workshop changes
                        after = apply_interventions_to(w, do)
                        after_parts[wid, name] = coverage.of(after, free(after), eligible(after))
                        candidates_seen.add(name)
                    new = after_parts[wid, name]
                    trial = [s - a + b for s, a, b in zip(sums, parts[wid], new, strict=True)]
                    gain = coverage.value(trial) - now
                    if gain <= 1e-9:
                        continue
                    cost = total_cost(do, costs)
                    key = (-gain / cost, cost, name)
                    if best is None or key < best:
                        best, best_do = key, do
            if best is None:
                return
            wid = best_do[0].workshop_id
            after_parts = {k: v for k, v in after_parts.items() if k[0] != wid}
            state[wid] = apply_interventions_to(state[wid], best_do)
            new = coverage.of(state[wid], free(state[wid]), eligible(state[wid]))
            sums = [s - a + b for s, a, b in zip(sums, parts[wid], new, strict=True)]
            parts[wid] = new
            chosen.extend(best_do)

    found: tuple[Intervention, ...] | None = None
    for margin in MARGINS:
        before = len(chosen)
        attempt(margin)
        # An empty set is never checked: the baseline run already found the order cannot be filled.
        if len(chosen) > before and checker.fills(order, merged(chosen)):
            found = merged(chosen)
            break
        if required_cohesion:
            joined = merged(chosen + _introductions(checker, state, eligible, free))
            if joined != merged(chosen) and checker.fills(order, joined):
                found = joined
                break
        if checker.left() <= 0.5:
            break
    seen = len(candidates_seen)
    if found is None:
        tried = merged(chosen)
        args = {"order_id": order.order_id, "count": len(tried), "cost": total_cost(tried, costs)}
        key = "plan.not_found" if tried else "plan.nothing_to_do"
        if checker.left() <= 0.5:
            key = "plan.out_of_time"
        return OrderSearch(order.order_id, (), 0.0, False, seen, (Message(key, args),))
    found = _pruned(checker, order, found, costs)
    return OrderSearch(order.order_id, found, total_cost(found, costs), True, seen)


def apply_interventions_to(w: Workshop, interventions: list[Intervention]) -> Workshop:
    """One workshop after interventions on it alone."""
    return apply_interventions(Cluster((w,)), interventions).workshops[0]


def _candidates(
    w: Workshop,
    order: Order,
    steps: tuple[RoutingStep, ...],
    short: RoutingStep,
    sums: list[float],
    coverage: _Coverage,
    specialised: bool,
) -> list[list[Intervention]]:
    """The bundles of interventions worth trying on one workshop now."""
    fails = failures(w, order, steps, specialised=specialised)
    if fails:
        fixes = _fixes(w, fails, order, short)
        return [fixes] if fixes else []
    out: list[list[Intervention]] = []
    for k, s in enumerate(steps):
        if s.process not in w.processes and sums[k] < coverage.need[k]:
            out.append([Intervention("learn_process", w.workshop_id, s.process)])
    out.extend([Intervention("add_worker", w.workshop_id, amount=n)] for n in range(1, MAX_WORKERS + 1))
    if w.hours_per_week < MAX_HOURS:
        out.append([Intervention("add_hours", w.workshop_id)])
    return out


def _introductions(
    checker: Checker,
    state: dict[str, Workshop],
    is_eligible: Callable[[Workshop], bool],
    free: Callable[[Workshop], float],
) -> list[Intervention]:
    """Introductions that join the tied parts of the eligible workshops, largest free minutes first."""
    eligible = sorted(
        (w for w in state.values() if is_eligible(w) and free(w) > 0),
        key=lambda w: (-free(w), w.workshop_id),
    )
    ids = {w.workshop_id for w in eligible}
    neighbours = checker.cluster.index.neighbours
    part: dict[str, int] = {}
    for w in eligible:
        if w.workshop_id in part:
            continue
        part[w.workshop_id] = len(part)
        stack = [w.workshop_id]
        while stack:
            v = stack.pop()
            for u in neighbours.get(v, ()):
                if u in ids and u not in part:
                    part[u] = part[w.workshop_id]
                    stack.append(u)
    heads: dict[int, str] = {}
    for w in eligible:
        heads.setdefault(part[w.workshop_id], w.workshop_id)
    first, *others = list(heads.values()) or [""]
    return [Intervention("introduce", first, other) for other in others[:MAX_INTRODUCTIONS]]


def _pruned(
    checker: Checker, order: Order, found: tuple[Intervention, ...], costs: CostTable
) -> tuple[Intervention, ...]:
    """``found`` without the interventions solving shows it can do without, dearest first."""
    dearest = sorted(found, key=lambda i: (-i.cost(costs.cost(i.kind)), i.key))
    tries = 0

    def fills_with(drop: Intervention, amount: int) -> bool:
        nonlocal tries
        tries += 1
        rest = [i for i in found if i != drop]
        smaller = merged([*rest, replace(drop, amount=amount)] if amount else rest)
        return bool(smaller) and checker.fills(order, smaller)

    for drop in dearest:
        if tries >= PRUNE_TRIES or checker.left() <= 1.0:
            break
        # The fewest operators or hours that still fill, by bisection (0: none at all).
        low, high = -1, drop.amount
        while high - low > 1 and tries < PRUNE_TRIES:
            mid = (low + high + 1) // 2 if low < 0 else (low + high) // 2
            if fills_with(drop, mid):
                high = mid
            else:
                low = mid
        if high < drop.amount:
            rest = [i for i in found if i != drop]
            found = merged([*rest, replace(drop, amount=high)] if high else rest)
    return found
