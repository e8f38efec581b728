"""A scenario: the changes to a cluster and to the matcher's rules that one row of a sweep tries.

A :class:`Scenario` says what would be different — the rules of a good group,
partial fills, a group-size cap, due dates, the territories orders may go to,
workshops that are unavailable, ties that are added, interventions a programme
funds — and :func:`apply_scenario` gives the cluster as it would then be (a new
:class:`~matcher.model.Cluster`; the one given is never changed), while
:func:`scenario_options` gives the options the matcher then runs with.

Examples
--------
>>> from matcher.model import Cluster, Order, Workshop
>>> c = Cluster((Workshop("A", "Pilar", 2, ("tshirt",), ("sewing",)),
...              Workshop("B", "Itá", 2, ("tshirt",), ("sewing",))),
...             orders=(Order("O1", "tshirt", 100, 2.0), Order("O2", "tshirt", 50, 3.0)))
>>> s = Scenario("two more weeks for O1", extra_weeks={"O1": 2}, unavailable=("B",))
>>> after = apply_scenario(c, s)
>>> after.order("O1").due_weeks, after.order("O2").due_weeks, after.workshop("B").available_minutes_per_week
(4.0, 3.0, 0.0)
>>> c.order("O1").due_weeks  # the cluster given is left as it was
2.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from matcher.develop.interventions import Intervention, apply_interventions
from matcher.errors import UnknownIdError
from matcher.model import Cluster, Order, Tie, Workshop
from matcher.optimize import MatchOptions

__all__ = ["ALL_ORDERS", "BASELINE", "Scenario", "apply_scenario", "scenario_options"]

#: The key of a change that applies to every order (``due_weeks={"*": 4}``).
ALL_ORDERS = "*"
#: The name of the run without changes, the first row of every sweep.
BASELINE = "baseline"


@dataclass(frozen=True)
class Scenario:
    """What one scenario changes; every field left at its default changes nothing.

    Parameters
    ----------
    name : str
        The scenario's name, unique in a sweep (``baseline`` is the run without changes).
    description : str
        Free text, carried into the results.
    rules : mapping
        Changes to the run's rules, names as in :meth:`matcher.optimize.Rules.parse`
        (``{"cohesion": "required", "min_lot": 0}``).
    order_rules : mapping of order id to mapping
        Changes to the rules of single orders (``{"O1": {"leader": "required"}}``).
    allow_partial : bool or None
        Whether orders may be filled in part (None: as the options say).
    max_group_size : int or None
        Group-size cap for orders that set none (None: as the options say).
    due_weeks : mapping of order id to float
        New due dates, in weeks from now; the key ``"*"`` sets every order's, an
        order's own key wins over it.
    extra_weeks : mapping of order id to float
        Weeks added to due dates (negative: earlier), after ``due_weeks``; ``"*"``
        for every order, an order's own key winning over it.
    territories : mapping of order id to tuple of str
        The territories an order may go to; ``"*"`` for every order, an order's own
        key winning over it; an empty tuple lifts the restriction.
    unavailable : tuple of str
        Workshops with no free minutes (they keep their ties: the network is the same).
    ties : tuple of Tie
        Ties added to the cluster.
    interventions : tuple of Intervention
        Interventions applied (:func:`matcher.develop.apply_interventions`).
    """

    name: str
    description: str = ""
    rules: Mapping[str, Any] = field(default_factory=dict)
    order_rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    allow_partial: bool | None = None
    max_group_size: int | None = None
    due_weeks: Mapping[str, float] = field(default_factory=dict)
    extra_weeks: Mapping[str, float] = field(default_factory=dict)
    territories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    unavailable: tuple[str, ...] = ()
    ties: tuple[Tie, ...] = ()
    interventions: tuple[Intervention, ...] = ()


def _per_order(changes: Mapping[str, Any], order_id: str) -> Any:
    """An order's own change, else the change for every order, else None."""
    return changes.get(order_id, changes.get(ALL_ORDERS))


def _changed_order(order: Order, scenario: Scenario) -> Order:
    due = _per_order(scenario.due_weeks, order.order_id)
    extra = _per_order(scenario.extra_weeks, order.order_id)
    territories = _per_order(scenario.territories, order.order_id)
    weeks = float(order.due_weeks if due is None else due) + float(extra or 0.0)
    if weeks != order.due_weeks:
        order = replace(order, due_weeks=weeks)
    if territories is not None:
        order = replace(order, territories=tuple(territories))
    return order


def _unavailable(workshop: Workshop) -> Workshop:
    """A workshop with every minute committed elsewhere: no order may use it."""
    return replace(workshop, committed_minutes_per_week=workshop.capacity_minutes)


def _check_ids(cluster: Cluster, scenario: Scenario) -> None:
    """Every workshop and order the scenario names exists (all unknown ids at once)."""
    orders = {o.order_id for o in cluster.orders}
    named_orders = {
        o
        for changes in (scenario.due_weeks, scenario.extra_weeks, scenario.territories, scenario.order_rules)
        for o in changes
        if o != ALL_ORDERS
    }
    missing = sorted(named_orders - orders)
    if missing:
        raise UnknownIdError("order", missing, [o.order_id for o in cluster.orders])
    named = [*scenario.unavailable, *(e for t in scenario.ties for e in (t.source, t.target))]
    for i in scenario.interventions:
        named += [i.workshop_id, i.target] if i.kind == "introduce" else [i.workshop_id]
    known = set(cluster.workshop_ids)
    missing = sorted({w for w in named if w not in known})
    if missing:
        raise UnknownIdError("workshop", missing, cluster.workshop_ids)


def apply_scenario(cluster: Cluster, scenario: Scenario) -> Cluster:
    """The cluster as the scenario would leave it, as a new cluster.

    In this order: the interventions are applied, the ties added, the
    unavailable workshops given no free minutes (after any intervention: an
    unavailable workshop stays so), and the orders' due dates and territories
    changed. The rules are not part of the cluster: see :func:`scenario_options`.

    Parameters
    ----------
    cluster : Cluster
    scenario : Scenario

    Returns
    -------
    Cluster

    Raises
    ------
    UnknownIdError
        A workshop or order the scenario names is not in the cluster (every one named).

    Examples
    --------
    >>> from matcher.model import Cluster, Order, Tie, Workshop
    >>> c = Cluster((Workshop("A", "Pilar", 2, ("tshirt",), ("sewing",)),
    ...              Workshop("B", "Itá", 1, ("tshirt",), ("sewing",))),
    ...             orders=(Order("O1", "tshirt", 100, 2.0, territories=("Pilar",)),))
    >>> s = Scenario("open", territories={"*": ()}, ties=(Tie("A", "B", "friendship"),),
    ...              interventions=(Intervention("add_worker", "B"),))
    >>> after = apply_scenario(c, s)
    >>> after.order("O1").territories, len(after.ties), after.workshop("B").workers
    ((), 1, 2)
    >>> apply_scenario(c, Scenario("x", unavailable=("Z",)))
    Traceback (most recent call last):
    ...
    matcher.errors.UnknownIdError: unknown workshop id Z; known workshop ids: A, B
    """
    _check_ids(cluster, scenario)
    changed = apply_interventions(cluster, scenario.interventions) if scenario.interventions else cluster
    if scenario.ties:
        changed = replace(changed, ties=(*changed.ties, *scenario.ties))
    if scenario.unavailable:
        off = set(scenario.unavailable)
        changed = replace(
            changed,
            workshops=tuple(_unavailable(w) if w.workshop_id in off else w for w in changed.workshops),
        )
    if scenario.due_weeks or scenario.extra_weeks or scenario.territories:
        changed = replace(changed, orders=tuple(_changed_order(o, scenario) for o in changed.orders))
    return changed


def scenario_options(options: MatchOptions, scenario: Scenario) -> MatchOptions:
    """The options the matcher runs a scenario with: ``options`` with the scenario's rules,
    partial fills and group-size cap.

    Raises
    ------
    InvalidOptionError
        When the scenario's rules are not valid on top of ``options`` (every problem named).

    Examples
    --------
    >>> o = scenario_options(MatchOptions(), Scenario("s", rules={"cohesion": "required"},
    ...                                               order_rules={"O1": {"min_lot": 0}}))
    >>> o.rules.cohesion, o.rules_for("O1").min_lot, o.rules_for("O1").cohesion
    ('required', 0, 'required')
    """
    order_rules = {o: dict(c) for o, c in options.order_rules.items()}
    for order_id, changes in scenario.order_rules.items():
        order_rules[order_id] = {**order_rules.get(order_id, {}), **changes}
    return replace(
        options,
        rules=options.rules.updated(scenario.rules) if scenario.rules else options.rules,
        order_rules=order_rules,
        allow_partial=options.allow_partial if scenario.allow_partial is None else scenario.allow_partial,
        max_group_size=options.max_group_size if scenario.max_group_size is None else scenario.max_group_size,
    )
