"""The rules of a good group, each switched off, preferred or required.

A coordinator sets them for a whole run and may change them for one order.
Without options: cohesion, leader and small are preferred, the others off.

Each rule, when preferred (a term of phase 2's objective) and when required
(a constraint, and the preference as well):

- ``small`` — preferred: each member costs more than any ties, leader or
  other preference it could bring; required: at most ``small_max`` members
  (default 5).
- ``leader`` — preferred: a group with a member that ``can_lead`` gains half
  a member's cost; required: such a member, and every other member within
  ``leader_hops`` positive-tie steps of it in the cluster (default 1).
- ``cohesion`` — preferred: the weight of tied pairs inside (per distinct
  positive kind joining a pair, its strongest tie / 5); required: the group
  is connected through positive ties among its members.
- ``robustness`` — preferred: a robust group gains one member's cost (worth
  one more member, such as a backup); required: the group is robust. A group
  is robust when, whichever one member drops out, the spare minutes of the
  others (members and at most one backup: a member kept free to step in) cover that
  member's minutes of each of its processes, and in all. Spare minutes are
  what a member has left after all its allocations, by the order's due date
  and every later one.
- ``specialisation`` — preferred: 0.5 per member whose main (first) product
  is the order's; required: every member's main product is the order's.
- ``homogeneity`` — preferred: minus 0.5 × log2(largest / smallest workers)
  and 0.5 × (highest − lowest quality); required: largest / smallest workers
  ≤ ``max_worker_ratio`` (3) and quality spread ≤ ``max_quality_spread`` (1).
- ``fairness`` — preferred: minus the largest member's share of the order's
  minutes (weight ``SHARE_WEIGHT``, 1), and once for the whole run minus the
  largest utilisation of any workshop eligible for an order that wants
  fairness (weight ``LOAD_WEIGHT``, 1); required: no member gives more than
  ``max_share`` (0.6) of the order's minutes, and the run's largest
  utilisation is still minimised. A workshop's utilisation is, over the due
  dates D of the orders it may work on, the largest share of its minutes free
  by D that goes to the run's orders due by D: 1 is a workshop the capacity
  rule lets do no more. Both fairness terms lie in [0, 1], and with fairness
  wanted a member's cost under ``small`` grows by their weights, so spreading
  work never adds a member.
- ``cost`` — preferred: minus the order's cost over its cheapest possible
  cost; not available as required.

``min_group_size`` (default 1) holds whatever the levels, and so do lots:
a member's units of a process are 0 or at least the order's lot (a bundle
of cut pieces, never two garments of cutting). ``min_lot`` sets the lot of
every order it applies to (a whole number; 0 switches lots off); left unset,
an order's lot is 5 % of its quantity and at least 50 units, never more than
the quantity (:func:`order_lot`). Phase 1 maximises
filled units (times the order's priority) before any of this; phase 2 keeps
them and maximises the preferred terms with the weights above, which put the
rules in the order of the table.

Examples
--------
>>> Rules().level("cohesion"), Rules().level("fairness")
('preferred', 'off')
>>> Rules.parse(["cohesion=required", "max_share=0.5"]).fairness_share
0.5
>>> Rules.parse(["min_lot=300"]).min_lot
300
>>> Rules(cost="required")
Traceback (most recent call last):
...
matcher.errors.InvalidOptionError: cost must be off or preferred, got 'required'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, cast

from matcher.errors import InvalidOptionError
from matcher.messages import Message
from matcher.optimize.schema import RulesDict

__all__ = ["LEVELS", "RULES", "Rules", "order_lot"]

LEVELS = ("off", "preferred", "required")
#: The rules in their order of precedence among preferences.
RULES = ("small", "leader", "cohesion", "robustness", "specialisation", "homogeneity", "fairness", "cost")
_ONLY_PREFERRED = ("cost",)
#: Parameter names accepted by :meth:`Rules.parse` and their fields.
_PARAMETERS = {
    "small_max": "small_max",
    "leader_hops": "leader_hops",
    "max_worker_ratio": "max_worker_ratio",
    "max_quality_spread": "max_quality_spread",
    "max_share": "fairness_share",
    "min_group_size": "min_group_size",
    "min_lot": "min_lot",
}

SPECIALISATION_WEIGHT = 0.5
HOMOGENEITY_WEIGHT = 0.5
#: Fairness, per order: the largest member's share of the order's minutes.
SHARE_WEIGHT = 1.0
#: Fairness, once per run: the largest utilisation of a workshop (see the table).
LOAD_WEIGHT = 1.0
#: Without ``min_lot``, an order's lot is this percentage of its quantity (rounded up) ...
LOT_PERCENT = 5
#: ... and at least this many units (never more than the quantity).
LOT_UNITS = 50


@dataclass(frozen=True)
class Rules:
    """Levels of the rules and their parameters; see the module's table."""

    small: str = "preferred"
    leader: str = "preferred"
    cohesion: str = "preferred"
    robustness: str = "off"
    specialisation: str = "off"
    homogeneity: str = "off"
    fairness: str = "off"
    cost: str = "off"
    small_max: int = 5
    leader_hops: int = 1
    max_worker_ratio: float = 3.0
    max_quality_spread: int = 1
    fairness_share: float = 0.6
    min_group_size: int = 1
    min_lot: int | None = None

    def __post_init__(self) -> None:
        problems = []
        for rule in RULES:
            level = getattr(self, rule)
            allowed = ("off", "preferred") if rule in _ONLY_PREFERRED else LEVELS
            if level not in allowed:
                key = "option.level_preferred" if rule in _ONLY_PREFERRED else "option.level"
                problems.append(Message(key, {"name": rule, "got": repr(level)}))
        for name, low in (
            ("small_max", 1),
            ("leader_hops", 1),
            ("max_quality_spread", 0),
            ("min_group_size", 1),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                problems.append(Message("option.at_least", {"name": name, "low": low, "got": repr(value)}))
        if self.min_lot is not None and (
            not isinstance(self.min_lot, int) or isinstance(self.min_lot, bool) or self.min_lot < 0
        ):
            problems.append(Message("option.min_lot", {"name": "min_lot", "got": repr(self.min_lot)}))
        if not _number(self.max_worker_ratio) or self.max_worker_ratio < 1:
            problems.append(
                Message(
                    "option.number_at_least",
                    {"name": "max_worker_ratio", "low": 1, "got": repr(self.max_worker_ratio)},
                )
            )
        if not _number(self.fairness_share) or not 0 < self.fairness_share <= 1:
            problems.append(Message("option.share", {"name": "max_share", "got": repr(self.fairness_share)}))
        if not problems and self.small == "required" and self.min_group_size > self.small_max:
            problems.append(
                Message(
                    "option.min_above_small",
                    {"min_group_size": self.min_group_size, "small_max": self.small_max},
                )
            )
        if problems:
            raise InvalidOptionError(messages=problems)

    def level(self, rule: str) -> str:
        """The level of one rule."""
        if rule not in RULES:
            raise InvalidOptionError(
                messages=[Message("option.unknown_rule", {"name": rule, "rules": list(RULES)})]
            )
        return str(getattr(self, rule))

    def preferred(self, rule: str) -> bool:
        return self.level(rule) == "preferred"

    def wanted(self, rule: str) -> bool:
        """Preferred or required: a required rule keeps its preference too."""
        return self.level(rule) != "off"

    def required(self, rule: str) -> bool:
        return self.level(rule) == "required"

    def updated(self, changes: Mapping[str, Any]) -> Rules:
        """These rules with some levels or parameters changed (names as in :meth:`parse`)."""
        known = {f.name for f in fields(self)}
        values: dict[str, Any] = {}
        for name, value in changes.items():
            field_name = _PARAMETERS.get(name, name)
            if field_name not in known:
                said = {"name": name, "rules": list(RULES), "parameters": list(_PARAMETERS)}
                raise InvalidOptionError(messages=[Message("option.unknown_setting", said)])
            values[field_name] = value
        return replace(self, **values)

    @classmethod
    def parse(cls, settings: Iterable[str], base: Rules | None = None) -> Rules:
        """Rules from ``name=value`` texts, as the command line gives them.

        Examples
        --------
        >>> Rules.parse(["leader=required", "leader_hops=2"]).leader_hops
        2
        >>> Rules.parse(["cohesion"])
        Traceback (most recent call last):
        ...
        matcher.errors.InvalidOptionError: rule setting 'cohesion' must read name=value, ...
        """
        changes: dict[str, Any] = {}
        for text in settings:
            name, sep, raw = text.partition("=")
            name, raw = name.strip(), raw.strip()
            if not sep or not name or not raw:
                raise InvalidOptionError(
                    f"rule setting {text!r} must read name=value, e.g. cohesion=required"
                )
            if name in RULES:
                changes[name] = raw
                continue
            field_name = _PARAMETERS.get(name)
            if field_name is None:
                raise InvalidOptionError(
                    f"unknown rule or parameter {name!r}; rules: {', '.join(RULES)}; "
                    f"parameters: {', '.join(_PARAMETERS)}"
                )
            kind = float if field_name in ("max_worker_ratio", "fairness_share") else int
            try:
                changes[name] = kind(raw)
            except ValueError:
                raise InvalidOptionError(f"{name} must be a number, got {raw!r}") from None
        return (base or cls()).updated(changes)

    def to_dict(self) -> RulesDict:
        """The levels and parameters as JSON-ready data (:class:`~matcher.optimize.schema.RulesDict`)."""
        return cast(RulesDict, asdict(self))


def order_lot(quantity: int, rules: Rules | None = None) -> int:
    """The fewest units of a process a member of an order's group may take: the order's lot.

    ``rules.min_lot`` when set (0: no lots), else 5 % of ``quantity`` rounded
    up and at least 50 units; never more than ``quantity``, so that one
    workshop can always take a whole process. A lot of 0 or 1 lets work be
    split in any whole number of units.

    Examples
    --------
    >>> order_lot(6000), order_lot(400), order_lot(30)
    (300, 50, 30)
    >>> order_lot(6000, Rules(min_lot=1000)), order_lot(600, Rules(min_lot=1000))
    (1000, 600)
    >>> order_lot(6000, Rules.parse(["min_lot=0"]))
    0
    """
    if rules is not None and rules.min_lot is not None:
        return min(rules.min_lot, quantity)
    share = -(-quantity * LOT_PERCENT // 100)  # rounded up, in whole numbers
    return min(quantity, max(LOT_UNITS, share))


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
