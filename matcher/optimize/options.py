"""Options of a matching run."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matcher.errors import InvalidOptionError
from matcher.messages import Message
from matcher.optimize.rules import Rules
from matcher.optimize.schema import MatchOptionsDict

__all__ = ["METHODS", "SOLVERS", "MatchOptions"]

#: Solver names accepted by :class:`MatchOptions`.
SOLVERS = ("auto", "highs", "cbc")
#: Methods accepted by :class:`MatchOptions`.
METHODS = ("auto", "full", "decompose")


@dataclass(frozen=True)
class MatchOptions:
    """How to match: solver, time limit and the switches a coordinator sets.

    Parameters
    ----------
    solver : {"auto", "highs", "cbc"}
        ``auto`` uses HiGHS when it is installed, else CBC.
    time_limit : float
        Seconds the solver may use for the whole run (> 0).
    allow_partial : bool
        Let an order be filled in part; otherwise it is filled in full or not at all.
    max_group_size : int or None
        Group-size cap for orders that set none (an order's own cap wins).
    seed : int
        Seed passed to the solver, for reproducible runs.
    rules : Rules
        Levels of the rules of a good group for the whole run
        (see :mod:`matcher.optimize.rules`).
    order_rules : mapping of order id to mapping
        Changes to ``rules`` for single orders, e.g.
        ``{"O1": {"cohesion": "required", "leader_hops": 2}}``.
    priorities : mapping of order id to float
        Weight of an order's units in phase 1 (default 1; > 0).
    explain_seconds : float
        Seconds in all for explaining by solving again: the smallest changes
        that would let unfilled orders be filled, and, for filled groups not
        linked by ties, the smallest group that is (0 to skip); each order to
        explain gets an equal share of the time still left when its turn comes.
    method : {"auto", "full", "decompose"}
        ``full`` solves one model of every order and eligible workshop;
        ``decompose`` solves one order at a time on its best candidates, with
        a bound valid for the whole run (see ``matcher.optimize._decompose``;
        not with partial fills or robustness, which use ``full``). ``auto``
        decomposes runs with more than 500 eligible (workshop, order) pairs.

    Examples
    --------
    >>> MatchOptions(time_limit=10).solver
    'auto'
    >>> MatchOptions(time_limit=0)
    Traceback (most recent call last):
    ...
    matcher.errors.InvalidOptionError: time_limit must be a number of seconds > 0, got 0
    """

    solver: str = "auto"
    time_limit: float = 30.0
    allow_partial: bool = False
    max_group_size: int | None = None
    seed: int = 0
    rules: Rules = field(default_factory=Rules)
    order_rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    priorities: Mapping[str, float] = field(default_factory=dict)
    explain_seconds: float = 10.0
    method: str = "auto"

    def __post_init__(self) -> None:
        problems = []
        if (
            not isinstance(self.explain_seconds, int | float)
            or not math.isfinite(self.explain_seconds)
            or self.explain_seconds < 0
        ):
            problems.append(
                Message(
                    "option.seconds_at_least",
                    {"name": "explain_seconds", "low": 0, "got": repr(self.explain_seconds)},
                )
            )
        if not isinstance(self.rules, Rules):
            problems.append(Message("option.type", {"name": "rules", "kind": "Rules"}))
        for order_id, changes in self.order_rules.items():
            try:
                self.rules.updated(changes)
            except InvalidOptionError as exc:
                problems.extend(
                    Message("option.in_order", {"order_id": order_id, "problem": m.to_dict()})
                    for m in exc.messages
                )
        for order_id, weight in self.priorities.items():
            if not isinstance(weight, int | float) or not math.isfinite(weight) or weight <= 0:
                problems.append(Message("option.priority", {"order_id": order_id, "got": repr(weight)}))
        for name, value, choices in (("method", self.method, METHODS), ("solver", self.solver, SOLVERS)):
            if value not in choices:
                problems.append(
                    Message("option.one_of", {"name": name, "choices": list(choices), "got": repr(value)})
                )
        if (
            not isinstance(self.time_limit, int | float)
            or not math.isfinite(self.time_limit)
            or self.time_limit <= 0
        ):
            problems.append(
                Message(
                    "option.seconds_above", {"name": "time_limit", "low": 0, "got": repr(self.time_limit)}
                )
            )
        if self.max_group_size is not None and (
            not isinstance(self.max_group_size, int) or self.max_group_size < 1
        ):
            problems.append(
                Message(
                    "option.at_least", {"name": "max_group_size", "low": 1, "got": repr(self.max_group_size)}
                )
            )
        if not isinstance(self.seed, int) or self.seed < 0:
            problems.append(Message("option.at_least", {"name": "seed", "low": 0, "got": repr(self.seed)}))
        if problems:
            raise InvalidOptionError(messages=problems)

    def rules_for(self, order_id: str) -> Rules:
        """The rules of one order: the run's, with that order's changes."""
        changes = self.order_rules.get(order_id)
        return self.rules.updated(changes) if changes else self.rules

    def to_dict(self) -> MatchOptionsDict:
        """The options as JSON-ready data (:class:`~matcher.optimize.schema.MatchOptionsDict`)."""
        return {
            "solver": self.solver,
            "time_limit": self.time_limit,
            "allow_partial": self.allow_partial,
            "max_group_size": self.max_group_size,
            "seed": self.seed,
            "rules": self.rules.to_dict(),
            "order_rules": {o: dict(c) for o, c in sorted(self.order_rules.items())},
            "priorities": dict(sorted(self.priorities.items())),
            "explain_seconds": self.explain_seconds,
            "method": self.method,
        }
