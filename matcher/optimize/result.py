"""Results of a matching run, and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from matcher.messages import Message, paired_texts
from matcher.optimize.options import MatchOptions
from matcher.optimize.schema import MatchResultDict

__all__ = ["Allocation", "MatchResult", "Member", "OrderResult", "PhaseResult"]


@dataclass(frozen=True)
class Allocation:
    """Units of one process given to one member, and the standard minutes they take."""

    process: str
    units: int
    minutes: float


@dataclass(frozen=True)
class Member:
    """A workshop in a group, what it makes, whether it leads or stands by as a backup.

    ``why_messages`` say why it is in the group (:class:`~matcher.messages.Message`);
    ``why`` is their English text, filled in from them when not given.
    """

    workshop_id: str
    allocations: tuple[Allocation, ...]
    leader: bool = False
    territory: str | None = None
    backup: bool = False
    why: tuple[str, ...] = ()
    why_messages: tuple[Message, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "why", paired_texts(self.why, self.why_messages))

    @property
    def minutes(self) -> float:
        return sum(a.minutes for a in self.allocations)


@dataclass(frozen=True)
class OrderResult:
    """The group proposed for one order (empty when unfilled) and why.

    ``reason_messages`` explain the group or what keeps the order from being
    filled; ``reasons`` is their English text, filled in from them when not given.
    ``lot`` is the fewest units of a process a member may take (0: no lots;
    :func:`~matcher.optimize.rules.order_lot`).

    ``cohesion`` (empty without a group): ``positive_pairs`` (member pairs
    with a positive tie), ``density``, ``connected`` (linked through ties
    among the members), ``components``, ``members_tied``; and, for a filled
    group of two or more that is not connected, ``connected_alternative``:
    ``{"size", "smallest"}`` of the smallest linked group that could take the
    order instead (:func:`matcher.optimize.whatif.connected_alternative`),
    None when solving proved there is none, absent when the time for
    explanations ran out first.
    """

    order_id: str
    status: str  # filled | partial | unfilled
    quantity: int
    filled_units: int
    group: tuple[Member, ...] = ()
    reasons: tuple[str, ...] = ()
    product: str | None = None
    due_weeks: float | None = None
    firm_id: str | None = None
    eligible_workshops: int = 0
    cohesion: dict[str, Any] = field(default_factory=dict)
    changes: tuple[Any, ...] = ()
    reason_messages: tuple[Message, ...] = ()
    lot: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "reasons", paired_texts(self.reasons, self.reason_messages))

    @property
    def leader_id(self) -> str | None:
        return next((m.workshop_id for m in self.group if m.leader), None)


@dataclass(frozen=True)
class PhaseResult:
    """One objective of the lexicographic solve: its value, bound and gap."""

    name: str
    status: str  # optimal | feasible | skipped
    value: float | None
    bound: float | None
    gap: float | None
    seconds: float


@dataclass(frozen=True)
class MatchResult:
    """A whole matching run: status, proof of quality and the groups.

    ``status`` is ``optimal`` when every objective was proved optimal,
    ``feasible`` when a solution is shown without that proof (``gap`` then
    says how far from the bound on filled units it may be), ``infeasible``
    when no solution exists. ``largest_utilisation`` is the largest share of
    any member's free minutes that the run's groups take, counted by each due
    date as capacity is (the figure the fairness rule keeps low).
    ``time_seconds`` is the whole run; ``explain_seconds`` the part of it
    spent explaining by solving again (the changes that would fill unfilled
    orders, the smallest group linked by ties), after the groups were final.
    """

    solver: str
    status: str
    gap: float | None
    orders: tuple[OrderResult, ...]
    options: MatchOptions
    bound: float | None = None
    objective: float | None = None
    phases: tuple[PhaseResult, ...] = ()
    time_seconds: float = 0.0
    explain_seconds: float = 0.0
    verified: bool = False
    notes: tuple[str, ...] = ()
    largest_utilisation: float | None = None

    def with_verified(self, verified: bool) -> MatchResult:
        return replace(self, verified=verified)

    def to_dict(self) -> MatchResultDict:
        """The JSON contract of ``matcher match --json``; every key is listed in
        :class:`~matcher.optimize.schema.MatchResultDict` (an order's entry:
        :class:`~matcher.optimize.schema.OrderResultDict`)."""
        return {
            "solver": self.solver,
            "status": self.status,
            "gap": self.gap,
            "bound": self.bound,
            "objective": self.objective,
            "objectives": [
                {
                    "name": p.name,
                    "status": p.status,
                    "value": p.value,
                    "bound": p.bound,
                    "gap": p.gap,
                    "seconds": round(p.seconds, 3),
                }
                for p in self.phases
            ],
            "time_seconds": round(self.time_seconds, 3),
            "explain_seconds": round(self.explain_seconds, 3),
            "time_limit": self.options.time_limit,
            "verified": self.verified,
            "options": self.options.to_dict(),
            "notes": list(self.notes),
            "largest_utilisation": self.largest_utilisation,
            "orders": [
                {
                    "order_id": o.order_id,
                    "status": o.status,
                    "quantity": o.quantity,
                    "lot": o.lot,
                    "filled_units": o.filled_units,
                    "product": o.product,
                    "due_weeks": o.due_weeks,
                    "firm_id": o.firm_id,
                    "eligible_workshops": o.eligible_workshops,
                    "leader_id": o.leader_id,
                    "cohesion": o.cohesion,
                    "group": [
                        {
                            "workshop_id": m.workshop_id,
                            "leader": m.leader,
                            "backup": m.backup,
                            "why": list(m.why),
                            "why_messages": [w.to_dict() for w in m.why_messages],
                            "territory": m.territory,
                            "minutes": m.minutes,
                            "allocations": [
                                {"process": a.process, "units": a.units, "minutes": a.minutes}
                                for a in m.allocations
                            ],
                        }
                        for m in o.group
                    ],
                    "reasons": list(o.reasons),
                    "reason_messages": [r.to_dict() for r in o.reason_messages],
                    "changes": [c.to_dict() for c in o.changes],
                }
                for o in self.orders
            ],
        }
