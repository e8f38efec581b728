"""Upgrade plans: which funded interventions would let a cluster win the orders it is losing.

:func:`upgrade_plan` matches the cluster's orders as they are (the *baseline*),
then, for each order left unfilled, searches the cheapest set of interventions
it can find that lets the matcher fill it — workshops that learn a process or
a product, reach the next quality level, formalise, take on operators, work
more hours, or are introduced to each other — from what excludes workshops
and where the minutes are short (:mod:`matcher.develop._upgrade_search`).
Every set is checked by solving the order again, the other orders keeping
their groups; the units of a set are those of the order it fills, never an
estimate. Costs come from a documented table a programme may override
(:mod:`matcher.develop.costs`).

With a budget, the plan chooses a **portfolio**: the sets (orders) that
together fill the most units within the budget (every combination when there
are at most 16 orders to choose from, else the best units per cost first),
then solves every order again with all the chosen interventions applied and
reports what that run fills — the confirmed units — next to what the sets
promised one by one.

Orders are filled in full or not at all; the matcher's preferred rules
(smaller, more cohesive groups) are switched off while planning (they do not
change how many units can be filled), its required rules kept.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from matcher.develop._upgrade_check import Checker, units_only
from matcher.develop._upgrade_search import OrderSearch, merged, search_order, total_cost
from matcher.develop.costs import KINDS, CostTable, load_costs
from matcher.develop.interventions import Intervention, apply_interventions
from matcher.errors import InvalidOptionError
from matcher.messages import Message
from matcher.model import Cluster
from matcher.optimize import MatchOptions, MatchResult, solve_orders

__all__ = ["OrderPlan", "PortfolioItem", "UpgradePlan", "upgrade_plan"]

#: Share of the time limit each of the two full runs (baseline, portfolio) may take, and at most seconds.
RUN_SHARE, RUN_SECONDS = 0.25, 30.0
#: Up to this many orders with a set, every combination is tried for the portfolio.
EXACT_UP_TO = 16

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class OrderPlan:
    """One order the baseline left unfilled: the set of interventions found that fills it, or why none."""

    order_id: str
    product: str
    quantity: int
    due_weeks: float
    interventions: tuple[Intervention, ...]
    cost: float
    fills: bool
    reasons: tuple[Message, ...] = ()

    @property
    def units_per_cost(self) -> float:
        return self.quantity / self.cost if self.fills and self.cost > 0 else 0.0

    def to_dict(self, costs: CostTable) -> dict:
        return {
            "order_id": self.order_id,
            "product": self.product,
            "quantity": self.quantity,
            "due_weeks": self.due_weeks,
            "fills": self.fills,
            "units": self.quantity if self.fills else 0,
            "cost": self.cost,
            "units_per_cost": self.units_per_cost,
            "interventions": [
                {**i.to_dict(), "cost": i.cost(costs.cost(i.kind))} for i in self.interventions
            ],
            "reasons": [m.text for m in self.reasons],
            "reason_messages": [m.to_dict() for m in self.reasons],
        }


@dataclass(frozen=True)
class PortfolioItem:
    """One intervention of the portfolio: its cost, the orders it helps fill, and the minutes a week it
    adds alone to its workshop as the cluster is (several on one workshop add more together)."""

    intervention: Intervention
    cost: float
    orders: tuple[str, ...]
    adds_minutes_per_week: float

    def to_dict(self) -> dict:
        return {
            **self.intervention.to_dict(),
            "cost": self.cost,
            "orders": list(self.orders),
            "adds_minutes_per_week": round(self.adds_minutes_per_week, 1),
        }


@dataclass(frozen=True)
class UpgradePlan:
    """A plan: the sets found per unfilled order, ranked, and with a budget the portfolio, confirmed.

    ``planned_units`` is what the chosen sets fill one by one (each checked by
    solving); ``confirmed_units`` what solving every order again with the whole
    portfolio applied fills beyond the baseline (None without a portfolio). ``solves``
    counts the matcher's runs: the baseline, every check of a set, the confirming run.
    """

    budget: float | None
    costs: CostTable
    baseline_units: int
    baseline_status: str
    orders: tuple[OrderPlan, ...]
    portfolio: tuple[PortfolioItem, ...] = ()
    planned_orders: tuple[str, ...] = ()
    planned_units: int = 0
    confirmed_units: int | None = None
    confirmed_status: str | None = None
    unlocked_orders: tuple[str, ...] = ()
    lost_orders: tuple[str, ...] = ()
    reasons: tuple[Message, ...] = ()
    seconds: float = 0.0
    solves: int = 0
    candidates: int = 0
    seed: int = 0

    @property
    def portfolio_cost(self) -> float:
        return sum(item.cost for item in self.portfolio)

    def to_dict(self) -> dict:
        """JSON-ready: the baseline, every unfilled order's set ranked, the portfolio and its check."""
        return {
            "budget": self.budget,
            "costs": self.costs.to_dict(),
            "baseline": {"units": self.baseline_units, "status": self.baseline_status},
            "orders": [o.to_dict(self.costs) for o in self.orders],
            "portfolio": {
                "interventions": [item.to_dict() for item in self.portfolio],
                "cost": self.portfolio_cost,
                "orders": list(self.planned_orders),
                "planned_units": self.planned_units,
                "confirmed_units": self.confirmed_units,
                "confirmed_status": self.confirmed_status,
                "unlocked_orders": list(self.unlocked_orders),
                "lost_orders": list(self.lost_orders),
            },
            "reasons": [m.text for m in self.reasons],
            "reason_messages": [m.to_dict() for m in self.reasons],
            "seconds": round(self.seconds, 3),
            "solves": self.solves,
            "candidates": self.candidates,
            "seed": self.seed,
        }


def _check_budget(budget: float | None, costs: CostTable) -> None:
    if budget is None:
        return
    if (
        isinstance(budget, bool)
        or not isinstance(budget, int | float)
        or not math.isfinite(budget)
        or budget <= 0
    ):
        raise InvalidOptionError(messages=[Message("plan.budget_number", {"got": repr(budget)})])
    kind, cheapest = costs.cheapest()
    if budget < cheapest:
        args = {"budget": budget, "kind": kind, "cost": cheapest}
        raise InvalidOptionError(messages=[Message("plan.budget_below", args)])


def _choose(plans: list[OrderPlan], budget: float, costs: CostTable) -> tuple[OrderPlan, ...]:
    """The orders whose sets together fill the most units within the budget (then the least cost)."""
    fillable = [p for p in plans if p.fills and p.cost <= budget]
    if len(fillable) <= EXACT_UP_TO:
        best: tuple[int, float, tuple[str, ...]] = (0, 0.0, ())
        chosen: tuple[OrderPlan, ...] = ()
        for size in range(1, len(fillable) + 1):
            for combo in itertools.combinations(fillable, size):
                cost = total_cost(merged([i for p in combo for i in p.interventions]), costs)
                if cost > budget + 1e-9:
                    continue
                key = (sum(p.quantity for p in combo), -cost, tuple(p.order_id for p in combo))
                if (key[0], key[1]) > (best[0], best[1]):
                    best, chosen = key, combo
        return chosen
    picked: list[OrderPlan] = []
    for plan in sorted(fillable, key=lambda p: (-p.units_per_cost, p.order_id)):
        cost = total_cost(merged([i for p in [*picked, plan] for i in p.interventions]), costs)
        if cost <= budget + 1e-9:
            picked.append(plan)
    return tuple(picked)


def _by_workshop(i: Intervention) -> tuple[str, int, str]:
    """Workshop by workshop, each one's interventions in the order of the cost table."""
    return i.workshop_id, KINDS.index(i.kind), i.target


def _items(cluster: Cluster, chosen: tuple[OrderPlan, ...], costs: CostTable) -> tuple[PortfolioItem, ...]:
    serves: dict[tuple[str, str, str], list[str]] = {}
    for plan in chosen:
        for i in plan.interventions:
            serves.setdefault((i.kind, i.workshop_id, i.target), []).append(plan.order_id)
    items = []
    for i in merged([i for p in chosen for i in p.interventions]):
        before = cluster.workshop(i.workshop_id)
        after = apply_interventions(cluster, [i]).workshop(i.workshop_id)
        adds = after.available_minutes_per_week - before.available_minutes_per_week
        orders = tuple(sorted(set(serves[(i.kind, i.workshop_id, i.target)])))
        items.append(PortfolioItem(i, i.cost(costs.cost(i.kind)), orders, adds))
    return tuple(sorted(items, key=lambda item: _by_workshop(item.intervention)))


def _filled(result: MatchResult) -> dict[str, bool]:
    return {o.order_id: o.status == "filled" for o in result.orders}


def upgrade_plan(
    cluster: Cluster,
    *,
    budget: float | None = None,
    costs: str | Path | dict[str, float] | CostTable | None = None,
    orders: Iterable[str] | None = None,
    options: MatchOptions | None = None,
    time_limit: float = 120.0,
    seed: int = 0,
    progress: Progress | None = None,
) -> UpgradePlan:
    """Rank interventions by the order units they unlock, and with a budget choose a portfolio.

    Parameters
    ----------
    cluster : Cluster
    budget : float, optional
        What the programme can spend, in the units of the cost table. Without
        it the plan ranks the sets found and chooses no portfolio.
    costs : path, mapping or CostTable, optional
        A CSV (``kind,cost,unit,description``) or a mapping ``{kind: cost}``
        overriding the default table (:func:`matcher.develop.costs.load_costs`).
    orders : iterable of str, optional
        The orders matched (all of the cluster's when omitted).
    options : MatchOptions, optional
        How the matcher runs; its preferred rules are switched off while planning.
    time_limit : float
        Seconds for the whole plan (> 0); checks not made in time count as not filling.
    seed : int
        Seed of the solver (same input and seed, same plan).
    progress : callable, optional
        Called as ``progress(stage, done, total)`` as the plan advances.

    Returns
    -------
    UpgradePlan

    Raises
    ------
    InvalidOptionError
        A budget that is not a number > 0 or is below the cheapest intervention;
        a cost mapping with an unknown kind; a bad time limit.
    InvalidDataError
        A cost CSV with an unknown kind or a bad cost (file, row and column named).

    Examples
    --------
    One workshop of two operators sews 400 shirts a week; the order needs 700 by
    week 1. Two more operators would do (1,800); one more operator and eight
    more hours a week (1,100) do too, as solving confirms:

    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> w = Workshop("A", "T", 2, ("tshirt",), ("sewing",), hours_per_week=40, efficiency=0.5)
    >>> c = Cluster((w,), orders=(Order("O1", "tshirt", 700, 1.0),),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> plan = upgrade_plan(c, budget=2000)
    >>> [i.intervention.key for i in plan.portfolio], plan.confirmed_units, plan.unlocked_orders
    (['add_worker:A', 'add_hours:A'], 700, ('O1',))
    >>> plan.portfolio_cost, plan.confirmed_status
    (1100.0, 'optimal')
    >>> print(plan.reasons[0].text)  # doctest: +NORMALIZE_WHITESPACE
    With all 2 interventions applied (cost 1,100), solving every order again fills 700 more units;
    orders now filled: O1.
    """
    started = time.perf_counter()
    table = load_costs(costs)
    _check_budget(budget, table)
    if not isinstance(time_limit, int | float) or not math.isfinite(time_limit) or time_limit <= 0:
        args = {"name": "time_limit", "low": 0, "got": repr(time_limit)}
        raise InvalidOptionError(messages=[Message("option.seconds_above", args)])
    deadline = started + time_limit
    run_seconds = min(RUN_SECONDS, RUN_SHARE * time_limit)
    base_options = units_only(replace(options or MatchOptions(), seed=seed, allow_partial=False))
    say = progress or (lambda stage, done, total: None)
    order_ids = None if orders is None else list(orders)

    say("baseline", 0, 1)
    baseline = solve_orders(cluster, order_ids, options=replace(base_options, time_limit=run_seconds))
    before = _filled(baseline)
    baseline_units = sum(o.filled_units for o in baseline.orders)
    targets = [cluster.order(o.order_id) for o in baseline.orders if o.status != "filled"]
    checker = Checker(cluster, baseline, base_options, deadline - run_seconds)
    searches: list[OrderSearch] = []
    for n, order in enumerate(targets):
        say("orders", n, len(targets))
        cohesion = base_options.rules_for(order.order_id).required("cohesion")
        searches.append(search_order(checker, order, table, required_cohesion=cohesion))
    say("orders", len(targets), len(targets))
    plans = [
        OrderPlan(
            s.order_id,
            order.product,
            order.quantity,
            order.due_weeks,
            tuple(sorted(s.interventions, key=_by_workshop)),
            s.cost,
            s.fills,
            s.reasons,
        )
        for s, order in zip(searches, targets, strict=True)
    ]
    plans.sort(key=lambda p: (not p.fills, -p.units_per_cost, p.order_id))
    common = {
        "budget": budget,
        "costs": table,
        "baseline_units": baseline_units,
        "baseline_status": baseline.status,
        "solves": checker.solves + 1,  # and the baseline run
        "candidates": sum(s.candidates for s in searches),
        "seed": seed,
    }
    if not targets:
        reasons = (Message("plan.all_filled", {"orders": len(baseline.orders)}),)
        return UpgradePlan(orders=(), reasons=reasons, seconds=time.perf_counter() - started, **common)
    if budget is None:
        return UpgradePlan(orders=tuple(plans), seconds=time.perf_counter() - started, **common)

    chosen = _choose(plans, budget, table)
    reasons = []
    for plan in plans:
        if plan.fills and plan not in chosen:
            key = "plan.over_budget" if plan.cost > budget else "plan.not_chosen"
            reasons.append(Message(key, {"order_id": plan.order_id, "cost": plan.cost, "budget": budget}))
    if not chosen:
        reasons.insert(0, Message("plan.no_portfolio", {"budget": budget}))
        return UpgradePlan(
            orders=tuple(plans), reasons=tuple(reasons), seconds=time.perf_counter() - started, **common
        )
    items = _items(cluster, chosen, table)
    say("portfolio", 0, 1)
    changed = apply_interventions(cluster, [item.intervention for item in items])
    seconds = max(1.0, min(run_seconds, deadline - time.perf_counter()))
    after = solve_orders(changed, order_ids, options=replace(base_options, time_limit=seconds))
    say("portfolio", 1, 1)
    filled = _filled(after)
    confirmed = sum(o.filled_units for o in after.orders) - baseline_units
    planned = sum(p.quantity for p in chosen)
    unlocked = tuple(sorted(o for o, f in filled.items() if f and not before[o]))
    lost = tuple(sorted(o for o, f in filled.items() if before[o] and not f))
    args = {
        "count": len(items),
        "cost": sum(item.cost for item in items),
        "units": confirmed,
        "planned": planned,
        "orders": list(unlocked),
    }
    reasons.insert(0, Message("plan.confirmed" if confirmed >= planned else "plan.short", args))
    return UpgradePlan(
        orders=tuple(plans),
        portfolio=items,
        planned_orders=tuple(p.order_id for p in chosen),
        planned_units=planned,
        confirmed_units=confirmed,
        confirmed_status=after.status,
        unlocked_orders=unlocked,
        lost_orders=lost,
        reasons=tuple(reasons),
        seconds=time.perf_counter() - started,
        **{**common, "solves": checker.solves + 2},  # and the baseline and confirming runs
    )
