"""Supplier shortlists for lead firms: single workshops and ready groups, scored and anonymized.

For one order (of the cluster, or described by a lead firm) the shortlist gives

- **singles**: eligible workshops that do every process of the order and have
  the minutes for all of it by the due date;
- **groups**: distinct groups of two or more workshops that can make the whole
  order together under the rules of a good group (the same model as
  :func:`matcher.optimize.solve_orders`). Groups are found one after another,
  best first by the preferred rules; each found group is then forbidden, with
  all groups that contain it, and the model is solved again. A workshop that
  can take the order alone is shortlisted as a single and is left out of the
  groups.

Capacity is what each workshop has free by the order's due date
(:meth:`matcher.model.Workshop.available_minutes`); other orders of the
cluster are not subtracted, since the shortlist says who *could* take it.

Each entry has a score in parts, each in [0, 1], computed from the members'
profiles as they are shown (see below), so that a lead firm can check every
part against what it reads:

- ``capability``: the mean of (a) the share of members whose main (first)
  product is the order's and (b) the mean share of the order's processes each
  member does (1 for a single: it does them all);
- ``capacity``: 1 − minutes needed / minutes the members have free by the due
  date: the share of their free minutes the order leaves spare;
- ``quality_margin``: how far the lowest member quality is above the order's
  minimum, (lowest − minimum) / (5 − minimum): 0 when it just meets the
  minimum, 1 at quality 5 (and 1 when the order asks for 5);
- ``reliability``: the share of past orders delivered on time and at the
  quality asked (the ``reliability`` column of ``workshops.csv``). A single's
  is its own; a group's is the mean of its members' known values weighted by
  the minutes each member works on the order, so the members doing most of
  the work count most. Members with no value are left out of that mean; when
  no member has one the part is unknown (``None``);
- ``cohesion`` (groups only): the mean of the share of member pairs joined by
  a positive tie and of (members − tie-connected parts) / (members − 1), which
  is 1 when ties connect the whole group.

The total is the mean of the parts that are known, weighted by
:data:`SCORE_WEIGHTS`. Singles and groups are ranked apart, by total, then by
their workshop ids (a stable key).

The result holds workshop ids for a coordinator; its :meth:`Shortlist.to_dict`
is the anonymized form a lead firm sees: an opaque reference per entry and per
member (``S1``, ``G1``, ``G1-a``) and a profile that fits at least ``k``
workshops of the cluster (:mod:`matcher.privacy`): territory, size band (micro
1–4, small 5–10, medium 11+ workers), quality (a level or a band), formality,
the order's processes it does, whether its main product is the order's and
whether it leads the group, each coarsened or withheld (``None``) as the
profile needs; never an id, a name, a contact or a location. The score reads
a banded quality at the band's lowest level, a withheld quality as the
order's minimum, a withheld main product as another and withheld processes
as those the member works on: what the profile guarantees, no more. With
``k=1`` profiles and scores are exact. ``to_dict(reveal_ids=True)`` adds the
workshop ids and how many workshops each profile fits. Contacts are never
loaded here.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pulp

from matcher.errors import InvalidOptionError, SolverFailed
from matcher.messages import Message, paired_texts
from matcher.model import CONFLICT, Cluster, Order, Tie, Workshop
from matcher.optimize._explain import Solution, assemble, diagnose, group_cohesion
from matcher.optimize._model import build_model, read_solution
from matcher.optimize._problem import MatchProblem, OrderSpec
from matcher.optimize._solve import resolve_solver, run_solver
from matcher.optimize.greedy import greedy_solution
from matcher.optimize.options import MatchOptions
from matcher.optimize.result import Allocation, MatchResult, Member, OrderResult
from matcher.optimize.rules import Rules
from matcher.optimize.verify import verify_result
from matcher.privacy import DEFAULT_K, AnonymousProfile, anonymous_profile, check_k

__all__ = ["SCORE_WEIGHTS", "Profile", "Score", "Shortlist", "ShortlistEntry", "shortlist"]

#: Weight of each part in the total score; parts that are unknown or do not
#: apply (cohesion of a single) are left out of the mean.
SCORE_WEIGHTS: dict[str, float] = {
    "capability": 1.0,
    "capacity": 1.0,
    "quality_margin": 1.0,
    "reliability": 1.0,
    "cohesion": 1.0,
}
TOP_QUALITY = 5
_TOLERANCE = 1e-9
#: Candidates the search for groups may take per second of ``time_limit`` (and at
#: least ``MIN_POOL``): building the model costs about a millisecond per
#: candidate and HiGHS's first pass over it (which its time limit does not
#: interrupt) grows with it, so a web call with 0.15 s searches the 30 best
#: placed workshops, and a coordinator's 30 s run up to 6,000.
POOL_PER_SECOND = 200
MIN_POOL = 30
#: Seconds kept back from the solver for reading and scoring what it found.
_RESERVE = 0.01
#: A solve is not started with less time than this left (nor than this share of
#: the time limit): HiGHS needs a few milliseconds just to take the model in.
_LEAST_SOLVE = 0.05
_LEAST_SOLVE_SHARE = 0.2
#: Below this time limit (a web call) the search is short: every group may
#: come from the greedy baseline, and a solve is started only with
#: ``_SOLVE_HEADROOM`` left, since HiGHS's first pass over the model (its
#: analytic centre), which its time limit does not interrupt, takes 0.05-0.3 s
#: on a 30-candidate model. Above it, with a capped pool, only the first group
#: comes from the greedy baseline and the solver finds the rest.
_SHORT_TIME = 0.5
_SOLVE_HEADROOM = 0.1


@dataclass(frozen=True)
class Score:
    """A shortlist entry's score, in parts each in [0, 1] (``None``: unknown or not applicable).

    Examples
    --------
    >>> s = Score(capability=1.0, capacity=0.5, quality_margin=0.0)
    >>> s.total
    0.5
    >>> s.to_dict()["reliability"] is None
    True
    """

    capability: float
    capacity: float
    quality_margin: float
    reliability: float | None = None
    cohesion: float | None = None

    def parts(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in SCORE_WEIGHTS}

    @property
    def total(self) -> float:
        """The weighted mean of the known parts."""
        known = {k: v for k, v in self.parts().items() if v is not None}
        return sum(SCORE_WEIGHTS[k] * v for k, v in known.items()) / sum(SCORE_WEIGHTS[k] for k in known)

    def to_dict(self) -> dict[str, float | None]:
        parts = {k: None if v is None else round(v, 4) for k, v in self.parts().items()}
        return {**parts, "total": round(self.total, 4)}


@dataclass(frozen=True)
class Profile:
    """A member as a lead firm may see it (``shown``), with the workshop id kept for a coordinator.

    ``allocations`` are its share of the order's work (a group member's); the
    processes they name are among those ``shown`` counts it as doing.
    """

    ref: str
    workshop_id: str
    shown: AnonymousProfile
    allocations: tuple[Allocation, ...] = ()

    @property
    def leader(self) -> bool:
        """Whether it is shown as its group's leader (False when that is withheld)."""
        return bool(self.shown.leader)

    def to_dict(self, *, reveal_ids: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"ref": self.ref}
        if reveal_ids:
            data["workshop_id"] = self.workshop_id
            data["matches"] = self.shown.matches
        data.update(self.shown.to_dict())
        data["allocations"] = [
            {"process": a.process, "units": a.units, "minutes": a.minutes} for a in self.allocations
        ]
        return data


@dataclass(frozen=True)
class ShortlistEntry:
    """One single workshop (``kind="single"``) or group (``kind="group"``) that can take the order.

    ``why_messages`` say why it fits (:class:`~matcher.messages.Message`, naming
    members by their references only); ``why`` is their English text.
    """

    ref: str
    kind: str
    members: tuple[Profile, ...]
    score: Score
    free_minutes: float
    needed_minutes: float
    why: tuple[str, ...] = ()
    why_messages: tuple[Message, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "why", paired_texts(self.why, self.why_messages))

    @property
    def workshop_ids(self) -> tuple[str, ...]:
        return tuple(m.workshop_id for m in self.members)

    def to_dict(self, *, reveal_ids: bool = False) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "kind": self.kind,
            "size": len(self.members),
            "score": self.score.to_dict(),
            "free_minutes": round(self.free_minutes, 1),
            "needed_minutes": round(self.needed_minutes, 1),
            "members": [m.to_dict(reveal_ids=reveal_ids) for m in self.members],
            "why": list(self.why),
            "why_messages": [m.to_dict() for m in self.why_messages],
        }


@dataclass(frozen=True)
class Shortlist:
    """Ranked singles and groups for one order, and how the search for groups went.

    ``search["stopped"]`` says why the search for groups ended: ``top`` (as many
    as asked were found), ``no_more_groups`` (the solver proved there is no
    other) or ``time_limit`` (more may exist). ``search["all_optimal"]`` is
    True when every group was proved the best one left when it was found.
    ``note_messages`` say what the reader should know (why nothing fits, how the
    search was cut short, unknown reliability, coarsened profiles); ``notes`` is
    their English text. Every member's profile fits at least ``k`` workshops
    of the cluster (:mod:`matcher.privacy`), and with ``k`` above 1 nothing
    describes fewer than ``k``: when fewer than ``k`` workshops are eligible
    for the order no entry is shown (the note ``shortlist.small_pool`` says
    why), a diagnosis leaves out the causes and lines that count fewer than
    ``k`` workshops (``shortlist.small_cells``), and ``search`` shows such a
    count of candidates as ``None``.
    """

    order: Order
    described: bool
    singles: tuple[ShortlistEntry, ...]
    groups: tuple[ShortlistEntry, ...]
    search: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    note_messages: tuple[Message, ...] = ()
    k: int = DEFAULT_K

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", paired_texts(self.notes, self.note_messages))

    def to_dict(self, *, reveal_ids: bool = False) -> dict[str, Any]:
        """JSON-ready form; anonymized (no workshop id) unless ``reveal_ids``."""
        order = self.order
        return {
            "order": {
                "order_id": order.order_id,
                "described": self.described,
                "product": order.product,
                "quantity": order.quantity,
                "due_weeks": order.due_weeks,
                "min_quality": order.min_quality,
                "max_group_size": order.max_group_size,
                "territories": list(order.territories),
                "require_formal": order.require_formal,
            },
            "score_weights": dict(SCORE_WEIGHTS),
            "anonymity": {"k": self.k},
            "singles": [e.to_dict(reveal_ids=reveal_ids) for e in self.singles],
            "groups": [e.to_dict(reveal_ids=reveal_ids) for e in self.groups],
            "search": dict(self.search),
            "notes": list(self.notes),
            "note_messages": [m.to_dict() for m in self.note_messages],
        }


@dataclass(frozen=True, eq=False)
class _ClusterIndex:
    """What every shortlist on one cluster reuses, built once per :class:`Cluster` object.

    ``makers``: per product, the workshops that make it, in dataset order;
    ``ties_of``: per workshop, the positions in ``cluster.ties`` of its ties
    (conflicts included); ``neighbours``: per workshop, those joined to it by
    a positive tie.
    """

    makers: Mapping[str, tuple[Workshop, ...]]
    ties_of: Mapping[str, tuple[int, ...]]
    neighbours: Mapping[str, frozenset[str]]


# A Cluster is immutable and hashes by identity: an index is good for as long as
# its cluster lives, and goes with it.
_INDEXES: weakref.WeakKeyDictionary[Cluster, _ClusterIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def cluster_index(cluster: Cluster) -> _ClusterIndex:
    """The cluster's index (see :class:`_ClusterIndex`), built on first use and then reused.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> c = Cluster((Workshop("A", "T", 2, ("polo", "tee"), ("sewing",)),
    ...              Workshop("B", "T", 2, ("tee",), ("sewing",))),
    ...             ties=(Tie("A", "B", "kinship"), Tie("B", "A", "conflict")))
    >>> index = cluster_index(c)
    >>> [w.workshop_id for w in index.makers["tee"]], index.ties_of["B"], sorted(index.neighbours["A"])
    (['A', 'B'], (0, 1), ['B'])
    >>> cluster_index(c) is index
    True
    """
    with _INDEXES_LOCK:
        index = _INDEXES.get(cluster)
        if index is None:
            makers: dict[str, list[Workshop]] = defaultdict(list)
            for w in cluster.workshops:
                for product in dict.fromkeys(w.products):
                    makers[product].append(w)
            ties_of: dict[str, list[int]] = defaultdict(list)
            neighbours: dict[str, set[str]] = defaultdict(set)
            for i, t in enumerate(cluster.ties):
                ties_of[t.source].append(i)
                if t.target != t.source:
                    ties_of[t.target].append(i)
                if t.kind != CONFLICT:
                    neighbours[t.source].add(t.target)
                    neighbours[t.target].add(t.source)
            index = _ClusterIndex(
                makers={p: tuple(ws) for p, ws in makers.items()},
                ties_of={w: tuple(ts) for w, ts in ties_of.items()},
                neighbours={w: frozenset(vs) for w, vs in neighbours.items()},
            )
            _INDEXES[cluster] = index
    return index


def _reach(rules: Rules) -> int:
    """Positive-tie steps a group's rules look at beyond its members (the leader's reach)."""
    return rules.leader_hops if rules.required("leader") else 1


def local_ties(cluster: Cluster, ids: Iterable[str], hops: int = 1) -> tuple[Tie, ...]:
    """The ties that every path of at most ``hops`` positive-tie steps from ``ids`` runs along.

    That is every tie of a workshop within ``hops - 1`` positive steps of ``ids``,
    in dataset order: enough to tell the conflicts and ties among ``ids`` and
    which workshops a leader among them reaches in ``hops`` steps, as in the
    whole cluster.

    Examples
    --------
    >>> from matcher.model import Cluster, Tie, Workshop
    >>> c = Cluster(tuple(Workshop(w, "T", 2, ("tee",), ("sewing",)) for w in "ABCD"),
    ...             ties=(Tie("A", "B", "kinship"), Tie("B", "C", "friendship"), Tie("C", "D", "conflict")))
    >>> [(t.source, t.target) for t in local_ties(c, ["A"])]
    [('A', 'B')]
    >>> [(t.source, t.target) for t in local_ties(c, ["A"], hops=2)]
    [('A', 'B'), ('B', 'C')]
    """
    index = cluster_index(cluster)
    seen = set(ids)
    frontier = list(seen)
    for _ in range(hops - 1):
        reached = []
        for v in frontier:
            for u in index.neighbours.get(v, ()):
                if u not in seen:
                    seen.add(u)
                    reached.append(u)
        frontier = reached
    picked = sorted({i for w in seen for i in index.ties_of.get(w, ())})
    return tuple(cluster.ties[i] for i in picked)


def _local_cluster(cluster: Cluster, order: Order, ids: Iterable[str], hops: int) -> Cluster:
    """The workshops ``ids`` with the ties around them (see :func:`local_ties`) and the order alone.

    Models, explanations and the verifier read only these, so a search over a
    few workshops of a large cluster does not walk all its ties.
    """
    ids = sorted(ids)
    return Cluster(
        tuple(cluster.workshop(w) for w in ids),
        local_ties(cluster, ids, hops),
        (),
        (order,),
        cluster.routings,
    )


def pool_size(time_limit: float) -> int:
    """Most candidates the search for groups takes within ``time_limit`` seconds.

    Examples
    --------
    >>> pool_size(0.15), pool_size(1.0), pool_size(30.0)
    (30, 200, 6000)
    """
    return max(MIN_POOL, int(POOL_PER_SECOND * time_limit))


def group_pool(
    problem: MatchProblem,
    spec: OrderSpec,
    ids: Iterable[str],
    size: int,
    neighbours: Mapping[str, Iterable[str]],
) -> list[str]:
    """The ``size`` best placed of ``ids`` to search for groups among, sorted.

    A workshop's worth is the minutes it could give the order (what it has free
    by the due date, at most what its processes of the order take), and one
    that cannot make a lot of any (:attr:`OrderSpec.lot`, at least a unit) is
    left out. First come the best doers of
    each process and the best willing leaders (``size`` / (2 × (processes + 1))
    each), so that the pool covers the order and can be led; then the most
    minutes, up to three quarters of the pool; then positive-tie neighbours of
    those chosen (the most minutes first), for cohesion; then the most minutes
    again. Ties in worth are broken by id. ``neighbours`` gives each
    workshop's positive-tie neighbours.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> ws = (Workshop("A", "T", 1, ("tee",), ("cutting",), capacity_minutes_per_week=10),
    ...       Workshop("B", "T", 1, ("tee",), ("sewing",), capacity_minutes_per_week=40),
    ...       Workshop("C", "T", 1, ("tee",), ("sewing",), capacity_minutes_per_week=30),
    ...       Workshop("D", "T", 1, ("tee",), ("sewing",), capacity_minutes_per_week=1))
    >>> c = Cluster(ws, routings={"tee": (RoutingStep("cutting", 1.0), RoutingStep("sewing", 2.0))})
    >>> p = MatchProblem.build(c, (Order("O1", "tee", 10, 1.0),), MatchOptions())
    >>> group_pool(p, p.specs[0], "ABCD", 2, {})  # D cannot sew one tee; A is the only cutter
    ['A', 'B']
    """
    due, quantity, lot = spec.order.due_weeks, spec.order.quantity, max(1, spec.lot)
    steps = [(s.process, s.minutes_per_unit) for s in spec.steps]
    worth: dict[str, float] = {}
    for w in ids:
        workshop = problem.workshop(w)
        minutes = [m for p, m in steps if p in workshop.processes]
        if minutes:
            give = min(workshop.available_minutes(due), quantity * sum(minutes))
            if give >= lot * min(minutes):
                worth[w] = give
    ranked = sorted(worth, key=lambda w: (-worth[w], w))
    quota = max(1, size // (2 * (len(steps) + 1)))
    best: dict[str, list[str]] = {p: [] for p, _ in steps}
    leaders: list[str] = []
    for w in ranked:  # one pass: the best doers of each process, and leaders
        workshop = problem.workshop(w)
        for p, doers in best.items():
            if len(doers) < quota and p in workshop.processes:
                doers.append(w)
        if len(leaders) < quota and workshop.can_lead:
            leaders.append(w)
        if len(leaders) == quota and all(len(doers) == quota for doers in best.values()):
            break
    chosen = dict.fromkeys(w for doers in [*best.values(), leaders] for w in doers)
    for w in ranked:
        if len(chosen) >= size * 3 // 4:
            break
        chosen[w] = None
    for w in list(chosen):
        for v in sorted(worth.keys() & set(neighbours.get(w, ())), key=lambda v: (-worth[v], v)):
            if len(chosen) >= size:
                break
            chosen[v] = None
    for w in ranked:
        if len(chosen) >= size:
            break
        chosen[w] = None
    return sorted(list(chosen)[:size])


def greedy_groups(problem: MatchProblem, spec: OrderSpec, top: int, until: float) -> list[Solution]:
    """Up to ``top`` distinct groups by the greedy baseline, none containing another.

    The greedy group of ``spec``'s eligible workshops comes first; then, breadth
    first, the greedy group without one more member of a group found (each
    member in turn, by id), until ``top`` are found, no leaving-out gives a new
    one, or ``time.perf_counter()`` reaches ``until``.

    Examples
    --------
    >>> from matcher.model import Cluster, Order, RoutingStep, Workshop
    >>> ws = tuple(Workshop(w, "T", 1, ("tee",), ("sewing",), capacity_minutes_per_week=m)
    ...            for w, m in (("A", 15), ("B", 12), ("C", 10)))
    >>> c = Cluster(ws, routings={"tee": (RoutingStep("sewing", 2.0),)})
    >>> five = MatchOptions(rules=Rules(min_lot=5))  # A sews up to 7 tees, B 6, C 5: any two, in lots of 5
    >>> p = MatchProblem.build(c, (Order("O1", "tee", 10, 1.0),), five)
    >>> [sorted(g["O1"]) for g in greedy_groups(p, p.specs[0], 5, math.inf)]
    [['A', 'B'], ['B', 'C'], ['A', 'C']]
    """
    o = spec.order_id
    found: list[Solution] = []
    groups: list[frozenset[str]] = []
    queue: list[frozenset[str]] = [frozenset()]
    tried: set[frozenset[str]] = set()
    while queue and len(found) < top and time.perf_counter() < until:
        left_out = queue.pop(0)
        if left_out in tried:
            continue
        tried.add(left_out)
        eligible = tuple(w for w in spec.eligible if w not in left_out)
        part = MatchProblem(problem.cluster, (replace(spec, eligible=eligible),), problem.options)
        solution = greedy_solution(part)
        group = frozenset(solution.get(o, {}))
        if not group or any(g <= group for g in groups):
            continue
        found.append(solution)
        groups.append(group)
        queue.extend(left_out | {w} for w in sorted(group))
    return found


def _check_order(cluster: Cluster, order: Order | str) -> tuple[Order, bool]:
    """The order asked for and whether it is described (not in the cluster); every problem at once."""
    if isinstance(order, str):
        return cluster.order(order), False
    if not isinstance(order, Order):
        raise InvalidOptionError(
            f"order must be an order id or an Order, got {type(order).__name__}; "
            f"order ids: {', '.join(o.order_id for o in cluster.orders) or '(none)'}"
        )

    def whole(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def positive(value: object) -> bool:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value > 0
        )

    problems = []
    if not isinstance(order.order_id, str) or not order.order_id.strip():
        problems.append("order_id must be a non-empty text")
    if not isinstance(order.product, str) or not order.product.strip():
        problems.append("product must be a product code")
    if not whole(order.quantity) or order.quantity < 1:
        problems.append(f"quantity must be a whole number >= 1, got {order.quantity!r}")
    if not positive(order.due_weeks):
        problems.append(f"due_weeks must be a number of weeks > 0, got {order.due_weeks!r}")
    if not whole(order.min_quality) or not 1 <= order.min_quality <= TOP_QUALITY:
        problems.append(f"min_quality must be a whole number from 1 to 5, got {order.min_quality!r}")
    if order.max_group_size is not None and (not whole(order.max_group_size) or order.max_group_size < 1):
        problems.append(f"max_group_size must be a whole number >= 1, got {order.max_group_size!r}")
    bad_steps = [s.process for s in order.processes if not positive(s.minutes_per_unit)]
    if bad_steps:
        problems.append(f"minutes per unit must be > 0 (processes {', '.join(bad_steps)})")
    if not problems and not cluster.routing_of(order):
        known = ", ".join(sorted(cluster.routings)) or "(none)"
        problems.append(
            f"no routing for product {order.product}; give the order's processes or use a known "
            f"product: {known}"
        )
    existing = next((o for o in cluster.orders if o.order_id == order.order_id), None)
    if existing is not None and existing != order:
        problems.append(
            f"order id {order.order_id} is already an order of the dataset with other details; "
            "pass its id to use it, or give the described order a new id"
        )
    if problems:
        raise InvalidOptionError(f"order {order.order_id}: " + "; ".join(problems))
    return order, existing is None


def _profiles(
    cluster: Cluster, order: Order, members: Iterable[Member], k: int
) -> tuple[AnonymousProfile, ...]:
    """The members' profiles as a lead firm may see them (:func:`matcher.privacy.anonymous_profile`).

    When the leader's mark must be withheld, it is withheld from every member:
    the others' ``False`` would point to the leader.
    """
    shown = tuple(
        anonymous_profile(
            cluster, order, m.workshop_id, k=k, leader=m.leader, works_on=[a.process for a in m.allocations]
        )
        for m in members
    )
    if any(p.leader is None for p in shown):
        shown = tuple(
            p
            if p.leader is None
            else replace(p, leader=None, withheld=(*p.withheld, "leader"), coarsened=(*p.coarsened, "leader"))
            for p in shown
        )
    return shown


def _reliability(workshops: list[Workshop], minutes: Mapping[str, float] | None) -> float | None:
    """The mean of the members' known reliability, weighted by their minutes on the order.

    Equal weights when ``minutes`` is None or gives the known members no minutes;
    None when no member's reliability is known.
    """
    known = {w.workshop_id: w.reliability for w in workshops if w.reliability is not None}
    if not known:
        return None
    weights = {w: 1.0 if minutes is None else minutes.get(w, 0.0) for w in known}
    if sum(weights.values()) <= 0:
        weights = dict.fromkeys(known, 1.0)
    return sum(weights[w] * value for w, value in known.items()) / sum(weights.values())


def _score(
    problem: MatchProblem,
    spec: OrderSpec,
    group: list[str],
    shown: Iterable[AnonymousProfile],
    minutes: Mapping[str, float] | None = None,
) -> tuple[Score, float, float]:
    """The score of a single or group, the minutes its members have free and the minutes needed.

    Capability and quality margin read the members' profiles as ``shown``, at
    the least they guarantee: a quality band at its lowest level, a withheld
    quality as the order's minimum, a withheld main product as another one,
    withheld processes as those the member works on. ``minutes`` (a group's
    minutes per member on the order) weights the members' reliability.
    """
    order = spec.order
    shown = list(shown)
    workshops = [problem.workshop(w) for w in group]
    needed = order.quantity * sum(s.minutes_per_unit for s in spec.steps)
    free = sum(w.available_minutes(order.due_weeks) for w in workshops)
    main = sum(p.main_product is True for p in shown) / len(shown)
    does = sum(
        len(p.works_on if p.processes is None else p.processes) / len(spec.steps) for p in shown
    ) / len(shown)
    spread = TOP_QUALITY - order.min_quality
    lowest = min(order.min_quality if p.quality is None else p.quality[0] for p in shown)
    cohesion = None
    if len(group) > 1:
        c = group_cohesion(problem, group)
        cohesion = 0.5 * c["density"] + 0.5 * (len(group) - c["components"]) / (len(group) - 1)
    score = Score(
        capability=(main + does) / 2,
        capacity=min(1.0, max(0.0, 1.0 - needed / free)) if free > 0 else 0.0,
        quality_margin=1.0 if spread <= 0 else min(1.0, max(0.0, (lowest - order.min_quality) / spread)),
        reliability=_reliability(workshops, minutes),
        cohesion=cohesion,
    )
    return score, free, needed


def _verified(
    cluster: Cluster, spec: OrderSpec, options: MatchOptions, solution: Solution, solver: str
) -> OrderResult | None:
    """The group of a solution, assembled, when the independent verifier finds it breaks no rule.

    Both read only the members and the ties around them (:func:`_local_cluster`),
    which is all the rules look at.
    """
    members = sorted(solution.get(spec.order_id, {}))
    local = _local_cluster(cluster, spec.order, members, _reach(spec.rules))
    (result,) = assemble(MatchProblem(local, (replace(spec, eligible=tuple(members)),), options), solution)
    if result.status != "filled":
        return None
    run = MatchResult(solver=solver, status="feasible", gap=None, orders=(result,), options=options)
    return None if verify_result(local, run) else result


def _single_why(spec: OrderSpec, shown: AnonymousProfile, free: float, needed: float) -> tuple[Message, ...]:
    """Why a single can take the order; its main product only as far as its profile shows it."""
    order = spec.order
    processes = [s.process for s in spec.steps]
    args = {"processes": processes, "free": free, "week": order.due_weeks, "needed": needed}
    lines = [Message("shortlist.single", args)]
    if shown.main_product is not None:
        key = "why.mainly_makes" if shown.main_product else "shortlist.not_main_product"
        lines.append(Message(key, {"product": order.product}))
    return tuple(lines)


def _group_why(
    problem: MatchProblem,
    spec: OrderSpec,
    result: OrderResult,
    refs: dict[str, str],
    free: float,
    needed: float,
    leader_shown: bool = True,
) -> tuple[Message, ...]:
    """Why a group can take the order, naming its members by their references only.

    The leader is named only when ``leader_shown`` (its profile may say so).
    """
    lines = [Message("shortlist.group", {"size": len(result.group), "week": spec.order.due_weeks})]
    for step in spec.steps:
        doers = [
            refs[m.workshop_id] for m in result.group if any(a.process == step.process for a in m.allocations)
        ]
        lines.append(Message("shortlist.group_process", {"process": step.process, "refs": doers}))
    c = result.cohesion
    pairs = len(result.group) * (len(result.group) - 1) // 2
    if c["connected"]:
        lines.append(Message("shortlist.group_linked", {"tied": c["positive_pairs"], "pairs": pairs}))
    else:
        args = {"tied": c["positive_pairs"], "pairs": pairs, "parts": c["components"]}
        lines.append(Message("shortlist.group_parts", args))
    leader = result.leader_id
    if not leader:
        lines.append(Message("shortlist.group_no_leader"))
    elif leader_shown:
        lines.append(Message("shortlist.group_leader", {"ref": refs[leader]}))
    else:
        lines.append(Message("shortlist.group_leader_withheld"))
    lines.append(Message("shortlist.group_free", {"free": free, "needed": needed}))
    return tuple(lines)


def _singles(
    problem: MatchProblem, spec: OrderSpec, top: int, solver: str, k: int
) -> tuple[list[tuple[str, Score, float, float, AnonymousProfile]], set[str]]:
    """Verified singles (best first, at most ``top``) and every workshop that can take the order alone.

    Each single comes with its score, free and needed minutes and its profile
    (fitting ``k`` workshops of ``problem.cluster``).
    """
    order = spec.order
    needed = order.quantity * sum(s.minutes_per_unit for s in spec.steps)
    processes = [s.process for s in spec.steps]
    alone = set()
    for w in spec.eligible:
        workshop = problem.workshop(w)
        if workshop.available_minutes(order.due_weeks) >= needed - _TOLERANCE and all(
            p in workshop.processes for p in processes
        ):
            alone.add(w)

    def scored(w: str, fewest: int) -> tuple[str, Score, float, float, AnonymousProfile]:
        shown = anonymous_profile(problem.cluster, order, w, k=fewest, works_on=processes)
        return (w, *_score(problem, spec, [w], [shown]), shown)

    def rank(entry: tuple[str, Score, float, float, AnonymousProfile]) -> tuple[float, str]:
        return (-round(entry[1].total, 9), entry[0])

    # A profile's score is never above its exact one (k=1): candidates are anonymized best
    # exact score first, only while one of them could still come before the best found.
    bounds = deque(sorted((scored(w, 1) for w in alone), key=rank))
    pending: list[tuple[str, Score, float, float, AnonymousProfile]] = []
    chosen = []
    while len(chosen) < top:
        while bounds and (not pending or rank(bounds[0])[0] <= rank(min(pending, key=rank))[0]):
            bound = bounds.popleft()
            pending.append(bound if k == 1 else scored(bound[0], k))
        if not pending:
            break
        candidate = min(pending, key=rank)
        pending.remove(candidate)
        solution = {order.order_id: {candidate[0]: {s.process: order.quantity for s in spec.steps}}}
        if _verified(problem.cluster, spec, problem.options, solution, solver) is not None:
            chosen.append(candidate)
    return chosen, alone


def _group_options(options: MatchOptions, order_id: str) -> MatchOptions:
    """The run's options for the group search: whole fills, and at least two members."""
    rules = options.rules_for(order_id)
    changes = {**options.order_rules.get(order_id, {}), "min_group_size": max(2, rules.min_group_size)}
    return replace(options, allow_partial=False, order_rules={order_id: changes})


def _groups(
    base: MatchProblem,
    spec: OrderSpec,
    options: MatchOptions,
    alone: set[str],
    top: int,
    solver: str,
    deadline: float,
) -> tuple[list[OrderResult], MatchProblem, dict[str, Any]]:
    """Distinct verified groups, in the order found, the problem they were found in, and how it went.

    The search runs on the eligible workshops that cannot take the order alone,
    at most :func:`pool_size` of them (the best placed, :func:`group_pool`).
    With a pool that leaves some out, the greedy group comes first, and with a
    short time limit (below ``_SHORT_TIME``) groups by the greedy baseline
    (:func:`greedy_groups`) come first, each offered when the verifier accepts
    it, so that a stop on time still has groups to offer.
    """
    cluster, order, o = base.cluster, spec.order, spec.order_id
    group_options = _group_options(options, o)
    candidates = [w for w in spec.eligible if w not in alone]
    size = pool_size(options.time_limit)
    capped = len(candidates) > size
    pool = (
        group_pool(base, spec, candidates, size, cluster_index(cluster).neighbours) if capped else candidates
    )
    local = _local_cluster(cluster, order, pool, _reach(group_options.rules_for(o)))
    problem = MatchProblem.build(local, (order,), group_options)
    spec = problem.specs[0]
    search: dict[str, Any] = {
        "solver": solver,
        "candidates": len(spec.eligible),
        "eligible": len(candidates),
        "all_optimal": True,
    }
    found: list[OrderResult] = []
    if len(spec.eligible) < max(2, spec.rules.min_group_size) or (spec.cap is not None and spec.cap < 2):
        return found, problem, {**search, "stopped": "no_more_groups", "groups_found": 0}
    least = min(_LEAST_SOLVE, _LEAST_SOLVE_SHARE * options.time_limit)
    short = options.time_limit < _SHORT_TIME
    if capped or short:
        # A short time, or a large cluster: greedy groups are ready at once,
        # whatever the solver manages after them (they are not proved the best);
        # only one when there is time for the solver to find better ones.
        for solution in greedy_groups(problem, spec, top if short else 1, deadline - least):
            result = _verified(cluster, spec, group_options, solution, solver)
            if result is not None:
                found.append(result)
                search["all_optimal"] = False
    if short:
        # HiGHS's first pass over the model is not cut short by its time limit.
        least = max(least, _SOLVE_HEADROOM)
    if len(found) >= top or deadline - time.perf_counter() <= least:
        stopped = "top" if len(found) >= top else "time_limit"
        return found, problem, {**search, "stopped": stopped, "groups_found": len(found)}
    model = build_model(problem)
    model.prob += model.filled[o] >= order.quantity, f"whole_order_{o}"
    model.prob.setObjective(model.preferences())

    cuts = 0

    def never_again(group: list[str]) -> None:
        """The no-good cut: never this group again, nor any group that contains it."""
        nonlocal cuts
        members = [model.member[w, o] for w in group]
        model.prob += pulp.lpSum(members) <= len(group) - 1, f"not_again_{cuts}_{o}"
        cuts += 1

    for result in found:
        never_again([m.workshop_id for m in result.group])
    stopped = "top"
    while len(found) < top:
        left = deadline - time.perf_counter()
        if left <= least:
            stopped = "time_limit"
            break
        outcome = run_solver(model.prob, solver, time_limit=left - _RESERVE, seed=options.seed)
        if outcome.status == "infeasible":
            stopped = "no_more_groups"
            break
        if outcome.status == "none":
            stopped = "time_limit"
            break
        search["all_optimal"] = search["all_optimal"] and outcome.status == "optimal"
        solution = read_solution(model)
        group = sorted(solution.get(o, {}))
        result = _verified(cluster, spec, group_options, solution, solver)
        if result is None or any({m.workshop_id for m in g.group} == set(group) for g in found):
            raise SolverFailed(
                f"the {solver} solver gave group {', '.join(group)} for order {o}, which the verifier "
                "refuses or was found before; please report this"
            )
        found.append(result)
        never_again(group)
    return found, problem, {**search, "stopped": stopped, "groups_found": len(found)}


def shortlist(
    cluster: Cluster,
    order: Order | str,
    *,
    top: int = 10,
    options: MatchOptions | None = None,
    k: int = DEFAULT_K,
) -> Shortlist:
    """Rank single workshops and ready groups that can take an order, with anonymized profiles.

    Parameters
    ----------
    cluster : Cluster
    order : str or Order
        The id of an order of the cluster, or an order a lead firm describes
        (not in the cluster; checked, every problem reported at once).
    top : int
        At most this many singles and this many groups (>= 1).
    options : MatchOptions, optional
        Solver, ``time_limit`` (seconds for the whole search for groups),
        ``seed`` and the rules of a good group (default: small, leader and
        cohesion preferred). Same input and seed, same shortlist.
    k : int
        Every member's profile fits at least this many workshops of the
        cluster (>= 1; default :data:`matcher.privacy.DEFAULT_K`, 5); 1 shows
        exact profiles and scores, for a coordinator's own use.

    Returns
    -------
    Shortlist
        Singles and groups, best first; ``to_dict()`` is the anonymized form.

    Examples
    --------
    A can sew the 100 shirts alone; B and C can only together:

    >>> from matcher.model import Cluster, Order, RoutingStep, Tie, Workshop
    >>> ws = (Workshop("A", "T", 6, ("tshirt",), ("sewing",), capacity_minutes_per_week=700),
    ...       Workshop("B", "T", 2, ("tshirt",), ("sewing",), capacity_minutes_per_week=300, can_lead=True),
    ...       Workshop("C", "T", 2, ("polo", "tshirt"), ("sewing",), capacity_minutes_per_week=300))
    >>> c = Cluster(ws, ties=(Tie("B", "C", "kinship"),),
    ...             routings={"tshirt": (RoutingStep("sewing", 6.0),)})
    >>> s = shortlist(c, Order("Q1", "tshirt", 100, 1.0), options=MatchOptions(time_limit=10), k=1)
    >>> [(e.ref, e.workshop_ids, round(e.score.total, 3)) for e in s.singles]
    [('S1', ('A',), 0.548)]
    >>> [(e.ref, e.workshop_ids) for e in s.groups], s.search["stopped"]
    ([('G1', ('B', 'C'))], 'no_more_groups')
    >>> s.to_dict()["groups"][0]["members"][0]
    {'ref': 'G1-a', 'territory': 'T', 'size_band': 'micro', 'quality': {'low': 3, 'high': 3}, ...}

    With k = 2, what sets A apart (the only small workshop) is withheld, and
    so is C's main product (polo): the score reads it as not the order's.

    >>> s = shortlist(c, Order("Q1", "tshirt", 100, 1.0), options=MatchOptions(time_limit=10), k=2)
    >>> s.to_dict()["singles"][0]["members"][0]["size_band"], s.singles[0].members[0].shown.withheld
    (None, ('size_band',))
    """
    started = time.perf_counter()
    options = options or MatchOptions()
    if not isinstance(options, MatchOptions):
        raise InvalidOptionError("options must be a MatchOptions")
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise InvalidOptionError(f"top must be a whole number >= 1, got {top!r}")
    check_k(k)
    order, described = _check_order(cluster, order)
    solver = resolve_solver(options.solver)
    deadline = started + options.time_limit
    # Only workshops that make the product can be eligible: the others are not
    # even looked at. The problem itself reads the whole cluster (diagnosis
    # counts every maker); searches and checks read local parts of it.
    single_options = replace(options, allow_partial=False)
    makers = Cluster(cluster_index(cluster).makers.get(order.product, ()), routings=cluster.routings)
    base = MatchProblem(cluster, MatchProblem.build(makers, (order,), single_options).specs, single_options)
    spec = base.specs[0]

    singles, alone = _singles(base, spec, top, solver, k)
    found, group_problem, search = _groups(base, spec, options, alone, top, solver, deadline)

    single_entries = tuple(
        ShortlistEntry(
            ref=f"S{i}",
            kind="single",
            members=(Profile(f"S{i}", w, shown),),
            score=score,
            free_minutes=free,
            needed_minutes=needed,
            why_messages=_single_why(spec, shown, free, needed),
        )
        for i, (w, score, free, needed, shown) in enumerate(singles, start=1)
    )
    group_spec = group_problem.specs[0]
    scored = []
    for r in found:
        ids = [m.workshop_id for m in r.group]
        shown = _profiles(cluster, order, r.group, k)
        minutes = {m.workshop_id: m.minutes for m in r.group}
        scored.append((r, *_score(group_problem, group_spec, ids, shown, minutes), shown))
    scored.sort(key=lambda e: (-round(e[1].total, 9), tuple(m.workshop_id for m in e[0].group)))
    group_entries = []
    for i, (result, score, free, needed, shown) in enumerate(scored, start=1):
        refs = {m.workshop_id: f"G{i}-{_letters(j)}" for j, m in enumerate(result.group)}
        members = tuple(
            Profile(refs[m.workshop_id], m.workshop_id, p, m.allocations)
            for m, p in zip(result.group, shown, strict=True)
        )
        leader_shown = all(p.leader is not None for p in shown)
        why = _group_why(group_problem, group_spec, result, refs, free, needed, leader_shown)
        group_entries.append(ShortlistEntry(f"G{i}", "group", members, score, free, needed, why_messages=why))

    notes: list[Message] = []
    if k > 1 and 0 < len(spec.eligible) < k:
        # Fewer than k workshops could take part: any entry, or its absence, would describe them.
        single_entries, group_entries = (), []
        search = {**search, "groups_found": 0}
        notes.append(Message("shortlist.small_pool", {"k": k}))
    elif not single_entries and not group_entries and search["stopped"] != "time_limit":
        notes.extend(diagnose(base, spec, 0) if k <= 1 else _without_small_cells(diagnose(base, spec, 0), k))
    elif not single_entries:
        notes.append(Message("shortlist.no_single"))
    if search["candidates"] < search["eligible"]:
        notes.append(
            Message("shortlist.pool", {"candidates": search["candidates"], "eligible": search["eligible"]})
        )
    if search["stopped"] == "time_limit":
        notes.append(
            Message("shortlist.time_limit", {"seconds": options.time_limit, "groups": len(group_entries)})
        )
    notes.extend(_reliability_notes((*single_entries, *group_entries)))
    notes.extend(_anonymity_notes((*single_entries, *group_entries), k))
    search = {**search, "seconds": round(time.perf_counter() - started, 3), "time_limit": options.time_limit}
    if k > 1:  # a count of fewer than k workshops is not shown
        search.update({n: None for n in ("candidates", "eligible") if 0 < (search.get(n) or 0) < k})
    return Shortlist(
        order, described, single_entries, tuple(group_entries), search, note_messages=tuple(notes), k=k
    )


#: The arguments of a diagnosis that count workshops (``pairs`` counts pairs of them).
_COUNTS = ("makers", "workshops", "pairs")


def _without_small_cells(messages: list[Message], k: int) -> list[Message]:
    """A diagnosis as a lead firm may read it: no count of fewer than ``k`` workshops.

    A cause that concerns fewer than ``k`` workshops is left out of its list;
    a line whose own count is that small is left out whole; when anything is
    left out, a last line says so (a coordinator reads the whole diagnosis).

    Examples
    --------
    >>> causes = [{"cause": "quality", "workshops": 9}, {"cause": "territory", "workshops": 2}]
    >>> m = Message("diagnose.none_eligible", {"makers": 11, "product": "jeans", "causes": causes,
    ...     "min_quality": 4, "territories": ["Pilar"]})
    >>> [x.text for x in _without_small_cells([m], 5)]  # doctest: +NORMALIZE_WHITESPACE
    ['Of the 11 workshops that make jeans, none can take it: 9 below quality 4.',
     'Some of the reasons concern fewer than 5 workshops and are not shown, so that none is
     singled out; a coordinator can tell them.']
    """
    kept: list[Message] = []
    dropped = False
    for message in messages:
        args = dict(message.args)
        if any(0 < args.get(name, k) * (2 if name == "pairs" else 1) < k for name in _COUNTS):
            dropped = True
            continue
        if "causes" in args:
            causes = [c for c in args["causes"] if c["workshops"] >= k]
            dropped = dropped or len(causes) < len(args["causes"])
            if not causes:
                continue
            message = Message(message.key, {**args, "causes": causes})
        kept.append(message)
    if dropped:
        kept.append(Message("shortlist.small_cells", {"k": k}))
    return kept


def _reliability_notes(entries: tuple[ShortlistEntry, ...]) -> list[Message]:
    """What the reader should know about reliability left out of totals."""
    unknown = [e.ref for e in entries if e.score.reliability is None]
    if not entries:
        return []
    if len(unknown) == len(entries):
        return [Message("shortlist.reliability_unknown")]
    if unknown:
        return [Message("shortlist.reliability_unknown_for", {"refs": unknown})]
    return []


def _anonymity_notes(entries: tuple[ShortlistEntry, ...], k: int) -> list[Message]:
    """What the reader should know about profiles coarsened to fit ``k`` workshops."""
    members = [m for e in entries for m in e.members]
    notes = []
    if any(m.shown.coarsened for m in members):
        notes.append(Message("shortlist.anonymity", {"k": k}))
    short = [m.ref for m in members if m.shown.matches < k]
    if short:
        notes.append(Message("shortlist.anonymity_short", {"k": k, "refs": short}))
    return notes


def _letters(index: int) -> str:
    """``a``, ``b``, ..., ``z``, ``aa``, ``ab``, ...: member references inside a group."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
