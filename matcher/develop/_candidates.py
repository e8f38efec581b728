"""Who may mentor whom, and what each pair is worth: the data of the mentoring model.

Everything here is plain ids, sets and numbers, computed once from the cluster;
the model (:mod:`matcher.develop._circles`) needs nothing else.

Mentors
-------
A workshop may mentor when it says so in a ``mentor`` column (an extra column of
``workshops.csv``: ``true``/``yes``/``sí``/``1`` or ``false``/``no``/``0``;
an empty cell falls back to the next rule), else when it can lead a group
(``can_lead``). A mentor may take a trainee when:

- its quality is above the trainee's;
- it does a process or makes a product the trainee lacks;
- no conflict tie joins the two;
- with ``same_sector``, they share a sector (by default a sector is a product;
  ``sectors`` maps products to broader sectors).

Gain of a pair
--------------
``gain = learn + trust + proximity``, with the weights of :class:`Weights`:

- ``learn``: for each process or product the mentor has and the trainee lacks,
  ``item + demand * share(x)``, where ``share(x)`` is the units of the
  cluster's orders that need ``x`` (their product, or a process of their
  routing), each counted by its *pressure*, over all the orders' units.
  The pressure of an order is the share left unfilled plus, for the part
  filled, ``1 / (1 + workshops eligible for it)`` (an order that few can take
  counts more); without solving the orders every order counts in full.
  The reasons of a pair name the *pressing* orders it serves: those with a
  pressure of at least :data:`PRESSING` (a tenth unfilled, or ten or fewer
  workshops eligible), and their units times their pressure;
- ``trust``: ``tie`` per positive tie kind joining the pair (at most
  ``max_kinds`` kinds); without a direct tie, ``two_hops`` when a common
  neighbour links them, ``three_hops`` for a path of three; ``organisation``
  when they belong to a common association or cooperative;
- ``proximity``: ``territory`` when both are in the same territory.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from matcher.model import CONFLICT, Cluster, Workshop

__all__ = ["PRESSING", "Demand", "Pair", "Pool", "Weights", "build_pool", "declared_mentor", "order_pressure"]

#: Pressure from which an order is named among the demand a pair serves.
PRESSING = 0.09

_YES = frozenset({"true", "yes", "y", "si", "sí", "1", "x"})
_NO = frozenset({"false", "no", "n", "0"})


@dataclass(frozen=True)
class Weights:
    """The weights of the gain of a pair (see the module's docstring).

    Examples
    --------
    >>> Weights().item, Weights().demand
    (1.0, 4.0)
    """

    item: float = 1.0
    demand: float = 4.0
    tie: float = 1.0
    max_kinds: int = 3
    two_hops: float = 0.5
    three_hops: float = 0.25
    organisation: float = 0.5
    territory: float = 0.5

    def to_dict(self) -> dict[str, float]:
        return {
            "item": self.item,
            "demand": self.demand,
            "tie": self.tie,
            "max_kinds": self.max_kinds,
            "two_hops": self.two_hops,
            "three_hops": self.three_hops,
            "organisation": self.organisation,
            "territory": self.territory,
        }


@dataclass(frozen=True)
class Pair:
    """One possible mentor–trainee pair and what makes it worth forming."""

    mentor_id: str
    trainee_id: str
    gain: float
    processes: tuple[str, ...]  # learnt
    products: tuple[str, ...]  # learnt
    sectors: frozenset[str]  # shared
    kinds: tuple[str, ...]  # positive tie kinds joining them
    hops: int | None  # shortest positive-tie distance (1 direct), None beyond 3
    organizations: tuple[str, ...]  # shared
    territory: str | None  # shared
    demand_units: int  # units of pressing orders needing what is learnt
    demand_orders: tuple[str, ...]


@dataclass(frozen=True)
class Pool:
    """The candidates of one run: mentors, trainees, pairs and what keeps others apart.

    ``pairs`` are the pairs the model may form (pinned ones included);
    ``fixed`` describes the pairs of trainees that already have a mentor
    (the kept existing ties). ``rejected[t]`` maps the causes that kept
    trainee ``t`` from a mentor (``no_mentor_sector``, ``only_conflict``;
    ``no_mentor_above`` when no mentor is even near) to the mentors concerned.
    """

    mentors: tuple[str, ...]
    trainees: tuple[str, ...]
    pairs: dict[tuple[str, str], Pair]
    conflicts: frozenset[tuple[str, str]]
    sectors_of: dict[str, frozenset[str]]
    fixed: dict[tuple[str, str], Pair] = field(default_factory=dict)
    rejected: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    declared: int = 0


def declared_mentor(workshop: Workshop) -> bool | None:
    """What a ``mentor`` column says of a workshop: True, False or None (no column, or empty).

    Examples
    --------
    >>> from matcher.model import Workshop
    >>> w = Workshop("A", "T", 2, ("tee",), ("sewing",), extra=(("Mentor", "sí"),))
    >>> declared_mentor(w), declared_mentor(Workshop("B", "T", 2, ("tee",), ("sewing",)))
    (True, None)
    """
    for column, value in workshop.extra:
        if column.strip().lower() in {"mentor", "mentora"}:
            said = value.strip().lower()
            return True if said in _YES else False if said in _NO else None
    return None


def order_pressure(quantity: int, filled: int, eligible: int) -> float:
    """How much an order presses: the share unfilled, plus the filled share over ``1 + eligible``.

    Examples
    --------
    >>> order_pressure(100, 0, 5), order_pressure(100, 100, 3), order_pressure(100, 50, 1)
    (1.0, 0.25, 0.75)
    """
    if quantity <= 0:
        return 0.0
    short = max(0.0, (quantity - filled) / quantity)
    return short + (1.0 - short) / (1.0 + max(0, eligible))


@dataclass(frozen=True)
class Demand:
    """What the orders ask for: each item's share of the pressing units, and its orders' units."""

    share: Mapping[str, float]
    orders: Mapping[str, tuple[str, ...]]  # item -> orders needing it (pressure > 0)
    units: Mapping[str, int]  # order -> its pressing units

    def served(self, items: Iterable[str]) -> tuple[int, tuple[str, ...]]:
        """The pressing units and the pressing orders that need any of ``items`` (most units first)."""
        orders = sorted({o for x in items for o in self.orders.get(x, ())}, key=lambda o: (-self.units[o], o))
        return sum(self.units[o] for o in orders), tuple(orders)


def _demand(cluster: Cluster, pressure: Mapping[str, float]) -> Demand:
    total = sum(o.quantity for o in cluster.orders) or 1
    share: dict[str, float] = {}
    orders: dict[str, list[str]] = {}
    units: dict[str, int] = {}
    for order in cluster.orders:
        weight = pressure.get(order.order_id, 1.0)
        units[order.order_id] = round(order.quantity * weight)
        for item in sorted({order.product, *(s.process for s in cluster.routing_of(order))}):
            share[item] = share.get(item, 0.0) + order.quantity * weight / total
            if weight >= PRESSING and units[order.order_id] > 0:
                orders.setdefault(item, []).append(order.order_id)
    return Demand(share, {k: tuple(v) for k, v in orders.items()}, units)


def _distances(cluster: Cluster, sources: Iterable[str], depth: int = 3) -> dict[str, dict[str, int]]:
    """Positive-tie hops from each source to the workshops within ``depth``."""
    neighbours = cluster.index.neighbours
    out: dict[str, dict[str, int]] = {}
    for source in sources:
        seen = {source: 0}
        frontier = [source]
        for hop in range(1, depth + 1):
            nxt = []
            for v in frontier:
                for u in sorted(neighbours.get(v, ())):
                    if u not in seen:
                        seen[u] = hop
                        nxt.append(u)
            frontier = nxt
        out[source] = seen
    return out


def _learnt(mentor: Workshop, trainee: Workshop) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The processes and the products the mentor has and the trainee lacks, in the mentor's order."""
    has = set(trainee.processes) | set(trainee.products)
    return (
        tuple(p for p in dict.fromkeys(mentor.processes) if p not in has),
        tuple(p for p in dict.fromkeys(mentor.products) if p not in has),
    )


def _kinds(cluster: Cluster) -> dict[tuple[str, str], set[str]]:
    kinds: dict[tuple[str, str], set[str]] = {}
    for t in cluster.ties:
        kinds.setdefault(t.pair, set()).add(t.kind)
    return kinds


def build_pool(
    cluster: Cluster,
    *,
    same_sector: bool,
    sectors: Mapping[str, str],
    pressure: Mapping[str, float],
    weights: Weights,
    exclude_trainees: Iterable[str] = (),
    forced: Iterable[tuple[str, str]] = (),
) -> Pool:
    """Mentors, trainees and every eligible pair with its gain.

    ``exclude_trainees`` are not offered a mentor (they have one: their
    ``forced`` pairs go to :attr:`Pool.fixed`); the other ``forced`` pairs
    (pinned) are in the pool whatever the rules say, except a conflict, which
    the caller refuses first.
    """
    workshops = sorted(cluster.workshops, key=lambda w: w.workshop_id)
    declared = {w.workshop_id: declared_mentor(w) for w in workshops}
    any_declared = sum(1 for v in declared.values() if v)
    mentors = tuple(
        w.workshop_id
        for w in workshops
        if (declared[w.workshop_id] if declared[w.workshop_id] is not None else w.can_lead)
    )
    forced = set(forced)
    forced_mentors = {m for m, _ in forced}
    skip = set(exclude_trainees)
    trainees = tuple(w.workshop_id for w in workshops if w.workshop_id not in skip)
    fixed_keys = sorted((m, t) for m, t in forced if t in skip)
    by_id = {w.workshop_id: w for w in workshops}
    sectors_of = {w.workshop_id: frozenset(sectors.get(p, p) for p in w.products) for w in workshops}
    kinds = _kinds(cluster)
    conflicts = frozenset(pair for pair, ks in kinds.items() if CONFLICT in ks)
    demand = _demand(cluster, pressure)
    hops = _distances(cluster, sorted(set(mentors) | forced_mentors))
    pairs: dict[tuple[str, str], Pair] = {}
    rejected: dict[str, dict[str, list[str]]] = {}
    pinned_to: dict[str, set[str]] = {}
    for m_id, t_id in forced:
        pinned_to.setdefault(t_id, set()).add(m_id)
    for t_id in trainees:
        trainee = by_id[t_id]
        found = 0
        for m_id in sorted(set(mentors) | pinned_to.get(t_id, set())):
            if m_id == t_id:
                continue
            mentor = by_id[m_id]
            key = (m_id, t_id)
            new_processes, new_products = _learnt(mentor, trainee)
            shared = sectors_of[m_id] & sectors_of[t_id]
            if key not in forced:
                if mentor.quality <= trainee.quality or not (new_processes or new_products):
                    continue
                if same_sector and not shared:
                    rejected.setdefault(t_id, {}).setdefault("no_mentor_sector", []).append(m_id)
                    continue
                if tuple(sorted(key)) in conflicts:
                    rejected.setdefault(t_id, {}).setdefault("only_conflict", []).append(m_id)
                    continue
            pairs[key] = _pair(
                mentor, trainee, new_processes, new_products, shared, kinds, hops[m_id], demand, weights
            )
            found += 1
        if not found and t_id not in rejected:
            rejected[t_id] = {"no_mentor_above": ()}
    fixed = {}
    for m_id, t_id in fixed_keys:
        mentor, trainee = by_id[m_id], by_id[t_id]
        shared = sectors_of[m_id] & sectors_of[t_id]
        fixed[m_id, t_id] = _pair(
            mentor, trainee, *_learnt(mentor, trainee), shared, kinds, hops[m_id], demand, weights
        )
    return Pool(
        mentors=mentors,
        trainees=trainees,
        pairs=pairs,
        fixed=fixed,
        conflicts=conflicts,
        sectors_of=sectors_of,
        rejected={t: {c: tuple(ms) for c, ms in cs.items()} for t, cs in rejected.items()},
        declared=any_declared,
    )


def _pair(
    mentor: Workshop,
    trainee: Workshop,
    processes: tuple[str, ...],
    products: tuple[str, ...],
    shared: frozenset[str],
    kinds: Mapping[tuple[str, str], set[str]],
    hops_from_mentor: Mapping[str, int],
    demand: Demand,
    weights: Weights,
) -> Pair:
    m_id, t_id = mentor.workshop_id, trainee.workshop_id
    learnt = (*processes, *products)
    learn = sum(weights.item + weights.demand * demand.share.get(x, 0.0) for x in learnt)
    units, orders = demand.served(learnt)
    positive = tuple(sorted(k for k in kinds.get(tuple(sorted((m_id, t_id))), ()) if k != CONFLICT))
    hops = hops_from_mentor.get(t_id)
    trust = weights.tie * min(len(positive), weights.max_kinds)
    if not positive:
        trust += weights.two_hops if hops == 2 else weights.three_hops if hops == 3 else 0.0
    organizations = tuple(sorted(set(mentor.organizations) & set(trainee.organizations)))
    if organizations:
        trust += weights.organisation
    territory = mentor.territory if mentor.territory == trainee.territory else None
    proximity = weights.territory if territory is not None else 0.0
    return Pair(
        mentor_id=m_id,
        trainee_id=t_id,
        gain=round(learn + trust + proximity, 6),
        processes=processes,
        products=products,
        sectors=shared,
        kinds=positive,
        hops=hops if hops is None or hops <= 3 else None,
        organizations=organizations,
        territory=territory,
        demand_units=units,
        demand_orders=orders,
    )
