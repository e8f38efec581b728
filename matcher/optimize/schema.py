"""The shape of a matching run's JSON form, key by key, as ``TypedDict`` classes.

:meth:`matcher.optimize.MatchResult.to_dict` (what
``matcher match --json`` prints) returns a :class:`MatchResultDict`, with an
:class:`OrderResultDict` per order. They are plain dicts at run time; these
classes say which keys they have and what each holds, and a test keeps them
exactly in step with what ``to_dict`` returns. How groups are chosen and what
the reasons say is told in :mod:`matcher.optimize` and the user guide (*How
groups are chosen*, *JSON output*). The shortlist's form is in
:mod:`matcher.optimize.shortlist.schema`.

Examples
--------
>>> allocation: AllocationDict = {"process": "sewing", "units": 100, "minutes": 600.0}
>>> sorted(AllocationDict.__required_keys__) == sorted(allocation)
True
"""

# No ``from __future__ import annotations``: on Python 3.11 a TypedDict then
# reads NotRequired[...] as required (its keys are computed from the strings).
from typing import Any, NotRequired, TypedDict

__all__ = [
    "AllocationDict",
    "ChangeDict",
    "ConnectedAlternativeDict",
    "GroupCohesionDict",
    "MatchOptionsDict",
    "MatchResultDict",
    "MemberDict",
    "MessageDict",
    "NoGroupCohesionDict",
    "ObjectiveDict",
    "OrderResultDict",
    "RulesDict",
]


class MessageDict(TypedDict):
    """A sentence as a key and its raw arguments (:meth:`matcher.messages.Message.to_dict`)."""

    key: str
    """The message's key in :data:`matcher.messages.ENGLISH` (and the other languages' tables)."""
    args: dict[str, Any]
    """Its arguments, JSON-ready: numbers as numbers, ids, codes, lists."""


class AllocationDict(TypedDict):
    """Units of one process given to one member (:class:`~matcher.optimize.Allocation`)."""

    process: str
    """The process code (``sewing``, ``cutting``, ...)."""
    units: int
    """Units of the order's product the member takes through this process."""
    minutes: float
    """Standard minutes those units take."""


class MemberDict(TypedDict):
    """A workshop in an order's group (:class:`~matcher.optimize.Member`)."""

    workshop_id: str
    """The workshop."""
    leader: bool
    """Whether it leads the group."""
    backup: bool
    """Whether it stands by as a backup (no allocation; robustness)."""
    why: list[str]
    """Why it is in the group, in English, one sentence per ``why_messages`` entry."""
    why_messages: list[MessageDict]
    """The same sentences as keys and arguments."""
    territory: str | None
    """Its territory."""
    minutes: float
    """Standard minutes of all its allocations."""
    allocations: list[AllocationDict]
    """What it makes, one entry per process, in the order of the routing."""


class ConnectedAlternativeDict(TypedDict):
    """``cohesion.connected_alternative`` when a group linked by ties was found."""

    size: int
    """Members of the group linked by ties found that could take the order instead."""
    smallest: bool
    """Whether solving proved that no smaller such group exists."""


class GroupCohesionDict(TypedDict):
    """``cohesion`` of an order with a group: how ties hold its members together."""

    positive_pairs: int
    """Member pairs with a positive tie."""
    density: float
    """Tied pairs over all member pairs (0 for a group of one)."""
    connected: bool
    """Whether the members are linked through ties among themselves."""
    components: int
    """Parts the members fall into, linked by their ties."""
    members_tied: int
    """Members with a tie to another member."""
    connected_alternative: NotRequired[ConnectedAlternativeDict | None]
    """For a filled group of two or more that is not connected: the smallest linked group that
    could take the order instead; None when solving proved there is none; absent when the time
    for explanations ran out first (or the group is connected)."""


class NoGroupCohesionDict(TypedDict):
    """``cohesion`` of an order without a group: an empty dict."""


class ChangeDict(TypedDict):
    """A change that alone lets an unfilled order be filled (:class:`~matcher.optimize.whatif.Change`)."""

    kind: str
    """What changes: ``due_weeks``, ``max_group_size``, ``territory``, ``min_quality``,
    ``require_formal``, ``conflict``, ``rule`` or ``min_lot``."""
    value: Any
    """The new value (a number, a territory, a pair of workshops, a rule setting, ...)."""
    text: str
    """The change in English words."""


class OrderResultDict(TypedDict):
    """One order's entry in ``orders`` (:class:`~matcher.optimize.OrderResult`)."""

    order_id: str
    """The order."""
    status: str
    """``filled``, ``partial`` or ``unfilled``."""
    quantity: int
    """Units ordered."""
    lot: int
    """The fewest units of a process a member may take (0: no lots)."""
    filled_units: int
    """Units the group makes through every process."""
    product: str | None
    """The product code."""
    due_weeks: float | None
    """Weeks until the order is due."""
    firm_id: str | None
    """The lead firm that placed it."""
    eligible_workshops: int
    """Workshops that may take part in its group."""
    leader_id: str | None
    """The group's leader (None without a group or without a member willing to lead)."""
    cohesion: GroupCohesionDict | NoGroupCohesionDict
    """How ties hold the group together (empty without a group)."""
    group: list[MemberDict]
    """The members, sorted by workshop id (empty when unfilled)."""
    reasons: list[str]
    """Why this group, or what keeps the order from being filled, in English."""
    reason_messages: list[MessageDict]
    """The same sentences as keys and arguments."""
    changes: list[ChangeDict]
    """Changes each of which alone would let the order be filled in full (empty when filled or none found)."""


class ObjectiveDict(TypedDict):
    """An objective of the lexicographic solve, in ``objectives`` (:class:`~matcher.optimize.PhaseResult`)."""

    name: str
    """``filled_units`` (phase 1) or ``preferences`` (phase 2: the preferred rules)."""
    status: str
    """``optimal``, ``feasible``, ``no solution`` or ``skipped``."""
    value: float | None
    """Its value in the solution shown."""
    bound: float | None
    """The best value the solver proved possible."""
    gap: float | None
    """Relative distance between value and bound."""
    seconds: float
    """Seconds spent on it."""


class RulesDict(TypedDict):
    """``options.rules``: the levels and parameters of the rules (:class:`~matcher.optimize.Rules`)."""

    small: str
    """Level of the rule small: ``off``, ``preferred`` or ``required``."""
    leader: str
    """Level of the rule leader."""
    cohesion: str
    """Level of the rule cohesion."""
    robustness: str
    """Level of the rule robustness."""
    specialisation: str
    """Level of the rule specialisation."""
    homogeneity: str
    """Level of the rule homogeneity."""
    fairness: str
    """Level of the rule fairness."""
    cost: str
    """Level of the rule cost (``off`` or ``preferred``)."""
    small_max: int
    """Most members of a group when small is required."""
    leader_hops: int
    """Most positive-tie steps from the leader to any member when leader is required."""
    max_worker_ratio: float
    """Largest ratio of workers between members when homogeneity is required."""
    max_quality_spread: int
    """Largest quality spread between members when homogeneity is required."""
    fairness_share: float
    """Largest share of an order's minutes one member may give when fairness is required."""
    min_group_size: int
    """Fewest members of a group."""
    min_lot: int | None
    """The lot of every order (0: no lots; None: each its own, :func:`~matcher.optimize.order_lot`)."""


class MatchOptionsDict(TypedDict):
    """``options``: how the run was asked for (:class:`~matcher.optimize.MatchOptions`)."""

    solver: str
    """``auto``, ``highs`` or ``cbc`` as asked (``solver`` of the result names the one used)."""
    time_limit: float
    """Seconds the solver could use for the whole run."""
    allow_partial: bool
    """Whether an order may be filled in part."""
    max_group_size: int | None
    """Group-size cap for orders that set none."""
    seed: int
    """Seed passed to the solver."""
    rules: RulesDict
    """The run's rules."""
    order_rules: dict[str, dict[str, Any]]
    """Changes to the rules for single orders, by order id."""
    priorities: dict[str, float]
    """Weight of each order's units in phase 1, by order id (default 1)."""
    explain_seconds: float
    """Seconds in all for explaining by solving again."""
    method: str
    """``auto``, ``full`` or ``decompose`` as asked."""


class MatchResultDict(TypedDict):
    """What :meth:`matcher.optimize.MatchResult.to_dict` returns."""

    solver: str
    """The solver used (``highs``, ``cbc``, or ``greedy`` for the baseline)."""
    status: str
    """``optimal``, ``feasible`` (no proof of optimality; see ``gap``) or ``infeasible``."""
    gap: float | None
    """How far from the bound on filled units the solution may be."""
    bound: float | None
    """The bound on filled units the solver proved."""
    objective: float | None
    """Phase 1's value: filled units (weighted by priority) of the solution shown."""
    objectives: list[ObjectiveDict]
    """Each objective of the lexicographic solve, in order."""
    time_seconds: float
    """Seconds the whole run took."""
    explain_seconds: float
    """Of them, seconds spent explaining by solving again, after the groups were final."""
    time_limit: float
    """The time limit asked for."""
    verified: bool
    """Whether an independent verifier re-checked every group against every rule."""
    options: MatchOptionsDict
    """The options of the run."""
    notes: list[str]
    """What the reader should know about the run, in English."""
    largest_utilisation: float | None
    """The largest share of any member's free minutes the groups take, by each due date."""
    orders: list[OrderResultDict]
    """One entry per order, in the order asked."""
